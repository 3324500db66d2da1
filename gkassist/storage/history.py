"""What changed between two saved versions of a report, named as the clerk reads the report.

Table cells by their printed names (gkassist.places), old → new, a blank shown as 空白; the
basic information field by field; the narrative (sections, the opening, highlights) sentence
by sentence with the sentence diff the comparison with last year uses
(gkassist.compare.narrative.diff_sentences); declared figures and the other lists as one line
each. Only what differs is listed; the order is the report's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkassist.access import Actor
from gkassist.cells import BLANK, Cell
from gkassist.compare.narrative import SentenceDiff, diff_sentences
from gkassist.layouts import table_layout
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Report, Table
from gkassist.names import section_name
from gkassist.places import cell_name, field_name
from gkassist.storage.store import ReportStore

BLANK_ZH = "空白"

# (model path, Chinese name) of the basic information, in the order of the 基本信息 page
_META_FIELDS: tuple[tuple[str, str], ...] = (
    ("agency", field_name("agency")),
    ("year", field_name("year")),
    ("format", field_name("format")),
    ("level", field_name("level")),
    ("period_start", f"{field_name('period')}（起）"),
    ("period_end", f"{field_name('period')}（止）"),
    ("publication_date", field_name("publication_date")),
    ("contact.office", f"{field_name('contact')}·联系部门"),
    ("contact.address", f"{field_name('contact')}·地址"),
    ("contact.postcode", f"{field_name('contact')}·邮编"),
    ("contact.phone", f"{field_name('contact')}·电话"),
)


@dataclass(frozen=True)
class ValueChange:
    """One cell or field: where (its Chinese name), what it was and what it is (空白 for blank)."""

    place: str
    old: str
    new: str


@dataclass(frozen=True)
class TextChange:
    """One text (a section, the opening, a highlight) and its changed sentences, in order."""

    place: str
    sentences: tuple[SentenceDiff, ...]


@dataclass
class VersionDiff:
    older: int
    newer: int
    fields: list[ValueChange] = field(default_factory=list)
    cells: list[ValueChange] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # Chinese lines: declared figures, lists, last year's report

    @property
    def empty(self) -> bool:
        return not (self.fields or self.cells or self.texts or self.others)

    def summary_zh(self) -> str:
        if self.empty:
            return f"第{self.older}版与第{self.newer}版内容相同。"
        sentences = sum(len(t.sentences) for t in self.texts)
        parts = [
            f"基本信息{len(self.fields)}项" if self.fields else "",
            f"表格单元格{len(self.cells)}个" if self.cells else "",
            f"文字{len(self.texts)}处（{sentences}句）" if self.texts else "",
            f"其他{len(self.others)}项" if self.others else "",
        ]
        return f"从第{self.older}版到第{self.newer}版，改动了" + "、".join(p for p in parts if p) + "。"


def shown(text: str | None) -> str:
    """A value as listed: 空白 for nothing."""
    return text if text else BLANK_ZH


def _meta_value(report: Report, path: str) -> str:
    value: Any = report.meta
    for part in path.split("."):
        value = getattr(value, part)
    return "" if value is None else str(value)


def field_changes(old: Report, new: Report) -> list[ValueChange]:
    out = []
    for path, name in _META_FIELDS:
        before, after = _meta_value(old, path), _meta_value(new, path)
        if before != after:
            out.append(ValueChange(name, shown(before), shown(after)))
    return out


def _cell_ids(before: Table, after: Table, table_id: str) -> list[tuple[str, str]]:
    """The cells of either version in printed order (the newer layout first), then any other
    cell one of the tables holds."""
    layouts = (table_layout(after.layout, table_id), table_layout(before.layout, table_id))
    held = ((row_id, col_id) for t in (after, before) for row_id, cells in t.cells.items() for col_id in cells)
    return list(dict.fromkeys([*layouts[0].cell_ids(), *layouts[1].cell_ids(), *held]))


def _cell_name(before: Table, after: Table, table_id: str, row_id: str, col_id: str, sub_row: str | None = None) -> str:
    """Named after the newer version's layout, or the older one's for a row or column only it has."""
    try:
        return cell_name(after.layout, table_id, row_id, col_id, sub_row)
    except (KeyError, ValueError):
        return cell_name(before.layout, table_id, row_id, col_id, sub_row)


def _extra_rows(table: Table) -> dict[tuple[str, str], dict[str, Cell]]:
    return {(x.parent, x.label): x.cells for x in table.extra_rows}


def cell_changes(old: Report, new: Report) -> list[ValueChange]:
    """Every table cell whose text differs, the agency's own sub-rows included."""
    out: list[ValueChange] = []
    for table_id in TABLE_IDS:
        before, after = old.table(table_id), new.table(table_id)
        for row_id, col_id in _cell_ids(before, after, table_id):
            a, b = before.get(row_id, col_id).raw, after.get(row_id, col_id).raw
            if a != b:
                out.append(ValueChange(_cell_name(before, after, table_id, row_id, col_id), shown(a), shown(b)))
        old_extra, new_extra = _extra_rows(before), _extra_rows(after)
        for parent, label in dict.fromkeys([*new_extra, *old_extra]):
            a_cells, b_cells = old_extra.get((parent, label), {}), new_extra.get((parent, label), {})
            for col_id in dict.fromkeys([*b_cells, *a_cells]):
                a, b = a_cells.get(col_id, BLANK).raw, b_cells.get(col_id, BLANK).raw
                if a != b:
                    name = _cell_name(before, after, table_id, parent, col_id, label)
                    out.append(ValueChange(name, shown(a), shown(b)))
    return out


def _text_change(place: str, old: str, new: str) -> TextChange | None:
    if old == new:
        return None
    changed = tuple(d for d in diff_sentences(old, new) if d.status != "unchanged")
    return TextChange(place, changed) if changed else None


def text_changes(old: Report, new: Report) -> list[TextChange]:
    """The opening, each narrative section and each highlight, sentence by sentence."""
    pairs: list[tuple[str, str, str]] = [(section_name("opening"), old.meta.opening or "", new.meta.opening or "")]
    pairs += [(section_name(s), old.section(s), new.section(s)) for s in NARRATIVE_SECTIONS]
    aspects = [*new.highlights, *(a for a in old.highlights if a not in new.highlights)]
    pairs += [(f"{field_name('highlights')}·{a}", old.highlights.get(a, ""), new.highlights.get(a, "")) for a in aspects]
    return [c for c in (_text_change(*p) for p in pairs) if c is not None]


def _figure(report: Report) -> dict[str, str]:
    return {d.label: f"{d.value}{d.unit}" for d in report.declared}


def other_changes(old: Report, new: Report) -> list[str]:
    out: list[str] = []
    before, after = _figure(old), _figure(new)
    name = field_name("declared")
    for label in [*after, *(k for k in before if k not in after)]:
        if before.get(label) != after.get(label):
            out.append(f"{name}“{label}”：{shown(before.get(label))} → {shown(after.get(label))}")
    if old.rectifications != new.rectifications:
        out.append(f"上年问题整改情况：{len(old.rectifications)}项 → {len(new.rectifications)}项，内容有改动")
    acks_old, acks_new = {a.key for a in old.acknowledgements}, {a.key for a in new.acknowledgements}
    if acks_old != acks_new:
        out.append(f"已确认的警告：新增{len(acks_new - acks_old)}条，撤销{len(acks_old - acks_new)}条")
    if old.last_year != new.last_year:
        out.append(f"用于对照的上年报告：{_baseline(old)} → {_baseline(new)}")
    return out


def _baseline(report: Report) -> str:
    last = report.last_year
    return f"{last.meta.agency} {last.meta.year}年度" if last is not None else "无"


def diff_reports(old: Report, new: Report, older: int = 0, newer: int = 0) -> VersionDiff:
    """What changed from ``old`` (version ``older``) to ``new`` (version ``newer``)."""
    return VersionDiff(
        older=older,
        newer=newer,
        fields=field_changes(old, new),
        cells=cell_changes(old, new),
        texts=text_changes(old, new),
        others=other_changes(old, new),
    )


def diff_versions(store: ReportStore, report_id: int, first: int, second: int, *, actor: Actor) -> VersionDiff:
    """What changed from the earlier of two saved versions to the later one (both read as ``actor``)."""
    older, newer = sorted((first, second))
    old, _ = store.load(report_id, older, actor=actor)
    new, _ = store.load(report_id, newer, actor=actor)
    return diff_reports(old, new, older, newer)
