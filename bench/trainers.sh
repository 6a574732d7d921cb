#!/usr/bin/env bash
# Trainer benchmarks on the real data in ../shared/datasets: throughput of tbtrain against the same
# model and settings in plain PyTorch (Python, DataLoader), the cost of full logging, and thread
# settings. Usage: bench/trainers.sh [--short]     (SHARED_DIR defaults to ../shared)
# BENCH_RESULTS=DIR keeps the raw rows as DIR/trainers.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
SHARED=${SHARED_DIR:-../shared}
CIFAR=$SHARED/datasets/cifar10/partial
MNIST=$SHARED/datasets/mnist
TBTRAIN=$BUILD_DIR/trainers/tbtrain
PY=$BUILD_DIR/bench-venv/bin/python
bash bench/bench_env.sh "$BUILD_DIR/bench-venv" >&2
EPOCHS=3; LIMIT=20000; REPEAT=3   # RNNs: 20,000 MNIST sequences per epoch
if [ "${1:-}" = "--short" ]; then EPOCHS=1; LIMIT=10000; REPEAT=1; fi
OUT=$(mktemp); LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

ours() {  # name threads args... -> JSON line parsed from tbtrain's result line
  local name=$1 threads=$2; shift 2
  for r in $(seq "$REPEAT"); do
    rm -rf "$LOGS/run"
    "$TBTRAIN" --threads "$threads" "$@" --no-progress --logdir "$LOGS/run" |
      python3 -c "
import json, re, sys
line = sys.stdin.read().strip().splitlines()[-1]
m = re.search(r'test accuracy ([0-9.]+).* ([0-9.]+) s, ([0-9]+) examples/s, logging ([0-9.]+) s', line)
print(json.dumps({'trainer': '$name', 'threads': $threads, 'test_accuracy': float(m[1]),
                  'seconds': float(m[2]), 'examples_per_second': int(m[3]),
                  'logging_seconds': float(m[4])}))"
  done
}
theirs() {  # name threads args...
  local name=$1 threads=$2; shift 2
  for r in $(seq "$REPEAT"); do
    "$PY" bench/pytorch_reference.py "$@" --threads "$threads" |
      python3 -c "import json,sys; d=json.load(sys.stdin); d['trainer']='$name'; print(json.dumps(d))"
  done
}

CNN=(cnn --data cifar10 --data-dir "$CIFAR" --epochs "$EPOCHS" --batch-size 64 --optimizer adam --lr 1e-3)
LIMITS=(); [ "$LIMIT" -gt 0 ] && LIMITS=(--train-limit "$LIMIT")
for t in 1 2; do
  ours "tbtrain lenet5 logging" $t "${CNN[@]}" --log-every 100 --summary-every 100 | tee -a "$OUT"
  ours "tbtrain lenet5 no-logging" $t "${CNN[@]}" --no-logging | tee -a "$OUT"
  theirs "pytorch lenet5" $t cnn --cifar "$CIFAR" --epochs "$EPOCHS" | tee -a "$OUT"
done
for cell in lstm gru; do
  RNN=(rnn --cell $cell --hidden 128 --data mnist --data-dir "$MNIST" --epochs 1 --batch-size 64 --clip 1 "${LIMITS[@]}")
  for t in 1 2; do
    ours "tbtrain $cell logging" $t "${RNN[@]}" --log-every 100 --summary-every 100 | tee -a "$OUT"
    ours "tbtrain $cell no-logging" $t "${RNN[@]}" --no-logging | tee -a "$OUT"
    theirs "pytorch $cell" $t $cell --mnist "$MNIST" --epochs 1 --batch-size 64 \
      ${LIMIT:+--train-limit $LIMIT} | tee -a "$OUT"
  done
done
[ -z "${BENCH_RESULTS:-}" ] || cp "$OUT" "$BENCH_RESULTS/trainers.jsonl"
python3 bench/tables.py trainers "$OUT"
