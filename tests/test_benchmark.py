"""The benchmark still runs (on a tiny centre): it is a tool, so it must not rot.

No figure it prints is asserted: timings belong to the benchmark, not the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_on_a_tiny_centre() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--workbooks", "5",
         "--baseline-sample", "3", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("synthetic centre: 5 workbooks")
    assert any(re.match(r"docgen build --jobs 1: \d{2,} documents", line) for line in lines)
    assert any(line.startswith("plain docxtpl loop: 3 documents") for line in lines)
    assert any(line.startswith("ratio, docgen --jobs 1 / plain docxtpl:") for line in lines)
    assert lines[-1].startswith("docgen --help:")
