"""List items that end differently from their siblings (`list_items`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openlint.judge.context import Context
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _corpus, _page, _short
from openlint.judge.text.numbering import _Numbered, _numbering_walk
from openlint.model import Heading, Location


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered list item (a paragraph) and how it ends compared with its siblings."""

    text: str  # first characters
    ending: str  # the last characters of the item
    stops: int  # siblings that end with a stop (。；！？)
    siblings: int  # items in its list
    unterminated: bool  # ends without any punctuation
    location: Location
    anchor: str = ""


_ITEM_STOP = frozenset("。；;！？!?")
_ITEM_OPEN = frozenset("，,：:、")


@primitive("list_items", 0)
def list_items(ctx: Context) -> list[Item]:
    """Numbered paragraphs (list items, the paragraphs continuing them included), each with how
    many of its siblings end with a stop (`.stops` of `.siblings`) and whether it ends with no
    punctuation at all (`.unterminated`). Headings and the 目录 are not list items."""
    return ctx.cached(("text", "items"), lambda: _items(ctx))


def _items(ctx: Context) -> list[Item]:
    """Siblings are the items numbered the same way under the same heading (robust to a list whose
    numbering is itself broken)."""
    _problems, body = _numbering_walk(ctx)
    corpus = _corpus(ctx)
    parent: Any = None
    groups: dict[tuple, list[tuple[_Numbered, str]]] = {}
    for item in body:
        if isinstance(item.block, Heading):
            parent = item.block
            continue
        if not item.style:
            continue
        units = corpus.block_units.get(id(item.block), ())
        if not units:
            continue
        unit = corpus.units[units[0]]
        if unit.blocks[0] is not item.block:
            continue
        groups.setdefault((item.style, id(parent)), []).append((item, unit.text))
    out: list[Item] = []
    for members in groups.values():
        stops = sum(1 for _i, t in members if t[-1] in _ITEM_STOP)
        for item, text in members:
            last = text[-1]
            out.append(Item(
                text=_short(item.block.text), ending=text[-12:], stops=stops, siblings=len(members),
                unterminated=last not in _ITEM_STOP and last not in _ITEM_OPEN,
                location=item.block.location, anchor=text[:40],
            ))
    out.sort(key=lambda i: (i.location.page or 0, i.location.line or 0))
    return out


ATTRIBUTES[Item] = {
    "text": lambda ctx, i: i.text, "ending": lambda ctx, i: i.ending, "stops": lambda ctx, i: i.stops,
    "siblings": lambda ctx, i: i.siblings, "unterminated": lambda ctx, i: i.unterminated, "page": _page,
}
