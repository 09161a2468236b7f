"""Russian language helpers: the one place that knows Russian grammar and typography.

* Plural agreement comes from babel's CLDR rules rather than a hand-made
  ``n % 10`` table, so «21 участник», «22 участника», «25 участников» agree the
  way CLDR says Russian does.
* Dates use babel with explicit patterns (never the "long" format, which puts a
  narrow no-break space before «г.») and a plain no-break space before «г.».
* Names are declined by pytrovich (MIT) with a few explicit corrections; a
  surname whose declension depends on a gender nobody knows is left as it is,
  because an undeclined surname reads better than a wrongly declined one.
* Job titles and organisation names are declined by a small explicit table, and
  what it does not know by pymorphy3's dictionary (loaded lazily); a title
  neither knows for sure is returned unchanged for the same reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from babel import Locale
from babel.dates import format_date

if TYPE_CHECKING:
    from pytrovich.detector import PetrovichGenderDetector
    from pytrovich.maker import PetrovichDeclinationMaker

    from docgen.workbook.model import Person

NBSP = "\u00a0"
"""No-break space: keeps «г.» with its year and initials with their surname."""

CASES: tuple[str, ...] = ("gen", "dat", "acc", "ins", "pre")
"""Oblique cases in the order the rule tables below list their endings."""

ALL_CASES: tuple[str, ...] = ("nom", *CASES)

P = TypeVar("P", bound="Person")


def _check_case(case: str) -> None:
    if case not in ALL_CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {', '.join(ALL_CASES)}")


# --------------------------------------------------------------------------- numbers


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


# Nouns that documents and messages count, in the three forms ``count`` takes.
PEOPLE = ("человек", "человека", "человек")
MEMBERS = ("участник", "участника", "участников")
MEETINGS = ("заседание", "заседания", "заседаний")
YEARS = ("год", "года", "лет")


# Genitive numerals for «не реже … раз в год»; words read better than digits up to twenty.
_TIMES_GENITIVE: tuple[str, ...] = (
    "одного раза",
    "двух раз",
    "трёх раз",
    "четырёх раз",
    "пяти раз",
    "шести раз",
    "семи раз",
    "восьми раз",
    "девяти раз",
    "десяти раз",
    "одиннадцати раз",
    "двенадцати раз",
    "тринадцати раз",
    "четырнадцати раз",
    "пятнадцати раз",
    "шестнадцати раз",
    "семнадцати раз",
    "восемнадцати раз",
    "девятнадцати раз",
    "двадцати раз",
)


def times_text(n: int) -> str:
    """«Раз» counted in the genitive, as in «не реже двух раз в год».

    1..20 are spelled out; larger numbers keep their digits and agree by CLDR:
    «21 раза» (двадцати одного раза), «25 раз».
    """
    if 1 <= n <= len(_TIMES_GENITIVE):
        return _TIMES_GENITIVE[n - 1]
    return count(n, "раза", "раз", "раз")


# --------------------------------------------------------------------------- dates


@lru_cache(maxsize=1)
def _month_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(genitive «июня», nominative standalone «июнь») for months 1..12, from CLDR."""
    days = [dt.date(2000, m, 1) for m in range(1, 13)]
    genitive = tuple(format_date(d, "MMMM", locale="ru") for d in days)
    nominative = tuple(format_date(d, "LLLL", locale="ru") for d in days)
    return genitive, nominative


def _month_number(m: int | dt.date) -> int:
    number = m.month if isinstance(m, dt.date) else m
    if not 1 <= number <= 12:
        raise ValueError(f"month must be 1..12, got {number}")
    return number


def date_numeric(value: dt.date) -> str:
    """The date requisite as ГОСТ Р 7.0.97 writes it: «05.06.2026»."""
    return value.strftime("%d.%m.%Y")


def date_text(value: dt.date, quoted: bool = False) -> str:
    """A date in words as orders and minutes write it: «5 июня 2026 г.».

    ``quoted`` puts the day in quotes as the dateline of an order does: «5» июня 2026 г.

    The space before «г.» is a no-break one so the abbreviation never starts a line.
    """
    day = f"«{value.day}»" if quoted else str(value.day)
    month = _month_names()[0][value.month - 1]
    return f"{day} {month} {value.year}{NBSP}г."


def month_name(m: int | dt.date) -> str:
    """The nominative month as a heading or a plan term writes it: «сентябрь»."""
    return _month_names()[1][_month_number(m) - 1]


def month_year(value: dt.date) -> str:
    """A month of a year: «сентябрь 2025 г.»."""
    return f"{month_name(value)} {value.year}{NBSP}г."


def academic_year(start_year: int) -> str:
    """The academic year that starts in ``start_year``: «2025/2026»."""
    return f"{start_year}/{start_year + 1}"


def term_text(value: dt.date | str | None) -> str:
    """A plan term: a real date as «05.06.2026», free text («в течение года») as typed."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return date_numeric(value)
    return value.strip()


def period_text(start: dt.date, end: dt.date, quoted: bool = False) -> str:
    """A period: «с 1 сентября 2025 г. по 31 мая 2026 г.»."""
    return f"с {date_text(start, quoted)} по {date_text(end, quoted)}"


# --------------------------------------------------------------------------- text


def lcfirst(text: str) -> str:
    """«Директор» → «директор» inside a sentence; «МКУ ИМЦ» or «ГМО» stay as typed."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def capfirst(text: str) -> str:
    """Upper-case the first character only, leaving abbreviations like «МАУ» alone."""
    return text[:1].upper() + text[1:]


_OPENING_CONTEXT = frozenset(" \t\n\u00a0([{«„-–—")


def quoted(name: str) -> str:
    """A proper name in Russian quotes: «Альтернатива».

    Straight quotes a clerk typed become «…» (nested ones too), and a name that
    already starts with a quote is not wrapped again.
    """
    text = name.strip()
    if not text:
        return ""
    already = text[0] in '«"'
    chars: list[str] = []
    for ch in text:
        if ch == '"':
            prev = chars[-1] if chars else " "
            ch = "«" if prev in _OPENING_CONTEXT else "»"
        chars.append(ch)
    result = "".join(chars)
    return result if already else f"«{result}»"


# --------------------------------------------------------------------------- people

_GENDERS = ("м", "ж")


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    from pytrovich.detector import PetrovichGenderDetector

    return PetrovichGenderDetector()


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    from pytrovich.maker import PetrovichDeclinationMaker

    return PetrovichDeclinationMaker()


def preload() -> None:
    """Read pytrovich's rules and pymorphy3's dictionary now (a batch does it before
    forking its workers: each would load its own). Every report's plan items go
    through pymorphy3 (``agree_status``), so a batch needs it."""
    _detector()
    _maker()
    _morph()


def _detect_one(**part: str) -> str | None:
    """Gender that pytrovich reads from one name part alone, or None when it cannot tell."""
    from pytrovich.enums import Gender

    found = _detector().detect(**part)
    if found == Gender.MALE:
        return "м"
    if found == Gender.FEMALE:
        return "ж"
    return None


# Surname endings that mark gender for certain (Иванов/Иванова, Горский/Горская); a first
# name that contradicts one of them is more likely a typo than a fact, so we do not guess.
_TELLING_SURNAME = re.compile(r"(?:[оеё]в|[иы]н|[сц]кий|[оеё]ва|[иы]на|[сц]кая)$")


@lru_cache(maxsize=4096)
def detect_gender(first_name: str = "", patronymic: str = "", last_name: str = "") -> str | None:
    """«м», «ж» or None read from the name itself, for when the workbook's «Пол» is empty.

    The patronymic decides when it can (Иванович/Ивановна), then the first name, then
    the surname. A first name that contradicts a telling surname (-ов, -ина, -ская…)
    gives None; a first name beats a surname like «Цой» that only looks masculine.
    """
    first, patronymic, last = first_name.strip(), patronymic.strip(), last_name.strip()
    if patronymic and (found := _detect_one(middlename=patronymic)):
        return found
    by_first = _detect_one(firstname=first) if first else None
    by_last = _detect_one(lastname=last) if last else None
    if by_first and by_last and by_first != by_last:
        return None if _TELLING_SURNAME.search(last.lower()) else by_first
    return by_first or by_last


def gender_of(person: Person) -> str | None:
    """The gender the workbook gives («Пол»), else the one the name suggests."""
    given = (person.gender or "").strip().lower()
    if given in _GENDERS:
        return given
    return detect_gender(person.first_name or "", person.patronymic or "", person.last_name or "")


# Corrections for pytrovich, keyed by the lower-case nominative and applied for men.
# Endings replace nothing: they are appended to the nominative.
_MALE_SURNAME_ENDINGS: dict[str, tuple[str, str, str, str, str]] = {
    # pytrovich drops the vowel (Кузнца); surnames keep it, as in the noun «кузнеца».
    "кузнец": ("а", "у", "а", "ом", "е"),
}

# Spelling rule «ы never follows г, к, х, ж, ш, ч, щ»: pytrovich's generic «-ой» rule
# gives «Сухым» for Сухой; the instrumental of such a surname is «Сухим».
_HUSHING_YM = re.compile(r"(?<=[гкхжшчщ])ым(?=-|$)")


def _pytrovich_case(case: str) -> Any:
    from pytrovich.enums import Case

    return {
        "gen": Case.GENITIVE,
        "dat": Case.DATIVE,
        "acc": Case.ACCUSATIVE,
        "ins": Case.INSTRUMENTAL,
        "pre": Case.PREPOSITIONAL,
    }[case]


def _inflect_known(part: str, value: str, gender: str, case: str) -> str:
    """One name part in ``case`` for a known gender, with our corrections on top."""
    from pytrovich.enums import Gender, NamePart

    # pytrovich appends lower-case endings («ИВАНОВа»), so decline a capitalised form
    # and restore the capitals afterwards.
    shout = value.isupper() and len(value) > 1
    word = "-".join(p[:1].upper() + p[1:].lower() for p in value.split("-")) if shout else value
    name_part = {"last": NamePart.LASTNAME, "first": NamePart.FIRSTNAME}.get(
        part, NamePart.MIDDLENAME
    )
    endings = _MALE_SURNAME_ENDINGS.get(word.lower()) if part == "last" and gender == "м" else None
    if endings is not None:
        result = word + endings[CASES.index(case)]
    else:
        result = _maker().make(
            name_part,
            Gender.MALE if gender == "м" else Gender.FEMALE,
            _pytrovich_case(case),
            word,
            # Known gender even when we detected it: pytrovich's «detected» mode leaves
            # some surnames undeclined (Гусь), and its androgynous mode misspells (Сашы).
            known_gender=True,
        )
        if part == "last":
            result = _HUSHING_YM.sub("им", result)
    return result.upper() if shout else result


def _inflect(part: str, value: str, gender: str | None, case: str) -> str:
    """One name part in ``case``; with no gender, only a form both genders share."""
    if case == "nom" or not value.strip():
        return value
    if gender in _GENDERS:
        return _inflect_known(part, value, gender, case)
    male = _inflect_known(part, value, "м", case)
    female = _inflect_known(part, value, "ж", case)
    # Лобода, Саша, Шевченко decline alike for both; Мельник does not, so it stays.
    return male if male == female else value


@lru_cache(maxsize=4096)
def _declined(
    last: str, first: str, patronymic: str, gender: str | None, case: str
) -> tuple[str, str, str]:
    """Declension cache: the same heads and members recur in every document."""
    return (
        _inflect("last", last, gender, case),
        _inflect("first", first, gender, case),
        _inflect("middle", patronymic, gender, case),
    )


def decline(person: P, case: str) -> P:
    """A copy of ``person`` with the name in ``case`` ("nom", "gen", "dat", "acc", "ins", "pre").

    Other fields (position, gender…) are kept; the gender is the given or the detected one.
    """
    _check_case(case)
    if case == "nom":
        return person
    last, first, patronymic = _declined(
        person.last_name or "",
        person.first_name or "",
        person.patronymic or "",
        gender_of(person),
        case,
    )
    return dataclasses.replace(person, last_name=last, first_name=first, patronymic=patronymic)


def _initial(name: str) -> str:
    """«И.» for Иван, «А.-М.» for Анна-Мария."""
    return "-".join(f"{p[0].upper()}." for p in name.strip().split("-") if p)


def _initials_only(person: Person) -> str:
    return "".join(_initial(p) for p in (person.first_name or "", person.patronymic or "") if p)


def initials(person: Person) -> str:
    """«М.П. Иванова» with a no-break space, as a signature block writes it."""
    letters = _initials_only(person)
    last = (person.last_name or "").strip()
    return f"{letters}{NBSP}{last}" if letters and last else letters or last


def surname_initials(person: Person) -> str:
    """«Иванова М.П.» with a no-break space, as lists and the «Ответственный» column write it."""
    letters = _initials_only(person)
    last = (person.last_name or "").strip()
    return f"{last}{NBSP}{letters}" if letters and last else last or letters


def full_name(person: Person) -> str:
    """«Фамилия Имя Отчество», skipping empty parts."""
    parts = (person.last_name, person.first_name, person.patronymic)
    return " ".join(p.strip() for p in parts if p and p.strip())


def _name_forms(last: str, first: str, patronymic: str) -> dict[str, str]:
    """What ``full_name``, ``initials`` and ``surname_initials`` give, from the name's
    three parts: a person's view needs them in six cases, without a Person for each."""
    letters = "".join(_initial(p) for p in (first, patronymic) if p)
    surname = last.strip()
    return {
        "full": " ".join(p.strip() for p in (last, first, patronymic) if p and p.strip()),
        "initials": f"{letters}{NBSP}{surname}" if letters and surname else letters or surname,
        "surname_initials": (f"{surname}{NBSP}{letters}" if letters and surname
                             else surname or letters),
        "last_name": last,
        "first_name": first,
        "patronymic": patronymic,
    }


def person_view(person: Person) -> dict[str, Any]:
    """A plain, JSON-ready dict of a person for templates: nominative on top, cases nested.

    ``{{ head.dat.initials }}`` in a template gives «М.П. Ивановой». What ``decline``
    gives, declined once per case from the parts (a copy of the Person for each case
    cost a fifth of the contexts' time).
    """
    last, first, patronymic = (person.last_name or "", person.first_name or "",
                               person.patronymic or "")
    gender = gender_of(person)
    view: dict[str, Any] = _name_forms(last, first, patronymic)
    view["gender"] = gender
    for case in CASES:
        view[case] = _name_forms(*_declined(last, first, patronymic, gender, case))
    return view


# --------------------------------------------------------------------------- positions


def _words(text: str) -> list[str]:
    """A word list written as running text, which reads better than a column of quotes."""
    return text.split()


# Endings per declension class, in CASES order; «-» marks a dropped last letter.
_NOUN_ENDINGS: dict[str, tuple[str, str, str, str, str]] = {
    "hard": ("а", "у", "а", "ом", "е"),  # директор (animate: acc = gen)
    "soft": ("-я", "-ю", "-я", "-ем", "-е"),  # руководитель
    "soft_stressed": ("-я", "-ю", "-я", "-ём", "-е"),  # секретарь
    "a": ("-ы", "-е", "-у", "-ой", "-е"),  # глава
}

_POSITION_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        _words("""
        директор начальник методист специалист педагог психолог логопед
        дефектолог сурдопедагог тифлопедагог олигофренопедагог нейропсихолог инспектор
        эксперт консультант бухгалтер экономист юрисконсульт администратор инструктор
        тьютор ректор проректор декан доцент профессор мастер концертмейстер
        аккомпаниатор хормейстер балетмейстер лаборант организатор советник помощник
        куратор координатор аналитик программист технолог инженер ассистент референт
        менеджер член сотрудник работник тренер наставник редактор врач фельдшер
        социолог диспетчер президент губернатор министр мэр депутат
        """),
        "hard",
    ),
    **dict.fromkeys(
        _words("""
        руководитель председатель заместитель учитель воспитатель преподаватель
        делопроизводитель представитель библиотекарь
        """),
        "soft",
    ),
    "секретарь": "soft_stressed",
    "глава": "a",
}

# Adjectival nouns that head a title on their own: «заведующий методическим кабинетом».
_ADJECTIVAL_HEADS = frozenset(
    _words("""
    заведующий заведующая исполняющий исполняющая управляющий управляющая
    уполномоченный уполномоченная ответственный ответственная дежурный дежурная
    вожатый вожатая
    """)
)

# Words before the head that never change: «временно исполняющий обязанности».
_FIXED_LEADERS = frozenset({"временно"})

_VELAR = "гкх"
_HUSHING = "жшчщ"


def _adjective_endings(word: str) -> tuple[str, tuple[str, ...]] | None:
    """(stem, endings in CASES order) for a nominative singular adjective, else None."""
    if len(word) < 4:
        return None
    stem, tail = word[:-2], word[-2:]
    last = stem[-1]
    if tail == "ый":  # главный
        return stem, ("ого", "ому", "ого", "ым", "ом")
    if tail == "ой":  # stressed ending: другой, большой
        ins = "им" if last in _VELAR + _HUSHING else "ым"
        return stem, ("ого", "ому", "ого", ins, "ом")
    if tail == "ий":
        if last in _VELAR:  # методический
            return stem, ("ого", "ому", "ого", "им", "ом")
        return stem, ("его", "ему", "его", "им", "ем")  # старший, ведущий, средний
    if tail == "ая":  # заведующая, главная
        vowel = "е" if last in _HUSHING else "о"
        return stem, (f"{vowel}й", f"{vowel}й", "ую", f"{vowel}й", f"{vowel}й")
    if tail == "яя":  # средняя
        return stem, ("ей", "ей", "юю", "ей", "ей")
    return None


def _apply_ending(word: str, ending: str) -> str:
    if ending.startswith("-"):
        return word[:-1] + ending[1:]
    return word + ending


def _noun_form(word: str, case: str) -> str | None:
    """A position noun (or a hyphenated pair of them) in ``case``, or None if unknown."""
    parts = word.split("-")
    forms: list[str] = []
    for part in parts:
        kind = _POSITION_NOUNS.get(part)
        if kind is None:
            return None
        forms.append(_apply_ending(part, _NOUN_ENDINGS[kind][CASES.index(case)]))
    return "-".join(forms)


def _adjective_form(word: str, case: str) -> str:
    found = _adjective_endings(word)
    assert found is not None
    stem, endings = found
    return stem + endings[CASES.index(case)]


def _like(original: str, new: str) -> str:
    """``new`` written with the capitals of ``original`` (per hyphenated part)."""
    if original.isupper() and len(original) > 1:
        return new.upper()
    old_parts, new_parts = original.split("-"), new.split("-")
    if len(old_parts) != len(new_parts):
        return new
    return "-".join(
        (n[:1].upper() + n[1:]) if o[:1].isupper() else n
        for o, n in zip(old_parts, new_parts, strict=True)
    )


_WORD = re.compile(r"\s*([А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*)")


def _leading_words(text: str, limit: int = 8) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words that open ``text``, up to the first non-word."""
    words: list[tuple[int, int, str]] = []
    pos = 0
    while len(words) < limit and (m := _WORD.match(text, pos)):
        words.append((m.start(1), m.end(1), m.group(1)))
        pos = m.end()
    return words


@lru_cache(maxsize=8192)  # the same titles and schools recur across a centre's groups
def decline_position(text: str, case: str) -> str:
    """A job title in ``case``: «заместитель директора по УВР» → «заместителю директора по УВР».

    Only the head phrase at the start changes (adjectives and the first noun, both
    halves of «педагог-психолог»); dependent words stay. Titles are masculine in
    official style whoever holds them. A title whose first word the table does not
    know comes back unchanged: better undeclined than wrong.
    """
    _check_case(case)
    if case == "nom":
        return text
    if "," in text:  # «заместитель директора по УВР, учитель информатики»: each title
        return "".join(part if i % 2 else decline_position(part, case)
                       for i, part in enumerate(re.split(r"(,\s*)", text)))
    words = _leading_words(text)
    lower = [w[2].lower() for w in words]

    i = 0
    while i < len(words) and lower[i] in _FIXED_LEADERS:
        i += 1
    first_adj = i
    while i < len(words) and _adjective_endings(lower[i]) is not None:
        i += 1
    if i < len(words) and _noun_form(lower[i], case) is not None:
        head_end = i + 1
    elif heads := [k for k in range(first_adj, i) if lower[k] in _ADJECTIVAL_HEADS]:
        # «заведующая библиотекой»: the adjectival head, and what follows stays
        head_end = i = heads[-1] + 1
    else:
        return _morph_position(text, words, first_adj, case)

    pieces: list[str] = []
    last = 0
    for k in range(first_adj, head_end):
        start, end, original = words[k]
        new = _adjective_form(lower[k], case) if k < i else _noun_form(lower[k], case)
        pieces.append(text[last:start])
        pieces.append(_like(original, new or original))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


# --------------------------------------------------------------------------- pymorphy3

# pymorphy3's grammemes for our cases.
_MORPH_CASES = {"gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "pre": "loct"}
_NAME_TAGS = frozenset({"Surn", "Name", "Patr", "Abbr", "Init", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=1)
def _morph() -> Any:
    """pymorphy3's analyser, loaded on first use (~0.1 s): `docgen --help` never pays it."""
    import pymorphy3
    import pymorphy3_dicts_ru

    # The dictionary's path given: found by its entry point, it costs importlib.metadata
    # (and email) and a scan of every installed package, ~30 ms a process.
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


def _sure(word: str, pos: str, animate: bool | None = None) -> Any | None:
    """The one dictionary parse of ``word`` as a nominative singular ``pos``, or None.

    Unsure means None: a word pymorphy3 only guesses (not in its dictionary), a
    name or abbreviation, or readings that disagree on gender.
    """
    from pymorphy3.units.by_lookup import DictionaryAnalyzer

    found = [p for p in _morph().parse(word)
             if pos == p.tag.POS and {"nomn", "sing"} <= p.tag.grammemes
             and not (p.tag.grammemes & _NAME_TAGS)
             and isinstance(p.methods_stack[0][0], DictionaryAnalyzer)]
    if animate is not None and any(("anim" in p.tag) == animate for p in found):
        found = [p for p in found if ("anim" in p.tag) == animate]
    if not found or len({p.tag.gender for p in found}) != 1:
        return None
    return found[0]


def _adjective_first(word: str) -> bool:
    """Whether pymorphy3 reads ``word`` first as a nominative adjective («детская»)."""
    best = _morph().parse(word)[0]
    return best.tag.POS in ("ADJF", "PRTF") and "nomn" in best.tag


def _inflected(parse: Any, grammemes: set[str]) -> str | None:
    form = parse.inflect(grammemes)
    return form.word if form is not None else None


def _morph_noun(word: str, case: str, animate: bool) -> tuple[str, Any] | None:
    """A noun (or a hyphenated pair of nouns) in ``case`` by pymorphy3, with its parse."""
    parts = word.split("-")
    forms, head = [], None
    for part in parts:
        parse = _sure(part, "NOUN", animate)
        if parse is None:
            return None
        form = _inflected(parse, {_MORPH_CASES[case]})
        if form is None:
            return None
        forms.append(form)
        head = head or parse
    return "-".join(forms), head


def _morph_adjective(word: str, case: str, noun: Any) -> str | None:
    """An adjective agreeing with ``noun`` (a parse) in ``case``."""
    adjective = _sure(word, "ADJF") or _sure(word, "PRTF")
    if adjective is None or adjective.tag.gender != noun.tag.gender:
        return None
    wanted = {_MORPH_CASES[case], "sing"}
    if case == "acc" and noun.tag.gender == "masc":
        wanted = {"gent" if "anim" in noun.tag else "nomn", "sing"}
    return _inflected(adjective, wanted)


def _morph_phrase(text: str, words: list[tuple[int, int, str]], first: int, case: str,
                  animate: bool) -> str:
    """The head phrase (adjectives, then a noun) declined by pymorphy3, else ``text``.

    What the table does not know: «медицинская сестра», «заведующая библиотекой»,
    «завуч», «интернат». Any word pymorphy3 is unsure of leaves the text unchanged.
    """
    lower = [w[2].lower() for w in words]
    i = first
    while i < len(words) and _adjective_first(lower[i]):
        i += 1
    if i >= len(words) or any(part[:1].isupper() for part in words[i][2].split("-")[1:]):
        return text
    end = words[i][1]
    if text[end:end + 1] == "." or (words[i][2].isupper() and len(words[i][2]) > 1):
        return text  # «Зав. кафедрой», «МБОУ»: abbreviations stay
    noun = _morph_noun(lower[i], case, animate)
    if noun is None:
        return text
    new_noun, parse = noun
    forms = []
    for k in range(first, i):
        form = _morph_adjective(lower[k], case, parse)
        if form is None:
            return text
        forms.append(form)
    forms.append(new_noun)
    pieces: list[str] = []
    last = 0
    for k, new in zip(range(first, i + 1), forms, strict=True):
        start, stop, original = words[k]
        pieces += [text[last:start], _like(original, new)]
        last = stop
    return "".join(pieces) + text[last:]


def _morph_position(text: str, words: list[tuple[int, int, str]], first: int,
                    case: str) -> str:
    """A job title the table does not know, declined by pymorphy3 when it is sure."""
    return _morph_phrase(text, words, first, case, animate=True)


def agree_status(status: str, subject: str) -> str:
    """A status word agreeing with its subject: «Публикация статьи – не выполнена»,
    «Семинар – проведён», «Курсы – перенесены».

    The subject's head is its first word when pymorphy3 is sure it is a nominative
    noun; otherwise (or for a neuter subject) the status stays as written («выполнено»).
    """
    subject_words = _WORD.match(subject)
    status_words = list(re.finditer(r"[А-Яа-яЁё]+", status))
    if subject_words is None or not status_words:
        return status
    word = subject_words.group(1).lower().split("-")[0]  # «семинар-практикум»: «семинар»
    if _adjective_first(word):  # «Городской конкурс»: the noun is not first
        return status
    parse = _sure(word, "NOUN") or next(
        (p for p in _morph().parse(word)
         if p.tag.POS == "NOUN" and {"nomn", "plur"} <= p.tag.grammemes
         and "Pltm" in p.tag), None)  # «курсы», «сборы»: plural only
    if parse is None:
        return status
    wanted = {"plur"} if "plur" in parse.tag else {parse.tag.gender}
    if wanted == {"neut"}:
        return status
    last = status_words[-1]
    participle = next((p for p in _morph().parse(last.group().lower())
                       if p.tag.POS == "PRTS" and "neut" in p.tag), None)
    form = participle.inflect(wanted) if participle is not None else None
    if form is None:
        return status
    return status[:last.start()] + _like(last.group(), form.word) + status[last.end():]


def position_view(text: str) -> dict[str, str]:
    """A job title in every case for templates: ``{{ head_position.dat }}``."""
    view = {"nom": text}
    for case in CASES:
        view[case] = decline_position(text, case)
    return view


# --------------------------------------------------------------------------- organisations

# Head nouns of organisation names, in CASES order (inanimate: acc = nom for masculine).
_ORG_NOUNS: dict[str, tuple[str, str, str, str, str]] = {
    "учреждение": ("учреждения", "учреждению", "учреждение", "учреждением", "учреждении"),
    "организация": ("организации", "организации", "организацию", "организацией",
                    "организации"),
    "школа": ("школы", "школе", "школу", "школой", "школе"),
    "гимназия": ("гимназии", "гимназии", "гимназию", "гимназией", "гимназии"),
    "лицей": ("лицея", "лицею", "лицей", "лицеем", "лицее"),
    "центр": ("центра", "центру", "центр", "центром", "центре"),
    "колледж": ("колледжа", "колледжу", "колледж", "колледжем", "колледже"),
    "техникум": ("техникума", "техникуму", "техникум", "техникумом", "техникуме"),
    "сад": ("сада", "саду", "сад", "садом", "саде"),
    "кабинет": ("кабинета", "кабинету", "кабинет", "кабинетом", "кабинете"),
    "управление": ("управления", "управлению", "управление", "управлением", "управлении"),
    "департамент": ("департамента", "департаменту", "департамент", "департаментом",
                    "департаменте"),
    "комитет": ("комитета", "комитету", "комитет", "комитетом", "комитете"),
}


def _org_adjective(word: str, case: str) -> str | None:
    """An adjective of an organisation's name in ``case``, agreeing with an inanimate noun."""
    if len(word) < 4:
        return None
    stem, tail = word[:-2], word[-2:]
    index = CASES.index(case)
    if tail in ("ое", "ее"):  # муниципальное, общее
        soft = tail == "ее"
        ins = "им" if soft or stem[-1] in _VELAR else "ым"
        endings = (("его", "ему", "ее", ins, "ем") if soft else ("ого", "ому", "ое", ins, "ом"))
        return stem + endings[index]
    found = _adjective_endings(word)
    if found is None:
        return None
    if case == "acc" and tail in ("ый", "ий", "ой"):
        return word  # inanimate masculine: accusative = nominative
    return found[0] + found[1][index]


@lru_cache(maxsize=8192)  # the same titles and schools recur across a centre's groups
def decline_organization(text: str, case: str) -> str:
    """An organisation's full name in ``case``: «Муниципальное … учреждение «Лицей № 41»» →
    «Муниципального … учреждения «Лицей № 41»».

    The adjectives and the head noun at the start change; the quoted or numbered
    name after them stays. A name that does not start that way comes back unchanged.
    """
    _check_case(case)
    if case == "nom":
        return text
    pieces: list[str] = []
    last = pos = 0
    while m := _WORD.match(text, pos):
        start, end, original = m.start(1), m.end(1), m.group(1)
        lower = original.lower()
        noun = _ORG_NOUNS.get(lower)
        new = noun[CASES.index(case)] if noun else _org_adjective(lower, case)
        if new is None:  # a head noun the table does not know («библиотека»): pymorphy3
            return _morph_phrase(text, _leading_words(text), 0, case, animate=False)
        pieces += [text[last:start], _like(original, new)]
        last = pos = end
        if noun:
            return "".join(pieces) + text[last:]
    return text


def organization_cases(text: str) -> dict[str, str]:
    """An organisation's full name in every case for templates."""
    return {"nom": text, **{case: decline_organization(text, case) for case in CASES}}
