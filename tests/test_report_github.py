"""GitHub Actions reporter: one workflow command a finding, errors first, escaped, a summary last."""

from __future__ import annotations

from click.testing import CliRunner

from openlint.cli import main
from openlint.findings import FileProblem, Finding, Report, RuleDoc, Severity
from openlint.model import Location
from openlint.report import render
from openlint.report.github import render_github
from test_report_text import report


def test_one_command_a_finding_errors_first_then_the_totals():
    lines = render_github(report(), cwd="/nowhere").splitlines()
    assert lines == [
        "::error file=坏.docx,title=OL-INPUT 文件无法读取::不是有效的 docx 文件",
        "::error file=决算/2024 部门决算.pdf,title=TBL-001 合计应等于各项之和::"
        "第6页 › 收入支出决算总表 › 合计：合计 10.00 不等于各项之和 7.00",
        "::warning file=决算/2024 部门决算.pdf,title=EMP-001::第12页 › 政府性基金预算支出表："
        "“政府性基金预算支出表”为空表，但未说明原因",
        "::warning file=说明.txt,line=88,title=GLO-001::第88行 › 第三部分：缺少名词解释",
        "::notice file=决算/2024 部门决算.pdf,title=TQ-3::句子不完整：%0A“本单位2024年”",  # no place but the file
        "::notice title=openlint::共检查 3 个文件，发现 4 个问题（错误 1，警告 2，提示 1）；1 个文件无法读取",
    ]


def test_escaping_follows_the_actions_toolkit():
    finding = Finding("NAR-001", Severity.ERROR, "narrative", "增长5%\r\n应为6%",
                      Location("a,b:c.txt", line=2))
    rule = RuleDoc("NAR-001", "幅度: 应与金额相符, 见说明", Severity.ERROR, "narrative", "")
    (line, _) = render_github(Report((finding,), (rule,), ("a,b:c.txt",)), cwd="/nowhere").splitlines()
    assert line == "::error file=a%2Cb%3Ac.txt,line=2,title=NAR-001 幅度%3A 应与金额相符%2C 见说明::第2行：增长5%25%0D%0A应为6%25"


def test_paths_relative_to_the_working_directory(tmp_path):
    finding = Finding("SEC-001", Severity.ERROR, "structure", "未找到职责说明", Location(str(tmp_path / "d" / "x.pdf")))
    out = render(Report((finding,), (), (finding.location.file,)), "github")
    assert out.startswith("::error file=") and "SEC-001" in out  # (relative only under the cwd)
    assert render_github(Report((finding,), (), ()), cwd=str(tmp_path)).startswith("::error file=d/x.pdf,title=SEC-001::")


def test_cli_github_format(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text("某某局2025年部门预算\n一、部门职责\n负责全局工作。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "github", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("::error file=") and any("title=SEC-002" in line for line in lines)
    assert lines[-1].startswith("::notice title=openlint::共检查 1 个文件")
    kinds = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
