"""Parser facade: rule text → AST, with compiler-style errors (`file:line:col: message`)."""

from __future__ import annotations

import ast as pyast
from functools import cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from openlint.dsl import ast
from openlint.dsl.errors import RuleError
from openlint.resources import data_dir

__all__ = ["RuleError", "parse_expression", "parse_rules"]


# Readable names for the grammar's terminals, for "expected …" messages.
_TERMINAL_NAMES = {
    "RULE_ID": "规则编号（如 SEC-001）", "NAME": "名称", "STRING": "字符串", "LONG_STRING": "字符串",
    "REGEX": "/正则表达式/", "NUMBER": "数字", "INT": "整数", "LBRACE": "“{”", "RBRACE": "“}”",
    "LPAR": "“(”", "RPAR": "“)”", "LSQB": "“[”", "RSQB": "“]”", "COMMA": "“,”", "COLON": "“:”",
    "DOT": "“.”", "FIELD_NAME": "字段（title、severity、message …）", "COMP_OP": "比较运算符",
    "QUANTIFIER": "any/all/none/count/filter", "$END": "文件结束", "MINUS": "“-”", "ADD_OP": "+ -",
    "MUL_OP": "* /", "HYPHENATED": "类别名（如 empty-table）",
}


@cache
def _lark() -> Lark:
    grammar = (data_dir("grammar") / "openlint.lark").read_text(encoding="utf-8")
    # cache=True keeps the analysed grammar in the temp directory: start-up matters for pre-commit.
    return Lark(grammar, parser="lalr", start=["start", "expr"], propagate_positions=True, maybe_placeholders=True,
                cache=True)


def parse_rules(text: str, path: str = "<rules>") -> ast.RuleFile:
    """Parse a rule file. Raises `RuleError` on a syntax error."""
    tree = _parse(text, path, "start")
    try:
        return _ToAst(path).transform(tree)
    except VisitError as exc:  # lark wraps errors raised while building the AST (duplicate field)
        if isinstance(exc.orig_exc, RuleError):
            err = exc.orig_exc
            lines = text.splitlines()
            source_line = lines[err.line - 1] if 0 < err.line <= len(lines) else ""
            raise RuleError(err.file, err.line, err.column, err.message, source_line) from None
        raise


def parse_expression(text: str, path: str, line: int, column: int) -> ast.Expr:
    """Parse one expression (a `{…}` in a message), positions relative to where it stands."""
    tree = _parse(text, path, "expr", line_offset=line - 1, column_offset=column - 1)
    return _ToAst(path, line - 1, column - 1).transform(tree)


def _parse(text: str, path: str, start: str, line_offset: int = 0, column_offset: int = 0):
    try:
        return _lark().parse(text, start=start)
    except UnexpectedInput as exc:
        raise _located(exc, text, path, line_offset, column_offset) from None


def _located(exc: UnexpectedInput, text: str, path: str, line_offset: int, column_offset: int) -> RuleError:
    line = getattr(exc, "line", None) or 1
    column = getattr(exc, "column", None) or 1
    at_end = isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END")
    if line == -1 or at_end:
        lines = text.rstrip().splitlines() or [""]  # the end of the last line with content
        line, column = len(lines), len(lines[-1]) + 1
    source_line = text.splitlines()[line - 1] if text.splitlines()[line - 1 : line] else ""
    if isinstance(exc, UnexpectedCharacters):
        what = f"无法识别的字符 {text[exc.pos_in_stream]!r}" if exc.pos_in_stream < len(text) else "意外的字符"
    elif isinstance(exc, UnexpectedToken):
        what = "文件意外结束" if exc.token.type == "$END" else f"意外的 {exc.token.value!r}"
    else:
        what = "文件意外结束"
    expected = sorted({_TERMINAL_NAMES.get(t, t.strip('"').lower()) for t in (getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())})
    message = f"{what}，应为：{'、'.join(expected)}" if expected else what
    if line == 1:
        column += column_offset
    return RuleError(path, line + line_offset, column, message, source_line)


def _pos(path: str, meta_or_token, line_offset: int = 0, column_offset: int = 0) -> ast.Pos:
    line = getattr(meta_or_token, "line", 1) or 1
    column = getattr(meta_or_token, "column", 1) or 1
    return ast.Pos(path, line + line_offset, column + (column_offset if line == 1 else 0))


def _unquote(token: Token) -> str:
    raw = str(token)
    if raw.startswith('"""'):
        body = raw[3:-3]
        # Long strings are documentation: drop the common indentation, keep line breaks.
        lines = body.strip("\n").splitlines()
        indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
        return "\n".join(l[indent:] for l in lines).rstrip()
    return pyast.literal_eval(raw)


@v_args(meta=True)
class _ToAst(Transformer):
    def __init__(self, path: str, line_offset: int = 0, column_offset: int = 0):
        super().__init__()
        self.path = path
        self.line_offset = line_offset
        self.column_offset = column_offset

    def _p(self, meta_or_token) -> ast.Pos:
        return _pos(self.path, meta_or_token, self.line_offset, self.column_offset)

    # ---- file and rules ----
    def start(self, meta, items):
        rules = tuple(i for i in items if isinstance(i, ast.Rule))
        return ast.RuleFile(self.path, rules, tuple(i for i in items if isinstance(i, ast.PatternDef)))

    def pattern_def(self, meta, children):
        name, regex = children
        return ast.PatternDef(str(name), _regex(regex, self._p(regex)), self._p(name))

    def rule(self, meta, children):
        rule_id, *clauses = children
        fields: dict[str, tuple[str, ast.Pos]] = {}
        applies = ast.Applies()
        checks: list[ast.Check] = []
        bindings: list[ast.Let] = []
        for clause in clauses:
            if isinstance(clause, ast.Let):
                bindings.append(clause)
            elif isinstance(clause, tuple) and clause[0] == "field":
                _, name, value, pos = clause
                if name in fields:
                    raise RuleError(pos.file, pos.line, pos.column, f"字段 {name} 重复")
                fields[name] = (value, pos)
            elif isinstance(clause, ast.Applies):
                applies = clause
            else:
                checks.append(clause)
        check = checks[0] if checks else None
        duplicates = [c.pos for c in checks[1:]]
        return ast.Rule(str(rule_id), fields, applies, check, self._p(rule_id), tuple(duplicates), tuple(bindings))

    def field(self, meta, children):
        name, value = children
        text = _unquote(value) if value.type in ("STRING", "LONG_STRING") else str(value)
        return ("field", str(name), text, self._p(value))

    def applies(self, meta, items):
        kinds = tuple(v for k, v in items if k == "kind")
        since = next((v for k, v in items if k == "since"), None)
        until = next((v for k, v in items if k == "until"), None)
        return ast.Applies(kinds, since, until)

    def applies_kind(self, meta, children):
        return ("kind", str(children[0]))

    def applies_since(self, meta, children):
        return ("since", int(children[0]))

    def applies_until(self, meta, children):
        return ("until", int(children[0]))

    def let_(self, meta, children):
        name, value = children
        return ast.Let(str(name), value, self._p(name))

    def require(self, meta, children):
        condition, at = children
        return ast.Require(condition, self._p(meta), at)

    def for_each(self, meta, children):
        name, collection, where, condition, at = children
        return ast.ForEach(str(name), collection, where, condition, self._p(meta), at)

    def where(self, meta, children):
        return children[0]

    def at(self, meta, children):
        return children[0]

    # ---- expressions ----
    def or_(self, meta, children):
        return children[0] if len(children) == 1 else ast.BoolOp("or", tuple(children), self._p(meta))

    def and_(self, meta, children):
        return children[0] if len(children) == 1 else ast.BoolOp("and", tuple(children), self._p(meta))

    def not_(self, meta, children):
        return ast.Not(children[0], self._p(meta))

    def neg(self, meta, children):
        return ast.Neg(children[0], self._p(meta))

    def compare(self, meta, children):
        left, op, right = children
        return ast.Binary(str(op), left, right, self._p(op))

    def binary(self, meta, children):
        left, op, right = children
        return ast.Binary(str(op), left, right, self._p(op))

    def matches(self, meta, children):
        left, right = children
        return ast.Binary("matches", left, right, self._p(meta))

    def contains(self, meta, children):
        left, right = children
        return ast.Binary("contains", left, right, self._p(meta))

    def attr(self, meta, children):
        target, name = children
        return ast.Attr(target, str(name), self._p(name))

    def call(self, meta, children):
        name, *args = children
        return ast.Call(str(name), tuple(a for a in args if a is not None), self._p(name))

    def quantifier(self, meta, children):
        kind, name, collection, condition = children
        return ast.Quantifier(str(kind), str(name), collection, condition, self._p(kind))

    def quantifier_call(self, meta, children):
        kind, arg = children  # count(xs): a plain call that happens to share the keyword
        return ast.Call(str(kind), (arg,), self._p(kind))

    def var(self, meta, children):
        return ast.Var(str(children[0]), self._p(children[0]))

    def list(self, meta, children):
        return ast.ListExpr(tuple(c for c in children if c is not None), self._p(meta))

    def number(self, meta, children):
        return ast.Number(float(children[0]), self._p(children[0]))

    def string(self, meta, children):
        return ast.String(_unquote(children[0]), self._p(children[0]))

    def regex(self, meta, children):
        return _regex(children[0], self._p(children[0]))


def _regex(token: Token, pos: ast.Pos) -> ast.Regex:
    raw = str(token)
    end = raw.rindex("/")
    return ast.Regex(raw[1:end].replace("\\/", "/"), raw[end + 1 :], pos)
