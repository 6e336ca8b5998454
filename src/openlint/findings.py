"""What the checker says: findings with a severity, a category and locations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from openlint.model import Location


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


CATEGORIES: dict[str, str] = {
    "structure": "必备章节及其内容",
    "table": "必备报表齐全、名称规范",
    "empty-table": "空表说明",
    "sangong": "“三公”经费",
    "glossary": "名词解释",
    "arithmetic": "表内勾稽",
    "consistency": "表间及表文一致",
    "narrative": "文字表述自洽",
    "classification": "政府收支分类科目",
    "text-quality": "文字质量",
    "metadata": "文档属性",
    "input": "文件读取",
}


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    category: str
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""  # stable text the finding is about (quoted text, label); feeds the fingerprint

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.page or 0, loc.sheet or "", loc.line or 0, self.rule_id, loc.qualified_name(), self.message)

    def fingerprint(self) -> str:
        """Stable across runs and edits elsewhere: built from labels and text, never indices."""
        basis = "\x1f".join((self.rule_id, self.location.qualified_name(), self.anchor or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's metadata and documentation, as `openlint explain` and SARIF show it."""

    id: str
    title: str
    severity: Severity
    category: str
    basis: str
    applies: str = ""  # human summary of the document kinds, e.g. "预算；部门、单位"
    help: str = ""
    bad: str = ""
    good: str = ""
    source: str = ""  # rule file path:line


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file that could not be read (or only partly): a SARIF tool notification."""

    file: str
    message: str
    fatal: bool
    page: int | None = None  # where in a PDF, for listing a file's problems in page order
    info: bool = False  # read in full: a note on how (see `model.Problem.info`), not partial reading


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run produced, in deterministic order."""

    findings: tuple[Finding, ...]
    rules: tuple[RuleDoc, ...]
    files: tuple[str, ...]
    problems: tuple[FileProblem, ...] = ()
    tool_version: str = ""
