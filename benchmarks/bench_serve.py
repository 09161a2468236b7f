"""How long a clerk waits in the browser, against the CLI on the same workbooks.

Run from the checkout, with docgen, Playwright and the system's Chromium installed:

    python benchmarks/bench_serve.py                 # data/*.xlsx, 3 runs each
    python benchmarks/bench_serve.py --repeat 1 --screenshot progress.png

For each run a fresh `docgen serve` (its own output folder, its pool already
started, as a clerk finds it) is driven by headless Chromium exactly as a clerk
works: the workbooks are chosen in the file field, then the clock runs from the
click on «Проверить» through the check page, the click on «Сформировать
документы», the progress bar, to the zip «Скачать все документы» saved on disk.
Against it, as new processes each time: ``docgen check`` of the same workbooks
followed by ``docgen build --bundle`` (the page always makes the bundle), and
``docgen build`` alone. The fastest of ``--repeat`` runs is printed: a short run
suffers most from whatever else the machine does.

Nothing here is a test: the suite never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DOCGEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def start_server(out: Path, jobs: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", "0", "-o", str(out), "--jobs",
         str(jobs), "--no-browser", "--exit-after", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None
    for line in process.stdout:  # the first line names the address, once the pool is up
        found = re.search(r"http://\S+/", line)
        if found:
            return process, found.group(0)
    raise SystemExit("docgen serve did not start")


def stop_server(process: subprocess.Popen[str]) -> None:
    import signal

    if process.poll() is None:
        os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def in_browser(workbooks: list[Path], jobs: int, folder: Path, screenshot: Path | None,
               bundle: bool = True) -> tuple[float, float, int]:
    """(seconds to the check page, seconds from the button to the zip, bytes of the zip)."""
    from playwright.sync_api import sync_playwright

    process, url = start_server(folder / "out", jobs)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(accept_downloads=True).new_page()
            page.set_default_timeout(300_000)
            page.goto(url)
            page.set_input_files("#files", [str(p) for p in workbooks])
            started = time.perf_counter()
            page.get_by_role("button", name="Проверить").click()
            build = page.get_by_role("button", name="Сформировать документы")
            build.wait_for()
            checked = time.perf_counter() - started
            if not bundle:
                page.uncheck("input[name=bundle]")
            build.click()
            if screenshot is not None:
                page.locator("#progress").wait_for()
                page.screenshot(path=str(screenshot), full_page=True)
            link = page.get_by_role("link", name=re.compile("^Скачать все документы"))
            with page.expect_download() as download:
                link.click()
            target = folder / "Документы.zip"
            download.value.save_as(target)
            total = time.perf_counter() - started
            browser.close()
    finally:
        stop_server(process)
    return checked, total, target.stat().st_size


def command(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen", *args], check=False,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--without-bundle", action="store_true",
                        help="untick «Комплект документов» (compared with build alone)")
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="save the page with its progress bar here")
    parser.add_argument("workbooks", nargs="*", type=Path,
                        default=sorted((ROOT / "data").glob("*.xlsx")))
    options = parser.parse_args()
    books = [str(p) for p in options.workbooks]
    print(f"{len(books)} workbooks, --jobs {options.jobs}, fastest of {options.repeat} runs, "
          f"{'without' if options.without_bundle else 'with'} the bundle; load average "
          f"{os.getloadavg()[0]:.1f}")
    web, checks, cli, cli_build = [], [], [], []
    for n in range(options.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            checked, total, size = in_browser(options.workbooks, options.jobs, folder,
                                              options.screenshot if n == 0 else None,
                                              bundle=not options.without_bundle)
            checks.append(checked)
            web.append(total)
            check = command("check", *books)
            build = command("build", *books, "-o", str(folder / "cli"), "--bundle", "--jobs",
                            str(options.jobs))
            cli.append(check + build)
            cli_build.append(command("build", *books, "-o", str(folder / "cli2"), "--jobs",
                                     str(options.jobs)))
    print(f"browser, «Проверить» to the check page: {min(checks):.2f} s")
    print(f"browser, «Проверить» to «Документы.zip» saved ({size // 1024} KB): {min(web):.2f} s")
    print(f"CLI, docgen check + docgen build --bundle: {min(cli):.2f} s")
    print(f"CLI, docgen build alone: {min(cli_build):.2f} s")
    if options.without_bundle:
        print(f"ratio, browser without the bundle / CLI build alone: "
              f"{min(web) / min(cli_build):.2f}x")
    else:
        print(f"ratio, browser / CLI check + build --bundle: {min(web) / min(cli):.2f}x")


if __name__ == "__main__":
    main()
