"""历史版本 of the open report: who saved each version and when, what changed between any two,
and restoring one (which saves it as a new version; history is never rewritten).

The difference itself is gkassist.storage.history's; this module only lays it out. Saved text
is the clerk's: it is shown as text (tables) or escaped, never as markup.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import streamlit as st

from gkassist.access import AccessDenied
from gkassist.storage import ConflictError, ReportNotFoundError, StorageError, VersionInfo
from gkassist.storage.review_status import FrozenError
from gkassist.ui import acting, clerk, state
from gkassist.ui.safe import md_escape

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    from gkassist.storage.history import TextChange, ValueChange, VersionDiff

BEIJING = timezone(timedelta(hours=8), "北京时间")  # versions are stored in UTC
RESTORED = "_history_restored"  # the message of the last restore, shown after the rerun


def when(moment: datetime) -> str:
    """A stored (naive UTC) time as the clerk's clock shows it."""
    return f"{moment.replace(tzinfo=UTC).astimezone(BEIJING):%Y-%m-%d %H:%M:%S}"


def version_label(v: VersionInfo) -> str:
    return f"第{v.version}版 · {when(v.created_at)} · {v.author or clerk.UNNAMED}"


def versions_table(versions: list[VersionInfo]) -> pd.DataFrame:
    # Deferred: pandas takes ~0.6 s to import, and the report list's first run shows no table.
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    return pd.DataFrame(
        {
            "版本": [f"第{v.version}版" for v in versions],
            "保存时间（北京时间）": [when(v.created_at) for v in versions],
            "保存人": [v.author or clerk.UNNAMED for v in versions],
            "说明": [v.note for v in versions],
        },
        dtype="string",
    )


def restore(version: int) -> str | None:
    """Save ``version``'s content as the report's new version and open it; the Chinese reason
    when that could not be done."""
    try:
        restored, new_version = state.store().restore(
            state.report_id(), version, int(st.session_state[state.VERSION]), actor=acting.actor()
        )
    except (ConflictError, ReportNotFoundError, FrozenError) as exc:
        return str(exc)
    except (StorageError, AccessDenied) as exc:
        return f"没有恢复：{exc.message_zh()}"
    st.session_state[state.REPORT] = restored
    st.session_state[state.VERSION] = new_version
    st.session_state.pop(state.CONFLICT, None)
    st.session_state[RESTORED] = f"已将第{version}版的内容恢复为第{new_version}版（由第{version}版恢复）。"
    state.bump()  # every page's widgets re-read the restored report
    return None


def _value_changes(title: str, changes: list[ValueChange], place: str) -> None:
    if changes:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # deferred as in versions_table

        st.markdown(f"**{title}（{len(changes)}处）**")
        frame = pd.DataFrame(
            {place: [c.place for c in changes], "原值": [c.old for c in changes], "新值": [c.new for c in changes]},
            dtype="string",
        )
        st.dataframe(frame, hide_index=True, width="stretch")


def _text_change(change: TextChange) -> None:
    from gkassist.compare.narrative import STATUS_ZH  # deferred as in show()

    st.markdown(f"**{md_escape(change.place)}**（{len(change.sentences)}句）")
    for d in change.sentences:
        mark = f"【{STATUS_ZH[d.status]}】"  # the words of the drafting desk's marks (drafting_glue.DIFF_MARKS)
        if d.status == "changed":
            st.markdown(f"{mark} ~~{md_escape(d.previous)}~~  \n改为：{md_escape(d.text)}")
        elif d.status == "dropped":
            st.markdown(f"{mark} ~~{md_escape(d.text)}~~")
        else:
            st.markdown(f"{mark} {md_escape(d.text)}")


def show_diff(diff: VersionDiff) -> None:
    st.info(diff.summary_zh())
    _value_changes("基本信息", diff.fields, "项目")
    _value_changes("表格单元格", diff.cells, "单元格")
    for change in diff.texts:
        _text_change(change)
    for line in diff.others:
        st.markdown(f"- {md_escape(line)}")


def show() -> None:
    """The history of the open report (call inside its expander)."""
    if RESTORED in st.session_state:
        st.success(md_escape(st.session_state.pop(RESTORED)))
    rid = state.report_id()
    versions = state.store().versions(rid, actor=acting.actor())
    if not versions:
        return
    st.dataframe(versions_table(versions), hide_index=True, width="stretch", height=min(len(versions), 8) * 35 + 38)
    if len(versions) < 2:
        st.caption("目前只有一个版本。每次修改都会自动保存为新版本。")
        return
    labels = {v.version: version_label(v) for v in versions}
    numbers = list(labels)  # newest first
    st.markdown("**比较两个版本**")
    c1, c2 = st.columns(2)
    newer = c2.selectbox("较新的版本", numbers, index=0, format_func=labels.__getitem__, key=f"history_newer_{rid}")
    older = c1.selectbox("较早的版本", numbers, index=1, format_func=labels.__getitem__, key=f"history_older_{rid}")
    if newer is None or older is None:
        return
    if older == newer:
        st.caption("请选择两个不同的版本。")
    else:
        # Deferred: the difference loads gkassist.compare and with it the check engine (~0.2 s),
        # which the report list's first run, with no report open, does not need.
        from gkassist.storage.history import diff_versions

        show_diff(diff_versions(state.store(), rid, int(older), int(newer), actor=acting.actor()))
    current = int(st.session_state[state.VERSION])
    buttons = st.columns(2)
    for column, version in zip(buttons, dict.fromkeys((int(older), int(newer))), strict=False):
        if version != current and column.button(
            f"恢复第{version}版", key=f"restore_{version}", help="把这一版的内容另存为最新版本；之后的各版仍保留，可随时再恢复。"
        ):
            problem = restore(version)
            if problem:
                st.error(md_escape(problem))
            else:
                st.rerun()
