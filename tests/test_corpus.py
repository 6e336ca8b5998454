"""Opt-in (`pytest -m corpus`): the whole real corpus beside the project, when it is there.

Every document reads without a fatal problem, no rule crashes, and the output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openlint.judge.engine import load_rules
from openlint.lint import lint_paths
from openlint.report import render

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not PDFS, reason="../shared/corpus/real is not there"),
]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_document_reads_and_every_rule_runs(path):
    report = lint_paths([str(path)], load_rules())
    assert not [p for p in report.problems if p.fatal]
    assert not [f for f in report.findings if f.rule_id == "OL-INTERNAL"], [f.message for f in report.findings]


def test_whole_corpus_is_deterministic():
    ruleset = load_rules()
    first = render(lint_paths([str(p) for p in PDFS], ruleset), "sarif")
    second = render(lint_paths([str(p) for p in reversed(PDFS)], ruleset), "sarif")
    assert first == second
