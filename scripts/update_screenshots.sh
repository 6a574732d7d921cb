#!/usr/bin/env bash
# Refreshes the README's pictures: runs the main job and the browser test (tests/browser/), then
# copies the screenshots it took (Rust data server view) into docs/images/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" -R 'tensorboard_venv|main_job_logdir|browser_first_look' --output-on-failure
shots="$BUILD_DIR/main-job/screenshots"
cp "$shots/timeseries-true.png" docs/images/first-look-time-series.png
cp "$shots/scalars-true.png" docs/images/first-look-scalars.png
cp "$shots/custom_scalars-true.png" docs/images/first-look-custom-scalars.png
cp "$shots/images-true.png" docs/images/first-look-filters.png
cp "$shots/hparams-true.png" docs/images/first-look-hparams.png
echo "docs/images/ updated from $shots"
