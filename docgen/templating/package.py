"""The .docx package: refused before unpacking when it would take too much to open.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docgen.errors import TemplateError

MB = 1024 * 1024


MAX_TEMPLATE_BYTES = 50 * MB  # the .docx itself: a template with pictures is a few MB


MAX_TEMPLATE_UNPACKED = 200 * MB  # all its parts unpacked


MAX_TEMPLATE_RATIO = 100  # a part of 10 MB or more may not unpack to more than that × packed


def check_template_package(path: Path, content: bytes | None = None) -> None:
    """Refuse a template that would take too much to open (a «zip bomb»), before unpacking.

    Only the zip's directory is read: the sizes it declares are what zipfile
    will stop at, so nothing larger than checked is ever inflated.
    """

    try:
        size = len(content) if content is not None else path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"шаблон «{path.name}» больше {MAX_TEMPLATE_BYTES // MB} МБ: "
                                f"docgen не открывает такие файлы; уменьшите картинки в нём")
        source: Any = io.BytesIO(content) if content is not None else path
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not a zip at all: the reader's own message says so
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size >= 10 * MB and i.file_size > MAX_TEMPLATE_RATIO * max(
        i.compress_size, 1) for i in infos)
    if total > MAX_TEMPLATE_UNPACKED or bomb:
        raise TemplateError(
            f"шаблон «{path.name}» распаковывается в {total // MB} МБ (допустимо до "
            f"{MAX_TEMPLATE_UNPACKED // MB} МБ, без частей, сжатых больше чем в "
            f"{MAX_TEMPLATE_RATIO} раз): это не обычный документ Word, docgen его не открывает")
