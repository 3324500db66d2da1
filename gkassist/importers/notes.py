"""The import notes of a row table (二, 三): what could not be read, what was decided and
how, worded for staff. Collected while reading, turned into diagnostics at the end, so
that one message can list many rows."""

from __future__ import annotations

from gkassist.importers.result import Diagnostic
from gkassist.importers.rows import RowTableState, info, quote_list, row_name, warn


def table_diagnostics(r: RowTableState) -> list[Diagnostic]:
    where = f"表{r.layout.numeral}"
    last = max(r.filled, default=-1)
    cut = r.cut_off and last < len(r.specs) - 1
    keep = (lambda i: i <= last) if cut else (lambda i: True)  # rows after a cut are covered by it
    out: list[Diagnostic] = []
    if cut:
        out.append(warn(_cut_message(r, last), where))
    elif last < 0 and r.matched and not r.notes.undecided:
        msg = f"{where}只有栏目名称，没有读到任何数值（原网页可能丢失了表格中的数字），单元格全部留空。请对照原文补填。"
        return [warn(msg, where)]
    missing = [row_name(r.layout, s.row) for s in r.specs if s.index not in r.matched and keep(s.index)]
    groups: list[tuple[str, list[str]]] = [
        (f"{where}未找到以下各行，单元格留空：", missing),
        (f"{where}以下各行没有读到数值，单元格留空：", [n for i, n in r.notes.no_values if keep(i)]),
        (f"{where}以下各行只有一个数，已填入“总计”列，其余各列留空：", [n for i, n in r.notes.total_only]),
        (f"{where}以下各行的数值多于栏目数，多出的数值未导入：", [n for i, n in r.notes.too_many]),
        (f"{where}中以下标签不是规定的栏目，其后的数值未导入：", r.notes.unknown),
    ]
    for head, names in groups:
        if names:
            out.append(warn(head + quote_list(names) + "。请对照原文核对。", where))
    out.extend(warn(f"{where}{text}。请对照原文核对。", where) for i, text in r.notes.short if keep(i))
    out.extend(warn(f"{where}{text}。请对照原文填写。", where) for text in r.notes.undecided)
    if r.notes.stray:
        shown = "、".join(r.notes.stray[:10]) + ("等" if len(r.notes.stray) > 10 else "")
        msg = f"{where}中有数值前面没有栏目名称，无法确定属于哪一行，未导入：{shown}。请对照原文核对。"
        out.append(warn(msg, where))
    if r.notes.forced:
        msg = (
            f"{where}以下各行的数字在原文中连写，只有一种读法，但按此读法该行的勾稽关系不成立，已按原文导入："
            f"{'；'.join(r.notes.forced)}。原表数字可能有误，请对照原文核对（校验结果中另有提示）。"
        )
        out.append(warn(msg, where))
    if r.notes.decided:
        msg = (
            f"{where}以下各行的数字在原文中连写或缺列，可有多种读法，已按表格的勾稽关系（各行总计等于各列之和、"
            f"各列收支平衡）确定唯一读法：{'；'.join(r.notes.decided)}。请对照原文核对。"
        )
        out.append(info(msg, where))
    for printed, official in r.notes.similar:
        msg = (
            f"{where}中的栏目“{printed}”与规定栏目不完全一致，已按相近的规定栏目“{official}”导入。请核对原文栏目名称。"
        )
        out.append(info(msg, where))
    if r.notes.detached:
        msg = f"{where}中以下各行的数值与栏目名称分开排列，已按先后顺序对应：{quote_list(r.notes.detached)}。请对照原文核对。"
        out.append(info(msg, where))
    for parent, subs in r.notes.parents.items():
        msg = (
            f"{where}“{parent}”下列有分项{quote_list(subs)}，已作为附加行导入。"
            f"规定格式中没有这些分项，请确认其数值已计入“{parent}”行。"
        )
        out.append(Diagnostic(level="info", message=msg, where=f"{where}·{parent}"))
    return out


def _cut_message(r: RowTableState, last: int) -> str:
    where = f"表{r.layout.numeral}"
    if last < 0:
        return f"{where}在读到任何数值之前中断，单元格全部留空。原文可能不完整，请对照原文补填。"
    name = r.specs[last].row.label
    return f"{where}在“{name}”行之后中断，之后的单元格未读到。原文可能不完整，请对照原文补填。"
