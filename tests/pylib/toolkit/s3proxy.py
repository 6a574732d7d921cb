"""A small HTTP proxy in front of an S3 server, for faults and counts: it forwards each request
as it came (the Host header too, so SigV4 signatures still hold), counts PUTs per key and the
bytes they carry, and answers chosen requests itself with S3's throttling or server errors.

    with S3Proxy(upstream_port) as proxy:
        env = s3.client_env(endpoint=proxy.endpoint)
        proxy.fail_puts(every=3, status=503, code="SlowDown")
"""
import collections
import http.client
import http.server
import threading
import urllib.parse

from toolkit.ports import free_port

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection", "te",
              "upgrade"}


class S3Proxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.puts = collections.Counter()  # key -> PUTs forwarded and answered 2xx
        self.put_bytes = 0
        self.put_order = []  # keys in the order their PUTs succeeded
        self.requests = collections.Counter()  # method -> requests seen
        self.faults_sent = 0
        self._fail_every, self._status, self._code, self._seen_puts = 0, 0, "", 0

    def fail_puts(self, every, status=503, code="SlowDown"):
        """Answer every `every`-th PUT with `status`/`code` instead of forwarding it (0: none)."""
        with self.lock:
            self._fail_every, self._status, self._code, self._seen_puts = every, status, code, 0

    def __enter__(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                key = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                with proxy.lock:
                    proxy.requests[self.command] += 1
                    fault = False
                    if self.command == "PUT" and proxy._fail_every:
                        proxy._seen_puts += 1
                        fault = proxy._seen_puts % proxy._fail_every == 0
                    if fault:
                        proxy.faults_sent += 1
                        status, code = proxy._status, proxy._code
                if fault:
                    xml = (f"<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>injected "
                           f"by the test proxy</Message></Error>").encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(xml)))
                    self.end_headers()
                    self.wfile.write(xml)
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body if length else None,
                                 headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                if self.command == "PUT" and 200 <= answer.status < 300:
                    with proxy.lock:
                        proxy.puts[key] += 1
                        proxy.put_order.append(key)
                        proxy.put_bytes += len(body)
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    # A HEAD's Content-Length is the object's size: passed on as it is.
                    if k.lower() not in HOP_BY_HOP and (self.command == "HEAD" or
                                                        k.lower() != "content-length"):
                        self.send_header(k, v)
                if self.command != "HEAD":
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
