"""The web pages of `docgen serve` (Flask): every label and message in Russian.

Pages: «Проверка и документы» (upload, check, build, download), «Новая книга»,
«Бланки», «Архив», «Вход». Every POST carries the session's CSRF token; every
response carries a Content-Security-Policy without inline scripts and
``X-Content-Type-Options: nosniff``; downloads are named per RFC 6266 (a
Russian name in ``filename*``). A clerk never sees a traceback: errors are
Russian pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hmac
import ipaddress
import logging
import math
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from flask import (
    Flask,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException

from docgen.errors import DocgenError, LibreOfficeNotFound, PdfError, ValidationError
from docgen.web.auth import Sessions, is_own_address, verify_password
from docgen.web.service import (
    FileRef,
    NotFound,
    PdfBusy,
    Service,
    pdf_available,
    rows_of,
)
from docgen.web.uploads import MAX_REQUEST_BYTES, UploadError

log = logging.getLogger("docgen.web")

SESSION_HOURS = 12
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
ERRORS = {
    400: ("Неверный запрос", "Сервер не понял запрос. Вернитесь на главную страницу и "
                             "повторите действие."),
    403: ("Доступ запрещён", "Страница устарела или открыта из другого окна. Обновите "
                             "страницу и повторите действие."),
    404: ("Страница не найдена", "Такой страницы или файла нет. Загруженные книги и "
                                 "результаты хранятся сутки, а видны только тому, кто их "
                                 "загрузил."),
    405: ("Действие недоступно", "Это действие выполняется кнопкой на странице."),
    413: ("Слишком большой файл", "Загрузка не принята: вместе файлы занимают больше "
                                  f"{MAX_REQUEST_BYTES // (1024 * 1024)} МБ. Загрузите книги "
                                  "частями."),
    421: ("Неверный адрес сервера", "Эта страница открыта не по адресу сервера docgen. "
                                    "Откройте docgen по адресу, который сообщил тот, кто "
                                    "запустил docgen serve."),
    429: ("Слишком много попыток", "Пароль неверно введён слишком много раз. Подождите "
                                   "несколько секунд и попробуйте снова."),
    500: ("Внутренняя ошибка", "На сервере произошла ошибка. Повторите действие; если ошибка "
                               "повторится, сообщите тому, кто запустил docgen serve."),
}
_LOGIN_WINDOW = 900.0  # seconds over which failed logins from one address are counted
_LOGIN_LIMIT = 10  # tries from one address before each further one has to wait
_LOGIN_DELAY_MAX = 60.0  # the longest wait: a shared terminal server is never shut out for long


def login_delay(failures: int) -> float:
    """Seconds an address must wait after its last wrong password before the next try.

    Free for the first ``_LOGIN_LIMIT`` tries, then 1, 2, 4 … seconds up to a
    minute: guessing stays slow (scrypt on top), while a clerk who shares an
    address with a guesser (a terminal server) waits a minute at most, not the
    whole window.
    """
    if failures < _LOGIN_LIMIT:
        return 0.0
    return min(2.0 ** (failures - _LOGIN_LIMIT), _LOGIN_DELAY_MAX)


def safe_next(target: str) -> str:
    """A path of this server to go to after login; anything else is «/».

    Browsers drop tabs and newlines from a URL, so ``/\t/evil.example`` would
    become ``//evil.example``, another site; a control character would also make
    an invalid ``Location`` header (HTTP 500). Only a plain absolute path passes.
    """
    if (not target.startswith("/") or target.startswith("//")
            or any(ch in target for ch in "\\\x7f") or any(ord(ch) < 0x20 for ch in target)
            or any(ch.isspace() for ch in target)):
        return "/"
    return target


def split_host(header: str) -> str:
    """The name in a ``Host`` header, lower case, without port or final dot."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        header = header.partition(":")[0]
    return header.rstrip(".")


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the real name in ``filename*`` (RFC 6266)."""
    suffix = PurePosixPath(name).suffix
    try:
        name.encode("ascii")
        fallback = name
    except UnicodeEncodeError:
        fallback = f"docgen{suffix}"
    fallback = "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else "_" for c in fallback)
    return (f"attachment; filename=\"{fallback}\"; "
            f"filename*=UTF-8''{quote(name, safe='!#$&+-.^_`|~')}")


def _download(path: Path, name: str) -> Response:
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def _bytes(data: bytes, name: str) -> Response:
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def create_app(service: Service, password: dict[str, Any] | None = None,
               secret: bytes | None = None, testing: bool = False,
               hosts: set[str] | None = None, wide: bool = False) -> Flask:
    """The Flask application over ``service``; with ``password``, every page asks for it.

    ``hosts``: the names the server answers to (``auth.host_names``), any other
    ``Host`` gets a 421 page; ``wide``: bound beyond loopback, so this computer's
    own IP addresses are accepted as well. Without ``hosts`` (tests) any name is.
    """
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=secret or secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_NAME="docgen_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        TESTING=testing,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.extensions["docgen"] = service
    failures: dict[str, list[float]] = {}
    failures_lock = threading.Lock()
    sessions = (Sessions(service.out, password, SESSION_HOURS * 3600.0)
                if password is not None else None)

    @functools.lru_cache(maxsize=256)
    def known_host(name: str) -> bool:
        if hosts is None or name in hosts:
            return True
        try:
            if ipaddress.ip_address(name).is_loopback:
                return True
        except ValueError:
            return False  # a name nobody started this server for
        return wide and is_own_address(name)

    def signed_in() -> bool:
        return bool(session.get("auth")) and sessions is not None \
            and sessions.valid(session.get("sid"), session.get("epoch"))
    with_pdf = pdf_available()

    def clerk() -> str:
        return str(session["clerk"])

    def csrf_field() -> str:
        return str(session.get("csrf", ""))

    @app.context_processor
    def page_values() -> dict[str, Any]:
        return {"csrf": csrf_field(), "with_password": password is not None,
                "signed_in": signed_in(), "with_pdf": with_pdf}

    @app.before_request
    def guard() -> Any:
        g.nonce = None
        if not known_host(split_host(request.host)):
            abort(421)  # before the session: a rebound page gets nothing, not even a cookie
        if "clerk" not in session:
            session["clerk"] = secrets.token_urlsafe(18)
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(24)
        session.permanent = True
        if request.endpoint == "static":
            return None
        if password is not None and not signed_in() and request.endpoint != "login":
            if request.method == "POST":
                abort(403)
            target = request.full_path if request.endpoint not in (None, "login") else "/"
            return redirect(url_for("login", next=target.rstrip("?")))
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not sent or not hmac.compare_digest(sent.encode(), csrf_field().encode()):
                abort(403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        title, text = ERRORS.get(code, (f"Ошибка {code}", ERRORS[400][1]))
        return render_template("error.html", code=code, title=title, text=text), code

    @app.errorhandler(Exception)
    def bug(exc: Exception) -> tuple[str, int]:
        log.exception("internal error on %s", request.path)
        title, text = ERRORS[500]
        return render_template("error.html", code=500, title=title, text=text), 500

    # --- login ------------------------------------------------------------------------

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if password is None:
            return redirect(url_for("index"))
        target = safe_next(request.values.get("next", "/"))
        if request.method == "GET":
            return render_template("login.html", next=target, wrong=False)
        assert sessions is not None
        address = request.remote_addr or ""
        now = time.monotonic()
        with failures_lock:  # check and count in one step: parallel tries cannot slip past
            recent = [t for t in failures.get(address, []) if now - t < _LOGIN_WINDOW]
            wait = login_delay(len(recent))
            if recent and now - recent[-1] < wait:
                failures[address] = recent
                retry = math.ceil(wait - (now - recent[-1]))
                title = ERRORS[429][0]
                return render_template(
                    "error.html", code=429, title=title,
                    text=f"Пароль неверно введён слишком много раз. Подождите {retry} с и "
                         f"попробуйте снова."), 429, {"Retry-After": str(retry)}
            recent.append(now)  # counted as wrong until it proves right
            failures[address] = recent
        if verify_password(request.form.get("password", ""), sessions.record()):
            with failures_lock, contextlib.suppress(ValueError):
                failures.get(address, []).remove(now)
            clerk_id = session.get("clerk")
            session.clear()  # a new session after login: a cookie fixed beforehand is useless
            session["clerk"] = clerk_id or secrets.token_urlsafe(18)
            session["csrf"] = secrets.token_urlsafe(24)
            session["auth"] = True
            session["sid"] = secrets.token_urlsafe(18)
            session["epoch"] = sessions.epoch()
            session.permanent = True
            return redirect(target)
        time.sleep(0.3)
        return render_template("login.html", next=target, wrong=True), 401

    @app.post("/logout")
    def logout() -> Any:
        if sessions is not None:
            sessions.end(session.get("sid"))
        session.clear()
        return redirect(url_for("login") if password is not None else url_for("index"))

    # --- check and build --------------------------------------------------------------

    @app.get("/")
    def index() -> Any:
        return render_template("index.html", uploads=service.uploads_of(clerk()), error=None)

    @app.post("/upload")
    def upload() -> Any:
        files = [(f.stream, f.filename or "") for f in request.files.getlist("files")
                 if f.filename]
        try:
            received = service.receive(clerk(), files)
        except DocgenError as exc:
            return render_template("index.html", uploads=service.uploads_of(clerk()),
                                   error=str(exc)), 400
        return redirect(url_for("upload_page", upload_id=received.id))

    @app.get("/u/<upload_id>")
    def upload_page(upload_id: str) -> Any:
        found = _own(lambda: service.upload(clerk(), upload_id))
        return render_template("upload.html", upload=found)

    @app.get("/u/<upload_id>/status")
    def upload_status(upload_id: str) -> Any:
        found = _own(lambda: service.upload(clerk(), upload_id))
        return found.status()

    @app.post("/u/<upload_id>/build")
    def build(upload_id: str) -> Any:
        pdf = with_pdf and request.form.get("pdf") == "1"
        bundle = request.form.get("bundle") == "1"
        with contextlib.suppress(UploadError):  # nothing valid to build: the page says why
            _own(lambda: service.start_build(clerk(), upload_id, pdf=pdf, bundle=bundle))
        return redirect(url_for("upload_page", upload_id=upload_id))

    @app.get("/f/<file_id>")
    def download(file_id: str) -> Any:
        ref: FileRef = _own(lambda: service.file(clerk(), file_id))
        return _download(ref.path, ref.name)

    # --- new workbook and blanks ------------------------------------------------------

    @app.get("/new")
    def new() -> Any:
        from docgen.kinds import all_kinds

        return render_template("new.html", kinds=all_kinds())

    @app.get("/new/book")
    def new_book() -> Any:
        kind = request.args.get("kind") or None
        try:
            data, name = service.new_workbook(kind)
        except DocgenError:
            abort(404)
        return _bytes(data, name)

    @app.get("/blanks")
    def blanks() -> Any:
        from docgen.api.blank import forms

        return render_template("blanks.html", forms=forms(), failed=None, error=None,
                               pdf_error=False)

    @app.post("/blanks/<form_id>")
    def blank(form_id: str) -> Any:
        from docgen.api.blank import forms

        if form_id not in {f.id for f in forms()}:
            abort(404)
        rows = None
        text = request.form.get("rows", "").strip()
        upload = request.files.get("workbook")
        workbook = (upload.stream, upload.filename) if upload and upload.filename else None
        as_pdf = request.form.get("format") == "pdf"  # «Скачать PDF»; «Скачать бланк»: .docx
        try:
            if text:
                rows = int(text)
            data, name = service.blank(form_id, rows, workbook, pdf=as_pdf)
        except ValueError:
            return render_template("blanks.html", forms=forms(), failed=None,
                                   error="число строк должно быть целым числом",
                                   pdf_error=False), 400
        except ValidationError as exc:
            return render_template("blanks.html", forms=forms(), error=None, pdf_error=False,
                                   failed=(workbook[1] if workbook else "", rows_of(exc))), 422
        except PdfError as exc:  # the .docx is still there to take: the page says so
            status = 503 if isinstance(exc, (LibreOfficeNotFound, PdfBusy)) else 500
            return render_template("blanks.html", forms=forms(), failed=None,
                                   error=exc.message, pdf_error=True), status
        except DocgenError as exc:
            return render_template("blanks.html", forms=forms(), failed=None,
                                   error=str(exc), pdf_error=False), 400
        return _bytes(data, name)

    # --- archive ----------------------------------------------------------------------

    @app.get("/archive")
    def archive() -> Any:
        return render_template("archive.html", years=service.archive())

    @app.get("/a/<file_id>")
    def archive_download(file_id: str) -> Any:
        ref: FileRef = _own(lambda: service.archive_file(file_id))
        return _download(ref.path, ref.name)

    @app.get("/archive/<item_id>.zip")
    def archive_zip(item_id: str) -> Any:
        path, name = _own(lambda: service.archive_zip(item_id))

        def chunks() -> Any:  # streamed, not passed through: so the close below runs
            with path.open("rb") as source:
                while block := source.read(1024 * 1024):
                    yield block

        response = Response(chunks(), mimetype="application/zip")
        response.headers["Content-Length"] = str(path.stat().st_size)
        response.headers["Content-Disposition"] = content_disposition(name)
        response.call_on_close(lambda: path.unlink(missing_ok=True))  # a temporary file
        return response

    @app.post("/archive/<group_id>/rebuild")
    def rebuild(group_id: str) -> Any:
        pdf = with_pdf and request.form.get("pdf") == "1"
        bundle = request.form.get("bundle") == "1"
        found = _own(lambda: service.rebuild(clerk(), group_id, pdf=pdf, bundle=bundle))
        return redirect(url_for("upload_page", upload_id=found.id))

    return app


def _own(get: Callable[[], Any]) -> Any:
    """What ``get`` finds for this clerk; anything else is a plain 404."""
    try:
        return get()
    except NotFound:
        abort(404)
