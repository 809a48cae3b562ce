"""Font families the renderers print with, named once for every producer.

Each family maps to what each producer needs: a reportlab font (the built-in
CID font ``STSong-Light`` needs no file and is not embedded; WenQuanYi Micro
Hei is embedded as a subset TrueType font) and the fontconfig family the
browser and LibreOffice select (Noto CJK, embedded as subset CFF fonts).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FontFamily", "FONTS", "reportlab_font", "text_width"]

_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@dataclass(frozen=True)
class FontFamily:
    reportlab: str  # registered reportlab font name
    family: str  # fontconfig family for HTML (Chromium) and DOCX (LibreOffice)


FONTS: dict[str, FontFamily] = {
    "song": FontFamily("STSong-Light", "Noto Serif CJK SC"),
    "hei": FontFamily("WenQuanYi-MicroHei", "Noto Sans CJK SC"),
}


@cache
def reportlab_font(family: str) -> str:
    """The reportlab font name of ``family``, registered on first use (the
    built-in CID font when the TrueType file is missing)."""
    name = FONTS[family].reportlab
    if name == "WenQuanYi-MicroHei" and _WQY.exists():
        pdfmetrics.registerFont(TTFont(name, str(_WQY), subfontIndex=0))
        return name
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def text_width(text: str, size: float, family: str = "song") -> float:
    """Printed width of ``text`` in points (reportlab's metrics of the family)."""
    return pdfmetrics.stringWidth(text, reportlab_font(family), size)
