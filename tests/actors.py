"""The acting users tests pass to the storage (every ReportStore call takes one).

Most tests act as the single user of a local installation, who may do everything; ``as_user``
gives that user a name (recorded as the version author). Signed-in roles are built in the tests
of gkassist.access and of the refusals themselves.
"""

from __future__ import annotations

from gkassist.access import Actor

LOCAL = Actor.single_user("测试员")


def as_user(name: str) -> Actor:
    """The single user under ``name`` (what a version records as its author)."""
    return Actor.single_user(name)


def admin(name: str = "admin", source: str = "") -> Actor:
    """An administrator account (accounts, agencies, the audit trail), e.g. the command line."""
    return Actor(username=name, role="admin", display_name=name, source=source)
