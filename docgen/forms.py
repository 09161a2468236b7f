"""Blank forms (``docgen blank``): papers filled in by hand, before any workbook exists.

The centre sends schools the applications (приложения 1–2) to fill in, and prints
registration sheets and protocol forms for meetings. Each form is data here: its
command-line id, Russian title and description, template and file name. Its
context is either bare (``filled`` false: every variable field is a line on the
template) or a group's (``filled`` true: the addressee, the group, its theme and
period printed with the same wording as the filled documents), so one template
serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept light: the CLI lists the forms in its help without loading them
    pass

MIN_ROWS = 1
MAX_ROWS = 300  # as the event report's registration sheet (documents.MAX_REGISTRATION_ROWS)


@dataclass(frozen=True)
class Form:
    """One blank form: what a clerk asks for by ``id`` and gets as ``file_name``.docx."""

    id: str  # command-line name: «zayavka-1»
    title: str  # what it is, in Russian
    description: str  # one line for `docgen blank --list`
    doc_id: str  # template: templates/<doc_id>.docx
    file_name: str  # without «.docx»
    rows: int = 0  # default count of its numbered rows (0: it has none)
    rows_what: str = ""  # what those rows are: «пустых строк для участников»
    # The document a kind must keep for this form to be filled from its workbook: an
    # application is «Приложение № 1 к положению», so only kinds whose положение has it.
    requires: str = ""


FORMS: tuple[Form, ...] = (
    Form("zayavka-1", "заявка на включение педагогического работника (приложение 1)",
         "бланк заявки руководителя организации на включение педагога в состав объединения",
         "blank_application_member", "Бланк заявки (приложение 1)",
         requires="application_member"),
    Form("zayavka-2", "заявка на включение образовательного учреждения (приложение 2)",
         "бланк заявки на включение организации с таблицей её педагогов-участников",
         "blank_application_org", "Бланк заявки (приложение 2)",
         rows=5, rows_what="пустых строк в таблице педагогов", requires="application_org"),
    Form("registration", "лист регистрации участников",
         "таблица №, ФИО, организация, должность, подпись с пустыми строками для "
         "заполнения от руки",
         "blank_registration", "Лист регистрации",
         rows=30, rows_what="пустых строк для участников"),
    Form("protocol", "протокол заседания",
         "бланк протокола: дата, номер, место, присутствующие, повестка и для каждого "
         "вопроса «СЛУШАЛИ», «ВЫСТУПИЛИ», «РЕШИЛИ», подписи председателя и секретаря",
         "blank_protocol", "Бланк протокола",
         rows=3, rows_what="вопросов повестки с местом для записи"),
)

FORMS_BY_ID = {form.id: form for form in FORMS}


def find_form(form_id: str) -> Form | None:
    """The form named ``form_id`` (any case, spaces around ignored), or None."""
    return FORMS_BY_ID.get(form_id.strip().lower())


