"""What a methodologist found reading the year's papers: check rules that catch the
workbook's contradictions, and documents that say the year as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from conftest import docx_text, member
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from test_validate import find, gmo, problems_of

from docgen.content.report import percent
from docgen.errors import Severity
from docgen.main import build_workbook, write_summaries

D = dt.date


def test_more_acting_than_present_is_an_error(content: dict, make_workbook: Callable) -> None:
    """Chair, secretary and two speakers act in a protocol of «Присутствовало 3»."""
    content["Повестка"][0]["Выступили"] = "Лобода М.С. предложила дополнить план."
    content["Повестка"].append({"№ заседания": 1, "№ вопроса": 2, "Вопрос": "Разное",
                                "Слушали": "Цой Виктор Робертович"})
    content["Заседания"][0]["Присутствовало"] = 3
    content["Заседания"][0]["Отсутствовали"] = "Цой В.Р."
    problems = problems_of(make_workbook(content))
    p = find(problems, "председатель, секретарь и выступавшие — 4 участника")
    assert p.severity == Severity.ERROR
    assert (p.location.sheet, p.location.row) == ("Заседания", 2)
    assert p.location.column == 7  # «Присутствовало»


def test_as_many_acting_as_present_is_fine(content: dict, make_workbook: Callable) -> None:
    content["Повестка"][0]["Выступили"] = "Лобода М.С. предложила дополнить план."
    problems = problems_of(make_workbook(content))
    assert not [p for p in problems if "выступавшие —" in p.message]


def test_responsible_not_yet_member_on_plan_approval(content: dict,
                                                     make_workbook: Callable) -> None:
    """Where an order approves the plan, its date is the plan's day (ПрофНавигатор)."""
    content["Группа"].update({"Вид объединения": "Профессиональная группа",
                              "Направление": "проектная",
                              "Номер приказа об утверждении плана": "30",
                              "Дата приказа об утверждении плана": D(2025, 9, 12)})
    content["Участники"].append(member(
        "Кузьмина", "Оксана", "Геннадьевна", Организация="МАДОУ ДС № 7",
        **{"Дата включения": D(2025, 12, 1), "Номер приказа о включении": "50",
           "Дата приказа о включении": D(2025, 12, 1)}))
    content["План"][0]["Ответственный"] = "Кутейкина Е.Н., Кузьмина О.Г."
    problems = problems_of(make_workbook(content))
    p = find(problems, "Кузьмина Оксана Геннадьевна не входит в состав на день утверждения")
    assert p.severity == Severity.WARNING
    assert "12.09.2025" in p.message and "01.12.2025" in p.message
    assert (p.location.sheet, p.location.row, p.location.column) == ("План", 2, 5)


def test_plan_item_approving_the_plan(content: dict, make_workbook: Callable) -> None:
    """The творческая группа's plan is approved by the service's head, not by it."""
    content["План"][0]["Мероприятие"] = "Утверждение плана работы на учебный год"
    problems = problems_of(make_workbook(content))
    p = find(problems, "утверждает директор МКУ ИМЦ")
    assert p.severity == Severity.WARNING
    assert (p.location.sheet, p.location.row, p.location.column) == ("План", 2, 2)


def test_plan_item_considering_the_plan_is_fine(content: dict,
                                               make_workbook: Callable) -> None:
    content["План"][0]["Мероприятие"] = "Рассмотрение проекта плана работы"
    problems = problems_of(make_workbook(content))
    assert not [p for p in problems if p.location.sheet == "План"]


def test_fewer_present_and_nobody_absent_warns(content: dict, make_workbook: Callable) -> None:
    content["Заседания"][1]["Присутствовало"] = 3
    problems = problems_of(make_workbook(content))
    p = find(problems, "укажите, кто отсутствовал, иначе в протоколе их не будет")
    assert p.severity == Severity.WARNING
    assert (p.location.sheet, p.location.row, p.location.column) == ("Заседания", 3, 8)
    content["Заседания"][1]["Отсутствовали"] = "Цой В.Р."
    problems = problems_of(make_workbook(content, "named.xlsx"))
    assert not [p for p in problems if "кто отсутствовал" in p.message]


def _left_in_march(content: dict) -> None:
    """Цой (the only member of МАДОУ ДС № 7 once Лобода moves) leaves on 02.03.2026."""
    content["Участники"][2]["Организация"] = "МБОУ СОШ № 3"
    content["Участники"][3].update({"Организация": "МАДОУ ДС № 7",
                                    "Дата выбытия": D(2026, 3, 2),
                                    "Номер приказа о выбытии": "31",
                                    "Дата приказа о выбытии": D(2026, 3, 2)})
    # 4/4, 4/4, 3/4, 3/3, 3/3: each meeting's share averaged is 95 %; the sum's is 17/18
    for meeting, n in zip(content["Заседания"], (4, 4, 3, 3, 3), strict=True):
        meeting["Присутствовало"] = n
    content["Заседания"][2]["Отсутствовали"] = "Цой В.Р."


def test_report_says_the_year_end_membership_and_half_up_percent(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    _left_in_march(content)
    result = build_workbook(make_workbook(content), tmp_path / "out")
    assert result.ok, result.check.errors
    report = next((tmp_path / "out").rglob("*Отчёт*.docx"))
    text = docx_text(report)
    assert ("В состав группы входят 3 участника из 1 организации (в течение года – 4)."
            in text)
    assert "присутствовало 3,4 человека (95 % состава группы на дни заседаний)." in text
    # a year folder of two groups gets summaries: the other one of another service
    other = {**content, "Группа": {**content["Группа"], "Название": "Другая группа",
                                   "Методическая служба": "МБУ ИМЦ"}}
    second = build_workbook(make_workbook(other, "other.xlsx"), tmp_path / "out")
    write_summaries([result, second])
    summary = next((tmp_path / "out").rglob("Сводный отчёт*МКУ ИМЦ*.docx"))
    assert ("В состав объединения входят 3 участника из 1 организации (в течение года – 4)."
            in docx_text(summary))


def test_percent_rounds_half_up() -> None:
    assert percent(1, 200) == 1 and percent(181, 200) == 91 and percent(109, 1200) == 9


def _build(content: dict, make_workbook: Callable, tmp_path: Path, name: str = "g.xlsx",
           ) -> Path:
    result = build_workbook(make_workbook(content, name), tmp_path / "out")
    assert result.ok, result.check.errors
    assert result.folder is not None
    return result.folder


def _one(folder: Path, text: str) -> Path:
    found = [p for p in folder.glob("*.docx") if text in p.name]
    assert len(found) == 1, [p.name for p in folder.glob("*.docx")]
    return found[0]


def test_protocol_with_registration_sheet_names_the_absent(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    """Guests not countable («родители»): no list of those present, the registration
    sheet instead, and still «Отсутствовали: …» with the names the workbook gives."""
    meeting = content["Заседания"][1]
    meeting.update({"Присутствовало": 6, "Отсутствовали": "Цой В.Р.",
                    "Приглашённые": "родители обучающихся"})
    text = docx_text(_one(_build(content, make_workbook, tmp_path), "Протокол № 2 "))
    assert "Присутствовали: 6 человек (лист регистрации прилагается)." in text
    assert "Отсутствовали: В.Р. Цой." in text


def test_creation_order_does_not_call_the_head_before_the_appointment(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    """The head is appointed by the «Приказ о назначении руководителя»: in the creation
    order's состав they are a member; the secretary keeps the role."""
    folder = _build(content, make_workbook, tmp_path)
    doc = docx.Document(str(_one(folder, "Приказ о создании")))
    table = doc.tables[-1]
    roles = {row.cells[1].text: row.cells[4].text for row in table.rows[1:]}
    assert roles["Кутейкина Елена Николаевна"] == "участник"
    assert roles["Шевченко Андрей Викторович"] == "секретарь"
    head_order = docx_text(_one(folder, "Приказ о назначении руководителя"))
    assert "Назначить Кутейкину Елену Николаевну" in head_order


def test_application_of_a_later_member_starts_on_joining(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    gmo(content)
    content["Участники"].append(member(
        "Вахрушев", "Игорь", "Леонидович", Пол="м",
        **{"Дата включения": D(2025, 9, 15), "Номер приказа о включении": "148-о",
           "Дата приказа о включении": D(2025, 9, 15)}))
    folder = _build(content, make_workbook, tmp_path)
    later = docx_text(_one(folder, "Вахрушев"))
    assert "на период с 15 сентября 2025 г. по 31 мая 2026 г." in later
    founder = docx_text(_one(folder, "Лобода"))
    assert "на период с 1 сентября 2025 г. по 31 мая 2026 г." in founder


def _suppressed(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    element = ppr.find(qn("w:suppressAutoHyphens")) if ppr is not None else None
    return element is not None and element.get(qn("w:val")) in (None, "1", "true")


def test_registration_sheet_names_are_not_hyphenated(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    content["Заседания"][1]["Приглашённые"] = "родители обучающихся"
    content["Заседания"][1]["Присутствовало"] = 6
    doc = docx.Document(str(_one(_build(content, make_workbook, tmp_path), "Протокол № 2 ")))
    sheet = doc.tables[-1]
    assert sheet.rows[0].cells[1].text == "Фамилия, имя, отчество"
    names = [row.cells[1] for row in sheet.rows[1:] if row.cells[1].text]
    assert names and all(_suppressed(p) for c in names for p in c.paragraphs)


def test_heard_and_decided_are_justified_and_their_label_line_not_stretched(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    doc = docx.Document(str(_one(_build(content, make_workbook, tmp_path), "Протокол № 1 ")))
    labeled = [p for p in doc.paragraphs
               if p.text.split("\n")[0].endswith(("СЛУШАЛИ:", "РЕШИЛИ:"))]
    assert labeled and all(p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY for p in labeled)
    compat = doc.settings.element.find(qn("w:compat"))
    assert compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is not None
