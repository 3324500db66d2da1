"""The load benchmark's check of acknowledged saves (benchmarks/bench_load.py) finds a lost edit:
a value the page acknowledged that is not in its version, or that a later save replaced."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_load import ADMIN, _lost_edits
from gkassist.model import Report
from gkassist.storage import ReportStore


def test_every_acknowledged_value_is_looked_up_and_a_lost_one_is_reported(tmp_path: Path) -> None:
    store = ReportStore(f"sqlite:///{tmp_path / 'load.db'}")
    report = Report.new("核对测试局", 2024)
    rid, _ = store.create(report, actor=ADMIN)
    report.table("s3").set("new", "natural", "101")
    report.meta.contact.phone = "科员00第1次填写"
    v2 = store.save(rid, report, 1, actor=ADMIN)
    acked = [
        {"kind": "attempt", "report": rid, "field": "s3.new.natural", "value": "101"},
        {"kind": "ack", "report": rid, "field": "s3.new.natural", "value": "101", "version": v2},
        {"kind": "attempt", "report": rid, "field": "电话", "value": "科员00第1次填写"},
        {"kind": "ack", "report": rid, "field": "电话", "value": "科员00第1次填写", "version": v2},
    ]
    assert _lost_edits(store, acked) == (2, [])

    report.table("s3").set("new", "natural", "999")  # a later save undoes the clerk's value
    store.save(rid, report, v2, actor=ADMIN)
    count, lost = _lost_edits(store, acked)
    assert count == 2 and len(lost) == 1 and "s3.new.natural" in lost[0] and "999" in lost[0]

    not_in_version = [{**acked[1], "value": "102"}]  # acknowledged, but its version holds something else
    assert len(_lost_edits(store, not_in_version)[1]) == 2  # not in that version, nor the latest
