#!/usr/bin/env python3
"""bench/results_table.py, the step of `bench/results.sh` that turns runs into docs/results: over
real tbtrain runs (tiny digits), finished seeds become rows and curves, a run still training
becomes neither, and the table between the SEEDS markers says the mean, std, min and max of the
finished seeds' result lines.

  check_results_table.py TBTRAIN TBLOG
"""
import csv
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from toolkit.report import Checks, run_checks  # noqa: E402
from toolkit.tbtrain import digits_dir  # noqa: E402

TBTRAIN, TBLOG = sys.argv[1], sys.argv[2]
TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                     "results_table.py")
EXPERIMENT = "lstm_256_80"  # any name results_table.py knows; this one the top README quotes
checks = Checks()


def train(run_dir, data, seed, finished):
    """A real tbtrain run; a finished one gets result.txt as results.sh writes it."""
    os.makedirs(run_dir)
    r = subprocess.run([TBTRAIN, "--threads", "1", "rnn", "--data", "mnist", "--data-dir", data,
                        "--cell", "rnn", "--hidden", "8", "--epochs", "2", "--batch-size", "16",
                        "--seed", str(seed), "--no-progress", "--logdir", run_dir],
                       capture_output=True, text=True, timeout=300)
    checks.expect(r.returncode == 0, f"tbtrain seed {seed}: {r.stderr[-500:]}")
    result_line = (r.stdout.strip().splitlines() or [""])[-1]
    if finished:
        with open(os.path.join(run_dir, "result.txt"), "w") as f:
            f.write(result_line + "\nwall_seconds 7\n")
    return result_line


def main(tmp):
    data = digits_dir(tmp, "digits", n_train=64, n_test=32)
    runs = os.path.join(tmp, "runs")
    lines = {seed: train(os.path.join(runs, EXPERIMENT, f"seed_{seed}"), data, seed, seed != 3)
             for seed in (1, 2, 3)}
    docs = os.path.join(tmp, "repo", "docs", "results")
    os.makedirs(docs)
    with open(os.path.join(docs, "README.md"), "w") as f:
        f.write("# Results\n\n<!-- SEEDS:BEGIN (bench/results.sh writes this table) -->\nold\n"
                "<!-- SEEDS:END -->\n\nProse stays.\n")
    top_readme = os.path.join(tmp, "repo", "README.md")
    with open(top_readme, "w") as f:
        f.write("Results (\n<!-- RESULTS:BEGIN (bench/results.sh writes this line) -->\nold\n"
                "<!-- RESULTS:END -->\n) and more.\n")
    r = subprocess.run([sys.executable, TABLE, runs, TBLOG, docs], capture_output=True, text=True,
                       timeout=120)
    checks.expect(r.returncode == 0, f"results_table.py: {r.stderr[-800:]}")

    with open(os.path.join(docs, "seeds", f"{EXPERIMENT}.csv")) as f:
        rows = list(csv.DictReader(f))
    checks.expect([row["seed"] for row in rows] == ["1", "2"],
                  f"rows are not the finished seeds 1 and 2: {[row['seed'] for row in rows]}")
    accuracies = [float(line.split("test accuracy ")[1].split(",")[0]) for s, line in lines.items()
                  if s != 3]
    checks.expect([float(row["test_accuracy"]) for row in rows] == accuracies and
                  all(row["wall_seconds"] == "7" and row["torch_threads"] == "1" for row in rows),
                  f"rows do not carry the result lines: {rows} vs {accuracies}")

    with open(os.path.join(docs, "seeds", f"{EXPERIMENT}-curves.csv")) as f:
        curves = list(csv.DictReader(f))
    runs_in_curves = sorted({c["run"] for c in curves})
    epochs = sorted({(c["run"], c["step"]) for c in curves if c["tag"] == "Epoch/test_accuracy"})
    checks.expect(runs_in_curves == ["seed_1", "seed_2"] and len(epochs) == 4,
                  f"curves are not the finished seeds' 2 epochs each: {runs_in_curves} {epochs}")

    with open(os.path.join(docs, "README.md")) as f:
        readme = f.read()
    mean, std = statistics.mean(accuracies), statistics.stdev(accuracies)
    row = next((line for line in readme.splitlines() if f"seeds/{EXPERIMENT}.csv" in line), "")
    cells = [c.strip() for c in row.split("|")]
    checks.expect(len(cells) > 4 and cells[2] == "2" and
                  cells[3] == f"**{100 * mean:.2f}%** ± {100 * std:.2f}" and
                  cells[4] == f"{100 * min(accuracies):.2f}%",
                  f"the table row does not say the two seeds' mean ± std ({100 * mean:.2f}% ± "
                  f"{100 * std:.2f}): {row!r}")
    checks.expect("\nold\n" not in readme and readme.endswith("<!-- SEEDS:END -->\n\nProse stays.\n"),
                  f"the table did not replace exactly what is between the markers: {readme!r}")
    with open(top_readme) as f:
        top = f.read()
    quoted = f"LSTM 256 units, 80 epochs, {100 * mean:.2f}% ± {100 * std:.2f} (2 seeds)."
    checks.expect(top == "Results (\n<!-- RESULTS:BEGIN (bench/results.sh writes this line) -->\n"
                  f"{quoted}\n<!-- RESULTS:END -->\n) and more.\n",
                  f"the top README's line does not quote the mean ± std over seeds: {top!r}")
    print(f"results_table: seeds 1-2 finished, 3 still training: {row}")


if __name__ == "__main__":
    sys.exit(run_checks(checks, "tblog-results-", main))
