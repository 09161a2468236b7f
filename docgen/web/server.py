"""Running `docgen serve`: the pool, the app, and waitress (a pure-Python WSGI server).

waitress serves each request in one of its threads, so several clerks work at
once; the builds themselves run in the service's bounded process pool.
"""

from __future__ import annotations

import _thread
import os
import signal
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from docgen.errors import DocgenError
from docgen.web.auth import host_names, load_password, needs_password, secret_key
from docgen.web.uploads import MAX_REQUEST_BYTES

THREADS = 8  # requests served at once; builds are bounded by the pool, not by these
CLEAN_EVERY = 3600.0  # seconds between sweeps of uploads older than a day


def _stop_on_signals() -> None:
    """Ctrl+C and a service manager's SIGTERM both stop the server cleanly.

    A server started in the background by a script inherits SIGINT ignored;
    it is handled again here, so that ``kill -INT`` and ``--exit-after`` work.
    """
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)


def serve(host: str, port: int, out_dir: Path, templates: Path | None = None,
          jobs: int | None = None, open_browser: bool = True, ask_password: bool = False,
          exit_after: float | None = None, say: Callable[[str], None] = lambda _text: None,
          ) -> None:
    """Serve the pages until Ctrl+C (or ``exit_after`` seconds, for tests).

    On an address other computers can reach (or with ``ask_password``) the
    centre's password must have been set; without it the server does not start.
    """
    from waitress.server import create_server

    from docgen.web.app import create_app
    from docgen.web.service import Service

    out_dir = Path(out_dir)
    password = None
    if ask_password or needs_password(host):
        password = load_password(out_dir)
        if password is None:
            raise DocgenError(
                f"сервер на адресе {host} будет доступен с других компьютеров, поэтому нужен "
                f"пароль центра; задайте его командой: docgen serve --set-password -o "
                f"\"{out_dir}\"")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocgenError(f"не удалось создать папку «{out_dir}»: {exc.strerror or exc}") from exc
    workers = jobs or min(os.cpu_count() or 1, 4)
    service = Service(out_dir, templates, workers)
    app = create_app(service, password, secret_key(out_dir), hosts=host_names(host),
                     wide=needs_password(host))
    try:  # the address first: a busy port is said at once, before the pool starts
        server = create_server(app, host=host, port=port, threads=THREADS, ident="docgen",
                               max_request_body_size=2 * MAX_REQUEST_BYTES,
                               clear_untrusted_proxy_headers=True)
    except OSError as exc:
        service.close()
        raise DocgenError(f"не удалось открыть адрес {host}:{port} ({exc.strerror or exc}); "
                          f"возможно, порт занят — укажите другой: --port") from exc
    _stop_on_signals()  # before the greeting: a Ctrl+C right after it stops cleanly too
    stop = threading.Event()
    try:
        service.start()
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{server.effective_port}/"  # type: ignore[union-attr]
        say(f"docgen работает по адресу {url}")
        say(f"Документы и архив: {out_dir.resolve()}")
        say("Пароль: " + ("спрашивается на каждом компьютере" if password else
                          "не нужен (страница открыта только на этом компьютере)"))
        say("Остановить: Ctrl+C")

        def sweep() -> None:
            while not stop.wait(CLEAN_EVERY):
                service.clean()

        threading.Thread(target=sweep, daemon=True, name="docgen-clean").start()
        if exit_after is not None:
            timer = threading.Timer(exit_after, _thread.interrupt_main)
            timer.daemon = True
            timer.start()
        if open_browser:
            opener = threading.Timer(0.5, webbrowser.open, args=(url,))
            opener.daemon = True
            opener.start()
        server.run()
    except KeyboardInterrupt:  # Ctrl+C, SIGTERM, --exit-after: the one way to stop
        pass
    finally:
        stop.set()
        server.close()
        service.close()
    say("Сервер остановлен.")
