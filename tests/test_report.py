"""The annual report's figures on small groups: counts, minimums and Russian agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from docgen.content.report import report_context
from docgen.main import load_group

NBSP = "\u00a0"


@pytest.fixture
def figures(make_workbook: Callable) -> Callable[[dict], dict[str, Any]]:
    """The report context of a workbook made from ``content``, spaces made plain."""

    def compute(content: dict) -> dict[str, Any]:
        ctx = report_context(load_group(make_workbook(content)))
        return {k: v.replace(NBSP, " ") if isinstance(v, str) else v for k, v in ctx.items()}

    return compute


def hold(content: dict, *attended: int | None) -> None:
    for meeting, n in zip(content["Заседания"], attended, strict=True):
        meeting["Присутствовало"] = n


def event(n: int, participants: int | None) -> dict:
    return {"№": n, "Название": f"Сетевой семинар {n}", "Дата": dt.date(2025, 11, 20 + n),
            "Форма": "семинар", "Участников": participants}


def product(n: int) -> dict:
    return {"№": n, "Наименование": f"Сборник {n}", "Вид": "сборник материалов"}


# --- meetings against the kind's minimum -------------------------------------------


def test_minimum_met(content: dict, figures: Callable) -> None:
    assert figures(content)["meetings_sentence"] == (
        "Запланировано 5 заседаний, проведено 5 заседаний. Периодичность заседаний, "
        "установленная положением (не реже четырёх раз в год), соблюдена.")


def test_minimum_missed_by_one(content: dict, figures: Callable) -> None:
    hold(content, 4, 3, 3, None, None)
    assert figures(content)["meetings_sentence"] == (
        "Запланировано 5 заседаний, проведено 3 заседания. Периодичность заседаний, "
        "установленная положением (не реже четырёх раз в год), не соблюдена: проведено на "
        "1 заседание меньше.")


def test_nothing_held(content: dict, figures: Callable) -> None:
    hold(content, None, None, None, None, None)
    ctx = figures(content)
    assert ctx["meetings_sentence"].endswith("не соблюдена: проведено на 4 заседания меньше.")
    assert ctx["meetings_held"] == 0
    assert ctx["attendance_sentence"] == ""


def test_masterskaya_minimum_is_three(content: dict, figures: Callable) -> None:
    content["Группа"]["Вид объединения"] = "Мастерская наставничества"
    for row in content["Участники"]:  # led by its методический совет (seed 003, 4.2)
        if row.get("Роль") == "руководитель":
            row["Роль"] = "председатель методического совета"
    hold(content, 4, 4, 3, None, None)
    assert figures(content)["meetings_sentence"] == (
        "Запланировано 5 заседаний, проведено 3 заседания. Периодичность заседаний, "
        "установленная положением (не реже трёх раз в год), соблюдена.")


def test_kind_without_minimum_says_only_counts(content: dict, figures: Callable) -> None:
    content["Группа"]["Вид объединения"] = "Творческая группа (сетевое взаимодействие)"
    hold(content, 4, 4, None, None, None)
    assert figures(content)["meetings_sentence"] == (
        "Запланировано 5 заседаний, проведено 2 заседания.")


def test_unheld_meetings_in_the_table(content: dict, figures: Callable) -> None:
    # adapted: 1 present, while the chair and the secretary act in every protocol, is
    # now an error of check; 2 keeps the table's words
    hold(content, 4, 3, 2, None, None)
    said = [m["attended_text"] for m in figures(content)["meetings"]]
    assert said == ["4 человека", "3 человека", "2 человека", "не проведено", "не проведено"]


# --- attendance ---------------------------------------------------------------------


def test_average_with_a_fraction(content: dict, figures: Callable) -> None:
    hold(content, 4, 3, 3, None, None)
    assert figures(content)["attendance_sentence"] == (
        "В среднем на заседании присутствовало 3,3 человека из 4 участников группы (83 %).")


def test_whole_average(content: dict, figures: Callable) -> None:
    assert figures(content)["attendance_sentence"] == (
        "В среднем на заседании присутствовало 4 человека из 4 участников группы (100 %).")


# --- members ------------------------------------------------------------------------


def test_members_sentence(content: dict, figures: Callable) -> None:
    assert figures(content)["members_sentence"] == (
        "В состав группы входят 4 участника из 2 организаций.")


def test_members_from_one_organisation(content: dict, figures: Callable) -> None:
    content["Участники"][2]["Организация"] = "МБОУ СОШ № 3"
    assert figures(content)["members_sentence"] == (
        "В состав группы входят 4 участника из 1 организации.")


def test_twenty_one_members(content: dict, figures: Callable) -> None:
    extra = dict(content["Участники"][3])
    for i, last in enumerate(["Абрамова", "Белова", "Власова", "Глебова", "Демидова", "Ершова",
                              "Жукова", "Зуева", "Исаева", "Кириллова", "Лаврова", "Макарова",
                              "Нестерова", "Осипова", "Панова", "Родионова", "Савина"]):
        content["Участники"].append({**extra, "Фамилия": last, "Имя": "Анна", "Пол": "ж",
                                     "Отчество": "Петровна", "Эл. почта": f"{i}@example.ru"})
    assert figures(content)["members_sentence"] == (
        "В состав группы входит 21 участник из 2 организаций.")


def test_members_by_organisation_sum(content: dict, figures: Callable) -> None:
    rows = figures(content)["by_organization"]
    assert rows == [{"name": "МБОУ СОШ № 3", "count": 3}, {"name": "МАДОУ ДС № 7", "count": 1}]


def test_members_by_category(content: dict, figures: Callable) -> None:
    content["Участники"][3]["Квалификационная категория"] = None
    rows = figures(content)["by_category"]
    assert rows == [{"name": "высшая", "count": 1}, {"name": "первая", "count": 2},
                    {"name": "без категории", "count": 1}]


# --- the plan -------------------------------------------------------------------------


def test_plan_marks_counted(content: dict, figures: Callable) -> None:
    item = content["План"][0]
    marks = ["выполнено", "частично выполнено", "не выполнено", "перенесено", None]
    content["План"] = [{**item, "№": i, "Мероприятие": f"Дело {i}", "Отметка о выполнении": m}
                       for i, m in enumerate(marks, 1)]
    ctx = figures(content)
    assert ctx["plan_sentence"] == (
        "План работы включает 5 мероприятий: выполнено – 1, частично выполнено – 1, "
        "не выполнено – 1, перенесено – 1, без отметки о выполнении – 1.")
    assert [i["activity"] for i in ctx["plan_not_done"]] == ["Дело 2", "Дело 3", "Дело 4"]
    assert (ctx["plan_done"], ctx["plan_total"]) == (1, 5)


def test_plan_of_one_item(content: dict, figures: Callable) -> None:
    assert figures(content)["plan_sentence"] == (
        "План работы включает 1 мероприятие: выполнено – 1.")


def test_empty_plan(content: dict, figures: Callable) -> None:
    content["План"] = []
    assert figures(content)["plan_sentence"] == "План работы на листе «План» не заполнен."


# --- events ------------------------------------------------------------------------------


@pytest.fixture
def network(content: dict) -> dict:
    content["Группа"]["Вид объединения"] = "Творческая группа (сетевое взаимодействие)"
    return content


def test_no_events(content: dict, figures: Callable) -> None:
    assert figures(content)["events_sentence"] == (
        "Сетевые мероприятия в отчётном году не проводились.")


def test_two_events_participants(network: dict, figures: Callable) -> None:
    network["Мероприятия"] = [event(1, 10), event(2, 12)]
    ctx = figures(network)
    # adapted: a sum over events is attendances, not people (issue 27)
    assert ctx["events_sentence"] == (
        "Проведено 2 сетевых мероприятия; участий в них – 22 (участник нескольких "
        "мероприятий учтён в каждом).")
    assert ctx["events_participants"] == 22


def test_five_events(network: dict, figures: Callable) -> None:
    network["Мероприятия"] = [event(i, 5) for i in range(1, 6)]
    assert figures(network)["events_sentence"] == (
        "Проведено 5 сетевых мероприятий; участий в них – 25 (участник нескольких "
        "мероприятий учтён в каждом).")


def test_one_event_is_referred_to_in_the_singular(network: dict, figures: Callable) -> None:
    """«Проведено 1 сетевое мероприятие, в нём …», not «в них»."""
    network["Мероприятия"] = [event(1, 21)]
    sentence = figures(network)["events_sentence"]
    assert sentence.startswith("Проведено 1 сетевое мероприятие, в нём "), sentence


def test_event_without_participants(network: dict, figures: Callable) -> None:
    network["Мероприятия"] = [event(1, None), event(2, None)]
    assert figures(network)["events_sentence"] == "Проведено 2 сетевых мероприятия."


# --- products -----------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "said"), [
    (1, "Создан 1 продукт методической деятельности."),
    (2, "Созданы 2 продукта методической деятельности."),
    (5, "Созданы 5 продуктов методической деятельности."),
], ids=["1", "2", "5"])
def test_products_agree(content: dict, figures: Callable, n: int, said: str) -> None:
    content["Продукты"] = [product(i) for i in range(1, n + 1)]
    ctx = figures(content)
    assert ctx["products_sentence"] == said
    assert [p["name"] for p in ctx["products"]] == [f"Сборник {i}" for i in range(1, n + 1)]


def test_no_products(content: dict, figures: Callable) -> None:
    assert figures(content)["products_sentence"] == (
        "Продукты деятельности в отчётном году не представлены.")


def test_quarter_without_a_held_meeting_is_named(content: dict, figures: Callable) -> None:
    content["Группа"]["Вид объединения"] = "Профессиональная группа"
    content["Группа"]["Направление"] = "проектная"
    content["Группа"]["Руководитель органа управления образованием"] = "Сафина Гульнара Рашидовна"
    content["Группа"]["Должность руководителя органа управления образованием"] = "Начальник"
    hold(content, 4, None, 4, 4, 4)
    assert figures(content)["meetings_sentence"] == (
        "Запланировано 5 заседаний, проведено 4 заседания. Периодичность заседаний, "
        "установленная положением (не реже одного раза в учебную четверть), не соблюдена; "
        "заседания не проводились в периоды: II четверть (ноябрь — декабрь).")


def test_preschool_quarters_are_calendar_quarters(content: dict, figures: Callable) -> None:
    content["Группа"]["Вид объединения"] = "Профессиональная группа"
    content["Группа"]["Направление"] = "проектная"
    content["Группа"]["Руководитель органа управления образованием"] = "Сафина Гульнара Рашидовна"
    content["Группа"]["Должность руководителя органа управления образованием"] = "Начальник"
    content["Группа"]["Уровень образования"] = "дошкольное"
    assert figures(content)["meetings_sentence"].endswith(
        "не реже одного раза в квартал), соблюдена.")
