"""«Скачать PDF» on the «Бланки» page of `docgen serve`: the PDF `docgen blank --pdf` makes,
the same Russian line as the CLI's when LibreOffice is missing or fails, the .docx as before."""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from web_support import DATA, csrf_of, without_photos

from docgen import main
from docgen.pdf import convert as pdf
from docgen.web.app import create_app
from docgen.web.service import BLANK_PDF_BUSY, UPLOADS, Service

posix_only = pytest.mark.skipif(os.name == "nt", reason="the stand-in soffice is a POSIX script")


@pytest.fixture
def no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without LibreOffice: nothing on PATH, nowhere usual, no DOCGEN_SOFFICE."""
    empty = tmp_path / "пустой PATH"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(pdf.ENV, raising=False)
    monkeypatch.setattr(pdf, "usual_places", lambda environ: [])


def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """DOCGEN_SOFFICE is ``script`` (a POSIX program), each document converted alone."""
    program = tmp_path / "LibreOffice" / "program" / "soffice"
    program.parent.mkdir(parents=True)
    program.write_text(script, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv(pdf.ENV, str(program))
    monkeypatch.setenv(pdf.COMBINE_ENV, "0")
    return program


def blanks_page(client: FlaskClient, status: int = 200) -> str:
    response = client.get("/blanks")
    assert response.status_code == status
    return response.get_data(as_text=True)


def post(client: FlaskClient, form: str, csrf: str, **fields: Any) -> Any:
    return client.post(f"/blanks/{form}", data={"csrf": csrf, **fields},
                       content_type="multipart/form-data")


def leftovers(service: Service) -> list[Path]:
    """What the blanks left in the server's upload folder (nothing: each is removed)."""
    return [p for p in (service.state / UPLOADS).iterdir() if p.name.startswith("blank-")]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow  # real LibreOffice, twice
def test_pdf_of_a_blank_plain_and_filled(service: Service, tmp_path: Path) -> None:
    from conftest import require_soffice

    require_soffice()
    client = create_app(service, testing=True).test_client()
    html = blanks_page(client)
    assert html.count('name="format" value="pdf"') == len(main.forms())
    assert html.count(">Скачать PDF</button>") == len(main.forms())
    csrf = csrf_of(html)

    response = post(client, "registration", csrf, rows="7", format="pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].endswith(
        f"filename*=UTF-8''{quote('Лист регистрации.pdf')}")
    text = pdf_text(response.data)
    assert "ЛИСТ РЕГИСТРАЦИИ" in text
    cli = main.blank_form("registration", tmp_path / "cli", rows=7)
    numbers = [c.text.strip() for c in docx.Document(str(cli.path)).tables[0].columns[0].cells]
    assert numbers[-1] == "7" and re.search(r"^7\b", text, re.M)  # the 7 rows asked for

    gmo = without_photos(DATA / "izhevsk-gmo.xlsx", tmp_path / "gmo.xlsx")
    filled = post(client, "zayavka-1", csrf, format="pdf",
                  workbook=(io.BytesIO(gmo.read_bytes()), gmo.name))
    assert filled.status_code == 200, filled.get_data(as_text=True)[:2000]
    assert filled.headers["Content-Disposition"].endswith(
        f"filename*=UTF-8''{quote('Бланк заявки (приложение 1).pdf')}")
    group = main.load_group(gmo)
    flat = " ".join(pdf_text(filled.data).split())
    assert group.name.split()[0] in flat and "ЗАЯВКА" in flat.upper()
    assert not leftovers(service)


@posix_only
def test_the_pdf_is_of_the_very_docx_the_page_gives(service: Service, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With a stand-in LibreOffice (it writes the .docx's sha256 into its «PDF»): the PDF
    is made by ``convert_to_pdf`` from the .docx «Скачать бланк» gives, unchanged."""
    from test_pdf_convert import FAKE

    stand_in(tmp_path, monkeypatch, FAKE.format(python=sys.executable))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "calls.jsonl"))
    client = create_app(service, testing=True).test_client()
    html = blanks_page(client)
    assert "«Скачать PDF» — файл для печати" in html
    csrf = csrf_of(html)
    word = post(client, "protocol", csrf, rows="4", format="docx")
    plain = post(client, "protocol", csrf, rows="4")  # no format sent: the .docx, as before
    assert word.status_code == plain.status_code == 200
    made = main.blank_form("protocol", tmp_path / "cli", rows=4)
    assert word.data == plain.data == made.path.read_bytes()
    assert word.headers["Content-Disposition"].endswith(quote("Бланк протокола.docx"))
    assert docx.Document(io.BytesIO(word.data)).paragraphs

    printed = post(client, "protocol", csrf, rows="4", format="pdf")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.headers["Content-Disposition"].endswith(quote("Бланк протокола.pdf"))
    assert printed.data == b"%PDF-1.4 fake " + hashlib.sha256(word.data).hexdigest().encode()
    assert len((tmp_path / "calls.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert not leftovers(service)


def test_without_libreoffice_the_page_offers_the_docx_and_says_why(
        service: Service, no_libreoffice: None) -> None:
    client = create_app(service, testing=True).test_client()
    html = blanks_page(client)
    assert "Скачать PDF" not in html and 'value="pdf"' not in html
    assert "PDF здесь не делаются: на сервере не установлен LibreOffice" in html
    assert html.count(">Скачать бланк</button>") == len(main.forms())
    # a page opened before LibreOffice went away still sends «Скачать PDF»
    response = post(client, "zayavka-2", csrf_of(html), format="pdf")
    assert response.status_code == 503
    shown = response.get_data(as_text=True)
    assert f'<p class="alert" role="alert">{escape(pdf.NOT_FOUND)}<br>' in shown
    assert "можно скачать кнопкой «Скачать бланк»" in shown
    assert shown.count(">Скачать бланк</button>") == len(main.forms())
    assert "Traceback" not in shown and "LibreOfficeNotFound" not in shown
    assert not leftovers(service)
    word = post(client, "zayavka-2", csrf_of(html), format="docx")
    assert word.status_code == 200 and docx.Document(io.BytesIO(word.data)).paragraphs


def test_libreoffice_gone_after_the_page_offered_pdf(service: Service, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in(tmp_path, monkeypatch, "#!/bin/sh\nexit 0\n")
    client = create_app(service, testing=True).test_client()
    html = blanks_page(client)
    assert html.count(">Скачать PDF</button>") == len(main.forms())
    monkeypatch.delenv(pdf.ENV)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdf, "usual_places", lambda environ: [])
    response = post(client, "registration", csrf_of(html), format="pdf")
    assert response.status_code == 503
    assert str(escape(pdf.NOT_FOUND)) in response.get_data(as_text=True)


@posix_only
def test_a_failed_conversion_is_the_clis_line(service: Service, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice that ends without a PDF: «<бланк>.docx: PDF не создан: …», as the CLI."""
    stand_in(tmp_path, monkeypatch, "#!/bin/sh\nexit 81\n")
    client = create_app(service, testing=True).test_client()
    csrf = csrf_of(blanks_page(client))
    response = post(client, "protocol", csrf, format="pdf")
    assert response.status_code == 500
    shown = response.get_data(as_text=True)
    alert = re.search(r'<p class="alert" role="alert">([^<]+)<br>', shown)
    assert alert and alert[1].startswith("Бланк протокола.docx: PDF не создан: ")
    made = main.blank_form("protocol", tmp_path / "cli")
    failed = main.convert_to_pdf([made.path], jobs=1).failed
    assert alert[1] == str(escape(f"{made.path.name}: PDF не создан: {failed[0][1].message}"))
    assert "Traceback" not in shown and shown.count(">Скачать бланк</button>") == len(main.forms())
    assert not leftovers(service)


def test_a_busy_converter_is_said_not_waited_for(service: Service, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Another clerk's blank holds the converter past the wait: the page says so."""
    stand_in(tmp_path, monkeypatch, "#!/bin/sh\nexit 81\n")
    client = create_app(service, testing=True).test_client()
    csrf = csrf_of(blanks_page(client))
    service.blank_pdf_wait = 0.05
    held = threading.Event()
    release = threading.Event()

    def other_clerk() -> None:
        with service._blank_pdf_lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=other_clerk)
    thread.start()
    try:
        assert held.wait(10)
        response = post(client, "registration", csrf, format="pdf")
    finally:
        release.set()
        thread.join()
    assert response.status_code == 503
    assert f"{escape(BLANK_PDF_BUSY)}<br>" in response.get_data(as_text=True)
    assert not leftovers(service)
