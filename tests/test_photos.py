"""Photos of network events: the «Фото» column, its checks, Pillow, and the report's appendices."""

from __future__ import annotations

import copy
import datetime as dt
import io
import runpy
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from conftest import docx_text
from PIL import Image

from docgen.cli import cli
from docgen.content.documents import is_online, registration_pages
from docgen.main import build_workbook, check_workbook
from docgen.workbook import photos
from docgen.workbook.blank import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SETEVAYA = runpy.run_path(str(ROOT / "data" / "examples.py"))["EXAMPLES"][
    "okhrozavodsk-setevaya.xlsx"]


def picture(path: Path, size: tuple[int, int] = (800, 600), color: tuple = (200, 60, 40),
            orientation: int | None = None, fmt: str | None = None, noise: bool = False,
            ) -> Path:
    """A picture file; ``orientation`` an EXIF tag as a phone writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    if noise:
        image = Image.effect_noise(size, 80).convert("RGB")
    for x in range(0, size[0], 40):  # a feature to see where the top went
        image.putpixel((x, 0), (0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0132] = "2025:10:21 12:00:00"
    if orientation:
        exif[0x0112] = orientation
    kind = fmt or ("PNG" if path.suffix.lower() == ".png" else "JPEG")
    if kind == "JPEG":
        image.save(path, kind, exif=exif.tobytes(), quality=90)
    else:
        image.save(path, kind)
    return path


def event_book(folder: Path, events: list[dict[str, Any]], name: str = "сеть.xlsx") -> Path:
    """The сетевая example with these events, written to ``folder``."""
    content = copy.deepcopy(SETEVAYA)
    base = {"Название": "Семинар «Цифровая лаборатория»", "Форма": "семинар",
            "Участников": 12, "Ответственный": "Лобода Н.М."}
    content["Мероприятия"] = [{"№": i, "Дата": SETEVAYA["Мероприятия"][0]["Дата"],
                               **base, **event} for i, event in enumerate(events, start=1)]
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / name, content)


def report(result: Any, n: int = 0) -> Path:
    reports = sorted(w.path for w in result.written if w.document.doc_id == "event_report")
    return reports[n]


def media(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("word/media/")}


# --- processing ---------------------------------------------------------------------


def test_a_big_photo_is_reduced_rotated_and_stripped(tmp_path: Path) -> None:
    """A 4000×3000 photo taken upright (landscape pixels, EXIF «rotate 90°») comes out
    portrait, at most 1600 px, as JPEG without its EXIF."""
    path = picture(tmp_path / "IMG_2034.jpg", (4000, 3000), orientation=6)
    prepared = photos.prepare(path)
    assert (prepared.width, prepared.height) == (1200, 1600)
    assert prepared.ext == "jpg"
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (1200, 1600)
        assert not image.getexif()
        assert "exif" not in image.info


def test_small_pictures_are_not_enlarged(tmp_path: Path) -> None:
    prepared = photos.prepare(picture(tmp_path / "a.jpg", (640, 480)))
    assert (prepared.width, prepared.height) == (640, 480)


def test_the_same_file_gives_the_same_bytes(tmp_path: Path) -> None:
    one = picture(tmp_path / "a.jpg", (2000, 1500), orientation=3)
    two = picture(tmp_path / "b" / "a.jpg", (2000, 1500), orientation=3)
    assert photos.prepare(one).data == photos.prepare(two).data


def test_a_prepared_photo_is_kept_on_disk_for_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker of a batch, and each run, would spend 20 ms of Pillow on every photo."""
    cache = tmp_path / "кэш"
    monkeypatch.setenv("DOCGEN_CACHE", str(cache))
    path = picture(tmp_path / "a.jpg", (2000, 1500), orientation=6)
    photos._prepare.cache_clear()
    first = photos.prepare(path)
    (entry,) = (cache / "photos").glob("*.bin")

    def no_pillow(path: str, name: str) -> photos.Prepared:
        raise AssertionError("prepared again")

    photos._prepare.cache_clear()  # a new process
    with monkeypatch.context() as patch:
        patch.setattr(photos, "_prepared", no_pillow)
        assert photos.prepare(path) == first
        entry.write_bytes(b"jpg damaged")
        photos._prepare.cache_clear()
        with pytest.raises(AssertionError, match="prepared again"):  # a damaged entry: made
            photos.prepare(path)
    photos._prepare.cache_clear()
    assert photos.prepare(path) == first
    assert entry.read_bytes().endswith(first.data)
    picture(path, (800, 600))  # the file changed: its own entry
    photos._prepare.cache_clear()
    assert (photos.prepare(path).width, photos.prepare(path).height) == (800, 600)
    assert len(list((cache / "photos").glob("*.bin"))) == 2
    monkeypatch.setenv("DOCGEN_CACHE", "off")
    photos._prepare.cache_clear()
    assert photos.prepare(path).width == 800
    assert len(list((cache / "photos").glob("*.bin"))) == 2


def test_a_screenshot_stays_png_and_a_photo_saved_as_png_becomes_jpeg(tmp_path: Path) -> None:
    screen = photos.prepare(picture(tmp_path / "screen.png", (1920, 1080)))
    assert screen.ext == "png" and (screen.width, screen.height) == (1600, 900)
    photo = photos.prepare(picture(tmp_path / "photo.png", (1200, 900), noise=True))
    assert photo.ext == "jpg"


def test_transparency_becomes_white_paper(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(path)
    prepared = photos.prepare(path)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.mode == "RGB" and image.getpixel((10, 10)) == (255, 255, 255)


def test_a_huge_picture_is_refused_in_russian(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(photos, "MAX_PIXELS", 100_000)
    path = picture(tmp_path / "big.jpg", (1000, 1000))  # 1 MP over a limit of 0.1 MP
    assert "слишком большой" in photos.inspect(path)
    huge = picture(tmp_path / "huge.png", (1000, 500))  # past twice the limit: Pillow's error
    assert "слишком большой" in photos.inspect(huge)
    photos._prepare.cache_clear()
    with pytest.raises(photos.PhotoProblem, match="слишком большой"):
        photos.prepare(path)


def test_files_of_a_folder_come_in_name_order(tmp_path: Path) -> None:
    for name in ("фото10.jpg", "фото2.jpg", "Фото1.JPG", "notes.txt"):
        (tmp_path / "f").mkdir(exist_ok=True)
        (tmp_path / "f" / name).write_bytes(b"x")
    found, problems = photos.resolve("f", tmp_path)
    assert not problems
    assert [n for n, _ in found] == ["f/Фото1.JPG", "f/фото2.jpg", "f/фото10.jpg"]


@pytest.mark.parametrize("name", ["../секрет.jpg", "фото/../../x.jpg", "/etc/passwd",
                                  "C:\\Users\\Фото\\a.jpg", "\\\\server\\share\\a.jpg",
                                  "~/a.jpg"])
def test_names_outside_the_workbook_folder_are_refused(tmp_path: Path, name: str) -> None:
    (tmp_path.parent / "секрет.jpg").write_bytes(b"x")
    found, problems = photos.resolve(name, tmp_path / "book")
    assert not found and len(problems) == 1
    assert "папки книги" in problems[0] or "полный путь" in problems[0]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = picture(tmp_path / "outside.jpg")
    book = tmp_path / "book"
    book.mkdir()
    (book / "link.jpg").symlink_to(outside)
    found, problems = photos.resolve("link.jpg", book)
    assert not found and "за пределы папки книги" in problems[0]


def test_captions_come_only_from_readable_names() -> None:
    assert photos.caption("фото/01 Открытие семинара.jpg") == "Открытие семинара"
    assert photos.caption("2_работа_в_группах.png") == "Работа в группах"
    assert photos.caption("IMG_2034.jpg") == ""
    assert photos.caption("фото1.jpg") == ""


def test_online_is_told_by_the_form() -> None:
    for form in ("вебинар", "онлайн-семинар", "дистанционно", "видеоконференция",
                 "On-line конференция"):
        assert is_online(form), form
    for form in ("семинар", "мастер-класс", "очно-дистанционный семинар", None):
        assert not is_online(form), form


def test_registration_pages_cover_every_row() -> None:
    for rows in (1, 19, 25, 60, 300):
        pages = registration_pages(rows, "Семинар")
        assert sum(pages) >= rows and all(pages)
        assert pages[0] <= 20 and all(p <= 25 for p in pages[1:])
        # a sheet of several pages never ends on a lone row or two (MIN_LAST_PAGE_ROWS)
        assert len(pages) == 1 or pages[-1] >= 5
    assert registration_pages(25, "Семинар" * 40)[0] < registration_pages(25, "Семинар")[0]


# --- the workbook's checks ---------------------------------------------------------


def problems_of(path: Path) -> list[str]:
    return [p.format() for p in check_workbook(path).errors]


def test_photos_are_found_beside_the_workbook(tmp_path: Path) -> None:
    picture(tmp_path / "фото" / "a.jpg")
    picture(tmp_path / "фото" / "b.png")
    book = event_book(tmp_path, [{"Фото": "фото/a.jpg; фото/b.png"}, {"Фото": "фото"}])
    group = check_workbook(book).group
    assert group is not None
    assert [p.name for p in group.events[0].photos] == ["фото/a.jpg", "фото/b.png"]
    assert [p.name for p in group.events[1].photos] == ["фото/a.jpg", "фото/b.png"]
    assert group.events[0].category == "педагоги"


@pytest.mark.parametrize(("cell", "make", "said"), [
    ("нет/a.jpg", None, "файл «нет/a.jpg» не найден рядом с книгой"),
    ("текст.jpg", "text", "файл «текст.jpg» не читается как изображение"),
    ("рисунок.gif", "gif", "в формате GIF, а нужен JPEG или PNG"),
    ("маска.jpg", "gif", "«маска.jpg» — изображение в формате GIF"),
    ("../чужое.jpg", "outside", "ведёт за пределы папки книги"),
    ("/tmp/a.jpg", None, "полный путь"),
    ("пустая", "folder", "в папке «пустая» нет фото"),
])
def test_a_bad_photo_is_an_error_naming_the_sheet_cell_and_file(
        tmp_path: Path, cell: str, make: str | None, said: str) -> None:
    book_dir = tmp_path / "книга"
    book_dir.mkdir()
    if make == "text":
        (book_dir / cell).write_text("это не фото", encoding="utf-8")
    elif make == "gif":
        Image.new("P", (10, 10)).save(book_dir / cell, "GIF")
    elif make == "outside":
        picture(tmp_path / "чужое.jpg")
    elif make == "folder":
        (book_dir / cell).mkdir()
    book = event_book(book_dir, [{"Фото": cell}])
    for command in ("check", "build"):
        result = CliRunner().invoke(cli, [command, str(book), "-o", str(tmp_path / "out")]
                                    if command == "build" else [command, str(book)])
        assert result.exit_code == 1, result.output
        line = next(x for x in result.output.splitlines() if said in x)
        assert "лист «Мероприятия», ячейка " in line and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))


def test_an_event_without_photos_is_a_warning_where_the_kind_reports_events(
        tmp_path: Path) -> None:
    book = event_book(tmp_path, [{"Фото": None}])
    result = check_workbook(book)
    assert result.ok
    assert any("прилагаются фото" in p.message and p.location.sheet == "Мероприятия"
               for p in result.warnings)


def test_a_photo_damaged_after_its_header_fails_the_build_naming_the_cell(
        tmp_path: Path) -> None:
    whole = picture(tmp_path / "a.jpg", (1200, 900), noise=True).read_bytes()
    (tmp_path / "a.jpg").write_bytes(whole[:len(whole) // 3])  # the header is intact
    book = event_book(tmp_path, [{"Фото": "a.jpg"}])
    photos._prepare.cache_clear()
    result = build_workbook(book, tmp_path / "out")
    assert result.error is not None, result
    assert "a.jpg" in str(result.error) and "ячейка" in str(result.error)


# --- the report -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("photos")
    picture(folder / "фото" / "01 Открытие семинара.jpg", (4000, 3000), orientation=6)
    picture(folder / "фото" / "02.jpg", (3000, 2000), color=(20, 120, 200))
    picture(folder / "фото" / "03.jpg", (1000, 1000), color=(20, 200, 20))
    picture(folder / "экран" / "снимок.png", (1920, 1080), color=(250, 250, 250))
    book = event_book(folder, [
        {"Фото": "фото", "Участников": 25, "Ссылка на материалы": None},
        {"Фото": "экран/снимок.png", "Форма": "вебинар", "Участников": 60,
         "Ссылка на материалы": "https://example.ru/вебинар"},
        {"Фото": "фото/02.jpg", "Категория участников": "обучающиеся", "Участников": 10},
    ])
    result = build_workbook(book, folder / "out")
    assert result.ok, result
    return folder, book, result


def test_the_report_carries_its_photos_small_and_upright(built: Any) -> None:
    _, _, result = built
    images = media(report(result, 0))
    assert len(images) == 3
    sizes = [Image.open(io.BytesIO(data)).size for data in images.values()]
    assert all(max(size) <= 1600 for size in sizes)
    assert (1200, 1600) in sizes  # the upright photo: portrait
    doc = docx.Document(str(report(result, 0)))
    shapes = doc.inline_shapes
    assert len(shapes) == 3
    for shape in shapes:  # inside the 170 × 90 mm box, proportions kept
        assert shape.width <= 170 * 36_000 + 1 and shape.height <= 90 * 36_000 + 1
    upright = next(s for s in shapes if s.height > s.width)
    assert upright.height == 90 * 36_000 and abs(upright.width - 67.5 * 36_000) < 2


def test_the_report_lists_its_appendices_with_sheet_counts(built: Any) -> None:
    _, _, result = built
    text = docx_text(report(result, 0))
    assert "Приложение:\t1. Лист регистрации участников на 2 л. в 1 экз.;" in text
    assert "\t2. Фотоотчёт на 2 л. в 1 экз." in text
    assert "Приложение № 1\nк отчёту о проведении" in text
    assert "Фотоотчёт\n" in text
    assert "Рисунок 1 – Открытие семинара" in text and "Рисунок 3" in text
    assert "Материалы" not in text  # no link: no empty row


def test_an_online_event_has_a_list_without_signatures_and_screenshots(built: Any) -> None:
    _, _, result = built
    path = report(result, 1)
    text = docx_text(path)
    assert "Приложение:\t1. Список участников на 3 л. в 1 экз.;" in text
    assert "\t2. Снимки экрана на 1 л. в 1 экз." in text
    assert "Подпись" not in text
    assert "Материалы\thttps://example.ru/вебинар" in text or "https://example.ru" in text
    images = media(path)
    assert [n.rsplit(".", 1)[1] for n in images] == ["png"]


def test_pupils_register_with_their_class(built: Any) -> None:
    _, _, result = built
    doc = docx.Document(str(report(result, 2)))
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables
             if "Фамилия, имя, отчество" in [c.text for c in t.rows[0].cells]]
    assert heads == [["№ п/п", "Фамилия, имя, отчество", "Организация", "Класс", "Подпись"]]


def test_a_rerun_with_photos_is_byte_identical(built: Any, tmp_path: Path) -> None:
    _, book, first = built
    photos._prepare.cache_clear()
    again = build_workbook(book, tmp_path / "again")
    assert again.ok
    for one, two in zip(sorted(w.path for w in first.written),
                        sorted(w.path for w in again.written), strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_a_batch_finds_each_workbooks_photos_beside_it(tmp_path: Path) -> None:
    for name, color in (("а", (255, 0, 0)), ("б", (0, 0, 255))):
        picture(tmp_path / name / "фото" / "1.jpg", color=color)
        content_name = f"сеть {name}.xlsx"
        book = event_book(tmp_path / name, [{"Фото": "фото/1.jpg"}], content_name)
        group_name = f"Группа {name}"
        from openpyxl import load_workbook

        wb = load_workbook(book)
        ws = wb["Группа"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Название")
        ws.cell(row, 2).value = group_name
        wb.save(book)
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "а"), str(tmp_path / "б"),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    colors = set()
    for path in (tmp_path / "out").rglob("*Отчёт о сетевом событии*.docx"):
        (data,) = media(path).values()
        colors.add(Image.open(io.BytesIO(data)).convert("RGB").getpixel((400, 300)))
    assert len(colors) == 2


# --- a clerk's own template ------------------------------------------------------------


def own_template(folder: Path, text: str) -> Path:
    templates = folder / "шаблоны"
    templates.mkdir(exist_ok=True)
    doc = docx.Document()
    doc.add_paragraph(text)
    doc.save(templates / "order_open.docx")
    return templates


def test_a_clerks_template_can_carry_a_logo_from_the_workbook_folder(tmp_path: Path) -> None:
    picture(tmp_path / "логотип.png", (300, 100))
    book = event_book(tmp_path, [{"Фото": None}])
    templates = own_template(tmp_path, "{{ 'логотип.png'|picture(width=30) }}")
    result = build_workbook(book, tmp_path / "out", templates=[templates])
    assert result.ok, result.failed
    path = next(w.path for w in result.written if w.path.name.startswith("01 "))
    (shape,) = docx.Document(str(path)).inline_shapes
    assert shape.width == 30 * 36_000 and shape.height == 10 * 36_000


@pytest.mark.parametrize(("name", "said"), [("../x.png", "за пределы папки книги"),
                                            ("/etc/passwd", "полный путь"),
                                            ("нет.png", "не найден")])
def test_a_template_cannot_read_other_files(tmp_path: Path, name: str, said: str) -> None:
    picture(tmp_path / "x.png")
    book = event_book(tmp_path / "книга", [{"Фото": None}])
    templates = own_template(tmp_path, "{{ '" + name + "'|picture(width=30) }}")
    result = build_workbook(book, tmp_path / "out", templates=[templates])
    assert result.failed
    assert said in str(result.failed[0][1])


# --- the sheet counts against real pages ----------------------------------------------------


@pytest.mark.slow
def test_the_counted_sheets_are_the_pages_libreoffice_prints(tmp_path: Path) -> None:
    """Each appendix starts where the «Приложение:» line says and has its counted pages."""
    import re

    from conftest import require_soffice
    from pypdf import PdfReader

    from docgen.pdf import convert as pdf

    require_soffice()
    for n in range(5):
        picture(tmp_path / "фото" / f"{n + 1}.jpg", ((1600, 1200), (900, 1600))[n % 2])
    long_name = "Сетевой семинар «" + "Цифровая лаборатория в школе " * 6 + "»"
    cases = [{"Участников": 19, "Фото": "фото/1.jpg"},
             {"Участников": 20, "Фото": "фото/1.jpg; фото/2.jpg"},
             {"Участников": 46, "Фото": "фото"},
             {"Участников": 70, "Фото": "фото/3.jpg; фото/4.jpg; фото/5.jpg",
              "Название": long_name},
             {"Участников": 300, "Форма": "вебинар", "Фото": "фото/2.jpg"}]
    book = event_book(tmp_path, cases)
    result = build_workbook(book, tmp_path / "out")
    assert result.ok
    reports = sorted((w.path for w in result.written if w.document.doc_id == "event_report"),
                     key=lambda p: p.name)
    assert len(reports) == len(cases)
    converted = [c for chunk in pdf.convert(reports, pdf.find_soffice())
                 for c in chunk if _keep(c, tmp_path)]
    for item in converted:
        text = docx_text(item.source)
        counts = [int(x) for x in re.findall(r"на (\d+) л\. в 1 экз\.", text)]
        pages = [page.extract_text() for page in PdfReader(str(tmp_path / item.pdf.name)).pages]
        starts = [i for i, page in enumerate(pages) if "к отчёту о проведении" in page]
        assert len(starts) == len(counts) == 2, item.source.name
        assert starts[0] == 1, item.source.name  # the report itself fits one page
        assert starts[1] - starts[0] == counts[0], item.source.name
        assert len(pages) - starts[1] == counts[1], item.source.name


def _keep(converted: Any, folder: Path) -> bool:
    """Move a converted PDF out of the converter's temporary folder before it goes."""
    import shutil

    assert converted.pdf is not None, converted.error
    shutil.copy(converted.pdf, folder / converted.pdf.name)
    return True


def test_the_examples_reports_show_their_photos(tmp_path: Path) -> None:
    """The ГМО and сетевая examples ship with drawn photos (data/<example>/…): every event
    report carries them, the upright phone photo comes out portrait, the webinar's
    screenshots stay PNG."""
    expected = {"izhevsk-gmo.xlsx": [2, 3, 2, 1], "okhrozavodsk-setevaya.xlsx": [2, 1, 1]}
    for name, counts in expected.items():
        result = build_workbook(ROOT / "data" / name, tmp_path / name)
        assert result.ok, result
        reports = sorted((w.path for w in result.written if w.document.doc_id == "event_report"),
                         key=lambda p: dt.datetime.strptime(p.name.split(" от ")[1][:10],
                                                            "%d.%m.%Y"))
        assert [len(media(p)) for p in reports] == counts, name
        for path in reports:
            for data in media(path).values():
                with Image.open(io.BytesIO(data)) as image:
                    assert max(image.size) <= 1600 and not image.getexif()
    event = "*Отчёт о сетевом событии от {}*.docx"
    gmo = sorted((tmp_path / "izhevsk-gmo.xlsx").rglob(event.format("16.12.2025")))[0]
    sizes = [Image.open(io.BytesIO(d)).size for d in media(gmo).values()]
    assert (600, 800) in sizes  # фото1.jpg: landscape pixels tagged «rotate 90°»
    webinar = sorted((tmp_path / "izhevsk-gmo.xlsx").rglob(event.format("10.02.2026")))[0]
    assert all(n.endswith(".png") for n in media(webinar))
    assert "Снимки экрана" in docx_text(webinar) and "Подпись" not in docx_text(webinar)


# --- the blank workbook ------------------------------------------------------------------


def test_the_blank_workbook_offers_the_categories_and_says_where_photos_go(
        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "книга.xlsx"), "--kind", "ГМО"])
    assert result.exit_code == 0
    assert "в папку книги" in result.output and "«Фото»" in result.output
    wb = load_workbook(tmp_path / "книга.xlsx")
    ws = wb["Мероприятия"]
    headers = {cell.value: cell for cell in ws[1]}
    assert "папку книги" in headers["Фото"].comment.text
    category = headers["Категория участников"].column_letter
    lists = [dv for dv in ws.data_validations.dataValidation
             if str(dv.sqref).startswith(f"{category}2")]
    assert lists
    source = wb["Списки"]
    column = lists[0].formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [c.value for c in source[column] if c.value] == ["педагоги", "обучающиеся",
                                                            "родители"]
    instruction = " ".join(str(c.value) for row in wb["Инструкция"].iter_rows() for c in row
                           if c.value)
    assert "столбец «Фото» листа «Мероприятия»" in instruction


def test_a_category_may_be_typed_loosely(tmp_path: Path) -> None:
    book = event_book(tmp_path, [{"Фото": None, "Категория участников": "ученики"},
                                 {"Фото": None, "Категория участников": "Родители"}])
    group = check_workbook(book).group
    assert [e.category for e in group.events] == ["обучающиеся", "родители"]
