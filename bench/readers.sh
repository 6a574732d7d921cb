#!/usr/bin/env bash
# Reading scalars back: `tblog export` (long CSV of every scalar) against tbparse and
# TensorBoard's EventAccumulator (PyPI, in a venv under build/), on 1,000,000 scalars in one run
# written by tblog. Each reader runs REPEAT times, interleaved, each in a fresh process timed
# with /usr/bin/time (wall seconds, peak RSS). Usage: bench/readers.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-3}
VENV=build/bench-readers-venv
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" &&
  "$VENV/bin/pip" install -q --disable-pip-version-check tbparse==0.0.9 tensorboard==2.21.0; }
bench/peer_cpp.sh 1 > /dev/null  # builds build/peer-cpp/peer_cpp_bench (the 1M-scalar writer)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
build/peer-cpp/peer_cpp_bench tblog scalars "$DATA" > /dev/null
cat > "$DATA/tbparse_read.py" <<'PY'
import sys
from tbparse import SummaryReader
df = SummaryReader(sys.argv[1]).scalars
assert len(df) == 1000000, len(df)
PY
cat > "$DATA/accumulator_read.py" <<'PY'
import sys
from tensorboard.backend.event_processing import event_accumulator
acc = event_accumulator.EventAccumulator(sys.argv[1], size_guidance={event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0})
acc.Reload()
tags = acc.Tags()
points = sum(len(acc.Tensors(t)) for t in tags["tensors"]) + sum(len(acc.Scalars(t)) for t in tags["scalars"])
assert points == 1000000, points
PY
run() {  # name, command...: prints "name seconds peak_kib"
  local name=$1; shift
  /usr/bin/time -f "$name %e %M" "$@" > /dev/null 2>> "$DATA/times.txt"
}
RUNDIR=$(find "$DATA" -name 'events.out.tfevents*' -printf '%h\n' | head -1)
for ((i = 0; i < REPEAT; i++)); do
  run tblog_export build/tblog/cli/tblog export "$RUNDIR" --format csv
  run tbparse "$VENV/bin/python" "$DATA/tbparse_read.py" "$RUNDIR"
  run event_accumulator "$VENV/bin/python" "$DATA/accumulator_read.py" "$RUNDIR"
done
python3 - "$DATA/times.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.split() and l.split()[0] in ("tblog_export", "tbparse", "event_accumulator")]
med = lambda name, i: statistics.median(float(r[i]) for r in rows if r[0] == name)
base = med("tblog_export", 1)
print("| reader (1,000,000 scalars, one run) | seconds | peak RSS | vs tblog export |")
print("|---|---|---|---|")
for name in ("tblog_export", "tbparse", "event_accumulator"):
    print(f"| {name} | {med(name, 1):.2f} | {med(name, 2) / 1024:.0f} MiB | {med(name, 1) / base:.1f}x |")
PY
