"""The same text twice: blocks whose text repeats an earlier block's (`duplicates`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _quote
from openlint.model import Location


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A block whose text is the same as an earlier block's."""

    text: str
    quote: str  # its start, for messages
    count: int  # how many blocks in all have this text
    first: str  # where the first one is, for messages: 第7页, 第12行, or its section
    page: int | None
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@primitive("duplicates", 1, 2)
def duplicates(ctx: Context, items: Any, min_chars: Any = 50) -> list[Duplicate]:
    """Blocks (paragraphs, headings…) whose text, white space aside, is the same as an earlier
    one's and at least `min_chars` long: one element per repeat, with `.text`, `.quote`, `.count`
    (the blocks with this text in all), `.first` (where the first one is: 第7页, 第12行, or the
    section holding it) and `.page`."""
    least = int(min_chars)
    seen: dict[str, Any] = {}
    counts: Counter = Counter()
    repeats: list[tuple[str, Any]] = []
    for block in items if isinstance(items, (list, tuple)) else ():
        text = compact(getattr(block, "text", "") or "").replace("\n", "")
        if len(text) < least:
            continue
        counts[text] += 1
        if text in seen:
            repeats.append((text, block))
        else:
            seen[text] = block
    out = []
    for text, block in repeats:
        first = seen[text].location
        where = (f"第{first.page}页" if first.page else f"第{first.line}行" if first.line
                 else f"“{first.section[-1]}”一节" if first.section else "前文")
        out.append(Duplicate(text, _quote(text, 0, 0, 30), counts[text], where, block.location.page,
                             block.location, (first,), text[:80]))
    return out


ATTRIBUTES[Duplicate] = {
    "text": lambda ctx, d: d.text, "quote": lambda ctx, d: d.quote, "count": lambda ctx, d: d.count,
    "first": lambda ctx, d: d.first, "page": lambda ctx, d: d.page,
}
