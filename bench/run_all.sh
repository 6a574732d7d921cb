#!/usr/bin/env bash
# Every benchmark, one after another on a quiet machine, then docs/benchmarks.md's tables
# rewritten from the results (the prose around them is left alone):
#   writers   tblog vs tensorboardX and PyTorch's SummaryWriter, and the bare encode+write floor
#   peer-cpp  tblog vs tensorboard_logger (the fastest C++ writer) and the floor, interleaved
#   readers   tblog export/ls vs tbparse, EventAccumulator and the Rust data server
#   s3        s3:// logdirs: the caller's cost against a local logdir, upload traffic against
#             tensorboardX, time until a point shows in TensorBoard (bench/s3.py; its numbers
#             are written into docs/benchmarks.md by hand)
#   trainers  tbtrain vs the same models in plain PyTorch (needs ../shared/datasets; skipped
#             when it is missing)
# Raw results go to docs/results/bench-DATE/, with machine.json saying what it ran on.
# Usage: bench/run_all.sh [--quick] [--no-trainers] [--no-docs]
#   --quick: fewer repetitions and smaller workloads, to check the pipeline (~5 min); the tables
#            it writes are then marked as such, so --quick implies --no-docs unless --docs.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0; TRAINERS=1; DOCS=1; DOCS_SET=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --no-trainers) TRAINERS=0 ;;
    --no-docs) DOCS=0; DOCS_SET=1 ;;
    --docs) DOCS=1; DOCS_SET=1 ;;
    *) echo "run_all.sh: unknown option '$arg' (--quick, --no-trainers, --no-docs)" >&2; exit 2 ;;
  esac
done
((QUICK && !DOCS_SET)) && DOCS=0
bash scripts/setup.sh > build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
STAMP=$(date -u +%Y-%m-%d)
RESULTS=docs/results/bench-$STAMP
((QUICK)) && RESULTS=build/bench-quick
mkdir -p "$RESULTS"
export BENCH_RESULTS=$PWD/$RESULTS
python3 - "$RESULTS/machine.json" "$*" <<'PY'
import datetime, json, os, platform, subprocess, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
osname = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release")
               if l.startswith("PRETTY_NAME")), platform.system())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
json.dump({"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
           "memory_gib": round(mem / 2**20), "os": osname, "kernel": platform.release(),
           "commit": commit or "?", "arguments": sys.argv[2]}, open(sys.argv[1], "w"), indent=1)
PY
run() { echo "== $1 ($(date -u +%H:%M:%S))"; shift; "$@"; }
if ((QUICK)); then
  run writers bash bench/writers.sh --short --repeat 1
  run peer-cpp bash bench/peer_cpp.sh 1
  run readers bash bench/readers.sh 1
else
  run writers bash bench/writers.sh --repeat 3
  run peer-cpp bash bench/peer_cpp.sh 7
  run readers bash bench/readers.sh 3
fi
# s3:// logdirs against a real S3 server (SeaweedFS from the TensorBoard venv), where built.
if [ -x build/bench/s3_writer_bench ] && [ -x build/tensorboard-venv/bin/weed ]; then
  if ((QUICK)); then
    run s3 build/tensorboard-venv/bin/python bench/s3.py --runs 1 --scalars 100000 \
      --latency-samples 1 --out "$RESULTS/s3.json"
  else
    run s3 build/tensorboard-venv/bin/python bench/s3.py --runs 7 --out "$RESULTS/s3.json"
  fi
fi
if ((TRAINERS)) && [ -d "${SHARED_DIR:-../shared}/datasets/mnist" ]; then
  if ((QUICK)); then run trainers bash bench/trainers.sh --short; else run trainers bash bench/trainers.sh; fi
fi
if ((DOCS)); then
  python3 bench/tables.py update docs/benchmarks.md "$RESULTS"
  echo "docs/benchmarks.md: tables rewritten from $RESULTS"
fi
