"""Russian for click's own messages (usage errors, help headings).

Clerks must never see English, and click builds its messages with gettext,
which picks no language on a Windows machine. cli.py points click's ``_`` and
``ngettext`` at these functions. Unknown strings pass through unchanged.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "Aborted!": "Прервано.",
    "Choose from:\n\t{choices}": "Выберите из:\n\t{choices}",
    "Commands": "Команды",
    "Error: {message}": "Ошибка: {message}",
    "Invalid value for {param_hint}: {message}": "Неверное значение {param_hint}: {message}",
    "Invalid value: {message}": "Неверное значение: {message}",
    "Missing argument": "Не указан аргумент",
    "Missing command.": "Не указана команда.",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "No such command {name!r}.": "Нет такой команды «{name}».",
    "No such option {name!r}.": "Нет такого параметра «{name}».",
    "Option {name!r} does not take a value.": "Параметр «{name}» не принимает значения.",
    "Options": "Параметры",
    "Positional arguments": "Аргументы",
    "Show the version and exit.": "Показать версию и выйти.",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Try '{command} {option}' for help.": "Справка: {command} {option}",
    "Usage:": "Использование:",
    "default: {default}": "по умолчанию: {default}",
    "directory": "папка",
    "file": "файл",
    "path": "путь",
    "{name} {filename!r} does not exist.": "{name} «{filename}» не существует.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» — это папка.",
    "{name} {filename!r} is a file.": "{name} «{filename}» — это файл, а нужна папка.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» не читается.",
    "{name} {filename!r} is not writable.": "{name} «{filename}» недоступен для записи.",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число.",
    "{value} is not in the range {range}.": "{value} вне допустимого диапазона {range}.",
    "integer": "целое число",
}

PLURALS: dict[str, str] = {
    "Got unexpected extra argument ({args})": "Лишний аргумент ({args})",
    "Did you mean {possibility}?": "Возможно, имелось в виду {possibility}?",
    "Option {name!r} requires an argument.": "Параметру «{name}» нужно значение.",
    "{value!r} is not {choice}.": "«{value}» — не {choice}.",
    "{value!r} is not one of {choices}.": "«{value}» не входит в список: {choices}.",
}
PLURALS_MANY: dict[str, str] = {
    "Got unexpected extra arguments ({args})": "Лишние аргументы ({args})",
    "(Did you mean one of: {possibilities}?)": "(Возможно, имелось в виду: {possibilities}?)",
    "Option {name!r} requires {nargs} arguments.": "Параметру «{name}» нужно значений: {nargs}.",
    "{value!r} is not one of {choices}.": "«{value}» не входит в список: {choices}.",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return PLURALS.get(singular, singular)
    return PLURALS_MANY.get(plural, PLURALS.get(plural, plural))
