"""The text primitives (openlint.judge.text), on small built documents."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from docbuilder import build
from openlint.judge import primitives as P
from openlint.judge.text.brackets import unbalanced_brackets
from openlint.judge.text.columns import column, most_common, same_cells
from openlint.judge.text.corpus import _next_match, _unit_pattern
from openlint.judge.text.lists import list_items
from openlint.judge.text.names import _agrees, _one_edit, _where, foreign_names, variants
from openlint.judge.text.numbering import cn_number, cn_numeral, numbering, numbering_problems
from openlint.judge.text.pages import pages
from openlint.judge.text.patterns import occurrences, periods, years
from openlint.judge.text.toc import _toc_ids
from openlint.judge.text.toc_entries import toc_entries
from openlint.judge.context import Context
from openlint.model import Heading, Location, Paragraph, Section, Table
from openlint.understand.catalog import load_catalog

CATALOG = load_catalog()


def ctx_of(text: str) -> Context:
    return Context(build(text), CATALOG)


def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def test_registry():
    mine = {name: (p.min_args, p.max_args) for name, p in P.REGISTRY.items() if p.func.__module__.startswith("openlint.judge.text.")}
    assert mine == {
        "occurrences": (1, 2), "years": (0, 1), "unbalanced_brackets": (0, 1), "variants": (1, 2),
        "numbering_problems": (0, 0), "list_items": (0, 0), "toc_entries": (0, 0), "pages": (0, 0),
        "same_cells": (3, 3), "column": (2, 2), "most_common": (1, 1), "foreign_names": (2, 3),
        "duplicates": (1, 2), "periods": (0, 0),
    }
    assert all(P.REGISTRY[name].doc for name in mine)
    assert {"quote", "before", "after", "next", "canonical", "problem", "expected", "in_order", "blank",
            "duplicate_of", "unreadable", "share", "first"} <= P.ATTRIBUTE_NAMES


# ---- occurrences ----

def test_occurrences_quote_the_match_with_its_surroundings():
    ctx = ctx_of("上海市普陀区司法局2026年单位预算\n# 一、“三公”经费\n公务用车购置及运行费9.98万元，与2025年预算数持平，主要原因是。其中：购置费0万元。")
    [hit] = occurrences(ctx, rx("主要原因是。"))
    assert hit.text == "主要原因是。"
    assert hit.quote == "…与2025年预算数持平，主要原因是。其中：购置费0万元。"
    assert hit.before.endswith("持平，") and hit.after.startswith("其中")
    assert hit.location.line == 3 and hit.location.section == ("一、“三公”经费",)
    assert hit.anchor == hit.quote
    assert P.get_attribute(ctx, hit, "quote") == hit.quote


def test_occurrences_one_element_per_passage_with_a_count():
    ctx = ctx_of("上海市XX局2024年度部门决算。\n本年收入合计XXX万元，其中：财政拨款收入XXX万元。")
    hits = occurrences(ctx, rx("X{2,}"))
    assert [(h.text, h.count, h.location.line) for h in hits] == [("XX", 1, 1), ("XXX", 2, 2)]


def test_occurrences_text_pattern_and_spaces_removed():
    ctx = ctx_of("本 单 位 政府采购预算117.00万元。")
    assert [h.text for h in occurrences(ctx, "本单位")] == ["本单位"]


def test_anchors_mean_the_start_and_end_of_a_unit():
    ctx = ctx_of("上海市普陀区财政局2025年部门预算\n[表] 收入支出决算总表\n| 项目 | 合计 |\n| 合计 | 1.00 |")
    hits = occurrences(ctx, rx("^[^，。]{0,40}决算(总)?表$"))
    assert [h.text for h in hits] == ["收入支出决算总表"]
    # a match may not run from one unit into the next
    assert occurrences(ctx, rx("预算收入支出")) == []


def test_occurrences_in_table_cells_are_located_by_row_and_column():
    ctx = ctx_of("上海市普陀区财政局2024年度部门决算\n[表] 部门决算单位构成\n| 序号 | 单位名称 |\n| 1 | 上海市××中心 |")
    [hit] = occurrences(ctx, rx("××"))
    assert hit.location.table == "部门决算单位构成"
    assert (hit.location.row, hit.location.column) == ("上海市××中心", "单位名称")  # 1 reads as an amount


def test_occurrences_inside_a_scope():
    ctx = ctx_of("本单位甲。\n# 一、采购\n本单位乙。\n# 二、资产\n本单位丙。")
    sec = P.section(ctx, rx("采购"))
    assert [h.location.line for h in occurrences(ctx, "本单位", sec)] == [3]
    assert [h.location.line for h in occurrences(ctx, "本单位", [sec, P.section(ctx, rx("资产"))])] == [3, 5]


def test_pdf_passages_join_broken_lines_other_formats_do_not():
    pdf = ctx_of("上海市财政局2025年单位预算\n[页]\n购置单价100万元（含）以上设备（不含车\n辆）0台（套）。")
    [hit] = occurrences(pdf, rx("不含车辆"))
    assert hit.location.line == 3
    assert unbalanced_brackets(pdf) == []
    txt = ctx_of("购置设备（不含车\n辆）0台。")
    assert occurrences(txt, rx("不含车辆")) == []


def test_a_stray_stop_joins_the_sentence_before_it_in_every_format():
    ctx = ctx_of("决算数与预算数基本持平。\n。")
    [hit] = occurrences(ctx, rx("。。"))
    assert hit.quote == "决算数与预算数基本持平。。"


def test_next_says_what_follows_the_passage():
    ctx = ctx_of("# 一、运行经费\n比上年增加，主要原因是\n# 二、采购\n采购预算为0。\n下一段。\n[表] 表\n| a | b |")
    hits = {h.text: h.next for h in occurrences(ctx, rx("主要原因是$|为0。$|下一段。$"))}
    assert hits == {"主要原因是": "heading", "为0。": "paragraph", "下一段。": "table"}


# ---- years ----

def test_years():
    ctx = ctx_of("2026年，收入预算9628.22万元，比2025年预算增加，截至2024 年12月31日。编号2025.1.1。")
    found = [(y.value, y.before[-1:], y.after[:3]) for y in years(ctx)]
    assert found == [(2026, "", "年，收"), (2025, "比", "年预算"), (2024, "至", "年12")]


def test_years_after_a_list_number_and_where_they_are():
    ctx = ctx_of("某局2025年部门预算\n# 目录\n1. 2025年部门收入预算总表\n2．2024年部门支出预算总表\n"
                 "# 一、2025年“三公”经费预算情况说明\n2025年“三公”经费预算数为1.00万元；与2024年预算持平。\n"
                 "[表] 2025年部门收入预算总表\n| 项目 | 2023年 |\n| 合计 | 1.00 |")
    found = [(y.value, y.kind) for y in years(ctx)]
    assert found == [(2025, "paragraph"), (2025, "toc"), (2024, "toc"), (2025, "heading"), (2025, "paragraph"),
                     (2024, "paragraph"), (2025, "caption"), (2023, "cell")]
    # in a PDF, a 目录 entry is its own passage even when its number runs into the year (2．2024年…)
    pdf = ctx_of("# 目录\n1. 2025年部门收入预算总表\n2．2024年部门支出预算总表\n[页]\n# 一、职能")
    assert [(y.value, y.after) for y in years(pdf)] == [(2025, "年部门收入预算总表"), (2024, "年部门支出预算总表")]
    # `.after` is the rest of the sentence (up to 80 characters)
    said = [y for y in years(ctx) if y.kind == "paragraph"][1]
    assert said.after == "年“三公”经费预算数为1.00万元；"
    # 1.2025 inside a line is a decimal, not a year
    assert [y.value for y in years(ctx_of("比率为1.2025年均增长。"))] == []


def test_occurrences_say_where_they_are():
    ctx = ctx_of("# 目录\n一、部门职责\n# 一、部门职责\n负责职责。")
    assert [h.kind for h in occurrences(ctx, "职责")] == ["toc", "heading", "paragraph"]


def test_years_in_chinese_numerals():
    ctx = ctx_of("二〇二四年度部门决算，二零二三年比较，三〇二四年不是年份。")
    assert [y.value for y in years(ctx)] == [2024, 2023]


# ---- brackets ----

@pytest.mark.parametrize("text, lonely", [
    ("开展“人民调解协议书检查”“优秀调解案例”活动。", []),
    ("开展“人民调解协议书检查”、优秀调解案例”活动。", ["”"]),
    ("平均得分99.33分（其中，评级为“优”的项目39个。", ["（"]),
    ("预算（含)以上设备(不含车辆）。", []),  # full and half width pair up
    ("提出“优化服务。提高效率。”的要求。", []),  # a quotation over two sentences
    ("主要任务：1）完善制度；2）加强管理。", []),  # list markers, not closing brackets
    ("《关于（试行）的通知》》。", ["》"]),
    ("（一）甲“乙（丙）。", ["“"]),
    ("一般公共预算财政拨款“三公“经费情况说明", ["“"]),  # one pair typed wrong: told once
    ("“甲“乙“丙“丁", ["“"]),
    ("“甲。乙（丙）丁“戊", ["“", "“"]),  # another mark between: two lonely marks
])
def test_unbalanced_brackets(text, lonely):
    ctx = ctx_of(text)
    assert [h.text for h in unbalanced_brackets(ctx)] == lonely


def test_unbalanced_brackets_skip_table_cells_and_quote():
    ctx = ctx_of("[表] 表（一\n| 项目（含 | 合计 |\n| 合计 | 1.00 |")
    [hit] = unbalanced_brackets(ctx)
    assert hit.quote == "表（一" and hit.location.table == "表（一"
    [pair] = unbalanced_brackets(ctx_of("财政拨款“三公“经费"))
    assert pair.quote == "财政拨款“三公“经费"  # the quote shows both marks


# ---- variants ----

NAME = r"(?P<name>[\u4e00-\u9fff]{2,30}?局)(?=\d{4}年)"


def test_variants_of_a_name():
    ctx = ctx_of(
        "上海市普陀区规划和自然资源局2024年度部门决算\n"
        "纳入上海市普陀区规划和自然资源局2024年度部门决算编制范围的单位包括：本级。\n"
        "上海市规划和自然资源局2024年度部门决算表\n"
        "普陀区规划和自然资源局2024年度收入支出总计2859.38万元。\n"
        "上海市普陀区规划与自然资源局2024年度无政府性基金预算财政拨款收入和支出。\n"
        "上海市普陀区规划与自然资源局2024年度无国有资本经营预算财政拨款收入和支出。\n"
        "根据上海市税务局2024年的通知。"
    )
    found = variants(ctx, rx(NAME), "上海市普陀区规划和自然资源局")
    assert [(v.text, v.count, v.canonical, v.canonical_count, v.pages) for v in found] == [
        ("上海市规划和自然资源局", 1, "上海市普陀区规划和自然资源局", 3, "：第3行"),
        ("上海市普陀区规划与自然资源局", 2, "上海市普陀区规划和自然资源局", 3, "：第5行、第6行"),
    ]
    assert found[1].location.line == 5 and [loc.line for loc in found[1].related] == [6]


def test_variants_without_a_reference_use_the_most_frequent():
    ctx = ctx_of("上海市普陀区财政局2024年甲。\n上海市普陀区财政局2024年乙。\n上海市普陀区财政司2024年丙。")
    found = variants(ctx, [rx(r"(?P<name>[\u4e00-\u9fff]{2,20}?(局|司))(?=\d{4}年)")])
    assert [(v.text, v.canonical) for v in found] == [("上海市普陀区财政司", "上海市普陀区财政局")]
    assert variants(ctx, rx(r"(\d{4})年"), None) == []  # all the same


def test_variants_find_a_reference_one_character_off_anywhere():
    ctx = ctx_of(
        "预算主管部门：上海市普陀区财政局\n"
        "上海市普陀区财政局是主管全区财政工作的区政府工作部门。\n"
        "第三条 上海市普区财政局的主要职责是：\n"  # a dropped character, where no pattern looks
        "配合上海市普陀区民政局、上海市财政局开展工作。\n"  # other organisations: two characters off, or shorter
        "上海市普陀区财政局局长办公会审议。"  # the name itself, followed by more
    )
    found = variants(ctx, rx(r"^预算主管部门：(?P<name>.+)$"), "上海市普陀区财政局")
    assert [(v.text, v.count, v.canonical, v.canonical_count, v.location.line) for v in found] == [
        ("上海市普区财政局", 1, "上海市普陀区财政局", 3, 3),
    ]


def test_variants_one_off_search_rules():
    # a name of ten characters or more: one changed character is a variant too
    ctx = ctx_of("上海市普陀区规划和自然资源局\n2024年，上海市普陀区规划与自然资源局所属各单位。")
    assert [v.text for v in variants(ctx, rx(r"(?P<name>无此名)"), "上海市普陀区规划和自然资源局")] == [
        "上海市普陀区规划与自然资源局"]
    # a shorter one: one changed character may be another organisation (财政局, 邮政局)
    ctx = ctx_of("上海市普陀区财政局\n上海市普陀区邮政局来函。")
    assert variants(ctx, rx(r"(?P<name>无此名)"), "上海市普陀区财政局") == []
    # the cover mistyped: the spelling used everywhere else is the usual one
    ctx = ctx_of("预算单位：上海市普区财政局\n上海市普陀区财政局甲。\n上海市普陀区财政局乙。")
    found = variants(ctx, rx(r"^预算单位：(?P<name>.+)$"), "上海市普区财政局")
    assert [(v.text, v.canonical, v.count) for v in found] == [("上海市普区财政局", "上海市普陀区财政局", 1)]


def test_one_edit():
    assert _one_edit("上海市普区财政局", "上海市普陀区财政局")
    assert _one_edit("上海市普陀区财政局", "上海市普区财政局")
    assert _one_edit("规划与自然", "规划和自然")
    assert _one_edit("上海市普陀区民政局", "上海市普陀区财政局")  # why `variants` changes no character in short names
    assert not _one_edit("上海市普陀区司法局", "上海市普陀区财政局")
    assert not _one_edit("上海市财政局", "上海市财政局")


def test_foreign_names_in_places_a_document_names_itself():
    SELF = [rx(r"^\d{4}年，(?P<name>[\u4e00-\u9fff]{2,30}?(局|委员会|办事处))收入预算"),
            rx(r"^(?P<name>[\u4e00-\u9fff]{2,30}?(局|委员会|办事处))是主管")]
    ctx = ctx_of(
        "预算主管部门：上海市普陀区商务委员会\n"
        "2025年，上海市普陀区财政局收入预算3,121.42万元。\n"  # another organisation
        "2025年，普陀区商务委收入预算。\n"  # a shortening
        "2025年，商务委收入预算。\n"
        "2025年，上海市普陀区商务委员会收入预算。\n"
        "2025年，上海市普陀区商务委会收入预算。\n"  # a variant spelling: CON-003's business
        "上海市普陀区财政局是主管全区财政工作的区政府工作部门。\n"
        "2025年，根据市里要求的局收入预算。"  # not a full name
    )
    found = foreign_names(ctx, SELF, "上海市普陀区商务委员会")
    assert [(v.text, v.count, v.canonical, v.pages) for v in found] == [
        ("上海市普陀区财政局", 2, "上海市普陀区商务委员会", "：第2行、第7行")]
    assert foreign_names(ctx, SELF, None) == []


def test_foreign_names_inside_a_scope():
    OPENS = rx(r"^(?P<name>[\u4e00-\u9fff]{2,30}?(局|委员会))是")
    ctx = ctx_of(
        "预算主管部门：上海市普陀区商务委员会\n"
        "# 一、主要职能\n"
        "上海市普陀区财政局是主管全区财政工作的区政府工作部门。\n"
        "# 二、机构设置\n"
        "上海市普陀区司法局是另一个机关。"
    )
    duties = P.section(ctx, rx("职能"))
    found = foreign_names(ctx, OPENS, "上海市普陀区商务委员会", duties)
    assert [v.text for v in found] == ["上海市普陀区财政局"]
    assert [v.text for v in foreign_names(ctx, OPENS, "上海市普陀区商务委员会")] == ["上海市普陀区财政局", "上海市普陀区司法局"]
    assert foreign_names(ctx, OPENS, "上海市普陀区商务委员会", []) == []  # an empty scope: nowhere


def test_agrees():
    assert _agrees("普陀区财政局", "上海市普陀区财政局")
    assert _agrees("商务委", "上海市普陀区商务委员会")
    assert _agrees("上海市普陀区商务委员会机关", "上海市普陀区商务委员会")
    assert not _agrees("上海市财政局", "上海市普陀区财政局")  # another level of government
    assert not _agrees("上海市普陀区司法局", "上海市普陀区财政局")


# ---- numbering ----

def test_cn_numbers():
    assert [cn_number(t) for t in ("一", "十", "十一", "二十三", "一百", "12", "甲")] == [1, 10, 11, 23, 100, 12, None]
    assert [cn_numeral(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert numbering("第二部分 概况") == ("part", 2, "部分")
    assert numbering("（三）机关运行经费") == ("pcn", 3, "")
    assert numbering("十一、其他") == ("cn", 11, "")
    assert numbering("3． 信息化") == ("ar.", 3, ".")
    assert numbering("3、信息化") == ("ar、", 3, "、")
    assert numbering("1.5万元") is None and numbering("2024年") is None


def problems(text: str):
    return [(p.problem, p.text, p.previous, p.expected) for p in numbering_problems(ctx_of(text))]


def test_numbering_duplicate_gap_and_order():
    assert problems("# 第一部分 甲\n# 第一部分 乙\n## 一、丙\n## 二、丁") == [("重复", "第一部分 乙", "第一部分 甲", "第二部分")]
    assert problems("# 第一部分 甲\n# 第三部分 乙") == [("缺号", "第三部分 乙", "第一部分 甲", "第二部分")]
    assert problems("1、甲。\n2、乙。\n6、丙。") == [("缺号", "6、丙。", "2、乙。", "3、”至“5、")]  # the message quotes it
    assert problems("2、甲。\n1、乙。\n3、丙。") == [("顺序", "1、乙。", "2、甲。", "3、")]
    assert problems("八、甲\n六、乙\n九、丙") == [("顺序", "六、乙", "八、甲", "九、")]


def test_numbering_what_is_not_a_problem():
    # a new list under another heading, a list restarting at 1, two styles, an item inside a paragraph
    assert problems("# 一、甲\n1.子。\n2.子。\n# 二、乙\n1.子。\n部门职责：\n1.子。\n（1）孙。\n（2）孙。\n2.子。") == []
    assert problems("（七）负责会计管理工作。（八）负责非税收入管理。\n（九）负责国库管理。") == []
    # an unnumbered heading closes the sequences below it
    assert problems("# 主要职能\n（一）甲。\n（二）乙。\n# 名词解释\n（一）丙。") == []
    # the 目录 is judged on its own: 第一部分 in the body after 第四部分 in the 目录 is fine
    assert problems("# 目 录\n第一部分 概况\n第二部分 决算表\n# 第一部分 概况\n# 第二部分 决算表") == []
    assert [p[0] for p in problems("# 目 录\n第一部分 概况\n第三部分 说明\n# 第一部分 概况")] == ["缺号"]


def test_numbering_nested_block():
    found = numbering_problems(ctx_of(
        "# 第一部分 情况说明\n## 五、绩效\n# 第一部分 整体绩效目标\n### （一）总体\n甲。\n## 一、强化引领\n"
        "## 二、强化组织\n# 第二部分 专项资金\n## 六、政府采购\n## 七、资产\n八、名词解释\n1、收入：甲。\n九、其他"
    ))
    assert [(p.problem, p.text, p.previous, p.following) for p in found] == [
        ("嵌套", "第一部分 整体绩效目标", "五、绩效", "六、政府采购"),
    ]
    assert [loc.line for loc in found[0].related] == [2, 9]


# ---- list items ----

def test_list_items_endings():
    ctx = ctx_of("# 一、职能\n1.甲。\n2.乙\n3.丙。\n4.丁；\n# 二、机构\n1.办公室\n2.预算科")
    items = list_items(ctx)
    assert [(i.text, i.unterminated, i.stops, i.siblings) for i in items] == [
        ("1.甲。", False, 3, 4), ("2.乙", True, 3, 4), ("3.丙。", False, 3, 4), ("4.丁；", False, 3, 4),
        ("1.办公室", True, 0, 2), ("2.预算科", True, 0, 2),
    ]
    assert list_items(ctx_of("包括：\n1.甲：\n2.乙，")) and not any(i.unterminated for i in list_items(ctx_of("1.甲：\n2.乙，")))


# ---- table of contents ----

TOC = """\
上海市普陀区财政局2024年度部门决算
# 目 录
第一部分 上海市普陀区财政局概况
一、部门主要职能
第二部分 部门决算表
一、收入支出决算总表
二、收入决算表
三、支出决算表
四、其他重要事项说明
# 第一部分 上海市普陀区财政局概况
## 一、上海市普陀区财政局主要职能
负责全区财政工作。
[表] 收入决算表
| 项目 | 合计 |
[表] 收入支出决算总表
| 项目 | 合计 |
## 四、其他重要事项的情况说明
无。
"""


def test_toc_entries():
    entries = toc_entries(ctx_of(TOC))
    assert [(e.text, e.found, e.target) for e in entries] == [
        ("第一部分 上海市普陀区财政局概况", True, "第一部分 上海市普陀区财政局概况"),
        ("一、部门主要职能", True, "一、上海市普陀区财政局主要职能"),
        # 第二部分 only groups the tables below it: not reported when it has no heading of its own
        ("一、收入支出决算总表", True, "收入支出决算总表"),
        ("二、收入决算表", True, "收入决算表"),
        ("三、支出决算表", False, ""),  # not 收入支出决算总表: a different table
        ("四、其他重要事项说明", True, "四、其他重要事项的情况说明"),
    ]
    # the two tables come in the other order: one of them is out of order
    assert [e.in_order for e in entries].count(False) == 1
    assert not (entries[2].in_order and entries[3].in_order)
    assert entries[0].related[0].line == 10
    assert toc_entries(ctx_of("# 一、概况\n甲。")) == []


# ---- pages ----

def test_pages():
    ctx = ctx_of("封面2024年度部门决算\n[页]\n第一页的正文，足够长的一段文字，超过三十个字符才算得上是重复页的比较对象。\n[页]\n- 3 -\n[页]\n"
                 "第一页的正文，足够长的一段文字，超过三十个字符才算得上是重复页的比较对象。\n[页]\n\uf06c要点\n预算\ue001\ue002拨款\ufffd\n[页]")
    pdf_pages = pages(ctx)
    assert [(p.number, p.blank, p.inner, p.duplicate_of, p.unreadable) for p in pdf_pages] == [
        (1, False, False, None, 0), (2, False, True, None, 0), (3, True, True, None, 0), (4, False, True, 2, 0),
        (5, False, False, None, 3), (6, True, False, None, 0),
    ]
    assert pdf_pages[4].quote == "预算□□拨款□"
    assert pdf_pages[3].related[0].page == 2 and pdf_pages[2].location.page == 3
    assert pages(ctx_of("没有分页的文字。")) == []


def test_the_same_rows_of_two_tables_are_no_repeated_page():
    # a 收入 and a 支出 table of the same codes and amounts, each going on over a page of rows alone
    doc = build("某局2025年部门预算\n[页]\n[表] 收入预算总表\n| 201 | 一般公共服务支出 | 100.00 |\n"
                "[页]\n[表] 支出预算总表\n| 201 | 一般公共服务支出 | 100.00 |\n[页]\n一段说明。")
    income, spending = doc.tables
    rows = "201一般公共服务支出100.00" * 3
    paged = replace(doc, page_texts=("某局2025年部门预算", rows, rows, rows), blocks=(
        *[b for b in doc.blocks if not isinstance(b, Table)][:1], replace(income, pages=(2,)), replace(spending, pages=(3,)),
        Paragraph("一段说明。", Location("case.txt", page=4))))
    assert [p.duplicate_of for p in pages(Context(paged, CATALOG))] == [None, None, None, 2]  # page 4 holds text
    # a page printed twice: the reader reads a second table of the same title, still a repeat
    twice = replace(paged, blocks=(paged.blocks[0], replace(income, pages=(2,)), replace(income, pages=(3,))))
    assert [p.duplicate_of for p in pages(Context(twice, CATALOG))][:3] == [None, None, 2]


# ---- table columns ----

TABLE = """\
[表] 绩效目标表
| 绩效目标 | 有效解决困难职工的生活状况 |
| 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 |
| 产出指标 | 质量指标 | 资金到位率 | 资金到位率 | ≥90百分比 | 行业指标 |
| 产出指标 | 时效指标 | 发放及时率 | 按时发放的比例 | ≥90百分比 | 行业指标 |
| 满意度指标 | 服务对象满意度指标 | 群众满意度 | 群众满意度 | 95% | 行业指标 |
| 效益指标 | 生态效益指标 |  |  |  |  |
"""


def test_same_cells_column_and_most_common():
    ctx = ctx_of(TABLE)
    [table] = P.tables(ctx)
    assert same_cells(ctx, table, rx("三级指标"), rx("指标描述")) == ["资金到位率", "群众满意度"]
    assert same_cells(ctx, table, rx("三级指标"), rx("不存在")) == []
    assert column(ctx, table, rx("指标值$")) == ["≥90百分比", "≥90百分比", "95%"]
    tally = most_common(ctx, column(ctx, table, rx("指标值$")))
    assert (tally.text, tally.count, tally.total, round(tally.share, 2)) == ("≥90百分比", 2, 3, 0.67)
    assert most_common(ctx, []) is None
    assert same_cells(ctx, None, "a", "b") == [] and column(ctx, None, "a") == []


def test_a_cell_spanning_into_a_column_is_none_of_its_values():
    # the 总分 row spans the indicator columns: 总分 is no 指标值
    ctx = ctx_of("""某县2025年度单位决算
[表] 项目支出绩效自评表
| 三级指标 | 年度指标值 | 分值 |
| 资金到位率 | ≥90% | 50 |
| 群众满意度 | ≥90% | 50 |
| 总分 | < | 100 |
""")
    [table] = P.tables(ctx)
    assert column(ctx, table, rx("指标值$")) == ["≥90%", "≥90%"]


def test_same_cells_skips_merged_and_short_rows():
    from openlint.model import Cell, Location, Table

    merged = Cell("时效指标", 1, 0, col_span=2)
    grid = (
        (Cell("三级指标", 0, 0), Cell("指标描述", 0, 1)),
        (merged, merged),
        (Cell("资金到位率", 2, 0),),
        (Cell("满意度", 3, 0), Cell("满意度", 3, 1)),
    )
    table = Table("绩效目标表", grid, Location("t.txt", line=1))
    assert same_cells(ctx_of("甲。"), table, "三级指标", "指标描述") == ["满意度"]


def test_line_start_search_finds_what_a_full_scan_finds():
    """A pattern whose matches start a line is tried only after line breaks (`_next_match`); it must
    find exactly what `search` from every position finds (random texts, random start and end)."""
    import random

    rng = random.Random(11)
    pieces = ["\n", "\n", "1、", "（二）", "三、", "第一部分", "。", "，", "说明", "a", "b"]
    patterns = [r"^(第[一二三四五六七八九十]+部分|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．])[。；;，,：:]?$",
                r"^a|^说明", r"(?P<x>^(?:b|a))(?=\n)", r"^", r"^$"]
    for source in patterns:
        search = _unit_pattern(re.compile(source))
        assert search.after_break is not None, source
        for _ in range(1500):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
            pos = rng.randint(0, len(text) + 1)
            stop = rng.randint(0, len(text) + 1)
            expected = search.rx.search(text, pos, stop)
            found = _next_match(search, text, pos, stop)
            assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups())), \
                (source, text, pos, stop)
    assert _unit_pattern(re.compile(r"(^|，)单位")).after_break is None


def test_places_in_messages_are_in_document_order():
    from openlint.model import Location

    found = [Location("x.html", line=n) for n in (5459, 5462, 5448, 5459)]
    assert _where(found) == "：第5448行、第5459行、第5462行"
    assert _where([Location("x.pdf", page=p) for p in (25, 7)]) == "：第7页、第25页"
    assert _where([Location("x.docx")]) == ""


def test_duplicates_are_the_repeats_of_long_enough_texts():
    from openlint.judge.text.duplicates import duplicates
    from openlint.model import Location, Paragraph

    long = "一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。"
    blocks = [Paragraph(long, Location(file="a.pdf", page=3)), Paragraph("短句。", Location(file="a.pdf", page=3)),
              Paragraph("短句。", Location(file="a.pdf", page=4)),
              Paragraph(long.replace("。", "。\n", 1) + " ", Location(file="a.pdf", page=5)),  # white space aside
              Paragraph(long, Location(file="a.pdf", page=6))]
    found = duplicates(None, blocks, 20)
    assert [(d.page, d.first, d.count) for d in found] == [(5, "第3页", 3), (6, "第3页", 3)]
    assert found[0].related == (blocks[0].location,)
    assert duplicates(None, blocks, 200) == []
    in_a_section = Location(file="a.docx", section=("第三部分", "八、政府性基金预算财政拨款收入支出情况说明"))
    (docx,) = duplicates(None, [Paragraph(long, in_a_section), Paragraph(long, Location(file="a.docx"))], 20)
    assert docx.first == "“八、政府性基金预算财政拨款收入支出情况说明”一节"


def test_periods_measure_the_days_from_start_to_end():
    ctx = ctx_of("自2025年1月1日至2025年12月31日；2024年1月1日—12月31日；2025年1月1日至2024年12月31日；"
                 "2024年2月30日至2024年3月1日；2024年12月1日至1月31日。")
    # a date that does not exist is skipped; an end without its year before the start is next year's
    assert [p.value for p in periods(ctx)] == [364, 365, -1]


def test_a_table_of_contents_without_its_title_is_taken_for_one():
    lines = ["# 第一部分 概况", "# 一、部门职责", "# 二、机构设置", "# 第一部分 概况", "# 一、部门职责", "负责全区工作。",
             "# 二、机构设置", "内设3个科室。"]
    ctx = ctx_of("某某局2024年度部门决算\n" + "\n".join(lines))
    toc = _toc_ids(ctx)
    headings = [b for b in ctx.document.blocks if isinstance(b, Heading)]
    assert [id(h) in toc for h in headings] == [True, True, True, False, False, False]  # not the body's own
    assert numbering_problems(ctx) == []
    with_pages = ["# 第一部分 概况 1", "# 一、部门职责……2", "# 二、机构设置 3", "# 第一部分 概况", "# 一、部门职责",
                  "负责全区工作。", "# 二、机构设置", "内设3个科室。"]
    ctx = ctx_of("某某局2024年度部门决算\n" + "\n".join(with_pages))
    assert len(_toc_ids(ctx)) == 3 and numbering_problems(ctx) == []  # lines ending on their page number
    toc_section = P.ATTRIBUTES[Section]["toc"]
    assert [toc_section(ctx, s) for s in P.sections(ctx)][:4] == [True, True, True, False]
    # headings that never come back are the body itself
    assert _toc_ids(ctx_of("某某局2024年度部门决算\n# 一、甲\n# 二、乙\n# 三、丙\n正文。")) == frozenset()
