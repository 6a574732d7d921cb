"""Our reader reads what tensorboardX writes (PyTorch's SummaryWriter writes the same records:
legacy simple_value, HistogramProto with its 1549 default limits, Summary.Image, text)."""
import glob
import json
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from tensorboardX import SummaryWriter

TBLOG = sys.argv.pop(1)


class ReadsTensorboardXFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        w = SummaryWriter(cls.tmp.name)
        for step in range(3):
            w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_histogram("weights", np.arange(1, 101, dtype=np.float32), 5)
        w.add_image("img", np.full((3, 4, 6), 200, dtype=np.uint8), 6)
        w.add_text("notes", "hello", 7)
        w.close()
        (path,) = glob.glob(cls.tmp.name + "/*tfevents*")
        out = subprocess.run([TBLOG, "cat", "--json", path], check=True, capture_output=True,
                             text=True).stdout
        cls.values = {}
        for line in out.splitlines():
            e = json.loads(line)
            for v in e.get("values", []):
                cls.values.setdefault(v["tag"], []).append((e["step"], v))
        cls.verify = subprocess.run([TBLOG, "verify", path], capture_output=True).returncode

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_everything(self):
        self.assertEqual(self.verify, 0)
        self.assertEqual([(s, round(v["value"], 6)) for s, v in self.values["loss"]],
                         [(0, 1.0), (1, 0.5), (2, round(1 / 3, 6))])
        ((step, h),) = self.values["weights"]
        self.assertEqual((step, h["kind"]), (5, "histogram"))
        self.assertEqual(sum(b[2] for b in h["buckets"]), 100)
        self.assertEqual(h["buckets"][0][0], 1)
        self.assertEqual(h["buckets"][-1][1], 100)
        ((_, img),) = self.values["img"]
        self.assertEqual((img["kind"], img["width"], img["height"]), ("image", 6, 4))
        text = [v for tag, vs in self.values.items() if tag.startswith("notes") for _, v in vs]
        self.assertEqual(text[0]["text"], "hello")


if __name__ == "__main__":
    unittest.main(verbosity=2)
