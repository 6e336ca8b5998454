"""The generic primitives that rules call: selectors, predicates, counts, attributes.

Each primitive is a plain function `f(ctx, *args)` registered with its arity (`registry`). The
compiler checks calls against the registry (unknown name, wrong number of arguments, unknown
table kind) before anything runs; this module is the runtime it compiles against, with the
primitive families of the other modules imported at its end. Primitives know the document
model and the understood facts, never a particular requirement: the requirement is the rule text.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, REGISTRY, display, pattern_found, primitive  # noqa: F401  (REGISTRY, display: the runtime's interface)
from openlint.model import Heading, Paragraph, Problem, Section, Table
from openlint.read.structure import numbering_level
from openlint.understand.catalog import TableKind
from openlint.understand.kind import DocumentKind



# ---- selectors ----

@primitive("sections", 0, 1)
def sections(ctx: Context, pattern: Any = None) -> list[Section]:
    """Sections whose heading matches the pattern (all sections without one), in document order."""
    key = ("sections", pattern.pattern if isinstance(pattern, re.Pattern) else pattern,
           pattern.flags if isinstance(pattern, re.Pattern) else 0)
    return ctx.cached(key, lambda: [s for s, title in ctx.section_titles() if pattern is None or pattern_found(pattern, title)])


@primitive("section", 1)
def section(ctx: Context, pattern: Any) -> Section | None:
    """The first section whose heading matches the pattern, or nothing."""
    found = sections(ctx, pattern)
    return found[0] if found else None


@primitive("tables", 0, 1, kind_arg=0)
def tables(ctx: Context, kind: str | None = None) -> list[Table]:
    """All tables, or those of one catalog kind: tables("三公经费支出表")."""
    # the lists are the same for the whole document: found once, handed out as copies
    found = ctx.cached(("tables", kind), lambda: list(ctx.document.tables) if kind is None else
                       [t for t in ctx.document.tables if (k := ctx.kind_of(t)) is not None and k.id == kind])
    return list(found)


@primitive("table", 1, kind_arg=0)
def table(ctx: Context, kind: str) -> Table | None:
    """The first table of a catalog kind, or nothing."""
    found = tables(ctx, kind)
    return found[0] if found else None


@primitive("required_tables", 0)
def required_tables(ctx: Context) -> list[TableKind]:
    """The catalog kinds this document's kind (预算/决算) and year must publish."""
    return [k for k in ctx.catalog.kinds if k.required_for(ctx.facts.kind, ctx.facts.year)]


_WHOLE_DOCUMENT = object()


@primitive("paragraphs", 0, 1)
def paragraphs(ctx: Context, scope: Any = _WHOLE_DOCUMENT) -> list[Paragraph]:
    """Paragraphs of the whole document, or of a section or a list of sections, in order (none
    when the section is not there); notes under tables excluded."""
    if scope is _WHOLE_DOCUMENT:  # found once, handed out as copies
        return list(ctx.cached("paragraphs", lambda: paragraphs(ctx, ctx.document)))
    scopes = scope if isinstance(scope, (list, tuple)) else (scope,)
    return [b for s in scopes for b in getattr(s, "blocks", ()) if isinstance(b, Paragraph) and not b.is_note]


@primitive("paragraphs_outside", 1)
def paragraphs_outside(ctx: Context, pattern: Any) -> list[Paragraph]:
    """Paragraphs (notes excluded) that are not inside any section whose heading matches the
    pattern: paragraphs_outside(/^目录$|名词解释/) leaves out the 目录 lines and the definitions,
    which name every topic without saying anything about the document's own."""
    inside = {id(b) for s in sections(ctx, pattern) for b in s.blocks}
    return [p for p in paragraphs(ctx) if id(p) not in inside]


@primitive("notes", 1, 2)
def notes(ctx: Context, tbl: Table, pattern: Any = None) -> list[Paragraph]:
    """The 注：… notes written under a table, and the paragraphs right after it up to the next table
    or heading; with a pattern, those of them that match it."""
    found = _notes(ctx, tbl)
    if pattern is None:
        return found
    return [n for n in found if pattern_found(pattern, n.text)]


def _notes(ctx: Context, tbl: Table) -> list[Paragraph]:
    blocks = ctx.document.blocks
    out = list(tbl.notes)
    start = ctx.block_index(tbl)
    if start is None:
        return out
    for block in blocks[start + 1 : start + 4]:
        if isinstance(block, (Table, Heading)):
            break
        # notes right after the table are its own (already in tbl.notes, with an older location)
        if isinstance(block, Paragraph) and not block.is_note and block not in out:
            out.append(block)
    return out


@primitive("with_list", 1)
def with_list(ctx: Context, paragraph: Any) -> str:
    """The paragraph's text and, when it ends by opening a list ("……19.56万元。其中：", "如下："), the
    paragraphs after it that are its items, up to a heading, a table, a numbered item ("3、") or
    eight of them: a list written one item a line, read as one text."""
    if not isinstance(paragraph, Paragraph):
        return ""
    text = compact(paragraph.text)
    if not text.endswith(("：", ":")):
        return text
    start = ctx.block_index(paragraph)
    if start is None:
        return text
    for block in ctx.document.blocks[start + 1 : start + 9]:
        if not isinstance(block, Paragraph) or block.is_note or numbering_level(compact(block.text)) is not None:
            break
        text += compact(block.text)
    return text


# ---- predicates and values ----

@primitive("unread", 0)
def unread(ctx: Context) -> list[Problem]:
    """What the reader found but could not read, any of which may hold a table: a PDF page that is
    only a picture or whose text did not extract, a large picture in a Word file or a web page."""
    return [p for p in ctx.document.problems if p.unread]


@primitive("exists", 1)
def exists(ctx: Context, value: Any) -> bool:
    """True when the value is something: not nothing, not an empty list or text."""
    return value is not None and value != "" and value != [] and value != ()


@primitive("is_empty", 1)
def is_empty(ctx: Context, tbl: Table) -> bool:
    """A table without any non-zero amount in its body."""
    return ctx.is_empty(tbl)


@primitive("is_blank", 1)
def is_blank(ctx: Context, sec: Section) -> bool:
    """A section with nothing under its heading before the next heading numbered the same way, or
    before the next part of a section it lies in.

    `五、绩效` followed by `六、采购` is blank, and so is `（二）其他` followed by `第四部分` under
    `第三部分`; followed by `第一部分 …` under another `第一部分` (another numbering style, not the
    enclosing section's next, a structure problem of its own) it is not judged blank.
    """
    if any(isinstance(b, (Table, Paragraph)) and (isinstance(b, Table) or compact(b.text)) for b in sec.blocks):
        return False
    blocks = ctx.document.blocks
    index = ctx.block_index(sec.heading)
    following = blocks[index + 1] if index is not None and index + 1 < len(blocks) else None
    if following is None:
        return True
    if not isinstance(following, Heading):
        return False
    if numbering_level(following.text) == numbering_level(sec.heading.text):
        return True
    return _next_of_an_enclosing(ctx, sec, following)


def _next_of_an_enclosing(ctx: Context, sec: Section, heading: Heading) -> bool:
    """Whether `heading` is numbered as the next part of a section `sec` lies in (第三部分 → 第四部分)."""
    from openlint.judge.text.numbering import numbering  # (judge.text is imported after this module)

    after = numbering(heading.text)
    if after is None:
        return False
    for ancestor in _ancestors(ctx).get(id(sec), ()):
        own = numbering(ancestor.heading.text)
        if own is not None and own[0] == after[0] and own[1] + 1 == after[1]:
            return True
    return False


def _ancestors(ctx: Context) -> dict[int, tuple[Section, ...]]:
    """Each section's enclosing sections (by id), outermost first."""

    def compute() -> dict[int, tuple[Section, ...]]:
        out: dict[int, tuple[Section, ...]] = {}
        stack = [(s, ()) for s in ctx.document.sections]
        while stack:
            section, above = stack.pop()
            out[id(section)] = above
            stack.extend((child, above + (section,)) for child in section.children)
        return out

    return ctx.cached("section ancestors", compute)


@primitive("text", 0, 1)
def text(ctx: Context, value: Any = None) -> str:
    """The text of the whole document, a section, a table, a paragraph, or a list of them."""
    if value is None:
        return "\n".join(_text_of(b) for b in ctx.document.blocks)
    if isinstance(value, Section):  # long, and read again for every term a rule looks for in it
        # Keyed by id: the section kept in the memo stays alive, so no other object can take its id.
        return ctx.cached(("section text", id(value)), lambda: (value, _text_of(value)))[1]
    return _text_of(value)


@primitive("count", 1)
def count(ctx: Context, value: Any) -> int:
    """How many items a list has (count(x in xs: cond) counts those that satisfy cond)."""
    return 0 if value is None else len(value)


@primitive("head", 1, 2)
def head(ctx: Context, value: Any, n: float = 1) -> list:
    """The first n items of a list (1 by default): head(paragraphs(section(/职责/))) is the
    paragraph a section opens with."""
    return list(value or ())[: max(int(n), 0)]


@primitive("join", 1)
def join(ctx: Context, value: Any) -> str:
    """A list's items as text separated by 、."""
    return "、".join(display(v) for v in value or ())


@primitive("excerpt", 1, 2)
def excerpt(ctx: Context, value: Any, length: float = 30) -> str:
    """The first characters of a text (30 by default), with … when cut."""
    s = display(value)
    n = int(length)
    return s if len(s) <= n else s[:n] + "…"


@primitive("find", 2, 3)
def find(ctx: Context, value: Any, pattern: Any, around: Any = 0) -> str:
    """The first text in value that the pattern matches, or nothing; with `around`, the match and
    up to that many characters either side, on one line, with … where cut (to quote it)."""
    s = _text_of(value) if not isinstance(value, str) else value
    if isinstance(pattern, re.Pattern):
        m = pattern.search(s)
        start, end = (m.start(), m.end()) if m else (-1, -1)
    else:
        start = s.find(str(pattern))
        end = start + len(str(pattern))
    if start < 0:
        return ""
    width = int(around)
    if not width:
        return s[start:end]
    left, right = max(0, start - width), min(len(s), end + width)
    return ("…" if left else "") + compact(s[left:right]).replace("\n", "") + ("…" if right < len(s) else "")


_ABSENCE_WORDS = r"(无(?!偿|形|论|关)|没有|未安排|未发生|不涉及|未使用|未产生)"
# The stretch between an absence word and the term it denies stays inside one clause: a comma, a
# semicolon or a full stop starts another statement (无增减变化，一般公共预算… denies nothing of it).
# An enumeration of what there is none of (无政府性基金、国有资本经营预算拨款) keeps its 、.
_BEFORE_TERM = r"[^，,；;。]{0,20}"
# After the term, the zero must be its first figure, in the same clause and the same enumeration
# item: in 一般公共预算收入89.45，基金预算收入0元 the zero is the fund's, not 一般公共预算's.
# Nor a quoted name after the term (财政拨款“三公”经费预算0万元: the zero is the 三公's). A year
# (2025年) is not a figure.
_AFTER_TERM = r"(?:[^，,、；;。\d“《]|\d{4}年度?){0,20}"


def _absence_pattern(term: str) -> str:
    """The regex for “there is none of `term`” (`term` already a regex)."""
    return (rf"{_ABSENCE_WORDS}{_BEFORE_TERM}(?:{term})|(?:{term}){_AFTER_TERM}"
            rf"(为0(\.0+)?(?![\d.])|为零|为空|无数据|(?<![\d.,])0(\.0+)?万?元)")


@primitive("states_absence", 2)
def states_absence(ctx: Context, value: Any, word: str) -> bool:
    """The text says there is none of `word`: 无政府性基金…, 没有安排…三公…, …三公经费为0 — the
    absence word before the term in the same clause, or a zero as the first figure after it."""
    s = _text_of(value) if not isinstance(value, str) else value
    return re.search(_absence_pattern(re.escape(str(word))), s) is not None


# A figure that discloses something: an amount in 元, a count of vehicles, units, items, an area.
_FIGURE = re.compile(r"(?<![\d.])\d[\d,]*(\.\d+)?\s*(万|亿|千)?元|(?<![\d.])\d[\d,]*(\.\d+)?\s*(辆|个|家|台|套|项|处|平方米)")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")


@primitive("discloses", 2)
def discloses(ctx: Context, value: Any, topic: Any) -> bool:
    """The text discloses the topic (a text or /regex/): in one sentence it names the topic and
    then states a figure (an amount in 元, a count in 辆/个/家/台/套/项/处, an area in 平方米), or
    says there is none of it (无机关运行经费, 不涉及…, …为0). A mention without a figure (a
    definition, a 目录 line, a duty) does not disclose; nor does a figure before the topic
    (…166.66万元，主要用于…政府采购)."""
    s = _text_of(value) if not isinstance(value, str) else value
    term = topic.pattern if isinstance(topic, re.Pattern) else re.escape(str(topic))
    named = re.compile(term)
    absent = re.compile(_absence_pattern(term))
    for sentence in _SENTENCE.findall(s):
        m = named.search(sentence)
        if m is None:
            continue
        if _FIGURE.search(sentence, m.end()) or absent.search(sentence):
            return True
    return False


@primitive("missing", 2)
def missing(ctx: Context, value: Any, items: Any) -> list:
    """The items (texts or /regexes/) that the text does not contain, in the order given."""
    s = _text_of(value) if not isinstance(value, str) else value
    return [item for item in items or () if not pattern_found(item, s)]


@primitive("has_amount", 1)
def has_amount(ctx: Context, term: Any) -> bool:
    """Some table has a non-zero amount in a row or column whose label contains the term (text or /regex/)."""
    labels = ctx.amount_labels()
    if isinstance(term, re.Pattern):  # (the kind of term told once, not for every label)
        search = term.search
        return any(search(label) is not None for label in labels)
    word = str(term)
    return any(word in label for label in labels)


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (Paragraph, Heading)):
        return compact(value.text)
    if isinstance(value, Table):
        return compact("\n".join([value.caption, *value.preamble, value.all_text()]))
    if isinstance(value, Section):
        return compact("\n".join([value.title] + [_text_of(b) for b in value.blocks]))
    if isinstance(value, (list, tuple)):
        return "\n".join(_text_of(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # the language's numbers are floats: text(doc.year - 1) is "2022"
    return str(value)


# ---- attributes: what `x.name` means for each kind of value ----

_CORE_ATTRIBUTES: dict[type, dict[str, Callable[[Context, Any], Any]]] = {
    Table: {
        "caption": lambda ctx, t: t.caption,
        "kind": lambda ctx, t: ctx.kind_of(t),
        "text": lambda ctx, t: _text_of(t),
        "notes": lambda ctx, t: notes(ctx, t),
        "page": lambda ctx, t: t.location.page,
        "empty": lambda ctx, t: ctx.is_empty(t),
        "rows": lambda ctx, t: t.n_rows,
    },
    Section: {
        "title": lambda ctx, s: ctx.title(s),
        "text": lambda ctx, s: text(ctx, s),
        "body": lambda ctx, s: "\n".join(_text_of(b) for b in s.blocks),
        "tables": lambda ctx, s: [b for b in s.blocks if isinstance(b, Table)],
        "paragraphs": lambda ctx, s: paragraphs(ctx, s),
    },
    # `.printed`: the text with its white space, where a PDF line shows the gap between two columns
    Paragraph: {"text": lambda ctx, p: compact(p.text), "printed": lambda ctx, p: p.text,
                "page": lambda ctx, p: p.location.page},
    Heading: {"text": lambda ctx, h: compact(h.text), "page": lambda ctx, h: h.location.page},
    TableKind: {
        "id": lambda ctx, k: k.id,
        "name": lambda ctx, k: k.name(ctx.facts.kind),
        "fund": lambda ctx, k: list(k.fund),
        "required": lambda ctx, k: k.required_for(ctx.facts.kind, ctx.facts.year),
    },
    DocumentKind: {
        "kind": lambda ctx, d: d.kind,
        "level": lambda ctx, d: d.level,
        "year": lambda ctx, d: d.year,
        "org": lambda ctx, d: d.org,
    },
}
for _kind, _getters in _CORE_ATTRIBUTES.items():
    ATTRIBUTES.setdefault(_kind, {}).update(_getters)

# Names bound in every rule: `doc` is the document's understood kind.
GLOBALS: dict[str, Callable[[Context], Any]] = {
    "doc": lambda ctx: ctx.facts,
    "true": lambda ctx: True,
    "false": lambda ctx: False,  # `for each d in differences(…) require false`: every element is a finding
}


def get_attribute(ctx: Context, value: Any, name: str) -> Any:
    if value is None:
        return None  # attributes of nothing are nothing, so `exists(t.kind)` reads naturally
    getter = attribute_getter(type(value), name)
    if getter is None:
        raise AttributeError(f"{type(value).__name__} 没有属性 {name}")
    return getter(ctx, value)


def attribute_getter(kind: type, name: str) -> Callable[[Context, Any], Any] | None:
    """What `x.name` calls for a value of type `kind` (None when it has no such attribute)."""
    return ATTRIBUTES.get(kind, {}).get(name)


# Primitive families in their own modules register themselves with @primitive and ATTRIBUTES
# (the text package imported as `_text`: `text` is a primitive here).
from openlint.judge import numbers, text as _text, statements, codes  # noqa: E402,F401  (registration side effect)

# Every family has registered its attributes by now (none of them imports this module).
ATTRIBUTE_NAMES = frozenset(attr for table in ATTRIBUTES.values() for attr in table)
