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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os

    if args.lang:
        os.environ["ZHIWANG_LANG"] = args.lang
    from desktop.app import run_app

    return run_app(args.store)
