"""File names valid on Windows, and writes that never leave half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.output.folders import MANIFEST, GroupFolder
from docgen.runtime.files import (
    MAX_FOLDER,
    MAX_NAME,
    check_component,
    folder_name,
    safe_name,
    write_atomically,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05 Протокол № 3 от 12.11.2025", "05 Протокол № 3 от 12.11.2025"),
        ("Приказ № 24/3", "Приказ № 24-3"),
        ('Заявка — МБОУ "СОШ № 5"', "Заявка — МБОУ 'СОШ № 5'"),
        ("a<b>c:d|e?f*g", "a b c d e f g"),
        ("Отчёт. ", "Отчёт"),
        ("...", "_"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("Com1", "_Com1"),
        ("CON .docx", "_CON .docx"),
        ("строка\tс\nуправляющими", "строка с управляющими"),
        ("..\\..\\etc", "-..-etc"),
        ("..", "_"),
        (" .скрытый. ", "скрытый"),
        ("COM0", "_COM0"),
        ("lpt¹.docx", "_lpt¹.docx"),
        ("CONIN$", "_CONIN$"),
        ("AUXILIARY", "AUXILIARY"),
        ("Протокол\u202excod.exe", "Протоколxcod.exe"),  # no «exe.docx» shown reversed
        ("При\u200bказ\ufeff", "Приказ"),
        ("Отчёт\x85\x9b", "Отчёт"),
        ("Йод", "Йод"),
        ("И\u0306од", "Йод"),  # one spelling of «й» on disk, whatever was typed
        ("<>:\"|?*", "'"),
    ],
)
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", "/etc", "C:x", "a\x00"])
def test_a_path_is_never_taken_for_a_file_name(name: str) -> None:
    with pytest.raises(OutputError, match="только внутрь папки результатов"):
        check_component(name)


def test_names_over_the_limit_are_cut_and_stay_single_components() -> None:
    for text in ("а" * 300, "слово " * 60, "." * 150 + "x", "«" + "ы" * 200 + "»"):
        name = safe_name(text)
        assert len(name) <= MAX_NAME + 2
        assert check_component(name) == name
        assert not name.endswith((".", " "))


def test_long_names_are_cut_at_a_word_with_an_ellipsis() -> None:
    name = safe_name("09 Отчёт о сетевом событии " + "очень длинное название " * 10)
    assert len(name) <= MAX_NAME + 1
    assert name.endswith("…")
    assert not name.endswith(" …")


def test_names_never_contain_path_separators() -> None:
    for text in ("../../x", "a/b\\c", "/abs/path", "C:\\Windows"):
        name = safe_name(text)
        assert "/" not in name and "\\" not in name and ":" not in name


def test_write_atomically_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "папка" / "документ.docx"
    write_atomically(target, b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["документ.docx"]


def test_write_atomically_reports_an_unwritable_place_in_russian(tmp_path: Path) -> None:
    blocker = tmp_path / "файл"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match=r"на месте папки .*файл лежит файл с тем же именем"):
        write_atomically(blocker / "документ.docx", b"x")


def test_a_cut_inside_quotes_closes_them() -> None:
    name = safe_name("09 Мастер-класс «Исследовательские задания по естественно-научной "
                     "грамотности для учителей физики, химии и биологии»")
    assert name.endswith("…»")
    assert name.count("«") == name.count("»")


def test_every_example_path_leaves_room_under_windows_max_path(tmp_path: Path) -> None:
    """Output paths stay short enough to sit ~80 characters deep on a Windows disk."""
    from docgen.main import build_workbook

    root = Path(__file__).resolve().parent.parent / "data"
    for workbook in sorted(root.glob("*.xlsx")):
        result = build_workbook(workbook, tmp_path)
        for written in result.written:
            relative = written.path.relative_to(tmp_path)
            assert len(str(relative)) <= 180, relative


# --- hand edits are kept ------------------------------------------------------------

def _write(folder: Path, name: str, data: bytes, force: bool = False) -> tuple[Path, Path | None]:
    with GroupFolder(folder, force=force) as group:
        written = group.write(name, data)
        group.save()
    return written


def test_docgens_own_file_is_replaced(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    path, kept = _write(tmp_path, "Протокол.docx", b"v2")
    assert (path.name, kept) == ("Протокол.docx", None)
    assert path.read_bytes() == b"v2"


def test_an_edited_file_is_kept_and_the_new_version_goes_beside(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    (tmp_path / "Протокол.docx").write_bytes(b"edited by the clerk")
    path, kept = _write(tmp_path, "Протокол.docx", b"v2")
    assert kept == tmp_path / "Протокол.docx"
    assert kept.read_bytes() == b"edited by the clerk"
    assert path.name == "Протокол (новая версия).docx"
    assert path.read_bytes() == b"v2"
    # the next run replaces its own new version and still keeps the edited file
    path, kept = _write(tmp_path, "Протокол.docx", b"v3")
    assert path.name == "Протокол (новая версия).docx" and path.read_bytes() == b"v3"
    assert (tmp_path / "Протокол.docx").read_bytes() == b"edited by the clerk"


def test_force_replaces_an_edited_file(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    (tmp_path / "Протокол.docx").write_bytes(b"edited")
    path, kept = _write(tmp_path, "Протокол.docx", b"v2", force=True)
    assert kept is None and path.read_bytes() == b"v2"
    assert _write(tmp_path, "Протокол.docx", b"v3")[1] is None  # now docgen's own again


def test_a_file_docgen_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "Положение.docx").write_bytes(b"typed in Word")
    _, kept = _write(tmp_path, "Положение.docx", b"generated")
    assert kept is not None and kept.read_bytes() == b"typed in Word"


def test_a_damaged_manifest_trusts_nothing(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    _, kept = _write(tmp_path, "Протокол.docx", b"v2")
    assert kept is not None and kept.read_bytes() == b"v1"


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / ".~docgen-abc.tmp").write_bytes(b"half a document")
    _write(tmp_path, "Протокол.docx", b"v1")
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "Протокол.docx"]


def test_an_edited_new_version_is_kept_too(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    (tmp_path / "Протокол.docx").write_bytes(b"edited")
    beside, _ = _write(tmp_path, "Протокол.docx", b"v2")
    beside.write_bytes(b"edited as well")
    path, kept = _write(tmp_path, "Протокол.docx", b"v3")
    assert path.name == "Протокол (новая версия 2).docx" and path.read_bytes() == b"v3"
    assert beside.read_bytes() == b"edited as well"
    assert kept is not None and kept.read_bytes() == b"edited"


def test_long_group_names_differing_at_the_end_get_their_own_folders() -> None:
    names = [f"Сетевая творческая группа «Функциональная грамотность: сетевой формат {n}»"
             for n in (102, 107)]
    folders = [folder_name(n) for n in names]
    assert folders[0] != folders[1]
    for folder in folders:
        assert len(folder) <= MAX_FOLDER
        assert folder.startswith("Сетевая творческая группа «Функциональная")
        assert folder.count("«") == folder.count("»") and "…" in folder
    assert folders[0].endswith("формат 102»")
    assert folder_name("ГМО «Короткое»") == "ГМО «Короткое»"


def test_an_edit_that_keeps_the_size_is_noticed_by_its_hash(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    target = tmp_path / "Протокол.docx"
    stat = target.stat()
    target.write_bytes(b"v2")  # the same size
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _, kept = _write(tmp_path, "Протокол.docx", b"v3")
    assert kept == target and target.read_bytes() == b"v2"


def test_the_manifest_records_size_and_time(tmp_path: Path) -> None:
    _write(tmp_path, "Протокол.docx", b"v1")
    entry = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"]["Протокол.docx"]
    stat = (tmp_path / "Протокол.docx").stat()
    assert (entry["size"], entry["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_written_files_are_readable_by_colleagues(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "новая папка" / "Протокол.docx", b"v1")
    finally:
        os.umask(mask)
    assert (tmp_path / "новая папка" / "Протокол.docx").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("name", "app"), [("Протокол.docx", "Word"),
                                           ("Реестр документов.xlsx", "Excel")])
def test_a_file_open_in_office_is_named_with_its_program(
        name: str, app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.errors import OutputError

    def locked(src: object, dst: object) -> None:  # what Windows does to a file held open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError, match=f"возможно, он открыт в {app}; закройте его"):
        write_atomically(tmp_path / name, b"new")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_retire_removes_untouched_old_documents_and_keeps_edited_ones(tmp_path: Path) -> None:
    from docgen.output.folders import DERIVED, GroupFolder

    with GroupFolder(tmp_path) as folder:
        for name in ("05 Протокол № 1.docx", "05 Протокол № 2.docx", "Приказ.docx",
                     "05.01 Протокол № 1.docx"):
            folder.write(name, name.encode(), {"document": "x"})
        folder.write("05 Протокол № 1.pdf", b"pdf",
                     {DERIVED: "pdf", "from": "05 Протокол № 1.docx"})
        folder.write("Комплект документов.docx", b"bundle", {DERIVED: "bundle"})
        folder.finish()
    (tmp_path / "05 Протокол № 2.docx").write_bytes(b"edited by the clerk")
    (tmp_path / "Мой файл.docx").write_bytes(b"never written by docgen")
    with GroupFolder(tmp_path) as folder:
        # «приказ.docx»: on Windows the same file as «Приказ.docx», never removed for it
        removed, kept = folder.retire({"05.01 Протокол № 1.docx", "приказ.docx"})
        folder.finish()
    assert removed == ["05 Протокол № 1.docx"]
    assert kept == [tmp_path / "05 Протокол № 2.docx"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "05 Протокол № 2.docx", "05.01 Протокол № 1.docx", "Комплект документов.docx",
        "Мой файл.docx", "Приказ.docx"]
    with GroupFolder(tmp_path) as folder:
        assert "05 Протокол № 1.pdf" not in folder.files  # went with its document
        assert "05 Протокол № 2.docx" in folder.files  # edited: still listed
