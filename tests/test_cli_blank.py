"""`docgen blank`: blank forms to fill in by hand, bare or with a workbook's group printed.

The forms are opened with python-docx and read as a clerk would: lines long enough
to write on, hints under them, the group's wording where a workbook gave it, the
personal fields left as lines either way.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from docgen.cli import cli
from docgen.language import typography
from docgen.templating import builtin_templates

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(DATA))
from examples import EXAMPLES  # noqa: E402

sys.path.remove(str(DATA))

GMO = DATA / "izhevsk-gmo.xlsx"
BARE = Path("Бланки")  # where blank forms go inside -o without a workbook
GMO_FOLDER = Path("2025-2026 учебный год") / "ГМО «Информатика для всех»" / "Бланки"
GMO_TITLE_GEN = "городского методического объединения «Информатика для всех»"
GMO_PERIOD = "на период с 1 сентября 2025 г. по 31 мая 2026 г."
NBSP = "\u00a0"
FILES = {
    "zayavka-1": "Бланк заявки (приложение 1).docx",
    "zayavka-2": "Бланк заявки (приложение 2).docx",
    "registration": "Лист регистрации.docx",
    "protocol": "Бланк протокола.docx",
}
FORMS = list(FILES)
DATE_LINE = "«____»____________20___ г."
NAME_LINE = "_" * 40  # a full name written by hand needs at least this much room
STAMP_LINE = "_" * 24  # the right half of the page (7.5 cm): «от директора …», «И.О. Фамилии»
HINT_STYLE = "Подсказка под строкой"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def texts(doc: DocxDocument) -> list[str]:
    """Every paragraph of the body, those in tables included, in document order; spaces
    plain (the typography pass joins «г.», «№» and initials with no-break spaces)."""
    return ["".join((t.text or "") if t.tag == qn("w:t") else "\t"
                    for t in p.iter(qn("w:t"), qn("w:tab"))
                    if t.getparent().tag == qn("w:r")).replace("\xa0", " ")  # not w:tabs stops
            for p in doc.element.body.iter(qn("w:p"))]


def hints(doc: DocxDocument) -> list[str]:
    return [p.text for p in _all_paragraphs(doc) if p.style.name == HINT_STYLE]


def _all_paragraphs(doc: DocxDocument):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def line_after(doc: DocxDocument, prefix: str) -> str:
    """The paragraph that starts with ``prefix``, for its line to write on."""
    found = [t for t in texts(doc) if t.startswith(prefix)]
    assert found, f"no paragraph starts with «{prefix}»"
    return found[0]


def table_rows(doc: DocxDocument, header: str) -> list:
    for table in doc.tables:
        if header in [c.text for c in table.rows[0].cells]:
            return list(table.rows)[1:]
    raise AssertionError(f"no table with the column «{header}»")


def signature_hints(doc: DocxDocument) -> list[list[str]]:
    """The hint row under each signature: [«(должность руководителя)», «(подпись)», …]."""
    return [[c.text for c in table.rows[1].cells] for table in doc.tables
            if len(table.rows) == 2 and "(подпись)" in [c.text for c in table.rows[1].cells]]


# --- made once: every form, bare and with the ГМО example ---------------------------


# One worker runs this module: its `made` fixture then runs once, not once per worker.
pytestmark = pytest.mark.xdist_group("blank")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], DocxDocument]:
    out = tmp_path_factory.mktemp("blank")
    docs = {}
    for form in FORMS:
        bare = invoke("blank", form, "-o", out / "bare")
        assert bare.exit_code == 0, bare.output + bare.stderr
        docs[form, False] = open_docx(str(out / "bare" / BARE / FILES[form]))
        filled = invoke("blank", form, "--workbook", GMO, "-o", out / "filled")
        assert filled.exit_code == 0, filled.output + filled.stderr
        docs[form, True] = open_docx(str(out / "filled" / GMO_FOLDER / FILES[form]))
    return docs


def both(form: str) -> list:
    return [pytest.param((form, False), id=f"{form}-bare"),
            pytest.param((form, True), id=f"{form}-gmo")]


ALL = [p for form in FORMS for p in both(form)]


@pytest.fixture(params=ALL)
def doc(request: pytest.FixtureRequest, made) -> DocxDocument:
    return made[request.param]


# --- every form ------------------------------------------------------------------------


def test_a4_portrait_with_gost_margins(doc: DocxDocument) -> None:
    for s in doc.sections:
        assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
        assert s.orientation == WD_ORIENT.PORTRAIT
        margins = (s.left_margin, s.right_margin, s.top_margin, s.bottom_margin)
        assert all(abs(m - w) < Mm(0.5) for m, w in zip(margins, (Mm(30), Mm(10), Mm(20),
                                                                  Mm(20)), strict=True))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size == Pt(14)


def test_no_leftover_template_tags(doc: DocxDocument) -> None:
    for part in doc.part.package.iter_parts():
        if str(part.partname).startswith("/word/") and part.content_type.endswith("+xml"):
            xml = part.blob.decode("utf-8")
            for tag in ("{{", "}}", "{%", "%}", "{#"):
                assert tag not in xml, (str(part.partname), tag)


def test_hints_are_small_italic_and_in_brackets(doc: DocxDocument) -> None:
    style = doc.styles[HINT_STYLE]
    assert style.font.italic and style.font.size <= Pt(10)
    found = hints(doc)
    assert found and "(подпись)" in found
    assert all(re.fullmatch(r"\([^()]+\)", h) for h in found if h), found


def test_lines_reach_the_margin(doc: DocxDocument) -> None:
    """A line to write on ends in a tab with an underscore leader at the right margin."""
    lines = [p for p in _all_paragraphs(doc) if p.text.endswith("_\t")]
    assert lines
    for p in lines:
        stops = p.paragraph_format.tab_stops
        assert len(stops) == 1 and abs(stops[0].position - Cm(17)) < Mm(0.5), p.text
        assert stops[0].leader is not None and stops[0].leader.name == "LINES", p.text


@pytest.mark.parametrize("pair", [p for p in ALL if p.values[0][0] != "registration"],
                         ids=lambda p: p)
def test_signatures_are_lines_with_hints(made, pair) -> None:
    under = signature_hints(made[pair])
    assert under
    for row in under:
        assert "(подпись)" in row


# --- without a workbook: every variable field is a line --------------------------------


def test_bare_application_member(made) -> None:
    doc = made["zayavka-1", False]
    text = texts(doc)
    assert "Приложение № 1" in text
    assert "ЗАЯВКА" in text
    assert "на включение в состав объединения педагогических работников" in text
    request = line_after(doc, "Прошу включить ")
    assert NAME_LINE in request
    for hint in ("(должность, наименование организации)", "(должность руководителя)",
                 "(наименование образовательного учреждения)", "(инициалы, фамилия)",
                 "(фамилия, имя, отчество)", "(вид и название объединения)"):
        assert hint in hints(doc), hint
    assert STAMP_LINE in line_after(doc, "от ")
    assert NAME_LINE in line_after(doc, "в состав участников ")
    assert NAME_LINE in line_after(doc, "по теме ")
    assert f"на период с {DATE_LINE} по {DATE_LINE}" in text
    assert DATE_LINE in text and "М.П." in text
    assert ["(должность руководителя)", "(подпись)", "(инициалы, фамилия)"] in \
        signature_hints(doc)
    fields = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert fields == [["Квалификационная категория", ""], ["Педагогический стаж", ""],
                      ["Телефон", ""], ["Электронная почта", ""]]
    assert all(row.height >= Cm(0.75) for row in doc.tables[0].rows)


def test_bare_application_org(made) -> None:
    doc = made["zayavka-2", False]
    text = texts(doc)
    assert "Приложение № 2" in text
    assert NAME_LINE in line_after(doc, "Прошу включить ")
    assert "(полное наименование образовательного учреждения)" in hints(doc)
    assert "Педагогические работники, участвующие в работе объединения:" in text
    rows = table_rows(doc, "Фамилия, имя, отчество")
    assert [[c.text for c in r.cells] for r in rows] == [[str(i), "", "", ""]
                                                         for i in range(1, 6)]
    assert "(адрес, телефон, электронная почта)" in hints(doc)
    assert "М.П." in text


def test_bare_registration(made) -> None:
    doc = made["registration", False]
    text = texts(doc)
    assert "ЛИСТ РЕГИСТРАЦИИ" in text
    assert NAME_LINE in line_after(doc, "участников ")
    assert "(вид и название объединения)" in hints(doc)
    assert f"Дата проведения: {DATE_LINE}" in text
    assert NAME_LINE in line_after(doc, "Место проведения: ")
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["№ п/п", "Фамилия, имя, отчество", "Организация", "Должность", "Подпись"]
    rows = table_rows(doc, "Подпись")
    assert [[c.text for c in r.cells] for r in rows] == [[str(i), "", "", "", ""]
                                                         for i in range(1, 31)]
    assert all(r.height >= Cm(0.9) - Mm(0.1) for r in rows)


def test_bare_protocol(made) -> None:
    doc = made["protocol", False]
    text = texts(doc)
    assert "ПРОТОКОЛ" in text
    assert DATE_LINE in text and "№ ________" in text
    assert "(вид и название объединения)" in hints(doc)
    assert "(место проведения)" in hints(doc)
    assert NAME_LINE in line_after(doc, "Председатель – ")
    assert NAME_LINE in line_after(doc, "Секретарь – ")
    assert "Присутствовали: ________ чел. (лист регистрации прилагается)." in text
    assert "ПОВЕСТКА ДНЯ:" in text
    assert [t for t in text if re.fullmatch(r"\d\. СЛУШАЛИ:", t)] == [
        "1. СЛУШАЛИ:", "2. СЛУШАЛИ:", "3. СЛУШАЛИ:"]
    assert text.count("ВЫСТУПИЛИ:") == 3 and text.count("РЕШИЛИ:") == 3
    heard = text.index("1. СЛУШАЛИ:")
    assert all(NAME_LINE in t for t in text[heard + 1:heard + 4])
    signed = signature_hints(doc)
    assert signed == [["", "(подпись)", "(инициалы, фамилия)"]] * 2
    roles = [t.rows[0].cells[0].text for t in doc.tables if len(t.rows) == 2]
    assert roles == ["Председатель", "Секретарь"]


# --- with a workbook: the group printed, the personal fields still lines ---------------


def test_filled_forms_go_to_the_groups_blank_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("blank", "zayavka-1", "-w", GMO, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    target = out / GMO_FOLDER / FILES["zayavka-1"]
    assert target.is_file()
    assert str(target) in result.output
    assert "для городского методического объединения «Информатика для всех»" in \
        result.output


@pytest.mark.parametrize("form", ["zayavka-1", "zayavka-2"])
def test_filled_application_addressee_and_group(made, form: str) -> None:
    doc = made[form, True]
    text = texts(doc)
    number = FORMS.index(form) + 1
    i = text.index(f"Приложение № {number}")
    assert text[i + 1] == "к положению о городском методическом объединении «Информатика для " \
                          "всех»"
    i = text.index("Директору МАУ ИМЦ «Альтернатива»")
    assert text[i + 1] == "С.М. Давыдовой"
    assert f"на включение в состав {GMO_TITLE_GEN}" in text
    theme = EXAMPLES[GMO.name]["Группа"]["Тема"]
    request = (f"в состав участников {GMO_TITLE_GEN} по теме "
               f"«{typography.inner_quotes(theme)}» {GMO_PERIOD}")
    assert request in [t.replace(NBSP, " ") for t in text]
    assert "(должность, наименование организации)" not in hints(doc)
    assert "(вид и название объединения)" not in hints(doc)
    # who applies is still to be written by hand
    assert STAMP_LINE in line_after(doc, "от ")
    assert NAME_LINE in line_after(doc, "Прошу включить ")
    assert ["(должность руководителя)", "(подпись)", "(инициалы, фамилия)"] in \
        signature_hints(doc)
    assert "«____»____________2025 г." in text


def test_filled_wording_is_that_of_the_built_application(made, tmp_path: Path) -> None:
    """The blank and the application docgen build makes name the group alike."""
    from docgen.main import build_workbook

    result = build_workbook(GMO, tmp_path)
    built = next(w.path for w in result.written if w.document.doc_id == "application_member")
    built_text = texts(open_docx(str(built)))
    blank_text = texts(made["zayavka-1", True])
    for line in ("Директору МАУ ИМЦ «Альтернатива»", f"на включение в состав {GMO_TITLE_GEN}"):
        assert line in built_text and line in blank_text
    request = next(t for t in built_text if t.startswith("Прошу включить"))
    tail = request[request.index("в состав участников"):]
    assert tail in blank_text


def test_filled_application_org_names_the_kind(made) -> None:
    text = texts(made["zayavka-2", True])
    assert "Педагогические работники, участвующие в работе ГМО:" in text


def test_filled_registration(made) -> None:
    doc = made["registration", True]
    text = texts(doc)
    assert GMO_TITLE_GEN in text
    assert "(вид и название объединения)" not in hints(doc)
    assert NAME_LINE in line_after(doc, "участников ")
    assert len(table_rows(doc, "Подпись")) == 30


def test_filled_protocol(made) -> None:
    doc = made["protocol", True]
    text = texts(doc)
    assert text[0] == "Городское методическое объединение «Информатика для всех»"
    assert "г. Ижевск" in text and "(место проведения)" not in hints(doc)
    assert "Заседание ГМО" in text
    assert "Председатель – А.В. Корепанов" in text
    assert "Секретарь – Е.С. Ложкина" in text
    signed = [[c.text for c in t.rows[0].cells] for t in doc.tables if len(t.rows) == 2]
    assert signed == [["Председатель", "", f"А.В.{NBSP}Корепанов"],
                      ["Секретарь", "", f"Е.С.{NBSP}Ложкина"]]
    assert DATE_LINE in text  # the meeting's date is still to be written


def test_filled_protocol_without_a_secretary_leaves_a_line(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    content["Участники"][1]["Роль"] = "участник"
    result = invoke("blank", "protocol", "-w", make_workbook(content), "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    path = next(tmp_path.rglob(FILES["protocol"]))
    doc = open_docx(str(path))
    assert "Председатель – Е.Н. Кутейкина" in texts(doc)
    assert NAME_LINE in line_after(doc, "Секретарь – ")
    assert "Творческая группа «Читающая школа»" in texts(doc)


@pytest.mark.parametrize("workbook", sorted(DATA.glob("*.xlsx")), ids=lambda p: p.stem)
@pytest.mark.parametrize("form", FORMS)
def test_every_example_fills_every_form(workbook: Path, form: str, tmp_path: Path) -> None:
    result = invoke("blank", form, "-w", workbook, "-o", tmp_path)
    if form.startswith("zayavka") and workbook.name != "izhevsk-gmo.xlsx":
        # «Приложение № 1 к положению о …»: only the ГМО's положение has applications
        assert result.exit_code == 1 and not list(tmp_path.rglob("*.docx"))
        assert "положение не предусматривает заявок на включение" in result.stderr
        assert f"общий бланк без книги: docgen blank {form}" in result.stderr
        return
    assert result.exit_code == 0, result.output + result.stderr
    (path,) = tmp_path.rglob("*.docx")
    assert path.parent.name == "Бланки" and path.name == FILES[form]
    xml = open_docx(str(path)).element.xml
    assert "{{" not in xml and "{%" not in xml


# --- --rows ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 7, 300])
def test_rows_sets_the_registration_rows(tmp_path: Path, rows: int) -> None:
    result = invoke("blank", "registration", "--rows", rows, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    doc = open_docx(str(tmp_path / BARE / FILES["registration"]))
    numbers = [r.cells[0].text for r in table_rows(doc, "Подпись")]
    assert numbers == [str(i) for i in range(1, rows + 1)]


def test_rows_with_a_workbook(tmp_path: Path) -> None:
    result = invoke("blank", "registration", "-w", GMO, "--rows", 12, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    doc = open_docx(str(tmp_path / GMO_FOLDER / FILES["registration"]))
    assert len(table_rows(doc, "Подпись")) == 12


def test_rows_sets_the_org_applications_teachers(tmp_path: Path) -> None:
    assert invoke("blank", "zayavka-2", "--rows", 8, "-o", tmp_path).exit_code == 0
    doc = open_docx(str(tmp_path / BARE / FILES["zayavka-2"]))
    assert len(table_rows(doc, "Фамилия, имя, отчество")) == 8


def test_rows_sets_the_protocols_questions(tmp_path: Path) -> None:
    assert invoke("blank", "protocol", "--rows", 2, "-o", tmp_path).exit_code == 0
    text = texts(open_docx(str(tmp_path / BARE / FILES["protocol"])))
    assert [t for t in text if t.endswith("СЛУШАЛИ:")] == ["1. СЛУШАЛИ:", "2. СЛУШАЛИ:"]


@pytest.mark.parametrize("rows", ["0", "301", "-5", "много"])
def test_rows_out_of_range_is_a_usage_error(tmp_path: Path, rows: str) -> None:
    result = invoke("blank", "registration", "--rows", rows, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "--rows" in result.output
    assert "Usage" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_rows_out_of_range_said_in_russian(tmp_path: Path) -> None:
    result = invoke("blank", "registration", "--rows", "301", "-o", tmp_path)
    assert "число строк должно быть от 1 до 300, а указано 301" in result.output


def test_rows_for_a_form_without_rows_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("blank", "zayavka-1", "--rows", "5", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "у бланка «zayavka-1» нет пустых строк" in result.output
    assert not (tmp_path / "out").exists()


# --- listing and usage errors ----------------------------------------------------------


def test_list_describes_every_form() -> None:
    result = invoke("blank", "--list")
    assert result.exit_code == 0
    out = result.output
    for form, name in FILES.items():
        assert f"{form} — " in out
        assert f"Файл: «{name}»." in out
    assert "заявка на включение педагогического работника (приложение 1)" in out
    assert "лист регистрации участников" in out
    assert "Пустых строк для участников: 30 (другое число: --rows N)." in out


@pytest.mark.parametrize(("args", "said"), [((), "укажите форму бланка"),
                                             (("заявка",), "неизвестная форма «заявка»")],
                         ids=["no-form", "unknown-form"])
def test_a_missing_or_unknown_form_is_a_usage_error_listing_the_forms(
        args: tuple[str, ...], said: str, tmp_path: Path) -> None:
    result = invoke("blank", *args, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert said in result.output
    for form in FORMS:
        assert f"  {form} — " in result.output
    assert not (tmp_path / "out").exists()


def test_form_names_ignore_case(tmp_path: Path) -> None:
    assert invoke("blank", "Protocol", "-o", tmp_path).exit_code == 0
    assert (tmp_path / BARE / FILES["protocol"]).is_file()


def test_help_lists_the_forms() -> None:
    result = invoke("blank", "--help")
    assert result.exit_code == 0
    assert "Использование: docgen blank" in result.output
    assert "Бланки" in result.output  # where the forms of a workbook go
    for form in FORMS:
        assert form in result.output
    assert "Usage" not in result.output and "Options" not in result.output


def test_default_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("blank", "protocol")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / BARE / FILES["protocol"]).is_file()


# --- a workbook with errors, or none at all --------------------------------------------


def broken(content: dict) -> None:
    content["Группа"]["Номер приказа"] = None
    content["Участники"][1]["Фамилия"] = "Шeвченко"  # a Latin «e»
    content["Участники"][3]["Телефон"] = "12"


def test_broken_workbook_lists_errors_as_check_does(content: dict, make_workbook: Callable,
                                                    tmp_path: Path) -> None:
    broken(content)
    book = make_workbook(content)
    checked = invoke("check", book)
    result = invoke("blank", "zayavka-1", "-w", book, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert checked.stdout.strip() and result.stdout == checked.stdout
    assert "бланк не сформирован — исправьте ошибки в книге" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_workbook_is_one_russian_line(tmp_path: Path) -> None:
    result = invoke("blank", "protocol", "-w", tmp_path / "нет.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "нет.xlsx: файл не найден" in lines[0]
    assert not (tmp_path / "out").exists()


# --- --templates and hand edits ----------------------------------------------------------


def distinctive_copy(folder: Path, name: str, text: str) -> None:
    """The built-in template ``name`` with one paragraph more, saved into ``folder``."""
    template = open_docx(str(builtin_templates() / name))
    template.add_paragraph(text)
    folder.mkdir(exist_ok=True)
    template.save(str(folder / name))


def test_templates_folder_overrides_one_form(tmp_path: Path) -> None:
    mine = tmp_path / "шаблоны"
    distinctive_copy(mine, "blank_protocol.docx", "Форма утверждена приказом ИМЦ № 7.")
    out = tmp_path / "out"
    result = invoke("blank", "protocol", "--templates", mine, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    protocol = open_docx(str(out / BARE / FILES["protocol"]))
    assert "Форма утверждена приказом ИМЦ № 7." in texts(protocol)
    assert invoke("blank", "registration", "--templates", mine, "-o", out).exit_code == 0
    assert "Форма утверждена" not in " ".join(
        texts(open_docx(str(out / BARE / FILES["registration"]))))


def test_templates_folder_with_a_workbook(tmp_path: Path) -> None:
    mine = tmp_path / "шаблоны"
    distinctive_copy(mine, "blank_application_member.docx", "Подаётся до {{ group.start|date }}.")
    result = invoke("blank", "zayavka-1", "-w", GMO, "--templates", mine, "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    text = texts(open_docx(str(tmp_path / GMO_FOLDER / FILES["zayavka-1"])))
    assert "Подаётся до 01.09.2025." in text


def test_a_broken_template_is_one_russian_line(tmp_path: Path) -> None:
    mine = tmp_path / "шаблоны"
    distinctive_copy(mine, "blank_protocol.docx", "{{ нет_такой }}")
    result = invoke("blank", "protocol", "--templates", mine, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "шаблон «blank_protocol.docx»" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "out" / BARE / FILES["protocol"]).exists()


def test_missing_templates_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("blank", "protocol", "--templates", tmp_path / "нет", "-o", tmp_path)
    assert result.exit_code == 2


def test_a_blank_edited_by_hand_is_kept_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / BARE / FILES["registration"]
    assert invoke("blank", "registration", "-o", tmp_path).exit_code == 0
    again = invoke("blank", "registration", "-o", tmp_path)  # unchanged: simply replaced
    assert again.exit_code == 0 and "изменён вручную" not in again.output
    shutil.copy(target, tmp_path / BARE / "копия.docx")
    doc = open_docx(str(target))
    doc.add_paragraph("Семинар 12 марта, каб. 5.")
    doc.save(str(target))
    edited = target.read_bytes()

    kept = invoke("blank", "registration", "-o", tmp_path)
    assert kept.exit_code == 0
    assert f"файл «{target.name}» изменён вручную и сохранён" in kept.output
    assert target.read_bytes() == edited
    assert (tmp_path / BARE / "Лист регистрации (новая версия).docx").is_file()

    forced = invoke("blank", "registration", "-o", tmp_path, "--force")
    assert forced.exit_code == 0 and "изменён вручную" not in forced.output
    assert target.read_bytes() != edited


def test_leaves_no_temporary_files(tmp_path: Path) -> None:
    for form in FORMS:
        assert invoke("blank", form, "-o", tmp_path).exit_code == 0
    assert sorted(p.name for p in (tmp_path / BARE).iterdir()) == sorted(
        [*FILES.values(), ".docgen.json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".docgen.lock", "Бланки"]


def test_an_application_of_a_kind_without_applications_is_refused(tmp_path: Path) -> None:
    """A творческая группа's положение has no «Приложение № 1»: no blank says it has."""
    result = invoke("blank", "zayavka-1", "-w", DATA / "amursk-tvorcheskaya.xlsx",
                    "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Ошибка: у вида «Творческая группа» положение не предусматривает заявок на включение "
        "в состав, поэтому бланк «заявка на включение педагогического работника (приложение 1)» "
        "с данными книги не делается; такие заявки есть у вида «Городское методическое "
        "объединение»; общий бланк без книги: docgen blank zayavka-1"]
    bare = invoke("blank", "zayavka-1", "-o", tmp_path)
    assert bare.exit_code == 0
