#!/usr/bin/env python3
"""An s3:// logdir in stock TensorBoard: its Python loader (`tensorboard --logdir s3://...`, the
only way it reads S3) against `tblog serve s3://...` with `tensorboard --grpc_data_provider`, on a
real S3 server (SeaweedFS on loopback, started and stopped here). Timed from launch until
TensorBoard's HTTP API serves every run complete (each run's 20 scalar tags, its last scalar at
step 1999); and the requests an idle reload of tblog-data-server costs. Interleaved, medians.
Usage: data_server_s3.py TBLOG_DATA_SERVER MAKE_LOGDIR [--runs 10] [--repeats 3]"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "pylib"))
from toolkit.data_server import DataServer  # noqa: E402
from toolkit.s3server import S3Server  # noqa: E402
from toolkit.tensorboard import TensorBoardServer  # noqa: E402


def complete(tb, runs):
    tags = tb.get("/data/plugin/scalars/tags")
    if len(tags) < runs or any(len(t) < 20 for t in tags.values()):
        return False
    for run in tags:
        points = tb.get("/data/plugin/scalars/scalars", run=run, tag="metrics/m19")
        if not points or points[-1][1] != 1999:
            return False
    return True


def time_until_complete(tb, runs, start, timeout):
    while time.monotonic() - start < timeout:
        try:
            if complete(tb, runs):
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"not complete after {timeout} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("make_logdir")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, S3Server(os.path.join(tmp, "s3")) as s3:
        local = os.path.join(tmp, "logs")
        subprocess.run([args.make_logdir, "training-runs", str(args.runs), local], check=True)
        size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(local) for f in fs)
        s3.create_bucket("logs")
        client = s3.client()
        for root, _, files in os.walk(local):
            for name in files:
                path = os.path.join(root, name)
                client.upload_file(path, "logs", "bench/" + os.path.relpath(path, local))
        env = s3.client_env()
        times = {"tensorboard (Python loader)": [], "tblog serve": []}
        idle = None
        for _ in range(args.repeats):
            start = time.monotonic()
            with TensorBoardServer("s3://logs/bench", "false", env=env, default_reload=True,
                                   log_path=os.path.join(tmp, "tb.log")) as tb:
                times["tensorboard (Python loader)"].append(
                    time_until_complete(tb, args.runs, start, 3600))
            print(f"  python: {times['tensorboard (Python loader)'][-1]:.1f} s", file=sys.stderr)
            start = time.monotonic()
            log = os.path.join(tmp, "ours.log")
            with DataServer(args.server, "s3://logs/bench", reload="2", env=env, extra=["--verbose"],
                            log_path=log) as server, \
                    TensorBoardServer(local, "grpc", grpc_data_provider=f"localhost:{server.port}",
                                      log_path=os.path.join(tmp, "tb-grpc.log")) as tb:
                times["tblog serve"].append(time_until_complete(tb, args.runs, start, 600))
                time.sleep(4.5)  # two idle reloads
            passes = [l for l in open(log).read().splitlines() if "loaded" in l]
            idle = passes[-1].split("records in ")[-1] if passes else None
            print(f"  tblog: {times['tblog serve'][-1]:.1f} s; idle pass: {idle}", file=sys.stderr)
    py = statistics.median(times["tensorboard (Python loader)"])
    print(f"{args.runs} runs, {size / 1e6:.0f} MB in SeaweedFS; an idle reload of tblog serve: {idle}")
    print("| viewer | seconds until every run is complete | vs tblog serve | runs |")
    print("|---|---|---|---|")
    ours = statistics.median(times["tblog serve"])
    for name, ts in times.items():
        s = statistics.median(ts)
        print(f"| {name} | {s:.1f} | {s / ours:.1f}x | {len(ts)} |")


if __name__ == "__main__":
    main()
