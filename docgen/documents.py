"""A validated group → the documents of its kind, each with its template context.

This is the one place that knows what each document is made of. A context is
plain data (strings, numbers, dates, lists and dicts), so a template author can
see it (``--dump-context``) and templates stay free of logic beyond loops and
conditions. Russian wording that depends on numbers or gender is prepared here
or by the filters in ``engine.py``, both through ``russian.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from docgen.kinds import DOCUMENTS, Kind
from docgen.model import Event, Group, Meeting, Member, Organization, PlanItem
from docgen.report import report_context
from docgen.russian import (
    PEOPLE,
    YEARS,
    capfirst,
    count,
    date_numeric,
    decline_position,
    full_name,
    initials,
    lcfirst,
    organization_cases,
    period_text,
    person_view,
    position_view,
    quoted,
    term_text,
    times_text,
)
from docgen.validate import split_full_name, split_names, surname_key
from docgen.workbook.schema import SHEETS_BY_KEY, norm

MAX_REGISTRATION_ROWS = 300
DEFAULT_REGISTRATION_ROWS = 25
REGISTRATION_FIRST_PAGE = 24  # rows under the sheet's title on its first page
REGISTRATION_PAGE = 27  # rows on each further page
PROTOCOL_LIST_LIMIT = 15  # documents.md: «a list when N ≤ 15»

CATEGORY_TEXT = {
    "высшая": "высшая квалификационная категория",
    "первая": "первая квалификационная категория",
    "соответствие занимаемой должности": "соответствие занимаемой должности",
}
CATEGORY_ACC = {"высшая": "высшую", "первая": "первую"}


@dataclass(frozen=True)
class Document:
    """One file to write: which document, from which template, under which name."""

    doc_id: str  # one of kinds.DOCUMENTS
    kind_id: str  # for a kind's own template, e.g. regulation_gmo
    name: str  # what it is, in Russian: «Протокол № 3 от 12.11.2025»
    context: dict[str, Any] = field(repr=False, compare=False)
    reg_number: str = ""  # its own number and date, where it has them (orders, protocols)
    reg_date: dt.date | None = None

    @property
    def number(self) -> int:
        """The document's place in documents.md's table, which prefixes its file name."""
        return DOCUMENTS.index(self.doc_id) + 1

    @property
    def file_stem(self) -> str:
        return f"{self.number:02d} {self.name}"


@dataclass(frozen=True)
class Skipped:
    """A document of the kind's set that was not made, and why (said to the clerk)."""

    doc_id: str
    reason: str


def group_folder(group: Group) -> tuple[str, str]:
    """The folders a group's documents go to: («2025-2026 учебный год», «Творческая группа …»)."""
    return (f"{group.year.replace('/', '-')} учебный год",
            f"{group.kind.label} {quoted(group.name)}")


# --- views: model objects as template data -----------------------------------


def kind_view(kind: Kind) -> dict[str, Any]:
    return {
        "id": kind.id,
        "name": kind.name,
        "abbreviation": kind.abbreviation,
        "gender": kind.gender,
        **kind.noun,
        "short": kind.short["nom"],
        "short_gen": kind.short["gen"],
        "short_cases": dict(kind.short),
    }


def member_view(member: Member, group: Group) -> dict[str, Any]:
    org = group.organization(member.organization)
    return {
        **person_view(member),
        "position": member.position,
        "position_cases": in_running_text(position_view(member.position)),
        "organization": member.organization,
        "organization_full": org.full_name if org else member.organization,
        "category": member.category or "",
        "category_text": CATEGORY_TEXT.get(member.category or "", ""),
        "experience": member.experience,
        "experience_text": count(member.experience, *YEARS) if member.experience else "",
        "role": member.role,
        "phone": member.phone or "",
        "email": member.email or "",
    }


def in_running_text(cases: dict[str, str]) -> dict[str, str]:
    """Forms for the middle of a sentence: «Директор» → «директор», «МКУ ИМЦ» kept."""
    return {case: lcfirst(v) for case, v in cases.items()}


def titled(position: str, body: str) -> str:
    """«директор» + «МКУ ИМЦ» → «Директор МКУ ИМЦ», unless the position names the body."""
    text = position if norm(body) in norm(position) else f"{position} {body}"
    return capfirst(text)


def title_view(position: str, body: str) -> dict[str, str]:
    """A position with its body in every case: «Директору МКУ ИМЦ»."""
    named = titled(position, body)
    return {case: capfirst(v) for case, v in position_view(named).items()}


class Views:
    """Each member's and organisation's template data, made once per group.

    The same people appear in the member list, the organisations, the head's
    and secretary's places and one application each; declining them once is enough.
    """

    def __init__(self, group: Group) -> None:
        self.group = group
        self._members: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._orgs: dict[str, dict[str, Any]] = {}

    def member(self, member: Member) -> dict[str, Any]:
        if member.key not in self._members:
            self._members[member.key] = member_view(member, self.group)
        return self._members[member.key]

    def organization(self, short_name: str) -> dict[str, Any]:
        key = norm(short_name)
        if key not in self._orgs:
            org = self.group.organization(short_name)
            self._orgs[key] = organization_view(org, short_name, self)
        return self._orgs[key]


def organization_view(org: Organization | None, short_name: str, views: Views,
                      ) -> dict[str, Any]:
    """An organisation with its members; one missing from «Организации» is its short name."""
    if org is None:
        org = Organization(short_name=short_name, full_name=short_name)
    contacts = "; ".join(
        f"{label}{value}" for label, value in
        (("", org.address), ("тел. ", org.phone), ("эл. почта ", org.email)) if value
    )
    return {
        "short_name": org.short_name,
        "full_name": org.full_name,
        "full_name_cases": in_running_text(organization_cases(org.full_name)),
        "head": person_view(org.head) if org.head else None,
        "head_title": (title_view(org.head_position or "руководитель", org.short_name)
                       if org.head else None),
        "address": org.address or "",
        "phone": org.phone or "",
        "email": org.email or "",
        "contacts": contacts,
        "members": [views.member(m) for m in views.group.members
                    if norm(m.organization) == norm(short_name)],
    }


_NAME_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")


def speaker_text(text: str | None) -> str:
    """«Иванова Мария Петровна» → «М.П. Иванова»; anything else as typed."""
    if not text:
        return ""
    words = text.split()
    looks_like_name = len(words) in (2, 3) and all(_NAME_WORD.fullmatch(w) for w in words)
    person = split_full_name(text) if looks_like_name else None
    return initials(person) if person else text.strip()


def present_members(meeting: Meeting, group: Group) -> list[str]:
    """Who attended, when the workbook lets us know it for sure; else an empty list."""
    attended = meeting.attended
    if attended is None or attended > PROTOCOL_LIST_LIMIT:
        return []
    absent = {surname_key(name) for name in split_names(meeting.absent or "")}
    present = [m for m in group.members if norm(m.last_name) not in absent]
    if len(present) != attended:
        return []
    return [f"{initials(m)}, {m.position} {m.organization}" for m in present]


def absent_members(meeting: Meeting, group: Group) -> str:
    """Who was absent, as the workbook names them: members as «И.О. Фамилия», others as typed."""
    names = split_names(meeting.absent or "")
    by_surname = {norm(m.last_name): m for m in group.members}
    return ", ".join(initials(by_surname[surname_key(n)]) if surname_key(n) in by_surname
                     else n for n in names)


def meeting_view(meeting: Meeting, group: Group) -> dict[str, Any]:
    return {
        "number": meeting.number,
        "date": meeting.date,
        "time": meeting.time or "",
        "place": meeting.place or "",
        "place_line": meeting.place or group.locality or "",
        "remote": meeting.form == "дистанционно",
        "form": meeting.form,
        "topic": meeting.topic.rstrip("."),
        "held": meeting.held,
        "attended": meeting.attended,
        "attended_text": (count(meeting.attended, *PEOPLE) if meeting.attended is not None
                          else "не проведено"),
        "present": present_members(meeting, group),
        "absent": absent_members(meeting, group),
        "invited": (meeting.invited or "").rstrip("."),
        "agenda": [
            {
                "number": q.number,
                "question": q.question.rstrip("."),
                "speaker": speaker_text(q.speaker),
                "content": (q.content or "").rstrip("."),
                "speakers": (q.speakers or "").rstrip("."),
                "decision": q.decision or "",
            }
            for q in meeting.agenda
        ] or [  # no «Повестка» rows: the meeting's topic is its one question
            {"number": 1, "question": meeting.topic.rstrip("."), "speaker": "",
             "content": "", "speakers": "", "decision": ""}
        ],
    }


def plan_item_view(item: PlanItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "activity": item.activity,
        "form": item.form or "",
        "term": term_text(item.term),
        "responsible": item.responsible or "",
        "result": item.result or "",
        "done": item.done or "",
    }


def registration_rows(expected: int) -> int:
    """Rows of a registration sheet: the last page filled, never a lone row on it.

    The sheet's first page holds REGISTRATION_FIRST_PAGE rows under its title, each
    further page REGISTRATION_PAGE (rows of at least 0.9 cm, A4, measured in
    LibreOffice); the empty rows at the end are there to be written in by hand.
    """
    rows = min(max(expected, 1), MAX_REGISTRATION_ROWS)
    if rows <= REGISTRATION_FIRST_PAGE:
        return rows
    rest = (rows - REGISTRATION_FIRST_PAGE) % REGISTRATION_PAGE
    return min(rows + (REGISTRATION_PAGE - rest) % REGISTRATION_PAGE, MAX_REGISTRATION_ROWS)


def event_view(event: Event) -> dict[str, Any]:
    expected = event.participants or DEFAULT_REGISTRATION_ROWS
    rows = registration_rows(expected)
    return {
        "number": event.number,
        "name": event.name,
        "date": event.date,
        "form": event.form or "",
        "goal": event.goal or "",
        "audience": event.audience or "",
        "participants_number": event.participants if event.participants is not None else "",
        "participants_text": (count(event.participants, *PEOPLE)
                              if event.participants is not None else ""),
        "responsible": event.responsible or "",
        "link": event.link or "",
        "program": list(event.program),
        "registration": [{"number": i, "name": "", "organization": "", "position": ""}
                         for i in range(1, rows + 1)],
    }


def rules_view(group: Group) -> dict[str, Any]:
    rules = group.kind.rules
    approver = {
        "head": f"{group.kind.head_title['ins']} {group.kind.short['gen']}",
        "order": f"приказом {group.service}",
    }.get(rules.plan_approved_by,
          f"{lcfirst(decline_position(group.service_head_position, 'ins'))} {group.service}")
    categories = [CATEGORY_ACC.get(c, c) for c in rules.head_categories]
    return {
        "min_meetings": rules.min_meetings,
        "min_meetings_text": (f"не реже {times_text(rules.min_meetings)} в год"
                              if rules.min_meetings else ""),
        "terms": [t.name for t in rules.terms_for(group.level)],
        "head_categories": list(rules.head_categories),
        "head_categories_text": (" или ".join(categories) + " квалификационную категорию"
                                 if categories else ""),
        "head_min_experience": rules.head_min_experience,
        "head_experience_text": (f"не менее {count(rules.head_min_experience, *YEARS)}"
                                 if rules.head_min_experience else ""),
        "min_organizations": rules.min_organizations,
        "plan_approved_by": rules.plan_approved_by,
        "plan_approved_text": approver,
    }


def paragraphs(text: str | None) -> list[str]:
    """Free text split into the paragraphs the clerk typed (Alt+Enter)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def group_context(group: Group, views: Views | None = None) -> dict[str, Any]:
    """What every document of a group can use; each document adds its own part."""
    views = views or Views(group)
    kind = group.kind
    name = quoted(group.name)
    head = group.head
    secretary = group.secretary
    return {
        "kind": kind_view(kind),
        "head_title": dict(kind.head_title),
        "title": {case: f"{kind.noun[case]} {name}" for case in kind.noun},
        "group": {
            "name": group.name,
            "quoted_name": name,
            "theme": group.theme.rstrip("."),
            "goal": group.goal or "",
            "tasks": [t.rstrip(".;") for t in group.tasks],
            "expected_result": group.expected_result or "",
            "year": group.year,
            "start": group.start,
            "end": group.end,
            "period_text": period_text(group.start, group.end, quoted=kind.quoted_dates),
            "direction": group.direction or "",
            "level": group.level,
            "authority": group.authority or "",
            "service": group.service,
            "locality": group.locality or "",
            "base_org": group.base_org or "",
            "problems": paragraphs(group.problems),
            "proposals": paragraphs(group.proposals),
        },
        "service_head": person_view(group.service_head),
        "service_head_position": in_running_text(position_view(group.service_head_position)),
        "service_head_title": title_view(group.service_head_position, group.service),
        "head": views.member(head),
        "chair": views.member(head),
        "secretary": views.member(secretary) if secretary else None,
        "order": {"number": group.order_number, "date": group.order_date},
        "head_order": {"number": group.head_order_number or group.order_number,
                       "date": group.head_order_date or group.order_date},
        "rules": rules_view(group),
        "plan_doc": {"title": kind.plan_title, "approved": kind.plan_approved},
        "members": [views.member(m) for m in _head_first(group)],
        "members_count": len(group.members),
        "organizations": [views.organization(o.short_name) for o in group.organizations],
        "organizations_count": len({norm(m.organization) for m in group.members}),
        "plan": [plan_item_view(p) for p in group.plan],
        "tech_task": [
            {"number": t.number, "task": t.task, "works": t.works or "",
             "product": t.product or "", "term": term_text(t.term),
             "indicator": t.indicator or ""}
            for t in group.tech_task
        ],
        "events": [event_view(e) for e in group.events],
        "products": [
            {"number": p.number, "name": p.name, "kind": p.kind or "",
             "authors": p.authors or "", "where": p.where or ""}
            for p in group.products
        ],
        "quoted_dates": kind.quoted_dates,
    }


def _head_first(group: Group) -> list[Member]:
    order = {group.kind.head_role: 0, "секретарь": 1}
    return sorted(group.members, key=lambda m: order.get(m.role, 2))


# --- the set -----------------------------------------------------------------


def build_documents(group: Group) -> tuple[list[Document], list[Skipped]]:
    """The kind's document set for this group, in documents.md order, and what was skipped."""
    views = Views(group)
    base = group_context(group, views)
    kind = group.kind
    docs: list[Document] = []
    skipped: list[Skipped] = []

    def add(doc_id: str, name: str, number: str = "", date: dt.date | None = None,
            **extra: Any) -> None:
        docs.append(Document(doc_id, kind.id, name, {**base, **extra}, number, date))

    def skip(doc_id: str, sheet: str, what: str, made: str = "не создан") -> None:
        skipped.append(Skipped(doc_id, f"{what} {made}: лист «{SHEETS_BY_KEY[sheet].name}» "
                                       f"пуст"))

    for doc_id in sorted(kind.documents, key=DOCUMENTS.index):
        if doc_id == "order_open":
            add(doc_id, f"Приказ о создании от {date_numeric(group.order_date)} "
                        f"№ {group.order_number}", group.order_number, group.order_date)
        elif doc_id == "order_head":
            add(doc_id, f"Приказ о назначении {kind.head_title['gen']}",
                group.head_order_number or group.order_number,
                group.head_order_date or group.order_date)
        elif doc_id == "regulation":
            add(doc_id, "Положение")
        elif doc_id == "plan":
            title = kind.plan_title.capitalize()
            if group.plan:
                add(doc_id, f"{title} на {group.year.replace('/', '-')} учебный год")
            else:
                # «не создан/создана» agrees like the plan's stamp: УТВЕРЖДЁН/УТВЕРЖДЕНА
                ending = {"А": "а", "О": "о"}.get(kind.plan_approved[-1:], "")
                skip(doc_id, "plan", title, f"не создан{ending}")
        elif doc_id == "protocol":
            held = [m for m in group.meetings if m.held]
            for meeting in held:
                add(doc_id, f"Протокол № {meeting.number} от {date_numeric(meeting.date)}",
                    str(meeting.number), meeting.date, meeting=meeting_view(meeting, group))
            for meeting in group.meetings:
                if not meeting.held:
                    skipped.append(Skipped(doc_id, (
                        f"протокол заседания № {meeting.number} от "
                        f"{date_numeric(meeting.date)} не создан: заседание ещё не проведено "
                        f"(не заполнено «Присутствовало»)")))
        elif doc_id == "application_member":
            for member in group.members:
                add(doc_id, f"Заявка (приложение 1) — {full_name(member)}",
                    member=views.member(member), org=views.organization(member.organization))
        elif doc_id == "application_org":
            if not group.organizations:
                skip(doc_id, "organizations", "Заявки организаций (приложение 2)", "не созданы")
            for org in group.organizations:
                add(doc_id, f"Заявка (приложение 2) — {org.short_name}",
                    org=views.organization(org.short_name))
        elif doc_id == "tech_task":
            if group.tech_task:
                add(doc_id, "Техническое задание")
            else:
                skip(doc_id, "tech_task", "Техническое задание", "не создано")
        elif doc_id == "event_report":
            if not group.events:
                skip(doc_id, "events", "Отчёт о сетевом событии")
            for event in group.events:
                add(doc_id, f"Отчёт о сетевом событии от {date_numeric(event.date)} — "
                            f"{event.name}", date=event.date, event=event_view(event))
        elif doc_id == "annual_report":
            add(doc_id, f"Отчёт за {group.year.replace('/', '-')} учебный год",
                report=report_context(group))
    return docs, skipped

