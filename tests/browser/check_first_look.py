#!/usr/bin/env python3
"""What a person sees: the main job's logdir in stock TensorBoard, in headless Chromium.

Opens each dashboard in its default state (no clicks but the HParams view tab) on both loaders
and asserts from the page itself (the DOM, never the HTTP API):
  - Time Series: the Epoch group (train/test accuracy and loss by epoch) and W1_SUMMARY
    (max/mean/min/std/variance) draw data lines, and the RNN-vs-LSTM-vs-GRU chart draws lines
    whose data table names an LSTM and a GRU run;
  - Scalars: every run is ticked, and the Epoch group and W1_SUMMARY draw lines;
  - Custom Scalars: the RNN vs LSTM vs GRU category draws lines;
  - Images: the labelled conv1 filter grid loads, and so do the best CNN's deconvnet figure
    (Zeiler & Fergus) and confusion matrix;
  - HParams: parallel coordinates draws a line per session.
Then proves the checks can fail: on a copy of the logdir with more than 40 runs, the Scalars
check must fail (TensorBoard ticks no run), and the test fails if it passes.

Usage: check_first_look.py LOGDIR SCREENSHOT_DIR [--loaders false,true]
"""
import os
import shutil
import sys
import tempfile
import time

from toolkit.browser import (LEGACY_CARD_LINES, TS_CARD_LINES, CheckFailed, browser, count_runs,
                             open_dashboard, poll, screenshot_from_top)
from toolkit.tensorboard import TensorBoardServer

COMPARE_TAG = "Epoch/rnn_vs_lstm_vs_gru/hidden_128/test_accuracy"
EPOCH_TAGS = ["Epoch/test_accuracy", "Epoch/train_accuracy", "Epoch/test_loss", "Epoch/train_loss"]
W1_TAGS = [f"W1_SUMMARY/{s}" for s in ("max", "mean", "min", "std", "variance")]
# The legacy Scalars dashboard, like Time Series, opens only its first two groups.
LEGACY_TAGS = EPOCH_TAGS + [COMPARE_TAG, "W1_SUMMARY/mean"]


# ---- the dashboards ----------------------------------------------------------------------
def check_time_series(driver, tb, shots, loader):
    open_dashboard(driver, tb, "timeseries", svg=True)
    for tag in EPOCH_TAGS + W1_TAGS:
        poll(driver, TS_CARD_LINES, lambda r: r and r.get("found") and r["lines"] >= 2,
             f"Time Series card {tag} draws no data line", tag)
    screenshot_from_top(driver, os.path.join(shots, f"timeseries-{loader}.png"))
    result = poll(driver, TS_CARD_LINES,
                  lambda r: r and r.get("found") and r["lines"] >= 2 and
                  any("cell=lstm" in x for x in r["runs"]) and
                  any("cell=gru" in x for x in r["runs"]),
                  f"no chart with both an LSTM and a GRU line ({COMPARE_TAG})", COMPARE_TAG)
    driver.save_screenshot(os.path.join(shots, f"timeseries-compare-{loader}.png"))
    return f"Time Series: Epoch + W1_SUMMARY cards draw lines; {COMPARE_TAG}: {result['runs']}"


TICKED_RUNS = """
const boxes = deepAll('tf-multi-checkbox').flatMap(m => deepAll('paper-checkbox', m));
return {ticked: boxes.filter(b => b.checked).length, total: boxes.length};
"""


def check_scalars(driver, tb, shots, loader, runs, timeout=60):
    open_dashboard(driver, tb, "scalars")
    ticked = poll(driver, TICKED_RUNS, lambda r: r["total"] >= runs and r["ticked"] == r["total"],
                  f"Scalars: not every run is ticked (of {runs})", timeout=timeout)
    for tag in LEGACY_TAGS:
        poll(driver, LEGACY_CARD_LINES, lambda r: r.get("found") and r["lines"] >= 1,
             f"Scalars chart {tag} draws no data line", tag, timeout=timeout)
    if shots:
        screenshot_from_top(driver, os.path.join(shots, f"scalars-{loader}.png"))
    return f"Scalars: {ticked['ticked']}/{ticked['total']} runs ticked, {LEGACY_TAGS} draw lines"


CUSTOM_CATEGORY = """
const cat = deepAll('tf-category-paginated-view').find(v => v.category && v.category.name === arguments[0]);
if (!cat) return {found: false};
return {found: true, lines: deepAll('path.line', cat).filter(isLine).length};
"""


def check_custom_scalars(driver, tb, shots, loader):
    open_dashboard(driver, tb, "custom_scalars")
    r = poll(driver, CUSTOM_CATEGORY, lambda r: r.get("found") and r["lines"] >= 9,
             "Custom Scalars: RNN vs LSTM vs GRU draws too few lines", "RNN vs LSTM vs GRU")
    screenshot_from_top(driver, os.path.join(shots, f"custom_scalars-{loader}.png"))
    return f"Custom Scalars: RNN vs LSTM vs GRU draws {r['lines']} lines"


TAG_IMAGES = """
// Open the tag's group if it is closed (the dashboard opens only its first two), as a person would.
const group = arguments[0].split('/')[0];
const view = deepAll('tf-category-paginated-view').find(v => v.category && v.category.name === group);
if (view && !view.opened) view.opened = true;
const imgs = deepAll('tf-image-loader').filter(l => (l.tag || '') === arguments[0])
    .flatMap(l => deepAll('img', l));
if (imgs.length && arguments[1]) imgs[0].scrollIntoView({block: 'center'});
return imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight]);
"""

# Zeiler & Fergus's figure (open on arrival) and the confusion matrix (its group opened first),
# drawn by the best CNN's run: at least this wide (the deconvnet grid has 19 columns of 40-pixel
# tiles; the matrix 10 columns of 40).
VISUALS = {"deconvnet/conv2_top9": 600, "test_set/confusion_matrix": 400}


def check_images(driver, tb, shots, loader):
    open_dashboard(driver, tb, "images")
    r = poll(driver, TAG_IMAGES, lambda r: r and all(c and w > 60 and h > 60 for c, w, h in r),
             "Images: the conv1 filter grid does not render", "filters/conv1", False)
    screenshot_from_top(driver, os.path.join(shots, f"images-{loader}.png"))
    lines = [f"Images: {len(r)} filters/conv1 grids rendered, e.g. {r[0][1]}x{r[0][2]} px"]
    for tag, width in VISUALS.items():
        v = poll(driver, TAG_IMAGES, lambda v: v and all(c and w >= width for c, w, _ in v),
                 f"Images: {tag} does not render", tag, True)
        time.sleep(1.5)
        driver.save_screenshot(os.path.join(shots, f"{tag.replace('/', '-')}-{loader}.png"))
        lines.append(f"Images: {tag} rendered, {v[0][1]}x{v[0][2]} px")
    return "; ".join(lines)


PARALLEL_COORDS = """
const tab = deepAll('paper-tab').find(t => /parallel coordinates/i.test(t.textContent));
if (tab && !tab.classList.contains('iron-selected')) tab.click();
const plot = deepAll('tf-hparams-parallel-coords-plot')[0];
if (!plot) return {lines: 0};
return {lines: deepAll('g.foreground path', plot).filter(isLine).length};
"""


def check_hparams(driver, tb, shots, loader, sessions):
    open_dashboard(driver, tb, "hparams")
    r = poll(driver, PARALLEL_COORDS, lambda r: r["lines"] >= sessions,
             f"HParams parallel coordinates draws fewer than {sessions} session lines")
    screenshot_from_top(driver, os.path.join(shots, f"hparams-{loader}.png"))
    return f"HParams: parallel coordinates draws {r['lines']} session lines"


def sessions_in(logdir):
    n = 0
    for d, _, files in os.walk(logdir):
        for f in files:
            if "tfevents" in f and b"_hparams_/session_start_info" in open(os.path.join(d, f), "rb").read():
                n += 1
    return n


def check_logdir(logdir, shots, loader):
    runs, sessions = count_runs(logdir), sessions_in(logdir)
    with TensorBoardServer(logdir, loader) as tb:
        driver = browser()
        try:
            return [check_time_series(driver, tb, shots, loader),
                    check_scalars(driver, tb, shots, loader, runs),
                    check_custom_scalars(driver, tb, shots, loader),
                    check_images(driver, tb, shots, loader),
                    check_hparams(driver, tb, shots, loader, sessions)]
        finally:
            driver.quit()


def more_than_40_runs(logdir, scratch):
    """A copy of the logdir padded with copies of one run to 41 runs."""
    padded = os.path.join(scratch, "runs")
    shutil.copytree(logdir, padded)
    some_run = next(d for d, _, files in os.walk(padded) if any("tfevents" in f for f in files))
    for i in range(41 - count_runs(padded)):
        shutil.copytree(some_run, os.path.join(padded, "padding", f"copy{i:02d}"))
    return padded


def main():
    logdir, shots = sys.argv[1], sys.argv[2]
    loaders = ["false", "true"]
    if "--loaders" in sys.argv:
        loaders = sys.argv[sys.argv.index("--loaders") + 1].split(",")
    os.makedirs(shots, exist_ok=True)
    runs = count_runs(logdir)
    print(f"{logdir}: {runs} runs, {sessions_in(logdir)} HParams sessions")
    passed = failed = 0
    for loader in loaders:
        try:
            for line in check_logdir(logdir, shots, loader):
                print(f"[load_fast={loader}] ok: {line}")
            passed += 1
        except CheckFailed as e:
            print(f"[load_fast={loader}] FAIL: {e}")
            failed += 1

    # The same check must fail where TensorBoard ticks no run: more than 40 runs.
    with tempfile.TemporaryDirectory() as scratch:
        padded = more_than_40_runs(logdir, scratch)
        with TensorBoardServer(padded, "false") as tb:
            driver = browser()
            try:
                check_scalars(driver, tb, None, "false", count_runs(padded), timeout=20)
                print(f"FAIL: the Scalars check passed on {count_runs(padded)} runs; it cannot fail")
                failed += 1
            except CheckFailed as e:
                print(f"ok: on {count_runs(padded)} runs the Scalars check fails as it must ({e})")
                passed += 1
            finally:
                driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
