"""The year tells one story (issue 26 §1–2, issue 27 «Protocols»): the built documents
of a group agree with the workbook's dates of joining and leaving, with one another and
with who approves what.

Each test opens the generated .docx files. The examples hold the story: in the
творческая группа Гончарова joins on 01.10.2025 (order № 127) and Пак leaves on
02.03.2026 (order № 31); in the профессиональная группа Кузьмина joins on 01.12.2025 by
the Департамент's order № 598, and the plan is considered on 10.09.2025 before the
order of 12.09.2025 approves it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import docx_text
from docx import Document as open_docx

from docgen.main import BuildResult, build_workbook
from docgen.workbook.model import Meeting

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {p.stem: p for p in sorted((ROOT / "data").glob("*.xlsx"))}
TG, PG = "amursk-tvorcheskaya", "noyabrsk-professionalnaya"
INITIALS = re.compile(r"[А-ЯЁ]\.[А-ЯЁ]\. ([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    out = tmp_path_factory.mktemp("story")
    results = {}
    for name, path in EXAMPLES.items():
        result = build_workbook(path, out / name)
        assert result.ok, result.check.problems
        results[name] = result
    return results


def docs(result: BuildResult, prefix: str) -> list[Path]:
    return [w.path for w in result.written if w.path.name.split(" ", 1)[1].startswith(prefix)]


def one(result: BuildResult, prefix: str) -> Path:
    found = docs(result, prefix)
    assert len(found) == 1, [p.name for p in found]
    return found[0]


def members(result: BuildResult) -> list:
    group = result.check.group
    assert group is not None
    return list(group.members)


# --- the creation order's состав and the amendment orders ------------------------------


@pytest.mark.parametrize(("name", "later"), [(TG, "Гончарова"), (PG, "Кузьмина")])
def test_the_creation_order_lists_only_the_members_of_its_day(
        built: dict[str, BuildResult], name: str, later: str) -> None:
    text = docx_text(one(built[name], "Приказ о создании"))
    group = built[name].check.group
    assert group is not None
    for m in group.members:
        listed = m.full_name in text
        assert listed == m.member_on(group.founded), m.full_name
    assert later not in text


@pytest.mark.parametrize(("name", "later"), [(PG, "МБОУ «СОШ № 12»"),
                                             ("izhevsk-gmo", "МБОУ «СОШ № 97»")])
def test_the_orders_of_august_are_not_sent_to_a_later_members_school(
        built: dict[str, BuildResult], name: str, later: str) -> None:
    """ПрофНавигатор № 412/413 of 28.08.2025 and ГМО № 612/275: «Разослать» names the
    organisations of the members on the order's day; СОШ № 12 (joins 01.12.2025) and
    СОШ № 97 (joins 15.09.2025) get the amendment order, not these."""
    for prefix in ("Приказ о создании", "Приказ о назначении"):
        lines = [line for line in docx_text(one(built[name], prefix)).splitlines()
                 if line.startswith("Разослать:")]
        assert lines, prefix
        for line in lines:
            assert later.replace(" ", "") not in line.replace(" ", "").replace("\u00a0", "")
            assert "в дело" in line


def test_the_amendment_orders_of_the_creative_group(built: dict[str, BuildResult]) -> None:
    joins = docx_text(one(built[TG], "Приказ о внесении изменений в состав от 01.10.2025 № 127"))
    assert "О внесении изменений в состав творческой группы «Маленькие инженеры»" in joins
    assert "утверждённого приказом МКУ ИМЦ от 29.08.2025 № 112" in joins
    assert "1. Включить в состав группы:" in joins
    assert "Гончарову Юлию Александровну" in joins and "с 1 октября 2025 г." in joins
    assert "Исключить" not in joins
    assert "Н.В. Соколова" in joins  # signed by the head of the body that approved the состав
    leaves = docx_text(one(built[TG], "Приказ о внесении изменений в состав от 02.03.2026 № 31"))
    assert "1. Исключить из состава группы:" in leaves
    assert "Пак Викторию Игоревну" in leaves and "с 2 марта 2026 г." in leaves
    assert "2. Контроль за исполнением настоящего приказа оставляю за собой." in leaves
    # what the creation order carries under its signature, the amendment orders too: «Исп.»
    # and «Разослать» to the organisations of that day and of the member excluded
    for text in (joins, leaves):
        assert "Исп. Е.А. Попова" in text
    for name in ("от 01.10.2025 № 127", "от 02.03.2026 № 31"):  # no lone «О» at a line's end
        paragraphs = open_docx(one(built[TG], f"Приказ о внесении изменений в состав {name}"))
        assert any("«О\u00a0создании творческой группы" in p.text
                   for p in paragraphs.paragraphs)
    sent = next(line for line in leaves.splitlines() if line.startswith("Разослать:"))
    assert "МБДОУ ДС с. Вознесенское" in sent  # Пак's, excluded by it
    sent = next(line for line in joins.splitlines() if line.startswith("Разослать:"))
    assert "МБДОУ ДС № 9 г. Амурска" in sent  # Гончарова's, included by it


def test_the_professional_groups_amendment_order_is_the_departments(
        built: dict[str, BuildResult]) -> None:
    text = docx_text(one(built[PG], "Приказ о внесении изменений в состав"))
    assert "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ" in text  # the same issuer as the creation order
    assert "01.12.2025" in text and "№ 598" in text
    assert "Кузьмину Оксану Геннадьевну" in text
    protocols = "\n".join(docx_text(p) for p in docs(built[PG], "Протокол"))
    assert not re.search(r"Включить Кузьмину", protocols)  # the group cannot include her


# --- protocols against the dates -------------------------------------------------------


def protocol_people(text: str) -> tuple[set[str], set[str], str]:
    """Surnames listed as present, as absent, and the agenda's text (СЛУШАЛИ onwards)."""
    head, _, agenda = text.partition("ПОВЕСТКА ДНЯ:")
    present_part = head.split("Присутствовали", 1)[1].split("Отсутствовали")[0]
    present_part = present_part.split("Приглашённые")[0]
    absent_line = next((line for line in head.splitlines()
                        if line.startswith("Отсутствовали:")), "")
    return (set(INITIALS.findall(present_part)), set(INITIALS.findall(absent_line)), agenda)


def protocols_by_meeting(result: BuildResult) -> list[tuple[Path, Meeting, set[str]]]:
    """Each built protocol, its meeting and the surnames of the members on that day."""
    group = result.check.group
    assert group is not None
    found = []
    for path in docs(result, "Протокол"):
        number = int(re.search(r"№ (\d+)", path.name)[1])
        meeting = next(m for m in group.meetings if m.number == number)
        found.append((path, meeting, {m.last_name for m in group.members_on(meeting.date)}))
    return found


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_protocols_name_only_the_members_of_the_meetings_day(
        built: dict[str, BuildResult], name: str) -> None:
    for path, _meeting, on_date in protocols_by_meeting(built[name]):
        present, absent, agenda = protocol_people(docx_text(path))
        assert present <= on_date, (path.name, present - on_date)
        assert absent <= on_date, (path.name, absent - on_date)
        if present:  # the list, when printed, is everyone of that day but the absent
            assert present | absent == on_date, path.name
        for surname in absent:  # an absent member never speaks
            assert not re.search(rf"\b{surname}\b", agenda), (path.name, surname)


def test_the_creative_groups_fourth_protocol(built: dict[str, BuildResult]) -> None:
    text = docx_text(one(built[TG], "Протокол № 4 "))
    present, absent, agenda = protocol_people(text)
    assert absent == {"Мельник"}
    assert "Карпенко" in present and "Гончарова" in present
    assert "Пак" not in present | absent  # left on 02.03.2026, before 18.03.2026
    assert "Мельник" not in agenda


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_protocol_lists_who_was_there(
        built: dict[str, BuildResult], name: str) -> None:
    """The showcase's protocols count, list and name alike: those listed present are
    «Присутствовало», and with the named absent they make the members of that day."""
    for path, meeting, on_date in protocols_by_meeting(built[name]):
        text = docx_text(path)
        present, absent, _ = protocol_people(text)
        assert "лист регистрации прилагается" not in text, path.name
        assert present | absent == on_date and not present & absent, path.name
        assert len(present) == meeting.attended, path.name


def test_the_professional_groups_fourth_protocol(built: dict[str, BuildResult]) -> None:
    """ПГ meeting 4 of 19.03.2026: seven act in it, К.Д. Иванова is absent."""
    present, absent, _ = protocol_people(docx_text(one(built[PG], "Протокол № 4 ")))
    assert absent == {"Иванова"}
    assert present == {"Мельник", "Гайнуллина", "Бондаренко", "Магомедов", "Ткаченко",
                       "Савчук", "Кузьмина"}


def test_a_protocol_without_its_list_comes_with_the_registration_sheet(
        make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """ПГ meeting 4 counted 7 of 8 present with the absent not named (a copy of the
    example): «(лист регистрации прилагается)» and the sheet itself with the 8 members
    of 19.03.2026."""
    import copy
    import runpy

    content = copy.deepcopy(
        runpy.run_path(str(ROOT / "data" / "examples.py"))["EXAMPLES"][f"{PG}.xlsx"])
    meeting = next(m for m in content["Заседания"] if m["№"] == 4)
    meeting["Присутствовало"] = 7  # the seven who act in it (check: no fewer)
    meeting.pop("Отсутствовали")
    result = build_workbook(make_workbook(content, f"{PG}.xlsx"), tmp_path / "out")
    assert result.ok, result.check.problems
    built = {PG: result}
    path = one(built[PG], "Протокол № 4 ")
    text = docx_text(path)
    assert "Присутствовали: 7 человек (лист регистрации прилагается)." in text
    assert "Приложение: лист регистрации на 1 л. в 1 экз." in text
    assert "Лист регистрации" in text and "к протоколу заседания группы" in text
    table = open_docx(str(path)).tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    group = built[PG].check.group
    assert group is not None
    assert sorted(r[1] for r in rows) == sorted(
        m.full_name for m in group.members_on(dt.date(2026, 3, 19)))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_agenda_items_read_as_sentences(built: dict[str, BuildResult], name: str) -> None:
    for path in docs(built[name], "Протокол"):
        lines = docx_text(path).splitlines()
        for i, line in enumerate(lines):
            if line.endswith(("СЛУШАЛИ:", "ВЫСТУПИЛИ:", "РЕШИЛИ:")):
                said = lines[i + 1].strip()
                assert said.endswith((".", "!", "?")), (path.name, said)
                assert " – представлен" not in said, (path.name, said)


# --- who approves the plan, and when ---------------------------------------------------


def test_the_plan_is_approved_after_the_meeting_that_considered_it(
        built: dict[str, BuildResult]) -> None:
    plan = docx_text(one(built[PG], "План работы"))
    approved = re.search(r"от (\d\d\.\d\d\.\d{4}) № ", plan)
    assert approved is not None
    first = docx_text(one(built[PG], "Протокол № 1 "))
    met = re.search(r"(\d\d\.\d\d\.\d{4})", first)
    assert met is not None

    def day(text: str) -> dt.date:
        return dt.datetime.strptime(text, "%d.%m.%Y").date()

    assert day(met[1]) <= day(approved[1])
    assert "Одобрить проект плана работы и направить его на утверждение" in first


@pytest.mark.parametrize("name", [TG, "okhrozavodsk-setevaya", PG, "klin-masterskaya"])
def test_a_group_that_does_not_approve_its_plan_never_says_it_does(
        built: dict[str, BuildResult], name: str) -> None:
    protocols = "\n".join(docx_text(p) for p in docs(built[name], "Протокол"))
    assert not re.search(r"Утвердить (проект )?план", protocols), name
    assert re.search(r"направить (его )?на утверждение", protocols), name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_no_document_counts_more_than_everyone(built: dict[str, BuildResult],
                                               name: str) -> None:
    report = docx_text(next(w.path for w in built[name].written
                            if w.document.doc_id == "annual_report"))
    shares = [int(s) for s in re.findall(r"(\d+) %", report)]
    assert shares and all(s <= 100 for s in shares), shares


# --- workbooks unlike the examples ------------------------------------------------------


def test_a_later_member_without_an_order_number_gets_blanks(
        content: dict, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    content["Участники"][2]["Дата включения"] = dt.date(2025, 10, 1)
    content["Заседания"][0]["Присутствовало"] = 3
    content["Повестка"][0]["Выступили"] = "Шевченко А.В., Цой В.Р."  # names, nothing said
    result = build_workbook(make_workbook(content), tmp_path / "out")
    assert result.ok
    order = docx_text(one(result, "Приказ о внесении изменений в состав с 01.10.2025"))
    assert "№ ____" in order and "________" in order  # never an invented number or date
    assert "Лободу Марию Сергеевну" in order
    assert "Лобода" not in docx_text(one(result, "Приказ о создании"))
    first = docx_text(one(result, "Протокол № 1 "))
    assert "ВЫСТУПИЛИ:" not in first
    assert "Лобода" not in first  # not a member on 18.09.2025


@pytest.mark.parametrize(("speaker", "text", "question", "heard"), [
    ("Кутейкина Елена Николаевна", "Представила проект плана.", "О плане",
     "Е.Н. Кутейкина представила проект плана."),
    ("Кутейкина Елена Николаевна", "Сообщила, что план готов", "О плане",
     "Е.Н. Кутейкина сообщила, что план готов."),
    ("Шевченко Андрей Викторович", "Проект плана на год", "О плане",
     "А.В. Шевченко выступил с информацией: проект плана на год."),
    ("Кутейкина Елена Николаевна", None, "О проекте плана работы",
     "Е.Н. Кутейкина выступила с информацией о проекте плана работы."),
    ("Кутейкина Елена Николаевна", None, "Рассмотрение плана",
     "Е.Н. Кутейкина выступила по вопросу «Рассмотрение плана»."),
    (None, "Обсуждение итогов", "Итоги", "Обсуждение итогов."),
], ids=["verb", "verb-comma", "noun", "about-question", "question", "no-speaker"])
def test_heard_is_a_sentence(content: dict, make_workbook: Callable[..., Path],
                             speaker: str | None, text: str | None, question: str,
                             heard: str) -> None:
    """«СЛУШАЛИ» never «Е.Н. Кутейкина – представлен проект плана» (issue 27)."""
    from docgen.content.documents import heard_text
    from docgen.main import load_group
    from docgen.workbook.model import AgendaItem

    group = load_group(make_workbook(content))
    assert heard_text(AgendaItem(1, question, speaker, text), group).replace("\xa0", " ") == heard


@pytest.mark.parametrize(("said", "printed"), [
    ("Шевченко А.В., Цой В.Р.", ""),
    ("Шевченко А.В. и Цой В.Р.", ""),
    ("Цой В.Р. предложил дополнить план", "Цой В.Р. предложил дополнить план."),
])
def test_a_list_of_names_under_vystupili_says_nothing(said: str, printed: str) -> None:
    from docgen.content.documents import said_text

    assert said_text(said) == printed


def test_guests_never_make_attendance_above_100_percent(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    """4 members and a guest at every meeting: «5 человек из 4 участников (125 %)» before."""
    from docgen.content.report import report_context
    from docgen.main import load_group

    for meeting in content["Заседания"]:
        meeting["Присутствовало"] = 5
        meeting["Приглашённые"] = "Давыдова С.М., директор МКУ ИМЦ"
    sentence = report_context(load_group(make_workbook(content)))["attendance_sentence"]
    assert sentence == ("В среднем на заседании присутствовало 4 человека из 4 участников "
                        "группы (100\u00a0%).")


def test_init_writes_the_columns_of_membership_over_time() -> None:
    from docgen.workbook.blank import blank_workbook

    headers = [c.value for c in blank_workbook(None)["Участники"][1]]
    for header in ("Дата включения", "Дата выбытия", "Номер приказа о включении",
                   "Дата приказа о включении", "Номер приказа о выбытии",
                   "Дата приказа о выбытии"):
        assert header in headers


def test_docgens_own_decision_on_the_plan_claims_no_power(
        content: dict, make_workbook: Callable[..., Path]) -> None:
    """An empty «Решили» under a question on the plan: the group approves the draft and
    sends it to the director who approves it (the творческая группа's seed 000)."""
    from docgen.content.documents import build_documents
    from docgen.main import load_group

    content["Повестка"][0].update({"Вопрос": "О проекте плана работы группы", "Решили": None})
    docs, _ = build_documents(load_group(make_workbook(content)))
    protocol = next(d for d in docs if d.doc_id == "protocol")
    decision = protocol.context["meeting"]["agenda"][0]["decision"]
    assert decision == ("Одобрить проект плана работы и направить его на утверждение "
                        "директору МКУ ИМЦ.")


def test_the_examples_lists_agree_with_their_verb(built: dict[str, BuildResult]) -> None:
    """«представила проект плана: … мастер-класс и олимпиаду» (issue 27): the example's
    own words agree; docgen does not re-decline a clerk's free text."""
    first = docx_text(one(built["okhrozavodsk-setevaya"], "Протокол № 1 "))
    assert "сетевой мастер-класс и олимпиаду для обучающихся" in first


def test_an_organisations_application_asks_from_its_members_joining(
        built: dict[str, BuildResult]) -> None:
    """ГМО: МБОУ «СОШ № 97»'s only member joins on 15.09.2025, so its заявка asks from that
    day (as the member's own заявка does); the others' from the group's start."""
    late = docx_text(one(built["izhevsk-gmo"], "Заявка (приложение 2) — МБОУ «СОШ № 97»"))
    assert "на период с 15 сентября 2025 г. по 31 мая 2026 г." in late.replace("\u00a0", " ")
    early = docx_text(one(built["izhevsk-gmo"], "Заявка (приложение 2) — МБОУ «СОШ № 56»"))
    assert "на период с 1 сентября 2025 г. по 31 мая 2026 г." in early.replace("\u00a0", " ")


def test_a_number_keeps_the_abbreviation_it_counts(built: dict[str, BuildResult]) -> None:
    """ГМО's ТЗ: «не менее чем из 5 ОО» never ends a line with «5» («5 / ОО» sent back)."""
    path = one(built["izhevsk-gmo"], "Техническое задание")
    xml = "".join(p.text for p in open_docx(str(path)).element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert "не менее чем из 5\u00a0ОО" in xml and "в 4\u00a0ОО" in xml
    assert "из 5 ОО" not in xml


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml_text(element) -> str:
    """The text as stored: no-break spaces, word joiners and zero-width spaces kept."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_signatures_and_stamps_break_a_name_before_its_quote_never_inside(
        built: dict[str, BuildResult]) -> None:
    """«Директор МКОУ «Охрозаводская / СОШ»», «приказом МКОУ «Охрозаводская / СОШ»» sent
    back: in a signature and a stamp the quoted part keeps its space (a no-break one)."""
    result = built["okhrozavodsk-setevaya"]
    order = open_docx(str(one(result, "Приказ о создании")))
    positions = [text for tc in order.element.body.iter(f"{W}tc")
                 if (text := _xml_text(tc)).startswith("Директор МКОУ")
                 and "Разослать" not in text]  # the inner cell, not the block around it
    assert positions and all("«Охрозаводская\u00a0СОШ»" in p for p in positions), positions
    regulation = open_docx(str(one(result, "Положение")))
    stamp = [_xml_text(p._p) for p in regulation.paragraphs[:6]]
    assert "приказом МКОУ «Охрозаводская\u00a0СОШ»" in stamp, stamp


def test_a_short_name_in_the_members_table_breaks_after_its_form(
        built: dict[str, BuildResult]) -> None:
    """The мастерская's состав: «МОУ «Гимназия № 2 / »» sent back; the cell may break after
    «МОУ» (a plain space, a zero-width space keeps the pass from gluing it), and the quoted
    part stays whole, its closing quote joined to the «2»."""
    order = open_docx(str(one(built["klin-masterskaya"], "Приказ о создании")))
    table = next(t for t in order.tables
                 if len(t.columns) == 5 and t.rows[0].cells[3].text == "Организация")
    cells = [_xml_text(r.cells[3]._tc) for r in table.rows[1:]]
    assert "МОУ\u200b «Гимназия\u00a0№\u00a02\u2060»" in cells, cells
    assert all("» " not in c and not c.endswith(" »") for c in cells)
