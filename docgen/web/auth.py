"""The centre's password (stored as a scrypt hash) and the key that signs session cookies."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.web import state_folder

PASSWORD_FILE = "password.json"
SECRET_FILE = "secret.key"
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
    return {"scheme": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(),
            "hash": _derive(password, salt, _N, _R, _P).hex()}


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
