"""Reporters: findings → SARIF 2.1.0, human text, JSON, GitHub Actions annotations."""

from __future__ import annotations

from openlint.findings import Report

FORMATS = ("text", "json", "sarif", "github")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """The report in `fmt` ("text" | "json" | "sarif" | "github"); `color` only affects text."""
    if fmt == "text":
        from openlint.report.text import render_text

        return render_text(report, color=color)
    if fmt == "json":
        from openlint.report.jsonfmt import render_json

        return render_json(report)
    if fmt == "sarif":
        from openlint.report.sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from openlint.report.github import render_github

        return render_github(report)
    raise ValueError(f"unknown report format {fmt!r}; expected one of: {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render"]
