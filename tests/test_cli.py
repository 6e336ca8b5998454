"""The `openlint` command: exit codes, formats, options, bad input, rule errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from openlint import __version__
from openlint.cli import main
from openlint.resources import data_dir

FIXTURES = Path(__file__).parent / "fixtures"
SEED = str(FIXTURES / "seed" / "hebei-shanhaiguan-trade-union-2023-dept-budget.txt")
SEED_DOCX = str(FIXTURES / "docx" / "seed-budget.docx")
BAD = FIXTURES / "bad"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"openlint {__version__}"


def test_check_seed_reports_its_defects_and_exits_1():
    result = run("check", SEED)
    assert result.exit_code == 1
    # The seed's 三公 table is a bare template without its three items, and 第二部分 has no content.
    assert "SG-001" in result.output and "因公出国、公务用车、公务接待" in result.output
    assert "SEC-010" in result.output and "专项资金绩效目标" in result.output
    assert "共检查 1 个文件" in result.output


def test_fail_on_never_exits_0_and_select_filters():
    assert run("check", "--fail-on", "never", SEED).exit_code == 0
    only = run("check", "--select", "SEC", SEED)
    assert "SEC-010" in only.output and "SG-001" not in only.output
    ignored = run("check", "--ignore", "sangong,SEC-010", SEED)
    assert "SG-00" not in ignored.output and "SEC-010" not in ignored.output
    assert ignored.exit_code == 0


def test_unknown_selector_is_a_usage_error():
    result = CliRunner().invoke(main, ["check", "--select", "NOPE-1", SEED])
    assert result.exit_code == 2
    assert "NOPE-1" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_to_file_are_deterministic(tmp_path, fmt):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("check", "--format", fmt, "-o", str(first), SEED, SEED_DOCX).exit_code == 1
    assert run("check", "--format", fmt, "-o", str(second), SEED_DOCX, SEED).exit_code == 1
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    if fmt == "sarif":
        results = data["runs"][0]["results"]
        assert {r["ruleId"] for r in results} >= {"SG-001", "SEC-010"}
        assert "因公出国" in first.read_text(encoding="utf-8")  # Chinese unescaped
    else:
        assert {f["rule_id"] for f in data["findings"]} >= {"SG-001", "SEC-010"}


def test_bad_inputs_each_get_one_line_and_the_others_still_run(tmp_path):
    bad = sorted(str(p) for p in BAD.iterdir())
    missing = str(tmp_path / "missing.pdf")
    result = CliRunner().invoke(main, ["check", "--format", "sarif", *bad, missing, SEED])
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("openlint: ")]
    for path in bad + [missing]:
        assert sum(path in line for line in lines) == 1, path
    assert "Traceback" not in result.stderr
    sarif = json.loads(result.stdout)
    run_ = sarif["runs"][0]
    notified = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for n in run_["invocations"][0]["toolExecutionNotifications"]}
    assert len(notified) == len(bad) + 1
    assert any(r["ruleId"] == "SG-001" for r in run_["results"])  # the good file was still checked
    assert any(r["ruleId"] == "OL-INPUT" for r in run_["results"])


def test_directory_argument_expands_to_documents(tmp_path):
    (tmp_path / "a.txt").write_bytes(Path(SEED).read_bytes())
    (tmp_path / "notes.md").write_text("not a disclosure", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert "共检查 1 个文件" in result.output


def test_rule_file_with_syntax_error_exits_2_with_location(tmp_path):
    rules = tmp_path / "bad.olr"
    rules.write_text('rule X-1 {\n  title "t"\n  require (\n}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--rules", str(rules), SEED])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rules}:4:1: ")


def test_extra_rule_directory_adds_rules(tmp_path):
    (tmp_path / "mine.olr").write_text(
        'rule MY-001 {\n  title "必须提到工会"\n  severity warning\n  category structure\n'
        '  basis "内部要求"\n  require text() contains "不存在的词"\n  message "没有提到“不存在的词”"\n}\n',
        encoding="utf-8",
    )
    result = run("check", "--rules", str(tmp_path), "--select", "MY-001", SEED)
    assert "MY-001" in result.output and result.exit_code == 0  # a warning does not fail by default
    assert run("check", "--rules", str(tmp_path), "--select", "MY-001", "--fail-on", "warning", SEED).exit_code == 1


def test_rules_and_explain():
    listing = run("rules")
    assert listing.exit_code == 0
    assert "TBL-001" in listing.output and "sangong" in listing.output
    rows = [line.split() for line in listing.output.splitlines()]
    assert all(len(r) >= 4 for r in rows), "id, severity, category and title stay separate columns"
    assert ["CLS-008", "error", "classification"] == next(r[:3] for r in rows if r[0] == "CLS-008")
    explained = run("explain", "emp-001")
    assert explained.exit_code == 0
    assert "空表应当说明原因" in explained.output and "依据" in explained.output and "符合要求" in explained.output
    assert run("explain", "NOPE-9").exit_code == 2


def test_grammar_and_rules_ship_with_the_package():
    assert (data_dir("grammar") / "openlint.lark").is_file()
    assert (data_dir("rules") / "tables.yaml").is_file()
    assert sorted(p.name for p in (data_dir("rules") / "core").glob("*.olr"))


def test_readme_lists_every_rule():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    listing = run("rules", "--markdown").output
    assert listing.splitlines()[0].startswith("| id |")
    for line in run("rules").output.splitlines():
        assert f"| {line.split()[0]} |" in readme, f"README's rule list lacks {line.split()[0]}: run scripts/update_readme.py"


def test_parallel_jobs_give_the_same_report(tmp_path):
    files = [SEED, SEED_DOCX, str(BAD / "corrupt.docx")]
    serial, parallel = tmp_path / "serial.sarif", tmp_path / "parallel.sarif"
    run("check", "--format", "sarif", "-o", str(serial), *files)
    run("check", "--format", "sarif", "-o", str(parallel), "--jobs", "2", *files)
    assert serial.read_bytes() == parallel.read_bytes()


def test_min_severity_hides_rounding_notes():
    everything = run("check", "--format", "json", SEED).output
    assert '"severity": "note"' in everything  # the seed's 0.01 尾差
    errors_and_warnings = run("check", "--format", "json", "--min-severity", "warning", SEED).output
    assert '"severity": "note"' not in errors_and_warnings
    assert '"SG-001"' in errors_and_warnings


def test_wps_office_files_are_found_and_read_by_their_content(tmp_path):
    """WPS Office saves 文字 as .wps and 表格 as .et in Word's and Excel's binary formats: a directory
    sweep picks them up and each reads as the .doc or .xls it is."""
    fixtures = Path(__file__).parent / "fixtures"
    doc = fixtures / "doc" / "hebei-shanhaiguan-trade-union-2023-dept-budget.doc"
    xls = fixtures / "xlsx" / "shanghai-putuo-template-2026-unit-budget-XX.xls"
    (tmp_path / "budget.wps").write_bytes(doc.read_bytes())
    (tmp_path / "tables.et").write_bytes(xls.read_bytes())
    swept = json.loads(run("check", "--format", "json", str(tmp_path)).output)
    assert sorted(Path(f).name for f in swept["files"]) == ["budget.wps", "tables.et"]
    assert swept["problems"] == []

    def rules_of(path):
        report = json.loads(run("check", "--format", "json", str(path)).output)
        return sorted((f["rule_id"], f["message"]) for f in report["findings"])

    assert rules_of(tmp_path / "budget.wps") == rules_of(doc)
    assert rules_of(tmp_path / "tables.et") == rules_of(xls)


def test_the_pre_commit_hook_matches_every_file_the_cli_reads():
    import re

    import yaml

    from openlint.lint import SUPPORTED_SUFFIXES

    hook_file = Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"
    (hook,) = yaml.safe_load(hook_file.read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    assert [s for s in SUPPORTED_SUFFIXES if not files.search("披露" + s)] == []
