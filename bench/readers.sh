#!/usr/bin/env bash
# Reading logdirs back: `tblog export` (long CSV of every scalar of every run) against tbparse and
# TensorBoard's EventAccumulator (PyPI, in a venv under build/), on 1,000,000 scalars in one run,
# on 100 runs of 10,000 scalars, and (`tblog ls` against both) on a logdir of 10,000 histograms.
# Each reader runs REPEAT times, interleaved, each in a fresh process timed with /usr/bin/time
# (wall seconds, peak RSS). Usage: bench/readers.sh [REPEAT]
# BENCH_RESULTS=DIR keeps the raw timings as DIR/readers.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-3}
VENV=build/bench-readers-venv
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" &&
  "$VENV/bin/pip" install -q --disable-pip-version-check tbparse==0.0.9 tensorboard==2.21.0; }
bench/peer_cpp.sh 0  # builds build/peer-cpp/peer_cpp_bench (the 1M-scalar writer)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
build/peer-cpp/peer_cpp_bench tblog scalars "$DATA/one" > /dev/null
cmake --build build --target make_logdir > /dev/null
build/bench/make_logdir scalars-100-runs "$DATA/many"
build/bench/make_logdir histograms "$DATA/hist"
cat > "$DATA/tbparse_read.py" <<'PY'
import sys
from tbparse import SummaryReader
reader = SummaryReader(sys.argv[1])
# TensorFlow 2 style histograms (plugin tensors, as tblog, TF2 and PyTorch write) come back from
# tbparse as tensors, not as its .histograms of legacy HistogramProto values.
df = reader.tensors if sys.argv[2] == "histograms" else reader.scalars
assert len(df) == int(sys.argv[3]), len(df)
PY
cat > "$DATA/accumulator_read.py" <<'PY'
import os, sys
from tensorboard.backend.event_processing import event_accumulator
points = 0
runs = sorted({d for d, _, files in os.walk(sys.argv[1]) if any("tfevents" in f for f in files)})
for run in runs:  # one accumulator per run, as TensorBoard's multiplexer does
    acc = event_accumulator.EventAccumulator(run, size_guidance={event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0})
    acc.Reload()
    tags = acc.Tags()
    points += sum(len(acc.Tensors(t)) for t in tags["tensors"]) + sum(len(acc.Scalars(t)) for t in tags["scalars"]) + sum(len(acc.Histograms(t)) for t in tags["histograms"])
assert points == int(sys.argv[2]), points
PY
cat > "$DATA/data_server_load.py" <<'PY'
# TensorBoard's Rust data server (--load_fast=true) from launch until the scalars route serves
# TAG up to step LAST for every one of RUNS runs: the wait before a user's charts are complete.
import json, socket, subprocess, sys, time, urllib.parse, urllib.request
logdir, tag, last, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
tb = subprocess.Popen([sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--port", str(port),
                       "--load_fast=true", "--reload_interval", "1"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}/data/plugin/scalars/"
def get(route, **params):
    return json.loads(urllib.request.urlopen(base + route + "?" + urllib.parse.urlencode(params), timeout=10).read())
def poll(ready):
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit("the data server did not load everything in 300 s")
try:
    poll(lambda: len(get("tags")) == runs)
    for run in sorted(get("tags")):
        poll(lambda: get("scalars", run=run, tag=tag)[-1][1] == last)
finally:
    tb.terminate(); tb.wait()
PY
run() {  # name, command...: prints "name seconds peak_kib"
  local name=$1; shift
  /usr/bin/time -f "$name %e %M" "$@" > /dev/null 2>> "$DATA/times.txt" || { tail -5 "$DATA/times.txt"; exit 1; }
}
RUNDIR="$DATA/one"
for ((i = 0; i < REPEAT; i++)); do
  run one_run/tblog_export build/tblog/cli/tblog export "$RUNDIR" --format csv
  run one_run/tbparse "$VENV/bin/python" "$DATA/tbparse_read.py" "$RUNDIR" scalars 1000000
  run one_run/event_accumulator "$VENV/bin/python" "$DATA/accumulator_read.py" "$RUNDIR" 1000000
  run one_run/rust_data_server "$VENV/bin/python" "$DATA/data_server_load.py" "$RUNDIR" loss 999999 1
  run many_runs/tblog_export build/tblog/cli/tblog export "$DATA/many" --format csv
  run many_runs/tbparse "$VENV/bin/python" "$DATA/tbparse_read.py" "$DATA/many" scalars 1000000
  run many_runs/event_accumulator "$VENV/bin/python" "$DATA/accumulator_read.py" "$DATA/many" 1000000
  run many_runs/rust_data_server "$VENV/bin/python" "$DATA/data_server_load.py" "$DATA/many" test/accuracy 2499 100
  run histograms/tblog_ls build/tblog/cli/tblog ls "$DATA/hist"
  run histograms/tbparse "$VENV/bin/python" "$DATA/tbparse_read.py" "$DATA/hist" histograms 10000
  run histograms/event_accumulator "$VENV/bin/python" "$DATA/accumulator_read.py" "$DATA/hist" 10000
done
[ -z "${BENCH_RESULTS:-}" ] || cp "$DATA/times.txt" "$BENCH_RESULTS/readers.txt"
python3 bench/tables.py readers "$DATA/times.txt"
