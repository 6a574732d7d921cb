#!/usr/bin/env python3
"""Hostile answers from an "S3 server": a fake one on loopback (stdlib only) whose every bucket
misbehaves in its own way, read through `tblog ls | verify | cat` under hard resource limits.
Each must end by itself with one clear line (or a clean result), no signal, no crash, no hang,
never holding more memory than the bytes that really arrived justify.

Usage: check_hostile_s3_answers.py TBLOG_CLI [--no-memory-limit]
"""
import http.server
import os
import struct
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from toolkit.limits import limits  # noqa: E402
from toolkit.ports import free_port  # noqa: E402
from toolkit.report import Checks  # noqa: E402

KEY = "run/events.out.tfevents.1.host.1.00000000"


def masked_crc(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record_header(length):
    head = struct.pack("<Q", length)
    return head + struct.pack("<I", masked_crc(head))


def listing(keys, truncated=False, token=""):
    contents = "".join(f"<Contents><Key>{k}</Key><Size>10</Size></Contents>" for k in keys)
    more = f"<NextContinuationToken>{token}</NextContinuationToken>" if token else ""
    return (f"<?xml version=\"1.0\"?><ListBucketResult><IsTruncated>{str(truncated).lower()}"
            f"</IsTruncated>{contents}{more}</ListBucketResult>").encode()


class Behaviour:
    """What each bucket answers: (status, headers, body) for a listing, a HEAD, a GET."""
    pages = {}

    @staticmethod
    def answer(bucket, method, query, headers):
        if bucket == "huge-listing" and "list-type" in query:
            return 200, {}, b"<ListBucketResult>" + b"x" * (17 << 20)
        if bucket == "same-token" and "list-type" in query:
            return 200, {}, listing([KEY], True, "again")
        if bucket == "fresh-tokens" and "list-type" in query:
            n = Behaviour.pages[bucket] = Behaviour.pages.get(bucket, 0) + 1
            return 200, {}, listing([], True, f"t{n}")
        if bucket == "backwards" and "list-type" in query:
            token = query.get("continuation-token", [""])[0]
            return 200, {}, listing(["run/b", "run/a"] if not token else ["run/a"], not token, "t")
        if bucket == "garbage" and "list-type" in query:
            return 200, {}, bytes(range(256)) * 64
        if bucket == "server-error":
            return 500, {}, b"<html><body>Internal trouble</body></html>"
        if bucket == "liar":  # lists a 10-byte object, then claims a terabyte in a record of 512 GiB
            if "list-type" in query:
                return 200, {}, listing([KEY])
            if method == "HEAD":
                return 200, {"Content-Length": str(1 << 40)}, b""
            start = int(headers.get("Range", "bytes=0-").split("=")[1].split("-")[0])
            body = record_header(1 << 39)[start:]
            if not body:
                return 416, {}, b""
            return 206, {"Content-Range": f"bytes {start}-{start + len(body) - 1}/{1 << 40}"}, body
        if bucket == "long-range" and "list-type" in query:
            return 200, {}, listing([KEY])
        if bucket == "long-range":  # ignores the Range header and sends 20 MiB
            if method == "HEAD":
                return 200, {"Content-Length": "100"}, b""
            return 206, {}, b"\0" * (20 << 20)
        return 404, {}, b"<Error><Code>NoSuchBucket</Code><Message>no</Message></Error>"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _serve(self):
        url = urllib.parse.urlsplit(self.path)
        bucket = url.path.strip("/").split("/")[0]
        status, headers, body = Behaviour.answer(bucket, self.command,
                                                 urllib.parse.parse_qs(url.query), self.headers)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client refused the rest
                pass

    do_GET = do_HEAD = _serve


def main():
    cli = sys.argv[1]
    memory = "--no-memory-limit" not in sys.argv
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, S3_ENDPOINT=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="k",
               AWS_SECRET_ACCESS_KEY="s", AWS_REGION="us-east-1",
               TBLOG_SPOOL_DIR="/nonexistent-spool")
    # (what, argv, exit codes accepted, words the output must hold)
    cases = [
        ("a 17 MiB listing", ["ls", "s3://huge-listing/"], {1}, "longer than asked for"),
        ("the same token for ever", ["ls", "s3://same-token/"], {1}, "out of order or twice"),
        ("fresh tokens, nothing listed", ["ls", "s3://fresh-tokens/"], {1}, "lists nothing"),
        ("a listing going backwards", ["ls", "s3://backwards/"], {1}, "out of order"),
        ("binary garbage for a listing", ["ls", "s3://garbage/"], {0}, ""),
        ("HTTP 500 with HTML", ["ls", "s3://server-error/"], {1}, "HTTP 500"),
        ("a terabyte claimed, 12 bytes sent", ["verify", f"s3://liar/{KEY}"], {0}, "torn tail"),
        ("the same, through cat", ["cat", f"s3://liar/{KEY}"], {0}, "torn tail"),
        ("20 MiB for a 100-byte range", ["verify", f"s3://long-range/{KEY}"], {0, 1},
         "longer than"),
    ]
    checks = Checks()
    for what, args, accepted, words in cases:
        try:
            p = subprocess.run([cli, *args], env=env, capture_output=True, text=True,
                               errors="replace", preexec_fn=limits(memory), timeout=60)
        except subprocess.TimeoutExpired:
            checks.expect(False, f"{what}: `tblog {' '.join(args)}` did not end within 60 s")
            continue
        out = p.stdout + p.stderr
        checks.expect(p.returncode in accepted,
                      f"{what}: exit {p.returncode} (want {sorted(accepted)}): {out[-300:]}")
        checks.expect(not words or words in out,
                      f"{what}: the output does not say '{words}': {out[-300:]}")
        checks.expect("terminate called" not in out and len(p.stderr.strip().splitlines()) <= 2,
                      f"{what}: not one clear line: {p.stderr[-300:]}")
    server.shutdown()
    for f in checks.failures:
        print("FAIL", f)
    print(f"{checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
