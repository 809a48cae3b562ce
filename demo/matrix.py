"""The fixture matrix: every seed in every table style through every PDF producer.

Styles cover the axes real disclosures vary on (issue 10): full grid,
horizontal rules only and no lines; tables starting right after narrative
text anywhere on a page; page breaks inside tables with and without a
repeated header; two font families and several sizes; portrait and
landscape; amounts right-, centre- and left-aligned; compatibility code
points in the text layer. ``render_matrix`` renders a batch of cases
through one producer (producers start a browser or an office suite once per
batch).
"""

from __future__ import annotations

from pathlib import Path

from demo.producers import Job, render_with
from demo.seeds import SeedDocument
from demo.variants import PdfVariant, RenderManifest

__all__ = ["MATRIX_STYLES", "MATRIX_PRODUCERS", "RULED_STYLES", "render_matrix"]

MATRIX_STYLES: dict[str, PdfVariant] = {
    v.name: v
    for v in (
        PdfVariant("grid", flow=True, size=9.0),
        PdfVariant("grid_landscape", landscape=True, flow=True, repeat_header=False, align="center", font="hei"),
        PdfVariant("grid_breaks", force_breaks=True, align="left", size=7.0),
        PdfVariant("hrules", rules="hrules", flow=True, font="hei", size=9.0),
        PdfVariant("no_lines", rules="none", flow=True, repeat_header=False, size=8.0),
        PdfVariant("compat", flow=True, compat=True, size=8.0),
    )
}
MATRIX_PRODUCERS = ("reportlab", "chromium", "libreoffice")
RULED_STYLES = tuple(name for name, v in MATRIX_STYLES.items() if v.rules == "grid")


def render_matrix(
    producer: str, cases: list[tuple[str, str]], seeds: dict[str, SeedDocument], out_dir: Path
) -> dict[tuple[str, str], RenderManifest]:
    """Render each ``(style, seed name)`` case as ``producer`` draws it, in one
    batch; ``(style, seed name) → manifest``."""
    jobs = [
        Job(seeds[name], Path(out_dir) / f"{producer}_{style}_{name}.pdf", MATRIX_STYLES[style])
        for style, name in cases
    ]
    return dict(zip(cases, render_with(producer, jobs)))
