"""Accounts: argon2id password hashes, roles, cell scopes, lock-out after repeated failures.

Logging in checks the password and opens the user's session on the store — a store that sees only
the user's grid cells (:mod:`gis_core.security.scope`)::

    session = open_session("postgresql://zhiwang_app:…@server/zhiwang", "alice", password)

Five wrong passwords in a row lock an account for 15 minutes (even the right password is refused
meanwhile); an administrator can unlock it earlier. Every login, failure, lock and change of
password, role or scope is written to the audit log. A store without accounts is an unmanaged,
single-user store: whoever opens it may do everything. Its first account must be an administrator.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from sqlalchemy import Table, delete, func, insert, select, update

from gis_core import schema
from gis_core.security import audit
from gis_core.security.roles import PermissionDenied, check_role, require
from gis_core.store import Store, StoreError

__all__ = [
    "User",
    "AccountInfo",
    "AuthenticationFailed",
    "AccountLocked",
    "MAX_FAILED_ATTEMPTS",
    "LOCK_SECONDS",
    "MIN_PASSWORD_LENGTH",
    "DEMO_ACCOUNTS",
    "hash_password",
    "has_accounts",
    "authorize",
    "create_user",
    "get_user",
    "list_users",
    "set_password",
    "set_role",
    "set_scope",
    "set_active",
    "unlock",
    "authenticate",
    "open_session",
    "ensure_demo_accounts",
    "is_demo_account",
    "resolve_cells",
]

MAX_FAILED_ATTEMPTS = 5
LOCK_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 8
# The demo store's accounts (user name, password, role, scope: None = all cells, else the first
# N grid cells by id). The desktop shows a banner when one of them is logged in.
DEMO_ACCOUNTS = (
    ("demo", "demo", "administrator", None),
    ("worker", "worker", "grid_worker", 1),
)

_USERS: Table = schema.User.__table__  # type: ignore[assignment]
_CELLS: Table = schema.UserCell.__table__  # type: ignore[assignment]
_NAME = re.compile(r"^[\w.@-]{1,64}$")


class AuthenticationFailed(StoreError):
    """Wrong user name or password, or a disabled account (the message does not say which)."""


class AccountLocked(AuthenticationFailed):
    def __init__(self, username: str, until: float):
        when = dt.datetime.fromtimestamp(until).strftime("%H:%M")
        super().__init__(
            f"account {username} is locked after {MAX_FAILED_ATTEMPTS} failed logins until {when}"
            " (账户已锁定); an administrator can unlock it with `zhiwang user unlock`"
        )
        self.until = until


@dataclass(frozen=True)
class User:
    """A logged-in account. ``cells`` is None for all cells, else the grid-cell ids it may see."""

    id: int
    username: str
    role: str
    cells: frozenset[int] | None
    active: bool = True
    display_name: str | None = None

    @property
    def all_cells(self) -> bool:
        return self.cells is None


@dataclass(frozen=True)
class AccountInfo:
    user: User
    failed_attempts: int
    locked_until: float | None
    created_at: str
    password_changed_at: str | None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > time.time()


# ----------------------------------------------------------------------------- passwords
def _hasher():
    from argon2 import PasswordHasher

    # argon2id, 19 MiB, 2 passes, 1 lane: OWASP's password-storage baseline (~50 ms here).
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verify(hash_: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(hash_, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _check_new_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip().lower() == username.lower():
        raise ValueError("the password must not be the user name")


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ----------------------------------------------------------------------------- reading
def has_accounts(store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(_USERS.c.id).where(_USERS.c.active).limit(1)).first() is not None


def _cells_of(conn, user_id: int) -> frozenset[int]:
    return frozenset(
        int(c)
        for c in conn.execute(select(_CELLS.c.cell_id).where(_CELLS.c.user_id == user_id)).scalars()
    )


def _user(conn, row) -> User:
    cells = None if row.all_cells else _cells_of(conn, row.id)
    return User(row.id, row.username, row.role, cells, bool(row.active), row.display_name)


def get_user(store, username: str) -> User | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(_USERS).where(_USERS.c.username == username)).first()
        return None if row is None else _user(conn, row)


def list_users(store, by: User | None = None) -> list[AccountInfo]:
    authorize(store, by, "manage_users")
    with store.engine.connect() as conn:
        rows = conn.execute(select(_USERS).order_by(_USERS.c.username)).all()
        return [
            AccountInfo(
                _user(conn, r),
                int(r.failed_attempts or 0),
                r.locked_until,
                r.created_at,
                r.password_changed_at,
            )
            for r in rows
        ]


def authorize(store, user: User | None, action: str) -> User | None:
    """``require`` for a session: ``user`` (or the store session's user) must be allowed
    ``action``; without a user only a store with no accounts is. Refusals are audited."""
    user = user if user is not None else getattr(store, "user", None)
    if user is None:
        if not has_accounts(store):
            return None
        error = PermissionDenied(
            "this store has accounts: log in (--user NAME) to do this", None, action
        )
    else:
        try:
            require(user, action)
            return user
        except PermissionDenied as exc:
            error = exc
    audit.record(store, "denied", user, detail={"action": action})
    raise error


def resolve_cells(store, cells: str | list | None) -> frozenset[int] | None:
    """``all`` / None → every cell; else grid-cell ids or codes (``610402-001-03``), comma-separated."""
    if cells is None or (isinstance(cells, str) and cells.strip().lower() in ("all", "*")):
        return None
    items = [c.strip() for c in cells.split(",")] if isinstance(cells, str) else list(cells)
    items = [c for c in items if c not in ("", None)]
    table = store.page("grid_cells", ["code"], 0, 1_000_000)
    by_code = dict(zip(map(str, table.columns["code"]), table.ids.tolist()))
    known = set(table.ids.tolist())
    out, unknown = set(), []
    for item in items:
        s = str(item)
        if s in by_code:
            out.add(int(by_code[s]))
        elif s.isdigit() and int(s) in known:
            out.add(int(s))
        else:
            unknown.append(s)
    if unknown:
        raise ValueError(f"no grid cell {', '.join(map(repr, unknown))} in this store")
    return frozenset(out)


# ----------------------------------------------------------------------------- changing
def create_user(
    store,
    username: str,
    password: str,
    role: str,
    cells: frozenset[int] | set[int] | None = None,
    by: User | None = None,
    display_name: str | None = None,
    check_password: bool = True,
) -> User:
    """Add an account (``cells`` None: all cells). Needs ``manage_users``, except for the first
    account of a store, which must then be an administrator."""
    if not _NAME.match(username or ""):
        raise ValueError("a user name is 1–64 letters, digits, '.', '_', '-' or '@'")
    check_role(role)
    if check_password:
        _check_new_password(username, password)
    if by is None and getattr(store, "user", None) is None and not has_accounts(store):
        if role != "administrator":
            raise PermissionDenied(
                "the first account of a store must be an administrator (it manages the others)"
            )
    else:
        by = authorize(store, by, "manage_users")
    return _insert_user(store, username, hash_password(password), role, cells, display_name, by)


def _insert_user(store, username, hashed, role, cells, display_name, by) -> User:
    with store.begin() as conn:
        if conn.execute(select(_USERS.c.id).where(_USERS.c.username == username)).first():
            raise ValueError(f"there is already an account {username!r}")
        uid = conn.execute(
            insert(_USERS)
            .values(
                username=username,
                display_name=display_name,
                password_hash=hashed,
                role=role,
                all_cells=cells is None,
                failed_attempts=0,
                active=True,
                created_at=_now_iso(),
                password_changed_at=_now_iso(),
            )
            .returning(_USERS.c.id)
        ).scalar_one()
        if cells:
            conn.execute(insert(_CELLS), [{"user_id": uid, "cell_id": int(c)} for c in cells])
        audit.record(
            store,
            "user_add",
            by if not isinstance(by, str) else None,
            object=username,
            detail={"role": role, "cells": "all" if cells is None else sorted(cells)},
            conn=conn,
            username=by if isinstance(by, str) else None,
        )
    return User(
        uid, username, role, None if cells is None else frozenset(cells), True, display_name
    )


def _target(conn, username: str):
    row = conn.execute(select(_USERS).where(_USERS.c.username == username)).first()
    if row is None:
        raise ValueError(f"no account {username!r}")
    return row


def set_password(store, username: str, password: str, by: User | None = None) -> None:
    """A new password: your own, or anyone's with ``manage_users``. Unlocks the account."""
    acting = by if by is not None else getattr(store, "user", None)
    if acting is None or acting.username != username:
        authorize(store, acting, "manage_users")
    _check_new_password(username, password)
    hashed = hash_password(password)
    with store.begin() as conn:
        _target(conn, username)
        conn.execute(
            update(_USERS)
            .where(_USERS.c.username == username)
            .values(
                password_hash=hashed,
                password_changed_at=_now_iso(),
                failed_attempts=0,
                locked_until=None,
            )
        )
        audit.record(store, "password_change", acting, object=username, conn=conn)


def set_role(store, username: str, role: str, by: User | None = None) -> None:
    check_role(role)
    by = authorize(store, by, "manage_users")
    with store.begin() as conn:
        old = _target(conn, username).role
        _keep_an_administrator(conn, username, role == "administrator")
        conn.execute(update(_USERS).where(_USERS.c.username == username).values(role=role))
        audit.record(
            store, "role_change", by, object=username, detail={"from": old, "to": role}, conn=conn
        )


def set_scope(store, username: str, cells: frozenset[int] | None, by: User | None = None) -> None:
    """Scope an account to ``cells`` (None: all cells). Takes effect at its next login."""
    by = authorize(store, by, "manage_users")
    with store.begin() as conn:
        row = _target(conn, username)
        old = "all" if row.all_cells else sorted(_cells_of(conn, row.id))
        conn.execute(update(_USERS).where(_USERS.c.id == row.id).values(all_cells=cells is None))
        conn.execute(delete(_CELLS).where(_CELLS.c.user_id == row.id))
        if cells:
            conn.execute(insert(_CELLS), [{"user_id": row.id, "cell_id": int(c)} for c in cells])
        audit.record(
            store,
            "scope_change",
            by,
            object=username,
            detail={"from": old, "to": "all" if cells is None else sorted(cells)},
            conn=conn,
        )


def set_active(store, username: str, active: bool, by: User | None = None) -> None:
    by = authorize(store, by, "manage_users")
    with store.begin() as conn:
        _target(conn, username)
        if not active:
            _keep_an_administrator(conn, username, False)
        conn.execute(update(_USERS).where(_USERS.c.username == username).values(active=active))
        audit.record(
            store, "account_enable" if active else "account_disable", by, object=username, conn=conn
        )


def unlock(store, username: str, by: User | None = None) -> None:
    by = authorize(store, by, "manage_users")
    with store.begin() as conn:
        _target(conn, username)
        conn.execute(
            update(_USERS)
            .where(_USERS.c.username == username)
            .values(failed_attempts=0, locked_until=None)
        )
        audit.record(store, "account_unlock", by, object=username, conn=conn)


def _keep_an_administrator(conn, username: str, stays_admin: bool) -> None:
    if stays_admin:
        return
    others = conn.execute(
        select(func.count())
        .select_from(_USERS)
        .where(_USERS.c.role == "administrator", _USERS.c.active, _USERS.c.username != username)
    ).scalar()
    row = _target(conn, username)
    if row.role == "administrator" and row.active and not others:
        raise ValueError(f"{username} is the last active administrator; appoint another first")


# ----------------------------------------------------------------------------- logging in
def authenticate(store, username: str, password: str, now: float | None = None) -> User:
    """Check a password, with lock-out; every outcome is audited. Returns the account."""
    now = time.time() if now is None else now
    with store.engine.connect() as conn:
        row = conn.execute(select(_USERS).where(_USERS.c.username == username)).first()
    if row is None or not row.active:
        # Same work and the same answer as a wrong password: no probing for user names.
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("zhiwang-no-such-user"))
        _verify(_DUMMY_HASH[0], password)
        audit.record(
            store,
            "login_failed",
            username=_safe_name(username),
            detail={"reason": "unknown user" if row is None else "disabled"},
        )
        raise AuthenticationFailed("wrong user name or password (用户名或密码错误)")
    if row.locked_until is not None and row.locked_until > now:
        audit.record(store, "login_locked", username=row.username)
        raise AccountLocked(row.username, row.locked_until)
    if not _verify(row.password_hash, password):
        with store.begin() as conn:
            failed = conn.execute(
                update(_USERS)
                .where(_USERS.c.id == row.id)
                .values(failed_attempts=_USERS.c.failed_attempts + 1)
                .returning(_USERS.c.failed_attempts)
            ).scalar_one()
            audit.record(
                store, "login_failed", username=row.username, detail={"attempt": failed}, conn=conn
            )
            if failed >= MAX_FAILED_ATTEMPTS:
                until = now + LOCK_SECONDS
                conn.execute(
                    update(_USERS)
                    .where(_USERS.c.id == row.id)
                    .values(locked_until=until, failed_attempts=0)
                )
                audit.record(
                    store,
                    "account_locked",
                    username=row.username,
                    detail={"minutes": LOCK_SECONDS // 60},
                    conn=conn,
                )
        if failed >= MAX_FAILED_ATTEMPTS:
            raise AccountLocked(row.username, now + LOCK_SECONDS)
        raise AuthenticationFailed("wrong user name or password (用户名或密码错误)")
    with store.begin() as conn:
        values: dict = {"failed_attempts": 0, "locked_until": None}
        if _hasher().check_needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        conn.execute(update(_USERS).where(_USERS.c.id == row.id).values(**values))
        user = _user(conn, row)
        audit.record(store, "login_ok", user, conn=conn)
    return user


def _safe_name(username: str) -> str:
    text_ = str(username)[:64]
    return text_ if _NAME.match(text_) else "(invalid name)"


def open_session(url, username: str, password: str) -> Store:
    """Log in and return the user's session: the store, limited to the user's cells, with
    ``store.user`` set. Raises :class:`AuthenticationFailed` (or :class:`AccountLocked`)."""
    with Store.open(url) as store:
        user = authenticate(store, username, password)
        return store.as_user(user)


# ----------------------------------------------------------------------------- demo
def ensure_demo_accounts(store) -> str:
    """Create the demo store's accounts if missing; returns a line saying how to log in.
    Only for the demo (``store_meta.demo = 1``); other stores get no well-known passwords."""
    if store.meta("demo") != "1":
        return ""
    cells = store.page("grid_cells", [], 0, 1_000_000).ids
    first = frozenset(int(c) for c in sorted(cells.tolist()))
    shown = []
    for name, password, role, ncells in DEMO_ACCOUNTS:
        scope = None if ncells is None else frozenset(sorted(first)[:ncells])
        if get_user(store, name) is None:
            _insert_user(store, name, hash_password(password), role, scope, None, "demo setup")
        shown.append(f"{name}/{password} ({role})")
    store.set_meta("demo_accounts", ",".join(n for n, *_ in DEMO_ACCOUNTS))
    return "demo accounts 演示账户: " + ", ".join(shown)


def is_demo_account(store, user: User | None) -> bool:
    """Whether ``user`` is one of the demo store's well-known accounts (the UI says so)."""
    user = user if user is not None else getattr(store, "user", None)
    if user is None or store.meta("demo") != "1":
        return False
    return user.username in (store.meta("demo_accounts") or "").split(",")
