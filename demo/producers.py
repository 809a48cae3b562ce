"""PDF producers: different programs drawing the same ``PdfVariant``.

Real disclosures come out of Word, WPS, Excel, browsers and report servers,
and each draws text and rules its own way (CID or embedded subset fonts,
lines as strokes or as thin filled rectangles, its own pagination). The
fixture matrix renders every seed in every variant through each producer:

- ``reportlab``: platypus tables, strokes for rules, built-in CID font or an
  embedded TrueType subset (``demo.render_pdf``).
- ``chromium``: Debian's headless Chromium printing ``demo.render_html``
  (Skia: borders as filled rectangles, Noto CJK as subset CFF fonts, the
  browser's pagination and repeated ``<thead>``).
- ``libreoffice``: LibreOffice Writer printing ``demo.render_docx`` (its own
  layout engine, table borders, repeated heading rows).

A producer renders a batch of jobs at once because starting a browser or an
office suite costs seconds; ``render_with`` is the one entry point.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from demo.marks import manifest_from_marks
from demo.render_html import render_html
from demo.render_pdf import render_pdf
from demo.seeds import SeedDocument
from demo.variants import PdfVariant, RenderManifest
from parsers.office import SOFFICE, soffice_convert

__all__ = ["Job", "PRODUCERS", "CHROMIUM", "producer_available", "render_with"]

CHROMIUM = "/usr/bin/chromium"
SOFFICE_BATCH_TIMEOUT = 600.0  # seconds for one batch of documents


@dataclass(frozen=True)
class Job:
    seed: SeedDocument
    out: Path
    variant: PdfVariant


def _reportlab(jobs: list[Job]) -> list[RenderManifest]:
    return [render_pdf(job.seed, job.out, job.variant) for job in jobs]


def _chromium(jobs: list[Job]) -> list[RenderManifest]:
    from playwright.sync_api import sync_playwright  # a test dependency: loaded only here

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            for job in jobs:
                page.set_content(render_html(job.seed, job.variant), wait_until="load")
                page.evaluate("document.fonts.ready")
                job.out.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(job.out), prefer_css_page_size=True)
        finally:
            browser.close()
    return [manifest_from_marks(job.out, job.seed, job.variant) for job in jobs]


# Writer's PDF export, with bookmarks kept as named destinations (the row marks).
_PDF_WITH_DESTINATIONS = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


def _libreoffice(jobs: list[Job]) -> list[RenderManifest]:
    from demo.render_docx import render_docx

    with tempfile.TemporaryDirectory(prefix="lo-render-") as tmp:
        sources = []
        for n, job in enumerate(jobs):
            source = Path(tmp) / f"{n:03d}.docx"
            render_docx(job.seed, source, job.variant)
            sources.append(source)
        soffice_convert(sources, _PDF_WITH_DESTINATIONS, Path(tmp), SOFFICE_BATCH_TIMEOUT)
        for source, job in zip(sources, jobs):
            job.out.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source.with_suffix(".pdf"), job.out)
    return [manifest_from_marks(job.out, job.seed, job.variant) for job in jobs]


PRODUCERS: dict[str, Callable[[list[Job]], list[RenderManifest]]] = {
    "reportlab": _reportlab,
    "chromium": _chromium,
    "libreoffice": _libreoffice,
}
_NEEDS = {"chromium": CHROMIUM, "libreoffice": SOFFICE}


def producer_available(name: str) -> bool:
    """Whether the program behind ``name`` is installed (reportlab always is)."""
    return name not in _NEEDS or shutil.which(_NEEDS[name]) is not None


def render_with(producer: str, jobs: list[Job]) -> list[RenderManifest]:
    """Render every job through ``producer`` (its manifests in the jobs' order)."""
    for job in jobs:
        if job.variant.rotated and producer != "reportlab":
            raise ValueError(f"{producer} cannot draw rotated pages ({job.variant.name})")
    return PRODUCERS[producer](jobs)
