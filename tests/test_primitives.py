"""The primitives rules call, on small built documents."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from docbuilder import build
from openlint.judge import primitives as P
from openlint.judge.context import Context
from openlint.model import Cell, Heading, Location, Paragraph, Section, Table
from openlint.understand.catalog import TableKind, load_catalog
from openlint.understand.kind import DocumentKind

CATALOG = load_catalog()

DOC = """\
上海市某某局2025年部门预算
# 第一部分 部门概况
## 一、部门主要职责
负责 财政 工作。
## 二、机构设置
## 三、政府采购情况
本部门政府采购预算总额120.00万元。
# 第二部分 2025年部门预算表
[表] 2025年部门收入预算总表
| 项目 | 合计 |
| 财政拨款收入 | 100.00 |
| 事业收入 | 0.00 |
注：单位为万元。
以上为收入预算。
[表] 2025年部门政府性基金预算支出功能分类预算表
| 项目 | 合计 |
| 合计 | 0.00 |
本部门无政府性基金预算拨款安排的支出，故本表无数据。
另一段说明。
[表] 2025年部门“三公”经费和机关运行经费预算表
| 项目 | 因公出国（境）费 | 公务接待费 |
| 合计 | 0.00 | 3.00 |
# 第三部分 名词解释
一、财政拨款收入：指……
"""


def ctx_of(text: str) -> Context:
    return Context(build(text), CATALOG)


@pytest.fixture(scope="module")
def ctx() -> Context:
    return ctx_of(DOC)


def titles(items) -> list[str]:
    return [P.display(i) for i in items]


def test_registry_arities():
    core = {name: p for name, p in P.REGISTRY.items() if p.func.__module__ == P.__name__}  # families test their own
    assert {name: (p.min_args, p.max_args) for name, p in core.items()} == {
        "sections": (0, 1), "section": (1, 1), "tables": (0, 1), "table": (1, 1), "required_tables": (0, 0),
        "paragraphs": (0, 1), "notes": (1, 2), "exists": (1, 1), "is_empty": (1, 1), "is_blank": (1, 1),
        "text": (0, 1), "count": (1, 1), "join": (1, 1), "excerpt": (1, 2), "find": (2, 3),
        "states_absence": (2, 2), "missing": (2, 2), "has_amount": (1, 1),
        "paragraphs_outside": (1, 1), "discloses": (2, 2), "head": (1, 2), "unread": (0, 0), "with_list": (1, 1),
    }
    assert P.REGISTRY["tables"].kind_arg == 0 and P.REGISTRY["table"].kind_arg == 0
    assert all(p.doc for p in P.REGISTRY.values())


# ---- selectors ----

def test_sections(ctx):
    assert titles(P.sections(ctx)) == [
        "第一部分 部门概况", "一、部门主要职责", "二、机构设置", "三、政府采购情况", "第二部分 2025年部门预算表", "第三部分 名词解释",
    ]
    assert titles(P.sections(ctx, re.compile("职责|采购"))) == ["一、部门主要职责", "三、政府采购情况"]
    assert titles(P.sections(ctx, "部分")) == ["第一部分 部门概况", "第二部分 2025年部门预算表", "第三部分 名词解释"]
    assert P.sections(ctx, re.compile("绩效")) == []


def test_sections_match_compacted_titles():
    ctx = ctx_of("# 一、名 词 解 释\n财政拨款收入：……")
    assert titles(P.sections(ctx, re.compile("名词解释"))) == ["一、名 词 解 释"]


def test_section(ctx):
    assert P.section(ctx, re.compile("部分")).title == "第一部分 部门概况"
    assert P.section(ctx, "名词解释").title == "第三部分 名词解释"
    assert P.section(ctx, re.compile("绩效")) is None


def test_tables_and_table(ctx):
    assert len(P.tables(ctx)) == 3
    assert titles(P.tables(ctx, "三公经费支出表")) == ["2025年部门“三公”经费和机关运行经费预算表"]
    assert titles(P.tables(ctx, "收入表")) == ["2025年部门收入预算总表"]
    assert P.tables(ctx, "资产表") == []
    assert P.table(ctx, "政府性基金预算支出表").caption == "2025年部门政府性基金预算支出功能分类预算表"
    assert P.table(ctx, "资产表") is None


def _required(text: str) -> set[str]:
    return {k.id for k in P.required_tables(ctx_of(text))}


EIGHT = {"收支总表", "收入表", "支出表", "财政拨款收支总表", "一般公共预算支出表", "一般公共预算基本支出表", "三公经费支出表",
         "政府性基金预算支出表"}


@pytest.mark.parametrize(
    "cover, expected",
    [
        ("上海市某某局2025年部门预算", EIGHT | {"国有资本经营预算支出表"}),
        ("上海市某某局2021年部门预算", EIGHT | {"国有资本经营预算支出表"}),
        ("上海市某某局2020年部门预算", EIGHT),
        ("上海市某某局2024年度部门决算", EIGHT | {"国有资本经营预算支出表"}),
        ("上海市某某局2020年度部门决算", EIGHT),
        ("上海市某某局2019年单位决算", EIGHT),
        ("一份看不出类型的文件", set()),
    ],
)
def test_required_tables(cover, expected):
    assert _required(cover) == expected


def test_required_tables_without_a_year_include_those_required_since_a_year():
    ctx = Context(build("x"), CATALOG, facts=DocumentKind(kind="预算"))
    assert {k.id for k in P.required_tables(ctx)} == EIGHT | {"国有资本经营预算支出表"}


def test_required_tables_are_table_kinds_in_catalog_order(ctx):
    kinds = P.required_tables(ctx)
    assert all(isinstance(k, TableKind) for k in kinds)
    order = [k.id for k in CATALOG.kinds]
    assert [k.id for k in kinds] == sorted((k.id for k in kinds), key=order.index)


def test_paragraphs_exclude_notes(ctx):
    assert [p.text for p in P.paragraphs(ctx)] == [
        "上海市某某局2025年部门预算", "负责 财政 工作。", "本部门政府采购预算总额120.00万元。",
        "本部门无政府性基金预算拨款安排的支出，故本表无数据。", "另一段说明。", "一、财政拨款收入：指……",
    ]


def test_paragraphs_of_a_section(ctx):
    assert [p.text for p in P.paragraphs(ctx, P.section(ctx, "第一部分"))] == [
        "负责 财政 工作。", "本部门政府采购预算总额120.00万元。",
    ]
    second = P.section(ctx, "第二部分")
    assert [p.text for p in P.paragraphs(ctx, second)] == [
        "本部门无政府性基金预算拨款安排的支出，故本表无数据。", "另一段说明。",
    ]
    assert P.paragraphs(ctx, P.section(ctx, "机构设置")) == []
    # a section that is not there has no paragraphs (not the whole document's)
    assert P.paragraphs(ctx, P.section(ctx, "绩效目标")) == []
    # several sections: their paragraphs in order
    assert [p.text for p in P.paragraphs(ctx, P.sections(ctx, re.compile("第[一三]部分")))] == [
        "负责 财政 工作。", "本部门政府采购预算总额120.00万元。", "一、财政拨款收入：指……",
    ]


def test_unread(ctx):
    assert P.unread(ctx) == []
    (picture,) = P.unread(ctx_of("某局2025年部门预算\n一、部门收入总表\n[图片]"))
    (page,) = P.unread(ctx_of("某局2025年部门预算\n[图]\n一、部门职责"))
    assert picture.location.line == 3 and page.location.page == 2 and picture.unread and page.unread


def test_head(ctx):
    opening = P.head(ctx, P.paragraphs(ctx, P.sections(ctx, re.compile("职责|采购"))))
    assert [p.text for p in opening] == ["负责 财政 工作。"]
    assert P.head(ctx, [1, 2, 3], 2) == [1, 2] and P.head(ctx, [1], 5) == [1]
    assert P.head(ctx, None) == [] and P.head(ctx, [1, 2], 0) == []


def test_notes_attached_and_following(ctx):
    income, fund, sangong = P.tables(ctx)
    # the attached 注：… note and its continuation, each once
    assert [n.text for n in P.notes(ctx, income)] == ["注：单位为万元。", "以上为收入预算。"]
    # no 注：…, but the paragraphs right after the table up to the next table
    assert [n.text for n in P.notes(ctx, fund)] == ["本部门无政府性基金预算拨款安排的支出，故本表无数据。", "另一段说明。"]
    # stops at the next heading
    assert P.notes(ctx, sangong) == []
    # with a pattern (a regex or a plain text), only the notes that match it
    assert [n.text for n in P.notes(ctx, fund, re.compile("无|没有"))] == ["本部门无政府性基金预算拨款安排的支出，故本表无数据。"]
    assert [n.text for n in P.notes(ctx, income, "收入")] == ["以上为收入预算。"]
    assert P.notes(ctx, sangong, "无") == []


def test_notes_stop_at_the_next_heading_and_include_attached_notes_first():
    ctx = ctx_of("[表] 收入表\n| 项目 | 合计 |\n注：本表无数据。\n# 二、说明\n一段文字。")
    (table,) = P.tables(ctx)
    assert [n.text for n in P.notes(ctx, table)] == ["注：本表无数据。"]
    assert all(n.is_note for n in P.notes(ctx, table))


def test_notes_of_a_table_outside_the_document(ctx):
    note = Paragraph("注：外部。", Location("x"), is_note=True)
    table = Table("外部表", (), Location("x"), notes=(note,))
    assert P.notes(ctx, table) == [note]


def test_table_notes_attribute_and_text(ctx):
    income = P.tables(ctx)[0]
    assert [n.text for n in P.get_attribute(ctx, income, "notes")] == ["注：单位为万元。", "以上为收入预算。"]
    assert P.text(ctx, P.notes(ctx, income)) == "注：单位为万元。\n以上为收入预算。"


# ---- predicates and values ----

@pytest.mark.parametrize(
    "value, expected",
    [(None, False), ("", False), ([], False), ((), False), (0, True), (False, True), ("a", True), ([0], True)],
)
def test_exists(ctx, value, expected):
    assert P.exists(ctx, value) is expected


def test_exists_on_document_values(ctx):
    assert P.exists(ctx, P.section(ctx, "职责")) is True
    assert P.exists(ctx, P.section(ctx, "绩效")) is False
    assert P.exists(ctx, P.tables(ctx)) is True


def test_is_empty(ctx):
    income, fund, sangong = P.tables(ctx)
    assert P.is_empty(ctx, income) is False
    assert P.is_empty(ctx, fund) is True
    assert P.is_empty(ctx, sangong) is False
    header_only = ctx_of("[表] 收入表\n| 项目 | 合计 |")
    assert P.is_empty(header_only, P.tables(header_only)[0]) is True
    dashes = ctx_of("[表] 收入表\n| 项目 | 合计 |\n| 合计 | - |\n| 其中 | |")
    assert P.is_empty(dashes, P.tables(dashes)[0]) is True


def test_is_blank(ctx):
    # 二、机构设置 is followed directly by 三、…: blank
    assert P.is_blank(ctx, P.section(ctx, "机构设置")) is True
    assert P.is_blank(ctx, P.section(ctx, "职责")) is False
    assert P.is_blank(ctx, P.section(ctx, "采购")) is False
    assert P.is_blank(ctx, P.section(ctx, "第二部分")) is False  # tables count as content


@pytest.mark.parametrize(
    "text, title, expected",
    [
        ("# 五、绩效\n# 六、采购\n内容", "绩效", True),
        ("# 五、绩效", "绩效", True),  # nothing after it at all
        ("# 五、绩效\n# 第四部分 名词解释\n内容", "绩效", False),  # another numbering style follows
        ("# 五、绩效\n## （一）目标\n内容", "五、绩效", False),
        ("# 五、绩效\n## （一）目标\n# 六、采购\n内容", "五、绩效", False),
        ("# 五、绩效\n[表] 绩效目标表\n| 项目 | 目标 |\n# 六、采购", "绩效", False),
        ("# 五、绩效\n   \n# 六、采购", "绩效", True),
    ],
)
def test_is_blank_cases(text, title, expected):
    ctx = ctx_of(text)
    assert P.is_blank(ctx, P.section(ctx, title)) is expected


def test_text(ctx):
    whole = P.text(ctx)
    assert whole.startswith("上海市某某局2025年部门预算\n第一部分部门概况\n一、部门主要职责\n负责财政工作。")
    assert "财政拨款收入100.00" in whole
    assert P.text(ctx, P.section(ctx, "职责")) == "一、部门主要职责\n负责财政工作。"
    assert P.text(ctx, P.tables(ctx)[0]) == "2025年部门收入预算总表\n项目合计\n财政拨款收入100.00\n事业收入0.00"
    assert P.text(ctx, P.paragraphs(ctx)[1]) == "负责财政工作。"
    assert P.text(ctx, ["甲", P.paragraphs(ctx)[1]]) == "甲\n负责财政工作。"
    assert P.text(ctx, "原样 文字") == "原样 文字"
    assert P.text(ctx, 12.5) == "12.5"


def test_text_of_a_table_includes_its_preamble():
    table = Table("表", ((Cell("项目", 0, 0),),), Location("x"), preamble=("单位： 万元",))
    assert P.text(None, table) == "表\n单位：万元\n项目"


@pytest.mark.parametrize("value, expected", [(None, 0), ([], 0), ([1, 2, 3], 3), ((1,), 1), ("abc", 3)])
def test_count(ctx, value, expected):
    assert P.count(ctx, value) == expected


def test_join(ctx):
    assert P.join(ctx, ["政府性基金", "政府基金"]) == "政府性基金、政府基金"
    assert P.join(ctx, [1.0, 2.5, None, True]) == "1、2.5、（无）、是"
    assert P.join(ctx, None) == ""
    assert P.join(ctx, P.tables(ctx)[:2]) == "2025年部门收入预算总表、2025年部门政府性基金预算支出功能分类预算表"


def test_excerpt(ctx):
    long = "一二三四五六七八九十" * 4
    assert P.excerpt(ctx, long) == long[:30] + "…"
    assert P.excerpt(ctx, long, 5.0) == "一二三四五…"
    assert P.excerpt(ctx, "短文字") == "短文字"
    assert P.excerpt(ctx, "五个字正好", 5) == "五个字正好"
    assert P.excerpt(ctx, None) == "（无）"


def test_find(ctx):
    assert P.find(ctx, "2025年减少1.00万元，原因是……", re.compile(r"[^。]*(增加|减少)[^，。]*")) == "2025年减少1.00万元"
    assert P.find(ctx, "没有变化", re.compile("增加|减少")) == ""
    assert P.find(ctx, "公务接待费", "接待") == "接待"
    assert P.find(ctx, "公务接待费", "出国") == ""
    assert P.find(ctx, P.section(ctx, "职责"), re.compile("负责.*")) == "负责财政工作。"
    assert P.find(ctx, None, re.compile(".")) == ""
    assert P.find(ctx, "第一句。更有效的整合\n有效的 整合社区资源，为居民服务。", "更有效", 4) == "第一句。更有效的整合…"
    assert P.find(ctx, "甲乙丙", re.compile("乙"), 5) == "甲乙丙"  # nothing cut, no …


@pytest.mark.parametrize(
    "text, word, expected",
    [
        # says there is none
        ("本部门无政府性基金预算拨款安排的支出，故本表无数据。", "政府性基金", True),
        ("本部门没有安排“三公”经费。", "三公", True),
        ("2025年本部门未安排因公出国（境）费用。", "出国", True),
        ("本单位不涉及国有资本经营预算支出。", "国有资本经营", True),
        ("“三公”经费预算为0。", "三公", True),
        ("“三公”经费预算为零。", "三公", True),
        ("“三公”经费预算为0.00万元。", "三公", True),
        ("“三公”经费支出0万元。", "三公", True),
        ("“三公”经费支出0.00元。", "三公", True),
        ("政府性基金预算支出表为空。", "政府性基金", True),
        ("政府性基金预算支出无数据。", "政府性基金", True),
        # amounts that are not zero
        ("“三公”经费预算12.00万元，比上年减少1.00万元。", "三公", False),
        ("“三公”经费预算为10万元。", "三公", False),
        ("“三公”经费预算120万元。", "三公", False),
        ("“三公”经费预算为0.50万元。", "三公", False),
        ("“三公”经费预算为0.05万元。", "三公", False),
        ("“三公”经费预算1,000.00元。", "三公", False),
        # the word is not there, or too far, or across a sentence
        ("本部门无政府性基金预算拨款安排的支出。", "三公", False),
        ("本部门无。“三公”经费预算12.00万元。", "三公", False),
        ("无" + "很" * 25 + "三公", "三公", False),
        ("三公经费减少0.5万元。", "三公", False),
        # the zero belongs to another term: after a comma, after an enumeration mark, not the first figure
        ("一般公共预算收入89.45，基金预算收入0元。", "一般公共预算", False),
        ("一般公共预算收入89.45、基金预算收入0元。", "一般公共预算", False),
        ("一般公共预算收入89.45万元其中基金0元。", "一般公共预算", False),
        ("无增减变化，一般公共预算支出100万元。", "一般公共预算", False),
        ("2023年，我部门财政拨款“三公”经费预算安排0万元。", "财政拨款", False),
        ("本部门无偿使用国有资产。", "国有资产", False),
        # … while a year is not a figure, and an enumeration of what there is none of keeps its 、
        ("政府性基金预算2025年为0。", "政府性基金", True),
        ("本部门无政府性基金、国有资本经营预算拨款。", "国有资本经营", True),
        ("一般公共预算收入0元，基金预算收入89.45。", "一般公共预算", True),
    ],
)
def test_states_absence(ctx, text, word, expected):
    assert P.states_absence(ctx, text, word) is expected


def test_states_absence_on_document_values(ctx):
    fund = P.tables(ctx)[1]
    assert P.states_absence(ctx, P.notes(ctx, fund), "政府性基金") is True
    assert P.states_absence(ctx, P.section(ctx, "第二部分"), "政府性基金") is True
    assert P.states_absence(ctx, P.section(ctx, "第一部分"), "政府性基金") is False
    assert P.states_absence(ctx, None, "三公") is False


@pytest.mark.parametrize(
    "text, topic, expected",
    [
        # names the topic, then a figure or that there is none
        ("2025年本部门机关运行经费预算为184.65万元。", "机关运行经费", True),
        ("机关运行经费支出10.23万元，比2023年度增加10.23万元。", "机关运行经费", True),
        ("截至2024年8月31日，本部门共有车辆3辆，其中：……", re.compile("国有资产|共有车辆"), True),
        ("2024年上海市普陀区社会福利院无机关运行经费。", "机关运行经费", True),
        ("本单位为公益二类事业单位，不涉及机关运行经费。", "机关运行经费", True),
        ("政府采购预算0元。", "政府采购", True),
        ("本单位国有资产中房屋1,200.5平方米。", "国有资产", True),
        ("2025年“三公”经费预算数为346.30万元，与2024年预算持平。", re.compile("三公”?经费"), True),
        # a mention without a figure: a definition, a 目录 line, a duty
        ("（八）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
         "机关运行经费", False),
        ("9．2025年部门“三公”经费和机关运行经费预算表", "机关运行经费", False),
        ("（五）拟订和组织实施本区行政事业单位国有资产管理规章制度。", "国有资产", False),
        # the figure comes before the topic, or in another sentence
        ("信息化建设166.66万元，主要用于资产管理信息系统维护、政府采购系统维护。", "政府采购", False),
        ("基本支出100万元。主要用于机关运行经费。", "机关运行经费", False),
        ("车辆运行维护费用于2025年。", "车辆", False),
    ],
)
def test_discloses(ctx, text, topic, expected):
    assert P.discloses(ctx, text, topic) is expected


def test_discloses_on_document_values(ctx):
    assert P.discloses(ctx, P.section(ctx, "政府采购"), "政府采购") is True
    assert P.discloses(ctx, P.section(ctx, "职责"), "财政") is False
    assert P.discloses(ctx, None, "三公") is False


def test_paragraphs_outside():
    c = ctx_of("""\
某局2025年部门预算
# 目录
一、机关运行经费
# 第一部分 部门概况
本部门机关运行经费预算为10.00万元。
# 第二部分 名词解释
## 一、机关运行经费
指……
""")
    texts = [p.text for p in P.paragraphs_outside(c, re.compile("^目录$|名词解释"))]
    assert texts == ["某局2025年部门预算", "本部门机关运行经费预算为10.00万元。"]
    assert len(P.paragraphs_outside(c, re.compile("没有这一节"))) == len(P.paragraphs(c))


def test_missing(ctx):
    text = "因公出国（境）费 公务接待费"
    items = [re.compile("因公出国"), re.compile("公务用车"), "公务接待", "会议费"]
    assert P.missing(ctx, text, items) == [items[1], items[3]]
    assert P.missing(ctx, text, []) == []
    assert P.missing(ctx, text, None) == []
    assert P.missing(ctx, P.tables(ctx)[2], [re.compile("因公出国"), re.compile("公务用车")]) == [items[1]]
    assert P.join(ctx, P.missing(ctx, "", [re.compile("公务用车"), "会议费"])) == "公务用车、会议费"


def test_has_amount(ctx):
    assert P.has_amount(ctx, "财政拨款收入") is True
    assert P.has_amount(ctx, "公务接待") is True  # a column header with a non-zero amount
    assert P.has_amount(ctx, "事业收入") is False  # only 0.00
    assert P.has_amount(ctx, "因公出国") is False  # column of zeros
    assert P.has_amount(ctx, "经营收入") is False  # not in any table


def test_has_amount_ignores_spaces_in_labels():
    ctx = ctx_of("[表] 收入表\n| 项目 | 合计 |\n| 事 业 收 入 | 5.00 |")
    assert P.has_amount(ctx, "事业收入") is True


# ---- attributes and display ----

def test_attributes(ctx):
    income, fund, _ = P.tables(ctx)
    get = P.get_attribute
    assert get(ctx, income, "caption") == "2025年部门收入预算总表"
    assert get(ctx, income, "kind").id == "收入表"
    assert get(ctx, income, "empty") is False and get(ctx, fund, "empty") is True
    assert get(ctx, income, "page") is None
    kind = get(ctx, fund, "kind")
    assert get(ctx, kind, "fund") == ["政府性基金", "政府基金"]
    assert get(ctx, kind, "name") == "政府性基金预算支出表"
    assert get(ctx, kind, "required") is True
    assert get(ctx, CATALOG.get("资产表"), "required") is False
    sec = P.section(ctx, "职责")
    assert get(ctx, sec, "title") == "一、部门主要职责"
    assert get(ctx, sec, "body") == "负责财政工作。"
    assert get(ctx, P.section(ctx, "第二部分"), "tables") == list(P.tables(ctx))
    assert get(ctx, P.paragraphs(ctx)[1], "text") == "负责财政工作。"
    facts = ctx.facts
    assert [get(ctx, facts, a) for a in ("kind", "level", "year", "org")] == ["预算", "部门", 2025, "上海市某某局"]
    assert get(ctx, None, "caption") is None
    with pytest.raises(AttributeError):
        get(ctx, income, "title")
    with pytest.raises(AttributeError):
        get(ctx, "文字", "text")
    assert P.ATTRIBUTE_NAMES >= {"caption", "kind", "fund", "title", "body", "year", "org", "required"}


def test_kind_name_follows_the_document_kind():
    ctx = ctx_of("上海市某某局2024年度部门决算\n[表] 收入决算表\n| 项目 | 合计 |")
    kind = P.get_attribute(ctx, P.tables(ctx)[0], "kind")
    assert P.get_attribute(ctx, kind, "name") == "收入决算表"


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "（无）"), (True, "是"), (False, "否"), (2.0, "2"), (2.5, "2.5"), (3, "3"), ("文字", "文字"),
        (["a", 1.0, ["b"]], "a、1、b"), ((), ""),
        (re.compile("运行(维护)?费|运行维修费"), "运行维护费"),
    ],
)
def test_display(value, expected):
    assert P.display(value) == expected


def test_display_of_document_values(ctx):
    assert P.display(P.tables(ctx)[0]) == "2025年部门收入预算总表"
    assert P.display(Table("", (), Location("x"))) == "（无标题表格）"
    assert P.display(P.section(ctx, "职责")) == "一、部门主要职责"
    assert P.display(P.paragraphs(ctx)[1]) == "负责 财政 工作。"
    assert P.display(CATALOG.get("收入表")) == "收入表"


def test_doc_global(ctx):
    assert P.GLOBALS["doc"](ctx) is ctx.facts


def test_section_values_are_sections(ctx):
    assert all(isinstance(s, Section) for s in P.sections(ctx))
    assert isinstance(P.section(ctx, "职责").heading, Heading)


@pytest.mark.parametrize("family", ["text", "numbers", "statements", "codes"])
def test_rules_compile_whichever_primitive_family_is_imported_first(family):
    """A family module imported before `primitives` still has its attributes known to the compiler."""
    code = (f"import openlint.judge.{family}\n"
            "from openlint.judge.engine import load_rules\n"
            "print(len(load_rules().rules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout) > 90


def test_with_list_reads_a_list_written_one_item_a_line():
    ctx = Context(build("某局2025年度部门决算\n2、公务用车购置及运行维护费支出37.35万元。其中：\n公务用车购置支出为25万元。\n"
                        "公务用车运行维护支出12.35万元。\n3、公务接待费支出0万元。\n# 四、其他\n正文。"), load_catalog())
    _, first, second, third, fourth, _ = P.paragraphs(ctx)
    assert P.with_list(ctx, first) == "2、公务用车购置及运行维护费支出37.35万元。其中：公务用车购置支出为25万元。公务用车运行维护支出12.35万元。"
    assert P.with_list(ctx, second) == "公务用车购置支出为25万元。"  # no list opened: the paragraph alone
    assert P.with_list(ctx, fourth) == "3、公务接待费支出0万元。"
