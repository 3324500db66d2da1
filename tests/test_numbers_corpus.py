"""Narrative numbers on real reports: the seed and the truncated corpus (tests/fixtures/partial, copied from ../shared/corpus/partial).

Truncated reports often lose their tables: a number whose cells are blank or missing is ungrounded
(a warning), never an error. The only errors allowed are the ones listed in REAL_ERRORS, each a
real contradiction between the report's own narrative and its own table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT
from gkassist.grounding import NumberClaim, classify_report
from gkassist.importers import import_file
from gkassist.model import Report
from tests.corpus import PARTIAL

CORPUS = PARTIAL
CORPUS_FILES = sorted(CORPUS.glob("P*.txt"))

# file → (number as written, why it is a real error)
REAL_ERRORS: dict[str, list[tuple[str, str]]] = {
    "P01": [("2件", "叙述写“共受理政府信息公开申请2件”，而表三“一、本年新收政府信息公开申请数量”的总计为3（自然人3）")],
}


def _import(path: Path) -> Report:
    report = import_file(path).report
    assert report is not None, path
    return report


@pytest.fixture(scope="module")
def seed_claims() -> list[NumberClaim]:
    return classify_report(_import(SEED_TEXT))


def _claim(claims: list[NumberClaim], text: str, occurrence: int = 0) -> NumberClaim:
    return [c for c in claims if c.text == text][occurrence]


def test_seed_has_no_number_error(seed_claims: list[NumberClaim]) -> None:
    assert [c for c in seed_claims if c.kind == "mismatched"] == []
    report = _import(SEED_TEXT)
    assert not [f for f in check_report(report) if f.code in ("X1", "X2")]


def test_seed_applications_and_normative_documents_are_matched(seed_claims: list[NumberClaim]) -> None:
    zero = _claim(seed_claims, "0条")
    assert (zero.kind, zero.quantity_id, zero.cell_ids) == ("matched", "new_applications", ["s3.new.total"])
    normative = _claim(seed_claims, "3篇", 0)
    assert normative.kind == "matched" and normative.quantity_id == "normative_made"
    # the seed's table 二 is drawn in the 2019 layout: 本年新制作数量
    assert normative.cell_ids == ["s2.normative.new_made"] and "本年新制作数量" in normative.cells[0]
    policy = _claim(seed_claims, "3篇", 1)  # 政策解读3篇: not a table quantity, not declared
    assert policy.kind == "ungrounded"


def test_seed_publication_counts_are_ungrounded(seed_claims: list[NumberClaim]) -> None:
    for text in ("76条", "46条", "12条"):
        assert _claim(seed_claims, text).kind == "ungrounded", text


def test_seed_names_and_years_are_exempt(seed_claims: list[NumberClaim]) -> None:
    texts = {c.text: c for c in seed_claims if c.kind == "exempt"}
    assert "二十届三中全会" in texts and "二十大" in texts
    assert any(c.text == "2024" and c.section == "s1" for c in seed_claims if c.kind == "exempt")
    assert {"邮编:333000", "电话:0798-8335879", "836号"} <= set(texts)


def test_seed_numbers_declared_become_declared(seed_claims: list[NumberClaim]) -> None:
    from decimal import Decimal

    from gkassist.model import DeclaredFigure

    report = _import(SEED_TEXT)
    report.declared = [
        DeclaredFigure(label="发布各类信息", value=Decimal(76), unit="条"),
        DeclaredFigure(label="政务动态信息", value=Decimal(46), unit="条"),
        DeclaredFigure(label="公告公示", value=Decimal(12), unit="条"),
        DeclaredFigure(label="政策解读", value=Decimal(3), unit="篇"),
    ]
    claims = classify_report(report)
    assert [c for c in claims if c.kind in ("ungrounded", "mismatched")] == []
    assert not [f for f in check_report(report) if f.code in ("X1", "X2", "X8")]


def test_the_corpus_is_there() -> None:
    assert len(CORPUS_FILES) >= 9
    assert {f"{name}.txt" for name in REAL_ERRORS} <= {p.name for p in CORPUS_FILES}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus_has_no_false_number_error(path: Path) -> None:
    report = _import(path)
    claims = classify_report(report)
    allowed = {text for text, _ in REAL_ERRORS.get(path.stem, [])}
    wrong = [(c.text, c.sentence, c.evidence) for c in claims if c.kind == "mismatched" and c.text not in allowed]
    assert wrong == []
    found = {c.text for c in claims if c.kind == "mismatched"}
    assert found == allowed, f"expected the real errors {allowed}, found {found}"
    errors = [f for f in check_report(report) if f.code in ("X1", "X2")]
    assert len(errors) == len(allowed)


def test_p01_real_error_names_the_table_figure() -> None:
    report = _import(CORPUS / "P01.txt")
    (finding,) = [f for f in check_report(report) if f.code == "X1"]
    assert "受理政府信息公开申请2件" in finding.message and "应为3件" in finding.message
    assert finding.location.section == "s1"


def test_truncated_tables_give_warnings_not_errors() -> None:
    """P08 states zeros in words for a table 四 that the truncated page lost: no claim, no error."""
    report = _import(CORPUS / "P08.txt")
    claims = classify_report(report)
    assert not [c for c in claims if c.kind == "mismatched"]
    assert any(c.form == "zero" and c.quantity_id == "new_applications" and c.kind == "matched" for c in claims)
