"""The catalog of table kinds (rules/tables.yaml) and title matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from openlint.resources import data_dir


@dataclass(frozen=True, slots=True)
class TableKind:
    id: str
    names: dict[str, str]
    required: tuple[str, ...]
    since: int | None
    fund: tuple[str, ...]
    aliases: frozenset[str]
    all_words: tuple[str, ...]
    any_words: tuple[str, ...]
    none_words: tuple[str, ...]

    def name(self, doc_kind: str | None) -> str:
        return self.names.get(doc_kind or "预算") or self.id

    def required_for(self, doc_kind: str | None, year: int | None) -> bool:
        if doc_kind not in self.required:
            return False
        return self.since is None or year is None or year >= self.since

    def matches_words(self, title: str) -> bool:
        return (
            all(w in title for w in self.all_words)
            and (not self.any_words or any(w in title for w in self.any_words))
            and not any(w in title for w in self.none_words)
        )


_YEAR = re.compile(r"20\d{2}\s*年\s*度?")
# "附表3 ", "附表3-1：", "3、", "三." before the title
_NUMBERING = re.compile(
    r"^\s*(?:附表\s*[0-9０-９一二三四五六七八九十]*(?:[-－][0-9０-９]+)?\s*[、.．:：)）]?"
    r"|(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*[、.．:：)）])?\s*"
)
_QUALIFIER = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"[“”\"‘’'「」《》\s]|部门|单位|预算|决算|情况|总体|明细|区级|市级|县级|公开|本级|功能分类|科目")


def normalise_title(title: str, org: str | None = None) -> str:
    """Strip year, organisation, numbering, qualifiers and wording that varies between templates."""
    text = title
    if org:
        text = text.replace(org, "")
    text = _YEAR.sub("", text)
    text = _NUMBERING.sub("", text)
    text = _QUALIFIER.sub("", text)
    return _NOISE.sub("", text)


@dataclass(frozen=True)
class Catalog:
    kinds: tuple[TableKind, ...]
    source: str

    def get(self, kind_id: str) -> TableKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def classify(self, title: str, org: str | None = None) -> TableKind | None:
        """The kind a table with this caption is, or None. Aliases first, then keyword rules."""
        if not title or ("表" not in title and not _names_its_figures(title)):
            return None
        key = normalise_title(title, org)
        for kind in self.kinds:
            if key in kind.aliases:
                return kind
        for kind in self.kinds:
            if kind.matches_words(key):
                return kind
        return None


# A caption without 表 that names whose figures the table holds and what they are: “部门政府采购预算”
# (Hebei's template), “2023年单位政府采购决算”; not a heading such as “（二）收入预算”
_TABLE_NAMED_BY_ITS_FIGURES = re.compile(r"^(?:20\d{2}\s*年度?)?\s*(?:部门|单位)\S*(?:预算|决算)$")


def _names_its_figures(title: str) -> bool:
    return _TABLE_NAMED_BY_ITS_FIGURES.match(_QUALIFIER.sub("", title).strip()) is not None


class CatalogError(ValueError):
    pass


def load_catalog(path: Path | None = None) -> Catalog:
    path = path or data_dir("rules") / "tables.yaml"
    return _load(str(path))


@cache
def _load(path: str) -> Catalog:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    kinds = []
    for kind_id, spec in (data.get("kinds") or {}).items():
        unknown = set(spec) - {"name", "required", "since", "fund", "aliases", "match"}
        if unknown:
            raise CatalogError(f"{path}: 表类型 {kind_id} 有未知字段 {sorted(unknown)}")
        match = spec.get("match") or {}
        kinds.append(
            TableKind(
                id=kind_id,
                names=dict(spec.get("name") or {}),
                required=tuple(spec.get("required") or ()),
                since=spec.get("since"),
                fund=tuple(spec.get("fund") or ()),
                aliases=frozenset(normalise_title(a) for a in spec.get("aliases") or ()),
                all_words=tuple(match.get("all") or ()),
                any_words=tuple(match.get("any") or ()),
                none_words=tuple(match.get("none") or ()),
            )
        )
    return Catalog(tuple(kinds), path)
