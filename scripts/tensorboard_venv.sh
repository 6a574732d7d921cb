#!/usr/bin/env bash
# Creates the virtual environment with stock TensorBoard (pinned) that the compatibility tests
# use as the reference reader and writer. Usage: tensorboard_venv.sh VENV_DIR
set -euo pipefail
VENV=$1
TENSORBOARD_VERSION=2.21.0
TENSORBOARDX_VERSION=2.6.5  # writes files as PyTorch's SummaryWriter does (same lineage)
SELENIUM_VERSION=4.51.0     # drives Debian's chromium in the browser test
if [ -x "$VENV/bin/python" ] &&
   "$VENV/bin/python" -c "import tensorboard, tensorboardX, selenium, sys; sys.exit(tensorboard.__version__ != '$TENSORBOARD_VERSION' or selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; then
  exit 0
fi
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "tensorboard==$TENSORBOARD_VERSION" \
  "tensorboardX==$TENSORBOARDX_VERSION" "selenium==$SELENIUM_VERSION"
"$VENV/bin/python" -c "import tensorboard; print('tensorboard', tensorboard.__version__, 'ready')"
