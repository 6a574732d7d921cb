#!/usr/bin/env python3
"""Turns bench/results.sh's runs into the results tables: one CSV of per-seed rows per experiment
(docs/results/seeds/<experiment>.csv), their per-epoch curves (<experiment>-curves.csv, exported
by `tblog export`) and the table between the SEEDS markers of docs/results/README.md. Nothing in
that table is typed by hand; rerun bench/results.sh --table-only after adding seeds.

Usage: results_table.py RUNS_DIR TBLOG_BINARY DOCS_RESULTS_DIR
"""
import csv
import os
import re
import statistics
import subprocess
import sys

# What each experiment is, in the order the table lists them, with its bar (docs: issue #28).
EXPERIMENTS = {
    "lenet5_cifar": ("LeNet5, CIFAR-10 subset, 200 epochs",
                     "cnn --data cifar10 --data-dir $D/cifar10/partial --preset best", 0.60),
    "lstm_128": ("LSTM 128, MNIST, 30 epochs",
                 "rnn --cell lstm --hidden 128 --data mnist --data-dir $D/mnist --preset best",
                 0.993),
    "gru_128": ("GRU 128, MNIST, 30 epochs",
                "rnn --cell gru --hidden 128 --data mnist --data-dir $D/mnist --preset best", 0.993),
    "rnn_128": ("RNN 128, MNIST, 30 epochs",
                "rnn --cell rnn --hidden 128 --data mnist --data-dir $D/mnist --preset best", 0.98),
    # What was tried where a bar was not met, and the recipes before label smoothing (LeNet5,
    # LSTM) and batch 64 (GRU) joined the presets.
    "gru_128_b128": ("GRU 128, MNIST, 30 epochs, batch 128",
                     "rnn --cell gru --hidden 128 --batch-size 128 ... --preset best", 0.993),
    "gru_128_50": ("GRU 128, MNIST, 50 epochs, batch 128",
                   "rnn --cell gru --hidden 128 --batch-size 128 --epochs 50 ... --preset best",
                   0.993),
    "gru_128_ls": ("GRU 128, MNIST, 30 epochs, batch 128, label smoothing 0.1",
                   "rnn --cell gru --hidden 128 --batch-size 128 --label-smoothing 0.1 ... "
                   "--preset best", 0.993),
    "gru_128_ls05": ("GRU 128, MNIST, 30 epochs, batch 128, label smoothing 0.05",
                     "rnn --cell gru --hidden 128 --batch-size 128 --label-smoothing 0.05 ... "
                     "--preset best", 0.993),
    "gru_128_wd": ("GRU 128, MNIST, 30 epochs, batch 128, weight decay 1e-4",
                   "rnn --cell gru --hidden 128 --batch-size 128 --weight-decay 1e-4 ... "
                   "--preset best", 0.993),
    "gru_128_lr2": ("GRU 128, MNIST, 30 epochs, batch 128, learning rate 2e-3",
                    "rnn --cell gru --hidden 128 --batch-size 128 --lr 2e-3 ... --preset best",
                    0.993),
    "lenet5_cifar_no_ls": ("LeNet5, CIFAR-10 subset, 200 epochs, no label smoothing",
                           "cnn --data cifar10 ... --preset best --label-smoothing 0", 0.60),
    "lenet5_cifar_300_no_ls": ("LeNet5, CIFAR-10 subset, 300 epochs, no label smoothing",
                               "cnn --data cifar10 ... --preset best --label-smoothing 0 "
                               "--epochs 300", 0.60),
    "lstm_128_no_ls": ("LSTM 128, MNIST, 30 epochs, no label smoothing",
                       "rnn --cell lstm --hidden 128 --label-smoothing 0 ... --preset best", 0.993),
    "lstm_128_50_no_ls": ("LSTM 128, MNIST, 50 epochs, no label smoothing",
                          "rnn --cell lstm --hidden 128 --label-smoothing 0 --epochs 50 ... "
                          "--preset best", 0.993),
    "gru_256_80": ("GRU 256, MNIST, 80 epochs",
                   "rnn --cell gru --hidden 256 --epochs 80 ... --preset best", None),
    "lstm_256_80": ("LSTM 256, MNIST, 80 epochs",
                    "rnn --cell lstm --hidden 256 --epochs 80 ... --preset best", None),
    "rnn_64": ("RNN 64, MNIST, 20 epochs", "rnn --cell rnn --hidden 64 --epochs 20 ...", None),
    "rnn_128_20": ("RNN 128, MNIST, 20 epochs",
                   "rnn --cell rnn --hidden 128 --epochs 20 ...", None),
    "rnn_256": ("RNN 256, MNIST, 20 epochs", "rnn --cell rnn --hidden 256 --epochs 20 ...", None),
    "rnn_1024": ("RNN 1024, MNIST, 20 epochs (learning rate 3e-4)",
                 "rnn --cell rnn --hidden 1024 --epochs 20 ...", None),
    "rnn_1024_lr1e-3": ("RNN 1024, MNIST, 20 epochs, learning rate 1e-3 (before the preset's 3e-4)",
                        "rnn --cell rnn --hidden 1024 --epochs 20 --lr 1e-3 ...", None),
    "lenet5_sweep_best": ("LeNet5, CIFAR-10 subset, the study's sweep best (Adam 1e-3, batch 64, "
                          "fc1 120, 10 epochs)",
                          "cnn --data cifar10 ... --optimizer adam --lr 1e-3 --batch-size 64 "
                          "--fc1 120 --epochs 10 --no-visuals", None),
}
RESULT_LINE = re.compile(r"test accuracy ([0-9.]+), test loss ([0-9.]+), train accuracy ([0-9.]+), "
                         r"([0-9]+) steps, ([0-9.]+) s")
COLUMNS = ["experiment", "seed", "test_accuracy", "test_loss", "train_accuracy", "steps",
           "train_seconds", "wall_seconds", "torch_threads", "openblas_threads", "cpu"]
BEGIN, END = "<!-- SEEDS:BEGIN (bench/results.sh writes this table) -->", "<!-- SEEDS:END -->"
README_BEGIN = "<!-- RESULTS:BEGIN (bench/results.sh writes this line) -->"
README_END = "<!-- RESULTS:END -->"
# The headlines the top-level README quotes, in its words.
HEADLINES = [("lenet5_cifar", "LeNet5 {} on the CIFAR-10 subset"), ("lstm_128", "LSTM {}"),
             ("gru_128", "GRU {}"), ("rnn_128", "RNN {} on MNIST"),
             ("gru_256_80", "GRU 256 units, 80 epochs, {}"),
             ("lstm_256_80", "LSTM 256 units, 80 epochs, {}")]


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def read_run(run_dir, experiment, seed):
    """One finished run as a row, or None while it has no result."""
    try:
        with open(os.path.join(run_dir, "result.txt")) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    match = RESULT_LINE.search(lines[0]) if lines else None
    if not match:
        raise SystemExit(f"results_table: {run_dir}/result.txt: no result line in it")
    wall = next((l.split()[1] for l in lines[1:] if l.startswith("wall_seconds ")), "")
    return {"experiment": experiment, "seed": seed, "test_accuracy": float(match[1]),
            "test_loss": float(match[2]), "train_accuracy": float(match[3]),
            "steps": int(match[4]), "train_seconds": float(match[5]), "wall_seconds": wall,
            "torch_threads": 1, "openblas_threads": 1, "cpu": CPU}


def summary(rows):
    acc = [r["test_accuracy"] for r in rows]
    std = statistics.stdev(acc) if len(acc) > 1 else float("nan")
    return statistics.mean(acc), std, min(acc), max(acc)


def percent(x):
    return f"{100 * x:.2f}%"


def table(all_rows):
    lines = ["| experiment | seeds | mean ± std | min | max | per seed | bar | |",
             "|---|---|---|---|---|---|---|---|"]
    for experiment, (title, command, bar) in EXPERIMENTS.items():
        rows = all_rows.get(experiment)
        if not rows:
            continue
        mean, std, lo, hi = summary(rows)
        per_seed = ", ".join(f"{r['seed']}: {percent(r['test_accuracy'])}" for r in rows)
        spread = f"± {100 * std:.2f}" if len(rows) > 1 else "(one seed)"
        if bar is None:
            verdict = ""
        elif len(rows) < 3:  # a bar is met by a mean over three seeds at least
            verdict = "too few seeds"
        else:
            verdict = "met" if mean >= bar else "**not met**"
        lines.append(f"| {title} ([rows](seeds/{experiment}.csv)) | {len(rows)} | "
                     f"**{percent(mean)}** {spread} | {percent(lo)} | {percent(hi)} | "
                     f"{per_seed} | {'' if bar is None else percent(bar)} | {verdict} |")
    lines.append("")
    lines.append(f"Machine: {CPU}; 1 LibTorch thread, OPENBLAS_NUM_THREADS=1 per run. "
                 "Commands: `tbtrain --threads 1 COMMAND --seed S` with COMMAND as listed in "
                 "bench/results.sh; std is the sample standard deviation over the seeds.")
    return "\n".join(lines)


def replace_between(path, begin, end, body):
    with open(path) as f:
        text = f.read()
    if begin not in text or end not in text:
        raise SystemExit(f"results_table: {path} has no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + body + "\n" + end + rest.split(end, 1)[1])


def readme_line(all_rows):
    parts = []
    for experiment, words in HEADLINES:
        if experiment in all_rows:
            mean, std, _, _ = summary(all_rows[experiment])
            n = len(all_rows[experiment])
            parts.append(words.format(f"{percent(mean)} ± {100 * std:.2f} ({n} seeds)"))
    return "; ".join(parts) + "."


def main():
    runs, tblog, docs = sys.argv[1:4]
    seeds_dir = os.path.join(docs, "seeds")
    os.makedirs(seeds_dir, exist_ok=True)
    all_rows = {}
    for experiment in EXPERIMENTS:
        exp_dir = os.path.join(runs, experiment)
        if not os.path.isdir(exp_dir):
            continue
        rows = []
        for name in sorted(os.listdir(exp_dir)):
            if name.startswith("seed_"):
                row = read_run(os.path.join(exp_dir, name), experiment, int(name[5:]))
                if row:
                    rows.append(row)
        if not rows:
            continue
        rows.sort(key=lambda r: r["seed"])
        all_rows[experiment] = rows
        with open(os.path.join(seeds_dir, f"{experiment}.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        curves = subprocess.run([tblog, "export", exp_dir, "--tag-regex",
                                 "^Epoch/(test|train)_(accuracy|loss)$", "--format", "csv"],
                                check=True, capture_output=True, text=True).stdout.splitlines()
        # Finished seeds only: a run still training (or killed) is not a result yet.
        finished = {f"seed_{row['seed']}" for row in rows}
        kept = curves[:1] + [line for line in curves[1:] if line.split(",", 1)[0] in finished]
        with open(os.path.join(seeds_dir, f"{experiment}-curves.csv"), "w") as f:
            f.write("".join(line + "\n" for line in kept))
    replace_between(os.path.join(docs, "README.md"), BEGIN, END, table(all_rows))
    top_readme = os.path.join(docs, "..", "..", "README.md")
    if os.path.exists(top_readme):
        replace_between(top_readme, README_BEGIN, README_END, readme_line(all_rows))
    for experiment, rows in all_rows.items():
        mean, std, lo, hi = summary(rows)
        print(f"{experiment}: {len(rows)} seeds, mean {percent(mean)}, std {100 * std:.3f}, "
              f"min {percent(lo)}, max {percent(hi)}")


CPU = cpu_model()
if __name__ == "__main__":
    main()
