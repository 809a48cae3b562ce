from dataclasses import replace

from tests.analysis.builders import consistent_final, fired, section


def test_stated_rate_far_from_100_without_reason():
    doc = consistent_final()
    text = "行政运行(项)。年初预算为 100.00 万元，支出决算为 60.00 万元，完成年初预算的 60.00%。"
    found = fired(replace(doc, sections=[*doc.sections, section("五、具体情况", text)]), "execution.stated_rate")
    assert len(found) == 1
    explained = text + "主要原因是项目建设延期至下年实施。"
    assert fired(replace(doc, sections=[*doc.sections, section("五、具体情况", explained)]), "execution.stated_rate") == []
