#!/usr/bin/env bash
# One entry point for the README quick start:
#   ./quickstart.sh run    set everything up, then run the product's main job
#   ./quickstart.sh test   set everything up, then run every test (and the linters)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup() {
  if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
  fi
  # Re-install only when pyproject.toml changed since the last install.
  local stamp=.venv/.gkassist-installed
  if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/pip install --disable-pip-version-check -q -e ".[dev]"
    cp pyproject.toml "$stamp"
  fi
}

case "${1:-}" in
  run)
    setup
    echo "== 导入并校验内置示例报告（景德镇市昌江区工业和信息化局2024年度报告） =="
    set +e
    .venv/bin/gkassist check gkassist/examples/seed-2024-changjiang-gxj.txt
    status=$?
    set -e
    # exit 1 only means the example report has errors (it does: see README); 2 would be a real failure
    [ "$status" -le 1 ]
    ;;
  test)
    setup
    .venv/bin/ruff check gkassist tests benchmarks app.py
    .venv/bin/mypy gkassist
    set +e
    .venv/bin/python -m pytest "${@:2}"
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then echo "没有收集到任何测试 (no tests collected)"; exit 1; fi
    exit "$status"
    ;;
  *)
    echo "用法: ./quickstart.sh run | test" >&2
    exit 2
    ;;
esac
