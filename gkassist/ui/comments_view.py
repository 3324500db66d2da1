"""Review comments as the pages place them: a cell's comments on 数据填报 (marked in the grid and
listed under the table with the cell's name), a sentence's under that sentence on 起草, the
report's at the top of 校验与导出. Anchors are made here from the report on screen.

A sentence comment is placed on the sentence whose text it quoted; when that sentence has since
been rewritten, it is listed apart, with the sentence as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast, get_args

from gkassist.drafting.candidate import sentence_spans
from gkassist.layouts import TableId, table_layout
from gkassist.model import Report, SectionId
from gkassist.names import section_name
from gkassist.places import cell_name
from gkassist.storage.comments import ANCHOR_KINDS_ZH, Anchor, Comment

BLANK = "（空白）"
TABLE_IDS = frozenset(get_args(TableId))


def _value(report: Report, table_id: TableId, row: str, column: str) -> str:
    return report.table(table_id).get(row, column).raw or BLANK


def cell_choices(report: Report, table_id: TableId) -> dict[str, str]:
    """Every official cell of the table, in printed order: address → its name and current value."""
    fmt = report.table(table_id).layout
    choices: dict[str, str] = {}
    for block in table_layout(fmt, table_id).blocks:
        for row in block.rows:
            for col in block.columns:
                address = f"{table_id}.{row.id}.{col.id}"
                choices[address] = f"{cell_name(fmt, table_id, row.id, col.id)}：{_value(report, table_id, row.id, col.id)}"
    return choices


def _cell_ids(address: str) -> tuple[TableId, str, str]:
    table_id, row, column = address.split(".")
    if table_id not in TABLE_IDS:
        raise ValueError(f"not a table cell: {address!r}")
    return cast(TableId, table_id), row, column


def cell_anchor(report: Report, address: str) -> Anchor:
    """The anchor of a cell, quoting its name and its value now."""
    table_id, row, column = _cell_ids(address)
    fmt = report.table(table_id).layout
    return Anchor.cell(address, f"{cell_name(fmt, table_id, row, column)}：{_value(report, table_id, row, column)}")


def sentences(text: str) -> list[str]:
    """The sentences of a section as the findings under it are placed (drafting.candidate)."""
    return [s.sentence for s in sentence_spans(text)]


def sentence_anchor(section: SectionId, text: str, index: int) -> Anchor:
    return Anchor.sentence(section, index, sentences(text)[index])


def place_name(comment: Comment) -> str:
    """Where the comment applies, in Chinese: the cell's name, 一、总体情况第2句, 整份报告."""
    anchor = comment.anchor
    if anchor.kind == "cell":
        return anchor.quote.rsplit("：", 1)[0] or anchor.address
    if anchor.kind == "sentence" and anchor.section is not None:
        index = int(anchor.address.rsplit("#", 1)[1])
        return f"{section_name(anchor.section)}第{index + 1}句"
    return ANCHOR_KINDS_ZH["report"]


def cell_value_then(comment: Comment) -> str:
    """The cell's value when the comment was made."""
    return comment.anchor.quote.rsplit("：", 1)[-1] if "：" in comment.anchor.quote else ""


def cell_value_now(report: Report, comment: Comment) -> str:
    return _value(report, *_cell_ids(comment.anchor.address))


def for_table(comments: Iterable[Comment], table_id: str) -> list[Comment]:
    return [c for c in comments if c.anchor.kind == "cell" and c.anchor.table == table_id]


def in_section(comments: Iterable[Comment], section: str) -> list[Comment]:
    return [c for c in comments if c.anchor.kind == "sentence" and c.anchor.section == section]


def for_report(comments: Iterable[Comment]) -> list[Comment]:
    return [c for c in comments if c.anchor.kind == "report"]


@dataclass
class SentenceComments:
    """One sentence of the section as it is now (its span in the text) and its comments."""

    sentence: str
    start: int
    end: int
    comments: list[Comment] = field(default_factory=list)


def for_section(comments: Iterable[Comment], section: SectionId, text: str) -> tuple[list[SentenceComments], list[Comment]]:
    """The sentences of ``text`` that carry comments, each with its own, and the comments whose
    sentence is no longer in the text (rewritten since). A sentence that occurs twice takes the
    comment at the occurrence nearest the one commented on."""
    spans = sentence_spans(text)
    placed: dict[int, SentenceComments] = {}
    gone: list[Comment] = []
    for c in comments:
        if c.anchor.kind != "sentence" or c.anchor.section != section:
            continue
        index = int(c.anchor.address.rsplit("#", 1)[1])
        same = [i for i, s in enumerate(spans) if c.anchor.quotes(s.sentence)]
        if not same:
            gone.append(c)
            continue
        home = min(same, key=lambda i: abs(i - index))
        span = spans[home]
        placed.setdefault(home, SentenceComments(span.sentence, span.start, span.end)).comments.append(c)
    return [placed[i] for i in sorted(placed)], gone


def gist(text: str, limit: int = 80) -> str:
    """A comment on one line, cut at ``limit`` characters (for a list that points elsewhere)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def open_line(comments: list[Comment], here: list[Comment] | None = None, here_name: str = "本页") -> str:
    """本报告有3条未解决的审核意见（本页1条）…; "" when none is open."""
    total = sum(c.is_open for c in comments)
    if not total:
        return ""
    local = f"（{here_name}{sum(c.is_open for c in here)}条）" if here is not None else ""
    return (f"本报告有{total}条未解决的审核意见{local}。请逐条回复，处理后标为已解决；"
            "有未解决的审核意见时，报告不能通过审核。")


def sheet_notes(comments: Iterable[Comment], table_id: str) -> dict[str, str]:
    """The grid's comment marks: address → the open comments' texts (shown when the cell is focused)."""
    notes: dict[str, list[str]] = {}
    for c in for_table(comments, table_id):
        if c.is_open:
            notes.setdefault(c.anchor.address, []).append(f"审核意见（{c.by}）：{c.body}")
    return {address: "\n".join(texts) for address, texts in notes.items()}
