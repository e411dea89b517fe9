"""`zhiwang audit verify|show`: check the audit log's hash chain, or list its latest entries."""

from __future__ import annotations

import argparse

from gis_core.commands.login import add_login_argument, login


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="verify the audit log's hash chain or show its latest entries",
        description="The audit log records logins, unmasking of personal data, exports, edits "
        "and account changes, each entry chained to the previous one by its SHA-256 hash. "
        "`verify` exits with 0 when the chain is intact and 1 at the first missing or altered "
        "entry.",
    )
    actions = p.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    v = actions.add_parser("verify", help="recompute the hash chain (exit 1 if broken)")
    v.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
    v.set_defaults(func=_verify)
    s = actions.add_parser("show", help="the latest entries (needs view_audit)")
    s.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
    s.add_argument("--last", type=int, default=20, metavar="N", help="how many (default 20)")
    add_login_argument(s)
    s.set_defaults(func=_show)


def _verify(args) -> int:
    from gis_core.security.audit import verify
    from gis_core.store import Store

    with Store.open(args.store) as store:
        result = verify(store)
    print(result.summary())
    return 0 if result.ok else 1


def _show(args) -> int:
    from gis_core.security.accounts import authorize
    from gis_core.security.audit import entries
    from gis_core.store import Store

    with Store.open(args.store) as store:
        authorize(store, login(store, args.user), "view_audit")
        rows = entries(store, limit=max(1, args.last), newest_first=True)
    for e in reversed(rows):
        what = " ".join(str(x) for x in (e.object, e.count) if x is not None)
        detail = ", ".join(f"{k}={v}" for k, v in e.detail.items())
        print(f"#{e.seq:<6} {e.ts}  {e.username:<14} {e.action:<16} {what}  {detail}".rstrip())
    return 0
