"""`docgen serve` through Flask's test client: every page, error status, password, CSRF,
unsafe uploads, and one clerk's files out of another's reach."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import openpyxl
import pytest
from click.testing import CliRunner
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
    without_photos,
    zip_bytes,
)

from docgen import main
from docgen.cli import cli
from docgen.errors import DocgenError
from docgen.web import auth, state_folder
from docgen.web.app import content_disposition, create_app
from docgen.web.service import Service

PAGES = ["/", "/new", "/blanks", "/archive"]


SERVICE_JOBS = 2  # two builds at once (conftest's service)


@pytest.fixture
def app(service: Service) -> Any:
    return create_app(service, testing=True)


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def build(client: FlaskClient, upload_url: str, bundle: bool = True) -> str:
    """Press «Сформировать документы» and wait (bounded) for the page with the documents."""
    csrf = csrf_of(page(client, upload_url))
    sent = {"csrf": csrf, **({"bundle": "1"} if bundle else {})}
    assert client.post(f"{upload_url}/build", data=sent).status_code == 302
    for _ in range(600):
        if client.get(f"{upload_url}/status").json["state"] == "done":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the build did not finish in 60 s")
    return page(client, upload_url)


def test_every_page_is_russian_with_the_safety_headers(app: Any) -> None:
    client = app.test_client()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert '<html lang="ru">' in html and "docgen" in html
        assert re.search(r'href="/blanks"[^>]*>Бланки</a>', html)  # linked from every page
        assert "<script>" not in html and "onclick" not in html  # no inline scripts
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    home = page(client, "/")
    assert 'accept=".xlsx,.xlsm,.xls,.ods,.zip"' in home and ">Проверить</button>" in home
    for asset in ("/static/style.css", "/static/app.js"):
        response = client.get(asset)
        assert response.status_code == 200 and response.headers["X-Content-Type-Options"]
    assert client.get("/login").status_code == 302  # no password on loopback: no login page


@pytest.mark.slow  # an example built with its bundle on the page and again by the library
def test_check_shows_sheet_cell_and_message_then_builds(app: Any, tmp_path: Path) -> None:
    client = app.test_client()
    bad, cell = latin_surname(tmp_path / "Группа с ошибкой.xlsx")
    location = upload(client, [(bad, bad.name)]).headers["Location"]
    html = settled(client, location)  # the marked copy is made after the page is shown
    assert "<th>Лист</th><th>Ячейка</th><th>Сообщение</th>" in html
    expected = main.check_workbook(bad).errors[0]
    assert f"<td>Участники</td><td>{cell} (" in html  # and whose row it is
    assert str(escape(expected.message)) in html
    assert "Сформировать документы" not in html  # nothing valid to build
    annotated = [href for href, text in links(html) if text.startswith("Книга с пометками")]
    response = client.get(annotated[0])
    assert response.status_code == 200
    assert quote("Группа с ошибкой.проверка.xlsx") in response.headers["Content-Disposition"]
    marked = openpyxl.load_workbook(io.BytesIO(response.data))
    assert marked["Участники"][cell].fill.fgColor.rgb.endswith("FF9999")

    good = EXAMPLES[0]
    location = upload(client, [(good, good.name)]).headers["Location"]
    assert ">Сформировать документы</button>" in page(client, location)
    html = build(client, location)
    zipped = [href for href, text in links(html) if text.startswith("Скачать все документы")]
    response = client.get(zipped[0])
    assert response.headers["Content-Disposition"].endswith(
        "filename*=UTF-8''%D0%94%D0%BE%D0%BA%D1%83%D0%BC%D0%B5%D0%BD%D1%82%D1%8B.zip")
    cli_out = tmp_path / "cli"
    cli_result = main.build_workbook(good, cli_out, bundle=True)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        assert len(names) == len(cli_result.written) + 1  # the documents and the bundle
        for name in names:
            assert name.startswith(f"{cli_result.folder.parent.name}/{cli_result.folder.name}/")
            body = archive.read(name)
            document = docx.Document(io.BytesIO(body))
            assert document.paragraphs
            if not name.endswith("Комплект документов.docx"):
                assert body == (cli_result.folder / Path(name).name).read_bytes(), name


@pytest.mark.slow
def test_pdfs_when_libreoffice_is_there(app: Any) -> None:
    from conftest import require_soffice

    require_soffice()
    client = app.test_client()
    location = upload(client, [(EXAMPLES[0], EXAMPLES[0].name)]).headers["Location"]
    html = page(client, location)
    assert 'name="pdf" value="1"' in html
    assert client.post(f"{location}/build", data={"csrf": csrf_of(html), "pdf": "1",
                                                  "bundle": "1"}).status_code == 302
    html = build_wait(client, location, seconds=300)
    pdfs = [href for href, text in links(html) if text == "PDF"]
    documents = [text for _href, text in links(html) if text.endswith(".docx")]
    assert len(pdfs) == len(documents) + 1  # each document and the bundle
    assert client.get(pdfs[0]).data.startswith(b"%PDF")
    zipped = [href for href, text in links(html) if text.startswith("Скачать все документы")]
    with zipfile.ZipFile(io.BytesIO(client.get(zipped[0]).data)) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == len(pdfs)


@pytest.mark.slow  # an example built with its bundle by a service of its own
def test_templates_come_from_the_servers_folder(tmp_path: Path) -> None:
    folder = tmp_path / "шаблоны"
    for path in main.export_templates(folder, ["положение"]).copied:
        document = docx.Document(str(path))
        document.add_paragraph("Шаблон центра")
        document.save(str(path))
    service = Service(tmp_path / "out", templates=folder, processes=False)
    service.start()
    try:
        client = create_app(service, testing=True).test_client()
        location = upload(client, [(EXAMPLES[0], EXAMPLES[0].name)]).headers["Location"]
        html = build(client, location)
        regulation = next(href for href, text in links(html) if "Положение" in text)
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(
            client.get(regulation).data)).paragraphs)
        assert "Шаблон центра" in text
    finally:
        service.close()


def test_the_bundle_is_made_only_when_asked(app: Any) -> None:
    client = app.test_client()
    location = upload(client, [(EXAMPLES[2], EXAMPLES[2].name)]).headers["Location"]
    assert 'name="bundle" value="1" checked' in page(client, location)  # asked by default
    html = build(client, location, bundle=False)
    assert ">Комплект документов</a>" not in html
    zipped = [href for href, text in links(html) if text.startswith("Скачать все документы")]
    with zipfile.ZipFile(io.BytesIO(client.get(zipped[0]).data)) as archive:
        assert not [n for n in archive.namelist() if "Комплект" in n]
    assert ">Комплект документов</a>" in build(client, location)


def test_an_ods_and_an_xls_are_checked_and_built(app: Any) -> None:
    """LibreOffice's and МойОфис's own files are taken as they are (issue 29)."""
    client = app.test_client()
    data = Path(__file__).resolve().parent / "data"
    location = upload(client, [(data / "libreoffice-amursk.ods", "группа.ods")]).headers["Location"]
    html = page(client, location)
    assert "группа.ods" in html and "Ошибок нет" in html
    assert ">Комплект документов</a>" in build(client, location)
    location = upload(client, [(data / "libreoffice-amursk.xls", "группа.xls")]).headers["Location"]
    assert "Ошибок нет" in page(client, location)


@pytest.mark.slow  # two examples built with their bundles
def test_two_workbooks_of_one_group_are_named_as_the_clerk_knows_them(app: Any,
                                                                     tmp_path: Path) -> None:
    client = app.test_client()
    book = openpyxl.load_workbook(EXAMPLES[0])
    sheet = book["Группа"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Тема")
    row[1].value = f"{row[1].value} (исправленная)"
    other = tmp_path / "other.xlsx"
    book.save(other)
    location = upload(client, [(EXAMPLES[0], "Первая.xlsx"), (other, "Вторая.xlsx")]) \
        .headers["Location"]
    html = build(client, location)
    refused = re.findall(r"эту группу уже сформировала книга «([^»]+)»", html)
    assert sorted(set(refused)) in (["Первая.xlsx"], ["Вторая.xlsx"]), refused  # card, summary


def test_a_zip_of_workbooks_with_photo_folders_is_accepted(app: Any) -> None:
    client = app.test_client()
    gmo = DATA / "izhevsk-gmo.xlsx"  # its events name photos in «izhevsk-gmo/…» beside it
    photos = {f"Отчёты/{p.relative_to(DATA).as_posix()}": p.read_bytes()
              for p in sorted((DATA / "izhevsk-gmo").rglob("*")) if p.is_file()}
    assert photos
    data = zip_bytes({"Отчёты/группа.xlsx": gmo.read_bytes(), **photos,
                      "Отчёты/Фото/заметки.txt": b"not a photo, not taken out",
                      "вторая.xlsx": EXAMPLES[2].read_bytes()})
    html = page(client, upload(client, [(data, "книги.zip")]).headers["Location"])
    assert "Отчёты/группа.xlsx" in html and "вторая.xlsx" in html
    assert html.count("Ошибок нет") == 2  # the ГМО's photos were found beside its workbook


def test_a_zip_without_the_photos_its_workbook_names_says_which(app: Any) -> None:
    client = app.test_client()
    data = zip_bytes({"группа.xlsx": (DATA / "izhevsk-gmo.xlsx").read_bytes()})
    html = page(client, upload(client, [(data, "книги.zip")]).headers["Location"])
    assert "Мероприятия" in html and "не найден рядом с книгой" in html
    assert "zip-01" not in html  # the upload's own folder is never named to the clerk
    assert "Ошибок нет" not in html


@pytest.mark.parametrize(("members", "link", "said"), [
    ({"../../evil.xlsx": b"x"}, None, "недопустимым путём"),
    ({"/etc/evil.xlsx": b"x"}, None, "недопустимым путём"),
    ({"C:/evil.xlsx": b"x"}, None, "недопустимым путём"),
    ({"a\\..\\..\\evil.xlsx": b"x"}, None, "недопустимым путём"),
    ({}, {"book.xlsx": "/etc/passwd"}, "ссылка"),
    ({"bomb.xlsx": b"\0" * (50 * 1024 * 1024)}, None, "zip-бомбы"),
])
def test_an_unsafe_zip_is_refused_before_unpacking(app: Any, service: Service, tmp_path: Path,
                                                   members: dict[str, bytes],
                                                   link: dict[str, str] | None,
                                                   said: str) -> None:
    client = app.test_client()
    before = set(tmp_path.rglob("*"))
    response = upload(client, [(zip_bytes(members, link), "книги.zip")], status=400)
    assert said in response.get_data(as_text=True)
    assert "книги.zip" in response.get_data(as_text=True)
    assert not (tmp_path / "evil.xlsx").exists() and not Path("/etc/evil.xlsx").exists()
    created = {p for p in set(tmp_path.rglob("*")) - before if p.is_file()}
    assert not created  # nothing of the zip was written anywhere
    assert service.uploads_of("anyone") == []


def test_not_a_workbook_and_nothing_chosen(app: Any) -> None:
    client = app.test_client()
    html = upload(client, [(b"hello", "заметки.txt")], status=400).get_data(as_text=True)
    assert "нет книг Excel" in html
    csrf = csrf_of(page(client, "/"))
    response = client.post("/upload", data={"csrf": csrf}, content_type="multipart/form-data")
    assert response.status_code == 400 and "выберите" in response.get_data(as_text=True)


def test_an_oversized_upload_is_413_in_russian(app: Any) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    client = app.test_client()
    response = upload(client, [(b"0" * 200_000, "большая.xlsx")], status=413)
    html = response.get_data(as_text=True)
    assert "Слишком большой файл" in html and "Traceback" not in html


def test_too_many_files_are_refused(app: Any) -> None:
    client = app.test_client()
    response = upload(client, [(EXAMPLES[0], f"{i}.xlsx") for i in range(31)], status=400)
    assert "не больше 30 файлов" in response.get_data(as_text=True)


def test_post_without_the_csrf_token_is_refused(app: Any) -> None:
    client = app.test_client()
    page(client, "/")
    sent = {"files": [(io.BytesIO(EXAMPLES[0].read_bytes()), "a.xlsx")]}
    response = client.post("/upload", data=sent, content_type="multipart/form-data")
    assert response.status_code == 403
    assert "Доступ запрещён" in response.get_data(as_text=True)
    sent = {"csrf": "подделка", "files": [(io.BytesIO(EXAMPLES[0].read_bytes()), "a.xlsx")]}
    response = client.post("/upload", data=sent, content_type="multipart/form-data")
    assert response.status_code == 403
    other = app.test_client()  # another session's token is no token here
    sent = {"csrf": csrf_of(page(client, "/")),
            "files": [(io.BytesIO(EXAMPLES[0].read_bytes()), "a.xlsx")]}
    response = other.post("/upload", data=sent, content_type="multipart/form-data")
    assert response.status_code == 403


def test_another_clerks_ids_are_404(app: Any) -> None:
    mine, theirs = app.test_client(), app.test_client()
    location = upload(mine, [(EXAMPLES[0], EXAMPLES[0].name)]).headers["Location"]
    html = build(mine, location)
    ids = [href for href, _text in links(html)]
    assert len(ids) > 5
    for href in ids:
        assert mine.get(href).status_code == 200
        response = theirs.get(href)
        assert response.status_code == 404, href
        assert "Страница не найдена" in response.get_data(as_text=True)
    assert theirs.get(location).status_code == 404
    assert theirs.get(f"{location}/status").status_code == 404
    csrf = csrf_of(page(theirs, "/"))
    assert theirs.post(f"{location}/build", data={"csrf": csrf}).status_code == 404
    assert mine.get("/f/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert mine.get("/f/../../etc/passwd").status_code == 404


def test_error_pages_are_russian_without_traceback(app: Any, service: Service,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    html = page(client, "/нет-такой", 404)
    assert "Страница не найдена" in html
    assert client.get("/upload").status_code == 405
    assert "Действие недоступно" in client.get("/upload").get_data(as_text=True)

    def boom() -> None:
        raise RuntimeError("секрет сервера")

    monkeypatch.setattr(service, "archive", boom)
    response = client.get("/archive")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Внутренняя ошибка" in html
    assert "Traceback" not in html and "секрет сервера" not in html


def test_new_workbook_is_the_init_one(app: Any, tmp_path: Path) -> None:
    client = app.test_client()
    html = page(client, "/new")
    assert "Скачать книгу" in html and 'value="gmo"' in html
    response = client.get("/new/book?kind=gmo")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    made = main.init_workbook(tmp_path / "init.xlsx", "gmo")
    assert openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames == \
        openpyxl.load_workbook(made).sheetnames
    assert client.get("/new/book?kind=нет-такого").status_code == 404


def test_blanks_plain_filled_and_refused(app: Any, tmp_path: Path) -> None:
    client = app.test_client()
    html = page(client, "/blanks")
    csrf = csrf_of(html)
    assert html.count(">Скачать бланк</button>") == len(main.forms())
    response = client.post("/blanks/registration", data={"csrf": csrf, "rows": "7"},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    made = main.blank_form("registration", tmp_path / "cli", rows=7)
    assert response.data == made.path.read_bytes()  # exactly `docgen blank registration --rows 7`
    assert docx.Document(io.BytesIO(response.data)).tables
    gmo = without_photos(DATA / "izhevsk-gmo.xlsx", tmp_path / "gmo.xlsx")  # applications
    filled = client.post("/blanks/zayavka-1", data={
        "csrf": csrf, "workbook": (io.BytesIO(gmo.read_bytes()), gmo.name)},
        content_type="multipart/form-data")
    group = main.load_group(gmo)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(filled.data)).paragraphs)
    assert filled.status_code == 200 and group.name in text
    other = client.post("/blanks/zayavka-1", data={
        "csrf": csrf, "workbook": (io.BytesIO(EXAMPLES[0].read_bytes()), EXAMPLES[0].name)},
        content_type="multipart/form-data")
    assert other.status_code != 200
    assert "положение не предусматривает заявок" in other.get_data(as_text=True)
    bad, cell = latin_surname(tmp_path / "bad.xlsx")
    refused = client.post("/blanks/protocol", data={
        "csrf": csrf, "workbook": (io.BytesIO(bad.read_bytes()), "bad.xlsx")},
        content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f"<td>{cell} (" in html  # and whose row
    assert client.post("/blanks/protocol", data={"csrf": csrf, "rows": "1000"},
                       content_type="multipart/form-data").status_code == 400
    assert client.post("/blanks/zayavka-1", data={"csrf": csrf, "rows": "2"},
                       content_type="multipart/form-data").status_code == 400
    assert client.post("/blanks/нет", data={"csrf": csrf}).status_code == 404


def test_archive_lists_registry_and_rebuilds_keeping_hand_edits(app: Any, service: Service,
                                                                tmp_path: Path) -> None:
    client = app.test_client()
    location = upload(client, [(EXAMPLES[3], EXAMPLES[3].name)]).headers["Location"]
    build(client, location)
    html = page(client, "/archive")
    assert "2025-2026 учебный год" in html and "Реестр документов.xlsx" in html
    registry = [href for href, text in links(html, "/a/") if text == "Реестр документов.xlsx"]
    response = client.get(registry[0])
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
    documents = [href for href, text in links(html, "/a/") if text.endswith(".docx")]
    assert documents and all(app.test_client().get(h).status_code == 200 for h in documents)
    group = next(g for y in service.archive() for g in y.groups)
    edited = next(f.path for f in group.files if "Положение" in f.name)
    doc = docx.Document(str(edited))
    doc.add_paragraph("Правка методиста")
    doc.save(str(edited))
    before = edited.read_bytes()
    csrf = csrf_of(html)
    response = client.post(f"/archive/{group.id}/rebuild", data={"csrf": csrf})
    assert response.status_code == 302
    html = build_wait(client, response.headers["Location"])
    assert "изменён вручную и сохранён" in html
    assert edited.read_bytes() == before
    assert edited.with_name(f"{edited.stem} (новая версия).docx").is_file()
    assert client.post("/archive/nothing/rebuild", data={"csrf": csrf}).status_code == 404


def build_wait(client: FlaskClient, location: str, seconds: int = 60) -> str:
    for _ in range(seconds * 10):
        if client.get(f"{location}/status").json["state"] == "done":
            return page(client, location)
        time.sleep(0.1)
    pytest.fail("the rebuild did not finish in 60 s")


def test_old_uploads_are_removed_after_a_day(app: Any, service: Service) -> None:
    client = app.test_client()
    location = upload(client, [(EXAMPLES[0], EXAMPLES[0].name)]).headers["Location"]
    html = build(client, location)
    href = links(html)[0][0]
    folder = next((state_folder(service.out) / "uploads").iterdir())
    assert service.clean() == 0 and folder.is_dir()
    service.clean(now=time.time() + 25 * 3600)
    assert not folder.exists()
    assert client.get(href).status_code == 404 and client.get(location).status_code == 404
    assert any(service.out.glob("*/*/*.docx"))  # the archive stays


# --- password ---------------------------------------------------------------------------


@pytest.fixture
def guarded(service: Service) -> Any:
    auth.set_password(service.out, "пароль-центра")
    return create_app(service, auth.load_password(service.out), auth.secret_key(service.out),
                      testing=True)


def login(client: FlaskClient, password: str) -> Any:
    html = page(client, "/login")
    return client.post("/login", data={"csrf": csrf_of(html), "password": password,
                                       "next": "/archive"})


def test_every_page_asks_for_the_password(guarded: Any) -> None:
    client = guarded.test_client()
    for url in [*PAGES, "/f/something", "/a/something"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Пароль" in page(client, "/login")
    assert client.post("/upload", data={"csrf": "x"}).status_code == 403
    wrong = login(client, "не тот")
    assert wrong.status_code == 401 and "Неверный пароль" in wrong.get_data(as_text=True)
    assert client.get("/archive").status_code == 302
    right = login(client, "пароль-центра")
    assert right.status_code == 302 and right.headers["Location"] == "/archive"
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    csrf = csrf_of(page(client, "/"))
    assert client.post("/logout", data={"csrf": csrf}).status_code == 302
    assert client.get("/").status_code == 302


def test_a_forged_or_expired_session_is_not_signed_in(guarded: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    client = guarded.test_client()
    login(client, "пароль-центра")
    cookie = client.get_cookie("docgen_session")
    assert cookie is not None and cookie.http_only
    forged = guarded.test_client()
    forged.set_cookie("docgen_session", cookie.value[:-3] + "AAA")
    assert forged.get("/").status_code == 302
    guarded.permanent_session_lifetime = dt.timedelta(seconds=1)
    later = time.time() + 2.1  # the cookie's signature holds its time: 2.1 s on, it is stale
    monkeypatch.setattr(time, "time", lambda: later)
    stale = guarded.test_client()
    stale.set_cookie("docgen_session", cookie.value)
    assert stale.get("/").status_code == 302


def test_login_sends_back_only_to_this_server(guarded: Any) -> None:
    for target, expected in [("/archive", "/archive"), ("//evil.example/", "/"),
                             ("/\\evil.example/", "/"), ("http://evil.example/", "/")]:
        client = guarded.test_client()
        html = page(client, "/login")
        response = client.post("/login", data={"csrf": csrf_of(html), "next": target,
                                               "password": "пароль-центра"})
        assert response.headers["Location"] == expected, target


@pytest.mark.slow  # ten wrong passwords, each answered after a deliberate pause
def test_password_guessing_is_limited(guarded: Any) -> None:
    client = guarded.test_client()
    for _ in range(10):
        assert login(client, "не тот").status_code == 401
    assert login(client, "пароль-центра").status_code == 429


def test_password_is_stored_hashed(tmp_path: Path) -> None:
    path = auth.set_password(tmp_path, "длинный пароль")
    text = path.read_text("utf-8")
    assert "длинный" not in text and '"scheme": "scrypt"' in text
    record = auth.load_password(tmp_path)
    assert record and auth.verify_password("длинный пароль", record)
    assert not auth.verify_password("длинный парол", record)
    with pytest.raises(DocgenError, match="слишком короткий"):
        auth.set_password(tmp_path, "корот")


def test_which_addresses_need_the_password() -> None:
    assert not auth.needs_password("127.0.0.1") and not auth.needs_password("localhost")
    assert not auth.needs_password("::1")
    for host in ("0.0.0.0", "192.168.1.10", "127.0.0.2", "::", "server.local"):
        assert auth.needs_password(host), host


def test_serve_refuses_a_network_address_without_a_password(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0", "-o",
                                      str(tmp_path / "out"), "--no-browser"])
    assert result.exit_code == 1
    assert "нужен пароль центра" in result.output and "--set-password" in result.output
    assert not (tmp_path / "out").exists()


def test_serve_says_when_the_port_is_busy(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port), "-o",
                                          str(tmp_path / "out"), "--no-browser"])
    assert result.exit_code == 1
    assert f"не удалось открыть адрес 127.0.0.1:{port}" in result.output
    assert "--port" in result.output and "Traceback" not in result.output


def test_set_password_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["serve", "--set-password", "-o", str(out)],
                                input="пароль-центра\nпароль-центра\n")
    assert result.exit_code == 0, result.output
    assert "Пароль задан" in result.output
    assert auth.verify_password("пароль-центра", auth.load_password(out) or {})
    result = CliRunner().invoke(cli, ["serve", "--set-password", "-o", str(out)],
                                input="пароль-центра\nдругой-пароль\n")
    assert result.exit_code == 1 and "не совпадают" in result.output


def test_content_disposition_follows_rfc_6266() -> None:
    value = content_disposition("Приказ № 1.docx")
    assert value == ("attachment; filename=\"docgen.docx\"; "
                     "filename*=UTF-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%20%E2%84%96%201.docx")
    assert content_disposition('a"b.zip') == \
        "attachment; filename=\"a_b.zip\"; filename*=UTF-8''a%22b.zip"


def test_serve_help_is_russian_and_the_web_stack_stays_out_of_help() -> None:
    import subprocess
    import sys

    code = ("import sys; from docgen.cli import cli\n"
            "try: cli(['--help'], prog_name='docgen')\nexcept SystemExit: pass\n"
            "print('flask' in sys.modules, 'waitress' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    assert "serve" in shown and shown.strip().endswith("False False")
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "Открыть docgen в браузере" in result.output and "--set-password" in result.output
