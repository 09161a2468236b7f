"""The centre's year: `init --from` (carry.py), the summary (summary.py), charts (charts.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import docx_text, require_soffice

from docgen.api.carry import carry_folder, carry_over, next_file_name, next_year, year_on
from docgen.cli import cli
from docgen.content.report import report_context
from docgen.language.russian import initials
from docgen.main import build_workbook, check_workbook, load_group, write_summaries
from docgen.output.summary import TABLE, report_name, year_figures
from docgen.workbook.reader import read_workbook
from docgen.workbook.schema import GROUP

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data").glob("*.xlsx"))
YEAR = "2025-2026 учебный год"
PER_YEAR = {"year", "start", "end", "order_number", "order_date", "head_order_number",
            "head_order_date", "plan_order_number", "plan_order_date", "problems", "proposals"}


def field_cell(key: str) -> str:
    """The value cell of a «Группа» field in the blank workbook: a row per field, after a header."""
    return f"B{[c.key for c in GROUP.columns].index(key) + 2}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- init --from ------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_carrying_an_example_keeps_the_group_and_moves_the_year_on(example: Path,
                                                                  tmp_path: Path) -> None:
    before = digest(example)
    result = carry_over(example, tmp_path / "new.xlsx")
    assert digest(example) == before  # the old workbook is never written
    old, new = read_workbook(example), read_workbook(result.target)
    for col in GROUP.columns:
        if col.key in PER_YEAR:
            continue
        assert new.fields.values[col.key] == old.fields.values[col.key], col.header
    start_year = int(old.fields.values["year"][:4])
    assert new.fields.values["year"] == f"{start_year + 1}/{start_year + 2}" == result.year
    for key in ("start", "end"):
        if old.fields.values[key] is not None:
            assert new.fields.values[key] == year_on(old.fields.values[key])
    for key in ("order_number", "order_date", "problems", "proposals", "head_order_number",
                "plan_order_number", "plan_order_date"):
        assert new.fields.values[key] is None
    # a member who left is not carried; the year's amendment orders are not next year's
    old_members = [r.values for r in old.rows("members") if r.values.get("left") is None]
    new_members = [r.values for r in new.rows("members")]
    assert len(new_members) == len(old_members) > 0
    for was, now in zip(old_members, new_members, strict=True):
        for key in ("join_order_number", "join_order_date", "leave_order_number",
                    "leave_order_date"):
            assert now.pop(key, None) is None
            was.pop(key, None)
        years = was.pop("experience")
        assert now.pop("experience") == (years + 1 if years is not None else None)
        assert now == was
    assert [r.values for r in new.rows("organizations")] == [
        r.values for r in old.rows("organizations")]
    for key in ("meetings", "agenda", "plan", "events", "tech_task", "products"):
        assert new.rows(key) == [], key
    sheet = openpyxl.load_workbook(result.target)["Группа"]
    assert result.confirm == [field_cell(k) for k in ("theme", "goal", "tasks")]
    for ref in result.confirm:
        assert "Проверьте и подтвердите" in sheet[ref].comment.text
    assert sheet[field_cell("name")].comment is None  # the name is not the year's: no note
    assert "Инструкция" in openpyxl.load_workbook(result.target).sheetnames


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_check_of_a_carried_workbook_names_only_what_the_new_year_must_fill(
        example: Path, tmp_path: Path) -> None:
    result = carry_over(example, tmp_path / "new.xlsx")
    checked = check_workbook(result.target)
    found = {(p.location.sheet, p.location.cell) for p in checked.errors}
    expected = {("Группа", field_cell("order_number")), ("Группа", field_cell("order_date")),
                ("Заседания", None)}
    if "gmo" in example.stem:
        expected.add(("Техническое задание", None))  # the ГМО's ТЗ is a year's
    assert found == expected
    assert {p.message.split("«")[1].split("»")[0] for p in checked.errors
            if p.location.sheet == "Группа"} == {"Номер приказа", "Дата приказа"}


def test_the_rule_carries_fields_it_does_not_know_and_empties_every_order(
        make_workbook, content, tmp_path: Path) -> None:
    """A field added to «Группа» later is carried; any «Номер/Дата приказа …» of the year is
    emptied; the standing положение's approval (seed 002, «от 12.02.2020 № 109») is not a
    year's and is carried."""
    content["Группа"].update({
        "Руководитель органа управления образованием": "Сафина Гульнара Рашидовна",
        "Номер приказа об утверждении положения": "109",
        "Дата приказа об утверждении положения": dt.date(2020, 2, 12)})
    path = make_workbook(content)
    wb = openpyxl.load_workbook(path)
    wb["Группа"].append(["Наставник от методической службы", "Ершова Анна Павловна"])
    wb.save(path)
    carry_over(path, tmp_path / "new.xlsx")
    rows = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp_path / "new.xlsx")[
        "Группа"].iter_rows(min_row=2) if r[0].value}
    assert rows["Руководитель органа управления образованием"] == "Сафина Гульнара Рашидовна"
    assert rows["Наставник от методической службы"] == "Ершова Анна Павловна"  # unknown: as typed
    assert rows["Номер приказа об утверждении положения"] == "109"
    assert rows["Дата приказа об утверждении положения"] == dt.datetime(2020, 2, 12)
    assert rows["Номер приказа о назначении руководителя"] is None


def test_a_workbook_with_errors_is_carried_as_it_is_and_its_errors_named(
        make_workbook, content, tmp_path: Path) -> None:
    content["Участники"][1]["Квалификационная категория"] = "почётная"
    path = make_workbook(content)
    old = check_workbook(path)
    assert not old.ok
    result = carry_over(path, tmp_path / "new.xlsx")
    assert [p.message for p in result.problems] == [p.message for p in old.errors]
    ws = openpyxl.load_workbook(result.target)["Участники"]
    assert "почётная" in [c.value for c in ws["G"]]
    assert any("почётная" in p.message or "категори" in p.message
               for p in check_workbook(result.target).errors)


def test_the_gmo_fixed_period_stays_fixed(tmp_path: Path) -> None:
    result = carry_over(ROOT / "data" / "izhevsk-gmo.xlsx", tmp_path / "gmo.xlsx")
    fields = read_workbook(result.target).fields.values
    assert (fields["start"], fields["end"]) == (dt.date(2026, 9, 1), dt.date(2027, 5, 31))


def test_carry_refuses_to_replace_a_file_and_names_a_damaged_one(tmp_path: Path) -> None:
    from docgen.errors import DocgenError

    target = tmp_path / "new.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(DocgenError, match="уже существует"):
        carry_over(EXAMPLES[0], target)
    assert target.read_bytes() == b"old"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(DocgenError):
        carry_over(broken, tmp_path / "other.xlsx")
    assert not (tmp_path / "other.xlsx").exists()


def test_year_helpers() -> None:
    assert next_year("2025/2026") == "2026/2027"
    assert next_year("2025-26") == "2026/2027"
    assert next_year("прошлый") is None
    assert year_on(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert next_file_name("ГМО 2025-2026") == "ГМО 2026-2027"
    assert next_file_name("группа 2025_2027") == "группа 2025_2027"  # not a school year


def test_a_folder_is_carried_with_builds_skipping_rules(tmp_path: Path) -> None:
    old = tmp_path / "2025"
    old.mkdir()
    for example in EXAMPLES[:2]:
        shutil.copy(example, old / example.name)
    shutil.copy(EXAMPLES[0], old / "~$открыта в Excel.xlsx")
    shutil.copy(EXAMPLES[0], old / f"{EXAMPLES[0].stem}.проверка.xlsx")
    (old / ".~lock.книга.xlsx#").write_text("lock")
    (old / "старая.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    done = carry_folder(old, tmp_path / "2026")
    assert sorted(p.name for p in (tmp_path / "2026").iterdir()) == sorted(
        e.name for e in EXAMPLES[:2])
    assert [p.name for p, _ in done.failed] == ["старая.xls"]  # reported, as build does
    assert ".xlsx" in str(done.failed[0][1])


def test_cli_init_from_a_file_and_a_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "new.xlsx"
    result = runner.invoke(cli, ["init", str(target), "--from", str(EXAMPLES[0])])
    assert result.exit_code == 0, result.output
    assert "2026/2027" in result.output and target.is_file()
    result = runner.invoke(cli, ["init", "--from", str(ROOT / "data"), "-o",
                                 str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert "Перенесено книг: 5." in result.output
    result = runner.invoke(cli, ["init", "--from", str(ROOT / "data")])
    assert result.exit_code == 2 and "-o" in result.output
    result = runner.invoke(cli, ["init", str(tmp_path / "k.xlsx"), "--from",
                                 str(EXAMPLES[0]), "--kind", "гмо"])
    assert result.exit_code == 2 and "--kind" in result.output


# --- the summary ------------------------------------------------------------------------


# One worker runs this module: its `centre` fixture then runs once, not once per worker.
pytestmark = pytest.mark.xdist_group("year")


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("centre")
    results = [build_workbook(example, out) for example in EXAMPLES]
    assert all(r.ok for r in results)
    write_summaries(results)
    return out / YEAR


def _table_rows(document: docx.document.Document, header: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == header
                 and len(t.rows) > 2)
    return [[c.text for c in row.cells] for row in table.rows]


def _service_report(centre: Path, service: str) -> Path:
    return centre / report_name("2025/2026", service)


def test_summary_figures_equal_the_group_annual_reports(centre: Path) -> None:
    """Adapted: one summary per методическая служба (issue 26 §4); each of the five
    examples has its own service, so each summary carries its one group's figures."""
    for example in EXAMPLES:
        group = load_group(example)
        report = report_context(group)
        path = _service_report(centre, group.service)
        summary = docx.Document(str(path))
        meetings = next(t for t in summary.tables
                        if t.rows[0].cells[1].text == "Запланировано")
        total = [c.text for c in meetings.rows[-1].cells]
        assert total[:3] == ["Всего", str(report["meetings_planned"]),
                             str(report["meetings_held"])]
        text = docx_text(path)
        assert f"входят {len(group.members_on(group.end))} участник" in text
        if report["events_participants"]:
            assert f"участий в них – {report['events_participants']}" in text
        assert "Рисунок" not in text  # one group: no chart of one bar


def test_one_summary_per_service_signed_by_its_head_titled_and_dated(centre: Path) -> None:
    """Five services, five summaries: never one director over five municipalities."""
    summaries = sorted(p.name for p in centre.glob("Сводный отчёт*.docx"))
    services = {load_group(e).service for e in EXAMPLES}
    assert len(summaries) == len(services) == 5
    for example in EXAMPLES:
        group = load_group(example)
        text = docx_text(_service_report(centre, group.service))
        assert initials(group.service_head).replace("\u00a0", " ") in text.replace(
            "\u00a0", " ")
        others = [load_group(e).service_head for e in EXAMPLES if e != example]
        assert not any(initials(o).replace("\u00a0", " ") in text.replace("\u00a0", " ")
                       for o in others if o.last_name != group.service_head.last_name)
        assert "СВОДНЫЙ ОТЧЁТ" in text
        assert group.service in text.replace("\u00a0", " ") or (
            group.service_full or "") in text
        assert "«____» ____________ 2026 г." in text.replace("\u00a0", " ")
        assert "7. Выводы методической службы" in text


def test_groups_of_one_service_share_its_summary_with_its_conclusions(tmp_path: Path) -> None:
    """Two groups of МКУ ИМЦ: one summary of both, the conclusions each given once."""
    second = tmp_path / "second.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES[0])
    for row in wb["Группа"].iter_rows():
        if row[0].value == "Название":
            row[1].value = "Юные конструкторы"
        if row[0].value == "Выводы методической службы":
            row[1].value = "Работа групп признана удовлетворительной."
    wb.save(second)
    first = tmp_path / "first.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES[0])
    for row in wb["Группа"].iter_rows():
        if row[0].value == "Выводы методической службы":
            row[1].value = "Работа групп признана удовлетворительной."
    wb.save(first)
    out = tmp_path / "out"
    written = write_summaries([build_workbook(first, out), build_workbook(second, out)])
    reports = [p for p in written if p.suffix == ".docx"]
    assert len(reports) == 1
    text = docx_text(reports[0])
    assert "Маленькие инженеры" in text and "Юные конструкторы" in text
    assert text.count("Работа групп признана удовлетворительной.") == 1
    assert "работали 2 объединения" in text
    assert "Рисунок 1 – Объединения педагогов по видам" in text
    assert "Рисунок 2 – Проведённые заседания и минимум по положению" in text
    assert len(docx.Document(str(reports[0])).inline_shapes) == 2
    # two творческие группы, each with its minimum of meetings, both met: «все объединения»
    assert "Требование положения о числе заседаний выполнили все объединения." in text


def test_the_summary_says_what_the_regulations_require_of_its_groups(centre: Path) -> None:
    """«выполнили все объединения» only where there are several and each has a minimum
    (methodologist's read): one group met it; the ГМО's and the сетевая's regulations set
    none, so nothing is said to be met."""
    sentences = {}
    for example in EXAMPLES:
        group = load_group(example)
        text = docx_text(_service_report(centre, group.service))
        sentences[group.kind.id] = next(line for line in text.splitlines()
                                        if "числа заседаний" in line or "числе заседаний" in line)
    assert sentences["gmo"] == "Положение объединения не устанавливает числа заседаний."
    assert sentences["setevaya"] == "Положение объединения не устанавливает числа заседаний."
    assert sentences["tvorcheskaya"] == "Требование положения о числе заседаний выполнено."
    assert all("все объединения" not in s for s in sentences.values())


def test_summary_table_has_a_row_per_group_filters_and_native_charts(centre: Path) -> None:
    wb = openpyxl.load_workbook(centre / TABLE)
    ws = wb["Группы"]
    assert ws.auto_filter.ref == "A1:N6"
    names = [ws.cell(row=r, column=2).value for r in range(2, 7)]
    assert sorted(names) == sorted(load_group(e).name for e in EXAMPLES)
    held = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=7).value for r in range(2, 7)}
    for example in EXAMPLES:
        group = load_group(example)
        assert held[group.name] == report_context(group)["meetings_held"]
    charts = wb["Диаграммы"]._charts
    assert len(charts) == 2
    assert {c.tagname for c in charts} == {"barChart"}


def test_summary_rerun_is_byte_identical_and_a_hand_edit_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    results = [build_workbook(e, out) for e in EXAMPLES[:2]]
    first = write_summaries(results)
    assert len(first) == 3  # two services' summaries and the table
    before = {p.name: p.read_bytes() for p in first}
    annual = next((out / YEAR).glob("*/10 Отчёт*"))
    annual_before = annual.read_bytes()
    results = [build_workbook(e, out) for e in EXAMPLES[:2]]
    again = write_summaries(results)
    assert {p.name: p.read_bytes() for p in again} == before
    assert annual.read_bytes() == annual_before
    report = out / YEAR / report_name("2025/2026", load_group(EXAMPLES[0]).service)
    edited = docx.Document(str(report))
    edited.add_paragraph("Дополнено вручную.")
    edited.save(str(report))
    kept = report.read_bytes()
    written = write_summaries([build_workbook(e, out) for e in EXAMPLES[:2]])
    assert report.read_bytes() == kept
    assert any(p.name.endswith("(новая версия).docx") for p in written)


def test_one_group_gets_no_summary_and_the_year_is_rebuilt_from_all_folders(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_summaries([build_workbook(EXAMPLES[0], out)]) == []
    assert not (out / YEAR / TABLE).exists()
    # a second group built later: the summary covers both folders, not only this run
    written = write_summaries([build_workbook(EXAMPLES[1], out)])
    assert len(written) == 3 and len(year_figures(out / YEAR)) == 2


def test_build_over_a_folder_writes_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(ROOT / "data"), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert "Свод по году" not in result.output  # one name: «Сводный отчёт»
    assert result.output.count("Сводный отчёт: ") == 5
    assert (tmp_path / YEAR / TABLE).is_file()
    assert len(list((tmp_path / YEAR).glob("Сводный отчёт за 2025-2026 учебный год — *.docx"))) == 5


@pytest.mark.slow
def test_the_summary_opens_in_libreoffice(centre: Path, tmp_path: Path) -> None:
    require_soffice()
    from docgen.main import convert_to_pdf

    copy = tmp_path / "Сводный отчёт.docx"
    shutil.copy(_service_report(centre, load_group(EXAMPLES[1]).service), copy)
    result = convert_to_pdf([copy], jobs=1)
    assert result.ok and result.written
    from pypdf import PdfReader

    pdf = PdfReader(str(result.written[0].path))
    assert len(pdf.pages) >= 2
    assert "СВОДНЫЙ ОТЧЁТ" in pdf.pages[0].extract_text()
    assert drawn_images(pdf) == 0  # a service of one group: no chart (as counted below)


# --- charts ------------------------------------------------------------------------------


def test_the_annual_report_has_its_charts_with_captions_and_tables(tmp_path: Path) -> None:

    result = build_workbook(ROOT / "data" / "amursk-tvorcheskaya.xlsx", tmp_path)
    annual = next(w.path for w in result.written if w.document.doc_id == "annual_report")
    text = docx_text(annual)
    assert "Рисунок 1 – Посещаемость заседаний" in text
    assert "Рисунок 2 – Участники по квалификационным категориям" in text
    document = docx.Document(str(annual))
    pictures = document.inline_shapes
    assert len(pictures) == 2
    assert all(abs(p.width.cm - 16.0) < 0.01 for p in pictures)
    described = [p._inline.docPr.get("descr") for p in pictures]
    assert described == ["Рисунок 1 – Посещаемость заседаний",
                         "Рисунок 2 – Участники по квалификационным категориям"]
    for shape in pictures:  # drawn as tall as the picture's size said before drawing
        png = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill
                                          .blip.embed].blob
        width, height = png_size(png)
        assert shape.height / shape.width == pytest.approx(height / width, rel=0.005)
        assert png.startswith(b"\x89PNG") and b"tIME" not in png and b"Software" not in png
    # the figures are in the report's tables too
    group = load_group(ROOT / "data" / "amursk-tvorcheskaya.xlsx")
    for meeting in group.meetings:
        assert f"{meeting.attended} человек" in text


def test_identical_charts_are_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.content import charts

    monkeypatch.setenv("DOCGEN_CACHE", "off")
    monkeypatch.setattr(charts, "_drawn", {})
    drawn = []
    real = charts.draw
    monkeypatch.setattr(charts, "draw", lambda chart: drawn.append(1) or real(chart))
    one = charts.chart_view(1, "Проба", ["один", "два"], [1, 2], "Число")
    same = charts.chart_view(2, "Другая подпись", ["один", "два"], [1, 2], "Число")
    other = charts.chart_view(3, "Проба", ["один", "два"], [1, 3], "Число")
    assert charts.picture(one) == charts.picture(same)
    assert len(drawn) == 1
    assert charts.picture(other) != charts.picture(one)
    assert len(drawn) == 2
    monkeypatch.setattr(charts, "_drawn", {})
    assert charts.draw(one) == charts.picture(one)  # drawn again: the very same bytes


def test_many_groups_get_bars_across_in_a_taller_picture() -> None:
    """A centre's nine and more groups: names under columns would run into each other."""
    from docgen.content import charts

    def size(n: int) -> tuple[int, int]:
        names = [f"Творческая группа «Название номер {i}»" for i in range(n)]
        chart = charts.chart_view(2, "Заседания", names, [i % 5 for i in range(n)],
                                  "Проведено заседаний", [4] * n, "Минимум по положению")
        png = png_size(charts.draw(chart))
        picture = charts.with_picture(chart)["picture"]  # its size, known before drawing
        assert picture.height_mm / picture.width_mm == pytest.approx(png[1] / png[0], rel=0.005)
        assert picture.pixels == png
        return png

    width, height = size(charts.MAX_COLUMNS)
    assert height / width == pytest.approx(charts.HEIGHT_CM / charts.WIDTH_CM, abs=0.01)
    width, height = size(charts.MAX_COLUMNS + 4)  # 12 names of two lines: a row each
    assert height / width > 0.9
    width, height = size(200)
    assert height / width == pytest.approx(charts.MAX_HEIGHT_CM / charts.WIDTH_CM, abs=0.01)


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"


def picture_problems(package: bytes) -> list[str]:
    """What would leave a picture of document.xml unshown: its relationship, its part in the
    zip, the part's content type (png declared); and a docPr id used twice."""
    import posixpath

    from lxml import etree

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
          "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        names = set(z.namelist())
        body, rels, types = (etree.fromstring(z.read(n))
                             for n in ("word/document.xml", RELS, TYPES))
    targets = {r.get("Id"): (r.get("Type"), r.get("Target"))
               for r in rels.iterfind("rel:Relationship", ns)}
    declared = {d.get("Extension").lower(): d.get("ContentType")
                for d in types.iterfind("ct:Default", ns)}
    problems = []
    for embed in body.xpath("//a:blip/@r:embed", namespaces=ns):
        kind, target = targets.get(embed, ("", ""))
        part = posixpath.normpath(posixpath.join("word", target))
        if not kind.endswith("/image"):
            problems.append(f"{embed}: no image relationship")
        elif part not in names:
            problems.append(f"{embed}: {part} not in the zip")
        elif declared.get(part.rsplit(".", 1)[-1].lower()) != "image/png":
            problems.append(f"{embed}: {part} has no png content type")
    ids = body.xpath("//wp:docPr/@id", namespaces=ns)
    if len(set(ids)) != len(ids):
        problems.append(f"docPr ids used twice: {ids}")
    return problems


def rewritten(package: bytes, name: str, change: Any) -> bytes:
    """The package with member ``name`` changed (``change(bytes)``, None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info) if info.filename != name else change(old.read(info))
            if data is not None:
                new.writestr(info, data)
    return out.getvalue()


def test_the_summary_charts_are_pictures_of_its_one_package(centre: Path) -> None:
    """Written in place with their paragraphs (no second pass over the zip): each drawing's
    relationship, PNG part and content type are there, as python-docx reads them."""
    from docgen.content import charts
    from docgen.output.summary import _charts, report_bytes, totals

    groups = year_figures(centre)[:3]
    package = report_bytes(groups, dt.datetime(2025, 9, 1))
    assert picture_problems(package) == []
    document = docx.Document(io.BytesIO(package))
    shapes = document.inline_shapes
    expected = list(_charts(groups, totals(groups)).values())
    assert [s._inline.docPr.get("descr") for s in shapes] == [c["caption"] for c in expected]
    paragraphs = document.paragraphs
    for shape, chart in zip(shapes, expected, strict=True):
        png = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill
                                          .blip.embed].blob
        assert png == charts.picture(chart)
        width, height = png_size(png)
        assert shape.width.cm == pytest.approx(16.0, abs=0.01)
        assert shape.height / shape.width == pytest.approx(height / width, rel=0.005)
        at = next(i for i, p in enumerate(paragraphs)
                  if p._p.xpath(f".//wp:docPr[@descr='{chart['caption']}']"))
        held = paragraphs[at]
        assert held.alignment == 1 and held.paragraph_format.keep_with_next  # centred
        assert paragraphs[at + 1].text == chart["caption"]
    # each way of losing a picture is caught
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        media = next(n for n in z.namelist() if n.startswith("word/media/"))
    broken = {
        "relationship": rewritten(package, RELS, lambda b: re.sub(
            rb'<Relationship Id="[^"]*" Type="[^"]*/image"[^>]*/>', b"", b, count=1)),
        "part": rewritten(package, media, lambda b: None),
        "content type": rewritten(package, TYPES, lambda b: b.replace(
            b'<Default Extension="png" ContentType="image/png"/>', b"")),
        "ids": rewritten(package, "word/document.xml", lambda b: re.sub(
            rb'(<wp:docPr id=")\d+', rb"\g<1>1", b)),
    }
    for what, bad in broken.items():
        assert bad != package and picture_problems(bad), what


def test_a_summary_without_charts_adds_no_picture_part(centre: Path) -> None:
    """A service of one group: no chart, the template's relationships and content types."""
    from docgen.output.summary import report_bytes
    from docgen.templating import builtin_templates

    package = report_bytes(year_figures(centre)[:1], dt.datetime(2025, 9, 1))
    template = zipfile.ZipFile(builtin_templates() / "annual_report.docx")
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
        for name in (RELS, TYPES):
            assert z.read(name) == template.read(name)


@pytest.mark.slow
def test_the_summary_charts_show_in_libreoffice(centre: Path, tmp_path: Path) -> None:
    """LibreOffice's PDF of a summary of two groups has its two charts."""
    require_soffice()
    from pypdf import PdfReader

    from docgen.main import convert_to_pdf
    from docgen.output.summary import report_bytes

    path = tmp_path / "Сводный отчёт.docx"
    path.write_bytes(report_bytes(year_figures(centre)[:2], dt.datetime(2025, 9, 1)))
    result = convert_to_pdf([path], jobs=1)
    assert result.ok and result.written
    pdf = PdfReader(str(result.written[0].path))
    assert drawn_images(pdf) == 2


def drawn_images(pdf: Any) -> int:
    """Images the pages draw (``Do`` of an image); ``page.images`` lists what LibreOffice's
    resources share, the same on every page."""
    from pypdf.generic import ContentStream

    count = 0
    for page in pdf.pages:
        xobjects = page["/Resources"].get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for operands, operator in ContentStream(page.get_contents(), pdf).operations:
            if operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                count += 1
    return count


def test_a_member_who_left_is_not_carried_to_next_year(tmp_path: Path) -> None:
    """Пак left the творческая группа on 02.03.2026 (example): next year's «Участники»
    has everyone else and no amendment orders of this year."""
    example = ROOT / "data" / "amursk-tvorcheskaya.xlsx"
    old = [r.values["last_name"] for r in read_workbook(example).rows("members")]
    assert "Пак" in old
    new = read_workbook(carry_over(example, tmp_path / "new.xlsx").target).rows("members")
    assert [r.values["last_name"] for r in new] == [n for n in old if n != "Пак"]
    joined_later = next(r for r in new if r.values["last_name"] == "Гончарова")
    assert joined_later.values.get("join_order_number") is None


def test_the_tables_count_the_year_end_members_as_the_sentence_does(centre: Path) -> None:
    """Пак (МБДОУ ДС с. Вознесенское) leaves the творческая группа on 02.03.2026: the
    report says «входят 8 участников из 5 организаций (в течение года – 9)», and its
    tables, the service's summary and «Сводная таблица.xlsx» count the same 8 and 5."""
    example = next(e for e in EXAMPLES if e.stem == "amursk-tvorcheskaya")
    group = load_group(example)
    now = group.members_on(group.end)
    assert (len(now), len(group.members)) == (8, 9)
    report = next(centre.rglob("*Маленькие инженеры*/06 Отчёт*.docx"))
    document = docx.Document(str(report))
    assert "входят 8 участников из 5 организаций (в течение года – 9)" in docx_text(report)
    by_org = _table_rows(document, "Организация")
    assert by_org[-1] == ["Итого", "8"]
    assert not any("Вознесенское" in row[0] for row in by_org)
    assert _table_rows(document, "Категория")[-1] == ["Итого", "8"]
    summary = docx.Document(str(_service_report(centre, group.service)))
    members = next(rows for t in summary.tables
                   if (rows := [[c.text for c in r.cells] for r in t.rows])[0][1] == "Участников")
    assert members[1][1:] == ["8", "5"]
    assert members[-1] == ["Всего", "8", "5 (без повторов)"]
    ws = openpyxl.load_workbook(centre / TABLE)["Группы"]
    row = next(r for r in range(2, 7) if ws.cell(row=r, column=2).value == group.name)
    assert (ws.cell(row=row, column=4).value, ws.cell(row=row, column=5).value) == (8, 5)
    total = {load_group(e).name: len(load_group(e).members_on(load_group(e).end))
             for e in EXAMPLES}
    assert ws.cell(row=8, column=2).value == "Всего"
    assert ws.cell(row=8, column=4).value == sum(total.values())


def test_the_summary_heading_nests_the_quotes_of_the_services_full_name(centre: Path) -> None:
    """МАУ ИМЦ's full name is typed «… центр «Альтернатива»»: the heading prints the
    inner quotes as „лапки“, as the orders do."""
    path = _service_report(centre, "МАУ ИМЦ «Альтернатива»")
    heading = docx.Document(str(path)).paragraphs[0].text.replace("\u00a0", " ")
    assert heading.endswith("«Информационно-методический центр „Альтернатива“»"), heading
    assert "»»" not in docx_text(path)


def test_the_summary_signature_never_breaks_the_services_name_at_its_hyphen(
        centre: Path) -> None:
    """«Директор МБУ «Информационно- / методический центр»» sent back: a word joiner after
    the hyphen of the quoted name."""
    path = _service_report(centre, "МБУ «Информационно-методический центр»")
    texts = [c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells]
    assert "Директор МБУ «Информационно-\u2060методический центр»" in texts, texts[-3:]


def test_a_chart_is_drawn_only_when_a_document_prints_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The annual report's context holds its charts as pictures made on first use: the
    figures for the summary and ``--dump-context`` never start matplotlib."""
    from docgen.content import charts
    from docgen.templating import Picture, context_json

    monkeypatch.setenv("DOCGEN_CACHE", "off")
    monkeypatch.setattr(charts, "_drawn", {})
    drawn: list[int] = []
    real = charts.draw
    monkeypatch.setattr(charts, "draw", lambda chart: drawn.append(1) or real(chart))
    report = report_context(load_group(ROOT / "data" / "amursk-tvorcheskaya.xlsx"))
    picture = report["attendance_chart"]["picture"]
    assert isinstance(picture, Picture)
    assert "Рисунок 1 – Посещаемость заседаний" in context_json({"report": report})
    assert drawn == []
    assert picture.resized(80, None)._bytes().startswith(b"\x89PNG")  # printed: drawn
    assert drawn == [1]
