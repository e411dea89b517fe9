"""A small PDF writer for reports: text (Chinese and Latin), lines, filled boxes, A4 pages.

No dependency and no Qt, so ``zhiwang cases report --out r.pdf`` runs headless anywhere.
Latin text uses the standard Helvetica; Chinese uses the standard CJK font STSong-Light
(Adobe-GB1, UniGB-UCS2-H encoding), which PDF viewers supply themselves — the way ReportLab's
``UnicodeCIDFont`` does — so the file stays small and no font file is embedded. A ToUnicode map
keeps the text searchable and copyable. Coordinates are points from the page's top-left corner.

Example::

    pdf = PdfDocument()
    pdf.text(50, 60, "月度绩效报告 2026-11", size=16, bold=True)
    pdf.rect(50, 80, 120, 8, fill=(0.2, 0.5, 0.8))
    pdf.save("report.pdf")
"""

from __future__ import annotations

import zlib
from pathlib import Path

__all__ = ["PdfDocument", "A4"]

A4 = (595.28, 841.89)

# Helvetica advance widths (1/1000 em) for ASCII 32–126 (Adobe's AFM).
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip
_HELVETICA_BOLD_FACTOR = 1.06


def _runs(s: str) -> list[tuple[bool, str]]:
    """Split text into (is_latin, run) pieces."""
    out: list[tuple[bool, str]] = []
    for ch in s:
        latin = 32 <= ord(ch) <= 126
        if out and out[-1][0] == latin:
            out[-1] = (latin, out[-1][1] + ch)
        else:
            out.append((latin, ch))
    return out


def _latin(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _cjk_hex(s: str) -> str:
    return "".join(f"{ord(c) if ord(c) <= 0xFFFF else 0x3F:04X}" for c in s)


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class PdfDocument:
    def __init__(self, size: tuple[float, float] = A4, title: str = ""):
        self.width, self.height = size
        self.title = title
        self._pages: list[list[str]] = []
        self.new_page()

    # ----------------------------------------------------------------- drawing
    def new_page(self) -> None:
        self._pages.append([])

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _op(self, s: str) -> None:
        self._pages[-1].append(s)

    def text_width(self, s: str, size: float, bold: bool = False) -> float:
        w = 0.0
        for ch in s:
            o = ord(ch)
            w += _HELVETICA[o - 32] if 32 <= o <= 126 else 1000
        return w * size / 1000.0 * (_HELVETICA_BOLD_FACTOR if bold else 1.0)

    def fit(self, s: str, size: float, width: float) -> str:
        """``s``, shortened with … to fit ``width``."""
        if self.text_width(s, size) <= width:
            return s
        while s and self.text_width(s + "…", size) > width:
            s = s[:-1]
        return s + "…"

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 10,
        bold: bool = False,
        color: tuple[float, float, float] = (0, 0, 0),
        align: str = "left",
    ) -> None:
        """Text with its baseline at ``y`` (from the top); ``align``: left, right or centre."""
        if not s:
            return
        if align == "right":
            x -= self.text_width(s, size, bold)
        elif align == "centre":
            x -= self.text_width(s, size, bold) / 2
        r, g, b = color
        parts = [f"BT {_num(r)} {_num(g)} {_num(b)} rg"]
        if bold:  # no bold CJK face: its glyphs are filled and stroked instead
            parts.append(f"{_num(size / 30)} w {_num(r)} {_num(g)} {_num(b)} RG")
        parts.append(f"1 0 0 1 {_num(x)} {_num(self.height - y)} Tm")
        for latin, run in _runs(s):
            if latin:
                face = "FB" if bold else "F1"
                parts.append(f"{'0 Tr ' if bold else ''}/{face} {_num(size)} Tf ({_latin(run)}) Tj")
            else:
                parts.append(f"{'2 Tr ' if bold else ''}/F2 {_num(size)} Tf <{_cjk_hex(run)}> Tj")
        parts.append("ET")
        self._op(" ".join(parts))

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        width: float = 0.5,
        color: tuple[float, float, float] = (0, 0, 0),
    ) -> None:
        r, g, b = color
        self._op(
            f"{_num(width)} w {_num(r)} {_num(g)} {_num(b)} RG "
            f"{_num(x1)} {_num(self.height - y1)} m {_num(x2)} {_num(self.height - y2)} l S"
        )

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: tuple[float, float, float] | None = None,
        stroke: tuple[float, float, float] | None = None,
        width: float = 0.5,
    ) -> None:
        """A box with its top-left corner at (x, y)."""
        ops = []
        if fill is not None:
            ops.append(f"{_num(fill[0])} {_num(fill[1])} {_num(fill[2])} rg")
        if stroke is not None:
            ops.append(f"{_num(width)} w {_num(stroke[0])} {_num(stroke[1])} {_num(stroke[2])} RG")
        paint = (
            "B" if fill is not None and stroke is not None else ("f" if fill is not None else "S")
        )
        ops.append(f"{_num(x)} {_num(self.height - y - h)} {_num(w)} {_num(h)} re {paint}")
        self._op(" ".join(ops))

    # ----------------------------------------------------------------- writing
    def to_bytes(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes | str) -> int:
            objects.append(body.encode("latin-1") if isinstance(body, str) else body)
            return len(objects)

        def stream(data: bytes, extra: str = "") -> bytes:
            packed = zlib.compress(data)
            head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n"
            return head.encode("latin-1") + packed + b"\nendstream"

        catalog = add("")  # filled in below
        pages = add("")
        f1 = add(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        )
        fb = add(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
        )
        descriptor = add(
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
            "/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
            "/CapHeight 626 /StemV 93 >>"
        )
        cid = add(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
            f"/FontDescriptor {descriptor} 0 R /DW 1000 >>"
        )
        cmap_lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        ranges = [
            f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256) if not 0xD8 <= h <= 0xDF
        ]
        for i in range(0, len(ranges), 100):
            chunk = ranges[i : i + 100]
            cmap_lines.append(f"{len(chunk)} beginbfrange")
            cmap_lines.extend(chunk)
            cmap_lines.append("endbfrange")
        cmap_lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        to_unicode = add(stream("\n".join(cmap_lines).encode("latin-1")))
        f2 = add(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )
        resources = f"<< /Font << /F1 {f1} 0 R /FB {fb} 0 R /F2 {f2} 0 R >> >>"
        kids = []
        for ops in self._pages:
            content = add(stream("\n".join(ops).encode("latin-1")))
            kids.append(
                add(
                    f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {_num(self.width)} "
                    f"{_num(self.height)}] /Resources {resources} /Contents {content} 0 R >>"
                )
            )
        objects[pages - 1] = (
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
        ).encode("latin-1")
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode("latin-1")
        info = add(f"<< /Title <FEFF{_cjk_hex(self.title)}> /Producer (Zhiwang) >>")

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode("latin-1") + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode("latin-1")
        out += (
            f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n"
        ).encode("latin-1")
        return bytes(out)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.to_bytes())
        return path
