"""`zhiwang demo`: build the demo community in a store (the embedded one by default) and open it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DESCRIPTION = """\
Build the demo community 文汇社区 (a district of communities for large --buildings) and open it
in the desktop app.

Without --store the embedded SpatiaLite file in your data directory is used; a missing store is
created (working CRS EPSG:4545). A store that already holds the demo is left as it is and simply
opened, so running `zhiwang demo` again is quick; add --reset to delete the demo's rows and build
it afresh (for example after a course). A store that holds other data is never touched: the demo
goes only into an empty store or one that holds the demo.

Without a display (no DISPLAY or WAYLAND_DISPLAY, and QT_QPA_PLATFORM unset or offscreen) or with
--no-gui, the command prints the demo's summary instead of opening the window.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="build the demo community (default: in the embedded store) and open it",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--store",
        default=None,
        help="postgresql://… or a SpatiaLite file (default: the embedded store in the data directory)",
    )
    p.add_argument(
        "--buildings",
        type=_positive_int,
        default=3000,
        metavar="N",
        help="number of buildings (default 3000: one community of about a dozen grid cells)",
    )
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
    p.add_argument(
        "--reset",
        action="store_true",
        help="if the store already holds the demo, delete it and build it again",
    )
    p.add_argument(
        "--no-residents",
        action="store_true",
        help="leave out the population (large benchmark stores)",
    )
    p.add_argument(
        "--no-gui", action="store_true", help="print the summary instead of opening the window"
    )
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from desktop.cli import UserError
    from gis_core import demo
    from gis_core.security.accounts import ensure_demo_accounts
    from gis_core.store import default_store_path

    url = args.store or str(default_store_path())
    store = _open_or_init(url)
    with store:
        state = demo.store_state(store)
        if state == "data":
            raise UserError(
                f"{store.url} holds data that is not the demo; the demo goes only into an empty "
                "store or one that holds the demo (--reset never deletes other data). "
                "Choose another --store."
            )
        if state == "demo" and not args.reset:
            seed, size = store.meta("demo_seed"), store.meta("demo_buildings")
            print(f"{store.url} already holds the demo (seed {seed}, {size} buildings).")
            if (seed, size) != (str(args.seed), str(args.buildings)):
                print(
                    f"  You asked for seed {args.seed}, {args.buildings} buildings: "
                    "add --reset to rebuild it with those."
                )
        else:
            if state == "demo":
                print(f"resetting the demo in {store.url} …")
                demo.reset_demo(store)
            progress = _Progress(sys.stderr, chatty=args.buildings >= 20_000)
            started = time.perf_counter()
            counts = demo.build_demo(
                store,
                buildings=args.buildings,
                seed=args.seed,
                residents=not args.no_residents,
                progress=progress,
            )
            progress.done()
            print(
                f"built the demo in {store.url} in {time.perf_counter() - started:.1f} s "
                f"({sum(counts.values()):,} rows)"
            )
        print(demo.summary(store))
        print(ensure_demo_accounts(store))  # demo/demo etc.; the app says so on screen

    if args.no_gui:
        return 0
    if not _has_display():
        print("(the map window needs a display; run `zhiwang demo` or `zhiwang app` on a desktop)")
        return 0
    try:
        from desktop.app import run_app
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("desktop"):
            raise
        print(f"(the desktop app is not available yet: {exc}; the summary above is the demo)")
        return 0
    return int(run_app(url) or 0)


def _open_or_init(url: str):
    """Open the store at ``url``, creating it when it does not exist yet."""
    from gis_core.store import Store, StoreError, normalise_url

    sa_url = normalise_url(url)
    if sa_url.startswith("sqlite:///"):
        path = Path(sa_url.removeprefix("sqlite:///"))
        # An existing file that is not a store (a GeoPackage, say) is an error, never initialised.
        return Store.open(url) if path.exists() else Store.init(url)
    try:
        return Store.open(url)
    except StoreError:
        # A reachable PostGIS database without our schema; if unreachable, init says so clearly.
        return Store.init(url)


def _has_display() -> bool:
    """Whether Qt can show a window: a display server, or a platform plugin that is not headless."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    return platform not in ("", "offscreen", "minimal")


class _Progress:
    """Progress on stderr: a live line on a terminal; for long builds, a line per stage otherwise."""

    def __init__(self, stream, chatty: bool):
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.chatty = chatty
        self.last = ""
        self.started = time.perf_counter()

    def __call__(self, message: str, fraction: float) -> None:
        if self.tty:
            self.stream.write(f"\r\033[K  demo: {message} {fraction:4.0%}")
            self.stream.flush()
        elif self.chatty and message != self.last:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"  demo: {message} ({fraction:.0%}, {elapsed:.1f} s)\n")
            self.stream.flush()
        self.last = message

    def done(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
