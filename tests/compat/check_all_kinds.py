"""Every kind of examples/all_kinds is read back by stock TensorBoard: its Python loader, the HTTP
API with the Python loader and with the Rust data server, and tblog's own CLI. PR curves are
compared with tensorboardX's writer and its copy of TensorBoard's counting."""
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import wave

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import plugin_event_accumulator as pea
from tensorboard.plugins.custom_scalar import layout_pb2
from tensorboard.util import tensor_util
import tensorboardX
from tensorboardX.summary import compute_curve

import all_kinds_expected as E
from toolkit.tensorboard import TensorBoardServer

WRITER, TBLOG = sys.argv.pop(1), sys.argv.pop(1)


def setUpModule():
    global TMP, LOGDIR, REFERENCE
    TMP = tempfile.TemporaryDirectory()
    LOGDIR = TMP.name + "/logs"
    subprocess.run([WRITER, LOGDIR], check=True, stdout=subprocess.DEVNULL)
    # tensorboardX's writer with the same inputs (it caps thresholds at 127: the 11-threshold,
    # weighted curve is the one both can write).
    REFERENCE = TMP.name + "/tensorboardx"
    predictions, labels, weights = E.pr_inputs()
    with tensorboardX.SummaryWriter(REFERENCE) as w:
        w.add_pr_curve("pr/weighted", labels, predictions, 0, num_thresholds=11, weights=weights)


def tearDownModule():
    TMP.cleanup()


def load(path):
    acc = pea.EventAccumulator(path, size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def raw_tensor(tag):
    """The tensor of `tag` as stored, before the loader's migrations."""
    import glob
    from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
    from tensorboard.compat.proto import event_pb2
    for path in sorted(glob.glob(f"{LOGDIR}/{E.RUN}/events.out.tfevents.*")):
        for record in RawEventFileLoader(path).Load():
            event = event_pb2.Event.FromString(record)
            for value in event.summary.value:
                if value.tag == tag:
                    return tensor_util.make_ndarray(value.tensor)
    raise KeyError(tag)


def wav_samples(data):
    with wave.open(io.BytesIO(data)) as f:
        raw = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
        return f.getnchannels(), f.getframerate(), raw.reshape(-1, f.getnchannels()) / 32767.0


def nodes_of(graph):
    return [(n.name, list(n.input), n.attr["keras_class"].s.decode()) for n in graph.node]


class PythonLoader(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.acc = load(f"{LOGDIR}/{E.RUN}")

    def tensor(self, tag, step=0):
        event = next(e for e in self.acc.Tensors(tag) if e.step == step)
        return tensor_util.make_ndarray(event.tensor_proto)

    def plugin(self, tag):
        return self.acc.SummaryMetadata(tag).plugin_data.plugin_name

    def test_pr_curve_matches_tensorboards_counting(self):
        predictions, labels, _ = E.pr_inputs()
        self.assertEqual(self.plugin("pr/binary"), "pr_curves")
        ours = self.tensor("pr/binary")
        self.assertEqual(ours.shape, (6, 201))
        reference = compute_curve(labels, predictions, num_thresholds=201).astype(np.float32)
        np.testing.assert_array_equal(ours, reference)

    def test_weighted_pr_curve_equals_tensorboardx_file(self):
        theirs = load(REFERENCE)
        reference = tensor_util.make_ndarray(theirs.Tensors("pr/weighted")[0].tensor_proto)
        np.testing.assert_array_equal(self.tensor("pr/weighted"), reference)

    def test_one_pr_curve_per_class(self):
        scores, truth = E.class_scores()
        for c, name in enumerate(E.CLASSES):
            reference = compute_curve(truth == c, scores[:, c], num_thresholds=201)
            np.testing.assert_array_equal(self.tensor(f"pr/class/{name}"),
                                          reference.astype(np.float32))

    def test_audio_decodes_to_the_samples(self):
        self.assertEqual(self.plugin("audio/tone"), "audio")
        # The loader keeps the clips of the [k, 2] (clip, label) tensor; the raw file has both.
        clip = self.tensor("audio/tone")[0]
        self.assertEqual(raw_tensor("audio/tone")[0][1].decode(), "**440 Hz** sine, 0.5 s")
        channels, rate, samples = wav_samples(clip)
        self.assertEqual((channels, rate, samples.shape), (1, 8000, (4000, 1)))
        np.testing.assert_allclose(samples[:, 0], E.tone(), atol=1 / 32767.0)
        channels, rate, samples = wav_samples(self.tensor("audio/stereo")[0])
        left, right = E.stereo()
        self.assertEqual((channels, samples.shape), (2, (2000, 2)))
        np.testing.assert_allclose(samples[:, 0], left, atol=1 / 32767.0)
        np.testing.assert_allclose(samples[:, 1], right, atol=1 / 32767.0)

    def test_several_images_under_one_tag(self):
        values = self.tensor("samples")
        self.assertEqual([values[0], values[1]], [b"16", b"16"])
        self.assertEqual(len(values), 5)
        for k in range(3):
            image = Image.open(io.BytesIO(values[2 + k]))
            self.assertEqual(image.convert("RGB").tobytes(), E.sample_image(k))

    def test_video_is_an_animated_gif(self):
        gif = Image.open(io.BytesIO(self.tensor("video/moving_square")[2]))
        self.assertEqual((gif.format, gif.n_frames, gif.size), ("GIF", 8, (32, 32)))
        self.assertEqual(gif.info.get("loop"), 0)  # forever
        for f in range(8):
            gif.seek(f)
            self.assertEqual(gif.info["duration"], 250)
            rgb = gif.convert("RGB")
            self.assertEqual(rgb.getpixel((3 * f + 4, 15)), (255, 128, 0))
            self.assertEqual(rgb.getpixel((31 - (f < 4) * 4, 2)), (0, 0, 0))

    def test_mesh(self):
        for step in (0, 1):
            vertices, faces, colors = E.tetrahedron(step)
            np.testing.assert_array_equal(self.tensor("mesh/tetrahedron_VERTEX", step)[0], vertices)
            np.testing.assert_array_equal(self.tensor("mesh/tetrahedron_FACE", step)[0], faces)
            np.testing.assert_array_equal(self.tensor("mesh/tetrahedron_COLOR", step)[0], colors)
        self.assertEqual(self.plugin("mesh/tetrahedron_VERTEX"), "mesh")

    def test_graph_and_run_metadata(self):
        graph = self.acc.Graph()
        self.assertEqual([n.name for n in graph.node], E.GRAPH_NODES)
        conv = graph.node[2]
        self.assertEqual(list(conv.input), ["input", "conv1/weight"])
        self.assertEqual([d.size for d in conv.attr["_output_shapes"].list.shape[0].dim],
                         [-1, 6, 24, 24])
        # The loader migrates tagged run metadata into a blob of the graph plugin.
        from tensorboard.compat.proto import config_pb2
        blob = self.tensor("step_1", step=1).item()
        stats = config_pb2.RunMetadata.FromString(blob).step_stats.dev_stats[0].node_stats
        self.assertEqual([(s.node_name, s.op_end_rel_micros) for s in stats],
                         [("conv1/conv", 420), ("relu", 35), ("fc/matmul", 120)])

    def test_conceptual_graph(self):
        from tensorboard.plugins.graph import keras_util
        for cell in E.COMPARED_RUNS:
            acc = load(f"{LOGDIR}/{cell}")
            metadata = acc.SummaryMetadata("keras")
            self.assertEqual((metadata.plugin_data.plugin_name, metadata.plugin_data.content),
                             ("graph_keras_model", b"1"))
            (event,) = acc.Tensors("keras")
            model = json.loads(tensor_util.make_ndarray(event.tensor_proto).item())
            self.assertEqual(model, E.conceptual_graph(cell))
            graph = keras_util.keras_model_to_graph_def(model)
            self.assertEqual(nodes_of(graph), E.conceptual_nodes(cell))

    def test_add_scalars_lines_and_chart(self):
        values = [float(tensor_util.make_ndarray(e.tensor_proto)) for e in self.acc.Tensors("loss/train")]
        np.testing.assert_allclose(values, [1.0 / (s + 1) for s in range(10)], rtol=1e-6)
        layout = layout_pb2.Layout.FromString(self.tensor("custom_scalars__config__").item())
        self.assertEqual([(c.title, c.chart[0].multiline.tag[0]) for c in layout.category],
                         [("loss", "^loss/")])


class HttpApi:
    LOAD_FAST = None

    @classmethod
    def setUpClass(cls):
        cls.server = TensorBoardServer(LOGDIR, cls.LOAD_FAST).__enter__()
        cls.server.wait_for(lambda: E.RUN in cls.server.get("/data/plugin/pr_curves/tags"),
                            "pr curve tags")

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def get(self, path, **params):
        return self.server.wait_for(lambda: self.server.get(path, **params), path)

    def test_dashboards_enabled(self):
        wanted = ["pr_curves", "audio", "images", "mesh", "graphs", "custom_scalars", "projector"]
        self.server.wait_for(
            lambda: all(self.server.get("/data/plugins_listing")[p]["enabled"] for p in wanted),
            "dashboards enabled")

    def test_pr_curves(self):
        predictions, labels, weights = E.pr_inputs()
        entry = self.get("/data/plugin/pr_curves/pr_curves", run=E.RUN, tag="pr/weighted")[E.RUN][0]
        reference = compute_curve(labels, predictions, num_thresholds=11, weights=weights)
        np.testing.assert_allclose(entry["precision"], reference[4], rtol=1e-6)
        np.testing.assert_allclose(entry["recall"], reference[5], rtol=1e-6)
        self.assertEqual(entry["true_positives"], [int(x) for x in reference[0]])

    def test_audio(self):
        entry = self.get("/data/plugin/audio/audio", run=E.RUN, tag="audio/tone", sample=0)[0]
        query = dict(kv.split("=", 1) for kv in entry["query"].split("&"))
        import urllib.parse
        query = {k: urllib.parse.unquote(v) for k, v in query.items()}
        clip = self.server.get_raw("/data/plugin/audio/individualAudio", **query)
        _, rate, samples = wav_samples(clip)
        self.assertEqual(rate, 8000)
        np.testing.assert_allclose(samples[:, 0], E.tone(), atol=1 / 32767.0)

    def test_image_samples_and_video(self):
        tags = self.get("/data/plugin/images/tags")[E.RUN]
        self.assertEqual(tags["samples"]["samples"], 3)
        entry = self.get("/data/plugin/images/images", run=E.RUN, tag="samples", sample=2)[0]
        query = dict(kv.split("=", 1) for kv in entry["query"].split("&"))
        import urllib.parse
        query = {k: urllib.parse.unquote(v) for k, v in query.items()}
        png = self.server.get_raw("/data/plugin/images/individualImage", **query)
        self.assertEqual(Image.open(io.BytesIO(png)).convert("RGB").tobytes(), E.sample_image(2))
        entry = self.get("/data/plugin/images/images", run=E.RUN, tag="video/moving_square",
                         sample=0)[0]
        query = {k: urllib.parse.unquote(v) for k, v in
                 (kv.split("=", 1) for kv in entry["query"].split("&"))}
        gif = Image.open(io.BytesIO(self.server.get_raw("/data/plugin/images/individualImage",
                                                        **query)))
        self.assertEqual(gif.n_frames, 8)

    def test_mesh(self):
        self.assertEqual(self.get("/data/plugin/mesh/tags")[E.RUN], {"mesh/tetrahedron": {"samples": 1}})
        meta = self.get("/data/plugin/mesh/meshes", run=E.RUN, tag="mesh/tetrahedron", sample=0)
        self.assertEqual(sorted({m["step"] for m in meta}), [0, 1])
        self.assertTrue(all(m["components"] == 14 and m["data_shape"] == [1, 4, 3] for m in meta))
        vertices, faces, colors = E.tetrahedron(1)
        for part, dtype, expected in (("VERTEX", np.float32, vertices), ("FACE", np.int32, faces),
                                      ("COLOR", np.uint8, colors)):
            raw = self.server.get_raw("/data/plugin/mesh/data", run=E.RUN, tag="mesh/tetrahedron",
                                      sample=0, content_type=part, step=1)
            np.testing.assert_array_equal(np.frombuffer(raw, dtype=dtype).reshape(-1, 3), expected)

    def test_graph_and_run_metadata(self):
        info = self.get("/data/plugin/graphs/info")[E.RUN]
        self.assertTrue(info["run_graph"])
        self.assertIn("step_1", info["tags"])
        graph = self.server.get_raw("/data/plugin/graphs/graph", run=E.RUN).decode()
        for name in E.GRAPH_NODES:
            self.assertIn(f'name: "{name}"', graph)
        metadata = self.server.get_raw("/data/plugin/graphs/run_metadata", run=E.RUN,
                                       tag="step_1").decode()
        self.assertIn('node_name: "fc/matmul"', metadata)
        self.assertIn("total_bytes: 13824", metadata)

    def test_conceptual_graph(self):
        from google.protobuf import text_format
        from tensorboard.compat.proto import graph_pb2
        info = self.get("/data/plugin/graphs/info")
        for cell in E.COMPARED_RUNS:
            self.assertEqual(info[cell]["tags"], {"keras": {
                "tag": "keras", "conceptual_graph": True, "op_graph": False, "profile": False}})
            self.assertFalse(info[cell]["run_graph"])
            pbtxt = self.server.get_raw("/data/plugin/graphs/graph", run=cell, tag="keras",
                                        conceptual="true").decode()
            graph = text_format.Parse(pbtxt, graph_pb2.GraphDef())
            self.assertEqual(nodes_of(graph), E.conceptual_nodes(cell))

    def test_add_scalars(self):
        layout = self.get("/data/plugin/custom_scalars/layout")
        # The demo run's add_scalars category, beside the compared runs' "Compare" (logdir root).
        (loss,) = [c for c in layout["category"] if c["title"] == "loss"]
        self.assertEqual(loss["chart"][0]["multiline"]["tag"], ["^loss/"])
        self.assertEqual(sorted(c["title"] for c in layout["category"]), ["Compare", "loss"])
        data = self.get("/data/plugin/custom_scalars/scalars", run=E.RUN, tag="^loss/")
        self.assertEqual(sorted(data["tag_to_events"]), ["loss/test", "loss/train"])

    def test_projector(self):
        self.assertEqual(self.get("/data/plugin/projector/runs"), [E.RUN])
        info = self.get("/data/plugin/projector/info", run=E.RUN)
        shapes = {e["tensorName"]: tuple(e["tensorShape"]) for e in info["embeddings"]}
        self.assertEqual(shapes, E.EMBEDDINGS)
        for name, phase in (("features@0", 0.0), ("features@5", 0.5)):
            raw = self.server.get_raw("/data/plugin/projector/tensor", run=E.RUN, name=name)
            np.testing.assert_array_equal(np.frombuffer(raw, dtype=np.float32).reshape(40, 3),
                                          E.features(40, phase))
        metadata = self.server.get_raw("/data/plugin/projector/metadata", run=E.RUN,
                                       name="features@0").decode().splitlines()
        self.assertEqual(metadata[:3], ["class\tindex", "c0\t0", "c1\t1"])
        self.assertEqual(len(metadata), 41)
        words = self.server.get_raw("/data/plugin/projector/metadata", run=E.RUN, name="words@0")
        self.assertEqual(words.decode().split(), ["zero", "east", "north", "north-east", "middle"])
        sprite = Image.open(io.BytesIO(self.server.get_raw("/data/plugin/projector/sprite_image",
                                                           run=E.RUN, name="features@0")))
        self.assertEqual(sprite.size, (56, 56))  # 7 x 7 tiles of 8 x 8
        self.assertEqual(sprite.getpixel((8 * 3 + 2, 8 * 1 + 2)), 10 * 6)  # point 10: row 1, col 3


class PythonLoaderServer(HttpApi, unittest.TestCase):
    LOAD_FAST = "false"


class RustDataServer(HttpApi, unittest.TestCase):
    LOAD_FAST = "true"


if os.environ.get("TBLOG_DATA_SERVER"):  # where tblog-data-server is built (tests/CMakeLists.txt)
    class TblogDataServer(HttpApi, unittest.TestCase):
        LOAD_FAST = "tblog"  # TensorBoard started with tblog-data-server in place of its own


class TblogCli(unittest.TestCase):
    def test_ls_names_every_kind(self):
        out = subprocess.run([TBLOG, "ls", LOGDIR], check=True, capture_output=True, text=True).stdout
        for line in ["pr/class/cat", "pr_curve", "audio/tone", "audio", "mesh/tetrahedron_VERTEX",
                     "graph: 6 nodes", "run metadata step_1: 1 step(s)",
                     "projector features@0: 40 points x 3 dims, 2 metadata column(s), sprite",
                     "projector words@0: 5 points x 2 dims, 1 metadata column(s)"]:
            self.assertIn(line, out)

    def test_cat_json_carries_each_kind(self):
        import glob
        first = sorted(glob.glob(f"{LOGDIR}/{E.RUN}/events.out.tfevents.*"))[0]
        lines = [json.loads(l) for l in subprocess.run([TBLOG, "cat", "--json", first], check=True,
                                                       capture_output=True, text=True).stdout.splitlines()]
        values = {v["tag"]: v for l in lines for v in l.get("values", [])}
        self.assertEqual(values["pr/binary"]["shape"], [6, 201])
        self.assertEqual(values["audio/tone"]["label"], "**440 Hz** sine, 0.5 s")
        self.assertEqual(values["mesh/tetrahedron_FACE"]["part"], "FACE")
        self.assertEqual(values["samples"]["images"], 3)
        graph = next(l["graph"] for l in lines if "graph" in l)
        self.assertEqual([n["name"] for n in graph], E.GRAPH_NODES)

    def test_conceptual_graph(self):
        import glob
        (path,) = glob.glob(f"{LOGDIR}/gru/events.out.tfevents.*")
        text = subprocess.run([TBLOG, "cat", path], check=True, capture_output=True,
                              text=True).stdout
        size = len(json.dumps(E.conceptual_graph("gru"), separators=(",", ":")))
        self.assertIn(f"keras  conceptual_graph (Keras model JSON, {size} bytes)", text)
        lines = [json.loads(l) for l in subprocess.run([TBLOG, "cat", "--json", path], check=True,
                                                       capture_output=True, text=True).stdout.splitlines()]
        (value,) = [v for l in lines for v in l.get("values", []) if v["tag"] == "keras"]
        self.assertEqual((value["kind"], value["plugin"]), ("conceptual_graph", "graph_keras_model"))
        self.assertEqual(json.loads(value["model_json"]), E.conceptual_graph("gru"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
