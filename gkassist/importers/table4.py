"""Table 四: one row of fifteen cells, printed many ways.

Under a three-level header as one row (the usual form), as three small tables (行政复议 /
未经复议直接起诉 / 复议后起诉, five cells each), or transposed (results as rows, three
cells each). Numbers run together are split with the identities 总计 = the four results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gkassist.importers.normalise import match_key
from gkassist.importers.result import Diagnostic
from gkassist.importers.rows import TableRead, info, quote_list, token_cell, warn
from gkassist.importers.settle import more_than_one, only_reading, run_text
from gkassist.importers.solve import agreed, table_equations
from gkassist.importers.split import RowEquation, split_run
from gkassist.importers.tokens import Token, parse_cell
from gkassist.layouts import Column, FormatId, TableLayout
from gkassist.model import Table


def _s4_equations(format_id: FormatId, cols: Sequence[str], row_id: str) -> list[RowEquation]:
    eqs = (eq.row_equation(row_id, cols) for eq in table_equations(format_id, "s4"))
    return [eq for eq in eqs if eq is not None]


@dataclass
class _Group:
    """A run of value tokens and the labels printed before it."""

    labels: list[Token]
    values: list[Token]


def _groups(tokens: Sequence[Token]) -> list[_Group]:
    out: list[_Group] = []
    labels: list[Token] = []
    values: list[Token] = []
    for tok in [*tokens, Token("label", "", -1, "")]:
        if tok.kind == "label":
            if any(v.kind == "value" for v in values):
                first = next(v for v in values if v.kind == "value")
                values = [v for v in values if v.kind == "value" or v.line == first.line]  # header blanks are not cells
                out.append(_Group(labels, values))
                labels = []
            values = []
            labels.append(tok)
        else:
            values.append(tok)
    return out


class S4Reader:
    """Table 四: one row of 15 cells. Printed as one row under a three-level header, as three
    small tables (行政复议 / 未经复议直接起诉 / 复议后起诉, five cells each), or transposed
    (results as rows, three cells each)."""

    def __init__(self, layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> None:
        self.layout = layout
        self.format_id = format_id
        self.tokens = tokens
        self.cut_off = cut_off
        self.table = Table(layout=format_id)
        self.block = layout.blocks[0]
        self.row = self.block.rows[0]
        self.cols = list(self.block.columns)
        self.diags: list[Diagnostic] = []
        self.heads = {match_key(c.groups[-1]): c.groups[-1] for c in self.cols}
        self.results = {match_key(c.label) for c in self.cols}

    def run(self) -> TableRead:
        for col in self.cols:
            self.table.set(self.row.id, col.id, None)
        groups = _groups(self.tokens)
        if not groups:
            cut = "（原文在此中断）" if self.cut_off else ""
            return TableRead(
                self.table, [warn(f"表四没有读到任何数值{cut}，单元格全部留空。请对照原文补填。", "表四")], 0
            )
        blocks = self._labelled(groups, self.heads) and self._by_blocks(groups)
        if not blocks and not (self._labelled(groups, self.results) and self._transposed(groups)):
            self._whole_row(groups[0].values)
        return TableRead(self.table, self.diags, 1)

    @staticmethod
    def _labelled(groups: list[_Group], keys: Iterable[str]) -> bool:
        """Several runs of numbers, each after one of these labels: a table in pieces."""
        wanted = set(keys)
        return len(groups) >= 2 and all(any(t.key in wanted for t in g.labels) for g in groups[:2])

    def _whole_row(self, values: list[Token]) -> None:
        """The first run of numbers is the row: as many numbers as cells (or delimited
        cells) fill it in order; numbers run together are split by the identities."""
        delimited = all(v.cell for v in values)
        if len(values) >= len(self.cols) and (delimited or not any(v.glued for v in values)):
            self._fill(self.cols, values[: len(self.cols)])
        elif not delimited:
            self._split(self.cols, run_text(values), "")
        else:  # fewer delimited cells than the table has: as many as there are, from the left
            self._fill(self.cols, values)
            missing = quote_list(c.path for c in self.cols[len(values) :])
            reason = "原文在此中断" if self.cut_off else "已从左往右填入"
            msg = f"表四只读到{len(values)}个数（应有{len(self.cols)}个），{reason}，{missing}留空。请对照原文核对。"
            self.diags.append(warn(msg, "表四"))

    def _fill(self, cols: Sequence[Column], values: Sequence[Token]) -> None:
        for col, tok in zip(cols, values, strict=False):
            self.table.set(self.row.id, col.id, token_cell(tok))

    def _split(self, cols: Sequence[Column], run: str, name: str) -> None:
        """Read a run of numbers into ``cols`` with the 总计 = sum of the results identities;
        cells that the readings disagree on stay blank."""
        where = f"表四{name}"
        ids = [c.id for c in cols]
        eqs = _s4_equations(self.format_id, ids, self.row.id)
        kinds = [c.kind for c in cols]
        readings = split_run(run, kinds, eqs)
        if readings is not None and len(readings) == 1:
            for col, raw in zip(cols, readings[0], strict=True):
                self.table.set(self.row.id, col.id, parse_cell(raw))
            if more_than_one(run, kinds, True, [], len(cols)):
                cells = "、".join(c if c is not None else "空白" for c in readings[0])
                msg = (
                    f"{where}的数字在原文中连写为“{run.strip()}”，可有多种读法，"
                    f"已按“总计等于各结果之和”确定唯一读法：{cells}。请对照原文核对。"
                )
                self.diags.append(info(msg, "表四"))
            return
        printed = run.strip()
        if readings is not None and not readings and (forced := only_reading(run, kinds)) is not None:
            for col, raw in zip(cols, forced, strict=True):
                self.table.set(self.row.id, col.id, parse_cell(raw))
            cells = "、".join(c if c is not None else "空白" for c in forced)
            msg = (
                f"{where}的数字原文为“{printed}”，只有一种读法：{cells}；按此读法“总计等于各结果之和”不成立，"
                "已按原文导入。原表数字可能有误，请对照原文核对（校验结果中另有提示）。"
            )
            self.diags.append(warn(msg, "表四"))
            return
        if not readings:
            why = (
                "可能的读法过多" if readings is None else f"无法按{len(cols)}个单元格读出符合“总计等于各结果之和”的数值"
            )
            msg = f"{where}的数字原文为“{printed}”，{why}，单元格留空。请对照原文填写。"
            self.diags.append(warn(msg, "表四"))
            return
        sure = agreed(readings)
        for col, (certain, raw) in zip(cols, sure, strict=True):
            if certain:
                self.table.set(self.row.id, col.id, parse_cell(raw))
        unsure = quote_list(c.path for c, (certain, _) in zip(cols, sure, strict=True) if not certain)
        msg = (
            f"{where}的数字原文为“{printed}”，有多种读法都符合“总计等于各结果之和”，"
            f"已填入各种读法一致的单元格，{unsure}无法确定，留空。请对照原文填写。"
        )
        self.diags.append(warn(msg, "表四"))

    def _by_blocks(self, groups: list[_Group]) -> bool:
        """Three small tables: a block label, then five cells."""
        done: set[str] = set()
        current = ""
        for group in groups:
            for tok in group.labels:
                if tok.key in self.heads:
                    current = tok.key
            if not current or current in done:
                continue
            cols = [c for c in self.cols if match_key(c.groups[-1]) == current]
            values = group.values
            if len(values) == len(cols) and (all(v.cell for v in values) or not any(v.glued for v in values)):
                self._fill(cols, values)
            else:
                self._split(cols, run_text(values), f"“{self.heads[current]}”")
            done.add(current)
        missing = [h for k, h in self.heads.items() if k not in done]
        if done and missing:
            msg = f"表四分块印刷，未读到{quote_list(missing)}的数值，相应单元格留空。请对照原文补填。"
            self.diags.append(warn(msg, "表四"))
        return bool(done)

    def _transposed(self, groups: list[_Group]) -> bool:
        """Results as rows (结果维持 … 总计), the three blocks as columns, in header order."""
        order = list(dict.fromkeys(t.key for t in self.tokens if t.kind == "label" and t.key in self.heads))
        if sorted(order) != sorted(self.heads):
            return False
        done = 0
        for group in groups:
            label = next((t.key for t in reversed(group.labels) if t.key in self.results), None)
            if label is None or len(group.values) != len(order) or any(v.glued for v in group.values):
                continue
            for head, tok in zip(order, group.values, strict=True):
                col = next(c for c in self.cols if match_key(c.label) == label and match_key(c.groups[-1]) == head)
                self.table.set(self.row.id, col.id, token_cell(tok))
            done += 1
        if done:
            msg = "表四按行列互换的形式印刷（各结果为行、复议和诉讼为列），已按栏目对应导入。请对照原文核对。"
            self.diags.append(info(msg, "表四"))
        return done > 0
