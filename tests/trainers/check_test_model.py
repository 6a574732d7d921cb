#!/usr/bin/env python3
"""A model is one file and one registry line: tbtrain_with_test_model is tbtrain plus
tests/trainers/tiny_mlp_model.cpp (a perceptron whose registry line is that file's last), and
everything tbtrain does with a model reaches it from its entry alone: its subcommand and --help
(its own --width, and none of the other models' options or of the conv figures' it does not
offer), its default batch size, --preset best, a run on the real Fashion-MNIST that learns and
logs its HParams facts, a checkpoint whose --width a resume must keep, a sweep over its axis, and
the refusal of its axis for another model.
Usage: check_test_model.py TBTRAIN_WITH_TEST_MODEL TBLOG"""
import os
import shutil
import subprocess
import sys
import tempfile

TBTRAIN, TBLOG = sys.argv[1], sys.argv[2]
DATA = ["--train-limit", "1024", "--test-limit", "256", "--no-progress", "--no-visuals"]
failures = []


def run(*args):
    return subprocess.run([TBTRAIN, *args], capture_output=True, text=True, timeout=600)


def expect(ok, what):
    if not ok:
        failures.append(what)


def event_text(run_dir):
    """Every event file's values of a run, as tblog cat --json prints them."""
    text = ""
    for f in sorted(os.listdir(run_dir)):
        if "tfevents" in f:
            text += subprocess.run([TBLOG, "cat", "--json", os.path.join(run_dir, f)],
                                   capture_output=True, text=True, check=True).stdout
    return text


def train(logdir, *extra, env=None):
    """tbtrain mlp on Fashion-MNIST's first 1024 training images (the embedded default data)."""
    return subprocess.run([TBTRAIN, "--threads", "1", "mlp", "--logdir", logdir, "--epochs", "2",
                           *DATA, *extra], capture_output=True, text=True, env=env, timeout=600)


def main():
    tmp = tempfile.mkdtemp(prefix="tbtrain-test-model-")
    try:
        # Its subcommand and options come from its entry.
        top = run("--help").stdout
        expect("mlp" in top and "one-hidden-layer perceptron" in top, f"tbtrain --help: {top}")
        own = run("mlp", "--help").stdout
        expect("--width" in own, "mlp --help lacks its --width")
        for other in ("--fc1", "--cell", "--model-file", "--deconv-images", "--activation-images"):
            expect(other not in own, f"mlp --help offers {other}, an option it does not have")
        expect("--width" not in run("cnn", "--help").stdout, "cnn --help offers mlp's --width")

        # A run on real data: it learns, logs its facts to HParams, keeps its default batch size.
        plain = os.path.join(tmp, "plain")
        p = train(plain, "--width", "24")
        expect(p.returncode == 0, f"mlp run failed: {p.stderr[-400:]}")
        if p.returncode == 0:
            line = p.stdout.strip().splitlines()[-1]
            accuracy = float(line.split("test accuracy ")[1].split(",")[0])
            expect(line.startswith("tiny_mlp:") and accuracy > 0.6,
                   f"mlp did not learn Fashion-MNIST's first 1024 images: {line}")
            text = event_text(plain)
            for row in ("| batch_size | 32 |", "| hidden_units | 24 |", "| model | tiny_mlp |",
                        "| layers | 2 |", "| activation | relu |"):
                expect(row in text, f"mlp run: no '{row}' in its config")
            expect("W1_SUMMARY" in text or "histograms/W1" in text,
                   "mlp run: its summarized parameters (W1) were not logged")

        # --preset best is its entry's recipe; options on the command line still win.
        preset = os.path.join(tmp, "preset")
        p = train(preset, "--preset", "best", "--lr", "0.01")
        expect(p.returncode == 0, f"mlp --preset best failed: {p.stderr[-400:]}")
        if p.returncode == 0:
            text = event_text(preset)
            expect("| optimizer | momentum |" in text and "| lr | 0.01 |" in text,
                   "mlp --preset best: not its entry's optimizer with the given lr")

        # A checkpoint keeps its --width: a resume with another is refused naming the option,
        # and with the same one it finishes.
        resumed = os.path.join(tmp, "resumed")
        env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="40")
        p = train(resumed, "--width", "24", "--checkpoint-every", "16", env=env)
        expect(p.returncode != 0 and os.path.exists(os.path.join(resumed, "checkpoint.pt")),
               f"the killed mlp run left no checkpoint (exit {p.returncode}): {p.stderr[-300:]}")
        p = train(resumed, "--width", "8", "--resume")
        expect(p.returncode == 2 and "--width" in p.stderr,
               f"resume with another --width: exit {p.returncode}, {p.stderr.strip()[-300:]}")
        p = train(resumed, "--width", "24", "--resume")
        expect(p.returncode == 0, f"resume with the same --width failed: {p.stderr[-300:]}")

        # A sweep over its axis, with its default batch size; its axis on another model is refused.
        sweep = os.path.join(tmp, "sweep")
        p = subprocess.run([TBTRAIN, "--threads", "1", "sweep", "--model", "mlp", "--grid",
                            "width=8,16", "--epochs", "1", "--logdir", sweep, *DATA],
                           capture_output=True, text=True, timeout=600)
        expect(p.returncode == 0, f"sweep --model mlp failed: {p.stderr[-400:]}")
        if p.returncode == 0:
            for width in ("8", "16"):
                text = event_text(os.path.join(sweep, "width=" + width))
                expect(f"| hidden_units | {width} |" in text and "| batch_size | 32 |" in text,
                       f"sweep run width={width}: not its width or not batch 32")
        p = subprocess.run([TBTRAIN, "sweep", "--model", "cnn", "--grid", "width=8", "--logdir",
                            os.path.join(tmp, "wrong")], capture_output=True, text=True)
        expect(p.returncode == 2 and "applies to tiny_mlp models only, not to lenet5" in p.stderr,
               f"width on lenet5: exit {p.returncode}, {p.stderr.strip()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit(1)
    print("the test build's model was trained, preset, checkpointed and swept from its entry alone")


if __name__ == "__main__":
    main()
