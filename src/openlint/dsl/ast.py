"""The rule language's syntax tree: plain frozen dataclasses, one per construct."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Union


@dataclass(frozen=True, slots=True)
class Pos:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    pos: Pos


@dataclass(frozen=True, slots=True)
class String:
    value: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Regex:
    pattern: str
    flags: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Attr:
    target: "Expr"
    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple["Expr", ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple["Expr", ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Quantifier:
    kind: str  # any | all | none | count | filter
    name: str
    collection: "Expr"
    condition: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Neg:
    operand: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # and | or
    operands: tuple["Expr", ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / == != < <= > >= matches contains
    left: "Expr"
    right: "Expr"
    pos: Pos


Expr = Union[Number, String, Regex, Var, Attr, Call, ListExpr, Quantifier, Not, Neg, BoolOp, Binary]


@dataclass(frozen=True, slots=True)
class Require:
    condition: Expr
    pos: Pos
    at: Expr | None = None  # where the finding points, instead of the document


@dataclass(frozen=True, slots=True)
class ForEach:
    name: str
    collection: Expr
    where: Expr | None
    condition: Expr
    pos: Pos
    at: Expr | None = None  # where the finding points, instead of the element


Check = Union[Require, ForEach]


@dataclass(frozen=True, slots=True)
class Let:
    """`let name = value`: a value the rule names once and uses in its check and message."""

    name: str
    value: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class Applies:
    kinds: tuple[str, ...] = ()  # 预算 决算 部门 单位
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    fields: dict[str, tuple[str, Pos]]  # title, severity, category, basis, help, bad, good, message
    applies: Applies
    check: Check | None
    pos: Pos
    extra_checks: tuple[Pos, ...] = field(default=())  # positions of surplus checks (an error)
    bindings: tuple[Let, ...] = ()  # in the order written


@dataclass(frozen=True, slots=True)
class PatternDef:
    """`pattern NAME = /regex/`: a regex the file's regexes call with `(?&NAME)`."""

    name: str
    regex: Regex
    pos: Pos


@dataclass(frozen=True, slots=True)
class RuleFile:
    path: str
    rules: tuple[Rule, ...]
    patterns: tuple[PatternDef, ...] = ()  # in the order written


def _pickle_by_fields(cls: type) -> None:
    """Pickle as (class, field values), so that unpickling calls `__init__`: more than twice as
    fast as the frozen dataclass's `__setstate__`, and the cache of parsed rule files
    (`openlint.dsl.cache`) is unpickled at every start."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__


for _cls in (Pos, Number, String, Regex, Var, Attr, Call, ListExpr, Quantifier, Not, Neg, BoolOp, Binary, Require,
             ForEach, Let, Applies, Rule, PatternDef, RuleFile):
    _pickle_by_fields(_cls)
del _cls
