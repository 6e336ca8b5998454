"""The engine: loading rule packs, running rules, turning crashes and reader problems into findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from docbuilder import build
from openlint.dsl.parser import RuleError
from openlint.findings import CATEGORIES, Finding, Severity
from openlint.judge.engine import (
    INPUT_RULE, INTERNAL_RULE, check_document, group_rounding_notes, load_rules, rule_files,
)
from openlint.model import Document, Location, Problem
from openlint.resources import data_dir

SHIPPED = load_rules()

BUDGET = "上海市某某局2025年部门预算\n# 第一部分 概况\n本部门负责某某工作。"
FINAL = "上海市某某局2024年度部门决算\n# 第一部分 概况\n本部门负责某某工作。"


def rule(rule_id: str, check: str, *, applies: str = "", message: str = "m", category: str = "structure") -> str:
    applies_line = f"  applies  {applies}\n" if applies else ""
    return (f'rule {rule_id} {{\n  title "t"\n  severity warning\n  category {category}\n  basis "b"\n'
            f'{applies_line}  message  "{message}"\n  {check}\n}}\n')


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- loading ----

def test_shipped_rules_load_with_unique_ids_and_known_categories():
    ids = [r.id for r in SHIPPED.rules]
    assert len(ids) == len(set(ids))
    assert {"META-001", "SEC-001", "SEC-010", "TBL-001", "EMP-001", "EMP-002", "EMP-003", "GLO-001", "GLO-002",
            "SG-001", "SG-007"} <= set(ids)
    for r in SHIPPED.rules:
        assert r.doc.category in CATEGORIES, r.id
        assert r.doc.title and r.doc.basis, r.id
        path, line = r.doc.source.rsplit(":", 1)
        assert Path(path).suffix == ".olr" and int(line) >= 1
    assert SHIPPED.catalog.get("三公经费支出表") is not None


def test_shipped_rule_files_are_all_loaded():
    files = rule_files([data_dir("rules")])
    assert files and all(f.suffix == ".olr" for f in files)
    sources = {r.doc.source.rsplit(":", 1)[0] for r in SHIPPED.rules}
    assert sources == {str(f) for f in files}


def test_ruleset_docs_include_builtin_rules():
    docs = SHIPPED.docs
    assert [d.id for d in docs[-2:]] == ["OL-INPUT", "OL-INTERNAL"]
    assert SHIPPED.get("OL-INPUT") is INPUT_RULE
    assert SHIPPED.get("OL-INTERNAL") is INTERNAL_RULE
    assert SHIPPED.get("SEC-001").title
    assert SHIPPED.get("NOPE-999") is None


def test_extra_rule_file_adds_a_rule(tmp_path):
    path = write(tmp_path, "mine.olr", rule("MY-001", "require 1"))
    ruleset = load_rules([path])
    assert len(ruleset.rules) == len(SHIPPED.rules) + 1
    assert ruleset.rules[-1].id == "MY-001"
    assert ruleset.get("MY-001").source == f"{path}:1"


def test_extra_rule_directory_is_searched_recursively(tmp_path):
    write(tmp_path, "b.olr", rule("MY-002", "require 1"))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.olr", rule("MY-001", "require 1"))
    write(tmp_path, "notes.txt", "not a rule file")
    ruleset = load_rules([tmp_path], builtin=False)
    assert [r.id for r in ruleset.rules] == ["MY-002", "MY-001"]  # b.olr sorts before sub/a.olr


def test_extra_rule_clashing_with_a_shipped_id_is_an_error(tmp_path):
    path = write(tmp_path, "dup.olr", "\n" + rule("SEC-001", "require 1"))
    with pytest.raises(RuleError) as info:
        load_rules([path])
    assert (info.value.file, info.value.line) == (str(path), 2)
    assert "SEC-001 重复" in info.value.message


def test_rule_file_with_a_syntax_error(tmp_path):
    path = write(tmp_path, "broken.olr", rule("MY-001", "require 1") + "\nrule MY-002 {\n  require (1\n}\n")
    with pytest.raises(RuleError) as info:
        load_rules([path])
    err = info.value
    assert err.file == str(path)
    assert (err.line, err.column) == (12, 1)
    assert str(err).startswith(f"{path}:12:1: ")
    assert "\n    }\n    ^" in str(err)


def test_rule_file_with_a_semantic_error(tmp_path):
    path = write(tmp_path, "bad.olr", rule("MY-001", "require exists(nope)"))
    with pytest.raises(RuleError) as info:
        load_rules([path])
    assert (info.value.file, info.value.line, info.value.column) == (str(path), 7, 18)
    assert info.value.source_line == "  require exists(nope)"


def test_unreadable_rule_file(tmp_path):
    path = tmp_path / "latin1.olr"
    path.write_bytes("rule X-1 { title \"é\" }".encode("latin-1"))
    with pytest.raises(RuleError) as info:
        load_rules([path])
    assert (info.value.file, info.value.line) == (str(path), 1)
    assert "无法读取规则文件" in info.value.message
    with pytest.raises(RuleError):
        load_rules([tmp_path / "missing.olr"])


# ---- running ----

def test_a_crashing_rule_yields_one_internal_finding_and_the_others_still_run(tmp_path):
    text = (rule("MY-001", "require 0 > 1", message="第一条")
            + rule("MY-002", 'require "a" - 1 > 0', category="sangong")
            + rule("MY-003", "require 0 > 1", message="第三条"))
    ruleset = load_rules([write(tmp_path, "mine.olr", text)], builtin=False)
    findings = check_document(build(BUDGET), ruleset)
    assert [f.rule_id for f in findings] == ["MY-001", "OL-INTERNAL", "MY-003"]
    internal = findings[1]
    assert internal.severity is Severity.WARNING
    assert internal.anchor == "MY-002"
    assert "MY-002" in internal.message and "TypeError" in internal.message
    assert f"{tmp_path / 'mine.olr'}:15:" in internal.message  # where in the rule file it failed


def test_a_rule_crashing_halfway_reports_no_partial_findings(tmp_path):
    # the first element fails the check (a finding), the second crashes: only the crash is reported
    text = rule("MY-001", 'for each x in [1, "a"] require x - 1 > 5', message="{x}")
    ruleset = load_rules([write(tmp_path, "mine.olr", text)], builtin=False)
    findings = check_document(build(BUDGET), ruleset)
    assert [f.rule_id for f in findings] == ["OL-INTERNAL"]


def test_a_crashing_rule_among_the_shipped_rules(tmp_path):
    ruleset = load_rules([write(tmp_path, "mine.olr", rule("MY-001", "for each t in tables() require t.caption.title"))])
    doc = build(BUDGET + "\n[表] 某某表\n| 项目 | 合计 |\n| 合计 | 1.00 |")
    findings = check_document(doc, ruleset)
    internal = [f for f in findings if f.rule_id == "OL-INTERNAL"]
    assert len(internal) == 1 and "MY-001" in internal[0].message
    assert "AttributeError" in internal[0].message
    # the shipped rules ran as usual on this bare document
    assert {"SEC-001", "TBL-001", "GLO-001"} <= {f.rule_id for f in findings}


def test_a_fatal_reader_problem_yields_one_input_error_and_nothing_else():
    problem = Problem("文件已加密，无法读取", Location("secret.pdf"), fatal=True)
    document = Document("secret.pdf", "pdf", problems=(problem,))
    findings = check_document(document, SHIPPED)
    assert len(findings) == 1
    (finding,) = findings
    assert (finding.rule_id, finding.severity, finding.category) == ("OL-INPUT", Severity.ERROR, "input")
    assert finding.message == "文件已加密，无法读取"
    assert finding.location.file == "secret.pdf"


def test_a_fatal_problem_stops_the_rules_even_with_content():
    document = build(BUDGET).with_problem(Problem("第3页无法解析", Location("case.txt", page=3), fatal=True))
    findings = check_document(document, SHIPPED)
    assert [(f.rule_id, f.severity) for f in findings] == [("OL-INPUT", Severity.ERROR)]


def test_a_non_fatal_problem_is_a_warning_and_the_rules_run():
    document = build(BUDGET).with_problem(Problem("第3页的表格只能部分提取", Location("case.txt", page=3)))
    findings = check_document(document, SHIPPED)
    assert (findings[0].rule_id, findings[0].severity) == ("OL-INPUT", Severity.WARNING)
    assert len(findings) > 1
    assert all(f.rule_id != "OL-INPUT" for f in findings[1:])


def test_a_note_on_how_a_file_was_read_is_a_note():
    # read in full, its encoding guessed: information, not a partial reading
    document = build(BUDGET).with_problem(Problem("文件不是 UTF-8 编码，已按 GB18030 读取", Location("case.txt"), info=True))
    input_findings = [f for f in check_document(document, SHIPPED) if f.rule_id == "OL-INPUT"]
    assert [f.severity for f in input_findings] == [Severity.NOTE]


def test_rules_for_final_accounts_do_not_run_on_a_budget(tmp_path):
    text = (rule("MY-001", "require 0 > 1", applies="决算")
            + rule("MY-002", "require 0 > 1", applies="预算")
            + rule("MY-003", "require 0 > 1", applies="预算, 单位")
            + rule("MY-004", "require 0 > 1", applies="since 2025")
            + rule("MY-005", "require 0 > 1"))
    ruleset = load_rules([write(tmp_path, "mine.olr", text)], builtin=False)
    assert [f.rule_id for f in check_document(build(BUDGET), ruleset)] == ["MY-002", "MY-004", "MY-005"]
    assert [f.rule_id for f in check_document(build(FINAL), ruleset)] == ["MY-001", "MY-005"]
    # a document whose kind cannot be told runs only the rules for every kind (an unknown year excludes nothing)
    assert [f.rule_id for f in check_document(build("一份文件"), ruleset)] == ["MY-004", "MY-005"]


def test_shipped_final_accounts_rules_skip_budgets():
    sangong = "\n## 三、“三公”经费情况\n因公出国（境）费12.00万元，公务用车购置及运行费5.00万元，公务接待费3.00万元。"
    budget = {f.rule_id for f in check_document(build(BUDGET + sangong), SHIPPED)}
    final = {f.rule_id for f in check_document(build(FINAL + sangong), SHIPPED)}
    assert not budget & {"SG-005", "SG-006", "SG-007", "SEC-008"}
    assert {"SG-005", "SG-006", "SG-007"} <= final
    assert "SEC-007" in budget and "SEC-007" not in final


# ---- 尾差 grouped per table ----

def _cell(table: str | None, row: str, column: str) -> Location:
    return Location("d.pdf", page=3, table=table, row=row, column=column)


def _rounding(location: Location, message: str = "相差0.01，属尾差", related: tuple = ()) -> Finding:
    return Finding("ARI-006", Severity.NOTE, "arithmetic", message, location, related=related)


def test_rounding_notes_of_one_table_become_one_naming_the_others():
    first = _rounding(_cell("支出表", "201 一般公共服务支出", "合计"), "201：41.93 ≠ 41.94", (_cell("支出表", "20101 人大事务", "合计"),))
    notes = [first, _rounding(_cell("支出表", "201 一般公共服务支出", "基本支出")),
             _rounding(_cell("支出表", "208 社会保障和就业支出", "合计")),
             _rounding(_cell("收入表", "201 一般公共服务支出", "合计"))]
    error = Finding("ARI-006", Severity.ERROR, "arithmetic", "相差10.00", _cell("支出表", "210 卫生健康支出", "合计"))
    grouped = group_rounding_notes(notes + [error], Severity.ERROR)
    assert len(grouped) == 3 and error in grouped and notes[3] in grouped  # an error, and a table's one note, stay
    merged = next(f for f in grouped if f.location == first.location)
    assert merged.message == "201：41.93 ≠ 41.94；同表另有2处尾差：201 一般公共服务支出（基本支出）、208 社会保障和就业支出（合计）"
    assert merged.related == (first.related[0], notes[1].location, notes[2].location)
    assert merged.severity is Severity.NOTE and merged.fingerprint() == first.fingerprint()


def test_notes_of_a_note_rule_and_notes_outside_tables_are_not_grouped():
    per_code = [Finding("CLS-001", Severity.NOTE, "classification", f"编码{c}不在科目中", _cell("支出表", c, "编码"))
                for c in ("30210", "30211")]
    assert group_rounding_notes(per_code, Severity.NOTE) == per_code
    in_text = [_rounding(Location("d.pdf", page=2, section=("一、收支",))), _rounding(Location("d.pdf", page=5))]
    assert group_rounding_notes(in_text, Severity.ERROR) == in_text


def test_rounding_notes_grouped_in_a_whole_check():
    doc = build("上海市某某局2025年部门预算\n"
                "[表] 2025年部门支出预算总表（单位：万元）\n"
                "| 功能分类科目编码 | 功能分类科目名称 | 合计 | 基本支出 | 项目支出 |\n|---|---|---|---|---|\n"
                "| 201 | 一般公共服务支出 | 41.93 | 25.18 | 16.76 |\n"
                "| 20129 | 群众团体事务 | 41.93 | 25.18 | 16.76 |\n"
                "| 2012901 | 行政运行 | 25.18 | 25.18 |  |\n"
                "| 2012902 | 一般行政管理事务 | 16.76 |  | 16.76 |\n"
                "| 合计 | | 41.93 | 25.18 | 16.76 |\n")
    notes = [f for f in check_document(doc, SHIPPED) if f.rule_id == "ARI-005"]
    assert len(notes) == 1 and notes[0].severity is Severity.NOTE
    assert "同表另有2处尾差" in notes[0].message and len(notes[0].related) >= 2
