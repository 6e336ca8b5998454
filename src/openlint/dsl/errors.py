"""`RuleError`, apart from the parser: loading rules from the cache of parsed files needs the error,
not Lark (whose import is a good part of a warm start)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(eq=False)  # not frozen: Python sets __traceback__/__notes__ on exceptions as they propagate
class RuleError(Exception):
    """An error in a rule file, located like a compiler error."""

    file: str
    line: int
    column: int
    message: str
    source_line: str = ""

    def __str__(self) -> str:
        head = f"{self.file}:{self.line}:{self.column}: {self.message}"
        if not self.source_line:
            return head
        # Pad by display width so the caret sits under the column even after CJK text.
        before = self.source_line[: self.column - 1]
        caret = "".join("\u3000" if unicodedata.east_asian_width(ch) in "WF" else (ch if ch == "\t" else " ") for ch in before) + "^"
        return f"{head}\n    {self.source_line}\n    {caret}"
