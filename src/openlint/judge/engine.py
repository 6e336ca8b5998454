"""Run compiled rules over a document; turn reader problems and rule crashes into findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from openlint.dsl import cache
from openlint.dsl.compiler import CompiledRule, check_unique, compile_text
from openlint.dsl.errors import RuleError
from openlint.findings import Finding, RuleDoc, Severity
from openlint.judge import primitives
from openlint.judge.context import Context
from openlint.model import Document
from openlint.resources import data_dir
from openlint.understand.catalog import Catalog, load_catalog

INPUT_RULE = RuleDoc(
    id="OL-INPUT",
    title="文件无法读取或只能部分读取",
    severity=Severity.ERROR,
    category="input",
    basis="openlint 内置",
    help="文件损坏、加密、为空、格式不受支持，或部分内容无法提取时报告。无法读取的文件不做其他检查。",
)
INTERNAL_RULE = RuleDoc(
    id="OL-INTERNAL",
    title="规则执行出错",
    severity=Severity.WARNING,
    category="metadata",
    basis="openlint 内置",
    help="某条规则在本文档上执行时出错，该规则的结论缺失；其他规则照常执行。请报告此问题。",
)
BUILTIN_RULES = (INPUT_RULE, INTERNAL_RULE)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[CompiledRule, ...]
    catalog: Catalog

    @property
    def docs(self) -> tuple[RuleDoc, ...]:
        return tuple(r.doc for r in self.rules) + BUILTIN_RULES

    def get(self, rule_id: str) -> RuleDoc | None:
        return next((d for d in self.docs if d.id == rule_id), None)


def rule_files(paths: list[Path]) -> list[Path]:
    """`.olr` files: the given files, and those under given directories, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.rglob("*.olr")))
        else:
            out.append(path)
    return out


def load_rules(extra: list[Path] = (), *, builtin: bool = True, catalog: Catalog | None = None) -> RuleSet:
    """Compile the shipped rule packs plus extra files or directories. Raises `RuleError`."""
    catalog = catalog or cached_catalog()
    kinds = frozenset(k.id for k in catalog.kinds)
    sources = (rule_files([data_dir("rules")]) if builtin else []) + rule_files(list(extra))
    compiled: list[CompiledRule] = []
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(str(path), 1, 1, f"无法读取规则文件：{exc}") from None
        compiled.extend(compile_text(text, str(path), primitives, kinds, cached=True))
    check_unique(compiled)
    return RuleSet(tuple(compiled), catalog)


def cached_catalog(path: Path | None = None) -> Catalog:
    """The catalog of table kinds (the shipped one by default), from the cache while the file is
    unchanged (`openlint.dsl.cache`). Raises `CatalogError`."""
    path = path or data_dir("rules") / "tables.yaml"
    try:
        text = path.read_bytes()
    except OSError:
        return load_catalog(path)  # which reports the problem
    name = f"catalog-{cache.key(str(path), text)}"
    catalog = cache.load(name, lambda entry: isinstance(entry, Catalog))
    if catalog is None:
        catalog = load_catalog(path)
        cache.store(name, catalog)
    return catalog


def check_document(document: Document, ruleset: RuleSet) -> list[Finding]:
    findings = [_problem_finding(document, p) for p in document.problems]
    if not document.readable:
        return findings
    ctx = Context(document, ruleset.catalog)
    facts = ctx.facts
    for rule in ruleset.rules:
        if not rule.applies_to(facts.kind, facts.level, facts.year):
            continue
        try:
            found = list(rule.run(ctx))  # all or nothing: no partial results from a crash
        except Exception as exc:  # a broken rule must not stop the others
            findings.append(
                Finding(INTERNAL_RULE.id, INTERNAL_RULE.severity, INTERNAL_RULE.category,
                        f"规则 {rule.id} 执行出错：{type(exc).__name__}: {exc}", ctx.location, anchor=rule.id)
            )
            continue
        findings.extend(group_rounding_notes(found, rule.doc.severity))
    return findings


MAX_LISTED = 6  # the other places of a group of 尾差 named in its message, at most


def group_rounding_notes(findings: list[Finding], rule_severity: Severity) -> list[Finding]:
    """One note per table for a rule's 尾差: the findings its items made notes though the rule is
    stricter (a sum off by no more than the accumulated rounding) are merged per table into the
    first of them, which names the other places and has them as related locations. One 0.01 that
    a 元 → 万元 conversion left repeats up a table's chain of 项, 款, 类 and 合计 and in every column:
    a note for each would bury the findings that matter."""
    if rule_severity is Severity.NOTE:
        return findings
    groups: dict[tuple[str, str], list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.severity is Severity.NOTE and f.location.table:
            groups.setdefault((f.location.file, f.location.table), []).append(f)
        else:
            out.append(f)
    for group in groups.values():
        if len(group) == 1:
            out.extend(group)
            continue
        first, others = group[0], group[1:]  # in the rule's order, the table's, whatever the format
        places: dict[str, list[str]] = {}  # row → its columns
        for f in others:
            columns = places.setdefault(f.location.row or f.location.column or "", [])
            if f.location.row and f.location.column and f.location.column not in columns:
                columns.append(f.location.column)
        named = [f"{row}（{'、'.join(columns)}）" if columns else row for row, columns in places.items() if row]
        listed = "、".join(named[:MAX_LISTED]) + ("等" if len(named) > MAX_LISTED else "")
        message = f"{first.message}；同表另有{len(others)}处尾差" + (f"：{listed}" if listed else "")
        related = tuple(dict.fromkeys(first.related + tuple(f.location for f in others)))
        # the first's fingerprint: the place stays known as the same finding when others join it
        out.append(replace(first, message=message, related=related, anchor=first.anchor or first.message))
    return out


def _problem_finding(document: Document, problem) -> Finding:
    # (a file read in full, with a note on how — its encoding guessed — is no partial reading)
    severity = Severity.ERROR if problem.fatal else Severity.NOTE if problem.info else Severity.WARNING
    return Finding(INPUT_RULE.id, severity, "input", problem.message, problem.location, anchor=problem.message)
