"""`check --annotate` of a workbook with 18,000 problems takes seconds (issue 25 §2).

Before: the «Проверка» sheet asked openpyxl for its ``max_row`` after each line (it
looks at every cell: quadratic), and each style assignment hashed the whole style;
18,000 errors took about 3 minutes of CPU.
"""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest
from web_support import EXAMPLES

from docgen.api.check import annotate
from docgen.errors import Location, Problem, Severity

pytestmark = pytest.mark.slow  # about 10 s of CPU even when fast


def test_eighteen_thousand_problems_are_marked_in_seconds(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(EXAMPLES[2])
    sheet = book["Участники"]
    rows = 2000
    for i in range(rows):
        sheet.append([f"Иванoв{i}", "Ivan", "Петрович", "x", "учитель", "Нет", "ххх", "много",
                      "участник", "abc", "not-mail", "вчера"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    first = sheet.max_row - rows + 1
    problems = [Problem(Severity.ERROR if column % 3 else Severity.WARNING,
                        f"ошибка в ячейке {column}:{row}",
                        Location(path.name, "Участники", row, column, f"Иванoв{row}"))
                for row in range(first, first + rows) for column in range(1, 10)]
    assert len(problems) == 18_000
    started = time.process_time()
    marked = annotate(path, problems)
    spent = time.process_time() - started
    print(f"annotate: {spent:.1f} s of CPU")
    assert spent < 20, f"{spent:.0f} s of CPU"  # before: 57 s
    result = openpyxl.load_workbook(marked)
    report = result["Проверка"]
    assert report.max_row == 18_001
    link = report["C2"].hyperlink
    assert "Участники" in (link.target or link.location) and link.target.endswith(f"!A{first}")
    assert report["A2"].fill.fgColor.rgb.endswith("FF9999")
    assert report["A4"].fill.fgColor.rgb.endswith("FFE699")  # column 3: a warning
    data = result["Участники"]
    assert data[f"B{first}"].fill.fgColor.rgb.endswith("FF9999")
    assert data[f"B{first}"].comment.text.startswith("ошибка: ошибка в ячейке 2:")
