"""Text typed and not yet applied is saved before the clerk leaves the page, or the browser asks.

Streamlit applies a text field when it loses focus (or on Enter / Ctrl+Enter); the field's
on_change callback then autosaves. Two ways of leaving lose or swallow that:

- a click on another page in the sidebar: the click blurs the field, whose save starts a rerun
  that swallows the page change (the clerk stays on the page and has to click again). The
  script below holds such a click until the save's rerun has finished, then clicks again (a
  click during any other run is held too, for at most two seconds; a second click on a page
  while one is held replaces it, so the page the clerk chose last is the one shown);
- closing or reloading the tab: no rerun can finish. The field is blurred (its value sent,
  when the connection still takes it) and the browser's own "leave this page?" prompt asks.

A few lines of script in the page itself (st.html with JavaScript, nothing fetched), installed
once per browser tab.
"""

from __future__ import annotations

import streamlit as st

_SCRIPT = """
<script>
(() => {
  const w = window;
  if (w.__gkassistLeaveGuard) return;
  w.__gkassistLeaveGuard = true;
  const doc = w.document;
  const FIELDS = 'textarea, input[type="text"], input[type="number"], input[type="password"], input:not([type])';
  const LINKS = '[data-testid="stSidebarNav"] a, a[data-testid^="stPageLink"]';
  let dirty = null;      // the field typed into and not yet applied
  let appliedAt = 0;     // when a typed field was last applied (its save reruns the page)
  const isField = el => el && el.matches && el.matches(FIELDS) && !el.closest('#portal');
  const scriptState = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute('data-test-script-state') : null;
  };
  doc.addEventListener('input', e => { if (isField(e.target)) dirty = e.target; }, true);
  doc.addEventListener('keydown', e => {
    const enter = e.key === 'Enter' && (e.target.tagName !== 'TEXTAREA' || e.ctrlKey || e.metaKey);
    if (enter && e.target === dirty) { dirty = null; appliedAt = Date.now(); }
  }, true);
  doc.addEventListener('focusout', e => {
    if (e.target === dirty) { dirty = null; appliedAt = Date.now(); }
  }, true);
  // A page link clicked while a just-applied field is being saved: wait for the save's rerun.
  // While one click is held, a later click on another page replaces it: the last choice wins.
  let pending = null;
  let replaying = false;
  doc.addEventListener('click', e => {
    const link = e.target.closest && e.target.closest(LINKS);
    if (!link || replaying) return;
    if (pending) { e.preventDefault(); e.stopImmediatePropagation(); pending = link; return; }
    if (dirty) { dirty.blur(); }   // a field typed into that still has focus (keyboard users)
    const saving = Date.now() - appliedAt <= 3000;
    if (!saving && scriptState() === 'notRunning') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    pending = link;
    const started = Date.now();
    // a save is waited for; any other run (a button's) briefly, so a long one (a draft) never traps the clerk
    const patience = saving ? 10000 : 2000;
    let seenRun = false;
    const wait = () => {
      const stateNow = scriptState();
      if (stateNow && stateNow !== 'notRunning') seenRun = true;
      const idle = stateNow === 'notRunning' && (seenRun || !saving || Date.now() - started > 1000);
      if (idle || Date.now() - started > patience) {
        const target = pending;
        appliedAt = 0;
        pending = null;
        replaying = true;
        try { target.click(); } finally { replaying = false; }
      } else {
        w.setTimeout(wait, 50);
      }
    };
    w.setTimeout(wait, 50);
  }, true);
  w.addEventListener('beforeunload', e => {
    if (!dirty) return;
    dirty.blur();
    e.preventDefault();
    e.returnValue = 'unsaved';  // older browsers ask only when this is not empty
  });
})();
</script>
"""


def guard_typed_text() -> None:
    """Call once per script run, after the page (an empty element at the end takes no room;
    in the sidebar it would draw a rule under the page links)."""
    st.html(_SCRIPT, unsafe_allow_javascript=True)
