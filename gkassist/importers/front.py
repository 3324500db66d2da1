"""Front and closing matter of an imported report: everything outside the six parts' bodies.

Reads the title (agency and year), the opening paragraph (statistics period, contact
office, address, postcode, phone), the closing signature and date at the end of 六, and
the page furniture around them (breadcrumbs, 发布时间, 【打印】). Decides the report year and
format from these, with the tables' own labels as the last resort, and says in Chinese
diagnostics what it could not find and where staff should fill it in (基本信息).

``text.read_lines`` calls ``read_front`` once the document is split into its parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from gkassist.agency_level import LevelGuess, detect_level, import_note
from gkassist.importers.dates import parse_date_line
from gkassist.importers.document import Document
from gkassist.importers.normalise import SectionKey, load_aliases
from gkassist.importers.page import strip_chrome, trim_chrome_tail
from gkassist.importers.result import Diagnostic
from gkassist.importers.tokens import line_text
from gkassist.layouts import FormatId, TableId, format_for_year, get_layout
from gkassist.model import Contact, Report

_REPORT_NAME = re.compile(r"政府信息公开(?:工作)?年度报告")
_NAME_IN_TEXT = re.compile(
    r"(?:现向社会公布|现予以公布|现予公布|现公布|特编制|现发布|编制|发布|公布)"
    r"(?P<body>[^。;；,，:：()（）\n]{2,60}?)政府信息公开(?:工作)?年度报告"
)
_YEAR = re.compile(r"((?:19|20|１９|２０)\d{2})\s*年")  # int() reads full-width digits too
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起?\s*(?:至|到|—|-|~)+\s*"
    r"(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_NAME_LINE = re.compile(r"^\S{2,}?(?:19|20)\d{2}\s*年度?$")
_PAGE_DATE = re.compile(r"(?:发布时间|发布日期)\s*:?\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_ADDRESS = re.compile(r"(?:通讯地址|联系地址|办公地址|地址)\s*[:,]?\s*(?P<v>(?:[^,;。()\n]|\([^()\n]{0,12}\))+)")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*:?\s*(?P<v>\d{6})")
_PHONE = re.compile(
    r"(?:联系电话|咨询电话|电话|联系方式)(?:/传真)?\s*:?\s*(?P<v>\(?0\d{2,3}\)?[-\s]?\d{7,8}(?:[-转]\d{1,6})?|1\d{10}|\d{7,8})"
)
_OFFICE = re.compile(r"(?:请联系|请与|联系)\s*:?\s*(?P<v>[^,;。:()\s]{2,40}?)(?:联系)?(?=\s*[,;。:()]|$)")
_OFFICE_ENDS = ("室", "局", "科", "股", "处", "中心", "办", "委", "会", "府", "所", "队", "站", "院", "部", "组", "厅")
_GUESSED_YEAR = ("统计期限", "正文中出现最多的年份")


@dataclass
class Front:
    """What the title, opening and closing say about the report."""

    title: str | None = None
    opening: str | None = None
    agency: str = ""
    year: int | None = None
    year_source: str = ""
    period: tuple[date, date] | None = None
    contact: Contact = field(default_factory=Contact)
    publication_date: date | None = None
    closing_lines: int = 0  # lines at the end of 六 that are the signature and date
    closing_kept: str = ""  # words of 六 printed right before the signature ('无平潭综合实验区某某局')
    diagnostics: list[Diagnostic] = field(default_factory=list)
    level: LevelGuess | None = None  # who publishes: a department or the 本级人民政府 (agency_level.py)


# ---------------------------------------------------------------------------- page furniture


def is_noise(line: str) -> bool:
    """Portal furniture: 发布时间、浏览次数、【打印】… (short lines only)."""
    if len(line) > 80 or line.startswith("根据"):
        return False
    return any(mark in line for mark in load_aliases().portal_noise)


def drop_trailing_noise(lines: list[str]) -> list[str]:
    while lines and (is_noise(lines[-1]) or not trim_chrome_tail(lines[-1])):
        lines = lines[:-1]
    if lines:
        lines = [*lines[:-1], trim_chrome_tail(lines[-1])]
    return lines


def _strip_lead_chrome(text: list[str]) -> tuple[list[str], str | None]:
    """A page's breadcrumb and buttons before the opening paragraph."""
    for i, line in enumerate(text[:3]):
        rest, title = strip_chrome(line)
        if rest != line:
            return [*text[:i], *([rest] if rest else []), *text[i + 1 :]], title
    return text, None


# ---------------------------------------------------------------------------- reading


def read_front(doc: Document, page_date: date | None) -> Front:
    """Title, opening and closing of a split document; ``page_date`` is the page's own
    publication date (HTML meta), used when the text has no closing date."""
    pre = [t for i in range(doc.start()) if (t := line_text(doc.lines[i]))]
    noise = [t for t in pre if is_noise(t)]
    text = [t for t in pre if not is_noise(t)]
    front = Front()
    text, chrome_title = _strip_lead_chrome(text)
    at = next((i for i, line in enumerate(text[:4]) if is_title(line)), None)
    if at is not None:  # lines above the title are page furniture (breadcrumbs, site name)
        front.title = _title_over_lines(text, at)
        text = text[at + 1 :]
    elif chrome_title:
        front.title = chrome_title
    front.opening = "\n".join(text) or None
    _read_name(front)
    s1 = _section_text(doc, "s1")
    front.period = find_period(front.opening or "") or find_period(s1)
    _read_year_fallbacks(front, s1)
    front.contact = find_contact(front.opening or "")
    _fill_contact_from(front.contact, _contact_lines(_section_text(doc, "s6")))
    _read_closing(front, doc, page_date or _page_date(noise))
    front.diagnostics += _front_diagnostics(front)
    front.level = detect_level(front.agency, front.opening, s1)
    front.diagnostics.append(Diagnostic(level="info", message=import_note(front.level), where="基本信息·报告主体"))
    return front


def _title_over_lines(text: list[str], at: int) -> str:
    """A title printed over two lines ('淮安市人民政府' / '2024年政府信息公开工作年度报告')."""
    title = text[at]
    name = _REPORT_NAME.split(title, maxsplit=1)[0]
    agency, _ = parse_report_name(name)
    above = text[at - 1].strip() if at > 0 else ""
    if agency or not above or len(above) > 30:
        return title
    if _NAME_LINE.match(above) or above.endswith(_OFFICE_ENDS):  # '某市2020年' or '某市人民政府'
        return above + title.strip()
    return title


def _section_text(doc: Document, sid: SectionKey) -> str:
    span = doc.region(sid)
    return "" if span is None else "\n".join(line_text(doc.lines[i]) for i in range(*span))


def is_title(line: str) -> bool:
    return len(line) <= 80 and not line.startswith("根据") and bool(_REPORT_NAME.search(line))


def parse_report_name(text: str) -> tuple[str, int | None]:
    """'XX局2024年' or '2024年XX局' (the words before 政府信息公开工作年度报告) -> (agency, year)."""
    found = _YEAR.search(text)
    year = int(found.group(1)) if found and 2000 <= int(found.group(1)) <= 2100 else None
    if found:
        text = text[: found.start()] + text[found.end() :].removeprefix("度")
    agency = re.sub(r"[(（][)）]", "", re.sub(r"\s", "", text)).strip("《》“”\"'【】[]#*、,，:：").removeprefix("关于")
    if agency.count("(") + agency.count("（") != agency.count(")") + agency.count("）"):
        agency = agency.strip("()（）")  # a bracket left over from "（2024年）"
    return agency, year


def _read_name(front: Front) -> None:
    if front.title:
        name = _REPORT_NAME.split(front.title, maxsplit=1)
        agency, year = parse_report_name(name[0])
        if year is None and len(name) > 1:
            _, year = parse_report_name(name[1])
        front.agency, front.year, front.year_source = agency, year, "标题"
    if front.opening and not (front.agency and front.year):
        m = _NAME_IN_TEXT.search(front.opening)
        if m:
            agency, year = parse_report_name(m.group("body"))
            front.agency = front.agency or agency
            if front.year is None and year is not None:
                front.year, front.year_source = year, "开头段落"


def _read_year_fallbacks(front: Front, s1: str) -> None:
    if front.year is None and front.period is not None:
        front.year, front.year_source = front.period[0].year, "统计期限"
    if front.year is None:
        counts = Counter(int(y) for y in _YEAR.findall(unicodedata.normalize("NFKC", f"{front.opening or ''}\n{s1}")))
        if counts:
            best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            front.year, front.year_source = best[0], "正文中出现最多的年份"
    if front.year is not None and not 2000 <= front.year <= 2100:
        front.year = None


def find_period(text: str) -> tuple[date, date] | None:
    for m in _PERIOD.finditer(unicodedata.normalize("NFKC", text)):
        y1, m1, d1, y2, m2, d2 = m.groups()
        try:
            start = date(int(y1), int(m1), int(d1))
            end = date(int(y2 or y1), int(m2), int(d2))
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None


def find_contact(text: str) -> Contact:
    text = unicodedata.normalize("NFKC", text)
    address, postcode, phone = (_first(p, text) for p in (_ADDRESS, _POSTCODE, _PHONE))
    office = next((v for m in _OFFICE.finditer(text) if (v := m.group("v")).endswith(_OFFICE_ENDS)), None)
    return Contact(office=office, address=address and address.strip().rstrip("("), postcode=postcode, phone=phone)


_CONTACT_LINE = re.compile(r"联系|疑问|咨询")
_SITE_FOOTER = re.compile(r"版权所有|ICP|网站标识码|主办单位|承办单位|技术支持|网站地图")


def _contact_lines(text: str) -> str:
    """The lines of a part that give the report's contact ("如对本报告有疑问，请联系…", "联系地址：…
    邮编：…电话：…"), up to the closing date; a site footer with the portal's own address and phone
    is not one."""
    kept = []
    for line in text.splitlines():
        if parse_date_line(line) is not None:
            break  # the closing date: what follows is the page around the report
        found = find_contact(line)
        keys = sum(1 for v in (found.address, found.postcode, found.phone) if v)
        if not _SITE_FOOTER.search(line) and (keys >= 2 or (keys and _CONTACT_LINE.search(line))):
            kept.append(line)
    return "\n".join(kept)


def _fill_contact_from(contact: Contact, text: str) -> None:
    """Fill the contact fields the opening did not give from ``text`` (a report may give its
    contact at the end of 六 instead of in the opening)."""
    if not text or all((contact.office, contact.address, contact.postcode, contact.phone)):
        return
    found = find_contact(text)
    for name in ("office", "address", "postcode", "phone"):
        if getattr(contact, name) is None and getattr(found, name):
            setattr(contact, name, getattr(found, name))


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group("v").strip() if m else None


def _page_date(noise: list[str]) -> date | None:
    for line in noise:
        m = _PAGE_DATE.search(unicodedata.normalize("NFKC", line))
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _read_closing(front: Front, doc: Document, page_date: date | None) -> None:
    """The date (and the agency signing it) at the end of 六."""
    span = doc.region("s6") if "s6" in doc.headings or "s6" in doc.by_content else None
    lines = [] if span is None else [t for i in range(*span) if (t := line_text(doc.lines[i]))]
    lines = drop_trailing_noise(lines)
    for back in range(1, min(3, len(lines)) + 1):
        found = parse_date_line(lines[-back])
        if found is None:
            continue
        front.publication_date, front.closing_lines = found, back
        signer = lines[-back - 1] if back < len(lines) else ""
        if _is_signature(signer, front.agency):
            front.closing_lines += 1
            front.closing_kept = _text_before_agency(signer, front.agency)
        return
    if page_date is not None:
        front.publication_date = page_date
        msg = (
            f"文末没有落款日期，发布日期取自网页上标注的发布时间（{page_date.year}年{page_date.month}月{page_date.day}日）。"
            "请在基本信息中核对发布日期。"
        )
        front.diagnostics.append(Diagnostic(level="info", message=msg, where="基本信息·发布日期"))


def _is_signature(line: str, agency: str) -> bool:
    if not line or len(line) > 40 or line.endswith(("。", "；", ";")):
        return False
    return line == agency or line.endswith(_OFFICE_ENDS)


def _text_before_agency(signer: str, agency: str) -> str:
    """'无平潭综合实验区某某局' (the body of 六 run into the signature): the words before the agency."""
    if not agency or signer == agency or not signer.endswith(agency):
        return ""
    return signer[: -len(agency)].strip()


def _front_diagnostics(front: Front) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if front.year is not None and front.year_source in _GUESSED_YEAR:
        msg = (
            f"标题和开头段落中都没有写明报告年度，已按{front.year_source}识别为{front.year}年。"
            "请在基本信息中核对报告年度。"
        )
        out.append(Diagnostic(level="info", message=msg, where="基本信息·报告年度"))
    if not front.agency:
        msg = (
            "未能识别机关名称：标题和开头段落中都没有“XX局2024年政府信息公开工作年度报告”这样的写法。"
            "请在基本信息中填写机关名称。"
        )
        out.append(Diagnostic(level="warning", message=msg, where="基本信息·机关名称"))
    if front.period is None:
        msg = (
            "开头段落和“一、总体情况”中都未找到统计期限（如“数据统计期限为2024年1月1日至2024年12月31日”），"
            "统计期限暂时留空。请在基本信息中填写。"
        )
        out.append(Diagnostic(level="warning", message=msg, where="基本信息·统计期限"))
    if front.opening is None:
        msg = "未找到开头段落（标题与“一、总体情况”之间的说明文字），导出时将按模板生成开头段落，请在导出前核对。"
        out.append(Diagnostic(level="info", message=msg, where="开头段落"))
    if not any((front.contact.address, front.contact.postcode, front.contact.phone)):
        msg = "开头段落和第六部分中都未找到联系方式（地址、邮编、电话），请在基本信息中填写。"
        out.append(Diagnostic(level="info", message=msg, where="基本信息·联系方式"))
    if front.publication_date is None:
        msg = "文末未找到落款日期（如“2025年1月20日”），请在基本信息中填写发布日期。"
        out.append(Diagnostic(level="info", message=msg, where="基本信息·发布日期"))
    return out


# ---------------------------------------------------------------------------- report meta


def year_and_format(front: Front, detected: dict[TableId, FormatId | None]) -> tuple[int, FormatId, list[Diagnostic]]:
    """meta.year and meta.format: the year decides the format; without a year, the tables do."""
    seen = [f for f in (detected.get("s2"), detected.get("s3")) if f]
    if front.year is not None:
        return front.year, format_for_year(front.year), []
    fmt: FormatId = seen[0] if seen else "gk2021"
    year = 2020 if fmt == "gk2019" else date.today().year - 1
    msg = (
        f"未能从标题、开头段落、统计期限或正文中识别报告年度，暂按{year}年处理"
        f"（格式按表格栏目识别为{get_layout(fmt).name}）。请在基本信息中核对报告年度。"
    )
    return year, fmt, [Diagnostic(level="error", message=msg, where="基本信息·报告年度")]


def apply_front(report: Report, front: Front) -> None:
    """Copy what the front matter says into the report's meta."""
    meta = report.meta
    meta.period_start, meta.period_end = front.period if front.period else (None, None)
    meta.contact = front.contact
    meta.opening = front.opening
    meta.publication_date = front.publication_date
    meta.level = front.level.level if front.level else meta.level
