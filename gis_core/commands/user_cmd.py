"""`zhiwang user add|passwd|role|scope|list|unlock|disable|enable`: accounts of a store."""

from __future__ import annotations

import argparse
import datetime as dt

from gis_core.commands.login import add_login_argument, login, read_new_password

DESCRIPTION = """\
Manage the accounts of a store. Changes need an administrator (--user NAME, password from
$ZHIWANG_PASSWORD or a prompt); the first account of a store needs no login and must be an
administrator. Roles: administrator, operator, planner, grid_supervisor, grid_worker, viewer.
Cells: `all`, or grid-cell ids or codes separated by commas (610402-001-01,610402-001-02).
Every change is written to the audit log.
"""


def register(sub: argparse._SubParsersAction) -> None:
    from gis_core.security.roles import ROLES

    p = sub.add_parser(
        "user",
        help="manage accounts: add, passwd, role, scope, list, unlock, disable, enable",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="user_action", required=True, metavar="ACTION")

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_)
        a.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
        add_login_argument(a)
        return a

    a = action("add", "add an account")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--cells", default="all", metavar="CELLS", help="all (default) or ids/codes")
    a.add_argument("--display-name", metavar="TEXT")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.set_defaults(func=_add)

    a = action("passwd", "set a password (your own, or anyone's as an administrator)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.set_defaults(func=_passwd)

    a = action("role", "change an account's role")
    a.add_argument("name", metavar="NAME")
    a.add_argument("role", metavar="ROLE", choices=ROLES)
    a.set_defaults(func=_role)

    a = action("scope", "limit an account to grid cells (or all)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("cells", metavar="CELLS")
    a.set_defaults(func=_scope)

    a = action("list", "list accounts")
    a.set_defaults(func=_list)

    for name, help_ in (
        ("unlock", "unlock an account locked after failed logins"),
        ("disable", "disable an account (it stays in the audit log)"),
        ("enable", "enable a disabled account"),
    ):
        a = action(name, help_)
        a.add_argument("name", metavar="NAME")
        a.set_defaults(func=_state, state=name)


def _open(args):
    from gis_core.store import Store

    return Store.open(args.store)


def _user_error(exc: ValueError):
    from gis_core.store import StoreError

    return StoreError(str(exc))


def _add(args) -> int:
    from gis_core.security.accounts import create_user, resolve_cells

    with _open(args) as store:
        by = login(store, args.user)
        try:
            cells = resolve_cells(store, args.cells)
            password = read_new_password(args.password_stdin, args.name)
            user = create_user(
                store, args.name, password, args.role, cells, by=by, display_name=args.display_name
            )
        except ValueError as exc:
            raise _user_error(exc) from None
    print(f"added {user.username} ({user.role}, {_cells_text(user.cells)})")
    return 0


def _passwd(args) -> int:
    from gis_core.security.accounts import set_password

    with _open(args) as store:
        by = login(store, args.user)
        try:
            set_password(store, args.name, read_new_password(args.password_stdin, args.name), by)
        except ValueError as exc:
            raise _user_error(exc) from None
    print(f"password of {args.name} changed")
    return 0


def _role(args) -> int:
    from gis_core.security.accounts import set_role

    with _open(args) as store:
        by = login(store, args.user)
        try:
            set_role(store, args.name, args.role, by)
        except ValueError as exc:
            raise _user_error(exc) from None
    print(f"{args.name} is now {args.role}")
    return 0


def _scope(args) -> int:
    from gis_core.security.accounts import resolve_cells, set_scope

    with _open(args) as store:
        by = login(store, args.user)
        try:
            cells = resolve_cells(store, args.cells)
            set_scope(store, args.name, cells, by)
        except ValueError as exc:
            raise _user_error(exc) from None
    print(f"{args.name} now sees {_cells_text(cells)} (from the next login)")
    return 0


def _state(args) -> int:
    from gis_core.security.accounts import set_active, unlock

    with _open(args) as store:
        by = login(store, args.user)
        try:
            if args.state == "unlock":
                unlock(store, args.name, by)
            else:
                set_active(store, args.name, args.state == "enable", by)
        except ValueError as exc:
            raise _user_error(exc) from None
    print(f"{args.name}: {args.state}d" if args.state != "unlock" else f"{args.name}: unlocked")
    return 0


def _list(args) -> int:
    from gis_core.security.accounts import list_users

    with _open(args) as store:
        by = login(store, args.user)
        rows = list_users(store, by)
    if not rows:
        print("no accounts: whoever opens this store may do everything")
        return 0
    print(f"{'user':<16} {'role':<16} {'cells':<24} state")
    for info in rows:
        u = info.user
        state = "disabled" if not u.active else "active"
        if info.locked:
            until = dt.datetime.fromtimestamp(info.locked_until or 0).strftime("%H:%M")
            state = f"locked until {until}"
        elif info.failed_attempts:
            state += f" ({info.failed_attempts} failed)"
        print(f"{u.username:<16} {u.role:<16} {_cells_text(u.cells):<24} {state}")
    return 0


def _cells_text(cells) -> str:
    if cells is None:
        return "all cells"
    if not cells:
        return "no cells"
    return "cells " + ",".join(map(str, sorted(cells)))
