"""One exception tree and the Problem record.

Every failure a clerk can cause is a ``DocgenError`` carrying where it happened
(file, sheet, cell) so the CLI can print one Russian line instead of a traceback.
Validation does not raise per mistake: it collects ``Problem`` records, so the
clerk sees every mistake at once, and raises ``ValidationError`` holding them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from docgen.text import visible


class Severity(str, enum.Enum):
    """Errors block documents; warnings are shown but do not."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "ошибка" if self is Severity.ERROR else "предупреждение"


def column_letter(column: int) -> str:
    """Excel's letters of a 1-based column: 1 → «A», 28 → «AB».

    Written here rather than imported from openpyxl, whose import alone would
    cost every command (even ``--help``) a tenth of a second.
    """
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int | None, column: int | None) -> str | None:
    """Excel reference («B7») of a 1-based row/column; a column alone gives «B»."""
    if column is None:
        return None
    letter = column_letter(column)
    return f"{letter}{row}" if row is not None else letter


@dataclass(frozen=True)
class Location:
    """Where in a workbook something is: any part may be unknown."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    label: str | None = None  # whom or what the row is about: «Ахмедов Руслан»

    @property
    def cell(self) -> str | None:
        return cell_ref(self.row, self.column)

    def describe(self, with_file: bool = True) -> str:
        """Russian prefix such as «group.xlsx, лист «Участники», ячейка E6 (Ахмедов Руслан)».

        The row's label names the person, meeting or organisation, so a clerk
        finds the row by what it is, not only by its number.
        """
        parts: list[str] = []
        if with_file and self.file:
            parts.append(Path(self.file).name)
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.cell and self.row is not None:
            parts.append(f"ячейка {self.cell}")
        elif self.cell:
            parts.append(f"столбец {self.cell}")
        elif self.row is not None:
            parts.append(f"строка {self.row}")
        if self.label and self.row is not None:
            parts[-1] += f" ({self.label})"
        return ", ".join(parts)

    def prefix(self, message: str, with_file: bool = True) -> str:
        """``message`` behind its place: «group.xlsx, лист «…», ячейка B7: …»."""
        where = self.describe(with_file=with_file)
        return visible(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Problem:
    """One mistake found in a workbook, with its place and what would be right."""

    severity: Severity
    message: str
    location: Location = Location()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, with_file: bool = True) -> str:
        return self.location.prefix(self.message, with_file=with_file)

    def __str__(self) -> str:
        return self.format()


class DocgenError(Exception):
    """Base of every error docgen reports to a clerk in Russian."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(
            file=str(file) if file is not None else None, sheet=sheet, row=row, column=column
        )

    @property
    def file(self) -> str | None:
        return self.location.file

    @property
    def sheet(self) -> str | None:
        return self.location.sheet

    @property
    def row(self) -> int | None:
        return self.location.row

    @property
    def column(self) -> int | None:
        return self.location.column

    def __str__(self) -> str:
        return self.location.prefix(self.message)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle as it is: a batch sends errors back from its worker processes."""
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[DocgenError], args: tuple[object, ...],
             state: dict[str, object]) -> DocgenError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class WorkbookError(DocgenError):
    """The file cannot be read as a workbook at all (missing, not .xlsx, encrypted…)."""


class ValidationError(DocgenError):
    """The workbook was read but has errors; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem], *, file: str | Path | None = None) -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"в книге есть ошибки: {len(errors)}", file=file)
        self.problems = problems


class ProfileError(DocgenError):
    """A kind profile (kinds/*.toml) is malformed: a fault of the installation."""


class OutputError(DocgenError):
    """A file cannot be written where the clerk asked."""


class TemplateError(DocgenError):
    """A template cannot be rendered: a mistake in the .docx, said with its paragraph."""


class PdfError(DocgenError):
    """A document could not be converted to PDF: LibreOffice failed, hung or is missing."""


class LibreOfficeNotFound(PdfError):
    """No LibreOffice to make PDFs with: the .docx files are still written."""


class AccessError(DocgenError):
    """A folder on the way to a file cannot be entered: no search («x») right on it."""


def searchable(folder: Path) -> bool:
    """Whether this user may pass through ``folder`` (the search right, «x» on POSIX)."""
    import os

    return os.access(folder, os.X_OK)


def closed_folder(exc: OSError) -> AccessError | None:
    """For a PermissionError on a path under a folder one cannot enter: one Russian line
    naming that folder (the first such one from the root). None when no folder on the
    way is closed: the file itself is the matter, and its own message says so."""
    import errno

    if not (isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM)):
        return None
    for name in (exc.filename, exc.filename2):
        if not name:
            continue
        path = Path(name).absolute()
        for folder in reversed(path.parents):
            try:
                if folder.is_dir() and not searchable(folder):
                    return AccessError(
                        f"нет доступа к папке «{folder}»: у этой учётной записи нет права "
                        f"открывать её; попросите владельца папки дать права на неё или "
                        f"переложите файлы в другую папку", file=path)
            except OSError:
                continue
    return None
