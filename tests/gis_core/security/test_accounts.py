"""Accounts: argon2id hashes, lock-out after five failures, the `zhiwang user` command, the demo
store's accounts — and the audit log records every login and change."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import text

from desktop.cli import main
from gis_core.security import accounts, audit
from gis_core.security.accounts import (
    LOCK_SECONDS,
    AccountLocked,
    AuthenticationFailed,
    authenticate,
    create_user,
)
from gis_core.security.roles import PermissionDenied


@pytest.fixture
def store(tmp_path):
    """Accounts are plain SQL on either backend: these run on SpatiaLite; the PostGIS side (the
    application role logging in) is covered by the world tests and the user command below."""
    from gis_core.store import Store

    with Store.init(tmp_path / "accounts.sqlite") as s:
        yield s


@pytest.fixture
def admin(store):
    return create_user(store, "admin", "admin-pass-1", "administrator", None)


def test_passwords_are_stored_as_argon2id_hashes_only(store, admin):
    with store.engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT password_hash FROM users")).one()
        every = " ".join(str(v) for row in conn.execute(text("SELECT * FROM users")) for v in row)
    assert re.fullmatch(
        r"\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}", stored
    )
    assert "admin-pass-1" not in every
    assert authenticate(store, "admin", "admin-pass-1").role == "administrator"


def test_five_wrong_passwords_lock_the_account_for_a_while(store, admin):
    t0 = 1_900_000_000.0
    for attempt in range(1, 5):
        with pytest.raises(AuthenticationFailed, match="wrong user name or password") as err:
            authenticate(store, "admin", f"guess-{attempt}", now=t0 + attempt)
        assert not isinstance(err.value, AccountLocked)
    with pytest.raises(AccountLocked, match="locked after 5 failed logins"):
        authenticate(store, "admin", "guess-5", now=t0 + 5)
    # Locked: even the right password is refused until the period is over.
    with pytest.raises(AccountLocked):
        authenticate(store, "admin", "admin-pass-1", now=t0 + 60)
    assert authenticate(store, "admin", "admin-pass-1", now=t0 + 5 + LOCK_SECONDS + 1)
    actions = [e.action for e in audit.entries(store) if e.username == "admin"]
    assert actions[-8:] == ["login_failed"] * 5 + ["account_locked", "login_locked", "login_ok"]


def test_an_administrator_can_unlock_and_unknown_users_learn_nothing(store, admin):
    create_user(store, "li", "li-password-1", "grid_worker", {1}, by=admin)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            authenticate(store, "li", "nope")
    with pytest.raises(AccountLocked):
        authenticate(store, "li", "li-password-1")
    accounts.unlock(store, "li", by=admin)
    assert authenticate(store, "li", "li-password-1").cells == frozenset({1})
    with pytest.raises(AuthenticationFailed) as err:
        authenticate(store, "nobody", "x")
    assert str(err.value) == "wrong user name or password (用户名或密码错误)"
    assert audit.entries(store, newest_first=True, limit=1)[0].detail == {"reason": "unknown user"}


def test_account_rules(store, admin):
    worker = create_user(store, "wang", "wang-password", "grid_worker", {1}, by=admin)
    with pytest.raises(PermissionDenied, match="may not manage users"):
        create_user(store, "zhao", "zhao-password", "viewer", None, by=worker)
    with pytest.raises(ValueError, match="at least 8"):
        create_user(store, "zhao", "short", "viewer", None, by=admin)
    with pytest.raises(ValueError, match="already an account"):
        create_user(store, "wang", "wang-password", "viewer", None, by=admin)
    with pytest.raises(ValueError, match="last active administrator"):
        accounts.set_role(store, "admin", "viewer", by=admin)
    accounts.set_password(store, "wang", "new-wang-password", by=worker)  # your own: allowed
    with pytest.raises(PermissionDenied):
        accounts.set_password(store, "admin", "taken-over!", by=worker)
    accounts.set_active(store, "wang", False, by=admin)
    with pytest.raises(AuthenticationFailed):
        authenticate(store, "wang", "new-wang-password")


def test_the_first_account_must_be_an_administrator(store):
    with pytest.raises(PermissionDenied, match="must be an administrator"):
        create_user(store, "first", "first-password", "viewer", None)


def _run(argv, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_the_user_command(store_url, monkeypatch, capsys):
    from gis_core.store import Store

    Store.init(store_url).close()
    base = ["user"]
    st = ["--store", store_url]
    assert (
        _run(
            [*base, "add", "boss", "--role", "administrator", "--password-stdin", *st],
            "boss-pass-1\n",
            monkeypatch,
        )
        == 0
    )
    assert "added boss (administrator, all cells)" in capsys.readouterr().out
    # From now on changes need an administrator's login.
    assert (
        _run(
            [*base, "add", "li", "--role", "grid_worker", "--password-stdin", *st],
            "li-pass-123\n",
            monkeypatch,
        )
        == 2
    )
    assert "log in" in capsys.readouterr().err
    monkeypatch.setenv("ZHIWANG_PASSWORD", "boss-pass-1")
    assert (
        _run(
            [*base, "add", "li", "--role", "viewer", "--password-stdin", "--user", "boss", *st],
            "li-pass-123\n",
            monkeypatch,
        )
        == 0
    )
    assert _run([*base, "role", "li", "grid_supervisor", "--user", "boss", *st]) == 0
    assert _run([*base, "scope", "li", "7", "--user", "boss", *st]) == 2
    assert "no grid cell '7'" in capsys.readouterr().err
    assert _run([*base, "list", "--user", "boss", *st]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"li\s+grid_supervisor\s+all cells\s+active", listing)
    monkeypatch.setenv("ZHIWANG_PASSWORD", "li-pass-123")
    assert _run([*base, "list", "--user", "li", *st]) == 2
    assert "may not manage users" in capsys.readouterr().err
    with Store.open(store_url) as s:
        changes = [
            (e.action, e.object, e.username) for e in audit.entries(s) if e.action != "login_ok"
        ]
    assert ("user_add", "boss", "local" if "://" not in store_url else "db:zhiwang") in changes
    assert ("user_add", "li", "boss") in changes and ("role_change", "li", "boss") in changes
    assert ("denied", None, "li") in changes


def test_the_demo_store_has_demo_accounts_and_says_so(store):
    assert accounts.ensure_demo_accounts(store) == ""  # not a demo: no well-known passwords
    assert not accounts.has_accounts(store)
    store.set_meta("demo", "1")
    line = accounts.ensure_demo_accounts(store)
    assert "demo/demo (administrator)" in line
    assert accounts.ensure_demo_accounts(store) == line  # idempotent
    demo = authenticate(store, "demo", "demo")
    assert accounts.is_demo_account(store, demo)
    boss = create_user(store, "boss", "boss-pass-1", "administrator", None, by=demo)
    assert not accounts.is_demo_account(store, boss)
