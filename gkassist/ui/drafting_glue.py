"""The 起草 and 设置 pages' side of drafting: start a draft and stream it, record who wrote a
section's text, and test the LLM connection. Everything goes through gkassist.drafting's
interface, which names no langchain type (langchain loads only when the LLM drafter runs).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from gkassist.control_chars import strip_control_chars
from gkassist.drafting import DrafterName, DraftResult, check_connection, draft_section
from gkassist.drafting.settings import LLMSettings
from gkassist.model import DraftRecord, Report, SectionId

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


def needs_replace_confirmation(current_text: str, last_generated: str | None) -> bool:
    """Regenerating must ask first when staff edited (or wrote) the text since the last draft."""
    return bool(current_text.strip()) and current_text != (last_generated or "")


def test_llm_connection(settings: LLMSettings | None) -> tuple[bool, str]:
    """Send one tiny request down the drafting path; (ok, Chinese message). ``settings`` are the
    session's effective settings (gkassist.ui.llm_session.effective)."""
    if settings is None:
        return False, "尚未配置大模型：请填写接口地址和模型名称（本地模型如 Ollama 可不填密钥），再测试连接。"
    return check_connection(settings)
