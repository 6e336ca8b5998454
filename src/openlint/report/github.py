"""GitHub Actions annotations: one workflow command a finding, shown on the job and the files.

```
::error file=disclosures/部门预算.pdf,title=ARI-005 合计应当等于各支出构成之和::第14页 › 一般公共预算支出表 › 合计：合计 120.00 ≠ …
```
`error`, `warning` and `notice` follow the finding's severity; a file's line goes with it where the
format has lines (text, web pages, workbooks: the Excel row). The location a person reads (page,
section, table › row › column) leads the message, since a PDF has no line to point at. Paths are
relative to the working directory (the repository root in a workflow), as GitHub wants them.

GitHub shows ten annotations of each kind a step, so errors come first, each kind in document
order; a last `notice` gives the totals. Files that could not be read are annotated too.
Escaping is the Actions toolkit's: `%`, CR and LF in the message; also `:` and `,` in properties.
"""

from __future__ import annotations

from openlint.findings import Finding, Report, Severity
from openlint.report._util import sorted_findings, sorted_problems
from openlint.report.sarif import display_path
from openlint.report.text import summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render_github(report: Report, *, cwd: str | None = None) -> str:
    titles = {rule.id: rule.title for rule in report.rules}
    lines: list[str] = []
    for p in sorted_problems(report.problems):
        level, title = ("error", "文件无法读取") if p.fatal else ("notice", "文件读取说明") if p.info \
            else ("warning", "文件只能部分读取")
        lines.append(_command(level, display_path(p.file, cwd), None, f"OL-INPUT {title}", p.message))
    findings = sorted_findings(report.findings)
    for f in sorted(findings, key=lambda f: -f.severity.rank):  # stable: document order within a kind
        lines.append(_command(_COMMANDS[f.severity], display_path(f.location.file, cwd), f.location.line,
                              f"{f.rule_id} {titles.get(f.rule_id, '')}".rstrip(), _message(f)))
    lines.append(_command("notice", None, None, "openlint", summary(report, findings)))
    return "\n".join(lines) + "\n"


def _message(f: Finding) -> str:
    where = f.location.describe()
    return f"{where}：{f.message}" if where else f.message


def _command(kind: str, file: str | None, line: int | None, title: str, message: str) -> str:
    props = []
    if file:
        props.append(f"file={_property(file)}")
        if line:
            props.append(f"line={line}")
    props.append(f"title={_property(title)}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
