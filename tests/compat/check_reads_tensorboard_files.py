"""Our reader reads files written by TensorBoard's own Python writer, with the same values."""
import glob
import json
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.plugins.histogram import summary_v2 as histogram_summary
from tensorboard.plugins.scalar import metadata as scalar_metadata
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util

TBLOG = sys.argv.pop(1)


KERAS_JSON = json.dumps({
    "class_name": "Sequential", "keras_version": "2.15.0", "backend": "tensorflow",
    "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 784],
                                                "dtype": "float32", "name": "input_1"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 10, "dtype": "float32",
                                           "activation": "softmax"}}]}})


def event(step, value, wall=1700000000.0):
    return event_pb2.Event(wall_time=wall + step, step=step, summary=summary_pb2.Summary(value=[value]))


class ReadsTensorBoardFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        w = EventFileWriter(cls.tmp.name)
        for step in range(5):
            # Legacy simple_value, as tensorboardX and TF1 write it.
            w.add_event(event(step, summary_pb2.Summary.Value(tag="legacy", simple_value=step * 1.5)))
            # TF2-style rank-0 DT_FLOAT tensor with scalars metadata.
            meta = scalar_metadata.create_summary_metadata(display_name="v2", description="")
            w.add_event(event(step, summary_pb2.Summary.Value(
                tag="v2", metadata=meta,
                tensor=tensor_util.make_tensor_proto(np.float32(step * 0.25)))))
        # Histogram written by TensorBoard's own v2 histogram_pb (DT_DOUBLE [k,3] tensor).
        hist = histogram_summary.histogram_pb("hist", np.arange(100, dtype=np.float64))
        w.add_event(event_pb2.Event(wall_time=1700000100.0, step=3, summary=hist))
        # Legacy HistogramProto, as tensorboardX writes it.
        histo = summary_pb2.HistogramProto(min=0.5, max=2.5, num=4, sum=5, sum_squares=7,
                                           bucket_limit=[0, 1, 2, 3, 1e300], bucket=[0, 1, 2, 1, 0])
        w.add_event(event(4, summary_pb2.Summary.Value(tag="legacy_hist", histo=histo)))
        text = text_summary.text_pb("notes", "hello *tensorboard*")
        w.add_event(event_pb2.Event(wall_time=1700000200.0, step=7, summary=text))
        png = bytes.fromhex("89504e470d0a1a0a")  # any bytes: the reader passes images through
        w.add_event(event(8, summary_pb2.Summary.Value(
            tag="legacy_image", image=summary_pb2.Summary.Image(height=2, width=3, colorspace=3,
                                                                encoded_image_string=png))))
        # A Keras model as TensorFlow's keras_model summary writes it (what Keras's TensorBoard
        # callback logs under "keras"): a rank-0 string tensor of model.to_json().
        keras = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name="graph_keras_model", content=b"1"))
        w.add_event(event(0, summary_pb2.Summary.Value(
            tag="keras", metadata=keras,
            tensor=tensor_util.make_tensor_proto(KERAS_JSON.encode(), dtype=np.object_))))
        w.close()
        (path,) = glob.glob(cls.tmp.name + "/*tfevents*")
        out = subprocess.run([TBLOG, "cat", "--json", path], check=True, capture_output=True,
                             text=True).stdout
        cls.events = [json.loads(line) for line in out.splitlines()]
        verify = subprocess.run([TBLOG, "verify", path], capture_output=True, text=True)
        cls.verify_status = verify.returncode

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def values(self, tag):
        return [(e["step"], e["wall_time"], v) for e in self.events for v in e.get("values", [])
                if v["tag"] == tag]

    def test_file_version_and_verify(self):
        self.assertEqual(self.events[0]["file_version"], "brain.Event:2")
        self.assertEqual(self.verify_status, 0)

    def test_scalars_both_styles(self):
        legacy = self.values("legacy")
        self.assertEqual([(s, v["value"]) for s, _, v in legacy], [(i, i * 1.5) for i in range(5)])
        self.assertEqual([w for _, w, _ in legacy], [1700000000.0 + i for i in range(5)])
        v2 = self.values("v2")
        self.assertEqual([v["kind"] for _, _, v in v2], ["scalar"] * 5)
        self.assertEqual([v["value"] for _, _, v in v2], [i * 0.25 for i in range(5)])

    def test_histograms_both_styles(self):
        ((step, _, h),) = self.values("hist")
        self.assertEqual((step, h["kind"]), (3, "histogram"))
        self.assertEqual(sum(b[2] for b in h["buckets"]), 100)
        self.assertEqual(h["buckets"][0][0], 0)
        self.assertEqual(h["buckets"][-1][1], 99)
        ((_, _, lh),) = self.values("legacy_hist")
        # TensorBoard's own conversion gives [[0.5,1,1],[1,2,2],[2,2.5,1]] for this proto.
        self.assertEqual(lh["buckets"], [[0.5, 1, 1], [1, 2, 2], [2, 2.5, 1]])

    def test_text_and_image(self):
        ((step, _, t),) = self.values("notes")
        self.assertEqual((step, t["kind"], t["text"]), (7, "text", "hello *tensorboard*"))
        ((_, _, img),) = self.values("legacy_image")
        self.assertEqual((img["kind"], img["width"], img["height"]), ("image", 3, 2))

    def test_keras_model_as_conceptual_graph(self):
        ((step, _, m),) = self.values("keras")
        self.assertEqual((step, m["kind"], m["plugin"]), (0, "conceptual_graph", "graph_keras_model"))
        self.assertEqual(m["model_json"], KERAS_JSON)


if __name__ == "__main__":
    unittest.main(verbosity=2)
