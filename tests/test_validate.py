"""Every validation rule, each with a workbook that breaks it: message and cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import member

from docgen.errors import Problem
from docgen.main import check_workbook

D = dt.date


def problems_of(path: Path) -> list[Problem]:
    result = check_workbook(path)
    assert result.error is None, result.error
    return result.problems


def find(problems: list[Problem], text: str) -> Problem:
    found = [p for p in problems if text in p.message]
    assert found, f"no problem with {text!r} in:\n" + "\n".join(map(str, problems))
    return found[0]


def test_base_workbook_is_valid(content: dict, make_workbook: Callable[..., Path]) -> None:
    result = check_workbook(make_workbook(content))
    assert result.ok, "\n".join(map(str, result.problems))
    group = result.group
    assert group is not None
    assert group.kind.id == "tvorcheskaya"
    assert group.head.last_name == "Кутейкина"
    assert group.secretary is not None and group.secretary.last_name == "Шевченко"
    assert group.start == D(2025, 9, 1) and group.end == D(2026, 5, 31)
    assert group.tasks == ("Изучить опыт.", "Разработать рекомендации.")
    assert [m.number for m in group.meetings] == [1, 2, 3, 4, 5]
    assert group.meetings[0].agenda[0].question == "Рассмотрение плана"


def set_field(name: str, value: Any) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        c["Группа"][name] = value
    return change


def set_cell(sheet: str, index: int, header: str, value: Any) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        c[sheet][index][header] = value
    return change


def joined_after_the_year(c: dict) -> None:
    """A joining date a year late: the member is in no meeting, so none counts them."""
    c["Участники"][3]["Дата включения"] = D(2027, 1, 10)
    for meeting in c["Заседания"]:
        meeting["Присутствовало"] = 3


def add_row(sheet: str, row: dict) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        c.setdefault(sheet, []).append(row)
    return change


def drop_rows(sheet: str, keep: int) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        c[sheet] = c[sheet][:keep]
    return change


def set_kind(kind: str, **fields: Any) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        c["Группа"]["Вид объединения"] = kind
        c["Группа"].update(fields)
    return change


def chain(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        for ch in changes:
            ch(c)
    return change


# (id, change, sheet, cell or None, text in message, is_error)
CASES = [
    ("required-field", set_field("Название", None), "Группа", "B5",
     "не заполнено обязательное поле «Название»", True),
    ("recommended-field", set_field("Цель", None), "Группа", "B7",
     "не заполнено поле «Цель»", False),
    ("unknown-kind", set_field("Вид объединения", "Кружок"), "Группа", "B2",
     "неизвестный вид объединения «Кружок»", True),
    ("bad-year", set_field("Учебный год", "2025/2027"), "Группа", "B10",
     "второй год должен быть следующим", True),
    ("year-not-a-year", set_field("Учебный год", "прошлый"), "Группа", "B10",
     "не учебный год", True),
    ("impossible-date", set_field("Дата приказа", "31.02.2025"), "Группа", "B23",
     "дата «31.02.2025» не существует", True),
    ("not-a-date", set_field("Дата приказа", "вчера"), "Группа", "B23",
     "«вчера» — не дата", True),
    ("start-outside-year", set_field("Дата начала", D(2025, 8, 1)), "Группа", "B11",
     "вне учебного года 2025/2026", True),
    ("end-before-start", chain(set_field("Дата начала", D(2026, 3, 1)),
                               set_field("Дата окончания", D(2026, 2, 1))),
     "Группа", "B12", "раньше даты начала", True),
    ("order-after-start", set_field("Дата приказа", D(2025, 9, 10)), "Группа", "B23",
     "издан позже начала работы", False),
    ("service-head-initials", set_field("Руководитель методической службы", "Давыдова"),
     "Группа", "B17", "укажите фамилию, имя и отчество полностью", True),
    ("service-head-with-initials", set_field("Руководитель методической службы",
                                             "Давыдова С.М."),
     "Группа", "B17", "укажите фамилию, имя и отчество полностью", True),
    ("latin-in-service-head", set_field("Руководитель методической службы",
                                        "Дaвыдова Светлана Михайловна"),
     "Группа", "B17", "2-я буква «a» — латинская", True),
    ("base-org-unknown", set_field("Базовая организация", "МБОУ СОШ № 33"), "Группа", "B21",
     "базовой организации «МБОУ СОШ № 33» нет", True),
    ("direction-for-other-kind", set_field("Направление", "рабочая"), "Группа", "B3",
     "только для профессиональной группы", False),
    ("member-required", set_cell("Участники", 2, "Должность", None), "Участники", "E4",
     "не заполнено обязательное поле «Должность»", True),
    ("latin-lookalike-surname", set_cell("Участники", 2, "Фамилия", "Лoбода"), "Участники",
     "A4", "в слове «Лoбода» 2-я буква «o» — латинская, похожая на русскую; замените её "
     "русской «о»", True),
    ("latin-capital-lookalike", set_cell("Участники", 3, "Имя", "Bиктор"), "Участники", "B5",
     "1-я буква «B» — латинская", True),
    ("latin-name", set_cell("Участники", 3, "Отчество", "Robertovich"), "Участники", "C5",
     "написано латиницей", True),
    ("digit-in-name", set_cell("Участники", 3, "Фамилия", "Цой2"), "Участники", "A5",
     "недопустимый знак «2»", True),
    ("same-person-twice", add_row("Участники", member("Цой", "Виктор", "Робертович")),
     "Участники", "A6", "уже указан в строке 5", True),
    ("bad-gender", set_cell("Участники", 3, "Пол", "муж.р"), "Участники", "D5",
     "не из списка", True),
    ("bad-category", set_cell("Участники", 3, "Квалификационная категория", "вторая"),
     "Участники", "G5", "«вторая» не из списка", True),
    ("experience-not-number", set_cell("Участники", 3, "Стаж", "много"), "Участники", "H5",
     "не целое число", True),
    ("bad-role", set_cell("Участники", 3, "Роль", "гость"), "Участники", "I5",
     "не из списка", True),
    ("no-head", set_cell("Участники", 0, "Роль", "участник"), "Участники", "I",
     "не указан руководитель", True),
    ("two-heads", set_cell("Участники", 3, "Роль", "руководитель"), "Участники", "I5",
     "руководитель должен быть один", True),
    ("wrong-head-title", set_cell("Участники", 0, "Роль", "куратор"), "Участники", "I2",
     "называют «руководитель», а не «куратор»", True),
    ("two-secretaries", set_cell("Участники", 3, "Роль", "секретарь"), "Участники", "I5",
     "секретарь должен быть один", True),
    ("no-secretary", set_cell("Участники", 1, "Роль", "участник"), "Участники", "I",
     "не указан секретарь", False),
    ("head-category", set_cell("Участники", 0, "Квалификационная категория",
                               "соответствие занимаемой должности"), "Участники", "G2",
     "должен иметь высшую или первую", True),
    ("member-org-unknown", set_cell("Участники", 3, "Организация", "МБОУ СОШ № 4"),
     "Участники", "F5", "организации «МБОУ СОШ № 4» нет на листе «Организации»", True),
    ("bad-phone", set_cell("Участники", 3, "Телефон", "12-34"), "Участники", "J5",
     "не похож на номер", False),
    ("bad-email", set_cell("Участники", 3, "Эл. почта", "tsoy.mail.ru"), "Участники", "K5",
     "записан неверно", False),
    ("bad-joined-date", set_cell("Участники", 3, "Дата включения", "32.09.2025"),
     "Участники", "L5", "не существует", True),
    ("org-twice", add_row("Организации", {"Краткое наименование": "МБОУ СОШ № 3",
                                          "Полное наименование": "Другая школа"}),
     "Организации", "A4", "уже указана в строке 2", True),
    ("org-full-name-required", set_cell("Организации", 1, "Полное наименование", None),
     "Организации", "B3", "не заполнено обязательное поле «Полное наименование»", True),
    ("meeting-outside-period", set_cell("Заседания", 4, "Дата", D(2026, 6, 15)),
     "Заседания", "B6", "вне периода работы группы 01.09.2025–31.05.2026", True),
    ("meeting-out-of-order", set_cell("Заседания", 1, "Дата", D(2026, 2, 1)), "Заседания",
     "B4", "заседание № 3 (22.01.2026) раньше заседания № 2 (01.02.2026)", True),
    ("meeting-number-twice", set_cell("Заседания", 2, "№", 2), "Заседания", "A4",
     "номер заседания 2 уже есть", True),
    ("meeting-number-gap", set_cell("Заседания", 4, "№", 7), "Заседания", "A2",
     "пропущены номера 5, 6", False),
    ("meeting-bad-time", set_cell("Заседания", 0, "Время", "в обед"), "Заседания", "C2",
     "не время", True),
    ("meeting-bad-form", set_cell("Заседания", 0, "Форма", "заочно"), "Заседания", "E2",
     "не из списка", True),
    ("meeting-topic-required", set_cell("Заседания", 0, "Тема", None), "Заседания", "F2",
     "обязательное поле «Тема»", True),
    ("attended-not-number", set_cell("Заседания", 0, "Присутствовало", "все"), "Заседания",
     "G2", "не целое число", True),
    ("attended-negative", set_cell("Заседания", 0, "Присутствовало", "-3"), "Заседания",
     "G2", "не может быть отрицательным", True),
    ("formula-error-value", set_cell("Заседания", 0, "Присутствовало", "#DIV/0!"),
     "Заседания", "G2", "формула даёт ошибку #DIV/0! (в русском Excel — #ДЕЛ/0!)", True),
    ("joined-other-year", joined_after_the_year,
     "Участники", "L5", "не относится к учебному году 2025/2026", False),
    ("org-head-latin", set_cell("Организации", 0, "Руководитель (ФИО)", "Орлова Hина Ивановна"),
     "Организации", "C2", "1-я буква «H» — латинская", True),
    ("agenda-question-required", set_cell("Повестка", 0, "Вопрос", None), "Повестка", "C2",
     "обязательное поле «Вопрос»", True),
    ("event-date-outside", add_row("Мероприятия", {"№": 1, "Название": "Семинар",
                                                   "Дата": D(2026, 8, 20)}),
     "Мероприятия", "C2", "вне периода работы группы", False),
    ("unknown-org-suggests-close", set_cell("Участники", 3, "Организация", "МБОУ СШ № 3"),
     "Участники", "F5", "возможно, имелась в виду «МБОУ СОШ № 3»", True),
    ("attended-too-many", set_cell("Заседания", 0, "Присутствовало", 40), "Заседания", "G2",
     "присутствовало 40, а на 18.09.2025 в составе 4 участника", True),
    ("too-few-meetings", drop_rows("Заседания", 3), "Заседания", None,
     "не реже четырёх раз в год, а запланировано 3 заседания; добавьте ещё 1 заседание", True),
    ("agenda-unknown-meeting", set_cell("Повестка", 0, "№ заседания", 9), "Повестка", "A2",
     "заседания № 9 нет", True),
    ("agenda-question-twice", add_row("Повестка", {"№ заседания": 1, "№ вопроса": 1,
                                                   "Вопрос": "Ещё раз"}),
     "Повестка", "B3", "вопрос № 1 заседания № 1 уже есть", True),
    ("plan-date-outside", set_cell("План", 0, "Срок", D(2026, 7, 1)), "План", "D2",
     "вне периода работы группы", False),
    ("plan-impossible-date", set_cell("План", 0, "Срок", "30.02.2026"), "План", "D2",
     "не существует", True),
    ("plan-empty", drop_rows("План", 0), "План", None, "«План работы» не будет", False),
]


@pytest.mark.parametrize(("change", "sheet", "cell", "text", "is_error"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(content: dict, make_workbook: Callable[..., Path], change: Callable[[dict], None],
              sheet: str, cell: str | None, text: str, is_error: bool) -> None:
    change(content)
    path = make_workbook(content)
    problem = find(problems_of(path), text)
    assert problem.location.file == "group.xlsx"
    assert problem.location.sheet == sheet
    assert problem.location.cell == cell
    assert problem.is_error is is_error
    result = check_workbook(path)
    assert (result.group is None) is is_error


# -------------------------------------------------------------------- kinds' own rules


def setevaya(c: dict) -> None:
    c["Группа"]["Вид объединения"] = "Творческая группа (сетевое взаимодействие)"


def authority_head(c: dict) -> None:
    """The head of the education authority, who signs the orders it issues."""
    c["Группа"]["Руководитель органа управления образованием"] = "Сафина Гульнара Рашидовна"
    c["Группа"]["Должность руководителя органа управления образованием"] = "Начальник"


def professional(c: dict) -> None:
    c["Группа"]["Вид объединения"] = "Профессиональная группа"
    c["Группа"]["Направление"] = "проектная"
    authority_head(c)
    c["Группа"]["Номер приказа об утверждении плана"] = "455"
    c["Группа"]["Дата приказа об утверждении плана"] = D(2025, 9, 25)  # after meeting 1


def gmo(c: dict) -> None:
    c["Группа"]["Вид объединения"] = "Городское методическое объединение"
    authority_head(c)
    c["Участники"][0]["Роль"] = "куратор"
    c["Техническое задание"] = [{"№": 1, "Задача": "Разработать дорожную карту"}]


def test_setevaya_needs_two_organizations(content: dict, make_workbook: Callable) -> None:
    setevaya(content)
    assert check_workbook(make_workbook(content)).ok
    for m in content["Участники"]:
        m["Организация"] = "МБОУ СОШ № 3"
    p = find(problems_of(make_workbook(content)),
             "не менее чем из 2 организаций, а указано 1 организация")
    assert (p.location.sheet, p.location.cell, p.is_error) == ("Участники", "F", True)


def test_professional_needs_direction(content: dict, make_workbook: Callable) -> None:
    professional(content)
    assert check_workbook(make_workbook(content)).ok
    content["Группа"]["Направление"] = None
    p = find(problems_of(make_workbook(content)), "укажите направление")
    assert (p.location.sheet, p.location.cell, p.is_error) == ("Группа", "B3", True)


def test_professional_meets_every_quarter(content: dict, make_workbook: Callable) -> None:
    professional(content)
    # move the November meeting to October: the II четверть (Nov–Dec) has none
    content["Заседания"][1]["Дата"] = D(2025, 10, 20)
    p = find(problems_of(make_workbook(content)), "«II четверть (ноябрь — декабрь)» нет")
    assert (p.location.sheet, p.location.cell, p.is_error) == ("Заседания", None, True)


def test_preschool_professional_meets_every_calendar_quarter(
        content: dict, make_workbook: Callable) -> None:
    professional(content)
    content["Группа"]["Уровень образования"] = "дошкольное"
    # September (III quarter) is covered; drop the only October–December meeting
    content["Заседания"][1]["Дата"] = D(2026, 1, 10)
    problems = problems_of(make_workbook(content))
    find(problems, "«IV квартал (октябрь — декабрь)» нет")
    assert not [p for p in problems if "четверть" in p.message]


def masterskaya(content: dict) -> None:
    """The мастерская: led by its методический совет (seed 003, 4.2), no appointment order."""
    content["Группа"]["Вид объединения"] = "Мастерская наставничества"
    for key in ("Номер приказа о назначении руководителя",
                "Дата приказа о назначении руководителя"):
        content["Группа"].pop(key, None)
    content["Группа"]["Куратор от методической службы"] = "Смирнова Галина Петровна"
    for row in content["Участники"]:
        if row.get("Роль") == "руководитель":
            row["Роль"] = "председатель методического совета"


def test_masterskaya_needs_three_meetings(content: dict, make_workbook: Callable) -> None:
    masterskaya(content)
    content["Заседания"] = content["Заседания"][:3]
    assert check_workbook(make_workbook(content)).ok
    content["Заседания"] = content["Заседания"][:2]
    find(problems_of(make_workbook(content)), "не реже трёх раз в год, а запланировано 2 заседания")


def test_gmo_valid_and_its_rules(content: dict, make_workbook: Callable) -> None:
    gmo(content)
    result = check_workbook(make_workbook(content))
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.group is not None and result.group.head.role == "куратор"


@pytest.mark.parametrize(("change", "sheet", "cell", "text"), [
    (set_cell("Участники", 0, "Квалификационная категория", "первая"), "Участники", "G2",
     "должен иметь высшую квалификационную категорию, а указана «первая»"),
    (set_cell("Участники", 0, "Стаж", 3), "Участники", "H2",
     "стаж куратора 3 года, а нужен не менее 5 лет"),
    (set_cell("Участники", 0, "Стаж", None), "Участники", "H2", "у куратора не указан стаж"),
    (set_cell("Участники", 0, "Роль", "руководитель"), "Участники", "I2",
     "называют «куратор», а не «руководитель»"),
    (set_field("Дата окончания", D(2026, 6, 30)), "Группа", "B12",
     "работает с 01.09.2025 по 31.05.2026; укажите 31.05.2026"),
    (set_field("Дата начала", D(2025, 10, 1)), "Группа", "B11", "укажите 01.09.2025"),
    (lambda c: c.pop("Техническое задание"), "Техническое задание", None,
     "лист не заполнен, а для вида «Городское методическое объединение» он обязателен"),
    (set_cell("Организации", 0, "Руководитель (ФИО)", None), "Организации", "C2",
     "заявки (приложения 1–2) подписывает руководитель организации"),
], ids=["curator-category", "curator-experience", "curator-no-experience", "curator-title",
        "fixed-end", "fixed-start", "tech-task-required", "org-head-for-applications"])
def test_gmo_rule(content: dict, make_workbook: Callable, change: Callable, sheet: str,
                  cell: str | None, text: str) -> None:
    gmo(content)
    change(content)
    p = find(problems_of(make_workbook(content)), text)
    assert (p.location.sheet, p.location.cell, p.is_error) == (sheet, cell, True)


def test_gmo_without_organizations_sheet(content: dict, make_workbook: Callable) -> None:
    from openpyxl import load_workbook

    gmo(content)
    path = make_workbook(content)
    wb = load_workbook(path)
    del wb["Организации"]
    wb.save(path)
    problems = problems_of(path)
    p = find(problems, "лист отсутствует, а для вида «Городское методическое объединение»")
    assert p.location.sheet == "Организации"
    # without the sheet, members' organisations cannot be checked against it
    assert not [q for q in problems if "нет на листе «Организации»" in q.message]


def test_all_problems_reported_at_once(content: dict, make_workbook: Callable) -> None:
    content["Группа"]["Дата приказа"] = "31.02.2025"
    content["Участники"][2]["Фамилия"] = "Лoбода"
    content["Заседания"][0]["Дата"] = D(2026, 7, 1)
    errors = [p for p in problems_of(make_workbook(content)) if p.is_error]
    assert {p.location.sheet for p in errors} == {"Группа", "Участники", "Заседания"}
    # grouped by sheet in the workbook's order
    assert [p.location.sheet for p in errors] == sorted(
        (p.location.sheet for p in errors), key=["Группа", "Участники", "Заседания"].index)


def test_problem_text_names_workbook_sheet_and_cell(content: dict,
                                                    make_workbook: Callable) -> None:
    content["Заседания"][5 - 4]["Дата"] = "31.02.2025"
    p = find(problems_of(make_workbook(content)), "не существует")
    # the meeting's date is the wrong value, so the meeting is named by its number alone
    assert str(p).startswith("group.xlsx, лист «Заседания», ячейка B3 (заседание № 2): "
                             "дата «31.02.2025» не существует")


def test_kind_by_alias(content: dict, make_workbook: Callable) -> None:
    gmo(content)
    content["Группа"]["Вид объединения"] = "гмо"
    result = check_workbook(make_workbook(content))
    assert result.ok and result.group is not None
    assert result.group.kind.name == "Городское методическое объединение"


def test_organization_spelling_variants_match(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Организация"] = "мбоу сош №3"
    content["Организации"][1]["Краткое наименование"] = "МАДОУ «ДС № 7»"
    content["Участники"][2]["Организация"] = 'МАДОУ "ДС №7"'
    result = check_workbook(make_workbook(content))
    assert result.ok, "\n".join(map(str, result.errors))


def test_member_without_role_is_participant(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Роль"] = None
    group = check_workbook(make_workbook(content)).group
    assert group is not None and group.members[3].role == "участник"


def test_group_finds_organization_of_member(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Организация"] = "мбоу сош №3"
    group = check_workbook(make_workbook(content)).group
    assert group is not None
    org = group.organization(group.members[3].organization)
    assert org is not None and org.head is not None and org.head.first_name == "Нина"


def test_absent_names_must_be_members(content: dict, make_workbook: Callable[..., Path]) -> None:
    content["Заседания"][1]["Присутствовало"] = 3
    content["Заседания"][1]["Отсутствовали"] = "Иванов"
    problem = find(problems_of(make_workbook(content)), "«Иванов» нет на листе «Участники»")
    assert not problem.is_error
    assert problem.location.cell == "H3"


def test_an_absent_member_cannot_speak(content: dict, make_workbook: Callable[..., Path]) -> None:
    content["Заседания"][0]["Присутствовало"] = 3
    content["Заседания"][0]["Отсутствовали"] = "Кутейкина"
    problem = find(problems_of(make_workbook(content)), "в списке отсутствовавших")
    assert "лист «Заседания», строка 2" in problem.message
    assert (problem.location.sheet, problem.location.cell) == ("Повестка", "D2")
    assert problem.is_error  # the protocol would name her absent and then as the speaker


def test_absent_members_by_comma_and_line(content: dict, make_workbook: Callable[..., Path],
                                          ) -> None:
    content["Заседания"][2]["Присутствовало"] = 2
    content["Заседания"][2]["Отсутствовали"] = "Лобода,\nЦой"
    result = check_workbook(make_workbook(content))
    assert result.ok and not result.warnings, result.problems


def test_gender_that_the_name_does_not_tell_is_asked_for(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    content["Участники"].append(member("Мельник", "Саша", "", Пол=None))
    problem = find(problems_of(make_workbook(content)), "пол не определить")
    assert "«Мельник Саша»" in problem.message
    assert not problem.is_error
    assert problem.location.cell == "D6"


def test_gender_told_by_the_patronymic_needs_no_column(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    content["Участники"].append(member("Мельник", "Саша", "Петровна", Пол=None))
    assert not [p for p in problems_of(make_workbook(content)) if "пол" in p.message]


# --- messages name the row's person, meeting or organisation ---------------------


def test_a_members_row_is_named_by_the_person(content: dict,
                                              make_workbook: Callable) -> None:
    content["Участники"][3]["Должность"] = None  # Цой Виктор, row 5
    p = find(problems_of(make_workbook(content)), "не заполнено обязательное поле «Должность»")
    assert p.format(with_file=False) == ("лист «Участники», ячейка E5 (Цой Виктор): не заполнено "
                                         "обязательное поле «Должность»")


def test_a_meetings_row_is_named_by_number_and_date(content: dict,
                                                    make_workbook: Callable) -> None:
    content["Заседания"][2]["Присутствовало"] = -1
    p = find(problems_of(make_workbook(content)), "не может быть отрицательным")
    assert p.format(with_file=False).startswith(
        "лист «Заседания», ячейка G4 (заседание № 3 от 22.01.2026): число присутствовавших")


def test_an_organisations_row_is_named_by_its_short_name(content: dict,
                                                         make_workbook: Callable) -> None:
    content["Организации"][0]["Телефон"] = "12"
    p = find(problems_of(make_workbook(content)), "телефон «12»")
    short = content["Организации"][0]["Краткое наименование"]
    assert f"ячейка F2 ({short}): телефон «12»" in str(p)


def test_a_message_that_names_the_row_is_not_named_twice(content: dict,
                                                         make_workbook: Callable) -> None:
    content["Участники"].append(dict(content["Участники"][3]))
    p = find(problems_of(make_workbook(content)), "уже указан в строке 5")
    assert "(Цой Виктор)" not in str(p) and "«Цой Виктор Робертович»" in p.message


@pytest.mark.parametrize("role", ["секретарь", "руководитель"])
def test_a_repeated_member_is_one_error(content: dict, make_workbook: Callable,
                                        role: str) -> None:
    """A secretary (or head) entered twice is one mistake: the repeat, not a second role."""
    row = next(r for r in content["Участники"] if r["Роль"] == role)
    role_message = f"{role} должен быть один"
    content["Участники"].append(dict(row))
    errors = [p for p in problems_of(make_workbook(content)) if p.severity.name == "ERROR"]
    assert len(errors) == 1, "\n".join(map(str, errors))
    assert "уже указан в строке" in errors[0].message
    assert role_message not in errors[0].message


def test_rows_of_other_sheets_and_the_group_sheet_are_not_named(
        content: dict, make_workbook: Callable) -> None:
    content["Повестка"][0]["№ заседания"] = 9
    content["Группа"]["Дата приказа"] = "31.02.2025"
    problems = problems_of(make_workbook(content))
    assert "(" not in find(problems, "заседания № 9 нет").format().split(":")[0]
    assert "(" not in find(problems, "не существует").format().split(":")[0]


# ------------------------------------------------- membership over time (issue 26, §1–2)


JOIN_ORDER_DATE = D(2025, 10, 1)


def joins_later(c: dict, number: str | None = "131", date: D | None = JOIN_ORDER_DATE) -> None:
    """Лобода joins on 01.10.2025, after the first meeting (18.09), by an amendment order."""
    row = c["Участники"][2]
    row["Дата включения"] = D(2025, 10, 1)
    row["Номер приказа о включении"] = number
    row["Дата приказа о включении"] = date
    c["Заседания"][0]["Присутствовало"] = 3


def then(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        for one in changes:
            one(c)
    return change


def test_a_later_joining_is_valid(content: dict, make_workbook: Callable[..., Path]) -> None:
    joins_later(content)
    result = check_workbook(make_workbook(content))
    assert result.ok and not result.warnings, "\n".join(map(str, result.problems))
    group = result.group
    assert group is not None
    assert [m.last_name for m in group.founders] == ["Кутейкина", "Шевченко", "Цой"]
    assert len(group.members_on(D(2025, 10, 1))) == 4


@pytest.mark.parametrize(("change", "sheet", "cell", "text", "is_error"), [
    (then(joins_later, set_cell("Заседания", 0, "Отсутствовали", "Лобода"),
          set_cell("Заседания", 0, "Присутствовало", 2)),
     "Заседания", "H2", "«Лобода» не входит в состав на день заседания 18.09.2025 (включена в "
     "состав только 01.10.2025)", True),
    (then(set_cell("Заседания", 0, "Отсутствовали", "Цой")), "Заседания", "G2",
     "присутствовало 4, а на 18.09.2025 в составе 4 участника, из них отсутствовали 1", True),
    (then(joins_later, set_cell("Заседания", 1, "Присутствовало", 5)), "Заседания", "G3",
     "присутствовало 5, а на 20.11.2025 в составе 4 участника", True),
    (then(joins_later, set_cell("Повестка", 0, "Слушали", "Лобода Мария Сергеевна")),
     "Повестка", "D2", "не входит в состав на день заседания № 1 (18.09.2025: включена в "
     "состав только 01.10.2025)", True),
    (then(set_cell("Заседания", 0, "Отсутствовали", "Цой"),
          set_cell("Заседания", 0, "Присутствовало", 3),
          set_cell("Повестка", 0, "Выступили", "Цой В.Р. предложил дополнить план.")),
     "Повестка", "F2", "Цой Виктор Робертович в списке отсутствовавших", True),
    (set_cell("Повестка", 0, "Выступили", "Петрова А.А. предложила дополнить план."),
     "Повестка", "F2",
     "выступающий «Петрова А.А.» не найден ни среди участников, ни среди приглашённых", False),
    (set_cell("Повестка", 0, "Слушали", "Петрова Анна Андреевна"),
     "Повестка", "D2", "выступающий «Петрова Анна Андреевна» не найден ни среди участников", False),
    (then(set_cell("Участники", 3, "Дата включения", D(2025, 9, 1)),
          set_cell("Участники", 3, "Дата выбытия", D(2025, 8, 1))),
     "Участники", "M5", "дата выбытия 01.08.2025 не позже даты включения 01.09.2025", True),
    (lambda c: joins_later(c, number=None), "Участники", "N4",
     "приказ о внесении изменений в состав (включение: Лобода Мария Сергеевна): номер не указан",
     False),
    (lambda c: joins_later(c, date=D(2025, 9, 20)), "Участники", "O4",
     "от 20.09.2025 раньше дня изменения 01.10.2025", False),
    (then(set_cell("Участники", 3, "Дата выбытия", D(2026, 2, 1)),
          *[set_cell("Заседания", i, "Присутствовало", 3) for i in (3, 4)]),
     "Участники", "P5", "(выбытие: Цой Виктор Робертович): номер не указан", False),
    (then(set_cell("Участники", 1, "Дата выбытия", D(2026, 2, 1)),
          *[set_cell("Заседания", i, "Присутствовало", 3) for i in (3, 4)]),
     "Участники", "M3", "секретарь Шевченко Андрей Викторович выбывает 01.02.2026, а протоколы "
     "заседаний после этой даты (№ 4 от 19.03.2026)", False),
    (set_cell("Повестка", 0, "Решили", "Включить Иванову И.И. в состав группы."),
     "Повестка", "G2", "заседание не включает и не исключает участников своим решением", False),
    (set_cell("Повестка", 0, "Решили", "Утвердить план работы группы."),
     "Повестка", "G2", "план работы утверждает директор МКУ ИМЦ, а не заседание", False),
    (then(professional, set_field("Дата приказа об утверждении плана", D(2025, 9, 12))),
     "Группа", "B29", "утверждён приказом от 12.09.2025, раньше заседания № 1 от 18.09.2025",
     True),
    (then(professional, set_cell("Повестка", 0, "Решили", "Утвердить план.")),
     "Повестка", "G2", "утверждает приказ Управления образования администрации Амурского "
     "муниципального района", False),
], ids=["absent-not-yet-member", "present-plus-absent", "present-beyond-members",
        "speaker-not-yet-member", "absent-speaks", "stranger-speaks", "stranger-heard",
        "left-before-joined", "join-order-number-missing", "join-order-before-joining",
        "leave-order-missing", "secretary-leaves", "decision-includes", "decision-approves-plan",
        "plan-approved-before-meeting", "decision-approves-plan-by-order"])
def test_membership_rule(content: dict, make_workbook: Callable[..., Path],
                         change: Callable[[dict], None], sheet: str, cell: str | None,
                         text: str, is_error: bool) -> None:
    change(content)
    problem = find(problems_of(make_workbook(content)), text)
    assert (problem.location.sheet, problem.location.cell, problem.is_error) == (
        sheet, cell, is_error)
def test_masterskaya_is_led_by_its_council(content: dict, make_workbook: Callable) -> None:
    """«Руководство осуществляет методический совет» (003, 4.2): its chair is the head; a
    «руководитель» is the wrong role, an appointment order's number is not used, and a
    council role in a kind without a совет is an error."""
    masterskaya(content)
    result = check_workbook(make_workbook(content))
    assert result.ok and not result.problems, "\n".join(map(str, result.problems))
    assert result.group is not None
    assert result.group.head.role == "председатель методического совета"
    content["Участники"][1]["Роль"] = "член методического совета"
    group = check_workbook(make_workbook(content)).group
    assert group is not None and [m.role for m in group.council] == [
        "председатель методического совета", "член методического совета"]
    content["Группа"]["Номер приказа о назначении руководителя"] = "24-4"
    find(problems_of(make_workbook(content)), "руководителя не назначают приказом")
    content["Участники"][0]["Роль"] = "руководитель"
    find(problems_of(make_workbook(content)),
         "главу группы называют «председатель методического совета»")


def test_a_council_role_needs_a_council(content: dict, make_workbook: Callable) -> None:
    content["Участники"][1]["Роль"] = "член методического совета"
    find(problems_of(make_workbook(content)), "нет методического совета")


@pytest.mark.parametrize("example", ["klin-masterskaya.xlsx", "izhevsk-gmo.xlsx"])
def test_a_missing_members_sheet_is_one_error_not_a_flood(example: str,
                                                          tmp_path: Path) -> None:
    """Without «Участники» every absentee and speaker would look unknown: the missing
    sheet's error alone is said (before: a warning for each name in «Отсутствовали» and
    «Повестка»)."""
    import shutil

    import openpyxl

    data = Path(__file__).parent.parent / "data"
    if (data / example.removesuffix(".xlsx")).is_dir():  # its photos, beside it
        shutil.copytree(data / example.removesuffix(".xlsx"),
                        tmp_path / example.removesuffix(".xlsx"))
    book = openpyxl.load_workbook(data / example)
    book["Участники"].title = "Люди"
    book.save(tmp_path / "book.xlsx")
    problems = check_workbook(tmp_path / "book.xlsx").problems
    assert [p.message.split(";")[0] for p in problems if p.location.sheet != "Люди"] == [
        "в книге нет обязательного листа"], "\n".join(map(str, problems))
