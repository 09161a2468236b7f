"""Helpers of the `docgen serve` tests: workbooks made from the examples, page scraping."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from docgen.web.service import Service

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = sorted(DATA.glob("*.xlsx"))


def latin_surname(target: Path, source: Path | None = None) -> tuple[Path, str]:
    """An example workbook whose first member's surname has a Latin «e»; (path, the cell)."""
    book = openpyxl.load_workbook(source or DATA / "amursk-tvorcheskaya.xlsx")
    sheet = book["Участники"]
    surname = str(sheet["A2"].value)
    position = next(i for i, ch in enumerate(surname) if ch in "ео")
    sheet["A2"] = surname[:position] + {"е": "e", "о": "o"}[surname[position]] \
        + surname[position + 1:]
    book.save(target)
    return target, "A2"


def renamed(source: Path, target: Path, suffix: str = "") -> Path:
    """An example workbook whose group is another one (its name gets ``suffix``), its
    «Фото» cells emptied: one workbook uploaded alone has no folder of event photos
    beside it, and a photo it names but lacks is an error."""
    book = openpyxl.load_workbook(source)
    sheet = book["Группа"]
    for row in sheet.iter_rows(min_row=2):
        if suffix and row[0].value == "Название":
            row[1].value = f"{row[1].value} {suffix}"
            break
    events = book["Мероприятия"]
    column = next((c.column for c in events[1] if c.value == "Фото"), None)
    if column is not None:
        for row in events.iter_rows(min_row=2, min_col=column, max_col=column):
            row[0].value = None
    book.save(target)
    return target


def without_photos(source: Path, target: Path) -> Path:
    """The example as one workbook uploaded alone: its «Фото» cells emptied."""
    return renamed(source, target)


def copy_example(name: str, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(DATA / name, target_dir / name))


def example_zip(workbook: Path, encoding: str | None = None, prefix: str = "") -> bytes:
    """An example workbook zipped as the README says: with its photo folder beside it
    (``data/<name>/``, which its «Фото» cells name), when it has one."""
    members = {f"{prefix}{workbook.name}": workbook.read_bytes()}
    photos = workbook.with_suffix("")
    if photos.is_dir():
        members |= {f"{prefix}{p.relative_to(workbook.parent).as_posix()}": p.read_bytes()
                    for p in sorted(photos.rglob("*")) if p.is_file()}
    return zip_bytes(members, encoding=encoding)


def pictures(document: bytes) -> int:
    """How many pictures a .docx shows in its body (its tables included)."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return archive.read("word/document.xml").count(b"<pic:pic")


def settled(client: object, location: str, seconds: float = 60) -> str:
    """The upload's page once nothing runs for it: a build, or the marked copies
    («Книга с пометками»), which are made after the check's page is shown."""
    import time

    deadline = time.monotonic() + seconds
    while client.get(f"{location}/status").json["state"] in ("queued", "running"):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "still running"
        time.sleep(0.05)
    return client.get(location).get_data(as_text=True)  # type: ignore[attr-defined]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def links(html: str, prefix: str = "/f/") -> list[tuple[str, str]]:
    """(href, text) of the page's links starting with ``prefix``."""
    return re.findall(rf'href="({re.escape(prefix)}[^"]+)">([^<]+)</a>', html)


class _Unflagged(zipfile.ZipInfo):
    """A member whose name is written in ``encoding`` without the zip's UTF-8 flag, as
    Info-ZIP on Linux (UTF-8 bytes) or Windows Explorer (CP866) write them."""

    __slots__ = ("encoding",)

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own name
        return self.filename.encode(self.encoding), self.flag_bits & ~0x800


def zip_bytes(members: dict[str, bytes], links_to: dict[str, str] | None = None,
              encoding: str | None = None) -> bytes:
    """A zip with ``members``; ``links_to`` adds Unix symbolic links (name -> target);
    ``encoding`` writes the names in it without the UTF-8 flag."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if encoding:
                info = _Unflagged(name, (2026, 1, 1, 0, 0, 0))
                info.encoding = encoding
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
            else:
                archive.writestr(name, data)
        for name, target in (links_to or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)
    return out.getvalue()


def running_service(tmp_path: Path, jobs: int = 1) -> Iterator[Service]:
    """A started Service over ``tmp_path / "out"`` with builds in threads, closed after:
    the body of every web test module's ``service`` fixture."""
    found = Service(tmp_path / "out", jobs=jobs, processes=False)
    found.start()
    try:
        yield found
    finally:
        found.close()


def upload(client: Any, files: list[tuple[bytes | Path, str]], status: int = 302) -> Any:
    """Send files through «Проверить» as the page's form does; the response, its status
    checked (302: the upload's page, whose address is in ``Location``)."""
    csrf = csrf_of(client.get("/").get_data(as_text=True))
    sent = [(io.BytesIO(data if isinstance(data, bytes) else data.read_bytes()), name)
            for data, name in files]
    response = client.post("/upload", data={"csrf": csrf, "files": sent},
                           content_type="multipart/form-data")
    assert response.status_code == status, response.get_data(as_text=True)[-2000:]
    return response
