"""A headless Streamlit client for the load test: what a browser tab says to the app server.

A browser tab holds one websocket to ``/_stcore/stream``. It asks for a script run with a
``BackMsg.rerun_script`` (the address's query string, the page, the states of the widgets the
user changed), and the server answers with ``ForwardMsg``s: the page's elements as deltas, then
``script_finished``. A widget's id is read from the delta that drew it, exactly as the browser
reads it; typing into a text field and pressing Enter is a rerun with that field's new value,
which runs the field's on_change callback (the app's autosave) before the page.

Blocking sockets (websocket-client) and a reading thread per tab: under locust, gevent makes
them cooperative (greenlets).
"""

from __future__ import annotations

import json
import queue
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import websocket
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RUN_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Component:
    """A custom component as drawn: its id, the data it was given, the fragment it is in."""

    id: str
    data: dict[str, Any]
    fragment_id: str


@dataclass
class PageRun:
    """One script run as the browser receives it."""

    ms: float  # from sending the request to the server's script_finished
    text_inputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (widget id, value)
    text_areas: dict[str, tuple[str, str]] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)  # label -> widget id (the first of a label)
    components: dict[str, Component] = field(default_factory=dict)  # custom components (st.components.v2) by name
    texts: list[str] = field(default_factory=list)  # markdown, captions, alerts and toasts, in order
    alerts: list[str] = field(default_factory=list)  # st.error / st.warning bodies
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash (first run)


class StreamlitTab:
    """One browser tab on one app server."""

    def __init__(self, base_url: str, query: dict[str, str], verify_tls: bool = True) -> None:
        """``base_url``: http://… or, through a TLS proxy, https://… (``verify_tls=False`` accepts a
        self-signed certificate, for tests)."""
        ws_url = base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.query_string = urlencode(query)
        self.pages: dict[str, str] = {}
        self.page_hash = ""
        tls = {} if verify_tls else {"cert_reqs": ssl.CERT_NONE}
        self.ws = websocket.create_connection(ws_url, subprotocols=["streamlit"], timeout=None, sslopt=tls)
        # Read all the time, as a browser does: reading answers the server's pings, and a tab left
        # open without reading is closed by the server as dead.
        self.inbox: queue.Queue[bytes | Exception] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                frame = self.ws.recv()
                self.inbox.put(frame.encode() if isinstance(frame, str) else frame)
        except Exception as exc:  # closed (by us or the server): the next run says so
            self.inbox.put(exc)

    def close(self) -> None:
        self.ws.close()

    def open(self, page: str = "") -> PageRun:
        """Open a page by its address path ("" is the default page), as a click in the sidebar."""
        if page and not self.pages:
            self.pages = self.run().pages  # the first run names the pages
        self.page_hash = self.pages.get(page, "") if page else ""
        if page and not self.page_hash:
            raise LookupError(f"no page at /{page}")
        return self.run()

    def type_text(self, widget_id: str, value: str) -> PageRun:
        """Text typed into a field and applied (Enter), as the browser sends it."""
        return self.run([WidgetState(id=widget_id, string_value=value)])

    def component_event(self, component: Component, event: str, value: object) -> PageRun:
        """An event a custom component sends (its trigger), rerunning only the component's
        fragment when it is in one, as the browser does."""
        trigger = WidgetState(id=_make_trigger_id(component.id, "events"))
        trigger.json_trigger_value = json.dumps([{"event": event, "value": value}])
        return self.run([trigger], fragment_id=component.fragment_id)

    def click(self, button_id: str, typed: dict[str, str] | None = None) -> PageRun:
        """A click on a button (or a form's submit button), with the text typed before it."""
        states = [WidgetState(id=wid, string_value=text) for wid, text in (typed or {}).items()]
        return self.run([*states, WidgetState(id=button_id, trigger_value=True)])

    def run(self, widgets: list[WidgetState] | None = None, fragment_id: str = "") -> PageRun:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.fragment_id = fragment_id
        msg.rerun_script.widget_states.widgets.extend(widgets or [])
        while not self.inbox.empty():  # what the server sent while the tab was idle
            if isinstance(stale := self.inbox.get_nowait(), Exception):
                raise ConnectionError(f"the connection was closed while idle: {stale!r}")
        started = time.perf_counter()
        self.ws.send_binary(msg.SerializeToString())
        result = PageRun(ms=0.0)
        deadline = started + RUN_TIMEOUT_S
        while (left := deadline - time.perf_counter()) > 0:
            try:
                received = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(received, Exception):
                raise ConnectionError(f"the connection was closed: {received!r}")
            reply = ForwardMsg()
            reply.ParseFromString(received)
            kind = reply.WhichOneof("type")
            if kind == "script_finished":
                status = reply.script_finished
                # a fragment's run may become a full run (st.rerun() in it): either ends what was asked
                if status == ForwardMsg.FINISHED_SUCCESSFULLY or (
                    fragment_id and status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                ):
                    result.ms = (time.perf_counter() - started) * 1000
                    return result
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the page did not compile")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run is the page
                    result = PageRun(ms=0.0, pages=result.pages)
            elif kind == "navigation":
                result.pages = {p.url_pathname: p.page_script_hash for p in reply.navigation.app_pages}
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                _read_element(reply.delta.new_element, reply.delta.fragment_id, result)
        raise TimeoutError(f"no script_finished within {RUN_TIMEOUT_S:.0f} s")


def _read_element(element: Any, fragment_id: str, into: PageRun) -> None:
    kind = element.WhichOneof("type")
    inner: Any = getattr(element, kind) if kind else None
    if kind == "text_input":
        into.text_inputs[inner.label] = (inner.id, inner.value)
    elif kind == "text_area":
        into.text_areas[inner.label] = (inner.id, inner.value)
    elif kind == "button":
        into.buttons.setdefault(inner.label, inner.id)
    elif kind == "bidi_component":
        into.components[inner.component_name] = Component(inner.id, json.loads(inner.json or "{}"), fragment_id)
    elif kind in {"markdown", "toast"}:
        into.texts.append(inner.body)
    elif kind == "alert":
        into.texts.append(inner.body)
        into.alerts.append(inner.body)
