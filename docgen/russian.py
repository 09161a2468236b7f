"""Russian language helpers: plural agreement and dates as clerks write them.

Plural categories come from babel's CLDR rules rather than a hand-made
``n % 10`` table, so «21 участник», «22 участника», «25 участников», «1,5 часа»
agree the way CLDR says Russian does.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale


@lru_cache(maxsize=1)
def _ru() -> Locale:
    return Locale("ru")


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that agrees with ``n``: plural(5, «заседание», …) → «заседаний»."""
    form = _ru().plural_form(abs(n))
    if form == "one":
        return one
    if form == "few":
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """A number with its agreeing noun: «1 заседание», «3 заседания», «5 заседаний»."""
    return f"{n} {plural(n, one, few, many)}"


def date_numeric(value: dt.date) -> str:
    """The date requisite as ГОСТ Р 7.0.97 writes it: «05.06.2026»."""
    return value.strftime("%d.%m.%Y")
