#!/usr/bin/env bash
# Builds (if needed) and runs the whole test suite. The stock-TensorBoard virtual environment
# is created by the suite itself (ctest fixture) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh > build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
# What only the tests need: a real browser for the first-look test (tests/browser/), Debian's
# PyTorch to make the TorchScript modules the --model-file test trains, and Doxygen for the API
# reference (warnings are failures).
if ! dpkg -s chromium chromium-driver python3-torch doxygen > /dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends chromium chromium-driver python3-torch doxygen; } > build-test-packages.log 2>&1 ||
    { cat build-test-packages.log; exit 1; }
fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
