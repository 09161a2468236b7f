"""File names valid on Windows, and writes that never leave half a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.output import MAX_NAME, safe_name, write_atomically


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
        ("строка\tс\nуправляющими", "строка с управляющими"),
        ("..\\..\\etc", "-..-etc"),
    ],
)
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


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
    with pytest.raises(OutputError, match="не удалось записать"):
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
