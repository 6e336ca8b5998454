"""Primitives over text: patterns in context, brackets, years, name variants, numbering, pages (issue 4).

What a careful reader sees without doing sums: a clause cut short, a bracket never closed, a
placeholder left in, a part numbered twice, a blank page. Each primitive here is generic — it
finds a kind of thing and returns elements located in the document (`.location`, `.related`,
`.anchor`); which of them is a defect is said by the rule text (`rules/core/text-quality.olr`,
`coherence.olr`).

One module per kind of thing; `corpus` is the text they all search, `toc` where the 目录 is.
Importing the package registers every text primitive and attribute.
"""

from openlint.judge.text import patterns, brackets, duplicates, names, numbering, lists, toc_entries, pages, columns

__all__ = ["patterns", "brackets", "duplicates", "names", "numbering", "lists", "toc_entries", "pages", "columns"]
