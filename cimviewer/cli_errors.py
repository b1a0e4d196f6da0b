"""How every ``cimviewer`` command reports a failure: one line on stderr, a non-zero
exit code (1: the work failed, 2: the command line was wrong)."""

from __future__ import annotations

import sys


def fail(message: str, code: int = 1) -> int:
    print(f"cimviewer: error: {message}", file=sys.stderr)
    return code
