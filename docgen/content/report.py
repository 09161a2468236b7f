"""The annual report's figures, computed from the group and said in Russian sentences.

The report is the one document whose content is not typed by the clerk but
counted: meetings against the kind's minimum, attendance, members by
organisation and category, the plan's completion, events and products.
Sentences are made here because their agreement depends on the numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from babel.numbers import format_decimal

from docgen.language.russian import (
    MEETINGS,
    MEMBERS,
    PEOPLE,
    agree_status,
    capfirst,
    count,
    month_name,
    plural,
    term_text,
    times_text,
)
from docgen.text import natural_key, norm
from docgen.workbook.model import Group
from docgen.workbook.schema import CATEGORIES, DONE_MARKS

ORGS_GEN = ("организации", "организаций", "организаций")
EVENTS = ("сетевое мероприятие", "сетевых мероприятия", "сетевых мероприятий")
PRODUCTS = ("продукт", "продукта", "продуктов")
PLAN_ITEMS = ("мероприятие", "мероприятия", "мероприятий")
ATTENDANCES = ("участие", "участия", "участий")
# who took part in an event (workbook «Кто участвует»), in the genitive plural
CATEGORY_GEN = {"педагоги": "педагогов", "обучающиеся": "обучающихся", "родители": "родителей"}
HELD_BY_PROTOCOL = "выполнено"  # a plan's meeting without a mark whose protocol is recorded
NO_CATEGORY = "без категории"



# Forms of work as a kindergarten names them (issue 27): children have «занятия», not
# «уроки»; the dropdown's school word is printed as the kindergarten's.
PRESCHOOL_FORMS = {"открытый урок": "открытое занятие", "открытые уроки": "открытые занятия"}


def activity_form(form: str | None, level: str | None) -> str:
    """A plan's or event's «Форма» as it fits the organisation: «открытое занятие» in a
    kindergarten where the dropdown says «открытый урок»; the clerk's own words otherwise."""
    text = form or ""
    if level == "дошкольное" and norm(text) in PRESCHOOL_FORMS:
        return PRESCHOOL_FORMS[norm(text)]
    return text


def decimal(value: float) -> str:
    """«8,3»: one decimal place, Russian comma; whole numbers without «,0»."""
    return format_decimal(round(value, 1), format="#,##0.#", locale="ru")


def people(value: float) -> str:
    """«8 человек», «8,3 человека» (a fraction takes the genitive singular)."""
    if value == int(value):
        return count(int(value), *PEOPLE)
    return f"{decimal(value)} человека"


def _meetings(group: Group) -> dict[str, Any]:
    planned = len(group.meetings)
    held = [m for m in group.meetings if m.held]
    minimum = group.kind.rules.min_meetings
    sentence = (f"Запланировано {count(planned, *MEETINGS)}, проведено "
                f"{count(len(held), *MEETINGS)}.")
    if minimum:
        rule = f"(не реже {times_text(minimum)} в год)"
        if len(held) >= minimum:
            sentence += f" Периодичность заседаний, установленная положением {rule}, соблюдена."
        else:
            missing = minimum - len(held)
            sentence += (f" Периодичность заседаний, установленная положением {rule}, "
                         f"не соблюдена: проведено на "
                         f"{count(missing, 'заседание', 'заседания', 'заседаний')} меньше.")
    terms = group.kind.rules.terms_for(group.level)
    if terms:
        sentence += " " + _terms_sentence(group, held)
    attendance = ""
    if held:
        # members present, against the members of each meeting's day: guests are not the
        # group's attendance, and no meeting counts more than 100 % (issue 26)
        rolls = [len(group.members_on(m.date)) for m in held]
        present = [min(m.attended or 0, roll) for m, roll in zip(held, rolls, strict=True)]
        average = sum(present) / len(held)
        attendance = f"В среднем на заседании присутствовало {people(average)}"
        if sum(rolls):
            # the share of each meeting's состав present, averaged over the meetings:
            # as «в среднем на заседании» reads, and as it is counted by hand
            share = percent(sum(Fraction(p, r) for p, r in zip(present, rolls, strict=True)
                                if r), len([r for r in rolls if r]))
            if len(set(rolls)) == 1:
                attendance += (f" из {count(rolls[0], 'участника', 'участников', 'участников')}"
                               f" {group.kind.short['gen']} ({share}\u00a0%)")
            else:  # the состав changed during the year
                attendance += (f" ({share}\u00a0% состава {group.kind.short['gen']} на дни "
                               f"заседаний)")
        attendance += "."
    return {
        "meetings_planned": planned,
        "meetings_held": len(held),
        "meetings_minimum": minimum,
        "meetings_sentence": sentence,
        "attendance_sentence": attendance,
        "meetings": [
            {"number": m.number, "date": m.date, "topic": m.topic.rstrip("."),
             "attended": m.attended,
             "attended_text": (count(m.attended, *PEOPLE) if m.held else "не проведено")}
            for m in group.meetings
        ],
    }


def _terms_sentence(group: Group, held: list) -> str:
    """The «once a quarter» rule: which parts of the year had a held meeting."""
    due, missing = group.kind.rules.missed_terms(group.level, group.start, group.end,
                                                 (m.date for m in held))
    unit = "учебную четверть" if any("четверть" in t.name for t in due) else "квартал"
    rule = f"Периодичность заседаний, установленная положением (не реже одного раза в {unit}),"
    if not missing:
        return f"{rule} соблюдена."
    names = "; ".join(t.name for t in missing)
    return f"{rule} не соблюдена; заседания не проводились в периоды: {names}."


def members_phrase(group: Group) -> str:
    """«входят 8 участников из 5 организаций (в течение года – 9)»: the состав at the
    year's end, and how many belonged over the year where that is more."""
    now = group.members_on(group.end)
    total, orgs = len(now), len({norm(m.organization) for m in now})
    phrase = (f"{plural(total, 'входит', 'входят', 'входят')} {count(total, *MEMBERS)} из "
              f"{orgs} {plural(orgs, *ORGS_GEN)}")
    if len(group.members) != total:
        phrase += f" (в течение года – {len(group.members)})"
    return phrase


def percent(part: Fraction | int, whole: int) -> int:
    """A share in whole percent, half up (90,5 → 91, where round() gives 90), exact."""
    return math.floor(Fraction(part) * 100 / whole + Fraction(1, 2))


def _members(group: Group) -> dict[str, Any]:
    """The состав tables: the members at the year's end, as the sentence above them counts
    («входят 8 … (в течение года – 9)»), so «Итого» agrees with it."""
    now = group.members_on(group.end)
    by_org: Counter[str] = Counter()
    names: dict[str, str] = {}
    for m in now:
        key = norm(m.organization)
        by_org[key] += 1
        names.setdefault(key, m.organization)
    sentence = f"В состав {group.kind.short['gen']} {members_phrase(group)}."
    categories = Counter(m.category or NO_CATEGORY for m in now)
    order = [*CATEGORIES, NO_CATEGORY]
    return {
        "members_sentence": sentence,
        "by_organization": [
            {"name": names[key], "count": n}
            for key, n in sorted(by_org.items(),
                                 key=lambda kv: (-kv[1], natural_key(names[kv[0]])))
        ],
        "by_category": [{"name": c, "count": categories[c]}
                        for c in dict.fromkeys(order) if categories[c]],
    }


def _meeting_of(item: Any, group: Group) -> Any:
    """The meeting a plan item is («Итоговое заседание», май 2026), or None.

    An item is a meeting when its text says «заседание» and its term is the
    meeting's date or month; the topic's words before «:» decide between two.
    """
    if "заседан" not in item.activity.lower():
        return None
    found = []
    for meeting in group.meetings:
        if isinstance(item.term, dt.date):
            same = item.term == meeting.date
        else:
            term = norm(str(item.term or ""))
            same = (month_name(meeting.date) in term and str(meeting.date.year) in term)
        if same:
            found.append(meeting)
    if len(found) > 1:
        head = norm(item.activity.split(":")[0])
        found = [m for m in found if norm(m.topic.split(":")[0]) == head]
    return found[0] if len(found) == 1 else None


def _plan(group: Group) -> dict[str, Any]:
    total = len(group.plan)
    plan = capfirst(group.kind.plan_name["nom"])  # «План работы», «Дорожная карта» (ГМО)
    if not total:
        filled = "не заполнена" if group.kind.plan_approved.endswith("А") else "не заполнен"
        return {"plan_sentence": f"{plan} на листе «План» {filled}.",
                "plan_not_done": [], "plan_not_done_title": "", "plan_unmarked": [],
                "plan_by_protocol": [],
                "plan_done": 0, "plan_total": 0}
    # a meeting of the plan without a mark: its protocol (attendance recorded) says held
    done = {}
    by_protocol = []
    for item in group.plan:
        meeting = None if item.done else _meeting_of(item, group)
        done[item.number] = item.done or (HELD_BY_PROTOCOL if meeting and meeting.held else "")
        if not item.done and meeting is not None and meeting.held:
            by_protocol.append({"activity": item.activity.rstrip("."),
                                "done": agree_status("проведено", item.activity),
                                "number": meeting.number, "date": meeting.date})
    marks = Counter(done.values())
    parts = [f"{mark} – {marks[mark]}" for mark in DONE_MARKS if marks[mark]]
    unknown = [m for m in marks if m and m not in DONE_MARKS]
    parts += [f"«{m}» – {marks[m]}" for m in unknown]
    if marks[""]:
        parts.append(f"без отметки о выполнении – {marks['']}")
    sentence = f"{plan} включает {count(total, *PLAN_ITEMS)}: {', '.join(parts)}."
    not_done = [
        {"activity": i.activity.rstrip("."), "term": term_text(i.term),
         "done": agree_status(i.done, i.activity)}
        for i in group.plan if i.done and i.done != "выполнено"
    ]
    unmarked = [{"activity": i.activity.rstrip("."), "term": term_text(i.term)}
                for i in group.plan if not done[i.number]]
    return {"plan_sentence": sentence, "plan_not_done": not_done,
            "plan_not_done_title": not_done_title(
                i.done for i in group.plan if i.done and i.done != "выполнено"),
            "plan_unmarked": unmarked, "plan_by_protocol": by_protocol,
            "plan_done": marks["выполнено"], "plan_total": total}


# what the list of items not done is called, by the marks it holds (the workbook's own
# marks, DONE_MARKS; a mark typed by hand is «с другой отметкой»)
_NOT_DONE_NAMES = {"не выполнено": "не выполнены", "частично выполнено": "выполнены частично",
                   "перенесено": "перенесены"}


def not_done_title(marks: Iterable[str]) -> str:
    """«Не выполнены или перенесены»: the heading names only what its list holds (a
    methodologist read «перенесено» under «Не выполнены или выполнены частично»)."""
    found = set(marks)
    names = [name for mark, name in _NOT_DONE_NAMES.items() if mark in found]
    if found - set(_NOT_DONE_NAMES):
        names.append("с другой отметкой")
    if not names:
        return ""
    text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} или {names[-1]}"
    return capfirst(text)


BLANK = "________"


def _tech_task(group: Group) -> dict[str, Any]:
    """The ТЗ's indicators against what the workbook says was reached (ГМО, seed 004);
    a blank to fill by hand where it says nothing."""
    rows = [{"number": t.number, "task": t.task.rstrip("."),
             "indicator": (t.indicator or "").rstrip("."),
             "reached": (t.reached or "").rstrip(".") or BLANK}
            for t in group.tech_task if t.indicator]
    return {"tech_task": rows}


def _events(group: Group) -> dict[str, Any]:
    events = group.events
    if not events:
        return {"events_sentence": "Сетевые мероприятия в отчётном году не проводились.",
                "events": [], "events_participants": 0, "events_by_category": []}
    total = sum(e.participants or 0 for e in events)
    sentence = f"Проведено {count(len(events), *EVENTS)}"
    if total and len(events) == 1:
        verb = plural(total, "принял", "приняли", "приняли")
        sentence += f", в нём {verb} участие {count(total, *PEOPLE)}"
    elif total:
        # a sum over events counts attendances, not people: one teacher at three
        # events is three attendances; how many people that is nobody counted
        sentence += (f"; участий в них – {total} (участник нескольких мероприятий учтён "
                     f"в каждом)")
    by_category: Counter[str] = Counter()
    for e in events:
        by_category[e.category] += e.participants or 0
    shown = [c for c in CATEGORY_GEN if by_category[c]]
    if len(shown) > 1:  # pupils are counted apart from teachers
        sentence += ", в том числе " + ", ".join(
            f"{CATEGORY_GEN[c]} – {by_category[c]}" for c in shown)
    return {
        "events_sentence": sentence + ".",
        "events_by_category": [{"name": c, "count": by_category[c]} for c in shown],
        "events": [
            {"name": e.name, "date": e.date, "form": activity_form(e.form, group.level),
             "category": e.category,
             "participants_number": e.participants if e.participants is not None else ""}
            for e in events
        ],
        "events_participants": total,
    }


def _products(group: Group) -> dict[str, Any]:
    products = group.products
    if not products:
        return {"products_sentence": "Продукты деятельности в отчётном году не представлены.",
                "products": []}
    verb = plural(len(products), "Создан", "Созданы", "Созданы")
    return {
        "products_sentence": (f"{verb} {count(len(products), *PRODUCTS)} методической "
                              f"деятельности."),
        "products": [
            {"name": p.name, "kind": p.kind or "", "authors": p.authors or "",
             "where": p.where or ""}
            for p in products
        ],
    }


def _charts(report: dict[str, Any]) -> dict[str, Any]:
    """Attendance per held meeting and members by category, numbered as they appear.

    Their figures are the report's own tables (meetings, categories): a chart is
    never the only place a number is.
    """
    from docgen.content.charts import chart_view, with_picture

    held = [m for m in report["meetings"] if m["attended"] is not None]
    number = 0
    attendance = categories = None
    if held:
        number += 1
        attendance = chart_view(
            number, "Посещаемость заседаний",
            [f"№ {m['number']}\n{m['date']:%d.%m}" for m in held],
            [m["attended"] for m in held], "Присутствовало, чел.")
    if report["by_category"]:
        number += 1
        categories = chart_view(
            number, "Участники по квалификационным категориям",
            [row["name"] for row in report["by_category"]],
            [row["count"] for row in report["by_category"]], "Участников", horizontal=True)
    return {"attendance_chart": attendance and with_picture(attendance),
            "category_chart": categories and with_picture(categories)}


def report_context(group: Group) -> dict[str, Any]:
    """Every figure and sentence of the annual report."""
    report = {
        **_meetings(group),
        **_members(group),
        **_plan(group),
        **_tech_task(group),
        **_events(group),
        **_products(group),
        "date_line": f"«____» ____________ {group.end.year} г.",
    }
    return {**report, **_charts(report)}
