"""A running stock `tensorboard` server (Python loader and Rust data server) serves the compared
runs of examples/all_kinds through the HTTP API its dashboards use (check_all_kinds.py does the
same for the demo run's kinds)."""
import io
import os
import subprocess
import sys
import tempfile
import unittest

from PIL import Image

import all_kinds_expected as E
from toolkit.tensorboard import TensorBoardServer

WRITER = sys.argv.pop(1)


class HttpApiBase:
    LOAD_FAST = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.logdir = cls.tmp.name + "/logs"
        subprocess.run([WRITER, cls.logdir], check=True)
        cls.server = TensorBoardServer(cls.logdir, cls.LOAD_FAST).__enter__()
        # Wait until every run's scalars are visible (immediate with the blocking Python load).
        cls.server.wait_for(
            lambda: all(r in cls.server.get("/data/plugin/scalars/tags") for r in E.COMPARED_RUNS),
            "scalar tags of every run")

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()

    def test_runs_and_plugins(self):
        runs = self.server.get("/data/runs")
        for run in E.COMPARED_RUNS + ["."]:
            self.assertIn(run, runs)
        listing = self.server.wait_for(
            lambda: (lambda l: l if all(l.get(p, {}).get("enabled") for p in
                                        ["scalars", "histograms", "images", "text", "hparams",
                                         "custom_scalars"]) else None)(
                self.server.get("/data/plugins_listing")), "plugins enabled")
        self.assertTrue(listing["images"]["enabled"])

    def test_scalars(self):
        for run in E.COMPARED_RUNS:
            points = self.server.get("/data/plugin/scalars/scalars", run=run, tag="test/accuracy")
            self.assertEqual([p[1] for p in points], E.STEPS)
            for i, (wall, step, value) in enumerate(points):
                self.assertTrue(E.close(value, E.accuracy(run, i)), (value, E.accuracy(run, i)))
                self.assertAlmostEqual(wall, E.wall(i), places=5)

    def test_histograms_and_distributions(self):
        hist = self.server.wait_for(
            lambda: self.server.get("/data/plugin/histograms/histograms", run="lstm", tag="W1/hist"),
            "histograms")
        self.assertEqual([h[1] for h in hist], [0, 10])
        buckets = hist[0][2]
        self.assertEqual(sum(b[2] for b in buckets), 1000)
        self.assertAlmostEqual(buckets[0][0], 0.0)
        self.assertAlmostEqual(buckets[-1][1], 9.99, places=5)
        dist = self.server.get("/data/plugin/distributions/distributions", run="lstm", tag="W1/hist")
        self.assertEqual(len(dist), 2)
        self.assertEqual([bp for bp, _ in dist[0][2]][0], 0)

    def test_images(self):
        entries = self.server.wait_for(
            lambda: self.server.get("/data/plugin/images/images", run="gru", tag="weights/filters", sample=0),
            "images")
        self.assertEqual(entries[0]["step"], 0)
        query = dict(kv.split("=", 1) for kv in entries[0]["query"].split("&"))
        png = self.server.get_raw("/data/plugin/images/individualImage", **query)
        img = Image.open(io.BytesIO(png))
        self.assertEqual(img.size, (E.IMAGE_W, E.IMAGE_H))
        self.assertEqual(img.convert("RGB").tobytes(), E.IMAGE_PIXELS)

    def test_text(self):
        entries = self.server.wait_for(
            lambda: self.server.get("/data/plugin/text/text", run="lstm", tag="config"), "text")
        html = entries[0]["text"]
        self.assertIn("<table>", html)
        self.assertIn("<strong>bold</strong>", html)

    def test_hparams(self):
        exp = self.server.wait_for(
            lambda: (lambda e: e if e.get("hparamInfos") else None)(
                self.server.post_json("/data/plugin/hparams/experiment", {"experimentName": ""})),
            "hparams experiment")
        self.assertEqual(sorted(h["name"] for h in exp["hparamInfos"]), ["cell", "clip", "hidden", "lr"])
        self.assertEqual([m["name"]["tag"] for m in exp["metricInfos"]],
                         ["test/accuracy", "train/loss"])
        request = {"experimentName": "",
                   "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE",
                                       "STATUS_RUNNING"],
                   "startIndex": 0, "sliceSize": 100}
        groups = self.server.wait_for(
            lambda: (lambda g: g if g["totalSize"] == 2 else None)(
                self.server.post_json("/data/plugin/hparams/session_groups", request)),
            "two hparams sessions")["sessionGroups"]
        by_name = {g["name"]: g for g in groups}
        self.assertEqual(set(by_name), set(E.COMPARED_RUNS))
        for run in E.COMPARED_RUNS:
            group = by_name[run]
            self.assertEqual(group["hparams"]["cell"], run)
            self.assertAlmostEqual(group["hparams"]["lr"], 0.01)
            self.assertEqual(group["sessions"][0]["status"], "STATUS_SUCCESS")
            metrics = {m["name"]["tag"]: m["value"] for m in group["metricValues"]}
            self.assertTrue(E.close(metrics["test/accuracy"], E.accuracy(run, 4)))

    def test_custom_scalars(self):
        layout = self.server.wait_for(
            lambda: self.server.get("/data/plugin/custom_scalars/layout"), "layout")
        self.assertEqual(layout["category"][0]["title"], "Compare")
        self.assertTrue(layout["category"][0].get("closed"))  # written collapsed
        self.assertEqual(layout["category"][0]["chart"][0]["multiline"]["tag"], ["test/accuracy"])
        data = self.server.get("/data/plugin/custom_scalars/scalars", run="gru", tag="test/acc.*")
        self.assertTrue(data["regex_valid"])
        self.assertEqual(len(data["tag_to_events"]["test/accuracy"]), 5)


class PythonLoaderServer(HttpApiBase, unittest.TestCase):
    LOAD_FAST = "false"


class RustDataServer(HttpApiBase, unittest.TestCase):
    LOAD_FAST = "true"


if os.environ.get("TBLOG_DATA_SERVER"):  # where tblog-data-server is built (tests/CMakeLists.txt)
    class TblogDataServer(HttpApiBase, unittest.TestCase):
        LOAD_FAST = "tblog"  # TensorBoard started with tblog-data-server in place of its own


if __name__ == "__main__":
    unittest.main(verbosity=2)
