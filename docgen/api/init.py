"""A new workbook (``docgen init``), empty or carried over from last year (``--from``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.api.check import resolve_kind
from docgen.kinds import Kind

if TYPE_CHECKING:

    pass


def init_workbook(path: str | Path, kind: str | Kind | None = None, force: bool = False) -> Path:
    """Write the blank workbook (``docgen init``), with a kind's sheets first if given.

    ``kind`` is a Kind or its Russian name, alias or code.
    """
    from docgen.workbook.blank import init_workbook as write_blank

    if isinstance(kind, str):
        kind = resolve_kind(kind)
    return write_blank(path, kind, force=force)


def event_photos(kind: Kind | None) -> bool:
    """Whether a workbook of ``kind`` takes photos: only event reports have them."""
    from docgen.workbook.blank import event_photos as takes_photos

    return takes_photos(kind)


def carry_over(source: str | Path, target: str | Path, force: bool = False) -> Any:
    """``docgen init НОВАЯ.xlsx --from ПРОШЛАЯ.xlsx``: next year's workbook (``carry.py``)."""
    from docgen.api.carry import carry_over as carry

    return carry(source, target, force=force)


def carry_folder(source: str | Path, out_dir: str | Path, force: bool = False) -> Any:
    """``docgen init --from ПАПКА -o НОВАЯ_ПАПКА``: every workbook of a folder, a year on."""
    from docgen.api.carry import carry_folder as carry

    return carry(source, out_dir, force=force)
