"""`zhiwang render`: paint the map layers of a store to a PNG, headless, with the canvas's code."""

from __future__ import annotations

import argparse
import sys
import time

__all__ = ["register", "parse_size", "parse_bbox", "run"]

# Extent of the first of these kinds that has one is the default view (recorded extents only).
EXTENT_KINDS = ("communities", "grid_cells", "buildings", "streets")


def parse_size(text: str) -> tuple[int, int]:
    """``1920x1080`` → (1920, 1080)."""
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"bad size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080"
        ) from None
    if not (0 < w <= 20000 and 0 < h <= 20000):
        raise argparse.ArgumentTypeError(f"bad size {text!r}: each side must be 1–20000 pixels")
    return w, h


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``minx,miny,maxx,maxy`` (working CRS) → a tuple of floats."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not all(v == v and abs(v) != float("inf") for v in values):
        raise argparse.ArgumentTypeError(
            f"bad bbox {text!r}: expected minx,miny,maxx,maxy in the store's working CRS"
        )
    minx, miny, maxx, maxy = values
    if not (minx < maxx and miny < maxy):
        raise argparse.ArgumentTypeError(f"bad bbox {text!r}: min must be less than max")
    return values  # type: ignore[return-value]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "render",
        help="paint the map of a store to a PNG (headless)",
        description="Paint the store's map layers to a PNG without a window or display.",
    )
    p.add_argument("--store", help="store URL or SpatiaLite file (default: the embedded store)")
    p.add_argument("--out", required=True, help="the PNG file to write")
    p.add_argument("--size", type=parse_size, default=(1920, 1080), help="WxH, default 1920x1080")
    p.add_argument(
        "--bbox",
        type=parse_bbox,
        help="minx,miny,maxx,maxy in the working CRS (default: the community's extent)",
    )
    p.add_argument(
        "--layers",
        help="comma-separated layer names, bottom to top (default: all standard layers)",
    )
    p.add_argument("--background", default="#f5f3ee", help="background colour (default #f5f3ee)")
    p.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"zhiwang render: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from gis_core.store import Store
    from layers.model import default_layers
    from layers.render import ensure_gui_app, render_map
    from layers.view import MapView

    ensure_gui_app()
    store = Store.open(args.store)
    try:
        layers = default_layers(store)
        if args.layers:
            by_name = {lyr.name: lyr for lyr in layers}
            wanted = [n.strip() for n in args.layers.split(",") if n.strip()]
            unknown = [n for n in wanted if n not in by_name]
            if unknown or not wanted:
                return _error(
                    f"unknown layer(s) {', '.join(unknown) or '(none given)'}; "
                    f"known: {', '.join(by_name)}"
                )
            layers = [by_name[n] for n in wanted]
        bbox = args.bbox
        if bbox is None:
            bbox = next((e for k in EXTENT_KINDS if (e := store.extent(k)) is not None), None)
            if bbox is None:
                return _error("the store has no mapped features yet; give --bbox")
        width, height = args.size
        view = MapView.fit(bbox, width, height, margin=0.0 if args.bbox else 0.02)
        t0 = time.perf_counter()
        image = render_map(layers, view, background=args.background)
        elapsed = time.perf_counter() - t0
        if not image.save(str(args.out), "PNG"):
            return _error(f"cannot write {args.out} (does its folder exist?)")
        print(f"wrote {args.out} ({width}x{height}, {len(layers)} layers, {elapsed * 1000:.0f} ms)")
        return 0
    finally:
        store.close()
