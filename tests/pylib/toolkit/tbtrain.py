"""What the checks of tbtrain share: a tiny data set in MNIST's layout, and the build with the
test seam that kills a run (tests/trainers/fault_injection.cpp)."""
import os
import struct


def idx(path, magic, dims, data):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + data)


def digits_dir(root, name, n_train=64, n_test=32, side=28, image_dims=None):
    """A tiny MNIST-layout data set (random pixels), or one with the given image header dims."""
    d = os.path.join(root, name)
    os.makedirs(d)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        dims = image_dims or (n, side, side)
        body = bytes((i * 37) % 256 for i in range(n * side * side)) if not image_dims else b"\0" * 64
        idx(os.path.join(d, f"{prefix}-images-idx3-ubyte"), 2051, dims, body)
        idx(os.path.join(d, f"{prefix}-labels-idx1-ubyte"), 2049, (n,), bytes(i % 10 for i in range(n)))
    return d


def tbtrain_with_faults():
    """tbtrain built with the test seam that kills a run after step TBTRAIN_TEST_KILL_AT_STEP
    (tests/trainers/fault_injection.cpp); ctest names it in TBTRAIN_WITH_FAULTS."""
    path = os.environ.get("TBTRAIN_WITH_FAULTS")
    if not path or not os.access(path, os.X_OK):
        raise SystemExit("TBTRAIN_WITH_FAULTS must name the tbtrain_with_faults binary "
                         "(ctest sets it)")
    return path
