"""The `zhiwang` command line: one entry point over the Qt-free core and the desktop app.

It lives in ``desktop`` because it sits at the top of the dependency graph; each command group
registers itself from its own package, and Qt is imported only by the commands that paint.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from gis_core.crs import CRSError
from gis_core.store import StoreError

# Each module exposes register(subparsers); commands set args.func(args) -> exit code.
COMMAND_MODULES = (
    "gis_core.commands.init_cmd",
    "gis_core.commands.io_cmd",
    "gis_core.commands.analyze_cmd",
    "gis_core.commands.user_cmd",
    "gis_core.commands.audit_cmd",
    "gis_core.commands.key_cmd",
    "gis_core.commands.rls_cmd",
    "gis_core.commands.cases_cmd",
    "gis_core.commands.fusion_cmd",
    "desktop.app_cmd",
    "desktop.demo_cmd",
    "layers.render_cmd",
    "sensor_adapters.simulate_cmd",
)


class UserError(Exception):
    """An error whose message is the whole story for the user (no traceback)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhiwang", description="织网 Zhiwang — community grid management GIS"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except (StoreError, CRSError, UserError, FileNotFoundError) as exc:
        print(f"zhiwang {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"zhiwang {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
