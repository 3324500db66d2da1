"""Review comments on the pages: each comment with its replies, a reply box and 标为已解决, and the
forms a reviewer comments with. Every call passes the acting user (gkassist.ui.acting); storage
refuses what the role does not allow, and the refusal is shown in Chinese where it was tried.
Buttons a role has no use for are not shown, but that is not the protection. All text shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

import streamlit as st

from gkassist.access import AccessDenied, Action, allowed
from gkassist.layouts import TableId
from gkassist.model import Report, SectionId
from gkassist.names import section_name
from gkassist.storage import ReportNotFoundError, StorageError, default_database_url
from gkassist.storage.comments import MAX_BODY, Anchor, Comment, CommentError, CommentStore
from gkassist.ui import acting, comments_view, state
from gkassist.ui.errors import guarded_callback
from gkassist.ui.history_view import when
from gkassist.ui.safe import md_escape
from gkassist.ui.sentence_select import box_key

NOTICE = "_comment_notice"  # (kind, message) of the last action, shown by the next run
_EXPECTED = (AccessDenied, CommentError, StorageError, ReportNotFoundError)
_FIRST_BOX = 10_000  # sentence-select keys of comments stay apart from those of findings


@lru_cache(maxsize=4)  # one per database, sharing the report store's engine
def _store_for(url: str) -> CommentStore:
    return CommentStore(state.store().engine)


def store() -> CommentStore:
    return _store_for(default_database_url())


def load(report_id: int) -> list[Comment]:
    """The report's comments; a refusal or a database failure is shown and nothing is listed."""
    try:
        return store().comments(report_id, actor=acting.actor())
    except _EXPECTED as exc:
        st.error(md_escape(f"无法显示审核意见：{exc}"))
        return []


def _may(action: Action, report: Report) -> bool:
    return allowed(acting.actor(), action, report.meta.agency)


def _may_comment(report: Report) -> bool:
    """The comment forms are for signed-in reviewers: a single-user installation has no review
    loop, and its one user is not shown forms to comment on their own report."""
    return not acting.actor().is_single_user and _may("comment.add", report)


def _text(body: str) -> str:
    """A comment's text as markdown that shows it as typed, line breaks kept."""
    return "  \n".join(md_escape(line) for line in body.splitlines())


def show_open_line(comments: list[Comment], here: list[Comment] | None = None, here_name: str = "本页") -> None:
    line = comments_view.open_line(comments, here, here_name)
    if line:
        st.warning(md_escape(line))


def _show_notice() -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, message = notice
        (st.error if kind == "error" else st.success)(md_escape(message))


def _run(action: Callable[[], object], done: str) -> bool:
    try:
        action()
    except _EXPECTED as exc:
        st.session_state[NOTICE] = ("error", str(exc))
        return False
    st.session_state[NOTICE] = ("success", done)
    return True


@guarded_callback("回复审核意见")
def _reply(comment_id: int, text_key: str) -> None:
    body = str(st.session_state.get(text_key) or "")
    if _run(lambda: store().reply(comment_id, body, actor=acting.actor()), "已回复。"):
        st.session_state[text_key] = ""


@guarded_callback("将审核意见标为已解决")
def _resolve(comment_id: int) -> None:
    def resolve() -> None:
        if not store().resolve(comment_id, actor=acting.actor()):
            raise CommentError("这条审核意见已经被标为已解决（可能是其他人刚刚处理的），无需再次操作。")

    _run(resolve, "已标为已解决。")


@guarded_callback("发表审核意见")
def _add(text_key: str, anchor_of: Callable[[Report], Anchor | None]) -> None:
    report = state.current()
    if report is None:
        return
    anchor = anchor_of(report)
    if anchor is None:
        st.session_state[NOTICE] = ("error", "没有选择审核意见针对的位置，没有保存。请先在上方选择单元格或句子。")
        return
    body = str(st.session_state.get(text_key) or "")
    if _run(lambda: store().add(state.report_id(), anchor, body, actor=acting.actor()), "审核意见已发表。"):
        st.session_state[text_key] = ""


def show_comment(comment: Comment, report: Report, place: bool = True) -> None:
    """One comment: who, when, where, its text, its replies; reply and resolve when allowed."""
    with st.container(border=True, key=f"cmt_box_{comment.id}"):
        status = "未解决" if comment.is_open else "已解决"
        st.markdown(f"**审核意见（{status}）** · {md_escape(comment.by)} · {when(comment.created_at)}")
        where = comments_view.place_name(comment) if place else ""
        if comment.anchor.kind == "cell":
            then, now = comments_view.cell_value_then(comment), comments_view.cell_value_now(report, comment)
            changed = f"，现在为“{now}”" if now != then else "，至今未改"
            where = (where + "，" if where else "") + f"提出意见时的值为“{then}”{changed}"
        if where:
            st.caption("位置：" + md_escape(where))
        st.markdown(_text(comment.body))
        for reply in comment.replies:
            st.markdown(f"↳ **{md_escape(reply.by)}**（{when(reply.created_at)}）：{_text(reply.body)}")
        if not comment.is_open:
            st.caption(md_escape(f"已由{comment.resolved_by or '未署名用户'}于{when(comment.resolved_at)}标为已解决。")
                       if comment.resolved_at else "已解决。")
            return
        can_reply, can_resolve = _may("comment.reply", report), _may("comment.resolve", report)
        if can_reply:
            text_key = f"cmt_reply_text_{comment.id}"
            st.text_area("回复", key=text_key, height=68, max_chars=MAX_BODY,
                         placeholder="写下您的回复，例如已如何处理，或还需要对方说明什么。")
        buttons = st.container(horizontal=True)
        if can_reply:
            buttons.button("回复", key=f"cmt_reply_{comment.id}", on_click=_reply, args=(comment.id, text_key))
        if can_resolve:
            buttons.button("标为已解决", key=f"cmt_resolve_{comment.id}", on_click=_resolve, args=(comment.id,),
                         help="意见已处理完毕时点击。所有意见解决后，报告才能通过审核。")


def show_list(comments: list[Comment], report: Report, place: bool = True) -> None:
    """Open comments shown in full, resolved ones folded away."""
    for c in comments:
        if c.is_open:
            show_comment(c, report, place)
    resolved = [c for c in comments if not c.is_open]
    if resolved:
        with st.expander(f"已解决的审核意见（{len(resolved)}条）"):
            for c in resolved:
                show_comment(c, report, place)


def _add_form(label: str, key: str, anchor_of: Callable[[Report], Anchor | None],
              choose: Callable[[], None] | None = None) -> None:
    with st.expander(label):
        if choose is not None:
            choose()
        st.text_area("审核意见", key=f"cmt_new_{key}", max_chars=MAX_BODY,
                     placeholder="写明需要修改什么、为什么，例如：此数与上年报告的结转数不一致，请核实。")
        st.button("发表审核意见", key=f"cmt_add_{key}", on_click=_add, args=(f"cmt_new_{key}", anchor_of))


# 数据填报


def _chosen_cell(choice_key: str, report: Report) -> Anchor | None:
    address = st.session_state.get(choice_key)
    return comments_view.cell_anchor(report, address) if isinstance(address, str) else None


def show_table_comments(report: Report, table_id: TableId, comments: list[Comment]) -> None:
    """Under the grid: this table's comments with each cell's name, and the reviewer's form."""
    here = comments_view.for_table(comments, table_id)
    if here or _may_comment(report):
        st.subheader(f"本表的审核意见（未解决{sum(c.is_open for c in here)}条）")
    _show_notice()
    show_list(here, report)
    if _may_comment(report):
        choices = comments_view.cell_choices(report, table_id)
        choice_key = f"cmt_cell_{table_id}"

        def choose() -> None:
            st.selectbox("单元格", list(choices), format_func=choices.__getitem__, key=choice_key,
                         help="可输入行名或列名筛选。")

        _add_form("对本表的单元格提出审核意见", f"cell_{table_id}", partial(_chosen_cell, choice_key), choose)


# 起草


def _chosen_sentence(section: SectionId, choice_key: str, report: Report) -> Anchor | None:
    index = st.session_state.get(choice_key)
    text = report.section(section)
    if not isinstance(index, int) or not 0 <= index < len(comments_view.sentences(text)):
        return None
    return comments_view.sentence_anchor(section, text, index)


def show_section_comments(report: Report, section: SectionId, text_key: str, comments: list[Comment]) -> None:
    """Under the text: each commented sentence (a click selects it in the text area ``text_key``)
    with its comments; then those whose sentence has been rewritten since; then the form."""
    text = report.section(section)
    placed, gone = comments_view.for_section(comments, section, text)
    count = sum(c.is_open for item in placed for c in item.comments) + sum(c.is_open for c in gone)
    if placed or gone or _may_comment(report):
        st.subheader(f"{section_name(section)}的审核意见（未解决{count}条）")
    _show_notice()
    if placed:
        st.caption("点击意见上方引用的句子，可在上方文本框中选中它。")
    for i, item in enumerate(placed):
        with st.container(key=box_key(_FIRST_BOX + i, text, item.start, item.end, text_key)):
            st.markdown(f"> {md_escape(item.sentence)}")
        show_list(item.comments, report, place=False)
    if gone:
        st.caption("以下意见针对的句子已被修改，引用的是提出意见时的原句：")
        for c in gone:
            st.markdown(f"> {md_escape(c.anchor.quote)}")
            show_list([c], report, place=False)
    if _may_comment(report):
        options = comments_view.sentences(text)
        choice_key = f"cmt_sentence_{section}"

        def choose() -> None:
            if not options:
                st.info("本部分还没有正文，暂时不能对句子提出意见。")
            st.selectbox("句子", range(len(options)), format_func=lambda i: f"第{i + 1}句：{options[i]}",
                         key=choice_key)

        _add_form("对本部分的句子提出审核意见", f"sentence_{section}", partial(_chosen_sentence, section, choice_key),
                  choose)


# 校验与导出


def show_report_comments(report: Report, comments: list[Comment]) -> None:
    """At the top of 校验与导出: the comments on the whole report, where the others are, the form."""
    here = comments_view.for_report(comments)
    elsewhere = [c for c in comments if c.is_open and c.anchor.kind != "report"]
    if here or elsewhere or _may_comment(report):
        st.subheader(f"对整份报告的审核意见（未解决{sum(c.is_open for c in here)}条）")
    _show_notice()
    show_list(here, report)
    if elsewhere:
        st.caption("其余未解决的审核意见在它们所针对的位置显示：")
        for c in elsewhere:
            page = "数据填报" if c.anchor.kind == "cell" else "起草"
            st.markdown(f"- {md_escape(comments_view.place_name(c))}（请到“{page}”页处理）：{md_escape(comments_view.gist(c.body))}")
    if _may_comment(report):
        _add_form("对整份报告提出审核意见", "report", lambda _report: Anchor.report())
