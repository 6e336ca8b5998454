"""Orchestration: paths → readers → checker → one deterministic `Report`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from openlint import __version__
from openlint.findings import CATEGORIES, FileProblem, Finding, Report, Severity
from openlint.judge.engine import RuleSet, check_document
from openlint.read import read_document

# Word's macro-enabled and template files (.docm, .dotx, .dotm) and Excel's macro-enabled workbooks
# (.xlsm) are the same packages as .docx and .xlsx, read by their content
SUPPORTED_SUFFIXES = (
    ".pdf", ".docx", ".docm", ".dotx", ".dotm", ".doc", ".wps", ".xlsx", ".xlsm", ".xls", ".et", ".txt", ".html",
    ".htm", ".mht", ".mhtml",
)
_PAGE_SUFFIXES = (".html", ".htm")
_PAGE_FOLDER_SUFFIXES = ("_files", ".files")  # browsers' and Word's names for a saved page's folder


def collect_paths(paths: list[str]) -> list[str]:
    """Files as given; directories expanded to the supported documents under them, sorted. The
    folder a saved web page keeps beside it (`X_files`, Word's `X.files`: images, styles, Word's
    header.htm) is not a document and is passed over."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found: list[str] = []
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not _page_folder(d, names)]
                found.extend(
                    os.path.join(root, name)
                    for name in names
                    if name.lower().endswith(SUPPORTED_SUFFIXES) and not name.startswith((".", "~$"))
                )
            out.extend(sorted(found))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _page_folder(folder: str, names: list[str]) -> bool:
    """`folder` is the companion folder of a web page saved beside it (`X.htm` and `X_files`)."""
    for suffix in _PAGE_FOLDER_SUFFIXES:
        if folder.endswith(suffix):
            stem = folder[: -len(suffix)]
            return any(name.lower() == (stem + page).lower() for name in names for page in _PAGE_SUFFIXES)
    return False


@dataclass(frozen=True)
class Selection:
    """--select / --ignore: rule ids, id prefixes (SEC) or categories (sangong); --min-severity."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: Severity = Severity.NOTE

    def validate(self, ruleset: RuleSet) -> list[str]:
        """The selectors that name no rule, prefix or category."""
        ids = [d.id for d in ruleset.docs]
        return [
            s for s in self.select + self.ignore
            if s not in CATEGORIES and not any(i == s or i.startswith(s + "-") for i in ids)
        ]

    @staticmethod
    def _hit(finding: Finding, selectors: tuple[str, ...]) -> bool:
        return any(
            finding.rule_id == s or finding.rule_id.startswith(s + "-") or finding.category == s for s in selectors
        )

    def keeps(self, finding: Finding) -> bool:
        if finding.category == "input":
            return True  # an unreadable file is always reported
        if finding.severity.rank < self.min_severity.rank:
            return False
        if self.select and not self._hit(finding, self.select):
            return False
        return not self._hit(finding, self.ignore)


def lint_file(path: str, ruleset: RuleSet, selection: Selection = Selection()) -> tuple[list[Finding], list[FileProblem]]:
    document = read_document(path)
    problems = [FileProblem(path, p.message, p.fatal, p.location.page, p.info) for p in document.problems]
    return [f for f in check_document(document, ruleset) if selection.keeps(f)], problems


def lint_paths(
    paths: list[str], ruleset: RuleSet, selection: Selection = Selection(), *, jobs: int = 1,
    extra_rules: tuple[str, ...] = (),
) -> Report:
    """Check every file. With `jobs` > 1 the files are spread over worker processes (each compiles
    the rules once, from the shipped packs plus `extra_rules`); the report is the same either way."""
    files = collect_paths(paths)
    findings: list[Finding] = []
    problems: list[FileProblem] = []
    if jobs > 1 and len(files) > 1:
        results = _parallel(files, selection, jobs, extra_rules)
    else:
        results = (lint_file(path, ruleset, selection) for path in files)
    for file_findings, file_problems in results:
        findings.extend(file_findings)
        problems.extend(file_problems)
    return Report(
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        rules=ruleset.docs,
        files=tuple(files),
        problems=tuple(problems),
        tool_version=__version__,
    )


_WORKER_RULES: RuleSet | None = None


def _init_worker(extra_rules: tuple[str, ...]) -> None:
    global _WORKER_RULES
    from openlint.judge.engine import load_rules

    _WORKER_RULES = load_rules([Path(p) for p in extra_rules])


def _work(path: str, selection: Selection):
    assert _WORKER_RULES is not None
    return lint_file(path, _WORKER_RULES, selection)


def _parallel(files: list[str], selection: Selection, jobs: int, extra_rules: tuple[str, ...]):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(extra_rules,)) as pool:
        # Several files per task: a document takes milliseconds, a round trip to a worker not much less.
        yield from pool.map(_work, files, [selection] * len(files), chunksize=max(1, len(files) // (jobs * 4)))
