"""Decide from titles, link texts and file names what a candidate is.

A candidate is *ours* when it is a 部门预算 / 部门决算 (or 单位预算 / 单位决算)
disclosure; government-level budgets and accounts, performance reports,
annual information-disclosure reports and news are not. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Classification", "Region", "classify", "is_generic", "parse_year", "place_of"]

BUDGET = "预算"
FINAL = "决算"
DEPARTMENT = "部门"
UNIT = "单位"


@dataclass(frozen=True)
class Classification:
    """What the clues say. ``skip_reason`` is set exactly when not ours;
    ``conflicts`` lists the clues that disagreed with the chosen value."""

    kind: str | None
    year: int | None
    department: str | None
    scope: str | None
    skip_reason: str | None = None
    conflicts: tuple[str, ...] = ()
    region: str | None = None  # level (省/市/县) of the publisher, when a Region was given

    @property
    def ours(self) -> bool:
        return self.skip_reason is None


@dataclass(frozen=True)
class Region:
    """Where a source publishes: its place (焦作市中站区) and level (省/市/县)."""

    place: str | None
    level: str


# Checked in order; the first match makes the candidate "not ours".
_NOT_OURS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("annual_report", re.compile(r"信息公开.{0,6}年度报告|政务公开.{0,6}年度报告|年度工作报告")),
    ("performance", re.compile(r"绩效(评价|自评|报告|评估|监控|运行)")),
    (
        "government_level",
        re.compile(
            r"政府预算|政府决算|总预算|总决算|本级(预算|决算)|[省市县区]级(预算|决算)"
            r"|全[省市县区].{0,8}(预算|决算)|预算执行|预算草案|预算调整|预算的报告|决算的报告"
            r"|决算草案|政府债务|转移支付"
        ),
    ),
)
_KIND_WORDS = re.compile(r"(部门|单位)?(预算|决算)")
_YEAR = re.compile(r"(20\d{2})\s*(?:年度|年)")
_BARE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_CN_YEAR = re.compile(r"([二〇零○一三四五六七八九]{4})\s*年")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NOISE = re.compile(r"[\s《》“”\"'‘’【】\[\]（）()：:、，,.\-_—]+")
_FILE_EXT = re.compile(r"\.(pdf|xlsx?|docx?|zip|rar|html?)$", re.I)
_PREFIX = re.compile(r"^(附件\d*|关于|公开)+")
_SUFFIX = re.compile(r"(的)?(及?所属)?((部门|单位)?(预算|决算)).*$")
_UNIT_NAME = re.compile(r"单位$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BOTH_KINDS = re.compile(r"预决算")
# Link texts that say nothing of the document (after _normalise).
_GENERIC = re.compile(
    r"^(附件\d*|相关附件|附件下载|下载附件|下载|点击下载|点此下载|点击此处下载|立即下载|查看|点击查看|查看详情|详情"
    r"|原文|查看原文|原文下载|阅读原文|全文|打开|文件下载|pdf|PDF|\d+)?$"
)
_FIELD_NAMES = {"kind": "类别", "year": "年度"}
# A leading place name: 河南省, 焦作市中站区, 洛阳市偃师区 (市场监督管理局 is none: a place needs a name before its unit).
_PLACE = re.compile(r"^((?:[^省市区县]{1,7}?(?:自治区|自治州|省|市|州|盟|区|县|旗))+)")
_PARTY = re.compile(r"^(中国共产党|中共)")
_UNIT_LEVELS = {"省": "省", "区": "县", "县": "县", "旗": "县"}  # 自治区 ends in 区: checked first below
_LEVEL_BELOW = {"省": "市", "市": "县", "县": "县"}


def _normalise(text: str) -> str:
    return _NOISE.sub("", _FILE_EXT.sub("", text.strip()))


def parse_year(text: str) -> int | None:
    """The year a title names (``2024年度``, ``二〇二三年``, a bare ``2024``)."""
    for pattern in (_YEAR, _BARE_YEAR):
        if match := pattern.search(text):
            return int(match.group(1))
    if match := _CN_YEAR.search(text):
        return int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
    return None


def _department(text: str) -> str | None:
    """The publisher named in a normalised title, if any."""
    text = _PREFIX.sub("", text)
    match = _YEAR.search(text) or _BARE_YEAR.search(text) or _CN_YEAR.search(text)
    if match and match.start() > 0:
        name = text[: match.start()]
    else:
        name = text[match.end():] if match else text
    name = _SUFFIX.sub("", name)
    name = re.sub(r"(年度|年)$", "", name)
    return name if len(name) >= 2 and _CJK.search(name) else None


def _kind_and_scope(text: str) -> tuple[str | None, str | None]:
    text = _BOTH_KINDS.sub("", text)  # 预决算 names both: no clue to the kind
    matches = list(_KIND_WORDS.finditer(text))
    if not matches:
        return None, None
    scoped = [m for m in matches if m.group(1)]
    chosen = scoped[-1] if scoped else matches[-1]
    return chosen.group(2), chosen.group(1)


def place_of(name: str) -> str | None:
    """The place a name starts with (after 中国共产党/中共), if it names more than a place."""
    body = _PARTY.sub("", name)
    match = _PLACE.match(body)
    return match.group(1) if match and match.end() < len(body) else None


def _level(place: str, region: Region) -> str:
    """The level of ``place`` given the source's ``region``: the source's own
    level for its own place, one below for a place inside it (卫辉市 in 新乡市
    is a county), else by the place's last unit."""
    if region.place and place == region.place:
        return region.level
    if region.place and place.startswith(region.place):
        return _LEVEL_BELOW[region.level]
    if place.endswith("自治区"):
        return "省"
    return _UNIT_LEVELS.get(place[-1], "市")


def _regional(department: str | None, region: Region, conflicts: list[str]) -> tuple[str | None, str]:
    """A department named without a place takes the source's; a place
    outside the source's is kept (the title is more specific) and recorded."""
    if department is None:
        return None, region.level
    own = place_of(department)
    if own is None:
        if not region.place:
            return department, region.level
        party = _PARTY.match(department)
        prefix = party.group(0) if party else ""
        return prefix + region.place + department[len(prefix):], region.level
    if region.place and not (own.startswith(region.place) or region.place.startswith(own)):
        conflicts.append(f"地区：来源为{region.place}（{region.level}级），标题为{own}")
    return department, _level(own, region)


def is_generic(text: str | None) -> bool:
    """Whether a link text says nothing of the document (附件, 点击下载 …)."""
    return not text or bool(_GENERIC.match(_normalise(text)))


@dataclass(frozen=True)
class _Reading:
    """What one clue alone says."""

    text: str
    kind: str | None
    scope: str | None
    year: int | None
    department: str | None


def _read(text: str) -> _Reading:
    kind, scope = _kind_and_scope(text)
    department = _department(text)
    if department is not None and _KIND_WORDS.search(_BOTH_KINDS.sub("", department)):
        department = None
    return _Reading(text, kind, scope, parse_year(text), department)


def _pick(readings: list[_Reading], field: str, conflicts: list[str]) -> object:
    """The value of the most specific clue naming ``field``; later clues
    naming another value are recorded as conflicts."""
    named = [(r.text, getattr(r, field)) for r in readings if getattr(r, field) is not None]
    if not named:
        return None
    chosen = named[0][1]
    for text, value in named[1:]:
        if value != chosen:
            conflicts.append(f"{_FIELD_NAMES[field]}：采用“{named[0][0]}”的 {chosen}，“{text}”为 {value}")
    return chosen


def classify(
    *texts: str | None, parent: Classification | None = None, section: str | None = None, region: Region | None = None
) -> Classification:
    """Classify a candidate from its clues, most specific first.

    ``texts`` are e.g. (link text, file name) or (page title, heading, list
    section); generic link texts (附件, 下载 …) are no clue. Fields no text
    names are taken from ``parent`` (the detail page an attachment sits on).
    A text that names something not ours wins over the parent. Year and kind
    disagreements between clues (parent included) are kept in ``conflicts``;
    the first clue naming a value wins. ``section`` (the list's heading) is
    the least specific clue: it fills only the kind and year. ``region``
    (the source's) fills the place of a department named without one
    (教育局 → 新乡市教育局) and the publisher's level; a department placed
    outside it is kept and the disagreement recorded.
    """
    parts = [_normalise(t) for t in texts if t and t.strip() and not is_generic(t)]
    joined = "|".join(parts)
    for reason, pattern in _NOT_OURS:
        if pattern.search(joined):
            return Classification(None, parse_year(joined), None, None, skip_reason=reason)
    readings = [_read(p) for p in parts]
    conflicts: list[str] = []
    kind = _pick(readings, "kind", conflicts)
    year = _pick(readings, "year", conflicts)
    department = next((r.department for r in readings if r.department), None)
    scope = next((r.scope for r in readings if r.scope), None)
    if parent is not None and parent.ours:
        for field, own in (("kind", kind), ("year", year)):
            inherited = getattr(parent, field)
            if own is not None and inherited is not None and own != inherited:
                conflicts.append(f"{_FIELD_NAMES[field]}：附件为 {own}，所在页面为 {inherited}")
        kind = kind or parent.kind
        year = year or parent.year
        department = department or parent.department
        scope = scope or parent.scope
        conflicts = [*parent.conflicts, *conflicts]
    if section and not is_generic(section):
        broad = _read(_normalise(section))
        kind = kind or broad.kind
        year = year or broad.year
    if kind is None:
        return Classification(None, year, None, None, skip_reason="not_budget")  # type: ignore[arg-type]
    if scope is None:
        scope = UNIT if department and _UNIT_NAME.search(department) else DEPARTMENT
    level = None
    if region is not None:
        department, level = _regional(department, region, conflicts)
    return Classification(kind, year, department, scope, conflicts=tuple(dict.fromkeys(conflicts)), region=level)  # type: ignore[arg-type]
