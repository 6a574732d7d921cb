"""What the suite's check scripts share: counting checks, and running them in a scratch
directory that is removed afterwards, ending with each failure and the counts."""
import os
import shutil
import tempfile


def tbtrain_with_faults():
    """tbtrain built with the test seam that kills a run after step TBTRAIN_TEST_KILL_AT_STEP
    (tests/trainers/fault_injection.cpp); ctest names it in TBTRAIN_WITH_FAULTS."""
    path = os.environ.get("TBTRAIN_WITH_FAULTS")
    if not path or not os.access(path, os.X_OK):
        raise SystemExit("TBTRAIN_WITH_FAULTS must name the tbtrain_with_faults binary "
                         "(ctest sets it)")
    return path


class Checks:
    def __init__(self):
        self.failures, self.passed = [], 0

    def expect(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)


def run_checks(checks, prefix, body):
    """Calls body(tmp) with a fresh temporary directory, removes it, prints every failure and
    the counts; returns the exit status (1 when anything failed)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        body(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in checks.failures:
        print("FAIL", f)
    print(f"{checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0
