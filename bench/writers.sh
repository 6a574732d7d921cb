#!/usr/bin/env bash
# Writer benchmarks: tblog, tensorboardX and PyTorch's SummaryWriter, same workloads, same run.
# Usage: bench/writers.sh [--short] [--repeat N]      (BUILD_DIR defaults to build)
# BENCH_RESULTS=DIR keeps the raw rows as DIR/writers.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
REPEAT=5; SHORT=""
while (($#)); do
  case $1 in --short) SHORT=--short; REPEAT=3 ;; --repeat) REPEAT=$2; shift ;; esac; shift
done
bash bench/bench_env.sh "$BUILD_DIR/bench-venv" >&2
OUT=$(mktemp)
"$BUILD_DIR/bench/writer_bench" --repeat "$REPEAT" $SHORT | tee -a "$OUT"
"$BUILD_DIR/bench-venv/bin/python" bench/peers.py --repeat "$REPEAT" $SHORT 2>/dev/null | tee -a "$OUT"
[ -z "${BENCH_RESULTS:-}" ] || cp "$OUT" "$BENCH_RESULTS/writers.jsonl"
python3 bench/tables.py writers "$OUT"
