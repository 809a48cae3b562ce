"""The source registry: validation, and the shipped file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler.errors import SourceConfigError
from crawler.run import select_sources
from crawler.listing import ListRules, read_list
from crawler.sources import load_sources, parse_sources

SHIPPED = Path(__file__).resolve().parents[2] / "crawler" / "sources.yaml"


def _entry(**overrides: Any) -> dict[str, Any]:
    entry = {
        "id": "demo",
        "name": "示例",
        "region": "市",
        "start_urls": ["http://a.gov.cn/col/col1/index.html"],
        "allowed_hosts": ["a.gov.cn", "oss.a.gov.cn"],
    }
    entry.update(overrides)
    return entry


def test_shipped_registry_covers_the_seed_regions_and_is_unverified() -> None:
    sources = load_sources(SHIPPED)
    names = " ".join(s.name for s in sources)
    for region in ("河南省", "焦作市", "中站区", "新乡市", "偃师区"):
        assert region in names
    assert all(not s.verified and not s.enabled for s in sources)
    assert {s.region for s in sources} == {"省", "市", "县"}


def test_defaults_and_politeness() -> None:
    (source,) = parse_sources({"sources": [_entry(politeness={"download_delay": 7, "retry_times": 1})]})
    assert source.layout == "auto" and source.enabled and not source.verified
    assert source.scrapy_settings() == {"DOWNLOAD_DELAY": 7, "RETRY_TIMES": 1}
    assert source.allows("http://oss.a.gov.cn/f.pdf") and not source.allows("http://b.gov.cn/f.pdf")


def test_hosts_default_to_start_urls() -> None:
    (source,) = parse_sources({"sources": [_entry(allowed_hosts=None)]})
    assert source.allowed_hosts == ("a.gov.cn",)


@pytest.mark.parametrize(
    "bad",
    [
        {"region": "乡"},
        {"layout": "wordpress"},
        {"start_urls": ["ftp://a.gov.cn/x"]},
        {"start_urls": ["http://elsewhere.cn/x"]},
        {"politeness": {"hammer": True}},
        {"hints": {"detail_pattern": "("}},
        {"id": "Has Spaces"},
        {"name": ""},
    ],
)
def test_invalid_entries_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(SourceConfigError):
        parse_sources({"sources": [_entry(**bad)]})


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(SourceConfigError, match="duplicate"):
        parse_sources({"sources": [_entry(), _entry()]})


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("sources: [", encoding="utf-8")
    with pytest.raises(SourceConfigError):
        load_sources(tmp_path / "s.yaml")


def test_select_sources() -> None:
    sources = parse_sources({"sources": [_entry(), _entry(id="off", enabled=False)]})
    assert [s.id for s in select_sources(sources, None)] == ["demo"]
    assert [s.id for s in select_sources(sources, "off")] == ["off"]
    with pytest.raises(SourceConfigError):
        select_sources(sources, "nope")


def test_a_source_region_is_its_place_and_level() -> None:
    named, explicit, placeless = parse_sources(
        {
            "sources": [
                _entry(id="a", name="新乡市人民政府 财政预决算"),
                _entry(id="b", name="中站区门户", region="县", place="焦作市中站区"),
                _entry(id="c", name="部门预决算公开平台", region="省"),
            ]
        }
    )
    assert (named.home.place, named.home.level) == ("新乡市", "市")
    assert (explicit.home.place, explicit.home.level) == ("焦作市中站区", "县")
    assert (placeless.home.place, placeless.home.level) == (None, "省")
    rules = ListRules.of(named)
    reading = read_list(
        "<ul><li><a href='/t20240301_1.html'>2024年度教育局部门预算</a></li></ul>", "http://a.gov.cn/col/col1/index_1.html", rules
    )
    assert [v.department for v in reading.verdicts.values()] == ["新乡市教育局"]
