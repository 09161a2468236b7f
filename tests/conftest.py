"""Shared fixtures: small valid workbooks built with openpyxl under tmp_path."""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen.workbook.blank import write_workbook

D = dt.date

# Compiled templates are cached on disk; the suite keeps its own cache, never the user's.
os.environ.setdefault("DOCGEN_CACHE", tempfile.mkdtemp(prefix="docgen-test-cache-"))

# The longest modules first (the soak, the browser, LibreOffice, the kills): `pytest -n auto`
# hands tests out in this order, so no long test starts last while the other workers idle.
# A module's own tests keep their order and stay together.
FIRST = ["test_soak.py", "test_web_browser.py", "test_pdf.py", "test_pages.py",
         "test_reliability.py", "test_property.py", "test_benchmark.py", "test_faults.py",
         "test_bad_input.py", "test_engine_compiled.py", "test_web.py",
         # whole modules on one worker each (xdist_group): handed out early, not last
         "test_documents.py", "test_powers.py", "test_year.py", "test_cli_blank.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST)))  # a stable sort

ORGS = [
    {"Краткое наименование": "МБОУ СОШ № 3", "Полное наименование":
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 3»", "Руководитель (ФИО)": "Орлова Нина Ивановна",
     "Должность руководителя": "Директор", "Адрес": "г. Амурск, пр. Мира, 5",
     "Телефон": "+7 (42142) 2-45-10", "Эл. почта": "school3@example.ru"},
    {"Краткое наименование": "МАДОУ ДС № 7", "Полное наименование":
        "Муниципальное автономное дошкольное образовательное учреждение «Детский сад № 7»",
     "Руководитель (ФИО)": "Мельник Ольга Петровна", "Должность руководителя": "Заведующий"},
]


def docx_text(path: Path) -> str:
    """All the text of a .docx as Word shows it (body with its tables, headers, footers):
    a paragraph a line, line breaks and tabs as «\\n» and «\\t», no-break spaces plain."""
    import docx
    from docx.oxml.ns import qn

    shown = {qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:tab"): "\t"}
    doc = docx.Document(str(path))
    parts = [doc.element.body, *(s.header._element for s in doc.sections),
             *(s.footer._element for s in doc.sections)]
    return "\n".join(
        "".join(shown.get(el.tag) or el.text or "" for el in p.iter(qn("w:t"), *shown))
        for part in parts for p in part.iter(qn("w:p"))).replace("\xa0", " ")


def require_soffice() -> None:
    """Skip a test that needs LibreOffice where it is missing; fail instead in CI
    (DOCGEN_REQUIRE_SOFFICE=1), so that the PDF tests can never be skipped there."""
    from docgen.errors import LibreOfficeNotFound
    from docgen.pdf.convert import find_soffice

    try:
        find_soffice()
    except LibreOfficeNotFound:
        if os.environ.get("DOCGEN_REQUIRE_SOFFICE") == "1":
            pytest.fail("DOCGEN_REQUIRE_SOFFICE=1, but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed: PDFs cannot be made here")


def member(last: str, first: str, patronymic: str, role: str = "участник", **extra: Any) -> dict:
    row = {"Фамилия": last, "Имя": first, "Отчество": patronymic, "Пол": "ж",
           "Должность": "учитель начальных классов", "Организация": "МБОУ СОШ № 3",
           "Квалификационная категория": "первая", "Стаж": 12, "Роль": role,
           "Телефон": "8 (914) 123-45-67", "Эл. почта": f"{len(last)}@example.ru"}
    row.update(extra)
    return row


BASE: dict[str, Any] = {
    "Группа": {
        "Вид объединения": "Творческая группа",
        "Название": "Читающая школа",
        "Тема": "Формирование читательской грамотности младших школьников",
        "Цель": "Создание условий для профессионального роста педагогов.",
        "Задачи": ["Изучить опыт.", "Разработать рекомендации."],
        "Ожидаемый результат": "Сборник методических рекомендаций",
        "Учебный год": "2025/2026",
        "Орган управления образованием": "Управление образования администрации "
                                         "Амурского муниципального района",
        "Методическая служба": "МКУ ИМЦ",
        "Руководитель методической службы": "Давыдова Светлана Михайловна",
        "Должность руководителя методической службы": "Директор",
        "Населённый пункт": "г. Амурск",
        "Базовая организация": "МБОУ СОШ № 3",
        "Номер приказа": "24-3",
        "Дата приказа": D(2025, 8, 29),
        "Номер приказа о назначении руководителя": "24-4",
        "Дата приказа о назначении руководителя": D(2025, 8, 29),
    },
    "Участники": [
        member("Кутейкина", "Елена", "Николаевна", "руководитель",
               **{"Квалификационная категория": "высшая"}),
        member("Шевченко", "Андрей", "Викторович", "секретарь", Пол="м"),
        member("Лобода", "Мария", "Сергеевна", Организация="МАДОУ ДС № 7"),
        member("Цой", "Виктор", "Робертович", Пол="м"),
    ],
    "Организации": ORGS,
    "Заседания": [
        {"№": i + 1, "Дата": d, "Время": "15:00", "Место": "МБОУ СОШ № 3, каб. 12",
         "Форма": "очно", "Тема": f"Заседание {i + 1}", "Присутствовало": 4}
        for i, d in enumerate([D(2025, 9, 18), D(2025, 11, 20), D(2026, 1, 22),
                               D(2026, 3, 19), D(2026, 5, 21)])
    ],
    "Повестка": [
        {"№ заседания": 1, "№ вопроса": 1, "Вопрос": "Рассмотрение плана",
         "Слушали": "Кутейкина Елена Николаевна",
         "Решили": "Одобрить проект плана и направить на утверждение директору МКУ ИМЦ."},
    ],
    "План": [
        {"№": 1, "Мероприятие": "Заседание группы", "Форма": "заседание",
         "Срок": "сентябрь 2025", "Ответственный": "Кутейкина Е.Н.",
         "Отметка о выполнении": "выполнено"},
    ],
}


_WRITTEN: dict[bytes, bytes] = {}


def write_workbook_once(path: Path, data: dict[str, Any]) -> Path:
    """``write_workbook``, but a content this worker has written before is written again
    from its bytes: openpyxl takes a tenth of a second a book, and a third of the suite's
    books are the unchanged BASE. The copy differs from a fresh write only in the time of
    writing in its properties, which nothing reads."""
    import pickle

    from docgen.runtime.files import write_atomically

    try:
        key = pickle.dumps(data)
    except (pickle.PicklingError, TypeError, AttributeError):
        return write_workbook(path, data)
    known = _WRITTEN.get(key)
    if known is None:
        write_workbook(path, data)
        _WRITTEN[key] = Path(path).read_bytes()
    else:
        write_atomically(Path(path), known)
    return Path(path)


@pytest.fixture
def content() -> dict[str, Any]:
    """A fresh, valid «Творческая группа» to break in one place per test."""
    return copy.deepcopy(BASE)


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write ``content`` as a workbook under tmp_path and return its path."""

    def make(data: dict[str, Any], name: str = "group.xlsx") -> Path:
        copy_example_photos(data, tmp_path)
        return write_workbook_once(tmp_path / name, data)

    return make


DATA = Path(__file__).resolve().parent.parent / "data"


def copy_example_photos(data: dict[str, Any], folder: Path) -> None:
    """Put the example photos a workbook's «Фото» cells name (data/<example>/…) beside it,
    as they lie beside the bundled examples."""
    import shutil

    for event in data.get("Мероприятия", ()):
        names = event.get("Фото") or ()
        for name in [names] if isinstance(names, str) else names:
            top = name.replace("\\", "/").split("/")[0]
            source = DATA / top
            if source.is_dir() and not (folder / top).exists():
                shutil.copytree(source, folder / top)


def processes_with(text: str) -> list[int]:
    """Process ids whose command line holds ``text`` (Linux /proc), zombies left out:
    what a killed docgen may have left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in line and state != "Z":
            found.append(int(entry.name))
    return found


def paragraphs_template(tmp_path: Path, *paragraphs: str, name: str = "шаблон.docx") -> Path:
    """A clerk's template: a .docx of ``paragraphs``, one a paragraph."""
    return made(tmp_path, list(paragraphs), name=name)


def made(tmp_path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
         name: str = "t.docx") -> Path:
    """A template with a table (row by row, cell by cell) first, then the paragraphs."""
    import docx

    path = tmp_path / name
    doc = docx.Document()
    if table:
        grid = doc.add_table(rows=len(table), cols=max(len(row) for row in table))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                if text:
                    grid.cell(r, c).text = text
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def python_output(code: str, *args: str) -> str:
    """What ``python -c code args`` prints, run from the repository's folder in a new
    process: for what a fresh process imports, which only a new interpreter shows."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, cwd=root).stdout


@pytest.fixture
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The web tests' started Service over ``tmp_path / "out"`` (builds in threads), closed
    after; a module sets ``SERVICE_JOBS = 2`` for two builds at once."""
    from web_support import running_service

    yield from running_service(tmp_path, jobs=getattr(request.module, "SERVICE_JOBS", 1))


@pytest.fixture
def client(service: Any) -> Any:
    """A Flask test client of ``service``'s pages."""
    from docgen.web.app import create_app

    return create_app(service, testing=True).test_client()
