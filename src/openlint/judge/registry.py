"""The registry that rules are compiled against: the primitives a rule can call, what `x.name`
means for each kind of value, and how a value reads in a message.

Its own module so that the primitive families (numbers, text, statements, codes) can
register themselves whichever of them is imported first; `primitives` imports them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from openlint.model import Heading, Paragraph, Section, Table
from openlint.understand.catalog import TableKind


@dataclass(frozen=True)
class Primitive:
    name: str
    func: Callable[..., Any]
    min_args: int
    max_args: int
    doc: str
    kind_arg: int | None = None  # index of an argument that must name a table kind


REGISTRY: dict[str, Primitive] = {}


def primitive(name: str, min_args: int, max_args: int | None = None, kind_arg: int | None = None):
    def register(func):
        REGISTRY[name] = Primitive(name, func, min_args, min_args if max_args is None else max_args,
                                   (func.__doc__ or "").strip(), kind_arg)
        return func

    return register


# type → attribute name → getter(ctx, value)
ATTRIBUTES: dict[type, dict[str, Callable[[Any, Any], Any]]] = {}


def display(value: Any) -> str:
    """How a value reads inside a message."""
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Table):
        return value.caption or "（无标题表格）"
    if isinstance(value, Section):
        return value.title
    if isinstance(value, (Paragraph, Heading)):
        return value.text
    if isinstance(value, TableKind):
        return value.id
    if isinstance(value, re.Pattern):
        # A /regex/ reads in a message as its first alternative: /运行费|运行维护费/ → 运行费.
        return re.sub(r"\\(.)|[\\^$()?*+\[\]{}]", lambda m: m.group(1) or "", value.pattern.split("|")[0])
    if isinstance(value, (list, tuple)):
        return "、".join(display(v) for v in value)
    return str(value)


def pattern_found(pattern: Any, text: str) -> bool:
    """Whether a rule's pattern argument, a /regex/ or a plain text, occurs in `text`."""
    if isinstance(pattern, re.Pattern):
        return pattern.search(text) is not None
    return str(pattern) in text
