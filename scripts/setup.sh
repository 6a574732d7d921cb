#!/usr/bin/env bash
# Installs every Debian package tblog and its trainers need (OpenBLAS too: with the reference
# BLAS that libtorch-dev pulls in alone, LSTM training ran 12x slower), then configures and builds in
# Release. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake g++ make pkg-config libprotobuf-dev protobuf-compiler zlib1g-dev libdeflate-dev libgif-dev libcli11-dev
          libfmt-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev libtorch-dev dataset-fashion-mnist
          libopenblas0-pthread libgloo-dev libcurl4-openssl-dev libgrpc++-dev protobuf-compiler-grpc
          nlohmann-json3-dev
          python3 python3-venv)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$(nproc)"
