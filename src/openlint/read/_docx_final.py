"""The body of a .docx as Word shows it: the few XML shapes whose text is not what a reader of the
document sees, rewritten in the parsed tree before the body is read.

Word keeps tracked changes, hidden text, annotations and text boxes in the main part, and a plain
walk of the text nodes reads them wrong: a tracked move's origin keeps its text in w:t (so moved
text would be read twice), a hidden run or a ruby annotation is text nobody sees, a deleted row or
paragraph mark is still an element, a text box's paragraphs sit inside a run of the paragraph that
anchors them. `show_final` accepts the changes and moves the text boxes out, so that the body
reader (and its fast path over ordinary paragraphs) reads the final document.

Only documents that hold one of these shapes pay for this: the body reader notes their elements
(`shape_tags`) in the one pass it makes over the body anyway (`_BodyReader.prepare`).
"""

from __future__ import annotations

from lxml import etree

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Not displayed, but they split an amount ("1\u200b00.00") or a word: text pasted from web pages
# and WPS carries them
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_DROP_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))
_FALSE = {"0", "false", "off", "none"}


def shape_tags(tags) -> tuple[str, ...]:
    """The tags that mark a shape `show_final` rewrites (w:instrText too: a TOC field's)."""
    return (tags.del_, tags.moveFrom, tags.moveFromRangeStart, tags.vanish, tags.rt, tags.txbxContent)


def is_toc_instruction(text: str | None) -> bool:
    """A field instruction that builds a table of contents (field names are case-insensitive)."""
    return bool(text) and text.lstrip()[:3].upper() == "TOC"


def drop_zero_width(body: etree._Element, tags) -> None:
    """Zero-width characters out of the text (see `ZERO_WIDTH`)."""
    for t in body.iter(tags.t):
        if t.text:
            t.text = t.text.translate(_DROP_ZERO_WIDTH)


def show_final(body: etree._Element, tags, marks: list[etree._Element]) -> None:
    """Rewrite `body` as Word shows it with every tracked change accepted; `marks`: the elements
    of `shape_tags` (and TOC instructions) found in it, in document order."""
    by_tag: dict[str, list[etree._Element]] = {}
    for el in marks:
        by_tag.setdefault(el.tag, []).append(el)
    # runs first: a paragraph mark's deletion then joins what is left of the paragraph
    if tags.moveFromRangeStart in by_tag:
        _drop_moved_ranges(body, tags)
    for el in by_tag.get(tags.moveFrom, []) + by_tag.get(tags.del_, []):
        _accept_removal(el, tags)
    for el in by_tag.get(tags.vanish, []):
        if _is_hidden_run(el, tags):
            _remove(el.getparent().getparent())
    for el in by_tag.get(tags.rt, []):
        if el.getparent() is not None and el.getparent().tag == tags.ruby:
            _remove(el)  # the annotation over the base text
    for p in _deleted_marks(marks, tags):
        _join_with_next(p, tags)
    if tags.instrText in by_tag:
        _drop_toc_fields(body, tags)
    if tags.txbxContent in by_tag:
        _move_text_boxes(by_tag[tags.txbxContent], tags)


# --- tracked changes, hidden text -------------------------------------------------------------


def _remove(el: etree._Element | None) -> None:
    if el is not None and el.getparent() is not None:
        el.getparent().remove(el)


def _accept_removal(el: etree._Element, tags) -> None:
    """A w:del or w:moveFrom: around runs, they go; on a row (w:trPr), the row goes. On a
    paragraph mark (w:pPr/w:rPr) it is left to `_deleted_marks`."""
    parent = el.getparent()
    if parent is None or parent.tag == tags.rPr:
        return
    if parent.tag == tags.trPr:
        if el.tag == tags.del_:
            _remove(parent.getparent())
        return
    _remove(el)


def _drop_moved_ranges(body: etree._Element, tags) -> None:
    """The runs between a w:moveFromRangeStart and its w:moveFromRangeEnd (Word wraps them in
    w:moveFrom as well, but the range is what marks the move). A range that never ends marks
    nothing: it must not swallow the rest of the document."""
    ids = tags.id
    ends = {el.get(ids) for el in body.iter(tags.moveFromRangeEnd)}
    open_ranges: set[str | None] = set()
    moved: list[etree._Element] = []
    for el in body.iter(tags.moveFromRangeStart, tags.moveFromRangeEnd, tags.r):
        if el.tag == tags.r:
            if open_ranges:
                moved.append(el)
        elif el.tag == tags.moveFromRangeStart:
            if el.get(ids) in ends:
                open_ranges.add(el.get(ids))
        else:
            open_ranges.discard(el.get(ids))
    for r in moved:
        _remove(r)


def _is_hidden_run(vanish: etree._Element, tags) -> bool:
    """A run whose own properties hide it (not a paragraph mark's, nor an earlier formatting kept
    in w:rPrChange)."""
    rpr = vanish.getparent()
    if rpr is None or rpr.tag != tags.rPr or rpr.getparent() is None or rpr.getparent().tag != tags.r:
        return False
    return (vanish.get(tags.val) or "1").lower() not in _FALSE


def _deleted_marks(marks: list[etree._Element], tags) -> list[etree._Element]:
    """Paragraphs whose mark was deleted or moved away (w:pPr/w:rPr/w:del or w:moveFrom)."""
    found = []
    for el in marks:
        if el.tag not in (tags.del_, tags.moveFrom):
            continue
        rpr = el.getparent()
        ppr = rpr.getparent() if rpr is not None and rpr.tag == tags.rPr else None
        if ppr is not None and ppr.tag == tags.pPr and ppr.getparent() is not None:
            found.append(ppr.getparent())
    return found


def _join_with_next(p: etree._Element, tags) -> None:
    """A paragraph without its mark runs on into the next one: its content goes before the next
    paragraph's, which keeps its own properties (the mark carries them). With no paragraph to
    join (a table, the end of a cell), an emptied paragraph goes, so that it does not take a list
    number; one with text stays."""
    if p.getparent() is None:
        return
    nxt = p.getnext()
    while nxt is not None and nxt.tag not in (tags.p, tags.tbl, tags.sdt):
        nxt = nxt.getnext()  # bookmarks, range marks
    if nxt is None or nxt.tag != tags.p:
        if not _has_text(p, tags):
            _remove(p)
        return
    content = [child for child in p if child.tag != tags.pPr]
    at = 1 if len(nxt) and nxt[0].tag == tags.pPr else 0
    for i, child in enumerate(content):
        nxt.insert(at + i, child)
    _remove(p)


def _has_text(p: etree._Element, tags) -> bool:
    return any(t.text for t in p.iter(tags.t))


# --- table of contents ------------------------------------------------------------------------


def _drop_toc_fields(body: etree._Element, tags) -> None:
    """The paragraphs of a TOC field are table-of-contents entries whatever their style; they go,
    as entries in a TOC style are not read. The field's end may share the paragraph after the
    last entry (the next heading): that paragraph keeps its text after the end."""
    fields = []
    stack: list[tuple[etree._Element, list[str]]] = []  # begin, instruction; nested fields (PAGEREF)
    for el in body.iter(tags.fldChar, tags.instrText):
        if el.tag == tags.instrText:
            if stack:
                stack[-1][1].append(el.text or "")
            continue
        kind = el.get(tags.fldCharType)
        if kind == "begin":
            stack.append((el, []))
        elif kind == "end" and stack:
            begin, instruction = stack.pop()
            if is_toc_instruction("".join(instruction)):
                fields.append((begin, el))
    for begin, end in fields:
        _drop_field_paragraphs(begin, end, tags)


def _drop_field_paragraphs(begin: etree._Element, end: etree._Element, tags) -> None:
    first = next(begin.iterancestors(tags.p), None)
    last = next(end.iterancestors(tags.p), None)
    if first is None or last is None:
        return
    span = [first]
    if last is not first:
        for sibling in first.itersiblings():
            span.append(sibling)
            if sibling is last:
                break
        else:
            return  # the end is in another container: not a shape Word writes, leave it
    for p in span:
        if p.tag != tags.p:
            continue
        if p is last and _text_after(p, end, tags):
            _clear_up_to(p, end, tags)
        else:
            _remove(p)


def _text_after(p: etree._Element, marker: etree._Element, tags) -> bool:
    seen = False
    for el in p.iter():
        if el is marker:
            seen = True
        elif seen and el.tag == tags.t and el.text and el.text.strip():
            return True
    return False


def _clear_up_to(p: etree._Element, marker: etree._Element, tags) -> None:
    """The text of `p` before `marker` (document order) emptied."""
    before = []
    for el in p.iter(tags.t, tags.tab, tags.br, tags.cr, tags.fldChar):
        if el is marker:
            break
        before.append(el)
    for el in before:
        if el.tag == tags.t:
            el.text = None
        elif el.getparent() is not None and el.getparent().tag == tags.r:  # not a tab stop
            _remove(el)


# --- text boxes --------------------------------------------------------------------------------


def _move_text_boxes(boxes: list[etree._Element], tags) -> None:
    """The paragraphs and tables of each text box moved after the paragraph that anchors it, in
    document order: a cover title, a heading or a table's caption is often put in one. The VML
    copy Word writes for older readers (in mc:Fallback) is not read."""
    last_moved: dict[etree._Element, etree._Element] = {}  # anchor → the last content put after it
    blocks = (tags.p, tags.tbl, tags.sdt, tags.customXml)
    for box in boxes:
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        anchor = next(box.iterancestors(tags.p), None)
        if anchor is None or anchor.getparent() is None:
            continue
        at = last_moved.get(anchor, anchor)
        for child in [c for c in box if c.tag in blocks]:
            at.addnext(child)
            at = child
        last_moved[anchor] = at
