#!/usr/bin/env python3
"""Checkpoint and resume, as a crash would test them: a LeNet5 run that is SIGKILLed mid-epoch
(tbtrain_with_faults, tbtrain with a test-only callback, kills it right after step
TBTRAIN_TEST_KILL_AT_STEP) and resumed
with --resume ends with the same final weights and metrics as an uninterrupted run with the
same seed (bit for bit: CPU, one thread), and stock TensorBoard's loader shows every tag's steps
once, with no doubled tail from the killed run. Callbacks' state travels in the checkpoint: a
test callback that counts batches (tblog::Callback::state_dict) counts all of them across the
kill. Also a sweep resumes its interrupted run from the checkpoint instead of starting over.
Usage: check_checkpoint_resume.py TBTRAIN   (run with the stock-TensorBoard venv's python)"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from tensorboard.backend.event_processing import event_accumulator

from toolkit.tbtrain import digits_dir, tbtrain_with_faults


STEPS_PER_EPOCH = 16  # 256 images, batch 16


def final_values(run_dir):
    """Every scalar tag's (step, value) series, as TensorBoard's Python loader serves them."""
    acc = event_accumulator.EventAccumulator(run_dir, size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.TENSORS: 0})
    acc.Reload()
    series = {}
    for tag in acc.Tags()["tensors"]:
        points = acc.Tensors(tag)
        if points and points[0].tensor_proto.dtype == 1 and not points[0].tensor_proto.tensor_shape.dim:
            series[tag] = [(p.step, p.tensor_proto.float_val[0]) for p in points]
    for tag in acc.Tags()["scalars"]:
        series[tag] = [(p.step, p.value) for p in acc.Scalars(tag)]
    return series


def main():
    tbtrain = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="tbtrain-resume-")
    failures = []
    try:
        data = digits_dir(tmp, "digits", n_train=256, n_test=64)
        common = ["--threads", "1", "cnn", "--data", "mnist", "--data-dir", data, "--epochs", "3",
                  "--batch-size", "16", "--log-every", "4", "--summary-every", "8", "--seed", "7",
                  "--augment", "--no-progress"]
        straight = os.path.join(tmp, "straight")
        subprocess.run([tbtrain, *common, "--logdir", straight], check=True, capture_output=True)

        resumed = os.path.join(tmp, "resumed")
        kill_at = STEPS_PER_EPOCH + 7  # mid-epoch 2, 2 steps after the checkpoint at step 20
        env = dict(os.environ, TBTRAIN_TEST_KILL_AT_STEP=str(kill_at))
        count_file = os.path.join(tmp, "batches-counted")
        killed = subprocess.run([tbtrain_with_faults(), *common, "--logdir", resumed,
                                 "--checkpoint-every", "5"],
                                env=dict(env, TBTRAIN_TEST_COUNT_FILE=count_file),
                                capture_output=True)
        if killed.returncode != -signal.SIGKILL:
            failures.append(f"the run was not killed: exit {killed.returncode}")
        if not os.path.exists(os.path.join(resumed, "checkpoint.pt")):
            failures.append("no checkpoint after the kill")
        subprocess.run([tbtrain_with_faults(), *common, "--logdir", resumed, "--checkpoint-every",
                        "5", "--resume"], check=True, capture_output=True,
                       env=dict(os.environ, TBTRAIN_TEST_COUNT_FILE=count_file))
        counted = open(count_file).read().strip() if os.path.exists(count_file) else "nothing"
        if counted != str(3 * STEPS_PER_EPOCH):
            failures.append(f"the counting callback's state did not survive the checkpoint: "
                            f"{counted} batches counted, {3 * STEPS_PER_EPOCH} trained")
        if os.path.exists(os.path.join(resumed, "checkpoint.pt")):
            failures.append("the finished run kept its checkpoint")

        a, b = final_values(straight), final_values(resumed)
        if sorted(a) != sorted(b):
            failures.append(f"tags differ: {sorted(set(a) ^ set(b))}")
        for tag in sorted(set(a) & set(b)):
            if tag.startswith("perf/"):  # throughput depends on the clock, not the state
                continue
            steps = [s for s, _ in b[tag]]
            if steps != sorted(set(steps)):
                failures.append(f"{tag}: steps not unique and increasing after resume: {steps}")
            if a[tag] != b[tag]:
                failures.append(f"{tag}: uninterrupted {a[tag][-3:]} vs resumed {b[tag][-3:]}")

        # A sweep whose run was killed continues from that run's checkpoint.
        sweep = os.path.join(tmp, "sweep")
        sweep_args = ["sweep", "--grid", "lr=1e-3", "--data", "mnist", "--data-dir", data,
                      "--epochs", "2", "--batch-size", "16", "--checkpoint-every", "5",
                      "--no-progress", "--logdir", sweep]
        subprocess.run([tbtrain_with_faults(), *sweep_args], env=env, capture_output=True)
        run_dir = os.path.join(sweep, "lr=1e-3")
        events_before = [f for f in os.listdir(run_dir) if "tfevents" in f]
        rerun = subprocess.run([tbtrain, *sweep_args], capture_output=True, text=True)
        events_after = [f for f in os.listdir(run_dir) if "tfevents" in f]
        if rerun.returncode != 0 or not set(events_before) < set(events_after):
            failures.append(f"the sweep started its run over instead of resuming it: "
                            f"{events_before} -> {events_after} {rerun.stderr[-300:]}")
        if not os.path.exists(os.path.join(run_dir, "run_record.txt")):
            failures.append("the resumed sweep run did not finish")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"{max(0, 4 - len(failures))} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
