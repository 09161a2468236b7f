"""The validated group: plain dataclasses that documents are built from.

Everything here has passed validation, so later steps may rely on required
values being present and on the types being right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.kinds import Kind
from docgen.text import norm


def belongs_on(joined: dt.date | None, left: dt.date | None, date: dt.date) -> bool:
    """The one rule of membership on a day, for the model and for check's rows alike:
    joined by then (no date: from the group's creation) and not yet left (on the «Дата
    выбытия» itself the member is out)."""
    return (joined is None or joined <= date) and (left is None or date < left)


@dataclass(frozen=True)
class Person:
    """A person's name; ``gender`` is «м», «ж» or None when the workbook does not say."""

    last_name: str
    first_name: str = ""
    patronymic: str = ""
    gender: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity for spotting the same person twice: case and «ё» do not matter."""
        return (norm(self.last_name), norm(self.first_name), norm(self.patronymic))


@dataclass(frozen=True)
class Member(Person):
    position: str = ""
    organization: str = ""
    category: str | None = None
    experience: int | None = None
    role: str = "участник"
    phone: str | None = None
    email: str | None = None
    joined: dt.date | None = None
    left: dt.date | None = None  # the day the member is out of the group («Дата выбытия»)
    join_order_number: str | None = None  # the order that included a later member
    join_order_date: dt.date | None = None
    leave_order_number: str | None = None  # the order that excluded a member who left
    leave_order_date: dt.date | None = None
    row: int = 0

    def member_on(self, date: dt.date) -> bool:
        """In the group on ``date``: joined by then (no date: from the group's creation)
        and not yet left (on the «Дата выбытия» itself the member is out)."""
        return belongs_on(self.joined, self.left, date)


@dataclass(frozen=True)
class Organization:
    short_name: str
    full_name: str
    head: Person | None = None
    head_position: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    number: int
    question: str
    speaker: str | None = None
    content: str | None = None
    speakers: str | None = None
    decision: str | None = None


@dataclass(frozen=True)
class Meeting:
    number: int
    date: dt.date
    topic: str
    time: str | None = None
    place: str | None = None
    form: str = "очно"
    attended: int | None = None
    invited: str | None = None
    absent: str | None = None
    agenda: tuple[AgendaItem, ...] = ()

    @property
    def held(self) -> bool:
        """A meeting counts as held once its attendance is recorded."""
        return self.attended is not None


@dataclass(frozen=True)
class PlanItem:
    number: int
    activity: str
    term: dt.date | str
    form: str | None = None
    responsible: str | None = None
    result: str | None = None
    done: str | None = None


@dataclass(frozen=True)
class Photo:
    """A picture for an event's report: the file and where the workbook names it."""

    path: Path  # inside the workbook's folder
    name: str  # as the workbook names it, relative to its folder
    workbook: str = ""  # the workbook, sheet and cell that name it: for a message about it
    sheet: str = ""
    cell: tuple[int, int] = (0, 0)  # (row, column)


@dataclass(frozen=True)
class Event:
    number: int
    name: str
    date: dt.date
    form: str | None = None
    goal: str | None = None
    audience: str | None = None
    participants: int | None = None
    responsible: str | None = None
    link: str | None = None
    program: tuple[str, ...] = ()
    category: str = "педагоги"  # who took part: педагоги, обучающиеся or родители
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class TechTask:
    number: int
    task: str
    works: str | None = None
    product: str | None = None
    term: dt.date | str | None = None
    indicator: str | None = None
    reached: str | None = None  # what the year's report says was reached against it


@dataclass(frozen=True)
class Product:
    number: int
    name: str
    kind: str | None = None
    authors: str | None = None
    where: str | None = None


@dataclass
class Group:
    """One teachers' group for one academic year, as the workbook describes it."""

    source: Path
    kind: Kind
    name: str
    theme: str
    year: str  # «2025/2026»
    start: dt.date
    end: dt.date
    service: str
    service_head: Person
    service_head_position: str
    order_number: str
    order_date: dt.date
    head_order_number: str | None = None
    head_order_date: dt.date | None = None
    regulation_order_number: str | None = None
    regulation_order_date: dt.date | None = None
    plan_order_number: str | None = None
    plan_order_date: dt.date | None = None
    authority_head: Person | None = None
    authority_head_position: str | None = None
    service_full: str | None = None
    curator: Person | None = None  # the service's specialist who oversees it (мастерская)
    # «методического совета …, протокол от … № …»: the council that considered the положение
    regulation_adopted: str | None = None
    executor: str | None = None  # «Исп.» at the foot of the orders, as typed
    executor_phone: str | None = None
    direction: str | None = None
    level: str = "общее"
    goal: str | None = None
    tasks: tuple[str, ...] = ()
    expected_result: str | None = None
    authority: str | None = None
    locality: str | None = None
    base_org: str | None = None
    problems: str | None = None
    proposals: str | None = None
    service_conclusions: str | None = None  # the centre's own, for its «Сводный отчёт»
    members: tuple[Member, ...] = ()
    organizations: tuple[Organization, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    events: tuple[Event, ...] = ()
    tech_task: tuple[TechTask, ...] = ()
    products: tuple[Product, ...] = ()

    def members_on(self, date: dt.date) -> tuple[Member, ...]:
        """Who belonged to the group on ``date``: what a protocol of that day may name."""
        return tuple(m for m in self.members if m.member_on(date))

    @property
    def founded(self) -> dt.date:
        """The day the creation order's состав speaks for: the order's date, or the group's
        start when the order precedes it (members «с 01.09» are its founders)."""
        return max(self.order_date, self.start)

    @property
    def founders(self) -> tuple[Member, ...]:
        """The состав the creation order approves: members on the day it speaks for."""
        return self.members_on(self.founded)

    @property
    def head(self) -> Member:
        return next(m for m in self.members if m.role == self.kind.head_role)

    @property
    def council(self) -> tuple[Member, ...]:
        """The методический совет that leads the group (мастерская, seed 003, 4.2): its
        chair (the head) first, then its members; empty for a kind a head leads alone."""
        if not self.kind.council_role:
            return ()
        return (self.head, *(m for m in self.members if m.role == self.kind.council_role))

    @property
    def secretary(self) -> Member | None:
        return next((m for m in self.members if m.role == "секретарь"), None)

    def organization(self, short_name: str) -> Organization | None:
        wanted = norm(short_name)
        return next((o for o in self.organizations if norm(o.short_name) == wanted), None)
