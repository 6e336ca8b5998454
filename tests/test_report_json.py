"""JSON reporter: a simple, stable machine format."""

from __future__ import annotations

import json
import random
from dataclasses import replace

from openlint.findings import FileProblem, Finding, Report, Severity
from openlint.model import Location
from openlint.report import render
from openlint.report.jsonfmt import render_json


def report() -> Report:
    pdf = "部门决算.pdf"
    findings = (
        Finding("TBL-001", Severity.ERROR, "arithmetic", "合计 10.00 不等于各项之和 7.00",
                Location(pdf, page=6, table="收入支出决算总表", row="合计", column="本年收入"),
                related=(Location(pdf, page=7, table="财政拨款收入支出决算总表", row="合计"),), anchor="合计"),
        Finding("GLO-001", Severity.NOTE, "glossary", "缺少名词解释", Location("b.txt", line=3, section=("第三部分", "三、其他"))),
        Finding("EMP-001", Severity.WARNING, "empty-table", "空表未说明", Location(pdf, page=12, table="政府性基金预算支出表")),
    )
    return Report(
        findings=findings,
        rules=(),
        files=(pdf, "b.txt", "坏.docx"),
        problems=(FileProblem("坏.docx", "无法打开", fatal=True), FileProblem("b.txt", "编码不明，按 GB18030 读取", fatal=False, info=True)),
        tool_version="0.1.0",
    )


def test_shape():
    r = report()
    out = render_json(r)
    data = json.loads(out)
    assert list(data) == ["format_version", "version", "files", "findings", "problems", "summary"]
    assert data["format_version"] == 1
    assert data["version"] == "0.1.0"
    assert data["files"] == ["b.txt", "坏.docx", "部门决算.pdf"]
    assert [f["rule_id"] for f in data["findings"]] == ["GLO-001", "TBL-001", "EMP-001"]  # sort_key order
    tbl = data["findings"][1]
    assert tbl == {
        "rule_id": "TBL-001",
        "severity": "error",
        "category": "arithmetic",
        "message": "合计 10.00 不等于各项之和 7.00",
        "location": {"file": "部门决算.pdf", "page": 6, "table": "收入支出决算总表", "row": "合计", "column": "本年收入"},
        "related": [{"file": "部门决算.pdf", "page": 7, "table": "财政拨款收入支出决算总表", "row": "合计"}],
        "fingerprint": r.findings[0].fingerprint(),
    }
    assert data["findings"][0]["location"] == {"file": "b.txt", "line": 3, "section": ["第三部分", "三、其他"]}
    assert data["findings"][0]["related"] == []
    assert data["problems"] == [
        {"file": "坏.docx", "message": "无法打开", "fatal": True, "info": False},
        {"file": "b.txt", "message": "编码不明，按 GB18030 读取", "fatal": False, "info": True},
    ]
    assert data["summary"] == {"files": 3, "findings": 3, "error": 1, "warning": 1, "note": 1, "problems": 2}


def test_no_nulls_chinese_unescaped_trailing_newline():
    out = render_json(report())
    assert "null" not in out
    assert "收入支出决算总表" in out and "\\u" not in out
    assert out.endswith("}\n")


def test_deterministic():
    r = report()
    expected = render_json(r)
    assert render_json(r) == expected
    rng = random.Random(3)
    for _ in range(5):
        fs, ps, files = list(r.findings), list(r.problems), list(r.files)
        for seq in (fs, ps, files):
            rng.shuffle(seq)
        assert render_json(replace(r, findings=tuple(fs), problems=tuple(ps), files=tuple(files))) == expected


def test_empty():
    data = json.loads(render_json(Report(findings=(), rules=(), files=())))
    assert data["findings"] == [] and data["problems"] == [] and data["files"] == []
    assert data["version"] == ""
    assert data["summary"] == {"files": 0, "findings": 0, "error": 0, "warning": 0, "note": 0, "problems": 0}


def test_render_dispatch():
    r = report()
    assert render(r, "json") == render_json(r)
