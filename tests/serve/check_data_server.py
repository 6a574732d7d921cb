#!/usr/bin/env python3
"""tblog-data-server against TensorBoard's own data server (Rust, from PyPI) and TensorBoard:
  - gRPC: every run, plugin, series, point and blob equal to the Rust server's, on
    examples/all_kinds's logdir and on one written by TensorBoard's own writer (legacy values,
    graphs, run metadata, a restarted run);
  - HTTP: TensorBoard's answers for every dashboard equal, byte for byte, with either server;
  - sampling: 1,500 scalars and 15 images keep 1,000 and 10, the newest always, as the Rust server;
    a SessionLog START purges the stale tail as TensorBoard's Python loader does;
  - live: appended records, a torn tail completed later, new and removed runs, all on --reload 1;
    20 readers at once during reloads, every answer consistent;
  - requests: missing plugin or downsample, bad blob keys, unknown runs and tags;
  - bad files: damage, truncation, a record that is not an Event, bad UTF-8, an unreadable
    directory: one line each in the log, the rest served, no crash.
  - s3://: the same, over SeaweedFS, and every kind in the browser through --grpc_data_provider;
  - `tblog serve`: prints the TensorBoard line that opens it, and TensorBoard does; usage errors.
Usage: check_data_server.py TBLOG_DATA_SERVER ALL_KINDS_PROGRAM TBLOG_CLI [SCREENSHOT_DIR]
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import grpc
import numpy as np
from tensorboard.compat.proto import event_pb2, graph_pb2, node_def_pb2, summary_pb2
from tensorboard.data.proto import data_provider_pb2 as pb
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util

from toolkit.data_server import DataServer, describe_differences, rust_server_binary
from toolkit.report import Checks, run_checks
from toolkit.tensorboard import TensorBoardServer

OURS, ALL_KINDS, TBLOG = sys.argv[1], sys.argv[2], sys.argv[3]
SHOTS = sys.argv[4] if len(sys.argv) > 4 else tempfile.mkdtemp(prefix="data-server-shots-")
os.makedirs(SHOTS, exist_ok=True)
WALL = 1700000000.0


def event(step, value, wall=None):
    return event_pb2.Event(wall_time=wall or WALL + step, step=step,
                           summary=summary_pb2.Summary(value=[value]))


def write_tensorboard_logdir(logdir):
    """A logdir in TensorBoard's own writer's hands: the legacy values of TF1/tensorboardX, TF2
    tensors, a graph, run metadata, an unknown plugin, and a job that restarted at step 3."""
    w = EventFileWriter(os.path.join(logdir, "legacy"))
    for step in range(6):
        w.add_event(event(step, summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1))))
        w.add_event(event(step, summary_pb2.Summary.Value(
            tag="v2/acc", metadata=summary_pb2.SummaryMetadata(
                plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars")),
            tensor=tensor_util.make_tensor_proto(np.float32(step * 0.25)))))
    histo = summary_pb2.HistogramProto(min=0.5, max=2.5, num=4, sum=5, sum_squares=7,
                                       bucket_limit=[0, 1, 2, 3, 1e300], bucket=[0, 1, 2, 1, 0])
    w.add_event(event(4, summary_pb2.Summary.Value(tag="weights", histo=histo)))
    w.add_event(event(5, summary_pb2.Summary.Value(tag="empty_histo", histo=summary_pb2.HistogramProto())))
    w.add_event(event(6, summary_pb2.Summary.Value(
        tag="picture", image=summary_pb2.Summary.Image(height=2, width=3, colorspace=3,
                                                       encoded_image_string=b"\x89PNG fake"))))
    w.add_event(event(7, summary_pb2.Summary.Value(
        tag="sound", audio=summary_pb2.Summary.Audio(sample_rate=8000, num_channels=1,
                                                     length_frames=4, encoded_audio_string=b"RIFF"))))
    w.add_event(event(8, summary_pb2.Summary.Value(
        tag="mystery", metadata=summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="someone_elses")),
        tensor=tensor_util.make_tensor_proto(np.arange(3, dtype=np.int32)))))
    graph = graph_pb2.GraphDef(node=[node_def_pb2.NodeDef(name="a", op="Const")])
    w.add_event(event_pb2.Event(wall_time=WALL, step=0, graph_def=graph.SerializeToString()))
    w.add_event(event_pb2.Event(wall_time=WALL + 1, step=1, tagged_run_metadata=event_pb2.TaggedRunMetadata(
        tag="step_1", run_metadata=b"\x0a\x00")))
    w.close()
    # A job that wrote steps 0..5, died, and restarted from step 3: its new values replace 3..5.
    w = EventFileWriter(os.path.join(logdir, "restarted"))
    for step in list(range(6)) + list(range(3, 8)):
        w.add_event(event(step, summary_pb2.Summary.Value(tag="x", simple_value=step + (0.5 if step > 5 else 0))))
    w.close()


def compare_grpc(r, logdir, what):
    with DataServer(rust_server_binary(), logdir) as rust:
        theirs = rust.wait_until_stable()
    with DataServer(OURS, logdir) as ours_server:
        ours = ours_server.wait_until_stable()
    diff = describe_differences(ours, theirs)
    r.expect(not diff and len(ours["series"]) > 0,
             f"{what}: {len(ours['series'])} series, {len(ours['runs'])} runs equal to the Rust "
             f"server's over gRPC" + ("".join("\n      " + l for l in diff)))


# TensorBoard's HTTP routes for every dashboard, given what /data/runs and the tag lists say.
def http_answers(tb):
    answers = {}

    def get(path, **params):
        key = path + "?" + urllib.parse.urlencode(sorted(params.items()))
        answers[key] = tb.get_raw(path, **params)
        return json.loads(answers[key]) if answers[key][:1] in (b"{", b"[") else answers[key]

    def post(path, body):
        answers[path + " " + json.dumps(body, sort_keys=True)] = json.dumps(
            tb.post_json(path, body), sort_keys=True).encode()

    get("/data/runs")
    listing = get("/data/plugins_listing")
    for plugin, route in [("scalars", "scalars"), ("histograms", "histograms"),
                          ("distributions", "distributions"), ("text", "text"),
                          ("pr_curves", "pr_curves")]:
        for run, tags in get(f"/data/plugin/{plugin}/tags").items():
            for tag in tags:
                get(f"/data/plugin/{plugin}/{route}", run=run, tag=tag)
    for run, tags in get("/data/plugin/images/tags").items():
        for tag, info in tags.items():
            for sample in range(info["samples"]):
                for entry in get("/data/plugin/images/images", run=run, tag=tag, sample=sample):
                    get("/data/plugin/images/individualImage" + "", **dict(
                        urllib.parse.parse_qsl(entry["query"])))
    for run, tags in get("/data/plugin/audio/tags").items():
        for tag, info in tags.items():
            for sample in range(info["samples"]):
                for entry in get("/data/plugin/audio/audio", run=run, tag=tag, sample=sample):
                    get("/data/plugin/audio/individualAudio",
                        **dict(urllib.parse.parse_qsl(entry["query"])))
    for run, tags in get("/data/plugin/mesh/tags").items():
        for tag, info in tags.items():
            for sample in range(info["samples"]):
                for meta in get("/data/plugin/mesh/meshes", run=run, tag=tag, sample=sample):
                    for part in meta["components"] and ("VERTEX", "FACE", "COLOR"):
                        get("/data/plugin/mesh/data", run=run, tag=tag, sample=sample,
                            content_type=part, step=meta["step"])
    info = get("/data/plugin/graphs/info")
    for run, entry in info.items():
        if entry.get("run_graph"):
            get("/data/plugin/graphs/graph", run=run)
        for tag, kinds in entry.get("tags", {}).items():
            if kinds["profile"]:
                get("/data/plugin/graphs/run_metadata", run=run, tag=tag)
            if kinds["conceptual_graph"]:
                get("/data/plugin/graphs/graph", run=run, tag=tag, conceptual="true")
    get("/data/plugin/custom_scalars/layout")
    for run in json.loads(answers["/data/runs?"]):
        get("/data/plugin/custom_scalars/scalars", run=run, tag=".*")
    experiment = tb.post_json("/data/plugin/hparams/experiment", {"experimentName": ""})
    answers["hparams/experiment"] = json.dumps(experiment, sort_keys=True).encode()
    post("/data/plugin/hparams/session_groups",
         {"experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS",
                                                    "STATUS_FAILURE", "STATUS_RUNNING"],
          "colParams": [], "startIndex": 0, "sliceSize": 100})
    tags = tb.get("/experiment/defaultExperimentId/data/plugin/timeseries/tags")
    answers["timeseries/tags"] = json.dumps(tags, sort_keys=True).encode()
    return answers, sorted(p for p, v in listing.items() if v.get("enabled"))


def compare_s3(r, scratch, all_kinds):
    """The same logdir in SeaweedFS: tblog-data-server on s3:// serves what the Rust server serves
    from the local copy (it cannot read s3://), and TensorBoard through --grpc_data_provider
    answers as TensorBoard on the local copy; an idle reload costs listings and no GET."""
    from toolkit.s3server import S3Server
    with S3Server(os.path.join(scratch, "s3")) as s3:
        s3.create_bucket("logs")
        client = s3.client()
        for root, _, files in os.walk(all_kinds):
            for name in files:
                path = os.path.join(root, name)
                key = "all_kinds/" + os.path.relpath(path, all_kinds)
                client.upload_file(path, "logs", key)
        with DataServer(rust_server_binary(), all_kinds) as rust:
            theirs = rust.wait_until_stable()
        log = os.path.join(scratch, "s3-server.log")
        with DataServer(OURS, "s3://logs/all_kinds", reload="1", env=s3.client_env(),
                        extra=["--verbose"], log_path=log) as ours_server:
            ours = ours_server.wait_until_stable()
            diff = describe_differences(ours, theirs)
            r.expect(not diff and len(ours["series"]) == len(theirs["series"]) > 0,
                     f"s3://: {len(ours['series'])} series equal to the Rust server's on the local "
                     "copy" + "".join("\n      " + l for l in diff))
            with TensorBoardServer(all_kinds, "grpc", grpc_data_provider=f"localhost:{ours_server.port}") as tb:
                tb.wait_for(lambda: len(tb.get("/data/runs")) >= 1, "runs")
                ours_http, plugins = http_answers(tb)
            # What a person sees: every kind in the browser. The PROJECTOR reads its files itself,
            # from --logdir, and TensorBoard's projector cannot read s3:// (it makes the config's
            # relative paths local ones: "/cwd/s3:/logs/..."), so it gets a local copy, as
            # docs/serve.md says to do.
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
            import check_all_kinds_browser as browser_checks
            from toolkit.browser import CheckFailed
            with TensorBoardServer(all_kinds, "grpc",
                                   grpc_data_provider=f"localhost:{ours_server.port}") as tb:
                try:
                    seen = browser_checks.check_dashboards(tb, SHOTS, "tblog-serve-s3")
                    r.expect(True, "s3:// in the browser through tblog serve: " + "; ".join(
                        line.split(" (")[0] for line in seen))
                except CheckFailed as e:
                    r.expect(False, f"s3:// in the browser through tblog serve: {e}")
            time.sleep(3)  # idle reloads
        passes = [l for l in open(log).read().splitlines() if "loaded" in l]
        check_long_run_on_s3(r, s3, scratch)
    with TensorBoardServer(all_kinds, "true") as tb:
        tb.wait_for(lambda: len(tb.get("/data/runs")) >= 1, "runs")
        time.sleep(2)
        theirs_http, _ = http_answers(tb)
    differ = [k for k in sorted(set(theirs_http) | set(ours_http))
              if canonical(theirs_http.get(k)) != canonical(ours_http.get(k))]
    r.expect(not differ and len(ours_http) > 20,
             f"s3://: TensorBoard --grpc_data_provider's {len(ours_http)} HTTP answers equal to "
             f"TensorBoard's own on the local copy" + "".join(f"\n      differs: {k}" for k in differ[:10]))
    idle = [l for l in passes[1:] if " 0 new records" in l and "0 GET" in l]
    r.expect(len(passes) >= 3 and len(idle) >= 2,
             f"s3://: idle reloads read nothing ({passes[-1].split(': ', 1)[-1] if passes else 'no pass logged'})")


def scalar_object(step):
    """One event file holding one scalar: an object as a 30 s segment of a long job is."""
    from tensorboard.summary.writer.record_writer import RecordWriter
    import io
    out = io.BytesIO()
    RecordWriter(out).write(event(step, summary_pb2.Summary.Value(
        tag="x", simple_value=float(step))).SerializeToString())
    return out.getvalue()


def check_long_run_on_s3(r, s3, scratch):
    """A run of 1,050 objects (a long job's segments) in SeaweedFS: the data server lists it run
    by run after its last key, one LIST a reload and no GET, and still sees what comes: a new
    segment of the run and a new run beside it."""
    from concurrent.futures import ThreadPoolExecutor
    client = s3.client()
    name = "events.out.tfevents.{}.host".format

    def put(step, run="long"):
        client.put_object(Bucket="logs", Key=f"{run}/{name(1700000000 + step)}",
                          Body=scalar_object(step))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(1050)))
    log = os.path.join(scratch, "s3-long-run.log")
    with DataServer(OURS, "s3://logs/long", reload="1", samples="scalars=all", env=s3.client_env(),
                    extra=["--verbose"], log_path=log) as server:
        loaded = server.wait_until_stable()
        steps = [p[0] for p in loaded["series"].get(("scalar", ".", "x"), {}).get("points", [])]
        r.expect(steps == list(range(1050)),
                 f"s3://, a run of 1,050 objects: {len(steps)} steps served, 0..1049 expected")
        time.sleep(2.5)
        put(1050)
        put(0, "long/zz-new-run")
        deadline = time.time() + 30
        while time.time() < deadline:
            now = server.dump()
            steps = [p[0] for p in now["series"].get(("scalar", ".", "x"), {}).get("points", [])]
            if steps[-1:] == [1050] and "zz-new-run" in now["runs"]:
                break
            time.sleep(0.5)
        r.expect(steps[-1:] == [1050] and "zz-new-run" in now["runs"],
                 f"s3://, listed run by run: a new segment (last step {steps[-1:]}) and a new run "
                 f"({sorted(now['runs'])}) seen")
        time.sleep(2.5)
    passes = [l for l in open(log).read().splitlines() if "loaded" in l]
    by_run = [l for l in passes if "listed run by run" in l]
    idle = [l for l in by_run if " 0 new records" in l and "(requests: 1 LIST, 0 GET, 0 HEAD" in l]
    r.expect(len(idle) >= 2 and "listed whole" in passes[0],
             f"s3://, a run of 1,050 objects: idle reloads cost one LIST, no GET "
             f"({len(idle)} of {len(passes)} passes: {(idle or passes or ['none'])[-1].split(': ', 1)[-1]})")


def canonical(answer):
    """An HTTP answer with the order the Rust server leaves to chance taken out: JSON objects
    compare as dicts, and lists (of tags, of mesh parts) as sorted; bytes as they are. The order
    of points is compared exactly over gRPC (compare_grpc)."""
    if answer is None or answer[:1] not in (b"{", b"["):
        return answer

    def sort(x):
        if isinstance(x, dict):
            return {k: sort(v) for k, v in x.items()}
        if isinstance(x, list):
            return sorted((sort(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return x
    return sort(json.loads(answer))


def compare_http(r, logdir, what):
    results = {}
    for loader in ("true", "tblog"):
        with TensorBoardServer(logdir, loader) as tb:
            tb.wait_for(lambda: len(tb.get("/data/runs")) >= 1, "runs")
            time.sleep(2)  # both servers load in the background: let them finish
            results[loader] = http_answers(tb)
    (theirs, plugins), (ours, our_plugins) = results["true"], results["tblog"]
    differ = [k for k in sorted(set(theirs) | set(ours))
              if canonical(theirs.get(k)) != canonical(ours.get(k))]
    r.expect(not differ and plugins == our_plugins and len(ours) > 20,
             f"{what}: TensorBoard's {len(ours)} HTTP answers (dashboards {', '.join(plugins)}) "
             f"equal with either server" + "".join(f"\n      differs: {k}" for k in differ[:10]))


def check_sampling(r, scratch):
    logdir = os.path.join(scratch, "sampling")
    w = EventFileWriter(os.path.join(logdir, "long"))
    for step in range(1500):
        w.add_event(event(step, summary_pb2.Summary.Value(tag="loss", simple_value=float(step))))
    for step in range(15):
        w.add_event(event(step, summary_pb2.Summary.Value(
            tag="img", image=summary_pb2.Summary.Image(height=1, width=1, encoded_image_string=b"p%d" % step))))
    w.close()
    w = EventFileWriter(os.path.join(logdir, "purged"))
    # A session's first START, as TF1's supervisor writes it (TensorBoard's Python loader purges
    # only at a later one; tblog-data-server at every one, docs/serve.md says why).
    w.add_event(event_pb2.Event(wall_time=WALL, step=0,
                                session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)))
    for step in range(10):
        w.add_event(event(step, summary_pb2.Summary.Value(tag="a", simple_value=step)))
        w.add_event(event(step, summary_pb2.Summary.Value(tag="b", simple_value=step)))
    w.add_event(event_pb2.Event(wall_time=WALL + 20, step=5,
                                session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)))
    for step in range(5, 8):  # only "a" is written again after the restart
        w.add_event(event(step, summary_pb2.Summary.Value(tag="a", simple_value=step + 100)))
    w.close()
    flt = pb.PluginFilter(plugin_name="scalars")
    with DataServer(OURS, logdir) as ours:
        ours.wait_until_stable()
        read = lambda run: {t.tag_name: list(zip(t.data.step, t.data.value)) for rr in ours.stub.ReadScalars(
            pb.ReadScalarsRequest(plugin_filter=flt, downsample=pb.Downsample(num_points=5000),
                                  run_tag_filter=pb.RunTagFilter(runs=pb.RunFilter(names=[run])))).runs
                            for t in rr.tags}
        points = read("long")["loss"]
        r.expect(len(points) == 1000 and points[-1] == (1499, 1499.0) and
                 all(s == v for s, v in points) and points == sorted(points),
                 f"1,500 scalars: 1,000 kept, in order, the newest (step 1499) among them")
        images = ours.stub.ReadBlobSequences(pb.ReadBlobSequencesRequest(
            plugin_filter=pb.PluginFilter(plugin_name="images"), downsample=pb.Downsample(num_points=100)))
        steps = list(images.runs[0].tags[0].data.step)
        r.expect(len(steps) == 10 and steps[-1] == 14, f"15 images: 10 kept, the newest among them ({steps})")
        few = ours.stub.ReadScalars(pb.ReadScalarsRequest(plugin_filter=flt, downsample=pb.Downsample(num_points=7),
                                                          run_tag_filter=pb.RunTagFilter(tags=pb.TagFilter(names=["loss"]))))
        few_steps = list(few.runs[0].tags[0].data.step)
        r.expect(len(few_steps) == 7 and few_steps[-1] == 1499 and few_steps == sorted(few_steps),
                 f"num_points 7: 7 points in order, the newest last ({few_steps})")
        purged = read("purged")
        r.expect([s for s, _ in purged["a"]] == list(range(8)) and purged["a"][5][1] == 105 and
                 [s for s, _ in purged["b"]] == list(range(5)),
                 "SessionLog START at step 5: a's steps 5.. replaced, b's stale 5..9 purged")
    # TensorBoard's Python loader purges the same way: compare with its HTTP answer.
    with TensorBoardServer(logdir, "false") as tb:
        python_b = [p[1] for p in tb.get("/data/plugin/scalars/scalars", run="purged", tag="b")]
    r.expect(python_b == [s for s, _ in purged["b"]],
             f"  ... as TensorBoard's Python loader shows b (steps {python_b})")


def check_tblog_serve(r, logdir):
    """`tblog serve` as a person runs it: the line it prints opens the logdir in TensorBoard."""
    proc = subprocess.Popen([TBLOG, "serve", logdir, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        lines, address = [], None
        deadline = time.time() + 20
        while time.time() < deadline and address is None:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if "--grpc_data_provider" in line:
                address = line.split("--grpc_data_provider", 1)[1].strip()
        r.expect(address is not None and address.startswith("localhost:"),
                 f"tblog serve prints the TensorBoard line ({lines})")
        if address:
            with TensorBoardServer(logdir, "grpc", grpc_data_provider=address) as tb:
                runs = tb.wait_for(lambda: len(tb.get("/data/runs")) == 4 and tb.get("/data/runs"),
                                   "4 runs")
                points = tb.get("/data/plugin/scalars/scalars", run="lstm", tag="train/loss")
            r.expect(sorted(runs) == [".", "demo", "gru", "lstm"] and len(points) == 5,
                     f"  ... and TensorBoard opens it with that line: runs {sorted(runs)}, "
                     f"{len(points)} points of lstm's train/loss")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # Usage errors of the CLI exit 2 (a gs:// logdir is one, refused before the server starts);
    # the server itself, as TensorBoard starts it, fails its startup with 8.
    for command, status, words in (([TBLOG, "serve"], 2, "LOGDIR"),
                                   ([TBLOG, "serve", "gs://bucket/logs", "--port", "0"], 2,
                                    "unsupported scheme gs://"),
                                   ([OURS, "--logdir", "gs://bucket/logs", "--port", "0"], 8,
                                    "unsupported scheme")):
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
        err = done.stderr.strip().splitlines()
        r.expect(done.returncode == status and len(err) == 1 and words in err[0],
                 f"{' '.join(command)}: exit {done.returncode}, {err}")


def check_hostile_corpus(r, scratch):
    """The reader's hostile corpus (tests/hostile) as one logdir, under hard limits: served,
    every problem one line, no crash, no hang, memory bounded by the bytes present."""
    from toolkit.limits import limits
    corpus = os.path.join(scratch, "hostile")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                 "hostile", "make_hostile_corpus.py"), corpus],
                   check=True, stdout=subprocess.DEVNULL)
    files = sum(len(fs) for _, _, fs in os.walk(corpus))
    log = os.path.join(scratch, "hostile.log")
    memory = os.environ.get("TBLOG_SANITIZED") is None
    with DataServer(OURS, corpus, reload="1", log_path=log,
                    preexec_fn=limits(memory, memory_limit=1 << 30, cpu_seconds=60)) as server:
        loaded = server.wait_until_stable(timeout=60)
        time.sleep(2.5)  # more passes over the same damage: said once
        alive = server.proc.poll() is None
    lines = open(log).read().splitlines()
    r.expect(alive and len(loaded["runs"]) > 0,
             f"hostile corpus ({files} files): served {len(loaded['runs'])} runs and "
             f"{len(loaded['series'])} series under 1 GiB and 60 s of CPU, still running")
    r.expect(len(lines) == len(set(lines)) and all(len(l) < 2100 for l in lines),
             f"hostile corpus: {len(lines)} log lines, each problem once, each one bounded line")


def write_record(f, payload):
    from tensorboard.summary.writer.record_writer import RecordWriter
    RecordWriter(f).write(payload)


def scalar_record(step, tag="live", value=None):
    return event(step, summary_pb2.Summary.Value(
        tag=tag, simple_value=float(step if value is None else value))).SerializeToString()


def check_live(r, scratch):
    logdir = os.path.join(scratch, "live")
    os.makedirs(os.path.join(logdir, "run1"))
    path = os.path.join(logdir, "run1", "events.out.tfevents.1.live")
    log = os.path.join(scratch, "live.log")
    with open(path, "wb") as f, DataServer(OURS, logdir, reload="1", samples="scalars=all",
                                                  log_path=log) as server:
        flt = pb.PluginFilter(plugin_name="scalars")

        def steps(run="run1"):
            res = server.stub.ReadScalars(pb.ReadScalarsRequest(
                plugin_filter=flt, downsample=pb.Downsample(num_points=100000),
                run_tag_filter=pb.RunTagFilter(runs=pb.RunFilter(names=[run]))))
            return [list(t.data.step) for rr in res.runs for t in rr.tags]

        def wait(predicate, what, timeout=15):
            deadline = time.time() + timeout
            while time.time() < deadline:
                if predicate():
                    return True
                time.sleep(0.2)
            return False

        for step in range(10):
            write_record(f, scalar_record(step))
        f.flush()
        r.expect(wait(lambda: steps() == [list(range(10))], "10"), "live: 10 records served")
        record = bytearray()
        from tensorboard.summary.writer.record_writer import RecordWriter
        import io
        buf = io.BytesIO()
        RecordWriter(buf).write(scalar_record(10))
        whole = buf.getvalue()
        f.write(whole[:7])  # a torn tail: the writer is mid-record
        f.flush()
        time.sleep(2.5)
        r.expect(steps() == [list(range(10))], "live: a torn tail waits (still 10 points after 2 reloads)")
        f.write(whole[7:])
        f.flush()
        r.expect(wait(lambda: steps() == [list(range(11))], "11"),
                 "live: the record completed is read from where the last pass stopped (11 points)")
        os.makedirs(os.path.join(logdir, "run2"))
        with open(os.path.join(logdir, "run2", "events.out.tfevents.2.live"), "wb") as g:
            write_record(g, scalar_record(0))
        r.expect(wait(lambda: steps("run2") == [[0]], "run2"), "live: a new run appears")

        # 20 readers during reloads while the writer appends: no error, every answer consistent.
        errors, answers = [], [0]
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                try:
                    for series in steps():
                        if series != list(range(len(series))):
                            errors.append(f"inconsistent: {series[:5]}...")
                    answers[0] += 1
                except grpc.RpcError as e:
                    errors.append(str(e.code()))
        threads = [threading.Thread(target=reader) for _ in range(20)]
        for t in threads:
            t.start()
        for step in range(11, 3000):
            write_record(f, scalar_record(step))
            if step % 100 == 0:
                f.flush()
                time.sleep(0.05)
        f.flush()
        got_all = wait(lambda: steps() == [list(range(3000))], "3000")
        stop.set()
        for t in threads:
            t.join()
        r.expect(not errors and answers[0] > 20 and got_all,
                 f"live: 20 concurrent readers during reloads, {answers[0]} answers, no error, all "
                 f"consistent; 3,000 points in the end{': ' + errors[0] if errors else ''}")
        import shutil
        shutil.rmtree(os.path.join(logdir, "run2"))
        r.expect(wait(lambda: "run2" not in [x.name for x in server.stub.ListRuns(pb.ListRunsRequest()).runs],
                      "run2 gone"),
                 "live: a removed run goes")


def check_requests(r, logdir):
    with DataServer(OURS, logdir) as server:
        server.wait_until_stable()
        s = server.stub

        def code(call, request):
            try:
                call(request)
                return "OK"
            except grpc.RpcError as e:
                return e.code().name
        r.expect(code(s.ListScalars, pb.ListScalarsRequest()) == "INVALID_ARGUMENT",
                 "no plugin name: INVALID_ARGUMENT")
        r.expect(code(s.ReadScalars, pb.ReadScalarsRequest(plugin_filter=pb.PluginFilter(plugin_name="scalars"))) ==
                 "INVALID_ARGUMENT", "no downsample: INVALID_ARGUMENT")
        r.expect(code(s.ReadTensors, pb.ReadTensorsRequest(plugin_filter=pb.PluginFilter(plugin_name="text"),
                                                           downsample=pb.Downsample(num_points=-1))) ==
                 "INVALID_ARGUMENT", "negative num_points: INVALID_ARGUMENT")
        bad = [code(lambda q: list(s.ReadBlob(q)), pb.ReadBlobRequest(blob_key=k))
               for k in ["", "!!!", "AAAA", "W10"]]
        r.expect(bad == ["INVALID_ARGUMENT"] * 4, f"malformed blob keys: INVALID_ARGUMENT ({bad})")
        import base64
        unknown = base64.urlsafe_b64encode(b'["","nope","nope",0,0]').rstrip(b"=").decode()
        r.expect(code(lambda q: list(s.ReadBlob(q)), pb.ReadBlobRequest(blob_key=unknown)) == "NOT_FOUND",
                 "a blob key of no blob: NOT_FOUND")
        flt = pb.PluginFilter(plugin_name="scalars")
        none = s.ReadScalars(pb.ReadScalarsRequest(
            plugin_filter=flt, downsample=pb.Downsample(num_points=10),
            run_tag_filter=pb.RunTagFilter(runs=pb.RunFilter(names=["nope"]))))
        empty_tags = s.ListScalars(pb.ListScalarsRequest(
            plugin_filter=flt, run_tag_filter=pb.RunTagFilter(tags=pb.TagFilter())))
        r.expect(len(none.runs) == 0 and len(empty_tags.runs) == 0,
                 "unknown run: empty; an empty tag filter: nothing")


def check_bad_files(r, scratch):
    logdir = os.path.join(scratch, "bad")
    os.makedirs(os.path.join(logdir, "damaged"))
    good = lambda step: scalar_record(step, tag="ok")
    import io
    from tensorboard.summary.writer.record_writer import RecordWriter
    buf = io.BytesIO()
    for step in range(5):
        RecordWriter(buf).write(good(step))
    RecordWriter(buf).write(b"\xff\xfe not an event")
    data = bytearray(buf.getvalue())
    damaged = bytearray()
    damaged += data
    damaged += b"\x00garbage bytes in the middle\x00" * 3
    buf2 = io.BytesIO()
    for step in range(5, 10):
        RecordWriter(buf2).write(good(step))
    RecordWriter(buf2).write(good(10))
    damaged += buf2.getvalue()
    damaged += buf2.getvalue()[:9]  # a torn tail
    with open(os.path.join(logdir, "damaged", "events.out.tfevents.1.bad"), "wb") as f:
        f.write(damaged)
    # A tag that is not UTF-8 (a raw protobuf string field): served with U+FFFD in its place.
    raw_value = b"\x0a\x05bad\xff!" + b"\x15" + struct.pack("<f", 2.0)
    payload = b"\x09" + struct.pack("<d", WALL) + b"\x10\x01" + b"\x2a" + bytes([len(raw_value) + 2]) + \
        b"\x0a" + bytes([len(raw_value)]) + raw_value
    os.makedirs(os.path.join(logdir, "utf8"))
    with open(os.path.join(logdir, "utf8", "events.out.tfevents.1.bad"), "wb") as f:
        RecordWriter(f).write(payload)
    locked = os.path.join(logdir, "locked")
    os.makedirs(locked)
    with open(os.path.join(locked, "events.out.tfevents.1.x"), "wb") as f:
        RecordWriter(f).write(good(0))
    os.chmod(locked, 0)
    log = os.path.join(scratch, "bad.log")
    try:
        with DataServer(OURS, logdir, log_path=log) as server:
            server.wait_until_stable()
            res = server.stub.ReadScalars(pb.ReadScalarsRequest(
                plugin_filter=pb.PluginFilter(plugin_name="scalars"), downsample=pb.Downsample(num_points=100)))
            served = {(rr.run_name, t.tag_name): list(t.data.step) for rr in res.runs for t in rr.tags}
            alive = server.proc.poll() is None
    finally:
        os.chmod(locked, 0o755)
    lines = open(log).read().splitlines()
    r.expect(served.get(("damaged", "ok")) == list(range(11)) and alive,
             f"damage mid-file: the 11 good records on both sides of it served ({served.get(('damaged', 'ok'))})")
    r.expect(served.get(("utf8", "bad\ufffd!")) == [1], "a tag that is not UTF-8: served with U+FFFD")
    r.expect(any("CRC" in l or "corrupt" in l.lower() or "length" in l for l in lines) and
             any("not Events" in l for l in lines) and (os.geteuid() == 0 or any("locked" in l for l in lines)),
             f"one log line per problem ({len(lines)} lines): " + " | ".join(l[:100] for l in lines[:4]))


class Report(Checks):
    def expect(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        super().expect(ok, what)


def main():
    checks = Report()

    def body(scratch):
        all_kinds = os.path.join(scratch, "all_kinds")
        subprocess.run([ALL_KINDS, all_kinds], check=True, stdout=subprocess.DEVNULL)
        tb_logdir = os.path.join(scratch, "tensorboard_written")
        write_tensorboard_logdir(tb_logdir)
        compare_grpc(checks, all_kinds, "examples/all_kinds")
        compare_grpc(checks, tb_logdir, "TensorBoard's writer (legacy values, graph, restart)")
        compare_http(checks, all_kinds, "examples/all_kinds")
        compare_http(checks, tb_logdir, "TensorBoard's writer")
        check_tblog_serve(checks, all_kinds)
        check_sampling(checks, scratch)
        check_requests(checks, all_kinds)
        check_bad_files(checks, scratch)
        check_hostile_corpus(checks, scratch)
        check_live(checks, scratch)
        compare_s3(checks, scratch, all_kinds)
    sys.exit(run_checks(checks, "data_server", body))


if __name__ == "__main__":
    main()
