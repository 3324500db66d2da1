"""Every page renders user and imported text as text: with the attack in the agency, the
narrative, a sub-row, a cell, notes, last year's report and an audited file, no markdown that
Streamlit renders (markdown, write, caption, alerts, titles, expander labels) carries an image,
a link, an icon, a colour or a formula made from it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from gkassist.drafting.types import DraftResult, Provenance
from gkassist.storage import ReportStore
from gkassist.ui import drafting_glue, last_year_source, safe
from gkassist.ui import review_actions as ra
from gkassist.ui.safe import md_escape, show_stream
from tests.actors import LOCAL, as_user
from tests.app.support import PAGES, open_app
from tests.untrusted import ATTACK, UNESCAPED_MARKERS, hostile_last_year, hostile_report, hostile_seed_text

RENDER = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
MARKDOWN_KINDS = ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header")


def markdown_sources(at: AppTest) -> list[str]:
    """Every string this run gave Streamlit to render as markdown."""
    out: list[str] = []
    for kind in MARKDOWN_KINDS:
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(e.label) for e in at.expander]
    return out


def assert_inert(sources: list[str]) -> None:
    assert sources
    for source in sources:
        unescaped = re.sub(r"\\.", "", source)  # what is left once every escaped character is gone
        for marker in UNESCAPED_MARKERS:
            assert marker not in unescaped, (marker, source)
        html = RENDER.render(source)
        assert "<a " not in html and "<img" not in html, (source, html)


def attack_shown(at: AppTest) -> bool:
    """The attack is on the page as text (escaped), not dropped."""
    return any(md_escape(ATTACK) in s for s in markdown_sources(at))


@pytest.mark.parametrize("page", ["reports", "basic", "tables", "highlights", "drafting", "check_export", "settings"])
def test_report_pages_show_the_attack_as_text(store: ReportStore, page: str) -> None:
    at, _ = open_app(store, hostile_report(), page, timeout=60)
    assert_inert(markdown_sources(at))
    if page in ("reports", "basic", "check_export", "drafting"):
        assert attack_shown(at), page


def test_check_export_quotes_hostile_sentences_escaped(store: ReportStore) -> None:
    at, _ = open_app(store, hostile_report(), "check_export", timeout=60)
    quoted = [s for s in markdown_sources(at) if "写道" in s]  # findings that quote a sentence
    assert quoted and any(md_escape("![x](http://") in s for s in quoted)
    assert any("已确认" in s and md_escape(ATTACK) in s for s in markdown_sources(at))  # the ack note


def test_import_messages_and_version_notes_are_escaped(store: ReportStore) -> None:
    report = hostile_report()
    at, rid = open_app(store, report, "basic", timeout=60)
    name = f"上年{ATTACK}.txt"
    outcome = last_year_source.read_last_year(at.session_state["report"], hostile_seed_text().encode("utf-8"), name, prefill=True)
    at.session_state["import_outcome"] = outcome
    at.run()
    assert not at.exception, at.exception
    assert_inert(markdown_sources(at))
    store.save(rid, at.session_state["report"], at.session_state["version"], actor=as_user(f"王{ATTACK}"), note=f"导入上年报告：{name}")
    at.switch_page(f"{PAGES}/reports.py").run()
    assert not at.exception, at.exception
    at.button(key=f"open_{rid}").click().run()
    assert_inert(markdown_sources(at))
    assert any(md_escape(f"王{ATTACK}") in s for s in markdown_sources(at))  # 更新人 in the list


def test_compare_page_diffs_are_escaped(store: ReportStore) -> None:
    report = hostile_report()
    report.last_year = hostile_last_year()
    at, _ = open_app(store, report, "compare", timeout=60)
    sources = markdown_sources(at)
    assert_inert(sources)
    diff = [s for s in sources if "＋" in s or "～" in s or "－" in s]
    assert diff and any(md_escape("[x](http://") in s for s in diff)  # "!" ends a sentence


def test_audit_page_escapes_names_reasons_and_findings(store: ReportStore) -> None:
    at, _ = open_app(store, None, "audit", timeout=60)
    at.session_state["audit_results"] = ra.audit_uploads([
        (f"报告{ATTACK}.txt", hostile_seed_text().encode("utf-8")),
        (f"坏{ATTACK}.txt", f"不是报告{ATTACK}".encode()),
    ])
    at.run()
    assert not at.exception, at.exception
    for pick in (0, 1):
        at.selectbox(key="audit_pick").set_value(pick).run()
        assert not at.exception, at.exception
        assert_inert(markdown_sources(at))


def test_escaped_text_reads_as_typed() -> None:
    shown = RENDER.render(md_escape(ATTACK + " **粗** # 1. <b>x</b> &amp;")).replace(safe.WORD_JOINER, "")
    assert shown.count("<p>") == 1 and "<a " not in shown and "<strong>" not in shown
    assert "![x](http://example.invalid/md.png)" in shown and "&amp;amp;" in shown


def test_stream_is_shown_escaped_as_a_whole_and_kept_raw() -> None:
    shown: list[str] = []
    chunks = ["![x](http:", "//example.invalid/a.png) www", ".example.com a", "@b.example"]
    assert show_stream(iter(chunks), shown.append) == "".join(chunks)
    assert len(shown) == 4
    html = RENDER.render(shown[-1])
    assert "<a " not in html and "<img" not in html
    assert html.replace(safe.WORD_JOINER, "") == RENDER.render(md_escape_plain("".join(chunks)))


def md_escape_plain(text: str) -> str:
    """Backslash escapes only (no word joiners), for comparing what the two display."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def test_bare_urls_and_addresses_are_not_linked() -> None:
    """remark-gfm links URLs after escapes are resolved: the word joiner stops that."""
    text = "见 http://example.invalid/x 和 www.example.invalid，邮箱 a.b@example.invalid。"
    escaped = md_escape(text)
    assert escaped.replace(safe.WORD_JOINER, "").replace("\\", "") == text
    for pattern in (r"https?://", r"www(?=\.)", r"[-.\w+]@"):  # mdast-util-gfm-autolink-literal's
        assert not re.search(pattern, escaped.replace("\\", ""), re.I), pattern


def test_drafting_page_shows_a_hostile_llm_reply_as_text(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The streamed reply is escaped while it streams; the candidate holds the reply as sent."""
    chunks = ["![x](http:", "//example.invalid/a.png) ", ATTACK]
    shown: list[str] = []

    def fake_start(report: Any, section_id: str, drafter: str, settings: Any = None) -> drafting_glue.DraftRun:
        # a finished run: only a finished draft becomes a candidate (an unfinished stream is none)
        result = DraftResult(section="s1", text="".join(chunks), provenance=Provenance(drafter="template", section="s1"))
        return drafting_glue.DraftRun(chunks=iter(chunks), result=result)

    real_stream = drafting_glue.stream_attempts

    def spy(stream: Any, open_area: Any) -> Any:
        def opened(attempt: Any) -> Any:
            show = open_area(attempt)
            return lambda text: (shown.append(text), show(text))[1]

        return real_stream(stream, opened)

    monkeypatch.setattr(drafting_glue, "start_draft", fake_start)
    monkeypatch.setattr(drafting_glue, "stream_attempts", spy)
    report = hostile_report()
    report.sections.pop("s1")
    at, rid = open_app(store, report, "drafting", timeout=60)
    at.button(key="generate").click().run()
    assert not at.exception, at.exception
    assert len(shown) == 3
    assert_inert(shown)
    assert at.session_state[f"candidate_{rid}_s1"].text == "".join(chunks)
    assert store.load(rid, actor=LOCAL)[0].section("s1") == ""  # never written without the clerk
    assert_inert(markdown_sources(at))
