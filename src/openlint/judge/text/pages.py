"""The pages of a PDF: blank, repeated, or with characters that did not extract (`pages`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _page, _quote
from openlint.model import Document, Location, Table


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a PDF: its text, whether it is blank, repeated or partly unreadable."""

    number: int
    text: str  # compacted
    blank: bool
    inner: bool  # some page before and some page after have text
    duplicate_of: int | None
    unreadable: int  # characters that did not extract (private use, U+FFFD, controls)
    quote: str  # the first unreadable characters with some text around them
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""
    unread: bool = False  # the reader could not read it (only a picture, text that did not extract)


_FURNITURE = re.compile(r"^[-—–－]*(第?\d{1,4}页?(共\d+页)?|\d+/\d+)[-—–－]*$")
_BAD_CHAR = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


@primitive("pages", 0)
def pages(ctx: Context) -> list[Page]:
    """The pages of a PDF (nothing for other formats): `.number`, `.text`, `.blank` (no text but a
    page number), `.inner` (text on some page before and after), `.duplicate_of` (an earlier page
    with the same text), `.unreadable` (characters that did not extract: private-use, U+FFFD,
    control characters; a bullet glyph at the start of a line is not counted) and `.quote`;
    `.unread` for a page the reader reported it could not read (only a picture, text that did not
    extract), whose characters are not counted again."""
    return ctx.cached(("text", "pages"), lambda: _pages(ctx.document))


def _pages(document: Document) -> list[Page]:
    texts = document.page_texts
    if not texts:
        return []
    reported = {p.location.page for p in document.problems if p.location.page}
    compacted = [compact(t).replace("\n", "").replace("\r", "") for t in texts]
    # a page the reader reported (only an image, text that did not extract) is not blank
    blank = [(not c or bool(_FURNITURE.match(c))) and i + 1 not in reported for i, c in enumerate(compacted)]
    first = next((i for i, b in enumerate(blank) if not b), None)
    last = next((i for i in range(len(blank) - 1, -1, -1) if not blank[i]), None)
    seen: dict[str, int] = {}
    holders = _holders(document)
    out: list[Page] = []
    for i, raw in enumerate(texts):
        number = i + 1
        text = compacted[i]
        duplicate = None
        if not blank[i] and len(text) >= 30:
            duplicate = seen.get(text)
            seen.setdefault(text, number)
            if duplicate is not None and _other_tables(holders.get(duplicate, set()), holders.get(number, set())):
                duplicate = None
        bad = 0
        quote = ""
        if number not in reported and _BAD_CHAR.search(raw):  # most pages extract cleanly
            for line in raw.splitlines():
                body = line.lstrip()
                for m in _BAD_CHAR.finditer(body):
                    if m.start() == 0 and "\ue000" <= m.group() <= "\uf8ff":
                        continue  # a symbol-font bullet
                    bad += 1
                    if not quote:
                        quote = _quote(_BAD_CHAR.sub("□", body).strip(), m.start(), m.end(), 12)
        location = Location(file=document.path, page=number)
        related = (Location(file=document.path, page=duplicate),) if duplicate else ()
        out.append(Page(
            number=number, text=text, blank=blank[i],
            inner=first is not None and first < i < last, duplicate_of=duplicate, unreadable=bad,
            quote=quote, location=location, related=related, anchor=f"第{number}页", unread=number in reported,
        ))
    return out


def _holders(document: Document) -> dict[int, set]:
    """What each page holds: ("table", caption) for the tables drawn on it, "text" for anything else."""
    held: dict[int, set] = {}
    for block in document.blocks:
        if isinstance(block, Table):
            for page in block.pages or (block.location.page,):
                held.setdefault(page, set()).add(("table", block.caption))
        elif block.location.page:
            held.setdefault(block.location.page, set()).add("text")
    return held


def _other_tables(first: set, second: set) -> bool:
    """Two pages of nothing but rows of tables of other titles: the same rows (the same codes
    and amounts in a 收入 and a 支出 table) on a page each, not one page printed twice (which
    the reader takes for a table of the same title again)."""
    return bool(first) and bool(second) and "text" not in first | second and not first & second


ATTRIBUTES[Page] = {
    "number": lambda ctx, p: p.number, "text": lambda ctx, p: p.text, "blank": lambda ctx, p: p.blank,
    "inner": lambda ctx, p: p.inner, "duplicate_of": lambda ctx, p: p.duplicate_of,
    "unreadable": lambda ctx, p: p.unreadable, "quote": lambda ctx, p: p.quote, "page": _page,
    "unread": lambda ctx, p: p.unread,
}
