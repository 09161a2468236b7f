"""What one upload may put on the server's disk (issue 25 §2): bounded unpacking, only
photos that are pictures, nothing left behind a refused upload, a file and a folder of
one name, a long workbook name."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from web_support import (
    DATA,
    EXAMPLES,
    csrf_of,
    example_zip,
    latin_surname,
    settled,
    upload,
    zip_bytes,
)

import docgen.api.check
from docgen.web import service as service_module
from docgen.web.service import UPLOADS, Service

MB = 1024 * 1024


def send(client: FlaskClient, data: bytes, name: str, status: int) -> str:
    """Upload one file; the page shown after it (following the redirect)."""
    response = upload(client, [(data, name)], status)
    if status == 302:
        return client.get(response.headers["Location"]).get_data(as_text=True)
    return response.get_data(as_text=True)


def nothing_left(service: Service) -> bool:
    return not any((service.state / UPLOADS).iterdir())


def test_a_zip_of_zero_filled_photos_is_refused_before_unpacking(client: FlaskClient,
                                                                service: Service) -> None:
    """Before: 200 «.jpg» of 1 MB of zeros (under the member ratio's 1 MB floor each)
    were all written; now the upload's total is bounded by a multiple of its size."""
    members = {"книга.xlsx": EXAMPLES[2].read_bytes()}
    members |= {f"фото/{i:03d}.jpg": b"\0" * (MB - 1) for i in range(200)}
    data = zip_bytes(members)
    assert len(data) < 2 * MB
    html = send(client, data, "книги.zip", 400)
    assert "zip-бомбы" in html and "книги.zip" in html
    assert nothing_left(service)


def test_a_photo_that_is_not_a_picture_is_not_kept_and_said(client: FlaskClient,
                                                           service: Service) -> None:
    workbook = DATA / "okhrozavodsk-setevaya.xlsx"
    with zipfile.ZipFile(io.BytesIO(example_zip(workbook))) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    fake = "okhrozavodsk-setevaya/мастер-класс.jpg"
    assert fake in members
    members[fake] = b"\0" * 4096
    html = send(client, zip_bytes(members), "книги.zip", 302)
    assert str(escape(f"«{fake}» не читается как изображение")) in html
    assert "Не взяты из архива" in html
    assert not list((service.state / UPLOADS).rglob("мастер-класс.jpg"))
    assert "Ошибок нет" not in html  # its workbook names it: the check says it is missing


def test_a_file_and_a_folder_of_one_name_get_a_russian_line(client: FlaskClient,
                                                           service: Service) -> None:
    """Before: HTTP 500 (a folder could not be made where the file was)."""
    data = zip_bytes({"книга.xlsx": EXAMPLES[2].read_bytes(), "фото.jpg": b"x",
                      "фото.jpg/1.jpg": b"y"})
    html = send(client, data, "книги.zip", 400)
    assert "«фото.jpg» — и файл, и папка с тем же именем" in html
    assert nothing_left(service)


def test_a_workbook_name_of_255_characters_is_accepted(client: FlaskClient) -> None:
    """Before: over 120 characters, «среди загруженных файлов нет книг Excel»."""
    name = "Творческая группа " + "о" * (255 - 23) + ".xlsx"
    assert len(name) == 255
    html = send(client, EXAMPLES[2].read_bytes(), name, 302)
    assert "Ошибок нет" in html
    assert "Творческая группа ооо" in html and "…" in html  # shortened for display only


def test_a_refused_upload_leaves_nothing(client: FlaskClient, service: Service) -> None:
    data = zip_bytes({"книга.xlsx": EXAMPLES[2].read_bytes(), "../злой.jpg": b"x"})
    send(client, data, "книги.zip", 400)
    assert nothing_left(service)


def test_the_marked_copy_does_not_hold_the_request(client: FlaskClient, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the check's page waited for `check --annotate` (minutes for 18,000
    errors); now the copy is made after it, with the progress bar, like a build."""
    release = threading.Event()
    real = docgen.api.check.annotate

    def slow(path: Path, problems: list) -> Path:  # type: ignore[type-arg]
        assert release.wait(30)
        return real(path, problems)

    monkeypatch.setattr(docgen.api.check, "annotate", slow)
    monkeypatch.setattr(service_module, "MARK_LATER", 1)  # as if it had 18,000 errors
    bad, _cell = latin_surname(tmp_path / "С ошибкой.xlsx")
    csrf = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post("/upload", data={"csrf": csrf, "files": [
        (io.BytesIO(bad.read_bytes()), bad.name)]}, content_type="multipart/form-data")
    assert response.status_code == 302  # answered while the copy is still being made
    location = response.headers["Location"]
    assert client.get(f"{location}/status").json == {
        "state": "running", "phase": "Книга с пометками", "done": 0, "total": 1}
    html = client.get(location).get_data(as_text=True)
    assert "латинск" in html and "Книга с пометками готовится" in html
    assert 'id="progress-box"' in html
    release.set()
    html = settled(client, location)
    assert "Книга с пометками (ячейки с ошибками закрашены)" in html
    assert 'id="progress-box"' not in html
