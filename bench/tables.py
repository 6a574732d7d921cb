"""Markdown tables of the benchmarks' raw results, and their place in docs/benchmarks.md.

    python3 bench/tables.py writers|peer-cpp|readers|trainers FILE   print one table
    python3 bench/tables.py update DOC RESULTS_DIR                    rewrite DOC's tables

RESULTS_DIR holds what bench/run_all.sh collects: machine.json, writers.jsonl, peer-cpp.jsonl,
readers.txt, trainers.jsonl (any may be missing; its table is then left as it is). In DOC each
table sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, prose around it untouched.
"""
import json
import os
import re
import statistics
import sys


def json_rows(path):
    return [json.loads(line) for line in open(path) if line.startswith("{")]


def mib(kib):
    return f"{kib / 1024:.0f}"


def writers(path):
    """tblog's writer_bench and the Python writers (bench/peers.py): medians per workload."""
    rows = json_rows(path)
    by = {(r["workload"], r["writer"]): r for r in rows}
    peers = [w for w in ("tensorboardX", "pytorch") if any(r["writer"] == w for r in rows)]
    out = ["| workload | tblog | bare encode+write loop (floor) | "
           + " | ".join(peers) + " | " + " | ".join(f"tblog vs {p}" for p in peers)
           + " | peak RSS MiB, tblog / " + " / ".join(peers) + " |",
           "|---" * (4 + 2 * len(peers)) + "|"]

    def cell(r):
        if r is None:
            return ""
        if "error" in r:
            return "fails"
        return f"{r['events_per_second']:,.0f} /s ({r['seconds']:.3f} s)"

    for workload in dict.fromkeys(r["workload"] for r in rows):
        if workload == "add_scalar_latency":
            continue
        tb = by.get((workload, "tblog"))
        floor = by.get((workload, "bare-encode-loop"))
        ratios, rss = [], [mib(tb["peak_rss_kib"])] if tb else [""]
        for p in peers:
            r = by.get((workload, p))
            ok = tb and r and "error" not in r
            ratios.append(f"{tb['events_per_second'] / r['events_per_second']:,.0f}x" if ok else "")
            rss.append(mib(r["peak_rss_kib"]) if r and "error" not in r else "-")
        out.append(f"| {workload} | {cell(tb)} | {cell(floor)} | "
                   + " | ".join(cell(by.get((workload, p))) for p in peers) + " | "
                   + " | ".join(ratios) + " | " + " / ".join(rss) + " |")
    out += ["", "| add_scalar on the calling thread | median ns | p99 ns |", "|---|---|---|"]
    for r in rows:
        if r["workload"] == "add_scalar_latency":
            note = (f" (timer overhead {r['clock_overhead_median_ns']:.0f} ns included)"
                    if "clock_overhead_median_ns" in r else "")
            out.append(f"| {r['writer']}{note} | {r['median_ns']:,.0f} | {r['p99_ns']:,.0f} |")
    return "\n".join(out)


def peer_cpp(path):
    """tblog, tensorboard_logger and the floor (bench/peer_cpp.sh), interleaved runs."""
    rows = json_rows(path)

    def med(writer, workload, key):
        values = [r[key] for r in rows
                  if r["writer"] == writer and r["workload"] == workload and key in r]
        return statistics.median(values) if values else None

    out = ["| workload | tblog, whole writer (s) | tensorboard_logger, to last add (s) | tblog speed-up"
           " | floor (s) | tblog / floor | peak RSS MiB, tblog / peer / floor"
           " | of which the writer added, MiB | runs |",
           "|---|---|---|---|---|---|---|---|---|"]
    for w in dict.fromkeys(r["workload"] for r in rows):
        t, p, f = med("tblog", w, "total"), med("tensorboard_logger", w, "to_last_add"), med(
            "floor", w, "total")
        runs = sum(1 for r in rows if r["writer"] == "tblog" and r["workload"] == w)
        rss = " / ".join(f'{med(x, w, "peak_kib") / 1024:.1f}' if med(x, w, "peak_kib") else "-"
                         for x in ("tblog", "tensorboard_logger", "floor"))
        added = " / ".join(
            f'{(med(x, w, "peak_kib") - med(x, w, "baseline_kib")) / 1024:.1f}'
            if med(x, w, "baseline_kib")
            else "-" for x in ("tblog", "tensorboard_logger", "floor"))
        out.append(f"| {w} | {t:.4f} | {p:.4f} | **{p / t:.1f}x** | "
                   + (f"{f:.4f} | {t / f:.2f} |" if f else " | |") + f" {rss} | {added} | {runs} |")
    return "\n".join(out)


READER_TITLES = {"one_run": "1,000,000 scalars, one run",
                 "many_runs": "100 runs x 10,000 scalars",
                 "histograms": "10 runs x 1,000 histograms (10,000 values each)"}


def readers(path):
    """bench/readers.sh: 'workload/reader seconds peak_kib' lines from /usr/bin/time."""
    rows = [line.split() for line in open(path) if line.split() and "/" in line.split()[0]]

    def med(name, i):
        return statistics.median(float(r[i]) for r in rows if r[0] == name)

    out = ["| logdir | reader | seconds | peak RSS | vs tblog | runs |", "|---|---|---|---|---|---|"]
    for workload, title in READER_TITLES.items():
        names = [n for n in dict.fromkeys(r[0] for r in rows) if n.startswith(workload + "/")]
        if not names:
            continue
        base = med(names[0], 1)
        for name in names:
            runs = sum(1 for r in rows if r[0] == name)
            slower = "1.0x" if name == names[0] else f"{med(name, 1) / base:.1f}x slower"
            out.append(f"| {title} | {name.split('/')[1].replace('_', ' ')} | {med(name, 1):.2f} "
                       f"| {med(name, 2) / 1024:.0f} MiB | {slower} | {runs} |")
    return "\n".join(out)


def trainers(path):
    """bench/trainers.sh: tbtrain against the same models in plain PyTorch."""
    rows = json_rows(path)
    groups = {}
    for r in rows:
        groups.setdefault((r["trainer"], r["threads"]), []).append(r)
    med = {k: statistics.median(x["examples_per_second"] for x in v) for k, v in groups.items()}
    secs = {k: statistics.median(x.get("seconds", x.get("seconds_per_epoch", 0)) for x in v)
            for k, v in groups.items()}
    out = ["| trainer | LibTorch threads | examples/s (median) | vs PyTorch (same threads) | runs |",
           "|---|---|---|---|---|"]
    for (name, t), v in groups.items():
        ref = med.get((f"pytorch {name.split()[1]}", t))
        ratio = f"{med[(name, t)] / ref:.2f}x" if ref and not name.startswith("pytorch") else ""
        out.append(f"| {name} | {t} | {med[(name, t)]:,.0f} | {ratio} | {len(v)} |")
    out += ["", "| model | threads | time in logging calls / run time (measured in the loop) "
            "| run time, logging vs off (noisy) |", "|---|---|---|---|"]
    for (name, t), v in groups.items():
        if name.endswith(" logging") and not name.endswith("no-logging"):
            share = statistics.median(x["logging_seconds"] / x["seconds"] for x in v)
            off = secs.get((name.replace(" logging", " no-logging"), t))
            diff = f"{100 * (secs[(name, t)] / off - 1):+.1f}%" if off else ""
            out.append(f"| {name.split()[1]} | {t} | {100 * share:.2f}% | {diff} |")
    return "\n".join(out)


def machine(path):
    m = json.load(open(path))
    return (f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), {m['memory_gib']} GiB, "
            f"{m['os']}, kernel {m['kernel']}; tblog at commit {m['commit']}; "
            f"`bench/run_all.sh {m['arguments']}`.".replace(" `bench/run_all.sh `", " `bench/run_all.sh`"))


RENDERERS = {"writers": (writers, "writers.jsonl"), "peer-cpp": (peer_cpp, "peer-cpp.jsonl"),
             "readers": (readers, "readers.txt"), "trainers": (trainers, "trainers.jsonl"),
             "machine": (machine, "machine.json")}


def update(doc, results):
    text = open(doc).read()
    for name, (render, file) in RENDERERS.items():
        path = os.path.join(results, file)
        if not os.path.exists(path):
            continue
        pattern = re.compile(rf"(<!-- bench:{name} -->\n)(?:.*?\n)?(<!-- /bench:{name} -->)", re.S)
        if not pattern.search(text):
            sys.exit(f"tables.py: {doc} has no <!-- bench:{name} --> block")
        table = render(path)
        text = pattern.sub(lambda m: m.group(1) + table + "\n" + m.group(2), text)
    open(doc, "w").write(text)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "update":
        update(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] in RENDERERS:
        print(RENDERERS[sys.argv[1]][0](sys.argv[2]))
    else:
        sys.exit(__doc__)
