"""Rule AST → executable checks, after semantic checks that report like a compiler.

Compilation is separate from evaluation: every name, arity, table kind, attribute, regex and
message placeholder is checked here, so a rule file with a mistake fails at load time with
`file:line:col: message`, never halfway through a document. The primitives are injected (a
`Runtime`), so this module knows the language, not the budget domain.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, Protocol

from openlint.dsl import ast
from openlint.dsl.errors import RuleError
from openlint.findings import CATEGORIES, Finding, RuleDoc, Severity

Evaluator = Callable[[Any, dict], Any]  # (context, environment) → value

REQUIRED_FIELDS = ("title", "severity", "category", "basis", "message")
DOCUMENT_KINDS = frozenset({"预算", "决算", "部门", "单位"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_REGEX_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}


class Runtime(Protocol):
    REGISTRY: dict  # name → Primitive(func, min_args, max_args, kind_arg)
    ATTRIBUTE_NAMES: frozenset[str]
    GLOBALS: dict[str, Callable[[Any], Any]]

    def get_attribute(self, ctx: Any, value: Any, name: str) -> Any: ...
    def attribute_getter(self, kind: type, name: str) -> Callable[[Any, Any], Any] | None: ...
    def display(self, value: Any) -> str: ...
    def text(self, ctx: Any, value: Any = None) -> str: ...


@dataclass(frozen=True)
class CompiledRule:
    doc: RuleDoc
    applies: ast.Applies
    run: Callable[[Any], Iterator[Finding]]  # context → findings

    @property
    def id(self) -> str:
        return self.doc.id

    @cached_property
    def _wanted(self) -> tuple[frozenset[str], frozenset[str]]:
        """The document kinds (预算/决算) and levels (部门/单位) the rule is for (none: all)."""
        kinds = self.applies.kinds
        return frozenset(k for k in kinds if k in ("预算", "决算")), frozenset(k for k in kinds if k in ("部门", "单位"))

    def applies_to(self, kind: str | None, level: str | None, year: int | None) -> bool:
        wanted_kinds, wanted_levels = self._wanted
        if wanted_kinds and kind not in wanted_kinds:
            return False
        if wanted_levels and level not in wanted_levels:
            return False
        if year is not None:
            if self.applies.since is not None and year < self.applies.since:
                return False
            if self.applies.until is not None and year > self.applies.until:
                return False
        return True


def compile_text(text: str, path: str, runtime: Runtime, table_kinds: frozenset[str], *,
                 cached: bool = False) -> list[CompiledRule]:
    """Parse and compile one rule file's text. Raises `RuleError`. With `cached`, the parse comes
    from (and goes to) the cache of parsed rule files (`openlint.dsl.cache`); compiling, and so
    every check on the rules, happens either way."""
    entry = name = None
    if cached:
        from openlint.dsl import cache

        name = f"rules-{cache.key(cache.grammar_digest(), path, text)}"
        entry = cache.load(name, _is_parsed_file)
    if entry is not None:
        rule_file, expressions = entry
    else:
        from openlint.dsl import parser  # Lark is imported only when something is to be parsed

        rule_file, expressions = parser.parse_rules(text, path), {}
    lines = text.splitlines()
    patterns = _named_patterns(rule_file.patterns, lines)
    compiled = [_RuleCompiler(rule, runtime, table_kinds, lines, expressions, patterns).compile()
                for rule in rule_file.rules]
    if name is not None and entry is None:  # stored once it compiled: a broken file is parsed again
        cache.store(name, (rule_file, expressions))
    return compiled


_CALL = re.compile(r"(?<!\\)\(\?&([A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*)\)")  # (?&NAME)


def _named_patterns(definitions: tuple[ast.PatternDef, ...], lines: list[str]) -> dict[str, str]:
    """The file's `pattern NAME = /…/` definitions, name → regex source with its own calls
    expanded (a pattern may call those defined before it). Raises `RuleError`."""
    patterns: dict[str, str] = {}
    for definition in definitions:
        regex = definition.regex
        if definition.name in patterns:
            raise _error(definition.pos, f"模式 {definition.name} 重复定义", lines)
        if regex.flags:
            raise _error(regex.pos, f"命名模式不能带标志 {regex.flags!r}：请在使用它的正则表达式上加标志", lines)
        source = _expand_calls(regex, patterns, lines)
        try:
            re.compile(source)
        except re.error as exc:
            raise _error(regex.pos, f"正则表达式有误：{exc}", lines) from None
        patterns[definition.name] = source
    return patterns


def _expand_calls(regex: ast.Regex, patterns: dict[str, str], lines: list[str] | None) -> str:
    """`regex`'s source with every `(?&NAME)` replaced by the named pattern, as a non-capturing group."""

    def expand(m: re.Match) -> str:
        name = m.group(1)
        if name not in patterns:
            known = "、".join(patterns) or "（本文件没有定义任何模式）"
            pos = ast.Pos(regex.pos.file, regex.pos.line, regex.pos.column + 1 + m.start())
            raise _error(pos, f"未定义的模式 {name!r}（用 pattern {name} = /…/ 在使用前定义），已定义：{known}", lines)
        return f"(?:{patterns[name]})"

    return _CALL.sub(expand, regex.pattern) if "(?&" in regex.pattern else regex.pattern


def _is_parsed_file(entry: Any) -> bool:
    """A cache entry for a rule file: its syntax tree; (placeholder text, line, column) → expression."""
    return (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], ast.RuleFile)
            and isinstance(entry[1], dict))


def check_unique(rules: list[CompiledRule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            file, line = rule.doc.source.rsplit(":", 1)
            raise _error(ast.Pos(file, int(line), 1), f"规则编号 {rule.id} 重复（已在 {seen[rule.id]} 定义）")
        seen[rule.id] = rule.doc.source


def _error(pos: ast.Pos, message: str, lines: list[str] | None = None) -> RuleError:
    """A located error; the source line comes from the text being compiled, else from the file."""
    if lines is not None:
        source = lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""
    else:
        source = _source_line(pos)
    return RuleError(pos.file, pos.line, pos.column, message, source)


def _source_line(pos: ast.Pos) -> str:
    try:
        with open(pos.file, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if number == pos.line:
                    return line.rstrip("\n")
    except OSError:
        pass
    return ""


class _RuleCompiler:
    def __init__(self, rule: ast.Rule, runtime: Runtime, table_kinds: frozenset[str], lines: list[str] | None = None,
                 expressions: dict | None = None, patterns: dict[str, str] | None = None):
        self.rule = rule
        self.rt = runtime
        self.table_kinds = table_kinds
        self.lines = lines  # the rule file's text, for the source line under an error
        # Message placeholders the parser read, by (text, line, column): cached with the syntax tree.
        self.expressions = {} if expressions is None else expressions
        self.patterns = patterns or {}  # the file's named regexes, for (?&NAME)

    def _error(self, pos: ast.Pos, message: str) -> RuleError:
        return _error(pos, message, self.lines)

    # ---- metadata ----
    def compile(self) -> CompiledRule:
        rule = self.rule
        for name in REQUIRED_FIELDS:
            if name not in rule.fields:
                raise self._error(rule.pos, f"规则 {rule.id} 缺少字段 {name}")
        if rule.check is None:
            raise self._error(rule.pos, f"规则 {rule.id} 缺少检查（require 或 for each … require）")
        if rule.extra_checks:
            raise self._error(rule.extra_checks[0], f"规则 {rule.id} 只能有一个检查")
        severity_text, severity_pos = rule.fields["severity"]
        try:
            severity = Severity(severity_text)
        except ValueError:
            raise self._error(severity_pos, f"未知的严重程度 {severity_text!r}，应为 error、warning 或 note") from None
        category, category_pos = rule.fields["category"]
        if category not in CATEGORIES:
            raise self._error(category_pos, f"未知的类别 {category!r}，应为：{'、'.join(CATEGORIES)}")
        for kind in rule.applies.kinds:
            if kind not in DOCUMENT_KINDS:
                raise self._error(rule.pos, f"applies 中未知的文档类型 {kind!r}，应为：预算、决算、部门、单位")
        doc = RuleDoc(
            id=rule.id,
            title=rule.fields["title"][0],
            severity=severity,
            category=category,
            basis=rule.fields["basis"][0],
            applies=_describe_applies(rule.applies),
            help=rule.fields.get("help", ("", None))[0],
            bad=rule.fields.get("bad", ("", None))[0],
            good=rule.fields.get("good", ("", None))[0],
            source=f"{rule.pos.file}:{rule.pos.line}",
        )
        check = rule.check
        bindings, named = self._bindings(rule.bindings, check)
        message_text, message_pos = rule.fields["message"]
        bound = named | {check.name} if isinstance(check, ast.ForEach) else named
        message = self._message(message_text, message_pos, bound)
        if isinstance(check, ast.Require):
            run = self._require(doc, check, message, bindings, named)
        else:
            run = self._for_each(doc, check, message, bindings, named)
        return CompiledRule(doc, rule.applies, run)

    # ---- checks ----
    def _bindings(self, lets: tuple[ast.Let, ...], check: ast.Check) -> tuple[Callable, set[str]]:
        """The rule's `let`s, in order (each sees the ones before it), as one function that
        builds the document's environment; and the names they bind."""
        named: set[str] = set()
        steps: list[tuple[str, Evaluator]] = []
        for let in lets:
            if (let.pos.line, let.pos.column) > (check.pos.line, check.pos.column):
                raise self._error(let.pos, f"let {let.name} 应写在检查（require 或 for each）之前")
            if let.name in named:
                raise self._error(let.pos, f"名称 {let.name!r} 已由前面的 let 定义")
            if let.name in self.rt.GLOBALS:
                raise self._error(let.pos, f"名称 {let.name!r} 是内置名称，不能用 let 重新定义")
            steps.append((let.name, self._expr(let.value, set(named))))
            named.add(let.name)
        if isinstance(check, ast.ForEach) and check.name in named:
            raise self._error(check.pos, f"for each 的名称 {check.name!r} 已由 let 定义，请换一个名称")

        def environment(ctx) -> dict:
            env: dict = {}
            for name, value in steps:
                env[name] = value(ctx, env)
            return env

        return environment, named

    def _require(self, doc: RuleDoc, check: ast.Require, message, bindings, named: set[str]) -> Callable:
        condition = self._expr(check.condition, set(named))
        at = self._place(check.at, named)

        def run(ctx) -> Iterator[Finding]:
            env = bindings(ctx)
            if not condition(ctx, env):
                yield Finding(doc.id, doc.severity, doc.category, message(ctx, env), at(ctx, env) or ctx.location)

        return run

    def _place(self, expr: ast.Expr | None, scope: set[str]) -> Callable:
        """The location of an `at` clause's value (None when it has none: the finding then points
        where it would without the clause)."""
        if expr is None:
            return lambda ctx, env: None
        value = self._expr(expr, scope)

        def place(ctx, env):
            found = value(ctx, env)
            if isinstance(found, (list, tuple)):
                found = found[0] if found else None
            return getattr(found, "location", None)

        return place

    def _for_each(self, doc: RuleDoc, check: ast.ForEach, message, bindings, named: set[str]) -> Callable:
        collection = self._expr(check.collection, set(named))
        scope = named | {check.name}
        where = self._expr(check.where, scope) if check.where is not None else None
        condition = self._expr(check.condition, scope)
        at = self._place(check.at, scope)
        name = check.name
        display = self.rt.display

        def run(ctx) -> Iterator[Finding]:
            env = bindings(ctx)
            # One environment for all the items, as in a quantifier: evaluating never keeps it.
            for item in _iterable(collection(ctx, env)):
                env[name] = item
                if where is not None and not where(ctx, env):
                    continue
                if not condition(ctx, env):
                    yield _finding(doc, item, message(ctx, env), ctx, display, at(ctx, env))

        return run

    def _message(self, text: str, pos: ast.Pos, bound: set[str]) -> Callable:
        parts: list[Any] = []
        last = 0
        for m in _PLACEHOLDER.finditer(text):
            parts.append(text[last : m.start()])
            column = pos.column + 1 + m.start(1)  # pos is the opening quote
            try:
                expr = _placeholder(m.group(1), pos.file, pos.line, column, self.expressions)
            except RuleError as exc:  # show the rule file's line, not the placeholder alone
                raise self._error(ast.Pos(exc.file, exc.line, exc.column), exc.message) from None
            parts.append(self._expr(expr, bound))
            last = m.end()
        parts.append(text[last:])
        display = self.rt.display

        def render(ctx, env) -> str:
            return "".join(p if isinstance(p, str) else display(p(ctx, env)) for p in parts)

        return render

    # ---- expressions ----
    def _expr(self, node: ast.Expr, scope: set[str]) -> Evaluator:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node, scope)

    def _number(self, node: ast.Number, scope):
        value = node.value
        return lambda ctx, env: value

    def _string(self, node: ast.String, scope):
        value = node.value
        return lambda ctx, env: value

    def _regex(self, node: ast.Regex, scope):
        flags = 0
        for flag in node.flags:
            if flag not in _REGEX_FLAGS:
                raise self._error(node.pos, f"未知的正则标志 {flag!r}，可用：i、s、m")
            flags |= _REGEX_FLAGS[flag]
        source = _expand_calls(node, self.patterns, self.lines)
        try:
            pattern = re.compile(source, flags)
        except re.error as exc:
            raise self._error(node.pos, f"正则表达式有误：{exc}") from None
        return lambda ctx, env: pattern

    def _var(self, node: ast.Var, scope):
        name = node.name
        if name in scope:
            return lambda ctx, env: env[name]
        if name in self.rt.GLOBALS:
            getter = self.rt.GLOBALS[name]
            return lambda ctx, env: getter(ctx)
        raise self._error(node.pos, f"未定义的名称 {name!r}")

    def _attr(self, node: ast.Attr, scope):
        if node.name not in self.rt.ATTRIBUTE_NAMES:
            raise self._error(node.pos, f"未知的属性 {node.name!r}，可用：{'、'.join(sorted(self.rt.ATTRIBUTE_NAMES))}")
        target = self._expr(node.target, scope)
        name = node.name
        get, getter_for = self.rt.get_attribute, self.rt.attribute_getter
        getters: dict[type, Callable] = {}  # the getter for each type of value met, looked up once

        def attribute(ctx, env):
            value = target(ctx, env)
            getter = getters.get(type(value))
            if getter is None:
                getter = getter_for(type(value), name)
                if getter is None:  # nothing, or no such attribute: the runtime's answer or error
                    return get(ctx, value, name)
                getters[type(value)] = getter
            return getter(ctx, value)

        return attribute

    def _call(self, node: ast.Call, scope):
        prim = self.rt.REGISTRY.get(node.name)
        if prim is None:
            raise self._error(node.pos, f"未知的函数 {node.name}()，可用：{'、'.join(sorted(self.rt.REGISTRY))}")
        n = len(node.args)
        if not prim.min_args <= n <= prim.max_args:
            expected = str(prim.min_args) if prim.min_args == prim.max_args else f"{prim.min_args}–{prim.max_args}"
            raise self._error(node.pos, f"函数 {node.name}() 需要 {expected} 个参数，给了 {n} 个")
        if prim.kind_arg is not None and prim.kind_arg < n:
            arg = node.args[prim.kind_arg]
            if isinstance(arg, ast.String) and arg.value not in self.table_kinds:
                raise self._error(arg.pos, f"未知的表类型 {arg.value!r}，应为：{'、'.join(sorted(self.table_kinds))}")
        args = [self._expr(a, scope) for a in node.args]
        func = prim.func
        # Most calls take at most two arguments: call them without building a generator each time.
        if not args:
            return lambda ctx, env: func(ctx)
        if len(args) == 1:
            (a0,) = args
            return lambda ctx, env: func(ctx, a0(ctx, env))
        if len(args) == 2:
            a0, a1 = args
            return lambda ctx, env: func(ctx, a0(ctx, env), a1(ctx, env))
        return lambda ctx, env: func(ctx, *[a(ctx, env) for a in args])

    def _listexpr(self, node: ast.ListExpr, scope):
        items = [self._expr(i, scope) for i in node.items]
        return lambda ctx, env: [i(ctx, env) for i in items]

    def _quantifier(self, node: ast.Quantifier, scope):
        collection = self._expr(node.collection, scope)
        condition = self._expr(node.condition, scope | {node.name})
        name, kind = node.name, node.kind

        def hits(ctx, env):
            inner = {**env}  # one environment for all the items: nothing keeps it
            for item in _iterable(collection(ctx, env)):
                inner[name] = item
                yield bool(condition(ctx, inner))

        if kind == "filter":
            def kept(ctx, env):
                inner = {**env}
                out = []
                for item in _iterable(collection(ctx, env)):
                    inner[name] = item
                    if condition(ctx, inner):
                        out.append(item)
                return out
            return kept
        if kind == "any":
            return lambda ctx, env: any(hits(ctx, env))
        if kind == "all":
            return lambda ctx, env: all(hits(ctx, env))
        if kind == "none":
            return lambda ctx, env: not any(hits(ctx, env))
        return lambda ctx, env: sum(hits(ctx, env))

    def _not(self, node: ast.Not, scope):
        operand = self._expr(node.operand, scope)
        return lambda ctx, env: not operand(ctx, env)

    def _neg(self, node: ast.Neg, scope):
        operand = self._expr(node.operand, scope)
        return lambda ctx, env: -operand(ctx, env)

    def _boolop(self, node: ast.BoolOp, scope):
        operands = [self._expr(o, scope) for o in node.operands]
        # Plain loops rather than all()/any() over a generator: these run for every element.
        if node.op == "and":
            def every(ctx, env):
                for o in operands:
                    if not o(ctx, env):
                        return False
                return True
            return every

        def some(ctx, env):
            for o in operands:
                if o(ctx, env):
                    return True
            return False
        return some

    def _binary(self, node: ast.Binary, scope):
        left = self._expr(node.left, scope)
        right = self._expr(node.right, scope)
        text = self.rt.text
        if node.op == "matches":
            def matches(ctx, env):
                subject, pattern = left(ctx, env), right(ctx, env)
                if subject is None:
                    return False
                s = subject if isinstance(subject, str) else text(ctx, subject)
                return (pattern.search(s) is not None) if isinstance(pattern, re.Pattern) else str(pattern) in s
            return matches
        if node.op == "contains":
            def contains(ctx, env):
                container, item = left(ctx, env), right(ctx, env)
                if container is None:
                    return False
                if isinstance(container, (list, tuple)):
                    return item in container
                s = container if isinstance(container, str) else text(ctx, container)
                return str(item) in s
            return contains
        op = _OPERATORS[node.op]
        if node.op in ("==", "!="):
            return lambda ctx, env: op(left(ctx, env), right(ctx, env))
        pos, symbol = node.pos, node.op
        missing = False if symbol in _COMPARISONS else None  # what nothing compares or adds up to

        def apply(ctx, env):
            a, b = left(ctx, env), right(ctx, env)
            if a is None or b is None:
                return missing
            try:
                return op(a, b)
            except ZeroDivisionError:
                return None
            except TypeError as exc:
                raise TypeError(f"{pos}: 无法计算 {symbol}：{exc}") from None

        return apply


_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# words the grammar reads as something else than a name
_KEYWORDS = frozenset({
    "and", "or", "not", "in", "matches", "contains", "for", "each", "require", "where", "at", "rule", "applies", "let",
    "pattern",
    "since", "until", "any", "all", "none", "count", "filter",
    "title", "severity", "category", "basis", "help", "bad", "good", "message",
})


def _placeholder(text: str, file: str, line: int, column: int, parsed: dict) -> ast.Expr:
    """The expression of a message's `{…}` standing at `column`. Most are a name or an attribute
    path (`h.quote`, `r.table.caption`): built here, as the parser would, without its start-up cost;
    the others are parsed once and kept in `parsed`."""
    parts = text.split(".")
    if not _DOTTED.fullmatch(text) or _KEYWORDS.intersection(parts):
        key = (text, line, column)
        if key not in parsed:
            from openlint.dsl import parser

            parsed[key] = parser.parse_expression(text, file, line, column)
        return parsed[key]
    expr: ast.Expr = ast.Var(parts[0], ast.Pos(file, line, column))
    offset = len(parts[0]) + 1
    for part in parts[1:]:
        expr = ast.Attr(expr, part, ast.Pos(file, line, column + offset))
        offset += len(part) + 1
    return expr


_OPERATORS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_COMPARISONS = frozenset({"<", "<=", ">", ">="})


def _finding(doc: RuleDoc, item: Any, message: str, ctx: Any, display, place: Any = None) -> Finding:
    """A finding about one element: located at it (or at the rule's `at` place), with its related
    locations (the other side of a comparison) and, when the element says so, a milder severity
    (a rounding difference is a note even under an error rule)."""
    location = place or getattr(item, "location", None) or ctx.location
    related = tuple(getattr(item, "related", ()) or ())
    severity = doc.severity
    milder = getattr(item, "severity", None)
    if isinstance(milder, Severity) and milder.rank < severity.rank:
        severity = milder
    anchor = getattr(item, "anchor", None) or display(item)[:80]
    return Finding(doc.id, severity, doc.category, message, location, related=related, anchor=anchor)


def _iterable(value: Any):
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return value
    return (value,)


def _describe_applies(applies: ast.Applies) -> str:
    parts = ["、".join(applies.kinds) if applies.kinds else "全部文档"]
    if applies.since:
        parts.append(f"{applies.since}年起")
    if applies.until:
        parts.append(f"至{applies.until}年")
    return "，".join(parts)
