"""The rule compiler: semantic errors located like a compiler's, and evaluation semantics."""

from __future__ import annotations

import unicodedata

import pytest

from docbuilder import build
from openlint.dsl.compiler import CompiledRule, check_unique, compile_text
from openlint.dsl.parser import RuleError
from openlint.findings import Severity
from openlint.judge import primitives
from openlint.judge.context import Context
from openlint.understand.catalog import load_catalog

PATH = "rules/test.olr"
CATALOG = load_catalog()
KINDS = frozenset(k.id for k in CATALOG.kinds)

# Lines 1–6; the check goes on line 7 (`  require ` is 10 characters: expressions start at column 11).
HEAD = '''rule T-1 {
  title    "t"
  severity error
  category table
  basis    "b"
  message  "m"
'''


def compile_one(text: str, path: str = PATH) -> CompiledRule:
    (rule,) = compile_text(text, path, primitives, KINDS)
    return rule


def rule_text(check: str, message: str = "m", applies: str = "") -> str:
    applies_line = f"  applies  {applies}\n" if applies else ""
    quoted = '"' + message.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (f'rule T-1 {{\n  title "t"\n  severity warning\n  category structure\n  basis "b"\n'
            f"{applies_line}  message  {quoted}\n  {check}\n}}\n")


def run(check: str, doc: str, message: str = "m"):
    rule = compile_one(rule_text(check, message))
    return list(rule.run(Context(build(doc), CATALOG)))


def holds(condition: str, doc: str = "上海市某某局2025年部门预算") -> bool:
    """Whether `require condition` passes on the document."""
    return run(f"require {condition}", doc) == []


# ---- semantic errors ----

SEMANTIC_ERRORS = [
    # unknown function
    (HEAD + "  require foo(1)\n}\n", 7, 11, "未知的函数 foo()"),
    (HEAD + "  require any(tables())\n}\n", 7, 11, "未知的函数 any()"),
    (HEAD + "  require exists(section(/a/)) and bogus()\n}\n", 7, 36, "未知的函数 bogus()"),
    # wrong number of arguments
    (HEAD + "  require exists()\n}\n", 7, 11, "函数 exists() 需要 1 个参数，给了 0 个"),
    (HEAD + '  require excerpt("a", 1, 2) == "a"\n}\n', 7, 11, "需要 1–2 个参数，给了 3 个"),
    (HEAD + "  require count(required_tables(1)) > 0\n}\n", 7, 17, "需要 0 个参数，给了 1 个"),
    # unknown table kind in a string literal
    (HEAD + '  require count(tables("不存在的表")) > 0\n}\n', 7, 24, "未知的表类型 '不存在的表'"),
    (HEAD + '  require exists(table("收入总表"))\n}\n', 7, 24, "未知的表类型 '收入总表'"),
    # unbound variable
    (HEAD + "  require exists(t)\n}\n", 7, 18, "未定义的名称 't'"),
    (HEAD + "  for each t in tables() where exists(u)\n  require 1\n}\n", 7, 39, "未定义的名称 'u'"),
    (HEAD + "  require any(x in tables(): exists(x)) and exists(x)\n}\n", 7, 52, "未定义的名称 'x'"),
    (HEAD + "  for each t in t.notes\n  require 1\n}\n", 7, 17, "未定义的名称 't'"),
    # unknown attribute
    (HEAD + "  require exists(doc.foo)\n}\n", 7, 22, "未知的属性 'foo'"),
    (HEAD + "  for each t in tables()\n  require t.kind.colour == 1\n}\n", 8, 18, "未知的属性 'colour'"),
    # bad regex and regex flag
    (HEAD + "  require text() matches /(/\n}\n", 7, 26, "正则表达式有误"),
    (HEAD + "  require text() matches /a/x\n}\n", 7, 26, "未知的正则标志 'x'"),
    # metadata
    ('rule T-1 {\n  title "t"\n  severity error\n  category tabel\n  basis "b"\n  message "m"\n  require 1\n}',
     4, 12, "未知的类别 'tabel'"),
    ('rule T-1 {\n  title "t"\n  severity fatal\n  category table\n  basis "b"\n  message "m"\n  require 1\n}',
     3, 12, "未知的严重程度 'fatal'"),
    ('rule T-1 {\n  title "t"\n  severity "Error"\n  category table\n  basis "b"\n  message "m"\n  require 1\n}',
     3, 12, "未知的严重程度 'Error'"),
    (HEAD + "}\n", 1, 6, "规则 T-1 缺少检查"),
    (HEAD + "  require 1\n  for each t in tables() require 1\n}\n", 8, 3, "规则 T-1 只能有一个检查"),
    (HEAD + "  applies 预算, 省级\n  require 1\n}\n", 1, 6, "未知的文档类型 '省级'"),
    # errors inside message placeholders are located inside the message (`  message  "` ends at column 12)
    (HEAD.replace('"m"', '"m {foo}"') + "  require 1\n}\n", 6, 16, "未定义的名称 'foo'"),
    (HEAD.replace('"m"', '"表{t.caption}"') + "  require 1\n}\n", 6, 15, "未定义的名称 't'"),
    (HEAD.replace('"m"', '"{doc.nope}"') + "  require 1\n}\n", 6, 18, "未知的属性 'nope'"),
    (HEAD.replace('"m"', '"{x}{nothing(1)}"') + "  for each x in tables()\n  require 1\n}\n", 6, 17, "未知的函数 nothing()"),
    # let: names are bound in order, once, and stay out of the way of built-in and loop names
    (HEAD + "  let a = b\n  let b = 1\n  require a\n}\n", 7, 11, "未定义的名称 'b'"),
    (HEAD + "  let a = 1\n  let a = 2\n  require a\n}\n", 8, 7, "名称 'a' 已由前面的 let 定义"),
    (HEAD + "  let doc = 1\n  require doc\n}\n", 7, 7, "名称 'doc' 是内置名称"),
    (HEAD + "  let t = tables()\n  for each t in t\n  require 1\n}\n", 8, 3, "for each 的名称 't' 已由 let 定义"),
    (HEAD + "  require a\n  let a = 1\n}\n", 8, 7, "let a 应写在检查（require 或 for each）之前"),
    (HEAD + "  let a = foo()\n  require a\n}\n", 7, 11, "未知的函数 foo()"),
    # named patterns: defined once, before use, without flags, valid; called by a defined name
    (HEAD + "  require text() matches /a(?&ORG)b/\n}\n", 7, 28, "未定义的模式 'ORG'"),
    ("pattern A = /x/\npattern A = /y/\n" + HEAD + "  require 1\n}\n", 2, 9, "模式 A 重复定义"),
    ("pattern A = /x/i\n" + HEAD + "  require 1\n}\n", 1, 13, "命名模式不能带标志 'i'"),
    ("pattern A = /(x/\n" + HEAD + "  require 1\n}\n", 1, 13, "正则表达式有误"),
    ("pattern A = /(?&B)/\npattern B = /x/\n" + HEAD + "  require 1\n}\n", 1, 14, "未定义的模式 'B'"),
    ("pattern A = /(/\npattern B = /(?&A))/\n" + HEAD + "  require 1\n}\n", 1, 13, "正则表达式有误"),
]


@pytest.mark.parametrize("source, line, column, message", SEMANTIC_ERRORS)
def test_semantic_error(source, line, column, message):
    with pytest.raises(RuleError) as info:
        compile_text(source, PATH, primitives, KINDS)
    err = info.value
    assert (err.file, err.line, err.column) == (PATH, line, column), str(err)
    assert message in err.message
    # the source line and a caret, from the text compiled (the file need not exist)
    assert err.source_line == source.splitlines()[line - 1]
    caret_line = str(err).splitlines()[2]
    width = lambda text: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert caret_line.endswith("^") and width(caret_line[4:-1]) == width(err.source_line[: column - 1])


@pytest.mark.parametrize("missing", ["title", "severity", "category", "basis", "message"])
def test_missing_required_field(missing):
    lines = [line for line in HEAD.splitlines() if not line.strip().startswith(missing + " ")]
    source = "\n".join(lines) + "\n  require 1\n}\n"
    with pytest.raises(RuleError) as info:
        compile_text(source, PATH, primitives, KINDS)
    assert (info.value.line, info.value.column) == (1, 6)
    assert f"规则 T-1 缺少字段 {missing}" in info.value.message


def test_error_source_line_is_read_from_the_file_when_no_text_is_at_hand(tmp_path):
    # check_unique has only the rules, not their text
    path = tmp_path / "dup.olr"
    path.write_text(HEAD + "  require 1\n}\n", encoding="utf-8")
    a = compile_one(path.read_text(encoding="utf-8"), str(path))
    with pytest.raises(RuleError) as info:
        check_unique([a, a])
    assert info.value.file == str(path)
    assert info.value.source_line.startswith("rule T-1")


def test_duplicate_rule_id_across_files():
    first = compile_text(HEAD + "  require 1\n}\n", "rules/a.olr", primitives, KINDS)
    second = compile_text("# another pack\n\n" + HEAD + "  require 1\n}\n", "rules/b.olr", primitives, KINDS)
    check_unique(first)  # alone: fine
    with pytest.raises(RuleError) as info:
        check_unique(first + second)
    err = info.value
    assert (err.file, err.line) == ("rules/b.olr", 3)
    assert "规则编号 T-1 重复" in err.message
    assert "rules/a.olr:1" in err.message


def test_duplicate_rule_id_in_one_file():
    text = HEAD + "  require 1\n}\n" + HEAD + "  require 1\n}\n"
    with pytest.raises(RuleError) as info:
        check_unique(compile_text(text, PATH, primitives, KINDS))
    assert (info.value.line, "T-1 重复" in info.value.message) == (9, True)


def test_named_patterns_are_called_by_name_in_any_regex_of_the_file():
    text = ('pattern SUFFIX = /(局|中心)/\n'
            'pattern ORG = /[\\u4e00-\\u9fff]{2,8}?(?&SUFFIX)/\n'
            + HEAD.replace('"m"', '"{x}"') + '  for each x in occurrences(/(?P<name>(?&ORG))设\\d+个内设机构/)\n  require false\n}\n')
    rule = compile_one(text)
    doc = build("上海市某某局2025年部门预算\n上海市某某局设3个内设机构。\n某某中心设2个内设机构。\n某某处设1个。")
    messages = [f.message for f in rule.run(Context(doc, CATALOG))]
    assert len(messages) == 2 and "上海市某某局设3个内设机构" in messages[0] and "某某中心设2个内设机构" in messages[1]
    # a call is a group of its own: a quantifier after it applies to the whole pattern
    rule = compile_one('pattern AB = /ab/\n' + HEAD + '  require text() matches /^x(?&AB){2}$/\n}\n')
    assert not list(rule.run(Context(build("xabab"), CATALOG)))
    assert list(rule.run(Context(build("xabb"), CATALOG)))
    # patterns belong to their file
    with pytest.raises(RuleError, match="未定义的模式 'AB'"):
        compile_text(HEAD + '  require text() matches /(?&AB)/\n}\n', "rules/other.olr", primitives, KINDS)


def test_known_table_kind_and_non_literal_kind_compile():
    compile_one(HEAD + '  require count(tables("三公经费支出表")) >= 0\n}\n')
    compile_one(HEAD + "  for each k in required_tables()\n  require count(tables(k.id)) >= 0\n}\n")


def test_rule_doc_metadata():
    text = '''rule SG-009 {
  title    "标题"
  severity note
  category sangong
  basis    "依据"
  applies  决算, 单位, since 2021, until 2025
  help """
    说明
  """
  bad      "坏"
  good     "好"
  message  "m"
  require  1
}
'''
    rule = compile_one(text, "rules/x.olr")
    doc = rule.doc
    assert (rule.id, doc.title, doc.severity, doc.category, doc.basis) == ("SG-009", "标题", Severity.NOTE, "sangong", "依据")
    assert (doc.help, doc.bad, doc.good) == ("说明", "坏", "好")
    assert doc.source == "rules/x.olr:1"
    assert doc.applies == "决算、单位，2021年起，至2025年"
    assert compile_one(HEAD + "  require 1\n}\n").doc.applies == "全部文档"
    assert compile_one(HEAD + "  require 1\n}\n").doc.help == ""


# ---- evaluation ----

DOC = """\
2025年部门预算
# 第一部分 部门概况
## 一、部门主要职责
负责 财政 工作。
[表] 2025年部门政府性基金预算支出功能分类预算表
| 项目 | 合计 |
| 合计 | 0.00 |
[表] 某某自制统计表
| 项目 | 合计 |
| 合计 | 12.00 |
"""


def test_message_interpolates_attributes_lists_and_numbers():
    findings = run(
        "for each t in tables() where exists(t.kind) require 0 > 1",
        DOC,
        message="“{t.caption}”资金{t.kind.fund}，共{count(tables())}张，{1 + 1}，{3 / 2}，{doc.year}年，{doc.org}，{exists(t.kind)}",
    )
    assert [f.message for f in findings] == [
        "“2025年部门政府性基金预算支出功能分类预算表”资金政府性基金、政府基金，共2张，2，1.5，2025年，（无），是"
    ]


def test_message_joins_list_literals_and_renders_regexes():
    message = '{["甲", "乙", 3]}|{/因公出国|出国/}|{/运行(维护)?费/}|{join(["x", 2.0])}|{1 > 2}'
    (finding,) = run('require 0 > 1', DOC, message=message)
    # a /regex/ reads as its first alternative without metacharacters
    assert finding.message == "甲、乙、3|因公出国|运行维护费|x、2|否"


def test_message_without_placeholders_and_with_plain_text():
    (finding,) = run("require 0 > 1", DOC, message="本文无占位符")
    assert finding.message == "本文无占位符"


def test_for_each_finding_location_and_anchor():
    findings = run("for each t in tables() require is_empty(t)", DOC, message="{t.caption}")
    (finding,) = findings
    assert finding.message == "某某自制统计表"
    assert finding.anchor == "某某自制统计表"
    assert finding.location.line == 8
    assert finding.location.table == "某某自制统计表"
    assert (finding.rule_id, finding.severity, finding.category) == ("T-1", Severity.WARNING, "structure")


def test_at_points_a_finding_elsewhere():
    # at a section (its heading), instead of the element or the document; a place without a
    # location (nothing found) leaves the finding where it would be
    (finding,) = run('for each t in tables() require is_empty(t) at section(/职责/)', DOC)
    assert (finding.location.line, finding.location.table) == (3, None)
    (finding,) = run('require 0 > 1 at tables()', DOC)
    assert finding.location.line == 5  # the first table's caption
    (finding,) = run('for each t in tables() require is_empty(t) at section(/没有这一节/)', DOC)
    assert finding.location.line == 8
    (finding,) = run('require 0 > 1 at section(/没有这一节/)', DOC)
    assert finding.location == Context(build(DOC), CATALOG).location


def test_let_names_a_value_for_the_check_the_where_and_the_message():
    rule = compile_one(HEAD.replace('"m"', '"{t.caption}：共 {n} 张表"') + (
        "  let all_tables = tables()\n"
        "  let n = count(all_tables)\n"
        "  for each t in all_tables where n > 1\n"
        "  require is_empty(t)\n}\n"))
    (finding,) = rule.run(Context(build(DOC), CATALOG))
    assert finding.message == "某某自制统计表：共 2 张表"
    assert list(compile_one(HEAD + "  let n = count(tables())\n  require n == 2\n}\n").run(Context(build(DOC), CATALOG))) == []
    assert len(list(compile_one(HEAD + "  let n = count(tables())\n  require n == 3\n}\n").run(Context(build(DOC), CATALOG)))) == 1


def test_let_may_span_lines():
    text = HEAD + "  let xs = [1,\n            2, 3]\n  for each x in xs\n  require x < 3\n}\n"
    rule = compile_one(text)
    findings = list(rule.run(Context(build(DOC), CATALOG)))
    assert [f.anchor for f in findings] == ["3"]


def test_require_finding_is_located_at_the_document():
    (finding,) = run("require 0 > 1", DOC)
    assert finding.location.file == "case.txt"
    assert finding.location.line is None


def test_where_filters_elements():
    assert run("for each t in tables() where not exists(t.kind) require 0 > 1", DOC, "{t.caption}")[0].message == "某某自制统计表"
    assert run("for each x in [1, 2, 3, 4] where x > 2 require 0 > 1", DOC, "{x}").__len__() == 2
    assert run("for each x in [] require 0 > 1", DOC) == []


@pytest.mark.parametrize(
    "condition, expected",
    [
        ("any(x in [1, 2, 3]: x > 2)", True),
        ("any(x in [1, 2, 3]: x > 3)", False),
        ("all(x in [1, 2, 3]: x > 0)", True),
        ("all(x in [1, 2, 3]: x > 1)", False),
        ("none(x in [1, 2, 3]: x > 3)", True),
        ("none(x in [1, 2, 3]: x > 2)", False),
        ("count(x in [1, 2, 3]: x > 1) == 2", True),
        ("count(x in [1, 2, 3]: x > 1) == 3", False),
        # empty collections
        ("any(x in []: 1 == 1)", False),
        ("all(x in []: 1 == 2)", True),
        ("none(x in []: 1 == 1)", True),
        ("count(x in []: 1 == 1) == 0", True),
        # nothing is an empty collection
        ("all(x in doc.org: 1 == 2)", True),
        ("count(x in doc.org: 1 == 1) == 0", True),
        # nested binders, shadowing, and outer variables
        ("any(x in [1, 2]: any(y in [3, 4]: x + y == 6))", True),
        ("any(x in [1]: any(x in [2]: x == 2))", True),
        ("all(x in [1, 2]: count(y in [1, 2, 3]: y > x) >= 1)", True),
        # quantifiers over document collections
        ("any(t in tables(): t.caption matches /政府性基金/)", True),
        ("all(t in tables(): exists(t.kind))", False),
        ("count(t in tables(): is_empty(t)) == 1", True),
        ("count(tables()) == 2", True),
        # filter: the items for which the condition holds, in order
        ("filter(x in [1, 2, 3]: x > 1) == [2, 3]", True),
        ("count(filter(x in [1, 2, 3]: x > 5)) == 0", True),
        ("filter(x in doc.org: 1 == 1) == []", True),
        ("count(filter(t in tables(): is_empty(t))) == 1", True),
    ],
)
def test_quantifiers(condition, expected):
    assert holds(condition, DOC) is expected


@pytest.mark.parametrize(
    "condition, expected",
    [
        # arithmetic and comparisons
        ("1 + 2 * 3 == 7", True),
        ("(1 + 2) * 3 == 9", True),
        ("1 - 2 * 3 / 4 == -0.5", True),
        ("-(2) + 3 == 1", True),
        ("10 / 4 == 2.5", True),
        ("1 / 0 == 1 / 0", True),  # division by zero is nothing, and nothing == nothing
        ("exists(1 / 0)", False),
        ('"a" != "b"', True),
        ("2 >= 2 and 2 <= 2 and 1 < 2 and 2 > 1", True),
        # boolean operators
        ("not 0", True),
        ("not []", True),
        ("not [0]", False),
        ('not ""', True),
        ("1 == 2 or 2 == 2", True),
        ("1 == 1 and 2 == 3", False),
        # short-circuit: the right side never runs
        ('1 == 1 or "a" - 1 > 0', True),
        ('1 == 2 and "a" - 1 > 0', False),
        # matches and contains
        ('"本部门无三公经费" matches /无.{0,5}三公/', True),
        ('"ABC" matches /abc/', False),
        ('"ABC" matches /abc/i', True),
        ('"a\\nb" matches /^b/', False),
        ('"a\\nb" matches /^b/m', True),
        ('"a\\nb" matches /a.b/s', True),
        ('"收支总表" matches "支总"', True),  # a string pattern is a plain substring
        ("doc.org matches /./", False),  # nothing matches nothing
        ('"政府性基金" contains "基金"', True),
        ('[1, 2] contains 2', True),
        ('[1, 2] contains 3', False),
        ('doc.org contains "局"', False),
        ("section(/职责/) contains \"财政工作\"", True),  # sections contain their compacted text
        ("section(/概况/) matches /负责财政/", True),
    ],
)
def test_operators(condition, expected):
    assert holds(condition, DOC) is expected


@pytest.mark.parametrize(
    "condition, expected",
    [
        # attributes of nothing are nothing
        ("all(t in tables(): exists(t.kind))", False),
        ("any(t in tables(): not exists(t.kind) and not exists(t.kind.fund))", True),
        ("any(t in tables(): not exists(t.kind.name))", True),
        ("any(t in tables(): not (t.kind.fund contains \"基金\"))", True),
        ("any(t in tables(): count(t.kind.fund) == 0)", True),
        ("exists(doc.org)", False),
        ("exists(doc.org.kind)", False),
        # comparisons with nothing are false, arithmetic with nothing is nothing
        ("doc.org > 1", False),
        ("doc.org < 1", False),
        ("exists(doc.org + 1)", False),
        ("doc.org == doc.org", True),
        ("doc.org != 1", True),
    ],
)
def test_nothing_propagates(condition, expected):
    assert holds(condition, DOC) is expected


def test_negating_nothing_raises():
    rule = compile_one(rule_text("require -doc.org > 0"))
    with pytest.raises(TypeError):
        list(rule.run(Context(build(DOC), CATALOG)))


def test_type_error_names_the_operator_position():
    rule = compile_one(rule_text('require "a" - 1 > 0'))
    with pytest.raises(TypeError) as info:
        list(rule.run(Context(build(DOC), CATALOG)))
    assert str(info.value).startswith(f"{PATH}:7:15:")
    assert "无法计算 -" in str(info.value)


def test_globals_doc_facts():
    assert holds('doc.kind == "预算" and doc.level == "部门" and doc.year == 2025 and doc.year >= 2021', DOC)
    assert holds("not exists(doc.kind)", "一份没有标题的文件")


@pytest.mark.parametrize(
    "applies, kind, level, year, expected",
    [
        ("", None, None, None, True),
        ("", "决算", "单位", 1999, True),
        ("预算", "预算", "部门", 2025, True),
        ("预算", "决算", "部门", 2025, False),
        ("预算", None, None, 2025, False),  # an unknown kind runs only rules for all kinds
        ("预算, 决算", "决算", None, None, True),
        ("部门", "预算", "部门", None, True),
        ("部门", "预算", "单位", None, False),
        ("部门", "预算", None, None, False),
        ("预算, 单位", "预算", "单位", 2020, True),
        ("预算, 单位", "预算", "部门", 2020, False),
        ("预算, 单位", "决算", "单位", 2020, False),
        ("since 2021", "预算", "部门", 2020, False),
        ("since 2021", "预算", "部门", 2021, True),
        ("since 2021", "预算", "部门", None, True),  # an unknown year does not exclude
        ("until 2025", "决算", "部门", 2025, True),
        ("until 2025", "决算", "部门", 2026, False),
        ("预算, 部门, since 2021, until 2025", "预算", "部门", 2023, True),
        ("预算, 部门, since 2021, until 2025", "预算", "部门", 2026, False),
        ("预算, 部门, since 2021, until 2025", "预算", "部门", 2020, False),
        ("预算, 部门, since 2021, until 2025", "决算", "部门", 2023, False),
        ("预算, 部门, since 2021, until 2025", "预算", "单位", 2023, False),
    ],
)
def test_applies_to(applies, kind, level, year, expected):
    rule = compile_one(rule_text("require 1", applies=applies))
    assert rule.applies_to(kind, level, year) is expected


def test_compile_text_returns_rules_in_file_order():
    text = HEAD.replace("T-1", "A-2") + "  require 1\n}\n" + HEAD.replace("T-1", "A-1") + "  require 1\n}\n"
    assert [r.id for r in compile_text(text, PATH, primitives, KINDS)] == ["A-2", "A-1"]


def test_placeholder_keywords_are_the_grammars():
    """The compiler builds simple message placeholders itself and leaves those holding a keyword to
    the parser: its keyword list must be the grammar's (string literals and quantifiers)."""
    import re

    from openlint.dsl.compiler import _KEYWORDS
    from openlint.resources import data_dir

    grammar = (data_dir("grammar") / "openlint.lark").read_text(encoding="utf-8")
    rules = "\n".join(line for line in grammar.splitlines() if not line.lstrip().startswith("//"))
    words = set(re.findall(r'"([a-z]+)"', rules))
    quantifiers = re.search(r"QUANTIFIER\.\d+: /\(([a-z|]+)\)", rules).group(1).split("|")
    assert _KEYWORDS == words | set(quantifiers)
