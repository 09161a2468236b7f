"""`docgen serve` as a real process, driven by a real browser (Chromium through Playwright)
and by ten HTTP clients at once.

The server runs on 127.0.0.1 (or 127.0.0.2, which docgen treats as a network address:
only 127.0.0.1, ::1 and localhost are spared the password) on a port it picks, stops
by itself after a few minutes whatever happens here, and is ended by its pid. The
browser is the system's Chromium (Debian ``chromium``): Playwright's own download
cannot work without the internet.
"""

from __future__ import annotations

import base64
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from web_support import EXAMPLES, latin_surname, renamed, without_photos

from docgen.web import auth

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DOCGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Drops a file on the upload area as a clerk dragging it from Explorer would.
DROP = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name));
  document.getElementById("drop").dispatchEvent(
    new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""
LIFETIME = 300  # seconds after which the server stops by itself


def require_browser() -> None:
    """Skip without Chromium or Playwright; fail instead in CI (DOCGEN_REQUIRE_BROWSER=1)."""
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "Playwright (pip install playwright) is not installed"
    if not Path(CHROMIUM).is_file():
        missing = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if missing:
        if os.environ.get("DOCGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DOCGEN_REQUIRE_BROWSER=1, but {missing}")
        pytest.skip(missing)


@contextmanager
def running_server(out: Path, host: str = "127.0.0.1", jobs: int = 2) -> Iterator[str]:
    """A `docgen serve` process on a free port; yields its address, ends it by its pid."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--host", host, "--port", "0", "-o", str(out),
         "--jobs", str(jobs), "--no-browser", "--exit-after", str(LIFETIME)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    said: list[str] = []
    try:
        deadline = time.monotonic() + 60
        url = None
        while url is None and time.monotonic() < deadline:
            try:
                said.append(lines.get(timeout=1))
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            found = re.search(r"http://\S+/", said[-1])
            url = found.group(0) if found else None
        assert url, "the server did not start:\n" + "".join(said)
        yield url
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGINT)  # Ctrl+C: the server closes its pool
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the pages' screenshots go (DOCGEN_SCREENSHOTS keeps them for a look)."""
    folder = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, locale="ru-RU",
                                          viewport={"width": 1100, "height": 900})
            context.set_default_timeout(60_000)
            yield context.new_page()
        finally:
            browser.close()


def test_a_clerk_goes_from_a_blank_workbook_to_a_zip_of_documents(tmp_path: Path,
                                                                   shots: Path) -> None:
    require_browser()
    bad, cell = latin_surname(tmp_path / "Маленькие инженеры.xlsx")
    fixed = tmp_path / "fixed" / "Маленькие инженеры.xlsx"
    fixed.parent.mkdir()
    shutil.copy(EXAMPLES[0], fixed)
    with running_server(tmp_path / "out") as url, browser_page() as page:
        page.goto(url)
        assert page.title().startswith("Проверка и документы")
        page.screenshot(path=str(shots / "01-proverka.png"), full_page=True)

        # «Новая книга»: the blank workbook of a kind
        page.get_by_role("link", name="Новая книга", exact=True).click()
        page.select_option("#kind", "gmo")
        page.screenshot(path=str(shots / "02-novaya-kniga.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("button", name="Скачать книгу").click()
        blank = tmp_path / "blank.xlsx"
        download.value.save_as(blank)
        assert download.value.suggested_filename.startswith("Книга")
        assert "Инструкция" in openpyxl.load_workbook(blank).sheetnames

        # a Latin letter in a surname, dropped on the page: the error with its sheet and cell
        page.get_by_role("link", name="Проверка и документы", exact=True).click()
        assert page.locator("input[type=file][accept='.xlsx,.xlsm,.xls,.ods,.zip']").count() == 1
        page.evaluate(DROP, [bad.name, base64.b64encode(bad.read_bytes()).decode()])
        assert page.locator("[data-picked=files]").inner_text() == f"Выбрано: {bad.name}"
        page.get_by_role("button", name="Проверить").click()
        table = page.locator("table.errors")
        headers = table.locator("th").all_inner_texts()
        assert headers == ["Лист", "Ячейка", "Сообщение"]
        row = table.locator("tbody tr", has_text="латинск").first
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "Участники" and cells[1].startswith(f"{cell} (")  # whose row
        assert "латинск" in cells[2]
        assert page.get_by_role("button", name="Сформировать документы").count() == 0
        page.screenshot(path=str(shots / "03-oshibki.png"), full_page=True)

        # the fixed workbook: build, follow the progress, download the zip
        page.get_by_role("link", name="Загрузить другие книги").click()
        page.set_input_files("#files", str(fixed))
        page.get_by_role("button", name="Проверить").click()
        assert page.locator(".badge.ok").inner_text() == "Ошибок нет"
        page.get_by_role("button", name="Сформировать документы").click()
        link = page.get_by_role("link", name=re.compile("^Скачать все документы"))
        link.wait_for()
        page.screenshot(path=str(shots / "04-dokumenty.png"), full_page=True)
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "Документы.zip"
        archive = tmp_path / "Документы.zip"
        download.value.save_as(archive)
        with zipfile.ZipFile(archive) as zipped:
            names = [n for n in zipped.namelist() if n.endswith(".docx")]
            assert len(names) >= 10
            for name in names:
                document = docx.Document(io.BytesIO(zipped.read(name)))
                assert "".join(p.text for p in document.paragraphs).strip(), name
            assert any(n.endswith("Комплект документов.docx") for n in names)

        # «Бланки»: a registration sheet of 12 rows
        page.get_by_role("link", name="Бланки", exact=True).click()
        page.screenshot(path=str(shots / "05-blanki.png"), full_page=True)
        form = page.locator("section.blank", has_text="Лист регистрации")
        form.locator("input[name=rows]").fill("12")
        with page.expect_download() as download:
            form.get_by_role("button", name="Скачать бланк").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name == "Лист регистрации.docx"
        assert docx.Document(str(saved)).tables

        # «Архив»: the group built above, the registry, «Сформировать заново»
        page.get_by_role("link", name="Архив", exact=True).click()
        page.locator("details.group summary").first.click()
        assert page.get_by_role("link", name="Реестр документов.xlsx").count() == 1
        assert page.get_by_role("button", name="Сформировать заново").count() == 1
        page.screenshot(path=str(shots / "06-arhiv.png"), full_page=True)

        page.goto(url)  # the clerk's own uploads of the day are listed
        assert page.locator("ul.uploads li").count() == 2
        page.screenshot(path=str(shots / "07-zagruzki.png"), full_page=True)

        page.goto(url + "net-takoy-stranicy")
        assert page.locator("h1").inner_text() == "Страница не найдена"
        page.screenshot(path=str(shots / "08-oshibka-404.png"), full_page=True)


def test_a_network_address_asks_for_the_password(tmp_path: Path, shots: Path) -> None:
    require_browser()
    out = tmp_path / "out"
    auth.set_password(out, "пароль-центра")
    with running_server(out, host="127.0.0.2") as url, browser_page() as page:
        page.goto(url + "archive")
        assert page.title().startswith("Вход")
        page.screenshot(path=str(shots / "09-vhod.png"), full_page=True)
        page.fill("#password", "неверный пароль")
        page.get_by_role("button", name="Войти").click()
        assert "Неверный пароль" in page.locator("[role=alert]").inner_text()
        page.screenshot(path=str(shots / "10-nevernyi-parol.png"), full_page=True)
        page.fill("#password", "пароль-центра")
        page.get_by_role("button", name="Войти").click()
        assert page.title().startswith("Архив")
        assert page.get_by_role("button", name="Выйти").count() == 1


def test_the_serve_benchmark_runs_on_one_workbook() -> None:
    require_browser()
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_serve.py"),
                             "--repeat", "1", "--jobs", "1", str(EXAMPLES[0])],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 workbooks, --jobs 1, fastest of 1 runs, with the bundle")
    assert re.match(r"browser, «Проверить» to «Документы.zip» saved \(\d+ KB\): [\d.]+ s",
                    lines[2])
    assert lines[-1].startswith("ratio, browser / CLI check + build --bundle:")


# --- ten clients at once ------------------------------------------------------------------


class Client:
    """One clerk over plain HTTP: their own cookies, their own session."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.url + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def post(self, path: str, fields: dict[str, str],
             files: list[tuple[str, bytes]] = ()) -> tuple[int, str, bytes]:
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        for filename, data in files:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                     f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream"
                     f"\r\n\r\n").encode() + data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.url + path, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.opener.open(request, timeout=120) as response:  # follows the redirect
            return response.status, response.url, response.read()

    def csrf(self, html: bytes) -> str:
        found = re.search(rb'name="csrf" value="([^"]+)"', html)
        assert found
        return found.group(1).decode()

    def upload_and_build(self, workbook: Path, deadline: float) -> dict[str, Any]:
        _status, home = self.get("/")
        status, where, html = self.post("/upload", {"csrf": self.csrf(home)},
                                        [(workbook.name, workbook.read_bytes())])
        assert status == 200 and "/u/" in where
        upload = where[len(self.url):]
        self.post(f"{upload}/build", {"csrf": self.csrf(html), "bundle": "1"})
        while time.monotonic() < deadline:
            _status, state = self.get(f"{upload}/status")
            if json.loads(state)["state"] == "done":
                break
            time.sleep(0.3)
        else:
            pytest.fail("a build did not finish in time")
        _status, html = self.get(upload)
        found = re.search(rb'href="(/f/[^"]+)">\xd0\xa1\xd0\xba\xd0\xb0\xd1\x87', html)  # «Скач…»
        assert found, html.decode()[-3000:]
        href = found.group(1).decode()
        status, data = self.get(href)
        assert status == 200
        ids = [m.decode() for m in re.findall(rb'href="(/f/[^"]+)"', html)]
        return {"upload": upload, "zip": data, "ids": ids}


def test_ten_clients_at_once_each_get_exactly_their_own_documents(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    workbooks = [without_photos(p, books / p.name) for p in EXAMPLES]
    workbooks += [renamed(p, books / f"второй-{p.name}", "(второй состав)") for p in EXAMPLES]
    assert len(workbooks) == 10
    cli_out = tmp_path / "cli"
    subprocess.run([sys.executable, "-m", "docgen", "build", str(books), "-o", str(cli_out),
                    "--bundle", "--jobs", "2"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    with running_server(tmp_path / "out") as url:
        clients = [Client(url) for _ in workbooks]
        results: list[dict[str, Any] | BaseException] = [RuntimeError("not run")] * 10
        started = time.monotonic()
        deadline = started + 240

        def one(i: int) -> None:
            try:
                results[i] = clients[i].upload_and_build(workbooks[i], deadline)
            except BaseException as exc:
                results[i] = exc

        threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        elapsed = time.monotonic() - started
        for result in results:
            if isinstance(result, BaseException):
                raise result
        assert elapsed < 240
        folders = set()
        for i, result in enumerate(results):
            assert isinstance(result, dict)
            with zipfile.ZipFile(io.BytesIO(result["zip"])) as archive:
                names = archive.namelist()
                folder = {n.rsplit("/", 1)[0] for n in names}
                assert len(folder) == 1, names  # one group: this client's, no other's
                folders |= folder
                cli_folder = cli_out / folder.pop()
                expected = sorted(p.name for p in cli_folder.glob("*.docx"))
                assert sorted(n.rsplit("/", 1)[1] for n in names) == expected
                for name in names:
                    body = archive.read(name)
                    assert body == (cli_folder / name.rsplit("/", 1)[1]).read_bytes(), name
            other = results[(i + 1) % 10]
            assert isinstance(other, dict)
            for href in other["ids"]:  # nothing of another client is reachable
                assert clients[i].get(href)[0] == 404
            assert clients[i].get(other["upload"])[0] == 404
        assert len(folders) == 10
