"""Any text in any text field: the build succeeds, every .docx opens and holds the text.

A property test (hypothesis): arbitrary Unicode — control characters, markup, right
to left, emoji, combining marks, lone quotes and braces — goes into every free-text
field of an example workbook of each kind at once. The text a field must show is
what the reader makes of the cell (controls removed, spaces folded); the test
checks that rendering then prints it as it is, wherever the documents print that
field unchanged. Which fields those are is found by a probe run with markers, so
the property covers every field a document shows verbatim.
"""

from __future__ import annotations

import copy
import os
import re
import runpy
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_example_photos, docx_text
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typocheck import GUARANTEED, folder_problems

from docgen.kinds import find_kind
from docgen.language import typography
from docgen.main import build_workbook
from docgen.text import norm
from docgen.workbook.blank import blank_workbook, fill_workbook, save_atomically
from docgen.workbook.reader import convert, xml_safe
from docgen.workbook.schema import GROUP, SHEETS, T
from docgen.workbook.validate import split_names

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES: dict[str, dict[str, Any]] = runpy.run_path(str(ROOT / "data" / "examples.py"))[
    "EXAMPLES"]
ORG_KEY = ("Организации", "Краткое наименование")
# Fields that must name an organisation of ORG_KEY's sheet: they follow its text.
FOLLOW_ORG_KEY = {("Группа", "Базовая организация"), ("Участники", "Организация")}

# (sheet, header) of every free-text column: where a clerk may type anything.
# «Отсутствовали» names members of the meeting's day (issue 26): not free text any more,
# check refuses a name that is not one, and the count must agree with it.
NAMES_MEMBERS = {("Заседания", "Отсутствовали")}
TEXT_FIELDS = [(sheet.name, col.header) for sheet in SHEETS for col in sheet.columns
               if col.type in (T.TEXT, T.LINES) and (sheet.name, col.header) not in
               FOLLOW_ORG_KEY | NAMES_MEMBERS]
COLUMNS = {(sheet.name, col.header): col for sheet in SHEETS for col in sheet.columns}

PROPERTY = settings(
    # 30 whole builds (of the five kinds) take about 15 s; DOCGEN_PROPERTY_EXAMPLES=500
    # runs a deeper search by hand.
    max_examples=int(os.environ.get("DOCGEN_PROPERTY_EXAMPLES", "30")),
    deadline=None,  # a build takes a while and its time varies with the disk
    # The same cases on every run and in CI, so a failure is reproducible; a deeper
    # search by hand draws new ones.
    derandomize="DOCGEN_PROPERTY_EXAMPLES" not in os.environ,
    database=None,  # no failures replayed from earlier runs on this machine: CI sees what we see
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    # No «explain» phase: it traces every line of a build, which takes minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)


def excel_text(text: str) -> str:
    """``text`` as Excel stores it in a cell: controls as «_xHHHH_», a typed «_x» escaped."""
    text = text.replace("_x", "_x005F_x")
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def fill(example: str, texts: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The example's content with ``texts`` in the first row of each sheet (and «Группа»)."""
    content = copy.deepcopy(EXAMPLES[example])
    texts = {field: excel_text(text) for field, text in texts.items()}
    for (sheet, header), text in texts.items():
        if sheet == GROUP.name:
            content[sheet][header] = text
        elif content.get(sheet):
            content[sheet][0][header] = text
    old = EXAMPLES[example]["Организации"][0]["Краткое наименование"]
    new = texts.get(ORG_KEY, old)
    for row in content.get("Участники", []):
        if row.get("Организация") == old:
            row["Организация"] = new
    if content[GROUP.name].get("Базовая организация") == old:
        content[GROUP.name]["Базовая организация"] = new
    return content


def save(content: dict[str, Any], path: Path) -> Path:
    wb = blank_workbook(find_kind(content[GROUP.name]["Вид объединения"]))
    fill_workbook(wb, content)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # «=…» typed as text stays text, as in Excel
    save_atomically(wb, path)
    return path


def document_texts(folder: Path) -> dict[str, str]:
    """Each .docx's whole text, opened with python-docx."""
    return {path.name: docx_text(path) for path in sorted(folder.rglob("*.docx"))}


def strings(value: Any) -> Iterator[str]:
    """Every text the clerk typed into a workbook's content."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def paired(text: str) -> bool:
    """Whether the quotes of one typed value open and close in pairs."""
    depth = 0
    for char in text:
        depth += char in "«„"
        depth -= char in "»“"
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def build(content: dict[str, Any]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        copy_example_photos(content, Path(tmp))
        book = save(content, Path(tmp) / "книга.xlsx")
        result = build_workbook(book, Path(tmp) / "out")
        errors = [p.format() for p in result.check.errors]
        assert result.ok, (errors, result.failed, result.error)
        texts = document_texts(Path(tmp) / "out")
        assert len(texts) == len(result.written) > 0
        # What the typography pass guarantees holds whatever the clerk typed; the rules
        # that depend on the wording are checked on the examples (test_typography.py).
        # Quotes are the pass's only when each value's own quotes pair up: a lone «
        # typed in a cell opens a quote nobody closed, and no pass can know where.
        rules = [r for r in GUARANTEED
                 if r != "кавычки" or all(paired(v) for v in strings(content))]
        typography_problems = folder_problems(Path(tmp) / "out", rules)
        assert typography_problems == [], typography_problems
        return texts


@cache
def verbatim_fields(example: str) -> tuple[tuple[str, str], ...]:
    """The text fields some document of ``example`` prints unchanged (found with markers)."""
    markers = {field: f"qz{n}xq" for n, field in enumerate(TEXT_FIELDS)}
    texts = "\n".join(build(fill(example, markers)).values())
    return tuple(f for f, marker in markers.items() if printed(marker, texts))


def printed(text: str, documents: str) -> bool:
    """Whether ``text`` is in ``documents``, its first letter in either case.

    A document may capitalise a value that starts a line (a position above a
    signature) or lower it inside a sentence, a name's straight quotes become
    «ёлочки», and a theme or topic loses its final dot where the template puts
    its own punctuation after it: that is typography, not a change. So are the
    typography pass's quotes, dashes and spaces (``folded``) and its «И.О. Фамилия».
    """
    typeset = folded(typography.typeset(text))  # «Аа А.А» is printed «А.А. Аа»
    text, documents = folded(text), folded(documents)
    forms = {text, text.rstrip("."), typeset, typeset.rstrip(".")}
    return "" in forms or any(form in documents for base in forms for form in (
        base, base[:1].upper() + base[1:], base[:1].lower() + base[1:]))


ABSENT = ("Заседания", "Отсутствовали")
QUOTES = str.maketrans("«»„“", '""""')
_DASH = re.compile(r"[ \u00a0]*[-–—][ \u00a0\u2060]*")


def folded(text: str) -> str:
    """Quotes, dashes and spaces as one kind each: what the typography pass may change."""
    text = text.translate(QUOTES).replace(typography.WJ, "").replace("\u00a0", " ")
    return _DASH.sub("-", text)


def shown(field: tuple[str, str], text: str) -> list[str]:
    """What the documents must show for ``text`` typed in ``field``: what the reader reads."""
    value = convert(xml_safe(text)[0], COLUMNS[field])
    if value is None:
        return []
    if field == ABSENT:  # a list of names: the protocol prints them «, »-separated
        return [", ".join(split_names(value))] if split_names(value) else []
    return value if isinstance(value, list) else [value]


# Text a clerk could type or paste: any character but lone surrogates (a cell cannot
# hold them), XML-illegal controls included; not only whitespace.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda t: bool(xml_safe(t)[0].strip()))


@pytest.mark.slow  # the probe builds every example with markers
@pytest.mark.xdist_group("property")  # one worker: the probe runs once for both
def test_the_probe_finds_the_fields_documents_print() -> None:
    for example in EXAMPLES:
        fields = verbatim_fields(example)
        assert len(fields) >= 15, (example, fields)
        assert (GROUP.name, "Тема") in fields


@pytest.mark.slow  # a hypothesis run of many builds
@pytest.mark.xdist_group("property")
@given(example=st.sampled_from(sorted(EXAMPLES)),
       texts=st.fixed_dictionaries({field: ANY_TEXT for field in TEXT_FIELDS}))
@PROPERTY
def test_any_text_in_every_text_field_builds_and_comes_through(
        example: str, texts: dict[tuple[str, str], str]) -> None:
    others = {norm(org["Краткое наименование"]) for org in EXAMPLES[example]["Организации"][1:]}
    assume(norm(shown(ORG_KEY, texts[ORG_KEY])[0]) not in others)  # a repeat is an error
    documents = "\n".join(build(fill(example, texts)).values())
    for field in verbatim_fields(example):
        for item in shown(field, texts[field]):
            assert printed(item, documents), (field, item)
