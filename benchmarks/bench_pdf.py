"""How fast ``docgen build --pdf`` makes documents and their PDFs, with --jobs 1 and 2.

Run from the checkout, with docgen and LibreOffice installed:

    python benchmarks/bench_pdf.py                  # 50 workbooks, about 800 documents
    python benchmarks/bench_pdf.py --workbooks 250  # the whole centre of bench_build.py

It generates bench_build.py's synthetic centre and, for each ``--jobs``, runs
as a clerk would, each into a fresh folder: ``docgen build CENTRE --jobs N``
(documents only) and ``docgen build CENTRE --jobs N --pdf`` (documents, then
their PDFs by N LibreOffice instances) twice: with each group's documents
converted combined (today's way, issue 19) and, with ``DOCGEN_PDF_COMBINE=0``,
each document alone (the way before it: the baseline, in the same run). It
prints documents per second of the whole ``--pdf`` run and of its PDF stage
alone (the difference from the documents-only run), and the ratio of the two
ways' PDF stages. ``--rounds N`` repeats each run and keeps the fastest (the
machine may be shared).

The baseline, in the same run, is what a plain script would do: render each
document with docxtpl and convert it with its own ``soffice --convert-to pdf``
start, for a sample of ``--baseline-sample`` documents (each start costs seconds);
the ratios of docgen's documents/s to it are printed last.

Nothing here is a test: the suite never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(centre: Path, out: Path, jobs: int, pdf: bool,
        combine: bool = True) -> tuple[float, int, int]:
    """(seconds, .docx written, PDFs written) of one ``docgen build`` run into a new ``out``."""
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "docgen.cli", "build", str(centre), "-o", str(out),
               "--jobs", str(jobs), "-q"] + (["--pdf"] if pdf else [])
    env = dict(os.environ, DOCGEN_PDF_COMBINE="1" if combine else "0")
    start = time.perf_counter()
    process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             check=False, env=env)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"docgen build failed:\n{process.stderr.decode()}")
    return seconds, sum(1 for _ in out.rglob("*.docx")), sum(1 for _ in out.rglob("*.pdf"))


def run_baseline(centre: Path, out: Path, soffice: Path, sample: int) -> tuple[float, int]:
    """(seconds, documents) of plain docxtpl plus one LibreOffice start per document."""
    bench = runpy.run_path(str(ROOT / "benchmarks" / "bench_build.py"))
    work = bench["contexts"](centre)[:sample]
    out.mkdir(parents=True)
    start = time.perf_counter()
    bench["run_plain"](work, out)
    profile = (out / "profile").as_uri()
    for n in range(len(work)):
        subprocess.run([str(soffice), "--headless", "--norestore",
                        f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                        "--outdir", str(out), str(out / f"{n}.docx")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - start
    made = sum(1 for _ in out.glob("*.pdf"))
    if made != len(work):
        raise SystemExit(f"the baseline made {made} PDFs of {len(work)}")
    return seconds, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], metavar="N")
    parser.add_argument("--rounds", type=int, default=1, metavar="N",
                        help="runs of each kind; the fastest counts")
    parser.add_argument("--baseline-sample", type=int, default=20, metavar="N",
                        help="documents converted one LibreOffice start each (0: none)")
    args = parser.parse_args()
    synthetic_centre = runpy.run_path(str(ROOT / "benchmarks" / "bench_build.py"))[
        "synthetic_centre"]
    from docgen.pdf.convert import find_soffice

    soffice = find_soffice()
    version = subprocess.run([str(soffice), "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as tmp:
        work = Path(tmp)
        centre = work / "centre"
        centre.mkdir()
        books = synthetic_centre(centre, args.workbooks)
        print(f"synthetic centre: {len(books)} workbooks of 5 kinds; {version or soffice}")
        rates: dict[int, float] = {}
        for jobs in args.jobs:
            best: dict[str, tuple[float, int, int]] = {}
            for _ in range(max(1, args.rounds)):  # interleaved: a busy minute hits all three
                for way, pdf, combine in (("docx", False, True), ("alone", True, False),
                                          ("combined", True, True)):
                    figures = run(centre, work / f"{way}-{jobs}", jobs, pdf, combine)
                    if way not in best or figures[0] < best[way][0]:
                        best[way] = figures
            plain = best["docx"][0]
            stages = {}
            for way, label in (("alone", "each document alone (before issue 19)"),
                               ("combined", "each group's documents combined")):
                total, documents, pdfs = best[way]
                stage = max(total - plain, 1e-9)
                stages[way] = pdfs / stage
                print(f"docgen build --jobs {jobs} --pdf, {label}: {documents} documents and "
                      f"{pdfs} PDFs in {total:.1f} s = {documents / total:.1f} documents/s with "
                      f"their PDFs (build alone {plain:.1f} s; PDF stage {stage:.1f} s = "
                      f"{pdfs / stage:.1f} PDFs/s)")
            print(f"PDF stage, --jobs {jobs}: combined / alone = "
                  f"{stages['combined'] / stages['alone']:.2f}x")
            rates[jobs] = best["combined"][1] / best["combined"][0]
        if args.baseline_sample:
            seconds, made = run_baseline(centre, work / "baseline", soffice,
                                         args.baseline_sample)
            plain = made / seconds
            print(f"plain docxtpl + one soffice start per document: {made} documents in "
                  f"{seconds:.1f} s = {plain:.2f} documents/s with their PDFs")
            for jobs, rate in rates.items():
                print(f"ratio, docgen --jobs {jobs} --pdf / plain: {rate / plain:.1f}x")


if __name__ == "__main__":
    main()
