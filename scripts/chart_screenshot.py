#!/usr/bin/env python3
"""Screenshot of one scalar chart as TensorBoard draws it, every run of LOGDIR on it.

For the pictures in docs/results/: stock TensorBoard (the test suite's venv) serves LOGDIR, the
legacy Scalars dashboard is filtered to TAG, smoothing off, and headless Chromium saves the page
once the chart has drawn a line for every run (it fails, naming what it saw, otherwise).

    build/tensorboard-venv/bin/python scripts/chart_screenshot.py LOGDIR TAG OUT.png
"""
import os
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "pylib"))  # the suite's toolkit
from toolkit.browser import (LEGACY_CARD_LINES, browser, count_runs, poll,  # noqa: E402
                             screenshot_from_top)
from toolkit.tensorboard import TensorBoardServer  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    logdir, tag, out = sys.argv[1:]
    runs = count_runs(logdir)
    with TensorBoardServer(logdir, "false") as tb:
        driver = browser()
        try:
            query = urllib.parse.quote("^" + tag + "$")
            driver.get(f"{tb.base}/?forceSVG=true#scalars&_smoothingWeight=0&tagFilter={query}")
            poll(driver, LEGACY_CARD_LINES, lambda r: r and r.get("found") and r["lines"] >= runs,
                 f"{tag}: fewer lines than the {runs} runs", tag)
            screenshot_from_top(driver, out)
        finally:
            driver.quit()
    print(f"{out}: {tag}, {runs} runs")


if __name__ == "__main__":
    main()
