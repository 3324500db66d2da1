"""设置: LLM endpoint, model and key, kept only in this server process's memory."""

from __future__ import annotations

import streamlit as st

from gkassist.ui import actions

st.title("设置")
current = actions.llm_settings()
st.caption(
    "大模型设置只保存在本服务进程的内存中，不写入数据库，服务重启后需重新填写；也可由管理员用环境变量或 "
    ".streamlit/secrets.toml 中的 GKASSIST_LLM_BASE_URL、GKASSIST_LLM_MODEL、GKASSIST_LLM_API_KEY 配置。"
    "本地模型（如 Ollama、vLLM）可不填密钥。"
)
base_url = st.text_input("接口地址", value=current.base_url, placeholder="例如：https://api.deepseek.com/v1", key="llm_base_url")
model = st.text_input("模型名称", value=current.model, placeholder="例如：deepseek-chat", key="llm_model")
api_key = st.text_input(
    "密钥", type="password", key="llm_api_key",
    placeholder="已设置（留空则保持不变）" if current.api_key else "请输入密钥",
)
c1, c2 = st.columns(2)
if c1.button("保存设置", key="save_llm"):
    actions.update_llm_settings(base_url, model, api_key)
    st.success("已保存。起草页现在可以选择“大模型”。" if actions.llm_settings().configured else "已保存，但接口地址和模型名称尚未填全，起草时将使用内置模板。")
if c2.button("测试连接", key="test_llm"):
    actions.update_llm_settings(base_url, model, api_key)
    with st.spinner("正在连接……"):
        ok, message = actions.test_llm_connection(actions.llm_settings())
    (st.success if ok else st.error)(message)
