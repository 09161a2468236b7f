"""Write the bundled example workbooks (data/*.xlsx) from data/examples.py.

Each example starts as the blank workbook of its kind (``docgen init --kind``)
and is filled by header name, so the examples always match the contract.
Run: python data/make_examples.py
"""

from __future__ import annotations

import datetime as dt
import runpy
import sys
from pathlib import Path

from docgen.kinds import find_kind
from docgen.workbook.blank import blank_workbook, fill_workbook, save_atomically

HERE = Path(__file__).resolve().parent
# the files' «created» and «modified»: fixed, so a rerun writes the same bytes (git sees no
# change where the examples did not change)
WRITTEN = dt.datetime(2025, 8, 25, 9, 0)


def main(out_dir: Path = HERE) -> list[Path]:
    examples = runpy.run_path(str(HERE / "examples.py"))["EXAMPLES"]
    written = []
    for file_name, content in examples.items():
        kind = find_kind(content["Группа"]["Вид объединения"])
        wb = blank_workbook(kind)
        fill_workbook(wb, content)
        path = out_dir / file_name
        save_atomically(wb, path, when=WRITTEN)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
