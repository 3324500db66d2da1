"""The candidate beside the text (gkassist.drafting.candidate): adoptable or not and why, adopt and
undo, findings placed once on the sentence they concern; omissions of the template drafter."""

from __future__ import annotations

from gkassist.drafting.candidate import Candidate, adopt, adoption_blocker, place_findings, undo_adoption
from gkassist.drafting.omissions import left_out
from gkassist.examples import load_example
from gkassist.findings import Finding, Location
from gkassist.model import DraftRecord, Report
from gkassist.ui import forms

TEXT = "（一）主动公开\n第一句写得好。第二句有错。\n第三句。"


def a_report() -> Report:
    return forms.report_from_example(load_example("example-2021"), "测试局", 2024)


def finding(code: str, severity: str, start: int | None, message: str = "问题") -> Finding:
    loc = Location(section="s1", start=start, end=None if start is None else start + 2)
    return Finding(code=code, severity=severity, message=message, location=loc)  # type: ignore[arg-type]


def test_findings_sit_once_on_their_sentence() -> None:
    second = TEXT.index("第二句")
    findings = [finding("N2", "error", second + 1), finding("N2", "error", second + 1), finding("P4", "error", None)]
    by_sentence, whole = place_findings(TEXT, findings)
    assert [(s.sentence, [f.code for f in s.findings]) for s in by_sentence] == [("第二句有错。", ["N2"])]
    assert [f.code for f in whole] == ["P4"]


def test_a_model_candidate_with_errors_is_not_adoptable_a_template_one_with_warnings_is() -> None:
    model = Candidate(section="s1", drafter="llm", summary="", base="", text=TEXT)
    reason = adoption_blocker(model, [finding("N2", "error", 0)])
    assert reason and "不能直接采用" in reason and "内置模板" in reason
    assert adoption_blocker(model, [finding("X8", "warning", 0)]) is None
    template = Candidate(section="s1", drafter="template", summary="", base="", text=TEXT)
    assert adoption_blocker(template, [finding("X8", "warning", 0)]) is None
    assert adoption_blocker(Candidate(section="s1", drafter="template", summary="", base="", text=" "), []) == (
        "候选稿没有文字，不能采用。"
    )


def test_adopt_then_undo_restores_text_and_record() -> None:
    report = a_report()
    report.sections["s1"] = "原来的文字。"
    report.drafts.pop("s1", None)
    cand = Candidate(section="s1", drafter="template", summary="起草方式：内置模板", base="原来的文字。", text=TEXT)
    undo = adopt(report, cand, DraftRecord(drafter="template", summary="起草方式：内置模板", text=TEXT))
    assert report.section("s1") == TEXT and report.drafts["s1"].text == TEXT
    undo_adoption(report, undo)
    assert report.section("s1") == "原来的文字。" and "s1" not in report.drafts


def test_an_ungrounded_number_omission_names_the_figure_to_declare() -> None:
    text = "（一）主动公开\n组织政务公开业务培训2次。"
    start = text.index("组织")
    number = text.index("2次")
    f = Finding(code="X8", severity="warning", message="无依据", location=Location(section="s1", start=number, end=number + 2))
    omission = left_out("工作亮点“主动公开”", "组织政务公开业务培训2次。", text, start, [f])
    assert "含有未申报的数字“2次”，未写入" in omission.reason_zh
    assert omission.fix is not None and (omission.fix.label, omission.fix.value, omission.fix.unit) == ("业务培训次数", "2", "次")
    other = left_out("工作亮点“主动公开”", "某句。", text, start, [finding("X1", "error", number)])
    assert other.fix is None and "X1" in other.reason_zh and "未写入" in other.reason_zh
