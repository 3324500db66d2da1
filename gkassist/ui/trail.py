"""The audit trail from the app: events recorded as the acting user, and the administrator's view.

Settings changes record which fields changed, never their values (an API key never reaches the
trail; gkassist.storage.audit_log also masks anything shaped like one).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date, datetime, time, timedelta

from gkassist.access import Actor
from gkassist.drafting.session_settings import SessionSettings
from gkassist.drafting.settings import PAGE_LABELS
from gkassist.storage.audit_log import ACTION_LABELS_ZH, AuditEntry, AuditFilter, query, record
from gkassist.ui import acting, signin

COLUMNS = ("时间", "账号", "操作", "对象", "来源", "详情")
# the Chinese name of each detail an entry may carry (an unknown one is shown by its key)
DETAIL_LABELS_ZH = {
    "reason": "原因", "consequence": "后果", "failures_in_a_row": "连续失败次数", "role": "角色",
    "agencies": "单位", "agency": "单位", "method": "登录方式", "action": "操作", "fields": "改动的设置项",
    "kind": "身份类型", "value": "身份", "email": "电子邮箱", "subject": "用户标识", "comment": "意见编号",
    "format": "格式", "anchor": "位置",
}
MAX_ROWS = 5000  # the page shows (and the CSV holds) at most this many of the newest entries


def _who(actor: Actor) -> str:
    return actor.username or actor.role_zh


def settings_changed(before: SessionSettings | None, after: SessionSettings | None) -> None:
    """Record which of this session's LLM settings changed (nothing when none did)."""
    old = before.model_dump() if before is not None else {}
    new = after.model_dump() if after is not None else {}
    changed = [label for name, label in PAGE_LABELS.items() if old.get(name) != new.get(name)]
    if not changed:
        return
    actor = acting.actor()
    who = dataclasses.replace(actor, username=_who(actor), source=signin.source())
    record(signin.accounts().engine, who, "settings_changed", target="设置（大模型，本浏览器会话）",
           detail={"fields": "、".join(changed)})


def read(since: date | None, until: date | None, action_labels: list[str], account: str, text: str,
         ) -> list[AuditEntry]:
    """The entries the administrator asked for, newest first (AccessDenied for anyone else)."""
    codes = {label: code for code, label in ACTION_LABELS_ZH.items()}
    wanted = AuditFilter(
        since=datetime.combine(since, time.min) if since else None,
        until=datetime.combine(until, time.min) + timedelta(days=1) if until else None,
        actions=tuple(codes[label] for label in action_labels if label in codes),
        actor=account.strip()[:100],
        text=text.strip()[:100],
    )
    return query(signin.accounts().engine, wanted, actor=acting.actor(), limit=MAX_ROWS)


def _detail(entry: AuditEntry) -> str:
    return "；".join(f"{DETAIL_LABELS_ZH.get(key, key)}：{value}" for key, value in entry.detail.items())


def rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    return [
        dict(zip(COLUMNS, (e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action_zh, e.target, e.source, _detail(e)),
                 strict=True))
        for e in entries
    ]


def csv_bytes(entries: list[AuditEntry]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese correctly. A cell that a
    spreadsheet would read as a formula is prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows(entries):
        writer.writerow({k: ("'" + v if v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def action_labels() -> list[str]:
    return list(ACTION_LABELS_ZH.values())
