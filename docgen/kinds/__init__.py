"""Kinds of group as data: one TOML profile per kind.

A profile holds the kind's name in the cases documents need, the head's title,
the rules a check enforces and the document set. Adding a sixth kind is adding
a sixth file here; no code changes.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from docgen.errors import ProfileError
from docgen.text import norm
from docgen.workbook.schema import CATEGORIES, SHEETS_BY_KEY

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CASES = ("nom", "gen", "dat", "acc", "ins", "pre")

DOCUMENTS = (
    "order_open",  # приказ об открытии (создании)
    "order_head",  # приказ о назначении руководителя (куратора)
    "regulation",  # положение
    "plan",  # план работы / дорожная карта
    "protocol",  # протокол заседания, one per meeting
    "application_member",  # заявка, приложение 1
    "application_org",  # заявка, приложение 2
    "tech_task",  # техническое задание
    "event_report",  # отчёт о сетевом событии с листом регистрации
    "annual_report",  # отчёт (анализ деятельности) за год
    # приказ о внесении изменений в состав, one per date of change; last, so the places of
    # the documents before it in a group's folder stay what they were
    "order_members",
)

# What each document is called, for lists a clerk reads (`docgen kinds`).
DOCUMENT_NAMES: dict[str, str] = {
    "order_open": "приказ о создании",
    "order_head": "приказ о назначении руководителя",
    "regulation": "положение",
    "plan": "план работы",
    "protocol": "протоколы заседаний",
    "application_member": "заявки педагогов (приложение 1)",
    "application_org": "заявки организаций (приложение 2)",
    "tech_task": "техническое задание",
    "event_report": "отчёты о сетевых событиях с листом регистрации",
    "annual_report": "отчёт за год",
    "order_members": "приказы о внесении изменений в состав",
}

# One document of each kind, as the registry's «Документ» column names it.
DOCUMENT_TYPES: dict[str, str] = {
    "order_open": "Приказ о создании",
    "order_head": "Приказ о назначении руководителя",
    "regulation": "Положение",
    "plan": "План работы",
    "protocol": "Протокол заседания",
    "application_member": "Заявка педагога (приложение 1)",
    "application_org": "Заявка организации (приложение 2)",
    "tech_task": "Техническое задание",
    "event_report": "Отчёт о сетевом событии",
    "annual_report": "Отчёт за год",
    "order_members": "Приказ о внесении изменений в состав",
}

# The sheets each document is made from: a kind's blank workbook puts them first.
DOCUMENT_SHEETS: dict[str, tuple[str, ...]] = {
    "order_open": ("members",),
    "order_head": ("members",),
    "regulation": (),
    "plan": ("plan",),
    "protocol": ("meetings", "agenda"),
    "application_member": ("members", "organizations"),
    "application_org": ("organizations",),
    "tech_task": ("tech_task",),
    "event_report": ("events",),
    "annual_report": ("meetings", "plan", "events", "products"),
    "order_members": ("members",),
}


@dataclass(frozen=True)
class Term:
    """A part of the year in which a kind must meet at least once."""

    name: str
    months: tuple[int, ...]


# Who may issue an order or approve a document: the methodological service (its
# order, signed by its head), the education authority (its order, signed by its
# head), the service's head or the group's own head (a person's «УТВЕРЖДАЮ»).
ISSUERS = ("service", "authority")
POWERS: dict[str, tuple[str, ...]] = {
    "create": ISSUERS,  # the order that creates the group
    "appoint": ISSUERS,  # the order that appoints its head
    "regulation": ISSUERS,  # the order that approves the положение
    "plan": (*ISSUERS, "service_head", "head"),  # the plan: by an order, or a person
}


@dataclass(frozen=True)
class Power:
    """Who holds one power over a kind of group, and the seed's words for it."""

    by: str
    quote: str = ""  # the seed's own words (a test finds them in the seed)
    clause: str = ""  # the seed's clause, e.g. «1.6»
    note: str = ""  # why, where the seed is silent or indirect


DEFAULT_POWERS = {
    "create": Power("service"), "appoint": Power("service"),
    "regulation": Power("service"), "plan": Power("service_head"),
}


@dataclass(frozen=True)
class Rules:
    """What a check enforces for a kind (see shared/spec/workbook.md)."""

    min_meetings: int = 0
    min_organizations: int = 1
    direction_required: bool = False
    fixed_period: tuple[str, str] | None = None  # («01.09», «31.05»)
    required_sheets: tuple[str, ...] = ()
    recommended_sheets: tuple[str, ...] = ()
    head_categories: tuple[str, ...] = ()
    head_min_experience: int = 0
    terms: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # level -> terms

    def terms_for(self, level: str | None) -> tuple[Term, ...]:
        """The parts of the year to meet in, for a level of education."""
        if not self.terms:
            return ()
        return self.terms.get(level or "общее") or self.terms.get("общее", ())

    def missed_terms(self, level: str | None, start: dt.date, end: dt.date,
                     dates: Iterable[dt.date]) -> tuple[list[Term], list[Term]]:
        """(terms inside the period, those of them with none of ``dates``).

        One answer for `check` (planned meetings) and the annual report (held ones).
        """
        met = {(d.year, d.month) for d in dates}
        due = [t for t in self.terms_for(level) if months_in_period(start, end, t.months)]
        return due, [t for t in due if not months_in_period(start, end, t.months) & met]


def months_in_period(start: dt.date, end: dt.date, months: tuple[int, ...]) -> set:
    """(year, month) pairs of ``months`` that overlap the period start..end."""
    found = set()
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        if m in months:
            found.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


@dataclass(frozen=True)
class Kind:
    """One kind of teachers' group, loaded from its profile."""

    id: str
    name: str
    seed: str
    noun: dict[str, str]  # the kind's common noun by case: «творческая группа», …
    gender: str  # grammatical gender of the noun: m, f, n
    head_title: dict[str, str]  # «руководитель»/«куратор» by case
    rules: Rules
    documents: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    abbreviation: str = ""
    short: dict[str, str] = field(default_factory=dict)  # «группа» after «(далее – …)»
    plan_title: str = "ПЛАН РАБОТЫ"
    plan_approved: str = "УТВЕРЖДЁН"  # the participle agrees with the plan's name
    # The plan's name in running text: «план работы», «дорожная карта» (ГМО)
    plan_name: dict[str, str] = field(default_factory=lambda: dict(PLAN_NAME))
    plan_appendix: int = 0  # «Приложение № 4» к положению (ГМО), 0 when it is none
    short_name: str = ""  # «ГМО»: folder names and lists; the full name when empty
    powers: dict[str, Power] = field(default_factory=lambda: dict(DEFAULT_POWERS))
    # «член методического совета»: the role of the members of a совет that leads the group
    # (мастерская, seed 003, 4.2); empty when a head leads it alone
    council_role: str = ""
    # the position of the service's specialist who oversees the group (мастерская: 003, 4.3)
    curator_position: str = ""
    report_title: str = "ОТЧЁТ"  # the year's report: «АНАЛИЗ ДЕЯТЕЛЬНОСТИ» (003, 5.5)
    report_name: str = "Отчёт"
    # what the creation order's preamble cites as its basis, beyond the law (issue 27):
    # a format string with {service_gen} and {base_org_gen}
    basis: str = ""
    # a standing положение (approved earlier by its own order): how orders cite it
    # («Положением о …», its full title), and whether docgen holds its text word for word
    standing_cite: str = ""
    standing_text: bool = False
    # each of the tables above with the seed's words it comes from: (table, quote)
    quotes: tuple[tuple[str, str], ...] = ()

    def power(self, name: str) -> str:
        """Who holds a power: «service», «authority», «service_head» or «head»; empty
        when the kind has none such (no one appoints the мастерская's head)."""
        power = self.powers.get(name)
        return power.by if power else ""

    @property
    def appoints_head(self) -> bool:
        """Whether an order appoints the group's head (every kind but the мастерская,
        whose методический совет the creation order forms, seed 003, 4.2)."""
        return "order_head" in self.documents

    @property
    def authority_issues(self) -> bool:
        """Whether the education authority issues any of the kind's orders."""
        return any(p.by == "authority" for p in self.powers.values())

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def head_role(self) -> str:
        return self.head_title["nom"]

    def matches(self, text: str) -> bool:
        wanted = norm(text)
        return wanted in {norm(self.name), norm(self.id), *(norm(a) for a in self.aliases)}


PLAN_NAME = {"nom": "план работы", "gen": "плана работы", "acc": "план работы",
             "ins": "планом работы"}


def _powers(data: dict[str, Any], name: str, appoints: bool = True) -> dict[str, Power]:
    """The kind's [powers] tables, each checked: a known holder, and words to back it.

    A kind without a «Приказ о назначении руководителя» (``appoints`` false: the
    мастерская, led by its методический совет, seed 003, 4.2) has no «appoint» power.
    """
    powers = dict(DEFAULT_POWERS)
    if not appoints:
        del powers["appoint"]
    for key, raw in data.items():
        if key not in POWERS or not isinstance(raw, dict):
            raise ProfileError(f"в профиле вида «{name}» неизвестное полномочие «{key}»")
        by = str(raw.get("by", ""))
        if by not in POWERS[key]:
            raise ProfileError(f"в профиле вида «{name}» полномочие «{key}»: «{by}» — "
                               f"не одно из: {', '.join(POWERS[key])}")
        quote, note = str(raw.get("quote", "")), str(raw.get("note", ""))
        if not quote and not note:
            raise ProfileError(f"в профиле вида «{name}» у полномочия «{key}» нет ни цитаты "
                               f"из положения (quote), ни объяснения (note)")
        powers[key] = Power(by, quote, str(raw.get("clause", "")), note)
    return powers


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ProfileError(f"в профиле вида «{where}» нет ключа «{key}»")
    return data[key]


def _cases(data: dict[str, Any], where: str) -> dict[str, str]:
    missing = [c for c in CASES if c not in data]
    if missing:
        raise ProfileError(f"в профиле вида «{where}» не хватает падежей: {', '.join(missing)}")
    return {c: str(data[c]) for c in CASES}


def parse_profile(data: dict[str, Any], source: str) -> Kind:
    """Build a Kind from a parsed TOML profile, checking what code relies on."""
    name = str(_require(data, "name", source))
    noun = _require(data, "noun", name)
    head = _require(data, "head", name)
    raw_rules = dict(data.get("rules", {}))
    terms_raw = raw_rules.pop("terms", {})
    terms = {
        level: tuple(Term(str(t["name"]), tuple(int(m) for m in t["months"])) for t in items)
        for level, items in terms_raw.items()
    }
    for key in (*raw_rules.get("required_sheets", ()), *raw_rules.get("recommended_sheets", ())):
        if key not in SHEETS_BY_KEY:
            raise ProfileError(f"в профиле вида «{name}» неизвестный лист «{key}»")
    categories = tuple(head.get("categories", ()))
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise ProfileError(f"в профиле вида «{name}» неизвестная категория «{unknown[0]}»")
    period = raw_rules.pop("fixed_period", None)
    try:
        rules = Rules(
            min_meetings=int(raw_rules.pop("min_meetings", 0)),
            min_organizations=int(raw_rules.pop("min_organizations", 1)),
            direction_required=bool(raw_rules.pop("direction_required", False)),
            fixed_period=tuple(period) if period else None,  # type: ignore[arg-type]
            required_sheets=tuple(raw_rules.pop("required_sheets", ())),
            recommended_sheets=tuple(raw_rules.pop("recommended_sheets", ())),
            head_categories=categories,
            head_min_experience=int(head.get("min_experience", 0)),
            terms=terms,
        )
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"в профиле вида «{name}» неверное правило: {exc}") from exc
    if raw_rules:
        raise ProfileError(f"в профиле вида «{name}» неизвестные правила: {', '.join(raw_rules)}")
    documents = tuple(data.get("documents", ()))
    bad = [d for d in documents if d not in DOCUMENTS]
    if bad:
        raise ProfileError(f"в профиле вида «{name}» неизвестный документ «{bad[0]}»")
    short = data.get("short")
    plan = data.get("plan", {})
    return Kind(
        id=str(_require(data, "id", name)),
        name=name,
        seed=str(data.get("seed", "")),
        noun=_cases(noun, name),
        gender=str(noun.get("gender", "f")),
        head_title=_cases(head, name),
        rules=rules,
        documents=documents,
        aliases=tuple(data.get("aliases", ())),
        abbreviation=str(data.get("abbreviation", "")),
        short=_cases(short, name) if short else _cases(noun, name),
        plan_title=str(plan.get("title", "ПЛАН РАБОТЫ")),
        plan_approved=str(plan.get("approved", "УТВЕРЖДЁН")),
        plan_name={case: str(plan.get(case, PLAN_NAME[case])) for case in PLAN_NAME},
        plan_appendix=int(plan.get("appendix", 0)),
        short_name=str(data.get("short_name", "")),
        powers=_powers(data.get("powers", {}), name,
                       appoints="order_head" in documents or not documents),
        council_role=str(data.get("council", {}).get("role", "")),
        curator_position=str(data.get("curator", {}).get("position", "")),
        report_title=str(data.get("report", {}).get("title", "ОТЧЁТ")),
        report_name=str(data.get("report", {}).get("name", "Отчёт")),
        basis=str(data.get("basis", {}).get("text", "")),
        standing_cite=str(data.get("standing", {}).get("cite", "")),
        standing_text=bool(data.get("standing", {}).get("text", False)),
        quotes=tuple((table, str(data[table]["quote"]))
                     for table in ("council", "curator", "report", "basis", "standing")
                     if isinstance(data.get(table), dict) and data[table].get("quote")),
    )


@lru_cache(maxsize=1)
def all_kinds() -> tuple[Kind, ...]:
    """Every built-in kind, in the order of their file names."""
    kinds: list[Kind] = []
    folder = resources.files(__package__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            try:
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ProfileError(f"профиль {entry.name} повреждён: {exc}") from exc
            kinds.append(parse_profile(data, entry.name))
    return tuple(kinds)


def kind_names() -> tuple[str, ...]:
    """The names a clerk picks from in «Вид объединения»."""
    return tuple(k.name for k in all_kinds())


def find_kind(text: str) -> Kind | None:
    """The kind named by ``text`` (its Russian name, an alias or its id), if any."""
    for kind in all_kinds():
        if kind.matches(text):
            return kind
    return None


MIN_PREFIX = 3  # letters a shortened word needs: «тв» could start too many words
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(norm(text))


def _uncovered(typed: list[str], name: str) -> int | None:
    """How many words of ``name`` the typed words leave out, or None if one does not fit.

    Each typed word must be a whole word of ``name`` or, from MIN_PREFIX letters,
    the start of one; each word of the name is used once.
    """
    left = _words(name)
    for word in typed:
        fits = [w for w in left if w == word or (len(word) >= MIN_PREFIX and w.startswith(word))]
        if not fits:
            return None
        left.remove(fits[0])
    return len(left)


def kinds_matching(text: str) -> list[Kind]:
    """The kinds a clerk may mean by ``text``: one when it is clear, several when not.

    An exact name, alias or code wins. Otherwise every typed word, in any case, must
    be a word or the start of a word of the kind's name, short name or an alias
    («творческая», «сетевая», «гмо», «мастерская»). Of the kinds that fit, those
    whose name the words cover most fully are kept: «творческая» is the
    «Творческая группа», not «Творческая группа (сетевое взаимодействие)»; «группа»
    fits several kinds equally and returns them all.
    """
    exact = find_kind(text)
    if exact is not None:
        return [exact]
    typed = _words(text)
    if not typed:
        return []
    scored: list[tuple[int, Kind]] = []
    for kind in all_kinds():
        fits = [n for n in (_uncovered(typed, name) for name in
                            (kind.name, kind.short_name, kind.abbreviation, *kind.aliases)
                            if name) if n is not None]
        if fits:
            scored.append((min(fits), kind))
    best = min((n for n, _ in scored), default=None)
    return [kind for n, kind in scored if n == best]
