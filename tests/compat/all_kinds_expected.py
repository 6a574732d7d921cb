"""What examples/all_kinds/main.cpp writes, recomputed for every check against stock TensorBoard
(check_all_kinds.py, check_python_loader.py, check_http_api.py, the browser check)."""
import math

import numpy as np

RUN = "demo"
WALL = 1700000000.0


def pr_inputs():
    keys = [i * 37 % 200 for i in range(200)]
    predictions = np.array([k / 199.0 for k in keys], dtype=np.float32)
    labels = np.array([(i % 7 != 0) if k >= 80 else (i % 5 == 0) for i, k in enumerate(keys)])
    weights = np.array([1 + i % 3 for i in range(200)], dtype=np.float32)
    return predictions, labels, weights


CLASSES = ["cat", "dog", "bird"]


def class_scores():
    truth = np.array([i % 3 for i in range(60)])
    scores = np.array([[np.float32(0.5) + np.float32(0.4) * np.float32(i % 5) / np.float32(4)
                        if c == i % 3 else np.float32(0.5) * np.float32((i + c) % 4) / np.float32(3)
                        for c in range(3)] for i in range(60)], dtype=np.float32)
    return scores, truth


def tone():
    return [0.5 * math.sin(2 * math.pi * 440 * i / 8000.0) for i in range(4000)]


def stereo():
    left = [0.25 * math.sin(2 * math.pi * 220 * i / 8000.0) for i in range(2000)]
    return left, [-x for x in left]


def sample_image(k):
    return bytes((x * 16 + k * 60 + c * 20 + y) % 256
                 for y in range(16) for x in range(16) for c in range(3))


def tetrahedron(step):
    s = float(step + 1)
    vertices = np.array([[0, 0, 0], [s, 0, 0], [0, s, 0], [0, 0, s]], dtype=np.float32)
    faces = np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]], dtype=np.int32)
    colors = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]], dtype=np.uint8)
    return vertices, faces, colors


GRAPH_NODES = ["input", "conv1/weight", "conv1/conv", "relu", "fc/weight", "fc/matmul"]


def features(rows, phase):
    return np.array([[math.cos(i + phase), math.sin(i + phase), np.float32(i) / np.float32(rows)]
                     for i in range(rows)], dtype=np.float32)


EMBEDDINGS = {"features@0": (40, 3), "features@5": (40, 3), "words@0": (5, 2)}


# The two compared runs (write_compared_runs) and the experiment and layout in the logdir root.
COMPARED_RUNS = ["gru", "lstm"]
STEPS = [0, 10, 20, 30, 40]


def accuracy(run, i):
    return 0.5 - 0.1 * (run == "gru") + 0.1 * i


def loss(i):
    return 2.0 / (i + 1)


def wall(i):
    return WALL + i + 0.25


HIST_VALUES = [i * 0.01 for i in range(1000)]
IMAGE_H, IMAGE_W = 6, 8
IMAGE_PIXELS = bytes((i * 5) % 256 for i in range(6 * 8 * 3))
TEXT = "| key | value |\n|---|---|\n| lr | 0.01 |\n\n**bold**"
HPARAMS = {"lstm": {"cell": "lstm", "lr": 0.01, "hidden": 128.0, "clip": True},
           "gru": {"cell": "gru", "lr": 0.01, "hidden": 128.0, "clip": True}}


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


def conceptual_graph(cell):
    """The compared run's model as add_conceptual_graph writes it (Keras model JSON)."""
    def layer(name, class_name, dtype=None):
        config = {"name": name}
        if dtype:
            config["dtype"] = dtype
        return {"class_name": class_name, "config": config}
    head = {"class_name": "Sequential", "config": {"name": "head", "layers": [
        layer("dropout", "Dropout"), layer("fc", "Linear")]}}
    softmax = layer("softmax", "Softmax")
    softmax["inbound_nodes"] = [{"args": [{"config": {"keras_history": ["head", 0, 0]}}]}]
    return {"class_name": "Sequential", "config": {"name": "classifier", "layers": [
        layer("rows", "InputLayer", "float32"), layer(cell, cell.upper(), "float32"), head,
        softmax]}}


def conceptual_nodes(cell):
    """The GraphDef TensorBoard makes of it: (name, inputs, keras_class) per layer."""
    return [("classifier/rows", [], "InputLayer"),
            (f"classifier/{cell}", ["classifier/rows"], cell.upper()),
            ("classifier/head/dropout", [f"classifier/{cell}"], "Dropout"),
            ("classifier/head/fc", ["classifier/head/dropout"], "Linear"),
            ("classifier/softmax", ["classifier/head/fc"], "Softmax")]
