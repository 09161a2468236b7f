"""Excel's dates and number formats, read exactly as openpyxl 3.1 reads them.

The reader (``xlsx.py``) needs from openpyxl only these few helpers: a date
serial to a date, an ISO timestamp to a date, and whether a cell's number
format shows a date or a duration. Importing them from openpyxl loads all of
openpyxl (0.1 s), and with it numpy: a tenth of a second of every ``docgen
check`` and of every batch's start. So they are copied here from openpyxl
3.1.5 (``openpyxl/utils/datetime.py`` and ``openpyxl/styles/numbers.py``;
MIT licence, Copyright (c) 2010 openpyxl), unchanged in what they return;
``tests/test_excel_dates.py`` compares each one with openpyxl's on every
built-in format and thousands of values.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

MAC_EPOCH = datetime.datetime(1904, 1, 1)
WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
SECS_PER_DAY = 86400

_ISO_REGEX = re.compile(r'''
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?''',
                        re.VERBOSE)
_ISO_DURATION = re.compile(
    r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_ISO8601(formatted_string: str) -> Any:
    """A timestamp of a «d» cell as a date, time, datetime or timedelta."""
    if not formatted_string:
        return None
    match = _ISO_REGEX.match(formatted_string)
    if match and any(match.groups()):
        parts: dict[str, Any] = match.groupdict(0)
        for key in ["year", "month", "day", "hour", "minute", "second"]:
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return datetime.time(parts["hour"], parts["minute"], parts["second"],
                                 parts["microsecond"])
        if not parts["time"]:
            return datetime.date(parts["year"], parts["month"], parts["day"])
        del parts["time"]
        del parts["date"]
        return datetime.datetime(**parts)
    match = _ISO_DURATION.match(formatted_string)
    if match and any(match.groups()):
        parts = match.groupdict(0)
        for key, val in parts.items():
            if val:
                parts[key] = float(val)
        return datetime.timedelta(**parts)
    raise ValueError(f"Invalid datetime value {formatted_string}")


def from_excel(value: Any, epoch: datetime.datetime = WINDOWS_EPOCH,
               timedelta: bool = False) -> Any:
    """An Excel serial as a datetime (a time below one day, a timedelta if asked)."""
    if value is None:
        return None
    if timedelta:
        td = datetime.timedelta(days=value)
        if td.microseconds:  # round to millisecond precision
            td = datetime.timedelta(seconds=td.total_seconds() // 1,
                                    microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * SECS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        return _days_to_time(diff)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + datetime.timedelta(days=day) + diff


def _days_to_time(value: datetime.timedelta) -> datetime.time:
    mins, seconds = divmod(value.seconds, 60)
    hours, mins = divmod(mins, 60)
    return datetime.time(hours, mins, seconds, value.microseconds)


BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_LITERAL_GROUP = r'".*?"'  # anything in quotes
_LOCALE_GROUP = r"\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]"  # in square brackets, but hours…
_STRIP_RE = re.compile(f"{_LITERAL_GROUP}|{_LOCALE_GROUP}")
_TIMEDELTA_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?",
                           re.I)
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def builtin_format_code(index: int) -> str | None:
    """One of the standard format codes by its number, or None."""
    return BUILTIN_FORMATS.get(index)


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    fmt = fmt.split(";")[0]  # only the first of +ve;-ve;zero;text
    fmt = _STRIP_RE.sub("", fmt)
    return _DATE_LETTER.search(fmt) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA_RE.search(fmt.split(";")[0]) is not None
