"""Headless Chromium on TensorBoard's pages: the driver, polling the DOM through shadow roots,
the Projector's iframes, screenshots as a person sees the page on arrival."""
import os
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

# Every element below `root`, through shadow roots (the legacy dashboards are Polymer).
DEEP_ALL = """
window.deepAll = function(selector, root) {
  const out = [], stack = [root || document];
  while (stack.length) {
    const r = stack.pop();
    if (r.shadowRoot) stack.push(r.shadowRoot);
    for (const el of r.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) stack.push(el.shadowRoot);
    }
  }
  return out;
};
// A drawn data line: an SVG path with at least two vertices.
window.isLine = p => (p.getAttribute('d') || '').includes('L');
"""


class CheckFailed(AssertionError):
    pass


def browser():
    opts = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1000", "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def poll(driver, script, ok, what, *args, timeout=60):
    """Runs `script` until ok(result); raises CheckFailed with the last result otherwise."""
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        driver.execute_script(DEEP_ALL)
        last = driver.execute_script(script, *args)
        if ok(last):
            return last
        time.sleep(1)
    raise CheckFailed(f"{what}: {last!r}")


def open_dashboard(driver, tb, name, svg=False):
    driver.get(tb.base + ("/?forceSVG=true" if svg else "/") + "#" + name)


def poll_in_projector(driver, tb, script, ok, what):
    """Opens the Projector and runs `script` inside it (two iframes deep) until ok(result)."""
    open_dashboard(driver, tb, "projector")
    for _ in range(2):
        frame = poll(driver, "return deepAll('iframe')[0] || null", lambda f: f is not None,
                     "Projector: no iframe")
        driver.switch_to.frame(frame)
    try:
        return poll(driver, script, ok, what)
    finally:
        driver.switch_to.default_content()


def screenshot_from_top(driver, path):
    """What a person sees on arrival: every scrolled pane back at its top, then a screenshot."""
    driver.execute_script(DEEP_ALL + "deepAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; });")
    time.sleep(1.5)
    driver.save_screenshot(path)


# A Time Series card: its drawn data lines and the runs its data table names.
TS_CARD_LINES = """
const [tag] = arguments;
const title = deepAll('tb-truncated-path').find(e => e.title === tag);
if (!title) return {found: false};
title.scrollIntoView({block: 'center'});
const card = title.closest('scalar-card') ||
             deepAll('scalar-card').find(c => deepAll('tb-truncated-path', c).includes(title));
if (!card) return {found: false};
return {found: true,
        lines: deepAll('path', card).filter(p => p.style.stroke && isLine(p)).length,
        runs: deepAll('tb-data-table-content-row', card).map(r => r.textContent.trim())};
"""


# A legacy Scalars card: its drawn data lines.
LEGACY_CARD_LINES = """
const [tag] = arguments;
const card = deepAll('tf-scalar-card').find(c => c.tag === tag);
if (!card) return {found: false};
card.scrollIntoView({block: 'center'});
return {found: true, lines: deepAll('path.line', card).filter(isLine).length};
"""


def count_runs(logdir):
    return sum(1 for d, _, files in os.walk(logdir) if any("tfevents" in f for f in files))
