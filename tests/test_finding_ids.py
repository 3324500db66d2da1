"""Findings carry ids; their Chinese names come from the ids, and every surface shows them one way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gkassist.acknowledgements import acknowledgement_of, legacy_key
from gkassist.audit.runner import audit_bytes
from gkassist.checks import check_report
from gkassist.cli import main
from gkassist.compare import compare_reports
from gkassist.compare.core import comparison_text
from gkassist.examples import load_example
from gkassist.export.gate import acknowledge_codes, export_report
from gkassist.findings import Finding, Location, parse_address, render_finding
from gkassist.mdtext import escape_inline
from gkassist.model import Report

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _broken() -> Report:
    """The example with an A1/A2/A3 error, a G1 warning, a G2 note, an N1 placeholder and no publication date."""
    report = load_example("example-2021")
    report.table("s3").set("new", "biz", None)
    report.table("s3").set("r_open", "research", "/")
    report.sections["s1"] = "本年度共收到政府信息公开申请XX件。"
    report.meta.publication_date = None
    return report


# Keys the checks gave these findings before findings carried ids (recorded from that version).
OLD_KEYS = {
    "A1@s3.*.biz": "A1:三:|申请人情况·法人或其他组织·商业企业:",
    "A3@s3.new": "A3:三:一、本年新收政府信息公开申请数量|:",
    "A3@s3.r_open": "A3:三:三、本年度办理结果·（一）予以公开|:",
    "N1@s1:14-16": "N1:一、总体情况:|:14-16",
    "F4@meta.publication_date": "F4:publication_date:|:",
    "G1@s3:4f9993b807": "G1:三:|::faad144601",
    "G2@s3.r_open.research": "G2:三:三、本年度办理结果·（一）予以公开|申请人情况·法人或其他组织·科研机构:",
}


def test_keys_are_rule_code_and_address() -> None:
    findings = check_report(_broken())
    keys = {f.key for f in findings}
    assert set(OLD_KEYS) <= keys
    for f in findings:
        assert f.key.startswith(f"{f.code}@") and f.key.isascii()  # no Chinese name in any key
        assert legacy_key(f) == OLD_KEYS.get(f.key, legacy_key(f))


def test_acknowledgements_saved_before_ids_still_hold() -> None:
    """A report saved with the old keys: every warning it acknowledged stays acknowledged."""
    report = Report.model_validate(json.loads((FIXTURES / "acknowledged-before-ids.json").read_text(encoding="utf-8")))
    assert report.acknowledgements and all(":" in a.key and "@" not in a.key for a in report.acknowledgements)
    warnings = [f for f in check_report(report) if f.severity == "warning"]
    assert {f.code for f in warnings} == {"F4", "G1", "X4", "X5", "X8"}
    assert all(acknowledgement_of(f, report.acknowledgements) is not None for f in warnings)
    assert export_report(report).unacknowledged == []
    report.table("s3").set("r_open", "biz", "")  # a new blank cell: G1 of table 三 needs a new acknowledgement
    assert [f.code for f in export_report(report).unacknowledged] == ["G1"]


def test_new_acknowledgements_use_the_new_keys() -> None:
    report = acknowledge_codes(_broken(), ["G1", "F4"])
    assert {a.key for a in report.acknowledgements} == {"G1@s3:4f9993b807", "F4@meta.publication_date"}
    assert export_report(report).unacknowledged == []


@pytest.mark.parametrize(
    ("location", "address", "words"),
    [
        (Location(table="s3"), "s3", "表三"),
        (Location(format="gk2021", table="s3", row="new"), "s3.new", "表三“一、本年新收政府信息公开申请数量”行"),
        (Location(format="gk2021", table="s3", column="biz"), "s3.*.biz", "表三“申请人情况·法人或其他组织·商业企业”列"),
        (
            Location(format="gk2021", table="s3", row="r_deny_1", column="total"),
            "s3.r_deny_1.total",
            "表三“三、本年度办理结果·（三）不予公开·1.属于国家秘密”行“申请人情况·总计”列",
        ),
        (
            Location(format="gk2019", table="s2", row="other_services", sub_row="行政检查", column="decisions"),
            "s2.other_services[行政检查].decisions",
            "表二“其他对外管理服务事项·行政检查”行“处理决定数量”列",
        ),
        (Location(section="s5"), "s5", "五、存在的主要问题及改进情况"),
        (Location(section="opening", start=0, end=4), "opening:0-4", "开头段落第1–4字"),
        (Location(field="period"), "meta.period", "基本信息·统计期限"),
        (Location(), "", "全文"),
    ],
)
def test_address_and_words_come_from_the_ids(location: Location, address: str, words: str) -> None:
    assert location.address == address
    assert location.describe() == words
    if address:
        assert parse_address(address, location.format) == location


def test_an_id_without_its_table_is_refused() -> None:
    with pytest.raises(ValueError, match="needs its table and format"):
        Location(row="new")
    with pytest.raises(ValueError, match="not an address"):
        parse_address("表三.new")


def test_every_surface_words_a_finding_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CLI, export gate, draft export, audit and compare all show 【错误 A3】message (render_finding)."""
    report = _broken()
    a3 = next(f for f in check_report(report) if f.code == "A3")
    line = render_finding(a3)
    assert line.startswith("【错误 A3】表三“一、本年新收政府信息公开申请数量”行：")
    path = tmp_path / "r.json"
    path.write_text(report.model_dump_json(), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert line in capsys.readouterr().out.splitlines()
    assert f"  {line}" in export_report(report).refusal_zh().splitlines()
    draft = export_report(report, draft=True).text or ""
    assert f"> - {render_finding(a3, escape_inline)}" in draft.splitlines()
    assert line in audit_bytes("r.json", path.read_bytes()).top(10)
    last = load_example("example-2021")
    last.meta.year -= 1
    last.table("s3").set("carried_out", "natural", "9")  # A6: this year's 上年结转 no longer carries it
    a6 = next(f for f in compare_reports(last, report).findings if f.code == "A6")
    assert render_finding(a6) in comparison_text(compare_reports(last, report)).splitlines()


def test_render_escapes_only_what_it_is_given() -> None:
    finding = Finding(code="N1", severity="warning", message="含有*星号*")
    assert render_finding(finding) == "【警告 N1】含有*星号*"
    assert render_finding(finding, lambda t: t.replace("*", "\\*")) == "【警告 N1】含有\\*星号\\*"
