"""Faster searches for patterns Python's engine would try at every position of a text.

`re` skips ahead on its own only when a pattern starts with a literal or a set of literals
(`收入`, `主要原因|其中`). A pattern that starts with a lookbehind, an optional part or `\\d`
(`(?<![\\u4e00-\\u9fff])预算收入`, `(本|我)单位|\\d{4}年…`) makes it enter the whole pattern at
every character. When such a pattern can only start with a few characters, a lookahead for them
in front rejects the other positions at once. The lookahead only skips positions where the
pattern cannot match anything: matches, groups and their order are unchanged.

A scan of a long text costs the same however rarely the pattern matches. When every match needs
one of a few texts (`单位` in `(本|我)单位|…单位(预算|决算)…`), looking for those texts first (a fast
substring search) tells where a match can be at all: `needles` finds them, and `stays_on_line`
says whether a match, and everything it depends on, keeps within one line, so that only the lines
holding a needle need to be searched.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _parsed(source: str, flags: int):
    """The pattern as `re` parses it, once for the analyses below (which only read it)."""
    from re import _parser  # the parser behind re.compile

    return _parser.parse(source, flags)


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


_COMPILED: dict[tuple[str, int], tuple[re.Pattern, frozenset[str] | None]] = {}


def compile_prefiltered(pattern: re.Pattern) -> tuple[re.Pattern, frozenset[str] | None]:
    """`pattern` with the lookahead of `prefiltered`, and its `needles`: a text holding none of
    them holds no match, which `in` tells at once where the regex would try every position
    (both worked out once per pattern)."""
    key = (pattern.pattern, pattern.flags)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        source = prefiltered(pattern.pattern, pattern.flags)
        compiled = pattern if source == pattern.pattern else re.compile(source, pattern.flags)
        found = _COMPILED[key] = (compiled, needles(pattern.pattern, pattern.flags))
    return found


def _starts_with_literals(source: str, flags: int) -> bool:
    """Whether `re` finds the pattern's first characters itself (a literal prefix or a set of
    literals): there a lookahead only gets in its way."""
    try:
        from re import _compiler  # the compiler behind re.compile

        parsed = _parsed(source, flags)
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
        from re import _constants as C  # noqa: N812  (the opcodes of parsed patterns)

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

        parsed = _parsed(source, flags)
        if parsed.state.flags & re.IGNORECASE:  # an inline (?i)
            return None
        found = firsts(parsed.data)
    except Exception:  # noqa: BLE001 - an optimisation only
        return None
    if found is None or found[1]:
        return None  # can start with anything, or match empty text anywhere
    items = found[0]
    return set(items) if items and sum(items.values()) <= 64 else None


_MANY_NEEDLES = 32  # more texts to look for would make finding them cost what the scan costs


def needles(source: str, flags: int = 0) -> frozenset[str] | None:
    """Texts one of which every match of the pattern contains, in what it matches or in what its
    lookarounds read (`(本|我)单位|(预算|决算)单位` → {本单位, 我单位, 预算单位, 决算单位}); None when
    nothing is known, or when they would be too many or too common to be worth looking for
    (several single characters: `[，。]`)."""
    try:
        parsed = _parsed(source, flags)
        if (flags | parsed.state.flags) & re.IGNORECASE:  # the texts would need every case
            return None
        found = _best(_choices(parsed.data))
    except Exception:  # noqa: BLE001 - an optimisation only
        return None
    if not found or (len(found) > 1 and min(map(len, found)) < 2):
        return None
    return frozenset(found)


def _choices(items) -> list[set[str]]:
    """Sets of texts one of which every match of the sequence `items` contains.

    Consecutive items that each match one of a few texts (`本`, `(预算|决算)`, `[（(]`, `度?`) match
    one of the concatenations together: every stretch of them gives a set."""
    from re import _constants as C  # noqa: N812

    choices: list[set[str]] = []
    run: list[set[str]] = []  # the texts of each of the latest consecutive items with few texts

    def stretches() -> None:
        for first in range(len(run)):
            together = {""}
            for texts in run[first:]:
                together = {a + b for a in together for b in texts}
                if len(together) > _MANY_NEEDLES:
                    break
                if "" not in together:
                    choices.append(together)
        run.clear()

    for op, av in items:
        if op is C.AT or op is C.ASSERT_NOT:
            continue  # zero width: the characters either side are still next to each other
        if op is C.ASSERT:  # a lookaround: what it reads is in the text as well
            choices.extend(_choices(av[1].data))
            continue
        texts = _texts(op, av)
        if texts is not None:
            run.append(texts)
            continue
        stretches()
        if op is C.SUBPATTERN:
            if not av[1] & re.IGNORECASE:
                choices.extend(_choices(av[-1].data))
        elif op is C.BRANCH:
            alternatives = [_choices(a.data) for a in av[1]]
            if all(alternatives):  # one text from each alternative: the rarest, else the fewest
                for pick in (_best, _fewest):
                    union = _shortest_only(set().union(*(pick(a) for a in alternatives)))
                    if len(union) <= _MANY_NEEDLES:
                        choices.append(union)
                        break
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                choices.extend(_choices(av[2].data))
            body = _sequence_texts(av[2].data)
            if av[0] >= 2 and body is not None:  # `[XＸ]{2,}`: XX, XＸ, ＸX or ＸＸ
                run.extend([body] * av[0])
                stretches()
        elif op is C.ATOMIC_GROUP:
            choices.extend(_choices(av.data))
    stretches()
    return [_shortest_only(c) for c in choices]


def _best(choices: list[set[str]]) -> set[str]:
    """Texts of two characters or more are fast to look for, and the longer the rarer; then the
    fewer the better."""
    return min(choices, key=lambda texts: (min(map(len, texts)) < 2, -min(map(len, texts)), len(texts)))


def _fewest(choices: list[set[str]]) -> set[str]:
    """The set with the fewest texts (of two characters or more), then the longest: the fallback
    when the rarest texts of every alternative together would be too many."""
    return min(choices, key=lambda texts: (min(map(len, texts)) < 2, len(texts), -min(map(len, texts))))


def _texts(op, av) -> set[str] | None:
    """All the texts one item can match, when they are few (zero-width parts match "")."""
    from re import _constants as C  # noqa: N812

    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        if len(av) <= _MANY_NEEDLES and all(o is C.LITERAL for o, _a in av):
            return {chr(a) for _o, a in av}
        return None
    if op is C.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _sequence_texts(av[-1].data)
    if op is C.BRANCH:
        alternatives = [_sequence_texts(a.data) for a in av[1]]
        if any(a is None for a in alternatives):
            return None
        found = set().union(*alternatives)
        return found if len(found) <= _MANY_NEEDLES else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[1] <= 1:  # `x?`, `x{1}`
        body = _sequence_texts(av[2].data)
        if body is None:
            return None
        return body | {""} if av[0] == 0 else body
    return None


def _sequence_texts(items) -> set[str] | None:
    """All the texts a sequence can match, when they are few."""
    from re import _constants as C  # noqa: N812

    found = {""}
    for op, av in items:
        if op is C.AT or op is C.ASSERT or op is C.ASSERT_NOT:
            continue  # zero width
        texts = _texts(op, av)
        if texts is None:
            return None
        found = {a + b for a in found for b in texts}
        if len(found) > _MANY_NEEDLES:
            return None
    return found


def _shortest_only(texts: set[str]) -> set[str]:
    """Without the texts that contain another one: a line holding 主要原因 holds 原因."""
    return {t for t in texts if not any(o != t and o in t for o in texts)}


def starts_line(source: str, flags: int = 0) -> bool:
    """Whether every match starts at the start of a line: the pattern begins with a multi-line `^`
    (in each of its alternatives). Such a pattern needs to be tried only after each line break
    (and at the start of the text), which a search for `\n` followed by it finds at C speed."""
    try:
        parsed = _parsed(source, flags)
        if not (flags | parsed.state.flags) & re.MULTILINE:
            return False
        return _starts_line(parsed.data)
    except Exception:  # noqa: BLE001 - an optimisation only
        return False


def _starts_line(items) -> bool:
    from re import _constants as C  # noqa: N812

    if not len(items):
        return False
    op, av = items[0]
    if op is C.AT:
        return av is C.AT_BEGINNING
    if op is C.SUBPATTERN:  # a group that changes no flag: (…), (?P<name>…)
        return not av[1] and not av[2] and _starts_line(av[-1].data)
    if op is C.BRANCH:
        return all(_starts_line(a.data) for a in av[1])
    return False


def stays_on_line(source: str, flags: int = 0) -> bool:
    """Whether no part of the pattern can match a line break (\\n), nor is `\\Z` or a `$` that is not
    multi-line: then a match and everything its lookarounds read lie inside one line, and the
    line break after the line reads to the pattern like the end of the text (so searching up to it
    finds what searching the whole text finds on that line)."""
    try:
        parsed = _parsed(source, flags)
        return _on_line(parsed.data, (flags | parsed.state.flags) & (re.DOTALL | re.MULTILINE))
    except Exception:  # noqa: BLE001 - an optimisation only
        return False


def _on_line(items, flags: int) -> bool:
    """`stays_on_line` for a sequence, under `flags` (only DOTALL and MULTILINE matter)."""
    from re import _constants as C  # noqa: N812

    for op, av in items:
        if op is C.LITERAL:
            ok = av != _NEWLINE
        elif op is C.NOT_LITERAL:
            ok = av == _NEWLINE
        elif op is C.ANY:
            ok = not flags & re.DOTALL
        elif op is C.IN:
            ok = _class_excludes_newline(av)
        elif op is C.AT:
            # the parser writes `$` as AT_END whatever the flags: a line's end under MULTILINE
            ok = av is not C.AT_END_STRING and (av is not C.AT_END or bool(flags & re.MULTILINE))
        elif op is C.ASSERT or op is C.ASSERT_NOT:
            ok = _on_line(av[1].data, flags)
        elif op is C.SUBPATTERN:  # (?s:…) turns DOTALL on, (?-m:…) MULTILINE off
            ok = _on_line(av[-1].data, (flags | av[1]) & ~av[2])
        elif op is C.BRANCH:
            ok = all(_on_line(a.data, flags) for a in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            ok = _on_line(av[2].data, flags)
        elif op is C.ATOMIC_GROUP:
            ok = _on_line(av.data, flags)
        else:  # back-references, conditionals: not worth the reasoning
            ok = False
        if not ok:
            return False
    return True


_NEWLINE = ord("\n")


def _class_excludes_newline(items) -> bool:
    """Whether a character class (`[^，。]`, `\\d`, `[\\u4e00-\\u9fff]`) cannot match \\n."""
    from re import _constants as C  # noqa: N812

    newline_in = {  # whether each category holds \n
        C.CATEGORY_DIGIT: False, C.CATEGORY_NOT_DIGIT: True, C.CATEGORY_SPACE: True,
        C.CATEGORY_NOT_SPACE: False, C.CATEGORY_WORD: False, C.CATEGORY_NOT_WORD: True,
        C.CATEGORY_LINEBREAK: True, C.CATEGORY_NOT_LINEBREAK: False,
    }
    negated = False
    holds = False
    for op, av in items:
        if op is C.NEGATE:
            negated = True
        elif op is C.LITERAL:
            holds = holds or av == _NEWLINE
        elif op is C.RANGE:
            holds = holds or av[0] <= _NEWLINE <= av[1]
        elif op is C.CATEGORY and av in newline_in:
            holds = holds or newline_in[av]
        else:
            return False  # unknown: assume the worst
    return holds == negated
