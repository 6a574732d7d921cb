"""Runs a stock `tensorboard` server on a free loopback port for the duration of a test."""
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from toolkit.ports import free_port


class TensorBoardServer:
    """`with TensorBoardServer(logdir, load_fast) as tb:` ... always stopped on exit."""

    def __init__(self, logdir, load_fast, env=None, log_path=None, default_reload=False):
        self.logdir, self.load_fast = logdir, load_fast
        self.default_reload = default_reload  # True: reload as a user's server does (every 5 s)
        self.env = env  # None: this process's environment
        # Beside the logdir, not in it: the server must see only what the test wrote.
        self.log_path = log_path or f"{logdir.rstrip('/')}.tensorboard-{load_fast}.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
        args = [tensorboard, "--logdir", self.logdir, "--host", "127.0.0.1",
                "--port", str(self.port), f"--load_fast={self.load_fast}"]
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
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("tensorboard did not start within 90 s")

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
