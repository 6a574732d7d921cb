#!/usr/bin/env python3
"""tblog::torch from outside: examples/libtorch_mnist, an unrelated LibTorch program, built
against the *installed* package two ways (find_package(tblog COMPONENTS torch), and pkg-config
tblog_torch), trained a few steps on real MNIST; its logdir then read by stock TensorBoard: the
Python loader (every plugin's tags), the HTTP API and the browser on both loaders (the Rust data
server too).

Usage: check_libtorch_mnist.py BUILD_DIR SOURCE_DIR SCREENSHOT_DIR
MNIST comes from $SHARED_DIR/datasets/mnist (default: ../shared beside the source tree); without
it, from Debian's Fashion-MNIST (the same IDX layout), which setup.sh installs.
"""
import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
from toolkit import doc_snippets
from toolkit.tensorboard import TensorBoardServer

EPOCH_TAGS = ["Epoch/test_accuracy", "Epoch/train_accuracy", "Epoch/test_loss", "Epoch/train_loss"]
SCALAR_TAGS = EPOCH_TAGS + [
    "train/loss", "train/accuracy", "train/learning_rate", "perf/examples_per_second",
    "test/accuracy", "conv1.weight_SUMMARY/std", "fc1.weight_SUMMARY/mean",
    "gradients/global_norm", "gradients/norm/fc2.weight", "updates/log10_ratio/conv2.weight",
    "non_finite/parameters", "activations/conv1/mean", "activations/conv2/fraction_zero"]
HISTOGRAM_TAGS = ["histograms/conv1.weight", "histograms/fc2.bias", "activations/conv1/histogram"]
IMAGE_TAGS = ["filters/conv1", "test_set/confusion_matrix", "test_set/most_wrong",
              "deconvnet/evolution_conv2", "deconvnet/conv1_top9", "deconvnet/conv2_top9",
              "occlusion/maps"]


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def mnist_files(scratch, source):
    shared = os.environ.get("SHARED_DIR", os.path.join(source, "..", "shared"))
    src = os.path.join(shared, "datasets", "mnist")
    if not os.path.isdir(src):
        src = "/usr/share/datasets/fashion-mnist"
    out = os.path.join(scratch, "mnist")
    os.makedirs(out)
    for path in glob.glob(os.path.join(src, "*-ubyte.gz")):
        with gzip.open(path) as f, open(os.path.join(out, os.path.basename(path)[:-3]), "wb") as g:
            shutil.copyfileobj(f, g)
    return out, src


def build_both(build, source, scratch):
    prefix = os.path.join(scratch, "prefix")
    run(["cmake", "--install", build, "--prefix", prefix])
    for header in ("tblog/torch.hpp", "tblog/torch/tensors.hpp", "tblog/torch/plugins.hpp"):
        assert os.path.exists(os.path.join(prefix, "include", header)), header
    example = os.path.join(source, "examples", "libtorch_mnist")
    cmake_build = os.path.join(scratch, "find-package")
    run(["cmake", "-S", example, "-B", cmake_build, "-DCMAKE_BUILD_TYPE=Release",
         f"-DCMAKE_PREFIX_PATH={prefix}"])
    run(["cmake", "--build", cmake_build, "-j", "2"])
    libdir = os.path.dirname(glob.glob(os.path.join(prefix, "**", "tblog_torch.pc"), recursive=True)[0])
    env = dict(os.environ, PKG_CONFIG_PATH=libdir)
    # --static: this build's libraries are static archives, so their private needs come too.
    flags = subprocess.run(["pkg-config", "--static", "--cflags", "--libs", "tblog_torch"], env=env,
                           check=True, capture_output=True, text=True).stdout.split()
    pkg_binary = os.path.join(scratch, "pkg-config-mnist")
    # A shared build installed outside the loader's paths: the program finds its libraries where
    # the package's -L flags say, as a user of such a prefix links (harmless for archives).
    rpaths = [f"-Wl,-rpath,{flag[2:]}" for flag in flags if flag.startswith("-L")]
    run(["c++", "-std=c++17", "-O1", os.path.join(example, "main.cpp"), "-o", pkg_binary] + flags +
        rpaths)
    return os.path.join(cmake_build, "libtorch_mnist"), pkg_binary, flags


def build_unit(unit, text, flags):
    """Writes `text` to `unit` (a .cpp path) and builds and links it with `flags`: "" when it
    builds, else the compiler's error lines (or its last lines)."""
    with open(unit, "w") as f:
        f.write(text)
    built = subprocess.run(["c++", "-std=c++17", "-O0", unit, "-o", unit[:-4]] + flags,
                           capture_output=True, text=True)
    if built.returncode == 0:
        return ""
    errors = [l for l in built.stderr.splitlines() if "error" in l]
    return "\n".join(errors[:20] or built.stderr.splitlines()[-20:])


def check_doc_snippets(source, scratch, flags):
    """Every ```cpp block of docs/torch.md and of the public headers' comments, and every whole
    program of the docs, built and linked against the installed package
    (tests/pylib/toolkit/doc_snippets.py)."""
    code, found = doc_snippets.translation_unit(source)
    places = {path for path, _, _ in found}
    expected = {"docs/torch.md", "tblog_torch/include/tblog/torch/callbacks.hpp",
                "tblog_torch/include/tblog/torch/probes.hpp",
                "tblog_torch/include/tblog/torch/model_summary.hpp",
                "tblog_torch/include/tblog/torch/tensors.hpp", "tblog/include/tblog/graph.hpp"}
    assert expected <= places, f"no ```cpp block found in {sorted(expected - places)}"
    failure = build_unit(os.path.join(scratch, "doc_snippets.cpp"), code, flags)
    assert not failure, failure
    whole = doc_snippets.programs(source)
    assert whole, "no whole program (a ```cpp block with main) found in README.md or docs/"
    for index, (path, line, program) in enumerate(whole):
        failure = build_unit(os.path.join(scratch, f"doc_program_{index}.cpp"),
                             f'#line {line} "{os.path.join(source, path)}"\n{program}\n', flags)
        assert not failure, f"{path}:{line}: {failure}"
    return (f"{len(found)} code blocks of docs/torch.md and the public headers, and "
            f"{len(whole)} whole programs of the docs, build against the installed package")


def check_python_loader(logdir):
    from tensorboard.backend.event_processing import event_accumulator as ea
    acc = ea.EventAccumulator(logdir, size_guidance={ea.TENSORS: 0, ea.IMAGES: 0, ea.HISTOGRAMS: 0})
    acc.Reload()
    tags = acc.Tags()
    scalar_tags = set(tags["tensors"]) | set(tags["scalars"])
    missing = [t for t in SCALAR_TAGS + ["pr_curves/7", "_hparams_/session_start_info"]
               if t not in scalar_tags]
    missing += [t for t in HISTOGRAM_TAGS if t not in set(tags["histograms"]) | scalar_tags]
    missing += [t for t in IMAGE_TAGS if t not in set(tags["images"]) | scalar_tags]
    assert not missing, f"Python loader: missing {missing}"
    return f"Python loader: {len(scalar_tags)} tensor/scalar tags, every expected one present"


def check_http(tb, loader):
    scalars = tb.wait_for(lambda: tb.get("/data/plugin/scalars/tags").get("."),
                          "scalar tags of the run")
    missing = [t for t in SCALAR_TAGS if t not in scalars]
    assert not missing, f"HTTP scalars ({loader}): missing {missing}"
    points = tb.get("/data/plugin/scalars/scalars", run=".", tag="Epoch/test_accuracy")
    assert [p[1] for p in points] == [1, 2], points
    histos = tb.get("/data/plugin/histograms/tags")["."]
    assert all(t in histos for t in HISTOGRAM_TAGS), histos
    images = tb.get("/data/plugin/images/tags")["."]
    assert all(t in images for t in IMAGE_TAGS), images
    pr = tb.get("/data/plugin/pr_curves/tags")["."]
    assert len(pr) == 10, pr
    runs = tb.get("/data/plugin/projector/runs")
    assert runs == ["."], runs
    return (f"HTTP API ({loader}): {len(scalars)} scalar tags, {len(histos)} histograms, "
            f"{len(images)} image tags, {len(pr)} PR curves, projector run {runs}, "
            f"Epoch/test_accuracy {[round(p[2], 4) for p in points]}")


CHART_LINES = """
const [tag] = arguments;
// Open the tag's group, as a person would: the dashboard opens only its first two.
const view = deepAll('tf-category-paginated-view').find(v => v.category && v.category.name === tag.split('/')[0]);
if (view && !view.opened) view.opened = true;
const card = deepAll('tf-scalar-card').find(c => c.tag === tag);
if (!card) return {found: false};
card.scrollIntoView({block: 'center'});  // charts draw once they are in view
return {found: true, lines: deepAll('path.line', card).filter(isLine).length};
"""
IMAGES_OF = """
const group = arguments[0].split('/')[0];
const view = deepAll('tf-category-paginated-view').find(v => v.category && v.category.name === group);
if (view && !view.opened) view.opened = true;
return deepAll('tf-image-loader').filter(l => (l.tag || '') === arguments[0])
    .flatMap(l => deepAll('img', l)).map(i => [i.complete, i.naturalWidth]);
"""
PR_CARDS = "return deepAll('tf-pr-curve-card').map(c => deepAll('path', c).filter(isLine).length)"
HISTOGRAMS = "return deepAll('tf-histogram-loader').length + deepAll('vz-histogram-timeseries').length"
PARALLEL = """
const tab = deepAll('paper-tab').find(t => /parallel coordinates/i.test(t.textContent));
if (tab && !tab.classList.contains('iron-selected')) tab.click();
const plot = deepAll('tf-hparams-parallel-coords-plot')[0];
return plot ? deepAll('g.foreground path', plot).filter(isLine).length : 0;
"""
GRAPH_NODES = "return deepAll('g.node').map(n => n.getAttribute('data-name')).filter(n => n)"
PROJECTOR = """
const text = el => el.textContent.trim().replace(/\\s+/g, ' ');
return deepAll('.status-bar-entry').map(text).find(t => /^Points: \\d+$/.test(t)) || null;
"""


def check_browser(tb, shots, loader):
    from toolkit.browser import (TS_CARD_LINES, browser, open_dashboard, poll, poll_in_projector,
                                 screenshot_from_top)
    driver = browser()
    out = []
    try:
        open_dashboard(driver, tb, "timeseries", svg=True)
        for tag in EPOCH_TAGS:
            poll(driver, TS_CARD_LINES, lambda r: r and r.get("found") and r["lines"] >= 2,
                 f"Time Series: {tag} draws no line", tag)
        screenshot_from_top(driver, os.path.join(shots, f"timeseries-{loader}.png"))
        # The legacy Scalars dashboard with "Ignore outliers" (on by default) draws no line for a
        # two-point series such as a 2-epoch loss (seen in TensorBoard 2.21); the per-step series
        # has enough points.
        open_dashboard(driver, tb, "scalars")
        for tag in ("train/loss", "train/accuracy"):
            poll(driver, CHART_LINES, lambda r: r.get("found") and r["lines"] >= 1,
                 f"Scalars: {tag} draws no line", tag)
        screenshot_from_top(driver, os.path.join(shots, f"scalars-{loader}.png"))
        out.append("Time Series: the Epoch charts draw lines; Scalars: train/loss and train/accuracy")
        open_dashboard(driver, tb, "images")
        for tag in IMAGE_TAGS:
            r = poll(driver, IMAGES_OF, lambda r: r and all(c and w > 50 for c, w in r),
                     f"Images: {tag} does not render", tag)
        screenshot_from_top(driver, os.path.join(shots, f"images-{loader}.png"))
        out.append(f"Images: {IMAGE_TAGS} render")
        open_dashboard(driver, tb, "pr_curves")
        r = poll(driver, PR_CARDS, lambda r: len(r) == 10 and all(n >= 1 for n in r),
                 "PR Curves: not 10 cards drawing curves")
        screenshot_from_top(driver, os.path.join(shots, f"pr_curves-{loader}.png"))
        out.append("PR Curves: 10 cards draw curves")
        open_dashboard(driver, tb, "histograms")
        poll(driver, HISTOGRAMS, lambda n: n >= 3, "Histograms: fewer than 3 charts")
        screenshot_from_top(driver, os.path.join(shots, f"histograms-{loader}.png"))
        open_dashboard(driver, tb, "hparams")
        poll(driver, PARALLEL, lambda n: n >= 1, "HParams: no session line")
        screenshot_from_top(driver, os.path.join(shots, f"hparams-{loader}.png"))
        out.append("Histograms and HParams draw")
        open_dashboard(driver, tb, "graphs")
        nodes = poll(driver, GRAPH_NODES, lambda r: {"Net", "conv1", "conv2", "fc1", "fc2"} <= set(r),
                     "Graphs: the model's node and its layers' boxes are not drawn")
        screenshot_from_top(driver, os.path.join(shots, f"graphs-{loader}.png"))
        out.append(f"Graphs: {sorted(nodes)}")
        points = poll_in_projector(driver, tb, PROJECTOR, lambda p: p == "Points: 1000",
                                   "Projector: 1000 test points")
        screenshot_from_top(driver, os.path.join(shots, f"projector-{loader}.png"))
        out.append(f"Projector: {points}")
    finally:
        driver.quit()
    return "; ".join(out)


HPARAMS_AXES = """
const tab = deepAll('paper-tab').find(t => /parallel coordinates/i.test(t.textContent));
if (tab && !tab.classList.contains('iron-selected')) tab.click();
const plot = deepAll('tf-hparams-parallel-coords-plot')[0];
if (!plot) return null;
return {lines: deepAll('g.foreground path', plot).filter(isLine).length,
        axes: deepAll('text', plot).map(t => t.textContent.trim()).filter(t => t.startsWith('Epoch/'))};
"""


def check_validation_split(tb, shots):
    """A run whose validation set is named "val": the HParams dashboard's columns are its metrics
    (Epoch/val_*), drawn, and no Epoch/test_* column the run never wrote."""
    from toolkit.browser import browser, open_dashboard, poll, screenshot_from_top
    driver = browser()
    try:
        open_dashboard(driver, tb, "hparams")
        r = poll(driver, HPARAMS_AXES,
                 lambda r: (r and r["lines"] >= 1 and
                            {"Epoch/val_accuracy", "Epoch/val_loss"} <= set(r["axes"])),
                 "HParams (split val): the validation metrics are not drawn as columns")
        screenshot_from_top(driver, os.path.join(shots, "hparams-val-split.png"))
        if any(a.startswith("Epoch/test_") for a in r["axes"]):
            raise AssertionError(f"HParams (split val) declares metrics the run never wrote: {r['axes']}")
    finally:
        driver.quit()
    return f"HParams with split 'val': columns {sorted(set(r['axes']))}, {r['lines']} session line(s)"


def main():
    build, source, shots = (os.path.abspath(a) for a in sys.argv[1:4])
    os.makedirs(shots, exist_ok=True)
    passed = failed = 0

    def check(name, f, *args):
        nonlocal passed, failed
        try:
            print(f"ok: {f(*args)}")
            passed += 1
        except Exception as e:  # noqa: BLE001 - every failure is reported, the rest still run
            print(f"FAIL: {name}: {type(e).__name__}: {e}")
            failed += 1

    with tempfile.TemporaryDirectory() as scratch:
        data, origin = mnist_files(scratch, source)
        cmake_binary, pkg_binary, flags = build_both(build, source, scratch)
        print(f"ok: built against the installed package with find_package and with pkg-config; data {origin}")
        passed += 1
        check("doc snippets", check_doc_snippets, source, scratch, flags)
        logdir = os.path.join(scratch, "runs")
        out = subprocess.run([cmake_binary, data, logdir, "2", "60", "1000", "10"], check=True,
                             capture_output=True, text=True).stdout
        print(f"ok: libtorch_mnist (find_package build): {out.strip().splitlines()[-1]}")
        # The pkg-config build's run names its validation set "val" (plugins.split).
        pkg_out = subprocess.run([pkg_binary, data, os.path.join(scratch, "pkg-runs"), "1", "5", "1000",
                                  "50", "val"], check=True, capture_output=True, text=True).stdout
        print(f"ok: libtorch_mnist (pkg-config build): {pkg_out.strip().splitlines()[-1]}")
        passed += 1
        check("python loader", check_python_loader, logdir)
        for loader in ("false", "true"):
            with TensorBoardServer(logdir, loader) as tb:
                check(f"http {loader}", check_http, tb, loader)
                check(f"browser {loader}", check_browser, tb, shots, loader)
        with TensorBoardServer(os.path.join(scratch, "pkg-runs"), "false") as tb:
            check("validation split val", check_validation_split, tb, shots)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
