"""Chinese for the few words Streamlit's own widgets print in English.

st.file_uploader has no setting for its button text ("Upload") or its size note ("20MB per
file • HTML, …"): the words are replaced with CSS (the labels of our widgets already say which
files are accepted; the size is the import limit, which server.maxUploadSize in
.streamlit/config.toml matches). The grids' toolbar, whose
tooltips are English and whose CSV download is not our export, is hidden. Nothing is fetched.

An uncaught exception shows, with client.showErrorDetails = "none" (.streamlit/config.toml),
only Streamlit's generic English sentence (no type, message or traceback); its box is replaced
by a Chinese one that says what happened and what to do. The details are in the server log.

What CSS cannot reach (the connection-lost dialog, key hints, date placeholders: texts the
frontend draws itself) is rewritten by a script in the page (gkassist/ui/chrome_zh.py, the words
in rules/streamlit_zh.yaml); the same script element carries the click handler that selects a
finding's sentence in its text area (gkassist/ui/sentence_select.py). Its element takes no space.
"""

from __future__ import annotations

import streamlit as st

from gkassist.limits import upload_mb
from gkassist.ui.chrome_zh import chrome_script
from gkassist.ui.sentence_select import SCRIPT as SENTENCE_SELECT_SCRIPT

_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件";
  font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span {
  font-size: 0;
}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "或将文件拖到此处（单个文件不超过__UPLOAD_MB__MB）";
  font-size: 0.875rem;
}
[data-testid="stElementToolbar"] {
  display: none;
}
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script[data-gk-page-script]) {
  display: none;
}
[class*="st-key-gksel-"] {
  cursor: pointer;
}
[data-testid="stException"] > * {
  display: none;
}
[data-testid="stException"]::after {
  content: "本页出错，刚才的操作可能没有完成。请刷新页面后重试；如仍出错，请记下出错时间并联系系统维护人员（详细信息已记入服务器日志）。";
  display: block;
  padding: 1rem;
  border-radius: 0.5rem;
  background-color: rgba(255, 43, 43, 0.09);
  color: rgb(125, 53, 59);
}
</style>
"""


def localize_streamlit_chrome() -> None:
    """Call once per script run, before the page (the style element takes no space)."""
    st.html(_CSS.replace("__UPLOAD_MB__", str(upload_mb())))
    st.html(
        f"<script data-gk-page-script>{chrome_script()}\n{SENTENCE_SELECT_SCRIPT}</script>",
        unsafe_allow_javascript=True,  # our own fixed script: no user text goes into it
    )
