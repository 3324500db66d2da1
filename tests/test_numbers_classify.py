"""Classification of narrative numbers: data-driven phrase families, mutation tests, the listing, the rules."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist.checks import check_report
from gkassist.examples import load_example
from gkassist.grounding import NumberClaim, classify_report, format_number_report
from gkassist.grounding.classify import classify_text, describe_cell
from gkassist.grounding.vocabulary import Vocabulary, load_vocabulary, load_vocabulary_model
from gkassist.model import DeclaredFigure, Report

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "cases" / "numbers.yaml").read_text("utf-8"))[
    "cases"
]
NUMBER_CODES = {"X1", "X2", "X8"}


def _set_cells(report: Report, cells: dict[str, str]) -> None:
    for address, raw in cells.items():
        table, row, col = address.split(".")
        report.table(table).set(row, col, raw)  # type: ignore[arg-type]


def build(case: dict[str, Any], sentence: str, *, failing: bool = False) -> Report:
    report = load_example(case.get("base", "example-2021"))
    _set_cells(report, case.get("cells", {}))
    if failing:
        _set_cells(report, case.get("fail_cells", {}))
    report.declared.extend(DeclaredFigure.model_validate(d) for d in case.get("declared", []))
    if "last_year_cells" in case:
        last = load_example(case.get("base", "example-2021"))
        last.meta.year -= 1
        _set_cells(last, case["last_year_cells"])
        report.last_year = last
    report.sections["s1"] = sentence
    return report


def s1_claims(report: Report) -> list[NumberClaim]:
    return [c for c in classify_report(report) if c.section == "s1"]


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(case, sentence, id=f"{case['id']}-{kind}-{i}")
        for case in CASES
        for i, sentence in enumerate(case.get(kind, []))
    ]


@pytest.mark.parametrize(("case", "sentence"), _params("pass"))
def test_passing_sentence(case: dict[str, Any], sentence: str) -> None:
    report = build(case, sentence)
    claims = s1_claims(report)
    bad = [(c.text, c.kind, c.evidence) for c in claims if c.kind in ("mismatched", "ungrounded")]
    assert not bad, bad
    if case.get("quantity"):
        assert any(c.quantity_id == case["quantity"] and c.kind in ("matched", "declared") for c in claims), [
            (c.text, c.kind, c.quantity_id) for c in claims
        ]
    assert not [f.message for f in check_report(report) if f.code in NUMBER_CODES and f.location.section == "s1"]


@pytest.mark.parametrize(("case", "sentence"), _params("fail"))
def test_failing_sentence(case: dict[str, Any], sentence: str) -> None:
    report = build(case, sentence, failing=True)
    wrong = [c for c in s1_claims(report) if c.kind == "mismatched"]
    assert wrong, [(c.text, c.kind, c.quantity_id, c.evidence) for c in s1_claims(report)]
    if case.get("quantity") and case["id"] not in ("info-fee", "declared"):
        assert any(c.quantity_id == case["quantity"] for c in wrong), [(c.text, c.quantity_id) for c in wrong]
    code = case.get("code", "X1")
    findings = [f for f in check_report(report) if f.code == code and f.location.section == "s1"]
    spans = {(f.location.start, f.location.end) for f in findings}
    assert any((c.start, c.end) in spans for c in wrong), (spans, [(c.start, c.end) for c in wrong])
    for f in findings:
        assert f.severity == "error" and sentence[:6].strip("，。") in f.message


@pytest.mark.parametrize(("case", "sentence"), _params("sentences"))
def test_every_number_has_the_class(case: dict[str, Any], sentence: str) -> None:
    claims = s1_claims(build(case, sentence))
    if case["all"] == "none":
        assert claims == [], [(c.text, c.kind) for c in claims]
    else:
        assert claims and all(c.kind == case["all"] for c in claims), [(c.text, c.kind, c.evidence) for c in claims]


def test_every_phrase_family_has_both_kinds_of_case() -> None:
    for case in CASES:
        assert ("pass" in case and "fail" in case) or "sentences" in case, case["id"]


# ---------------------------------------------------------------- the bundled examples


@pytest.mark.parametrize("name", ["example-2021", "example-2019"])
def test_examples_have_no_unsupported_number(name: str) -> None:
    claims = classify_report(load_example(name))
    assert claims
    assert [c for c in claims if c.kind in ("mismatched", "ungrounded")] == []


def test_example_2021_numbers_are_matched_to_their_cells() -> None:
    claims = {(c.text, c.quantity_id): c for c in classify_report(load_example("example-2021")) if c.kind == "matched"}
    handled = claims[("30件", "handled")]
    assert handled.cells == ["表三“（七）总计”行“总计”列"] and handled.cell_ids == ["s3.r_total.total"]
    litigation = claims[("3件", "litigation_total")]
    assert litigation.cell_ids == ["s4.cases.direct_total", "s4.cases.after_total"]
    assert litigation.expected == 3
    denied = claims[("2件", "denied")]
    assert len(denied.cell_ids) == 8 and "（三）不予公开" in denied.evidence


def _matched_or_declared(report: Report) -> list[NumberClaim]:
    return [c for c in classify_report(report) if c.kind in ("matched", "declared") and c.form == "count"]


BASE = load_example("example-2021")
TEXT_MUTATIONS = [pytest.param(c, id=f"{c.section}-{c.start}-{c.text}") for c in _matched_or_declared(BASE)]


@pytest.mark.parametrize("claim", TEXT_MUTATIONS)
def test_number_plus_one_is_an_error_at_its_span(claim: NumberClaim) -> None:
    """Mutation: a matched (or declared) number of the consistent example, changed by +1, is an X1 error there."""
    assert claim.value is not None
    report = BASE.model_copy(deep=True)
    text = report.sections[claim.section]  # type: ignore[index]
    digits = claim.text.rstrip("件条篇次个项份元万")
    assert digits.isdigit(), claim.text
    report.sections[claim.section] = text[: claim.start] + str(int(digits) + 1) + text[claim.start + len(digits):]  # type: ignore[index]
    errors = [f for f in check_report(report) if f.code == "X1" and f.severity == "error"]
    assert any(f.location.section == claim.section and f.location.start == claim.start for f in errors), [
        (f.location.start, f.message) for f in errors
    ]


CELL_MUTATIONS = [
    pytest.param(c, cell_id, id=f"{c.start}-{c.text}-{cell_id}")
    for c in classify_report(BASE)
    if c.kind == "matched"
    for cell_id in c.cell_ids
]


@pytest.mark.parametrize(("claim", "cell_id"), CELL_MUTATIONS)
def test_changed_cell_is_an_error_at_the_sentence_citing_it(claim: NumberClaim, cell_id: str) -> None:
    report = BASE.model_copy(deep=True)
    table, row, col = cell_id.split(".")
    cell = report.table(table).get(row, col)  # type: ignore[arg-type]
    assert cell.value is not None
    report.table(table).set(row, col, str(cell.value + 1))  # type: ignore[arg-type]
    errors = [f for f in check_report(report) if f.code in ("X1", "X2")]
    assert any(
        f.location.section == claim.section and f.location.start is not None
        and f.location.start <= claim.start and claim.end <= (f.location.end or 0)
        for f in errors
    ), [(f.location.start, f.message) for f in errors]


def test_mutation_covers_the_example_narrative() -> None:
    assert len(TEXT_MUTATIONS) >= 20  # every matched or declared number of example-2021
    assert len({p.values[1] for p in CELL_MUTATIONS}) >= 20  # distinct cells cited by its sentences


# ---------------------------------------------------------------- blanks, missing tables, other texts


def test_blank_cells_make_the_number_ungrounded_never_an_error() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "total", None)
    report.sections["s1"] = "本年度共收到政府信息公开申请31件。"
    (claim,) = s1_claims(report)
    assert claim.kind == "ungrounded" and "空白" in claim.evidence and claim.quantity_id == "new_applications"
    del report.tables["s4"]
    report.sections["s1"] = "因政府信息公开被申请行政复议9件。"
    (claim,) = s1_claims(report)
    assert claim.kind == "ungrounded" and "表四未填写" in claim.evidence


def test_zero_in_words_with_blank_table_is_not_a_claim() -> None:
    report = load_example("example-2021")
    del report.tables["s4"]
    report.sections["s1"] = "本年度未发生因政府信息公开引起的行政复议和行政诉讼。"
    assert s1_claims(report) == []


def test_opening_paragraph_is_checked() -> None:
    report = load_example("example-2021")
    report.meta.opening = "本机关2024年共收到政府信息公开申请31件。联系电话：010-12345678。"
    claims = [c for c in classify_report(report) if c.section == "opening"]
    assert [(c.text, c.kind) for c in claims] == [("2024", "exempt"), ("31件", "mismatched"), ("联系电话：010-12345678", "exempt")]
    (finding,) = [f for f in check_report(report) if f.code == "X1"]
    assert finding.location.section == "opening" and finding.location.start == claims[1].start


def test_declared_figure_more_specific_than_the_phrase_wins() -> None:
    report = load_example("example-2021")
    report.declared.append(DeclaredFigure(label="规范性文件解读", value=Decimal(7), unit="篇"))
    report.sections["s1"] = "发布规范性文件解读7篇。"
    (claim,) = s1_claims(report)
    assert claim.kind == "declared" and claim.quantity == "规范性文件解读"


def test_declared_figure_mismatch_needs_its_label_right_before_the_number() -> None:
    report = load_example("example-2021")  # declares 政策解读 18篇 and 政府信息公开培训 4次
    kinds = {c.text: c.kind for c in classify_text(report, "s1", "组织政府信息公开培训5次，全年组织业务培训2次。")}
    assert kinds == {"5次": "mismatched", "2次": "ungrounded"}
    # a breakdown after 其中 is a part of the declared figure, not the figure itself
    kinds = {c.text: c.kind for c in classify_text(report, "s1", "发布政策解读18篇，其中图解政策解读5篇。")}
    assert kinds == {"18篇": "declared", "5篇": "ungrounded"}


def test_breakdown_of_a_table_figure_is_not_compared_with_the_whole() -> None:
    report = load_example("example-2021")
    text = "本年度共收到政府信息公开申请30件，其中通过网络平台收到申请20件，信函收到申请10件。"
    kinds = [(c.text, c.kind) for c in classify_text(report, "s1", text)]
    assert kinds == [("30件", "matched"), ("20件", "ungrounded"), ("10件", "ungrounded")]


def test_classify_text_checks_a_draft_without_storing_it() -> None:
    report = load_example("example-2021")
    claims = classify_text(report, "s1", "本年度共收到政府信息公开申请500件。")
    assert [(c.text, c.kind, c.expected) for c in claims] == [("500件", "mismatched", Decimal(30))]
    assert report.sections["s1"] != "本年度共收到政府信息公开申请500件。"


def test_error_message_quotes_sentence_number_table_value_and_cells() -> None:
    report = load_example("example-2021")
    report.sections["s1"] = "本年度共收到政府信息公开申请31件，上年结转3件。"
    (finding,) = [f for f in check_report(report) if f.code == "X1"]
    message = finding.message
    for part in ("本年度共收到政府信息公开申请31件", "“31件”", "30", "表三“一、本年新收政府信息公开申请数量”行“总计”列"):
        assert part in message
    assert "请" in message  # advice follows
    assert finding.values["expected"] == "30件" and finding.values["written"] == "31件"


def test_ungrounded_is_a_warning_that_can_be_acknowledged() -> None:
    report = load_example("example-2021")
    report.sections["s5"] = "全年在门户网站发布各类信息520条。"
    (finding,) = [f for f in check_report(report) if f.code == "X8"]
    assert finding.severity == "warning" and "520条" in finding.message and "申报" in finding.message


# ---------------------------------------------------------------- listing and JSON


def test_claims_are_json_able() -> None:
    claims = classify_report(load_example("example-2021"))
    data = json.loads(json.dumps([c.model_dump(mode="json") for c in claims], ensure_ascii=False))
    assert data[0]["kind"] in {"matched", "mismatched", "declared", "exempt", "ungrounded"}
    assert {"section", "start", "end", "text", "value", "unit", "kind", "quantity", "expected", "cells", "evidence"} <= set(
        data[0]
    )


def test_number_listing_has_one_line_per_number_in_chinese() -> None:
    report = load_example("example-2021")
    claims = classify_report(report)
    listing = format_number_report(report)
    lines = listing.splitlines()
    assert len(lines) == len(claims) + 1 and lines[-1].startswith("合计")
    assert any(line.startswith("一、总体情况\t第222–224字\t“30件”\t一致\t") for line in lines)
    assert any("\t豁免\t" in line and "二十大" in line for line in lines)
    assert any("\t已申报\t" in line for line in lines)
    report.sections = {"s1": "", "s5": "", "s6": ""}
    assert format_number_report(report) == "叙述中没有数字。"


def test_describe_cell_names_table_row_and_column() -> None:
    assert describe_cell("gk2021", ("s3", "r_total", "total")) == "表三“（七）总计”行“总计”列"
    assert describe_cell("gk2021", ("s3", "r_partial", "total")) == "表三“（二）部分公开”行“总计”列"
    assert describe_cell("gk2021", ("s3", "r_deny_4", "total")) == "表三“（三）不予公开4.保护第三方合法权益”行“总计”列"
    assert describe_cell("gk2019", ("s2", "normative", "new_made")) == "表二“规范性文件”行“本年新制作数量”列"
    assert describe_cell("gk2021", ("s4", "cases", "after_total")) == "表四“行政诉讼·复议后起诉·总计”列"


# ---------------------------------------------------------------- the vocabulary file


def test_vocabulary_loads_and_every_quantity_resolves_in_some_layout() -> None:
    vocab = load_vocabulary()
    for q in vocab.quantities.values():
        assert q.cells or q.declared, q.id
    assert vocab.quantities["denied"].cells["gk2021"][0] == ("s3", "r_deny_1", "total")
    assert len(vocab.quantities["other_processing"].cells["gk2019"]) == 1  # 2019: one （六）其他处理 row


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cells": ["s3.no_such_row.total"]}, "unknown row"),
        ({"cells": ["s3.new.no_such_col"]}, "unknown column"),
        ({"cells": ["s9.new.total"]}, "unknown table"),
        ({"cells": ["s3.@no_such_tag.total"]}, "has tag"),
        ({"share_of": "nothing"}, "unknown quantity"),
        ({"colour": "red"}, "Extra inputs"),
    ],
)
def test_vocabulary_rejects_unknown_ids_and_keys(change: dict[str, Any], message: str) -> None:
    data = load_vocabulary_model().model_dump(mode="json")
    data["quantities"][0].update(change)
    with pytest.raises(ValueError, match=message):
        Vocabulary.model_validate(data)


def test_vocabulary_rejects_a_regex_that_does_not_compile() -> None:
    data = load_vocabulary_model().model_dump(mode="json")
    data["exempt"].append({"reason": "坏", "pattern": "(unclosed"})
    with pytest.raises(ValueError, match="does not compile"):
        Vocabulary.model_validate(data)


# ---------------------------------------------------------------- robustness

_ALPHABET = "0123456789０１２３一二三四五六七八九十百千万两零年月日第条件篇个项次元%％.,，。；：、（）()《》\n收到申请予以公开部分不予无法提供处理结转上年行政复议诉讼维持未无占比同比增长规范性文件规章电话邮编号路"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_any_text_is_classified_without_error_and_spans_are_exact(text: str) -> None:
    report = load_example("example-2021")
    for claim in classify_text(report, "s1", text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert claim.kind in ("matched", "mismatched", "declared", "exempt", "ungrounded")
