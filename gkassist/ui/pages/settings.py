"""设置: this browser session's own LLM (address, model, key, drafting options).

What is typed here lives in this session only (gkassist.ui.llm_session). The server's default
model, configured by the administrator in the environment or .streamlit/secrets.toml, is used
when the address is left blank; its address and key are never shown here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from gkassist.drafting.session_settings import PageInput
from gkassist.drafting.settings import PAGE_LABELS, SettingsError
from gkassist.storage import StorageError
from gkassist.ui import drafting_glue, llm_session
from gkassist.ui.safe import md_escape

FEEDBACK = "llm_feedback"
RUN_TEST = "llm_run_test"
# field -> (widget key, number_input options); blank means "the server's value"
NUMBER_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "timeout": ("llm_timeout", {"min_value": 1.0, "max_value": 3600.0, "step": 10.0, "format": "%g"}),
    "retries": ("llm_retries", {"min_value": 0, "max_value": 10, "step": 1}),
    "max_reasks": ("llm_reasks", {"min_value": 0, "max_value": 5, "step": 1}),
    "temperature": ("llm_temperature", {"min_value": 0.0, "max_value": 2.0, "step": 0.1, "format": "%g"}),
    "max_output_tokens": ("llm_max_tokens", {"min_value": 64, "max_value": 1_000_000, "step": 500}),
    "context_budget": ("llm_context_budget", {"min_value": 500, "max_value": 1_000_000, "step": 1000}),
}
TEXT_KEYS = {"base_url": "llm_base_url", "model": "llm_model", "api_key": "llm_api_key"}
USAGE_KEY = "llm_stream_usage"
USAGE_CHOICES: dict[bool | None, str] = {None: "使用默认值", True: "是", False: "否（服务不支持 stream_options 时选择）"}


def _page_input() -> PageInput:
    state = st.session_state
    numbers = {name: state.get(key) for name, (key, _opts) in NUMBER_FIELDS.items()}
    return PageInput(
        base_url=str(state.get(TEXT_KEYS["base_url"]) or ""),
        model=str(state.get(TEXT_KEYS["model"]) or ""),
        api_key=str(state.get(TEXT_KEYS["api_key"]) or ""),
        stream_usage=state.get(USAGE_KEY),
        **numbers,
    )


def _save(then_test: bool) -> None:
    try:
        notes = llm_session.save(_page_input())
    except (SettingsError, StorageError) as exc:
        st.session_state[FEEDBACK] = [("error", f"未保存：{exc}")]
        return
    st.session_state[TEXT_KEYS["api_key"]] = ""  # the key is kept with the settings, not in the field
    feedback = [("warning", note) for note in notes]
    if llm_session.session() is not None:
        feedback.insert(0, ("success", "已保存，仅对当前浏览器会话有效。"))
    elif not then_test:
        feedback.insert(0, ("info", "本页没有填写任何设置：起草时使用服务器默认大模型（如管理员已配置）。"))
    st.session_state[FEEDBACK] = feedback
    st.session_state[RUN_TEST] = then_test


def _reset() -> None:
    llm_session.clear()
    for key in (*TEXT_KEYS.values(), *(k for k, _o in NUMBER_FIELDS.values()), USAGE_KEY):
        st.session_state.pop(key, None)
    st.session_state[FEEDBACK] = [("success", "已清除本会话的大模型设置。")]


st.title("设置")
now = llm_session.resolved()
own = llm_session.session()
if now.problem:
    st.warning(md_escape(now.problem))
if now.settings is None:
    in_use = "起草时只能使用内置模板。"
elif now.uses_server:
    in_use = "本会话正在使用服务器默认大模型。"
else:
    in_use = "本会话正在使用您在本页填写的大模型。"
if now.server_configured:
    server_line = "管理员已配置服务器默认大模型。"
else:
    server_line = "" if now.problem else "管理员没有配置服务器默认大模型。"
st.info(f"{server_line}{in_use}")
st.caption(
    "本页填写的设置只对当前浏览器会话有效：不写入数据库，其他用户看不到，也不受影响；刷新或关闭页面后需要重新填写。"
    "接口地址留空即使用服务器默认大模型。填写了自己的接口地址时，服务器的密钥不会发往该地址："
    "请填写该地址自己的密钥，本地模型（如 Ollama、vLLM）可不填。"
)
st.text_input(
    PAGE_LABELS["base_url"], value=(own.base_url or "") if own else "", key=TEXT_KEYS["base_url"],
    placeholder="留空则使用服务器默认大模型；例如 https://api.deepseek.com/v1",
)
st.text_input(
    PAGE_LABELS["model"], value=(own.model or "") if own else "", key=TEXT_KEYS["model"],
    placeholder="例如：deepseek-chat；使用服务器默认大模型时可留空",
)
st.text_input(
    PAGE_LABELS["api_key"], type="password", key=TEXT_KEYS["api_key"],
    placeholder="已填写（留空则保持不变）" if own and own.api_key else "本地模型可不填",
)
with st.expander("更多设置（留空则使用默认值）"):
    for name, (key, options) in NUMBER_FIELDS.items():
        st.number_input(PAGE_LABELS[name], value=getattr(own, name) if own else None, key=key, **options)
    choices = list(USAGE_CHOICES)
    st.selectbox(
        PAGE_LABELS["stream_usage"], choices, index=choices.index(own.stream_usage if own else None),
        format_func=USAGE_CHOICES.__getitem__, key=USAGE_KEY,
    )
c1, c2, c3 = st.columns(3)
c1.button("保存设置", key="save_llm", on_click=_save, args=(False,))
c2.button("测试连接", key="test_llm", on_click=_save, args=(True,))
c3.button("清除本会话的设置", key="reset_llm", on_click=_reset, disabled=own is None)
for level, message in st.session_state.pop(FEEDBACK, []):
    getattr(st, level)(md_escape(message))
if st.session_state.pop(RUN_TEST, False):
    with st.spinner("正在连接……"):
        ok, message = drafting_glue.test_llm_connection(llm_session.effective())
    (st.success if ok else st.error)(md_escape(message))  # may quote the endpoint's reply
