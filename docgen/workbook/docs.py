"""The workbook's field reference for docs/workbook.md, written from schema.py.

The contract is written once; this renders it for people, and a test keeps the
committed docs/workbook.md equal to what this produces.
Regenerate: python -m docgen.workbook.docs > docs/workbook.md
"""

from __future__ import annotations

from docgen.kinds import all_kinds
from docgen.workbook.blank import field_hint
from docgen.workbook.schema import SHEETS


def reference_markdown() -> str:
    """Every sheet and field of the workbook with its hint, as Markdown (Russian)."""
    out = [
        "# Книга Excel: листы и поля",
        "",
        "Этот файл создан командой `python -m docgen.workbook.docs` из описания книги в "
        "программе; пустую книгу с этими листами создаёт `docgen init`.",
        "",
        "Названия листов и заголовки столбцов можно писать в любом регистре, с «е» вместо "
        "«ё» и с лишними пробелами. Строку заголовков программа ищет в первых десяти строках "
        "листа. Лишние столбцы и листы не мешают.",
        "",
        "Вид объединения — одно из значений: "
        + ", ".join(f"«{k.name}»" for k in all_kinds()) + ".",
        "",
    ]
    for sheet in SHEETS:
        need = "обязательный лист" if sheet.required else "необязательный лист"
        out += [f"## «{sheet.name}» ({need})", "", sheet.hint, ""]
        out += [f"| {'Поле' if sheet.fields else 'Столбец'} | Что вписать |", "| --- | --- |"]
        for col in sheet.columns:
            hint = field_hint(col).replace("|", "\\|") or "—"
            out.append(f"| {col.header} | {hint} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(reference_markdown(), end="")
