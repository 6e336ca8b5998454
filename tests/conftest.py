"""Test-session settings."""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE_DIR: str | None = None


def pytest_configure(config):
    # The cache of parsed rule files goes to a directory of the session's own, never the user's
    # ~/.cache (set before collection: test modules load the shipped rules at import).
    global _CACHE_DIR
    _CACHE_DIR = tempfile.mkdtemp(prefix="openlint-test-cache-")
    os.environ["OPENLINT_CACHE_DIR"] = _CACHE_DIR
    os.environ.pop("OPENLINT_NO_CACHE", None)


def pytest_unconfigure(config):
    if _CACHE_DIR is not None:
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)
