"""--pdf and --bundle without real LibreOffice: a missing one, and a fake soffice that logs
its calls and fails, crashes or hangs on the documents told to — fast, and on any machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from docgen.cli import cli
from docgen.errors import LibreOfficeNotFound
from docgen.main import convert_to_pdf
from docgen.output.bundle import BUNDLE
from docgen.output.folders import Manifest
from docgen.pdf import convert as pdf
from docgen.templating import builtin_templates

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a POSIX script")

YEAR = "2025-2026 учебный год"
GROUP = "Творческая группа «Читающая школа»"

FAKE = """#!{python}
# A stand-in for soffice: logs its arguments, «converts» each file in the order given,
# writing the sha256 of the .docx into the «PDF»; a document whose text says so fails.
import hashlib, json, os, sys, time, zipfile
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args, ensure_ascii=False) + "\\n")
out = Path(args[args.index("--outdir") + 1])
for name in args[args.index("--outdir") + 2:]:
    data = Path(name).read_bytes()
    try:
        text = zipfile.ZipFile(name).read("word/document.xml").decode("utf-8")
    except Exception:
        text = data.decode("latin-1")
    if "ЗАВИСАНИЕ" in text:
        time.sleep(120)
    if "ПАДЕНИЕ" in text:
        sys.exit(81)
    if "ПОВРЕЖДЁН" in text:
        print("Error: source file could not be loaded")
        continue
    (out / (Path(name).stem + ".pdf")).write_bytes(
        b"%PDF-1.4 fake " + hashlib.sha256(data).hexdigest().encode())
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[list[str]]]:
    """DOCGEN_SOFFICE is the fake; returns a function that reads the calls it logged."""
    program = tmp_path / "LibreOffice" / "program" / "soffice"
    program.parent.mkdir(parents=True)
    program.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "soffice-calls.jsonl"
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    # each document alone: the fake cannot make the PDF a combined file is cut from (the
    # tests of combining, at the end, turn it back on)
    monkeypatch.setenv(pdf.COMBINE_ENV, "0")

    def calls() -> list[list[str]]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    return calls


@pytest.fixture
def no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without LibreOffice: nothing on PATH, nowhere usual, no DOCGEN_SOFFICE."""
    empty = tmp_path / "пустой PATH"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setattr(pdf, "usual_places", lambda environ: [])


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def documents(tmp_path: Path, count: int, marks: dict[int, str] | None = None) -> list[Path]:
    """``count`` small .docx files in one folder; ``marks`` puts a word into some of them."""
    folder = tmp_path / "группа"
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(count):
        doc = docx.Document()
        doc.add_paragraph(f"Документ {n + 1}. {(marks or {}).get(n, '')}")
        path = folder / f"{n + 1:02d} Документ.docx"
        doc.save(str(path))
        paths.append(path)
    return paths


def own_template(tmp_path: Path, doc_id: str, paragraph: str) -> Path:
    """A clerk's template folder: one built-in template with one more paragraph."""
    own = tmp_path / "шаблоны"
    own.mkdir(exist_ok=True)
    doc = docx.Document(str(builtin_templates() / f"{doc_id}.docx"))
    doc.add_paragraph(paragraph)
    doc.save(str(own / f"{doc_id}.docx"))
    return own


def files(call: list[str]) -> int:
    """How many documents one LibreOffice start was given."""
    return len(call) - call.index("--outdir") - 2


def profile(call: list[str]) -> str:
    return next(a for a in call if a.startswith("-env:UserInstallation="))


def converted_from(pdf_path: Path) -> str:
    """The sha256 of the .docx the fake made this «PDF» from."""
    return pdf_path.read_bytes().split()[-1].decode()


# --- no LibreOffice ---------------------------------------------------------------------


def test_without_libreoffice_build_says_so_in_one_line_and_writes_the_documents(
        content: dict, make_workbook: Callable, tmp_path: Path, no_libreoffice: None) -> None:
    out = tmp_path / "out"
    result = invoke("build", make_workbook(content), "-o", out, "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [pdf.NOT_FOUND]
    assert "LibreOffice не найден: PDF не созданы. Установите LibreOffice" in pdf.NOT_FOUND
    assert "DOCGEN_SOFFICE" in pdf.NOT_FOUND
    assert len(list((out / YEAR / GROUP).glob("*.docx"))) == 10
    assert not list(out.rglob("*.pdf"))
    assert "Записано: 10 документов." in result.output


def test_without_libreoffice_blank_is_written_and_exit_is_1(tmp_path: Path,
                                                           no_libreoffice: None) -> None:
    result = invoke("blank", "zayavka-1", "-o", tmp_path, "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [pdf.NOT_FOUND]
    assert (tmp_path / "Бланки" / "Бланк заявки (приложение 1).docx").is_file()


def test_a_wrong_docgen_soffice_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "нет такого"))
    with pytest.raises(LibreOfficeNotFound, match="в переменной DOCGEN_SOFFICE указано «"):
        pdf.find_soffice()


def test_docgen_soffice_may_name_libreoffices_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fake_soffice: Callable[[], list[list[str]]]) -> None:
    program = Path(os.environ["DOCGEN_SOFFICE"])
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program.parent.parent))  # …/LibreOffice
    assert pdf.find_soffice() == program


def test_soffice_is_found_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  fake_soffice: Callable[[], list[list[str]]]) -> None:
    program = Path(os.environ["DOCGEN_SOFFICE"])
    monkeypatch.delenv("DOCGEN_SOFFICE")
    monkeypatch.setenv("PATH", str(program.parent))
    assert pdf.find_soffice() == program


# --- chunks, instances, failures --------------------------------------------------------


def test_chunks_are_even_one_per_instance_at_least_and_never_over_the_limit() -> None:
    assert [len(c) for c in pdf.chunks(10, 1)] == [10]
    assert [len(c) for c in pdf.chunks(10, 2)] == [5, 5]
    assert [len(c) for c in pdf.chunks(250, 2)] == [84, 84, 82]
    assert [len(c) for c in pdf.chunks(3, 8)] == [1, 1, 1]
    assert pdf.chunks(0, 2) == []
    assert [i for c in pdf.chunks(250, 2) for i in c] == list(range(250))


def test_one_libreoffice_start_converts_the_whole_list(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]]) -> None:
    paths = documents(tmp_path, 12)
    result = convert_to_pdf(paths, jobs=1)
    assert result.ok and len(result.written) == 12
    calls = fake_soffice()
    assert len(calls) == 1
    assert "--headless" in calls[0] and "pdf:writer_pdf_Export" in calls[0]
    assert all(p.with_suffix(".pdf").is_file() for p in paths)


def test_jobs_2_runs_two_instances_with_their_own_profiles(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]]) -> None:
    paths = documents(tmp_path, 10)
    result = convert_to_pdf(paths, jobs=2)
    assert result.ok and len(result.written) == 10
    calls = fake_soffice()
    assert len(calls) == 2
    assert sorted(map(files, calls)) == [5, 5]
    profiles = {profile(c) for c in calls}
    assert len(profiles) == 2
    home = Path.home().as_uri()
    assert all(not p.split("=", 1)[1].startswith(home + "/.config") for p in profiles)
    assert not any(Path(p.split("=", 1)[1].removeprefix("file://")).exists() for p in profiles)


def test_a_document_libreoffice_cannot_open_is_reported_and_the_others_converted(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]]) -> None:
    paths = documents(tmp_path, 5, {2: "ПОВРЕЖДЁН"})
    result = convert_to_pdf(paths, jobs=1)
    assert [(p, e.message) for p, e in result.failed] == [
        (paths[2], "LibreOffice не смог преобразовать документ (Error: source file could not "
                   "be loaded)")]
    assert sorted(w.source for w in result.written) == [paths[0], paths[1], paths[3], paths[4]]
    assert len(fake_soffice()) == 1  # no second start: LibreOffice finished, the file is bad


def test_a_crash_costs_the_document_it_crashed_on_and_the_rest_is_converted(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]]) -> None:
    paths = documents(tmp_path, 5, {1: "ПАДЕНИЕ"})
    result = convert_to_pdf(paths, jobs=1)
    assert [p for p, _ in result.failed] == [paths[1]]
    assert "LibreOffice завершился с ошибкой (код 81)" in result.failed[0][1].message
    assert sorted(w.source for w in result.written) == [paths[0], *paths[2:]]
    calls = fake_soffice()
    assert list(map(files, calls)) == [5, 3]  # again, without the first two


@pytest.mark.slow  # a hung stand-in LibreOffice is waited for, then killed
def test_a_hang_is_stopped_and_the_rest_is_converted(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]]) -> None:
    paths = documents(tmp_path, 4, {1: "ЗАВИСАНИЕ"})
    results = [c for chunk in pdf.convert(paths, pdf.find_soffice(), stall=1.5) for c in chunk]
    failed = [c for c in results if c.error is not None]
    assert [c.source for c in failed] == [paths[1]]
    assert "не отвечал 2 с" in failed[0].error.message  # type: ignore[union-attr]
    assert sorted(c.source for c in results if c.pdf is not None) == [paths[0], *paths[2:]]
    assert len(fake_soffice()) == 2


def test_a_rerun_converts_only_what_changed_and_a_hand_edited_document_gets_its_pdf(
        content: dict, make_workbook: Callable, tmp_path: Path,
        fake_soffice: Callable[[], list[list[str]]]) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    first = invoke("build", book, "-o", out, "--pdf")
    assert first.exit_code == 0, first.stderr
    assert first.output.splitlines()[-1] == "PDF: записано 10."
    folder = out / YEAR / GROUP
    protocol = next(folder.glob("05.01 Протокол № 1 *.docx"))
    doc = docx.Document(str(protocol))
    doc.add_paragraph("Дописано вручную.")
    doc.save(str(protocol))
    before = len(fake_soffice())
    again = invoke("build", book, "-o", out, "--pdf")
    assert again.exit_code == 0, again.stderr
    assert again.output.splitlines()[-1] == (
        "PDF: записано 2; не переделаны 9 — их документы не менялись.")
    assert sum(map(files, fake_soffice()[before:])) == 2
    new = protocol.with_name(f"{protocol.stem} (новая версия).docx")
    assert converted_from(new.with_suffix(".pdf")) == hashlib.sha256(new.read_bytes()).hexdigest()
    assert converted_from(protocol.with_suffix(".pdf")) == \
        hashlib.sha256(protocol.read_bytes()).hexdigest()  # the PDF says what the .docx says
    manifest = Manifest.read(folder)
    assert manifest.documents[new.with_suffix(".pdf").name]["from"] == new.name


def test_a_pdf_replaced_by_hand_is_kept(content: dict, make_workbook: Callable, tmp_path: Path,
                                        fake_soffice: Callable[[], list[list[str]]]) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out, "--pdf")
    scan = next((out / YEAR / GROUP).glob("05.01 Протокол № 1 *.pdf"))
    scan.write_bytes(b"%PDF-1.4 signed scan")
    result = invoke("build", book, "-o", out, "--pdf")
    assert result.exit_code == 0, result.stderr
    assert scan.read_bytes() == b"%PDF-1.4 signed scan"
    assert scan.with_name(f"{scan.stem} (новая версия).pdf").is_file()
    assert f"файл «{scan.name}» изменён вручную и сохранён; новый PDF записан рядом" \
        in result.output
    forced = invoke("build", book, "-o", out, "--pdf", "--force")
    assert forced.exit_code == 0
    assert forced.output.splitlines()[-1] == "PDF: записано 10."  # --force: made again
    assert scan.read_bytes() != b"%PDF-1.4 signed scan"


def test_build_names_the_document_whose_pdf_failed_and_exits_1(
        content: dict, make_workbook: Callable, tmp_path: Path,
        fake_soffice: Callable[[], list[list[str]]]) -> None:
    own = own_template(tmp_path, "plan", "ПОВРЕЖДЁН")
    out = tmp_path / "out"
    result = invoke("build", make_workbook(content), "-o", out, "--pdf", "--templates", own)
    assert result.exit_code == 1
    plan = next((out / YEAR / GROUP).glob("04 *.docx"))
    assert result.stderr.splitlines() == [
        f"{GROUP}/{plan.name}: PDF не создан: LibreOffice не смог преобразовать документ "
        f"(Error: source file could not be loaded)"]
    assert result.output.splitlines()[-1] == "PDF: записано 9; не создано 1."
    assert len(list((out / YEAR / GROUP).glob("*.pdf"))) == 9
    assert "Записано: 10 документов." in result.output  # every .docx is there


def test_a_batch_converts_all_its_groups_in_one_go(
        content: dict, make_workbook: Callable, tmp_path: Path,
        fake_soffice: Callable[[], list[list[str]]]) -> None:
    first = make_workbook(content, "a.xlsx")
    content["Группа"]["Название"] = "Второй"
    second = make_workbook(content, "b.xlsx")
    result = invoke("build", first, second, "-o", tmp_path / "out", "--pdf", "--bundle",
                    "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    # each group's documents and bundle, and the year's «Сводный отчёт»
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 23
    assert len(fake_soffice()) == 2  # two instances for both groups, not a start per group
    lines = result.output.splitlines()
    assert lines[-3:] == ["Обработано книг: 2, из них с ошибками: 0. Записано: 20 документов.",
                          "Комплектов документов: 2.", "PDF: записано 23."]


def test_blank_pdf_with_fake_soffice(tmp_path: Path,
                                     fake_soffice: Callable[[], list[list[str]]]) -> None:
    result = invoke("blank", "protocol", "-o", tmp_path, "--pdf")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "Бланки" / "Бланк протокола.pdf"
    assert f"PDF: {target}" in result.output and target.is_file()
    again = invoke("blank", "protocol", "-o", tmp_path, "--pdf")
    assert f"PDF: {target} (бланк не изменился)" in again.output
    assert len(fake_soffice()) == 1


# --- the bundle -------------------------------------------------------------------------


@pytest.mark.slow  # three builds, each with its bundle
def test_the_bundle_holds_a_hand_edited_document_as_edited(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    result = invoke("build", book, "-o", out, "--bundle")
    assert result.exit_code == 0, result.stderr
    bundle = out / YEAR / GROUP / f"{BUNDLE}.docx"
    assert f"Комплект документов: {bundle}" in result.output
    data = bundle.read_bytes()
    assert invoke("build", book, "-o", out, "--bundle").exit_code == 0
    assert bundle.read_bytes() == data  # the same documents make the same file
    protocol = next((out / YEAR / GROUP).glob("05.01 Протокол № 1 *.docx"))
    doc = docx.Document(str(protocol))
    doc.add_paragraph("Дописано вручную.")
    doc.save(str(protocol))
    assert invoke("build", book, "-o", out, "--bundle").exit_code == 0
    texts = [p.text for p in docx.Document(str(bundle)).paragraphs]
    assert texts.count("Дописано вручную.") == 1
    assert not (out / YEAR / GROUP / f"{BUNDLE} (новая версия).docx").exists()


def test_a_bundle_edited_by_hand_is_kept(content: dict, make_workbook: Callable,
                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out, "--bundle")
    bundle = out / YEAR / GROUP / f"{BUNDLE}.docx"
    doc = docx.Document(str(bundle))
    doc.add_paragraph("Подписано.")
    doc.save(str(bundle))
    result = invoke("build", book, "-o", out, "--bundle")
    assert result.exit_code == 0
    assert f"файл «{BUNDLE}.docx» изменён вручную и сохранён; новый комплект записан рядом" \
        in result.output
    assert (out / YEAR / GROUP / f"{BUNDLE} (новая версия).docx").is_file()


def test_help_tells_of_pdf_and_bundle() -> None:
    build = invoke("build", "--help").output
    assert "--pdf" in build and "--bundle" in build and "DOCGEN_SOFFICE" in build
    assert "Комплект" in build
    assert "--pdf" in invoke("blank", "--help").output


def test_libreoffice_that_does_not_start_is_said_once_for_all_documents(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "soffice"
    program.write_text("not a program")  # there, but not executable
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("PDF не созданы для 10 документов (")
    assert "LibreOffice не запускается (" in lines[0]
    assert result.output.splitlines()[-1] == "PDF: записано 0; не создано 10."


# --- combined conversion (issue 19): what happens when the combined PDF cannot be cut ----


def test_combining_is_on_unless_docgen_pdf_combine_is_0() -> None:
    assert pdf.combining({})
    assert pdf.combining({pdf.COMBINE_ENV: "1"})
    assert not pdf.combining({pdf.COMBINE_ENV: "0"})


def test_a_combined_file_that_cannot_be_cut_is_converted_again_document_by_document(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake makes no real PDF (as a LibreOffice older than 7.4 makes no destinations)."""
    monkeypatch.setenv(pdf.COMBINE_ENV, "1")
    paths = documents(tmp_path, 6)
    result = convert_to_pdf(paths, jobs=1)
    assert result.ok and sorted(w.source for w in result.written) == paths
    calls = fake_soffice()
    assert list(map(files, calls)) == [1, 6]  # one combined file, then each alone
    assert pdf.EXPORT_MARKED in calls[0] and "pdf:writer_pdf_Export" in calls[1]
    for path in paths:  # each PDF is of its own document
        assert converted_from(path.with_suffix(".pdf")) == \
            hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_crash_on_a_combined_file_still_costs_only_the_document_it_crashed_on(
        tmp_path: Path, fake_soffice: Callable[[], list[list[str]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.COMBINE_ENV, "1")
    paths = documents(tmp_path, 5, {3: "ПАДЕНИЕ"})
    result = convert_to_pdf(paths, jobs=1)
    assert [p for p, _ in result.failed] == [paths[3]]
    assert "LibreOffice завершился с ошибкой (код 81)" in result.failed[0][1].message
    assert sorted(w.source for w in result.written) == [*paths[:3], paths[4]]
    assert list(map(files, fake_soffice())) == [1, 5, 1]  # combined, alone, after the crash
