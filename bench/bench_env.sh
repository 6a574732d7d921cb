#!/usr/bin/env bash
# Creates the Python environment of the peers: Debian's python3-torch/torchvision (system site
# packages) plus tensorboard and tensorboardX from PyPI. Usage: bench_env.sh VENV_DIR
set -euo pipefail
VENV=$1
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
for p in python3-torch python3-torchvision python3-numpy; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
  # Debian's NumPy already satisfies both packages, so pip keeps it.
  "$VENV/bin/pip" install -q --disable-pip-version-check tensorboard==2.21.0 tensorboardX==2.6.5
fi
"$VENV/bin/python" -c "import torch, tensorboardX, torch.utils.tensorboard; print('peers ready: torch', torch.__version__)"
