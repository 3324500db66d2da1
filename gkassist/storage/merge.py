"""Saving when someone else saved first: their edits and ours kept together, or a conflict.

Two clerks (on one app server or on two behind a proxy) open the same version. The first save
wins as usual. The second save names a base version that is no longer current, so
:meth:`ReportStore.save` refuses it. Rather than telling the second clerk to start again, we
compare field by field: what they changed since the base, what we changed since the base. When
the two touch different fields (a cell, a field of 基本信息, a section, a highlight …) both are
kept and saved as the next version. When both changed the same field to different values, the
save is refused with the usual :class:`ConflictError` and nothing is overwritten.

A field is a leaf of the report's JSON form; a list (declared figures, acknowledgements,
rectifications, extra rows) counts as one field, since its items have no stable identity.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from gkassist.access import Actor
from gkassist.model import Report
from gkassist.storage.store import ConflictError, ReportStore

MAX_ATTEMPTS = 20  # a save that loses this many races in a row is reported as a conflict
BACKOFF_S = (0.005, 0.2)  # a random wait before a retry: up to 5 ms doubled per lost race, at most 200 ms

_ABSENT = object()  # a key missing on one side (a highlight added or removed)


class MergeConflict(Exception):
    """Both sides changed the same field to different values; ``paths`` names them."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__(", ".join(paths))


def three_way(base: Any, mine: Any, theirs: Any, path: str = "") -> Any:
    """``theirs`` with our changes since ``base`` laid over it; MergeConflict when both changed
    one field differently. Dicts merge key by key; anything else is one field."""
    if mine in (theirs, base):
        return theirs
    if theirs == base:
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        merged: dict[str, Any] = {}
        clashes: list[str] = []
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            try:
                value = three_way(base.get(key, _ABSENT), mine.get(key, _ABSENT), theirs.get(key, _ABSENT), f"{path}/{key}")
            except MergeConflict as exc:
                clashes.extend(exc.paths)
                continue
            if value is not _ABSENT:
                merged[key] = value
        if clashes:
            raise MergeConflict(clashes)
        return merged
    raise MergeConflict([path or "/"])


def merge_reports(base: Report, mine: Report, theirs: Report) -> Report:
    """Their report with our changes since ``base``; MergeConflict when both changed a field."""
    merged = three_way(base.model_dump(mode="json"), mine.model_dump(mode="json"), theirs.model_dump(mode="json"))
    try:
        return Report.model_validate(merged)
    except ValidationError as exc:  # each side valid, the two together not: let the clerk decide
        raise MergeConflict([f"/{'/'.join(map(str, e['loc']))}" for e in exc.errors()]) from exc


@dataclass(frozen=True)
class SaveOutcome:
    version: int  # the version now current, holding our edits
    report: Report  # what that version holds: ours, with the other saves' edits when merged
    merged_from: tuple[str, ...] = ()  # who else saved in between (their edits are kept)


def save_merging(
    store: ReportStore, report_id: int, report: Report, base_version: int, *, actor: Actor, note: str = ""
) -> SaveOutcome:
    """Save ``report`` (edited from ``base_version``) as ``actor``. If others saved since, keep
    their edits and ours together when they touch different fields; ConflictError (nothing
    saved) when both changed the same field. Every read and write goes through the store, so
    the actor's rights are checked as for any save."""
    base_report: Report | None = None
    mine, base = report, base_version
    others: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        try:
            version = store.save(report_id, mine, base, actor=actor, note=note)
        except ConflictError as conflict:
            if base_report is None:
                base_report, _ = store.load(report_id, base_version, actor=actor)
            theirs, current = store.load(report_id, actor=actor)
            try:
                mine = merge_reports(base_report, mine, theirs)
            except MergeConflict:
                raise conflict from None
            base_report, base = theirs, current
            others.append(conflict.updated_by)
            first, cap = BACKOFF_S
            time.sleep(random.uniform(0, min(cap, first * 2 ** len(others))))  # jitter: racers spread out
            continue
        return SaveOutcome(version, mine, tuple(dict.fromkeys(others)))
    raise ConflictError(report_id, base_version, base, others[-1])  # every attempt lost a race
