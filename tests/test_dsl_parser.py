"""The rule language's parser: every construct → the right AST; every error → `file:line:col`."""

from __future__ import annotations

import unicodedata

import pytest

from openlint.dsl import ast
from openlint.dsl.compiler import compile_text
from openlint.dsl.parser import RuleError, parse_expression, parse_rules
from openlint.judge import primitives
from openlint.understand.catalog import load_catalog

PATH = "rules/test.olr"
KINDS = frozenset(k.id for k in load_catalog().kinds)


def sexpr(node) -> str:
    """An expression AST as a compact S-expression, positions left out."""
    match node:
        case ast.Number(value=v):
            return str(int(v)) if v.is_integer() else str(v)
        case ast.String(value=v):
            return f'"{v}"'
        case ast.Regex(pattern=p, flags=f):
            return f"/{p}/{f}"
        case ast.Var(name=n):
            return n
        case ast.Attr(target=t, name=n):
            return f"(. {sexpr(t)} {n})"
        case ast.Call(name=n, args=args):
            return "(" + " ".join([f"{n}()", *map(sexpr, args)]) + ")"
        case ast.ListExpr(items=items):
            return "[" + " ".join(map(sexpr, items)) + "]"
        case ast.Quantifier(kind=k, name=n, collection=c, condition=cond):
            return f"({k} {n} {sexpr(c)} {sexpr(cond)})"
        case ast.Not(operand=o):
            return f"(not {sexpr(o)})"
        case ast.Neg(operand=o):
            return f"(neg {sexpr(o)})"
        case ast.BoolOp(op=op, operands=ops):
            return "(" + " ".join([op, *map(sexpr, ops)]) + ")"
        case ast.Binary(op=op, left=l, right=r):
            return f"({op} {sexpr(l)} {sexpr(r)})"
    raise AssertionError(f"not an expression: {node!r}")


def condition(expr: str) -> ast.Expr:
    rule_file = parse_rules(f"rule T-1 {{\n  require {expr}\n}}\n", PATH)
    check = rule_file.rules[0].check
    assert isinstance(check, ast.Require)
    return check.condition


# ---- rules and fields ----

FULL_RULE = '''\
# A comment before the rule.
rule SEC-001 {
  title    "应当说明部门职责"   # a comment after a field
  severity error
  category empty-table
  basis    "财预〔2016〕143号"
  applies  预算, 部门, since 2021, until 2025
  help """
    第一行说明。
      缩进的第二行。

    第三段。
  """
  bad      "坏\\n例子"
  good     "好例子 # 不是注释"
  message  "“{t.caption}”有误"
  for each t in tables() where exists(t.kind)
  require  not is_empty(t)
}
'''


def test_full_rule_fields():
    rule_file = parse_rules(FULL_RULE, PATH)
    assert rule_file.path == PATH
    (rule,) = rule_file.rules
    assert rule.id == "SEC-001"
    assert rule.pos == ast.Pos(PATH, 2, 6)
    values = {name: value for name, (value, _) in rule.fields.items()}
    assert values == {
        "title": "应当说明部门职责",
        "severity": "error",
        "category": "empty-table",
        "basis": "财预〔2016〕143号",
        "help": "第一行说明。\n  缩进的第二行。\n\n第三段。",
        "bad": "坏\n例子",
        "good": "好例子 # 不是注释",
        "message": "“{t.caption}”有误",
    }
    # a field's position is its value's
    assert rule.fields["title"][1] == ast.Pos(PATH, 3, 12)
    assert rule.fields["severity"][1] == ast.Pos(PATH, 4, 12)
    assert rule.applies == ast.Applies(("预算", "部门"), 2021, 2025)
    assert rule.extra_checks == ()


def test_for_each_with_where():
    check = parse_rules(FULL_RULE, PATH).rules[0].check
    assert isinstance(check, ast.ForEach)
    assert check.name == "t"
    assert sexpr(check.collection) == "(tables())"
    assert sexpr(check.where) == "(exists() (. t kind))"
    assert sexpr(check.condition) == "(not (is_empty() t))"
    assert check.pos == ast.Pos(PATH, 17, 3)


def test_for_each_without_where():
    text = "rule T-1 {\n  for each s in sections(/三公/)\n  require s.body contains \"元\"\n}"
    check = parse_rules(text, PATH).rules[0].check
    assert isinstance(check, ast.ForEach)
    assert check.where is None
    assert sexpr(check.collection) == "(sections() /三公/)"
    assert sexpr(check.condition) == '(contains (. s body) "元")'


def test_at_clause_after_the_condition():
    text = "rule T-1 {\n  for each s in sections(/三公/)\n  require s.body contains \"元\"\n  at section(/名词/)\n}"
    check = parse_rules(text, PATH).rules[0].check
    assert sexpr(check.at) == "(section() /名词/)"
    once = parse_rules("rule T-1 {\n  require 1 > 2 at tables()\n}", PATH).rules[0].check
    assert isinstance(once, ast.Require) and sexpr(once.at) == "(tables())"
    assert parse_rules("rule T-1 {\n  require 1 > 2\n}", PATH).rules[0].check.at is None


def test_let_bindings_in_order_with_positions():
    text = "rule T-1 {\n  let a = tables()\n  let b = count(a)\n  require b > 0\n}"
    rule = parse_rules(text, PATH).rules[0]
    assert [(b.name, sexpr(b.value), b.pos) for b in rule.bindings] == [
        ("a", "(tables())", ast.Pos(PATH, 2, 7)),
        ("b", "(count() a)", ast.Pos(PATH, 3, 7)),
    ]
    assert sexpr(rule.check.condition) == "(> b 0)"


def test_require_check_and_position():
    text = "rule T-1 {\n  require exists(section(/名词解释/))\n}"
    check = parse_rules(text, PATH).rules[0].check
    assert isinstance(check, ast.Require)
    assert check.pos == ast.Pos(PATH, 2, 3)
    assert sexpr(check.condition) == "(exists() (section() /名词解释/))"


@pytest.mark.parametrize(
    "applies, expected",
    [
        ("预算", ast.Applies(("预算",))),
        ("决算, 单位", ast.Applies(("决算", "单位"))),
        ("since 2021", ast.Applies((), 2021, None)),
        ("until 2020", ast.Applies((), None, 2020)),
        ("预算, 部门, since 2021, until 2025", ast.Applies(("预算", "部门"), 2021, 2025)),
    ],
)
def test_applies(applies, expected):
    rule = parse_rules(f"rule T-1 {{\n  applies {applies}\n  require 1\n}}", PATH).rules[0]
    assert rule.applies == expected


def test_rule_without_applies_applies_everywhere():
    rule = parse_rules("rule T-1 { require 1 }", PATH).rules[0]
    assert rule.applies == ast.Applies((), None, None)


def test_empty_and_comment_only_files():
    assert parse_rules("", PATH).rules == ()
    assert parse_rules("# nothing here\n\n   # still nothing\n", PATH).rules == ()


def test_several_rules_and_two_checks():
    text = "rule A-1 { require 1 }\nrule B-2 {\n  require 1\n  require 2\n}\n"
    a, b = parse_rules(text, PATH).rules
    assert (a.id, b.id) == ("A-1", "B-2")
    assert b.pos == ast.Pos(PATH, 2, 6)
    assert sexpr(b.check.condition) == "1"
    assert b.extra_checks == (ast.Pos(PATH, 4, 3),)  # the compiler reports it


def test_named_patterns_between_rules():
    text = "pattern ORG = /(局|中心)/\nrule A-1 { require 1 }\n\npattern YEAR_2 = /\\d{4}年/\n"
    parsed = parse_rules(text, PATH)
    assert [r.id for r in parsed.rules] == ["A-1"]
    org, year = parsed.patterns
    assert (org.name, org.regex.pattern, org.pos) == ("ORG", "(局|中心)", ast.Pos(PATH, 1, 9))
    assert (year.name, year.regex.pattern, year.regex.pos) == ("YEAR_2", "\\d{4}年", ast.Pos(PATH, 4, 18))


def test_rule_without_check_parses():
    rule = parse_rules('rule T-1 {\n  title "x"\n}', PATH).rules[0]
    assert rule.check is None


def test_long_string_strips_common_indentation_and_outer_blank_lines():
    text = 'rule T-1 {\n  help """\n\n      a\n        b\n      c\n\n  """\n  require 1\n}'
    assert parse_rules(text, PATH).rules[0].fields["help"][0] == "a\n  b\nc"


def test_long_string_on_one_line():
    text = 'rule T-1 {\n  help """一行 "引号" 也可以"""\n  require 1\n}'
    assert parse_rules(text, PATH).rules[0].fields["help"][0] == '一行 "引号" 也可以'


def test_name_values_for_severity_and_category():
    rule = parse_rules("rule T-1 {\n  severity warning\n  category text-quality\n  require 1\n}", PATH).rules[0]
    assert rule.fields["severity"][0] == "warning"
    assert rule.fields["category"][0] == "text-quality"


# ---- expressions ----

@pytest.mark.parametrize(
    "source, expected",
    [
        # literals
        ("1", "1"),
        ("1.25", "1.25"),
        ('"文本"', '"文本"'),
        (r'"a\"b"', '"a"b"'),
        ("/职责|职能/", "/职责|职能/"),
        ("[]", "[]"),
        ('[1, "a", /b/]', '[1 "a" /b/]'),
        # names, including Chinese, and names that merely start with a keyword
        ("名称", "名称"),
        ("x_1", "x_1"),
        ("orders", "orders"),
        ("notes(t)", "(notes() t)"),
        ("index", "index"),
        ("anything", "anything"),
        ("counter", "counter"),
        ("all_tables", "all_tables"),
        ("nonempty", "nonempty"),
        ("any名", "any名"),
        # arithmetic precedence and associativity
        ("1 - 2 * 3 / 4", "(- 1 (/ (* 2 3) 4))"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1-2", "(- 1 2)"),
        ("a-b", "(- a b)"),
        # unary minus
        ("-x", "(neg x)"),
        ("- - 1", "(neg (neg 1))"),
        ("1 - -2", "(- 1 (neg 2))"),
        ("-a * b", "(* (neg a) b)"),
        ("-t.page", "(neg (. t page))"),
        # comparisons
        ("a == b", "(== a b)"),
        ("a != b", "(!= a b)"),
        ("a < b", "(< a b)"),
        ("a <= b", "(<= a b)"),
        ("a > b", "(> a b)"),
        ("a >= b", "(>= a b)"),
        ("a + 1 > b * 2", "(> (+ a 1) (* b 2))"),
        ("count(xs) == 0", "(== (count() xs) 0)"),
        # matches and contains
        ("t.text matches /因公出国/", "(matches (. t text) /因公出国/)"),
        ("x matches /a/i", "(matches x /a/i)"),
        ("x matches /a/ism", "(matches x /a/ism)"),
        (r"x matches /a\/b/", "(matches x /a/b/)"),
        (r"x matches /\d+万?元/", r"(matches x /\d+万?元/)"),
        ('x matches "子串"', '(matches x "子串")'),
        ('text(t.notes) contains w', "(contains (text() (. t notes)) w)"),
        ('[1, 2] contains 1', "(contains [1 2] 1)"),
        # boolean operators: not > and > or
        ("a or b and not c", "(or a (and b (not c)))"),
        ("not a or b", "(or (not a) b)"),
        ("a and b or c and d", "(or (and a b) (and c d))"),
        ("a or b or c", "(or a b c)"),
        ("a and b and c", "(and a b c)"),
        ("not not a", "(not (not a))"),
        ("not (a or b)", "(not (or a b))"),
        ("not a == b", "(not (== a b))"),
        ("a > 1 and b matches /x/", "(and (> a 1) (matches b /x/))"),
        # attribute chains
        ("t.kind", "(. t kind)"),
        ("t.kind.fund", "(. (. t kind) fund)"),
        ("section(/a/).title", "(. (section() /a/) title)"),
        ("(a).b", "(. a b)"),
        ("x.title", "(. x title)"),
        # calls with 0, 1, 2 arguments; nested
        ("tables()", "(tables())"),
        ('tables("三公经费支出表")', '(tables() "三公经费支出表")'),
        ("excerpt(text(t.notes), 40)", "(excerpt() (text() (. t notes)) 40)"),
        ("missing(t.text, [/因公出国/, /公务用车/])", "(missing() (. t text) [/因公出国/ /公务用车/])"),
        # quantifiers with a binder
        ("any(x in xs: x > 1)", "(any x xs (> x 1))"),
        ("all(t in tables(): exists(t.kind))", "(all t (tables()) (exists() (. t kind)))"),
        ("none(n in t.notes: n.text matches /空表/)", "(none n (. t notes) (matches (. n text) /空表/))"),
        ("count(x in xs: x) > 0", "(> (count x xs x) 0)"),
        ("any(w in t.kind.fund: any(p in paragraphs(): states_absence(p, w)))",
         "(any w (. (. t kind) fund) (any p (paragraphs()) (states_absence() p w)))"),
        # count(xs) is a plain call
        ("count(xs)", "(count() xs)"),
        ("count(tables())", "(count() (tables()))"),
        ("any(xs)", "(any() xs)"),
    ],
)
def test_expression(source, expected):
    assert sexpr(condition(source)) == expected


def test_expression_spanning_lines_with_comments():
    expr = condition("a # first\n    and b # second\n    or c")
    assert sexpr(expr) == "(or (and a b) c)"


def test_expression_positions():
    expr = condition("1 - 2 * t.kind.fund")
    # `  require ` is 10 characters: the expression starts at column 11
    assert expr.pos == ast.Pos(PATH, 2, 13)  # binary operators are located at the operator
    assert expr.left.pos == ast.Pos(PATH, 2, 11)
    product = expr.right
    assert product.pos == ast.Pos(PATH, 2, 17)
    fund = product.right
    assert (fund.name, fund.pos) == ("fund", ast.Pos(PATH, 2, 26))
    assert (fund.target.name, fund.target.pos) == ("kind", ast.Pos(PATH, 2, 21))


def test_call_and_quantifier_positions():
    expr = condition('count(x in 名单: x) + tables("收入表")')
    assert expr.left.pos == ast.Pos(PATH, 2, 11)
    assert expr.left.collection.pos == ast.Pos(PATH, 2, 22)
    call = expr.right
    assert call.pos == ast.Pos(PATH, 2, 31)
    assert call.args[0].pos == ast.Pos(PATH, 2, 38)


def test_parse_expression_offsets_positions():
    expr = parse_expression("t.caption", PATH, 7, 20)
    assert isinstance(expr, ast.Attr)
    assert expr.target.pos == ast.Pos(PATH, 7, 20)
    assert expr.pos == ast.Pos(PATH, 7, 22)


# ---- errors ----

HEAD = 'rule T-1 {\n  title "t"\n  severity error\n  category table\n  basis "b"\n'

ERRORS = [
    # unexpected token
    ("rule T-1 {\n  require x y\n}\n", 2, 13, "意外的 'y'"),
    ("rule T-1 {\n  require 1 < 2 < 3\n}\n", 2, 17, "意外的 '<'"),
    ("rule T-1 {\n  require a.b(1)\n}\n", 2, 14, "意外的 '('"),
    ("rule T-1 {\n  for each t tables()\n  require 1\n}\n", 2, 14, "意外的 'tables'"),
    ("rule T-1 {\n  require x\nrule U-1 { require 1 }\n", 3, 1, "意外的 'rule'"),
    ("rule T-1 {\n  require 1\n}\n}\n", 4, 1, "意外的 '}'"),
    ("rule T-1 {\n  colour \"red\"\n}\n", 2, 3, "意外的 'colour'"),
    ("rule T-1 {\n  applies 预算 决算\n  require 1\n}\n", 2, 14, "意外的 '决算'"),
    ("rule T-1 {\n  let a tables()\n  require a\n}\n", 2, 9, "意外的 'tables'"),
    ("rule T-1 {\n  let = 1\n  require 1\n}\n", 2, 7, "意外的 '='"),
    ('pattern ORG = "局"\n', 1, 15, "意外的 '\"局\"'"),
    ("pattern = /x/\n", 1, 9, "意外的 '='"),
    ("rule T-1 {\n  pattern A = /x/\n  require 1\n}\n", 2, 3, "意外的 'pattern'"),
    # unexpected character
    ("rule T-1 {\n  require x @ y\n}\n", 2, 13, "无法识别的字符 '@'"),
    ("rule T-1 {\n  require count(x)，1\n}\n", 2, 19, "无法识别的字符 '，'"),
    ('rule T-1 {\n  title "abc\n  require 1\n}\n', 2, 9, "无法识别的字符 '\"'"),
    ("rule T-1 {\n  require x == 'a'\n}\n", 2, 16, "无法识别的字符 \"'\""),
    # unexpected end of file: points just past the last thing written
    ("rule T-1 {\n  require x", 2, 12, "文件意外结束"),
    ("rule T-1 {\n  require (x\n\n\n", 2, 13, "文件意外结束"),
    ("rule T-1 {\n  require any(x in xs:   \n", 2, 23, "文件意外结束"),
    ("rule", 1, 5, "文件意外结束"),
    ("rule T-1 {\n  title", 2, 8, "文件意外结束"),
    # bad rule id
    ("rule sec-001 {\n  require 1\n}\n", 1, 6, "规则编号"),
    ("rule SEC {\n  require 1\n}\n", 1, 6, "规则编号"),
    ("rule 职责-1 {\n  require 1\n}\n", 1, 6, "规则编号"),
    ("# header\n\nrule SEC_1 { require 1 }\n", 3, 6, "规则编号"),
    # duplicate field: located at the second value
    ('rule T-1 {\n  title "a"\n  title "b"\n  require 1\n}\n', 3, 9, "字段 title 重复"),
    ("rule T-1 {\n  severity error\n  message \"m\"\n  severity   note\n  require 1\n}\n", 4, 14, "字段 severity 重复"),
]


@pytest.mark.parametrize("source, line, column, message", ERRORS)
def test_syntax_error(source, line, column, message):
    with pytest.raises(RuleError) as info:
        parse_rules(source, PATH)
    err = info.value
    assert (err.file, err.line, err.column) == (PATH, line, column), str(err)
    assert message in err.message
    _assert_rendered(err, source)


# An error inside a `{…}` message placeholder is located inside the message string.
PLACEHOLDER_ERRORS = [
    #            `  message "x {t.} y"`: the quote is column 11, `t` column 15, `}` column 17
    (HEAD + '  message "x {t.} y"\n  require 1\n}\n', 6, 17, "文件意外结束"),
    (HEAD + '  message "abc {a @ b}"\n  require 1\n}\n', 6, 19, "无法识别的字符 '@'"),
    (HEAD + '  message "abc {a b}"\n  require 1\n}\n', 6, 19, "意外的 'b'"),
    (HEAD + '  message   "第一{doc.year}第二{1 +* 2}"\n  require 1\n}\n', 6, 32, "意外的 '*'"),
    # all on line 1: the column offset still applies
    ('rule T-1 { title "t" severity error category table basis "b" message "数{(}" require 1 }', 1, 74,
     "文件意外结束"),
]


@pytest.mark.parametrize("source, line, column, message", PLACEHOLDER_ERRORS)
def test_error_in_message_placeholder(source, line, column, message):
    with pytest.raises(RuleError) as info:
        compile_text(source, PATH, primitives, KINDS)
    err = info.value
    assert (err.file, err.line, err.column) == (PATH, line, column), str(err)
    assert message in err.message
    _assert_rendered(err, source)


def _assert_rendered(err: RuleError, source: str) -> None:
    """`file:line:col: message`, then the source line, then a caret under the column."""
    lines = str(err).split("\n")
    assert lines[0] == f"{err.file}:{err.line}:{err.column}: {err.message}"
    assert lines[1] == "    " + source.splitlines()[err.line - 1]
    # The caret is padded by display width: a full-width space under each CJK character.
    width = lambda text: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    before = source.splitlines()[err.line - 1][: err.column - 1]
    assert lines[2].endswith("^") and width(lines[2][4:-1]) == width(before)
    assert len(lines) == 3


def test_rule_error_without_source_line_is_one_line():
    assert str(RuleError("a.olr", 3, 4, "坏了")) == "a.olr:3:4: 坏了"


def test_expected_tokens_are_named_readably():
    with pytest.raises(RuleError) as info:
        parse_rules("rule T-1 {\n  require (x\n}", PATH)
    assert "应为：" in info.value.message
    assert "“)”" in info.value.message
