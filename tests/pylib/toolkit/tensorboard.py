"""Runs a stock `tensorboard` server on a free loopback port for the duration of a test."""
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from toolkit.ports import free_port


def loaders(default=("false", "true")):
    """The loaders a check runs TensorBoard with: TBLOG_TEST_LOADERS (comma-separated) or
    `default`. "false" is TensorBoard's Python loader, "true" its own data server (Rust), "tblog"
    tblog-data-server (TBLOG_DATA_SERVER names it) started by TensorBoard in place of its own."""
    given = os.environ.get("TBLOG_TEST_LOADERS")
    return tuple(given.split(",")) if given else default


class TensorBoardServer:
    """`with TensorBoardServer(logdir, load_fast) as tb:` ... always stopped on exit.
    load_fast: "false", "true", or "tblog" (see loaders())."""

    def __init__(self, logdir, load_fast, env=None, log_path=None, default_reload=False,
                 grpc_data_provider=None):
        if load_fast == "tblog":
            # TensorBoard starts the program TENSORBOARD_DATA_SERVER_BINARY names, with the flags
            # it gives its own data server, and reads everything through it.
            env = dict(env if env is not None else os.environ)
            env["TENSORBOARD_DATA_SERVER_BINARY"] = os.environ["TBLOG_DATA_SERVER"]
        self.logdir, self.load_fast = logdir, load_fast
        self.grpc_data_provider = grpc_data_provider  # "host:port": data from that server
        self.default_reload = default_reload  # True: reload as a user's server does (every 5 s)
        self.env = env  # None: this process's environment
        # Beside the logdir, not in it: the server must see only what the test wrote.
        self.log_path = log_path or (f"{logdir.rstrip('/')}.tensorboard-{load_fast}.log"
                                     if logdir and "://" not in logdir else os.devnull)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
        load_fast = "true" if self.load_fast == "tblog" else self.load_fast
        args = [tensorboard, "--logdir", self.logdir, "--host", "127.0.0.1",
                "--port", str(self.port), f"--load_fast={load_fast}"]
        if self.grpc_data_provider:
            # Data from that server; the logdir (if any) for the PROJECTOR alone, which reads it
            # directly (docs/serve.md).
            args = [tensorboard, "--grpc_data_provider", self.grpc_data_provider,
                    "--host", "127.0.0.1", "--port", str(self.port)]
            if self.logdir:
                args += ["--logdir", self.logdir]
        if self.default_reload:
            pass
        elif self.load_fast == "false":
            # Load everything before serving: data is complete once the server answers.
            args += ["--reload_interval", "0", "--reload_task", "blocking"]
        else:
            args += ["--reload_interval", "1"]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tensorboard exited with {self.proc.returncode}")
            try:
                self.get("/data/runs")
                if self.load_fast == "tblog":
                    self._expect_child(os.environ["TBLOG_DATA_SERVER"])
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("tensorboard did not start within 90 s")

    def _expect_child(self, program):
        """Fails unless TensorBoard really runs `program` (its data server is a child process)."""
        want = os.path.realpath(program)
        for _ in range(100):
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                children = f.read().split()
            for pid in children:
                try:
                    if os.path.realpath(f"/proc/{pid}/exe") == want:
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"TensorBoard did not start {program} (see {self.log_path})")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def get_raw(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read()

    def get(self, path, **params):
        return json.loads(self.get_raw(path, **params))

    def post_json(self, path, body):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def wait_for(self, predicate, what, timeout=60):
        """Polls until predicate() is truthy (the Rust loader loads in the background)."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except OSError as e:  # 404 while a run/tag is not loaded yet
                last = e
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}: {last!r}")
