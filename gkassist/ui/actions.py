"""Everything the pages do, as plain functions on the canonical pydantic report.

Pages read widgets, call one function here, and render the result. Nothing here imports
Streamlit, so it is unit-tested directly.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from gkassist.acknowledgements import acknowledge as acknowledge_warning
from gkassist.acknowledgements import is_acknowledged
from gkassist.agency_level import Level, level_rules
from gkassist.checks import check_report
from gkassist.control_chars import control_char_message, has_control_chars, strip_control_chars
from gkassist.drafting.settings import LLMSettings
from gkassist.export.gate import ExportFormat, ExportOutcome, export_markdown, export_report
from gkassist.findings import SEVERITY_ORDER, SEVERITY_ZH, Finding
from gkassist.layouts import FORMAT_IDS, Block, FormatId, TableId, format_for_year
from gkassist.model import DeclaredFigure, DraftRecord, Report, SectionId
from gkassist.names import SECTION_TITLES, TABLE_NUMERALS, section_name
from gkassist.places import table_name

log = logging.getLogger(__name__)

ROW_LABEL_COLUMN = "项目"


class InputRefused(ValueError):
    """Typed text that cannot be stored; str() is a Chinese message. The widget keeps the text."""


def refuse_control_chars(text: str, field_zh: str) -> str:
    """``text`` unchanged, or InputRefused when it holds control characters (Word cannot hold them)."""
    if has_control_chars(text):
        raise InputRefused(control_char_message(field_zh))
    return text


# ---------------------------------------------------------------- report list


def suggested_format(year: int) -> FormatId:
    return format_for_year(year)


def new_report(agency: str, year: int, format_id: str | None = None) -> Report:
    agency = refuse_control_chars(agency.strip(), "机关名称")
    if not agency:
        raise ValueError("请填写机关名称，例如“某某市生态环境局”。")
    fmt: FormatId | None = None
    for known in FORMAT_IDS:
        if format_id == known:
            fmt = known
    return Report.new(agency, year, fmt)


# ---------------------------------------------------------------- tables as editor frames


@dataclass(frozen=True)
class GridSpec:
    """One editable grid: a block of a table, with row ids and column ids in display order."""

    table_id: TableId
    block: Block
    row_ids: tuple[str, ...]
    col_ids: tuple[str, ...]
    col_names: tuple[str, ...]  # unique frame column names (header path, exact labels)
    row_names: tuple[str, ...]


GRID_ROW_LABEL_WIDTH = 360  # px; fixed widths keep the grid readable and its geometry predictable
GRID_CELL_WIDTH = 100
GRID_MARKER_WIDTH = 160


def _short_names(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """For each header path the shortest ending that is unique in the block (结果维持 → 行政复议·结果维持)."""
    names = []
    for path in paths:
        for n in range(1, len(path) + 1):
            tail = path[-n:]
            if sum(1 for other in paths if other[-n:] == tail) == 1 or n == len(path):
                names.append("·".join(tail))
                break
    return tuple(names)


def grid_specs(report: Report, table_id: TableId) -> list[GridSpec]:
    layout = report.layout_of(table_id)
    specs = []
    for block in layout.blocks:
        specs.append(
            GridSpec(
                table_id=table_id,
                block=block,
                row_ids=tuple(r.id for r in block.rows),
                col_ids=tuple(c.id for c in block.columns),
                col_names=_short_names([(*c.groups, c.label) for c in block.columns]),
                row_names=tuple(r.path for r in block.rows),
            )
        )
    return specs


def grid_records(report: Report, spec: GridSpec) -> dict[str, list[str]]:
    """Column-oriented data for the editor: the raw text of every cell, exactly as typed."""
    table = report.table(spec.table_id)
    data: dict[str, list[str]] = {ROW_LABEL_COLUMN: list(spec.row_names)}
    for col_id, name in zip(spec.col_ids, spec.col_names, strict=True):
        data[name] = [table.get(row_id, col_id).raw for row_id in spec.row_ids]
    return data


MARKER_COLUMN = "校验"  # a read-only last column: the findings on each row, right beside its cells


PREFILLED_MARK = "按上年报告预填"


def row_markers(findings: list[Finding], spec: GridSpec, prefilled: frozenset[str] = frozenset()) -> list[str]:
    """For each row of the grid, the findings located on it (错误A3、A1；警告G1), and whether the
    row was pre-filled from last year's report (row ids in ``prefilled``); "" for neither."""
    index = {row_id: i for i, row_id in enumerate(spec.row_ids)}
    per_row: list[dict[str, list[str]]] = [{} for _ in spec.row_ids]
    for f in findings:
        for place in (f.location, *f.cells):  # a table-wide finding (G1) marks the rows of its cells
            on_grid = place.table == spec.table_id and place.row is not None and place.sub_row is None
            i = index.get(place.row or "") if on_grid else None
            if i is not None:
                codes = per_row[i].setdefault(f.severity, [])
                if f.code not in codes:
                    codes.append(f.code)
    marks = []
    for row_id, row in zip(spec.row_ids, per_row, strict=True):
        parts = [f"{SEVERITY_ZH[sev]}{'、'.join(row[sev])}" for sev in SEVERITY_ORDER if sev in row]
        if row_id in prefilled:
            parts.append(PREFILLED_MARK)
        marks.append("；".join(parts))
    return marks


def prefilled_rows(report: Report, table_id: TableId) -> frozenset[str]:
    """Rows whose figures still are the ones pre-filled from last year's report."""
    return frozenset({"carried_in"}) if table_id == "s3" and carried_in_prefilled(report) else frozenset()


def grid_frame(report: Report, spec: GridSpec) -> Any:
    """grid_records and an empty marker column as a pandas DataFrame: st.data_editor takes a
    frame as it is (a dict of lists would be converted to a frame and back on every rerun)."""
    import pandas as pd  # type: ignore[import-untyped]

    data = grid_records(report, spec)
    data[MARKER_COLUMN] = [""] * len(spec.row_ids)
    return pd.DataFrame(data, dtype="string")


def set_markers(frame: Any, markers: list[str]) -> Any:
    """Write this run's row markers into the grid frame (the cell values stay as they were)."""
    import pandas as pd

    frame[MARKER_COLUMN] = pd.array(markers, dtype="string")
    return frame


def apply_grid_edits(report: Report, spec: GridSpec, edited_rows: dict[Any, dict[str, Any]]) -> list[tuple[str, str]]:
    """Apply st.data_editor's ``edited_rows`` (row position -> {column name: value}) to the report.

    Values are stored as typed (invalid text is kept and reported by the checks). Returns
    the (row id, column id) pairs whose raw text changed. Applying the same edits twice is
    a no-op, so the callback may see cumulative edit state.
    """
    by_name = dict(zip(spec.col_names, spec.col_ids, strict=True))
    table = report.table(spec.table_id)
    changed: list[tuple[str, str]] = []
    for pos, cols in edited_rows.items():
        index = int(pos)
        if not 0 <= index < len(spec.row_ids):
            continue
        row_id = spec.row_ids[index]
        for name, value in cols.items():
            col_id = by_name.get(name)
            if col_id is None:
                continue
            raw = "" if value is None else str(value)
            if table.get(row_id, col_id).raw != raw.strip():
                table.set(row_id, col_id, raw)
                changed.append((row_id, col_id))
    return changed


def _sum_cells(report: Report, table_id: TableId, cells: list[tuple[str, str]]) -> int | Decimal | None:
    table = report.table(table_id)
    total: int | Decimal = 0
    for row_id, col_id in cells:
        value = table.get(row_id, col_id).value
        if value is None:
            return None
        total += value
    return total


def fill_totals(report: Report, table_id: TableId) -> list[str]:
    """Explicit "按明细填写合计": write each printed total from its parts.

    Row totals (（七）总计 = the outcome rows) first, then column totals (总计 = the columns
    under the same header). A total is only written when every part is a number; returns
    a Chinese line per changed or skipped total.
    """
    layout = report.layout_of(table_id)
    table = report.table(table_id)
    notes: list[str] = []
    for block in layout.blocks:
        for total_row in block.rows:
            if total_row.total_of is None:
                continue
            parts = [r.id for r in layout.tagged(total_row.total_of)]  # （七）总计 = the @outcome rows
            for col in block.columns:
                notes += _write_total(report, table_id, total_row.id, col.id, [(r, col.id) for r in parts],
                                      f"“{total_row.label}”行“{col.path}”列")
        for col in block.columns:
            if col.role != "total":
                continue
            parts = [c.id for c in block.columns if c.role != "total" and c.groups[: len(col.groups)] == col.groups]
            for row in block.rows:
                notes += _write_total(report, table_id, row.id, col.id, [(row.id, p) for p in parts],
                                      f"“{row.path}”行“{col.path}”列")
    del table
    return notes


def _write_total(report: Report, table_id: TableId, row_id: str, col_id: str, parts: list[tuple[str, str]], where: str) -> list[str]:
    if not parts:
        return []
    table = report.table(table_id)
    if all(table.get(r, c).state == "blank" for r, c in parts):
        return []
    value = _sum_cells(report, table_id, parts)
    if value is None:
        return [f"表{TABLE_NUMERALS[table_id]}{where}：明细中有空白、“/”或无法识别的内容，未计算合计，请先补全明细。"]
    old = table.get(row_id, col_id)
    if old.value == value and old.is_number:
        return []
    table.set(row_id, col_id, str(value))
    return [f"表{TABLE_NUMERALS[table_id]}{where}：由“{old.display()}”改为{value}。"]


# ---------------------------------------------------------------- findings


def findings_for_table(findings: list[Finding], table_id: TableId) -> list[Finding]:
    return [f for f in findings if f.location.table == table_id]


def table_findings(report: Report, table_id: TableId) -> list[Finding]:
    """The findings located in one table. Only the table and meta rules run: narrative rules
    never point at a table cell, and this runs on every cell edit."""
    from gkassist.checks.engine import table_rule_codes

    return findings_for_table(check_report(report, codes=table_rule_codes(table_id)), table_id)


def split_by_block(findings: list[Finding], specs: list[GridSpec]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings located on a row of one grid (shown right under that grid), and the rest of the table's."""
    by_block: dict[str, list[Finding]] = {spec.block.id: [] for spec in specs}
    rest: list[Finding] = []
    for f in findings:
        home = next((s.block.id for s in specs if f.location.row in s.row_ids and not f.location.sub_row), None)
        if home is not None and len(specs) > 1:
            by_block[home].append(f)
        else:
            rest.append(f)
    return by_block, rest


def findings_for_section(findings: list[Finding], section_id: str) -> list[Finding]:
    return [f for f in findings if f.location.section == section_id]


@dataclass
class FindingGroup:
    severity: str
    place: str
    findings: list[Finding] = field(default_factory=list)


FIX_PAGE = {"table": "数据填报", "section": "起草", "field": "基本信息"}


def where_to_fix(finding: Finding) -> str:
    loc = finding.location
    if loc.table:
        page = FIX_PAGE["table"]
    elif loc.section:
        page = FIX_PAGE["section"] if loc.section in DRAFT_SECTIONS else "基本信息"
    else:
        page = FIX_PAGE["field"]
    return f"{loc.describe()}（请到“{page}”页修改）"


def group_findings(findings: list[Finding]) -> list[FindingGroup]:
    """Grouped by severity, then by place (表二/表三/一、总体情况/基本信息…)."""
    groups: dict[tuple[str, str], FindingGroup] = {}
    for f in sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code)):
        loc = f.location
        place = table_name(loc.table) if loc.table else section_name(loc.section) if loc.section else "基本信息" if loc.field else "全文"
        groups.setdefault((f.severity, place), FindingGroup(f.severity, place)).findings.append(f)
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER[g.severity], g.place))


def acknowledge(report: Report, finding: Finding, note: str = "", now: datetime | None = None) -> bool:
    """Record that staff checked one warning. Returns False for errors (they cannot be acknowledged)."""
    return acknowledge_warning(report, finding, note, now or datetime.now())


def open_warnings(report: Report, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning" and not is_acknowledged(f, report.acknowledgements)]


def export_checked(report: Report) -> ExportOutcome:
    return export_markdown(report)


PUBLISH_DOWNLOADS: tuple[tuple[ExportFormat, str, str], ...] = (
    ("html", "下载网页（门户网站发布用）", "text/html"),
    ("docx", "下载 Word 公文稿", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)


def export_published(report: Report, fmt: ExportFormat) -> ExportOutcome:
    """The checked report as a portal page (html) or an official Word document (docx), same gate."""
    return export_report(report, fmt)


def export_draft(report: Report) -> str:
    return export_markdown(report, draft=True).text or ""


def markdown_filename(report: Report, draft: bool, fmt: str = "md") -> str:
    suffix = "（草稿）" if draft else ""
    return f"{report.meta.agency}{report.meta.year}年政府信息公开工作年度报告{suffix}.{fmt}"


def current_findings(report: Report) -> list[Finding]:
    return check_report(report)


# ---------------------------------------------------------------- last year's report


@dataclass
class ImportOutcome:
    ok: bool
    messages: list[tuple[str, str]]  # (level error|warning|info, Chinese text)
    prefilled: list[str] = field(default_factory=list)


def import_last_year(report: Report, data: bytes, filename: str) -> ImportOutcome:
    """Read last year's report, keep it as ``report.last_year`` and pre-fill 上年结转.

    上年结转 (carried_in) gets last year's 四、结转下年度继续办理 for every column that is blank
    this year; cells staff already filled are left alone.
    """
    from gkassist.importers.result import ReportReadError

    import_bytes = _optional("gkassist.importers", "import_bytes")
    if import_bytes is None:
        return ImportOutcome(False, [("error", "导入功能暂不可用（程序未安装完整），请联系管理员。")])
    try:
        result = import_bytes(data, filename)
    except ReportReadError as exc:
        return ImportOutcome(False, [("error", f"无法读取“{filename}”：{exc}")])
    messages = [(d.level, f"{d.where}：{d.message}" if d.where else d.message) for d in result.diagnostics]
    last = result.report
    if last is None:
        return ImportOutcome(False, [*messages, ("error", f"“{filename}”中没有读到年度报告的内容，请确认上传的是上一年度的年报。")])
    if last.meta.year and last.meta.year != report.meta.year - 1:
        messages.append(("warning", f"上传的是{last.meta.year}年度的报告，不是上一年度（{report.meta.year - 1}年度）的报告，请核对。"))
    last.last_year = None
    report.last_year = last
    return ImportOutcome(True, messages, prefill_carried_in(report))


def prefill_carried_in(report: Report) -> list[str]:
    last = report.last_year
    if last is None or "s3" not in last.tables:
        return []
    layout = report.layout_of("s3")
    if not any(r.id == "carried_in" for r in layout.rows()):
        return []
    this, prev = report.table("s3"), last.tables["s3"]
    filled = []
    for col in layout.block_of("carried_in").columns:
        source = prev.get("carried_out", col.id)
        if this.get("carried_in", col.id).state == "blank" and source.state != "blank":
            this.set("carried_in", col.id, source.raw)
            filled.append(f"“二、上年结转政府信息公开申请数量”行“{col.path}”列：{source.raw}（取自上年报告“四、结转下年度继续办理”）")
    return filled


def carried_in_prefilled(report: Report) -> bool:
    """True while this year's 上年结转 row equals last year's 结转下年度 row (i.e. came from it)."""
    last = report.last_year
    if last is None or "s3" not in last.tables:
        return False
    cells = report.table("s3").cells.get("carried_in", {})
    return bool(cells) and all(last.tables["s3"].get("carried_out", c).raw == cell.raw for c, cell in cells.items())


# ---------------------------------------------------------------- highlights and declared figures


def set_highlight(report: Report, aspect: str, text: str) -> bool:
    text = refuse_control_chars(text.strip(), f"工作亮点“{aspect}”")
    if report.highlights.get(aspect, "") == text:
        return False
    if text:
        report.highlights[aspect] = text
    else:
        report.highlights.pop(aspect, None)
    return True


def declared_records(report: Report) -> dict[str, list[str]]:
    return {
        "名称": [d.label for d in report.declared],
        "数值": [str(d.value) for d in report.declared],
        "单位": [d.unit for d in report.declared],
    }


def apply_declared_edits(report: Report, base: dict[str, list[str]], state: dict[str, Any]) -> list[str]:
    """Rebuild report.declared from the editor's base rows plus its edit state.

    Returns Chinese problems for rows that cannot be stored (missing label, non-numeric value);
    those rows are left out until fixed.
    """
    rows: list[dict[str, Any]] = [
        {"名称": lab, "数值": val, "单位": unit} for lab, val, unit in zip(base["名称"], base["数值"], base["单位"], strict=True)
    ]
    for pos, cols in (state.get("edited_rows") or {}).items():
        if 0 <= int(pos) < len(rows):
            rows[int(pos)].update(cols)
    rows += [dict(r) for r in state.get("added_rows") or []]
    deleted = {int(i) for i in state.get("deleted_rows") or []}
    problems: list[str] = []
    declared: list[DeclaredFigure] = []
    for i, row in enumerate(rows):
        if i in deleted:
            continue
        label = str(row.get("名称") or "").strip()
        value_text = str(row.get("数值") or "").strip()
        if not label and not value_text:
            continue
        if not label:
            problems.append(f"第{i + 1}行：请填写名称，例如“发布各类信息”。")
            continue
        unit = str(row.get("单位") or "").strip()
        if has_control_chars(label + unit):
            problems.append(f"第{i + 1}行：{control_char_message('名称或单位')}")
            continue
        try:
            value = Decimal(value_text.replace(",", "").replace("，", ""))
            declared.append(DeclaredFigure(label=label, value=value, unit=unit))
        except InvalidOperation:
            problems.append(f"第{i + 1}行“{label}”：数值“{value_text}”不是数字，请只填写数字，单位填在“单位”列。")
        except ValidationError as exc:
            problems.append(f"第{i + 1}行“{label}”：{_first_problem(exc)}")
    report.declared = declared
    return problems


# ---------------------------------------------------------------- drafting


DRAFT_SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
DRAFTER_NAMES = {"template": "内置模板", "llm": "大模型"}


@dataclass
class DraftRun:
    """Wraps drafting.draft_section: iterate for text chunks, then read ``result``."""

    chunks: Iterator[str]
    result: Any = None
    error_zh: str | None = None


def _optional(module: str, name: str) -> Any:
    """A function from a module that may not be installed yet (None then)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def drafting_available() -> bool:
    return _optional("gkassist.drafting", "draft_section") is not None


def start_draft(report: Report, section_id: SectionId, drafter: str, settings: LLMSettings | None = None) -> DraftRun:
    """``settings``: the session's effective LLM settings (gkassist.ui.llm_session.effective)."""
    run = DraftRun(chunks=iter(()))
    draft_section = _optional("gkassist.drafting", "draft_section")
    if draft_section is None:
        run.error_zh = "起草功能尚未安装，请联系管理员；您可以先在下方文本框中手工撰写。"
        return run
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
        run.result = getattr(stream, "result", None)

    run.chunks = chunks()
    return run


def describe_provenance(result: Any) -> str:
    """One Chinese line: which drafter wrote the text, model, prompt, attempts."""
    prov = getattr(result, "provenance", None)
    if prov is None:
        return ""
    data = prov.model_dump() if hasattr(prov, "model_dump") else dict(vars(prov))
    drafter = str(data.get("drafter", ""))
    parts = [f"起草方式：{DRAFTER_NAMES.get(drafter, drafter)}"]
    labels = {"model": "模型", "prompt_id": "提示词", "prompt_version": "提示词版本", "attempts": "尝试次数",
              "prompt_tokens": "输入令牌", "completion_tokens": "输出令牌"}
    for key, label in labels.items():
        if data.get(key) not in (None, "", 0):
            parts.append(f"{label}：{data[key]}")
    return "；".join(parts)


def set_section(report: Report, section_id: SectionId, text: str) -> None:
    """The section's text as staff typed it; InputRefused (text kept in the widget) for control characters."""
    report.sections[section_id] = refuse_control_chars(text, SECTION_TITLES[section_id])


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


# ---------------------------------------------------------------- LLM settings (per browser session)


def test_llm_connection(settings: LLMSettings | None) -> tuple[bool, str]:
    """Send one tiny request down the drafting path; (ok, Chinese message). ``settings`` are the
    session's effective settings (gkassist.ui.llm_session.effective)."""
    if settings is None:
        return False, "尚未配置大模型：请填写接口地址和模型名称（本地模型如 Ollama 可不填密钥），再测试连接。"
    check_connection = _optional("gkassist.drafting.llm", "check_connection")
    if check_connection is None:
        return False, "大模型起草功能未安装完整，无法测试连接，请联系管理员。"
    ok, message = check_connection(settings)
    return bool(ok), str(message)


def report_from_example(example: Report, agency: str, year: int, format_id: str | None = None) -> Report:
    """A new report pre-filled with the bundled example's data (for demos and training)."""
    base = new_report(agency, year, format_id)
    report = example.model_copy(deep=True)
    report.meta = base.meta
    report.meta.publication_date = None  # not published yet
    report.acknowledgements = []
    report.last_year = None
    if report.meta.format != example.meta.format:
        report.tables = base.tables
    return report


META_PATHS = ("agency", "year", "format", "level", "period_start", "period_end", "publication_date",
              "contact.office", "contact.address", "contact.postcode", "contact.phone")
LEVELS: tuple[Level, ...] = ("department", "government")


def level_choice(level: Level) -> str:
    """The 报告主体 option as shown: who publishes, and the deadline that follows."""
    return level_rules().levels[level].choice


META_NAMES_ZH = {
    "agency": "机关名称", "year": "报告年度", "format": "报告格式", "level": "报告主体", "period_start": "统计期限起",
    "period_end": "统计期限止", "publication_date": "发布日期", "contact.office": "联系部门",
    "contact.address": "地址", "contact.postcode": "邮编", "contact.phone": "电话",
}


def set_meta_field(report: Report, path: str, value: Any) -> None:
    """Set one 基本信息 field; raises ValueError with a Chinese message for invalid input."""
    if path not in META_PATHS:
        raise ValueError(f"未知字段：{path}")
    if path == "agency" and not str(value or "").strip():
        raise ValueError("机关名称不能为空，请填写，例如“某某市生态环境局”。")
    if isinstance(value, str):
        refuse_control_chars(value, META_NAMES_ZH[path])
    target: Any = report.meta
    *parents, name = path.split(".")
    for parent in parents:
        target = getattr(target, parent)
    try:
        setattr(target, name, value)
    except ValidationError as exc:
        raise ValueError(f"“{META_NAMES_ZH[path]}”填写有误：{_first_problem(exc)}。") from exc


def _first_problem(exc: ValidationError) -> str:
    from gkassist.validation_zh import problem_zh

    return problem_zh(exc.errors(include_url=False)[0]).rstrip("。")
