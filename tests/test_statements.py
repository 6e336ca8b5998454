"""Narrative statements: numbers with their rounding intervals, the statements read from passages,
and the primitives that judge them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from docbuilder import build
from openlint.judge import primitives as P  # noqa: F401  (registers every primitive family first)
from openlint.judge import statements as JS
from openlint.judge.context import Context
from openlint.model import Location, Paragraph
from openlint.understand import statements as S
from openlint.understand.catalog import load_catalog
from openlint.understand.statements.change import _topic

CATALOG = load_catalog()
LOC = Location("t.txt")


def passage(text: str) -> S.Passage:
    return S.Passage(S.compact(text), LOC)


def ctx_of(text: str) -> Context:
    return Context(build(text), CATALOG)


# ---- numbers and intervals ----

@pytest.mark.parametrize("text, value, half", [
    ("12.50万元", Decimal("125000"), Decimal("50")),
    ("1,234.5万元", Decimal("12345000"), Decimal("500")),
    ("3,296,600元", Decimal("3296600"), Decimal("0.5")),
    ("10万元", Decimal("100000"), Decimal("5000")),
    ("0.39 万（含外宾）", Decimal("3900"), Decimal("50")),
    ("1.5亿元", Decimal("150000000"), Decimal("5000000")),
])
def test_amounts_carry_their_rounding(text, value, half):
    (a,) = S.amounts_in(S.compact(text))
    assert (a.value, a.half) == (value, half)
    assert a.lo == value - half and a.hi == value + half


def test_not_amounts():
    assert S.amounts_in("共有车辆8辆，10万人次，2024年") == []
    assert S.amounts_in("XXX万元") == []


def test_counts_are_whole_numbers_with_a_measure_word():
    found = S.counts_in("共有车辆5辆，设备2台(套)、818台/套，接待2批次、26人次，1,234人。")
    assert [(c.value, c.measure) for c in found] == [
        (5, "辆"), (2, "台（套）"), (818, "台/套"), (2, "批次"), (26, "人次"), (1234, "人")]
    assert (found[0].lo, found[0].hi, found[0].half) == (5, 5, 0)  # exact: no rounding
    # a count ends its item: "2个项目" names its things after the figure; no decimals, years or amounts
    assert S.counts_in("2个项目，1.5人，2024年，100万元") == []
    assert S.fmt_amount(Decimal(4), found[0]) == "4辆"


def test_full_width_digits_and_spaces():
    (a,) = S.amounts_in(S.compact("１２ . ５０ 万元"))
    assert a.value == Decimal("125000")


def test_percent_accepts_rounded_or_truncated():
    (p,) = S.percents_in("增长12.34%")
    assert p.half == Decimal("0.005") and p.decimals == 2
    assert p.accepts(Decimal("0.12336"), Decimal("0.12336"))  # rounds to 12.34
    assert p.accepts(Decimal("0.123449"), Decimal("0.123449"))  # truncates to 12.34
    assert not p.accepts(Decimal("0.1236"), Decimal("0.1237"))
    assert not p.accepts(Decimal("0.1232"), Decimal("0.1233"))
    (whole,) = S.percents_in("增加28%")
    assert whole.decimals == 0 and whole.accepts(Decimal("0.2751"), Decimal("0.2751"))
    # "2.60%": perhaps one decimal written to two places; 4.68 ÷ 180.73 = 2.5895% is its 2.6%
    (padded,) = S.percents_in("增长2.60%")
    assert not padded.accepts(Decimal("0.025895"), Decimal("0.025895"))
    assert padded.coarser().accepts(Decimal("0.025895"), Decimal("0.025895"))
    assert S.percents_in("增长2.61%")[0].coarser() is None and S.percents_in("增长2.6%")[0].coarser() is None


def test_ratio_range_and_zero_denominator():
    a = S.parse_amount_text("1.00万元")
    b = S.parse_amount_text("2.00万元")
    lo, hi = S.ratio_range(a, b)
    assert lo < Decimal("0.5") < hi
    zero = S.parse_amount_text("0万元")
    assert S.ratio_range(a, zero)[1] == Decimal("Infinity")


def test_formatting():
    a = S.parse_amount_text("1.00万元")
    assert S.fmt_amount(Decimal("123456"), a) == "12.35万元"
    assert S.fmt_percent(Decimal("0.10"), 2) == "10.00%"


# ---- passages ----

def test_passages_join_text_cut_by_a_page_break():
    doc = build("上海市某某局2024年度部门决算\n本年收入合计2946.25万元，其中：事业收入\n262.00万元；其他收入0.00万元。\n1、下一项。")
    texts = [p.text for p in S.passages(doc)]
    assert "本年收入合计2946.25万元，其中：事业收入262.00万元；其他收入0.00万元。" in texts
    assert "1、下一项。" in texts


def test_passages_do_not_join_titles_or_new_items():
    doc = build("上海市某某局2024年度部门决算\n一般公共预算财政拨款支出决算具体情况\n1、一般公共服务支出（类）财政事务（款）行政运行（项）。")
    texts = [p.text for p in S.passages(doc)]
    assert texts[-1].startswith("1、")


def test_passages_join_a_heading_cut_before_its_xiang():
    doc = build("上海市某某局2024年度部门决算\n### 5、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休\n"
                "（项）。主要用于：退休人员经费支出。\n6、下一项。")
    texts = [p.text for p in S.passages(doc)]
    assert "5、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。主要用于：退休人员经费支出。" in texts
    assert texts[-1] == "6、下一项。"


def test_notes_are_not_narrative():
    doc = build("上海市某某局2024年度部门决算\n[表] 收入决算表\n| 项目 | 合计 |\n| 合计 | 1.00 |\n注：上年为1.00万元，本年为2.00万元，比上年增加1.00%。")
    assert not any("增加" in p.text for p in S.passages(doc))


# ---- statements ----

def test_change_with_both_years():
    (c,) = S.changes(passage("2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。"), 2026)
    assert (c.before.text, c.after.text, c.rate.text, c.direction) == ("1690.69万元", "1672.67万元", "1.07%", S.DOWN)
    assert c.quote == "比2025年预算执行数减少1.07%"
    assert c.before_label == "2025年" and c.after_label == "2026年"


def test_change_with_relative_years():
    (c,) = S.changes(passage("上年为100.00万元，本年安排110.00万元，比上年增加12.50%。"), 2026)
    assert (c.before.text, c.after.text) == ("100.00万元", "110.00万元")
    assert (c.before_label, c.after_label) == ("上年", "本年")


def test_change_with_amount_before_comparison():
    (c,) = S.changes(passage("机关运行经费支出142.80万元，比2023年度减少13.52万元，下降8.65%。"), 2024)
    assert c.before is None and c.after.text == "142.80万元"
    assert (c.delta.text, c.rate.text, c.direction, c.rate_direction) == ("13.52万元", "8.65%", S.DOWN, S.DOWN)


def test_change_subject_in_the_previous_sentence():
    text = "本局收入支出总计9859.38万元。与2023年度相比，收入支出总计增加1062.85万元，增长12.08%。"
    (c,) = S.changes(passage(text), 2024)
    assert c.after.text == "9859.38万元" and c.delta.text == "1062.85万元"


def test_change_base_in_the_previous_sentence():
    (c,) = S.changes(passage("上年预算为1,134.56万元。本年安排1,234.56万元，比上年增长8.81%。"), 2026)
    assert (c.before.text, c.after.text, c.rate.text) == ("1,134.56万元", "1,234.56万元", "8.81%")


def test_change_amount_in_the_previous_sentence():
    (c,) = S.changes(passage("（三）公务接待费1.00万元。比2024年预算增加0.20万元，增长25.00%。"), 2025)
    assert c.before is None and c.after.text == "1.00万元" and c.delta.text == "0.20万元"


def test_change_both_years_in_the_previous_sentence():
    (c,) = S.changes(passage("2025年预算为1,234.56万元，2024年预算为1,134.56万元。比2024年增长8.81%。"), 2025)
    assert (c.before.text, c.after.text, c.after_label) == ("1,134.56万元", "1,234.56万元", "2025年")


@pytest.mark.parametrize("text", [
    "上年收入为1,134.56万元。本年支出安排1,234.56万元，比上年增长8.81%。",  # another subject
    "上年预算为1,134.56万元，与2024年持平。本年安排1,234.56万元，比上年增长8.81%。",  # a change between
    "上年预算为1,134.56万元。其他。本年安排1,234.56万元，比上年增长8.81%。",  # not the sentence right before
    "本年预算为1,134.56万元。本年安排1,234.56万元，比上年增长8.81%。",  # not the compared year
    "上年预算为1,134.56万元，主要用于办公。本年安排1,234.56万元，比上年增长8.81%。",  # not ending the sentence
])
def test_change_base_not_taken_from_the_previous_sentence(text):
    c = S.changes(passage(text), 2026)[-1]
    assert c.before is None and c.after.text == "1,234.56万元"


@pytest.mark.parametrize("text", [
    "2025年收入预算1,234.56万元。支出比2024年预算增加100.00万元。",  # a subject of its own
    "2025年收入预算1,234.56万元，支出预算1,200.00万元。比2024年预算增加100.00万元。",  # two amounts
    "2024年收入预算1,134.56万元。比2024年预算增加100.00万元。",  # the compared year's amount
    "2023年收入预算1,134.56万元。比2024年预算增加100.00万元。",  # another year's amount
    "2024年收入为1,134.56万元，2025年支出为1,234.56万元。比2024年增加100.00万元。",  # two subjects
])
def test_change_amount_not_taken_from_the_previous_sentence(text):
    (c,) = S.changes(passage(text), 2025)
    assert c.before is None and c.after is None


def test_change_not_paired_with_the_compared_years_amount():
    # the first "预算…万元" / "收入支出总计…万元" of the sentence before is the compared year's
    text = "2024年“三公”经费预算为12.50万元，2025年“三公”经费预算为10.00万元。比2024年预算减少2.50万元，下降20.00%。"
    (c,) = S.changes(passage(text), 2025)
    assert (c.before.text, c.after.text) == ("12.50万元", "10.00万元")
    text = "2024年度收入支出总计100.00万元，2025年度收入支出总计110.00万元。与2024年度相比，收入支出总计增加10.00万元，增长11.11%。"
    (c,) = S.changes(passage(text), 2025)
    assert c.after.text == "110.00万元"


def test_change_not_paired_with_an_earlier_change():
    # "与2019年相比增加540.23万元": a change, not 2019's amount
    text = "2020年收入总计1614.63万元，与2019年相比增加540.23万元，增长50.28%；支出总计1870.91万元，与2019年相比增加633.43万元，增长51.19%。"
    first, second = S.changes(passage(text), 2020)
    assert (first.before, first.after.text) == (None, "1614.63万元")
    assert (second.before, second.after.text) == (None, "1870.91万元")


def test_change_with_the_base_amount_in_the_comparison():
    (c,) = S.changes(passage("公务接待支出124万元，比上年累计支出148万元下降24万元，下降16%。"), 2020)
    assert (c.before.text, c.after.text, c.delta.text, c.rate.text) == ("148万元", "124万元", "24万元", "16%")
    (c,) = S.changes(passage("公务接待费2025年预算1969万元，较2024年的2190万元减少221万元。"), 2025)
    assert (c.before.text, c.after.text, c.before_label) == ("2190万元", "1969万元", "2024年")


def test_second_comparison_of_the_same_amount():
    text = "“三公”经费支出共计9.07万元，较年初预算数减少10.93万元，下降54.65%，较上年支出数减少0.71万元，下降7.26%。"
    (c,) = S.changes(passage(text), 2021)
    assert (c.after.text, c.delta.text, c.rate.text) == ("9.07万元", "0.71万元", "7.26%")
    # an amount between that is no comparison's: not paired
    (c,) = S.changes(passage("支出9.07万元，其中人员经费5.00万元，较上年减少0.71万元。"), 2021)
    assert c.after.text == "5.00万元"


def test_change_after_a_list_of_two_parts_is_not_paired():
    # the total's change or the last part's: the words do not say (here the total's: 37.3 − 27.1 = 10.2, +265.6%)
    text = "事业运行经费总预算安排37337407.64元，其中：基本支出预算488180.64元，项目支出预算36849227元，同比增加27125219.46元，增长265.6%。"
    (c,) = S.changes(passage(text), 2025)
    assert c.after is None and c.before is None and c.rate.text == "265.6%"
    # a part with a change of its own is still its own
    text = "基本支出预算881300.39元，其中：工资福利支出716052.51元，同比减少148979.48元；商品和服务支出165247.88元，同比减少17291.92元。"
    first, second = S.changes(passage(text), 2023)
    assert (first.after.text, second.after.text) == ("716052.51元", "165247.88元")


def test_bi_jiao_names_no_compared_year():
    # 经比较2020年度……: the year the figures are of, not one compared with
    text = "经比较2020年度镇本级“三公”经费41万元，较上年减少19万元，下降31.67%，较年初预算数减少4万元。"
    (c,) = S.changes(passage(text), 2020)
    assert (c.before_label, c.after.text, c.delta.text) == ("上年", "41万元", "19万元")


def test_rate_in_brackets():
    (c,) = S.changes(passage("公务接待费2.30万元，较上年减少1.5万元（39.47%），主要原因是厉行节约。"), 2019)
    assert (c.rate.text, c.quote) == ("39.47%", "较上年减少1.5万元（39.47%）")


def test_one_character_directions_and_rate_words():
    (c,) = S.changes(passage("商品和服务支出17.10万元，较上年减0.04万元，增0.01%。"), 2020)
    assert (c.direction, c.delta.text, c.rate.text, c.rate_word) == (S.DOWN, "0.04万元", "0.01%", "增")
    (c,) = S.changes(passage("2018年基本支出预算较上年增59.11万元，增幅22%。"), 2018)
    assert (c.direction, c.rate.text, c.rate_word) == (S.UP, "22%", "增幅")
    (c,) = S.changes(passage("公务接待费2016年预算8万元，2015年预算12.5万元，对比减少4.35万元，减少率35.22%。"), 2016)
    assert (c.before.text, c.after.text, c.delta.text, c.rate.text) == ("12.5万元", "8万元", "4.35万元", "35.22%")
    # "新增" before an amount is no comparison's direction
    assert S.changes(passage("本年新增资金100万元。"), 2018) == []


def test_same_period_comparison():
    (c,) = S.changes(passage("公务用车运行维护费支出664.60万元，同比增加53.81万元，增长8.81%。"), 2020)
    assert (c.before_label, c.after.text, c.delta.text, c.rate.text) == ("上年", "664.60万元", "53.81万元", "8.81%")
    (c,) = S.changes(passage("收入10.00万元，与上年同比增加1.00万元。"), 2020)  # one change, not two
    assert c.quote == "与上年同比增加1.00万元"


def test_topic_leaves_out_year_org_and_common_words():
    assert _topic("上海市某局2024年度收入支出总计") == "收入支出"
    assert _topic("（三）公务接待费") == "公务接待费"
    assert _topic("2022年当年预算执行数为") == "" and _topic("上年预算为") == ""


def test_change_without_its_amount():
    (c,) = S.changes(passage("“三公”经费支出决算数比2023年度减少0.15万元，下降（增长）27.78%。"), 2024)
    assert c.after is None and c.rate_direction is None  # the template leftover leaves the direction open


def test_flat_and_roughly_flat():
    (c,) = S.changes(passage("政府性基金拨款支出预算0万元，与2024年预算持平。"), 2025)
    assert c.direction == S.FLAT and c.after.text == "0万元"
    (rough,) = S.changes(passage("决算数与2023年度基本持平。"), 2024)
    assert (rough.direction, rough.approximate, rough.word) == (S.FLAT, True, "基本持平")
    ctx = ctx_of("上海市某某局2026年部门预算\n上年预算为10.00万元，本年预算安排10.50万元，与上年基本持平。")
    (check,) = JS.stated_changes(ctx)
    assert check.direction_ok and Decimal("0.0489") < check.spread < Decimal("0.05")  # (10.495 − 10.005) ÷ 10.005
    assert check.actual == "增加5.00%"


def test_completion_and_other_budget():
    (p,) = S.completions(passage("年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。"))
    assert (p.budget_label, p.budget.text, p.final.text) == ("年初预算", "0万元", "307.82万元")
    assert [label for _, label in p.others] == ["全年预算"]


def test_completion_scoped_to_its_item():
    text = ("“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中："
            "因公出国（境）费决算为0.00万元，完成预算的0.00%；公务接待费支出决算为0.39万元，完成预算的13.68%。")
    found = S.completions(passage(text))
    assert len(found) == 1 and found[0].budget.text == "2.85万元"


def test_a_clause_opening_with_its_reason_answers_for_the_change_before():
    text = "与2023年度相比，收入支出总计增加1062.85万元，增长12.08%。主要原因：项目支出增加，较上年增加1133.95万元，主要由于装修。"
    first, second = S.changes(passage(text), 2024)
    assert first.reason.startswith("主要原因") and second.reason
    # a cause stated before another change is that change's own
    first, _ = S.changes(passage("A比上年增加1.00万元。由于人员增加，B比上年增加2.00万元。"), 2024)
    assert first.reason == ""


def test_variances_and_their_answers():
    (v,) = S.variances(passage("年初预算为135.90万元，支出决算为120.25万元，完成年初预算的88.48%。"))
    assert (v.budget.text, v.budget_label, v.final.text, v.explained) == ("135.90万元", "年初预算", "120.25万元", False)
    (v,) = S.variances(passage("年初预算为135.90万元，支出决算为120.25万元。决算数小于预算数的主要原因：项目延期。"))
    assert v.explained
    # the budget in the sentence before; the reason in the next paragraph, unless it starts an item
    (v,) = S.variances(passage("全年预算为9.00万元。支出决算为6.18万元。"), "主要是人员减少。")
    assert (v.budget_label, v.explained) == ("全年预算", True)
    (v,) = S.variances(passage("全年预算为9.00万元，支出决算为6.18万元。"), "2、行政运行（项）。主要用于：人员支出。")
    assert not v.explained


def test_variances_need_a_difference_beyond_rounding_from_every_budget():
    assert S.variances(passage("年初预算为52.0万元，支出决算为51.98万元。")) == []  # 52.0 stands for 51.95–52.05
    assert S.variances(passage("年初预算为0万元，全年预算为321.02万元，支出决算为321.02万元。")) == []
    assert S.variances(passage("年初预算为10.00万元，年初预算为12.00万元，支出决算为11.00万元。")) == []  # whose is which?
    # a 决算 and a 预算 of different years; the 决算 of the year compared with is none of the item's
    assert S.variances(passage("2010年决算649.13万元，2011年预算551.59万元。")) == []
    (v,) = S.variances(passage("预算数为43.48万元，决算支出数为63.06万元，较2022年决算数13.8万元增加49.26万元。"))
    assert v.final.text == "63.06万元"


def test_variance_answers_shared_or_not():
    # parts without reasons of their own share the reason after them; one part's own reason is its own
    text = "支出决算为62.07万元，完成全年预算84.82万元的73.2%。其中：公务接待费支出决算为22.59万元，完成预算43.2万元的52.3%。"
    assert all(v.explained for v in S.variances(passage(text), "决算小于预算数的主要情况：从严控制开支。"))
    text = "年初预算为5.00万元，支出决算为4.00万元；年初预算为8.00万元，支出决算为6.00万元，主要原因是人员减少。"
    assert [v.explained for v in S.variances(passage(text))] == [False, True]
    # 持平 answers only when it is the 预算 that the 决算 is level with
    (v,) = S.variances(passage("年初预算为0.95万元，支出决算为0.00万元。"), "决算数与2023年度持平。")
    assert not v.explained
    (v,) = S.variances(passage("年初预算为10.00万元，支出决算为10.10万元，决算数与预算数基本持平。"))
    assert v.explained


def test_relations():
    (r,) = S.relations(passage("年初预算为80.81万元，支出决算为80.38万元。决算数大于预算数的主要原因：……"))
    assert (r.relation, r.budget.text, r.final.text) == (S.UP, "80.81万元", "80.38万元")
    assert S.relations(passage("年初预算为XXX万元。决算数大于（小于）预算数的主要原因：")) == []
    (near,) = S.relations(passage("年初预算为10.00万元，支出决算为10.10万元。决算数与预算数基本持平。"))
    assert (near.relation, near.approximate) == (S.FLAT, True)


def test_shares_need_the_whole_in_the_sentence():
    (s1, s2) = S.shares(passage("本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。"))
    assert (s1.base.text, s1.part.text, s1.rate.text) == ("9759.38万元", "5377.64万元", "55.10%")
    assert s2.part.text == "4381.74万元"
    assert S.shares(passage("一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。")) == []


PROCUREMENT = ("2024年度本部门政府采购支出总额100.00万元，其中：政府采购货物支出20.00万元、政府采购服务支出80.00万元。"
               "授予中小企业合同金额110.00万元，占政府采购支出总额的90.00%，其中：授予小微企业合同金额120.00万元，"
               "占授予中小企业合同金额的100%。")


def test_shares_of_a_whole_named_before_in_the_passage():
    first, second = S.shares(passage(PROCUREMENT))
    assert (first.base_name, first.base.text, first.part.text, first.rate.text) == (
        "政府采购支出总额", "100.00万元", "110.00万元", "90.00%")
    assert first.quote == "授予中小企业合同金额110.00万元，占政府采购支出总额的90.00%"
    assert (second.base_name, second.base.text, second.part.text) == ("授予中小企业合同金额", "110.00万元", "120.00万元")
    # the organisation, the year and the copula are no part of the name
    (s,) = S.shares(passage("上海市某局2024年度政府采购金额（以合同签订为准）为251.25万元。授予中小企业合同金额"
                            "125.63万元，占政府采购金额的比例为50.00%。"))
    assert (s.base_name, s.base.text) == ("政府采购金额", "251.25万元")


@pytest.mark.parametrize("text", [
    "一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。",  # not named in the passage
    "2023年政府采购支出总额90.00万元，2024年政府采购支出总额100.00万元。授予中小企业合同金额80.00万元，"
    "占政府采购支出总额的80.00%。",  # the name stands for two amounts
    "一般公共预算财政拨款支出合计120.00万元。基本支出60.00万元，占支出合计的50.00%。",  # a narrower whole
    "政府采购支出总额100.00万元，比上年增加10.00万元，占政府采购支出总额的10.00%。",  # a change is no part
])
def test_shares_of_a_named_whole_need_one_amount_of_that_name(text):
    assert S.shares(passage(text)) == []


def test_shares_of_a_whole_named_with_its_organisation_in_front():
    text = ("2022年上犹县寺下镇人民政府收入预算总额为7783.26万元，比上年收入预算总额增加7122.54万元，原因是：本年增加了"
            "其他资金预算7000万元。其中：财政拨款收入751.8万元，占收入预算总额的9.7%；其他收入7000万元，占收入预算总额的90.3%。")
    assert [(s.base.text, s.base_name) for s in S.shares(passage(text))] == [("7783.26万元", "收入预算总额")] * 2
    # a narrower scope in front is another whole
    assert S.shares(passage("一般公共预算财政拨款支出合计120.00万元。基本支出60.00万元，占支出合计的50.00%。")) == []


def test_stated_shares_of_a_named_whole_judged_and_compared_with_it():
    ctx = ctx_of("上海市某某局2024年度部门决算\n" + PROCUREMENT + "\n"
                 "政府采购支出总额50.00万元。授予中小企业合同金额55.00万元，占政府采购支出总额的110.00%。")
    wrong_and_larger, larger, consistent_but_larger = JS.stated_shares(ctx)
    assert not wrong_and_larger.ok and wrong_and_larger.exceeds
    assert wrong_and_larger.explanation == "应为110.00%，所占金额大于总额"
    assert larger.explanation == "应为109.09%，所占金额大于总额"
    assert consistent_but_larger.ok and consistent_but_larger.exceeds
    assert consistent_but_larger.explanation == "占比超过100%，所占金额大于总额"


def test_shares_stop_at_a_nested_breakdown():
    found = S.shares(passage("支出合计100.00万元，其中：基本支出60.00万元，占60.00%，其中人员经费50.00万元，占83.33%。"))
    assert [s.rate.text for s in found] == ["60.00%"]


def test_share_lists_are_runs_of_shares_with_no_whole_stated():
    (listed,) = S.share_lists(passage("“三公”经费支出决算中，因公出国（境）费0万元，占0%；公务用车购置及运行维护费"
                                      "4.02万元，占89.33%，比上年增加0.05万元；公务接待费7.94万元，占39.7%。"))
    assert [(label, part.text, rate.text) for label, part, rate in listed.items] == [
        ("因公出国（境）费", "0万元", "0%"), ("公务用车购置及运行维护费", "4.02万元", "89.33%"),
        ("公务接待费", "7.94万元", "39.7%")]  # a change between two parts does not end the list
    assert listed.quote.startswith("因公出国（境）费0万元") and listed.quote.endswith("39.7%")


@pytest.mark.parametrize("text, runs", [
    ("支出中，基本支出60万元，占60%，其中人员经费50万元，占83%。", []),  # a 其中 opens another whole
    ("支出中，基本支出60万元，占60%，主要包括人员经费50万元，占83%。", []),  # … and so does 主要包括
    ("支出中，本年基本支出60万元，占60%，上年为50万元，占45%。", []),  # another year
    ("决算中，收入100万元，财政拨款90万元，占90%；支出50万元，基本支出40万元，占80%。", []),  # amounts between
    ("决算中，A费2万元，占年初预算的95%；B费3万元，占年初预算批复数的98%。", []),  # completion rates
    ("支出中，A费2万元，占货物的5%；B费3万元，占服务的8%。", []),  # two named wholes
    ("货物、工程、服务分别为2万元、3万元和5万元，占比分别为20%、30%和50%。", []),  # listed respectively
    ("授予中小企业合同金额90万元，占90%；授予小微企业合同金额30万元，占33.33%。", []),  # not led in as parts
    ("支出中，A费2万元，占10%；B费3万元，占15%；C费1万元（占5%）。", [2]),  # an aside is no item
])
def test_share_lists_end_where_the_whole_may_change(text, runs):
    assert [len(run.items) for run in S.share_lists(passage(text))] == runs


def test_share_lists_judged_by_the_whole_each_item_stands_for():
    ctx = ctx_of("某县某局2023年度部门决算\n"
                 "“三公”经费决算中，公务接待费支出0.53万元，占69%；公务用车运行维护费1.18万元，占31%。\n"
                 "“三公”经费决算中，公务接待费支出0.53万元，占31%；公务用车运行维护费1.18万元，占69%。\n"
                 "“三公”经费决算中，公务接待费支出0.53万元，占0%；公务用车运行维护费1.18万元，占100%。\n"
                 "本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。")
    swapped, right, zero = JS.share_lists(ctx)  # the last list's whole is stated: NAR-006 judges it
    assert not swapped.ok and swapped.explanation == ("公务接待费支出0.53万元÷69%≈0.77万元，"
                                                      "公务用车运行维护费1.18万元÷31%≈3.81万元")
    assert right.ok  # 0.53 ÷ 31% ≈ 1.71 and 1.18 ÷ 69% ≈ 1.71
    assert not zero.ok and "0.53万元却占0%" in zero.explanation


def test_repeats():
    text = "12、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）208.8万元。主要用于：公积金。2025年当年预算执行数为198.34万元，2026年预算安排201.50万元。"
    (r,) = S.repeats(passage(text), 2026)
    assert (r.head.text, r.again.text) == ("208.8万元", "201.50万元")
    assert S.repeats(passage(text), 2025) == []  # "2026年预算安排" is not the document's year


def test_repeats_of_an_unnumbered_item_that_opens_with_its_path():
    text = ("“社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位职业年金缴费支出（项）”257.14万元，主要用于："
            "缴纳职业年金。年初预算为274.82万元，支出决算为245.53万元。")
    (r,) = S.repeats(passage(text), 2025)
    assert (r.head.text, r.again.text) == ("257.14万元", "245.53万元")
    # a sentence that lists 类 with their amounts is no item
    text = "主要用于以下方面：城乡社区支出（类）15411.43万元，占76.23%；住房保障支出（类）1076.78万元。支出决算为20218.21万元。"
    assert S.repeats(passage(text), 2025) == []
    assert S.repeats(passage("城乡社区支出（类）15411.43万元，占76.23%；住房保障支出（类）1076.78万元。支出决算为1.00万元。"), 2025) == []


def test_named_changes_take_the_amount_given_before_under_the_same_name():
    names = {"公务用车购置及运行维护费支出决算": [S.parse_amount_text("19.56万元")]}
    text = ("2025年度“三公”经费财政拨款支出决算数比2024年度减少3.59万元，下降15.31%，其中：公务用车购置及运行维护费"
            "支出决算减少3.59万元，下降15.31%；公务接待费支出决算增加0.3万元，增长100%。")
    (c,) = S.named_changes(passage(text), lambda name: names.get(name, []))
    assert (c.after.text, c.delta.text, c.rate.text, c.direction) == ("19.56万元", "3.59万元", "15.31%", S.DOWN)
    assert not JS._check_change(c).rate_ok  # 3.59 ÷ (19.56 + 3.59) = 15.51%
    # the amount earlier in the same passage; a change read with its comparison is not read again
    (c,) = S.named_changes(passage("公务接待费支出决算为0.3万元。其中：公务接待费支出决算增加0.3万元，增长100%。"), lambda n: [])
    assert JS._check_change(c).from_nothing
    assert S.named_changes(passage("收入支出总计为100万元。与2023年度相比，收入支出总计减少5万元，下降4.76%。"), lambda n: []) == []


def test_repeats_in_a_final_account():
    text = "15.机关事业单位职业年金缴费支出（项）269.85万元，主要用于：缴纳职业年金。年初预算为285.33万元，支出决算为269.86万元。"
    (r,) = S.repeats(passage(text), 2025)
    assert (r.measure, r.head.text, r.again.text) == ("决算", "269.85万元", "269.86万元")
    assert S.repeats(passage("1.行政运行（项）10.00万元。上年支出决算为9.00万元。"), 2025) == []
    check = JS._check_repeat(r)
    assert (check.ok, check.near) == (False, True)  # the same precision: a slip, if only of the last digit
    (r,) = S.repeats(passage("1.行政运行（项）208.8万元。2026年预算安排208.80万元。"), 2026)
    assert JS._check_repeat(r).ok  # to other precisions: equal within rounding


def test_class_mentions():
    text = "1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。2、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元；主要用于以下方面：社会保障和就业支出（类）754.75万元。"
    found = S.class_mentions(passage(text))
    assert [m.names for m in found] == [
        ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行"),
        ("公共安全支出", "司法", "行政运行"),
        ("社会保障和就业支出",),
    ]
    assert found[1].codes == ("204", "06", "01")
    (m,) = S.class_mentions(passage("3.节能环保支出（类）环境保护管理事务（款）环境保护法规、规划及标准（项），主要用于规划编制。"))
    assert m.names[-1] == "环境保护法规、规划及标准"  # an official name with a 、 in it
    (m,) = S.class_mentions(passage("18.社会保障和就业支出(类)行政事业单位养老支出(款)其他行政事业单位养老支出(项)4.84万元。"))
    assert m.names == ("社会保障和就业支出", "行政事业单位养老支出", "其他行政事业单位养老支出")  # half-width brackets


def test_extract_reads_every_kind_once():
    doc = build("上海市某某局2024年度部门决算\n机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。\n"
                "年初预算为62.29万元，支出决算为60.99万元，完成年初预算的97.91%。决算数小于预算数的主要原因：……")
    st = S.extract(doc, 2024)
    assert (len(st.changes), len(st.completions), len(st.relations)) == (1, 1, 1)


# ---- primitives ----

def test_stated_changes_judged_with_intervals():
    ctx = ctx_of("上海市某某局2026年部门预算\n"
                 "上年为100.00万元，本年安排110.00万元，比上年增加12.50%。\n"
                 "上年为0.50万元，本年安排0.62万元，比上年增加22.22%。\n")
    wrong, right = JS.stated_changes(ctx)
    assert not wrong.rate_ok and wrong.expected_rate == "增加10.00%" and wrong.basis == "上年100.00万元、本年110.00万元"
    assert right.rate_ok
    assert P.get_attribute(ctx, wrong, "quote") == "比上年增加12.50%"


def test_stated_changes_from_amount_and_delta():
    ctx = ctx_of("上海市某某局2024年度部门决算\n本局收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。\n"
                 "支出预算0万元，比2023年预算增加10.00万元。")
    right, impossible = JS.stated_changes(ctx)
    assert right.rate_ok and right.delta_ok
    assert not impossible.delta_ok and "负数" in impossible.expected_delta


def test_stated_changes_same_statement_once_per_paragraph():
    ctx = ctx_of("上海市某某局2025年部门预算\n支出预算9.00万元，比2024年预算增加1.00万元。一般公共预算支出预算9.00万元，比2024年预算增加1.00万元。")
    assert len(JS.stated_changes(ctx)) == 1


def test_completion_rates_with_the_other_budget_are_warnings():
    ctx = ctx_of("上海市某某局2024年度部门决算\n年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。")
    (p,) = JS.completion_rates(ctx)
    assert not p.ok and p.severity.value == "warning" and "全年预算321.02万元" in p.hint


def test_budget_relations_and_shares_and_repeats():
    ctx = ctx_of("上海市某某局2024年度部门决算\n年初预算为62.29万元，支出决算为60.99万元。决算数等于预算数的主要原因：……\n"
                 "支出合计2940.05万元，其中：一般公共服务支出2106.66万元，占71.73%。")
    (r,) = JS.budget_relations(ctx)
    assert not r.ok and r.actual == "决算数小于预算数"
    (s,) = JS.stated_shares(ctx)
    assert not s.ok and s.expected == "71.65%"
    assert JS.repeated_amounts(ctx) == []


def test_roughly_equal_relations_carry_the_least_spread_the_rounding_allows():
    ctx = ctx_of("上海市某某局2024年度部门决算\n年初预算为100.00万元，支出决算为90.00万元。决算数与预算数基本持平。\n"
                 "年初预算为0.00万元，支出决算为1.00万元。决算数与预算数基本持平。")
    near, from_nothing = JS.budget_relations(ctx)
    assert near.ok and near.item.approximate
    assert Decimal("0.0998") < near.spread < Decimal("0.1")  # (99.995 − 90.005) ÷ 100.005
    assert near.actual == "决算数小于预算数，相差10.00%"
    assert from_nothing.spread > 1


def test_compared_years_once_per_paragraph():
    ctx = ctx_of("上海市某某局2026年部门预算\n收入9.00万元，比2026年预算增加1.00万元；支出9.00万元，比2026年预算增加1.00万元，与2026年预算持平。")
    (y,) = JS.compared_years(ctx)
    assert y.year == 2026


def test_statements_read_once_per_document():
    ctx = ctx_of("上海市某某局2026年部门预算\n上年为1.00万元，本年安排2.00万元，比上年增加100.00%。")
    assert JS.document_statements(ctx) is JS.document_statements(ctx)
    assert JS.stated_changes(ctx) is JS.stated_changes(ctx)


def test_paragraph_model_untouched():
    # statements never change the document model
    para = Paragraph("上年为1.00万元", LOC)
    assert S.compact(para.text) == "上年为1.00万元"


# ---- the real documents in tests/fixtures (each finding confirmed against the PDF text) ----

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "pdf"


def _narrative_findings(name: str) -> list[tuple[str, str]]:
    from openlint.judge.engine import check_document, load_rules
    from openlint.read import read_document

    ruleset = load_rules()
    found = check_document(read_document(str(FIXTURES / name)), ruleset)
    return sorted((f.rule_id, f.message) for f in found if f.rule_id.startswith("NAR"))


def test_fixture_planted_errors_are_found():
    found = _narrative_findings("shanghai-putuo-finance-bureau-2024-dept-final-accounts-MODIFIED-test-errors.pdf")
    # NAR-009: the PDF's own 尾差 (4.79 + 0 + 246.47 = 251.26 against 251.25), a note
    assert [rule for rule, _ in found] == ["NAR-001", "NAR-005", "NAR-005", "NAR-005", "NAR-006", "NAR-009"]
    assert "本年0万元" in found[0][1] and "应为减少100.00%" in found[0][1]
    assert "2106.66万元，占71.73%" in found[4][1]
    assert "属尾差" in found[5][1]


def test_fixture_correct_statements_are_quiet():
    # 37 change, completion and share statements on these pages are right; only the two wrong ones are reported
    found = _narrative_findings("shanghai-putuo-wanli-subdistrict-2024-dept-budget.pdf")
    assert [rule for rule, _ in found] == ["NAR-001", "NAR-007"]
    found = _narrative_findings("shanghai-putuo-cpc-social-work-dept-2024-dept-final-accounts.pdf")
    # the unit was set up in 2024: its four "增长100.00%" grew from nothing (warnings, by convention)
    zero = [message for rule, message in found if rule == "NAR-001"]
    assert len(zero) == 4 and all("不可比：上年为0" in m for m in zero)
    found = [f for f in found if f[0] != "NAR-001"]
    assert found[0] == (
        "NAR-004", "“完成年初预算的95.89%”与年初预算0万元、决算307.82万元不符（年初预算为0，无法计算完成率；"
                   "95.89%是按全年预算321.02万元计算的，应写“完成全年预算的95.89%”）")
    # the PDF's own 尾差: 人员经费95.36 + 公用经费10.23 = 105.59 against 基本支出105.58 (a note)
    assert [rule for rule, _ in found] == ["NAR-004", "NAR-009"] and "属尾差" in found[1][1]


def test_a_change_before_zhan_is_not_the_part():
    assert S.shares(passage("收入预算100.00万元，其中：财政拨款收入95.00万元，比上年增加5.00万元，占95.00%。")) == []


# ---- the reasons of changes ----

def _reasons(text: str, following: str = "") -> list[tuple[str, str, bool]]:
    return [(c.quote, c.reason, c.itemised) for c in S.changes(passage(text), 2024, following)]


def test_reason_in_the_clause_before_or_after():
    (after,) = _reasons("公务用车购置费25万元，比2023年预算增加25万元，主要原因是购置公务用车；")
    assert after[1].endswith("主要原因是购置公务用车")
    (before,) = _reasons("由于接待任务减少，公务接待费比2023年预算减少0.20万元。")
    assert before[1]


def test_reason_of_another_clause_is_not_borrowed():
    first, second = _reasons("购置费比2023年预算增加25万元；运行费比2023年预算持平，主要原因是车辆不变。")
    assert first[1] == "" and second[1]


def test_one_reason_for_a_run_of_changes_and_the_next_paragraph():
    changes = _reasons("因公出国费比上年减少1万元；公务接待费比上年减少2万元。减少的主要原因是厉行节约。")
    assert all(reason == "减少的主要原因是厉行节约" for _, reason, _ in changes)
    (c,) = _reasons("机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。", "主要原因是更换照明设施。")
    assert c[1] == "主要原因是更换照明设施"
    (c,) = _reasons("机关运行经费比2023年度增加2.55万元。", "（二）公务接待费比2023年度减少1万元，主要原因是节约。")
    assert c[1] == ""


def test_reason_words_inside_other_words_do_not_count():
    (c,) = _reasons("因公出国（境）费比上年增加1万元，纳入体系管理。")
    assert c[1] == ""


def test_a_total_broken_down_is_itemised():
    (c,) = _reasons("“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：")
    assert c[2] and c[1] == ""


# ---- "X万元，其中：A万元、B万元" ----

def _breakdown(text: str) -> list[S.Breakdown]:
    return S.breakdowns(passage(text))


# NAR-009's lists of components that make up their whole by definition
WHOLE_BY_DEFINITION = (("货物", "工程", "服务"), ("人员经费", "公用经费"), ("因公出国", "公务用车", "公务接待"),
                       ("购置", "运行"), ("一般公共预算", "政府性基金", "国有资本经营"))


def test_breakdown_reads_the_total_and_its_labelled_parts():
    (b,) = _breakdown("2025年度本部门政府采购预算38.20万元，其中：政府采购货物预算7.80万元、政府采购工程预算0万元、政府采购服务预算30.40万元。")
    assert b.total.text == "38.20万元" and b.quote == "2025年度本部门政府采购预算38.20万元，其中："
    assert [label for label, _ in b.parts] == ["政府采购货物预算", "政府采购工程预算", "政府采购服务预算"]
    assert b.closed_by(WHOLE_BY_DEFINITION) == "货物、工程、服务"


def test_breakdown_closure():
    assert _breakdown("收入3.00万元，其中：财政拨款收入2.00万元；其他收入1.00万元。")[0].closed_by(WHOLE_BY_DEFINITION) == "其他"
    assert _breakdown("总预算30.00万，其中A项目10.00万，B项目20.00万，合计30.00万。")[0].closed_by(WHOLE_BY_DEFINITION) == "合计"
    assert _breakdown("支出30.00万元，其中：基本支出10.00万元，项目支出20.00万元。")[0].closed_by(WHOLE_BY_DEFINITION) == ""
    # two of the three 三公 items do not make the whole
    assert _breakdown("经费3.00万元，其中：因公出国（境）费1.00万元，公务接待费1.00万元。")[0].closed_by(WHOLE_BY_DEFINITION) == ""


def test_breakdown_skips_changes_sublists_thresholds_and_nested_lists():
    (b,) = _breakdown("收入16.00万元，其中：财政拨款收入16.00万元，比2022年（上一年度，下同）预算增加1.25万元；事业收入0万元。")
    assert [a.text for _, a in b.parts] == ["16.00万元", "0万元"]
    (b,) = _breakdown("支出89.45万元，其中：基本支出72.69万元，主要是人员经费69.30万元和公用经费3.39万元；项目支出16.76万元。")
    assert [a.text for _, a in b.parts] == ["72.69万元", "16.76万元"]
    # the figures of a part's reason are not parts
    (b,) = _breakdown("调增一般公共预算支出6.54亿元，其中：调刚性支出0.61亿元，调整的原因：按最新审核口径，保障支出调减0.17亿元，"
                      "其他刚性支出调增0.78亿元；调增化债支出0.38亿元；调增重点项目支出5.55亿元。")
    assert [a.text for _, a in b.parts] == ["0.61亿元", "0.38亿元", "5.55亿元"]
    assert _breakdown("固定资产3149.52万元，其中：单价50万元以上通用设备0台。") == []
    assert _breakdown("比上年增加40.87万元，其中：基本支出增加34.48万元。") == []
    outer, inner = _breakdown("支出30.00万元，其中：基本支出10.00万元，其中：人员经费8.00万元、公用经费2.00万元；项目支出20.00万元。")
    assert [a.text for _, a in inner.parts] == ["8.00万元", "2.00万元"] and len(outer.parts) == 1


def test_breakdown_stops_at_a_sibling_of_its_total():
    (b,) = _breakdown("基本支出100.00万元，其中：人员经费80.00万元，公用经费20.00万元；项目支出50.00万元。")
    assert [label for label, _ in b.parts] == ["人员经费", "公用经费"]
    (b,) = _breakdown("财政拨款收入100万元，其中：一般公共预算60万元、政府性基金40万元；事业收入5万元。")
    assert len(b.parts) == 2
    # a total named generically has no siblings: 项目支出 is a part of 预算支出
    (b,) = _breakdown("2023年预算支出为89.45万元，其中：基本支出72.70万元；项目支出16.76万元。")
    assert len(b.parts) == 2


def test_breakdown_with_a_part_without_unit_or_two_figures_of_one_item_is_not_read():
    assert _breakdown("收入89.45万元，其中：一般公共预算收入89.45，其他收入0元。") == []
    assert _breakdown("经费3.00万元，其中：因公出国费年初预算1.00万元，决算为0.50万元。") == []


VEHICLES = ("截至2024年12月31日，本部门共有车辆5辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、"
            "执法执勤用车1辆、其他用车3辆；单价100万元（含）以上设备（不含车辆）2台（套）。")


def test_breakdown_of_counts_reads_the_counts_of_its_measure_word():
    (b,) = _breakdown(VEHICLES)
    assert b.quote == "本部门共有车辆5辆，其中：" and isinstance(b.total, S.Count)
    # 主要领导干部用车 is a part, not a sublist opened by 主要; the 台（套） after the list is no part
    assert [(label, a.text) for label, a in b.parts] == [
        ("部级领导干部用车", "0辆"), ("主要领导干部用车", "0辆"), ("机要通信用车", "0辆"), ("执法执勤用车", "1辆"),
        ("其他用车", "3辆")]
    assert b.closed == "其他"
    (b,) = _breakdown("本部门共有车辆42辆，其中，副部（省）级及以上领导用车1辆，主要负责人用车0辆，执法执勤用车39辆，"
                      "其他用车2辆，其他用车主要是后勤保障用车；单价100万元（含）以上设备（不含车辆）3台（套）。")
    assert sum(a.value for _, a in b.parts) == 42 and len(b.parts) == 4
    (b,) = _breakdown("购置车辆2辆，其中：越野车1辆25.00万元、轿车1辆15.00万元。")
    assert [a.text for _, a in b.parts] == ["1辆", "1辆"]


def test_breakdown_of_counts_ends_with_the_clause_of_its_items():
    outer, inner = _breakdown("在职人员20人，其中：行政人员10人，事业人员8人；离退休人员5人，其中：离休1人、退休4人。")
    assert [a.text for _, a in outer.parts] == ["10人", "8人"]
    assert [a.text for _, a in inner.parts] == ["1人", "4人"]
    (b,) = _breakdown("编制20人，其中：行政编制15人；事业编制5人。")  # ； separates the items
    assert [a.text for _, a in b.parts] == ["15人", "5人"]
    assert _breakdown("共有车辆5辆，其中：执法执勤用车1、其他用车4。") == []  # parts without their measure word


def test_extract_reads_a_breakdown_of_counts_without_any_amount():
    ctx = ctx_of("上海市某某局2024年度部门决算\n本部门共有车辆5辆，其中：执法执勤用车1辆、其他用车3辆。")
    (b,) = JS.stated_breakdowns(ctx)
    assert not b.ok and b.severity is None  # a count has no rounding: never a 尾差
    assert b.explanation == "分项执法执勤用车1辆＋其他用车3辆＝4辆，不等于5辆（列有“其他”项，分项之和应等于总数；相差1辆）"


def test_breakdown_message_tells_a_run_of_zeros_by_its_number():
    ctx = ctx_of("上海市某某局2024年度部门决算\n" + VEHICLES + "\n购置车辆1辆，其中：甲用车0辆、乙用车0辆、其他用车0辆。")
    vehicles, bought = JS.stated_breakdowns(ctx)
    assert "分项执法执勤用车1辆＋其他用车3辆（其余3项为0）＝4辆，不等于5辆" in vehicles.explanation
    assert bought.explanation.startswith("分项3项均为0，不等于1辆")


def _change_breakdown(text: str) -> list[S.Breakdown]:
    return S.change_breakdowns(passage(text))


def test_change_breakdown_reads_signed_parts_in_both_forms():
    (b,) = _change_breakdown("支出比上年增加10.00万元，其中：基本支出增加15.00万元，项目支出减少5.00万元。")
    assert b.change and b.total.value == 100000
    assert [(label, a.value) for label, a in b.parts] == [("基本支出增加", 150000), ("项目支出减少", -50000)]
    (b,) = _change_breakdown("公务用车购置及运行费46.56万元，比2024年预算减少25万元，主要原因是车辆更新。其中："
                             "公务用车购置费5万元，比2024年预算减少25万元；公务用车运行费21.56万元，与2024年预算持平。")
    assert b.quote.startswith("公务用车购置及运行费46.56万元") and b.total.value == -250000
    assert [(label, a.value) for label, a in b.parts] == [("公务用车购置费减少", -250000), ("公务用车运行费持平", 0)]


def test_change_breakdown_main_parts_stop_at_their_clause():
    outer, inner = _change_breakdown("较上年增多40.87万元，其中：基本支出增加34.48万元，主要为工资福利支出增加24.84万元，"
                                     "商品和服务支出增加0.03万元；项目支出增多6.39万元。")
    assert [a.text for _, a in outer.parts] == ["34.48万元", "6.39万元"]
    assert inner.total.text == "34.48万元" and [a.text for _, a in inner.parts] == ["24.84万元", "0.03万元"]


def test_change_breakdown_not_read_when_a_part_does_not_say_how_it_changed():
    assert _change_breakdown("支出比上年增加10.00万元，其中：人员经费6.00万元、公用经费4.00万元。") == []
    assert _change_breakdown("支出比上年增加10.00万元，主要原因是人员增加。") == []
    assert _change_breakdown("支出10.00万元，其中：基本支出增加6.00万元。") == []  # the total is not a change
    assert _change_breakdown("收入与上年持平，其中：基本支出增加6.00万元。") == []


def test_stated_breakdowns_judged_with_rounding():
    ctx = ctx_of("上海市某某局2024年度部门决算\n"
                 "政府采购金额251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。\n"
                 "政府采购金额38.20万元，其中：货物采购金额7.08万元、工程采购金额0万元、服务采购金额30.40万元。\n"
                 "预留金额34万元，其中，预留给小型和微型企业的预算为30万元。\n")
    tail, wrong, open_ = JS.stated_breakdowns(ctx, WHOLE_BY_DEFINITION)
    assert not tail.ok and tail.severity is not None and tail.severity.value == "note" and "尾差" in tail.explanation
    assert not wrong.ok and wrong.severity is None and "相差0.72万元" in wrong.explanation
    assert open_.ok


def test_repeated_changes_report_the_minority_direction():
    ctx = ctx_of("上海市某某局2025年部门预算\n收入9.00万元，比2024年预算增加1.00万元。\n"
                 "支出9.00万元，比2024年预算减少1.00万元。\n拨款9.00万元，比2024年预算增加1.00万元。\n"
                 "其他9.00万元，比2024年预算执行数减少1.00万元。")
    found = JS.repeated_changes(ctx, True)
    assert len(found) == 3
    (wrong,) = [p for p in found if not p.agrees]
    assert wrong.change.text.startswith("支出") and wrong.other.text.startswith("收入")


def test_reason_word_only_for_the_change_it_follows():
    changes = S.changes(passage("收入比2024年预算减少990万元。减少的主要原因是项目调整。"), 2025)
    assert [c.reason_word for c in changes] == ["减少"]
    first, second = S.changes(passage("基本支出比上年增加1万元，项目支出比上年减少2万元。减少的主要原因是调整。"), 2025)
    assert (first.reason_word, second.reason_word) == ("", "减少")


def test_change_subjects_tell_quantities_apart():
    (c,) = S.changes(passage("上海市某局2024年度财政拨款收入支出总计300.00万元，比2023年度增加1.00万元。"), 2024)
    assert c.subject == "上海市某局2024年度财政拨款收入支出总计"
    assert JS._subject(c, balanced=False) == "财政拨款收入支出总计"
    (a,) = S.changes(passage("财政拨款收入17,192万元，比2024年预算减少990万元。"), 2025)
    (b,) = S.changes(passage("一般公共预算拨款支出预算17,192万元，比2024年预算减少990万元。"), 2025)
    assert JS._subject(a, balanced=True) == "财政拨款" and JS._subject(b, balanced=True) == "一般公共拨款"


def test_computed_rate_shown_so_that_it_does_not_round_to_the_printed_one():
    assert S.fmt_percent(Decimal("0.137588"), 2) == "13.76%"
    # 33.047% printed with one decimal is 33.0%: "33.05%" would read as 33.1%
    assert S.fmt_percent(Decimal("3117.38") / Decimal("9433.07"), 1) == "33.047%"
    assert S.fmt_percent(Decimal("0.5"), 0) == "50.00%"
    assert S.fmt_percent(Decimal("115749.56") / Decimal("4944000000"), 2) == "0.0023%"  # not "0.00%"
    # a rate over a base printed as 0.00000001: more digits than Decimal's default 28 (this raised
    # InvalidOperation in every rule that reports a rate)
    assert S.fmt_percent(Decimal("1E+30"), 2) == "1" + "0" * 32 + ".00%"


def test_runs_of_digits_longer_than_any_amount_are_no_amounts():
    assert [a.value for a in S.amounts_in("收入" + "1" * 18 + "元")] == [Decimal("1" * 18)]
    assert S.amounts_in("收入" + "1" * 19 + "元，支出" + "9" * 40 + ".5万元") == []
    assert S.percents_in("增长" + "9" * 30 + "%") == []


def test_shares_of_a_named_whole_past_an_aside():
    text = ("本年收入合计2021.29万元；包括财政拨款收入2004.77万元（其中，一般公共预算2004.77万元），占收入合计99.18%；"
            "其他收入16.51万元，占收入合计0.82%；事业收入1.00万元，占支出合计0.05%。")
    found = [(x.part.text, x.rate.text) for x in S.shares(passage(text))]
    # the share of another whole (支出合计) is not read against the income total
    assert found == [("2004.77万元", "99.18%"), ("16.51万元", "0.82%")]


def test_base_labelled_before_the_comparison_and_rate_from_it():
    # (the current amount too far from its year to be labelled with it)
    head = "2015年决算为保障机构正常运行而发生的购买货物和服务各项支出合计141.55万元，2014年为107.89万元，"
    (c,) = S.changes(passage(head + "较2014年增加33.66万元，增加31%。"), 2015)
    assert (c.before.text, c.after) == ("107.89万元", None)
    assert JS._check_change(c).rate_ok  # 33.66 / 107.89 = 31.2%
    (c,) = S.changes(passage(head + "较2014年增加33.66万元，增加41%。"), 2015)
    assert not JS._check_change(c).rate_ok
    # alone in its sentence, an amount labelled with the base year may be a slip of the year: not judged
    (c,) = S.changes(passage("2021年度支出合计1613.28万元，较上年决算数增加284.9万元，增长21.45%。"), 2022)
    assert (c.before, c.after) == (None, None)


def test_further_comparisons_of_one_amount_past_a_completion_rate():
    text = ("“三公”经费支出决算为62.07万元，完成全年预算84.82万元的73.2%，比上年决算数增加38.97万元，"
            "增长168.7%；比2019年（疫情前）决算数减少24.87万元，降低28.6%。")
    first, second = S.changes(passage(text), 2023)
    assert first.after.text == second.after.text == "62.07万元"


def test_listed_breakdowns_read_the_numbered_paragraphs_after_a_closing_qizhong():
    here, elsewhere = Location(file="t.txt", section=("五",)), Location(file="t.txt", section=("六",))
    head = S.Passage("2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元。其中：", here)
    items = [S.Passage(t, here) for t in (
        "（一）因公出国（境）费0万元，比2024年预算持平。",
        "（二）公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是车型不同。其中：购置费15万元。",
        "（三）公务接待费1.35万元。比2024年预算持平，主要原因是保持不变。",
    )]
    amounts, changes = S.listed_breakdowns(head, items)
    assert (amounts.change, amounts.total.text) == (False, "37.91万元")
    assert [a.text for _, a in amounts.parts] == ["0万元", "36.56万元", "1.35万元"]  # not the nested 15万元
    assert (changes.change, changes.total.value) == (True, Decimal(-100000))
    assert [a.value for _, a in changes.parts] == [0, -100000, 0]  # 公务接待费's change from its next sentence
    # the list stops at other numbering or another section; one item is no list; a head must end on 其中
    assert S.listed_breakdowns(head, items[:1] + [S.Passage("1、其他", here)]) == []
    assert S.listed_breakdowns(head, items[:1] + [S.Passage(items[1].text, elsewhere)]) == []
    assert S.listed_breakdowns(S.Passage(head.text.removesuffix("其中："), here), items) == []


def test_bracketed_breakdowns_need_two_plain_items_of_the_totals_kind():
    def read(text):
        return [(b.total.text, [a.text for _, a in b.parts], b.closed)
                for b in S.bracketed_breakdowns(S.Passage(text, Location(file="t.txt")))]

    assert read("车辆7辆（一般公务用车3辆，执法执勤用车4辆，其他用车0辆）；") == [("7辆", ["3辆", "4辆", "0辆"], "其他")]
    assert read("基本支出100万元（人员经费60万元、公用经费30万元）。") == [("100万元", ["60万元", "30万元"], "")]
    assert read("车辆7辆（一般公务用车7辆）。") == []  # one item: a gloss, not a list
    assert read("车辆7辆（2022年5辆，2023年7辆）。") == []  # years: an aside
    assert read("车辆7辆（一般公务用车3辆，其中2辆待报废）。") == []
    assert read("车辆7辆（一般公务用车3辆，设备4台）。") == []  # an item of another kind
    assert read("预算数110万元（年初预算100万元，调整预算110万元）。") == []  # two figures of one item
    assert read("经费10万元（甲5万元，预算为5万元）。") == []  # a list that cannot be read whole
    assert read("财政拨款100万元（一般公共预算拨款80万元，政府性基金预算拨款20万元）。") == [
        ("100万元", ["80万元", "20万元"], "")]


def test_amounts_are_named_past_their_scope_and_copula_but_keep_their_heji():
    from openlint.understand.statements.share import names_of_amounts

    text = "本年支出合计2940.05万元，其中：基本支出为2336.91万元；2024年度本部门政府采购支出共计5.00万元。"
    assert [name for name, _ in names_of_amounts(text)] == ["本年支出合计", "基本支出", "政府采购支出"]


def test_one_character_change_verbs_before_a_figure():
    # "比上年预算数加12.30万元" (增加 with a character dropped), "比上年多…", "比上年少…": the figure
    # is the change, not last year's amount
    text = "本单位2025年“三公”经费预算数为135.60万元，比上年预算数加12.30万元，与上年预算数相比增长10.00%。"
    first, second = S.changes(passage(text), 2025)
    assert (first.before, first.after.text, first.delta.text, first.direction) == (None, "135.60万元", "12.30万元", 1)
    assert (second.before, second.after.text, second.rate.text) == (None, "135.60万元", "10.00%")
    (c,) = S.changes(passage("公务接待费8.00万元，比上年少1.50万元。"), 2025)
    assert (c.after.text, c.delta.text, c.direction) == ("8.00万元", "1.50万元", -1)


def test_change_not_paired_with_a_change_against_the_budget():
    # "比预算增加0万元" before "比去年增加…": the 0 is a change against the budget, not this year's amount
    text = "2021年度“三公”经费支出决算总额为6.20万元，比预算增加0万元，比去年增加1.20万元，增长24%。"
    (c,) = S.changes(passage(text), 2021)
    assert (c.after.text, c.delta.text, c.rate.text) == ("6.20万元", "1.20万元", "24%")


def test_change_against_last_years_budget_not_paired_with_its_actual():
    # "2024年执行数A，2025年预算数B，较上年预算数减少…": last year's budget is not A
    text = "2024年本县“三公”经费执行数1500.00万元，2025年“三公”经费预算数1480.00万元，较上年预算数减少70.00万元，下降4.52%。"
    (c,) = S.changes(passage(text), 2025)
    assert (c.before, c.after.text, c.delta.text) == (None, "1480.00万元", "70.00万元")
    text = "2024年“三公”经费预算数1500.00万元，2025年“三公”经费预算数1480.00万元，较上年预算数减少20.00万元，下降1.33%。"
    (c,) = S.changes(passage(text), 2025)
    assert (c.before.text, c.after.text) == ("1500.00万元", "1480.00万元")
    # "上年决算数" against a labelled budget: not paired either
    text = "2023年预算数80.00万元，2024年决算数75.00万元，比上年决算数减少3.00万元。"
    (c,) = S.changes(passage(text), 2024)
    assert c.before is None


def test_change_followed_by_its_items_is_itemised():
    (c,) = S.changes(passage("“三公”经费预算数1480.00万元，较上年预算数减少70.00万元，下降4.52%。具体情况如下："), 2025)
    assert c.itemised


def test_breakdown_listing_a_subtotal_with_its_own_parts_is_not_read():
    # the 小计 and its parts are listed alike: which items add up to the total, the words do not say
    text = "实有人数30人，其中：在职人数小计18人，行政在职人数6人，事业单位在职人数12人。离休人数小计0人，退休人数小计12人。"
    assert S.breakdowns(passage(text)) == []
    # a flat list is read
    (b,) = S.breakdowns(passage("编制人数小计18人，其中：行政编制人数6人，事业编制人数12人。"))
    assert [c.value for _, c in b.parts] == [6, 12]


def test_shares_listed_respectively_are_not_paired_with_the_last_amount():
    # "分别为A、B和C，占…比例为x%、y%和z%": the first share is A's, not C's (the amount before 占)
    text = ("2024年全县政府采购规模为1000.0万元。其中，货物、工程、服务政府采购规模分别为200.0万元、500.0万元和300.0万元，"
            "占全县政府采购规模比例为20.0%、50.0%和30.0%。")
    assert S.shares(passage(text)) == []
    text = "政府采购支出总额1000.00万元，其中：货物支出200.00万元、服务支出800.00万元，占20.00%和80.00%。"
    assert S.shares(passage(text)) == []
