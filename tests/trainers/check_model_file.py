#!/usr/bin/env python3
"""`tbtrain train --model-file`: a user's own TorchScript module, made here by Debian's
python3-torch, trained on real data (Debian's Fashion-MNIST, tbtrain's default), and read back
by stock TensorBoard's loader:
  - a conv net (batch norm, dropout, a features() method) gets its weight series, histograms, the
    first layer's filter grid, the graph of its forward pass, occlusion maps, the PROJECTOR, the
    diagnostics and its HParams session; an MLP gets what applies to it and nothing else;
  - killed mid-run and resumed, it ends with the same values as an uninterrupted run (bit for
    bit: CPU, one thread; batch-norm statistics and dropout's random state included);
  - a sweep over it trains each setting, resumes a killed run, and refuses axes of other models;
  - data-parallel on two ranks matches one process with the combined batch;
  - files that are not such a module get one line naming the file and what was expected, exit 2,
    in bounded time (a FIFO does not hang).
Usage: check_model_file.py TBTRAIN SYSTEM_PYTHON   (run with the stock-TensorBoard venv's python)"""
import math
import os
import signal
import subprocess
import sys

from tensorboard.backend.event_processing import event_accumulator

from toolkit.report import Checks, run_checks
from toolkit.tbtrain import tbtrain_with_faults

HERE = os.path.dirname(__file__)
DATA = ["--train-limit", "1024", "--test-limit", "256"]  # Fashion-MNIST, real images


def load(run_dir):
    acc = event_accumulator.EventAccumulator(run_dir, size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.TENSORS: 0,
        event_accumulator.IMAGES: 0, event_accumulator.HISTOGRAMS: 0})
    acc.Reload()
    return acc


def scalar_series(acc):
    """Every scalar tag's (step, value) series, as the loader serves them."""
    series = {}
    for tag in acc.Tags()["tensors"]:
        points = acc.Tensors(tag)
        proto = points[0].tensor_proto if points else None
        if proto is not None and proto.dtype == 1 and not proto.tensor_shape.dim:
            series[tag] = [(p.step, p.tensor_proto.float_val[0]) for p in points]
    for tag in acc.Tags()["scalars"]:
        series[tag] = [(p.step, p.value) for p in acc.Scalars(tag)]
    return series


class Check(Checks):
    def __init__(self, tbtrain):
        super().__init__()
        self.tbtrain = tbtrain

    def run(self, *args, env=None, timeout=600):
        # A run told to die (TBTRAIN_TEST_KILL_AT_STEP) needs the build with the test seam.
        binary = tbtrain_with_faults() if env and "TBTRAIN_TEST_KILL_AT_STEP" in env else self.tbtrain
        return subprocess.run([binary, "--threads", "1", *args], capture_output=True,
                              text=True, env=env, timeout=timeout)


def check_conv_net(c, modules, tmp):
    logdir = os.path.join(tmp, "runs", "convnet")
    p = c.run("train", "--model-file", os.path.join(modules, "convnet.pt"), *DATA, "--epochs", "2",
              "--batch-size", "32", "--embedding-points", "64", "--no-progress", "--logdir", logdir)
    c.expect(p.returncode == 0, f"convnet training failed: {p.stderr[-800:]}")
    if p.returncode != 0:
        return
    accuracy = float(p.stdout.split("test accuracy ")[1].split(",")[0])
    c.expect(accuracy > 0.6, f"convnet learned nothing: test accuracy {accuracy}")
    acc = load(logdir)
    tags = acc.Tags()
    scalars = set(tags["scalars"]) | set(tags["tensors"])
    for tag in ("conv1.weight_SUMMARY/max", "bn1.bias_SUMMARY/std", "fc.weight_SUMMARY/mean",
                "Epoch/test_accuracy", "Epoch/train_loss"):
        c.expect(tag in scalars, f"convnet: no scalar {tag} in {sorted(scalars)[:20]}")
    c.expect("histograms/conv2.weight" in set(tags["histograms"]) | set(tags["tensors"]),
             "convnet: no weight histogram")
    for tag in ("filters/conv1", "occlusion/maps", "test_set/confusion_matrix"):
        c.expect(tag in tags["images"], f"convnet: no image {tag}: {tags['images']}")
    c.expect(tags["graph"], "convnet: no graph")
    if tags["graph"]:
        graph = acc.Graph()
        ops = {n.op for n in graph.node}
        names = {n.name for n in graph.node}
        c.expect("aten::_convolution" in ops or "aten::conv2d" in ops,
                 f"convnet graph: no convolution among {sorted(ops)}")
        c.expect(any(n.startswith("features/conv1/") for n in names),
                 f"convnet graph: conv1 not scoped inside features/: {sorted(names)[:20]}")
    # Its submodules by their scripted class, as the conceptual graph (tag "layers").
    c.expect("layers" in tags["tensors"], "convnet: no conceptual graph")
    if "layers" in tags["tensors"]:
        import json
        from tensorboard.util import tensor_util
        model = json.loads(tensor_util.make_ndarray(acc.Tensors("layers")[0].tensor_proto).item())
        layers = [(l["config"]["name"], l["class_name"]) for l in model["config"]["layers"]]
        c.expect(layers == [("conv1", "Conv2d"), ("bn1", "BatchNorm2d"), ("conv2", "Conv2d"),
                            ("drop", "Dropout"), ("fc", "Linear")],
                 f"convnet: conceptual graph layers {layers}")
    c.expect(os.path.exists(os.path.join(logdir, "projector_config.pbtxt")),
             "convnet: no PROJECTOR config although the module has features()")
    start = [e for e in acc.Tensors("_hparams_/session_start_info")] if \
        "_hparams_/session_start_info" in tags["tensors"] else []
    c.expect(bool(start), "convnet: no HParams session")
    if start:
        from tensorboard.plugins.hparams import plugin_data_pb2
        content = acc.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
        info = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
        c.expect(info.hparams["model"].string_value == "convnet",
                 f"convnet: HParams model is {info.hparams['model']}")


def check_mlp(c, modules, tmp):
    logdir = os.path.join(tmp, "runs", "mlp")
    p = c.run("train", "--model-file", os.path.join(modules, "mlp.pt"), *DATA, "--epochs", "1",
              "--no-progress", "--logdir", logdir)
    c.expect(p.returncode == 0, f"mlp training failed: {p.stderr[-800:]}")
    if p.returncode != 0:
        return
    images = load(logdir).Tags()["images"]
    c.expect("test_set/confusion_matrix" in images, f"mlp: no confusion matrix: {images}")
    c.expect(not any(t.startswith(("filters/", "occlusion/")) for t in images),
             f"mlp: conv pictures for a model without conv layers: {images}")
    c.expect(not os.path.exists(os.path.join(logdir, "projector_config.pbtxt")),
             "mlp: a PROJECTOR without a features() method")


def check_kill_and_resume(c, modules, tmp):
    common = ["train", "--model-file", os.path.join(modules, "convnet.pt"), "--train-limit", "256",
              "--test-limit", "64", "--epochs", "3", "--batch-size", "16", "--log-every", "4",
              "--summary-every", "8", "--seed", "7", "--no-progress"]
    straight = os.path.join(tmp, "straight")
    c.expect(c.run(*common, "--logdir", straight).returncode == 0, "straight run failed")
    resumed = os.path.join(tmp, "resumed")
    env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="23")  # mid-epoch 2, after step 20's checkpoint
    killed = c.run(*common, "--logdir", resumed, "--checkpoint-every", "5", env=env)
    c.expect(killed.returncode == -signal.SIGKILL, f"not killed: exit {killed.returncode}")
    p = c.run(*common, "--logdir", resumed, "--checkpoint-every", "5", "--resume")
    c.expect(p.returncode == 0, f"resume failed: {p.stderr[-500:]}")
    a, b = scalar_series(load(straight)), scalar_series(load(resumed))
    c.expect(sorted(a) == sorted(b), f"tags differ after resume: {sorted(set(a) ^ set(b))}")
    differing = [t for t in set(a) & set(b) if not t.startswith("perf/") and a[t] != b[t]]
    c.expect(not differing, "resumed values differ from the uninterrupted run: " +
             "; ".join(f"{t}: {a[t][-2:]} vs {b[t][-2:]}" for t in sorted(differing)[:4]))
    c.expect(a.get("bn1.weight_SUMMARY/mean"), "no batch-norm series to compare")


def check_sweep(c, modules, tmp):
    sweep = os.path.join(tmp, "sweep")
    args = ["sweep", "--model-file", os.path.join(modules, "convnet.pt"), "--grid",
            "lr=0.01,0.003", "--train-limit", "256", "--test-limit", "64", "--epochs", "2",
            "--batch-size", "16", "--checkpoint-every", "5", "--no-progress", "--logdir", sweep]
    env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="12")  # kills the first run
    c.run(*args, env=env)
    first = os.path.join(sweep, "lr=0.01")
    before = {f for f in os.listdir(first) if "tfevents" in f}
    c.expect(os.path.exists(os.path.join(first, "checkpoint.pt")), "killed sweep run: no checkpoint")
    p = c.run(*args)
    c.expect(p.returncode == 0, f"sweep failed: {p.stdout[-300:]} {p.stderr[-500:]}")
    after = {f for f in os.listdir(first) if "tfevents" in f}
    c.expect(before < after, f"the sweep started its killed run over: {before} -> {after}")
    for run in ("lr=0.01", "lr=0.003"):
        c.expect(os.path.exists(os.path.join(sweep, run, "run_record.txt")), f"sweep: {run} unfinished")

    p = c.run("sweep", "--model-file", os.path.join(modules, "convnet.pt"), "--grid", "hidden=64",
              "--logdir", os.path.join(tmp, "sweep-bad"))
    c.expect(p.returncode == 2 and "hidden" in p.stderr,
             f"a recurrent-only axis on a model file: exit {p.returncode} {p.stderr}")
    p = c.run("sweep", "--model", "rnn", "--model-file", os.path.join(modules, "convnet.pt"),
              "--grid", "lr=0.1")
    c.expect(p.returncode == 2, f"--model with --model-file: exit {p.returncode} {p.stderr}")


def check_data_parallel(c, modules, tmp):
    """Two ranks with batch 8 each take the same steps as one process with batch 16 (MLP: no
    batch norm or dropout, whose statistics are per rank)."""
    args = ["train", "--model-file", os.path.join(modules, "mlp.pt"), "--train-limit", "256",
            "--test-limit", "64", "--epochs", "1", "--seed", "3", "--no-progress"]
    one = c.run(*args, "--batch-size", "16", "--logdir", os.path.join(tmp, "dp-one"))
    two_dir = os.path.join(tmp, "dp-two")
    two = subprocess.run([c.tbtrain, "launch", "--nproc", "2", "--", *args, "--batch-size", "8",
                          "--logdir", two_dir], capture_output=True, text=True, timeout=600)
    c.expect(one.returncode == 0 and two.returncode == 0,
             f"data-parallel: exits {one.returncode}/{two.returncode}: {two.stderr[-500:]}")
    if one.returncode or two.returncode:
        return
    a = scalar_series(load(os.path.join(tmp, "dp-one")))
    b = scalar_series(load(two_dir))
    for tag in ("hidden.weight_SUMMARY/std", "Epoch/train_loss"):
        va, vb = a.get(tag, [(0, math.nan)])[-1][1], b.get(tag, [(0, math.nan)])[-1][1]
        c.expect(abs(va - vb) <= 1e-4 * max(1.0, abs(va)), f"data-parallel {tag}: {va} vs {vb}")


def check_refusals(c, modules, tmp):
    fifo = os.path.join(tmp, "fifo.pt")
    os.mkfifo(fifo)
    directory = os.path.join(tmp, "directory.pt")
    os.mkdir(directory)
    cases = [  # (file, what the one line must say)
        (os.path.join(modules, "garbage.pt"), "not a TorchScript module"),
        (os.path.join(modules, "state_dict.pt"), "not a TorchScript module"),
        (os.path.join(tmp, "missing.pt"), "no such file"),
        (fifo, "not a regular file"),
        (directory, "not a regular file"),
        (os.path.join(modules, "five_classes.pt"), "expected logits 2x10"),
        (os.path.join(modules, "tuple_output.pt"), "expected logits 2x10"),
        (os.path.join(modules, "integer_output.pt"), "expected floating point"),
        (os.path.join(modules, "three_channels.pt"), "forward failed for a 2x1x28x28 batch"),
        (os.path.join(modules, "no_parameters.pt"), "no parameters"),
    ]
    for path, expected in cases:
        try:
            p = c.run("train", "--model-file", path, "--train-limit", "64", "--test-limit", "32",
                      "--no-progress", "--logdir", os.path.join(tmp, "refused"), timeout=60)
        except subprocess.TimeoutExpired:
            c.expect(False, f"{path}: hung")
            continue
        lines = p.stderr.strip().splitlines()
        c.expect(p.returncode == 2 and len(lines) == 1 and path in lines[0] and expected in lines[0],
                 f"{os.path.basename(path)}: exit {p.returncode}, stderr {p.stderr!r}")
    p = c.run("train", "--model-file", os.path.join(modules, "convnet.pt"), "--preset", "best")
    c.expect(p.returncode == 2 and "--preset" in p.stderr, f"--preset best: {p.stderr}")


def main():
    tbtrain, system_python = sys.argv[1], sys.argv[2]
    c = Check(tbtrain)

    def body(tmp):
        modules = os.path.join(tmp, "modules")
        subprocess.run([system_python, os.path.join(HERE, "make_script_modules.py"), modules],
                       check=True)
        for check in (check_conv_net, check_mlp, check_kill_and_resume, check_sweep,
                      check_data_parallel, check_refusals):
            check(c, modules, tmp)
    return run_checks(c, "tbtrain-model-file-", body)


if __name__ == "__main__":
    sys.exit(main())
