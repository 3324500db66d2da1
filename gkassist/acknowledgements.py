"""Staff acknowledgements of warnings, stored with the report as (rule code, finding key).

A key is the rule code and the finding's address (``Finding.key``, e.g. ``G2@s3.r_open.biz``);
``*`` acknowledges every finding of the code. Reports saved before findings carried ids hold
keys built from the Chinese names of the place (``F4:publication_date:|:``); ``legacy_key``
rebuilds that form from the ids, so those acknowledgements still hold for the same findings.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from gkassist.findings import Finding
from gkassist.model import Acknowledgement, Report
from gkassist.names import TABLE_NUMERALS, section_name
from gkassist.places import column_path, row_path


def legacy_key(finding: Finding) -> str:
    """The key this finding had before findings carried ids: code:place:row|column:span[:cells]."""
    loc = finding.location
    place = TABLE_NUMERALS[loc.table] if loc.table else section_name(loc.section) if loc.section else loc.field or ""
    row = column = ""
    if loc.table and loc.format and loc.row:
        row = row_path(loc.format, loc.table, loc.row, loc.sub_row)
    if loc.table and loc.format and loc.column:
        column = column_path(loc.format, loc.table, loc.column, loc.row)
    span = f"{loc.start}-{loc.end}" if loc.start is not None else ""
    key = f"{finding.code}:{place}:{row}|{column}:{span}"
    if finding.cells:
        listed = "\n".join(c.describe() for c in finding.cells)
        key += ":" + hashlib.sha1(listed.encode()).hexdigest()[:10]
    return key


def _is_legacy(ack: Acknowledgement) -> bool:
    return ack.key.startswith(f"{ack.code}:")


def acknowledgement_of(finding: Finding, acks: list[Acknowledgement]) -> Acknowledgement | None:
    """The acknowledgement that covers this finding, if any."""
    mine = [a for a in acks if a.code == finding.code]
    if not mine:
        return None
    key = finding.key
    old = legacy_key(finding) if any(_is_legacy(a) for a in mine) else None
    return next((a for a in mine if a.key in ("*", key) or (old is not None and a.key == old)), None)


def is_acknowledged(finding: Finding, acks: list[Acknowledgement]) -> bool:
    return acknowledgement_of(finding, acks) is not None


def acknowledge(report: Report, finding: Finding, note: str = "", now: datetime | None = None) -> bool:
    """Record that staff checked one warning. False for errors and info (only warnings are
    acknowledged) and for a warning already acknowledged."""
    if finding.severity != "warning" or is_acknowledged(finding, report.acknowledgements):
        return False
    report.acknowledgements.append(
        Acknowledgement(code=finding.code, key=finding.key, message=finding.message, note=note, at=now)
    )
    return True
