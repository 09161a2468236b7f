"""Each bundled example, zipped with its photo folder as the README says, uploaded,
checked, built and every document downloaded through a real browser (issue 25 §1).

Uses the real server process and the system's Chromium of ``test_web_browser``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from test_web_browser import browser_page, require_browser, running_server, shots  # noqa: F401
from web_support import EXAMPLES, example_zip, pictures

pytestmark = pytest.mark.slow

PHOTO_GROUPS = ("izhevsk-gmo", "okhrozavodsk-setevaya")


def test_every_example_zipped_with_its_photos_builds_in_the_browser(
        tmp_path: Path, shots: Path) -> None:  # noqa: F811 (the fixture)
    require_browser()
    with running_server(tmp_path / "out") as url, browser_page() as page:
        for workbook in EXAMPLES:
            archive = tmp_path / f"{workbook.stem}.zip"
            archive.write_bytes(example_zip(workbook))
            page.goto(url)
            page.set_input_files("#files", str(archive))
            page.get_by_role("button", name="Проверить").click()
            assert page.locator(".badge.ok").inner_text() == "Ошибок нет", workbook.name
            page.get_by_role("button", name="Сформировать документы").click()
            link = page.get_by_role("link", name="Скачать все документы (.zip)")
            link.wait_for(timeout=180_000)
            assert page.locator("h1").inner_text() == "Документы сформированы"
            assert "не найден" not in page.content()
            page.screenshot(path=str(shots / f"photos-{workbook.stem}.png"), full_page=True)
            names = [n for n in page.locator("ul.docs li a").all_inner_texts()
                     if n.endswith(".docx")]
            assert len(names) >= 5, names
            reports_with_photos = 0
            for name in names:
                with page.expect_download() as download:
                    page.get_by_role("link", name=name, exact=True).click()
                saved = tmp_path / workbook.stem / download.value.suggested_filename
                download.value.save_as(saved)
                body = saved.read_bytes()
                assert "".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs) \
                    .strip(), name
                if "Отчёт о сетевом событии" in name and pictures(body):
                    reports_with_photos += 1
            with page.expect_download() as download:
                link.click()
            with zipfile.ZipFile(download.value.path()) as zipped:
                assert len([n for n in zipped.namelist() if n.endswith(".docx")]) \
                    == len(names) + 1  # and the bundle
            if workbook.stem in PHOTO_GROUPS:
                assert reports_with_photos >= 2, workbook.name
