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
from dataclasses import dataclass, field, replace
from typing import Any

from docgen.content.report import activity_form, report_context
from docgen.forms import Form
from docgen.kinds import DOCUMENTS, ISSUERS, Kind
from docgen.language.russian import (
    NBSP,
    PEOPLE,
    YEARS,
    capfirst,
    count,
    date_numeric,
    date_text,
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
from docgen.language.typography import inner_quotes
from docgen.text import PLAN_WORDS, considers_plan, norm
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
)
from docgen.workbook.schema import SHEETS_BY_KEY
from docgen.workbook.validate import (
    invited_count,
    split_full_name,
    split_names,
    surname_key,
)

MAX_REGISTRATION_ROWS = 300
DEFAULT_REGISTRATION_ROWS = 25
SPARE_ROWS = 3  # registration rows beyond the participants counted: late-comers
MIN_LAST_PAGE_ROWS = 5  # a registration sheet's last page is never a lone row or two
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
    number: str = ""  # its place in the group's set, which leads its file name: «05.02»

    @property
    def file_stem(self) -> str:
        return f"{self.number} {self.name}" if self.number else self.name


# Documents made once per meeting, member, organisation or event: numbered in their own
# sequence under their place in the set («05.01», «05.02» …), so they sort in order.
PER_ROW = frozenset({"protocol", "application_member", "application_org", "event_report",
                     "order_members"})


def set_order(kind: Kind) -> list[str]:
    """The kind's documents in documents.md's order: the order of the group's folder."""
    return sorted(kind.documents, key=DOCUMENTS.index)


def file_numbers(documents: list[Document], kind: Kind) -> list[Document]:
    """Each document with the number that leads its file name.

    «01», «02» … is the document's place in its kind's set, the same for every
    group of the kind and every run (a document the workbook gives no data for
    leaves its number unused, and the run says why). A document made once per
    row is numbered in its own sequence under that place: «05.01», «05.02» …,
    two digits or more, so the folder sorts in order by name in Explorer and
    anywhere else.
    """
    order = set_order(kind)
    totals: dict[str, int] = {}
    for document in documents:
        totals[document.doc_id] = totals.get(document.doc_id, 0) + 1
    seen: dict[str, int] = {}
    numbered = []
    for document in documents:
        number = f"{order.index(document.doc_id) + 1:02d}"
        if document.doc_id in PER_ROW:
            seen[document.doc_id] = seen.get(document.doc_id, 0) + 1
            width = max(2, len(str(totals[document.doc_id])))
            number += f".{seen[document.doc_id]:0{width}d}"
        numbered.append(replace(document, number=number))
    return numbered


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


def founders_view(group: Group, views: Views) -> list[dict[str, Any]]:
    """The creation order's состав, head first. Where the head is appointed by an order of
    its own (the «Приказ о назначении», later or another body's), the состав does not
    call them «руководитель»/«куратор» before that order: their role there is «участник»."""
    members = []
    for m in _head_first(group, group.founders):
        view = views.member(m)
        if group.kind.appoints_head and m.role == group.kind.head_role:
            view = {**view, "role": "участник"}
        members.append(view)
    return members


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


def absent_on_date(meeting: Meeting, group: Group) -> list[Member]:
    """The members of the meeting's day that «Отсутствовали» names: a name that is no
    member of that day is never printed (check names the cell)."""
    names = {surname_key(name) for name in split_names(meeting.absent or "")}
    return [m for m in group.members_on(meeting.date) if norm(m.last_name) in names]


def present_on_date(meeting: Meeting, group: Group) -> list[Member]:
    """The members of the meeting's day who were there: all of that day but the absent."""
    absent = absent_on_date(meeting, group)
    return [m for m in group.members_on(meeting.date) if m not in absent]


def present_members(meeting: Meeting, group: Group) -> list[str]:
    """Who attended, when the workbook lets us know it for sure; else an empty list (and
    the protocol comes with its registration sheet)."""
    attended = meeting.attended
    if attended is None or attended > PROTOCOL_LIST_LIMIT:
        return []
    present = present_on_date(meeting, group)
    guests = invited_count(meeting.invited)
    # everyone of the day but the named absent, and the invited counted in «Присутствовало»
    if not (len(present) == attended or (
            guests and len(present) < attended <= len(present) + guests)):
        return []
    return [f"{initials(m)}, {m.position} {m.organization}" for m in present]


def absent_members(meeting: Meeting, group: Group) -> str:
    """Who was absent: the members of that day whom the workbook names, «И.О. Фамилия»."""
    return ", ".join(initials(m) for m in absent_on_date(meeting, group))


def registration_view(meeting: Meeting, group: Group, views: Views | None = None,
                      ) -> list[dict[str, Any]]:
    """The protocol's registration sheet: the members of the meeting's day, head first,
    and a row for each invited guest (names written by hand)."""
    views = views or Views(group)
    rows = [{"name": views.member(m)["full"], "position": m.position,
             "organization": m.organization}
            for m in _head_first(group, group.members_on(meeting.date))]
    rows += [{"name": "", "position": "", "organization": ""}
             for _ in range(invited_count(meeting.invited) or 0)]
    return [{"number": i, **row} for i, row in enumerate(rows, start=1)]


# A past-tense verb that opens «Содержание»: «Представила проект плана…» follows the
# speaker's name as a sentence («Е.Н. Кутейкина представила проект плана.»).
_PAST_VERB = re.compile(r"^[а-яё]{3,}(?:л|ла|ло|ли)(?:ся|сь)?$")
_NOT_VERBS = frozenset({"правила", "школа", "шкала", "игла", "стела", "модели", "цели",
                        "роли", "итоги", "пособия", "сказала", "апреля", "июля",
                        "февраля", "условия", "мероприятия", "занятия", "ли", "были"})
_ABOUT = ("о ", "об ", "обо ")


def sentence(text: str) -> str:
    """A sentence ends with its period: «…принять к сведению» → «…принять к сведению.»."""
    text = text.strip()
    if not text:
        return ""
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def speaker_gender(text: str | None, group: Group) -> str | None:
    """The speaker's gender: the member's, or what the typed full name suggests."""
    from docgen.language.russian import gender_of

    if not text:
        return None
    member = next((m for m in group.members if norm(m.last_name) == surname_key(text)), None)
    person = member or split_full_name(text)
    return gender_of(person) if person else None


def heard_text(q: AgendaItem, group: Group) -> str:
    """«СЛУШАЛИ» as a sentence: «Е.Н. Кутейкина представила проект плана.»,
    «Е.Н. Кутейкина выступила с информацией о проекте плана.»."""
    speaker = speaker_text(q.speaker)
    content = (q.content or "").strip().rstrip(".")
    question = q.question.strip().rstrip(".")
    if not speaker:
        return sentence(capfirst(content or question))
    gender = speaker_gender(q.speaker, group)
    spoke = {"м": "выступил", "ж": "выступила"}.get(gender or "", "выступил(а)")
    first = content.split()[0].lower().strip(",:;—–-") if content else ""
    if content and _PAST_VERB.match(first) and first not in _NOT_VERBS:
        return sentence(f"{speaker} {lcfirst(content)}")
    if content:
        if content.lower().startswith(_ABOUT):  # «О …»: lcfirst keeps a one-letter word
            return sentence(f"{speaker} {spoke} с информацией {content[0].lower()}{content[1:]}")
        return sentence(f"{speaker} {spoke} с информацией: {lcfirst(content)}")
    if question.lower().startswith(_ABOUT):
        return sentence(f"{speaker} {spoke} с информацией {question[0].lower()}{question[1:]}")
    return sentence(f"{speaker} {spoke} по вопросу «{inner_quotes(question)}»")


_NAMES_ONLY = re.compile(
    r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|\b(?:и|а также)\b|[\s,;:.–—-]")


def said_text(text: str | None) -> str:
    """«ВЫСТУПИЛИ» when someone said something: a bare list of names
    («Сидоренко Е.П., Пак В.И.») says nothing and is left out."""
    text = (text or "").strip()
    if not text or not _NAMES_ONLY.sub("", text):
        return ""
    return sentence(text)


# The protocol's registration sheet: rows of 0.9 cm that a long name or position makes two
# lines; counted short, so «на N л.» is never fewer sheets than printed.
REGISTRATION_FIRST_PAGE, REGISTRATION_NEXT_PAGES = 15, 20


def registration_sheets(rows: int) -> int:
    """How many sheets the protocol's registration sheet takes (0: none)."""
    if not rows:
        return 0
    return 1 + max(0, -(-(rows - REGISTRATION_FIRST_PAGE) // REGISTRATION_NEXT_PAGES))


def default_decision(question: str, group: Group) -> str:
    """The decision docgen writes when «Решили» is empty. A question on the plan gets
    what the group may decide: it approves the draft and sends it to whoever approves the
    plan (issue 26 §2), or — where its own head approves it (ГМО) — considers it."""
    if not PLAN_WORDS.search(question):
        return "Информацию принять к сведению."
    plan = group.kind.plan_name["gen"]
    to = plan_submission(group, orders_view(group))
    if not to:
        return f"Одобрить проект {plan}."
    return f"Одобрить проект {plan} и направить его на утверждение {to}."


def meeting_view(meeting: Meeting, group: Group, views: Views | None = None,
                 ) -> dict[str, Any]:
    present = present_members(meeting, group)
    # no list of those present: the registration sheet goes with the protocol
    registration = ([] if present or not meeting.held
                    else registration_view(meeting, group, views))
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
        "present": present,
        "absent": absent_members(meeting, group),
        "registration": registration,
        "registration_sheets": registration_sheets(len(registration)),
        "members_count": len(group.members_on(meeting.date)),
        "invited": (meeting.invited or "").rstrip("."),
        "agenda": [
            {
                "number": q.number,
                "question": q.question.rstrip("."),
                "speaker": speaker_text(q.speaker),
                "content": (q.content or "").rstrip("."),
                "heard": heard_text(q, group),
                "speakers": said_text(q.speakers).rstrip("."),
                "said": said_text(q.speakers),
                "decision": sentence(q.decision or "") or default_decision(q.question, group),
            }
            for q in meeting.agenda
        ] or [  # no «Повестка» rows: the meeting's topic is its one question
            {"number": 1, "question": meeting.topic.rstrip("."), "speaker": "",
             "content": "", "heard": sentence(meeting.topic), "speakers": "", "said": "",
             "decision": "Информацию принять к сведению."}
        ],
    }


def plan_item_view(item: PlanItem, level: str | None = None) -> dict[str, Any]:
    return {
        "number": item.number,
        "activity": item.activity,
        "form": activity_form(item.form, level),
        "term": term_text(item.term),
        "responsible": item.responsible or "",
        "result": item.result or "",
        "done": item.done or "",
    }


# The event report's appendices, laid out so that their sheets can be counted (the
# report's «Приложение:» line says «на 2 л.»). A4 with 257 mm of text height; the
# figures are generous, and every page of an appendix is a separate table or pair of
# pictures after a page break, so Word and LibreOffice break pages where we counted.
PAGE_MM = 257.0  # 297 mm − 20 mm − 20 mm
LINE_MM = 5.7  # a line of Times New Roman 14
APPENDIX_MARK_MM = 4 * LINE_MM + 4.2  # «Приложение № 1 / к отчёту … / от 15.10.2025»
TABLE_HEAD_MM = 12.0  # the registration table's header row (two lines of 12 pt)
ROW_MM = 9.2  # a registration row: 0.9 cm to write in, and its border
TITLE_CHARS = 55  # characters of a centred title line, counted short
PHOTO_BOX_MM = (170.0, 90.0)  # the largest picture: text width × (two fit on a page)
PHOTOS_PER_PAGE = 2
CAPTION_CHARS = 50  # a caption taken from a file name is cut to stay on one line
ONLINE_WORDS = ("онлайн", "online", "on-line", "дистанционн", "вебинар", "видеоконференц",
                "веб-конференц", "видеосвяз")
ROLE_HEADERS = {"педагоги": "Должность", "обучающиеся": "Класс", "родители": "Класс ребёнка"}


def is_online(form: str | None) -> bool:
    """Whether an event was held online, from its «Форма»: «вебинар», «онлайн-семинар»,
    «дистанционно», «видеоконференция»… A mixed form («очно-дистанционный») is not:
    those present in the room sign the registration sheet."""
    text = norm(form or "")
    return any(word in text for word in ONLINE_WORDS) and "очн" not in text


def registration_pages(rows: int, name: str) -> list[int]:
    """How many registration rows go on each page: fewer on the first, under the titles.

    A sheet of more than one page never ends on a page of a few rows: its last
    page gets at least MIN_LAST_PAGE_ROWS, empty ones to be written in by hand.
    """
    title_lines = 3 + -(-len(name) // TITLE_CHARS)  # two title lines, the name, the date
    first_mm = PAGE_MM - APPENDIX_MARK_MM - title_lines * LINE_MM - 4.2 - TABLE_HEAD_MM
    next_mm = PAGE_MM - LINE_MM - TABLE_HEAD_MM  # after the page-break paragraph
    first, per_page = int(first_mm // ROW_MM) - 1, int(next_mm // ROW_MM) - 1
    pages = [min(rows, first)]
    while sum(pages) < rows:
        pages.append(min(rows - sum(pages), per_page))
    if len(pages) > 1:
        pages[-1] = max(pages[-1], min(per_page, MIN_LAST_PAGE_ROWS))
    return pages


def registration_rows(participants: int | None) -> int:
    """As many rows as the event's participants and a few more for late-comers
    (a tenth, at least SPARE_ROWS); DEFAULT_REGISTRATION_ROWS when nobody counted."""
    if not participants:
        return DEFAULT_REGISTRATION_ROWS
    return min(participants + max(SPARE_ROWS, -(-participants // 10)), MAX_REGISTRATION_ROWS)


def photo_view(photo: Photo, number: int, event: str = "") -> dict[str, Any]:
    """A picture of the report, scaled into the box two of which fit a page.

    Its caption is the one the file's name gives («01 Открытие семинара.jpg»), else
    the event's name: «Рисунок 2» alone tells the reader nothing.
    """
    from docgen.errors import WorkbookError
    from docgen.templating import Picture
    from docgen.workbook.photos import PhotoProblem, caption, prepare

    try:
        prepared = prepare(photo.path)
    except PhotoProblem as exc:
        raise WorkbookError(str(exc).replace(f"«{photo.path.name}»", f"«{photo.name}»", 1),
                            file=photo.workbook or None, sheet=photo.sheet or None,
                            row=photo.cell[0] or None, column=photo.cell[1] or None) from exc
    box_w, box_h = PHOTO_BOX_MM
    scale = min(box_w / prepared.width, box_h / prepared.height)
    text = caption(photo.name)
    if len(text) > CAPTION_CHARS:
        text = text[:CAPTION_CHARS].rsplit(" ", 1)[0] + "…"
    if not text and event:
        text = event.strip().rstrip(".")
        if len(text) > 2 * CAPTION_CHARS:  # two lines at most: the page count holds
            text = text[:2 * CAPTION_CHARS].rsplit(" ", 1)[0] + "…"
            text += "»" * (text.count("«") - text.count("»"))
    return {
        "number": number,
        "image": Picture(prepared.data, prepared.width * scale, prepared.height * scale,
                         photo.name, (prepared.width, prepared.height)),
        "file": photo.name,
        "caption": f"Рисунок {number}" + (f" – {text}" if text else ""),
    }


def event_view(event: Event, level: str | None = None) -> dict[str, Any]:
    online = is_online(event.form)
    sizes = registration_pages(registration_rows(event.participants), event.name)
    registration = [{"number": i, "name": "", "organization": "", "position": ""}
                    for i in range(1, sum(sizes) + 1)]
    pages, start = [], 0
    for size in sizes:
        pages.append(registration[start:start + size])
        start += size
    photos = [photo_view(p, i, event.name) for i, p in enumerate(event.photos, start=1)]
    registration_title = "Список участников" if online else "Лист регистрации участников"
    photos_title = "Снимки экрана" if online else "Фотоотчёт"
    appendices = [(registration_title, len(pages))]
    if photos:
        appendices.append((photos_title, -(-len(photos) // PHOTOS_PER_PAGE)))
    return {
        "number": event.number,
        "name": event.name,
        "date": event.date,
        "form": activity_form(event.form, level),
        "goal": event.goal or "",
        "audience": event.audience or "",
        "participants_number": event.participants if event.participants is not None else "",
        "participants_text": (count(event.participants, *PEOPLE)
                              if event.participants is not None else ""),
        "responsible": event.responsible or "",
        # the report's own date: written by hand (nobody gave it), in the event's year
        "date_line": f"«____» ____________ {event.date.year} г.",
        "link": event.link or "",
        "program": list(event.program),
        "registration": registration,
        "category": event.category,
        "online": online,
        "signatures": not online,
        "role_header": ROLE_HEADERS.get(event.category, "Должность"),
        "registration_title": registration_title,
        "registration_pages": pages,
        "photos_title": photos_title,
        "photos": photos,
        "photo_pages": [photos[i:i + PHOTOS_PER_PAGE]
                        for i in range(0, len(photos), PHOTOS_PER_PAGE)],
        "appendices": [
            {"number": n, "title": title, "sheets": sheets,
             "line": (f"{n}. {title} на {sheets} л. в 1 экз."
                      f"{';' if n < len(appendices) else ''}" if len(appendices) > 1
                      else f"{lcfirst(title)} на {sheets} л. в 1 экз.")}
            for n, (title, sheets) in enumerate(appendices, start=1)],
    }


def rules_view(group: Group, orders: dict[str, Any]) -> dict[str, Any]:
    rules = group.kind.rules
    plan_by = group.kind.power("plan")
    # approved by an order: «приказом …» as the order's own issuer says it (orders_view)
    approver = orders["plan"]["by"] if plan_by in ISSUERS else {
        "head": f"{group.kind.head_title['ins']} {group.kind.short['gen']}",
    }.get(plan_by,
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
        # «order» stays the name of approval by any order, for the clerk's own templates
        "plan_approved_by": "order" if plan_by in ISSUERS else plan_by,
        "plan_approved_text": approver,
    }


# A requisite nobody gave is a blank to fill by hand, never another order's number.
BLANK_NUMBER = "____"
BLANK_DATE = "________"


def official(position: str, body: str, case: str) -> str:
    """A position of a body in ``case``, the body said once: «Начальник Департамента
    образования» of «Департамент образования Администрации города Ноябрьска» →
    «начальника Департамента образования Администрации города Ноябрьска»."""
    pos = lcfirst(position_view(position)[case]) if position else ""
    if not body:
        return pos
    body_gen = organization_cases(body)["gen"]
    if norm(body) in norm(position) or norm(body_gen) in norm(position):
        return pos
    head, _, rest = pos.partition(" ")
    if rest and norm(body_gen).startswith(norm(rest)):
        return f"{head} {body_gen}"
    return f"{pos} {body_gen}".strip()


def authority_view(group: Group) -> dict[str, Any]:
    """The education authority as the workbook names it, in every case, with the word
    a document uses after «(далее – …)»: «Управление», «Департамент»."""
    name = group.authority or ""
    if not name:
        return {"given": False, "name": {}, "short": {}}
    first = name.split()[0]
    return {"given": True, "name": organization_cases(name),
            "short": {case: capfirst(v) for case, v in organization_cases(first).items()}}


def service_full(group: Group) -> str:
    """The service's full name for a letterhead (issue 27): its own field, else its row on
    «Организации»; empty when neither says more than the short name (which the
    letterhead then prints alone, a full one followed by it in brackets)."""
    listed = group.organization(group.service)
    return group.service_full or (listed.full_name if listed and norm(listed.full_name)
                                  != norm(group.service) else "")


def issuer_view(group: Group, by: str) -> dict[str, Any]:
    """Who issues an order: its letterhead, «приказом …» and who signs it."""
    if by == "authority":
        body = group.authority or ""
        position = group.authority_head_position or ""
        head: Person = group.authority_head or Person("")
        return {
            "by": by,
            "above": [],
            "letterhead": body.upper(),
            "name": organization_cases(body) if body else {},
            "order_by": f"приказом {official(position, body, 'gen')}",
            "to": official(position, body, "dat"),
            "signer_title": capfirst(position),
            "signer": person_view(head),
        }
    full = service_full(group)
    return {
        "by": by,
        "above": [group.authority.upper()] if group.authority else [],
        "letterhead": f"{full} ({group.service})" if full else group.service,
        "name": organization_cases(group.service),
        "order_by": f"приказом {organization_cases(group.service)['gen']}",
        "to": lcfirst(title_view(group.service_head_position, group.service)["dat"]),
        "signer_title": title_view(group.service_head_position, group.service)["nom"],
        "signer": person_view(group.service_head),
    }


def order_view(number: str | None, date: dt.date | None, issuer: dict[str, Any],
               standing: bool = False) -> dict[str, Any]:
    """An order's requisites as printed: what the workbook gave, blanks for the rest."""
    number_text = number or BLANK_NUMBER
    date_text = date_numeric(date) if date else BLANK_DATE
    return {
        "number": number or "",
        "date": date,
        "given": bool(number and date),
        "number_text": number_text,
        "date_text": date_text,
        "requisites": f"от {date_text} № {number_text}",
        "by": issuer["order_by"],
        "issuer": issuer,
        "standing": standing,
    }


def orders_view(group: Group) -> dict[str, Any]:
    """Every order the documents cite, each issued by whom the kind's seed says."""
    kind = group.kind
    issuers = {by: issuer_view(group, by) for by in ISSUERS
               if by == "service" or group.authority}
    service = issuers["service"]

    def issuer(power: str) -> dict[str, Any]:
        return issuers.get(kind.power(power), service)

    opening = order_view(group.order_number, group.order_date, issuer("create"))
    if group.regulation_order_number or group.regulation_order_date:
        regulation = order_view(group.regulation_order_number, group.regulation_order_date,
                                issuer("regulation"), standing=True)
    elif kind.power("regulation") == kind.power("create"):
        regulation = opening  # the creation order approves the положение
    else:
        regulation = order_view(None, None, issuer("regulation"), standing=True)
    # how the orders cite the положение: a standing act by its full title (issue 27)
    title = f"{kind.noun['pre']} {quoted(group.name)}"
    regulation = {**regulation, "cite": (
        (kind.standing_cite or f"Положением о {kind.noun['pre']}") if regulation["standing"]
        else f"Положением о {title}")}
    # by an order (its requisites or blanks) only where rules.plan_approved_by == «order»
    plan = order_view(group.plan_order_number, group.plan_order_date, issuer("plan"))
    head = order_view(group.head_order_number, group.head_order_date, issuer("appoint"))
    # another body appoints the head: the creation order asks it to, and that body's order
    # acts on the petition («на основании ходатайства», issue 27), not on a subordinate's order
    petition = kind.appoints_head and kind.power("appoint") != kind.power("create")
    several = len({norm(m.organization) for m in group.founders}) > 1
    items: dict[str, int] = {}  # each point's number, 0 when the order has no such point
    number = 2
    for item, present in (("petition", petition), ("council", bool(kind.council_role)),
                          ("approve", True), ("heads", several), ("control", True)):
        items[item] = number if present else 0
        number += present
    return {
        "open": {**opening, "points": items,
                 "distribution": distribution(group, opening["issuer"])},
        "head": {**head, "distribution": distribution(group, head["issuer"],
                                                      group.head_order_date)},
        "regulation": regulation,
        "plan": plan,
        # a change of the состав: by the body that approved it; blanks here, each
        # «Приказ о внесении изменений в состав» puts its own requisites (build_documents)
        "members": {**order_view(None, None, issuer("create")), "distribution": ""},
        # the creation order also appoints the head when the same body does both
        "open_appoints": not petition,
        "appoints": kind.appoints_head,
        "petition": petition,
        "basis": kind.basis.format(service_gen=organization_cases(group.service)["gen"],
                                   base_org_gen=organization_cases(group.base_org or
                                                                   group.service)["gen"]),
        # points to the heads of the members' organisations, where they come from several:
        # the authority orders them, a methodological service can only recommend
        "heads_point": several,
        "executor": {"name": group.executor or "", "phone": group.executor_phone or ""},
    }


@dataclass(frozen=True)
class Change:
    """One member's joining or leaving within the year, and the order that records it."""

    member: Member
    joins: bool  # False: leaves
    date: dt.date
    number: str | None
    order_date: dt.date | None


def membership_changes(group: Group) -> list[Change]:
    """Joinings after the creation order's состав and leavings within the group's
    period, by date: each is made by a «Приказ о внесении изменений в состав»."""
    changes = []
    for m in group.members:
        if m.joined and group.founded < m.joined <= group.end:
            changes.append(Change(m, True, m.joined, m.join_order_number, m.join_order_date))
        if m.left and group.founded < m.left <= group.end:
            changes.append(Change(m, False, m.left, m.leave_order_number, m.leave_order_date))
    return sorted(changes, key=lambda c: (c.date, not c.joins))


def amendment_orders(group: Group) -> list[list[Change]]:
    """The amendment orders: one per order the workbook names (its number and date), else
    one per date of change (several changes on one date in one order)."""
    orders: dict[tuple[Any, ...], list[Change]] = {}
    for change in membership_changes(group):
        given = change.number or change.order_date
        key = ("given", change.number or "", change.order_date) if given else (
            "by date", change.date)
        orders.setdefault(key, []).append(change)
    return sorted(orders.values(), key=lambda cs: (cs[0].order_date or cs[0].date, cs[0].date))


def amendment_view(changes: list[Change], issuer: dict[str, Any], views: Views,
                   ) -> dict[str, Any]:
    """An amendment order's requisites (the first given of its changes, or blanks) and
    who is included and excluded, from which day."""
    number = next((c.number for c in changes if c.number), None)
    date = next((c.order_date for c in changes if c.order_date), None)

    def person(c: Change) -> dict[str, Any]:
        # «с 1 октября 2025 г.»: a date in running text is written in words, «с», the day
        # and the month kept on one line
        return {"member": views.member(c.member), "since": c.date,
                "since_text": date_text(c.date).replace(" ", NBSP, 1)}

    joined = [person(c) for c in changes if c.joins]
    left = [person(c) for c in changes if not c.joins]
    return {
        "order": order_view(number, date, issuer),
        "dates": sorted({c.date for c in changes}),
        "joined": joined,
        "left": left,
        "join_item": 1 if joined else 0,
        "leave_item": (2 if joined else 1) if left else 0,
        "control_item": 1 + bool(joined) + bool(left),
    }
def distribution(group: Group, issuer: dict[str, Any], date: dt.date | None = None,
                 leaving: tuple[Member, ...] = ()) -> str:
    """«Разослать: в дело, МБОУ «СОШ № 6», …»: the organisations of the members on the
    order's day (as the creation order's состав: a member who joins later is not sent an
    order issued before), and the service when another body issues the order (issue 27);
    an amendment order also goes to the organisations of those it excludes."""
    names = ["в дело"]
    own = group.authority if issuer["by"] == "authority" else group.service
    if issuer["by"] == "authority":
        names.append(group.service)
    # an order of the summer speaks for the group's first day, as the creation order does
    members = group.members_on(max(date, group.start)) if date else group.founders
    for m in (*members, *leaving):
        if all(norm(m.organization) != norm(n) for n in (*names, own or "")):
            names.append(m.organization)
    return ", ".join(names)


def plan_submission(group: Group, orders: dict[str, Any]) -> str:
    """Who the creation order sends the plan to: «на утверждение директору …»; empty when
    the group's own head approves it (ГМО, seed 004, 5.8)."""
    by = group.kind.power("plan")
    if by == "head":
        return ""
    if by in ISSUERS:  # to whom issues the approving order
        return orders["plan"]["issuer"]["to"]
    return lcfirst(title_view(group.service_head_position, group.service)["dat"])


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
    orders = orders_view(group)
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
            "period_text": period_text(group.start, group.end),
            "direction": group.direction or "",
            "level": group.level,
            "authority": group.authority or "",
            "service": group.service,
            "locality": group.locality or "",
            "base_org": group.base_org or "",
            "problems": paragraphs(group.problems),
            "proposals": paragraphs(group.proposals),
            "regulation_adopted": (group.regulation_adopted or "").rstrip("."),
        },
        "service_head": person_view(group.service_head),
        "service_head_position": in_running_text(position_view(group.service_head_position)),
        "service_head_title": title_view(group.service_head_position, group.service),
        "head": views.member(head),
        "chair": views.member(head),
        "secretary": views.member(secretary) if secretary else None,
        "report_doc": {"title": kind.report_title, "name": kind.report_name},
        "order": {"number": group.order_number, "date": group.order_date},
        "head_order": {"number": group.head_order_number or "",
                       "date": group.head_order_date},
        "orders": orders,
        "authority": authority_view(group),
        "powers": {name: power.by for name, power in kind.powers.items()},
        "plan_submit_to": plan_submission(group, orders),
        "rules": rules_view(group, orders),
        "plan_doc": {"title": kind.plan_title, "approved": kind.plan_approved,
                     **kind.plan_name, "appendix": kind.plan_appendix,
                     "considered": considered_at(group)},
        "members": [views.member(m) for m in _head_first(group)],
        "members_count": len(group.members),
        "organizations": [views.organization(o.short_name) for o in group.organizations],
        "organizations_count": len({norm(m.organization) for m in group.members}),
        "plan": [plan_item_view(p, group.level) for p in group.plan],
        "tech_task": [
            {"number": t.number, "task": t.task, "works": t.works or "",
             "product": t.product or "", "term": term_text(t.term),
             "indicator": t.indicator or ""}
            for t in group.tech_task
        ],
        "events": [event_view(e, group.level) for e in group.events],
        "products": [
            {"number": p.number, "name": p.name, "kind": p.kind or "",
             "authors": p.authors or "", "where": p.where or ""}
            for p in group.products
        ],
    }


def considered_at(group: Group) -> str:
    """«от 25.09.2025 № 1»: the held meeting whose agenda considered the plan (ГМО: «…
    рассматривается на заседании ГМО», 004, 5.8), or blanks to fill by hand."""
    for meeting in sorted((m for m in group.meetings if m.held), key=lambda m: m.date):
        if considers_plan(meeting.topic, ((q.question, q.decision) for q in meeting.agenda)):
            return f"от {date_numeric(meeting.date)} № {meeting.number}"
    return f"от {BLANK_DATE} № {BLANK_NUMBER}"


def council_context(group: Group, views: Views) -> dict[str, Any]:
    """The мастерская's методический совет, its chair first (seed 003, 4.2), and the
    service's specialist who oversees it and agrees its plan and analysis (4.3): for the
    creation order, the plan and the year's report."""
    kind = group.kind
    return {
        "council": [views.member(m) for m in group.council],
        "council_role": kind.council_role,
        "curator": ({**person_view(group.curator),
                     "title": titled(kind.curator_position, group.service)}
                    if group.curator and kind.curator_position else None),
    }


def _head_first(group: Group, members: tuple[Member, ...] | None = None) -> list[Member]:
    order = {group.kind.head_role: 0, group.kind.council_role: 1, "секретарь": 2}
    return sorted(group.members if members is None else members,
                  key=lambda m: order.get(m.role, 3))


# --- the set -----------------------------------------------------------------


def build_documents(group: Group) -> tuple[list[Document], list[Skipped]]:
    """The kind's document set for this group, in documents.md order, and what was skipped."""
    views = Views(group)
    base = group_context(group, views)
    kind = group.kind
    docs: list[Document] = []
    skipped: list[Skipped] = []

    council = council_context(group, views)

    def add(doc_id: str, name: str, number: str = "", date: dt.date | None = None,
            **extra: Any) -> None:
        if doc_id in ("order_open", "plan", "annual_report"):
            extra = {**council, **extra}
        docs.append(Document(doc_id, kind.id, name, {**base, **extra}, number, date))

    def skip(doc_id: str, sheet: str, what: str, made: str = "не создан") -> None:
        skipped.append(Skipped(doc_id, f"{what} {made}: лист «{SHEETS_BY_KEY[sheet].name}» "
                                       f"пуст"))

    for doc_id in set_order(kind):
        if doc_id == "order_open":
            # the состав it approves: those in the group on the day it speaks for
            add(doc_id, f"Приказ о создании от {date_numeric(group.order_date)} "
                        f"№ {group.order_number}", group.order_number, group.order_date,
                members=founders_view(group, views),
                members_count=len(group.founders))
        elif doc_id == "order_head":
            # the appointment's own requisites, or none: never the creation order's
            given = group.head_order_number and group.head_order_date
            add(doc_id, f"Приказ о назначении {kind.head_title['gen']}" + (
                f" от {date_numeric(group.head_order_date)} № {group.head_order_number}"
                if given else ""),
                group.head_order_number or "", group.head_order_date)
        elif doc_id == "regulation":
            regulation = base["orders"]["regulation"]
            if regulation["standing"] and not kind.standing_text:
                # an act approved earlier is not retyped under its old stamp (issue 26 §3):
                # docgen holds no text of it, so the orders cite it by its title
                skipped.append(Skipped(doc_id, (
                    f"Положение не создано: оно утверждено ранее "
                    f"{regulation['by']} {regulation['requisites']}, приказы ссылаются на "
                    f"него; приложите к документам его утверждённый текст")))
            else:
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
                    str(meeting.number), meeting.date, meeting=meeting_view(meeting, group, views))
            for meeting in group.meetings:
                if not meeting.held:
                    skipped.append(Skipped(doc_id, (
                        f"протокол заседания № {meeting.number} от "
                        f"{date_numeric(meeting.date)} не создан: заседание ещё не проведено "
                        f"(не заполнено «Присутствовало»)")))
        elif doc_id == "application_member":
            for member in group.members:
                # a member who joined later asks to take part from the day of joining
                since = max(group.start, member.joined or group.start)
                add(doc_id, f"Заявка (приложение 1) — {full_name(member)}",
                    member=views.member(member), org=views.organization(member.organization),
                    member_period=period_text(since, group.end))
        elif doc_id == "application_org":
            if not group.organizations:
                skip(doc_id, "organizations", "Заявки организаций (приложение 2)", "не созданы")
            for org in group.organizations:
                # an organisation whose members all joined later asks from the earliest
                # joining, as its member's заявка does (member_period)
                joined = [max(group.start, m.joined or group.start) for m in group.members
                          if norm(m.organization) == norm(org.short_name)]
                since = min(joined, default=group.start)
                add(doc_id, f"Заявка (приложение 2) — {org.short_name}",
                    org=views.organization(org.short_name),
                    org_period=period_text(since, group.end))
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
                            f"{event.name}", date=event.date,
                    event=event_view(event, group.level))
        elif doc_id == "order_members":
            issuer = base["orders"]["open"]["issuer"]  # the body that approved the состав
            for changes in amendment_orders(group):
                view = amendment_view(changes, issuer, views)
                order = view["order"]
                name = "Приказ о внесении изменений в состав" + (
                    f" от {order['date_text']} № {order['number_text']}" if order["given"]
                    else f" с {date_numeric(view['dates'][0])}")
                # sent to the members' organisations on the day of its last change, the
                # joining ones included, and to those of the members it excludes
                order = {**order, "distribution": distribution(
                    group, issuer, max(view["dates"]),
                    tuple(c.member for c in changes if not c.joins))}
                add(doc_id, name, order["number"], order["date"], change=view,
                    orders={**base["orders"], "members": order})
        elif doc_id == "annual_report":
            add(doc_id, f"{kind.report_name} за {group.year.replace('/', '-')} учебный год",
                report=report_context(group))
    return file_numbers(docs, kind), skipped



def form_context(form: Form, group: Group | None = None, rows: int | None = None,
                 ) -> dict[str, Any]:
    """The template data of ``form``: a bare blank, or the group's when one is given.

    ``rows`` are the numbers of the form's empty rows (participants, teachers or
    agenda questions), ``form.rows`` of them unless ``rows`` says otherwise.
    """
    context: dict[str, Any] = group_context(group) if group is not None else {}
    count = rows if rows is not None else form.rows
    context.update(filled=group is not None, rows=list(range(1, count + 1)),
                   form={"id": form.id, "title": form.title})
    return context
