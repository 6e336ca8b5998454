"""Primitives over text: punctuation, placeholders, variants, sequences (issue 4)."""

from __future__ import annotations
