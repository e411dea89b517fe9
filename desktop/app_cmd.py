"""`zhiwang app`: open the desktop application."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="open the desktop application")
    p.add_argument(
        "--store",
        default=None,
        help="postgresql://… or a SpatiaLite file (default: the embedded store in the data directory)",
    )
    p.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="UI language for this run")
    p.add_argument(
        "--user",
        default=None,
        metavar="NAME",
        help="log in as NAME (a store with accounts); without --password-stdin the login "
        "dialog asks for the password",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (scripts, tests); "
        "a refused login opens the login dialog",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from desktop.cli import UserError

    if args.lang:
        os.environ["ZHIWANG_LANG"] = args.lang
    password = None
    if args.password_stdin:
        if not args.user:
            raise UserError("--password-stdin needs --user NAME")
        password = sys.stdin.readline().rstrip("\r\n")
    from desktop.app import run_app

    return run_app(args.store, username=args.user, password=password)
