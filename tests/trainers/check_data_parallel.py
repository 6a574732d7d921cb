#!/usr/bin/env python3
"""Data-parallel training on c10d/Gloo over loopback (127.0.0.1 only):
  - 2 processes with per-rank batch B end with the same weights and losses as 1 process with
    batch 2B and the same seed (float tolerance: the sums run in another order);
  - rank 0 alone writes the run; --log-all-ranks writes one run per rank, named by rank;
  - the callbacks' reduce hook (TrainState::sum_over_processes) sums over both ranks;
  - a rank that dies makes the other exit with a clear error within the group timeout (it does
    not hang), and `tbtrain launch` stops the rest and exits non-zero;
  - bad torchrun environment values are usage errors naming the variable.
Usage: check_data_parallel.py TBTRAIN TBLOG_CLI"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from toolkit.ports import free_port
from toolkit.tbtrain import digits_dir, tbtrain_with_faults



def scalars(tblog, logdir):
    out = subprocess.run([tblog, "export", logdir, "--format", "csv",
                          "--tag-regex", r"^(Epoch/|W\d_SUMMARY/|b\d_SUMMARY/)"],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines()[1:]:
        run, tag, step, _, value = line.rsplit(",", 4)
        rows[(tag, int(step))] = float(value)
    return rows


def main():
    tbtrain, tblog = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="tbtrain-dp-")
    failures = []
    try:
        data = digits_dir(tmp, "digits", n_train=256, n_test=64)
        args = ["cnn", "--data", "mnist", "--data-dir", data, "--epochs", "2", "--seed", "5",
                "--no-progress", "--summary-every", "4"]
        one = os.path.join(tmp, "one")
        subprocess.run([tbtrain, *args, "--batch-size", "16", "--logdir", one], check=True,
                       capture_output=True)
        two = os.path.join(tmp, "two")
        counted = os.path.join(tmp, "batches-counted")
        p = subprocess.run([tbtrain_with_faults(), "launch", "--nproc", "2", "--", *args,
                            "--batch-size", "8", "--logdir", two], capture_output=True, text=True,
                           timeout=300, env=dict(os.environ, TBTRAIN_TEST_COUNT_FILE=counted))
        # 256 images, 8 a rank a step: 16 steps an epoch, 2 epochs, on each of 2 ranks.
        total = open(counted).read().strip() if os.path.exists(counted) else "nothing"
        if total != "64":
            failures.append(f"the reduce hook summed {total} batches over the ranks, not 64")
        if p.returncode != 0:
            failures.append(f"launch failed: {p.stderr[-500:]}")
        else:
            a, b = scalars(tblog, one), scalars(tblog, two)
            if sorted(a) != sorted(b) or not a:
                failures.append(f"different series: {sorted(set(a) ^ set(b))[:5]}")
            for key in sorted(set(a) & set(b)):
                if abs(a[key] - b[key]) > 1e-4 * max(1.0, abs(a[key])):
                    failures.append(f"{key}: 1 process {a[key]} vs 2 processes {b[key]}")
            files = [f for d, _, fs in os.walk(two) for f in fs if "tfevents" in f]
            if len(files) != 1 or os.path.exists(os.path.join(two, "rank1")):
                failures.append(f"ranks other than 0 wrote: {files}")

        all_ranks = os.path.join(tmp, "all-ranks")
        subprocess.run([tbtrain, "launch", "--nproc", "2", "--", *args, "--batch-size", "8",
                        "--logdir", all_ranks, "--log-all-ranks"], capture_output=True, timeout=300)
        if sorted(os.listdir(all_ranks)) != ["rank0", "rank1"]:
            failures.append(f"--log-all-ranks wrote {os.listdir(all_ranks)}")

        # Rank 1 dies after step 3; rank 0, started on its own, must fail within the timeout.
        port = free_port()
        procs = []
        started = time.time()
        for rank in (0, 1):
            env = dict(os.environ, RANK=str(rank), WORLD_SIZE="2", MASTER_ADDR="127.0.0.1",
                       MASTER_PORT=str(port), TBTRAIN_TEST_KILL_AT_STEP="3",
                       TBTRAIN_TEST_KILL_RANK="1")
            procs.append(subprocess.Popen(
                [tbtrain_with_faults(), *args, "--batch-size", "8", "--logdir",
                 os.path.join(tmp, "dead"),
                 "--dist-timeout", "10"], env=env, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True))
        try:
            _, err0 = procs[0].communicate(timeout=120)
        except subprocess.TimeoutExpired:
            procs[0].kill()
            err0 = "(hung)"
        procs[1].wait(timeout=60)
        if procs[0].returncode in (0, None) or "did another rank die?" not in err0 or \
                "frame #" in err0 or time.time() - started > 100:
            failures.append(f"rank 0 after rank 1 died: exit {procs[0].returncode}: {err0[-400:]}")
        launched = subprocess.run([tbtrain_with_faults(), "launch", "--nproc", "2", "--", *args,
                                   "--batch-size",
                                   "8", "--logdir", os.path.join(tmp, "dead2"), "--dist-timeout",
                                   "10"],
                                  env=dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="3",
                                           TBTRAIN_TEST_KILL_RANK="1"),
                                  capture_output=True, timeout=120)
        if launched.returncode == 0:
            failures.append("launch exited 0 although a rank died")

        for env_values, name in (({"WORLD_SIZE": "abc"}, "WORLD_SIZE"),
                                 ({"WORLD_SIZE": "2", "RANK": "5", "MASTER_PORT": "1234"}, "RANK"),
                                 ({"WORLD_SIZE": "2", "RANK": "0"}, "MASTER_PORT"),
                                 ({"WORLD_SIZE": "2", "RANK": "1", "MASTER_PORT": "99999"},
                                  "MASTER_PORT")):
            env = {k: v for k, v in os.environ.items()
                   if k not in ("WORLD_SIZE", "RANK", "MASTER_PORT")}
            env.update(env_values)
            p = subprocess.run([tbtrain, *args, "--logdir", os.path.join(tmp, "x")], env=env,
                               capture_output=True, text=True, timeout=60)
            if p.returncode != 2 or name not in p.stderr:
                failures.append(f"{env_values}: exit {p.returncode}: {p.stderr[-300:]}")
        p = subprocess.run([tbtrain, "launch", "--nproc", "0", "--", *args], capture_output=True,
                           text=True)
        if p.returncode != 2 or "--nproc" not in p.stderr:
            failures.append(f"launch --nproc 0: exit {p.returncode}: {p.stderr}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    checks = 5  # equivalence, one writer, all ranks, dead rank, bad environment
    print(f"{max(0, checks - len(failures))} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
