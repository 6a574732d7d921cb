"""The README's main job (`tbtrain assignment --quick`) end to end, on the logdir the
`main_job_logdir` fixture wrote: `tblog verify` is clean, the logdir fits TensorBoard's run
selector, every run holds data (no runs of text alone), HParams is consistent with itself and
with the results tables, and stock TensorBoard serves every dashboard a user is told to look at.
Usage: check_assignment_logdir.py TBTRAIN TBLOG LOGDIR OUTPUT_FILE"""
import os
import subprocess
import sys
import unittest

from toolkit.tensorboard import TensorBoardServer
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.hparams import plugin_data_pb2

TBTRAIN, TBLOG, LOGDIR, OUTPUT = (sys.argv.pop(1) for _ in range(4))
CNN_RUNS, RNN_RUNS, FOLLOW_UPS = 15, 9, 2  # quick mode: 10 + 5 LeNet5, 3 cells x 3 sizes, 2
STUDY_HPARAMS = ["batch_size", "hidden_units", "lr", "model", "optimizer"]
METRICS = {"Epoch/test_accuracy": "test_accuracy", "Epoch/train_accuracy": "train_accuracy",
           "Epoch/test_loss": "test_loss", "Epoch/train_loss": "train_loss"}


def run_dirs():
    return sorted(os.path.relpath(d, LOGDIR) for d, _, files in os.walk(LOGDIR)
                  if any("tfevents" in f for f in files))


def load(run):
    acc = event_accumulator.EventAccumulator(os.path.join(LOGDIR, run), size_guidance={
        event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0})
    acc.Reload()
    return acc


def hparams_content(acc, tag):
    try:
        content = acc.PluginTagToContent("hparams").get(tag)
    except KeyError:  # a run without any HParams data (the study's follow-up runs)
        return None
    return plugin_data_pb2.HParamsPluginData.FromString(content) if content else None


def run_record(run):
    path = os.path.join(LOGDIR, run, "run_record.txt")
    if not os.path.exists(path):
        return None
    return dict(line.rstrip("\n").split("=", 1) for line in open(path) if "=" in line)


class AssignmentLogdir(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.output = open(OUTPUT).read()
        cls.runs = run_dirs()
        cls.acc = {run: load(run) for run in cls.runs}

    def test_output_names_the_fallback_and_the_best_runs(self):
        self.assertIn("No CIFAR-10 given", self.output)
        self.assertIn("Best: **", self.output)
        self.assertIn("tensorboard --logdir", self.output)

    def test_rerunning_the_main_job_adds_nothing(self):
        def files():
            return sorted(os.path.join(d, f) for d, _, fs in os.walk(LOGDIR) for f in fs)
        before = files()
        rerun = subprocess.run([TBTRAIN, "assignment", "--quick", "--logdir", LOGDIR],
                               capture_output=True, text=True)
        self.assertEqual(rerun.returncode, 0, rerun.stderr[-2000:])
        self.assertIn("already finished, skipped", rerun.stdout)
        self.assertEqual(files(), before)

    def test_tblog_verify_is_clean(self):
        verify = subprocess.run([TBLOG, "verify", "--strict", LOGDIR], capture_output=True,
                                text=True)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertIn("0 files with corruption", verify.stdout)

    def test_fits_the_run_selector_and_every_run_holds_data(self):
        self.assertEqual(len(self.runs), CNN_RUNS + RNN_RUNS + FOLLOW_UPS, self.runs)
        self.assertLessEqual(len(self.runs), 40)  # TensorBoard ticks no run above 40
        self.assertNotIn(".", self.runs)
        for run, acc in self.acc.items():
            self.assertIn("Epoch/test_accuracy", acc.Tags()["scalars"] + acc.Tags()["tensors"],
                          f"{run} holds no training data")

    def test_each_tag_steps_forward(self):
        """Every tag's steps strictly increase within a run: TensorBoard's data server takes a
        step that does not as a restart and drops the points it repeats, and a second kind logged
        under a tag another kind holds (the conceptual graph under "model", where the model's
        text is, once) shows as such a repeat, read as the first kind."""
        from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
        from tensorboard.compat.proto import event_pb2
        for run in self.runs:
            last, repeated = {}, {}
            directory = os.path.join(LOGDIR, run)
            for name in sorted(f for f in os.listdir(directory) if "tfevents" in f):
                for record in RawEventFileLoader(os.path.join(directory, name)).Load():
                    event = event_pb2.Event.FromString(record)
                    for value in event.summary.value:
                        if value.tag in last and event.step <= last[value.tag]:
                            repeated.setdefault(value.tag, []).append(event.step)
                        last[value.tag] = event.step
            self.assertEqual(repeated, {}, run)

    def test_hparams_experiment_sessions_and_tables_agree(self):
        experiments = [hparams_content(a, "_hparams_/experiment") for a in self.acc.values()]
        experiments = [e.experiment for e in experiments if e]
        self.assertEqual(len(experiments), 1)  # one experiment in the logdir
        exp = experiments[0]
        self.assertEqual(sorted(h.name for h in exp.hparam_infos), STUDY_HPARAMS)
        self.assertEqual({m.name.tag for m in exp.metric_infos}, set(METRICS))
        domains = {h.name: {v.WhichOneof("kind") and getattr(v, v.WhichOneof("kind"))
                            for v in h.domain_discrete.values} for h in exp.hparam_infos}
        seen = {name: set() for name in STUDY_HPARAMS}
        sessions = 0
        for run, acc in self.acc.items():
            start = hparams_content(acc, "_hparams_/session_start_info")
            if not start:
                continue
            sessions += 1
            hp = start.session_start_info.hparams
            for name in STUDY_HPARAMS:  # every session carries every declared hparam
                self.assertIn(name, hp, f"{run} lacks {name}")
                value = hp[name]
                seen[name].add(getattr(value, value.WhichOneof("kind")))
            end = hparams_content(acc, "_hparams_/session_end_info")
            self.assertEqual(end.session_end_info.status, 1, f"{run} not SUCCESS")
            record = run_record(run)
            for tag, key in METRICS.items():  # HParams metric == the results table's number
                last = acc.Tensors(tag)[-1] if tag in acc.Tags()["tensors"] else None
                value = float(last.tensor_proto.float_val[0]) if last else acc.Scalars(tag)[-1].value
                self.assertAlmostEqual(value, float(record[key]), places=5, msg=f"{run} {tag}")
        self.assertEqual(sessions, CNN_RUNS + RNN_RUNS)
        for name in STUDY_HPARAMS:  # domains list exactly the values used
            self.assertEqual(domains[name], seen[name], name)
        self.assertEqual(domains["batch_size"], {"32", "64", "128"})
        self.assertEqual(domains["model"], {"lenet5", "rnn", "lstm", "gru"})

    def check_server(self, load_fast):
        with TensorBoardServer(LOGDIR, load_fast) as tb:
            runs = tb.wait_for(lambda: (lambda r: r if len(r) >= len(self.runs) else None)(
                tb.get("/data/runs")), "all runs")
            self.assertEqual(sorted(runs), self.runs)
            points = tb.wait_for(lambda: tb.get("/data/plugin/scalars/scalars",
                                                run="rnn/cell=lstm,hidden=64",
                                                tag="Epoch/test_accuracy"), "lstm accuracy")
            self.assertEqual([p[1] for p in points], [1, 2])  # step = epoch
            best = [r for r in runs if r.startswith("best_cnn/")][0]
            images = tb.wait_for(lambda: tb.get("/data/plugin/images/images", run=best,
                                                tag="filters/conv1", sample=0), "filters")
            self.assertGreaterEqual(len(images), 2)  # at the start and after each epoch
            hist = tb.wait_for(lambda: tb.get("/data/plugin/histograms/histograms", run=best,
                                              tag="activations/conv1/histogram"), "activations")
            self.assertTrue(hist)
            text = tb.wait_for(lambda: tb.get("/data/plugin/text/text", run=best,
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
            titles = [c["title"] for c in layout["category"]]
            self.assertEqual(titles[0], "RNN vs LSTM vs GRU")
            self.assertEqual(len(titles), len(set(titles)))  # merged, never doubled
            self.check_inside_the_networks(tb, best)

    def check_inside_the_networks(self, tb, best):
        """The visualizations of the best CNN and the recurrent runs, as the README lists them."""
        lstm = "rnn/cell=lstm,hidden=128"
        tags = tb.wait_for(lambda: tb.get("/data/plugin/images/tags"), "image tags")
        for tag in ["deconvnet/conv1_top9", "deconvnet/conv2_top9", "deconvnet/evolution_conv2",
                    "deconvnet/evolution_conv2_animation", "occlusion/maps",
                    "test_set/confusion_matrix", "test_set/most_wrong"]:
            self.assertIn(tag, tags[best], tag)
        self.assertIn("test_set/confusion_matrix", tags[lstm])
        self.assertNotIn("deconvnet/conv1_top9", tags[lstm])  # no conv layers
        sweep_point = next(r for r in self.runs if r.startswith("cnn/"))
        self.assertNotIn("test_set/confusion_matrix", tags.get(sweep_point, {}))
        # The confusion matrix of each epoch is a real image of the right kind.
        entries = tb.get("/data/plugin/images/images", run=best, tag="test_set/confusion_matrix",
                         sample=0)
        self.assertEqual([e["step"] for e in entries], [1, 2, 3, 4])  # step = epoch
        pr = tb.wait_for(lambda: tb.get("/data/plugin/pr_curves/tags"), "pr curve tags")
        self.assertEqual(len(pr[best]), 10)  # one per class
        self.assertEqual(len(pr[lstm]), 10)
        curve = tb.get("/data/plugin/pr_curves/pr_curves", run=lstm, tag=sorted(pr[lstm])[0])
        # 201 thresholds, less the top ones no prediction reaches (the plugin trims those).
        self.assertGreater(len(curve[lstm][-1]["precision"]), 100)
        self.assertAlmostEqual(curve[lstm][-1]["recall"][0], 1.0)  # threshold 0: all positives
        graphs = tb.get("/data/plugin/graphs/info")
        self.assertTrue(graphs[best]["run_graph"])
        graph = tb.get_raw("/data/plugin/graphs/graph", run=lstm).decode()
        self.assertIn('name: "lstm/lstm"', graph)
        # Each model's layers as the conceptual graph (tag "layers"), beside its op graph.
        for run, layers in ((best, ['"lenet5/conv1"', '"lenet5/conv2"', '"lenet5/fc3"']),
                            (lstm, ['"recurrent/rnn"', '"recurrent/out"'])):
            self.assertTrue(graphs[run]["tags"]["layers"]["conceptual_graph"])
            graph = tb.get_raw("/data/plugin/graphs/graph", run=run, tag="layers",
                               conceptual="true").decode()
            for name in layers:
                self.assertIn(f"name: {name}", graph)
        self.assertIn('s: "LSTM"', graph)  # the layer's class, shown in its info card
        self.assertEqual(sorted(tb.wait_for(lambda: tb.get("/data/plugin/projector/runs"), "projector")),
                         sorted([best] + [r for r in self.runs if r.startswith("rnn/")]))
        info = tb.get("/data/plugin/projector/info", run=best)
        self.assertEqual([tuple(e["tensorShape"]) for e in info["embeddings"]], [(1000, 84)])
        info = tb.get("/data/plugin/projector/info", run=lstm)
        self.assertEqual([tuple(e["tensorShape"]) for e in info["embeddings"]], [(1000, 128)])

    def test_python_loader_serves_it(self):
        self.check_server("false")

    def test_rust_data_server_serves_it(self):
        self.check_server("true")


if __name__ == "__main__":
    unittest.main(verbosity=2)
