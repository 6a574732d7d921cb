#!/usr/bin/env bash
# tblog against tensorboard_logger (the fastest C++ peer; ../shared/peers, benchmarks only):
# builds the peer and bench/peer_cpp_bench.cpp, runs each workload REPEAT times per writer,
# interleaved (tblog, peer, tblog, peer...), each in a fresh process, and prints the medians and
# ratios. Usage: bench/peer_cpp.sh [REPEAT]   (after scripts/setup.sh; default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-5}
PEER_SRC=../shared/peers/tensorboard_logger
OUT=build/peer-cpp
mkdir -p "$OUT"
cmake -S "$PEER_SRC" -B build/peer-tbl -DCMAKE_BUILD_TYPE=Release > "$OUT/peer-configure.log"
cmake --build build/peer-tbl -j "$(nproc)" > "$OUT/peer-build.log"
c++ -std=c++17 -O2 -DNDEBUG bench/peer_cpp_bench.cpp -o "$OUT/peer_cpp_bench" \
    -Itblog/include -Ibuild/tblog/include -I"$PEER_SRC/include" -Ibuild/peer-tbl \
    build/tblog/libtblog.a build/peer-tbl/libtensorboard_logger.a -lprotobuf -ldeflate -lgif -lpng -pthread
results="$OUT/results.jsonl"
: > "$results"
for workload in ${WORKLOADS:-scalars histograms images photos}; do
  for ((i = 0; i < REPEAT; i++)); do
    for writer in tblog tensorboard_logger; do
      dir=$(mktemp -d)
      "$OUT/peer_cpp_bench" "$writer" "$workload" "$dir" >> "$results"
      rm -rf "$dir"
    done
  done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def median(writer, workload, key):
    return statistics.median(r[key] for r in rows if r["writer"] == writer and r["workload"] == workload)
print("| workload | tblog, whole process (s) | tensorboard_logger, to last add (s) | ratio | peak RSS tblog / peer (MiB) |")
print("|---|---|---|---|---|")
for w in dict.fromkeys(r["workload"] for r in rows):
    t, p = median("tblog", w, "total"), median("tensorboard_logger", w, "to_last_add")
    mt, mp = median("tblog", w, "peak_kib") / 1024, median("tensorboard_logger", w, "peak_kib") / 1024
    print(f"| {w} | {t:.3f} | {p:.3f} | {p / t:.1f}x | {mt:.0f} / {mp:.0f} |")
PY
