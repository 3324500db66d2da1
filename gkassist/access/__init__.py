"""Who is acting and what they may do: the one permission check below the UI and the storage.

Every read and write in ``gkassist.storage`` takes an :class:`Actor` and calls :func:`require`;
the UI only decides which buttons to show. Single-user mode (no sign-in, 127.0.0.1) acts as
:meth:`Actor.single_user`, who may do everything.
"""

from gkassist.access.actor import SINGLE_USER_ROLE, Actor
from gkassist.access.permissions import AccessDenied, Action, allowed, permissions, require

__all__ = ["SINGLE_USER_ROLE", "AccessDenied", "Action", "Actor", "allowed", "permissions", "require"]
