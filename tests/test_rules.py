"""Every shipped rule's pass and fail cases, as data (tests/rules/*.yaml), run by one test.

A case file names its rules' cases; each case has a document (see docbuilder) and either
`fail: N` (the rule reports N findings; `message` may give text that each must contain, `severity`
the level each is reported at when a finding says otherwise than its rule) or `pass: true` (the
rule reports nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docbuilder import build
from openlint.judge.engine import check_document, load_rules

CASES_DIR = Path(__file__).parent / "rules"
RULESET = load_rules()


class _UniqueKeyLoader(yaml.SafeLoader):
    """A rule or case named twice in one file would hide the first one's cases: an error instead."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise yaml.constructor.ConstructorError(None, None, f"named twice: {repeated}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        for rule_id, cases in data.items():
            for name, case in cases.items():
                yield pytest.param(rule_id, case, id=f"{rule_id}_{name}")


@pytest.mark.parametrize("rule_id, case", list(_cases()))
def test_rule_case(rule_id, case):
    document = build(case["doc"])
    findings = [f for f in check_document(document, RULESET) if f.rule_id == rule_id]
    if case.get("pass"):
        assert findings == [], [f.message for f in findings]
    else:
        assert len(findings) == case["fail"], [f.message for f in findings]
        for expected in case.get("message", []):
            assert all(expected in f.message for f in findings), [f.message for f in findings]
        if "severity" in case:
            assert {f.severity.value for f in findings} == {case["severity"]}, [f.severity for f in findings]


def test_every_rule_has_a_pass_and_a_fail_case():
    seen: dict[str, set[str]] = {}
    for param in _cases():
        rule_id, case = param.values
        seen.setdefault(rule_id, set()).add("pass" if case.get("pass") else "fail")
    for rule in RULESET.rules:
        assert seen.get(rule.id) == {"pass", "fail"}, f"{rule.id} needs a pass and a fail case"


def test_every_rule_is_documented():
    for rule in RULESET.rules:
        doc = rule.doc
        assert doc.help and doc.bad and doc.good, f"{doc.id} lacks help, bad or good"
        assert doc.basis, doc.id
