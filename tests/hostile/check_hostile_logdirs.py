#!/usr/bin/env python3
"""The second hostile round, on what surrounds the event records: odd logdir entries (a FIFO, a
symlink loop, a path longer than the system allows, a device), projector files (FIFOs, /dev/zero,
directories, rows and shapes that disagree, a sprite that is not an image, CRLF lines, a config
that does not parse) and output escaping (run names with commas or bytes that are not UTF-8,
non-finite wall times, an empty tag, escape sequences in tags, a megabyte-long tag under
--tag-regex). The corpus is built here, in a temporary directory.

Every command must end by itself inside the limits, without a signal; a bad entry is named on
stderr and the healthy runs are still listed or verified, with exit 1 at the end; every CSV and
JSON output must parse; no raw control character may reach the terminal.
Usage: check_hostile_logdirs.py TBLOG_CLI [--no-memory-limit]"""
import csv
import io
import json
import os
import resource
import subprocess
import sys
import time

import make_hostile_corpus as pb  # beside this script: record framing and protobuf fields
from toolkit.report import Checks, run_checks

MEMORY_LIMIT = 512 << 20
csv.field_size_limit(1 << 24)  # the megabyte-long tag is one field
CPU_SECONDS = 20


def scalar_event(step, tag, x=0.5, wall=None):
    body = pb.field_double(1, 1700000000.0 + step if wall is None else wall)
    body += pb.field_varint(2, step)
    body += pb.field_bytes(5, pb.value(tag, pb.metadata("scalars"),
                                       pb.tensor(pb.DT_FLOAT, [], pb.packed_floats(5, [x]))))
    return pb.record(body)


def write_events(run_dir, *records):
    os.makedirs(run_dir, exist_ok=True)
    name = b"events.out.tfevents.1.host" if isinstance(run_dir, bytes) else "events.out.tfevents.1.host"
    with open(os.path.join(run_dir, name), "wb") as f:
        f.write(pb.record(pb.FILE_VERSION) + b"".join(records))


def healthy(root, name="healthy"):
    write_events(os.path.join(root, name), scalar_event(1, "ok"), scalar_event(2, "ok", 0.75))


def projector_run(root, name, config=None, tensors="1\t2\n3\t4\n5\t6\n", metadata=None,
                  sprite=None, shape=(3, 2)):
    """A run with a projector config naming tensors.tsv (and metadata/sprite when given)."""
    run = os.path.join(root, name)
    write_events(run, scalar_event(1, "ok"))
    if tensors is not None:
        with open(os.path.join(run, "tensors.tsv"), "w", newline="") as f:
            f.write(tensors)
    entry = 'embeddings {\n  tensor_name: "e"\n  tensor_path: "tensors.tsv"\n'
    if shape:
        entry += f"  tensor_shape: {shape[0]}\n  tensor_shape: {shape[1]}\n"
    if metadata is not None:
        with open(os.path.join(run, "metadata.tsv"), "w") as f:
            f.write(metadata)
        entry += '  metadata_path: "metadata.tsv"\n'
    if sprite is not None:
        with open(os.path.join(run, "sprite.png"), "wb") as f:
            f.write(sprite)
        entry += '  sprite { image_path: "sprite.png" single_image_dim: 2 single_image_dim: 2 }\n'
    with open(os.path.join(run, "projector_config.pbtxt"), "w") as f:
        f.write(config if config is not None else entry + "}\n")
    return run


class Checker(Checks):
    def __init__(self, cli, memory):
        super().__init__()
        self.cli, self.memory = cli, memory

    def run(self, *args, terminal=True):
        """`terminal`: the output is for a person (CSV is data, and keeps the bytes it carries)."""
        def limits():
            if self.memory:
                resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        try:
            p = subprocess.run([self.cli, *args], capture_output=True, preexec_fn=limits,
                               timeout=60)
        except subprocess.TimeoutExpired:
            self.failures.append(f"tblog {' '.join(args)[:120]}: hung")
            return None
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        if p.returncode < 0 or "terminate called" in err or "[libprotobuf" in err:
            self.failures.append(f"tblog {' '.join(args)[:120]}: exit {p.returncode}: {err[-300:]}")
            return None
        for stream in (p.stdout, p.stderr) if terminal else (p.stderr,):  # nothing may drive the terminal
            if any(c in stream for c in (b"\x1b", b"\x07", b"\r", b"\x9b")):
                self.failures.append(f"tblog {' '.join(args)[:120]}: raw control characters")
        return p.returncode, out, err


def check_odd_entries(c, tmp):
    root = os.path.join(tmp, "odd")
    healthy(root)
    bad = os.path.join(root, "bad")
    write_events(bad, scalar_event(1, "ok"))
    os.mkfifo(os.path.join(bad, "events.out.tfevents.2.fifo"))
    os.symlink("events.out.tfevents.3.loop", os.path.join(bad, "events.out.tfevents.3.loop"))
    deep = os.path.join(root, "deep")
    os.makedirs(deep)
    fd = os.open(deep, os.O_RDONLY)
    try:  # a path longer than PATH_MAX, built with relative steps
        for _ in range(24):
            os.mkdir("d" * 200, dir_fd=fd)
            fd2 = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = fd2
        with open(os.open("events.out.tfevents.4.deep", os.O_WRONLY | os.O_CREAT, dir_fd=fd),
                  "wb") as f:
            f.write(pb.record(pb.FILE_VERSION))
    finally:
        os.close(fd)
    for command in ("ls", "verify"):
        r = c.run(command, root)
        if not r:
            continue
        code, out, err = r
        c.expect(code == 1, f"{command} odd entries: exit {code}")
        c.expect("fifo" in err and "loop" in err and "deep" in err,
                 f"{command}: the bad entries are not all named: {err[-500:]}")
        c.expect("could not be read" in err, f"{command}: no count of failed entries: {err}")
        if command == "ls":
            c.expect("run healthy" in out and "run bad" in out, f"ls lost healthy runs: {out}")
        else:
            c.expect("2 files" in out, f"verify did not verify the readable files: {out}")
    for path, word in ((os.path.join(bad, "events.out.tfevents.2.fifo"), "FIFO"),
                       ("/dev/zero", "device")):
        r = c.run("cat", path)
        if r:
            c.expect(r[0] == 1 and word in r[2], f"cat {path}: exit {r[0]} {r[2]}")


def check_projector(c, tmp):
    root = os.path.join(tmp, "projector")
    healthy(root)
    fifo_run = projector_run(root, "config_fifo")
    os.remove(os.path.join(fifo_run, "projector_config.pbtxt"))
    os.mkfifo(os.path.join(fifo_run, "projector_config.pbtxt"))
    zero_run = projector_run(root, "tensor_dev_zero", tensors=None)
    os.symlink("/dev/zero", os.path.join(zero_run, "tensors.tsv"))
    dir_run = projector_run(root, "config_directory")
    os.remove(os.path.join(dir_run, "projector_config.pbtxt"))
    os.mkdir(os.path.join(dir_run, "projector_config.pbtxt"))
    tsv_fifo = projector_run(root, "tensor_fifo", tensors=None)
    os.mkfifo(os.path.join(tsv_fifo, "tensors.tsv"))
    loop = projector_run(root, "tensor_loop", tensors=None)
    os.symlink("tensors.tsv", os.path.join(loop, "tensors.tsv"))
    projector_run(root, "metadata_rows", metadata="a\nb\n")
    projector_run(root, "config_shape", shape=(4, 2))
    projector_run(root, "sprite_not_png", sprite=b"GIF89a not a png at all")
    projector_run(root, "crlf", tensors="1\t2\r\n3\t4\r\n5\t6\r\n", metadata="a\r\nb\r\nc\r\n")
    projector_run(root, "config_garbage", config="embeddings { tensor_name: \n")
    r = c.run("ls", root)
    if not r:
        return
    code, out, err = r
    c.expect(code == 1, f"ls projector corpus: exit {code}")
    c.expect("run healthy" in out and out.count("\nrun ") + out.startswith("run ") == 11,
             f"ls projector corpus: not every run listed: {out[-800:]}")
    expected = {"config_fifo": "FIFO", "tensor_dev_zero": "outside the run directory",
                "config_directory": "directory", "tensor_fifo": "FIFO",
                "tensor_loop": "symbolic links", "metadata_rows": "2 metadata rows for 3 points",
                "config_shape": "has shape 4x2", "sprite_not_png": "not a PNG",
                "config_garbage": "line 2"}
    for run, words in expected.items():
        line = next((l for l in err.splitlines() if f"/{run}" in l), "")
        c.expect(words in line, f"projector {run}: stderr does not say '{words}': {line or err[-400:]}")
    c.expect("projector e: 3 points x 2 dims, 1 metadata column(s)" in out,
             f"CRLF projector files not read: {out[-600:]}")


def check_projector_repeats(c, tmp):
    """A config naming the same 0.5 MB tensor file 3,000 times: memory and time stay bounded by
    the bytes present (refused in one line, under the 512 MiB limit), while a config naming one
    file a few times, as a person might, is read."""
    root = os.path.join(tmp, "projector-repeats")
    row = "\t".join(["0.5"] * 16) + "\n"
    for name, entries in (("repeated_3000", 3000), ("repeated_10", 10)):
        run = projector_run(root, name, tensors=row * 8000, shape=None)
        entry = 'embeddings {\n  tensor_name: "e%d"\n  tensor_path: "tensors.tsv"\n}\n'
        with open(os.path.join(run, "projector_config.pbtxt"), "w") as f:
            f.write("".join(entry % i for i in range(entries)))
    start = time.monotonic()
    r = c.run("ls", root)
    took = time.monotonic() - start
    if not r:
        return
    code, out, err = r
    line = next((l for l in err.splitlines() if "/repeated_3000" in l), "")
    c.expect(code == 1 and "again and again" in line,
             f"a tensor file named 3,000 times is not refused in one line: {code} {err[-400:]}")
    c.expect(out.count("projector e") == 10 and "8000 points x 16 dims" in out,
             f"a tensor file named 10 times is not read: {out[-400:]}")
    c.expect(took < 10, f"ls of 3,000 repeats took {took:.1f} s")
    print(f"projector config naming one 0.5 MB file 3,000 times: refused in {took:.1f} s: "
          f"{line[-160:]}")


def check_escaping(c, tmp):
    root = os.path.join(tmp, "escaping")
    write_events(os.path.join(root, "lr=0.1,batch=32"), scalar_event(1, "ok"))
    write_events(os.path.join(root.encode(), b"latin1-\xe9t\xe9"), scalar_event(1, "ok"))
    write_events(os.path.join(root, "nan_wall"), scalar_event(1, "ok", wall=float("nan")))
    write_events(os.path.join(root, "empty_tag"), scalar_event(1, ""), scalar_event(1, "ok"))
    write_events(os.path.join(root, "odd_tags"), scalar_event(1, b"bad-\xff-utf8"),
                 scalar_event(1, "title\x1b]0;pwned\x07\x1b[31mred"), scalar_event(1, "ok"))
    write_events(os.path.join(root, "long_tag"), scalar_event(1, "a" * (1 << 20)),
                 scalar_event(1, "ok"))

    r = c.run("export", root, "--tag", "ok", "--format", "csv", terminal=False)
    if r:
        rows = list(csv.reader(io.StringIO(r[1])))
        c.expect(rows[0] == ["Run", "Wall time", "Step", "Value"], f"csv header {rows[:1]}")
        c.expect(all(len(row) == 4 for row in rows), f"csv rows of the wrong width: {rows}")
        c.expect(any(row[0] == "lr=0.1,batch=32" for row in rows), "a comma in a run name broke CSV")
    r = c.run("export", root, "--tag", "ok", "--format", "json")
    if r:
        try:
            data = json.loads(r[1])
            c.expect("latin1-\ufffdt\ufffd" in data, f"non-UTF-8 run name: {list(data)}")
            c.expect(data["nan_wall"][0][0] is None, f"NaN wall time: {data['nan_wall']}")
        except ValueError as e:
            c.expect(False, f"export --tag json is not JSON ({e}): {r[1][:300]}")
    csv_r = c.run("export", root, "--format", "csv", terminal=False)
    jsonl_r = c.run("export", root, "--format", "jsonl")
    if csv_r and jsonl_r:
        csv_rows = list(csv.DictReader(io.StringIO(csv_r[1])))
        try:
            jsonl_rows = [json.loads(line) for line in jsonl_r[1].splitlines()]
        except ValueError as e:
            jsonl_rows = []
            c.expect(False, f"export jsonl is not JSON lines ({e})")
        c.expect(len(csv_rows) == len(jsonl_rows), f"CSV has {len(csv_rows)} rows, JSONL {len(jsonl_rows)}")
        c.expect(any(row["tag"] == "" for row in csv_rows), "the empty tag vanished from CSV")
        c.expect(any(row["tag"] == "" for row in jsonl_rows), "the empty tag vanished from JSONL")
        c.expect(any(row["tag"] == "bad-\ufffd-utf8" for row in jsonl_rows),
                 "the invalid-UTF-8 tag is missing from JSONL")
    r = c.run("export", root, "--format", "csv", "--tag-regex", "^(a|aa)*b", terminal=False)
    if r:
        c.expect(r[0] in (0, 1), f"--tag-regex on a long tag: exit {r[0]}")
    r = c.run("export", root, "--format", "csv", "--tag-regex", "(")
    if r:
        c.expect(r[0] == 2 and "--tag-regex" in r[2], f"a bad regex: exit {r[0]} {r[2]}")
    r = c.run("ls", root)
    if r:
        c.expect(r[0] == 0, f"ls escaping corpus: exit {r[0]} {r[2][-300:]}")
        c.expect("\\x1b]0;pwned\\x07" in r[1], f"the escape sequence is not shown escaped: {r[1][-600:]}")
        c.expect("bad-\\xff-utf8" in r[1], "the invalid-UTF-8 tag is not listed")
        c.expect(max(len(l) for l in r[1].splitlines()) < 400, "a megabyte tag printed whole")
    r = c.run("cat", os.path.join(root, "odd_tags", "events.out.tfevents.1.host"))
    if r:
        c.expect(r[0] == 0 and "\\x1b[31mred" in r[1], f"cat: tags not escaped: {r[1][-300:]}")


def main():
    c = Checker(sys.argv[1], "--no-memory-limit" not in sys.argv)

    def body(tmp):
        check_odd_entries(c, tmp)
        check_projector(c, tmp)
        check_projector_repeats(c, tmp)
        check_escaping(c, tmp)
    return run_checks(c, "tblog-hostile-logdirs-", body)


if __name__ == "__main__":
    sys.exit(main())
