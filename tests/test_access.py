"""The permission table: each role × action × agency case, and the Chinese refusal."""

from __future__ import annotations

import pytest

from gkassist.access import AccessDenied, Actor, allowed, permissions, require

CLERK = Actor("clerk1", "clerk", ("甲局",), "张三")
REVIEWER = Actor("rev1", "reviewer", ("甲局", "乙局"), "李四")
ADMIN = Actor("admin", "admin", (), "王五")
LOCAL = Actor.single_user("赵六")

CASES = [
    (CLERK, "report.edit", "甲局", True),
    (CLERK, "report.edit", "乙局", False),
    (CLERK, "report.read", "乙局", False),
    (CLERK, "report.approve", "甲局", False),
    (CLERK, "comment.add", "甲局", False),
    (CLERK, "comment.reply", "甲局", True),
    (CLERK, "accounts.manage", None, False),
    (REVIEWER, "report.read", "乙局", True),
    (REVIEWER, "report.edit", "甲局", False),
    (REVIEWER, "report.approve", "甲局", True),
    (REVIEWER, "report.approve", "丙局", False),
    (REVIEWER, "report.return", None, False),  # a report action needs the report's agency
    (ADMIN, "accounts.manage", None, True),
    (ADMIN, "audit.read", None, True),
    (ADMIN, "report.read", "甲局", False),
    (LOCAL, "report.approve", "任何单位", True),
    (LOCAL, "accounts.manage", None, True),
]


@pytest.mark.parametrize(("actor", "action", "agency", "expected"), CASES)
def test_allowed(actor: Actor, action: str, agency: str | None, expected: bool) -> None:
    assert allowed(actor, action, agency) is expected  # type: ignore[arg-type]


def test_every_action_has_a_chinese_label() -> None:
    table = permissions()
    assert table.actions
    for policy in table.actions.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in policy.label)


def test_refusal_names_the_user_the_action_and_what_to_do() -> None:
    with pytest.raises(AccessDenied) as caught:
        require(CLERK, "report.edit", "乙局", target="报告3")
    message = str(caught.value)
    assert "张三（clerk1）" in message and "修改报告" in message and "乙局" in message and "管理员" in message
    with pytest.raises(AccessDenied, match="无权通过审核"):
        require(CLERK, "report.approve", "甲局")
