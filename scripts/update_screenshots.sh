#!/usr/bin/env bash
# Refreshes the README's and docs' pictures: runs the main job and the browser tests
# (tests/browser/), then copies the screenshots they took (Rust data server view) into docs/images/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" -R 'tensorboard_venv|main_job_logdir|browser_first_look|browser_all_kinds' \
  --output-on-failure
shots="$BUILD_DIR/main-job/screenshots"
cp "$shots/timeseries-true.png" docs/images/first-look-time-series.png
cp "$shots/scalars-true.png" docs/images/first-look-scalars.png
cp "$shots/custom_scalars-true.png" docs/images/first-look-custom-scalars.png
cp "$shots/images-true.png" docs/images/first-look-filters.png
cp "$shots/hparams-true.png" docs/images/first-look-hparams.png
cp "$shots/deconvnet-conv2_top9-true.png" docs/images/first-look-deconvnet.png
cp "$shots/test_set-confusion_matrix-true.png" docs/images/first-look-confusion-matrix.png
for kind in pr_curves audio images graphs mesh projector custom_scalars; do
  cp "$BUILD_DIR/all-kinds-screenshots/$kind-true.png" "docs/images/kind-$kind.png"
done
echo "docs/images/ updated from $shots and $BUILD_DIR/all-kinds-screenshots"
