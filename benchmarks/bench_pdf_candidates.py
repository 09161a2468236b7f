"""The ways of making PDFs that issue 19 weighed, on the same documents, one LibreOffice each.

Run from the checkout, with docgen and LibreOffice installed:

    python benchmarks/bench_pdf_candidates.py --workbooks 20 --documents 120

It builds bench_build.py's synthetic centre (documents only) and converts its
first ``--documents`` documents (whole groups, in folder order) each of these ways,
timing the whole of each, LibreOffice's start included:

* ``alone``: one ``soffice --convert-to pdf`` start for all of them, each file
  converted on its own (docgen before issue 19, and the baseline);
* ``alone, filter options``: the same, with PDF export options that skip work a
  reader does not see (no outline from headings, no notes, no form fields);
* ``UNO``: a LibreOffice kept running, driven through its UNO API by a small
  script run by a Python that has LibreOffice's ``uno`` module (on Debian the
  system python3 with python3-uno; skipped when there is none): no start per
  chunk, but still one file opened per document;
* ``combined``: docgen's way since issue 19 (``docgen.pdf.convert.convert``): each
  group's documents as one combined file, its PDF cut per document.

Nothing here is a test: the suite never asserts timings.
"""

from __future__ import annotations

import argparse
import json
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = {"ExportBookmarks": {"type": "boolean", "value": "false"},
           "ExportNotes": {"type": "boolean", "value": "false"},
           "ExportFormFields": {"type": "boolean", "value": "false"}}

UNO_DRIVER = r"""
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

soffice, profile, out, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pipe = "docgen-bench-%d" % os.getpid()
office = subprocess.Popen(
    [soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
     "--nologo", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
     "--accept=pipe,name=%s;urp;" % pipe],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            context = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    for name in files:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(name), "_blank", 0,
                                           (prop("Hidden", True), prop("ReadOnly", True)))
        target = os.path.join(out, os.path.splitext(os.path.basename(name))[0] + ".pdf")
        doc.storeToURL(uno.systemPathToFileUrl(target),
                       (prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(timeout=30)
finally:
    if office.poll() is None:
        office.kill()
        office.wait()
"""


def uno_python() -> str | None:
    """A Python that can ``import uno``: LibreOffice's own (Windows), else the system's."""
    from docgen.pdf.convert import find_soffice

    candidates = [find_soffice().parent / "python.exe", find_soffice().parent / "python",
                  Path("/usr/bin/python3")]
    for candidate in candidates:
        if candidate.is_file():
            done = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True,
                                  check=False)
            if done.returncode == 0:
                return str(candidate)
    return None


def soffice_once(soffice: Path, work: Path, files: list[Path], export: str) -> int:
    out = work / "out"
    command = [str(soffice), "--headless", "--invisible", "--norestore", "--nolockcheck",
               "--nodefault", "--nologo",
               f"-env:UserInstallation={(work / 'profile').as_uri()}", "--convert-to", export,
               "--outdir", str(out), *map(str, files)]
    subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return len(list(out.glob("*.pdf")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=20)
    parser.add_argument("--documents", type=int, default=120)
    args = parser.parse_args()
    from docgen.pdf import convert as pdf

    soffice = pdf.find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-candidates-") as tmp:
        work = Path(tmp)
        centre = work / "centre"
        centre.mkdir()
        runpy.run_path(str(ROOT / "benchmarks" / "bench_build.py"))["synthetic_centre"](
            centre, args.workbooks)
        subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(centre), "-o",
                        str(work / "docs"), "-q"], stdout=subprocess.DEVNULL, check=True)
        folders = sorted(p for p in (work / "docs").glob("*/*") if p.is_dir())
        files = [f for folder in folders for f in sorted(folder.glob("*.docx"))]
        files = files[:args.documents]
        staged = work / "staged"  # plain names, as docgen gives LibreOffice
        staged.mkdir()
        plain = []
        for n, path in enumerate(files):
            plain.append(staged / f"{n:04d}.docx")
            shutil.copyfile(path, plain[-1])
        print(f"{len(files)} documents of {len(folders)} groups; one LibreOffice each way")

        def report(way: str, seconds: float, made: int) -> None:
            print(f"{way}: {made} PDFs in {seconds:.1f} s = {made / seconds:.1f} PDFs/s")

        ways: list[tuple[str, object]] = [
            ("alone", lambda w: soffice_once(soffice, w, plain, pdf.EXPORT)),
            ("alone, filter options", lambda w: soffice_once(
                soffice, w, plain, f"{pdf.EXPORT}:{json.dumps(OPTIONS)}")),
        ]
        python = uno_python()
        if python is not None:
            def by_uno(w: Path) -> int:
                (w / "out").mkdir()
                subprocess.run([python, "-c", UNO_DRIVER, str(soffice), str(w / "profile"),
                                str(w / "out"), *map(str, plain)], check=True,
                               stdin=subprocess.DEVNULL)
                return len(list((w / "out").glob("*.pdf")))

            ways.append(("UNO, LibreOffice kept running", by_uno))
        else:
            print("UNO: skipped, no Python with LibreOffice's uno module (python3-uno)")

        def combined(w: Path) -> int:
            return sum(1 for chunk in pdf.convert(files, soffice, instances=1, combine=True)
                       for c in chunk if c.pdf is not None)

        ways.append(("combined, cut per document (docgen)", combined))
        for n, (way, run) in enumerate(ways):
            folder = work / f"way-{n}"
            folder.mkdir()
            start = time.perf_counter()
            made = run(folder)  # type: ignore[operator]
            report(way, time.perf_counter() - start, made)


if __name__ == "__main__":
    main()
