"""Stock TensorBoard's Python loader (plugin event accumulator) reads the compared runs of
examples/all_kinds (scalars, histograms, an image, text, hparams, a custom-scalar layout)."""
import io
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import plugin_event_accumulator as pea
from tensorboard.plugins.custom_scalar import layout_pb2
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.util import tensor_util

import all_kinds_expected as E

WRITER = sys.argv.pop(1)


class PythonLoader(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        subprocess.run([WRITER, cls.tmp.name], check=True)
        cls.acc = {}
        for run in E.COMPARED_RUNS + ["."]:
            acc = pea.EventAccumulator(f"{cls.tmp.name}/{run}", size_guidance={"tensors": 0})
            acc.Reload()
            cls.acc[run] = acc

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def plugin(self, run, tag):
        return self.acc[run].SummaryMetadata(tag).plugin_data.plugin_name

    def test_scalars(self):
        for run in E.COMPARED_RUNS:
            self.assertEqual(self.plugin(run, "test/accuracy"), "scalars")
            events = self.acc[run].Tensors("test/accuracy")
            self.assertEqual([e.step for e in events], E.STEPS)
            for i, e in enumerate(events):
                self.assertAlmostEqual(float(np.asarray(tensor_util.make_ndarray(e.tensor_proto))),
                                       E.accuracy(run, i), places=6)
                self.assertAlmostEqual(e.wall_time, E.wall(i), places=5)

    def test_histograms(self):
        for run in E.COMPARED_RUNS:
            self.assertEqual(self.plugin(run, "W1/hist"), "histograms")
            events = self.acc[run].Tensors("W1/hist")
            self.assertEqual([e.step for e in events], [0, 10])
            rows = tensor_util.make_ndarray(events[0].tensor_proto)
            self.assertEqual(rows.shape[1], 3)
            self.assertEqual(rows[:, 2].sum(), 1000)
            self.assertAlmostEqual(rows[0, 0], 0.0)
            self.assertAlmostEqual(rows[-1, 1], 9.99, places=5)
            # Every value is inside its row's edges.
            for v in np.float32(E.HIST_VALUES)[::37]:
                inside = [r for r in rows if r[0] <= v <= r[1] and r[2] > 0]
                self.assertTrue(inside, v)

    def test_images(self):
        for run in E.COMPARED_RUNS:
            self.assertEqual(self.plugin(run, "weights/filters"), "images")
            (event,) = self.acc[run].Tensors("weights/filters")
            w, h, png = event.tensor_proto.string_val
            self.assertEqual((int(w), int(h)), (E.IMAGE_W, E.IMAGE_H))
            img = Image.open(io.BytesIO(png))
            self.assertEqual(img.size, (E.IMAGE_W, E.IMAGE_H))
            self.assertEqual(img.mode, "RGB")
            self.assertEqual(img.tobytes(), E.IMAGE_PIXELS)

    def test_text(self):
        for run in E.COMPARED_RUNS:
            self.assertEqual(self.plugin(run, "config"), "text")
            (event,) = self.acc[run].Tensors("config")
            self.assertEqual(event.tensor_proto.string_val[0].decode(), E.TEXT)

    def test_hparams_sessions(self):
        for run in E.COMPARED_RUNS:
            self.assertEqual(self.plugin(run, "_hparams_/session_start_info"), "hparams")
            content = self.acc[run].SummaryMetadata("_hparams_/session_start_info").plugin_data.content
            data = plugin_data_pb2.HParamsPluginData.FromString(content)
            hp = data.session_start_info.hparams
            self.assertEqual(hp["cell"].string_value, run)
            self.assertAlmostEqual(hp["lr"].number_value, 0.01)
            self.assertTrue(hp["clip"].bool_value)
            end = plugin_data_pb2.HParamsPluginData.FromString(
                self.acc[run].SummaryMetadata("_hparams_/session_end_info").plugin_data.content)
            self.assertEqual(end.session_end_info.status, 1)

    def test_experiment_and_layout_in_root(self):
        content = self.acc["."].SummaryMetadata("_hparams_/experiment").plugin_data.content
        exp = plugin_data_pb2.HParamsPluginData.FromString(content).experiment
        self.assertEqual([h.name for h in exp.hparam_infos], ["cell", "lr", "hidden", "clip"])
        self.assertEqual(exp.hparam_infos[1].domain_interval.max_value, 0.1)
        self.assertEqual([m.name.tag for m in exp.metric_infos], ["test/accuracy", "train/loss"])
        (event,) = self.acc["."].Tensors("custom_scalars__config__")
        layout = layout_pb2.Layout.FromString(event.tensor_proto.string_val[0])
        self.assertEqual(layout.category[0].title, "Compare")
        self.assertEqual(list(layout.category[0].chart[0].multiline.tag), ["test/accuracy"])
        self.assertEqual(layout.category[0].chart[1].margin.series[0].upper, "train/loss_high")


if __name__ == "__main__":
    unittest.main(verbosity=2)
