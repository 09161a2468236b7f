"""Checking workbooks: ``docgen check`` and the first step of every build.

Which files are workbooks (``workbook_paths``), what each one says
(``check_workbook``: read, validate, the group), and a marked-up copy for the
clerk (``annotate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import DocgenError, Problem, ValidationError
from docgen.kinds import Kind, all_kinds, kinds_matching
from docgen.workbook.model import Group

if TYPE_CHECKING:

    pass


@dataclass
class CheckResult:
    """The outcome of checking one workbook."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    error: DocgenError | None = None  # the file could not be read at all
    group: Group | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.errors


def resolve_kind(text: str) -> Kind:
    """The kind a clerk names by ``text`` (a word of its name, an alias, a code), or a
    DocgenError listing the kinds it could be."""
    found = kinds_matching(text)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"«{k.name}» (код {k.id})" for k in found)
        raise DocgenError(f"вид объединения «{text}» неоднозначен, подходят: {listed}; "
                          f"уточните название или укажите код")
    listed = ", ".join(f"«{k.name}» (код {k.id})" for k in all_kinds())
    raise DocgenError(f"неизвестный вид объединения «{text}»; возможные виды: {listed}")


def check_workbook(path: str | Path) -> CheckResult:
    """Read and validate one workbook; an unreadable file becomes ``error``."""
    from docgen.workbook.reader import read_workbook
    from docgen.workbook.validate import validate

    path = Path(path)
    try:
        data = read_workbook(path)
    except DocgenError as exc:
        return CheckResult(path, error=exc)
    group, problems = validate(data)
    return CheckResult(path, problems=problems, group=group)


def check(paths: list[str | Path]) -> list[CheckResult]:
    """Check every workbook; one unreadable file does not stop the others."""
    return [check_workbook(p) for p in paths]


def load_group(path: str | Path) -> Group:
    """The validated group of a workbook; raises ValidationError listing every problem."""
    result = check_workbook(path)
    if result.error is not None:
        raise result.error
    if result.group is None:
        raise ValidationError(result.problems, file=Path(path).name)
    return result.group


def annotate(path: str | Path, problems: list[Problem]) -> Path:
    """Write ``<name>.проверка.xlsx`` with every problem cell marked; returns its path."""
    from docgen.workbook.annotate import annotate as write_annotated

    return write_annotated(path, problems)


LOCK_PREFIXES = ("~$", ".~lock.")  # what Excel and LibreOffice leave beside an open book


# What python-calamine reads: Excel's books, old and new, and LibreOffice's (МойОфис saves
# .xlsx and .ods too).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


# Tables a clerk may have saved a group's workbook as by mistake. In a folder they are
# built like workbooks, so each one fails with its own «save it as .xlsx» message and
# the batch exits 1, instead of the group being left out in silence. A file beside an
# .xlsx of the same name («группа.xls» or «группа.ods» next to «группа.xlsx») is the
# old copy (or the copy converted from it) and is left out.
MISTAKEN_SUFFIXES = (".xlsb", ".fods", ".csv", ".numbers")


def workbook_paths(paths: list[str | Path]) -> tuple[list[Path], list[DocgenError]]:
    """The workbooks named by ``paths``: files as given, folders by their .xlsx files.

    A folder's lock files, «….проверка.xlsx» copies (made by ``check --annotate``)
    and files that are not tables are left out; tables in other formats (.xlsb, .csv…)
    are kept, so that they are reported. A folder with no workbook is an
    error of its own, so the other paths are still built. A file named twice is
    built once.
    """
    found: list[Path] = []
    problems: list[DocgenError] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)
            continue
        files = [p for p in path.iterdir()
                 if p.is_file() and not p.name.startswith(LOCK_PREFIXES)]
        books = [p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES
                 and not p.stem.lower().endswith(".проверка")]
        converted = {p.stem.casefold() for p in books if p.suffix.lower() in (".xlsx", ".xlsm")}
        books = [p for p in books if p.suffix.lower() in (".xlsx", ".xlsm")
                 or p.stem.casefold() not in converted]
        mistaken = [p for p in files if p.suffix.lower() in MISTAKEN_SUFFIXES
                    and p.stem.casefold() not in converted]
        if not books and not mistaken:
            problems.append(DocgenError("в папке нет книг Excel (.xlsx)", file=str(path)))
        found.extend(sorted(books + mistaken, key=lambda p: p.name.casefold()))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), problems
