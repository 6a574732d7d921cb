#!/usr/bin/env bash
# The headline results as means over seeds: every (experiment, seed) pair trains once into its own
# run directory, then bench/results_table.py turns the runs into docs/results/seeds/*.csv (one row
# per seed) and the tables between the SEEDS markers of docs/results/README.md.
#
#   bench/results.sh [--seeds "1 2 3"] [--parallel 2] [--runs DIR] [--table-only] [EXPERIMENT...]
#
# Resumable: a pair whose run finished (its result line is kept as RUN/result.txt) is skipped; a
# pair that was killed resumes from its checkpoint. Experiments (default: the four headlines):
#   lenet5_cifar  lstm_128  gru_128  rnn_128  gru_256_80  lstm_256_80
#   rnn_64 rnn_128_20 rnn_256 rnn_1024 (the RNN's hidden sizes at 20 epochs)
#   lenet5_sweep_best (the study's LeNet5 sweep's best point, as the sweep trains it)
#   gru_128_b128 (the GRU's preset before batch 64 joined it, 2026-12-03) and what was tried on
#   it: gru_128_50 (50 epochs); gru_128_ls gru_128_ls05 (label smoothing 0.1, 0.05); gru_128_wd
#   (--weight-decay 1e-4); gru_128_lr2 (--lr 2e-3)
#   lenet5_cifar_no_ls lenet5_cifar_300_no_ls lstm_128_no_ls lstm_128_50_no_ls (the presets
#   before label smoothing joined them, 2026-12-03); rnn_1024_lr1e-3 (before the RNN's preset
#   lowered its learning rate above 256 units, 2026-12-03)
# Numbers depend on the thread counts and the CPU's kernels: every run uses 1 LibTorch thread and
# OPENBLAS_NUM_THREADS=1 (fixed BLAS threads: the same seed then gives the same bits on one
# machine), and each row records both and the CPU model.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
SHARED=${SHARED_DIR:-../shared}
D=$SHARED/datasets
TBTRAIN=${TBTRAIN:-$BUILD_DIR/trainers/tbtrain}  # a copy keeps long runs off rebuilds
SEEDS="1 2 3"; PARALLEL=2; RUNS=results-runs; TABLE_ONLY=0; EXPERIMENTS=()
while (($#)); do
  case $1 in
    --seeds) SEEDS=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --table-only) TABLE_ONLY=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "results.sh: unknown option $1" >&2; exit 2 ;;
    *) EXPERIMENTS+=("$1"); shift ;;
  esac
done
((${#EXPERIMENTS[@]})) || EXPERIMENTS=(lstm_128 gru_128 rnn_128 lenet5_cifar)

arguments_of() {  # experiment -> tbtrain arguments
  local rnn="rnn --data mnist --data-dir $D/mnist --preset best"
  local cnn="cnn --data cifar10 --data-dir $D/cifar10/partial --preset best"
  case $1 in
    lenet5_cifar) echo "$cnn" ;;
    lenet5_cifar_no_ls) echo "$cnn --label-smoothing 0" ;;
    lenet5_cifar_300_no_ls) echo "$cnn --label-smoothing 0 --epochs 300" ;;
    # The study's LeNet5 sweep's best point (`tbtrain assignment`, 2026-11-25: Adam 1e-3, batch
    # 64, fc1 120), as the sweep runs it: 10 epochs, tanh, no augmentation, no visuals.
    lenet5_sweep_best) echo "cnn --data cifar10 --data-dir $D/cifar10/partial --optimizer adam --lr 1e-3 --batch-size 64 --fc1 120 --epochs 10 --no-visuals" ;;
    lstm_128|gru_128|rnn_128) echo "$rnn --cell ${1%_128} --hidden 128" ;;
    lstm_128_no_ls) echo "$rnn --cell lstm --hidden 128 --label-smoothing 0" ;;
    lstm_128_50_no_ls) echo "$rnn --cell lstm --hidden 128 --label-smoothing 0 --epochs 50" ;;
    gru_128_b128) echo "$rnn --cell gru --hidden 128 --batch-size 128" ;;
    gru_128_50) echo "$rnn --cell gru --hidden 128 --batch-size 128 --epochs 50" ;;
    gru_128_ls) echo "$rnn --cell gru --hidden 128 --batch-size 128 --label-smoothing 0.1" ;;
    gru_128_ls05) echo "$rnn --cell gru --hidden 128 --batch-size 128 --label-smoothing 0.05" ;;
    gru_128_wd) echo "$rnn --cell gru --hidden 128 --batch-size 128 --weight-decay 1e-4" ;;
    gru_128_lr2) echo "$rnn --cell gru --hidden 128 --batch-size 128 --lr 2e-3" ;;
    gru_256_80|lstm_256_80) echo "$rnn --cell ${1%_256_80} --hidden 256 --epochs 80" ;;
    rnn_64|rnn_256|rnn_1024) echo "$rnn --cell rnn --hidden ${1#rnn_} --epochs 20" ;;
    rnn_128_20) echo "$rnn --cell rnn --hidden 128 --epochs 20" ;;
    # RNN 1024 at Adam's 1e-3, before the preset lowered the RNN's rate above 256 units (2026-12-03)
    rnn_1024_lr1e-3) echo "$rnn --cell rnn --hidden 1024 --epochs 20 --lr 1e-3" ;;
    *) echo "results.sh: unknown experiment '$1'" >&2; return 2 ;;
  esac
}

train_one() {  # experiment seed
  local run="$RUNS/$1/seed_$2" args
  args=$(arguments_of "$1") || exit 2
  [ -s "$run/result.txt" ] && return 0
  mkdir -p "$run"
  local start=$SECONDS
  # shellcheck disable=SC2086 # the arguments are words
  if OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 nice -n 10 "$TBTRAIN" --threads 1 $args \
      --seed "$2" --no-progress --checkpoint-every 2000 --resume --logdir "$run" \
      > "$run/output.txt" 2>&1; then
    { tail -1 "$run/output.txt"; echo "wall_seconds $((SECONDS - start))"; } > "$run/result.tmp"
    mv "$run/result.tmp" "$run/result.txt"
    echo "results.sh: $1 seed $2: $(head -1 "$run/result.txt")"
  else
    echo "results.sh: $1 seed $2 failed; see $run/output.txt" >&2
    return 1
  fi
}
export -f train_one arguments_of
export RUNS D TBTRAIN

if ((!TABLE_ONLY)); then
  [ -x "$TBTRAIN" ] || bash scripts/setup.sh
  # Longest first, seed-major, so the two slow cells run beside each other.
  jobs=()
  for s in $SEEDS; do for e in "${EXPERIMENTS[@]}"; do jobs+=("$e $s"); done; done
  printf '%s\n' "${jobs[@]}" | xargs -P "$PARALLEL" -L 1 bash -c 'train_one "$0" "$1"'
fi
python3 bench/results_table.py "$RUNS" "$BUILD_DIR/tblog/cli/tblog" docs/results
