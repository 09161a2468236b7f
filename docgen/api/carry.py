"""`docgen init --from`: next school year's workbook from this year's.

A centre reopens its groups every August. What stays (the group, its people
and organisations) is copied as the clerk typed it into a fresh blank workbook
(`init`'s: dropdowns, hints, «Инструкция»); what belongs to one year only (order
numbers and dates, meetings, the plan, events, products, problems) is left
empty. Fields are carried by a rule, not a list of what to copy, so a field
added to «Группа» later is carried without touching this module. The old
workbook is only read, never written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, OutputError, Problem
from docgen.text import norm
from docgen.workbook.schema import GROUP, MEMBERS, ORGANIZATIONS, Sheet, column_for_header

# Sheets whose rows are the group itself and go on; every other sheet is a year's work.
CARRIED_SHEETS = (MEMBERS, ORGANIZATIONS)
# «Группа» fields of one year: emptied. Every «Номер приказа…» and «Дата приказа…»
# field is too, whatever follows in its name (see ``_is_order_field``).
EMPTIED_FIELDS = ("problems", "proposals")
# «Участники» columns of one year: a member who left («Дата выбытия») is not carried, and
# the orders that included or excluded someone this year are not next year's.
MEMBER_YEAR_COLUMNS = ("left", "join_order_number", "join_order_date", "leave_order_number",
                       "leave_order_date")
CONFIRMED_FIELDS = ("theme", "goal", "tasks")  # carried, with a note to confirm them
SHIFTED_FIELDS = ("year", "start", "end")
CONFIRM_NOTE = ("Перенесено из книги прошлого учебного года ({source}). Проверьте и "
                "подтвердите: если в новом году {what} другая, впишите новую.")
FIELD_WORDS = {"theme": "тема", "goal": "цель", "tasks": "задачи"}
_YEAR = re.compile(r"^\s*(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})\s*$")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)([-_–])(20\d\d)(?!\d)")


@dataclass
class CarryResult:
    """One workbook carried over: where it went, what to confirm, the old book's problems."""

    source: Path
    target: Path
    year: str = ""  # the new academic year, «2026/2027», when the old one was readable
    confirm: list[str] = field(default_factory=list)  # cells carried with a note, «B6»
    problems: list[Problem] = field(default_factory=list)  # the old book's errors, as carried


def _is_order_field(header: str) -> bool:
    """An order of this year: emptied. The standing положение's approval (seed 002: «от
    12.02.2020 № 109») is not of one year, so it is carried as it is."""
    key = norm(header)
    return key.startswith(("номер приказа", "дата приказа")) and "положени" not in key


def next_year(text: Any) -> str | None:
    """«2025/2026» (or «2025-26») → «2026/2027»; None when it is not a school year."""
    m = _YEAR.match(str(text or ""))
    if not m:
        return None
    first = int(m[1]) + 1
    return f"{first}/{first + 1}"


def year_on(value: dt.date) -> dt.date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return value.replace(year=value.year + 1)
    except ValueError:
        return value.replace(year=value.year + 1, day=28)


def next_file_name(name: str) -> str:
    """«книга 2025-2026.xlsx» → «книга 2026-2027.xlsx»; a name without a year stays."""
    def shift(m: re.Match[str]) -> str:
        first, second = int(m[1]), int(m[3])
        if second != first + 1:
            return m[0]
        return f"{first + 1}{m[2]}{second + 1}"

    return _YEAR_IN_NAME.sub(shift, name)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", value)
        if m:
            try:
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                return None
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _read_raw(path: Path) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet the contract knows: its title and rows of values, as the reader sees them."""
    from docgen.workbook.book import BookError
    from docgen.workbook.reader import damaged, open_workbook, read_bytes
    from docgen.workbook.schema import sheet_for_name

    book = open_workbook(read_bytes(path), path.name)
    try:
        found: dict[str, tuple[str, list[tuple[Any, ...]]]] = {}
        for title in book.titles:
            spec = sheet_for_name(title)
            if spec is None or spec.key in found:
                continue
            if spec is not GROUP and spec not in CARRIED_SHEETS:
                continue
            found[spec.key] = (title, list(book.sheet(title).iter_rows(values_only=True)))
        return found
    except BookError as exc:
        raise damaged(path.name, exc) from exc
    finally:
        book.close()


def _cell_value(value: Any) -> Any:
    """A value as the new workbook holds it: a datetime at midnight as a date."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _kind_of(rows: list[tuple[Any, ...]]) -> Any:
    from docgen.kinds import find_kind

    for cells in rows:
        if len(cells) > 1 and cells[0] is not None and norm(cells[0]) == norm(
                GROUP.column("kind").header):
            return find_kind(str(cells[1] or ""))
    return None


def _carry_group(ws: Any, rows: list[tuple[Any, ...]], kind: Any, source: str,
                 result: CarryResult) -> None:
    """«Группа», field by field: carried, shifted a year, emptied or carried to confirm."""
    from docgen.workbook.blank import hint_comment, put_value

    by_label = {norm(ws.cell(row=r, column=1).value): r for r in range(2, ws.max_row + 1)
                if ws.cell(row=r, column=1).value}
    by_key = {col.key: col for col in GROUP.columns}
    index = {norm(h): col for col in GROUP.columns for h in (col.header, *col.header_aliases)}
    old: dict[str, Any] = {}
    for cells in rows:
        label = cells[0] if cells else None
        value = cells[1] if len(cells) > 1 else None
        if label is None or not str(label).strip() or norm(label) in ("поле", norm(GROUP.name)):
            continue
        col = index.get(norm(label))
        if col is not None and col.key in old:
            continue  # a field given twice: the first one, as the reader takes it
        if col is not None:
            old[col.key] = value
            r = by_label.get(norm(col.header))
        else:
            r = by_label.get(norm(label))
        if r is None:  # a field the contract does not know: carried as it is, at the end
            r = ws.max_row + 1
            ws.cell(row=r, column=1, value=str(label))
            by_label[norm(label)] = r
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = col.key if col is not None else None
        header = col.header if col is not None else str(label)
        if key in EMPTIED_FIELDS or _is_order_field(header) or key in SHIFTED_FIELDS:
            continue
        put_value(ws.cell(row=r, column=2), _cell_value(value))
        if key in CONFIRMED_FIELDS:
            cell = ws.cell(row=r, column=2)
            cell.comment = hint_comment(CONFIRM_NOTE.format(source=source, what=FIELD_WORDS[key]))
            result.confirm.append(cell.coordinate)
    year = next_year(old.get("year"))
    if year is None and old.get("year") is not None:  # not a school year: carried as typed
        year = str(old["year"])
    elif year is not None:
        result.year = year
    if year is not None:
        ws.cell(row=by_label[norm(by_key["year"].header)], column=2, value=year)
    fixed = kind.rules.fixed_period if kind is not None else None
    for key, part in (("start", 0), ("end", 1)):
        value = old.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # empty: the default period of the new year, as before
        date = _as_date(value)
        if date is not None and fixed and result.year:
            day, month = (int(x) for x in fixed[part].split("."))
            date = dt.date(int(result.year[:4]) + part, month, day)
        elif date is not None:
            date = year_on(date)
        put_value(ws.cell(row=by_label[norm(by_key[key].header)], column=2),
             date if date is not None else _cell_value(value))


def _carry_table(ws: Any, spec: Sheet, rows: list[tuple[Any, ...]]) -> None:
    """A table's rows into the blank sheet by header; a column the contract lacks goes last."""
    from docgen.workbook.blank import put_value
    from docgen.workbook.reader import find_header_row

    header = find_header_row(rows, spec)
    if header is None:
        return
    header_row, by_index = header
    targets = {}
    for c in range(1, ws.max_column + 1):
        col = column_for_header(spec, ws.cell(row=1, column=c).value)
        if col is not None:
            targets[col.key] = c
    extra: dict[int, int] = {}  # old column -> new column, for columns the contract lacks
    for c, title in enumerate(rows[header_row - 1], start=1):
        if c not in by_index and title is not None and str(title).strip():
            extra[c] = ws.max_column + 1
            ws.cell(row=1, column=extra[c], value=str(title))
    def empty(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    left = next((c for c, col in by_index.items() if col.key == "left"), None)
    r = 1
    for cells in rows[header_row:]:
        if all(empty(v) for v in cells):
            continue
        if left is not None and left <= len(cells) and not empty(cells[left - 1]):
            continue  # left the group: not in next year's состав
        r += 1
        for c, value in enumerate(cells, start=1):
            if value is None:
                continue
            col = by_index.get(c)
            if col is not None and spec is MEMBERS and col.key in MEMBER_YEAR_COLUMNS:
                continue
            if col is None:
                if c in extra:
                    put_value(ws.cell(row=r, column=extra[c]), _cell_value(value))
                continue
            if col.key == "experience" and (years := _as_int(value)) is not None:
                value = years + 1
            put_value(ws.cell(row=r, column=targets[col.key]), _cell_value(value))


def carry_over(source: str | Path, target: str | Path, force: bool = False) -> CarryResult:
    """Write next school year's workbook ``target`` from ``source``; ``source`` is only read.

    The old workbook's own errors do not stop it: its values are carried as they
    are, and the errors are returned (``problems``) so that the clerk is told.
    """
    from docgen.api.check import check_workbook
    from docgen.workbook.blank import blank_workbook, save_atomically

    source, target = Path(source), Path(target)
    raw = _read_raw(source)  # raises WorkbookError for what is not a workbook at all
    if target.suffix.lower() != ".xlsx":
        raise OutputError("имя новой книги должно оканчиваться на .xlsx", file=target)
    if target.exists() and not force:
        raise OutputError("файл уже существует; выберите другое имя или добавьте --force, "
                          "чтобы заменить его", file=target)
    try:
        if target.resolve() == source.resolve():
            raise OutputError("новая книга не может заменить прошлогоднюю: укажите другое имя",
                              file=target)
    except OSError:
        pass
    result = CarryResult(source, target)
    checked = check_workbook(source)
    if checked.error is not None:
        raise checked.error
    result.problems = checked.errors
    group_rows = raw.get(GROUP.key, ("", []))[1]
    kind = _kind_of(group_rows)
    wb = blank_workbook(kind)
    _carry_group(wb[GROUP.name], group_rows, kind, source.name, result)
    for spec in CARRIED_SHEETS:
        if spec.key in raw:
            _carry_table(wb[spec.name], spec, raw[spec.key][1])
    when = (dt.datetime(int(result.year[:4]), 9, 1) if result.year
            else dt.datetime(2000, 1, 1))  # fixed: the same old book gives the same new one
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"не удалось создать папку «{target.parent}»: "
                          f"{exc.strerror or exc}") from exc
    save_atomically(wb, target, when)
    return result


@dataclass
class FolderCarry:
    """A folder carried over: each workbook's result, and the files that failed."""

    results: list[CarryResult] = field(default_factory=list)
    failed: list[tuple[Path, DocgenError]] = field(default_factory=list)


def carry_folder(source: str | Path, out_dir: str | Path, force: bool = False) -> FolderCarry:
    """Every workbook of a folder, chosen as `build` chooses them, into ``out_dir``.

    Each new workbook keeps its old name with the school year in it moved on.
    One file that cannot be carried does not stop the others.
    """
    from docgen.api.check import workbook_paths

    paths, problems = workbook_paths([Path(source)])
    done = FolderCarry()
    done.failed += [(Path(source), p) for p in problems]
    out = Path(out_dir)
    for path in paths:
        try:
            done.results.append(carry_over(path, out / f"{next_file_name(path.stem)}.xlsx",
                                             force))
        except DocgenError as exc:
            done.failed.append((path, exc))
    return done
