from dataclasses import replace
from decimal import Decimal

from tests.analysis.builders import consistent_final, fired, section


def _with(text: str, heading: str = "五、一般公共预算财政拨款支出决算情况说明"):
    doc = consistent_final()
    return replace(doc, sections=[*doc.sections, section(heading, text)])


def test_malformed_number_from_seed_003():
    doc = _with("年初预算为 35.36 万元，支出决算为 35.36.00 万元，完成年初预算的 100.00%。")
    found = fired(doc, "narrative.malformed_number")
    assert len(found) == 1 and "35.36.00" in found[0].message


def test_share_over_wrong_whole_from_seed_000():
    found = fired(_with("2023年度一般公共预算财政拨款支出 609.47万元，占支出合计的 609.47%。"), "narrative.share")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("100.00"), Decimal("609.47"))]


def test_share_within_paragraph_is_recomputed():
    found = fired(_with("支出合计 609.47万元，其中：基本支出 599.47万元，占 97.36%。"), "narrative.share")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("98.36"), Decimal("97.36"))]


def test_rate_on_this_years_base_from_seed_003():
    text = "2023 年度收、支总计均为 611.70 万元。与上年度相比，收、支总计各减少 123.95 万元，下降 20.26%。"
    found = fired(_with(text), "narrative.rate")
    assert len(found) == 1
    assert found[0].expected == Decimal("16.85") and found[0].actual == Decimal("20.26")
    assert "本年数为基数" in found[0].message


def test_rate_tolerance_follows_printed_precision():
    # seed 001: 4 万元 (printed without decimals) +2.70, 207.69% — correct within rounding
    assert fired(_with("“三公”经费预算为4万元。比上年预算数增加2.70万元，增长207.69%，主要原因：合并。"), "narrative.rate") == []


def test_rate_on_another_statistical_basis_is_not_recomputed():
    # realdoc 29 p24: the comparable-basis amounts are not printed; 9193.40 / 5503.07 are no base
    text = ("机关运行经费预算支出 9193.40 万元，比 2016 年增加 5503.07 万元，增长 149.12%。"
            "按与上年统计口径一致相比，本年比上年减少 161.96 万元，下降了 4.39%，主要原因为在编人员减少。")
    assert fired(_with(text), "narrative.rate") == []
    wrong = text.replace("149.12%", "150.12%")
    assert len(fired(_with(wrong), "narrative.rate")) == 1  # the first statement is still checked


def test_direction_words_must_agree():
    found = fired(_with("支出 500.00 万元，比上年增加 100.00 万元，下降 25.00%。"), "narrative.rate")
    assert len(found) == 1 and "方向矛盾" in found[0].message


def test_no_growth_rate_on_zero_base():
    found = fired(_with("公务接待费 1.00万元，比上年增加1.00万元，增长100.00%。"), "narrative.rate")
    assert len(found) == 1 and "基数为零" in found[0].message


def test_completion_rate_recomputed_and_zero_budget():
    text = "行政运行(项)。年初预算为 100.00 万元，支出决算为 90.00 万元，完成年初预算的 100.00%。\n" \
           "机关服务(项)。年初预算为 0.00 万元，支出决算为 10.00 万元，完成年初预算的 100.00%。"
    found = fired(_with(text), "narrative.completion_rate")
    assert len(found) == 2
    assert found[0].expected == Decimal("90.00") or found[1].expected == Decimal("90.00")


def test_amount_contradicting_the_tables_from_seed_003():
    found = fired(_with("2023 年度一般公共预算财政拨款基本支出 611.70 万元。", "六、基本支出情况说明"), "narrative.amount")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("599.47"), Decimal("611.70"))]
