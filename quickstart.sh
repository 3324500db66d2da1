#!/usr/bin/env bash
# One entry point for the README quick start:
#   ./quickstart.sh run    set everything up, then start the app at http://127.0.0.1:8501
#   ./quickstart.sh test   set everything up, then run every test (and the linters)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup() {
  if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -m venv .venv 2>/dev/null; then
      # Debian's python3 ships venv/ensurepip separately
      rm -rf .venv
      SUDO=""
      [ "$(id -u)" -eq 0 ] || SUDO="sudo"
      $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv
      "$PY" -m venv .venv
    fi
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
    echo "gkassist 已启动：请在浏览器打开 http://127.0.0.1:8501 （按 Ctrl+C 停止）"
    exec .venv/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501
    ;;
  test)
    setup
    ./scripts/system-deps.sh
    GKASSIST_TEST_PG_URL=$(./scripts/start-postgres.sh)
    export GKASSIST_TEST_PG_URL
    .venv/bin/ruff check gkassist tests benchmarks app.py setup.py
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
