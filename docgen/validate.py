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
from docgen.model import (
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
)
from docgen.russian import MEETINGS, MEMBERS, count, date_numeric, times_text
from docgen.text import closest, norm
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
        for row, first in _repeats(rows, lambda r: tuple(norm(r.get(k, "")) for k in person)
                                   if r.get("last_name") else None):
            self.add(self.at("members", row, "last_name"),
                     f"участник «{_full(row)}» уже указан в строке {first.number}; "
                     f"удалите повтор")
        self.check_roles(rows)
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

    def check_gender(self, row: Row) -> None:
        """An empty «Пол» is fine when the name tells it; otherwise documents may decline wrong."""
        if row.get("gender") or not row.get("last_name") or not row.get("first_name"):
            return
        from docgen.russian import detect_gender

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
            members = len(self.rows("members"))
            if attended is not None and attended < 0:
                self.add(self.at("meetings", row, "attended"),
                         "число присутствовавших не может быть отрицательным")
            elif attended and members and attended > members:
                self.warn(self.at("meetings", row, "attended"),
                          f"присутствовало {attended}, а в группе "
                          f"{count(members, *MEMBERS)}; приглашённых укажите в столбце "
                          f"«Приглашённые»")
            self.check_absent(row)
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

    def check_absent(self, row: Row) -> None:
        """Each name in «Отсутствовали» must be a member, or the protocol's list is wrong."""
        text = row.get("absent")
        if not text:
            return
        surnames = {norm(r.get("last_name") or "") for r in self.rows("members")}
        speakers = {
            surname_key(r.get("speaker")): r for r in self.rows("agenda")
            if r.get("meeting") == row.get("number") and r.get("speaker")
        }
        for name in split_names(text):
            surname = surname_key(name)
            if surname not in surnames:
                self.warn(self.at("meetings", row, "absent"),
                          f"«{name}» нет на листе «{self.sheet_title('members')}»; укажите "
                          f"фамилию участника, как в списке")
            elif surname in speakers:
                self.warn(self.at("meetings", row, "absent"),
                          f"«{name}» в списке отсутствовавших, но на этом заседании "
                          f"выступает с докладом (лист «{self.sheet_title('agenda')}», строка "
                          f"{speakers[surname].number}); проверьте списки")

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
        from docgen.photos import inspect, resolve

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
        self.check_dated_rows()
        self.check_event_photos()
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

