"""A TensorBoard data server (tblog-data-server, or TensorBoard's own from PyPI) run as TensorBoard
runs it (port file, --die-after-stdin), and everything it serves read back through gRPC."""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import time

import grpc
from tensorboard.data.proto import data_provider_pb2 as pb
from tensorboard.data.proto import data_provider_pb2_grpc as pb_grpc


def rust_server_binary():
    """TensorBoard's own data server (PyPI tensorboard-data-server, beside TensorBoard)."""
    import tensorboard_data_server
    return tensorboard_data_server.server_binary()


class DataServer:
    """`with DataServer(binary, logdir) as server:` server.stub is a TensorBoardDataProvider stub."""

    def __init__(self, binary, logdir, reload="once", samples="", extra=(), log_path=None,
                 env=None, preexec_fn=None):
        self.preexec_fn = preexec_fn  # e.g. toolkit.limits
        self.binary, self.logdir, self.reload, self.extra = binary, logdir, reload, list(extra)
        self.samples = samples
        self.log_path = log_path or os.devnull
        self.env = env

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="data-server-")
        port_file = os.path.join(self.tmp.name, "port")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [self.binary, f"--logdir={self.logdir}", f"--reload={self.reload}",
             f"--samples-per-plugin={self.samples}", "--port=0", f"--port-file={port_file}",
             "--die-after-stdin", f"--error-file={os.path.join(self.tmp.name, 'error')}",
             *self.extra],
            stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT, env=self.env,
            preexec_fn=self.preexec_fn)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.binary} exited with {self.proc.returncode}")
            if os.path.exists(port_file) and open(port_file).read().endswith("\n"):
                self.port = int(open(port_file).read())
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"{self.binary} wrote no port file within 30 s")
        self.channel = grpc.insecure_channel(
            f"localhost:{self.port}", options=[("grpc.max_receive_message_length", 256 << 20)])
        self.stub = pb_grpc.TensorBoardDataProviderStub(self.channel)
        return self

    def __exit__(self, *exc):
        self.channel.close()
        self.proc.stdin.close()  # --die-after-stdin: it goes on its own
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        self.tmp.cleanup()

    def dump(self):
        return dump(self.stub)

    def wait_until_stable(self, timeout=120, quiet=1.0):
        """Polls until two dumps `quiet` seconds apart are equal and not empty: loaded."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            now = self.dump()
            if now == last and now["runs"]:
                return now
            last = now
            time.sleep(quiet)
        raise AssertionError(f"{self.binary}: still changing after {timeout} s")


def dump(stub, num_points=1 << 30):
    """Everything a data server serves, in a form two servers' answers compare in: runs, plugins,
    every series' metadata and points, and each blob's bytes (as SHA-256) in place of its key."""
    out = {"runs": {r.name: r.start_time for r in stub.ListRuns(pb.ListRunsRequest()).runs},
           "plugins": sorted(p.name for p in stub.ListPlugins(pb.ListPluginsRequest()).plugins)}
    series = {}
    for plugin in out["plugins"]:
        flt = pb.PluginFilter(plugin_name=plugin)
        ds = pb.Downsample(num_points=num_points)
        for run in stub.ListScalars(pb.ListScalarsRequest(plugin_filter=flt)).runs:
            for tag in run.tags:
                series[("scalar", run.run_name, tag.tag_name)] = {
                    "metadata": tag.metadata.SerializeToString(deterministic=True)}
        for run in stub.ReadScalars(pb.ReadScalarsRequest(plugin_filter=flt, downsample=ds)).runs:
            for tag in run.tags:
                d = tag.data
                series[("scalar", run.run_name, tag.tag_name)]["points"] = list(
                    zip(d.step, d.wall_time, d.value))
        for run in stub.ListTensors(pb.ListTensorsRequest(plugin_filter=flt)).runs:
            for tag in run.tags:
                series[("tensor", run.run_name, tag.tag_name)] = {
                    "metadata": tag.metadata.SerializeToString(deterministic=True)}
        for run in stub.ReadTensors(pb.ReadTensorsRequest(plugin_filter=flt, downsample=ds)).runs:
            for tag in run.tags:
                d = tag.data
                series[("tensor", run.run_name, tag.tag_name)]["points"] = [
                    (s, w, v.SerializeToString(deterministic=True))
                    for s, w, v in zip(d.step, d.wall_time, d.value)]
        for run in stub.ListBlobSequences(pb.ListBlobSequencesRequest(plugin_filter=flt)).runs:
            for tag in run.tags:
                series[("blobs", run.run_name, tag.tag_name)] = {
                    "metadata": tag.metadata.SerializeToString(deterministic=True)}
        for run in stub.ReadBlobSequences(
                pb.ReadBlobSequencesRequest(plugin_filter=flt, downsample=ds)).runs:
            for tag in run.tags:
                d = tag.data
                series[("blobs", run.run_name, tag.tag_name)]["points"] = [
                    (s, w, [blob_digest(stub, ref.blob_key) for ref in v.blob_refs])
                    for s, w, v in zip(d.step, d.wall_time, d.values)]
    out["series"] = series
    return out


def blob_digest(stub, key):
    data = b"".join(chunk.data for chunk in stub.ReadBlob(pb.ReadBlobRequest(blob_key=key)))
    return hashlib.sha256(data).hexdigest()[:16]


def describe_differences(ours, theirs, limit=20):
    """Lines naming where two dumps differ (empty when equal)."""
    lines = []
    for field in ("runs", "plugins"):
        if ours[field] != theirs[field]:
            lines.append(f"{field}: ours {ours[field]!r} vs theirs {theirs[field]!r}")
    a, b = ours["series"], theirs["series"]
    for key in sorted(set(a) | set(b)):
        if key not in a:
            lines.append(f"{key}: only theirs")
        elif key not in b:
            lines.append(f"{key}: only ours")
        elif a[key] != b[key]:
            what = [f for f in ("metadata", "points") if a[key].get(f) != b[key].get(f)]
            lines.append(f"{key}: {', '.join(what)} differ")
            if "metadata" in what:
                lines.append(f"   ours   {a[key]['metadata']!r}\n   theirs {b[key]['metadata']!r}")
            if "points" in what:
                pa, pb_ = a[key].get("points", []), b[key].get("points", [])
                lines.append(f"   ours {len(pa)} points, theirs {len(pb_)}; first differing: " +
                             next((f"{x!r:.200} vs {y!r:.200}" for x, y in zip(pa, pb_) if x != y),
                                  "(lengths)"))
    return lines[:limit]
