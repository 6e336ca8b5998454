"""Human output for a terminal: findings grouped by file, one line each, then a summary.

```
收入支出决算总表.pdf
  第6页 › 收入支出决算总表 › 合计  错误  TBL-001  合计数与各项之和不等
      参见 第7页 › 财政拨款收入支出决算总表 › 合计
```
Columns are padded by display width (CJK characters take two columns). Colour is off unless
the caller asks for it (the CLI decides from the terminal).
"""

from __future__ import annotations

from itertools import groupby

import click

from openlint.findings import Finding, Report, Severity
from openlint.model import Location
from openlint.report._util import (
    display_width,
    pad,
    severity_counts,
    sorted_findings,
    sorted_problems,
    unique_files,
)

WHOLE_DOCUMENT = "全文"
# A location wider than this is not used to pad the others (one long path would push every
# line of the file far to the right).
MAX_LOCATION_PAD = 48

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def render_text(report: Report, *, color: bool = False) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    lines: list[str] = []
    findings = sorted_findings(report.findings)
    for file, group in groupby(findings, key=lambda f: f.location.file):
        items = list(group)
        if lines:
            lines.append("")
        lines.append(style(file, bold=True, underline=True))
        positions = [describe(f.location) for f in items]
        fitting = [display_width(p) for p in positions if display_width(p) <= MAX_LOCATION_PAD]
        loc_width = max(fitting, default=0)
        id_width = max(display_width(f.rule_id) for f in items)
        for f, where in zip(items, positions):
            line = "  " + "  ".join(
                (
                    pad(where, loc_width),
                    style(f.severity.label, fg=_COLOURS[f.severity], bold=f.severity is Severity.ERROR),
                    style(pad(f.rule_id, id_width), dim=True),
                    _one_line(f.message),
                )
            )
            lines.append(line)
            if f.related:
                # One line: the message already quotes the other figures; the places are a pointer.
                shown = "；".join(_related(rel, file) for rel in f.related[:2])
                more = f" 等{len(f.related)}处" if len(f.related) > 2 else ""
                lines.append("      " + style(f"参见 {shown}{more}", dim=True))

    problems = sorted_problems(report.problems)
    if problems:
        if lines:
            lines.append("")
        lines.append(style("文件读取问题", bold=True, underline=True))
        for p in problems:
            text = f"{p.file}: {p.message}"
            lines.append("  " + style(text, fg="red" if p.fatal else "yellow"))

    if lines:
        lines.append("")
    lines.append(style(summary(report, findings), bold=True))
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip()) or text


def describe(loc: Location) -> str:
    return loc.describe() or WHOLE_DOCUMENT


def _related(loc: Location, current_file: str) -> str:
    where = describe(loc)
    return where if loc.file == current_file else f"{loc.file} {where}"


def summary(report: Report, findings: list[Finding] | None = None) -> str:
    """`共检查 3 个文件，发现 12 个问题（错误 5，警告 6，提示 1）`."""
    findings = list(report.findings) if findings is None else findings
    n_files = len(unique_files(report.files))
    head = f"共检查 {n_files} 个文件"
    if findings:
        counts = severity_counts(findings)
        detail = "，".join(f"{s.label} {counts[s]}" for s in Severity if counts[s])
        text = f"{head}，发现 {len(findings)} 个问题（{detail}）"
    else:
        text = f"{head}，未发现问题"
    if report.problems:
        unreadable = len({p.file for p in report.problems if p.fatal})
        partly = len({p.file for p in report.problems if not p.fatal and not p.info}
                     - {p.file for p in report.problems if p.fatal})
        notes = []
        if unreadable:
            notes.append(f"{unreadable} 个文件无法读取")
        if partly:
            notes.append(f"{partly} 个文件只能部分读取")
        if notes:  # none when every problem is a note on how a file was read
            text += "；" + "，".join(notes)
    return text
