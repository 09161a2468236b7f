"""``docgen serve``: the same work on a page in the browser, for clerks without a terminal."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.base import (
    cli,
    echo,
    reports_errors,
)
from docgen.errors import DocgenError


@cli.command("serve", options_metavar="[ПАРАМЕТРЫ]")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="АДРЕС",
              help="Адрес, на котором принимать запросы. 127.0.0.1 — только этот компьютер "
                   "(пароль не нужен); 0.0.0.0 — все компьютеры сети центра (нужен пароль).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              metavar="ПОРТ", help="Порт (0 — любой свободный).")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, metavar="ПАПКА",
              help="Папка архива: документы по учебным годам и группам, как у docgen build; "
                   "в её скрытой папке .docgen-serve — пароль, книги групп и загрузки.")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False,
              path_type=Path), default=None, metavar="ПАПКА",
              help="Папка со своими шаблонами (как у docgen build). Шаблоны берутся только "
                   "отсюда, никогда из загруженных файлов.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Сколько книг формировать одновременно для всех пользователей вместе (по "
                   "умолчанию по числу ядер, но не больше 4).")
@click.option("--no-browser", is_flag=True, help="Не открывать страницу в браузере.")
@click.option("--ask-password", is_flag=True,
              help="Спрашивать пароль и на этом компьютере (например, на терминальном "
                   "сервере, где за одним компьютером работают несколько человек).")
@click.option("--set-password", "set_password", is_flag=True,
              help="Задать пароль центра (он хранится только в виде хеша) и выйти.")
@click.option("--exit-after", type=float, default=None, hidden=True,
              help="Остановиться через столько секунд (для тестов).")
@reports_errors
def serve_command(host: str, port: int, out_dir: Path, templates: Path | None,
                  jobs: int | None, no_browser: bool, ask_password: bool, set_password: bool,
                  exit_after: float | None) -> None:
    """Открыть docgen в браузере: проверка книг, документы, бланки и архив.

    Сервер показывает страницу на русском языке, на которой можно скачать
    пустую книгу, загрузить заполненные книги, увидеть их ошибки, сформировать
    документы и скачать их архивом .zip. На этом компьютере (адрес 127.0.0.1)
    пароль не нужен и страница открывается сама. Чтобы с сервером работали
    все компьютеры центра, задайте пароль (docgen serve --set-password) и
    запустите docgen serve --host 0.0.0.0.
    """
    if set_password:
        from docgen.web.auth import set_password as store_password

        password = click.prompt("Новый пароль центра", hide_input=True)
        if click.prompt("Повторите пароль", hide_input=True) != password:
            raise DocgenError("пароли не совпадают; пароль не изменён")
        written = store_password(out_dir, password)
        echo(f"Пароль задан (хранится в виде хеша в {written}).")
        return
    from docgen.web.auth import needs_password
    from docgen.web.server import serve

    serve(host, port, out_dir, templates, jobs,
          open_browser=not no_browser and not needs_password(host),
          ask_password=ask_password, exit_after=exit_after, say=echo)
    from docgen.runtime.lifetime import leave_when_busy

    leave_when_busy()
