#!/usr/bin/env python3
"""What a person sees of every kind: examples/all_kinds's logdir in stock TensorBoard, in
headless Chromium, on both loaders. Asserts from the page itself (the DOM, never the HTTP API):
  - PR Curves: a card per curve (5), each drawing its curve;
  - Audio: both clips load in the player with their length (0.5 s and 0.25 s);
  - Images: the three samples of one tag and the animated GIF load;
  - Graphs: the scene draws the graph's top-level nodes and scopes; run gru's conceptual graph
    (add_conceptual_graph), chosen in the Run menu, opens as one, and expanding its model shows
    the layers chained rows -> gru -> head -> softmax;
  - Mesh: the tetrahedron is drawn on a WebGL canvas;
  - Custom Scalars: add_scalars's chart draws both lines;
  - Projector: its three embeddings are found and the first shows 40 points.
Usage: check_all_kinds_browser.py ALL_KINDS_PROGRAM SCREENSHOT_DIR
(TBLOG_TEST_LOADERS=tblog: through tblog-data-server; toolkit/tensorboard.py)
"""
import os
import subprocess
import sys
import tempfile

from selenium.webdriver.common.action_chains import ActionChains

from toolkit.browser import (DEEP_ALL, CheckFailed, browser, open_dashboard, poll,
                             poll_in_projector, screenshot_from_top)
from toolkit.tensorboard import TensorBoardServer, loaders

CHECKS = {
    "pr_curves": ("return deepAll('tf-pr-curve-card').map(c => [c.tag, deepAll('path', c).filter(isLine).length])",
                  lambda r: len(r) == 5 and all(lines >= 1 for _, lines in r),
                  "5 PR curve cards, each drawing a curve"),
    "audio": ("return deepAll('audio').map(a => Math.round(a.duration * 100) / 100).sort()",
              lambda r: r == [0.25, 0.5], "two clips of 0.25 s and 0.5 s loaded"),
    "images": ("return deepAll('img').filter(i => i.complete).map(i => i.naturalWidth).sort()",
               # (the compared runs' 8 px weights/filters sort below, out of view)
               lambda r: r.count(16) == 3 and 32 in r, "three 16 px samples and the 32 px animation"),
    "graphs": ("return deepAll('g.node').map(n => n.getAttribute('data-name')).sort()",
               lambda r: r == ["conv1", "fc", "input", "relu"], "nodes input, conv1, relu, fc"),
    "mesh": ("return deepAll('tf-mesh-loader').flatMap(l => deepAll('canvas', l)).map(c => c.width * c.height)",
             lambda r: r and max(r) > 100000, "a WebGL canvas drawing the mesh"),
    "custom_scalars": ("const cat = deepAll('tf-category-paginated-view').find(v => v.category && v.category.name === 'loss');"
                       "return cat ? deepAll('path.line', cat).filter(isLine).length : 0",
                       lambda r: r >= 2, "the add_scalars chart 'loss' drawing train and test"),
}

PROJECTOR = """
const text = el => el.textContent.trim().replace(/\\s+/g, ' ');
const entry = deepAll('.status-bar-entry').map(text).find(t => /^Points: \\d+$/.test(t));
const found = deepAll('*').filter(e => e.children.length === 0).map(text)
    .find(t => /tensors found/.test(t));
return {points: entry || null, tensors: found || null};
"""


def check_projector(driver, tb, shots, loader):
    r = poll_in_projector(driver, tb, PROJECTOR,
                          lambda r: r["points"] == "Points: 40" and r["tensors"] == "3 tensors found",
                          "Projector: 3 embeddings, 40 points in the first")
    screenshot_from_top(driver, os.path.join(shots, f"projector-{loader}.png"))
    return f"Projector: {r['tensors']}, {r['points']}"


NODES = "return deepAll('g.node').map(n => n.getAttribute('data-name')).sort()"
EDGES = "return deepAll('g.edge').map(e => e.getAttribute('data-edge')).sort()"


def check_conceptual_graph(driver, tb, shots, loader):
    open_dashboard(driver, tb, "graphs")
    poll(driver, NODES, lambda r: "conv1" in r, "Graphs: run demo's graph first")
    # The Run menu's choice, as the menu sets it (runs in order: demo, gru, lstm).
    driver.execute_script(DEEP_ALL + "deepAll('tf-graph-controls')[0]._selectedRunIndex = 1;")
    poll(driver, NODES, lambda r: r == ["classifier"], "Graphs: run gru's model, folded")
    kind = poll(driver, "return deepAll('paper-radio-button').filter(b => b.checked)"
                        ".map(b => b.textContent.trim())", lambda r: "Conceptual graph" in r,
                "Graphs: the graph type 'Conceptual graph' chosen for it")
    model = driver.execute_script(
        DEEP_ALL + "return deepAll('g.node').find(n => n.getAttribute('data-name') === 'classifier')")
    ActionChains(driver).double_click(model).perform()  # a person opens the model's scope
    layers = ["classifier", "classifier/gru", "classifier/head", "classifier/rows",
              "classifier/softmax"]
    poll(driver, NODES, lambda r: r == layers, f"Graphs: the model expanded into {layers}")
    chain = ["classifier/gru--classifier/head", "classifier/head--classifier/softmax",
             "classifier/rows--classifier/gru"]
    poll(driver, EDGES, lambda r: r == chain, f"Graphs: the edges {chain}")
    screenshot_from_top(driver, os.path.join(shots, f"conceptual_graph-{loader}.png"))
    return f"Conceptual graph: {kind}, layers {layers[1:]}, edges {chain}"


def check_dashboards(tb, shots, loader):
    """Every check on a running TensorBoard; screenshots named after `loader`."""
    results = []
    driver = browser()
    try:
        for name, (script, ok, what) in CHECKS.items():
            open_dashboard(driver, tb, name)
            r = poll(driver, script, ok, f"{name}: expected {what}")
            screenshot_from_top(driver, os.path.join(shots, f"{name}-{loader}.png"))
            results.append(f"{name}: {what} ({r})")
        results.append(check_conceptual_graph(driver, tb, shots, loader))
        results.append(check_projector(driver, tb, shots, loader))
    finally:
        driver.quit()
    return results


def check_logdir(logdir, shots, loader):
    with TensorBoardServer(logdir, loader) as tb:
        return check_dashboards(tb, shots, loader)


def main():
    program, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        logdir = os.path.join(scratch, "logs")
        subprocess.run([program, logdir], check=True, stdout=subprocess.DEVNULL)
        for loader in loaders():
            try:
                for line in check_logdir(logdir, shots, loader):
                    print(f"[load_fast={loader}] ok: {line}")
            except CheckFailed as e:
                print(f"[load_fast={loader}] FAIL: {e}")
                failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
