#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing:
#   chromium + fonts-noto-cjk   real-browser tests (never `playwright install`)
#   postgresql                  storage tests against a real server
#   libreoffice-writer-nogui, poppler-utils   .docx -> PDF rendering test, generated-PDF import tests
#   nginx, openssl              the example reverse-proxy configuration, run in front of two app servers
#   cmake, g++                  build llama-server for the real-model drafting test (scripts/build-llama-server.sh)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  echo "安装系统依赖 (installing Debian packages): ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
