"""Russian for click's own messages (usage errors, help headings).

Clerks must never see English, and click builds its messages with gettext,
which picks no language on a Windows machine. ``install()`` points click's ``_`` and
``ngettext`` at these functions (unknown strings pass through unchanged), and replaces
the few English-shaped pieces click builds without gettext: names quoted as Python
does ('--jobs'), «Did you mean 'check'?» and ranges written as «x>=1», «0<=x<=65535».
"""

from __future__ import annotations

from typing import Any

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
    "{value} is not in the range {range}.": "нужно число {range}, а указано {value}.",
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


def quoted(names: Any) -> str:
    """Names of parameters or commands in Russian quotes: «--jobs» / «-j»."""
    if isinstance(names, str):
        return names
    return " / ".join(f"«{name}»" for name in names)


def error_hint(param: Any, ctx: Any) -> str:
    """click's Parameter.get_error_hint, quoted as Russian text quotes: «КНИГА...»."""
    import click

    if isinstance(param, click.Argument):
        return quoted([param.make_metavar(ctx) if ctx is not None else
                       param.human_readable_name])
    return quoted(param.opts or [param.human_readable_name])


def possibilities(names: list[str]) -> str:
    """«Возможно, имелось в виду «check»?» for click's suggestions of a mistyped name."""
    shown = [f"«{name}»" for name in sorted(names)]
    either = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " или " + shown[-1]
    return f"Возможно, имелось в виду {either}?"


def describe_range(number_range: Any) -> str:
    """A range of IntRange/FloatRange in words: «не меньше 1», «от 0 до 65535»."""
    low, high = number_range.min, number_range.max
    low_word = "больше" if number_range.min_open else "не меньше"
    high_word = "меньше" if number_range.max_open else "не больше"
    if low is None and high is None:
        return ""
    if high is None:
        return f"{low_word} {low}"
    if low is None:
        return f"{high_word} {high}"
    if not number_range.min_open and not number_range.max_open:
        return f"от {low} до {high}"
    return f"{low_word} {low} и {high_word} {high}"


def install() -> None:
    """Make click speak Russian: its gettext strings and its hand-built pieces."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    if hasattr(click.exceptions, "_join_param_hints"):
        click.exceptions._join_param_hints = lambda hint: (  # type: ignore[attr-defined]
            None if hint is None else quoted(hint))
    if hasattr(click.exceptions, "_format_possibilities"):
        click.exceptions._format_possibilities = possibilities  # type: ignore[attr-defined]
    click.core.Parameter.get_error_hint = error_hint  # type: ignore[method-assign]
    click.core.Argument.get_error_hint = error_hint  # type: ignore[method-assign]
    click.core.Option.get_error_hint = error_hint  # type: ignore[method-assign]
    if hasattr(click.types, "_NumberRangeBase"):
        click.types._NumberRangeBase._describe_range = describe_range  # type: ignore[attr-defined]
