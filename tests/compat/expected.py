"""What write_all_kinds.cpp writes, for the checks against stock TensorBoard."""

RUNS = ["gru", "lstm"]
STEPS = [0, 10, 20, 30, 40]


def accuracy(run, i):
    return 0.5 - 0.1 * (run == "gru") + 0.1 * i


def loss(i):
    return 2.0 / (i + 1)


def wall(i):
    return 1700000000.0 + i + 0.25


HIST_VALUES = [i * 0.01 for i in range(1000)]
IMAGE_H, IMAGE_W = 6, 8
IMAGE_PIXELS = bytes((i * 5) % 256 for i in range(6 * 8 * 3))
TEXT = "| key | value |\n|---|---|\n| lr | 0.01 |\n\n**bold**"
HPARAMS = {"lstm": {"cell": "lstm", "lr": 0.01, "hidden": 128.0, "clip": True},
           "gru": {"cell": "gru", "lr": 0.01, "hidden": 128.0, "clip": True}}


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))
