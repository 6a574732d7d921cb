#!/usr/bin/env bash
# tblog against tensorboard_logger (the fastest C++ peer; ../shared/peers, benchmarks only) and
# against the floor (tblog's encoders in a bare single-thread loop): builds the peer and
# bench/peer_cpp_bench.cpp, runs each workload REPEAT times per writer, interleaved (tblog, peer,
# floor, tblog...), each in a fresh process, and prints the medians and ratios.
# Usage: bench/peer_cpp.sh [REPEAT]   (after scripts/setup.sh; default 5; 0: only build)
# BENCH_RESULTS=DIR keeps the raw rows as DIR/peer-cpp.jsonl; WORKLOADS picks workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-5}
PEER_SRC=../shared/peers/tensorboard_logger
OUT=build/peer-cpp
mkdir -p "$OUT"
# libpng encodes the peer's PNGs (it takes PNG bytes): a benchmark-only dependency.
dpkg -s libpng-dev > /dev/null 2>&1 || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends libpng-dev > "$OUT/apt.log" 2>&1
}
cmake -S "$PEER_SRC" -B build/peer-tbl -DCMAKE_BUILD_TYPE=Release > "$OUT/peer-configure.log"
cmake --build build/peer-tbl -j "$(nproc)" > "$OUT/peer-build.log"
c++ -std=c++17 -O2 -DNDEBUG bench/peer_cpp_bench.cpp -o "$OUT/peer_cpp_bench" \
    -Ibench -Itblog/include -Itblog/src -Ibuild/tblog/include -I"$PEER_SRC/include" \
    -Ibuild/peer-tbl build/tblog/libtblog.a build/peer-tbl/libtensorboard_logger.a \
    -lprotobuf -ldeflate -lgif -lpng -pthread
[ "$REPEAT" -gt 0 ] || exit 0
results="$OUT/results.jsonl"
: > "$results"
for workload in ${WORKLOADS:-scalars histograms images photos noise}; do
  for ((i = 0; i < REPEAT; i++)); do
    for writer in tblog tensorboard_logger floor; do
      dir=$(mktemp -d)
      "$OUT/peer_cpp_bench" "$writer" "$workload" "$dir" >> "$results"
      rm -rf "$dir"
    done
  done
done
[ -z "${BENCH_RESULTS:-}" ] || cp "$results" "$BENCH_RESULTS/peer-cpp.jsonl"
python3 bench/tables.py peer-cpp "$results"
