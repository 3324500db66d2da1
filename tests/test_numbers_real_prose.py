"""Numbers in real prose: no false error on a correct sentence, and a wrong figure for a named quantity stays an error.

Shapes seen on published reports: lines broken by the page (PDF text), page numbers between them,
breakdowns in brackets, denials of an outcome, caseload counts that include last year's
applications, counts of published information items, sentences about a sub-unit, and structural
counts of the report itself. The phrase families themselves are data-driven in cases/numbers.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist.checks import check_report
from gkassist.drafting.validate import blocking, section_findings
from gkassist.examples import load_example
from gkassist.grounding import classify_report, format_number_report
from gkassist.grounding.classify import classify_text
from gkassist.grounding.extract import extract_numerals
from gkassist.grounding.flow import join_lines
from gkassist.grounding.text import bracket_pairs, structure
from gkassist.grounding.vocabulary import load_vocabulary
from gkassist.importers import ReportReadError, import_file
from gkassist.model import Report, Table
from tests.corpus import load_expected, real_reports

PAGE = load_vocabulary().page_line_re


def _report(**cells: str) -> Report:
    report = load_example("example-2021")
    for address, raw in cells.items():
        table, row, col = address.split(".")
        report.table(table).set(row, col, raw)  # type: ignore[arg-type]
    return report


def _kinds(report: Report, text: str) -> list[tuple[str, str, str | None]]:
    return [(c.text, c.kind, c.quantity_id) for c in classify_text(report, "s1", text) if c.kind != "exempt"]


def _codes(report: Report, text: str) -> list[tuple[str, str]]:
    report.sections["s1"] = text
    return [(f.code, f.severity) for f in check_report(report) if f.code in ("X1", "X2", "X8")]


# ---------------------------------------------------------------- lines broken by the page


def test_wrapped_lines_are_joined_and_page_numbers_taken_out() -> None:
    text = "全市共受理政府信息公开申请 3119 件，答\n复 3050 件（含上年度结转申请 34 件），均在法定期\n-1-\n限内予以答复。"
    flow = join_lines(text, PAGE)
    assert flow.text == "全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件），均在法定期限内予以答复。"
    assert [text[a:b] for a, b in flow.page_lines] == ["-1-"]
    start = flow.text.index("答复")
    assert flow.span(start, start + 2) == (text.index("答"), text.index("复") + 1)  # the span covers the line end


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开\n全年主动公开政府信息356条。",  # a sub-heading is no wrapped line
        "本年度共收到政府信息公开申请30件。\n上年结转3件。",  # a sentence ends the line
        "收到政府信息公开申请30件\n\n结转下年度3件",  # a blank line is a paragraph break
        "无\n本年度没有需要报告的其他事项",  # a short line is no wrapped line
    ],
)
def test_line_ends_of_paragraphs_and_headings_stay(text: str) -> None:
    flow = join_lines(text, PAGE)
    assert flow.origin is None and flow.text == text


@pytest.mark.parametrize("page", ["-1-", "— 2 —", "－3－", "第4页 共6页", "5/6", "7"])
def test_page_number_lines_of_every_usual_form_are_taken_out(page: str) -> None:
    text = f"因政府信息公开被申请行政复议4件，被提起行政\n{page}\n诉讼3件。"
    flow = join_lines(text, PAGE)
    assert flow.text == "因政府信息公开被申请行政复议4件，被提起行政诉讼3件。"


def test_claims_on_wrapped_text_are_at_their_place_in_the_text_as_written() -> None:
    report = _report()
    text = "本年度因政府信息公开被申请行政复议 4\n件，被提起行政诉讼3件，均在法定期限内依\n— 1 —\n法应诉。"
    claims = classify_text(report, "s1", text)
    assert [(c.text, c.kind) for c in claims] == [("4\n件", "matched"), ("3件", "matched"), ("— 1 —", "exempt")]
    for c in claims:
        assert text[c.start : c.end] == c.text
    report.sections["s1"] = text
    assert "\t“— 1 —”\t豁免\t页码" in format_number_report(report)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["收到政府信息公开申请", "30件", "，", "。", "\n", "-1-", "（", "）", "答复", " ", "上年结转3件"]),
                max_size=30))
def test_any_wrapped_text_keeps_exact_spans(parts: list[str]) -> None:
    text = "".join(parts)
    for claim in classify_text(_report(), "s1", text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text


# ---------------------------------------------------------------- breakdowns in brackets


def test_bracket_pairs_nest_and_ignore_unmatched_brackets() -> None:
    text = "答复30件（含上年结转（自然人）2件）。（未闭合"
    pairs = bracket_pairs(text, [i for i, ch in enumerate(text) if ch == "。"])
    assert [(text[a], text[b]) for a, b, _ in pairs] == [("（", "）"), ("（", "）")]
    assert pairs[1][2] == 0  # the inner pair is enclosed by the outer one


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="（）()ab。", max_size=40), st.data())
def test_aside_is_the_innermost_brackets_around_the_words_not_holding_the_number(text: str, data: st.DataObject) -> None:
    letters = [i for i, ch in enumerate(text) if ch in "ab"]
    if len(letters) < 2:
        return
    word, pos = data.draw(st.sampled_from(letters)), data.draw(st.sampled_from(letters))
    t = structure(text, load_vocabulary(), [])
    pairs = bracket_pairs(text, t.sentence_delims)
    around = [(o, c) for o, c, _ in pairs if o < word < c]
    if around:
        open_, close = max(around)  # the innermost brackets around the word open last
        assert t.aside(word, word + 1, pos) == (not open_ < pos < close)
    else:
        assert not t.aside(word, word + 1, pos)


def test_a_bracketed_term_names_its_own_number_not_the_one_before() -> None:
    report = _report()
    text = "答复30件（含上年度结转申请3件，另有3件顺延到下年度答复）。"
    t = structure(text, load_vocabulary(), [n for n in extract_numerals(text) if n.exempt is None])
    inside = text.index("上年度结转")
    assert t.aside(inside, inside + 5, text.index("30件"))
    assert not t.aside(inside, inside + 5, text.index("3件"))
    assert _kinds(report, text) == [("30件", "matched", "handled"), ("3件", "matched", "carried_in"),
                                    ("3件", "matched", "carried_out")]


# ---------------------------------------------------------------- what a denial denies


@pytest.mark.parametrize("br", ["", "\n"])
def test_a_denied_outcome_says_nothing_about_the_number_of_cases(br: str) -> None:
    report = _report(**{"s4.cases.review_corrected": "0", "s4.cases.review_other": "1"})  # 4 reviews, 3 lawsuits
    text = f"本年度未发生因依申请公开被行政复议纠错或{br}行政诉讼败诉的情形。"
    claims = [c for c in classify_text(report, "s1", text) if c.form == "zero"]
    assert {(c.quantity_id, c.kind) for c in claims} == {("review_corrected", "matched"), ("litigation_corrected", "matched")}
    assert _codes(report, text) == []


def test_denying_the_cases_themselves_is_still_checked() -> None:
    report = _report()
    text = "本年度未发生因政府信息公开被申请行政复议或提起行政诉讼的情况。"
    assert {c.quantity_id for c in classify_text(report, "s1", text) if c.kind == "mismatched"} == {
        "review_total", "litigation_total"}


# ---------------------------------------------------------------- caseload sums


def test_caseload_counts_are_grounded_as_derived_sums_with_their_cells() -> None:
    report = _report()
    (claim,) = classify_text(report, "s1", "本年度共受理政府信息公开申请33件。")
    assert claim.kind == "matched" and claim.quantity_id == "new_applications"
    assert claim.cell_ids == ["s3.new.total", "s3.carried_in.total"] and "上年结转" in claim.evidence


def test_a_wrong_figure_for_a_clearly_named_quantity_stays_an_error() -> None:
    report = _report(**{"s3.new.total": "25", "s3.new.natural": "15"})  # 新收 25, 上年结转 3
    assert _codes(report, "本年度共收到政府信息公开申请30件。") == [("X1", "error")]
    assert _codes(_report(), "本年新收政府信息公开申请33件。") == [("X1", "error")]  # 新收 names row 一 exactly


# ---------------------------------------------------------------- not table quantities, or not definite


@pytest.mark.parametrize(
    "text",
    [
        "政策、规范性文件类信息68条，行政许可类信息69条。",
        "今年累计公开行政处罚信息200条。",
        "其中，区政府办代表区政府受理政府信息公开申请17件。",
        "本报告列明因政府信息公开申请行政复议、提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进情况等7项内容。",
    ],
)
def test_an_unmatched_or_uncertain_number_is_a_warning_never_an_error(text: str) -> None:
    codes = _codes(_report(), text)
    assert codes and all(code == ("X8", "warning") for code in codes), codes


@pytest.mark.parametrize(
    "text",
    [
        # information items by disclosure attribute, not the outcomes of applications
        "全年共制发政府信息437条，其中，主动公开政府信息55条、依申请公开341条、不予公开41条。",
        "2019年制作、获取政府信息总数330条，其中主动公开政府信息90条，作为依申请公开信息数161条，不予公开信息数79。",
        "全年共制作政府信息总数110条，其中主动公开信息20条，依申请公开政府信息86条，不予公开政府信息4条。",
        # service items registered online, not licensing decisions
        "在省网绑定并发布的事项共有89项，其中行政许可57项，实现“一趟不用跑”的有45项。",
    ],
)
def test_counts_of_information_items_and_service_items_are_no_table_figures(text: str) -> None:
    report = _report(**{"s2.licensing.decisions": "0"})
    assert all(code == ("X8", "warning") for code in _codes(report, text))


def test_denied_applications_are_still_checked() -> None:
    report = _report()
    denied = sum(report.table("s3").get(r, "total").value or 0 for r in ("r_deny_1", "r_deny_2", "r_deny_3"))
    text = f"本年度收到政府信息公开申请30件，其中不予公开{int(denied) + 7}件。"
    assert ("X1", "error") in _codes(report, text)


def test_citizens_legal_persons_and_organisations_are_every_applicant() -> None:
    report = _report()
    total = report.table("s3").get("new", "total").value
    (claim,) = classify_text(report, "s1", f"共收到公民、法人和其他组织政府信息公开申请{total}件，均已按时办结。")
    assert (claim.kind, claim.quantity_id) == ("matched", "new_applications")


def test_the_applicant_is_not_the_application() -> None:
    report = _report(**{"s3.new.total": "1"})  # '未收到该申请人提交的补正' says nothing about the applications
    text = "本年度收到政府信息公开申请1件，已作出补正告知，目前未收到该申请人提交的补正，结转下年度办理。"
    assert not [c for c in classify_text(report, "s1", text) if c.form == "zero"]
    assert ("X1", "error") not in _codes(report, text)


def test_answers_given_after_separating_parts_are_partial_disclosures() -> None:
    report = _report(**{"s3.r_partial.total": "1", "s3.r_total.total": "8"})
    claims = classify_text(report, "s1", "办理政府信息公开申请8件。其中，同意公开3件；区分处理后公开1件，占比12.5%。")
    share = next(c for c in claims if c.text == "12.5%")
    assert share.kind == "matched" and share.quantity_id == "partial"


def test_a_sub_unit_sentence_names_the_sub_unit_and_the_table_figure() -> None:
    report = _report()
    (claim,) = classify_text(report, "s1", "其中，区公安局共收到政府信息公开申请12件。")
    assert claim.kind == "ungrounded" and "区公安局" in claim.evidence and "30" in claim.evidence


@pytest.mark.parametrize("subject", ["本局", "我局", "全局", "某某市生态环境局", "市生态环境局"])
def test_the_reporting_agency_itself_is_no_sub_unit(subject: str) -> None:
    assert _codes(_report(), f"{subject}共收到政府信息公开申请31件。") == [("X1", "error")]


def test_structural_counts_of_the_report_are_not_figures() -> None:
    report = _report()
    report.meta.opening = ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
                           "行政诉讼情况、政府信息公开工作存在的主要问题及改进情况和其他需要报告的事项共六个部分。")
    claims = [c for c in classify_report(report) if c.section == "opening"]
    assert [(c.text, c.kind) for c in claims] == [("六个部分", "exempt")]


def test_the_drafter_recheck_still_catches_a_wrong_named_figure() -> None:
    report = _report()
    # a one-sentence 一 also lacks the sub-headings of a draft (P4), which is not under test here
    wrong = section_findings(report, "s1", "本年度共收到政府信息公开申请31件，办结30件。")
    assert [(f.code, f.severity) for f in wrong if f.code != "P4"] == [("X1", "error")]
    part = section_findings(report, "s1", "其中，区公安局收到政府信息公开申请12件。")
    assert [f.code for f in blocking(part) if f.code != "P4"] == ["X8"]  # a warning still makes the drafter ask again


# ---------------------------------------------------------------- the real corpus: its narrative against its own tables

_HEADS = {"s1": "一、总体情况", "s2": "二、主动公开", "s5": "五、", "s6": "六、其他需要报告的事项"}


def _narrative(path: Path) -> Report:
    """The report's narrative (imported, or cut at its part headings when the file does not import yet)
    with the tables replaced by the hand-typed expected cells: only the grounding is under test."""
    expected = load_expected(path)
    try:
        result = import_file(path)
        assert result.report is not None
        report = result.report
    except ReportReadError:
        report = load_example("example-2021" if expected.format == "gk2021" else "example-2019")
        raw = path.read_text("utf-8").split("正文 ====================", 1)[-1]
        at = {sid: raw.find(head) for sid, head in _HEADS.items()}
        assert all(i >= 0 for i in at.values()), at
        report.meta.opening = raw[: at["s1"]]
        report.sections = {"s1": raw[at["s1"] + len(_HEADS["s1"]) : at["s2"]], "s5": raw[at["s5"] : at["s6"]],
                           "s6": raw[at["s6"] + len(_HEADS["s6"]) :]}
    report.meta.format = expected.format
    report.declared = []
    report.tables = {tid: Table(layout=expected.format) for tid in ("s2", "s3", "s4")}  # type: ignore[misc]
    for (tid, row, col), value in expected.cells.items():
        report.tables[tid].set(row, col, None if value is None else re.sub(r"[,元]", "", str(value)))  # type: ignore[index]
    return report


REAL = [p for p in real_reports() if p.suffix != ".pdf"]


def test_the_real_corpus_is_there_and_its_figures_are_found() -> None:
    assert len(REAL) >= 10
    # the figures the reports state are matched to their cells, not just left ungrounded
    assert sum(c.kind == "matched" for p in REAL for c in classify_report(_narrative(p))) >= 35


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_narrative_against_its_own_tables_has_no_number_error(path: Path) -> None:
    report = _narrative(path)
    assert [(c.text, c.evidence) for c in classify_report(report) if c.kind == "mismatched"] == []
    assert not [f.message for f in check_report(report) if f.code in ("X1", "X2")]
