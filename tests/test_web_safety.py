"""`docgen serve` on a centre's network: the Host header, sessions, ``next``, the login limit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from web_support import csrf_of

from docgen.cli import cli
from docgen.web import app as web_app
from docgen.web import auth
from docgen.web.app import create_app, safe_next, split_host
from docgen.web.service import Service

PASSWORD = "пароль-центра"


@pytest.fixture
def guarded(service: Service) -> Any:
    auth.set_password(service.out, PASSWORD)
    return create_app(service, auth.load_password(service.out), auth.secret_key(service.out),
                      testing=True)


def signed_in(app: Any) -> FlaskClient:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf": csrf_of(html), "password": PASSWORD,
                                           "next": "/archive"})
    assert response.status_code == 302, response.status_code
    assert client.get("/archive").status_code == 200
    return client


# --- Host -------------------------------------------------------------------------------


def test_a_loopback_server_answers_only_to_its_own_names(service: Service) -> None:
    app = create_app(service, hosts=auth.host_names("127.0.0.1"), testing=True)
    client = app.test_client()
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST", "localhost."):
        assert client.get("/archive", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
        response = client.get("/archive", headers={"Host": host})
        html = response.get_data(as_text=True)
        assert response.status_code == 421, host
        assert "Неверный адрес сервера" in html and "Архив документов" not in html
        assert "docgen_session" not in response.headers.get("Set-Cookie", "")


def test_a_network_server_answers_to_this_computers_names_and_addresses(
        service: Service) -> None:
    import socket

    app = create_app(service, hosts=auth.host_names("0.0.0.0"), wide=True, testing=True)
    client = app.test_client()
    name = socket.gethostname()
    for host in (name, f"{name}:8000", "127.0.0.1", "localhost"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 421
    assert client.get("/", headers={"Host": "203.0.113.7"}).status_code == 421  # not ours
    named = create_app(service, hosts=auth.host_names("docgen.centre.local"), wide=True,
                       testing=True)
    assert named.test_client().get("/", headers={"Host": "docgen.centre.local"}
                                   ).status_code == 200


def test_split_host() -> None:
    assert split_host("Example.ORG:80") == "example.org"
    assert split_host("[::1]:8000") == "::1"
    assert split_host("localhost.") == "localhost"


# --- sessions ---------------------------------------------------------------------------


def test_logout_ends_the_session_and_every_copy_of_its_cookie(guarded: Any) -> None:
    client = signed_in(guarded)
    other = signed_in(guarded)
    cookie = client.get_cookie("docgen_session")
    assert cookie is not None
    csrf = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf": csrf}).status_code == 302
    copy = guarded.test_client()
    copy.set_cookie("docgen_session", cookie.value)
    assert copy.get("/archive").status_code == 302  # back to the login page
    assert other.get("/archive").status_code == 200  # another clerk stays signed in


def test_logout_holds_after_a_restart(guarded: Any, service: Service) -> None:
    client = signed_in(guarded)
    cookie = client.get_cookie("docgen_session")
    assert cookie is not None
    client.post("/logout", data={"csrf": csrf_of(client.get("/").get_data(as_text=True))})
    restarted = create_app(service, auth.load_password(service.out),
                           auth.secret_key(service.out), testing=True)
    copy = restarted.test_client()
    copy.set_cookie("docgen_session", cookie.value)
    assert copy.get("/archive").status_code == 302


def test_set_password_ends_every_session_of_the_running_server(guarded: Any,
                                                              service: Service) -> None:
    first, second = signed_in(guarded), signed_in(guarded)
    result = CliRunner().invoke(cli, ["serve", "--set-password", "-o", str(service.out)],
                                input="новый-пароль\nновый-пароль\n")
    assert result.exit_code == 0, result.output
    assert first.get("/archive").status_code == 302
    assert second.get("/archive").status_code == 302
    client = guarded.test_client()
    html = client.get("/login").get_data(as_text=True)
    old = client.post("/login", data={"csrf": csrf_of(html), "password": PASSWORD})
    assert old.status_code == 401  # the new password holds at once, without a restart
    new = client.post("/login", data={"csrf": csrf_of(html), "password": "новый-пароль"})
    assert new.status_code == 302 and client.get("/archive").status_code == 200


# --- next -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nX: y",
                                    "/ /evil.example", "/\x00", "\t//evil.example"])
def test_next_with_control_characters_stays_on_this_server(guarded: Any, target: str) -> None:
    client = guarded.test_client()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf": csrf_of(html), "next": target,
                                           "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_next_from_the_query_string_is_cleaned(guarded: Any) -> None:
    client = guarded.test_client()
    html = client.get("/login?next=/%09/evil.example").get_data(as_text=True)
    assert 'name="next" value="/"' in html
    response = client.post("/login?next=/%0A/x", data={"csrf": csrf_of(html),
                                                       "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert safe_next("/u/abc?x=1") == "/u/abc?x=1"


# --- the login limit --------------------------------------------------------------------


def test_ten_parallel_wrong_passwords_are_ten(guarded: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_app.time, "sleep", lambda _s: None)
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(30)

    def attempt() -> None:
        client = guarded.test_client()
        html = client.get("/login").get_data(as_text=True)
        start.wait()
        code = client.post("/login", data={"csrf": csrf_of(html),
                                           "password": "не тот пароль"}).status_code
        with lock:
            statuses.append(code)

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses.count(401) == 10 and statuses.count(429) == 20, statuses


def test_a_guessed_at_address_waits_seconds_not_minutes(guarded: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(web_app.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(web_app.time, "sleep", lambda _s: None)
    client = guarded.test_client()
    html = client.get("/login").get_data(as_text=True)

    def post(password: str) -> Any:
        return client.post("/login", data={"csrf": csrf_of(html), "password": password})

    for _ in range(10):
        assert post("не тот пароль").status_code == 401
    refused = post(PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert "Подождите 1 с" in refused.get_data(as_text=True)
    clock[0] += 1.1
    assert post("не тот пароль").status_code == 401  # the 11th: now 2 s to wait
    clock[0] += 1.0
    assert post(PASSWORD).status_code == 429
    clock[0] += 1.1
    assert post(PASSWORD).status_code == 302  # the right one, seconds later
    assert web_app.login_delay(40) == 60.0  # never more than a minute
