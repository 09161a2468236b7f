"""Sheets and columns the README and docs/ name exist in the workbook's contract.

A clerk looks for what the README says: «на листе «Отсутствовали»» sent them to a
sheet that does not exist (it is a column of «Заседания»). Every name presented
as a sheet or a column («лист «…»», «столбец «…»», «поле «…»», the headings of
docs/workbook.md, the README's table of where each document's data comes from)
is checked against docgen/workbook/schema.py; a column is checked against the
sheets its sentence names, if it names any.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.output.registry import registry_bytes
from docgen.workbook.annotate import REPORT_SHEET
from docgen.workbook.blank import INSTRUCTION_SHEET
from docgen.workbook.schema import SHEETS

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

QUOTED = r"«[^«»]*(?:«[^«»]*»[^«»]*)*»"  # «МАУ ИМЦ «Альтернатива»» is one name
LIST = rf"{QUOTED}(?:(?:,\s*|\s+и\s+|\s+или\s+){QUOTED})*"
SHEET_WORDS = r"лист\w*|необязательные|обязательны"
COLUMN_WORDS = r"столб\w*|поле|поля|полю|полем|полях"
MENTION = re.compile(rf"(?<![\w-])(?P<word>{SHEET_WORDS}|{COLUMN_WORDS})\s*:?\s+(?P<names>{LIST})",
                     re.IGNORECASE)
HEADING = re.compile(rf"^#+\s*(?P<names>{QUOTED})\s+\((?:не)?обязательный лист\)", re.MULTILINE)
# Sentences, table cells and paragraphs: a column is checked against the sheets named
# in the same piece of text.
PIECES = re.compile(r"(?<=[.!?;])\s+|\n\s*\n|\|")
TEMPLATE_FIELD = re.compile(r"^[A-Za-z_][\w.|() ]*$")  # «chair.initials»: a template's field


def names_in(text: str) -> list[str]:
    """«A», «B» и «C» → [A, B, C]; a name may hold quotes of its own."""
    found, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "«":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "»":
            depth -= 1
            if depth == 0:
                found.append(text[start:i])
    return found


def other_sheets() -> set[str]:
    """Sheets of the workbooks docgen writes besides the group's: the blank workbook's
    instructions, the annotated copy's report, the registry's and the summary table's sheets."""
    from docgen.output.summary import TABLE_SHEETS

    registry = load_workbook(io.BytesIO(registry_bytes(Path("2025-2026 учебный год"), [])))
    return {INSTRUCTION_SHEET, REPORT_SHEET, *registry.sheetnames, *TABLE_SHEETS}


SHEET_NAMES = {name for s in SHEETS for name in (s.name, *s.aliases)}
COLUMNS = {
    s.name: {name for c in s.columns for name in (c.header, *c.header_aliases)}
    | ({"Поле", "Значение", "Пояснение"} if s.fields else set())  # «Группа»'s own headers
    for s in SHEETS
}
ALL_COLUMNS = set().union(*COLUMNS.values())


def wrong_names(text: str, sheets_elsewhere: set[str] | None = None) -> list[str]:
    """Every sheet or column ``text`` names that the contract does not have, said why."""
    known_sheets = SHEET_NAMES | (other_sheets() if sheets_elsewhere is None
                                  else sheets_elsewhere)
    wrong: list[str] = []
    for name in (n for m in HEADING.finditer(text) for n in names_in(m["names"])):
        if name not in SHEET_NAMES:
            wrong.append(f"заголовок «{name}» — не лист книги")
    for piece in PIECES.split(text):
        piece = " ".join(piece.split())
        sheets_here: set[str] = set()
        columns_here: list[str] = []
        for m in MENTION.finditer(piece):
            names = names_in(m["names"])
            if re.fullmatch(SHEET_WORDS, m["word"], re.IGNORECASE):
                for name in names:
                    if name not in known_sheets:
                        wrong.append(f"«{name}» названо листом, а такого листа нет: «{piece}»")
                    sheets_here.add(name)
            else:
                columns_here += [n for n in names if not TEMPLATE_FIELD.match(n)]
        allowed = set().union(*(COLUMNS.get(s, set()) for s in sheets_here & SHEET_NAMES)) \
            if sheets_here & SHEET_NAMES else ALL_COLUMNS
        for name in columns_here:
            if name not in allowed:
                where = ", ".join(f"«{s}»" for s in sorted(sheets_here)) or "ни на одном листе"
                wrong.append(f"столбца «{name}» нет ({where}): «{piece}»")
    return wrong


def source_table_names(text: str) -> list[str]:
    """Names in the README's «откуда данные» column: each must be a sheet or a column."""
    wrong: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "откуда данные" not in line:
            continue
        for row in lines[i + 2:]:
            if not row.startswith("|"):
                break
            cell = row.split("|")[2]
            for name in names_in(cell):
                if name not in SHEET_NAMES and name not in ALL_COLUMNS:
                    wrong.append(f"«{name}» — не лист и не столбец книги: {row}")
    return wrong


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_sheets_and_columns_named_in_docs_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert wrong_names(text) == []
    assert source_table_names(text) == []


def test_the_check_finds_things_to_check() -> None:
    """Not vacuous: the README names many sheets and columns the way the check reads."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    words = [m["word"].lower() for m in MENTION.finditer(" ".join(text.split()))]
    assert sum(w.startswith("лист") for w in words) >= 8
    assert sum(w.startswith(("столб", "пол")) for w in words) >= 3
    workbook_md = (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8")
    assert len(HEADING.findall(workbook_md)) == len(SHEETS)


@pytest.mark.parametrize(("text", "wrong"), [
    ("Если на листе «Отсутствовали» перечислены фамилии.", "«Отсутствовали» названо листом"),
    ("Обязательные листы: «Группа», «Участник», «Заседания».", "«Участник» названо листом"),
    ("Заполните столбец «Должность» на листе «Заседания».", "столбца «Должность» нет"),
    ("Пол берётся из столбца «Полл».", "столбца «Полл» нет"),
    ("## «Отсутствовали» (необязательный лист)", "заголовок «Отсутствовали»"),
])
def test_a_wrong_name_is_found(text: str, wrong: str) -> None:
    found = wrong_names(text, sheets_elsewhere=set())
    assert len(found) == 1 and wrong in found[0], found


@pytest.mark.parametrize("text", [
    "Если в столбце «Отсутствовали» (лист «Заседания») перечислены фамилии.",
    "Пол берётся из столбца «Пол». В поле «Задачи» каждую задачу пишите с новой строки.",
    "Краткое наименование, как в столбце «Организация» на листе «Участники».",
    "Поле «chair.initals» неизвестно шаблону.",  # a template's field, not the workbook's
])
def test_a_right_name_passes(text: str) -> None:
    assert wrong_names(text, sheets_elsewhere=set()) == []


def test_the_source_table_check_can_fail() -> None:
    table = "| документ | откуда данные |\n| --- | --- |\n| Протоколы | «Заседания», «Явка» |\n"
    assert len(source_table_names(table)) == 1
