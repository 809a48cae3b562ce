"""Narrative vs tables: amounts, shares, rates, direction words, completion rates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.narrative import DOWN, UP, Number, direction_before, normalise_text, numbers, paragraphs, subject_key
from analysis.registry import Run, document_rule
from analysis.tables import find_item, fmt, norm_label, total_item, unit_of
from analysis.three_public import three_public_figures, three_public_table
from parsers.model import LineItem, ParsedDocument, Section

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
_MALFORMED = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?=\s*(?:万元|元|%))")



def _where(section: Section, subject: str, occurrence: int) -> dict:
    return {"table_id": "narrative", "row_key": f"{norm_label(section.heading)}|{subject}|{occurrence}", "page": section.page}


@document_rule("narrative.malformed_number", Category.NARRATIVE, Severity.MEDIUM, "说明中数字格式错误")
def malformed(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    for section in doc.sections:
        for n, match in enumerate(_MALFORMED.finditer(normalise_text(section.text))):
            yield run.emit(
                f"“{section.heading}”中的数字“{match.group(0)}”格式错误",
                **_where(section, match.group(0), n),
            )


def _pct_tolerance(part: Number, whole: Number, stated: Number, whole_half: Decimal | None = None) -> Decimal:
    """Rounding of the printed inputs propagated into a percentage, plus the
    rounding of the stated percentage itself."""
    a, b = abs(part.value), abs(whole.value)
    db = whole.half_unit if whole_half is None else whole_half
    return HUNDRED * (part.half_unit / b + a * db / (b * b)) + 2 * stated.half_unit + Decimal("0.0001")


def _key_figures(doc: ParsedDocument) -> dict[str, Decimal]:
    """Wholes a share can name explicitly (占支出合计的 …)."""
    summary = doc.table("final_summary") or doc.table("budget_summary")
    found: dict[str, Decimal] = {}
    for key, labels, side in (("支出合计", ["本年支出合计", "支出合计"], "expense"), ("收入合计", ["本年收入合计", "收入合计"], "income")):
        item = find_item(summary, labels, side=side)
        if item:
            found[key] = item.amount
    figures = three_public_figures(doc)
    own = figures.get("final") or figures.get("budget") or {}
    if "total" in own:
        found["三公"] = own["total"].amount
    return found


def _explicit_whole(text: str, position: int) -> str | None:
    match = re.search(r"占([^，,。；;%]{0,12}?)(?:的)?\s*$", text[max(0, position - 16) : position])
    if not match:
        return None
    named = match.group(1)
    return next((k for k in ("支出合计", "收入合计", "三公") if k in named), None)


@document_rule("narrative.share", Category.NARRATIVE, Severity.MEDIUM, "说明中占比与表不符")
def shares(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """占 X%: recompute from the amount before it over the paragraph's (or the
    named) whole."""
    wholes = _key_figures(doc)
    for section in doc.sections:
        for p_index, text in enumerate(paragraphs(section)):
            nums = list(numbers(text))
            for index, stated in enumerate(nums):
                before = text[max(0, stated.start - 12) : stated.start]
                if stated.unit != "%" or "占" not in before or "完成" in before:
                    continue
                money = [n for n in nums[:index] if n.is_money]
                if not money:
                    continue
                part, named = money[-1], _explicit_whole(text, stated.start)
                if named and named in wholes:
                    whole_value = wholes[named]
                    whole = Number(whole_value, 2, "万元", 0, 0, str(whole_value))
                elif named:
                    continue  # the whole is named but not known: the paragraph's first amount is not it
                elif len(money) >= 2 and money[0].value >= part.value:
                    whole = money[0]
                else:
                    continue
                if stated.value > HUNDRED and named:
                    pass  # a share above 100% of its whole is wrong whatever the rounding
                elif whole.value == 0:
                    continue
                expected = (part.in_wan() / whole.in_wan() * HUNDRED) if whole.value else Decimal(0)
                if abs(expected - stated.value) > _pct_tolerance(part, whole, stated):
                    yield run.emit(
                        f"“{section.heading}”称占比 {stated.raw}，按 {fmt(part.value)}/{fmt(whole.value)} 计算应为 "
                        f"{expected:.2f}%",
                        expected=expected.quantize(Decimal("0.01")),
                        actual=stated.value,
                        **_where(section, f"share{p_index}", index),
                    )


_CHANGE_WORD_BEFORE = re.compile(r"(增加|减少|增长|下降|上升|降低|增|减)[^，。；,;\d]{0,3}$")


def _rate_context(text: str, nums: list[Number], index: int) -> tuple[Number, Number] | None:
    """(current, change) amounts of a 增长/下降 X% statement: the change is the
    amount just before the rate; this year's figure the nearest amount before
    it that leaves a positive base (or, failing that, the nearest one)."""
    money = [n for n in nums[:index] if n.is_money]
    if len(money) < 2:
        return None
    change = money[-1]
    direction = direction_before(text, change.start)
    if direction is None:
        return None
    sign = 1 if direction == UP else -1
    sentence = text[text.rfind("。", 0, change.start) + 1 : change.start]
    if "口径" in sentence:
        return None  # 按与上年统计口径一致相比…: a basis the tables do not print
    # this year's figure is no change amount itself (增加 5503.07 万元 … 减少 161.96 万元)
    candidates = [c for c in money[-2::-1] if not _CHANGE_WORD_BEFORE.search(text[max(0, c.start - 8) : c.start])]
    if not candidates:
        return None
    current = next((c for c in candidates if c.in_wan() - sign * change.in_wan() > 0), candidates[0])
    if candidates[0].in_wan() - sign * change.in_wan() == 0:
        current = candidates[0]  # 增长100% on a zero base: report it, do not look further
    return current, change


@document_rule("narrative.rate", Category.NARRATIVE, Severity.MEDIUM, "说明中增减率与数额不符")
def rates(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """增长/下降 X%: its base is last year's figure (this year ∓ the change);
    no rate on a zero base; the direction words must agree."""
    for section in doc.sections:
        for p_index, text in enumerate(paragraphs(section)):
            nums = list(numbers(text))
            for index, stated in enumerate(nums):
                rate_direction = direction_before(text, stated.start, 4)
                if stated.unit != "%" or rate_direction is None or rate_direction == "持平":
                    continue
                found = _rate_context(text, nums, index)
                if found is None:
                    continue
                current, change = found
                change_direction = direction_before(text, change.start)
                where = _where(section, f"rate{p_index}", index)
                if change_direction in (UP, DOWN) and change_direction != rate_direction:
                    yield run.emit(
                        f"“{section.heading}”中增减方向矛盾：数额“{change_direction}”而比率“{rate_direction}”",
                        **{**where, "row_key": where["row_key"] + "|direction"},
                    )
                    continue
                sign = 1 if rate_direction == UP else -1
                base = current.in_wan() - sign * change.in_wan()
                if base <= 0:
                    if stated.value == 0 and change.value == 0:
                        continue  # "增加（减少）0 万元，增长（减少）0%": nothing changed, nothing wrong
                    yield run.emit(
                        f"“{section.heading}”上年基数为零或负数（{fmt(base)}），不应表述为{rate_direction} {stated.raw}",
                        expected=None,
                        actual=stated.value,
                        **where,
                    )
                    continue
                expected = change.in_wan() / base * HUNDRED
                tolerance = _pct_tolerance(change, current, stated, current.half_unit + change.half_unit)
                if abs(expected - stated.value) <= tolerance:
                    continue
                wrong_base = current.value and abs(change.in_wan() / current.in_wan() * HUNDRED - stated.value) <= tolerance
                reason = "（误以本年数为基数）" if wrong_base else ""
                yield run.emit(
                    f"“{section.heading}”称{rate_direction} {stated.raw}，按上年数 {fmt(base)} 计算应为 {expected:.2f}%{reason}",
                    expected=expected.quantize(Decimal("0.01")),
                    actual=stated.value,
                    **where,
                )


_COMPLETION = re.compile(r"完成|执行率")


@document_rule("narrative.completion_rate", Category.NARRATIVE, Severity.MEDIUM, "说明中完成率与数额不符")
def completion(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """完成年初预算的 X% (or 执行率 X%) = 决算 / 预算; never against a zero budget."""
    for section in doc.sections:
        for text in paragraphs(section):
            for sentence in re.split(r"[。；;]", text):
                nums = list(numbers(sentence))
                for index, stated in enumerate(nums):
                    if stated.unit != "%" or not _COMPLETION.search(sentence[max(0, stated.start - 10) : stated.start]):
                        continue
                    money = [n for n in nums[:index] if n.is_money]
                    if len(money) < 2:
                        continue
                    budget, final = money[-2], money[-1]
                    at = text.find(sentence) + stated.start
                    where = _where(section, f"completion:{subject_key(text, at)}", index)
                    if budget.value == 0:
                        if final.value != 0 or stated.value != 0:
                            yield run.emit(
                                f"“{section.heading}”年初预算为 0，却称完成预算的 {stated.raw}",
                                actual=stated.value,
                                **where,
                            )
                        continue
                    expected = final.in_wan() / budget.in_wan() * HUNDRED
                    # a whole-number budget (预算 160 万元) is exact, not rounded to the 万元
                    budget_half = min(budget.half_unit, final.half_unit)
                    if abs(expected - stated.value) > _pct_tolerance(final, budget, stated, budget_half):
                        yield run.emit(
                            f"“{section.heading}”称完成（执行率） {stated.raw}，按 {fmt(final.value)}/{fmt(budget.value)} 计算应为 {expected:.2f}%",
                            expected=expected.quantize(Decimal("0.01")),
                            actual=stated.value,
                            **where,
                        )


def _subjects(doc: ParsedDocument) -> dict[str, Callable[[], set[Decimal]]]:
    """Subjects of the text and the table values (in 万元, as the text) they may be equal to."""

    def wan(table_id: str, item: LineItem | None) -> set[Decimal]:
        if item is None:
            return set()
        return {item.amount / TEN_THOUSAND if unit_of(doc, doc.table(table_id)) == "元" else item.amount}

    def column_totals(key: str) -> set[Decimal]:
        found: set[Decimal] = set()
        for table_id in ("final_expense", "final_gpb_expense", "budget_expense", "budget_gpb_expense"):
            found |= wan(table_id, total_item(doc.table(table_id), key))
        return found

    def labelled(table_id: str, labels: list[str]) -> set[Decimal]:
        return wan(table_id, find_item(doc.table(table_id), labels))

    def three_public(component: str) -> set[Decimal]:
        table = three_public_table(doc)
        return {a for side in three_public_figures(doc).values() if component in side
                for a in wan(table.id if table else "", side[component])}

    def economic(labels: list[str], codes: tuple[str, ...]) -> set[Decimal]:
        """The 合计 row of 06, or — when it is missing or unreadable — the sum
        of its 类 lines (人员经费 = 301 + 303; 公用经费 = 302 + 307 + 310 + 399)."""
        stated = labelled("final_gpb_basic", labels)
        table = doc.table("final_gpb_basic")
        if stated or table is None:
            return stated
        lines = [i for i in table.items if i.code in codes]
        first = {i.code: i for i in sorted(lines, key=lambda i: (i.row, i.column), reverse=True)}
        if not first:
            return set()
        total = sum((i.amount for i in first.values()), Decimal(0))
        return {total / TEN_THOUSAND if unit_of(doc, table) == "元" else total}

    return {
        "基本支出": lambda: column_totals("basic"),
        "项目支出": lambda: column_totals("project"),
        "人员经费": lambda: economic(["人员经费合计", "人员经费"], ("301", "303")),
        "公用经费": lambda: economic(["公用经费合计", "公用经费"], ("302", "307", "310", "399")),
        "因公出国(境)费": lambda: three_public("abroad"),
        "公务接待费": lambda: three_public("reception"),
        "公务用车购置费": lambda: three_public("vehicle_purchase"),
        "公务用车运行维护费": lambda: three_public("vehicle_operation"),
    }


_CHANGE = re.compile(r"增加|减少|增长|下降|上年|较|调整|节约")


@document_rule("narrative.amount", Category.NARRATIVE, Severity.MEDIUM, "说明中金额与表不符")
def amounts(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """An amount stated right after a known subject (基本支出 611.70 万元) must
    be one of the values the tables give that subject."""
    subjects = _subjects(doc)
    aliases = {"因公出国(境)": "因公出国(境)费", "公务用车购置": "公务用车购置费", "公务用车运行维护": "公务用车运行维护费"}
    names = sorted(set(subjects) | set(aliases), key=len, reverse=True)
    tolerance = run.tolerances("万元")
    for section in doc.sections:
        for p_index, text in enumerate(paragraphs(section)):
            for number in numbers(text):
                if not number.is_money:
                    continue
                printed = text[max(0, number.start - 14) : number.start]
                printed = printed[max(printed.rfind(c) for c in "，,；;。:：") + 1 :]
                lead = re.sub(r"(支出)?(决算数?|预算数?)?(为|是|共计|合计)?\s*$", "", printed.rstrip())
                # 基本支出决算 611.70 leaves 基本; 政府采购项目预算为 465.49 names no 项目支出
                subject = next((s for s in names if lead.endswith(s) or (lead.endswith(s.removesuffix("支出")) and s in printed)), None)
                if subject is None or _CHANGE.search(lead):
                    continue  # 增加公务接待费 0.5 万元 is a change, not the amount
                values = subjects[aliases.get(subject, subject)]()
                if not values or any(abs(number.in_wan() - v) <= tolerance * 2 for v in values):
                    continue
                expected = min(values, key=lambda v: abs(v - number.in_wan()))
                yield run.emit(
                    f"“{section.heading}”称{subject} {number.raw}，表中为 {fmt(expected)} 万元",
                    expected=expected,
                    actual=number.in_wan(),
                    **_where(section, aliases.get(subject, subject), p_index),
                )
