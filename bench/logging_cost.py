#!/usr/bin/env python3
"""What logging at tbtrain's default cadence costs a training run: the same run with logging on
and with --no-logging, interleaved (on, off, off, on, on, off...), medians. Logging at the default cadence
is the train/test scalars, the weight summaries every 100 steps, the first-layer filters and
activation statistics every epoch, and the per-epoch diagnostics (PR curves, confusion matrix,
most-wrong images, the deconvnet evolution frame); the one-time figures at the end of a run
(deconvnet top-9, occlusion, PROJECTOR) are reported apart.

  run time on   = tbtrain's "seconds" minus its end-of-run figures
  run time off  = the --no-logging run's "seconds"
  in-loop share = time in logging calls on the training thread / run time (tbtrain's own clock)

Usage: bench/logging_cost.py TBTRAIN DATASETS_DIR [--pairs 5] [--markdown]"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile

RESULT = re.compile(r"test accuracy ([\d.]+).*?([\d.]+) s, [\d.]+ examples/s, logging ([\d.]+) s "
                    r"\(visuals ([\d.]+) s per epoch, ([\d.]+) s at the end\)")


def experiments(datasets):
    return {
        "LeNet5, CIFAR-10 subset (4,000 images), 10 epochs":
            ["cnn", "--data", "cifar10", "--data-dir", f"{datasets}/cifar10/partial",
             "--preset", "best", "--epochs", "10"],
        "LSTM 128, MNIST (20,000 sequences, 10,000 test), 2 epochs":
            ["rnn", "--data", "mnist", "--data-dir", f"{datasets}/mnist", "--cell", "lstm",
             "--hidden", "128", "--preset", "best", "--epochs", "2", "--train-limit", "20000"],
    }


def run(tbtrain, args, logdir, logging):
    extra = [] if logging else ["--no-logging"]
    out = subprocess.run([tbtrain, "--threads", "1", *args, *extra, "--no-progress", "--logdir",
                          logdir], capture_output=True, text=True, check=True,
                         env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}).stdout
    m = RESULT.search(out)
    if not m:
        raise SystemExit(f"no result line in: {out[-400:]}")
    accuracy, seconds, logging_s, _, final = map(float, m.groups())
    return {"accuracy": accuracy, "run": seconds - final, "logging": logging_s, "final": final}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tbtrain")
    p.add_argument("datasets")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--markdown", action="store_true")
    a = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tblog-logging-cost-") as tmp:
        for name, args in experiments(a.datasets).items():
            on, off = [], []
            for i in range(a.pairs):
                # ABBA order: whichever runs second in a pair (after another process's exit,
                # its page-cache writeback) is not always the same one.
                for logging in (True, False) if i % 2 == 0 else (False, True):
                    (on if logging else off).append(
                        run(a.tbtrain, args, f"{tmp}/{'on' if logging else 'off'}{i}", logging))
                print(f"{name} pair {i + 1}: on {on[-1]['run']:.2f} s, off {off[-1]['run']:.2f} s",
                      file=sys.stderr)
            t_on = statistics.median(r["run"] for r in on)
            t_off = statistics.median(r["run"] for r in off)
            share = statistics.median(r["logging"] / r["run"] for r in on)
            final = statistics.median(r["final"] for r in on)
            same = all(r["accuracy"] == on[0]["accuracy"] for r in on + off)
            rows.append((name, t_on, t_off, t_on / t_off - 1, share, final, same))
    if a.markdown:
        print("| run | run time, logging on (median) | off (median) | on vs off | in-loop share "
              "| end-of-run figures | same accuracy on and off |")
        print("|---|---|---|---|---|---|---|")
        for name, t_on, t_off, delta, share, final, same in rows:
            print(f"| {name} | {t_on:.2f} s | {t_off:.2f} s | {delta:+.1%} | {share:.2%} | "
                  f"{final:.2f} s | {'yes' if same else 'NO'} |")
    else:
        for name, t_on, t_off, delta, share, final, same in rows:
            print(f"{name}: on {t_on:.2f} s, off {t_off:.2f} s ({delta:+.1%}), in-loop "
                  f"{share:.2%}, end-of-run figures {final:.2f} s, same accuracy: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
