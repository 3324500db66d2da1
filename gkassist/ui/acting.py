"""The acting user of this browser session, handed to every storage call.

Signed in: the account put here by the sign-in (``SIGNED_IN``). Without sign-in (the default
single-user installation on 127.0.0.1): the single user, under the name the clerk typed.
"""

from __future__ import annotations

import streamlit as st

from gkassist.access import Actor
from gkassist.ui import clerk

SIGNED_IN = "_signed_in_actor"  # set by the sign-in, removed by sign-out


def actor() -> Actor:
    signed_in = st.session_state.get(SIGNED_IN)
    if isinstance(signed_in, Actor):
        return signed_in
    return Actor.single_user(clerk.name())
