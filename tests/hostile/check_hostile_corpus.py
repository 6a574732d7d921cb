#!/usr/bin/env python3
"""Runs every tblog subcommand on the hand-made hostile corpus, under hard resource limits.

For each file: `tblog verify` must give the expected exit code and name the expected reason;
`cat`, `cat --json`, `ls` and `export` must end by themselves, without a signal, inside the
limits; `cat` must not print a value from an inconsistent summary. The limits are the reader's
guarantees (docs/reader-guarantees.md): memory bounded by the bytes present, time linear in them.
Usage: check_hostile_corpus.py TBLOG_CLI CORPUS_DIR [--no-memory-limit] (sanitizer builds
reserve terabytes of address space, so they run without the address-space limit).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from toolkit.limits import limits  # noqa: E402  (512 MiB, 20 s of CPU: see there)


def main():
    cli, corpus = sys.argv[1], sys.argv[2]
    memory = "--no-memory-limit" not in sys.argv
    failures = []
    cases = [line.rstrip("\n").split("\t") for line in open(os.path.join(corpus, "expectations.tsv"))]
    for name, path, verify_exit, message, bad_step in cases:
        run_dir = os.path.dirname(path)
        commands = {
            "verify": [cli, "verify", path],
            "verify --strict": [cli, "verify", "--strict", path],
            "cat": [cli, "cat", path],
            "cat --json": [cli, "cat", "--json", path],
            "ls": [cli, "ls", run_dir],
            "export": [cli, "export", run_dir, "--tag", "ok"],
        }
        for what, argv in commands.items():
            p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                               preexec_fn=limits(memory), timeout=120)
            output = p.stdout + p.stderr
            if p.returncode < 0 or p.returncode > 2:
                failures.append(f"{name}: `tblog {what}` ended with {p.returncode}: {output[-300:]}")
                continue
            if "Traceback" in output or "terminate called" in output:
                failures.append(f"{name}: `tblog {what}` printed a crash: {output[-300:]}")
            if what == "verify":
                if p.returncode != int(verify_exit):
                    failures.append(f"{name}: verify exit {p.returncode}, expected {verify_exit}")
                if message and message not in output:
                    failures.append(f"{name}: verify does not say '{message}': {output[-300:]}")
            if what.startswith("cat") and int(verify_exit) == 1:
                if p.returncode != 1:
                    failures.append(f"{name}: `tblog {what}` exit {p.returncode} on corruption")
                # Nothing of the inconsistent event may be printed as data.
                for line in p.stdout.splitlines():
                    if f'"step":{bad_step},' in line or f" step {bad_step} " in line:
                        failures.append(f"{name}: `tblog {what}` printed bad data: {line[:200]}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(cases) * 6 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
