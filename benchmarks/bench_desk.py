"""The drafting desk (起草): server time of adopting a candidate, and of the findings refresh after
the clerk edits a candidate, for a 1,000-character section.

What is timed is every gkassist call the 起草 page makes on that rerun, in the page's order
(gkassist/ui/pages/drafting.py), including the autosave of a new version into a SQLite store;
Streamlit's own rendering is not included. The page script is thin (it reads widgets and renders
what these calls return), so these calls are the server's work. The library floor beside each:
one run of the checks on the report (check_report), which every refresh needs at least once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.timing import median_ms
from gkassist.access import Actor
from gkassist.checks import check_report
from gkassist.drafting import draft_section
from gkassist.drafting.candidate import Candidate, adoption_blocker
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import drafting_glue, findings_view, forms
from gkassist.ui.number_marks import number_marks

Result = tuple[str, float, str, str]
SECTION = "s1"
CHARS = 1000
RUNS = 30
# a clerk's addition that keeps the text plausible (no figures the tables would contradict)
FILLER = "本机关坚持以公开为常态、不公开为例外，持续完善政府信息公开工作机制，加强政策解读和回应关切。"


def desk_report() -> tuple[Report, str]:
    """The bundled example for 2024, and a 1,000-character 一、总体情况 candidate (the template's
    draft, lengthened with plain sentences)."""
    report = forms.report_from_example(load_example("example-2021"), "基准测试局", 2024)
    text = draft_section(report, SECTION, "template").result.text
    while len(text) < CHARS:
        text += "\n" + FILLER
    return report, text[:CHARS]


def _section_view(report: Report) -> None:
    """What the page computes for the section's own text under the candidate (every rerun)."""
    drafting_glue.draft_status(report, SECTION)
    number_marks(report, SECTION)
    text = report.section(SECTION)
    drafting_glue.text_findings(findings_view.findings_for_section(findings_view.current_findings(report), SECTION), text)


def _candidate_view(report: Report, candidate: Candidate) -> None:
    """What the page computes for the candidate shown beside the text."""
    drafting_glue.candidate_diff(candidate)
    findings = drafting_glue.candidate_findings(report, candidate)
    drafting_glue.text_findings(findings, candidate.text)
    drafting_glue.candidate_omissions(report, candidate)
    adoption_blocker(candidate, findings)


def run() -> list[Result]:
    report, text = desk_report()
    with tempfile.TemporaryDirectory() as tmp:
        store = ReportStore(f"sqlite:///{Path(tmp) / 'bench.db'}")
        rid, version = store.create(report, actor=Actor.single_user("基准"))
        versions = [version]

        def candidate(edited: str) -> Candidate:
            return Candidate(SECTION, "template", "起草方式：内置模板", report.section(SECTION), edited)

        def adopt_rerun() -> None:
            # 采用: the section takes the candidate, a new version is saved, the page reruns
            # showing the section (the candidate is gone from the page)
            undo = drafting_glue.adopt_candidate(report, candidate(text))
            versions.append(store.save(rid, report, versions[-1], actor=Actor.single_user("基准"), note="采用一、总体情况候选稿"))
            _section_view(report)
            drafting_glue.undo_candidate(report, undo)  # the next run adopts again from the same state

        edits = iter(range(10**9))

        def edit_rerun() -> None:
            # the clerk changes one sentence of the candidate: its findings, diff, omissions and
            # blocker are recomputed, and the section below is shown again
            n = next(edits)
            cand = candidate(text)
            cand.text = text[:-20] + f"第{n % 7 + 1}句修改。" + text[-12:]
            cand.edited = True
            _candidate_view(report, cand)
            _section_view(report)

        adopt_ms = median_ms(adopt_rerun, RUNS)
        edit_ms = median_ms(edit_rerun, RUNS)
        report.sections[SECTION] = text
        floor_ms = median_ms(lambda: check_report(report), RUNS)
    length = f"{CHARS:,}字"
    return [
        (f"起草页：采用候选稿后的服务端耗时（{length}，含保存新版本与重算本部分问题，中位数）", adopt_ms, "ms", "≤ 50 ms"),
        (f"起草页：修改候选稿后重算问题的服务端耗时（{length}，候选稿与正文各一遍，中位数）", edit_ms, "ms", "≤ 50 ms"),
        ("  参照：全部检查运行一遍（check_report，库的下限）", floor_ms, "ms", "参考"),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
