"""Check a read workbook against the contract and its kind's rules.

Every rule appends Problems and goes on, so the clerk sees all mistakes in one
run. Each rule's message lives next to the rule and says what would be right.
Only a workbook with no errors becomes a ``Group``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from docgen.errors import Location, Problem, Severity
from docgen.kinds import ISSUERS, Kind, find_kind
from docgen.language.russian import (
    MEETINGS,
    MEMBERS,
    count,
    date_numeric,
    lcfirst,
    organization_cases,
    times_text,
)
from docgen.text import closest, considers_plan, norm
from docgen.workbook.model import (
    AgendaItem,
    Event,
    Group,
    Meeting,
    Member,
    Organization,
    Person,
    Photo,
    PlanItem,
    Product,
    TechTask,
    belongs_on,
)
from docgen.workbook.reader import Row, WorkbookData
from docgen.workbook.schema import COUNCIL_ROLES, HEAD_ROLES, SHEETS, SHEETS_BY_KEY, T

# Latin letters that look like Cyrillic ones, and the Cyrillic letter meant.
LOOKALIKES = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
NAME_CHARS = re.compile(r"^[А-Яа-яЁё\-'’. ]+$")
WORD = re.compile(r"[^\s\-.'’]+")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PHONE_CHARS = re.compile(r"^[\d\s+()\-.,]+(?:\s*(?:доб\.?|вн\.?)\s*\d+)?$")

ORG_WORDS = ("организация", "организации", "организаций")


def ordinal_letter(n: int) -> str:
    return f"{n}-я"


def check_name(text: str) -> str | None:
    """Why ``text`` is not a Cyrillic name, or None when it is one."""
    for word in WORD.findall(text):
        latin = [(i, ch) for i, ch in enumerate(word, start=1) if "A" <= ch <= "z" and ch.isalpha()]
        if not latin:
            continue
        if len(latin) == sum(ch.isalpha() for ch in word):
            return f"«{word}» написано латиницей; имена пишутся русскими буквами"
        i, ch = latin[0]
        if ch in LOOKALIKES:
            return (f"в слове «{word}» {ordinal_letter(i)} буква «{ch}» — латинская, "
                    f"похожая на русскую; замените её русской «{LOOKALIKES[ch]}»")
        return (f"в слове «{word}» {ordinal_letter(i)} буква «{ch}» — латинская; "
                f"имена пишутся русскими буквами")
    if not NAME_CHARS.match(text):
        bad = next(ch for ch in text if not NAME_CHARS.match(ch))
        return f"в имени «{text}» недопустимый знак «{bad}»; оставьте только русские буквы и дефис"
    return None


def split_full_name(text: str) -> Person | None:
    """«Давыдова Светлана Михайловна» → Person; None when there are fewer than two words."""
    parts = text.split()
    if len(parts) < 2 or len(parts) > 4 or "." in text:
        return None  # initials («Давыдова С.М.») cannot be declined: full names are needed
    if len(parts) == 4:  # «Оглы», «Кызы» belong to the patronymic
        parts = [parts[0], parts[1], " ".join(parts[2:])]
    return Person(*parts)


def split_names(text: str) -> list[str]:
    """Names listed in one cell: by commas, semicolons or lines."""
    return [part.strip() for part in re.split(r"[,;\n]+", text) if part.strip()]


def surname_key(name: str) -> str:
    """«Иванова М.П.» or «Иванова Мария Петровна» → the surname, compared loosely."""
    return norm(name.split()[0]) if name.split() else ""


def phone_problem(text: str) -> str | None:
    digits = re.sub(r"\D", "", re.split(r"доб|вн", text)[0])
    if not PHONE_CHARS.match(text) or len(digits) not in (5, 6, 7, 10, 11):
        return (f"телефон «{text}» не похож на номер; укажите его в виде "
                f"+7 (XXX) XXX-XX-XX или 8 (XXXX) XX-XX-XX")
    if len(digits) == 11 and digits[0] not in "78":
        return f"телефон «{text}»: номер из 11 цифр начинается с +7 или 8"
    return None


def email_problem(text: str) -> str | None:
    if not EMAIL.match(text):
        return f"адрес эл. почты «{text}» записан неверно; нужен вид name@example.ru"
    return None


def _parse_day_month(text: str, year: int) -> dt.date:
    day, month = (int(p) for p in text.split("."))
    return dt.date(year, month, day)


class Validator:
    """Applies every rule to one workbook; ``run`` returns the group and all problems."""

    def __init__(self, data: WorkbookData) -> None:
        self.data = data
        self.problems: list[Problem] = list(data.problems)
        self.kind: Kind | None = None
        self.start: dt.date | None = None
        self.end: dt.date | None = None
        self.year_start: dt.date | None = None
        self.year_end: dt.date | None = None
        self.photos: dict[int, tuple[Photo, ...]] = {}  # «Мероприятия» row → its pictures
        self._member_rows: list[Row] | None = None
        self._on_date: dict[dt.date, list[Row]] = {}
        self._absent: dict[int, list[Row]] = {}

    # -- helpers ------------------------------------------------------------

    def add(self, loc: Location, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(severity, message, loc))

    def warn(self, loc: Location, message: str) -> None:
        self.add(loc, message, Severity.WARNING)

    def at(self, sheet: str, row: Row | None = None, key: str | None = None) -> Location:
        return self.data.location(sheet, row.number if row else None, key)

    def field(self, key: str) -> Any:
        return self.data.fields.values.get(key)

    def rows(self, sheet: str) -> list[Row]:
        return self.data.rows(sheet)

    def sheet_title(self, key: str) -> str:
        return self.data.sheets[key].title

    @property
    def kind_noun(self) -> str:
        return self.kind.noun["pre"] if self.kind else "группе"

    # -- rules --------------------------------------------------------------

    def check_group_fields(self) -> None:
        kind_name = self.field("kind")
        self.kind = find_kind(kind_name) if kind_name else None
        year = self.field("year")
        if year:
            first = int(year[:4])
            self.year_start = dt.date(first, 9, 1)
            self.year_end = dt.date(first + 1, 8, 31)
            self.start = self.field("start") or self.year_start
            self.end = self.field("end") or dt.date(first + 1, 5, 31)
            for key, value in (("start", self.field("start")), ("end", self.field("end"))):
                if value and not (self.year_start <= value <= self.year_end):
                    self.add(self.at("group", key=key),
                             f"дата {date_numeric(value)} вне учебного года {year} "
                             f"({date_numeric(self.year_start)}–{date_numeric(self.year_end)}); "
                             f"укажите дату внутри учебного года")
            if self.start > self.end:
                self.add(self.at("group", key="end"),
                         f"дата окончания {date_numeric(self.end)} раньше даты начала "
                         f"{date_numeric(self.start)}; проверьте даты")
        order_date = self.field("order_date")
        if order_date and self.start and order_date > self.start:
            self.warn(self.at("group", key="order_date"),
                      f"приказ от {date_numeric(order_date)} издан позже начала работы группы "
                      f"({date_numeric(self.start)}); обычно группу открывают до начала работы")
        self.check_full_name("service_head", "Давыдова Светлана Михайловна")
        direction = self.field("direction")
        if direction and self.kind and not self.kind.rules.direction_required:
            self.warn(self.at("group", key="direction"),
                      f"направление «{direction}» указывают только для профессиональной группы; "
                      f"для вида «{self.kind.name}» оно не используется")

    def check_full_name(self, key: str, example: str) -> None:
        """A head who signs (initials are made from it, and it is declined): in full."""
        name = self.field(key)
        if name and check_name(name) is None and split_full_name(name) is None:
            self.add(self.at("group", key=key),
                     f"«{name}»: укажите фамилию, имя и отчество полностью, например "
                     f"«{example}»")

    def check_value_formats(self) -> None:
        """Names in Cyrillic (errors); phone and e-mail formats (warnings, a typo there
        blocks no document). Applied to every column of those types on every sheet."""
        tests = {
            T.NAME: (check_name, Severity.ERROR),
            T.PHONE: (phone_problem, Severity.WARNING),
            T.EMAIL: (email_problem, Severity.WARNING),
        }
        for spec in SHEETS:
            for col in spec.columns:
                if col.type not in tests:
                    continue
                test, severity = tests[col.type]
                if spec.fields:
                    places = [(self.at("group", key=col.key), self.field(col.key))]
                else:
                    places = [(self.at(spec.key, row, col.key), row.values.get(col.key))
                              for row in self.rows(spec.key)]
                for loc, value in places:
                    why = test(value) if value else None
                    if why:
                        self.add(loc, why, severity)

    def check_members(self) -> None:
        rows = self.rows("members")
        sheet = self.data.sheets["members"]
        if sheet.present and not rows:
            self.add(self.at("members"), "в списке нет ни одного участника; заполните лист")
            return
        person = ("last_name", "first_name", "patronymic")
        repeated: set[int] = set()
        for row, first in _repeats(rows, lambda r: tuple(norm(r.get(k, "")) for k in person)
                                   if r.get("last_name") else None):
            repeated.add(id(row))
            self.add(self.at("members", row, "last_name"),
                     f"участник «{_full(row)}» уже указан в строке {first.number}; "
                     f"удалите повтор")
        # a repeated row is one mistake, said above: its role does not make a second head
        # or secretary
        self.check_roles([r for r in rows if id(r) not in repeated])
        self.check_member_organizations(rows)
        for row in rows:
            self.check_gender(row)
            # a member may have joined in an earlier year; joining after the end is a typo
            joined = row.get("joined")
            if joined and self.end and joined > self.end:
                self.warn(self.at("members", row, "joined"),
                          f"дата включения {date_numeric(joined)} позже окончания работы группы "
                          f"({date_numeric(self.end)}) и не относится к учебному году "
                          f"{self.field('year')}; проверьте год")

    def check_tech_task_reached(self) -> None:
        """A ТЗ indicator without «Достигнуто»: the year's report leaves a blank for it.

        Said only once the year is over (its last meeting held, so the report is due):
        in September nothing is reached yet.
        """
        meetings = list(self.rows("meetings"))
        if not meetings or any(m.get("attended") is None for m in meetings):
            return
        for row in self.rows("tech_task"):
            if row.get("indicator") and not row.get("reached"):
                self.warn(self.at("tech_task", row, "reached"),
                          "показатель технического задания без отметки «Достигнуто»: в отчёте "
                          "за год останется пустое место «________», впишите его от руки или "
                          "заполните «Достигнуто»")

    def check_gender(self, row: Row) -> None:
        """An empty «Пол» is fine when the name tells it; otherwise documents may decline wrong."""
        if row.get("gender") or not row.get("last_name") or not row.get("first_name"):
            return
        from docgen.language.russian import detect_gender

        if detect_gender(row.get("first_name") or "", row.get("patronymic") or "",
                         row.get("last_name")) is None:
            self.warn(self.at("members", row, "gender"),
                      f"по имени «{_full(row)}» пол не определить; выберите «м» или «ж», "
                      f"чтобы фамилия в документах склонялась верно")

    def check_roles(self, rows: list[Row]) -> None:
        """Exactly one head, with the kind's title and qualification; one secretary."""
        if not rows:
            return
        head_role = self.kind.head_role if self.kind else None
        heads = [r for r in rows if r.get("role") in HEAD_ROLES]
        if self.kind and not self.kind.council_role:
            for r in rows:
                if r.get("role") in COUNCIL_ROLES[1:]:
                    self.add(self.at("members", r, "role"),
                             f"у вида «{self.kind.name}» нет методического совета: роль "
                             f"«{r.get('role')}» замените на «участник»")
        wrong: list[Row] = []
        if self.kind:
            wrong = [r for r in heads if r.get("role") != head_role]
            for r in wrong:
                self.add(self.at("members", r, "role"),
                         f"в виде «{self.kind.name}» главу группы называют «{head_role}», "
                         f"а не «{r.get('role')}»; исправьте роль")
            heads = [r for r in heads if r.get("role") == head_role]
        title = head_role or "руководитель"
        if not heads and not wrong:
            self.add(self.at("members", None, "role"),
                     f"не указан {title}: поставьте роль «{title}» одному участнику")
        for extra in heads[1:]:
            self.add(self.at("members", extra, "role"),
                     f"{title} должен быть один, а роль «{title}» стоит также в строке "
                     f"{heads[0].number}; оставьте одного")
        if heads and self.kind:
            self.check_head_qualification(heads[0])
        secretaries = [r for r in rows if r.get("role") == "секретарь"]
        if not secretaries:
            self.warn(self.at("members", None, "role"),
                      "не указан секретарь (роль «секретарь»): протоколы заседаний будут без "
                      "подписи секретаря")
        for extra in secretaries[1:]:
            self.add(self.at("members", extra, "role"),
                     f"секретарь должен быть один, а роль «секретарь» стоит также в строке "
                     f"{secretaries[0].number}; оставьте одного")

    def check_head_qualification(self, head: Row) -> None:
        assert self.kind is not None
        rules = self.kind.rules
        title = self.kind.head_title
        if rules.head_categories and head.get("category") not in rules.head_categories:
            allowed = " или ".join(_feminine_accusative(c) for c in rules.head_categories)
            actual = head.get("category")
            now = f"указана «{actual}»" if actual else "категория не указана"
            self.add(self.at("members", head, "category"),
                     f"{title['nom'].capitalize()} ({self.kind.noun['gen']}) должен иметь "
                     f"{allowed} квалификационную категорию, а {now}; укажите категорию "
                     f"или назначьте другого {title['gen']}")
        need = rules.head_min_experience
        if need:
            years = head.get("experience")
            if years is None:
                self.add(self.at("members", head, "experience"),
                         f"у {title['gen']} не указан стаж, а нужен стаж по специальности "
                         f"не менее {need} лет; укажите стаж полных лет")
            elif years < need:
                self.add(self.at("members", head, "experience"),
                         f"стаж {title['gen']} {count(years, 'год', 'года', 'лет')}, а нужен "
                         f"не менее {need} лет; назначьте другого {title['gen']}")

    def unknown_organization(self, name: str) -> str | None:
        """Why ``name`` is not on «Организации», or None: it is there, or the sheet is
        empty (the blank workbook always has it, so only a filled sheet is a list)."""
        known = [r.get("short_name") for r in self.rows("organizations") if r.get("short_name")]
        if not known or norm(name) in {norm(k) for k in known}:
            return None
        return f"нет на листе «Организации»{_suggest(name, known)}"

    def check_member_organizations(self, rows: list[Row]) -> None:
        for row in rows:
            name = row.get("organization")
            why = self.unknown_organization(name) if name else None
            if why:
                self.add(self.at("members", row, "organization"), f"организации «{name}» {why}")
        distinct = {norm(r.get("organization")) for r in rows if r.get("organization")}
        need = self.kind.rules.min_organizations if self.kind else 1
        if need > 1 and len(distinct) < need:
            self.add(self.at("members", None, "organization"),
                     f"в {self.kind_noun} должны быть педагоги не менее чем из "
                     f"{count(need, 'организации', 'организаций', 'организаций')}, а указано "
                     f"{count(len(distinct), *ORG_WORDS)}; добавьте участников из других "
                     f"организаций")

    def check_organizations(self) -> None:
        orgs = self.rows("organizations")
        for row, first in _repeats(orgs, lambda r: norm(r.get("short_name", "")) or None):
            self.add(self.at("organizations", row, "short_name"),
                     f"организация «{row.get('short_name')}» уже указана в строке "
                     f"{first.number}; удалите повтор")
        for row in orgs:
            head = row.get("head")
            if head and check_name(head) is None and split_full_name(head) is None:
                self.add(self.at("organizations", row, "head"),
                         f"«{head}»: укажите фамилию, имя и отчество руководителя полностью")
        base = self.field("base_org")
        why = self.unknown_organization(base) if base else None
        if why:
            self.add(self.at("group", key="base_org"), f"базовой организации «{base}» {why}")
        if self.kind and {"application_member", "application_org"} & set(self.kind.documents):
            used = {norm(r.get("organization")) for r in self.rows("members")}
            for row in self.rows("organizations"):
                if norm(row.get("short_name") or "") not in used:
                    continue
                for key, what in (("head", "ФИО руководителя"),
                                  ("head_position", "должность руководителя")):
                    if not row.get(key):
                        self.add(self.at("organizations", row, key),
                                 f"не указана {what} организации: заявки (приложения 1–2) "
                                 f"подписывает руководитель организации")

    def check_meetings(self) -> None:
        rows = [r for r in self.rows("meetings") if r.get("number") is not None]
        sheet = self.data.sheets["meetings"]
        if sheet.present and not self.rows("meetings"):
            self.add(self.at("meetings"),
                     "не запланировано ни одного заседания; заполните лист")
        for row, first in _repeats(rows, lambda r: r.get("number")):
            self.add(self.at("meetings", row, "number"),
                     f"номер заседания {row.get('number')} уже есть в строке {first.number}; "
                     f"номера не должны повторяться")
        by_number: dict[int, Row] = {}
        for row in rows:
            by_number.setdefault(row.get("number"), row)
            date = row.get("date")
            if date and self.start and self.end and not (self.start <= date <= self.end):
                self.add(self.at("meetings", row, "date"),
                         f"дата заседания {date_numeric(date)} вне периода работы группы "
                         f"{date_numeric(self.start)}–{date_numeric(self.end)}; проверьте дату")
            attended = row.get("attended")
            if attended is not None and attended < 0:
                self.add(self.at("meetings", row, "attended"),
                         "число присутствовавших не может быть отрицательным")
            self.check_absent(row)
            self.check_attendance(row)
        ordered = sorted(by_number.items())
        for (n1, r1), (n2, r2) in itertools.pairwise(ordered):
            d1, d2 = r1.get("date"), r2.get("date")
            if d1 and d2 and d2 < d1:
                self.add(self.at("meetings", r2, "date"),
                         f"заседание № {n2} ({date_numeric(d2)}) раньше заседания № {n1} "
                         f"({date_numeric(d1)}); нумеруйте заседания в порядке дат")
        numbers = [n for n, _ in ordered]
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            first = ordered[0][1]
            what = (f"пропущены номера {', '.join(map(str, missing))}" if missing
                    else "номера должны начинаться с 1")
            self.warn(self.at("meetings", first, "number"),
                      f"заседания нумеруются по порядку с 1: {what}")
        self.check_meeting_frequency([r for r in rows if r.get("date")])

    # -- membership over time: who was in the group on a meeting's day ----------

    @property
    def founded(self) -> dt.date | None:
        """The day the creation order's состав speaks for (``Group.founded``)."""
        order_date = self.field("order_date")
        if order_date and self.start:
            return max(order_date, self.start)
        return order_date or self.start

    def member_rows(self) -> list[Row]:
        if self._member_rows is None:
            self._member_rows = [r for r in self.rows("members") if r.get("last_name")]
        return self._member_rows

    def members_on(self, date: dt.date) -> list[Row]:
        """The «Участники» rows of those in the group on ``date`` (``Member.member_on``);
        once per date: a sheet of 10 000 agenda rows asks it for each."""
        if date not in self._on_date:
            self._on_date[date] = [r for r in self.member_rows()
                                   if belongs_on(r.get("joined") or None, r.get("left") or None,
                                                 date)]
        return self._on_date[date]

    def member_numbers_on(self, date: dt.date) -> set[int]:
        return {r.number for r in self.members_on(date)}

    def not_member_why(self, row: Row, date: dt.date) -> str:
        """Why the member of ``row`` was not in the group on ``date``, for a message."""
        joined, left = row.get("joined"), row.get("left")
        if joined and joined > date:
            return f"включена в состав только {date_numeric(joined)}" if _feminine(row) else (
                f"включён в состав только {date_numeric(joined)}")
        return (f"выбыла из состава {date_numeric(left)}" if _feminine(row)
                else f"выбыл из состава {date_numeric(left)}")

    def check_absent(self, row: Row) -> None:
        """Each name in «Отсутствовали» is a member on the meeting's day: the protocol names
        as absent only those who belonged to the group then."""
        text, date = row.get("absent"), row.get("date")
        if not text:
            return
        by_surname = {norm(r.get("last_name")): r for r in self.member_rows()}
        if not by_surname:  # no «Участники»: its own error says so; nobody can be found
            return
        for name in split_names(text):
            member = by_surname.get(surname_key(name))
            if member is None:
                self.warn(self.at("meetings", row, "absent"),
                          f"«{name}» нет на листе «{self.sheet_title('members')}»; укажите "
                          f"фамилию участника, как в списке")
            elif date and member.number not in self.member_numbers_on(date):
                self.add(self.at("meetings", row, "absent"),
                         f"«{name}» не входит в состав на день заседания "
                         f"{date_numeric(date)} ({self.not_member_why(member, date)}); "
                         f"отсутствовавшими указывают только участников на этот день")

    def absent_rows(self, meeting: Row) -> list[Row]:
        """The members named in a meeting's «Отсутствовали» (once per meeting row)."""
        if meeting.number not in self._absent:
            names = {surname_key(n) for n in split_names(meeting.get("absent") or "")}
            self._absent[meeting.number] = [r for r in self.member_rows()
                                            if norm(r.get("last_name")) in names]
        return self._absent[meeting.number]

    def check_attendance(self, row: Row) -> None:
        """The figures add up: those present are the members of that day less the absent,
        plus the invited; a protocol or report never counts more than were there."""
        attended, date = row.get("attended"), row.get("date")
        if attended is None or attended < 0 or not date or not self.member_rows():
            return
        on_date = self.members_on(date)
        invited = invited_count(row.get("invited"))
        most = len(on_date) + (invited or 0)
        loc = self.at("meetings", row, "attended")
        if invited is not None and attended > most:
            guests = f" и {count(invited, 'приглашённый', 'приглашённых', 'приглашённых')}" \
                if invited else ""
            self.add(loc, f"присутствовало {attended}, а на {date_numeric(date)} в составе "
                          f"{count(len(on_date), *MEMBERS)}{guests}; исправьте число или "
                          f"укажите приглашённых в столбце «Приглашённые»")
            return
        if not row.get("absent"):
            # the absent are not named: the protocol comes with its registration sheet,
            # but says nobody's name as absent (the invited may or may not be counted in
            # «Присутствовало»: only fewer than the members of the day is sure)
            if attended < len(on_date):
                self.warn(self.at("meetings", row, "absent"),
                          f"присутствовало {attended}, а на {date_numeric(date)} в составе "
                          f"{count(len(on_date), *MEMBERS)}, а в «Отсутствовали» никто не назван: "
                          f"укажите, кто отсутствовал, иначе в протоколе их не будет")
            return
        numbers = self.member_numbers_on(date)
        absent = [r for r in self.absent_rows(row) if r.number in numbers]
        present = len(on_date) - len(absent)
        if attended < present or (invited == 0 and attended != present):
            self.add(loc, f"присутствовало {attended}, а на {date_numeric(date)} в составе "
                          f"{count(len(on_date), *MEMBERS)}, из них отсутствовали "
                          f"{len(absent)}: присутствовавших участников {present}"
                          f"{'' if invited == 0 else ' (и приглашённые сверх них)'}; "
                          f"исправьте число или список отсутствовавших")

    def check_membership(self) -> None:
        """Joining and leaving dates, and the orders that record them: a later joining or
        a leaving is made by a «Приказ о внесении изменений в состав»."""
        founded = self.founded
        if not founded or not self.kind:
            return
        for row in self.member_rows():
            joined, left = row.get("joined"), row.get("left")
            if left and joined and left <= joined:
                self.add(self.at("members", row, "left"),
                         f"дата выбытия {date_numeric(left)} не позже даты включения "
                         f"{date_numeric(joined)}; проверьте даты")
                continue
            if left and left <= founded:
                self.add(self.at("members", row, "left"),
                         f"дата выбытия {date_numeric(left)} не позже создания группы "
                         f"({date_numeric(founded)}): участник не входит в её состав; "
                         f"удалите строку или исправьте дату")
                continue
            if left and self.end and left > self.end:
                self.warn(self.at("members", row, "left"),
                          f"дата выбытия {date_numeric(left)} позже окончания работы группы "
                          f"({date_numeric(self.end)}); проверьте год")
                left = None
            if joined and joined > founded and (not self.end or joined <= self.end):
                self.check_change_order(row, "join", joined, "включение")
            if left:
                self.check_change_order(row, "leave", left, "выбытие")
            later = [m for m in self.rows("meetings")
                     if m.get("date") and left and m.get("date") >= left]
            if later and row.get("role") in (self.kind.head_role, "секретарь"):
                self.warn(self.at("members", row, "left"),
                          f"{row.get('role')} {_full(row)} выбывает {date_numeric(left)}, а "
                          f"протоколы заседаний после этой даты (№ {later[0].get('number')} "
                          f"от {date_numeric(later[0].get('date'))}) подписывает "
                          f"{row.get('role')} с листа «{self.sheet_title('members')}» — "
                          f"выбывший; проверьте дату выбытия или роль")

    def check_change_order(self, row: Row, prefix: str, change: dt.date, what: str) -> None:
        """The amendment order of one change: its number and date, or blanks and a warning."""
        number_key, date_key = f"{prefix}_order_number", f"{prefix}_order_date"
        number, date = row.get(number_key), row.get(date_key)
        sheet = SHEETS_BY_KEY["members"]
        order = f"приказ о внесении изменений в состав ({what}: {_full(row)})"
        for key, value, word in ((number_key, number, "номер не указан"),
                                 (date_key, date, "дата не указана")):
            if not value:
                self.warn(self.at("members", row, key),
                          f"{order}: {word} — в приказе останется пустое место "
                          f"«{BLANK_REQUISITE[key.endswith('date')]}», впишите от руки или "
                          f"заполните «{sheet.column(key).header}»")
        if date and date < change:
            self.warn(self.at("members", row, date_key),
                      f"{order} от {date_numeric(date)} раньше дня изменения "
                      f"{date_numeric(change)}; изменение состава оформляют приказом в день "
                      f"изменения или позже")
        if date and self.end and date > self.end:
            self.warn(self.at("members", row, date_key),
                      f"{order} от {date_numeric(date)} позже окончания работы группы; "
                      f"проверьте дату")

    def check_agenda_people(self) -> None:
        """Speakers are members present that day or invited guests; a decision claims no
        power the group lacks (the состав and, mostly, the plan are approved by others)."""
        meetings = {r.get("number"): r for r in self.rows("meetings")
                    if r.get("number") is not None}
        members = {norm(r.get("last_name")): r for r in self.member_rows()}
        for item in self.rows("agenda"):
            meeting = meetings.get(item.get("meeting"))
            # without «Участники» every speaker would look a stranger: that sheet's own
            # error says what is wrong, a flood of speakers' warnings would hide it
            if members and meeting is not None and meeting.get("date"):
                self.check_speakers(item, meeting, members)
            self.check_decision(item)
        if members:
            self.check_acting_count(list(meetings.values()), members)

    def check_acting_count(self, meetings: list[Row], members: dict[str, Row]) -> None:
        """The protocol names its chair, secretary and speakers among those present: a
        held meeting's «Присутствовало» is not smaller than the members it names."""
        leaders = [r for r in self.member_rows()
                   if r.get("role") == "секретарь"
                   or (self.kind and r.get("role") == self.kind.head_role)]
        items: dict[Any, list[Row]] = {}
        for item in self.rows("agenda"):
            items.setdefault(item.get("meeting"), []).append(item)
        for meeting in meetings:
            attended = meeting.get("attended")
            if attended is None or attended < 0:
                continue
            acting = {r.number: r for r in leaders}
            for item in items.get(meeting.get("number"), []):
                speaker, speakers = item.get("speaker"), item.get("speakers")
                if speaker and surname_key(speaker) in members:
                    row = members[surname_key(speaker)]
                    acting[row.number] = row
                for row in mentioned(speakers or "", members):
                    acting[row.number] = row
            if len(acting) > attended:
                names = ", ".join(_full(r) for r in sorted(acting.values(),
                                                          key=lambda r: r.number))
                self.add(self.at("meetings", meeting, "attended"),
                         f"присутствовало {attended}, а в протоколе заседания № "
                         f"{meeting.get('number')} председатель, секретарь и выступавшие — "
                         f"{count(len(acting), *MEMBERS)} ({names}); исправьте число "
                         f"присутствовавших или выступавших на листе "
                         f"«{self.sheet_title('agenda')}»")

    def check_speakers(self, item: Row, meeting: Row, members: dict[str, Row]) -> None:
        date = meeting.get("date")
        on_date = self.member_numbers_on(date)
        absent = {r.number for r in self.absent_rows(meeting)}
        invited = norm(meeting.get("invited") or "")
        held = meeting.get("attended") is not None
        for key in ("speaker", "speakers"):
            text = item.get(key)
            if not text:
                continue
            named = mentioned(text, members) if key == "speakers" else (
                [members[surname_key(text)]] if surname_key(text) in members else [])
            for member in named:
                who = _full(member)
                if member.number not in on_date:
                    self.add(self.at("agenda", item, key),
                             f"{who} не входит в состав на день заседания № "
                             f"{meeting.get('number')} ({date_numeric(date)}: "
                             f"{self.not_member_why(member, date)}), а указан(а) среди "
                             f"выступавших; выступают участники этого дня или приглашённые")
                elif held and member.number in absent:
                    self.add(self.at("agenda", item, key),
                             f"{who} в списке отсутствовавших на заседании № "
                             f"{meeting.get('number')} (лист «{self.sheet_title('meetings')}», "
                             f"строка {meeting.number}), а указан(а) среди выступавших; "
                             f"исправьте один из списков")
            strangers = [n for n in (stranger_names(text, members) if key == "speakers" else
                                     ([text] if not named else []))
                         if surname_key(n) and surname_key(n) not in invited]
            for name in strangers:
                self.warn(self.at("agenda", item, key),
                          f"выступающий «{name}» не найден ни среди участников, ни среди "
                          f"приглашённых заседания № {meeting.get('number')}; "
                          f"укажите гостя в столбце «Приглашённые» "
                          f"листа «{self.sheet_title('meetings')}»")

    def check_decision(self, item: Row) -> None:
        text = item.get("decision")
        if not text or not self.kind:
            return
        loc = self.at("agenda", item, "decision")
        if MEMBERSHIP_DECISION.search(text):
            self.warn(loc, f"состав {self.kind.noun['gen']} утверждает приказ "
                           f"{self.issuer_gen('create')}, заседание не включает и не исключает "
                           f"участников своим решением; напишите «Ходатайствовать о включении "
                           f"… в состав», а дату укажите на листе "
                           f"«{self.sheet_title('members')}» (docgen подготовит приказ о "
                           f"внесении изменений в состав)")
        if self.kind.power("plan") != "head" and PLAN_APPROVAL.search(text):
            self.warn(loc, f"{self.kind.plan_name['acc']} утверждает "
                           f"{self.plan_approver()}, а не заседание; напишите «Одобрить проект "
                           f"{self.kind.plan_name['gen']} и направить на утверждение»")

    def check_plan_items(self) -> None:
        """A plan item claims no power the group lacks, and names as responsible only
        members of the group on the day the plan is approved."""
        if not self.kind:
            return
        members = {norm(r.get("last_name")): r for r in self.member_rows()}
        approved = self.plan_approved_on()
        for row in self.rows("plan"):
            activity = row.get("activity") or ""
            if self.kind.power("plan") != "head" and PLAN_APPROVAL.search(activity):
                self.warn(self.at("plan", row, "activity"),
                          f"{self.kind.plan_name['acc']} утверждает {self.plan_approver()}, "
                          f"а не {self.kind.noun['nom']}; напишите «Рассмотрение проекта "
                          f"{self.kind.plan_name['gen']} и направление на утверждение»")
            responsible = row.get("responsible")
            if not (responsible and members and approved):
                continue
            on_date = self.member_numbers_on(approved)
            for member in mentioned(responsible, members):
                if member.number not in on_date:
                    self.warn(self.at("plan", row, "responsible"),
                              f"{_full(member)} не входит в состав на день утверждения "
                              f"{self.kind.plan_name['gen']} {date_numeric(approved)} "
                              f"({self.not_member_why(member, approved)}), а указан(а) "
                              f"ответственным; укажите участника на этот день")

    def plan_approved_on(self) -> dt.date | None:
        """The day the plan speaks for: its order's date, else the meeting that
        considered it, else the creation order's состав."""
        assert self.kind
        if self.kind.power("plan") in ISSUERS and self.field("plan_order_date"):
            return self.field("plan_order_date")
        meeting = self.plan_meeting()
        return meeting.get("date") if meeting is not None else self.founded

    def issuer_gen(self, power: str) -> str:
        """«методической службы» / «органа управления образованием», named where given."""
        assert self.kind
        if self.kind.power(power) == "authority":
            authority = self.field("authority")
            return organization_cases(authority)["gen"] if authority else (
                "органа управления образованием")
        service = self.field("service")
        return service or "методической службы"

    def plan_approver(self) -> str:
        assert self.kind
        by = self.kind.power("plan")
        if by in ISSUERS:
            return f"приказ {self.issuer_gen('plan')}"
        position = self.field("service_head_position") or "руководитель методической службы"
        return f"{lcfirst(position)} {self.field('service') or ''}".strip()

    def check_plan_order_date(self) -> None:
        """A plan approved by an order is approved after the meeting that considered it."""
        if not self.kind or self.kind.power("plan") not in ISSUERS:
            return
        approved = self.field("plan_order_date")
        meeting = self.plan_meeting()
        if approved and meeting is not None and approved < meeting.get("date"):
            self.add(self.at("group", key="plan_order_date"),
                     f"{self.kind.plan_name['nom']} утверждён приказом от "
                     f"{date_numeric(approved)}, раньше заседания № {meeting.get('number')} "
                     f"от {date_numeric(meeting.get('date'))}, на котором его рассматривают "
                     f"(лист «{self.sheet_title('meetings')}», строка {meeting.number}); "
                     f"приказ издают после заседания — исправьте дату приказа или заседания")

    def plan_meeting(self) -> Row | None:
        """The first meeting whose agenda (or topic) is the plan: where it is considered."""
        agenda: dict[Any, list[Row]] = {}
        for item in self.rows("agenda"):
            agenda.setdefault(item.get("meeting"), []).append(item)
        dated = sorted((r for r in self.rows("meetings")
                        if r.get("date") and r.get("number") is not None),
                       key=lambda r: r.get("date"))
        for row in dated:
            items = agenda.get(row.get("number"), [])
            if considers_plan(row.get("topic"),
                              ((i.get("question"), i.get("decision")) for i in items)):
                return row
        return None

    def check_meeting_frequency(self, rows: list[Row]) -> None:
        if not self.kind or not rows:
            return  # an empty sheet is reported once, by check_meetings
        rules = self.kind.rules
        n = len(rows)
        if rules.min_meetings and n < rules.min_meetings:
            self.add(self.at("meetings"),
                     f"в {self.kind_noun} заседания проводятся не реже "
                     f"{times_text(rules.min_meetings)} в год, а запланировано "
                     f"{count(n, *MEETINGS)}; добавьте ещё "
                     f"{count(rules.min_meetings - n, *MEETINGS)}")
        if not self.start or not self.end:
            return
        _, missed = rules.missed_terms(self.field("level"), self.start, self.end,
                                       (r.get("date") for r in rows))
        for term in missed:
            self.add(self.at("meetings"),
                     f"в {self.kind_noun} заседание проводится не реже раза в каждую часть "
                     f"года, а в период «{term.name}» нет ни одного; добавьте заседание")

    def check_agenda(self) -> None:
        meetings = {r.get("number") for r in self.rows("meetings")}
        agenda = self.rows("agenda")
        for row in agenda:
            m = row.get("meeting")
            if m is not None and self.data.sheets["meetings"].present and m not in meetings:
                self.add(self.at("agenda", row, "meeting"),
                         f"заседания № {m} нет на листе «{self.sheet_title('meetings')}»; "
                         f"укажите номер существующего заседания")
        question = ("meeting", "number")
        for row, first in _repeats(agenda, lambda r: tuple(r.get(k) for k in question)
                                   if all(r.get(k) is not None for k in question) else None):
            self.add(self.at("agenda", row, "number"),
                     f"вопрос № {row.get('number')} заседания № {row.get('meeting')} уже есть "
                     f"в строке {first.number}; номера вопросов не должны повторяться")

    def check_dated_rows(self) -> None:
        """Plan terms and events given as dates should lie inside the group's period."""
        if not self.start or not self.end:
            return
        for sheet, key in (("plan", "term"), ("events", "date"), ("tech_task", "term")):
            for row in self.rows(sheet):
                value = row.get(key)
                if isinstance(value, dt.date) and not (self.start <= value <= self.end):
                    self.warn(self.at(sheet, row, key),
                              f"дата {date_numeric(value)} вне периода работы группы "
                              f"{date_numeric(self.start)}–{date_numeric(self.end)}")

    def check_event_photos(self) -> None:
        """Every picture named on «Мероприятия» is a JPEG or PNG inside the workbook's folder.

        The report of a network event carries its photos (or screenshots of an
        online one), so an event without them is worth a warning where the kind
        makes that report.
        """
        from docgen.workbook.photos import inspect, resolve

        folder = self.data.path.parent
        reports = bool(self.kind and "event_report" in self.kind.documents)
        for row in self.rows("events"):
            names = row.get("photos")
            loc = self.at("events", row, "photos")
            if not names:
                if reports and row.get("name"):
                    self.warn(loc, "к отчёту о сетевом событии прилагаются фото (при проведении "
                                   "онлайн — снимки экрана); укажите их файлы в столбце «Фото»")
                continue
            found, problems = resolve("\n".join(names), folder)
            for why in problems:
                self.add(loc, why)
            pictures = []
            for name, path in found:
                why = inspect(path)
                if why:
                    self.add(loc, why.replace(f"«{path.name}»", f"«{name}»", 1))
                else:
                    pictures.append(Photo(path, name, loc.file or "", loc.sheet or "",
                                          (row.number, loc.column or 0)))
            self.photos[row.number] = tuple(pictures)

    def check_kind_rules(self) -> None:
        if not self.kind:
            return
        rules = self.kind.rules
        if rules.direction_required and not self.field("direction"):
            self.add(self.at("group", key="direction"),
                     f"для вида «{self.kind.name}» укажите направление: творческая, рабочая, "
                     f"экспертная или проектная")
        if rules.fixed_period and self.year_start:
            first, second = self.year_start.year, self.year_start.year + 1
            want_start = _parse_day_month(rules.fixed_period[0], first)
            want_end = _parse_day_month(rules.fixed_period[1], second)
            for key, got, want in (("start", self.start, want_start),
                                   ("end", self.end, want_end)):
                if got and got != want:
                    self.add(self.at("group", key=key),
                             f"{self.kind.noun['nom']} работает с {date_numeric(want_start)} "
                             f"по {date_numeric(want_end)}; укажите {date_numeric(want)} "
                             f"или оставьте поле пустым")
        for key in rules.required_sheets:
            if not self.rows(key):
                sheet = self.data.sheets[key]
                state = "не заполнен" if sheet.present else "отсутствует"
                self.add(Location(self.data.path.name, sheet.title),
                         f"лист {state}, а для вида «{self.kind.name}» он обязателен; "
                         f"{'заполните его' if sheet.present else 'добавьте и заполните его'}")
        for key in rules.recommended_sheets:
            if not self.rows(key):
                sheet = self.data.sheets[key]
                self.warn(Location(self.data.path.name, sheet.title),
                          f"лист не заполнен, поэтому документ «{_document_of(key)}» не будет "
                          f"сформирован")

    def check_orders(self) -> None:
        """Whose orders these are, and their requisites. The authority's head must be
        named where the authority issues orders; an order number or date not given is
        printed as a blank to fill by hand, never borrowed from another order."""
        kind = self.kind
        if not kind:
            return
        group = SHEETS_BY_KEY["group"]
        if kind.authority_issues:
            what = _authority_powers(kind)
            for key in ("authority", "authority_head", "authority_head_position"):
                if not self.field(key):
                    self.add(self.at("group", key=key),
                             f"не заполнено поле «{group.column(key).header}»: у вида "
                             f"«{kind.name}» {what} орган управления образованием и "
                             f"подписывает его руководитель")
        self.check_full_name("authority_head", "Сафина Гульнара Рашидовна")
        pairs = []
        if kind.appoints_head:
            pairs.append(("head_order", f"приказ о назначении {kind.head_title['gen']}", True))
        else:  # the мастерская: its совет leads it, no order appoints anyone (003, 4.2)
            for key in ("head_order_number", "head_order_date"):
                if self.field(key):
                    self.warn(self.at("group", key=key),
                              f"у вида «{kind.name}» руководителя не назначают приказом: "
                              f"руководство осуществляет методический совет, его состав "
                              f"определяет приказ о создании; поле "
                              f"«{group.column(key).header}» не используется")
        if kind.curator_position:
            self.check_full_name("curator", "Смирнова Галина Петровна")
            if not self.field("curator"):
                self.warn(self.at("group", key="curator"),
                          f"не заполнено поле «{group.column('curator').header}»: план и "
                          f"анализ деятельности будут без согласования куратора "
                          f"({kind.curator_position})")
        if kind.power("plan") in ISSUERS and self.rows("plan"):
            pairs.append(("plan_order", f"приказ об утверждении {kind.plan_name['gen']}", True))
        standing = kind.power("regulation") != kind.power("create")
        pairs.append(("regulation_order", "приказ об утверждении положения", standing))
        for prefix, order, needed in pairs:
            number_key, date_key = f"{prefix}_number", f"{prefix}_date"
            number, date = self.field(number_key), self.field(date_key)
            if not number and not date:
                if needed:
                    self.warn(self.at("group", key=number_key),
                              f"{order}: номер и дата не указаны — в документах останутся "
                              f"пустые места «от ________ № ____», впишите их от руки или "
                              f"заполните «{group.column(number_key).header}» и "
                              f"«{group.column(date_key).header}»")
                continue
            missing = date_key if not date else number_key if not number else None
            if missing:
                what = "дата" if missing == date_key else "номер"
                self.warn(self.at("group", key=missing),
                          f"{order}: {what} не указан{'а' if what == 'дата' else ''} — в "
                          f"документах останется пустое место; заполните "
                          f"«{group.column(missing).header}»")
            order_date = self.field("order_date")
            if prefix == "head_order" and date and order_date and date < order_date:
                self.warn(self.at("group", key=date_key),
                          f"{order} от {date_numeric(date)} издан раньше приказа о создании "
                          f"от {date_numeric(order_date)}; проверьте даты")

    def check_name_repeats_kind(self) -> None:
        """«ГМО учителей информатики» would print as «городского методического объединения
        «ГМО учителей информатики»»: the name should not repeat the kind."""
        name = self.field("name")
        if not (self.kind and name):
            return
        words = set(re.findall(r"[а-яёa-z]+", norm(name)))
        kind = self.kind
        telling = {norm(w) for w in (kind.abbreviation, kind.short_name) if w and " " not in w}
        phrases = {norm(kind.noun["nom"]), norm(kind.name)}
        first = norm(name).split()[0] if norm(name).split() else ""
        repeats = (words & telling) or any(p in norm(name) for p in phrases) or (
            first in {norm(kind.noun["nom"]).split()[0], norm(kind.short["nom"])})
        if repeats:
            self.warn(self.at("group", key="name"),
                      f"название «{name}» повторяет вид объединения: в документах получится "
                      f"«{kind.noun['gen']} «{name}»»; укажите название без вида, например "
                      f"тему или предмет")

    # -- assembling ---------------------------------------------------------

    def run(self) -> tuple[Group | None, list[Problem]]:
        self.check_group_fields()
        self.check_value_formats()
        self.check_members()
        self.check_organizations()
        self.check_meetings()
        self.check_agenda()
        self.check_membership()
        self.check_agenda_people()
        self.check_plan_order_date()
        self.check_plan_items()
        self.check_dated_rows()
        self.check_event_photos()
        self.check_tech_task_reached()
        self.check_kind_rules()
        self.check_orders()
        self.check_name_repeats_kind()
        problems = sort_problems(name_rows(self.problems, self.data))
        if any(p.is_error for p in problems) or self.kind is None:
            return None, problems
        return self.build(), problems

    def build(self) -> Group:
        f = self.data.fields.values
        assert self.kind and self.start and self.end
        agenda: dict[int, list[AgendaItem]] = {}
        for r in sorted(self.rows("agenda"), key=lambda r: (r.get("meeting"), r.get("number"))):
            agenda.setdefault(r.get("meeting"), []).append(_make(AgendaItem, r))
        meetings = tuple(
            Meeting(**_values(r, Meeting), agenda=tuple(agenda.get(r.get("number"), ())))
            for r in sorted(self.rows("meetings"), key=lambda r: r.get("number"))
        )
        members = tuple(
            Member(**_values(r, Member), row=r.number)
            for r in self.rows("members")
        )
        organizations = tuple(
            Organization(**{**_values(r, Organization),
                            "head": split_full_name(r.get("head")) if r.get("head") else None})
            for r in self.rows("organizations")
        )
        return Group(
            source=self.data.path,
            kind=self.kind,
            name=f["name"],
            theme=f["theme"],
            year=f["year"],
            start=self.start,
            end=self.end,
            service=f["service"],
            service_head=split_full_name(f["service_head"]),  # type: ignore[arg-type]
            service_head_position=f["service_head_position"],
            order_number=f["order_number"],
            order_date=f["order_date"],
            head_order_number=f.get("head_order_number"),
            head_order_date=f.get("head_order_date"),
            regulation_order_number=f.get("regulation_order_number"),
            regulation_order_date=f.get("regulation_order_date"),
            plan_order_number=f.get("plan_order_number"),
            plan_order_date=f.get("plan_order_date"),
            authority_head=(split_full_name(f["authority_head"]) if f.get("authority_head")
                            else None),
            authority_head_position=f.get("authority_head_position"),
            service_full=f.get("service_full"),
            curator=split_full_name(f["curator"]) if f.get("curator") else None,
            regulation_adopted=f.get("regulation_adopted"),
            executor=f.get("executor"),
            executor_phone=f.get("executor_phone"),
            direction=f.get("direction"),
            level=f.get("level") or "общее",
            goal=f.get("goal"),
            tasks=tuple(f.get("tasks") or ()),
            expected_result=f.get("expected_result"),
            authority=f.get("authority"),
            locality=f.get("locality"),
            base_org=f.get("base_org"),
            problems=f.get("problems"),
            proposals=f.get("proposals"),
            service_conclusions=f.get("service_conclusions"),
            members=members,
            organizations=organizations,
            meetings=meetings,
            plan=_numbered(PlanItem, self.rows("plan")),
            events=tuple(replace(e, program=tuple(e.program), photos=self.photos.get(r.number, ()))
                         for e, r in zip(_numbered(Event, self.rows("events")),
                                         self.rows("events"), strict=True)),
            tech_task=_numbered(TechTask, self.rows("tech_task")),
            products=_numbered(Product, self.rows("products")),
        )


BLANK_REQUISITE = ("____", "________")  # a number, a date: as documents.py prints them
# «Включить Иванову И.И. в состав», «исключить из состава», «ввести в состав»
MEMBERSHIP_DECISION = re.compile(
    r"\b(?:включить|ввести|исключить|вывести)\b[^;\n]{0,120}?\b(?:в\s+состав|из\s+состава)",
    re.IGNORECASE)
# «Утвердить план работы», «утвердить проект плана», «утверждение дорожной карты»
PLAN_APPROVAL = re.compile(r"\bутвер(?:д|жд)\w*\s+(?:\w+\s+)?(?:план|дорожн)",
                           re.IGNORECASE)
_INITIALS_NAME = re.compile(
    r"(?:[А-ЯЁ]\.\s?[А-ЯЁ]?\.?\s?(?P<a>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))"
    r"|(?:(?P<b>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?)")


def invited_count(text: str | None) -> int | None:
    """How many guests «Приглашённые» names: 0 when empty, None when it cannot be told
    («родители обучающихся»): one per «;» or line, or per name with initials."""
    if not text or not text.strip():
        return 0
    items = [p for p in re.split(r"[;\n]+", text) if p.strip()]
    names = len(_INITIALS_NAME.findall(text))
    if len(items) > 1 or names:
        return max(len(items), names)
    return None


def mentioned(text: str, members: dict[str, Row]) -> list[Row]:
    """The members a free text names by surname («Сидоренко Е.П. предложила…»)."""
    words = {norm(w) for w in re.findall(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?", text)}
    return sorted((members[w] for w in words if w in members), key=lambda r: r.number)


def stranger_names(text: str, members: dict[str, Row]) -> list[str]:
    """Names with initials in a free text that are no member's: «Петрова А.А.»."""
    found = []
    for m in _INITIALS_NAME.finditer(text):
        surname = m.group("a") or m.group("b")
        if norm(surname) not in members:
            found.append(m.group(0).strip())
    return found


def _feminine(row: Row) -> bool:
    gender = row.get("gender")
    if gender:
        return gender == "ж"
    from docgen.language.russian import detect_gender

    return detect_gender(row.get("first_name") or "", row.get("patronymic") or "",
                         row.get("last_name") or "") == "ж"


def _authority_powers(kind: Kind) -> str:
    """«приказы о создании и о назначении руководителя издаёт» for a check's message."""
    what = {"create": "о создании", "appoint": f"о назначении {kind.head_title['gen']}",
            "plan": f"об утверждении {kind.plan_name['gen']}"}
    held = [what[p] for p, power in kind.powers.items()
            if power.by == "authority" and p in what]
    listed = held[0] if len(held) == 1 else f"{', '.join(held[:-1])} и {held[-1]}"
    return f"приказ{'ы' if len(held) > 1 else ''} {listed} издаёт"


def _feminine_accusative(phrase: str) -> str:
    """«высшая» → «высшую»: a category after «иметь … категорию»."""
    return re.sub(r"(\w+?)(ая|яя)\b", lambda m: m.group(1) + ("ую" if m.group(2) == "ая"
                                                                else "юю"), phrase)


def _values(row: Row, cls: type) -> dict:
    """The row's values that ``cls`` has fields for, leaving out empty ones."""
    names = cls.__dataclass_fields__
    return {k: v for k, v in row.values.items() if k in names and v is not None}


def _make(cls: type, row: Row) -> Any:
    return cls(**_values(row, cls))


def _numbered(cls: type, rows: Iterable[Row]) -> tuple:
    """Rows as dataclasses, numbered 1…n where the clerk left «№» empty."""
    return tuple(
        cls(**{**_values(r, cls), "number": r.get("number") or i})
        for i, r in enumerate(rows, start=1)
    )


def _repeats(rows: Iterable[Row], key: Callable[[Row], Any]) -> Iterator[tuple[Row, Row]]:
    """(row, the earlier row with the same key) for every repeat; a None key is skipped."""
    first: dict[Any, Row] = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        if k in first:
            yield row, first[k]
        else:
            first[k] = row


def _full(row: Row) -> str:
    return " ".join(str(row.get(k)) for k in ("last_name", "first_name", "patronymic")
                    if row.get(k))


def _suggest(name: str, known: list[str]) -> str:
    if close := closest(name, known):
        return f"; возможно, имелась в виду «{close}»"
    if known:
        shown = ", ".join(f"«{k}»" for k in known[:5])
        more = "…" if len(known) > 5 else ""
        return f"; укажите краткое наименование из списка: {shown}{more}"
    return "; добавьте её на лист «Организации»"


def _document_of(sheet_key: str) -> str:
    return {"plan": "План работы", "tech_task": "Техническое задание",
            "events": "Отчёт о сетевом событии", "organizations": "Заявка (приложение 2)"}.get(
        sheet_key, SHEETS_BY_KEY[sheet_key].name)


def row_label(sheet_key: str, row: Row) -> str | None:
    """What a row is about, as a clerk knows it: a member by name, a meeting by its
    number and date, an organisation by its short name; None for other sheets."""
    if sheet_key == "members":
        text = " ".join(str(row.get(k)) for k in ("last_name", "first_name") if row.get(k))
        return text or None
    if sheet_key == "meetings":
        number, date = row.get("number"), row.get("date")
        if number is None:
            return None
        return f"заседание № {number}" + (f" от {date_numeric(date)}" if date else "")
    if sheet_key == "organizations":
        return row.get("short_name") or None
    return None


def name_rows(problems: list[Problem], data: WorkbookData) -> list[Problem]:
    """Each problem on a member's, meeting's or organisation's row, with the row's label.

    The one place where «ячейка E6» becomes «ячейка E6 (Ахмедов Руслан)»; a message
    that already names the row (quoting the same words) is left as it is.
    """
    labels: dict[tuple[str, int], str] = {}
    for key in ("members", "meetings", "organizations"):
        sheet = data.sheets[key]
        for row in sheet.rows:
            label = row_label(key, row)
            if label:
                labels[(sheet.title, row.number)] = label
    named = []
    for problem in problems:
        loc = problem.location
        label = labels.get((loc.sheet or "", loc.row or 0))
        if label and loc.label is None and label not in problem.message:
            problem = replace(problem, location=replace(loc, label=label))
        named.append(problem)
    return named


SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by sheet (in the contract's order), then by row and column."""
    def key(p: Problem) -> tuple:
        loc = p.location
        return (loc.file or "", SHEET_ORDER.get(loc.sheet or "", -1 if loc.sheet is None else 99),
                loc.sheet or "", loc.row or 0, loc.column or 0)
    return sorted(problems, key=key)


def validate(data: WorkbookData) -> tuple[Group | None, list[Problem]]:
    """All problems of a read workbook, and the Group when there are no errors."""
    return Validator(data).run()

