"""The benchmark still runs (on a tiny centre): it is a tool, so it must not rot.

No figure it prints is asserted: timings belong to the benchmark, not the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_soffice

ROOT = Path(__file__).resolve().parent.parent


def bench_lines(script: str, *args: str) -> list[str]:
    """What ``benchmarks/<script>`` prints, run as a clerk's machine would run it."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.slow  # a whole benchmark run in a subprocess
def test_the_benchmark_runs_on_a_tiny_centre() -> None:
    lines = bench_lines("bench_build.py", "--workbooks", "5", "--baseline-sample", "3",
                        "--repeat", "1")
    assert lines[0].startswith("synthetic centre: 5 workbooks")
    assert any(re.match(r"docgen build --jobs 1: \d{2,} documents", line) for line in lines)
    assert any(line.startswith("plain docxtpl loop: 3 documents") for line in lines)
    assert any(line.startswith("ratio, docgen --jobs 1 / plain docxtpl:") for line in lines)
    assert lines[-1].startswith("docgen --help:")


@pytest.mark.slow  # a benchmark run with real LibreOffice
def test_the_pdf_benchmark_runs_on_one_workbook() -> None:
    require_soffice()
    lines = bench_lines("bench_pdf.py", "--workbooks", "1", "--jobs", "1",
                        "--baseline-sample", "1")
    assert lines[0].startswith("synthetic centre: 1 workbooks")
    assert re.match(r"docgen build --jobs 1 --pdf, each document alone \(before issue 19\): "
                    r"(\d+) documents and \1 PDFs in ", lines[1])
    assert re.match(r"docgen build --jobs 1 --pdf, each group's documents combined: "
                    r"(\d+) documents and \1 PDFs in ", lines[2])
    assert lines[3].startswith("PDF stage, --jobs 1: combined / alone = ")
    assert lines[4].startswith("plain docxtpl + one soffice start per document: 1 documents")
    assert lines[5].startswith("ratio, docgen --jobs 1 --pdf / plain:")


@pytest.mark.slow  # a benchmark run with real LibreOffice
def test_the_pdf_candidates_benchmark_runs_on_a_few_documents() -> None:
    require_soffice()
    lines = bench_lines("bench_pdf_candidates.py", "--workbooks", "1", "--documents", "3")
    assert lines[0] == "3 documents of 1 groups; one LibreOffice each way"
    # «UNO: skipped, …» where LibreOffice's Python module is not installed (python3-uno)
    ways = [line.split(":")[0] for line in lines[1:] if not line.startswith("UNO: skipped")]
    assert ways[:2] == ["alone", "alone, filter options"]
    assert ways[-1] == "combined, cut per document (docgen)"
    assert all(re.search(r": 3 PDFs in [\d.]+ s = ", line) for line in lines[1:]
               if not line.startswith("UNO: skipped"))
