"""Small pure helpers shared by the reporters: a total order on findings, display widths."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from openlint.findings import FileProblem, Finding, Severity
from openlint.model import Location


def location_key(loc: Location) -> tuple:
    """A total, None-free sort key for a location."""
    return (
        loc.file,
        loc.page or 0,
        loc.sheet or "",
        loc.line or 0,
        tuple(loc.section),
        loc.table or "",
        loc.row or "",
        loc.column or "",
    )


def finding_key(f: Finding) -> tuple:
    """`Finding.sort_key()` extended to a total order, so equal sort keys never depend on input order."""
    return (
        f.sort_key(),
        -f.severity.rank,
        f.category,
        f.anchor,
        location_key(f.location),
        tuple(location_key(r) for r in f.related),
    )


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_key)


def sorted_problems(problems: Iterable[FileProblem]) -> list[FileProblem]:
    return sorted(problems, key=lambda p: (not p.fatal, p.file, p.page or 0, p.message))  # unreadable files first


def unique_files(files: Iterable[str]) -> list[str]:
    """The checked files, each once, sorted."""
    return sorted(set(files))


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and fullwidth characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` display columns (never truncates)."""
    return text + " " * max(0, width - display_width(text))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters, counted both as code points and as UTF-16 units (GitHub
    measures in JavaScript), cut on a character boundary with an ellipsis."""
    if len(text) <= limit and utf16_len(text) <= limit:
        return text
    budget = limit - utf16_len(ellipsis)
    out: list[str] = []
    used = 0
    for ch in text:
        cost = 2 if ord(ch) > 0xFFFF else 1
        if used + cost > budget:
            break
        out.append(ch)
        used += cost
    return "".join(out).rstrip() + ellipsis
