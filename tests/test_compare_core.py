"""对照上年: table deltas, cross-year identities (A6/C2/D3) across the format change, narrative diff, 雷同, problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gkassist.checks import check_report
from gkassist.cli import main
from gkassist.compare import compare_reports, comparison_json, comparison_text
from gkassist.compare.narrative import diff_sentences
from gkassist.examples import load_example
from gkassist.last_year.problems import extract_problems, problem_status
from gkassist.last_year.similarity import normalise, similarity_share
from gkassist.model import Report


def pair(base: str = "example-2021") -> tuple[Report, Report]:
    this = load_example(base)
    last = load_example(base)
    last.meta.year = this.meta.year - 1
    return last, this


def codes(report: Report) -> set[str]:
    return {f.code for f in check_report(report)}


# ---------------------------------------------------------------- tables


def test_every_cell_side_by_side_with_change_and_highlights() -> None:
    last, this = pair()
    last.table("s3").set("new", "total", "24")
    last.table("s3").set("new", "natural", "14")
    last.table("s2").set("licensing", "decisions", "1000")
    cmp = compare_reports(last, this)
    s3 = next(t for t in cmp.tables if t.table == "s3")
    cell = next(c for c in s3.changes() if c.row_id == "new" and c.col_id == "total")
    assert (cell.last.raw, cell.this.raw, cell.delta) == ("24", "30", 6)
    assert cell.change_zh() == "+6（+25%）"
    moved = [c for t in cmp.tables for c in t.changes() if c.highlight]
    assert {(c.row_id, c.col_id) for c in moved} == {("new", "total"), ("new", "natural"), ("licensing", "decisions")}
    assert next(c for c in moved if c.row_id == "licensing").delta == 260
    # every cell of this year's layout is present
    assert len(s3.changes()) == len(this.layout_of("s3").cell_ids())


def test_format_change_maps_rows_by_id_and_a6_applies_without_false_errors() -> None:
    last = load_example("example-2019")  # 2020, 2019 format
    this = load_example("example-2021")
    this.meta.year = 2021
    cmp = compare_reports(last, this)
    assert cmp.format_changed and any("格式不同" in n for n in cmp.notes())
    s2 = next(t for t in cmp.tables if t.table == "s2")
    presence = {r.row_id: r.presence for r in s2.rows}
    assert presence["normative"] == "both" and presence["central_procurement"] == "last" and presence["fees"] == "both"
    s3 = next(t for t in cmp.tables if t.table == "s3")
    presence3 = {r.row_id: r.presence for r in s3.rows}
    assert presence3["r_other"] == "last" and presence3["r_other_1"] == "this" and presence3["carried_in"] == "both"
    status = {i.code: i for i in cmp.identities}
    assert status["A6"].applies and not status["A6"].findings
    assert not status["C2"].applies and not status["D3"].applies
    assert not [f for f in cmp.findings if f.code in ("A6", "C2", "D3")]


def test_a6_across_the_format_change_catches_a_wrong_carry() -> None:
    last = load_example("example-2019")
    this = load_example("example-2021")
    this.meta.year = 2021
    last.table("s3").set("carried_out", "natural", "5")
    last.table("s3").set("carried_out", "total", "6")
    cmp = compare_reports(last, this)
    a6 = [f for f in cmp.findings if f.code == "A6"]
    assert {f.location.column for f in a6} == {"natural", "total"}
    assert all(f.severity == "error" for f in a6)
    assert "上年报告四、结转下年度继续办理（5）" in a6[0].message


def test_c2_and_d3_via_the_report_check() -> None:
    last, this = pair("example-2019")
    this.last_year = last
    assert "D3" in codes(this)  # licensing 120 + 5 ≠ 120
    last.table("s2").set("licensing", "delta", "0")
    last.table("s2").set("penalty", "delta", "0")
    assert "D3" not in codes(this)
    last21, this21 = pair()
    this21.last_year = last21
    assert "C2" in codes(this21)
    last21.table("s2").set("normative", "in_force", "45")
    assert "C2" not in codes(this21)


def test_d3_not_for_a_2021_format_report_after_2020() -> None:
    last = load_example("example-2019")
    this = load_example("example-2021")
    this.meta.year = 2021
    this.last_year = last
    assert not {"D3", "C2", "A6"} & codes(this)


# ---------------------------------------------------------------- narrative


def test_normalise_masks_digits_and_drops_punctuation() -> None:
    assert normalise("收到申请 30 件，同比增长12.5%。") == "收到申请#件同比增长#"


def test_similarity_share_counts_copied_text_with_new_numbers() -> None:
    old = "本年度共收到政府信息公开申请24件，全部按期答复。我局持续优化政务公开专栏。"
    assert similarity_share(old, old.replace("24", "30")) == 1.0
    fresh = "今年我们围绕营商环境专题，新建了企业服务专区，集中发布惠企政策解读。"
    assert similarity_share(old, fresh) < 0.2
    assert similarity_share(old, "") == 0.0


def test_sentence_diff_marks_unchanged_changed_new_dropped() -> None:
    old = "我局高度重视政务公开工作。本年度共收到申请24件。上年的一句话将被删去不再保留。"
    new = "我局高度重视政务公开工作。本年度共收到申请30件。新建了企业服务专区和惠企政策库。"
    statuses = [(d.status, d.text) for d in diff_sentences(old, new)]
    assert ("unchanged", "我局高度重视政务公开工作。") in statuses
    assert ("changed", "本年度共收到申请30件。") in statuses
    assert ("new", "新建了企业服务专区和惠企政策库。") in statuses
    assert ("dropped", "上年的一句话将被删去不再保留。") in statuses
    changed = next(d for d in diff_sentences(old, new) if d.status == "changed")
    assert changed.previous == "本年度共收到申请24件。"


def test_x6_copied_section_warns_and_rewritten_does_not() -> None:
    last, this = pair()
    this.last_year = last
    x6 = [f for f in check_report(this) if f.code == "X6"]
    assert {f.location.section for f in x6} == {"s1", "s5"}
    assert all(f.severity == "warning" and "100%" in f.message for f in x6)
    cmp = compare_reports(last, this)
    s1 = next(s for s in cmp.sections if s.section == "s1")
    assert s1.over_threshold and s1.counts()["unchanged"] == len(s1.sentences)


def test_x6_short_sections_are_not_judged() -> None:
    last, this = pair("example-2019")  # s5 and s6 are short
    this.sections["s1"] = "2020年，本局完成了新的工作。"
    this.last_year = last
    assert "X6" not in codes(this)


# ---------------------------------------------------------------- 五: last year's problems


def test_problems_extracted_from_the_problem_part_only() -> None:
    text = load_example("example-2021").section("s5")
    assert extract_problems(text) == ["主动公开内容的深度还不够", "依申请公开答复的规范性有待提高"]
    assert extract_problems("一是公开内容不够全面；二是更新不够及时。下一步将加强培训和督查。") == [
        "公开内容不够全面", "更新不够及时"]
    assert extract_problems("无。") == []


def test_problem_status_beside_this_year_text() -> None:
    problems = ["主动公开内容的深度还不够", "依申请公开答复的规范性有待提高"]
    text = "（一）上年问题整改情况\n针对主动公开内容深度不够的问题，开设解读专栏。\n（二）存在的主要问题\n一是依申请公开答复的规范性有待提高。"
    status = problem_status(problems, text)
    assert [s.addressed for s in status] == [True, False]  # restating it as this year's problem is not addressing it
    assert "解读专栏" in status[0].evidence


def test_x9_warns_when_no_problem_of_last_year_is_addressed() -> None:
    last, this = pair()
    this.last_year = last
    assert "X9" in codes(this)
    this.sections["s5"] = "（一）上年问题整改情况\n针对上年报告指出的主动公开内容深度不够的问题，推出专题解读。"
    assert "X9" not in codes(this)
    last.sections["s5"] = "无。"
    this.sections["s5"] = "本年度无。"
    assert "X9" not in codes(this)


# ---------------------------------------------------------------- X2/X1 on year-on-year claims (X3)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("本年度共收到政府信息公开申请30件，同比增长20%。", "X2"),
        ("本年度共收到政府信息公开申请30件，较上年下降10%。", "X2"),
        ("本年度共收到政府信息公开申请30件，较去年减少6件。", "X1"),
        ("本年度共收到政府信息公开申请30件，同比增长25%。", None),
        ("本年度共收到政府信息公开申请30件，较去年增加6件。", None),
    ],
)
def test_change_claims_checked_against_last_year(sentence: str, code: str | None) -> None:
    last, this = pair()
    last.table("s3").set("new", "total", "24")
    this.sections["s1"] = sentence
    cmp = compare_reports(last, this)
    found = {f.code for f in cmp.findings if f.code in ("X1", "X2")}
    assert found == ({code} if code else set())
    assert [c.kind for c in cmp.change_claims] == (["mismatched"] if code else ["matched"])


# ---------------------------------------------------------------- output and CLI


def test_json_and_text_output() -> None:
    last, this = pair()
    last.table("s3").set("new", "total", "24")
    cmp = compare_reports(last, this)
    data = json.loads(json.dumps(comparison_json(cmp), ensure_ascii=False))
    assert data["most_moved"][0]["delta"] == "6"
    assert {i["code"] for i in data["identities"]} == {"A6", "C2", "C3", "D3"}  # every identity with a last: term
    assert data["sections"][0]["similarity"] == 1.0
    text = comparison_text(cmp)
    assert "变化+6（+25%）" in text and "雷同比例100%" in text and "D3" in text


def test_cli_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last, this = pair()
    last.table("s3").set("carried_out", "natural", "9")
    (tmp_path / "last.json").write_text(last.model_dump_json(), encoding="utf-8")
    (tmp_path / "this.json").write_text(this.model_dump_json(), encoding="utf-8")
    assert main(["compare", str(tmp_path / "last.json"), str(tmp_path / "this.json")]) == 1  # A6 error
    out = capsys.readouterr().out
    assert "A6" in out and "对照结果：错误" in out
    assert main(["compare", str(tmp_path / "last.json"), str(tmp_path / "this.json"), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert any(f["code"] == "A6" for f in payload["findings"])
    assert main(["compare", str(tmp_path / "missing.json"), str(tmp_path / "this.json")]) == 2


def test_cli_compare_seed_text_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).parent
    code = main(["compare", str(root / "fixtures/html/zoom-2022.html"), str(root / "fixtures/html/trs-2021-utf8.html")])
    assert code in (0, 1)
    assert "对照上年" in capsys.readouterr().out


def test_general_rectification_statement_is_shown_and_still_warned() -> None:
    """A general "问题已整改" names none of last year's problems: X9 warns, the page shows the sentence."""
    last, this = pair()
    this.sections["s5"] = "（一）上年度问题整改情况\n对照2023年度报告查找的问题，本机关逐项明确整改措施，整改工作按计划推进。"
    cmp = compare_reports(last, this)
    assert not any(p.addressed for p in cmp.last_problems)
    assert "逐项明确整改措施" in cmp.general_statement
    assert "X9" in {f.code for f in cmp.findings}
    assert "笼统的整改表述" in comparison_text(cmp)


def _reference_normalise(text: str) -> str:
    """The definition: NFKC on the raw text, digit runs to one marker, letters and CJK only."""
    import re
    import unicodedata

    folded = re.sub(r"\d+(?:\.\d+)?", "#", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in folded if ch == "#" or ch.isalnum())


def test_normalise_equals_its_definition_on_report_text() -> None:
    text = (Path(__file__).parent / "golden" / "seed-2024-changjiang-gxj.md").read_text(encoding="utf-8")
    samples = [text, "全角：ＡＢＣ１２３，（一）　第１.５条", "①②㈠㈡℃", "A\u0301，ｅ\u0301", ""]
    for sample in samples:
        assert normalise(sample) == _reference_normalise(sample)


def test_normalise_equals_its_definition_on_random_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(
        [chr(c) for c in (*range(0x20, 0x250), *range(0x300, 0x370), *range(0x3000, 0x3040),
                          *range(0x4E00, 0x4E40), *range(0xFF00, 0xFFEF), *range(0x2460, 0x24FF),
                          *range(0x3200, 0x3260))]
    )

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=80))
    def check(text: str) -> None:
        assert normalise(text) == _reference_normalise(text)

    check()


def test_similarity_of_last_years_text_is_not_stale_when_it_changes() -> None:
    old = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
    assert similarity_share(old, old) == 1.0
    assert similarity_share(old + "新增", old) == 1.0
    assert similarity_share("完全不同的一段上年文字内容用于比较", old) == 0.0
