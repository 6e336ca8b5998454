"""Text reporter: grouped by file, one line per finding, aligned by display width, summary."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from openlint.findings import FileProblem, Finding, Report, RuleDoc, Severity
from openlint.model import Location
from openlint.report import FORMATS, render
from openlint.report._util import display_width, pad, truncate
from openlint.report.text import render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def report() -> Report:
    pdf, txt = "决算/2024 部门决算.pdf", "说明.txt"
    findings = (
        Finding("TBL-001", Severity.ERROR, "arithmetic", "合计 10.00 不等于各项之和 7.00",
                Location(pdf, page=6, table="收入支出决算总表", row="合计"),
                related=(Location(pdf, page=7, table="财政拨款收入支出决算总表", row="合计"),
                         Location(txt, line=3))),
        Finding("EMP-001", Severity.WARNING, "empty-table", "“政府性基金预算支出表”为空表，但未说明原因",
                Location(pdf, page=12, table="政府性基金预算支出表")),
        Finding("TQ-3", Severity.NOTE, "text-quality", "句子不完整：\n“本单位2024年”", Location(pdf)),
        Finding("GLO-001", Severity.WARNING, "glossary", "缺少名词解释", Location(txt, line=88, section=("第三部分",))),
    )
    return Report(
        findings=findings,
        rules=(RuleDoc("TBL-001", "合计应等于各项之和", Severity.ERROR, "arithmetic", "财预〔2016〕143号"),),
        files=(pdf, txt, "坏.docx"),
        problems=(FileProblem("坏.docx", "不是有效的 docx 文件", fatal=True),),
        tool_version="0.1.0",
    )


def test_layout():
    out = render_text(report())
    lines = out.splitlines()
    assert lines[0] == "决算/2024 部门决算.pdf"
    # document-level finding first (no page sorts as page 0), shown as 全文, on one line
    assert lines[1].startswith("  全文 ")
    assert lines[1].endswith("提示  TQ-3     句子不完整： “本单位2024年”")
    assert lines[2].startswith("  第6页 › 收入支出决算总表 › 合计")
    assert lines[2].endswith("  错误  TBL-001  合计 10.00 不等于各项之和 7.00")
    # related places on one line; one in another file names the file
    assert lines[3].strip() == "参见 第7页 › 财政拨款收入支出决算总表 › 合计；说明.txt 第3行"
    assert lines[4].startswith("  第12页 › 政府性基金预算支出表    警告  EMP-001  “政府性基金预算支出表”为空表")
    assert lines[5] == ""
    assert lines[6] == "说明.txt"
    assert lines[7] == "  第88行 › 第三部分  警告  GLO-001  缺少名词解释"
    assert lines[8:11] == ["", "文件读取问题", "  坏.docx: 不是有效的 docx 文件"]
    assert lines[11:] == ["", "共检查 3 个文件，发现 4 个问题（错误 1，警告 2，提示 1）；1 个文件无法读取"]
    assert out.endswith("\n")
    assert "\x1b" not in out


LABEL = re.compile(r"  (错误|警告|提示)  ")


def test_columns_aligned_by_display_width():
    lines = render_text(report()).splitlines()
    group = [line for line in lines[1:6] if LABEL.search(line)]
    assert len(group) == 3
    label_cols = {display_width(line[: LABEL.search(line).start()]) for line in group}
    assert len(label_cols) == 1
    message_cols = {display_width(line[: line.index(m)]) for line, m in zip(group, ("句子", "合计 10", "“政府"))}
    assert len(message_cols) == 1


def test_sorted_and_independent_of_input_order():
    r = report()
    expected = render_text(r)
    rng = random.Random(7)
    for _ in range(5):
        fs = list(r.findings)
        rng.shuffle(fs)
        assert render_text(replace(r, findings=tuple(fs))) == expected


def test_no_findings_summary():
    out = render_text(Report(findings=(), rules=(), files=("a.pdf", "b.pdf", "a.pdf")))
    assert out == "共检查 2 个文件，未发现问题\n"


def test_partly_readable_summary():
    r = Report(findings=(), rules=(), files=("a.pdf",), problems=(FileProblem("a.pdf", "第3页无法提取文字", fatal=False),))
    out = render_text(r)
    assert "a.pdf: 第3页无法提取文字" in out
    assert out.splitlines()[-1] == "共检查 1 个文件，未发现问题；1 个文件只能部分读取"


def test_color():
    plain = render_text(report())
    coloured = render_text(report(), color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain
    assert "\x1b[31m" in coloured  # errors in red


def test_display_width_helpers():
    assert display_width("abc") == 3
    assert display_width("合计") == 4
    assert display_width("（一）") == 6
    assert display_width("e\u0301") == 1
    assert pad("合计", 6) == "合计  "
    assert pad("合计合计", 2) == "合计合计"
    assert truncate("短", 10) == "短"
    t = truncate("字" * 20, 10)
    assert len(t) == 10 and t.endswith("…")
    assert len(truncate("𠀀" * 10, 10).encode("utf-16-le")) // 2 <= 10  # astral chars count twice


def test_render_dispatch():
    r = report()
    assert FORMATS == ("text", "json", "sarif", "github")
    assert render(r, "text") == render_text(r)
    assert render(r, "text", color=True) == render_text(r, color=True)
    with pytest.raises(ValueError, match="unknown report format"):
        render(r, "xml")


def test_many_related_places_fold_into_one_line():
    from openlint.findings import Finding, Report, Severity
    from openlint.model import Location
    from openlint.report.text import render_text

    related = tuple(Location("a.pdf", page=p, table="支出表", row=f"行{p}") for p in range(1, 5))
    finding = Finding("ARI-006", Severity.ERROR, "arithmetic", "合计不等", Location("a.pdf", page=9), related=related)
    out = render_text(Report((finding,), (), ("a.pdf",)))
    see = [l.strip() for l in out.splitlines() if l.strip().startswith("参见")]
    assert see == ["参见 第1页 › 支出表 › 行1；第2页 › 支出表 › 行2 等4处"]
