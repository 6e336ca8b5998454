"""End to end over real published disclosures: the findings of the foundation rule packs, written down.

Each expected finding was checked by reading the PDF. The rules of the number and text-hygiene
packs are left out here (they have their own tests), so this file pins the structure, table,
empty-table, 三公, glossary and metadata rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openlint.judge.engine import load_rules
from openlint.lint import lint_paths

PDF = Path(__file__).parent / "fixtures" / "pdf"
SEED = Path(__file__).parent / "fixtures" / "seed" / "hebei-shanhaiguan-trade-union-2023-dept-budget.txt"
FOUNDATION = ("SEC", "TBL", "EMP", "SG", "GLO", "META-001", "OL")
RULESET = load_rules()

EXPECTED = {
    # Clean documents: every required section, table and explanation is there.
    "shanghai-putuo-wanli-subdistrict-2025-dept-budget.pdf": [],
    "shanghai-putuo-cpc-social-work-dept-2024-dept-final-accounts.pdf": [],
    # The glossary defines 基本支出, 项目支出, 三公, 机关运行经费 only; the tables carry amounts of
    # 财政拨款收入 and 事业收入 (the glossary is on page 5). The narrative explains six 项 one by one
    # and leaves out the seventh (page 11: 2080599 其他行政事业单位养老支出, 7,020元).
    "shanghai-putuo-social-welfare-institute-2024-unit-budget.pdf": [
        ("GLO-002", 5, "事业收入"),
        ("GLO-002", 5, "财政拨款收入"),
        ("SEC-011", 11, "2080599"),
    ],
    # Page 31: the 三公 table holds 47.91 / 443.18, the note under it says 本部门2024年无“三公”经费…故本表为空表.
    "shanghai-putuo-wanli-subdistrict-2024-dept-budget.pdf": [
        ("EMP-003", 31, "本表为空表"),
    ],
    # Page 18: the empty 国有资本经营 table carries the 政府性基金 note (template copied).
    "shanghai-putuo-finance-bureau-2025-dept-budget.pdf": [
        ("EMP-002", 18, "无政府性基金预算"),
        ("GLO-002", 6, "财政拨款收入"),  # at the glossary
    ],
    # The test version of the finance bureau's 决算 drops the 支出决算表.
    "shanghai-putuo-finance-bureau-2024-dept-final-accounts-MODIFIED-test-errors.pdf": [
        ("TBL-001", None, "支出决算表"),
    ],
}


def _foundation(findings):
    return sorted(
        (f.rule_id, f.location.page, f.message) for f in findings if f.rule_id.startswith(FOUNDATION)
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pdf_findings(name):
    report = lint_paths([str(PDF / name)], RULESET)
    got = _foundation(report.findings)
    expected = sorted(EXPECTED[name], key=lambda e: (e[0], e[1] or 0, e[2]))
    assert len(got) == len(expected), got
    for (rule_id, page, message), (want_id, want_page, quote) in zip(got, expected):
        assert rule_id == want_id, got
        assert page == want_page, got
        assert quote in message, got


def test_seed_findings():
    report = lint_paths([str(SEED)], RULESET)
    got = _foundation(report.findings)
    assert [g[0] for g in got] == ["SEC-010", "SG-001", "SG-002"], got
    assert "第二部分" in got[0][2] and "专项资金绩效目标" in got[0][2]
    assert "因公出国、公务用车、公务接待" in got[1][2]


def test_unreadable_documents_do_not_stop_the_run(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((PDF / "shanghai-putuo-wanli-subdistrict-2025-dept-budget.pdf").read_bytes()[:4000])
    report = lint_paths([str(broken), str(PDF / "shanghai-putuo-wanli-subdistrict-2024-dept-budget.pdf")], RULESET)
    assert [p.file for p in report.problems if p.fatal] == [str(broken)]
    assert any(f.rule_id == "EMP-003" for f in report.findings)


def test_narrative_findings_point_at_their_page():
    # “完成年初预算的95.89%” with 年初预算 0 (computed from 全年预算 321.02) on page 18
    report = lint_paths([str(PDF / "shanghai-putuo-cpc-social-work-dept-2024-dept-final-accounts.pdf")], RULESET)
    (finding,) = [f for f in report.findings if f.rule_id == "NAR-004"]
    assert finding.location.page == 18 and "95.89%" in finding.message
