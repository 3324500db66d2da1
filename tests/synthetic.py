"""Synthetic annual reports shaped like published ones, for the importer tests.

``random_tables`` makes tables 三 and 四 that satisfy their identities (as real published
tables do); the ``print_*`` functions write them the ways real reports reach us: markdown
pipes, an archive crawler's run-together digits, pdftotext -layout with wrapped and
vertically set labels, labels and numbers in separate blocks, 表四 as three small tables
or transposed. ``report`` puts a table into a complete report text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gkassist.layouts import Row, table_layout
from gkassist.model import Report

S3 = table_layout("gk2021", "s3")
S3_ROWS: tuple[Row, ...] = S3.blocks[0].rows
S3_COLS = [c.id for c in S3.blocks[0].columns]
S4 = table_layout("gk2021", "s4")
S4_COLS = [c.id for c in S4.blocks[0].columns]
S3_HEADER = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
)
S4_HEADER = (
    "行政复议",
    "行政诉讼",
    *("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"),
    "未经复议直接起诉",
    "复议后起诉",
)
S4_BLOCKS = ("行政复议", "未经复议直接起诉", "复议后起诉")
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
Cells = list[int | None]


@dataclass
class Tables:
    """Table 三 (row id -> seven cells) and 四 (fifteen cells); None is a blank cell."""

    s3: dict[str, Cells]
    s4: Cells
    notes: list[str] = field(default_factory=list)


def _count(rng: random.Random, big: int) -> int:
    return rng.choice([0, 0, 0, 0, rng.randint(1, 9), rng.randint(1, big)])


def random_tables(rng: random.Random, *, big: int = 80, blanks: float = 0.0) -> Tables:
    """Tables whose identities hold: outcome rows add up to （七）总计, 新收 + 上年结转 =
    总计 + 结转 per column, 总计 column = the six applicant columns; 表四 总计 = its four.
    With ``blanks`` > 0, that share of the zero cells is printed blank."""
    rows: dict[str, list[int]] = {}
    outcomes = [r.id for r in S3_ROWS if "outcome" in r.tags]
    for rid in outcomes:
        rows[rid] = [_count(rng, big) if rng.random() < 0.5 else 0 for _ in range(6)]
    rows["r_total"] = [sum(rows[r][c] for r in outcomes) for c in range(6)]
    rows["carried_out"] = [rng.randint(0, 3) if rng.random() < 0.3 else 0 for _ in range(6)]
    rows["carried_in"] = [
        rng.randint(0, min(4, rows["r_total"][c] + rows["carried_out"][c])) if rng.random() < 0.3 else 0
        for c in range(6)
    ]
    rows["new"] = [rows["r_total"][c] + rows["carried_out"][c] - rows["carried_in"][c] for c in range(6)]
    s3: dict[str, Cells] = {}
    for row in S3_ROWS:
        cells = rows[row.id]
        s3[row.id] = [*cells, sum(cells)]
    s4: Cells = []
    for _ in S4_BLOCKS:
        four = [_count(rng, 20) for _ in range(4)]
        s4 += [*four, sum(four)]
    if blanks:
        for cells in [*s3.values(), s4]:
            for i, v in enumerate(cells):
                if v == 0 and rng.random() < blanks:
                    cells[i] = None
    return Tables(s3, s4)


def example_tables() -> Tables:
    """A fixed table 三/四 like a mid-size agency's."""
    return random_tables(random.Random(2024), big=60)


def _text(v: int | None) -> str:
    return "" if v is None else str(v)


def group_changes() -> list[tuple[str, list[str]]]:
    """(row id, group labels that start at this row) in print order."""
    out: list[tuple[str, list[str]]] = []
    prev: tuple[str, ...] = ()
    for row in S3_ROWS:
        new = [g for i, g in enumerate(row.groups) if prev[: i + 1] != row.groups[: i + 1]]
        out.append((row.id, new))
        prev = row.groups
    return out


# ---------------------------------------------------------------------------- 表三


def print_pipes(t: Tables, *, outer: bool = True) -> str:
    """Markdown or pipe rows, a blank cell an empty cell between pipes."""
    edge = "| " if outer else ""
    end = " |" if outer else ""
    lines = [edge + " | ".join(S3_HEADER[:2]) + end]
    for rid, groups in group_changes():
        label = next(r.label for r in S3_ROWS if r.id == rid)
        cells = " | ".join(_text(v) for v in t.s3[rid])
        lines.append(f"{edge}{' | '.join([*groups, label])} | {cells}{end}")
    return "\n".join(lines)


def digits(cells: Sequence[int | None], rng: random.Random) -> str:
    """Cells run together as a crawler prints them: no separator or a space between two
    cells, a blank cell as a space."""
    out = ""
    for i, v in enumerate(cells):
        piece = " " if v is None else str(v)
        if i and rng.random() < 0.3:
            out += " "
        out += piece
    return out


def print_crawler(t: Tables, rng: random.Random) -> str:
    """The whole table on one line, labels and digits run together."""
    out = "".join(S3_HEADER)
    for rid, groups in group_changes():
        label = next(r.label for r in S3_ROWS if r.id == rid)
        out += "".join(groups) + label + (" " if rng.random() < 0.2 else "") + digits(t.s3[rid], rng)
    return out


def _wrap(label: str, width: int) -> list[str]:
    return [label[i : i + width] for i in range(0, len(label), width)]


def print_layout(t: Tables, *, width: int = 12, values_on: str = "first", page_break: bool = True) -> str:
    """pdftotext -layout: labels wrapped at ``width`` characters with the numbers on the
    first, middle or last line of the label; the group labels set vertically, one piece at
    the start of each row's line; a page number between two rows."""
    lines = ["                   申请人情况", "                   自然人      法人或其他组织        总计"]
    lines.append("                   商业企业  科研机构  社会公益组织  法律服务机构  其他")
    vertical = list("三、本年度办理结果")
    pieces: dict[str, list[str]] = {"（三）不予公开": ["（三）不", "予公开"], "（四）无法提供": ["（四）无", "法提供"]}
    for n, (rid, _) in enumerate(group_changes()):
        row = next(r for r in S3_ROWS if r.id == rid)
        wrapped = _wrap(row.label, width)
        at = {"first": 0, "middle": len(wrapped) // 2, "last": len(wrapped) - 1}[values_on]
        values = "     ".join(_text(v) or " " for v in t.s3[rid])
        for k, part in enumerate(wrapped):
            lead = ""
            if "三、本年度办理结果" in row.groups and vertical and k == 0:
                lead = vertical.pop(0)
            for g in row.groups[1:]:
                if g in pieces and pieces[g] and k == 0 and not lead:
                    lead = pieces[g].pop(0)
            text = f"{lead:<8}  {part}"
            lines.append(text + ("        " + values if k == at else ""))
        if page_break and n == 12:
            lines += ["", "                    -4-", ""]
    return "\n".join(lines)


def print_detached(t: Tables) -> str:
    """All row labels first, then one line of numbers per row."""
    lines = list(S3_HEADER[:2])
    for rid, groups in group_changes():
        lines += [*groups, next(r.label for r in S3_ROWS if r.id == rid)]
    lines += [" ".join(_text(v) or "0" for v in t.s3[rid]) for rid, _ in group_changes()]
    return "\n".join(lines)


def print_spaced(t: Tables, *, group_on_row: bool = True) -> str:
    """Plain text rows 'label 1 0 0 …', a group label on the line of its first sub-row."""
    lines = [" ".join(S3_HEADER[:3])]
    for rid, groups in group_changes():
        label = next(r.label for r in S3_ROWS if r.id == rid)
        values = " ".join(_text(v) for v in t.s3[rid])
        if group_on_row:
            lines.append(" ".join([*groups, label, values]))
        else:
            lines += [*groups, f"{label} {values}"]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- 表四


def print_s4_row(t: Tables, rng: random.Random | None = None) -> str:
    head = "".join(S4_HEADER) if rng else "\n".join(S4_HEADER)
    return head + (digits(t.s4, rng) if rng else "\n" + " ".join(_text(v) for v in t.s4))


def print_s4_blocks(t: Tables) -> str:
    """Three small tables: 行政复议 / 行政诉讼（未经复议直接起诉）/ 复议后起诉."""
    lines: list[str] = []
    for n, block in enumerate(S4_BLOCKS):
        lines += [block, " | ".join(RESULTS), " | ".join(_text(v) for v in t.s4[5 * n : 5 * n + 5])]
    return "\n".join(lines)


def print_s4_transposed(t: Tables) -> str:
    """Blocks as rows, results as columns."""
    lines = ["项目 | " + " | ".join(RESULTS)]
    for n, block in enumerate(S4_BLOCKS):
        lines.append(f"{block} | " + " | ".join(_text(v) for v in t.s4[5 * n : 5 * n + 5]))
    return "\n".join(lines)


def print_s4_results_as_rows(t: Tables) -> str:
    """Results as rows, the three blocks as columns."""
    lines = ["结果 | " + " | ".join(S4_BLOCKS)]
    for k, result in enumerate(RESULTS):
        lines.append(f"{result} | " + " | ".join(_text(t.s4[5 * n + k]) for n in range(3)))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- reports

TITLE = "某市某局2024年政府信息公开工作年度报告"
OPENING = "根据《中华人民共和国政府信息公开条例》规定，现公布本报告。数据统计期限为2024年1月1日至2024年12月31日。联系电话：010-66668888。"
S1 = "2024年，我局认真贯彻落实《条例》，全年主动公开政府信息120条。"
S2 = "第二十条第（一）项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n行政规范性文件 | 2 | 1 | 15"
S5 = "存在的主要问题：政策解读形式单一。改进措施：丰富解读形式。"
S6 = "本年度未收取信息处理费。"
HEADINGS = {
    "s1": "一、总体情况",
    "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}


S2_RUN = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件2115"


def report(s3: str, s4: str, *, headings: dict[str, str] | None = None, sep: str = "\n", s2: str = S2) -> str:
    """A complete report; ``headings`` replaces part titles (an empty string drops one)."""
    h = {**HEADINGS, **(headings or {})}
    parts = [TITLE, OPENING, h["s1"], S1, h["s2"], s2, h["s3"], s3, h["s4"], s4, h["s5"], S5, h["s6"], S6]
    return sep.join(p for p in parts if p)


def cells_of(result: Report, table: str) -> dict[str, list[str]]:
    t = result.tables[table]  # type: ignore[index]
    layout = table_layout(t.layout, table)
    return {r.id: [t.get(r.id, c.id).raw for c in layout.block_of(r.id).columns] for r in layout.rows()}


def expected_s3(t: Tables) -> dict[str, list[str]]:
    return {rid: [_text(v) for v in cells] for rid, cells in t.s3.items()}


def expected_s4(t: Tables) -> list[str]:
    return [_text(v) for v in t.s4]


Printer = Callable[[Tables], str]
