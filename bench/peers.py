"""The writer workloads of writer_bench.cpp through tensorboardX's and PyTorch's SummaryWriter.

Each (workload, writer, repetition) runs in a fresh process, so peak memory is per workload;
medians are reported as JSON lines in writer_bench's format.
    python peers.py [--repeat N] [--short] [--writers tensorboardX,pytorch]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

SIZES = {"scalars": 1_000_000, "histograms": 1000, "histogram_values": 100_000, "images": 1000,
         "mixed_steps": 50_000}
SHORT = {"scalars": 100_000, "histograms": 50, "histogram_values": 100_000, "images": 100,
         "mixed_steps": 5000}


def writer_class(kind):
    if kind == "tensorboardX":
        from tensorboardX import SummaryWriter
    else:
        from torch.utils.tensorboard import SummaryWriter
    return SummaryWriter


def workload(name, kind, logdir, n):
    rng = np.random.default_rng(1)
    values = rng.standard_normal(n["histogram_values"]).astype(np.float32)
    image = rng.integers(0, 256, (3, 32, 32), dtype=np.uint8)
    SummaryWriter = writer_class(kind)  # imported before timing: we measure writing, not imports
    t0 = time.perf_counter()
    w = SummaryWriter(logdir)
    if name == "scalars":
        for i in range(n["scalars"]):
            w.add_scalar("loss", 1.0 / (i + 1), i)
    elif name == "histograms_100k":
        for i in range(n["histograms"]):
            w.add_histogram("weights", values, i)
    elif name == "images_3x32x32":
        for i in range(n["images"]):
            w.add_image("image", image, i)
    elif name == "mixed_4_threads":
        small = values[:10000]
        failures = []

        def worker(t):
            try:
                work(t)
            except Exception as e:  # a writer failing in a thread must fail the workload
                failures.append(e)

        def work(t):
            p = f"worker{t}/"
            for s in range(n["mixed_steps"]):
                w.add_scalar(p + "loss", 1.0 / (s + 1), s)
                w.add_scalar(p + "accuracy", 0.5, s)
                w.add_scalar(p + "lr", 1e-3, s)
                w.add_scalar(p + "grad_norm", 2.0, s)
                if s % 100 == 0:
                    w.add_histogram(p + "weights", small, s)
                if s % 1000 == 0:
                    w.add_image(p + "image", image, s)
        threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if failures:
            raise failures[0]
    elif name == "add_scalar_latency":
        calls = 20000
        ns = []
        for i in range(calls):
            a = time.perf_counter_ns()
            w.add_scalar("loss", 0.5, i)
            ns.append(time.perf_counter_ns() - a)
        w.close()
        ns.sort()
        return {"median_ns": ns[calls // 2], "p99_ns": ns[calls * 99 // 100]}
    w.close()
    return {"seconds": time.perf_counter() - t0}


def events_of(name, n):
    return {"scalars": n["scalars"], "histograms_100k": n["histograms"],
            "images_3x32x32": n["images"],
            "mixed_4_threads": 4 * (n["mixed_steps"] * 4 + n["mixed_steps"] // 100 +
                                    n["mixed_steps"] // 1000)}.get(name, 0)


def dir_bytes(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--writers", default="tensorboardX,pytorch")
    ap.add_argument("--one", nargs=3, metavar=("WORKLOAD", "WRITER", "DIR"))
    args = ap.parse_args()
    n = SHORT if args.short else SIZES
    if args.one:
        print(json.dumps(workload(*args.one, n)))
        return
    base = tempfile.mkdtemp(prefix="peers-")
    for name in ["scalars", "histograms_100k", "images_3x32x32", "mixed_4_threads"]:
        for kind in args.writers.split(","):
            secs, peak, size = [], 0, 0
            for r in range(args.repeat):
                d = os.path.join(base, f"{name}-{kind}-{r}")
                cmd = [sys.executable, __file__, "--one", name, kind, d] + (["--short"] if args.short else [])
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
                _, status, usage = os.wait4(proc.pid, 0)
                out = proc.stdout.read()
                if status != 0:
                    break  # e.g. Debian's PyTorch 1.13 add_histogram fails with NumPy 1.24

                secs.append(json.loads(out)["seconds"])
                peak = max(peak, usage.ru_maxrss)
                size = dir_bytes(d)
                shutil.rmtree(d, ignore_errors=True)
            ev = events_of(name, n)
            if not secs:
                print(json.dumps({"workload": name, "writer": kind, "events": ev,
                                  "error": "the writer raised an exception (see stderr)"}), flush=True)
                continue
            s = statistics.median(secs)
            print(json.dumps({"workload": name, "writer": kind, "events": ev, "seconds": round(s, 4),
                              "events_per_second": round(ev / s), "bytes": size,
                              "peak_rss_kib": peak, "runs": len(secs)}), flush=True)
    for kind in args.writers.split(","):
        d = os.path.join(base, f"latency-{kind}")
        out = subprocess.run([sys.executable, __file__, "--one", "add_scalar_latency", kind, d],
                             capture_output=True, text=True, check=True).stdout
        print(json.dumps({"workload": "add_scalar_latency", "writer": kind, **json.loads(out)}),
              flush=True)
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
