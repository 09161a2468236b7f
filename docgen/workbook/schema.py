"""The workbook contract, written once.

Sheet names, headers, value types, dropdown lists and hints live here and only
here: the reader matches against them, ``docgen init`` writes the blank workbook
from them and the README's table of fields follows them. Header and sheet names
are the clerks' public interface (see shared/spec/workbook.md), so change them
only by adding aliases.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from docgen.text import norm


class T(str, enum.Enum):
    """Value types a cell can hold; the reader converts each to a Python value."""

    TEXT = "text"  # str, whitespace folded
    LINES = "lines"  # list[str], one item per line (Alt+Enter)
    INT = "int"  # int, also typed as text
    DATE = "date"  # datetime.date from a real date, a serial number or ДД.ММ.ГГГГ
    TIME = "time"  # str «15:00» or «15:00–16:30»
    TERM = "term"  # datetime.date or free text such as «октябрь 2025», «в течение года»
    CHOICE = "choice"  # one of ``choices`` (aliases accepted), canonical str
    KIND = "kind"  # the name of a kind profile, canonical str
    YEAR = "year"  # academic year, canonical «2025/2026»
    NAME = "name"  # a person's name part or full name: Cyrillic only
    PHONE = "phone"  # str, format checked with a warning
    EMAIL = "email"  # str, format checked with a warning
    FILES = "files"  # list[str]: file or folder names, one a line or separated by «;»


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one field of the «Группа» sheet."""

    key: str
    header: str
    type: T = T.TEXT
    required: bool = False
    hint: str = ""
    width: int = 18
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # value alias -> canonical
    header_aliases: tuple[str, ...] = ()
    recommended: bool = False  # «Группа» fields: empty gives a warning (a gap in documents)
    strict_choices: bool = True  # False: the dropdown only suggests, any text is accepted


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: a list of fields («Группа») or a table."""

    key: str
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    fields: bool = False  # True: column A «Поле», column B «Значение»
    hint: str = ""
    aliases: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


GENDERS = ("м", "ж")
CATEGORIES = ("высшая", "первая", "соответствие занимаемой должности", "без категории")
# The мастерская наставничества is led by its методический совет (seed 003, 4.2): its chair
# and members are marked on «Участники» like any other role.
COUNCIL_ROLES = ("председатель методического совета", "член методического совета")
ROLES = ("руководитель", "куратор", *COUNCIL_ROLES, "секретарь", "участник")
HEAD_ROLES = ("руководитель", "куратор", COUNCIL_ROLES[0])
MEETING_FORMS = ("очно", "дистанционно")
DIRECTIONS = ("творческая", "рабочая", "экспертная", "проектная")
LEVELS = ("общее", "дошкольное", "дополнительное")
ACTIVITY_FORMS = (
    "заседание",
    "семинар",
    "семинар-практикум",
    "круглый стол",
    "мастер-класс",
    "консультация",
    "открытый урок",
    "взаимопосещение занятий",
    "конференция",
    "вебинар",
    "творческая мастерская",
)
DONE_MARKS = ("выполнено", "частично выполнено", "не выполнено", "перенесено")
PARTICIPANT_CATEGORIES = ("педагоги", "обучающиеся", "родители")

DATE_HINT = "дата в виде ДД.ММ.ГГГГ, например 15.09.2025"

GROUP = Sheet(
    key="group",
    name="Группа",
    fields=True,
    required=True,
    hint="Сведения о группе: одно поле в строке, значение в столбце B.",
    columns=(
        Column("kind", "Вид объединения", T.KIND, required=True,
               hint="Выберите из списка: от вида зависят правила и набор документов."),
        Column("direction", "Направление", T.CHOICE, choices=DIRECTIONS,
               aliases={"творческое": "творческая", "рабочее": "рабочая",
                        "экспертное": "экспертная", "проектное": "проектная"},
               hint="Только для профессиональной группы: творческая, рабочая, "
                    "экспертная или проектная."),
        Column("level", "Уровень образования", T.CHOICE, choices=LEVELS,
               aliases={"общее образование": "общее", "дошкольное образование": "дошкольное",
                        "дополнительное образование": "дополнительное",
                        "доу": "дошкольное"},
               hint="Для профессиональной группы: у дошкольных групп заседания "
                    "ежеквартально, у остальных — каждую четверть. По умолчанию «общее»."),
        Column("name", "Название", required=True, hint="Например: «Цифровая школа»."),
        Column("theme", "Тема", required=True,
               hint="Проблема (тема), над которой работает группа."),
        Column("goal", "Цель", recommended=True, hint="Один абзац."),
        Column("tasks", "Задачи", T.LINES, recommended=True,
               hint="Каждая задача с новой строки (Alt+Enter внутри ячейки)."),
        Column("expected_result", "Ожидаемый результат", recommended=True,
               hint="Продукт, который группа должна создать."),
        Column("year", "Учебный год", T.YEAR, required=True, hint="Например: 2025/2026."),
        Column("start", "Дата начала", T.DATE,
               hint="По умолчанию 01.09 учебного года."),
        Column("end", "Дата окончания", T.DATE,
               hint="По умолчанию 31.05 учебного года."),
        Column("authority", "Орган управления образованием", recommended=True,
               hint="Например: «Управление образования Администрации города Ижевска»."),
        Column("authority_head", "Руководитель органа управления образованием", T.NAME,
               hint="Фамилия Имя Отчество полностью, например: «Сафина Гульнара Рашидовна». "
                    "Обязательно для видов, чьи приказы издаёт орган управления образованием "
                    "(профессиональная группа, ГМО)."),
        Column("authority_head_position", "Должность руководителя органа управления образованием",
               hint="Например: «Начальник Департамента образования». Обязательно вместе с "
                    "руководителем органа управления образованием."),
        Column("service", "Методическая служба", required=True,
               hint="Учреждение, открывающее группу, например: «МАУ ИМЦ «Альтернатива»»."),
        Column("service_head", "Руководитель методической службы", T.NAME, required=True,
               hint="Фамилия Имя Отчество полностью, например: «Давыдова Светлана "
                    "Михайловна»."),
        Column("service_head_position", "Должность руководителя методической службы",
               required=True, hint="Например: «Директор»."),
        Column("service_full", "Полное наименование методической службы",
               hint="Например: «Муниципальное автономное учреждение «Информационно-методический "
                    "центр «Альтернатива»». Печатается в бланке приказа, краткое — в скобках."),
        Column("locality", "Населённый пункт", recommended=True,
               hint="Например: «г. Ижевск»."),
        Column("base_org", "Базовая организация",
               hint="Краткое наименование школы, на базе которой работает группа "
                    "(как на листе «Организации»)."),
        Column("order_number", "Номер приказа", required=True,
               hint="Номер приказа об открытии группы, например: «24-3»."),
        Column("order_date", "Дата приказа", T.DATE, required=True, hint=DATE_HINT + "."),
        Column("head_order_number", "Номер приказа о назначении руководителя",
               header_aliases=("Номер приказа о назначении куратора",),
               hint="Номер отдельного приказа о назначении руководителя (куратора). Пусто — "
                    "в приказе останутся пустые места для номера и даты, их впишут от руки."),
        Column("head_order_date", "Дата приказа о назначении руководителя", T.DATE,
               header_aliases=("Дата приказа о назначении куратора",),
               hint=DATE_HINT + ". Пусто — дата вписывается в приказ от руки."),
        Column("regulation_order_number", "Номер приказа об утверждении положения",
               hint="Если положение о таких группах уже утверждено раньше (например, приказом "
                    "от 12.02.2020 № 109): приказ о создании сошлётся на него, а не утвердит "
                    "новое. Пусто — положение утверждается приказом о создании."),
        Column("regulation_order_date", "Дата приказа об утверждении положения", T.DATE,
               hint=DATE_HINT + "; вместе с номером приказа об утверждении положения."),
        Column("plan_order_number", "Номер приказа об утверждении плана",
               hint="Для видов, чей план утверждается приказом (профессиональная группа). "
                    "Пусто — в грифе плана останутся места для номера и даты."),
        Column("plan_order_date", "Дата приказа об утверждении плана", T.DATE,
               hint=DATE_HINT + "; вместе с номером приказа об утверждении плана."),
        Column("problems", "Проблемы", hint="Для отчёта за год: что мешало работе."),
        Column("proposals", "Предложения", hint="Для отчёта за год: что предлагается."),
        Column("service_conclusions", "Выводы методической службы",
               hint="Для сводного отчёта методической службы за год: выводы и задачи "
                    "службы. Достаточно заполнить в книге одной группы службы; одинаковые "
                    "тексты разных книг печатаются один раз. Пусто — в отчёте останутся "
                    "строки, чтобы вписать выводы от руки."),
        Column("curator", "Куратор от методической службы", T.NAME,
               hint="Для мастерской наставничества: заведующий по организационно-методической "
                    "работе, который курирует мастерскую (Фамилия Имя Отчество). Согласует "
                    "план и анализ деятельности; пусто — строки согласования не будет."),
        Column("regulation_adopted", "Положение принято на заседании",
               hint="Если положение рассматривал совет: кто и когда, например «методического "
                    "совета МКУ ИМЦ, протокол от 28.08.2025 № 1». Печатается в грифе "
                    "«ПРИНЯТО» над «УТВЕРЖДЕНО»; пусто — грифа не будет."),
        Column("executor", "Исполнитель приказов",
               hint="Кто готовил приказы: Фамилия И.О. или полностью; печатается внизу "
                    "приказа. Пусто — строки «Исп.» не будет."),
        Column("executor_phone", "Телефон исполнителя", T.PHONE,
               hint="Печатается под именем исполнителя."),
    ),
)

MEMBERS = Sheet(
    key="members",
    name="Участники",
    required=True,
    hint="Один участник в строке. Ровно один руководитель (у ГМО — куратор).",
    columns=(
        Column("last_name", "Фамилия", T.NAME, required=True, width=18),
        Column("first_name", "Имя", T.NAME, required=True, width=14),
        Column("patronymic", "Отчество", T.NAME, width=18,
               hint="Если отчества нет, оставьте пустым."),
        Column("gender", "Пол", T.CHOICE, choices=GENDERS, width=6,
               aliases={"муж": "м", "мужской": "м", "жен": "ж", "женский": "ж"},
               hint="м или ж. Если не указан, определяется по имени и отчеству."),
        Column("position", "Должность", required=True, width=24,
               hint="Например: «учитель математики»."),
        Column("organization", "Организация", required=True, width=22,
               hint="Краткое наименование, как на листе «Организации»."),
        Column("category", "Квалификационная категория", T.CHOICE, choices=CATEGORIES,
               width=22, header_aliases=("Категория",),
               aliases={"высшая категория": "высшая", "вкк": "высшая",
                        "первая категория": "первая", "1 категория": "первая",
                        "1": "первая", "сзд": "соответствие занимаемой должности",
                        "соответствие": "соответствие занимаемой должности",
                        "нет": "без категории", "б/к": "без категории"}),
        Column("experience", "Стаж", T.INT, width=8, header_aliases=("Стаж, лет", "Стаж (лет)"),
               hint="Стаж работы по специальности, полных лет."),
        Column("role", "Роль", T.CHOICE, choices=ROLES, width=14,
               aliases={"председатель": "руководитель", "член группы": "участник",
                        "член": "участник", "председатель совета": COUNCIL_ROLES[0],
                        "председатель методсовета": COUNCIL_ROLES[0],
                        "член совета": COUNCIL_ROLES[1], "член методсовета": COUNCIL_ROLES[1]},
               hint="руководитель (у ГМО — куратор), секретарь или участник. У мастерской "
                    "наставничества руководство — методический совет: «председатель "
                    "методического совета» и «член методического совета». Пусто — участник."),
        Column("phone", "Телефон", T.PHONE, width=18),
        Column("email", "Эл. почта", T.EMAIL, width=24,
               header_aliases=("Электронная почта", "E-mail", "Email", "Эл.почта")),
        Column("joined", "Дата включения", T.DATE, width=14,
               hint=DATE_HINT + ". Пусто — участник входит в состав с создания группы. "
                    "Позже даты приказа о создании (и начала работы) — участник "
                    "включается приказом о внесении изменений в состав."),
        Column("left", "Дата выбытия", T.DATE, width=14,
               header_aliases=("Дата исключения",),
               hint=DATE_HINT + ": с этого дня участник не входит в состав; его "
                    "исключает приказ о внесении изменений в состав. Пусто — в составе "
                    "весь год."),
        Column("join_order_number", "Номер приказа о включении", width=12,
               hint="Для участника, включённого позже приказа о создании: номер приказа о "
                    "внесении изменений в состав. Пусто — место для номера впишут от руки."),
        Column("join_order_date", "Дата приказа о включении", T.DATE, width=14,
               hint=DATE_HINT + "; не раньше даты включения. Пусто — дата вписывается "
                    "от руки."),
        Column("leave_order_number", "Номер приказа о выбытии", width=12,
               hint="Для выбывшего участника: номер приказа о внесении изменений в состав. "
                    "Пусто — место для номера впишут от руки."),
        Column("leave_order_date", "Дата приказа о выбытии", T.DATE, width=14,
               hint=DATE_HINT + "; не раньше даты выбытия. Пусто — дата вписывается "
                    "от руки."),
    ),
)

ORGANIZATIONS = Sheet(
    key="organizations",
    name="Организации",
    hint="Одна образовательная организация в строке.",
    columns=(
        Column("short_name", "Краткое наименование", required=True, width=24,
               hint="Как в столбце «Организация» на листе «Участники»."),
        Column("full_name", "Полное наименование", required=True, width=48),
        Column("head", "Руководитель (ФИО)", T.NAME, width=28,
               header_aliases=("Руководитель",), hint="Фамилия Имя Отчество полностью."),
        Column("head_position", "Должность руководителя", width=18,
               hint="Например: «Директор», «Заведующий»."),
        Column("address", "Адрес", width=36),
        Column("phone", "Телефон", T.PHONE, width=18),
        Column("email", "Эл. почта", T.EMAIL, width=24,
               header_aliases=("Электронная почта", "E-mail", "Email", "Эл.почта")),
    ),
)

NUMBER_ALIASES = ("Номер", "№ п/п", "N", "No")

MEETINGS = Sheet(
    key="meetings",
    name="Заседания",
    required=True,
    hint="Одно заседание в строке, номера по порядку дат.",
    columns=(
        Column("number", "№", T.INT, required=True, width=6, header_aliases=NUMBER_ALIASES),
        Column("date", "Дата", T.DATE, required=True, width=12, hint=DATE_HINT + "."),
        Column("time", "Время", T.TIME, width=10, hint="Например: 15:00."),
        Column("place", "Место", width=30),
        Column("form", "Форма", T.CHOICE, choices=MEETING_FORMS, width=14,
               aliases={"очная": "очно", "дистанционная": "дистанционно",
                        "онлайн": "дистанционно", "онлайн-встреча": "дистанционно"},
               hint="очно или дистанционно. Пусто — очно."),
        Column("topic", "Тема", required=True, width=40),
        Column("attended", "Присутствовало", T.INT, width=14,
               header_aliases=("Присутствовали",),
               hint="Сколько человек присутствовало; пусто — заседание ещё не проведено."),
        Column("absent", "Отсутствовали", width=24,
               hint="Фамилии отсутствовавших участников через запятую; по ним протокол "
                    "перечисляет присутствовавших."),
        Column("invited", "Приглашённые", width=30),
    ),
)

AGENDA = Sheet(
    key="agenda",
    name="Повестка",
    hint="Один вопрос повестки в строке: для протоколов заседаний.",
    columns=(
        Column("meeting", "№ заседания", T.INT, required=True, width=10,
               hint="Номер заседания с листа «Заседания»."),
        Column("number", "№ вопроса", T.INT, required=True, width=10),
        Column("question", "Вопрос", required=True, width=40),
        Column("speaker", "Слушали", width=26, hint="Докладчик: Фамилия Имя Отчество."),
        Column("content", "Содержание", width=40, hint="Кратко: о чём говорил докладчик."),
        Column("speakers", "Выступили", width=30),
        Column("decision", "Решили", width=40),
    ),
)

PLAN = Sheet(
    key="plan",
    name="План",
    hint="План работы (дорожная карта): одно мероприятие в строке.",
    columns=(
        Column("number", "№", T.INT, width=6, header_aliases=NUMBER_ALIASES),
        Column("activity", "Мероприятие", required=True, width=40),
        Column("form", "Форма", T.CHOICE, choices=ACTIVITY_FORMS, strict_choices=False,
               width=20, hint="Выберите из списка или впишите свою."),
        Column("term", "Срок", T.TERM, required=True, width=18,
               hint="Дата, месяц («октябрь 2025») или «в течение года»."),
        Column("responsible", "Ответственный", width=24),
        Column("result", "Результат", width=30),
        Column("done", "Отметка о выполнении", T.CHOICE, choices=DONE_MARKS,
               strict_choices=False, width=18,
               aliases={"да": "выполнено", "нет": "не выполнено", "+": "выполнено",
                        "-": "не выполнено", "выполнен": "выполнено"}),
    ),
)

EVENTS = Sheet(
    key="events",
    name="Мероприятия",
    hint="Сетевые события для отчётов: одно событие в строке.",
    columns=(
        Column("number", "№", T.INT, width=6, header_aliases=NUMBER_ALIASES),
        Column("name", "Название", required=True, width=36),
        Column("date", "Дата", T.DATE, required=True, width=12, hint=DATE_HINT + "."),
        Column("form", "Форма", T.CHOICE, choices=ACTIVITY_FORMS, strict_choices=False,
               width=18),
        Column("goal", "Цель", width=36),
        Column("audience", "Целевая аудитория", width=26),
        Column("participants", "Участников", T.INT, width=12,
               header_aliases=("Количество участников", "Число участников")),
        Column("responsible", "Ответственный", width=24),
        Column("link", "Ссылка на материалы", width=30),
        Column("program", "Программа", T.LINES, width=40,
               hint="Краткая программа события: один пункт в строке (Alt+Enter)."),
        Column("category", "Категория участников", T.CHOICE, choices=PARTICIPANT_CATEGORIES,
               width=16, header_aliases=("Категория",),
               aliases={"учителя": "педагоги", "педагог": "педагоги",
                        "педагогические работники": "педагоги", "ученики": "обучающиеся",
                        "учащиеся": "обучающиеся", "школьники": "обучающиеся",
                        "дети": "обучающиеся", "обучающийся": "обучающиеся",
                        "родитель": "родители",
                        "родители (законные представители)": "родители"},
               hint="педагоги, обучающиеся или родители: от этого зависят столбцы листа "
                    "регистрации (у обучающихся — «Класс»). Пусто — педагоги."),
        Column("photos", "Фото", T.FILES, width=30,
               header_aliases=("Фотографии", "Фотоотчёт", "Снимки экрана"),
               hint="Фото или снимки экрана (JPEG, PNG) для отчёта: имена файлов, каждое с "
                    "новой строки или через «;», или имя папки с ними. Файлы кладут в папку "
                    "книги или её подпапку, например «фото/семинар 1.jpg»."),
    ),
)

TECH_TASK = Sheet(
    key="tech_task",
    name="Техническое задание",
    hint="Техническое задание (для ГМО обязательно): одна задача в строке.",
    columns=(
        Column("number", "№", T.INT, width=6, header_aliases=NUMBER_ALIASES),
        Column("task", "Задача", required=True, width=36),
        Column("works", "Содержание работ", width=40),
        Column("product", "Продукт", width=28),
        Column("term", "Срок", T.TERM, width=16),
        Column("indicator", "Показатель", width=28),
        Column("reached", "Достигнуто", width=28,
               hint="Для отчёта за год: чего достигли по показателю, например: «82 % "
                    "участников используют конструктор». Пусто — в отчёте останется место, "
                    "чтобы вписать от руки."),
    ),
)

PRODUCTS = Sheet(
    key="products",
    name="Продукты",
    hint="Методические продукты учебного года: один продукт в строке.",
    columns=(
        Column("number", "№", T.INT, width=6, header_aliases=NUMBER_ALIASES),
        Column("name", "Наименование", required=True, width=40),
        Column("kind", "Вид", T.CHOICE, strict_choices=False, width=24,
               choices=("методические рекомендации", "программа", "публикация",
                        "методическое пособие", "сборник материалов", "дидактические материалы",
                        "цифровой образовательный ресурс")),
        Column("authors", "Авторы", width=30),
        Column("where", "Где представлен", width=36),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    GROUP, MEMBERS, ORGANIZATIONS, MEETINGS, AGENDA, PLAN, EVENTS, TECH_TASK, PRODUCTS,
)
SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}


def sheet_for_name(name: str) -> Sheet | None:
    """The contract's sheet whose name (or alias) matches ``name`` loosely."""
    wanted = norm(name)
    for sheet in SHEETS:
        if wanted == norm(sheet.name) or wanted in (norm(a) for a in sheet.aliases):
            return sheet
    return None


_HEADERS: dict[str, dict[str, Column]] = {}


def column_for_header(sheet: Sheet, header: object) -> Column | None:
    """The column of ``sheet`` whose header (or alias) matches ``header`` loosely."""
    if header is None:
        return None
    index = _HEADERS.get(sheet.key)
    if index is None:  # built once per sheet: headers are looked up for every cell of row 1
        index = {}
        for col in sheet.columns:
            for name in (col.header, *col.header_aliases):
                index.setdefault(norm(name), col)
        _HEADERS[sheet.key] = index
    return index.get(norm(header))
