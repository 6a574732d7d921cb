"""What the suite's check scripts share: counting checks, and running them in a scratch
directory that is removed afterwards, ending with each failure and the counts."""
import shutil
import tempfile



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
