"""Russian typography for everything a document prints: one pass, data and templates alike.

A clerk types names, dates and dashes as the keyboard gives them; a typesetter
would fix them before printing. This module is that typesetter, applied to every
value a template prints (``engine.py``'s finalize) and to the built-in templates'
own text when they are made (``templates/source/layout.py``):

* non-breaking spaces where a line must not break: after initials («И.О.\u00a0Фамилия»),
  after «№», «г.», «ст.» and their kin, before «г.» after a year, before the tire,
  between a number and the word or unit it counts («8\u00a0человек», «72\u00a0%»);
* persons as «И.О. Фамилия», however they were typed («Фамилия И.О.», «Фамилия И. О.»);
* quotes nested as «…„…“…», straight quotes made «ёлочки»;
* the house rule for dashes: the tire is «–» with a non-breaking space before it and a
  space after it; a range is «–» without spaces («5–7», «сентябрь–октябрь») that
  does not break (a word joiner follows it); the em dash and a spaced hyphen become it.

The checker of what a careful reader would still mark in a printed paragraph
is the tests' (``tests/typocheck.py``).

Everything here is a pure function of a string, so it is cheap to test and reruns
stay byte-identical. ``typeset`` has a fast path: most values (numbers, short
words) have nothing to fix.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
WJ = "\u2060"  # word joiner: no line break at this point, and nothing printed
DASH = "–"

SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_SPACE = f"[ {NBSP}]"
MONTHS = ("январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
          "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря")

# «Лесная И.В.», «Лесная И. В.» → «И.В. Лесная», unless the initials belong to the next word.
_SURNAME_FIRST = re.compile(
    rf"(?<![А-ЯЁа-яё.\-])({SURNAME}){_SPACE}([А-ЯЁ])\.{_SPACE}?([А-ЯЁ])(?:\.|$)"
    rf"(?![А-ЯЁа-яё])(?!{_SPACE}*[А-ЯЁ][а-яё])")  # «…Кузьминой О.Г» : its dot cut off
# «И. В. Лесная», «И.В. Лесная» → «И.В.\u00a0Лесная»; «М. Петров» → «М.\u00a0Петров».
_INITIALS = re.compile(rf"(?<![А-ЯЁа-яё])([А-ЯЁ])\.{_SPACE}?([А-ЯЁ])\.{_SPACE}?(?={SURNAME})")
_INITIAL = re.compile(rf"(?<![А-ЯЁа-яё.])([А-ЯЁ])\. (?={SURNAME})")
# Abbreviations that never end a line apart from what follows them.
_ABBREVIATION = re.compile(r"(?<![А-ЯЁа-яё])(№|гг?\.|ст\.|ул\.|пр\.|пер\.|д\.|каб\.|им\.|"
                           r"с\.|п\.|стр\.|рис\.|табл\.|т\.) (?=[\dА-ЯЁ])")
_NUMBER_SIGN = re.compile(r"№ (?=\S)")
_YEAR = re.compile(r"(\d{4}) (?=гг?\.)")
_NUMBER_NOUN = re.compile(r"(?<![\d,.])(\d+(?:[,.]\d+)?) (?=[а-яё%])")
# «из 5 ОО», «в 4 ДОУ»: a number and the short abbreviation it counts stay on one line
_NUMBER_ABBREVIATION = re.compile(r"(?<![\d,.])(\d+) (?=[А-ЯЁ]{2,4}(?![А-ЯЁа-яё«\-]))")
# Ranges: «5 – 7», «5—7», «сентябрь — октябрь» → «5–7», «сентябрь–октябрь».
_NUMBER_RANGE = re.compile(rf"(\d){_SPACE}*[–—]{_SPACE}*(?=\d)|(\d) - (?=\d)")
_MONTH_RANGE = re.compile(rf"(?i)\b({MONTHS}){_SPACE}*[-–—]{_SPACE}*(?=(?:{MONTHS})\b)")
# The tire: spaced hyphen, en or em dash; a tire at a paragraph's start is a list mark.
_TIRE = re.compile(rf"(?<=\S){_SPACE}+[-–—]{_SPACE}+")
_TIRE_NUMBER = re.compile(rf"{NBSP}{DASH} (?=\d)")
_STRAIGHT_OPEN = re.compile(r'(^|[\s(\[«„])"')  # \s takes the no-break space in too


_WORK = re.compile(r'[ "«»„“—–-]')  # no space and none of these: nothing to typeset
_QUOTE = re.compile(r'["«»„“]')
_DASHES = re.compile(r"[-–—]")
_DIGIT = re.compile(r"\d")
_INITIAL_DOT = re.compile(r"[А-ЯЁ]\.")
_CAPITALS = re.compile(r"[А-ЯЁ«»„“\-]+(?: [А-ЯЁ«»„“\-]+)+")  # Cyrillic capitals only
_SURNAME_THEN_INITIAL = re.compile(r"[а-яё][ \u00a0][А-ЯЁ]\.")  # a cheap test before the swap


def _nothing_to_do(text: str) -> bool:
    return _WORK.search(text) is None


def nest_quotes(text: str, depth: int = 0) -> str:
    """«Семинар «Конструктор во ФГИС «Моя школа»»» → «Семинар „Конструктор во ФГИС «Моя школа»“».

    Russian nests «ёлочки» outside and „лапки“ inside, by turns when deeper; a
    straight quote opens after a space or bracket and closes elsewhere. ``depth`` 1
    types a value printed inside the template's own «…»: its quotes are the inner
    ones. A closing quote with no opening one is left as typed.
    """
    if "„" in text or not _QUOTE.search(text):  # typeset already, or no quotes at all
        return text
    if '"' in text:
        text = _STRAIGHT_OPEN.sub(r"\1«", text).replace('"', "»")
    if "«" not in text and "»" not in text:
        return text
    out = []
    for char in text:
        if char in "«„":
            out.append("«" if depth % 2 == 0 else "„")
            depth += 1
        elif char in "»“" and depth > 0:
            depth -= 1
            out.append("»" if depth % 2 == 0 else "“")
        else:
            out.append(char)
    return "".join(out)


def inner_quotes(text: str) -> str:
    """A value printed inside «…» of the template: its own quotes become „…“."""
    return nest_quotes(text, depth=1) if isinstance(text, str) else text


def _swapped(m: re.Match[str]) -> str:
    """«Бабина О.Н.» → «О.Н. Бабина»; at a sentence's end the initial's dot also ended it.

    A sentence has words in lower case before the name; a list of names in a table
    cell («Кутейкина Е.Н., Шевченко О.В.») has none and gets no dot.
    """
    sentence = re.search(r"(?<![А-ЯЁа-яё])[а-яё]{4,}", m.string[:m.start()])
    end = "." if m.end() == len(m.string) and m[0].endswith(".") and sentence else ""
    return f"{m[2]}.{m[3]}.{NBSP}{m[1]}{end}"


def persons(text: str) -> str:
    """Every «Фамилия И.О.» as «И.О.\u00a0Фамилия», initials never apart from the surname."""
    if not _INITIAL_DOT.search(text):
        return text
    if _SURNAME_THEN_INITIAL.search(text):
        text = _SURNAME_FIRST.sub(_swapped, text)
    text = _INITIALS.sub(lambda m: f"{m[1]}.{m[2]}.{NBSP}", text)
    return _INITIAL.sub(lambda m: f"{m[1]}.{NBSP}", text)


def dashes(text: str) -> str:
    """The house rule: «–» as the tire (non-breaking space before) and in ranges (no spaces)."""
    if not _DASHES.search(text):
        return text
    if _DIGIT.search(text):
        text = _NUMBER_RANGE.sub(lambda m: f"{m[1] or m[2]}{DASH}{WJ}", text)
    text = _MONTH_RANGE.sub(lambda m: f"{m[1]}{DASH}{WJ}", text)
    text = _TIRE.sub(f"{NBSP}{DASH} ", text)
    text = _TIRE_NUMBER.sub(f"{NBSP}{DASH}{NBSP}", text)
    return text.replace("—", DASH)


# An organisation's short name stays whole on its line (issue 27): «МАОУ «Лицей № 41»»,
# «МБОУ «СОШ № 6»»: the space after the capitals of its form and inside a short quoted
# name is non-breaking («№ 15» always is); a long one («МКОУ «Охрозаводская СОШ»») may break
# where it must, in a table's narrow column.
_SHORT_NAME = re.compile(
    r"(?<![А-ЯЁа-яё])([А-ЯЁ]{2,6}(?:[- ][А-ЯЁ]{2,6})*) («[^«»]{1,24}»)")


SHORT_NAME_CHARS = 18  # a longer name may break inside: it has to in a table's column


def _short_name(m: re.Match) -> str:
    if len(m[0]) > SHORT_NAME_CHARS:
        return m[0]
    return m[0].replace(" ", NBSP)


def spaces(text: str) -> str:
    """Non-breaking spaces after «№», «г.», «ст.», before «г.», between a number and a noun
    or a short abbreviation («5 ОО»), and inside an organisation's short name."""
    if " «" in text:
        text = _SHORT_NAME.sub(_short_name, text)
    if "№ " in text:
        text = _NUMBER_SIGN.sub(f"№{NBSP}", text)
    if ". " in text:
        text = _ABBREVIATION.sub(lambda m: m[1] + NBSP, text)
    if _DIGIT.search(text):
        text = _YEAR.sub(lambda m: m[1] + NBSP, text)
        text = _NUMBER_NOUN.sub(lambda m: m[1] + NBSP, text)
        text = _NUMBER_ABBREVIATION.sub(lambda m: m[1] + NBSP, text)
    return text


# A quoted name in a signature or a stamp («Директор МКОУ «Охрозаводская СОШ»», «приказом
# МБУ «Информационно-методический центр»»): the narrow column breaks it before its «, never
# inside: a short quoted part keeps its spaces, and no line ends after a hyphen of it.
_QUOTED_NAME = re.compile(r"«[^«»]{1,80}»")
_NAME_HYPHEN = re.compile(r"(?<=[А-ЯЁа-яё])-(?=[А-ЯЁа-яё])")
WHOLE_QUOTED_CHARS = 22  # «Охрозаводская СОШ» fits a signature's or a stamp's line
# zero-width space: nothing printed; before a space it keeps the space from being glued
# again by the pass (LibreOffice breaks at a plain space before «, not after a no-break one)
ZWSP = "\u200b"


def _whole_quoted(m: re.Match[str]) -> str:
    quoted = _closing_joined(_NAME_HYPHEN.sub("-" + WJ, m[0]))
    return quoted.replace(" ", NBSP) if len(m[0]) <= WHOLE_QUOTED_CHARS else quoted


def whole_names(text: str) -> str:
    """A signature's or a stamp's line: a quoted name never breaks inside («Охрозаводская /
    СОШ»», «Информационно- / методический»); the line breaks before its «."""
    if not isinstance(text, str) or "«" not in text:
        return text
    return _QUOTED_NAME.sub(_whole_quoted, typeset(text))


def cell_name(text: str) -> str:
    """An organisation in a table's narrow column: a short name too wide for it breaks after
    its form («МОУ / «Гимназия № 2»»), never before its closing quote alone on a line."""
    if not isinstance(text, str) or " «" not in text:
        return text
    return _SHORT_NAME.sub(lambda m: m[0] if len(m[2]) > CELL_QUOTED_CHARS else
                           f"{m[1]}{ZWSP} {_closing_joined(m[2].replace(' ', NBSP))}",
                           text)


CELL_QUOTED_CHARS = 16  # «Гимназия № 1» fits a 4 cm column on its own line; longer may break


def _closing_joined(quoted: str) -> str:
    """«Гимназия № 2»: LibreOffice may break between a digit and the closing quote; a word
    joiner there keeps «» on the line of what it closes."""
    return re.sub(r"(?<=\d)»", WJ + "»", quoted)


def keep_last_words(text: str) -> str:
    """A heading's last two words joined by a no-break space: a line never holds one
    word alone («…сетевой / формат»»). Two words or fewer are left as they are."""
    head, space, last = text.rstrip().rpartition(" ")
    if not space or " " not in head.strip():
        return text
    return f"{head}{NBSP}{last}"


@lru_cache(maxsize=8192)
def typeset(text: str) -> str:
    """``text`` as a typesetter would print it (see the module's rules)."""
    if _nothing_to_do(text):
        return text
    text = spaces(dashes(persons(nest_quotes(text))))
    if text.count(" ") >= 2 and _CAPITALS.fullmatch(text):  # a letterhead: no lone last word
        head, _, last = text.rpartition(" ")
        text = f"{head}{NBSP}{last}"
    return text
