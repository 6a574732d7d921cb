"""Prints the writer benchmark's JSON lines as a table with ratios against the peers."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
by = {(r["workload"], r["writer"]): r for r in rows}
print("\n| workload | writer | events/s | seconds | bytes | peak RSS MiB | tblog speed-up |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r["workload"] == "add_scalar_latency":
        continue
    tb = by.get((r["workload"], "tblog"))
    if "error" in r:
        print(f"| {r['workload']} | {r['writer']} | fails | | | | |")
        continue
    ratio = f"{tb['events_per_second'] / r['events_per_second']:.1f}x" if tb and r["writer"] != "tblog" else ""
    print(f"| {r['workload']} | {r['writer']} | {r['events_per_second']:,} | {r['seconds']} | "
          f"{r['bytes']:,} | {r['peak_rss_kib'] / 1024:.0f} | {ratio} |")
print("\n| add_scalar latency | median ns | p99 ns |\n|---|---|---|")
for r in rows:
    if r["workload"] == "add_scalar_latency":
        print(f"| {r['writer']} | {r['median_ns']} | {r['p99_ns']} |")
