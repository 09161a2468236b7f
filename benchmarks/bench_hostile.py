"""How fast, and in how much memory, docgen refuses (or reads) hostile and odd workbooks.

Run from the checkout, with docgen installed:

    python benchmarks/bench_hostile.py

It makes, from data/amursk-tvorcheskaya.xlsx, a workbook whose «Участники» sheet
has 100 000 filled rows, two zip bombs (a 1 GB sheet of spaces packed into 1 MB,
and a sheet that declares 1 000 bytes but inflates to 200 MB), and a sheet with
all 1 048 576 rows formatted but empty, then runs ``check_workbook`` on each in
a fresh process and prints the time it took, the peak memory of the whole
process (VmHWM on Linux, where it starts afresh at exec) and the outcome.

Then it builds (``build_workbook``: read, validate, render, write, as
``docgen build`` does) a workbook of 9 999 members — 10 000 filled rows with the
header, the most a sheet may hold:
its peak memory must stay under 300 MB (issue 15). And it renders the hostile
templates of issue 15 (loops in loops, «'x'.center(10**9)», lipsum(100000),
string doubling), each of which must be refused by the render bounds
(``engine.LIMITS``) in seconds and little memory.

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


BUILD = """
import re, sys, tempfile, time
started = time.perf_counter()
from docgen.main import build_workbook
result = build_workbook(sys.argv[1], tempfile.mkdtemp(prefix='docgen-bench-'))
seconds = time.perf_counter() - started
peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) // 1024
said = (f'записано документов: {len(result.written)}, не записано: {len(result.failed)}'
        if result.check.ok else str(result.check.error or result.check.errors[0]))
print(f'{seconds:.2f}|{peak}|{said}')
"""

RENDER = """
import io, re, sys, time
import docx
from docgen.templating import render
from docgen.errors import TemplateError
doc = docx.Document()
doc.add_paragraph(sys.argv[1])
buffer = io.BytesIO()
doc.save(buffer)
path = sys.argv[2]
open(path, 'wb').write(buffer.getvalue())
from pathlib import Path
started = time.perf_counter()
try:
    render(Path(path), {})
    said = 'сформирован!'
except TemplateError as exc:
    said = exc.message.split(': ', 1)[-1]
seconds = time.perf_counter() - started
peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) // 1024
print(f'{seconds:.2f}|{peak}|{said}')
"""
HOSTILE_TEMPLATES = [
    ("loop in a loop, 10^10 steps",
     "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"),
    ("'x'.center(10**9)", "{{ 'x'.center(10**9) }}"),
    ("lipsum(100000)", "{{ lipsum(100000) }}"),
    ("'%0999999999d'|format(1)", '{{ "%0999999999d"|format(1) }}'),
    ("string doubled 60 times", "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
                                "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"),
]


def ten_thousand_members(folder: Path) -> Path:
    """The example workbook with 9 999 members (10 000 filled rows, the most allowed)."""
    import openpyxl

    wb = openpyxl.load_workbook(BOOK)
    sheet = wb["Участники"]
    model = [c.value for c in sheet[4]]  # an ordinary member
    letters = "абвгдежзиклмнопрст"
    for n in range(10_000 - sheet.max_row):
        row = list(model)
        row[0] = "Участ" + "".join(letters[n // len(letters) ** k % len(letters)]
                                   for k in range(4))
        row[10] = f"member{n}@example.ru"
        sheet.append(row)
    target = folder / "9999-members.xlsx"
    wb.save(target)
    return target


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
    big = ten_thousand_members(folder)
    out = subprocess.run([sys.executable, "-c", BUILD, str(big)], capture_output=True,
                         text=True, check=True)
    seconds, peak, said = out.stdout.strip().split("|", 2)
    size = f"{big.stat().st_size / MB:.1f} MB"
    print(f"{'build of 9 999 members':<32} {size:>8} {seconds:>8} {peak:>8}  {said[:90]}")
    print()
    print(f"{'hostile template':<32} {'':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, text in HOSTILE_TEMPLATES:
        out = subprocess.run([sys.executable, "-c", RENDER, text, str(folder / "t.docx")],
                             capture_output=True, text=True, check=True, timeout=600)
        seconds, peak, said = out.stdout.strip().split("|", 2)
        print(f"{name:<32} {'':>8} {seconds:>8} {peak:>8}  {said[:90]}")


if __name__ == "__main__":
    main()
