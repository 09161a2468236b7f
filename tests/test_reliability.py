"""Nothing lost, nothing broken: the same input gives the same bytes, any text in any
cell comes through as typed, names from data stay inside the output folder, and a
run killed midway is finished by the next one without a broken or duplicated file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl.writer.excel
import pytest
from click.testing import CliRunner, Result
from conftest import docx_text
from docx.oxml.ns import qn

from docgen.cli import cli
from docgen.output.folders import MANIFEST, GroupFolder

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
YEAR = "2025-2026 учебный год"
GROUP = "Творческая группа «Читающая школа»"
STATE = {MANIFEST, ".docgen.lock"}  # docgen's own records of a run, not documents


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but docgen's records, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in STATE}


def set_text(content: dict, sheet: str, column: str, value: str, row: int = 0) -> None:
    if sheet == "Группа":
        content[sheet][column] = value
    else:
        content[sheet][row][column] = value


# --- the same input, the same bytes ---------------------------------------------------


class _Later(dt.datetime):
    """openpyxl's clock, three days on."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Later:  # type: ignore[override]
        moment = dt.datetime.now(tz) + dt.timedelta(days=3)
        return cls.fromtimestamp(moment.timestamp(), tz)


@pytest.mark.slow  # two whole builds of every example
def test_the_same_workbooks_give_byte_identical_files_on_another_day(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("build", DATA, "-o", tmp_path / "first", "--jobs", "1").exit_code == 0
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)  # zip members' times
    monkeypatch.setattr(openpyxl.writer.excel, "datetime",
                        types.SimpleNamespace(datetime=_Later, timezone=dt.timezone))
    assert invoke("build", DATA, "-o", tmp_path / "second", "--jobs", "1").exit_code == 0

    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    assert len(first) > 60
    assert f"{YEAR}/Реестр документов.xlsx" in first
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ


def test_the_manifest_records_the_hash_of_every_file_written(tmp_path: Path) -> None:
    assert invoke("build", DATA / "izhevsk-gmo.xlsx", "-o", tmp_path).exit_code == 0
    (folder,) = [p for p in (tmp_path / YEAR).iterdir() if p.is_dir()]
    recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
               for p in folder.glob("*.docx")}
    assert len(on_disk) > 10
    assert {name: entry["sha256"] for name, entry in recorded.items()} == on_disk


# --- any text in any cell -------------------------------------------------------------


def test_control_characters_are_removed_with_a_warning_naming_the_cell(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    # Excel keeps a control character in a cell as «_xHHHH_»; openpyxl writes it as is.
    content["Группа"]["Тема"] = "Формирование_x0007_ читательской_x001B_[31m грамотности"
    content["Повестка"][0]["Вопрос"] = "Утверждение_x0008_ плана_x000B_работы"
    book = make_workbook(content)
    before = book.read_bytes()

    checked = invoke("check", book)
    assert checked.exit_code == 0
    assert "лист «Группа», ячейка B6: удалены невидимые символы (U+0007, U+001B)" in \
        checked.output
    assert "лист «Повестка», ячейка C2: удалены невидимые символы (U+0008)" in checked.output
    assert "\x1b" not in checked.output + checked.stderr

    result = invoke("build", book, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    folder = tmp_path / "out" / YEAR / GROUP
    order = docx_text(next(folder.glob("01 *.docx")))
    assert "Формирование читательской[31m грамотности" in order
    protocol = docx_text(next(folder.glob("*Протокол № 1 *.docx")))
    assert "Утверждение плана" in protocol
    assert "работы" in protocol  # the pasted line break is a line break
    assert book.read_bytes() == before


MARKUP = "A & B < C > D \"E\" 'F' {{ 7 * 7 }} {% if true %}x{% endif %} {# c #} {_{ y }_} %_}"


@pytest.mark.parametrize(
    ("sheet", "column", "document"),
    [
        ("Группа", "Тема", "04 План"),
        ("Группа", "Цель", "04 План"),
        ("План", "Мероприятие", "04 План"),
        ("Повестка", "Решили", "Протокол № 1 "),
        ("Заседания", "Место", "Протокол № 1 "),
    ],
)
def test_markup_and_template_tags_in_data_come_out_literally(
        content: dict, make_workbook: Callable, tmp_path: Path,
        sheet: str, column: str, document: str) -> None:
    set_text(content, sheet, column, MARKUP)
    result = invoke("build", make_workbook(content), "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    path = next((tmp_path / YEAR / GROUP).glob(f"*{document}*.docx"))
    # As typed, but for the typography pass: straight quotes are printed «ёлочки», or
    # „лапки“ where the template puts the value in its own quotes (the theme).
    assert any(MARKUP.replace('"E"', quoted) in docx_text(path) for quoted in ("«E»", "„E“"))
    assert "49" not in docx_text(path)


SCRIPTS = ("مجموعة القراءة · קבוצת קריאה · 📚👩‍🏫👨🏿‍🔬 · e\u0301te\u0301 · "
           "Z\u0335\u0321a\u0337lgo · 𝒜𝓁𝑔𝑒𝒷𝓇𝒶 · 漢字")


def test_right_to_left_emoji_and_combining_characters_come_through(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    content["Группа"]["Тема"] = SCRIPTS
    content["План"][0]["Мероприятие"] = SCRIPTS
    result = invoke("build", make_workbook(content), "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    written = list((tmp_path / YEAR / GROUP).glob("*.docx"))
    holding = [p.name for p in written if SCRIPTS in docx_text(p)]
    assert len(holding) >= 3, holding


def test_very_long_text_is_written_whole_and_tables_keep_their_fixed_layout(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    word = "Сверхдлиннословобезпробелов" * 200  # 5,400 characters without a break
    content["План"][0]["Мероприятие"] = word
    content["Группа"]["Тема"] = "очень длинная тема " * 600
    result = invoke("build", make_workbook(content), "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    plan = next((tmp_path / YEAR / GROUP).glob("04 *.docx"))
    assert word in docx_text(plan)
    for path in (tmp_path / YEAR / GROUP).glob("*.docx"):
        doc = docx.Document(str(path))
        for table in doc.element.body.iter(qn("w:tbl")):
            layout = table.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
            assert layout is not None and layout.get(qn("w:type")) == "fixed", path.name
            # the table's own grid: a kept block holds a signature's table inside it
            widths = [int(c.get(qn("w:w"))) for c in
                      table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
            assert sum(widths) <= 15_000, path.name  # within a landscape A4 text width


# --- names from data ------------------------------------------------------------------


HOSTILE_NAMES = ["../../вне папки", "..\\..\\Windows\\System32", "CON", "COM1.txt", " .. ",
                 "a<b>c:d\"e/f\\g|h?i*j", "Протокол\u202excod.exe", "NUL .docx",
                 "Группа " + "длинное слово " * 20]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_from_data_never_lead_outside_the_output_folder(
        content: dict, make_workbook: Callable, tmp_path: Path, name: str) -> None:
    content["Группа"]["Название"] = name
    content["Заседания"][0]["Тема"] = name
    book = make_workbook(content, "book.xlsx")
    out = tmp_path / "deep" / "out"
    before = {p for p in tmp_path.rglob("*")}
    result = invoke("build", book, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    created = {p for p in tmp_path.rglob("*")} - before
    assert created
    outside = [p for p in created if out not in p.parents and p != out]
    assert outside == [tmp_path / "deep"]  # the output folder's parent, made for it
    year = out / YEAR
    (group,) = [p for p in year.iterdir() if p.is_dir()]
    assert len(group.name) <= 72
    for path in group.rglob("*"):
        stem = path.name.split(".")[0].strip().upper()
        assert stem not in {"CON", "NUL", "COM1"}
        assert not path.name.endswith((".", " ")) and "\u202e" not in path.name


def test_two_groups_whose_names_share_one_folder_are_not_mixed(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    content["Группа"]["Название"] = "Цифра 1/2"
    first = make_workbook(content, "first.xlsx")
    content["Группа"]["Название"] = "Цифра 1-2"  # the same folder name on Windows
    second = make_workbook(content, "second.xlsx")
    assert invoke("build", first, "-o", tmp_path / "out").exit_code == 0
    folder = tmp_path / "out" / YEAR / "Творческая группа «Цифра 1-2»"
    before = files(folder)

    result = invoke("build", second, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "уже занята документами группы «Цифра 1/2» из книги «first.xlsx»" in result.stderr
    assert files(folder) == before


# --- a run killed midway --------------------------------------------------------------


class _Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


def test_a_run_killed_between_documents_is_finished_by_the_next_without_copies(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    book = make_workbook(content)
    assert invoke("build", book, "-o", tmp_path).exit_code == 0
    content["Группа"]["Тема"] = "Новая тема группы"  # every document changes
    make_workbook(content)

    real_write = GroupFolder.write
    calls = []

    def dying_write(self: GroupFolder, name: str, data: bytes, about: object = None) -> object:
        calls.append(name)
        if len(calls) == 4:
            raise _Killed
        return real_write(self, name, data, about)  # type: ignore[arg-type]

    monkeypatch.setattr(GroupFolder, "write", dying_write)
    with pytest.raises(_Killed):
        from docgen.main import build_workbook
        build_workbook(book, tmp_path)
    monkeypatch.undo()

    folder = tmp_path / YEAR / GROUP
    result = invoke("build", book, "-o", tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    assert "изменён вручную" not in result.output
    assert not [p.name for p in folder.rglob("*") if "новая версия" in p.name]
    assert "Новая тема группы" in docx_text(next(folder.glob("01 *.docx")))
    assert "pending" not in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _bigger_centre(folder: Path, count: int) -> None:
    """``count`` workbooks of different groups: enough work to be killed in the middle."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_build import synthetic_centre
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    synthetic_centre(folder, count)


@pytest.mark.slow  # kills a running batch
def test_a_batch_killed_midway_leaves_no_broken_file_and_the_rerun_completes_it(
        tmp_path: Path) -> None:
    centre, out = tmp_path / "centre", tmp_path / "out"
    centre.mkdir()
    _bigger_centre(centre, 12)
    books = {p: p.read_bytes() for p in centre.iterdir() if p.is_file()}
    command = [sys.executable, "-m", "docgen", "build", str(centre), "-o", str(out),
               "--jobs", "2", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.docx"))) < 30 and process.poll() is None:
        assert time.monotonic() < deadline, "the build wrote nothing for a minute"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it was killed"

    written = list(out.rglob("*.docx"))
    assert 30 <= len(written) < 12 * 14
    for path in written:  # every document there is whole
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
        docx.Document(str(path))

    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert not list(out.rglob("*новая версия*"))
    assert not list(out.rglob(".~docgen-*"))
    complete = tmp_path / "complete"
    subprocess.run([*command[:6], str(complete), *command[7:]], check=True, timeout=300)
    assert files(out).keys() == files(complete).keys()
    assert {p: p.read_bytes() for p in centre.iterdir() if p.is_file()} == books


def test_leftovers_of_a_killed_write_are_removed_by_the_next_run(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    book = make_workbook(content)
    folder = tmp_path / YEAR / GROUP
    folder.mkdir(parents=True)
    leftover = folder / ".~docgen-99999-0.tmp"
    leftover.write_bytes(b"PK\x03\x04 half a document")
    assert invoke("build", book, "-o", tmp_path).exit_code == 0
    assert not leftover.exists()
