#!/usr/bin/env python3
"""A grid spread over shards started at once (as a job array on nodes sharing a file system):
every run is trained exactly once, the sweep's summary file left behind lists every run, and
`--collect` rebuilds the same table. SLURM's variables pick the shard like --shard does, and bad
shard specifications are usage errors.
Usage: check_sweep_shards.py TBTRAIN TBLOG_CLI"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from toolkit.tbtrain import digits_dir

GRID = "lr=1e-3,3e-3,1e-2; optimizer=adam,sgd"  # 6 runs
RUNS = [f"lr={lr},optimizer={opt}" for lr in ("1e-3", "3e-3", "1e-2") for opt in ("adam", "sgd")]


def shard_of(run_name, shards):
    """The shard a run belongs to: FNV-1a of its name (sweep.cpp), whatever the grid's order."""
    h = 14695981039346656037
    for b in run_name.encode():
        h = ((h ^ b) * 1099511628211) % (1 << 64)
    return h % shards


def results_text(tblog, sweep_dir):
    """The sweep's `results` text, from the summary file in its first run."""
    first = os.path.join(sweep_dir, RUNS[0])
    summary = [f for f in os.listdir(first) if f.endswith(".sweep")]
    assert len(summary) == 1, os.listdir(first)
    out = subprocess.run([tblog, "cat", "--json", os.path.join(first, summary[0])],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        for v in json.loads(line).get("values", []):
            if v["tag"] == "results":
                return v["text"]
    raise AssertionError("no results text")


def main():
    tbtrain, tblog = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="tbtrain-shards-")
    failures = []
    try:
        data = digits_dir(tmp, "digits", n_train=64, n_test=32)
        sweep = os.path.join(tmp, "sweep")
        common = ["sweep", "--grid", GRID, "--epochs", "1", "--data", "mnist", "--data-dir", data,
                  "--logdir", sweep, "--no-progress"]
        shards = [subprocess.Popen([tbtrain, *common, "--shard", f"{k}/3"], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True) for k in (1, 2, 3)]
        outputs = [p.communicate(timeout=600)[0] for p in shards]
        if any(p.returncode != 0 for p in shards):
            failures.append(f"a shard failed: {outputs}")
        records = [r for r in RUNS if os.path.exists(os.path.join(sweep, r, "run_record.txt"))]
        if records != RUNS:
            failures.append(f"runs with a record: {records}")
        for r in RUNS:
            files = [f for f in os.listdir(os.path.join(sweep, r)) if "tfevents" in f and
                     not f.endswith(".sweep")]
            if len(files) != 1:
                failures.append(f"{r}: {len(files)} event files (trained twice?)")
        table = results_text(tblog, sweep)
        if any(r not in table for r in RUNS) or "not finished" in table:
            failures.append(f"the summary left by the shards is incomplete:\n{table}")
        collect = subprocess.run([tbtrain, *common, "--collect"], capture_output=True, text=True)
        if collect.returncode != 0 or results_text(tblog, sweep) != table:
            failures.append(f"--collect did not rebuild the same table: {collect.stdout[-500:]}")

        # SLURM job-array variables choose the shard (here task 5 of 3..5: the third share).
        env = dict(os.environ, SLURM_ARRAY_TASK_COUNT="3", SLURM_ARRAY_TASK_ID="5",
                   SLURM_ARRAY_TASK_MIN="3")
        slurm = subprocess.run([tbtrain, *common], capture_output=True, text=True, env=env)
        skipped = slurm.stdout.count("already finished, skipped")
        owned = sum(1 for r in RUNS if shard_of(r, 3) == 2)
        if slurm.returncode != 0 or skipped != owned:
            failures.append(f"SLURM task 3/3 should own {owned} runs (all done), skipped "
                            f"{skipped}: {slurm.stdout[-500:]}")
        for bad in ("0/3", "4/3", "2", "a/b", "1/0", "1/4294967297", "4294967297/3"):
            p = subprocess.run([tbtrain, *common, "--shard", bad], capture_output=True, text=True)
            if p.returncode != 2 or "--shard" not in p.stderr:
                failures.append(f"--shard {bad}: exit {p.returncode}: {p.stderr}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    checks = 5  # shards, records, single training, summary, --collect / SLURM / bad specs
    print(f"{max(0, checks - len(failures))} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
