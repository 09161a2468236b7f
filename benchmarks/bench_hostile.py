"""How fast, and in how much memory, docgen refuses (or reads) hostile and odd workbooks.

Run from the checkout, with docgen installed:

    python benchmarks/bench_hostile.py

It makes, from data/amursk-tvorcheskaya.xlsx, a workbook whose «Участники» sheet
has 100 000 filled rows, two zip bombs (a 1 GB sheet of spaces packed into 1 MB,
and a sheet that declares 1 000 bytes but inflates to 200 MB), and a sheet with
all 1 048 576 rows formatted but empty, then runs ``check_workbook`` on each in
a fresh process and prints the time it took, the peak memory of the whole
process (VmHWM on Linux, where it starts afresh at exec) and the outcome.

Nothing here is a test: tests/test_bad_input.py asserts the outcomes and bounds
on memory, never on time.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "data" / "amursk-tvorcheskaya.xlsx"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024
MEMBERS = "xl/worksheets/sheet2.xml"  # «Участники» in the example workbooks

CHILD = """
import re, sys, time
started = time.perf_counter()
from docgen.main import check_workbook
result = check_workbook(sys.argv[1])
seconds = time.perf_counter() - started
try:
    status = open('/proc/self/status').read()
    peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) // 1024
except OSError:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
said = result.error.message if result.error else f'прочитана, ошибок: {len(result.errors)}'
print(f'{seconds:.2f}|{peak}|{said}')
"""


def repack(target: Path, sheet: bytes | None = None, stream: int = 0) -> Path:
    """The example workbook with «Участники» replaced by ``sheet``, or by ``stream`` MB
    of spaces written in pieces (never held in memory)."""
    with zipfile.ZipFile(BOOK) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != MEMBERS:
                out.writestr(info.filename, src.read(info))
            elif sheet is not None:
                out.writestr(MEMBERS, sheet)
            else:
                with out.open(MEMBERS, "w") as member:
                    for _ in range(stream):
                        member.write(b" " * MB)
    return target


def hundred_thousand_rows(folder: Path) -> Path:
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c>'
                    b'<c r="B%d" t="inlineStr"><is><t>y</t></is></c></row>' % (r, r, r)
                    for r in range(2, 100_002))
    header = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xd0\xa4\xd0\xb0\xd0\xbc\xd0\xb8'
              b"\xd0\xbb\xd0\xb8\xd1\x8f</t></is></c></row>")  # «Фамилия»
    xml = b'<worksheet xmlns="%s"><sheetData>%s%s</sheetData></worksheet>' % (
        MAIN.encode(), header, rows)
    return repack(folder / "100000-rows.xlsx", xml)


def formatted_rows(folder: Path) -> Path:
    with zipfile.ZipFile(BOOK) as src:
        xml = src.read(MEMBERS)
    last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', xml))
    empty = b"".join(b'<row r="%d" customFormat="1" s="0"><c r="A%d" s="0"/></row>' % (r, r)
                     for r in range(last + 1, 1_048_577))
    return repack(folder / "1048576-formatted-rows.xlsx",
                  xml.replace(b"</sheetData>", empty + b"</sheetData>"))


def liar(folder: Path) -> Path:
    """200 MB of spaces whose central directory entry says 1 000 bytes."""
    path = repack(folder / "lying-size.xlsx", stream=200)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == MEMBERS.encode():
            struct.pack_into("<L", data, at + 24, 1000)
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))
    return path


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="docgen-hostile-"))
    cases = [
        ("100 000 filled rows", hundred_thousand_rows(folder)),
        ("zip bomb: 1 GB sheet", repack(folder / "bomb.xlsx", stream=1024)),
        ("sheet lying about its size", liar(folder)),
        ("1 048 576 formatted empty rows", formatted_rows(folder)),
        ("the example itself", BOOK),
    ]
    print(f"{'case':<32} {'file':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, path in cases:
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                             text=True, check=True)
        seconds, peak, said = out.stdout.strip().split("|", 2)
        size = f"{path.stat().st_size / MB:.1f} MB"
        print(f"{name:<32} {size:>8} {seconds:>8} {peak:>8}  {said[:90]}")


if __name__ == "__main__":
    main()
