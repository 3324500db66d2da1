"""The library floor for benchmarks/bench_first_load.py: a Streamlit page with only the heading
the benchmark waits for, started the same way (`streamlit run`, same config)."""

import streamlit as st

st.title("报告列表")
