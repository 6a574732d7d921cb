#!/usr/bin/env python3
"""Data servers on one logdir: tblog-data-server against TensorBoard's own (Rust, PyPI
tensorboard-data-server), each started as TensorBoard starts it, timed from launch until every
run and tag is served complete (ListScalars, ListTensors and ListBlobSequences show each series'
last step), with its peak RSS (VmHWM) then. Interleaved runs, medians.
Usage: data_servers.py TBLOG_DATA_SERVER LOGDIR RUNS [--repeats 3]
(LOGDIR from `make_logdir training-runs RUNS LOGDIR`: 20 scalar tags to step 1999, 2 histogram
tags to 1990, 1 image tag to 1900 per run.)"""
import argparse
import statistics
import sys
import time

from tensorboard.data.proto import data_provider_pb2 as pb

from toolkit.data_server import DataServer, rust_server_binary

EXPECTED = {"scalars": (20, 1999), "histograms": (2, 1990), "images": (1, 1900)}


def complete(stub, runs):
    for plugin, (tags, last) in EXPECTED.items():
        flt = pb.PluginFilter(plugin_name=plugin)
        call = {"scalars": (stub.ListScalars, pb.ListScalarsRequest),
                "histograms": (stub.ListTensors, pb.ListTensorsRequest),
                "images": (stub.ListBlobSequences, pb.ListBlobSequencesRequest)}[plugin]
        answer = call[0](call[1](plugin_filter=flt))
        done = sum(1 for run in answer.runs
                   if len(run.tags) == tags and all(t.metadata.max_step == last for t in run.tags))
        if done < runs:
            return False
    return True


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(binary, logdir, runs):
    start = time.monotonic()
    with DataServer(binary, logdir, reload="once") as server:
        while not complete(server.stub, runs):
            time.sleep(0.2)
        seconds = time.monotonic() - start
        return seconds, peak_rss_mib(server.proc.pid)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ours")
    parser.add_argument("logdir")
    parser.add_argument("runs", type=int)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    servers = {"tblog-data-server": args.ours, "rust data server": rust_server_binary()}
    results = {name: [] for name in servers}
    for _ in range(args.repeats):
        for name, binary in servers.items():
            results[name].append(measure(binary, args.logdir, args.runs))
            print(f"  {name}: {results[name][-1][0]:.2f} s, {results[name][-1][1]:.0f} MiB",
                  file=sys.stderr, flush=True)
    rust_s = statistics.median(s for s, _ in results["rust data server"])
    rust_m = statistics.median(m for _, m in results["rust data server"])
    print("| server | seconds until complete | peak RSS | time vs Rust | memory vs Rust | runs |")
    print("|---|---|---|---|---|---|")
    for name, rows in results.items():
        s = statistics.median(x for x, _ in rows)
        m = statistics.median(x for _, x in rows)
        print(f"| {name} | {s:.2f} | {m:.0f} MiB | {s / rust_s:.2f}x | {m / rust_m:.2f}x | {len(rows)} |")


if __name__ == "__main__":
    main()
