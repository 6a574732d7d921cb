#!/usr/bin/env python3
"""file:// logdirs: the object-store backend over a local directory (remote/file_object_store.cpp),
the backend a mount of object storage that cannot append needs. A run written to file:// is whole
segment files written once, each a valid event file that stock TensorBoard reads as a plain
directory; tblog ls/export/verify read it through the store, and equal a plain local run;
tblog-data-server on file:// serves what TensorBoard's Rust data server serves from the same
directory as a plain path, and sees a new writer's segments on its next pass; a writer killed while
its uploads failed leaves its segments in the spool, and `tblog upload` puts them in place.
Usage: check_file_logdirs.py WRITER TBLOG TBLOG_DATA_SERVER   (with the TensorBoard venv's python)"""
import os
import re
import signal
import subprocess
import sys
import time

from toolkit.data_server import DataServer, describe_differences, rust_server_binary
from toolkit.report import Checks, run_checks
from toolkit.tensorboard import TensorBoardServer

WRITER, TBLOG, SERVER = sys.argv[1], sys.argv[2], sys.argv[3]
NAME = re.compile(r"^events\.out\.tfevents\.\d+\.[^.]+\.\d+\.\d+\.\d{8}$")
checks = Checks()


def run(*args, timeout=180):
    return subprocess.run(list(map(str, args)), capture_output=True, text=True, timeout=timeout)


def export(logdir, run_name, tag="loss"):
    r = run(TBLOG, "export", logdir, "--tag", tag, "--run", run_name)
    rows = [line.split(",") for line in r.stdout.strip().splitlines()[1:]]
    return r.returncode, [(int(row[1]), row[2]) for row in rows], r.stderr.strip()


def event_files(directory):
    return sorted(f for f in os.listdir(directory) if "tfevents" in f)


def check_layout_and_readers(tmp):
    objects, local = os.path.join(tmp, "objects"), os.path.join(tmp, "local")
    url = "file://" + objects
    spool = os.path.join(tmp, "spool")
    r = run(WRITER, url + "/run1", "--steps", 200, "--flush-every", 50, "--spool", spool)
    checks.expect(r.returncode == 0, f"file:// run: {r.returncode} {r.stderr}")
    r = run(WRITER, os.path.join(local, "run1"), "--steps", 200, "--flush-every", 50)
    checks.expect(r.returncode == 0, f"local run: {r.stderr}")

    names = os.listdir(os.path.join(objects, "run1"))
    checks.expect(len(names) == 4 and all(NAME.match(n) for n in names),
                  f"want 4 segment files (one per flush), named for their order: {names}")
    checks.expect(not [f for _, _, fs in os.walk(spool) for f in fs if "tfevents" in f],
                  "segments were left in the spool")

    ls = run(TBLOG, "ls", url)
    checks.expect(ls.returncode == 0 and "run run1" in ls.stdout and "steps 0..199" in ls.stdout,
                  f"tblog ls file://: {ls.returncode} {ls.stdout} {ls.stderr}")
    verify = run(TBLOG, "verify", url)
    checks.expect(verify.returncode == 0 and verify.stdout.startswith("4 files, "),
                  f"tblog verify file://: {verify.stdout} {verify.stderr}")
    ours, theirs = export(url, "run1"), export(local, "run1")
    checks.expect(ours[0] == 0 and ours[1] == theirs[1] and len(ours[1]) == 200,
                  f"tblog export: the file:// run and the local run differ: {ours[2]}")
    bad = run(TBLOG, "ls", "file://relative/runs")
    checks.expect(bad.returncode == 2 and "absolute path" in bad.stderr and
                  len(bad.stderr.strip().splitlines()) == 1,
                  f"tblog ls file://relative: {bad.returncode} {bad.stderr!r}")

    # Stock TensorBoard reads the directory itself: the segments are plain event files.
    served = {}
    for name, logdir in (("file", objects), ("local", local)):
        with TensorBoardServer(logdir, "false",
                               log_path=os.path.join(tmp, f"tensorboard-{name}.log")) as tb:
            points = tb.get("/data/plugin/scalars/scalars", run="run1", tag="loss")
            tags = tb.get("/data/plugin/histograms/tags")
            served[name] = ([(p[1], p[2]) for p in points], sorted(tags.get("run1", {})))
    checks.expect(served["file"] == served["local"] and len(served["file"][0]) == 200,
                  f"TensorBoard serves the file:// run differently from the local run: "
                  f"{[(k, len(v[0]), v[1]) for k, v in served.items()]}")
    print("layout: 4 whole segment files; tblog ls/verify/export and TensorBoard equal a local run")
    return objects


def check_data_server(tmp, objects):
    url = "file://" + objects
    with DataServer(rust_server_binary(), objects) as rust:
        theirs = rust.wait_until_stable()
    log = os.path.join(tmp, "server.log")
    with DataServer(SERVER, url, reload="1", extra=["--verbose"], log_path=log) as ours_server:
        ours = ours_server.wait_until_stable()
        diff = describe_differences(ours, theirs)
        checks.expect(not diff and len(ours["series"]) == len(theirs["series"]) > 0,
                      f"file://: {len(ours['series'])} series equal to the Rust server's on the "
                      "plain path" + "".join("\n      " + line for line in diff))
        # A second writer of the run adds segments: the next pass serves them.
        r = run(WRITER, url + "/run1", "--first-step", 200, "--steps", 50, "--flush-every", 25)
        checks.expect(r.returncode == 0, f"second writer: {r.stderr}")
        deadline, steps = time.time() + 30, 0
        while time.time() < deadline and steps != 250:
            dump = ours_server.dump()
            steps = max((len(series.get("points", [])) for key, series in dump["series"].items()
                         if key[2] == "loss"), default=0)
            time.sleep(0.5)
        checks.expect(steps == 250, f"tblog-data-server on file:// after a new writer: {steps} "
                      "points of loss, want 250")
    print(f"data server: {len(ours['series'])} series as the Rust server's; new segments served")


def check_killed_writer_and_upload(tmp):
    objects = os.path.join(tmp, "killed")
    spool = os.path.join(tmp, "spool-killed")
    os.makedirs(objects)
    # The run's directory cannot be made (a file has its name): every upload fails, so what the
    # writer flushed stays in its spool. (A file, not permissions: root writes anywhere.)
    blocker = os.path.join(objects, "run")
    open(blocker, "w").close()
    proc = subprocess.Popen([WRITER, f"file://{objects}/run", "--steps", "100000", "--flush-every",
                             "10", "--sleep-ms", "2", "--upload-interval-ms", "50", "--spool",
                             spool], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == "flushed 59":
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    os.remove(blocker)
    up = run(TBLOG, "upload", spool)
    checks.expect(up.returncode == 0 and "objects uploaded" in up.stdout,
                  f"tblog upload of a file:// spool: {up.returncode} {up.stdout} {up.stderr}")
    code, points, err = export(f"file://{objects}", "run")
    steps = [s for s, _ in points]
    checks.expect(code == 0 and steps[:60] == list(range(60)) and len(set(steps)) == len(steps),
                  f"after tblog upload the killed run has steps {steps[:3]}..{steps[-3:]} "
                  f"({len(steps)}), want 0..59 at least, once each: {err}")
    print(f"killed writer: tblog upload put its {len(event_files(os.path.join(objects, 'run')))} "
          f"segments in place; steps 0..{steps[-1] if steps else None}")


def main(tmp):
    objects = check_layout_and_readers(tmp)
    check_data_server(tmp, objects)
    check_killed_writer_and_upload(tmp)


if __name__ == "__main__":
    sys.exit(run_checks(checks, "tblog-file-", main))
