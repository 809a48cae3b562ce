"""Classification of candidate titles, table-driven."""

from __future__ import annotations

import pytest

from crawler.classify import Region, classify, parse_year, place_of

OURS = [
    # title, kind, year, department, scope
    ("2024年度焦作市中站区政务服务和大数据管理局部门预算公开", "预算", 2024, "焦作市中站区政务服务和大数据管理局", "部门"),
    ("XX单位2023年决算", "决算", 2023, "XX单位", "单位"),
    ("焦作市政务大数据中心2024年度单位预算", "预算", 2024, "焦作市政务大数据中心", "单位"),
    ("2023 年度中国共产党焦作市 中站区委员会 部门决算", "决算", 2023, "中国共产党焦作市中站区委员会", "部门"),
    ("新乡市政务服务和大数据管理局2023年度部门决算.pdf", "决算", 2023, "新乡市政务服务和大数据管理局", "部门"),
    ("二〇二四年洛阳市偃师区教育局部门预算", "预算", 2024, "洛阳市偃师区教育局", "部门"),
    ("《2022年度洛阳市偃师区财政局部门决算公开》", "决算", 2022, "洛阳市偃师区财政局", "部门"),
    ("2024年度新乡市机关事务服务中心单位预算三公经费公开", "预算", 2024, "新乡市机关事务服务中心", "单位"),
    ("关于公开2024年焦作市住房和城乡建设局部门预算的说明", "预算", 2024, "焦作市住房和城乡建设局", "部门"),
]

NOT_OURS = [
    ("关于2023年度市级决算的报告", "government_level"),
    ("中站区2024年政府预算公开", "government_level"),
    ("关于焦作市2023年预算执行情况和2024年预算草案的报告", "government_level"),
    ("2023年度全市一般公共预算收支决算表", "government_level"),
    ("2023年政府信息公开工作年度报告", "annual_report"),
    ("焦作市中站区人民政府2023年政务公开工作年度报告", "annual_report"),
    ("2023年度部门整体支出绩效评价报告", "performance"),
    ("2023年度项目支出绩效自评报告", "performance"),
    ("关于召开全区财政工作会议的通知", "not_budget"),
    ("中站区开展2024年安全生产月活动", "not_budget"),
]


@pytest.mark.parametrize(("title", "kind", "year", "department", "scope"), OURS)
def test_ours_is_classified(title: str, kind: str, year: int, department: str, scope: str) -> None:
    verdict = classify(title)
    assert verdict.ours
    assert (verdict.kind, verdict.year, verdict.department, verdict.scope) == (kind, year, department, scope)


@pytest.mark.parametrize(("title", "reason"), NOT_OURS)
def test_not_ours_is_skipped_with_reason(title: str, reason: str) -> None:
    verdict = classify(title)
    assert not verdict.ours
    assert verdict.skip_reason == reason
    assert verdict.kind is None and verdict.department is None


def test_attachment_inherits_from_its_page() -> None:
    page = classify("2024年度焦作市中站区财政局部门预算公开")
    verdict = classify("附件1：2024年部门预算公开表.pdf", "2024bmys.pdf", parent=page)
    assert (verdict.kind, verdict.year, verdict.department, verdict.scope) == ("预算", 2024, "焦作市中站区财政局", "部门")


def test_attachment_names_its_own_unit() -> None:
    page = classify("2024年度焦作市中站区财政局部门预算公开")
    verdict = classify("焦作市中站区财政服务中心2024年度单位预算.pdf", parent=page)
    assert (verdict.department, verdict.scope) == ("焦作市中站区财政服务中心", "单位")


def test_attachment_that_is_not_ours_wins_over_page() -> None:
    page = classify("2023年度焦作市中站区财政局部门决算")
    assert classify("2023年度项目绩效评价报告.pdf", parent=page).skip_reason == "performance"


@pytest.mark.parametrize(
    ("text", "year"), [("2024年度", 2024), ("二〇二三年部门决算", 2023), ("ys2022.pdf", 2022), ("部门预算", None)]
)
def test_parse_year(text: str, year: int | None) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["附件", "附件1", "下载", "点击下载", "附件下载", "查看", "原文", "【点击下载】"])
def test_generic_link_texts_are_never_a_department(text: str) -> None:
    page = classify("2024年度部门预算公开")
    verdict = classify(text, "新乡市教育局2024年度部门预算.pdf", parent=page)
    assert (verdict.department, verdict.year, verdict.kind) == ("新乡市教育局", 2024, "预算")
    assert classify(text, "2409251030.pdf", parent=page).department is None


def test_the_more_specific_clue_wins_and_the_disagreement_is_kept() -> None:
    page = classify("2024年度新乡市教育局部门预算")
    verdict = classify("新乡市教育局2023年度部门预算.pdf", parent=page)
    assert verdict.year == 2023
    assert verdict.conflicts and "2023" in verdict.conflicts[0] and "2024" in verdict.conflicts[0]
    assert classify("2024年度新乡市教育局部门预算", "2024年度部门预算").conflicts == ()


def test_the_list_section_fills_only_kind_and_year() -> None:
    verdict = classify("新乡市教育局", section="2024年部门决算")
    assert (verdict.kind, verdict.year, verdict.department) == ("决算", 2024, "新乡市教育局")
    assert not classify("新乡市教育局公开", section="财政预决算公开").ours  # 预决算 names no kind


XINXIANG = Region("新乡市", "市")
ZHONGZHAN = Region("焦作市中站区", "县")


@pytest.mark.parametrize(
    ("title", "region", "department", "level"),
    [
        ("2024年度教育局部门预算", XINXIANG, "新乡市教育局", "市"),  # no place: the source's
        ("2024年度市场监督管理局部门预算", XINXIANG, "新乡市市场监督管理局", "市"),  # 市场 is no place
        ("2024年度中共组织部部门预算", XINXIANG, "中共新乡市组织部", "市"),
        ("2024年度新乡市教育局部门预算", XINXIANG, "新乡市教育局", "市"),
        ("2024年度新乡市红旗区教育局部门预算", XINXIANG, "新乡市红旗区教育局", "县"),  # a place inside the source's
        ("2024年度焦作市中站区政务服务和大数据管理局部门预算", ZHONGZHAN, "焦作市中站区政务服务和大数据管理局", "县"),
        ("焦作市政务大数据中心2024年度单位预算", ZHONGZHAN, "焦作市政务大数据中心", "市"),  # the city around it
    ],
)
def test_the_source_region_places_a_department_and_gives_its_level(
    title: str, region: Region, department: str, level: str
) -> None:
    verdict = classify(title, region=region)
    assert (verdict.department, verdict.region, verdict.conflicts) == (department, level, ())


def test_a_department_placed_outside_the_source_region_is_kept_and_recorded() -> None:
    verdict = classify("2024年度卫辉市教育局部门预算", region=XINXIANG)
    assert verdict.department == "卫辉市教育局"
    assert verdict.conflicts == ("地区：来源为新乡市（市级），标题为卫辉市",)
    page = classify("2024年度洛阳市偃师区财政局部门预算", region=ZHONGZHAN)
    attachment = classify("附件下载", "附件1.pdf", parent=page, region=ZHONGZHAN)
    assert attachment.department == "洛阳市偃师区财政局" and attachment.region == "县"
    assert attachment.conflicts == ("地区：来源为焦作市中站区（县级），标题为洛阳市偃师区",)  # recorded once


def test_a_source_without_a_place_in_its_name_only_gives_the_level() -> None:
    verdict = classify("2024年度教育局部门预算", region=Region(place_of("财政预决算公开平台"), "省"))
    assert (verdict.department, verdict.region) == ("教育局", "省")
    assert place_of("焦作市人民政府 财政预决算") == "焦作市" and place_of("焦作市") is None
