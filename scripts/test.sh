#!/usr/bin/env bash
# Builds (if needed) and runs the whole test suite. The stock-TensorBoard virtual environment
# is created by the suite itself (ctest fixture) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh > build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
