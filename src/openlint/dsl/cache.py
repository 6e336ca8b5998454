"""A cache of what every run would otherwise rebuild from unchanged files: the parsed rule files
(their syntax trees and the message placeholders that needed the parser) and the catalog of table
kinds, so that a run (a pre-commit hook) does not parse the shipped packs again.

An entry is pickled under a name hashed from everything that decides it: openlint's and Python's
version, the file's path and its text (and, for a rule file, the grammar's text). An edited rule
file, catalog, grammar or openlint is therefore a miss, never a stale hit. Only parsing is skipped:
every rule is still compiled and checked on every run.

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
from typing import Any, Callable

from openlint import __version__
from openlint.resources import data_dir

# Bump when an entry's shape or the classes in it change incompatibly.
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
def grammar_digest() -> bytes:
    return hashlib.sha256((data_dir("grammar") / "openlint.lark").read_bytes()).digest()


def key(*parts: str | bytes) -> str:
    """The hash naming an entry built from `parts` (paths, texts), by this openlint and Python."""
    h = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, *parts):
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def load(name: str, valid: Callable[[Any], bool]) -> Any | None:
    """The entry stored as `name` if `valid` accepts it, else None (off, missing, unreadable, corrupt)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(directory / f"{name}.pickle", "rb") as fh:
            entry = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, not a pickle, a class since renamed…
        return None
    return entry if valid(entry) else None


def store(name: str, entry: Any) -> None:
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
        os.replace(tmp, directory / f"{name}.pickle")
        tmp = None
    except Exception:  # read-only or full disk, no home directory, …: the run goes on uncached
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
