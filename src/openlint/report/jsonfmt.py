"""A simple, stable machine format (`--format json`).

```
{"format_version": 1, "version": "0.1.0", "files": [...],
 "findings": [{"rule_id", "severity", "category", "message", "location": {...}, "related": [...],
               "fingerprint"}],
 "problems": [{"file", "message", "fatal", "info"}],   (info: read in full, a note on how)
 "summary": {"files", "findings", "error", "warning", "note", "problems"}}
```
Locations carry only their non-empty fields. Output is deterministic for the same report.
"""

from __future__ import annotations

import json

from openlint.findings import Finding, Report, Severity
from openlint.model import Location
from openlint.report._util import severity_counts, sorted_findings, sorted_problems, unique_files

FORMAT_VERSION = 1


def render_json(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def to_dict(report: Report) -> dict:
    findings = sorted_findings(report.findings)
    problems = sorted_problems(report.problems)
    counts = severity_counts(findings)
    files = unique_files(report.files)
    return {
        "format_version": FORMAT_VERSION,
        "version": report.tool_version,
        "files": files,
        "findings": [finding_dict(f) for f in findings],
        "problems": [{"file": p.file, "message": p.message, "fatal": p.fatal, "info": p.info} for p in problems],
        "summary": {
            "files": len(files),
            "findings": len(findings),
            **{s.value: counts[s] for s in Severity},
            "problems": len(problems),
        },
    }


def finding_dict(f: Finding) -> dict:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "category": f.category,
        "message": f.message,
        "location": location_dict(f.location),
        "related": [location_dict(r) for r in f.related],
        "fingerprint": f.fingerprint(),
    }


def location_dict(loc: Location) -> dict:
    out: dict[str, object] = {"file": loc.file}
    if loc.sheet is not None:
        out["sheet"] = loc.sheet
    if loc.page is not None:
        out["page"] = loc.page
    if loc.line is not None:
        out["line"] = loc.line
    if loc.section:
        out["section"] = list(loc.section)
    for key in ("table", "row", "column"):
        value = getattr(loc, key)
        if value is not None:
            out[key] = value
    return out
