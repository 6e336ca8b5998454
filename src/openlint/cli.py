"""The `openlint` command."""

from __future__ import annotations

import os
import sys

import click

from openlint import __version__

FAIL_ON = ("error", "warning", "note", "never")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _load(extra: tuple[str, ...]):
    from pathlib import Path

    from openlint.dsl.errors import RuleError
    from openlint.judge.engine import load_rules
    from openlint.understand.catalog import CatalogError

    try:
        return load_rules([Path(p) for p in extra])
    except (RuleError, CatalogError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="openlint", message="%(prog)s %(version)s")
def main() -> None:
    """openlint：预决算公开合规检查（rules-as-code）。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="输出格式（github：GitHub Actions 注释）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件而不是标准输出。")
@click.option("--rules", "extra_rules", multiple=True, type=click.Path(exists=True),
              help="额外的规则文件（.olr）或目录，可重复。")
@click.option("--select", multiple=True, help="只报告这些规则编号、编号前缀或类别（可逗号分隔、可重复）。")
@click.option("--ignore", multiple=True, help="不报告这些规则编号、编号前缀或类别。")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="有此级别及以上的问题时退出码为 1。")
@click.option("--min-severity", type=click.Choice(["error", "warning", "note"]), default="note", show_default=True,
              help="只报告此级别及以上的问题（如 warning：不列出尾差等提示）。")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="并行进程数（0 = CPU 核数），用于批量检查大量文件。")
def check(paths, fmt, output, extra_rules, select, ignore, fail_on, min_severity, jobs) -> None:
    """检查预决算公开文件（.pdf .docx .doc .wps .xlsx .xls .et .txt .html .htm .mht，或包含它们的目录）。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 用法、配置或规则文件错误。
    """
    from openlint.findings import Severity
    from openlint.lint import Selection, lint_paths
    from openlint.report import render

    ruleset = _load(extra_rules)
    selection = Selection(_split(select), _split(ignore), Severity(min_severity))
    unknown = selection.validate(ruleset)
    if unknown:
        click.echo(f"openlint: 未知的规则编号或类别：{'、'.join(unknown)}（见 openlint rules）", err=True)
        sys.exit(2)
    jobs = jobs or os.cpu_count() or 1
    report = lint_paths(list(paths), ruleset, selection, jobs=jobs, extra_rules=tuple(extra_rules))
    for problem in report.problems:
        click.echo(f"openlint: {problem.file}: {problem.message}", err=True)
    color = fmt == "text" and output is None and sys.stdout.isatty()
    rendered = render(report, fmt, color=color)
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(rendered)
    else:
        click.echo(rendered, nl=not rendered.endswith("\n"))
    if fail_on != "never":
        threshold = Severity(fail_on).rank
        if any(f.severity.rank >= threshold for f in report.findings):
            sys.exit(1)


@main.command("rules")
@click.option("--rules", "extra_rules", multiple=True, type=click.Path(exists=True), help="额外的规则文件或目录。")
@click.option("--markdown", is_flag=True, help="输出 Markdown 表格（含适用范围和依据）。")
def list_rules(extra_rules, markdown) -> None:
    """列出全部规则：编号、级别、类别、标题。"""
    ruleset = _load(extra_rules)
    docs = sorted(ruleset.docs, key=lambda d: d.id)
    if markdown:
        click.echo("| id | severity | category | title | applies | basis |")
        click.echo("| --- | --- | --- | --- | --- | --- |")
        for doc in docs:
            cells = (doc.id, doc.severity.value, doc.category, doc.title, doc.applies or "全部文档", doc.basis)
            click.echo("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return
    widths = [max(len(d.id) for d in docs) + 2, max(len(d.severity.value) for d in docs) + 2,
              max(len(d.category) for d in docs) + 2]
    for doc in docs:
        click.echo(f"{doc.id:<{widths[0]}}{doc.severity.value:<{widths[1]}}{doc.category:<{widths[2]}}{doc.title}")


@main.command()
@click.argument("rule_id")
@click.option("--rules", "extra_rules", multiple=True, type=click.Path(exists=True), help="额外的规则文件或目录。")
def explain(rule_id, extra_rules) -> None:
    """显示一条规则的完整说明。"""
    from openlint.findings import CATEGORIES

    ruleset = _load(extra_rules)
    doc = ruleset.get(rule_id.upper())
    if doc is None:
        click.echo(f"openlint: 没有规则 {rule_id}（见 openlint rules）", err=True)
        sys.exit(2)
    lines = [
        f"{doc.id}  {doc.title}",
        f"级别：{doc.severity.value}（{doc.severity.label}）    类别：{doc.category}（{CATEGORIES.get(doc.category, '')}）",
        f"适用：{doc.applies or '全部文档'}",
        f"依据：{doc.basis}",
    ]
    if doc.help:
        lines += ["", doc.help]
    if doc.bad:
        lines += ["", "不符合要求：", _indent(doc.bad)]
    if doc.good:
        lines += ["", "符合要求：", _indent(doc.good)]
    if doc.source:
        lines += ["", f"定义：{doc.source}"]
    click.echo("\n".join(lines))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.replace("\\n", "\n").splitlines())
