#!/usr/bin/env python3
"""The second hostile round on tbtrain's inputs: checkpoints and data files. The corpus is built
here (a tiny MNIST-layout set, CIFAR-10 directories with extra or doubled files, a gzip bomb).

  - resuming with an option that shapes training different from the checkpoint's (--fc1,
    --optimizer, --batch-size, --train-limit, --model-file...) is refused naming that option;
  - --max-steps at or below the checkpoint's step is refused, and the checkpoint kept;
  - a checkpoint that is a FIFO or a directory is an error, not a hang;
  - CIFAR-10 loads exactly the layout's names: backups (.bin.orig, .bin~) are not data, a batch
    present twice (.bin beside .bin.gz) is an error naming both;
  - an IDX gzip inflating far past what its header claims is refused without inflating it all;
  - a sweep reports a damaged run record by path and trains the run again (no abort under
    --parallel), refuses to count runs finished with other options (--epochs) as its own, and
    shards given the grid in other orders train every run once;
  - `launch` refuses a sweep, names a rank that died and how, forwards SIGTERM to its ranks
    (none left running), and ranks started with different options are refused by a check
    before training instead of aborting inside Gloo.
Every error is one line, `tbtrain: error: ...`, exit 1 or 2, no backtrace, in bounded time.
Usage: check_hostile_training.py TBTRAIN"""
import gzip
import os
import socket
import struct
import subprocess
import sys
import time

from toolkit.report import Checks, run_checks
from toolkit.tbtrain import digits_dir, tbtrain_with_faults


class Check(Checks):
    def __init__(self, tbtrain):
        super().__init__()
        self.tbtrain = tbtrain

    def run(self, *args, env=None, timeout=120):
        # A run told to die (TBTRAIN_TEST_KILL_AT_STEP) needs the build with the test seam.
        binary = tbtrain_with_faults() if env and "TBTRAIN_TEST_KILL_AT_STEP" in env else self.tbtrain
        try:
            return subprocess.run([binary, "--threads", "1", *args], capture_output=True,
                                  text=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.failures.append(f"tbtrain {' '.join(args)[:150]}: hung")
            return None

    def refused(self, args, status, words, **kw):
        p = self.run(*args, **kw)
        if p is None:
            return
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        ok = (p.returncode == status and len(lines) == 1 and lines[0].startswith("tbtrain: error:")
              and all(w in lines[0] for w in words) and "frame #" not in p.stderr)
        self.expect(ok, f"tbtrain {' '.join(args)[-150:]}: exit {p.returncode}, expected {status} "
                        f"naming {words}: {p.stderr[-400:]}")


def check_checkpoints(c, tmp):
    data = digits_dir(tmp, "digits", n_train=256, n_test=64)
    common = ["cnn", "--data", "mnist", "--data-dir", data, "--epochs", "2", "--batch-size", "16",
              "--seed", "3", "--no-progress", "--no-visuals", "--checkpoint-every", "4"]
    run = os.path.join(tmp, "killed")
    env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="10")
    c.run(*common, "--logdir", run, env=env)
    checkpoint = os.path.join(run, "checkpoint.pt")
    c.expect(os.path.exists(checkpoint), "no checkpoint after the kill")
    for option, value in (("--fc1", "64"), ("--optimizer", "sgd"), ("--batch-size", "32"),
                          ("--train-limit", "128"), ("--seed", "4"), ("--activation", "relu")):
        args = [a for a in common]
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
        c.refused([*args, "--logdir", run, "--resume"], 2, ["--resume", option, value])
    c.refused([*common, "--logdir", run, "--resume", "--max-steps", "8"], 2,
              ["--resume", "step 8", "nothing to train"])
    c.expect(os.path.exists(checkpoint), "a refused resume deleted the checkpoint")
    p = c.run(*common, "--logdir", run, "--resume", "--log-every", "3")  # cadence may change
    c.expect(p is not None and p.returncode == 0, f"a resume with another --log-every failed: "
                                                  f"{p.stderr[-300:] if p else ''}")
    for kind in ("fifo", "directory"):
        odd = os.path.join(tmp, f"checkpoint_{kind}")
        os.makedirs(odd)
        target = os.path.join(odd, "checkpoint.pt")
        os.mkfifo(target) if kind == "fifo" else os.mkdir(target)
        c.refused([*common, "--logdir", odd, "--resume"], 1, [target, "not a regular file"],
                  timeout=60)


def cifar_dir(root, name, files):
    d = os.path.join(root, name)
    os.makedirs(d)
    record = bytes([3]) + bytes(range(256)) * 12  # label 3, 3072 pixels
    for filename in files:
        body = record * 4
        with open(os.path.join(d, filename), "wb") as f:
            f.write(gzip.compress(body) if filename.endswith(".gz") else body)
    return d


def check_data_files(c, tmp):
    args = ["cnn", "--data", "cifar10", "--epochs", "1", "--no-progress", "--no-visuals",
            "--logdir", os.path.join(tmp, "cifar-run")]
    doubled = cifar_dir(tmp, "doubled", ["data_batch_1.bin", "data_batch_1.bin.gz",
                                         "test_batch.bin"])
    c.refused([*args, "--data-dir", doubled], 1, ["data_batch_1.bin", "data_batch_1.bin.gz"])
    backups = cifar_dir(tmp, "backups", ["data_batch_1.bin.orig", "data_batch_2.bin~",
                                         "test_batch.bin"])
    c.refused([*args, "--data-dir", backups], 1, ["no data_batch"])
    subset = cifar_dir(tmp, "subset", ["data_batch_1.first4.bin.gz", "test_batch.bin",
                                       "test_batch.bin~"])
    p = c.run(*args, "--data-dir", subset)
    c.expect(p is not None and p.returncode == 0,
             f"a labelled subset with a backup beside it did not train: {p.stderr[-300:] if p else ''}")

    bomb = os.path.join(tmp, "bomb")
    digits_dir(tmp, "bomb", n_train=16, n_test=8)
    header = struct.pack(">IIII", 2051, 16, 28, 28)  # claims 16 images...
    with gzip.open(os.path.join(bomb, "train-images-idx3-ubyte.gz"), "wb", compresslevel=9) as f:
        f.write(header)
        zeros = bytes(1 << 20)
        for _ in range(400):  # ...and holds 400 MiB
            f.write(zeros)
    os.remove(os.path.join(bomb, "train-images-idx3-ubyte"))
    start = time.monotonic()
    c.refused(["cnn", "--data", "mnist", "--data-dir", bomb, "--no-progress", "--logdir",
               os.path.join(tmp, "bomb-run")], 1, ["train-images-idx3-ubyte.gz",
                                                   "more than its header says"])
    c.expect(time.monotonic() - start < 20, "the gzip bomb was inflated whole")


def check_sweeps(c, tmp):
    data = digits_dir(tmp, "sweep-digits", n_train=64, n_test=32)
    root = os.path.join(tmp, "sweep")
    args = ["sweep", "--grid", "lr=0.01,0.001", "--data", "mnist", "--data-dir", data,
            "--epochs", "1", "--batch-size", "16", "--no-progress", "--no-visuals",
            "--logdir", root]
    p = c.run(*args)
    c.expect(p is not None and p.returncode == 0, f"the sweep failed: {p.stderr[-300:] if p else ''}")
    for damage, parallel in (("test_accuracy=abc\n", "1"), ("", "2"), ("name=x\n", "2")):
        record = os.path.join(root, "lr=0.01", "run_record.txt")
        with open(record, "w") as f:
            f.write(damage)
        p = c.run(*args, "--parallel", parallel)
        ok = (p is not None and p.returncode == 0 and record in p.stderr and
              "trained again" in p.stderr and "lr=0.01: test accuracy" in p.stdout)
        c.expect(ok, f"a damaged run record ({damage!r}, --parallel {parallel}) was not reported "
                     f"and retrained: {(p.stdout + p.stderr)[-400:] if p else ''}")
    epochs = [a if a != "1" else "2" for a in args]
    c.refused(epochs, 2, ["lr=0.01", "--epochs 1", "--epochs 2"])

    # Two shards started together with the grid in opposite orders: every run trained once.
    shards_root = os.path.join(tmp, "shards")
    procs = []
    for k, grid in ((1, "lr=0.1,0.01,0.001,0.0001"), (2, "lr=0.0001,0.001,0.01,0.1")):
        procs.append(subprocess.Popen(
            [c.tbtrain, "--threads", "1", "sweep", "--grid", grid, "--shard", f"{k}/2",
             "--data", "mnist", "--data-dir", data, "--epochs", "1", "--batch-size", "16",
             "--no-progress", "--no-visuals", "--logdir", shards_root],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=300) for p in procs]
    trained = sum(o.count(": test accuracy") for o, _ in outs)
    c.expect(all(p.returncode == 0 for p in procs) and trained == 4,
             f"shards with the grid in other orders trained {trained} runs (expected 4): {outs}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_mentioning(text):
    """Pids of live processes whose command line holds `text` (a unique logdir)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if text.encode() in f.read():
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def check_launches(c, tmp):
    data = digits_dir(tmp, "dp-digits", n_train=256, n_test=64)
    args = ["cnn", "--data", "mnist", "--data-dir", data, "--batch-size", "8", "--no-progress",
            "--no-visuals"]
    c.refused(["launch", "--nproc", "2", "--", "sweep", "--grid", "lr=0.1"], 2, ["launch", "sweep"])

    # A rank killed mid-run: the launcher says which and how, and stops the other.
    env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP="3", TBTRAIN_TEST_KILL_RANK="1")
    p = c.run("launch", "--nproc", "2", "--", *args, "--epochs", "1", "--logdir",
              os.path.join(tmp, "dp-killed"), env=env)
    c.expect(p is not None and p.returncode != 0 and "rank 1" in p.stderr and "SIGKILL" in p.stderr,
             f"a killed rank was not named: exit {p.returncode if p else None} {p.stderr[-400:] if p else ''}")

    # SIGTERM to the launcher reaches its ranks: none is left running.
    logdir = os.path.join(tmp, "dp-terminated")
    launcher = subprocess.Popen([c.tbtrain, "--threads", "1", "launch", "--nproc", "2", "--", *args,
                                 "--epochs", "500", "--logdir", logdir],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(processes_mentioning(logdir)) < 3:
        time.sleep(0.2)
    time.sleep(1)
    launcher.terminate()
    try:
        launcher.wait(timeout=60)
    except subprocess.TimeoutExpired:
        launcher.kill()
    time.sleep(1)
    left = processes_mentioning(logdir)
    c.expect(not left and launcher.returncode != 0,
             f"after SIGTERM to launch: exit {launcher.returncode}, ranks left running: {left}")
    for pid in left:
        os.kill(pid, 9)

    # A rank whose group never forms: one line of its own, within --dist-timeout.
    env = dict(os.environ, RANK="1", WORLD_SIZE="2", LOCAL_RANK="1", MASTER_ADDR="127.0.0.1",
               MASTER_PORT=str(free_port()))
    env.pop("GLOG_minloglevel", None)
    # Rank 1 with nobody there, rank 0 with no rank 1 (c10d waited twice as long), and rank 1
    # at a port where something listens but never answers (c10d waited for ever): each ends
    # within --dist-timeout and a few seconds of starting, in one line.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    # And rank 0 at a port something else holds: c10d's own warnings stay off the console.
    for rank, port, what in (("1", free_port(), "nobody there"), ("0", free_port(), "alone"),
                             ("1", silent.getsockname()[1], "a port that never answers"),
                             ("0", silent.getsockname()[1], "a port in use")):
        env.update(RANK=rank, LOCAL_RANK=rank, MASTER_PORT=str(port))
        start = time.monotonic()
        c.refused([*args, "--dist-timeout", "3", "--logdir", os.path.join(tmp, "dp-alone")], 1,
                  [f"rank {rank}", "cannot join the group"], env=env)
        took = time.monotonic() - start
        c.expect(took < 3 + 4, f"rank {rank}, {what}: --dist-timeout 3 took {took:.1f} s")
    silent.close()

    # Ranks started by hand with different options are refused, not aborted inside Gloo.
    port = str(free_port())
    ranks = []
    for rank, fc1 in ((0, "120"), (1, "64")):
        env = dict(os.environ, RANK=str(rank), WORLD_SIZE="2", LOCAL_RANK=str(rank),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        ranks.append(subprocess.Popen([c.tbtrain, "--threads", "1", *args, "--fc1", fc1,
                                       "--epochs", "1", "--dist-timeout", "30", "--logdir",
                                       os.path.join(tmp, f"dp-mixed{rank}")],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True))
    errs = [r.communicate(timeout=120)[1] for r in ranks]
    c.expect(all(r.returncode == 2 for r in ranks) and all("same training options" in e for e in errs),
             f"ranks with different --fc1: exits {[r.returncode for r in ranks]}: {errs}")


def main():
    c = Check(sys.argv[1])

    def body(tmp):
        check_checkpoints(c, tmp)
        check_data_files(c, tmp)
        check_sweeps(c, tmp)
        check_launches(c, tmp)
    return run_checks(c, "tbtrain-hostile-", body)


if __name__ == "__main__":
    sys.exit(main())
