"""The 起草 and 设置 pages' side of drafting: start a draft and stream it, hold it as a candidate
beside the section (diff, findings of the text on screen, adopt / undo), record who wrote a
section's text, and test the LLM connection. Everything goes through gkassist.drafting's
interface, which names no langchain type (langchain loads only when the LLM drafter runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from gkassist.compare.narrative import STATUS_ZH, SentenceDiff, diff_sentences
from gkassist.control_chars import strip_control_chars
from gkassist.drafting import DrafterName, DraftResult, check_connection, draft_section
from gkassist.drafting.candidate import Attempt, Candidate, SentenceFindings, Undo, adopt, place_findings, undo_adoption
from gkassist.drafting.omissions import unused_declared
from gkassist.drafting.settings import LLMSettings
from gkassist.drafting.types import DeclaredFix, Omission
from gkassist.drafting.validate import section_findings
from gkassist.findings import Finding
from gkassist.model import DeclaredFigure, DraftRecord, Report, SectionId
from gkassist.ui.safe import md_escape

log = logging.getLogger(__name__)

DRAFT_SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
DRAFTER_NAMES = {"template": "内置模板", "llm": "大模型"}


@dataclass
class DraftRun:
    """Wraps drafting.draft_section: iterate for text chunks, then read ``result``."""

    chunks: Iterator[str]
    result: DraftResult | None = None
    error_zh: str | None = None


def start_draft(
    report: Report, section_id: SectionId, drafter: DrafterName, settings: LLMSettings | None = None
) -> DraftRun:
    """``settings``: the session's effective LLM settings (gkassist.ui.llm_session.effective)."""
    run = DraftRun(chunks=iter(()))
    try:
        stream = draft_section(report, section_id, drafter=drafter, settings=settings)
    except Exception as exc:
        run.error_zh = f"无法开始起草：{exc}"
        return run

    def chunks() -> Iterator[str]:
        try:
            yield from stream
        except Exception:  # drafting must never lose user text
            log.exception("drafting stream failed")
            run.error_zh = "起草中断：程序内部错误，已记入日志。已有内容没有被替换。"
            return
        run.result = stream.result

    run.chunks = chunks()
    return run


ShowText = Callable[[str], object]
OpenArea = Callable[[Attempt], ShowText]  # a labelled area for one attempt -> how to show its text


def stream_attempts(chunks: Iterable[str], open_area: OpenArea) -> list[Attempt]:
    """Show a draft as it streams, each model attempt in its own area (第1稿, 第2稿 with the
    findings that asked for it), escaped: a reply is untrusted. Returns the attempts as shown."""
    attempts: list[Attempt] = []
    show: ShowText | None = None
    text = ""
    for chunk in chunks:
        restart = bool(getattr(chunk, "restart", False))
        if show is None or restart:
            if attempts:
                attempts[-1] = replace(attempts[-1], text=text)
            attempts.append(Attempt(len(attempts) + 1, "", tuple(getattr(chunk, "reasons", ()))))
            show, text = open_area(attempts[-1]), ""
        text += chunk
        show(md_escape(text))
    if attempts:
        attempts[-1] = replace(attempts[-1], text=text)
    return attempts


def new_candidate(run: DraftRun, drafter: DrafterName, base: str, attempts: list[Attempt]) -> Candidate | None:
    """The finished run as a candidate (None: nothing usable came back)."""
    result = run.result
    if result is None or not result.text.strip():
        return None
    return Candidate.from_result(result, drafter, describe_provenance(result), base, attempts)


def describe_provenance(result: DraftResult | None) -> str:
    """One Chinese line: which drafter wrote the text, model, prompt, attempts ("" without a draft)."""
    prov = getattr(result, "provenance", None)
    if prov is None:
        return ""
    data = prov.model_dump()
    drafter = str(data.get("drafter", ""))
    parts = [f"起草方式：{DRAFTER_NAMES.get(drafter, drafter)}"]
    labels = {"model": "模型", "prompt_id": "提示词", "prompt_version": "提示词版本", "attempts": "尝试次数",
              "prompt_tokens": "输入令牌", "completion_tokens": "输出令牌"}
    for key, label in labels.items():
        if data.get(key) not in (None, "", 0):
            parts.append(f"{label}：{data[key]}")
    return "；".join(parts)


def record_draft(report: Report, section_id: SectionId, drafter: str, summary: str, text: str) -> None:
    """Put a drafted text into its section and remember which drafter wrote it (control characters
    a model may emit are dropped: Word cannot hold them)."""
    text = strip_control_chars(text)[0]
    report.sections[section_id] = text
    report.drafts[section_id] = DraftRecord(
        drafter="llm" if drafter == "llm" else "template",
        summary=summary or f"起草方式：{DRAFTER_NAMES.get(drafter, drafter)}",
        text=text,
        at=datetime.now().replace(microsecond=0),
    )


def draft_status(report: Report, section_id: SectionId) -> str:
    """One Chinese line on who wrote the section's current text."""
    record = report.drafts.get(section_id)
    text = report.section(section_id)
    if record is None:
        return "本部分文字为人工撰写或从文件导入。" if text.strip() else "本部分尚无文字。"
    when = f"（{record.at:%Y-%m-%d %H:%M}）" if record.at else ""
    if text == record.text:
        return f"{record.summary}{when}。"
    return f"{record.summary}{when}；之后已人工修改。"


def candidate_findings(report: Report, candidate: Candidate) -> list[Finding]:
    """The findings of the candidate's current text (the drafts-only rules included)."""
    return section_findings(report, candidate.section, candidate.text, candidate=True)


def candidate_omissions(report: Report, candidate: Candidate) -> list[Omission]:
    """What the drafter left out (its own reasons) and the declared figures meant for the section
    that the candidate's current text does not state."""
    return [*candidate.omissions, *unused_declared(report, candidate.section, candidate.text)]


def text_findings(findings: list[Finding], text: str) -> tuple[list[SentenceFindings], list[Finding]]:
    """Findings placed on the sentences of the text they were computed from."""
    return place_findings(text, findings)


def candidate_diff(candidate: Candidate) -> list[SentenceDiff]:
    """The candidate against the section's text when it was drafted, sentence by sentence."""
    return diff_sentences(candidate.base, candidate.text)


DIFF_MARKS = {k: "" if k == "unchanged" else f"【{name}】" for k, name in STATUS_ZH.items()}  # 【改动】; none when unchanged


def adopt_candidate(report: Report, candidate: Candidate) -> Undo:
    """The section takes the candidate's text; who wrote it is recorded (edited by staff or not)."""
    summary = candidate.summary or f"起草方式：{DRAFTER_NAMES.get(candidate.drafter, candidate.drafter)}"
    if candidate.edited:
        summary += "（候选稿经人工修改后采用）"
    text = strip_control_chars(candidate.text)[0]
    candidate.text = text
    record = DraftRecord(
        drafter=candidate.drafter, summary=summary, text=text, at=datetime.now().replace(microsecond=0)
    )
    return adopt(report, candidate, record)


def undo_candidate(report: Report, undo: Undo) -> None:
    """撤销采用: the section's text and its drafter record as they were before adopting."""
    undo_adoption(report, undo)


def add_declared(report: Report, fix: DeclaredFix) -> str | None:
    """The one-click fix of an omission: add the declared figure; a Chinese problem, or None."""
    if any(d.label == fix.label for d in report.declared):
        return f"申报数字中已有“{fix.label}”，请到“工作亮点”页核对其数值。"
    try:
        value = Decimal(fix.value)
    except InvalidOperation:
        return f"“{fix.value}”不是数字，未登记；请到“工作亮点”页手工登记。"
    report.declared.append(DeclaredFigure(label=fix.label, value=value, unit=fix.unit))
    return None


def test_llm_connection(settings: LLMSettings | None) -> tuple[bool, str]:
    """Send one tiny request down the drafting path; (ok, Chinese message). ``settings`` are the
    session's effective settings (gkassist.ui.llm_session.effective)."""
    if settings is None:
        return False, "尚未配置大模型：请填写接口地址和模型名称（本地模型如 Ollama 可不填密钥），再测试连接。"
    return check_connection(settings)
