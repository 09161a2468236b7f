"""Document contexts: the small decisions documents.py makes about names and lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from conftest import member

from docgen.content.documents import build_documents, group_context, speaker_text, titled
from docgen.main import load_group


def test_titled_adds_the_body_unless_the_position_names_it() -> None:
    assert titled("директор", "МКУ ИМЦ") == "Директор МКУ ИМЦ"
    assert titled("Директор МАУ ИМЦ «Альтернатива»", "МАУ ИМЦ «Альтернатива»") == (
        "Директор МАУ ИМЦ «Альтернатива»")


def test_speaker_full_name_becomes_initials_other_text_stays() -> None:
    assert speaker_text("Иванова Мария Петровна") == "М.П.\u00a0Иванова"
    assert speaker_text("Иванова М.П.") == "Иванова М.П."
    assert speaker_text("представитель ИРО") == "представитель ИРО"
    assert speaker_text(None) == ""


def _protocol(content: dict, make_workbook: Callable[..., Path], number: int) -> dict:
    docs, _ = build_documents(load_group(make_workbook(content)))
    return next(d.context["meeting"] for d in docs
                if d.doc_id == "protocol" and d.context["meeting"]["number"] == number)


def test_everyone_present_is_listed(content: dict, make_workbook: Callable[..., Path]) -> None:
    meeting = _protocol(content, make_workbook, 1)
    assert meeting["attended_text"] == "4 человека"
    assert [p.split(",")[0] for p in meeting["present"]] == [
        "Е.Н.\u00a0Кутейкина", "А.В.\u00a0Шевченко", "М.С.\u00a0Лобода", "В.Р.\u00a0Цой"]


def test_the_absent_are_left_out_of_the_list(content: dict,
                                             make_workbook: Callable[..., Path]) -> None:
    content["Заседания"][1].update({"Присутствовало": 3, "Отсутствовали": "Цой"})
    meeting = _protocol(content, make_workbook, 2)
    assert len(meeting["present"]) == 3
    assert not any("Цой" in p for p in meeting["present"])


def test_no_list_when_the_count_does_not_match(content: dict,
                                              make_workbook: Callable[..., Path]) -> None:
    content["Заседания"][1]["Присутствовало"] = 3  # who was away is not said
    assert _protocol(content, make_workbook, 2)["present"] == []


def test_no_list_above_fifteen(content: dict, make_workbook: Callable[..., Path]) -> None:
    surnames = ["Агеева", "Астахова", "Белова", "Быкова", "Валиева", "Гусева", "Данилова",
                "Ершова", "Жукова", "Зуева", "Исаева", "Климова", "Лаптева", "Мухина"]
    content["Участники"] += [member(s, "Анна", "Ивановна") for s in surnames]
    for meeting in content["Заседания"]:
        meeting["Присутствовало"] = 18
    meeting = _protocol(content, make_workbook, 1)
    assert meeting["present"] == [] and meeting["attended_text"] == "18 человек"


def test_a_meeting_without_agenda_has_its_topic_as_the_question(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    meeting = _protocol(content, make_workbook, 2)
    assert meeting["agenda"] == [{"number": 1, "question": "Заседание 2", "speaker": "",
                                  "content": "", "heard": "Заседание 2.", "speakers": "",
                                  "said": "", "decision": "Информацию принять к сведению."}]


def test_a_meeting_not_yet_held_gets_no_protocol(content: dict,
                                                 make_workbook: Callable[..., Path]) -> None:
    content["Заседания"][4]["Присутствовало"] = None
    docs, skipped = build_documents(load_group(make_workbook(content)))
    assert [d.name for d in docs if d.doc_id == "protocol"][-1] == "Протокол № 4 от 19.03.2026"
    assert skipped[0].reason.startswith("протокол заседания № 5 от 21.05.2026 не создан")


def test_service_head_and_positions_in_running_text(content: dict,
                                                    make_workbook: Callable[..., Path]) -> None:
    ctx = group_context(load_group(make_workbook(content)))
    assert ctx["service_head_title"]["dat"] == "Директору МКУ ИМЦ"
    assert ctx["service_head"]["dat"]["initials"] == "С.М.\u00a0Давыдовой"
    assert ctx["service_head_position"]["ins"] == "директором"
    assert ctx["rules"]["plan_approved_text"] == "директором МКУ ИМЦ"
    assert ctx["head"]["acc"]["full"] == "Кутейкину Елену Николаевну"
    assert ctx["head"]["position_cases"]["acc"] == "учителя начальных классов"
    assert ctx["order"] == {"number": "24-3", "date": dt.date(2025, 8, 29)}
    assert ctx["head_order"] == {"number": "24-4", "date": dt.date(2025, 8, 29)}
    assert ctx["orders"]["head"]["requisites"] == "от 29.08.2025 № 24-4"
    assert ctx["title"]["pre"] == "творческой группе «Читающая школа»"


def test_appointment_order_never_borrows_the_creation_orders_number(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    """Without its own number and date the appointment order is printed with blanks to
    fill by hand; before, it took the creation order's «от 29.08.2025 № 24-3»."""
    del content["Группа"]["Номер приказа о назначении руководителя"]
    del content["Группа"]["Дата приказа о назначении руководителя"]
    ctx = group_context(load_group(make_workbook(content)))
    assert ctx["head_order"] == {"number": "", "date": None}
    head = ctx["orders"]["head"]
    assert (head["number_text"], head["date_text"]) == ("____", "________")
    assert head["requisites"] == "от ________ № ____" and not head["given"]
    assert ctx["orders"]["open"]["requisites"] == "от 29.08.2025 № 24-3"
