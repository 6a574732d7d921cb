"""The README's main job (`tbtrain assignment --quick`) end to end: its logdir passes
`tblog verify` and stock TensorBoard serves every dashboard a user is told to look at."""
import subprocess
import sys
import tempfile
import unittest

from tb_server import TensorBoardServer

TBTRAIN, TBLOG = sys.argv.pop(1), sys.argv.pop(1)
CNN_RUNS, RNN_RUNS = 60, 9


class AssignmentLogdir(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.logdir = cls.tmp.name + "/runs"
        run = subprocess.run([TBTRAIN, "assignment", "--quick", "--logdir", cls.logdir],
                             capture_output=True, text=True)
        cls.output = run.stdout + run.stderr
        if run.returncode != 0:
            raise RuntimeError(cls.output)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_output_names_the_fallback_and_the_best_runs(self):
        self.assertIn("No CIFAR-10 given", self.output)
        self.assertIn("Best: **", self.output)
        self.assertIn("tensorboard --logdir", self.output)

    def test_tblog_verify_is_clean(self):
        verify = subprocess.run([TBLOG, "verify", "--strict", self.logdir], capture_output=True,
                                text=True)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertIn("0 files with corruption", verify.stdout)

    def check_server(self, load_fast):
        with TensorBoardServer(self.logdir, load_fast) as tb:
            runs = tb.wait_for(lambda: (lambda r: r if len(r) >= 1 + CNN_RUNS + RNN_RUNS else None)(
                tb.get("/data/runs")), "all runs")
            self.assertIn("rnn/cell=gru,hidden=128", runs)
            self.assertIn("cnn_sweep/lr=1e-3,optimizer=adam,batch_size=64,fc1=1024", runs)
            points = tb.wait_for(lambda: tb.get("/data/plugin/scalars/scalars",
                                                run="rnn/cell=lstm,hidden=64", tag="test/accuracy"),
                                 "lstm test accuracy")
            self.assertEqual(len(points), 2)  # one per epoch in quick mode
            best = [r for r in runs if r.startswith("best_cnn/")][0]
            images = tb.wait_for(lambda: tb.get("/data/plugin/images/images", run=best,
                                                tag="filters/conv1", sample=0), "filters")
            self.assertGreaterEqual(len(images), 2)  # at the start and after each epoch
            hist = tb.wait_for(lambda: tb.get("/data/plugin/histograms/histograms", run=best,
                                              tag="activations/conv1/histogram"), "activations")
            self.assertTrue(hist)
            text = tb.wait_for(lambda: tb.get("/data/plugin/text/text", run=".",
                                              tag="assignment/summary"), "summary")
            self.assertIn("<table>", text[0]["text"])
            request = {"experimentName": "", "startIndex": 0, "sliceSize": 1000,
                       "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE",
                                           "STATUS_RUNNING"]}
            groups = tb.wait_for(
                lambda: (lambda g: g if g["totalSize"] >= CNN_RUNS + RNN_RUNS else None)(
                    tb.post_json("/data/plugin/hparams/session_groups", request)), "sessions")
            names = {g["name"] for g in groups["sessionGroups"]}
            self.assertIn("rnn/cell=rnn,hidden=256", names)
            layout = tb.get("/data/plugin/custom_scalars/layout")
            self.assertEqual(layout["category"][0]["title"], "Accuracy")

    def test_python_loader_serves_it(self):
        self.check_server("false")

    def test_rust_data_server_serves_it(self):
        self.check_server("true")


if __name__ == "__main__":
    unittest.main(verbosity=2)
