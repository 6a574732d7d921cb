#!/usr/bin/env python3
"""Hostile answers from an "S3 server": a fake one on loopback (stdlib only) whose every bucket
misbehaves in its own way, read through `tblog ls | verify | cat` under hard resource limits.
Each must end by itself with one clear line (or a clean result), no signal, no crash, no hang,
never holding more memory than the bytes that really arrived justify, and within its documented
deadline (TBLOG_S3_TIMEOUT, docs/remote-storage.md "Deadlines"). With S3_TEST_WRITER, the writer
too: close() keeps close_upload_timeout while a PUT has no answer or trickles one,
upload_backlog() says that an upload is stuck while it is, and a server's words reach no
message raw.

With --data-server (run by a Python with TensorBoard and gRPC), tblog-data-server instead: it
keeps answering and stays up on every bucket, its log one bounded line per problem.
Usage: check_hostile_s3_answers.py TBLOG_CLI [S3_TEST_WRITER] [--no-memory-limit]
       check_hostile_s3_answers.py TBLOG_CLI --data-server TBLOG_DATA_SERVER [--no-memory-limit]
"""
import http.server
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from toolkit.limits import limits  # noqa: E402
from toolkit.ports import free_port  # noqa: E402
from toolkit.report import Checks  # noqa: E402

KEY = "run/events.out.tfevents.1.host.1.00000000"
RELEASE = threading.Event()  # set at the end: handlers holding a request let it go
# The deadline the reading cases run under (seconds): short, so that the suite stays fast.
TIMEOUT = 2
# A server's words no message may pass on raw: an escape sequence, a line break, 100 KB of text.
EVIL_CODE = "Evil&#27;[2J&#10;Code"
EVIL_MESSAGE = ("&#27;]0;pwned&#7;line one&#10;line two " + "x" * 100_000)


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


def record(payload):
    return record_header(len(payload)) + payload + struct.pack("<I", masked_crc(payload))


def event_file(tag, value):
    """A file_version event and one scalar event: what a writer's object holds at the least."""
    version = struct.pack("<Bd", 0x09, 1.0) + b"\x1a\x0dbrain.Event:2"
    tag_bytes = tag.encode()
    summary_value = b"\x0a" + bytes([len(tag_bytes)]) + tag_bytes + b"\x15" + struct.pack("<f", value)
    summary = b"\x0a" + bytes([len(summary_value)]) + summary_value
    scalar = struct.pack("<Bd", 0x09, 2.0) + b"\x10\x01" + b"\x2a" + bytes([len(summary)]) + summary
    return record(version) + record(scalar)


# The objects of the bucket listed folder by folder, as SeaweedFS does: "exp/" before "exp-2/",
# though '-' sorts before '/' byte by byte.
FOLDER_ORDER = {
    "logs/exp/events.out.tfevents.1.host.1.00000000": event_file("loss", 0.5),
    "logs/exp-2/events.out.tfevents.1.host.1.00000000": event_file("loss", 0.25),
}
# Listed whatever the prefix asked for: one run of logs/, and keys outside it (S3 never answers
# so; a hostile or broken server might).
STRAY_KEYS = ["a/events.out.tfevents.1.host.1.00000000", "logs/run/events.out.tfevents.1.host.1.00000000",
              "logs/run/deeper/events.out.tfevents.1.host.1.00000000", "other/events.out.tfevents.1.host.1.00000000",
              "x"]
STALLED_KEYS = [f"run/events.out.tfevents.1.host.1.{i:08d}" for i in range(30)]


def listing(keys, truncated=False, token=""):
    contents = "".join(f"<Contents><Key>{k}</Key><Size>10</Size></Contents>" for k in keys)
    more = f"<NextContinuationToken>{token}</NextContinuationToken>" if token else ""
    return (f"<?xml version=\"1.0\"?><ListBucketResult><IsTruncated>{str(truncated).lower()}"
            f"</IsTruncated>{contents}{more}</ListBucketResult>").encode()


class Behaviour:
    """What each bucket answers: (status, headers, body) for a listing, a HEAD, a GET."""
    pages = {}

    @staticmethod
    def answer(bucket, method, query, headers, path=""):
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
        if bucket == "folder-order":
            key = urllib.parse.unquote(path.split("/", 2)[2]) if path.count("/") >= 2 else ""
            if "list-type" in query:
                return 200, {}, listing(FOLDER_ORDER)
            body = FOLDER_ORDER.get(key)
            if body is None:
                return 404, {}, b"<Error><Code>NoSuchKey</Code></Error>"
            if method == "HEAD":
                return 200, {"Content-Length": str(len(body))}, b""
            start = int(headers.get("Range", "bytes=0-").split("=")[1].split("-")[0])
            part = body[start:]
            return 206, {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}, part
        if bucket == "stray-keys":  # answers every listing with keys it was not asked for
            key = urllib.parse.unquote(path.split("/", 2)[2]) if path.count("/") >= 2 else ""
            if "list-type" in query:
                return 200, {}, listing(STRAY_KEYS)
            if key not in STRAY_KEYS:
                return 404, {}, b"<Error><Code>NoSuchKey</Code></Error>"
            body = event_file("loss", 0.5)
            if method == "HEAD":
                return 200, {"Content-Length": str(len(body))}, b""
            start = int(headers.get("Range", "bytes=0-").split("=")[1].split("-")[0])
            return 206, {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}, body[start:]
        if bucket == "stalled-objects":  # lists 30 objects, then answers no HEAD or GET
            if "list-type" in query:
                return 200, {}, listing(STALLED_KEYS)
            return "hold", {}, b""
        if bucket == "drip":  # every answer a byte at a time, a few bytes a second
            return "drip", {}, listing([KEY]) * 100
        if bucket == "evil-words":
            return 403, {}, (f"<Error><Code>{EVIL_CODE}</Code><Message>{EVIL_MESSAGE}</Message>"
                             "</Error>").encode()
        if bucket in ("hold-puts", "drip-puts", "evil-puts"):
            if "list-type" in query:
                return 200, {}, listing([])
            if method == "PUT":
                return {"hold-puts": ("hold", {}, b""),
                        "drip-puts": ("drip", {}, b"<PutObjectResult/>" * 100),
                        "evil-puts": (403, {}, (f"<Error><Code>{EVIL_CODE}</Code><Message>"
                                                f"{EVIL_MESSAGE}</Message></Error>").encode()),
                        }[bucket]
        return 404, {}, b"<Error><Code>NoSuchBucket</Code><Message>no</Message></Error>"


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients cut off mid-answer are what the checks do on purpose


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _serve(self):
        url = urllib.parse.urlsplit(self.path)
        bucket = url.path.strip("/").split("/")[0]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, headers, body = Behaviour.answer(bucket, self.command,
                                                 urllib.parse.parse_qs(url.query), self.headers,
                                                 url.path)
        if status == "hold":  # no answer at all, the connection kept open
            RELEASE.wait(120)
            return
        try:
            if status == "drip":  # a valid answer, a byte every 0.2 s
                head = (f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n").encode()
                for i in range(len(head + body)):
                    if RELEASE.wait(0.2):
                        return
                    self.wfile.write((head + body)[i:i + 1])
                    self.wfile.flush()
                return
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client refused the rest
            pass

    do_GET = do_HEAD = do_PUT = _serve


def one_clear_line(text, lines=1):
    """A message fit for a console: one line (or `lines`: an error and the count of entries that
    could not be read), no escape sequence, each line bounded."""
    parts = text.strip().splitlines()
    return (len(parts) <= lines and "\x1b" not in text and "\x07" not in text and
            all(len(part) < 2200 for part in parts))


def check_reading(cli, env, memory, checks):
    # (what, argv, exit codes accepted, words the output must hold, seconds it may take)
    slow = 3 * TIMEOUT + 5  # one operation's deadline, and room for a loaded machine
    cases = [
        ("a 17 MiB listing", ["ls", "s3://huge-listing/"], {1}, "longer than asked for", 60),
        ("the same token for ever", ["ls", "s3://same-token/"], {1}, "twice", 60),
        ("fresh tokens, nothing listed", ["ls", "s3://fresh-tokens/"], {1}, "lists nothing", 60),
        ("a listing repeating a key", ["ls", "s3://backwards/"], {1}, "twice", 60),
        ("binary garbage for a listing", ["ls", "s3://garbage/"], {0}, "", 60),
        ("HTTP 500 with HTML", ["ls", "s3://server-error/"], {1}, "HTTP 500", 60),
        ("a terabyte claimed, 12 bytes sent", ["verify", f"s3://liar/{KEY}"], {0}, "torn tail", 60),
        ("the same, through cat", ["cat", f"s3://liar/{KEY}"], {0}, "torn tail", 60),
        ("20 MiB for a 100-byte range", ["verify", f"s3://long-range/{KEY}"], {0, 1},
         "longer than", 60),
        # Refused for what is wrong (a repeat), not for an order a real server uses.
        ("runs listed folder by folder", ["ls", "s3://folder-order/logs"], {0}, "run exp-2", 60),
        # Keys outside what was asked are not runs of it: logs/ holds run and run/deeper.
        ("keys outside the asked prefix", ["ls", "s3://stray-keys/logs"], {0},
         "run run/deeper", 60),
        ("the same, one run's files", ["ls", "s3://stray-keys/logs/run"], {0}, "run .", 60),
        ("a listing a few bytes a second", ["ls", "s3://drip/"], {1}, "TBLOG_S3_TIMEOUT", slow),
        ("30 objects that never answer", ["ls", "s3://stalled-objects/"], {1}, "no answer", slow),
        ("escape sequences and 100 KB in an error", ["ls", "s3://evil-words/"], {1}, "HTTP 403",
         60),
    ]
    for what, args, accepted, words, seconds in cases:
        start = time.monotonic()
        try:
            p = subprocess.run([cli, *args], env=env, capture_output=True, text=True,
                               errors="replace", preexec_fn=limits(memory), timeout=90)
        except subprocess.TimeoutExpired:
            checks.expect(False, f"{what}: `tblog {' '.join(args)}` did not end within 90 s")
            continue
        took = time.monotonic() - start
        out = p.stdout + p.stderr
        checks.expect(p.returncode in accepted,
                      f"{what}: exit {p.returncode} (want {sorted(accepted)}): {out[-300:]}")
        checks.expect(not words or words in out,
                      f"{what}: the output does not say '{words}': {out[-300:]}")
        checks.expect("terminate called" not in out and one_clear_line(p.stderr, lines=2),
                      f"{what}: stderr is not one clean, bounded line ({len(p.stderr)} "
                      f"characters): {p.stderr[:300]!r}")
        checks.expect(took <= seconds, f"{what}: took {took:.1f} s, more than {seconds} s")
        print(f"{what}: exit {p.returncode} in {took:.1f} s: {p.stderr.strip()[:160]}")
        if "stray-keys" in args[-1]:
            runs = sorted(line.split("  ")[0] for line in p.stdout.splitlines()
                          if line.startswith("run "))
            wanted = (["run run", "run run/deeper"] if args[-1].endswith("logs")
                      else ["run .", "run deeper"])
            checks.expect(runs == wanted, f"{what}: runs {runs}, not {wanted}")


def check_data_server(server_binary, env, memory, checks):
    """tblog-data-server on each hostile bucket: it answers requests while the bucket misbehaves,
    stays up, and logs each problem as one bounded, escaped line (and not once per pass)."""
    import grpc
    from tensorboard.data.proto import data_provider_pb2 as pb
    from toolkit.data_server import DataServer
    for bucket in ("huge-listing", "same-token", "garbage", "server-error", "liar", "long-range",
                   "drip", "stalled-objects", "evil-words"):
        log = os.path.join(tempfile.gettempdir(), f"tblog-data-server-{bucket}-{os.getpid()}.log")
        try:
            with DataServer(server_binary, f"s3://{bucket}/", reload="1", env=env, log_path=log,
                            preexec_fn=limits(memory, memory_limit=1 << 30, cpu_seconds=60)) as s:
                start = time.monotonic()
                answered = []
                for _ in range(3):  # while it loads, and over the next passes
                    try:
                        s.stub.ListRuns(pb.ListRunsRequest(), timeout=5)
                        s.stub.ListScalars(pb.ListScalarsRequest(
                            plugin_filter=pb.PluginFilter(plugin_name="scalars")), timeout=5)
                        answered.append(True)
                    except grpc.RpcError as e:
                        answered.append(e.code().name)
                    time.sleep(1.5)
                alive = s.proc.poll() is None
            text = open(log, errors="replace").read()
        finally:
            if os.path.exists(log):
                os.remove(log)
        lines = text.strip().splitlines()
        checks.expect(alive and answered == [True] * 3,
                      f"data server on {bucket}: answered {answered} in "
                      f"{time.monotonic() - start:.1f} s, still up: {alive}")
        checks.expect("\x1b" not in text and "\x07" not in text and
                      all(len(line) < 2200 for line in lines) and len(lines) <= 2 and
                      "terminate called" not in text,
                      f"data server on {bucket}: its log is {len(lines)} bounded, escaped lines: "
                      f"{[line[:120] for line in lines[:3]]}")
        print(f"data server on {bucket}: answered, {len(lines)} log line(s): "
              f"{lines[-1][:140] if lines else ''}")


def follow_writer(writer, url, env, spool, *args):
    """Runs the test writer; returns (exit code, stdout lines, stderr, seconds from 'closing' to
    its end). Killed after 120 s whatever it does; its stderr goes to a file, so that however
    much it writes there, reading its stdout cannot deadlock."""
    with tempfile.TemporaryFile(mode="w+", errors="replace") as err_file:
        proc = subprocess.Popen([writer, url, "--spool", spool, *map(str, args)], env=env,
                                stdout=subprocess.PIPE, stderr=err_file, text=True,
                                errors="replace")
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        lines, closing = [], None
        try:
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                if line.strip() == "closing":
                    closing = time.monotonic()
            proc.wait()
        finally:
            watchdog.cancel()
        err_file.seek(0)
        err = err_file.read()
    took = time.monotonic() - closing if closing else float("inf")
    return proc.returncode, lines, err, took


def check_writer(writer, env, checks, tmp):
    close_ms = 3000
    # The default operation deadline (60 s): what must cut the PUT is close()'s own deadline.
    env = {k: v for k, v in env.items() if k != "TBLOG_S3_TIMEOUT"}
    # A PUT with no answer: upload_backlog() says it is stuck while it is (after 10 s), and close()
    # returns within close_upload_timeout; what is left stays in the spool, said in one line.
    rc, lines, err, took = follow_writer(writer, "s3://hold-puts/run", env,
                                         os.path.join(tmp, "spool-hold"), "--steps", 36,
                                         "--flush-every", 6, "--sleep-ms", 500,
                                         "--close-timeout-ms", close_ms, "--report-backlog")
    stuck = [line for line in lines if line.startswith("backlog ") and "no answer yet" in line]
    checks.expect(stuck and int(stuck[-1].split(" ")[3]) >= 10000,
                  f"upload_backlog() did not say an upload with no answer is stuck: {lines[-6:]}")
    checks.expect(rc == 3 and "could not be uploaded within close_upload_timeout" in err and
                  one_clear_line(err), f"close() with a PUT held: rc {rc}: {err[-400:]!r}")
    checks.expect(took <= close_ms / 1000 + 2.5,
                  f"close() with a PUT held took {took:.1f} s (close_upload_timeout 3 s)")
    print(f"a PUT held: backlog said '{stuck[-1].split(' ', 4)[4][:100] if stuck else None}'; "
          f"close() returned in {took:.1f} s")

    # A PUT answered a byte at a time: the same deadline.
    rc, lines, err, took = follow_writer(writer, "s3://drip-puts/run", env,
                                         os.path.join(tmp, "spool-drip"), "--steps", 10,
                                         "--flush-every", 10, "--close-timeout-ms", close_ms)
    checks.expect(rc == 3 and one_clear_line(err), f"close() with a PUT dripping: rc {rc}: {err!r}")
    checks.expect(took <= close_ms / 1000 + 2.5,
                  f"close() with a PUT answered a byte at a time took {took:.1f} s")
    print(f"a PUT answered a byte every 0.2 s: close() returned in {took:.1f} s")

    # A refusal full of escape sequences and 100 KB of text: bounded and escaped everywhere.
    rc, lines, err, took = follow_writer(writer, "s3://evil-puts/run", env,
                                         os.path.join(tmp, "spool-evil"), "--steps", 20,
                                         "--flush-every", 5, "--sleep-ms", 300,
                                         "--close-timeout-ms", 1000, "--report-backlog")
    backlog = [line for line in lines if line.startswith("backlog ")]
    failing = [line for line in backlog if "HTTP 403" in line]
    checks.expect(failing and all(one_clear_line(line) for line in backlog) and
                  len(backlog) == 4 and "\\x1b" in failing[-1],
                  f"upload_backlog().last_error passes a server's words on raw: {backlog!r:.600}")
    checks.expect(rc == 3 and one_clear_line(err) and "\\x1b" in err,
                  f"close()'s error passes a server's words on raw: {err[:600]!r}")
    print(f"a refusal with escape sequences: close() said {err.strip()[:200]!r}")


def main():
    cli = sys.argv[1]
    writer = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else None
    memory = "--no-memory-limit" not in sys.argv
    port = free_port()
    server = Server(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="tblog-hostile-s3-")
    env = dict(os.environ, S3_ENDPOINT=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="k",
               AWS_SECRET_ACCESS_KEY="s", AWS_REGION="us-east-1",
               TBLOG_SPOOL_DIR="/nonexistent-spool", TBLOG_S3_TIMEOUT=str(TIMEOUT))
    checks = Checks()
    try:
        if "--data-server" in sys.argv:  # run by TensorBoard's venv's Python: it has gRPC
            check_data_server(sys.argv[sys.argv.index("--data-server") + 1], env, memory, checks)
        else:
            check_reading(cli, env, memory, checks)
        if writer:
            check_writer(writer, env, checks, tmp)
    finally:
        RELEASE.set()
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    for f in checks.failures:
        print("FAIL", f)
    print(f"{checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
