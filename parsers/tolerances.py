"""Every geometric and statistical tolerance of the PDF path, named in one place.

The parser reads documents from producers nobody has tested yet; when one of
them needs another tolerance, change it here (and see what the realdocs and
rendered-seed tests say), never as a literal in the module that uses it.
Distances are PDF points (1/72 inch); shares are fractions of the cells or
lines looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Tolerances", "TOLERANCES"]


@dataclass(frozen=True)
class Tolerances:
    # -- words and lines (page_blocks) ----------------------------------------------
    line_y: float = 3.0
    """Words whose tops differ by at most this sit on one printed line."""
    word_x: float = 3.0
    """pdfplumber ``extract_words`` x tolerance: chars closer than this form one word …"""
    cell_gap: float = 1.0
    """… unless two digits, or a figure and a letter, are this far apart: two cells' texts
    (producers that pad cells by a point or two)."""
    ruling_snap: float = 3.0
    """pdfplumber ``TableFinder`` snap/join/intersection tolerance for ruling lines."""
    cell_text_x: float = 5.0
    """x tolerance when a ruled cell's chars are joined into its text."""

    # -- columns rebuilt from word positions (layout) ------------------------------
    column_gap: float = 6.0
    """White space that separates two columns of an unruled table."""
    column_valley: float = 0.25
    """A gap bridged by fewer lines than this share of those printing beside it is still a
    column gap (a 合计 label merged over the code and name columns)."""
    same_columns: float = 3.0
    """Column bounds of two grids closer than this are the same columns."""
    header_centre: float = 0.1
    """A heading stands over a group of columns when its centre is this close (share of the
    group's width) to the group's centre."""
    header_band: float = 9.0
    """Header words whose tops differ by less than this stand side by side (cells centred in
    rows of their own print half a line apart); a sub-heading lies at least this far below …"""
    header_band_em: float = 1.2
    """… or less, this many times the header's type size (its CJK words' width per character)."""
    sparse_body_rows: int = 2
    """An unruled table with at most this many rows of figures takes its columns from the
    lowest heading over each (its figures show too few of them)."""
    header_departures: int = 2
    """A reading of an unruled header puts at most this many group headings over another
    run of columns centred under them than the best centred one …"""
    header_readings: int = 12
    """… and at most this many readings are made (each judged by the table's arithmetic)."""
    header_wrap_gap: float = 15.0
    """Header words of one column (or group) this close below each other are one wrapped cell."""

    # -- the assembler ---------------------------------------------------------------
    wrap_gap: float = 16.0
    """A cell wrapped onto its own line sits at most this far below the row it belongs to."""
    row_pitch_slack: float = 1.5
    """… or, a row without figures, at most this many times the table's usual row pitch."""
    header_fragment_chars: int = 15
    """A header line of an unruled table above its first row is at most this long …"""
    header_fragment_words: int = 2
    """… and holds at most this many words (附属单 | 位上缴)."""
    body_fragment_chars: int = 40
    """A wrapped cell or a row without figures inside an unruled table is at most this long."""
    tabular_chars: int = 40
    """A line of several words without digits is still a table line up to this length."""
    title_chars: int = 40
    """A title broken over lines: the parts before the last are at most this long …"""
    title_lines: int = 3
    """… and it is broken over at most this many lines; over more than two only in pieces of
    at most ``title_fragment_chars`` (项目支出 | 绩效自评 | 情况表)."""
    title_fragment_chars: int = 8
    bare_title_chars: int = 20
    """A title printed without 表 (机关运行经费) is one word of at most this length."""
    continuation_text_chars: int = 30
    """Narrative printed between a table and an untitled grid that still continues it."""
    row_figures: int = 2
    """A line with at least this many figures is a table row."""

    # -- pages worth the table finder (pdf_source) ---------------------------------------
    candidate_amounts: int = 3
    """Amounts (599.47, 2,932,700) on a page that make it a table candidate."""
    candidate_head_lines: int = 12
    """Lines at the top of a page searched for a header word (a continuation after a table page)."""
    candidate_repeated_lines: int = 2
    """Head lines a page shares with the table page before it that make it a continuation."""
    candidate_rulings: int = 12
    """Path objects (lines, cell borders) on a page right after a table page that make it a
    continuation however few figures it prints."""
    unmapped_share: float = 0.3
    """Share of unmapped glyphs above which a page's text is not read."""

    # -- column typing (tables) -------------------------------------------------------------
    code_share: float = 0.6
    """A column whose cells are 科目代码 at least this often is a code column …"""
    code_noise_share: float = 0.1
    """… unless more than this share of its cells are other numbers."""
    number_share: float = 0.5
    """A column with fewer numbers than this share of its cells is a text column."""

    # -- confidence ---------------------------------------------------------------------------
    identity_cent: str = "0.01"
    """Rounding slack of one identity per term (amounts printed to the cent)."""
    confident: float = 0.8
    """A table whose amounts are keyed and placed at or above this share backs a department finding."""
    identities_doubtful: float = 0.5
    """… unless its identities hold below this (smoothed) share: a clean table failing most of its
    arithmetic is a misreading; one failing a few has a department's error in it."""


TOLERANCES = Tolerances()
