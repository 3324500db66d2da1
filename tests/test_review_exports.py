"""Exports gated by the review status: 草稿 until approved, 正式稿 (the stored copy) after; the
markdown for publication without metadata, the round-trip markdown beside it; golden files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from gkassist.access import AccessDenied, Actor
from gkassist.examples import load_example
from gkassist.export.gate import export_report
from gkassist.export.markdown import render_markdown
from gkassist.importers.markdown import import_markdown
from gkassist.model import Report
from gkassist.review.policy import StatusCode
from gkassist.storage import ReportStore
from gkassist.storage.audit_log import audit_table, read_entries
from gkassist.storage.review import ReviewError, ReviewStore
from gkassist.ui import downloads
from tests.actors import LOCAL

GOLDEN = Path(__file__).parent / "golden" / "export"
AGENCY = "某某市生态环境局"
CLERK = Actor("clerk1", "clerk", (AGENCY,), "王科员")
REVIEWER = Actor("rev1", "reviewer", (AGENCY,))
ADMIN = Actor("admin1", "admin")
SETUP = Actor.single_user("准备数据")
STEPS: dict[StatusCode, tuple[StatusCode, ...]] = {
    "drafting": (), "submitted": ("submitted",), "returned": ("submitted", "returned"),
    "approved": ("submitted", "approved"), "published": ("submitted", "approved", "published"),
}


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[ReportStore, ReviewStore]]:
    store = ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
    yield store, ReviewStore(store.engine)


def report_in(stores: tuple[ReportStore, ReviewStore], status: StatusCode) -> int:
    store, review = stores
    rid = store.create(load_example("example-2021"), actor=LOCAL)[0]
    for step in STEPS[status]:
        review.transition(rid, step, actor=SETUP, reason="准备测试数据")
    return rid


def offer(stores: tuple[ReportStore, ReviewStore], rid: int, actor: Actor = CLERK,
          page_report: Report | None = None) -> downloads.ExportOffer:
    store, review = stores
    return downloads.export_offer(review, rid, page_report or store.load(rid, actor=LOCAL)[0], review.status(rid, actor=SETUP),
                                  actor=actor)


@pytest.mark.parametrize("status", ["drafting", "submitted", "returned"])
def test_before_approval_every_download_is_a_draft(stores: tuple[ReportStore, ReviewStore], status: StatusCode) -> None:
    rid = report_in(stores, status)
    got = offer(stores, rid)
    assert not got.final and "尚未审核通过" in got.notice
    assert [d.fmt for d in got.downloads] == ["md", "html", "docx"]
    for d in got.downloads:
        assert not d.final and "（草稿）" in d.file_name and d.file_name.endswith(f".{d.fmt}")
    md, html, docx = (d.make() for d in got.downloads)
    assert "草稿，未经校验，不得发布" in md.decode() and "尚未审核通过" in md.decode()
    assert md.decode().startswith("---\n")  # the draft keeps its metadata: it imports back
    assert "草稿，未经校验，不得发布" in html.decode() and 'content="draft"' in html.decode()
    document = Document(io.BytesIO(docx))
    assert document.core_properties.category == "草稿"
    assert any("尚未审核通过" in p.text for p in document.paragraphs)


@pytest.mark.parametrize("status", ["approved", "published"])
def test_an_approved_report_gets_the_final_exports(stores: tuple[ReportStore, ReviewStore], status: StatusCode) -> None:
    store, _ = stores
    rid = report_in(stores, status)
    got = offer(stores, rid)
    assert got.final and not got.notice
    by_key = {d.key: d for d in got.downloads}
    assert list(by_key) == ["download_final_md", "download_final_html", "download_final_docx", "download_roundtrip_md"]
    assert all(d.final and "草稿" not in d.file_name for d in got.downloads)
    publication = by_key["download_final_md"].make().decode()
    assert not publication.startswith("---") and "gkassist:" not in publication and "草稿" not in publication
    roundtrip = by_key["download_roundtrip_md"].make().decode()
    assert roundtrip.startswith("---\ngkassist: 1\nstatus: checked\n")
    assert by_key["download_roundtrip_md"].file_name.endswith("（含元数据）.md")
    back = import_markdown(roundtrip).report
    assert back is not None and back.model_dump() == store.load(rid, actor=LOCAL)[0].model_dump()
    assert "草稿" not in by_key["download_final_html"].make().decode()
    assert Document(io.BytesIO(by_key["download_final_docx"].make())).core_properties.category == "正式稿"


def test_the_final_exports_are_the_stored_approved_copy(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, _ = stores
    rid = report_in(stores, "approved")
    on_page = store.load(rid, actor=LOCAL)[0]
    on_page.sections["s6"] = "页面上未能保存的一句改动。"  # e.g. an edit the freeze refused
    got = offer(stores, rid, page_report=on_page)
    assert "未能保存的一句改动" not in got.downloads[0].make().decode()


def test_final_exports_are_refused_below_the_ui(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    with pytest.raises(ReviewError, match="尚未审核通过"):
        review.final_copy(report_in(stores, "submitted"), actor=CLERK)
    approved = report_in(stores, "approved")
    with pytest.raises(AccessDenied):
        review.final_copy(approved, actor=ADMIN)
    assert review.final_copy(approved, actor=REVIEWER)[1] == 1
    other = Actor("clerk9", "clerk", ("另一个局",))
    got = offer(stores, approved, actor=other)  # the page would not even open it; the offer is drafts only
    assert not got.final and "不是您负责的单位" in got.notice


def test_downloads_are_audited_when_made(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, _ = stores
    with store.engine.connect() as conn:
        mark = int(conn.scalar(select(func.max(audit_table.c.id))) or 0)
    rid = report_in(stores, "approved")
    got = offer(stores, rid)
    got.downloads[2].make()
    exports = [e for e in read_entries(store.engine, after_id=mark) if e.action == "export"]
    assert [(e.actor, e.target, e.detail["format"], e.detail["kind"]) for e in exports] == [
        ("clerk1", f"报告{rid}", "docx", "正式稿")
    ]


# ---------------------------------------------------------------- golden files


def _publication() -> str:
    report = load_example("example-2021")
    outcome = export_report(report, "md", metadata=False)
    assert outcome.text is not None
    return outcome.text


def _unapproved_draft() -> str:
    return render_markdown(load_example("example-2021"), status="draft", open_findings=[],
                           draft_note=downloads.draft_note("submitted"))


GOLDEN_FILES = {"example-2021-publication.md": _publication, "example-2021-draft-submitted.md": _unapproved_draft}


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_rendered_exports_match_golden_files(name: str) -> None:
    # Regenerate after an intended change:  python -c "from tests.test_review_exports import regenerate; regenerate()"
    assert GOLDEN_FILES[name]() == (GOLDEN / name).read_text(encoding="utf-8")


def regenerate() -> None:
    for name, make in GOLDEN_FILES.items():
        (GOLDEN / name).write_text(make(), encoding="utf-8")


def test_an_export_needs_the_export_permission(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    rid = report_in(stores, "drafting")
    with pytest.raises(AccessDenied):
        review.record_export(rid, "md", False, actor=ADMIN)
    with pytest.raises(AccessDenied):
        review.record_export(rid, "md", False, actor=Actor("clerk9", "clerk", ("另一个局",)))
    review.record_export(rid, "md", False, actor=REVIEWER)  # a reviewer may export the draft of an assigned agency
