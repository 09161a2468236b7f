"""The pages fit a narrow window (issue 28 «The page»): «Бланки» and the others at
400×800 and 1366×768 in the system's Chromium, checked for horizontal overflow."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_browser import (  # noqa: F401 (shots is a fixture)
    CHROMIUM,
    CHROMIUM_ARGS,
    require_browser,
    running_server,
    shots,
)
from web_support import latin_surname

pytestmark = pytest.mark.slow


def test_the_pages_fit_a_400_pixel_window(tmp_path: Path, shots: Path) -> None:  # noqa: F811
    """Before: «Бланки» was 440 px wide at 400 (its cards were at least 420 px)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    bad, _cell = latin_surname(tmp_path / "Группа с ошибкой.xlsx")

    with running_server(tmp_path / "out") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, height in ((400, 800), (1366, 768)):
                page = browser.new_page(viewport={"width": width, "height": height},
                                        locale="ru-RU")
                for path in ("blanks", "", "new", "archive"):
                    page.goto(url + path)
                    page.screenshot(path=str(shots / f"{path or 'index'}-{width}x{height}.png"))
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    assert wide <= width, (path, width, wide)
                page.goto(url)  # the problem table, its cells with whose row they are
                page.set_input_files("#files", str(bad))
                page.get_by_role("button", name="Проверить").click()
                page.locator("table.errors").wait_for()
                page.screenshot(path=str(shots / f"oshibki-{width}x{height}.png"))
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, ("upload", width, wide)
                page.close()
        finally:
            browser.close()
