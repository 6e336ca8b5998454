"""Primitives over amounts: table semantics, sums, comparisons within rounding (issue 3)."""

from __future__ import annotations
