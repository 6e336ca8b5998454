"""Faster searches for patterns Python's engine would try at every position of a text.

`re` skips ahead on its own only when a pattern starts with a literal or a set of literals
(`收入`, `主要原因|其中`). A pattern that starts with a lookbehind, an optional part or `\\d`
(`(?<![\\u4e00-\\u9fff])预算收入`, `(本|我)单位|\\d{4}年…`) makes it enter the whole pattern at
every character. When such a pattern can only start with a few characters, a lookahead for them
in front rejects the other positions at once. The lookahead only skips positions where the
pattern cannot match anything: matches, groups and their order are unchanged.
"""

from __future__ import annotations

import re


def prefiltered(source: str, flags: int = 0) -> str:
    """The pattern source, with a lookahead for its first characters in front when that helps."""
    if flags & re.IGNORECASE or _starts_with_literals(source, flags):
        return source
    firsts = first_chars(source, flags)
    if not firsts:
        return source
    wrapped = "(?=[" + "".join(sorted(firsts)) + "])(?:" + source + ")"
    try:
        re.compile(wrapped, flags)
    except re.error:  # e.g. global flags such as (?s) must stay at the very start
        return source
    return wrapped


_COMPILED: dict[tuple[str, int], re.Pattern] = {}


def compile_prefiltered(pattern: re.Pattern) -> re.Pattern:
    """`pattern` with the lookahead of `prefiltered` (compiled once per pattern)."""
    key = (pattern.pattern, pattern.flags)
    compiled = _COMPILED.get(key)
    if compiled is None:
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        source = prefiltered(pattern.pattern, pattern.flags)
        compiled = _COMPILED[key] = pattern if source == pattern.pattern else re.compile(source, pattern.flags)
    return compiled


def _starts_with_literals(source: str, flags: int) -> bool:
    """Whether `re` finds the pattern's first characters itself (a literal prefix or a set of
    literals): there a lookahead only gets in its way."""
    try:
        from re import _compiler, _parser  # the compiler behind re.compile

        parsed = _parser.parse(source, flags)
        prefix = _compiler._get_literal_prefix(parsed, flags)[0]
        return bool(prefix) or bool(_compiler._get_charset_prefix(parsed, flags))
    except Exception:  # noqa: BLE001 - an optimisation only
        return False


def first_chars(source: str, flags: int) -> set[str] | None:
    """What a non-empty match of the pattern must start with, as items of a character class
    (escaped characters, narrow ranges, `\\d`), when few enough to be worth a lookahead (else None).
    Zero-width parts (`^`, lookarounds) and optional ones (`(纳入)?`, the `^` of `(^|，)`) let what
    follows them start the match too."""
    try:
        from re import _constants as C, _parser  # noqa: N812  (the parser behind re.compile)

        def firsts(items) -> tuple[dict[str, int], bool] | None:
            """({class item: how many characters it admits}, whether `items` can match empty)."""
            out: dict[str, int] = {}
            for op, av in items:
                if op is C.AT or op is C.ASSERT or op is C.ASSERT_NOT:
                    continue  # zero width: what follows decides
                if op is C.LITERAL:
                    out[re.escape(chr(av))] = 1
                    return out, False
                if op is C.IN:
                    for o, a in av:
                        if o is C.LITERAL:
                            out[re.escape(chr(a))] = 1
                        elif o is C.RANGE and a[1] - a[0] <= 64:
                            out[re.escape(chr(a[0])) + "-" + re.escape(chr(a[1]))] = a[1] - a[0] + 1
                        elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
                            out["\\d"] = 10  # digits: rare in prose, like a handful of characters
                        else:
                            return None  # negated sets, other categories, wide ranges
                    return out, False
                if op is C.BRANCH:
                    nullable = False
                    for alternative in av[1]:
                        found = firsts(alternative.data)
                        if found is None:
                            return None
                        out.update(found[0])
                        nullable = nullable or found[1]
                    if nullable:
                        continue  # an alternative can match empty: what follows may start the match
                    return out, False
                if op is C.SUBPATTERN:
                    if av[1] & re.IGNORECASE:  # (?i:…): the characters listed would not be all
                        return None
                    found = firsts(av[-1].data)
                elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                    found = firsts(av[2].data)
                    if found is not None and av[0] == 0:
                        found = (found[0], True)
                else:
                    return None
                if found is None:
                    return None
                out.update(found[0])
                if not found[1]:
                    return out, False
            return out, True

        parsed = _parser.parse(source, flags)
        if parsed.state.flags & re.IGNORECASE:  # an inline (?i)
            return None
        found = firsts(parsed.data)
    except Exception:  # noqa: BLE001 - an optimisation only
        return None
    if found is None or found[1]:
        return None  # can start with anything, or match empty text anywhere
    items = found[0]
    return set(items) if items and sum(items.values()) <= 64 else None
