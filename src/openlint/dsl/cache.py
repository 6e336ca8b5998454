"""A cache of parsed rule files, so that a run (a pre-commit hook) does not parse the shipped packs again.

An entry is what parsing one rule file gives (its syntax tree and the message placeholders that
needed the parser), pickled, under a name hashed from everything that decides it: openlint's and
Python's version, the grammar's text, the file's path and its text. An edited rule file, grammar
or openlint is therefore a miss, never a stale hit. Only parsing is skipped: every rule is still
compiled and checked on every run.

The cache lives in `$OPENLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/openlint`, else `~/.cache/openlint`;
`OPENLINT_NO_CACHE=1` turns it off. It never fails a run: an entry that cannot be read or does not
unpickle to the right thing is ignored (and rewritten), a directory that cannot be written to is
left alone.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path

from openlint import __version__
from openlint.dsl import ast
from openlint.resources import data_dir

# Bump when the entry's shape or the AST classes change incompatibly.
_FORMAT = "1"


def cache_dir() -> Path | None:
    """Where entries go, or None when the cache is off."""
    if os.environ.get("OPENLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("OPENLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "openlint"


@cache
def _grammar_digest() -> bytes:
    return hashlib.sha256((data_dir("grammar") / "openlint.lark").read_bytes()).digest()


def entry_key(text: str, path: str) -> str:
    h = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, path):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(_grammar_digest())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


Entry = tuple[ast.RuleFile, dict]  # the syntax tree; (placeholder text, line, column) → expression


def load(key: str) -> Entry | None:
    """The entry stored under `key`, or None (off, missing, unreadable or corrupt)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(directory / f"rules-{key}.pickle", "rb") as fh:
            entry = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, not a pickle, a class since renamed…
        return None
    if (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], ast.RuleFile)
            and isinstance(entry[1], dict)):
        return entry
    return None


def store(key: str, entry: Entry) -> None:
    """Write the entry atomically (a concurrent reader sees the old file or the new); errors are ignored."""
    directory = cache_dir()
    if directory is None:
        return
    import tempfile  # only when writing: a warm run does not pay for it

    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / f"rules-{key}.pickle")
        tmp = None
    except Exception:  # read-only or full disk, no home directory, …: the run goes on uncached
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
