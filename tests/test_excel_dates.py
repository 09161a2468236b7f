"""The reader's copy of openpyxl's date helpers gives what openpyxl's own give.

``docgen.workbook.excel_dates`` exists so that reading a workbook needs no
openpyxl (0.1 s of every process); each function is compared here with the
openpyxl one it was copied from, on every built-in format and many values.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import python_output
from openpyxl.styles import numbers as theirs_numbers
from openpyxl.utils import datetime as theirs

from docgen.workbook import excel_dates as ours

FORMATS = [*ours.BUILTIN_FORMATS.values(), "DD.MM.YYYY", "dd/mm/yyyy;@", '"Дата: "dd.mm',
           "[$-419]d mmmm yyyy", "[h]:mm", "[mm]:ss.00", "[ss]", "h:mm;@", "0.00;[Red]-0.00",
           r"0\d", "_d0", '"d"0', "[Red]0", "[BLUE]yyyy", "General;dd", "", "@", "mm:ss.0",
           "ДД.ММ.ГГГГ", "[$€-2] #,##0.00"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_number_formats_are_told_as_openpyxl_tells_them(fmt: str) -> None:
    assert ours.is_date_format(fmt) == theirs_numbers.is_date_format(fmt)
    assert ours.is_timedelta_format(fmt) == theirs_numbers.is_timedelta_format(fmt)


def test_builtin_codes_and_none() -> None:
    for index in range(-2, 200):
        assert ours.builtin_format_code(index) == theirs_numbers.builtin_format_code(index)
    assert ours.BUILTIN_FORMATS == theirs_numbers.BUILTIN_FORMATS
    assert ours.is_date_format(None) is theirs_numbers.is_date_format(None) is False


SERIALS = [0, 0.5, 0.999999, 1, 1.25, 59, 59.99, 60, 60.5, 61, 366, 45000, 45000.123456,
           45896, 2958465, 0.0000001, 12.5, 1e-9, 100000.75]


@pytest.mark.parametrize("epoch", [ours.WINDOWS_EPOCH, ours.MAC_EPOCH])
@pytest.mark.parametrize("timedelta", [False, True])
def test_serials_become_the_same_dates(epoch: object, timedelta: bool) -> None:
    values = [*SERIALS, *(n / 7 for n in range(-5, 400)), None]
    def outcome(function: object, value: object) -> object:
        try:
            return function(value, epoch, timedelta=timedelta)  # type: ignore[operator]
        except (OverflowError, ValueError) as exc:  # before 0001-01-01, as theirs
            return f"{type(exc).__name__}: {exc}"

    for value in values:
        assert outcome(ours.from_excel, value) == outcome(theirs.from_excel, value), value
    assert ours.WINDOWS_EPOCH == theirs.CALENDAR_WINDOWS_1900
    assert ours.MAC_EPOCH == theirs.CALENDAR_MAC_1904


def test_iso_timestamps_become_the_same_values() -> None:
    texts = ["2025-09-01", "2025-09-01T10:30:00Z", "2025-09-01T10:30:15.5", "10:30", "T10:30:01",
             "10:30:01.123Z", "PT1H30M", "PT45S", "PT2.5S", "PT1H", "", "2025-09-01T00:00"]
    for text in texts:
        assert ours.from_ISO8601(text) == theirs.from_ISO8601(text), text
    for text in ("вчера", "2025/09/01", "P1D"):
        with pytest.raises(ValueError) as mine:
            ours.from_ISO8601(text)
        with pytest.raises(ValueError) as original:
            theirs.from_ISO8601(text)
        assert str(mine.value) == str(original.value)
    digits = "0123456789"
    for a, b in itertools.product(digits, repeat=2):  # every day and month shape
        text = f"2024-{a}{b}-{b}{a}"
        try:
            expected: object = theirs.from_ISO8601(text)
        except ValueError as exc:
            expected = str(exc)
        try:
            got: object = ours.from_ISO8601(text)
        except ValueError as exc:
            got = str(exc)
        assert got == expected, text


def test_reading_and_checking_a_workbook_imports_no_openpyxl() -> None:
    """What the copy is for; with the import put back this fails."""
    code = ("import sys; from pathlib import Path; from docgen.api.check import check_workbook; "
            "r = check_workbook(Path('data') / 'izhevsk-gmo.xlsx'); "
            "print(r.ok, 'openpyxl' in sys.modules)")
    assert python_output(code).split() == ["True", "False"]
