"""Ruled tables and words of a PDF page read with pypdfium2 alone (no pdfminer).

pdfplumber's table finder, ``Table.extract`` and word grouping are pure
functions of a page's chars and ruling edges; building those with pdfminer
is what makes pdfplumber slow. ``PdfiumPage`` builds the same chars and edges
from pdfium's text page and path objects, in pdfplumber's coordinates (top
down from the top of the MediaBox, after /Rotate), so pdfplumber's own code
runs on them unchanged and finds the same grids.

Chars are boxed as pdfminer boxes them: from the origin, the advance width
and the font's descent up by the font size (not pdfium's tight or loose
boxes). Paths are split into subpaths and classified as pdfminer does (a
single segment is a line, a closed axis-aligned quadrilateral a rect,
anything else a curve), then turned into edges by pdfplumber's functions.
"""

from __future__ import annotations

import copy
import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import clip_obj, curve_to_edges, extract_words, line_to_edge, rect_to_edges


__all__ = ["PdfiumPage"]

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: p' = p·m·n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


@dataclass(frozen=True)
class _Frame:
    """User space → pdfplumber's top-down page coordinates.

    pdfminer turns the page by /Rotate around the MediaBox and pdfplumber
    flips the y axis against the (rotated) MediaBox height; both steps are
    folded into one affine map here.
    """

    matrix: Matrix
    bbox: tuple[float, float, float, float]  # pdfplumber's page.bbox (the MediaBox)

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> _Frame:
        left, bottom, right, top = page.get_mediabox()
        x0, x1 = sorted((left, right))
        y0, y1 = sorted((bottom, top))
        rotation = page.get_rotation() % 360
        rotate: Matrix = {  # pdfminer's PDFPageInterpreter.process_page
            90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
        }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
        # pdfplumber's Page: MediaBox normalised for the rotation, inverted on its height
        bx0, by0, bx1, by1 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
        height = by1 - by0
        flip: Matrix = (1.0, 0.0, 0.0, -1.0, bx0, height + (height - by1))
        return cls(_multiply(rotate, flip), (bx0, height - by1, bx1, height - by0))

    def point(self, x: float, y: float) -> Point:
        a, b, c, d, e, f = self.matrix
        return (x * a + y * c + e, x * b + y * d + f)


def _address_function(function: Any, argtypes: list[Any]) -> Any:
    """``function`` returning its pointer as a plain int (hashable, comparable)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, *argtypes)(address)


_text_object_address = _address_function(pdfium_c.FPDFText_GetTextObject, [ctypes.c_void_p, ctypes.c_int])


@dataclass(frozen=True)
class _Style:
    """What chars drawn with one font, size and matrix share: the page-space
    offsets of a unit step along the glyph's x (``ux``, ``uy``), their vertical
    extent (descent to descent + size) as x and y ranges, and the font's advance
    widths by code (shared by every style of that font and size)."""

    font: Any
    size: float
    ux: float
    uy: float
    x_span: tuple[float, float]
    y_span: tuple[float, float]
    upright: bool
    widths: dict[int, float]

    def width(self, code: int) -> float:
        """The glyph's advance width, asked of pdfium once per font, size and code."""
        width = self.widths.get(code)
        if width is None:
            out = ctypes.c_float()
            ok = pdfium_c.FPDFFont_GetGlyphWidth(self.font, code, ctypes.c_float(self.size), out)
            width = self.widths[code] = out.value if ok else 0.0
        return width


class _Styles:
    """Each text object's style, read once per object (pdfium splits text into
    many objects of a few chars that mostly share a handful of styles)."""

    def __init__(self, textpage: Any, frame: _Frame) -> None:
        self._textpage, self._frame = textpage, frame
        self._of_object: dict[int, _Style] = {}
        self._styles: dict[tuple[Any, ...], _Style] = {}
        self._widths: dict[tuple[int, float], dict[int, float]] = {}
        self._descents: dict[tuple[int, float], float] = {}

    def of(self, address: int, index: int) -> _Style:
        """The style of char ``index``, whose text object sits at ``address``."""
        style = self._of_object.get(address)
        if style is None:
            style = self._of_object[address] = self._read(index)
        return style

    def _read(self, index: int) -> _Style:
        textpage, out, m = self._textpage, ctypes.c_float(), pdfium_c.FS_MATRIX()
        font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, index))
        size = pdfium_c.FPDFText_GetFontSize(textpage, index)
        pdfium_c.FPDFText_GetMatrix(textpage, index, m)
        key = (ctypes.cast(font, ctypes.c_void_p).value or 0, size)
        style = self._styles.get((*key, m.a, m.b, m.c, m.d))
        if style is not None:
            return style
        if key not in self._descents:
            ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), out)
            self._descents[key] = out.value if ok else 0.0
        descent = self._descents[key]
        fa, fb, fc, fd, _fe, _ff = self._frame.matrix
        # the text-space axes in page space (the frame's linear part)
        ux, uy = m.a * fa + m.b * fc, m.a * fb + m.b * fd
        vx, vy = m.c * fa + m.d * fc, m.c * fb + m.d * fd
        # pdfminer's LTChar spans descent .. descent + size in text space
        xs, ys = (descent * vx, (descent + size) * vx), (descent * vy, (descent + size) * vy)
        # upright as pdfminer decides it on the display-space matrix; the flip to
        # top-down coordinates in `frame` negated its b and d
        style = self._styles[(*key, m.a, m.b, m.c, m.d)] = _Style(
            font, size, ux, uy, (min(xs), max(xs)), (min(ys), max(ys)),
            ux * -vy > 0 and -uy * vx <= 0, self._widths.setdefault(key, {}),
        )
        return style


def _char_dicts(textpage: pdfium.PdfTextPage, frame: _Frame) -> list[dict[str, Any]]:
    """The page's chars as pdfplumber's char dicts (the keys its text functions read).

    Boxed from the origin, the advance width and the style's descent and size;
    four pdfium calls per char, the rest once per text object or style.
    """
    raw = textpage.raw
    address = ctypes.cast(raw, ctypes.c_void_p).value
    styles = _Styles(raw, frame)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    fa, fb, fc, fd, fe, ff = frame.matrix
    is_generated, unicode, origin = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetCharOrigin
    chars: list[dict[str, Any]] = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if is_generated(raw, i):
            continue  # line breaks pdfium inserts, and spaces where it sees gaps
        style = styles.of(_text_object_address(address, i) or 0, i)
        code = unicode(raw, i)
        origin(raw, i, ox, oy)
        x, y = ox.value * fa + oy.value * fc + fe, ox.value * fb + oy.value * fd + ff
        width = style.width(code)
        wx, wy = width * style.ux, width * style.uy
        x0 = x + (wx if wx < 0 else 0.0) + style.x_span[0]
        x1 = x + (wx if wx > 0 else 0.0) + style.x_span[1]
        top = y + (wy if wy < 0 else 0.0) + style.y_span[0]
        bottom = y + (wy if wy > 0 else 0.0) + style.y_span[1]
        chars.append({
            "text": chr(code), "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "size": style.size, "upright": style.upright,
        })
    return chars


def _path_objects(page: pdfium.PdfPage) -> Iterator[tuple[Any, Matrix]]:
    """Path objects with their matrix to user space, descending into form XObjects."""

    def walk(count: int, get: Any, parent: Any, outer: Matrix) -> Iterator[tuple[Any, Matrix]]:
        m = pdfium_c.FS_MATRIX()
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, m)
            matrix = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, matrix
            else:
                yield from walk(pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj, matrix)

    yield from walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page, _IDENTITY)


def _subpaths(obj: Any, matrix: Matrix, frame: _Frame) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer sees it: operator letters (m, l, c, h) and end points,
    in page coordinates (a Bézier segment counts once, by its end point)."""
    to_page = _multiply(matrix, frame.matrix)
    a, b, c, d, e, f = to_page
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, points = "", []
    bezier_points = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value * a + y.value * c + e, x.value * b + y.value * d + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, points
            shape, points = "m", [point]
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            shape, points = shape + "l", points + [point]
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier_points = (bezier_points + 1) % 3
            if bezier_points:
                continue  # a control point
            shape, points = shape + "c", points + [point]
        if shape and pdfium_c.FPDFPathSegment_GetClose(segment):
            shape, points = shape + "h", points + [points[0]]
    if shape:
        yield shape, points


def _box(points: list[Point], kind: str) -> dict[str, Any]:
    """A pdfplumber layout object's geometry keys. ``y0``/``y1`` (bottom-up) only
    travel along in ``rect_to_edges``; no table step reads them, so they are
    given up to a constant."""
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "y0": -bottom, "y1": -top}


def _path_dicts(page: pdfium.PdfPage, frame: _Frame) -> tuple[list[dict], list[dict], list[dict]]:
    """pdfplumber's ``page.lines``, ``page.rects`` and ``page.curves`` (their geometry)."""
    lines, rects, curves = [], [], []
    for obj, matrix in _path_objects(page):
        for shape, pts in _subpaths(obj, matrix, frame):
            if shape[:1] != "m":
                continue
            if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
                shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
            if shape in ("ml", "mlh"):
                lines.append(_box(pts[:2], "line"))
            elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and _is_square(pts):
                rects.append(_box([pts[0], pts[2]], "rect"))
            else:
                curves.append({**_box(pts, "curve"), "pts": pts})
    return lines, rects, curves


def _is_square(pts: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


Bbox = tuple[float, float, float, float]


def _intersections_to_cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Bbox]:
    """pdfplumber's ``intersections_to_cells``, the same cells in the same order.

    pdfplumber scans every later point for those below and right of each point
    and rebuilds both points' edge sets for every pair it tests; here each
    point's edge sets are built once, the points below and right come from the
    point's column and row, and which right points connect is asked once.
    """
    v_edges = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in i["v"]} for p, i in intersections.items()}
    h_edges = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in i["h"]} for p, i in intersections.items()}
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for point in sorted(intersections):
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)

    def connects(p1: Point, p2: Point) -> bool:
        return (p1[0] == p2[0] and not v_edges[p1].isdisjoint(v_edges[p2])) or (
            p1[1] == p2[1] and not h_edges[p1].isdisjoint(h_edges[p2])
        )

    def smallest_cell(point: Point) -> Bbox | None:
        column, row = columns[point[0]], rows[point[1]]
        below = column[column.index(point) + 1:]
        right: list[Point] | None = None
        for below_pt in below:
            if not connects(point, below_pt):
                continue
            if right is None:
                right = [p for p in row[row.index(point) + 1:] if connects(point, p)]
            for right_pt in right:
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    return (point[0], point[1], corner[0], corner[1])
        return None

    return [cell for point in sorted(intersections) if (cell := smallest_cell(point))]


class _TableFinder(TableFinder):
    """pdfplumber's ``TableFinder`` with the cell search above (its ``__init__``
    otherwise step by step)."""

    def __init__(self, page: Any, settings: dict[str, Any] | None = None) -> None:
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        )
        self.cells = _intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def _crop(objs: list[dict[str, Any]], bbox: Bbox) -> list[dict[str, Any]]:
    """pdfplumber's ``crop_to_bbox``; an object already inside ``bbox`` (with
    some extent) is passed on as it is, where ``clip_obj`` would copy it with
    the same values."""
    x0, top, x1, bottom = bbox
    cropped = []
    for obj in objs:
        if (x0 <= obj["x0"] <= obj["x1"] <= x1 and top <= obj["top"] <= obj["bottom"] <= bottom
                and (obj["x1"] - obj["x0"]) + (obj["bottom"] - obj["top"]) > 0):
            cropped.append(obj)
        elif (clipped := clip_obj(obj, bbox)) is not None:
            cropped.append(clipped)
    return cropped


class PdfiumPage:
    """The part of pdfplumber's ``Page`` that table finding and word extraction
    read (``bbox``, ``chars``, ``edges``, ``crop``, ``find_tables``,
    ``extract_words``), built from pdfium."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None) -> None:
        frame = _Frame.of(page)
        self.bbox = frame.bbox
        own = textpage is None
        textpage = page.get_textpage() if textpage is None else textpage
        try:
            self.chars = _char_dicts(textpage, frame)
        finally:
            if own:
                textpage.close()
        self.lines, self.rects, self.curves = _path_dicts(page, frame)

    @cached_property
    def edges(self) -> list[dict[str, Any]]:
        """Line edges, then rect edges, then curve edges, as pdfplumber orders them
        (built once: the table finder reads them twice)."""
        return (
            [line_to_edge(line) for line in self.lines]
            + [edge for rect in self.rects for edge in rect_to_edges(rect)]
            + [edge for curve in self.curves for edge in curve_to_edges(curve)]
        )

    def crop(self, bbox: tuple[float, float, float, float]) -> PdfiumPage:
        """Objects clipped to ``bbox``, as pdfplumber's ``Page.crop`` clips them."""
        cropped = copy.copy(self)
        cropped.__dict__.pop("edges", None)
        cropped.bbox = bbox
        cropped.chars = _crop(self.chars, bbox)
        cropped.lines, cropped.rects, cropped.curves = (
            _crop(objs, bbox) for objs in (self.lines, self.rects, self.curves)
        )
        return cropped

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Table]:
        return _TableFinder(self, table_settings).tables

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]:
        return extract_words(self.chars, **kwargs)
