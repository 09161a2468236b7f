"""Bad input: every wrong, broken or hostile file gives one clear Russian message.

The corpus below is built under tmp_path (openpyxl for the group's content, zip
surgery for the package). Each case is run through ``docgen build`` and
``docgen check`` and must end with exit code 1, its own message (and, for a
mistake in the content, the sheet and the cell), no traceback, nothing written,
and the input file exactly as it was, with nothing added beside it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import write_workbook_once
from lxml import etree

from docgen.cli import cli
from docgen.errors import WorkbookError
from docgen.workbook import book as xlsx
from docgen.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024
SAVE_AS = "сохраните как «Книга Excel (.xlsx)»"
DAMAGED = "файл повреждён или не является книгой Excel (.xlsx)"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


# --------------------------------------------------------------------------- making files


class Books:
    """Where a case makes its file: a folder of its own, with a valid group to break."""

    def __init__(self, folder: Path, content: dict[str, Any]) -> None:
        self.folder = folder
        self.content = content

    def group(self, name: str = "group.xlsx", content: dict[str, Any] | None = None) -> Path:
        """A valid workbook (or ``content``'s), as a clerk would have filled it."""
        return write_workbook_once(self.folder / name, content or self.content)

    def raw(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def edited(self, edit: Callable[[openpyxl.Workbook], None], name: str = "group.xlsx") -> Path:
        """The valid workbook changed in openpyxl, as Excel would save the change."""
        path = self.group(name)
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
        return path


def rezip(source: Path, target: Path, parts: dict[str, bytes | None] | None = None,
          method: int = zipfile.ZIP_DEFLATED) -> Path:
    """``source`` repacked as ``target``: ``parts`` replaces members (None drops one)
    and adds new ones; everything else is copied as it is."""
    parts = dict(parts or {})
    with zipfile.ZipFile(source) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, data in members:
            new = parts.pop(name, data)
            if new is not None:
                out.writestr(name, new)
        for name, data in parts.items():
            if data is not None:
                out.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def sheet_part(path: Path, title: str) -> str:
    """The part name of a worksheet, found as Excel finds it."""
    book = etree.fromstring(member(path, "xl/workbook.xml"))
    rels = etree.fromstring(member(path, "xl/_rels/workbook.xml.rels"))
    rid = next(s.get(f"{{{REL}}}id") for s in book.iter(f"{{{MAIN}}}sheet")
               if s.get("name") == title)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def with_sheet(books: Books, title: str, xml: bytes, name: str = "group.xlsx") -> Path:
    """The valid workbook with one worksheet's XML replaced."""
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / name, {sheet_part(path, title): xml})
    path.unlink()
    return result


def patch_directory(data: bytes, name: str, *, file_size: int | None = None,
                    compress_size: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite what the zip's central directory declares about one member, as a
    crafted file would: the data itself is left as it is."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46:at + 46 + name_length].decode() == name:
            if flags is not None:
                struct.pack_into("<H", out, at + 8, flags)
            if compress_size is not None:
                struct.pack_into("<L", out, at + 20, compress_size)
            if file_size is not None:
                struct.pack_into("<L", out, at + 24, file_size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 46)
    raise AssertionError(f"no {name} in the zip")


def rows_xml(rows: int, columns: int = 3, first: int = 1) -> bytes:
    """A worksheet of ``rows`` filled rows of inline text."""
    body = b"".join(
        b'<row r="%d">' % r + b"".join(
            b'<c r="%s%d" t="inlineStr"><is><t>x</t></is></c>' % (bytes([65 + c]), r)
            for c in range(columns)) + b"</row>"
        for r in range(first, first + rows))
    return b'<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (
        MAIN.encode(), body)


# --------------------------------------------------------------------------- file-level cases


def missing(books: Books) -> Path:
    return books.folder / "нет такой книги.xlsx"


def empty_folder(books: Books) -> Path:
    folder = books.folder / "пустая папка"
    folder.mkdir()
    return folder


def empty_file(books: Books) -> Path:
    return books.raw("group.xlsx", b"")


def text_renamed(books: Books) -> Path:
    return books.raw("group.xlsx", "Список группы: Иванова, Петрова".encode())


def csv_renamed(books: Books) -> Path:
    return books.raw("group.xlsx", "Фамилия;Имя\nИванова;Мария\n".encode("cp1251"))


def html_as_xls(books: Books) -> Path:
    # «Excel» exported by a web system: an HTML table named .xls
    return books.raw("выгрузка.xls", "<html><body><table><tr><td>Иванова</td></tr></table>"
                                     "</body></html>".encode())


def pdf(books: Books) -> Path:
    return books.raw("group.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")


def old_xls(books: Books) -> Path:
    return books.raw("group.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)


def old_doc(books: Books) -> Path:
    return books.raw("group.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                     + "WordDocument".encode("utf-16-le") + b"\0" * 500)


def encrypted(books: Books) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = books.group("plain.xlsx")
    locked = books.folder / "group.xlsx"
    with plain.open("rb") as src, locked.open("wb") as dst:
        OOXMLFile(src).encrypt("пароль", dst)
    plain.unlink()
    return locked


def opendocument(mimetype: str, name: str, books: Books) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", '<office:document-content xmlns:office='
                                  '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return books.raw(name, buffer.getvalue())


def ods(books: Books) -> Path:
    return opendocument("application/vnd.oasis.opendocument.spreadsheet", "group.ods", books)


def odt_renamed(books: Books) -> Path:
    return opendocument("application/vnd.oasis.opendocument.text", "group.xlsx", books)


def word_document(books: Books) -> Path:
    import docx

    path = books.folder / "Протокол № 1.docx"
    document = docx.Document()
    document.add_paragraph("Протокол заседания")
    document.save(str(path))
    return path


def powerpoint(books: Books) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation xmlns:p='urn:p'/>")
    return books.raw("group.xlsx", buffer.getvalue())


def xlsb(books: Books) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return books.raw("group.xlsb", buffer.getvalue())


def strict(books: Books) -> Path:
    """The workbook as Excel saves it as «Strict Open XML»: other namespaces."""
    path = books.group("source.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            data = data.replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            parts[name] = data.replace(
                REL.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    result = rezip(path, books.folder / "group.xlsx", parts)
    path.unlink()
    return result


def other_zip(books: Books) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("фото.jpg", b"\xff\xd8\xff\xe0")
    return books.raw("group.xlsx", buffer.getvalue())


def truncated(books: Books) -> Path:
    data = books.group().read_bytes()
    return books.raw("group.xlsx", data[: len(data) // 2])


def bad_crc(books: Books) -> Path:
    """A member whose bytes changed after it was packed, still well-formed XML: only
    its CRC tells, and without the check a member's «Стаж» would be read wrong."""
    path = books.group("source.xlsx")
    part = sheet_part(path, "Участники")
    stored = rezip(path, books.folder / "stored.xlsx", method=zipfile.ZIP_STORED)
    with zipfile.ZipFile(stored) as z:
        start = z.getinfo(part).header_offset
    data = stored.read_bytes()
    at = data.index(b"<v>12</v>", start)
    path.unlink()
    stored.unlink()
    return books.raw("group.xlsx", data[:at] + b"<v>13</v>" + data[at + 9:])


def no_workbook_part(books: Books) -> Path:
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / "group.xlsx", {"xl/workbook.xml": None})
    path.unlink()
    return result


def bad_workbook_xml(books: Books) -> Path:
    path = books.group("source.xlsx")
    xml = member(path, "xl/workbook.xml")
    result = rezip(path, books.folder / "group.xlsx", {"xl/workbook.xml": xml[: len(xml) // 2]})
    path.unlink()
    return result


def bad_sheet_xml(books: Books) -> Path:
    path = books.group("source.xlsx")
    xml = member(path, sheet_part(path, "Заседания"))
    path.unlink()
    return with_sheet(books, "Заседания", xml[: len(xml) // 2])


def sheet_part_missing(books: Books) -> Path:
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / "group.xlsx", {sheet_part(path, "Заседания"): None})
    path.unlink()
    return result


def sheet_without_relationship(books: Books) -> Path:
    path = books.group("source.xlsx")
    rels = member(path, "xl/_rels/workbook.xml.rels")
    rels = re.sub(rb'<Relationship [^>]*Id="rId2"[^>]*/>', b"", rels)
    result = rezip(path, books.folder / "group.xlsx", {"xl/_rels/workbook.xml.rels": rels})
    path.unlink()
    return result


def row_number_too_large(books: Books) -> Path:
    return with_sheet(books, "Заседания", rows_xml(1, first=2_000_000))


def string_index_out_of_range(books: Books) -> Path:
    xml = (b'<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>99999</v></c>'
           b"</row></sheetData></worksheet>" % MAIN.encode())
    return with_sheet(books, "Участники", xml)


def billion_laughs(books: Books) -> Path:
    """Shared strings (with their relationship, so they are read) whose one string is
    ten entities of ten entities… nine deep: 10⁹ copies if entities were expanded."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "ха">{entities}]>'
           f'<sst xmlns="{MAIN}"><si><t>&l9;</t></si></sst>').encode()
    path = books.group("source.xlsx")
    rels = member(path, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats'
                             b'.org/officeDocument/2006/relationships/sharedStrings" '
                             b'Target="sharedStrings.xml"/></Relationships>')
    result = rezip(path, books.folder / "group.xlsx", {"xl/sharedStrings.xml": xml,
                                                       "xl/_rels/workbook.xml.rels": rels})
    path.unlink()
    return result


def quadratic_entity(books: Books) -> Path:
    """One 50 000-character entity used in 2 000 cells: a DTD that would make 200 MB of
    text if entities were expanded. A package may not have a DTD at all."""
    cells = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>&a;</t></is></c></row>'
                    for i in range(1, 2001))
    xml = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "{"ю" * 50_000}">]>'
           f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>').encode()
    return with_sheet(books, "Участники", xml)


def encrypted_member(books: Books) -> Path:
    """A zip-level password on a part (Excel never sets one): refused before reading."""
    path = books.group("source.xlsx")
    data = patch_directory(path.read_bytes(), "xl/workbook.xml", flags=0x1)
    path.unlink()
    return books.raw("group.xlsx", data)


def bzip2_members(books: Books) -> Path:
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / "group.xlsx", method=zipfile.ZIP_BZIP2)
    path.unlink()
    return result


def too_big_file(books: Books) -> Path:
    path = books.folder / "group.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * MB)  # sparse: takes no disk space, refused by its size
    return path


def too_many_parts(books: Books) -> Path:
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / "group.xlsx",
                   {f"xl/media/image{i}.png": b"" for i in range(xlsx.MAX_PARTS)})
    path.unlink()
    return result


def patch_end_record(data: bytes, *, entries: int | None = None,
                     size: int | None = None) -> bytes:
    """Rewrite what the zip's end record declares about its central directory."""
    out = bytearray(data)
    at = out.rfind(b"PK\x05\x06")
    if entries is not None:
        struct.pack_into("<HH", out, at + 8, entries, entries)
    if size is not None:
        struct.pack_into("<L", out, at + 12, size)
    return bytes(out)


def understated_parts(books: Books) -> Path:
    """10 043 entries behind an end record that declares one: zipfile reads them all
    (the directory is small enough), and they are counted again."""
    data = too_many_parts(books).read_bytes()
    return books.raw("group.xlsx", patch_end_record(data, entries=1))


def huge_directory(books: Books) -> Path:
    path = books.group()
    return books.raw("group.xlsx", patch_end_record(path.read_bytes(), size=5 * MB))


def image_bomb(books: Books) -> Path:
    """A 20 MB «picture» of zeros packed into 20 KB: a thousand times."""
    path = books.group("source.xlsx")
    result = rezip(path, books.folder / "group.xlsx", {"xl/media/image1.png": bytes(20 * MB)})
    path.unlink()
    return result


def sheet_bomb(books: Books) -> Path:
    xml = (b'<worksheet xmlns="%s">' % MAIN.encode() + b" " * (30 * MB)
           + b"<sheetData/></worksheet>")
    return with_sheet(books, "Участники", xml)


def sheet_declared_huge(books: Books) -> Path:
    """A sheet whose central directory entry declares 300 MB (packed into 4 MB)."""
    path = books.group("source.xlsx")
    data = patch_directory(path.read_bytes(), sheet_part(path, "Заседания"),
                           file_size=300 * MB, compress_size=4 * MB)
    path.unlink()
    return books.raw("group.xlsx", data)


def total_declared_huge(books: Books) -> Path:
    path = books.group("source.xlsx")
    data = path.read_bytes()
    for title in ("Участники", "Заседания", "План", "Повестка"):
        data = patch_directory(data, sheet_part(path, title),
                               file_size=150 * MB, compress_size=2 * MB)
    path.unlink()
    return books.raw("group.xlsx", data)


def hundred_thousand_rows(books: Books) -> Path:
    header = (b'<row r="1">' + b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (bytes([65 + i]), h.encode())
        for i, h in enumerate(("Фамилия", "Имя", "Отчество"))) + b"</row>")
    xml = rows_xml(100_000, first=2).replace(b"<sheetData>", b"<sheetData>" + header)
    return with_sheet(books, "Участники", xml)


# --------------------------------------------------------------------------- content cases


def change(edit: Callable[[dict[str, Any]], None]) -> Callable[[Books], Path]:
    def make(books: Books) -> Path:
        edit(books.content)
        return books.group()

    return make


def setter(sheet: str, row: int | None, field: str, value: Any) -> Callable[[Books], Path]:
    def edit(content: dict[str, Any]) -> None:
        if row is None:
            content[sheet][field] = value
        else:
            content[sheet][row][field] = value

    return change(edit)


def edit_book(edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Books], Path]:
    return lambda books: books.edited(edit)


def delete_sheet(wb: openpyxl.Workbook) -> None:
    del wb["Заседания"]


def delete_header(wb: openpyxl.Workbook) -> None:
    wb["Участники"].delete_rows(1)


def rename_date_header(wb: openpyxl.Workbook) -> None:
    wb["Заседания"]["B1"] = "Когда"


def formula_error(wb: openpyxl.Workbook) -> None:
    wb["Заседания"]["G3"] = "#REF!"


def field_twice(wb: openpyxl.Workbook) -> None:
    wb["Группа"].append(["Название", "Другое название"])


def merged_required(wb: openpyxl.Workbook) -> None:
    ws = wb["Участники"]
    ws["F5"] = None
    ws.merge_cells("F4:F5")


def formula_uncached(wb: openpyxl.Workbook) -> None:
    wb["Заседания"]["G2"] = "=2+2"  # openpyxl saves no result, as a book never opened in Excel


def row_of_uncached_formulas(wb: openpyxl.Workbook) -> None:
    ws = wb["Участники"]
    for column in range(1, 7):  # a member typed as formulas (=Лист2!A1…), never computed
        ws.cell(row=6, column=column, value=f"=Лист2!A{column}")


def two_heads(content: dict[str, Any]) -> None:
    content["Участники"][3]["Роль"] = "руководитель"


def no_head(content: dict[str, Any]) -> None:
    content["Участники"][0]["Роль"] = "участник"


def two_secretaries(content: dict[str, Any]) -> None:
    content["Участники"][2]["Роль"] = "секретарь"


def duplicate_member(content: dict[str, Any]) -> None:
    content["Участники"].append(dict(content["Участники"][3]))


def duplicate_meeting_number(content: dict[str, Any]) -> None:
    content["Заседания"][1]["№"] = 1


def meetings_out_of_order(content: dict[str, Any]) -> None:
    first, second = content["Заседания"][0], content["Заседания"][1]
    first["Дата"], second["Дата"] = second["Дата"], first["Дата"]


def too_few_meetings(content: dict[str, Any]) -> None:
    content["Заседания"] = content["Заседания"][:2]


def no_members(content: dict[str, Any]) -> None:
    content["Участники"] = []


def agenda_for_missing_meeting(content: dict[str, Any]) -> None:
    content["Повестка"][0]["№ заседания"] = 9


def duplicate_question(content: dict[str, Any]) -> None:
    content["Повестка"].append(dict(content["Повестка"][0], Вопрос="Ещё раз"))


def gmo_without_tech_task(content: dict[str, Any]) -> None:
    content["Группа"]["Вид объединения"] = "Городское методическое объединение"
    content["Участники"][0]["Роль"] = "куратор"
    content["Участники"][0]["Стаж"] = 20
    content.pop("Техническое задание", None)


def professional_without_direction(content: dict[str, Any]) -> None:
    content["Группа"]["Вид объединения"] = "Профессиональная группа"
    content["Группа"]["Направление"] = None


def end_before_start(content: dict[str, Any]) -> None:
    import datetime as dt

    content["Группа"]["Дата начала"] = dt.date(2026, 3, 1)
    content["Группа"]["Дата окончания"] = dt.date(2025, 12, 1)


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Books], Path]
    message: str  # a part of the Russian message, specific to this case
    where: str | None = None  # for a mistake in the content: «лист «…», ячейка …»
    checked: str | None = None  # what `docgen check` says, when it says something else


FILES = [
    Case("missing-file", missing, "нет такой книги.xlsx: файл не найден; проверьте путь"),
    Case("empty-folder", empty_folder, "в папке нет книг Excel (.xlsx)",
         checked="это папка, а не книга Excel; укажите файл книги (.xlsx)"),
    Case("empty-file-0-bytes", empty_file, "файл пустой (0 байт)"),
    Case("text-renamed-xlsx", text_renamed, f"файл не является книгой Excel (.xlsx); "
                                            f"откройте его в Excel и {SAVE_AS}"),
    Case("csv-renamed-xlsx", csv_renamed, "файл не является книгой Excel (.xlsx)"),
    Case("html-saved-as-xls", html_as_xls, "выгрузка.xls: файл не является книгой Excel"),
    Case("pdf-given", pdf, "group.pdf: это документ PDF, а не книга Excel"),
    Case("damaged-xls-97-2003", old_xls, "group.xls: файл повреждён или не является книгой "
                                         "Excel (.xlsx); откройте его в Excel и сохраните "
                                         "заново"),
    Case("old-word-doc", old_doc, "это документ Word, а не книга Excel"),
    Case("encrypted-with-password", encrypted, "книга защищена паролем; откройте её в Excel, "
                                               "снимите пароль"),
    Case("odt-renamed-xlsx", odt_renamed, "это документ LibreOffice (OpenDocument)"),
    Case("docx-given", word_document, "Протокол № 1.docx: это документ Word, а не книга Excel"),
    Case("pptx-renamed-xlsx", powerpoint, "это презентация PowerPoint, а не книга Excel"),
    Case("xlsb", xlsb, f"это двоичная книга Excel (.xlsb); откройте её в Excel и {SAVE_AS}"),
    Case("strict-open-xml", strict, "книга сохранена в строгом формате Open XML"),
    Case("zip-of-something-else", other_zip, "файл не является книгой Excel (.xlsx)"),
    Case("truncated-zip", truncated, DAMAGED),
    Case("bad-crc-in-a-sheet", bad_crc, "файл повреждён: лист «Участники» не читается"),
    Case("zip-without-workbook-xml", no_workbook_part, DAMAGED),
    Case("malformed-workbook-xml", bad_workbook_xml, DAMAGED),
    Case("malformed-sheet-xml", bad_sheet_xml, "файл повреждён: лист «Заседания» не читается; "
                                               "откройте книгу в Excel и сохраните её заново"),
    Case("sheet-part-missing", sheet_part_missing, "лист «Заседания» не читается"),
    Case("sheet-without-relationship", sheet_without_relationship,
         "файл повреждён: лист «Участники» не читается"),
    Case("row-number-beyond-excel", row_number_too_large, "лист «Заседания» не читается"),
    Case("shared-string-index-out-of-range", string_index_out_of_range,
         "лист «Участники» не читается"),
    Case("billion-laughs-shared-strings", billion_laughs, DAMAGED),
    Case("dtd-entity-in-sheet", quadratic_entity, "лист «Участники» не читается"),
    Case("zip-password-on-a-part", encrypted_member, DAMAGED),
    Case("bzip2-packed-parts", bzip2_members, DAMAGED),
    Case("file-over-50-mb", too_big_file, "файл занимает 51 МБ (допускается до 50 МБ, а у "
                                          "книги одной группы обычно меньше 1 МБ)"),
    Case("over-10000-zip-entries", too_many_parts, "файл устроен не как книга Excel: число "
                                                   "частей в нём — 10 043"),
    Case("zip-end-record-understates-entries", understated_parts,
         "файл устроен не как книга Excel: число частей в нём — 10 043"),
    Case("zip-directory-declared-5-mb", huge_directory,
         "файл устроен не как книга Excel: его оглавление занимает 5,0 МБ, а у книги Excel — "
         "несколько килобайт (допускается до 4,0 МБ)"),
    Case("zip-bomb-picture", image_bomb, "картинка «image1.png» распаковывается из"),
    Case("zip-bomb-sheet", sheet_bomb, "книга не читается: лист «Участники» распаковывается"),
    Case("sheet-declared-300-mb", sheet_declared_huge,
         "книга слишком велика: лист «Заседания» после распаковки занимает 300 МБ "
         "(допускается до 200 МБ, а у книги одной группы обычно меньше 1 МБ)"),
    Case("parts-declared-600-mb-in-total", total_declared_huge,
         "книга слишком велика: после распаковки она занимает 600 МБ (допускается до 500 МБ"),
    Case("sheet-of-100000-rows", hundred_thousand_rows,
         "на листе «Участники» больше 10 000 заполненных строк; в книге одной группы столько "
         "не бывает"),
]

CONTENT = [
    Case("missing-required-sheet", edit_book(delete_sheet), "в книге нет обязательного листа",
         "лист «Заседания»"),
    Case("no-header-row", edit_book(delete_header), "не найдена строка заголовков",
         "лист «Участники»"),
    Case("missing-required-column", edit_book(rename_date_header),
         "нет обязательного столбца «Дата»", "лист «Заседания», строка 1"),
    Case("impossible-date-31-02", setter("Заседания", 0, "Дата", "31.02.2025"),
         "дата «31.02.2025» не существует; проверьте день и месяц", "лист «Заседания», ячейка B2"),
    Case("text-in-a-date-cell", setter("Заседания", 2, "Дата", "в январе"),
         "«в январе» — не дата", "лист «Заседания», ячейка B4"),
    Case("bad-school-year", setter("Группа", None, "Учебный год", "2025/2027"),
         "второй год должен быть следующим за первым", "лист «Группа», ячейка B"),
    Case("unknown-kind", setter("Группа", None, "Вид объединения", "Кружок"),
         "неизвестный вид объединения «Кружок»", "лист «Группа», ячейка B2"),
    Case("empty-required-field", setter("Группа", None, "Название", None),
         "не заполнено обязательное поле «Название»", "лист «Группа», ячейка B"),
    Case("formula-without-cached-value", edit_book(formula_uncached),
         "в ячейке формула без сохранённого значения", "лист «Заседания», ячейка G2"),
    Case("row-of-uncached-formulas", edit_book(row_of_uncached_formulas),
         "в ячейке формула без сохранённого значения", "лист «Участники», ячейка A6"),
    Case("formula-error-ref", edit_book(formula_error), "формула даёт ошибку #REF!",
         "лист «Заседания», ячейка G3"),
    Case("field-given-twice", edit_book(field_twice), "поле «Название» указано второй раз",
         "лист «Группа», ячейка A"),
    Case("choice-not-in-list", setter("Участники", 3, "Роль", "главный"),
         "значение «главный» не из списка", "лист «Участники», ячейка I5"),
    Case("not-an-integer", setter("Участники", 2, "Стаж", "много"), "«много» — не целое число",
         "лист «Участники», ячейка H4"),
    Case("merged-cells-in-required-column", edit_book(merged_required),
         "ячейка входит в объединённую область F4:F5", "лист «Участники», ячейка F5"),
    Case("bad-time", setter("Заседания", 1, "Время", "25:00"), "«25:00» — не время",
         "лист «Заседания», ячейка C3"),
    Case("latin-letter-in-a-name", setter("Участники", 1, "Фамилия", "Шeвченко"),
         "2-я буква «e» — латинская", "лист «Участники», ячейка A3"),
    Case("meeting-outside-the-year", setter("Заседания", 4, "Дата", "01.07.2026"),
         "вне периода работы группы", "лист «Заседания», ячейка B6"),
    Case("duplicate-meeting-number", change(duplicate_meeting_number),
         "номер заседания 1 уже есть в строке 2", "лист «Заседания», ячейка A3"),
    Case("meetings-out-of-date-order", change(meetings_out_of_order),
         "раньше заседания № 1", "лист «Заседания», ячейка B3"),
    Case("negative-attendance", setter("Заседания", 0, "Присутствовало", -3),
         "число присутствовавших не может быть отрицательным", "лист «Заседания», ячейка G2"),
    Case("too-few-meetings", change(too_few_meetings), "не реже четырёх раз в год",
         "лист «Заседания»"),
    Case("two-heads", change(two_heads), "руководитель должен быть один",
         "лист «Участники», ячейка I5"),
    Case("no-head", change(no_head), "не указан руководитель", "лист «Участники», столбец I"),
    Case("two-secretaries", change(two_secretaries), "секретарь должен быть один",
         "лист «Участники», ячейка I4"),
    Case("duplicate-member", change(duplicate_member), "уже указан в строке 5",
         "лист «Участники», ячейка A6"),
    Case("no-members", change(no_members), "в списке нет ни одного участника",
         "лист «Участники»"),
    Case("unknown-organization", setter("Участники", 3, "Организация", "МБОУ СОШ № 33"),
         "организации «МБОУ СОШ № 33» нет на листе «Организации»",
         "лист «Участники», ячейка F5"),
    Case("head-without-category", setter("Участники", 0, "Квалификационная категория",
                                         "без категории"),
         "должен иметь высшую или первую квалификационную категорию",
         "лист «Участники», ячейка G2"),
    Case("agenda-for-a-missing-meeting", change(agenda_for_missing_meeting),
         "заседания № 9 нет на листе «Заседания»", "лист «Повестка», ячейка A2"),
    Case("duplicate-agenda-question", change(duplicate_question),
         "номера вопросов не должны повторяться", "лист «Повестка», ячейка B3"),
    Case("start-outside-the-year", setter("Группа", None, "Дата начала", "01.08.2025"),
         "вне учебного года 2025/2026", "лист «Группа», ячейка B"),
    Case("end-before-start", change(end_before_start), "раньше даты начала",
         "лист «Группа», ячейка B"),
    Case("service-head-initials", setter("Группа", None, "Руководитель методической службы",
                                         "Давыдова С.М."),
         "укажите фамилию, имя и отчество полностью", "лист «Группа», ячейка B"),
    Case("gmo-without-tech-task", change(gmo_without_tech_task),
         "для вида «Городское методическое объединение» он обязателен",
         "лист «Техническое задание»"),
    Case("professional-without-direction", change(professional_without_direction),
         "укажите направление", "лист «Группа», ячейка B"),
]


def snapshot(path: Path) -> tuple[Any, ...]:
    """The input as it is now: its bytes, its time, and what lies beside it."""
    beside = sorted(p.name for p in path.parent.iterdir())
    if not path.exists():
        return (None, beside)
    if path.is_dir():
        return ("folder", sorted(p.name for p in path.iterdir()), beside)
    stat = path.stat()
    return (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, beside)


def written(out: Path) -> list[Path]:
    return [p for p in out.rglob("*")] if out.exists() else []


@pytest.fixture
def books(tmp_path: Path, content: dict[str, Any]) -> Books:
    folder = tmp_path / "книги"
    folder.mkdir()
    return Books(folder, content)


def no_traceback(result: Result) -> str:
    text = result.output + result.stderr
    assert "Traceback" not in text
    assert "внутренняя ошибка" not in text.lower()
    assert result.exception is None or isinstance(result.exception, SystemExit), text
    return text


def test_the_corpus_is_large_enough() -> None:
    assert len(FILES) + len(CONTENT) >= 40
    assert len({c.id for c in FILES + CONTENT}) == len(FILES) + len(CONTENT)


@pytest.mark.parametrize("case", [  # the 100 000-row sheet is heavy: with the slow tests
    pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.make is hundred_thousand_rows else [])
    for c in FILES])
def test_a_bad_file_is_one_russian_line(case: Case, books: Books, tmp_path: Path) -> None:
    path = case.make(books)
    before = snapshot(path)
    out = tmp_path / "out"
    result = invoke("build", path, "-o", out)
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    named = lines[0].partition(": ")[0]
    assert named.endswith(path.name), lines[0]  # a folder is named by its path, as given
    assert case.message in lines[0], lines[0]
    assert not written(out)
    assert snapshot(path) == before

    result = invoke("check", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert (case.checked or case.message) in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert snapshot(path) == before


@pytest.mark.parametrize("case", CONTENT, ids=[c.id for c in CONTENT])
def test_a_mistake_in_the_book_names_sheet_and_cell(case: Case, books: Books,
                                                     tmp_path: Path) -> None:
    path = case.make(books)
    before = snapshot(path)
    out = tmp_path / "out"
    result = invoke("build", path, "-o", out)
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert re.match(rf"^{re.escape(path.name)}: \d+ ошиб", lines[0]), result.output
    assert case.where is not None
    assert any(line.startswith(f"  ошибка: {case.where}") and case.message in line
               for line in lines), result.output
    assert result.stderr.strip() == (f"{path.name}: документы не сформированы — исправьте "
                                     f"ошибки в книге и запустите команду снова.")
    assert not written(out)
    assert snapshot(path) == before

    result = invoke("check", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert case.message in result.output
    assert snapshot(path) == before


# --------------------------------------------------------------------------- speed and memory


def refused_reading(path: Path, message: str) -> int:
    """Peak Python memory (bytes) of reading ``path``, which must fail with ``message``."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError, match=message):
            read_workbook(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # writes and reads a 100 000-row sheet
def test_a_sheet_of_100000_rows_fails_fast_and_small(books: Books) -> None:
    """Reading stops at row 10 001: no 100 000 rows are ever converted or kept.

    How fast it fails is measured by benchmarks/bench_hostile.py, not here."""
    path = hundred_thousand_rows(books)
    peak = refused_reading(path, "больше 10 000 заполненных строк")
    assert peak < 32 * MB, peak


def test_a_member_that_lies_about_its_size_is_not_inflated(books: Books) -> None:
    """A sheet declared as 1 000 bytes whose data inflates to 200 MB: zipfile stops at
    the declared size, and reading in chunks keeps it from inflating the rest at once."""
    path = books.group("source.xlsx")
    part = sheet_part(path, "Группа")
    with zipfile.ZipFile(path) as src:
        members = [(i, src.read(i)) for i in src.infolist()]
    bomb = books.folder / "group.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename != part:
                out.writestr(info.filename, data)
                continue
            with out.open(part, "w", force_zip64=False) as stream:
                for _ in range(200):
                    stream.write(b" " * MB)
    bomb.write_bytes(patch_directory(bomb.read_bytes(), part, file_size=1000))
    path.unlink()
    peak = refused_reading(bomb, "лист «Группа» не читается")
    assert peak < 16 * MB, peak


def test_a_zip_bomb_is_refused_before_it_is_inflated(books: Books) -> None:
    path = image_bomb(books)
    with pytest.raises(WorkbookError, match="распаковывается из 20 КБ в 20 МБ"):
        read_workbook(path)


def test_billion_laughs_is_refused_quickly(books: Books) -> None:
    path = billion_laughs(books)
    with pytest.raises(WorkbookError):
        read_workbook(path)


# --------------------------------------------------------------------------- odd but good files


@pytest.mark.slow  # streams 1 048 576 rows
def test_a_million_formatted_empty_rows_are_read(books: Books, tmp_path: Path) -> None:
    """Excel keeps formatting of rows nobody filled; they are not «filled rows», and a
    sheet of all 1 048 576 of them is streamed, not held in memory."""
    path = books.group("source.xlsx")
    part = sheet_part(path, "Участники")
    xml = member(path, part)
    last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', xml))
    empty = b"".join(b'<row r="%d" customFormat="1" s="0"><c r="A%d" s="0"/></row>' % (r, r)
                     for r in range(last + 1, xlsx.EXCEL_ROWS + 1))
    xml = xml.replace(b"</sheetData>", empty + b"</sheetData>")
    assert len(xml) > 60 * MB
    book = rezip(path, books.folder / "group.xlsx", {part: xml})
    path.unlink()
    result = invoke("build", book, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Записано: 10 документов." in result.output


def test_a_value_far_right_is_left_out_with_a_warning(books: Books, tmp_path: Path) -> None:
    path = books.edited(lambda wb: [wb["Участники"].cell(row, 16384, "заметка")
                                    for row in range(2, 6)])
    data = read_workbook(path)
    warnings = [p for p in data.problems if "правее столбца CV" in p.message]
    assert [w.format() for w in warnings] == [
        "group.xlsx, лист «Участники», ячейка XFD2: значения правее столбца CV (100-го) не "
        "читаются: в книге одной группы столько столбцов не бывает; перенесите нужные данные "
        "левее или удалите их (таких ячеек на листе: 4)"]
    result = invoke("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    assert "ячейка XFD2 (Кутейкина Елена): значения правее столбца CV" in result.output


def test_whole_sheet_merges_do_not_fill_memory(books: Books) -> None:
    """A merge as large as the sheet (17 billion cells) is kept only where rows exist."""
    path = books.group("source.xlsx")
    part = sheet_part(path, "Заседания")
    merges = (b'<mergeCells count="2"><mergeCell ref="J1:XFD1048576"/>'
              b'<mergeCell ref="A100:A1048576"/></mergeCells>')
    xml = member(path, part).replace(b"</sheetData>", b"</sheetData>" + merges)
    book = rezip(path, books.folder / "group.xlsx", {part: xml})
    data = read_workbook(book)
    assert len(data.rows("meetings")) == 5
    assert data.problems == read_workbook(path).problems


def test_a_libreoffice_workbook_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", ROOT / "tests" / "data" / "libreoffice-amursk.xlsx", "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    reference = tmp_path / "reference"
    assert invoke("build", ROOT / "data" / "amursk-tvorcheskaya.xlsx", "-o",
                  reference).exit_code == 0
    def names(folder: Path) -> list[str]:
        # the LibreOffice copy is of an older example, without the appointment order's
        # number and date (data/examples.py gives them since issue 28)
        return sorted(re.sub(r"(Приказ о назначении руководителя) от \S+ № \S+(\.docx)$",
                             r"\1\2", str(p.relative_to(folder)))
                      for p in folder.rglob("*.docx"))

    ours = names(out)
    assert ours and ours == names(reference)


def macro_enabled(books: Books) -> Path:
    """The valid workbook saved as .xlsm: a VBA project part, its relationship and the
    macro-enabled content type, as Excel writes them."""
    path = books.group("source.xlsx")
    types = member(path, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                     b'vbaProject"/></Types>')
    rels = member(path, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                             b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                             b"</Relationships>")
    assert b"macroEnabled" in types
    result = rezip(path, books.folder / "group.xlsm", {
        "[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels,
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 50})
    path.unlink()
    return result


def test_an_xlsm_builds_and_its_macros_are_never_read(books: Books, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return real_open(self, name, *args, **kwargs)

    book = macro_enabled(books)
    reference = invoke("build", books.group("same.xlsx"), "-o", tmp_path / "reference")
    assert reference.exit_code == 0
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    out = tmp_path / "out"
    result = invoke("build", book, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    assert "Записано: 10 документов." in result.output
    assert any(name.startswith("xl/worksheets/") for name in opened)
    assert "xl/vbaProject.bin" not in opened

    import docx

    def texts(folder: Path) -> dict[str, list[str]]:
        return {p.name: [para.text for para in docx.Document(str(p)).paragraphs]
                for p in folder.rglob("*.docx")}

    assert texts(out) == texts(tmp_path / "reference")


# --------------------------------------------------------------------------- folders and access


def test_a_folder_builds_xls_and_ods_and_reports_other_tables(books: Books,
                                                                tmp_path: Path) -> None:
    """.xls and .ods are read like .xlsx (issue 29); a table in another format is reported,
    not left out; an .xls or .ods beside its .xlsx copy is the copy's past and is left out."""
    books.group("a.xlsx")
    (books.folder / "a.xls").write_bytes(old_xls(books).read_bytes())
    (books.folder / "a.ods").write_bytes(b"not even a zip")
    (books.folder / "group.xls").unlink()
    shutil.copy(ROOT / "tests" / "data" / "libreoffice-amursk.xls", books.folder / "б.xls")
    ods(books).rename(books.folder / "в.ods")
    (books.folder / "г.csv").write_text("Фамилия;Имя\n", encoding="utf-8")
    (books.folder / "заметки.txt").write_text("не таблица", encoding="utf-8")
    (books.folder / "~$б.xls").write_bytes(b"lock")
    result = invoke("build", books.folder, "-o", tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert any(e.startswith("в.ods: документы не сформированы") for e in errors), errors
    assert any(e.startswith("г.csv: файл не является книгой Excel") for e in errors)
    assert not any(e.startswith(("a.", "б.xls", "заметки", "~$")) for e in errors)
    assert "Обработано книг: 4, из них с ошибками: 2." in result.output
    built = {p.parent.name for p in (tmp_path / "out").glob("*/*/*.docx")}
    assert len(built) == 2, built  # a.xlsx's group and б.xls's


def test_a_folder_of_only_an_xls_is_not_called_empty(books: Books, tmp_path: Path) -> None:
    old_xls(books)
    result = invoke("build", books.folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "group.xls: файл повреждён или не является книгой Excel (.xlsx); откройте его в Excel "
        "и сохраните заново"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not stop root, and differ on Windows")
def test_a_file_without_read_permission(books: Books, tmp_path: Path) -> None:
    path = books.group()
    path.chmod(0)
    try:
        result = invoke("build", path, "-o", tmp_path / "out")
        no_traceback(result)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "group.xlsx: нет доступа к файлу: нет прав на его чтение или он занят другой "
            "программой; закройте его в других программах или скопируйте книгу в свою папку "
            "и повторите")
        assert not written(tmp_path / "out")
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_is_not_read_forever(books: Books, tmp_path: Path) -> None:
    pipe = books.folder / "group.xlsx"
    os.mkfifo(pipe)
    result = invoke("check", pipe)
    assert result.exit_code == 1
    assert result.stderr.strip() == "group.xlsx: это не обычный файл; укажите файл книги " \
                                    "Excel (.xlsx)"


@pytest.mark.slow  # a subprocess reads a 100 000-row sheet
def test_a_sheet_of_100000_rows_needs_little_memory(books: Books) -> None:
    """Peak memory of a whole process reading the 100 000-row sheet, lxml's own memory
    included (tracemalloc does not see it). VmHWM, unlike ru_maxrss, starts afresh at
    exec, so pytest's own memory is not counted."""
    if not Path("/proc/self/status").exists():
        pytest.skip("VmHWM is Linux's")
    path = hundred_thousand_rows(books)
    code = ("import re, sys\n"
            "from docgen.main import check_workbook\n"
            "r = check_workbook(sys.argv[1])\n"
            "assert r.error is not None and 'больше 10 000' in r.error.message\n"
            "status = open('/proc/self/status').read()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True)
    assert int(out.stdout) < 150 * 1024, out.stdout  # kB: about 45 MB, 15 MB of it Python
