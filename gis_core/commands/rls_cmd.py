"""`zhiwang rls check|apply`: PostGIS row-level security by grid cell, per table."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Every PostGIS table with a grid_cell_id column has row-level security, forced (the owner is
subject to it too), with a policy that shows a session only the rows of its grid cells. Migrations
apply it; `apply` does it again by hand (as the tables' owner) and grants the application role
(default zhiwang_app, or $ZHIWANG_APP_ROLE) its privileges. `check` lists every such table and
exits with 1 if one is not secured.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rls",
        help="PostGIS row-level security by grid cell: check or apply",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="rls_action", required=True, metavar="ACTION")
    for name, func, help_ in (
        ("check", _check, "list cell-scoped tables and their row security"),
        ("apply", _apply, "enable, force and (re)create the policies; grant the app role"),
    ):
        a = actions.add_parser(name, help=help_)
        a.add_argument("--store", required=True, help="postgresql://…")
        if name == "apply":
            a.add_argument("--app-role", metavar="ROLE", help="application role (zhiwang_app)")
        a.set_defaults(func=func)


def _open(url):
    from gis_core.store import Store, StoreError

    store = Store.open(url)
    if store.backend != "postgis":
        store.close()
        raise StoreError("row-level security is PostGIS's; SpatiaLite scopes in the store layer")
    return store


def _check(args) -> int:
    from gis_core.security.rls import row_security_report

    with _open(args.store) as store, store.engine.connect() as conn:
        report = row_security_report(conn)
    for t in report:
        state = "ok" if t.ok else "NOT SECURED"
        print(
            f"{t.table:<24} enabled={t.enabled!s:<5} forced={t.forced!s:<5} "
            f"policies={','.join(t.policies) or '-'}  {state}"
        )
    return 0 if all(t.ok for t in report) else 1


def _apply(args) -> int:
    from gis_core.security.rls import APP_ROLE, apply_row_security

    with _open(args.store) as store, store.begin() as conn:
        tables = apply_row_security(conn, args.app_role)
    print(
        f"row-level security on {len(tables)} tables; application role {args.app_role or APP_ROLE}"
    )
    return 0
