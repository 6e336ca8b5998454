"""What a compiled rule sees of a document: the model plus the understood facts, cached."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openlint.model import Document, Location, Table
from openlint.understand.amounts import amounts, is_empty, labelled_amounts
from openlint.understand.catalog import Catalog, TableKind
from openlint.understand.kind import DocumentKind, detect_kind
from openlint.understand.tables import TableSemantics, read_table, squash

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


@lru_cache(maxsize=4096)
def compact(text: str) -> str:
    """Text for matching: spaces removed (PDF extraction scatters them between CJK characters).

    Memoised: rules read the same paragraphs, headings and labels again and again."""
    return _SPACES.sub("", text)


@dataclass
class Context:
    document: Document
    catalog: Catalog
    facts: DocumentKind = field(default=None)  # type: ignore[assignment]
    _kinds: dict[int, TableKind | None] = field(default_factory=dict)
    _amounts: dict[int, list] = field(default_factory=dict)
    _empty: dict[int, bool] = field(default_factory=dict)
    _titles: dict[int, str] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)
    _amount_labels: frozenset[str] | None = None
    _semantics: dict[int, TableSemantics] = field(default_factory=dict)
    _page_text: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.facts is None:
            self.facts = detect_kind(self.document)

    @property
    def location(self) -> Location:
        return Location(file=self.document.path)

    def kind_of(self, table: Table) -> TableKind | None:
        key = id(table)
        if key not in self._kinds:
            self._kinds[key] = self.catalog.classify(table.caption, self.facts.org)
        return self._kinds[key]

    def amounts(self, table: Table) -> list:
        key = id(table)
        if key not in self._amounts:
            self._amounts[key] = amounts(table)
        return self._amounts[key]

    def is_empty(self, table: Table) -> bool:
        """(Cached: several rules ask of every required table.)"""
        key = id(table)
        if key not in self._empty:
            self._empty[key] = is_empty(table, self.amounts(table))
        return self._empty[key]

    def cached(self, key, compute):
        """Per-document memo for primitives whose answer depends only on the document and `key`."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()
            return value

    def block_index(self, block) -> int | None:
        """Where a block is in `document.blocks` (its first occurrence): one map per document
        instead of a scan of every block for each question."""
        index = self._cache.get("block_index")
        if index is None:
            index = self._cache["block_index"] = {}
            for i, b in enumerate(self.document.blocks):
                index.setdefault(id(b), i)
        return index.get(id(block))

    def section_titles(self) -> list:
        """(section, compacted heading) for every section, in document order."""
        return self.cached("section_titles", lambda: [(s, self.title(s)) for s in self.document.iter_sections()])

    def semantics(self, table: Table) -> TableSemantics:
        """The table read as a budget table (unit, parts, column roles, rows), once per table."""
        key = id(table)
        found = self._semantics.get(key)
        if found is None:
            found = self._semantics[key] = read_table(table)
        return found

    def page_text(self, page: int) -> str:
        """A PDF page's raw text without whitespace (to tell on which page a table row is)."""
        if page not in self._page_text:
            texts = self.document.page_texts
            self._page_text[page] = squash(texts[page - 1]) if 0 < page <= len(texts) else ""
        return self._page_text[page]

    def title(self, section) -> str:
        """A section's heading, compacted for matching (cached: every section rule asks)."""
        key = id(section.heading)
        if key not in self._titles:
            self._titles[key] = compact(section.title)
        return self._titles[key]

    def amount_labels(self) -> frozenset[str]:
        """Row labels and column headers (compacted) that carry a non-zero amount somewhere."""
        if self._amount_labels is None:
            labels: set[str] = set()  # raw first: the same label and header recur on many amounts
            for table in self.document.tables:
                for row_label, column_header, value in labelled_amounts(table, self.amounts(table)):
                    if value:
                        labels.add(row_label)
                        labels.add(column_header)
            self._amount_labels = frozenset(compact(label) for label in labels)
        return self._amount_labels
