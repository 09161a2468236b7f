"""The page with no dead ends (issue 28 «The page»), through Flask's test client:
whose row an error is in, why a file is not a workbook, «Книга с пометками» only with
something to mark, a group's and a year's documents as one .zip."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
from flask.testing import FlaskClient
from markupsafe import escape
from web_support import (
    DATA,
    EXAMPLES,
    csrf_of,
    latin_surname,
    links,
    settled,
    upload,
)

from docgen import main
from docgen.web.service import UPLOADS, Service

SAVE_AS = "сохраните как «Книга Excel (.xlsx)»"


def send(client: FlaskClient, files: list[tuple[bytes, str]], status: int = 302) -> str:
    response = upload(client, list(files), status)
    if status == 302:
        return settled(client, response.headers["Location"])
    return response.get_data(as_text=True)


def test_the_error_table_says_whose_row_it_is(client: FlaskClient, tmp_path: Path) -> None:
    bad, cell = latin_surname(tmp_path / "Группа.xlsx")
    error = main.check_workbook(bad).errors[0]
    assert error.location.cell == cell and error.location.label
    html = send(client, [(bad.read_bytes(), bad.name)])
    assert f"<td>Участники</td><td>{escape(f'{cell} ({error.location.label})')}</td>" in html
    assert escape(error.location.describe(with_file=False)).endswith(
        escape(f"{cell} ({error.location.label})"))  # as the terminal says it


def test_a_file_of_the_wrong_type_is_named_with_its_reason(client: FlaskClient) -> None:
    """Before: «среди загруженных файлов нет книг Excel (.xlsx)», no name, no advice."""
    word = (DATA.parent / "templates" / "plan.docx").read_bytes()  # .xls and .ods read now
    html = send(client, [(word, "Группа 2025.docx")], status=400)
    assert "«Группа 2025.docx» — это документ Word, а не книга Excel" in html
    html = send(client, [(EXAMPLES[2].read_bytes(), EXAMPLES[2].name),
                         (b"name;surname\n", "участники.csv"), (b"\xff\xd8", "фото.jpg")])
    assert "Ошибок нет" in html
    assert "«участники.csv» — " in html and escape(SAVE_AS) in html
    assert "«фото.jpg» — это фото: фото загружают вместе с книгой одним архивом .zip" in html


def test_the_marked_workbook_is_offered_only_with_a_cell_to_mark(client: FlaskClient,
                                                                tmp_path: Path) -> None:
    """Before: offered for a missing sheet too, where the copy marks nothing."""
    book = openpyxl.load_workbook(EXAMPLES[2])
    book["Участники"].title = "Люди"
    # the example names its absentees, whom check (validate.py) then warns are not on the
    # missing sheet: cleared, so the missing sheet is the copy's only problem
    meetings = book["Заседания"]
    [absent] = [c.column for c in meetings[1] if c.value == "Отсутствовали"]
    for row in range(2, meetings.max_row + 1):
        meetings.cell(row, absent).value = None
    renamed = tmp_path / "Без листа.xlsx"
    book.save(renamed)
    html = send(client, [(renamed.read_bytes(), renamed.name)])
    assert "в книге нет обязательного листа" in html
    assert "Книга с пометками" not in html
    bad, _cell = latin_surname(tmp_path / "С ошибкой.xlsx")
    assert "Книга с пометками (ячейки с ошибками закрашены)" in send(
        client, [(bad.read_bytes(), bad.name)])


def test_the_archive_gives_a_group_and_a_year_as_one_zip(client: FlaskClient,
                                                        service: Service) -> None:
    html = send(client, [(EXAMPLES[2].read_bytes(), EXAMPLES[2].name)])
    location = client.get("/").get_data(as_text=True).split('href="/u/')[1].split('"')[0]
    csrf = csrf_of(html)
    assert client.post(f"/u/{location}/build", data={"csrf": csrf}).status_code == 302
    for _ in range(600):
        if client.get(f"/u/{location}/status").json["state"] == "done":
            break
        time.sleep(0.1)
    page = client.get("/archive").get_data(as_text=True)
    zips = dict((text, href) for href, text in links(page, "/archive/"))
    assert set(zips) == {"Скачать год (.zip)", "Скачать документы группы (.zip)"}
    [year] = service.archive()
    [group] = year.groups
    response = client.get(zips["Скачать документы группы (.zip)"])
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    folder = group.files[0].path.parent
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(f"{year.name}/{folder.name}/{f.name}"
                                       for f in group.files)
        for name in names:
            if name.endswith(".docx"):
                assert docx.Document(io.BytesIO(archive.read(name))).paragraphs
            assert archive.read(name) == (service.out / name).read_bytes()
    response.close()
    response = client.get(zips["Скачать год (.zip)"])
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert f"{year.name}/Реестр документов.xlsx" in archive.namelist()
        assert len(archive.namelist()) == len(group.files) + 1
    response.close()
    assert not list((service.state / UPLOADS).glob(".archive-*"))  # removed once sent
    assert client.get("/archive/nothing.zip").status_code == 404
