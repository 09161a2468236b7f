"""Write the built-in templates (``templates/*.docx``) from one description.

Run ``python templates/source/make_templates.py`` after changing the layout or
the wording here; a test fails when a committed template differs from what this
script makes. The variables the templates use are those that
``docgen/content/documents.py`` puts in a document's context.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import layout  # noqa: E402
from layout import LINE_GAP, LIST, PLAIN, STAMP_INDENT_CM, TITLE, Template  # noqa: E402
from regulations import REGULATIONS  # noqa: E402

OUT = HERE.parent

# Common pieces ---------------------------------------------------------------

SIGN_HEAD = ("{{ head_title.nom|capfirst }} {{ kind.short_gen }}", "{{ head.initials }}")
# A line a person fills in by hand: the year too is theirs to write, never guessed.
DATE_HAND = "«____» ____________ 20___ г."


def order_sign(order: str) -> tuple[str, str]:
    """Who signs an order: the head of the body that issues it (seed of the kind)."""
    return (f"{{{{ orders.{order}.issuer.signer_title }}}}",
            f"{{{{ orders.{order}.issuer.signer.initials }}}}")


def order_header(t: Template, order: str) -> None:
    """The blank of an order of the body the kind's seed names: its name (in full, the
    short one in brackets), «ПРИКАЗ», the date and number or blanks for them, place."""
    o = f"orders.{order}"
    t.tag(f"{{%p for line in {o}.issuer.above %}}")
    t.p("{{ line }}", PLAIN, align="center", size=12)
    t.tag("{%p endfor %}")
    t.p(f"{{{{ {o}.issuer.letterhead }}}}", PLAIN, align="center", bold=True, space_after=18)
    t.p("ПРИКАЗ", PLAIN, align="center", bold=True, size=16, space_after=12)
    t.date_number(f"{{{{ {o}.date_text }}}}", f"№ {{{{ {o}.number_text }}}}")
    t.tag("{%p if group.locality %}")
    t.p("{{ group.locality }}", PLAIN, align="center", space_before=6)
    t.tag("{%p endif %}")
    t.blank()


def tasks_list(t: Template) -> None:
    t.tag("{%p for task in group.tasks %}")
    t.p("{{ loop.index }}. {{ task }}.", LIST)
    t.tag("{%p endfor %}")


# 1. Приказ о создании ----------------------------------------------------------

def order_foot(t: Template, order: str) -> None:
    """What real orders carry under the signature (issue 27): «Исп.» with the phone, from
    the workbook (nothing when not given, never invented), and the distribution list."""
    o = f"orders.{order}"
    t.tag("{%p if orders.executor.name %}")
    t.p("Исп. {{ orders.executor.name }}", PLAIN, size=10, space_before=18)
    t.tag("{%p if orders.executor.phone %}")
    t.p("тел. {{ orders.executor.phone }}", PLAIN, size=10)
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")
    t.p(f"Разослать: {{{{ {o}.distribution }}}}.", PLAIN, size=10, space_before=12)


def order_close(t: Template, order: str, number: str,
                acquainted: Callable[[Template], None] | None = None) -> None:
    """The control point, then the signature, never apart from the text, with «Исп.» and
    «Разослать» (and, in an appointment, the appointee's «ознакомлен» between them)."""
    t.p(f"{number}. Контроль за исполнением настоящего приказа оставляю за собой.")
    mark = t.mark()
    t.signature(*order_sign(order), space_before=36)
    if acquainted is not None:
        acquainted(t)
    order_foot(t, order)
    t.keep_together(mark)


def order_open() -> Template:
    t = Template("Приказ о создании")
    order_header(t, "open")
    t.p("О создании {{ title.gen|nolone }}", PLAIN, align="center", bold=True, space_after=12)
    # the basis the kind's seed names (ГМО: the Центр's методический совет and the заявки,
    # 004, 5.1–5.2; сетевая: the school's Положение о сетевом взаимодействии, 001, 1.1)
    t.p("В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в "
        "Российской Федерации»{% if orders.basis %}, {{ orders.basis }}{% endif %}"
        "{% if orders.regulation.standing %}, {{ orders.regulation.cite }}, утверждённым "
        "{{ orders.regulation.by }} {{ orders.regulation.requisites }},{% else %},{% endif %}"
        " в целях организации методического сопровождения педагогических работников и "
        "развития их профессиональных компетенций по теме «{{ group.theme }}»,")
    t.p("ПРИКАЗЫВАЮ:", PLAIN, space_before=6, space_after=6)
    t.p("1. Создать {{ title.acc }} (далее – {{ kind.short }}) на период "
        "{{ group.period_text }}")
    # The head is appointed by the «Приказ о назначении руководителя» alone: the creation
    # order only asks the appointing body when it is another one (ГМО: «Куратор ГМО
    # назначается приказом Управления», seed 004, 5.3). The мастерская has no head to
    # appoint: «Руководство осуществляет методический совет» (003, 4.2), formed here.
    t.tag("{%p if orders.open.points.petition %}")
    t.p("{{ orders.open.points.petition }}. Ходатайствовать перед "
        "{{ orders.head.issuer.name.ins }} о назначении {{ head_title.gen }} "
        "{{ kind.short_gen }} {{ head.gen.full }}, "
        "{{ head.position_cases.gen }} {{ head.organization }}.")
    t.tag("{%p endif %}")
    t.tag("{%p if orders.open.points.council %}")
    t.p("{{ orders.open.points.council }}. Сформировать методический совет "
        "{{ kind.short_gen }} в составе:")
    t.p("председатель методического совета – {{ council[0].initials }}, "
        "{{ council[0].position }} {{ council[0].organization }}"
        "{{ ';' if council|length > 1 else '.' }}", LIST)
    t.tag("{%p if council|length > 1 %}")
    t.p("члены методического совета:", LIST)
    t.tag("{%p for m in council[1:] %}")
    t.p("– {{ m.initials }}, {{ m.position }} {{ m.organization }}"
        "{{ ';' if not loop.last else '.' }}", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")
    approve = "{{ orders.open.points.approve }}"
    t.tag("{%p if orders.regulation.standing %}")
    t.p(approve + ". Утвердить состав {{ kind.short_gen }} (прилагается).")
    t.tag("{%p else %}")
    t.p(approve + ". Утвердить:")
    t.p(approve + ".1. Положение о {{ title.pre }} (прилагается).")
    t.p(approve + ".2. Состав {{ kind.short_gen }} (прилагается).")
    t.tag("{%p endif %}")
    # members from several organisations: their heads are addressed (issue 27); the
    # authority orders them, a methodological service can only recommend
    t.tag("{%p if orders.open.points.heads %}")
    t.p("{{ orders.open.points.heads }}. {% if orders.open.issuer.by == 'authority' %}"
        "Руководителям{% else %}Рекомендовать руководителям{% endif %} образовательных "
        "организаций обеспечить участие педагогических работников, включённых в состав "
        "{{ kind.short_gen }}, в заседаниях и мероприятиях {{ kind.short_gen }}.")
    t.tag("{%p endif %}")
    order_close(t, "open", "{{ orders.open.points.control }}")
    # Appendix: the members, approved by this order.
    t.stamp("УТВЕРЖДЁН", "{{ orders.open.by }}", "{{ orders.open.requisites }}",
            page_break=True)
    t.title("Состав {{ title.gen }}", "на {{ group.year }} учебный год")
    t.table(
        ["№ п/п", "Фамилия, имя, отчество", "Должность", "Организация", "Роль"],
        ["{{ loop.index }}", "{{ m.full }}", "{{ m.position }}", "{{ m.organization|cellname }}",
         "{{ m.role }}"],
        "m in members", [1.1, 5.0, 3.6, 4.0, 3.3],
    )
    return t


# 2. Приказ о назначении руководителя (куратора) -------------------------------

def order_head() -> Template:
    t = Template("Приказ о назначении руководителя")
    order_header(t, "head")
    t.p("О назначении {{ head_title.gen }} {{ title.gen|nolone }}", PLAIN, align="center",
        bold=True, space_after=12)
    # Another body appoints on the creating body's petition («на основании ходатайства»,
    # issue 27: ГМО, the Управление on the Центр's), never on a subordinate's order.
    t.p("{% if orders.petition %}На основании ходатайства {{ orders.open.issuer.name.gen }} "
        "и в соответствии с {{ orders.regulation.cite }}, утверждённым "
        "{{ orders.regulation.by }} {{ orders.regulation.requisites }}"
        "{% else %}В соответствии с {{ orders.regulation.cite }}, утверждённым "
        "{{ orders.regulation.by }} {{ orders.regulation.requisites }}{% endif %}"
        "{% if rules.head_categories_text %}, с учётом квалификационной категории "
        "и опыта работы{% endif %},")
    t.p("ПРИКАЗЫВАЮ:", PLAIN, space_before=6, space_after=6)
    t.p("1. Назначить {{ head.acc.full }}, {{ head.position_cases.acc }} "
        "{{ head.organization }}{% if head.category %} ({{ head.category_text }}){% endif %}, "
        "{{ head_title.ins }} {{ title.gen }} на период {{ group.period_text }}")
    t.p("2. {{ head_title.dat|capfirst }} {{ kind.short_gen }} {{ head.dat.initials }}:")
    t.tag("{%p if plan_submit_to %}")
    t.p("2.1. Разработать {{ plan_doc.acc }} {{ kind.short_gen }} на {{ group.year }} учебный "
        "год и представить на утверждение {{ plan_submit_to }}.")
    t.tag("{%p else %}")
    # ГМО: «…разрабатывается участниками ГМО совместно с куратором на основе технического
    # задания, рассматривается на заседании ГМО, утверждается куратором ГМО» (004, 5.8).
    t.p("2.1. Разработать совместно с участниками {{ kind.short_gen }} {{ plan_doc.acc }} на "
        "{{ group.year }} учебный год{% if tech_task %} на основе технического задания"
        "{% endif %}, рассмотреть на заседании {{ kind.short_gen }} и утвердить.")
    t.tag("{%p endif %}")
    t.p("2.2. Организовать работу {{ kind.short_gen }} по теме «{{ group.theme }}» в "
        "соответствии с положением и {{ plan_doc.ins }} на {{ group.year }} учебный год"
        "{% if rules.min_meetings %}, проводить заседания {{ rules.min_meetings_text }}"
        "{% endif %}.")
    t.p("2.3. Обеспечить ведение документации {{ kind.short_gen }}: {{ plan_doc.gen }}, "
        "протоколов заседаний, материалов о результатах работы.")
    t.p("2.4. Представить отчёт о деятельности {{ kind.short_gen }} за {{ group.year }} "
        "учебный год до {{ group.end|date_text }}")
    # «С приказом ознакомлен(а)» refers to this order: it stays with the signature above
    # it, and its date line with it (issue 27)
    order_close(t, "head", "3", acquainted_block)
    return t


def acquainted_block(t: Template) -> None:
    """The appointee's «С приказом ознакомлен(а)», signature and date."""
    t.p("С приказом {{ head.gender|agree('ознакомлен', 'ознакомлена') }}:", PLAIN,
        space_before=24)
    t.signature("{{ head.position|capfirst }} {{ head.organization }}", "{{ head.initials }}",
                space_before=14)
    t.p(DATE_HAND, PLAIN, space_before=6)


# 3. Положение -------------------------------------------------------------------

def standing_text(name: str) -> list[str]:
    """A standing act's text kept word for word beside this script (one paragraph a line)."""
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


# The профессиональная группа's standing положение is seed 002 itself: under its stamp
# («УТВЕРЖДЕНО … от 12.02.2020 № 109») the act is printed word for word, never new text
# (issue 26 §3). Its full title, as the act names itself:
STANDING_TITLES = {
    "professionalnaya": ("ПОЛОЖЕНИЕ", "о профессиональной группе, лаборатории педагогических "
                         "и руководящих работников (творческой, рабочей, экспертной, "
                         "проектной) в системе общего и дополнительного образования "
                         "города Ноябрьска"),
}
STANDING_FILES = {"professionalnaya": "standing_002.txt"}
_SEED_SECTION = re.compile(r"^\d\. ")


def regulation(sections, kind: str = "") -> Template:
    t = Template("Положение")
    # «ПРИНЯТО на заседании …, протокол от … № …» where the workbook says a council
    # considered it (issue 27), as the clerk typed it: no date or number is made up
    t.tag("{%p if group.regulation_adopted %}")
    t.stamp("ПРИНЯТО", "на заседании {{ group.regulation_adopted }}", space_after=12)
    t.tag("{%p endif %}")
    t.stamp("УТВЕРЖДЕНО", "{{ orders.regulation.by }}", "{{ orders.regulation.requisites }}",
            space_after=24)
    if kind in STANDING_FILES:
        t.tag("{%p if orders.regulation.standing %}")
        t.title(*STANDING_TITLES[kind])
        for text in standing_text(STANDING_FILES[kind]):
            if _SEED_SECTION.match(text):
                t.section(text)
            elif text.startswith("- "):
                t.p(text, LIST)
            else:
                t.p(text)
        t.tag("{%p else %}")
    # a standing положение, approved earlier by its own order, is the kind's, not the group's
    t.title("ПОЛОЖЕНИЕ", "о {% if orders.regulation.standing %}{{ kind.pre }}{% else %}"
            "{{ title.pre }}{% endif %}")
    for title, paragraphs in sections:
        t.section(title)
        for text in paragraphs:
            if text.startswith("{%p"):
                t.tag(text)
            elif text.startswith("– "):
                t.p(text, LIST)
            else:
                t.p(text)
    if kind in STANDING_FILES:
        t.tag("{%p endif %}")
    return t


# 4. План работы / дорожная карта ----------------------------------------------

def approved_by(t: Template, position: str, person: str, space_after: float) -> None:
    """«УТВЕРЖДАЮ», the position, a line to sign with «И.О. Фамилия», a date to fill in."""
    t.stamp("УТВЕРЖДАЮ", position, "____________ {{ " + person + ".initials }}", DATE_HAND,
            space_after=space_after)


def approval(t: Template, document: str) -> None:
    """The plan's approval as the kind's seed says: by an order (its requisites, or blanks
    to fill in), by the group's head or by the service's head."""
    t.tag("{%p if rules.plan_approved_by == 'order' %}")
    t.stamp("{{ " + document + ".approved }}", "{{ orders.plan.by }}",
            "{{ orders.plan.requisites }}", space_after=0)
    t.tag("{%p elif powers.plan == 'head' %}")
    t.tag("{%p if plan_doc.appendix %}")
    t.stamp("Приложение № {{ plan_doc.appendix }}", "к положению о {{ title.pre }}",
            space_after=12)
    t.tag("{%p endif %}")
    # ГМО: «…рассматривается на заседании ГМО, утверждается куратором ГМО» (004, 5.8):
    # the meeting that considered it (its protocol's date and number, or blanks), then
    # the куратор's approval
    t.stamp("Рассмотрено на заседании {{ kind.short_gen }},",
            "протокол {{ plan_doc.considered }}", space_after=12)
    approved_by(t, "{{ head_title.nom|capfirst }} {{ kind.short_gen }}", "head", space_after=0)
    t.tag("{%p else %}")
    approved_by(t, "{{ service_head_title.nom }}", "service_head", space_after=0)
    t.tag("{%p endif %}")
    t.blank()


def plan() -> Template:
    t = Template("План работы", landscape=True)
    approval(t, "plan_doc")
    t.title("{{ plan_doc.title }}", "{{ title.gen }}", "на {{ group.year }} учебный год")
    t.p("Тема: «{{ group.theme }}»", PLAIN, align="justify")
    t.tag("{%p if group.goal %}")
    t.p("Цель: {{ group.goal|lcfirst }}", PLAIN, align="justify")
    t.tag("{%p endif %}")
    t.tag("{%p if group.tasks %}")
    t.p("Задачи:", PLAIN)
    tasks_list(t)
    t.tag("{%p endif %}")
    t.blank()
    t.table(
        ["№ п/п", "Мероприятие", "Форма", "Срок", "Ответственный", "Результат"],
        ["{{ item.number }}", "{{ item.activity }}", "{{ item.form }}", "{{ item.term }}",
         "{{ item.responsible }}", "{{ item.result }}"],
        "item in plan", [1.2, 8.3, 3.6, 3.2, 4.2, 5.2],
    )
    # The head who drew the plan up signs it, unless the head approved it above already
    # (ГМО: «утверждается куратором ГМО», 004, 5.8): one person, one signature.
    t.p("", PLAIN)  # parts the plan's table from the block below: else they are one table
    t.tag("{%p if powers.plan != 'head' or curator %}")  # no empty block (ГМО)
    mark = t.mark()
    t.tag("{%p if powers.plan != 'head' %}")
    t.signature(*SIGN_HEAD)
    t.tag("{%p endif %}")
    curator_agreed(t)
    t.keep_together(mark)  # the куратор's СОГЛАСОВАНО stays with the signature
    t.tag("{%p endif %}")
    return t


def curator_agreed(t: Template) -> None:
    """«СОГЛАСОВАНО» by the service's specialist who oversees the group, where the kind
    has one and the workbook names them (мастерская: «Курирует деятельность … заведующий
    по организационно-методической работе», 003, 4.3)."""
    t.tag("{%p if curator %}")
    t.p("СОГЛАСОВАНО", PLAIN, space_before=24, keep_next=True)
    t.signature("{{ curator.title }}", "{{ curator.initials }}", space_before=6,
                keep_next=True)
    t.p(DATE_HAND, PLAIN, space_before=6)
    t.tag("{%p endif %}")


# 5. Протокол заседания ----------------------------------------------------------

def protocol() -> Template:
    t = Template("Протокол заседания")
    t.p("{{ title.nom|capfirst }}", PLAIN, align="center", bold=True, space_after=12)
    t.p("ПРОТОКОЛ", PLAIN, align="center", bold=True, size=16, space_after=12)
    t.date_number("{{ meeting.date|date }}", "№ {{ meeting.number }}")
    t.p("{{ meeting.place_line }}", PLAIN, align="center", space_before=6, space_after=12)
    t.p("Заседание {{ kind.short_gen }}{% if meeting.remote %} (дистанционно){% endif %}",
        PLAIN, align="center", bold=True)
    t.p("Тема: «{{ meeting.topic }}»", PLAIN, align="center", space_after=12)
    t.p("Председатель – {{ chair.initials }}", PLAIN)
    t.tag("{%p if secretary %}")
    t.p("Секретарь – {{ secretary.initials }}", PLAIN)
    t.tag("{%p endif %}")
    t.tag("{%p if meeting.present %}")
    # ГОСТ Р 7.0.97 (spec, document 5): «Присутствовали: N человек», the list below it
    t.p("Присутствовали: {{ meeting.attended_text }}", PLAIN)
    t.tag("{%p for person in meeting.present %}")
    t.p("{{ person }}{{ ';' if not loop.last else '.' }}", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.p("Присутствовали: {{ meeting.attended_text }} (лист регистрации прилагается).", PLAIN)
    t.tag("{%p endif %}")
    t.tag("{%p if meeting.absent %}")
    t.p("Отсутствовали: {{ meeting.absent }}.", PLAIN)
    t.tag("{%p endif %}")
    t.tag("{%p if meeting.invited %}")
    t.p("Приглашённые: {{ meeting.invited }}.", PLAIN)
    t.tag("{%p endif %}")
    t.p("ПОВЕСТКА ДНЯ:", PLAIN, bold=True, space_before=12, space_after=6)
    t.tag("{%p for q in meeting.agenda %}")
    t.p("{{ q.number }}. {{ q.question }}{% if q.speaker %} (докладчик – {{ q.speaker }})"
        "{% endif %}.")
    t.tag("{%p endfor %}")
    # Each item as sentences (issue 27): «Е.Н. Кутейкина представила проект плана.»;
    # a «ВЫСТУПИЛИ» that only lists names says nothing and is left out (documents.py).
    t.tag("{%p for q in meeting.agenda %}")
    t.labeled("{{ q.number }}. СЛУШАЛИ:", "{{ q.heard }}", space_before=12)
    t.tag("{%p if q.said %}")
    t.labeled("ВЫСТУПИЛИ:", "{{ q.said }}", space_before=6)
    t.tag("{%p endif %}")
    t.labeled("РЕШИЛИ:", "{{ q.decision }}", space_before=6)
    t.tag("{%p endfor %}")
    t.tag("{%p if meeting.registration %}")
    t.p("Приложение: лист регистрации на {{ meeting.registration_sheets }} л. в 1 экз.", PLAIN,
        space_before=12)
    t.tag("{%p endif %}")
    t.signature("Председатель", "{{ chair.initials }}", space_before=36)
    t.tag("{%p if secretary %}")
    t.signature("Секретарь", "{{ secretary.initials }}", space_before=14)
    t.tag("{%p endif %}")
    # «Присутствовали N человек (лист регистрации прилагается)»: the sheet itself, with
    # the members of the meeting's day (and a row for each invited guest).
    t.tag("{%p if meeting.registration %}")
    t.stamp("Приложение", "к протоколу заседания {{ kind.short_gen }}",
            "от {{ meeting.date|date }} № {{ meeting.number }}", space_after=12,
            page_break=True)
    t.title("Лист регистрации", "участников заседания {{ title.gen }}",
            "{{ meeting.date|date_text }}")
    t.table(["№ п/п", "Фамилия, имя, отчество", "Должность", "Организация", "Подпись"],
            ["{{ r.number }}", "{{ r.name }}", "{{ r.position }}", "{{ r.organization }}", ""],
            "r in meeting.registration", [1.2, 5.0, 3.8, 4.4, 2.6], row_height=0.9,
            names=[1])
    t.tag("{%p endif %}")
    return t


# Приказ о внесении изменений в состав ---------------------------------------------

def order_members() -> Template:
    """A later joining or a leaving, by an order of the body that approved the состав
    (the creation order's issuer), on the other orders' blank."""
    t = Template("Приказ о внесении изменений в состав")
    order_header(t, "members")
    t.p("О внесении изменений в состав {{ title.gen|nolone }}", PLAIN, align="center", bold=True,
        space_after=12)
    t.p("В связи с изменением состава {{ title.gen }}, утверждённого "
        "{{ orders.open.by }} {{ orders.open.requisites }} «О\u00a0создании "
        "{{ title.gen|inner_quotes }}»,")
    t.p("ПРИКАЗЫВАЮ:", PLAIN, space_before=6, space_after=6)
    # «с 1 октября 2025 г.»: the date in words ends the last item with its own dot
    for who, item, what in (("joined", "join_item", "Включить в состав"),
                            ("left", "leave_item", "Исключить из состава")):
        t.tag(f"{{%p if change.{who} %}}")
        t.p(f"{{{{ change.{item} }}}}. {what} {{{{ kind.short_gen }}}}:")
        t.tag(f"{{%p for m in change.{who} %}}")
        t.p("{{ m.member.acc.full }}, {{ m.member.position_cases.acc }} "
            "{{ m.member.organization }}, с\u00a0{{ m.since_text }}"
            "{{ ';' if not loop.last else '' }}", LIST)
        t.tag("{%p endfor %}")
        t.tag("{%p endif %}")
    order_close(t, "members", "{{ change.control_item }}")
    return t


# 6–7. Заявки --------------------------------------------------------------------

def application_head(t: Template, number: int) -> None:
    t.stamp(f"Приложение № {number}", "к положению о {{ title.pre }}", space_after=18)
    t.stamp("{{ service_head_title.dat }}", "{{ service_head.dat.initials }}", space_after=0)
    t.tag("{%p if org.head %}")
    t.stamp("от {{ org.head_title.gen|lcfirst }}", "{{ org.head.gen.initials }}", space_after=0)
    t.tag("{%p endif %}")
    t.blank(2)
    t.title("ЗАЯВКА", "на включение в состав {{ title.gen }}")


def application_tail(t: Template) -> None:
    t.signature("{{ org.head_title.nom if org.head_title else 'Руководитель организации' }}",
                "{{ org.head.initials if org.head else '' }}", space_before=36)
    t.p(DATE_HAND, PLAIN, space_before=12)
    t.p("М.П.", PLAIN, space_before=12)


def application_member() -> Template:
    t = Template("Заявка на педагогического работника")
    application_head(t, 1)
    t.p("Прошу включить {{ member.acc.full }}, {{ member.position_cases.acc }} "
        "{{ org.full_name_cases.gen }}, в состав участников {{ title.gen }} по теме "
        "«{{ group.theme }}» на период {{ member_period }}")
    t.p("Сведения о педагогическом работнике:", PLAIN, space_before=12, space_after=6)
    t.fields([
        ("Фамилия, имя, отчество", "{{ member.full }}"),
        ("Должность", "{{ member.position }}"),
        ("Квалификационная категория", "{{ member.category or '' }}"),
        ("Педагогический стаж", "{{ member.experience_text }}"),
        ("Телефон", "{{ member.phone or '' }}"),
        ("Электронная почта", "{{ member.email or '' }}"),
    ])
    application_tail(t)
    return t


def application_org() -> Template:
    t = Template("Заявка на образовательное учреждение")
    application_head(t, 2)
    t.p("Прошу включить {{ org.full_name_cases.acc }} ({{ org.short_name }}) в состав участников "
        "{{ title.gen }} по теме «{{ group.theme }}» на период {{ org_period }}")
    t.tag("{%p if org.members %}")
    t.p("Педагогические работники, участвующие в работе {{ kind.short_gen }}:", PLAIN,
        space_before=12, space_after=6)
    t.table(["№ п/п", "Фамилия, имя, отчество", "Должность", "Категория"],
            ["{{ loop.index }}", "{{ m.full }}", "{{ m.position }}", "{{ m.category or '' }}"],
            "m in org.members", [1.2, 6.0, 5.8, 4.0])
    t.tag("{%p endif %}")
    t.tag("{%p if org.address or org.phone or org.email %}")
    t.p("Контактные данные: {{ org.contacts }}.", PLAIN, space_before=12, align="justify")
    t.tag("{%p endif %}")
    application_tail(t)
    return t


# 8. Техническое задание -----------------------------------------------------------

def tech_task() -> Template:
    t = Template("Техническое задание", landscape=True)
    t.stamp("Приложение № 3", "к положению о {{ title.pre }}", space_after=12)
    approved_by(t, "{{ service_head_title.nom }}", "service_head", space_after=18)
    t.title("ТЕХНИЧЕСКОЕ ЗАДАНИЕ", "{{ title.dat }}", "на {{ group.year }} учебный год")
    t.fields([
        ("{{ head_title.nom|capfirst }}", "{{ head.full }}, {{ head.position }} "
                                          "{{ head.organization }}"),
        ("Тема", "{{ group.theme }}"),
        ("Цель", "{{ group.goal }}"),
        ("Срок выполнения", "{{ group.period_text }}"),
        ("Ожидаемый результат", "{{ group.expected_result }}"),
    ])
    t.blank()
    t.table(["№ п/п", "Задача", "Содержание работ", "Продукт", "Срок", "Показатель"],
            ["{{ item.number }}", "{{ item.task }}", "{{ item.works }}", "{{ item.product }}",
             "{{ item.term }}", "{{ item.indicator }}"],
            "item in tech_task", [1.2, 5.4, 6.4, 4.6, 3.2, 5.9])
    # «…в соответствии с согласованным с куратором ГМО техническим заданием» (004, 4.1)
    t.p("СОГЛАСОВАНО", PLAIN, space_before=24, keep_next=True)
    t.signature("{{ head_title.nom|capfirst }} {{ kind.short_gen }}", "{{ head.initials }}",
                space_before=6, keep_next=True)
    t.p(DATE_HAND, PLAIN, space_before=6)
    return t


# 9. Отчёт о сетевом событии с листом регистрации ----------------------------------

def event_report() -> Template:
    """The report of a network event (seed 004, 5.11) and what is attached to it.

    The registration sheet (a list of participants for an online event) is
    Приложение № 1, the photos (screenshots) Приложение № 2 (without photos the
    sheet is the only one: «Приложение»); each page of an
    appendix is its own table or pair of pictures after a page break, so the
    sheet counts of the «Приложение:» line (documents.py) are the real ones.
    """
    from docx.shared import Cm

    t = Template("Отчёт о сетевом событии")
    t.title("ОТЧЁТ", "о проведении сетевого события", "{{ title.gen|nolone }}")
    # an empty field prints no row (issue 13): each optional row carries its condition
    t.fields([
        ("Тема (название)", "{{ event.name }}"),
        ("Дата проведения", "{{ event.date|date_text }}"),
        ("Форма проведения", "{{ event.form }}", "event.form"),
        ("Цель", "{{ event.goal }}", "event.goal"),
        ("Целевая аудитория", "{{ event.audience }}", "event.audience"),
        ("Количество участников", "{{ event.participants_text }}", "event.participants_text"),
        ("Ответственный", "{{ event.responsible }}", "event.responsible"),
        ("Материалы", "{{ event.link }}", "event.link"),
    ])
    t.tag("{%p if event.program %}")
    t.p("Краткая программа:", PLAIN, bold=True, space_before=12, space_after=6)
    t.tag("{%p for line in event.program %}")
    t.p("{{ loop.index }}. {{ line.rstrip('.;')|capfirst }}.", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    t.blank()
    t.tag("{%p for a in event.appendices %}")
    para = t.p("{{ 'Приложение:' if loop.first else '' }}\t{{ a.line }}", PLAIN)
    para.paragraph_format.left_indent = Cm(APPENDIX_INDENT_CM)
    para.paragraph_format.first_line_indent = Cm(-APPENDIX_INDENT_CM)
    t.tag("{%p endfor %}")
    t.signature(*SIGN_HEAD)
    t.p("{{ event.date_line }}", PLAIN, space_before=12)  # the report's own date
    # Приложение № 1: the registration sheet, or the list of an online event's participants;
    # a single appendix is «Приложение» without a number (ГОСТ Р 7.0.97)
    appendix_mark(t, "{{ ' № 1' if event.photos else '' }}")
    t.p("{{ event.registration_title }}", TITLE)
    t.p("сетевого события", TITLE)
    t.p("{{ event.name|nolone }}", PLAIN, align="center")  # as named: often its own «»
    t.p("{{ event.date|date_text }}", PLAIN, align="center", space_after=12)
    t.tag("{%p for page in event.registration_pages %}")
    t.tag("{%p if not loop.first %}")
    t.p("", PLAIN, page_break=True)
    t.tag("{%p endif %}")
    t.tag("{%p if event.signatures %}")
    t.table(["№ п/п", "Фамилия, имя, отчество", "Организация", "{{ event.role_header }}",
             "Подпись"],
            ["{{ r.number }}", "{{ r.name }}", "{{ r.organization }}", "{{ r.position }}", ""],
            "r in page", [1.2, 5.6, 4.2, 3.6, 2.4], row_height=0.9, names=[1])
    t.tag("{%p else %}")
    t.table(["№ п/п", "Фамилия, имя, отчество", "Организация", "{{ event.role_header }}"],
            ["{{ r.number }}", "{{ r.name }}", "{{ r.organization }}", "{{ r.position }}"],
            "r in page", [1.2, 6.6, 5.4, 3.8], row_height=0.9, names=[1])
    t.tag("{%p endif %}")
    t.tag("{%p endfor %}")
    # Приложение № 2: photos (screenshots of an online event), two to a page.
    t.tag("{%p if event.photos %}")
    appendix_mark(t, " № 2")
    t.p("{{ event.photos_title }}", TITLE, space_after=12)
    t.tag("{%p for page in event.photo_pages %}")
    t.tag("{%p if not loop.first %}")
    t.p("", PLAIN, page_break=True)
    t.tag("{%p endif %}")
    t.tag("{%p for photo in page %}")
    t.p("{{ photo.image }}", PLAIN, align="center", keep_next=True, space_before=6)
    t.p("{{ photo.caption }}", PLAIN, align="center", space_after=12)
    t.tag("{%p endfor %}")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    return t


APPENDIX_INDENT_CM = 3.2  # «Приложение:» and a tab: the items stand one under another


def appendix_mark(t: Template, number: str) -> None:
    """«Приложение № N / к отчёту о проведении / сетевого события / от 15.10.2025», new page.

    ``number`` is « № N» or empty (a single appendix, ГОСТ Р 7.0.97).
    """
    t.stamp(f"Приложение{number}", "к отчёту о проведении", "сетевого события",
            "от {{ event.date|date }}", space_after=12, page_break=True)


def paragraphs_or(t: Template, variable: str, otherwise: str) -> None:
    """The clerk's paragraphs from ``variable``, or a sentence when there are none."""
    t.tag(f"{{%p for text in {variable} %}}")
    t.p("{{ text }}")
    t.tag("{%p endfor %}")
    t.tag(f"{{%p if not {variable} %}}")
    t.p(otherwise)
    t.tag("{%p endif %}")


# 10. Отчёт за год ------------------------------------------------------------------

def chart(t: Template, name: str) -> None:
    """A chart's picture (printed as a photo is) and its caption under it."""
    t.tag(f"{{%p if {name} %}}")
    t.p(f"{{{{ {name}.picture }}}}", PLAIN, align="center", keep_next=True, space_before=6)
    t.p(f"{{{{ {name}.caption }}}}", PLAIN, align="center", space_after=6)
    t.tag("{%p endif %}")


def annual_report() -> Template:
    t = Template("Отчёт за год")
    # the мастерская's is the «Анализ деятельности» (003, 5.5), drawn up by its совет (4.4)
    t.title("{{ report_doc.title }}", "{% if report_doc.title == 'ОТЧЁТ' %}о деятельности "
            "{% endif %}{{ title.gen|nolone }}", "за {{ group.year }} учебный год")
    t.section("1. Общие сведения")
    t.p("Тема: «{{ group.theme }}».")
    t.tag("{%p if group.goal %}")
    t.p("Цель: {{ group.goal|lcfirst }}")
    t.tag("{%p endif %}")
    t.p("{{ head_title.nom|capfirst }}: {{ head.full }}, {{ head.position }} "
        "{{ head.organization }}.")
    t.p("{{ report.members_sentence }}")
    t.section("2. Заседания")
    t.p("{{ report.meetings_sentence }}")
    t.table(["№", "Дата", "Тема", "Присутствовало"],
            ["{{ m.number }}", "{{ m.date|date }}", "{{ m.topic }}", "{{ m.attended_text }}"],
            "m in report.meetings", [1.1, 2.6, 9.3, 4.0])
    t.tag("{%p if report.attendance_sentence %}")
    t.p("{{ report.attendance_sentence }}", space_before=6)
    t.tag("{%p endif %}")
    chart(t, "report.attendance_chart")
    t.section("3. Состав участников")
    t.p("По организациям:", keep_next=True)
    t.table(["Организация", "Участников"], ["{{ row.name }}", "{{ row.count }}"],
            "row in report.by_organization", [13.0, 4.0], names=[0],
            total=["Итого", "{{ report.by_organization|sum(attribute='count') }}"])
    t.p("По квалификационным категориям:", space_before=6, keep_next=True)
    t.table(["Категория", "Участников"], ["{{ row.name }}", "{{ row.count }}"],
            "row in report.by_category", [13.0, 4.0],
            total=["Итого", "{{ report.by_category|sum(attribute='count') }}"])
    chart(t, "report.category_chart")
    t.section("4. Выполнение {{ plan_doc.gen }}")
    t.p("{{ report.plan_sentence }}")
    t.tag("{%p if report.plan_not_done %}")
    t.p("{{ report.plan_not_done_title }}:", keep_next=True)
    t.tag("{%p for item in report.plan_not_done %}")
    t.p("– {{ item.activity }} ({{ item.term }}) – {{ item.done }}"
        "{{ ';' if not loop.last else '.' }}", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    # a meeting without a mark whose protocol is recorded: held, and said so
    t.tag("{%p if report.plan_by_protocol %}")
    t.p("По протоколам заседаний:", keep_next=True)
    t.tag("{%p for item in report.plan_by_protocol %}")
    t.p("– {{ item.activity }} – {{ item.done }} (протокол от {{ item.date|date }} "
        "№ {{ item.number }}){{ ';' if not loop.last else '.' }}", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    t.tag("{%p if report.plan_unmarked %}")
    t.p("Без отметки о выполнении:", keep_next=True)
    t.tag("{%p for item in report.plan_unmarked %}")
    t.p("– {{ item.activity }} ({{ item.term }}){{ ';' if not loop.last else '.' }}", LIST)
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    # ГМО: the ТЗ's indicators against what was reached (a blank where nobody said)
    t.tag("{%p if report.tech_task %}")
    t.p("Показатели технического задания:", space_before=6, keep_next=True)
    t.table(["№", "Задача", "Показатель", "Достигнуто"],
            ["{{ row.number }}", "{{ row.task }}", "{{ row.indicator }}", "{{ row.reached }}"],
            "row in report.tech_task", [1.1, 5.3, 5.3, 5.3])
    t.tag("{%p endif %}")
    t.section("5. Сетевые мероприятия")
    t.p("{{ report.events_sentence }}")
    t.tag("{%p if report.events %}")
    t.table(["№", "Мероприятие", "Дата", "Форма", "Участников"],
            ["{{ loop.index }}", "{{ e.name }}", "{{ e.date|date }}", "{{ e.form }}",
             "{{ e.participants_number }}"],
            "e in report.events", [1.1, 7.4, 2.6, 3.4, 2.5],
            total=["", "Итого", "", "", "{{ report.events_participants or '' }}"])
    t.tag("{%p endif %}")
    t.section("6. Продукты деятельности")
    t.p("{{ report.products_sentence }}")
    t.tag("{%p if report.products %}")
    t.table(["№", "Наименование", "Вид", "Авторы", "Где представлен"],
            ["{{ loop.index }}", "{{ p.name }}", "{{ p.kind }}", "{{ p.authors }}",
             "{{ p.where }}"],
            "p in report.products", [1.1, 4.6, 3.0, 4.3, 4.0])  # «Н.Г. Перевощикова,» whole
    t.tag("{%p endif %}")
    t.section("7. Проблемы")
    paragraphs_or(t, "group.problems",
                  "Существенных проблем в работе {{ kind.short_gen }} не выявлено.")
    t.section("8. Предложения")
    paragraphs_or(t, "group.proposals",
                  "Продолжить работу {{ kind.short_gen }} в следующем учебном году.")
    mark = t.mark()
    t.signature(*SIGN_HEAD, space_before=36)
    t.p("{{ report.date_line }}", PLAIN, space_before=12)
    curator_agreed(t)
    t.keep_together(mark)  # the куратор's СОГЛАСОВАНО stays with the signature
    return t


# Blank forms (docgen blank) ---------------------------------------------------------
#
# One template per form serves both cases: ``filled`` is false for a bare blank (every
# variable field a line to write on) and true when a workbook gave the group, whose
# names, theme and period are then printed; the personal fields stay lines either way.

DATE_LINE = "«____»____________20___ г."
STAMP_GAP = 6  # the lines in the right half are short ones: less room between them
ORG_HEAD_SIGNATURE = [("", "(должность руководителя)"), ("", "(подпись)"),
                      ("", "(инициалы, фамилия)")]


def blank_application_head(t: Template, number: int) -> None:
    """To whom (pre-filled from a workbook), from whom (lines), «ЗАЯВКА»."""
    t.tag("{%p if filled %}")
    t.stamp(f"Приложение № {number}", "к положению о {{ title.pre }}", space_after=18)
    t.stamp("{{ service_head_title.dat }}", "{{ service_head.dat.initials }}", space_after=0)
    t.tag("{%p else %}")
    t.stamp(f"Приложение № {number}", space_after=0)
    t.fill_line(indent=STAMP_INDENT_CM, hint="(должность, наименование организации)")
    t.fill_line(indent=STAMP_INDENT_CM, space_before=STAMP_GAP, hint="(инициалы, фамилия)")
    t.tag("{%p endif %}")
    t.fill_line("от ", indent=STAMP_INDENT_CM, space_before=STAMP_GAP,
                hint="(должность руководителя)")
    t.fill_line(indent=STAMP_INDENT_CM, space_before=STAMP_GAP,
                hint="(наименование образовательного учреждения)")
    t.fill_line(indent=STAMP_INDENT_CM, space_before=STAMP_GAP, hint="(инициалы, фамилия)")
    t.p("ЗАЯВКА", TITLE, space_before=14)
    t.tag("{%p if filled %}")
    t.title("на включение в состав {{ title.gen }}", space_after=8)
    t.tag("{%p else %}")
    t.title("на включение в состав объединения педагогических работников", space_after=8)
    t.tag("{%p endif %}")


def blank_application_group(t: Template) -> None:
    """«в состав участников … по теме … на период …»: printed from a workbook, else lines."""
    t.tag("{%p if filled %}")
    t.p("в состав участников {{ title.gen }} по теме «{{ group.theme }}» на период "
        "{{ group.period_text }}", PLAIN, align="justify", space_before=6)
    t.tag("{%p else %}")
    t.fill_line("в состав участников ", hint="(вид и название объединения)")
    t.fill_line("по теме ")
    t.fill_line()
    t.p(f"на период с {DATE_LINE} по {DATE_LINE}", PLAIN, space_before=LINE_GAP)
    t.tag("{%p endif %}")


def blank_application_tail(t: Template) -> None:
    t.fill_signature(ORG_HEAD_SIGNATURE, space_before=20, keep_next=True)
    t.date_number("М.П.", "{% if filled %}«____»____________{{ group.start.year }} г."
                          f"{{% else %}}{DATE_LINE}{{% endif %}}")


def blank_application_member() -> Template:
    t = Template("Бланк заявки на педагогического работника")
    blank_application_head(t, 1)
    t.fill_line("Прошу включить ", first_indent=1.25, space_before=0,
                hint="(фамилия, имя, отчество)")
    t.fill_line(hint="(должность, наименование образовательного учреждения)")
    blank_application_group(t)
    t.p("Сведения о педагогическом работнике:", PLAIN, space_before=12, space_after=6)
    t.fields([("Квалификационная категория", ""), ("Педагогический стаж", ""),
              ("Телефон", ""), ("Электронная почта", "")], row_height=0.8)
    blank_application_tail(t)
    return t


def blank_application_org() -> Template:
    t = Template("Бланк заявки на образовательное учреждение")
    blank_application_head(t, 2)
    t.fill_line("Прошу включить ", first_indent=1.25, space_before=0,
                hint="(полное наименование образовательного учреждения)")
    t.fill_line()
    blank_application_group(t)
    t.p("Педагогические работники, участвующие в работе "
        "{% if filled %}{{ kind.short_gen }}{% else %}объединения{% endif %}:", PLAIN,
        space_before=12, space_after=6)
    t.table(["№ п/п", "Фамилия, имя, отчество", "Должность", "Категория"],
            ["{{ n }}", "", "", ""], "n in rows", [1.2, 6.0, 5.8, 4.0], row_height=0.8)
    t.fill_line("Контактные данные: ", hint="(адрес, телефон, электронная почта)")
    blank_application_tail(t)
    return t


def blank_registration() -> Template:
    t = Template("Лист регистрации")
    t.title("ЛИСТ РЕГИСТРАЦИИ", space_after=0)
    t.fill_line("участников ", hint="(вид мероприятия: заседание, семинар, мастер-класс и т. п.)")
    t.tag("{%p if filled %}")
    t.p("{{ title.gen }}", PLAIN, align="center", space_before=6)
    t.tag("{%p else %}")
    t.fill_line(hint="(вид и название объединения)")
    t.tag("{%p endif %}")
    t.fill_line("Тема: ")
    t.fill_line()
    t.p(f"Дата проведения: {DATE_LINE}", PLAIN, space_before=LINE_GAP)
    t.fill_line("Место проведения: ")
    t.blank()
    t.table(["№ п/п", "Фамилия, имя, отчество", "Организация", "Должность", "Подпись"],
            ["{{ n }}", "", "", "", ""], "n in rows", [1.2, 5.6, 4.2, 3.6, 2.4],
            row_height=0.9)
    t.fill_signature([("Ответственный за регистрацию", ""), ("", "(подпись)"),
                      ("", "(инициалы, фамилия)")])
    return t


def blank_protocol_signature(t: Template, role: str, person: str, space_before: float,
                             keep_next: bool = False) -> None:
    """A chair's or secretary's signature: the name printed from a workbook, else a line."""
    t.tag(f"{{%p if filled and {person} %}}")
    t.fill_signature([(role, ""), ("", "(подпись)"), (f"{{{{ {person}.initials }}}}", "")],
                     space_before=space_before, keep_next=keep_next)
    t.tag("{%p else %}")
    t.fill_signature([(role, ""), ("", "(подпись)"), ("", "(инициалы, фамилия)")],
                     space_before=space_before, keep_next=keep_next)
    t.tag("{%p endif %}")


def blank_protocol_person(t: Template, role: str, person: str) -> None:
    t.tag(f"{{%p if filled and {person} %}}")
    t.p(f"{role} – {{{{ {person}.initials }}}}", PLAIN, space_before=LINE_GAP)
    t.tag("{%p else %}")
    t.fill_line(f"{role} – ", hint="(инициалы, фамилия)")
    t.tag("{%p endif %}")


def blank_protocol() -> Template:
    t = Template("Бланк протокола заседания")
    t.tag("{%p if filled %}")
    t.p("{{ title.nom|capfirst }}", PLAIN, align="center", bold=True)
    t.tag("{%p else %}")
    t.fill_line(space_before=0, hint="(вид и название объединения)")
    t.tag("{%p endif %}")
    t.p("ПРОТОКОЛ", PLAIN, align="center", bold=True, size=16, space_before=12,
        space_after=12)
    t.date_number(DATE_LINE, "№ ________")
    t.tag("{%p if filled and group.locality %}")
    t.p("{{ group.locality }}", PLAIN, align="center", space_before=6)
    t.tag("{%p else %}")
    t.p("_" * 30, PLAIN, align="center", space_before=LINE_GAP)
    t.hint("(место проведения)")
    t.tag("{%p endif %}")
    t.p("Заседание {% if filled %}{{ kind.short_gen }}{% else %}объединения{% endif %}",
        PLAIN, align="center", bold=True, space_before=12)
    t.fill_line("Тема: ")
    t.fill_line()
    blank_protocol_person(t, "Председатель", "chair")
    blank_protocol_person(t, "Секретарь", "secretary")
    t.p("Присутствовали: ________ чел. (лист регистрации прилагается).", PLAIN,
        space_before=LINE_GAP)
    t.fill_line("Приглашённые: ")
    t.fill_line()
    t.p("ПОВЕСТКА ДНЯ:", PLAIN, bold=True, space_before=12, keep_next=True)
    t.tag("{%p for q in rows %}")
    t.fill_line("{{ q }}. ")
    t.fill_line()
    t.tag("{%p endfor %}")
    t.tag("{%p for q in rows %}")
    t.p("{{ q }}. СЛУШАЛИ:", PLAIN, bold=True, space_before=12, keep_next=True)
    t.fill_lines(3)
    t.p("ВЫСТУПИЛИ:", PLAIN, bold=True, space_before=6, keep_next=True)
    t.fill_lines(2)
    t.p("РЕШИЛИ:", PLAIN, bold=True, space_before=6, keep_next=True)
    t.fill_lines(2)
    t.tag("{%p endfor %}")
    blank_protocol_signature(t, "Председатель", "chair", 24, keep_next=True)
    blank_protocol_signature(t, "Секретарь", "secretary", 14)
    return t


def column_samples() -> dict[str, list[str]]:
    """What each table column will hold: dropdown values and the example workbooks' texts.

    The tables' columns are widened so that the longest of these words fits
    (``layout.Template.table``); a new column's cell expression goes here.
    """
    import datetime as dt

    from data.examples import EXAMPLES
    from docgen.language.russian import date_numeric
    from docgen.workbook.schema import CATEGORIES, ROLES, SHEETS_BY_KEY

    def column(sheet: str, header: str) -> list[str]:
        values = []
        for workbook in EXAMPLES.values():
            for row in workbook.get(sheet, []):
                value = row.get(header)
                if isinstance(value, dt.date):
                    value = date_numeric(value)
                if value not in (None, ""):
                    values.append(str(value))
        return values

    def choices(key: str, name: str) -> tuple[str, ...]:
        return next(c for c in SHEETS_BY_KEY[key].columns if c.key == name).choices

    people = [" ".join(str(r.get(k) or "") for k in ("Фамилия", "Имя", "Отчество"))
              for wb in EXAMPLES.values() for r in wb.get("Участники", [])]
    orgs = column("Участники", "Организация") + column("Организации", "Краткое наименование")
    return {
        "{{ loop.index }}": ["99"], "{{ item.number }}": ["99"], "{{ m.number }}": ["99"],
        "{{ r.number }}": ["999"],
        "{{ m.full }}": people,
        "{{ m.position }}": column("Участники", "Должность"),
        "{{ m.organization }}": orgs,
        "{{ m.organization|cellname }}": orgs,
        "{{ m.role }}": list(ROLES),
        # the registration sheets: a glued short name («МАОУ «Лицей № 41»») fits its column
        "{{ r.name }}": people,
        "{{ r.position }}": column("Участники", "Должность"),
        "{{ r.organization }}": orgs,
        "{{ m.category or '' }}": list(CATEGORIES),
        "{{ item.activity }}": column("План", "Мероприятие"),
        "{{ item.form }}": [*choices("plan", "form"), *column("План", "Форма")],
        "{{ item.term }}": column("План", "Срок") + column("Техническое задание", "Срок"),
        "{{ item.responsible }}": column("План", "Ответственный"),
        "{{ item.result }}": column("План", "Результат"),
        "{{ item.task }}": column("Техническое задание", "Задача"),
        "{{ item.works }}": column("Техническое задание", "Содержание работ"),
        "{{ item.product }}": column("Техническое задание", "Продукт"),
        "{{ item.indicator }}": column("Техническое задание", "Показатель"),
        "{{ m.topic }}": column("Заседания", "Тема"),
        "{{ m.attended_text }}": ["не проведено", "12 человек"],
        "{{ row.name }}": orgs + list(CATEGORIES),
        "{{ row.count }}": ["12"],
        "{{ e.name }}": column("Мероприятия", "Название"),
        "{{ e.form }}": [*choices("events", "form"), *column("Мероприятия", "Форма")],
        "{{ e.participants_number }}": ["120"],
        "{{ p.name }}": column("Продукты", "Наименование"),
        "{{ p.kind }}": [*choices("products", "kind"), *column("Продукты", "Вид")],
        "{{ p.authors }}": column("Продукты", "Авторы"),
        "{{ p.where }}": column("Продукты", "Где представлен"),
    }


def all_templates() -> dict[str, Template]:
    """Every built-in template by its file name (without «.docx»)."""
    layout.SAMPLES.update(column_samples())
    templates = {
        "order_open": order_open(),
        "order_head": order_head(),
        "order_members": order_members(),
        "plan": plan(),
        "protocol": protocol(),
        "application_member": application_member(),
        "application_org": application_org(),
        "tech_task": tech_task(),
        "event_report": event_report(),
        "annual_report": annual_report(),
        "blank_application_member": blank_application_member(),
        "blank_application_org": blank_application_org(),
        "blank_registration": blank_registration(),
        "blank_protocol": blank_protocol(),
    }
    for kind, sections in REGULATIONS.items():
        name = "regulation" if kind == "default" else f"regulation_{kind}"
        templates[name] = regulation(sections, kind)
    return templates


def main() -> None:
    for name, template in all_templates().items():
        template.save(OUT / f"{name}.docx")
        print(f"{name}.docx")


if __name__ == "__main__":
    main()
