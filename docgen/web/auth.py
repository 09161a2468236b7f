"""The centre's password (stored as a scrypt hash) and the key that signs session cookies."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.web import state_folder

PASSWORD_FILE = "password.json"
SECRET_FILE = "secret.key"
REVOKED_FILE = "revoked.json"  # sessions ended by «Выйти»: {session id: when it expires anyway}
MIN_PASSWORD = 8
# scrypt at n=2**14, r=8: 16 MiB and ~50 ms a check, slow enough for guessing, cheap for a login
_N, _R, _P = 2**14, 8, 1
# Addresses that only this computer's own user reaches: no password needed there. Other
# 127.x addresses are loopback too, but a server bound to one was asked for on purpose
# (a terminal server's users share them), so it is treated like a network address.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def needs_password(host: str) -> bool:
    """Whether a server bound to ``host`` must ask for the centre's password."""
    if host in LOCAL_HOSTS:
        return False
    try:
        return ipaddress.ip_address(host) not in (ipaddress.ip_address("127.0.0.1"),
                                                  ipaddress.ip_address("::1"))
    except ValueError:
        return True  # a host name: it may resolve to any address


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (on Windows, the folder's rights apply)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=64 * 1024 * 1024)


def hash_password(password: str) -> dict[str, Any]:
    """A record of the password that cannot be turned back into it."""
    salt = secrets.token_bytes(16)
    # ``epoch``: sessions carry it; a new password (a new epoch) ends every one signed in before
    return {"scheme": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(),
            "hash": _derive(password, salt, _N, _R, _P).hex(),
            "epoch": secrets.token_urlsafe(12)}


def verify_password(password: str, record: dict[str, Any]) -> bool:
    """Whether ``password`` is the one ``record`` was made from (constant-time compare)."""
    try:
        expected = bytes.fromhex(record["hash"])
        got = _derive(password, bytes.fromhex(record["salt"]), int(record["n"]),
                      int(record["r"]), int(record["p"]))
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, got)


def set_password(out_dir: str | Path, password: str) -> Path:
    """Store the centre's password (hashed) for the server of ``out_dir``."""
    if len(password) < MIN_PASSWORD:
        raise DocgenError(f"пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов")
    path = state_folder(out_dir) / PASSWORD_FILE
    try:
        _write_private(path, json.dumps(hash_password(password)).encode("utf-8"))
    except OSError as exc:
        raise DocgenError(f"не удалось записать пароль в «{path}»: {exc.strerror or exc}") from exc
    return path


def load_password(out_dir: str | Path) -> dict[str, Any] | None:
    """The stored password record, or None when none was set."""
    path = state_folder(out_dir) / PASSWORD_FILE
    try:
        record = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DocgenError(f"не удалось прочитать пароль из «{path}»; задайте его заново: "
                          f"docgen serve --set-password") from exc
    return record if isinstance(record, dict) else None


def secret_key(out_dir: str | Path) -> bytes:
    """The key that signs session cookies: made once, so a restart keeps clerks logged in."""
    path = state_folder(out_dir) / SECRET_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    _write_private(path, key)
    return key


def record_epoch(record: dict[str, Any] | None) -> str:
    """The session generation of a password record (older records have none: "")."""
    return str((record or {}).get("epoch", ""))


class Sessions:
    """What makes a signed-in cookie still valid: the password it was signed in under, and
    not having been ended by «Выйти».

    Flask's sessions live in the cookie only, so without this a copy of a cookie taken
    before a logout, or before ``docgen serve --set-password``, still opened the archive.
    The password file is re-read when it changes (``--set-password`` runs in another
    process while the server runs): a new password takes effect at once and its new
    epoch ends every earlier session. A logout ends its own session (and every copy of
    its cookie), not the other clerks' ones; ended ids are kept on disk until the
    cookie would have expired anyway, so a restart does not revive them.
    """

    def __init__(self, out_dir: str | Path, record: dict[str, Any], keep_seconds: float
                 ) -> None:
        self._password_path = state_folder(out_dir) / PASSWORD_FILE
        self._revoked_path = state_folder(out_dir) / REVOKED_FILE
        self._keep = keep_seconds
        self._lock = threading.Lock()
        self._record = record
        self._stamp = self._stat()
        self._revoked: dict[str, float] = {}
        try:
            loaded = json.loads(self._revoked_path.read_text("utf-8"))
            if isinstance(loaded, dict):
                self._revoked = {str(k): float(v) for k, v in loaded.items()}
        except (OSError, ValueError, TypeError):
            pass

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            found = self._password_path.stat()
        except OSError:
            return None
        return (found.st_mtime_ns, found.st_size, found.st_ino)

    def record(self) -> dict[str, Any]:
        """The current password record (re-read once the file has changed)."""
        stamp = self._stat()
        with self._lock:
            if stamp is not None and stamp != self._stamp:
                try:
                    fresh = load_password(self._password_path.parent.parent)
                except DocgenError:
                    fresh = None
                if fresh is not None:
                    self._record = fresh
                    self._stamp = stamp
            return self._record

    def epoch(self) -> str:
        return record_epoch(self.record())

    def valid(self, sid: object, epoch: object) -> bool:
        """Whether a session signed in as ``sid`` under ``epoch`` still stands."""
        if not isinstance(sid, str) or not sid or epoch != self.epoch():
            return False
        with self._lock:
            return sid not in self._revoked

    def end(self, sid: object) -> None:
        """«Выйти»: this session and every copy of its cookie stop being signed in."""
        if not isinstance(sid, str) or not sid:
            return
        now = time.time()
        with self._lock:
            self._revoked = {k: v for k, v in self._revoked.items() if v > now}
            self._revoked[sid] = now + self._keep
            data = json.dumps(self._revoked).encode("utf-8")
            with contextlib.suppress(OSError):  # else kept in memory: the logout still holds
                _write_private(self._revoked_path, data)


def host_names(host: str) -> set[str]:
    """The names a browser may use for a server bound to ``host`` (lower case, no port).

    A page from elsewhere that rebinds its own name to this computer's address
    (DNS rebinding) sends its own name in ``Host``: only these names are served.
    Loopback: 127.0.0.1, localhost, ::1. Bound wider: this computer's names too;
    its IP addresses are recognised per request (``is_own_address``).
    """
    names = {"127.0.0.1", "localhost", "::1", host.strip("[]").lower()}
    if host.strip("[]") in ("0.0.0.0", "::") or needs_password(host):
        try:
            name = socket.gethostname()
        except OSError:
            name = ""
        for each in (name, name.split(".")[0], _fqdn(name)):
            if each:
                names |= {each.lower(), f"{each.lower()}.local"}
    names.discard("")
    return names


def _fqdn(name: str) -> str:
    try:
        return socket.getfqdn(name)
    except (OSError, UnicodeError):
        return ""


def is_own_address(text: str) -> bool:
    """Whether ``text`` is an IP address of this computer (a socket can be bound to it).

    An IP in ``Host`` cannot be a rebound name: a browser sends it only to a page
    of that address itself. Binding is the portable test of «mine» (Windows, Linux,
    any number of interfaces), and it sends nothing.
    """
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True
