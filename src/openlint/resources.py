"""Where the shipped grammar and rule packs are: inside the wheel, or at the source checkout's top."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """`grammar` or `rules`: `openlint/_data/<name>` in an installed wheel, `<repo>/<name>` in a checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"openlint 安装不完整：找不到 {name}/ 目录")
