"""SARIF 2.1.0 output for GitHub code scanning and other SARIF consumers.

The log is built from sarif-om objects and serialised here: sarif-om has no serializer of its
own that drops `None`/default values and keeps Chinese unescaped. The output is byte-identical
for the same report (no timestamps, no absolute working directory, a total order on results).

Mapping (see DESIGN.md §3 and research/anchors.md §2):
- one run; `tool.driver.rules` = every RuleDoc sorted by id, plus a synthetic entry for each
  rule id a finding uses that has no RuleDoc (internal and input findings), so every result
  has a `ruleIndex`;
- each result has a `physicalLocation` with the file's URI relative to the working directory;
  a `region.startLine` only for text files with a line: PDFs and Office documents get no
  region (a file-level alert: GitHub would otherwise hash the binary's "lines"), and the page
  goes to `location.properties.page`;
- `logicalLocations[0].fullyQualifiedName` = `Location.qualified_name()`;
- `partialFingerprints.primaryLocationLineHash` = `Finding.fingerprint()` + `:n`, n counting
  identical fingerprints in result order (as CodeQL does);
- reader problems become `invocations[0].toolExecutionNotifications`;
- never `security-severity` (it would turn the rules into security rules on GitHub).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from enum import Enum

import attr
import sarif_om as om

from openlint.findings import CATEGORIES, Finding, Report, RuleDoc, Severity
from openlint.model import Location
from openlint.report._util import sorted_findings, sorted_problems, truncate, unique_files

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "openlint"
INFORMATION_URI = "https://github.com/openlint/openlint"
LANGUAGE = "zh-CN"

# GitHub code scanning limits (upload is rejected above them).
MAX_NAME = 255
MAX_DESCRIPTION = 1024

PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}

# Formats with no meaningful lines: findings in them are file-level (no `region`).
BINARY_SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".docm", ".xlsx", ".xlsm", ".xls", ".odt", ".ods", ".wps", ".et", ".zip"}
)

MIME_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}


def render_sarif(report: Report, *, cwd: str | None = None) -> str:
    """The report as a SARIF 2.1.0 log: UTF-8 JSON text with a trailing newline."""
    log = build_sarif(report, cwd=cwd)
    return json.dumps(to_plain(log), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Building the sarif-om object tree


def build_sarif(report: Report, *, cwd: str | None = None) -> om.SarifLog:
    cwd = os.getcwd() if cwd is None else cwd
    findings = sorted_findings(report.findings)
    rules = _rule_descriptors(report.rules, findings)
    index = {r.id: i for i, r in enumerate(rules)}

    results: list[om.Result] = []
    seen: Counter[str] = Counter()
    for f in findings:
        fp = f.fingerprint()
        seen[fp] += 1
        results.append(_result(f, index[f.rule_id], f"{fp}:{seen[fp]}", cwd))

    notifications = [
        om.Notification(
            message=om.Message(text=f"{display_path(p.file, cwd)}: {p.message}"),
            level="error" if p.fatal else "note" if p.info else "warning",
            locations=[om.Location(physical_location=_physical(Location(file=p.file), cwd))],
        )
        for p in sorted_problems(report.problems)
    ]
    invocation = om.Invocation(
        execution_successful=True,
        tool_execution_notifications=notifications or None,
    )

    artifacts = [
        om.Artifact(
            location=om.ArtifactLocation(uri=uri),
            roles=["analysisTarget"],
            mime_type=MIME_TYPES.get(_suffix(uri)),
        )
        for uri in unique_files(artifact_uri(f, cwd) for f in report.files)
    ]

    driver = om.ToolComponent(
        name=TOOL_NAME,
        version=report.tool_version or None,
        information_uri=INFORMATION_URI,
        language=LANGUAGE,
        rules=rules,
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        invocations=[invocation],
        artifacts=artifacts or None,
        results=results,
        language=LANGUAGE,
        column_kind="unicodeCodePoints",
    )
    return om.SarifLog(runs=[run], version=SARIF_VERSION, schema_uri=SCHEMA_URI)


def _rule_descriptors(docs: Iterable[RuleDoc], findings: list[Finding]) -> list[om.ReportingDescriptor]:
    by_id: dict[str, om.ReportingDescriptor] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        by_id.setdefault(doc.id, _rule(doc))
    # Rule ids without a RuleDoc (internal errors, reader problems): one synthetic entry each,
    # described from the first finding in result order, at the highest severity seen.
    missing: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule_id not in by_id:
            missing.setdefault(f.rule_id, []).append(f)
    for rule_id, fs in missing.items():
        severity = max((f.severity for f in fs), key=lambda s: s.rank)
        by_id[rule_id] = _rule(_synthetic_doc(rule_id, fs[0].category, severity))
    return [by_id[k] for k in sorted(by_id)]


def _synthetic_doc(rule_id: str, category: str, severity: Severity) -> RuleDoc:
    label = CATEGORIES.get(category, category)
    if category == "input":
        title = "文件无法读取或只能部分读取"
        help_ = "openlint 读取该文件时遇到问题，相关内容未能检查或只检查了一部分。请确认文件未损坏、未加密，且格式受支持。"
    else:
        title = f"openlint 内部检查：{label}"
        help_ = "该问题由 openlint 内部检查产生，没有对应的规则文件。若是内部错误，请附上文件与输出报告问题。"
    return RuleDoc(id=rule_id, title=title, severity=severity, category=category, basis="", help=help_)


def _rule(doc: RuleDoc) -> om.ReportingDescriptor:
    full = doc.title if not doc.basis else f"{_sentence(doc.title)}依据：{doc.basis}"
    return om.ReportingDescriptor(
        id=doc.id,
        name=truncate(rule_name(doc), MAX_NAME),
        short_description=om.MultiformatMessageString(text=truncate(doc.title or doc.id, MAX_DESCRIPTION)),
        full_description=om.MultiformatMessageString(text=truncate(full or doc.id, MAX_DESCRIPTION)),
        help=om.MultiformatMessageString(text=help_text(doc), markdown=help_markdown(doc)),
        default_configuration=om.ReportingConfiguration(level=doc.severity.value),
        properties={
            "category": doc.category,
            "tags": ["compliance", doc.category],
            "problem.severity": PROBLEM_SEVERITY[doc.severity],
            "precision": "high",
        },
    )


def rule_name(doc: RuleDoc) -> str:
    """A readable rule name distinct from the id: `<category>/<id>`, e.g. `empty-table/EMP-001`."""
    return f"{doc.category}/{doc.id}" if doc.category else doc.id


def _result(f: Finding, rule_index: int, line_hash: str, cwd: str) -> om.Result:
    related = [
        _location(loc, cwd, id_=i, message=loc.describe() or None) for i, loc in enumerate(f.related, start=1)
    ]
    return om.Result(
        rule_id=f.rule_id,
        rule_index=rule_index,
        level=f.severity.value,
        message=om.Message(text=result_message(f)),
        locations=[_location(f.location, cwd)],
        related_locations=related or None,
        partial_fingerprints={"primaryLocationLineHash": line_hash},
    )


def result_message(f: Finding) -> str:
    """Position first, then the message: GitHub shows only the first sentence when space is
    short, and for PDFs and Office files the position is the only pointer into the document."""
    where = f.location.describe()
    if not where or _says_where(f.message, where):
        return f.message
    return f"{where}：{f.message}"


def _says_where(message: str, where: str) -> bool:
    """The message opens with its position (“第8页是空白页”; not “第80页…” for 第8页)."""
    return message.startswith(where) and not message[len(where) : len(where) + 1].isdigit()


def _location(loc: Location, cwd: str, *, id_: int | None = None, message: str | None = None) -> om.Location:
    qualified = loc.qualified_name()
    props: dict[str, object] = {}
    if loc.sheet:
        props["sheet"] = loc.sheet
        if loc.line:  # a workbook is binary: no region, its row said here as the page is for a PDF
            props["line"] = loc.line
    if loc.page:
        props["page"] = loc.page
    if loc.section:
        props["section"] = list(loc.section)
    for key in ("table", "row", "column"):
        value = getattr(loc, key)
        if value:
            props[key] = value
    return om.Location(
        id=id_,
        physical_location=_physical(loc, cwd),
        logical_locations=[om.LogicalLocation(fully_qualified_name=qualified, kind="element")] if qualified else None,
        message=om.Message(text=message) if message else None,
        properties=props or None,
    )


def _physical(loc: Location, cwd: str) -> om.PhysicalLocation:
    region = None
    if loc.line and loc.line >= 1 and _suffix(loc.file) not in BINARY_SUFFIXES:
        region = om.Region(start_line=loc.line)
    return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=artifact_uri(loc.file, cwd)), region=region)


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if not text or text[-1] in "。！？.!?；;" else text + "。"


# ---------------------------------------------------------------------------------------------
# URIs

_URI_SAFE_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/"
)
# RFC 3987 ucschar: non-ASCII characters an IRI may carry unencoded.
_UCSCHAR = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
    (0x10000, 0x1FFFD), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD), (0x40000, 0x4FFFD),
    (0x50000, 0x5FFFD), (0x60000, 0x6FFFD), (0x70000, 0x7FFFD), (0x80000, 0x8FFFD),
    (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD), (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD),
    (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)


def _iri_char(ch: str) -> str:
    if ch in _URI_SAFE_ASCII:
        return ch
    cp = ord(ch)
    if cp >= 0x80 and any(lo <= cp <= hi for lo, hi in _UCSCHAR):
        return ch
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def encode_path(path: str) -> str:
    """Percent-encode what an IRI path cannot hold (space, `%`, `#`, `?`, `[`, `]`, `\\`,
    controls …); Chinese and other letters stay as they are."""
    return "".join(_iri_char(ch) for ch in path)


def _relative_to(path: str, cwd: str) -> str | None:
    """`path` relative to `cwd` with forward slashes, or None when it is not under `cwd`."""
    absolute = os.path.abspath(os.path.join(cwd, path))
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def display_path(path: str, cwd: str | None = None) -> str:
    """The path a person should see: relative to `cwd` when under it, else as given."""
    cwd = os.getcwd() if cwd is None else cwd
    return (_relative_to(path, cwd) if path else None) or path


def artifact_uri(path: str, cwd: str | None = None) -> str:
    """The file as a SARIF `uri`: relative to `cwd` (forward slashes) when the file is under it;
    an absolute path elsewhere becomes a `file://` URI (a bare `C:/…` would read as a scheme);
    any other relative path is kept as given."""
    cwd = os.getcwd() if cwd is None else cwd
    if not path:
        return path
    rel = _relative_to(path, cwd)
    if rel is not None:
        return _relative_reference(rel)
    if os.path.isabs(path):
        posix = os.path.abspath(path).replace(os.sep, "/")
        if not posix.startswith("/"):
            posix = "/" + posix  # C:/x -> /C:/x
        return "file://" + encode_path(posix)
    return _relative_reference(path.replace("\\", "/"))


def _relative_reference(path: str) -> str:
    encoded = encode_path(path)
    # A colon in the first segment would be read as a scheme (RFC 3986 §4.2).
    first, sep, rest = encoded.partition("/")
    return first.replace(":", "%3A") + sep + rest


# ---------------------------------------------------------------------------------------------
# Serialisation

# Explicit even when equal to the sarif-om default: a result's level otherwise falls back to
# the rule's default configuration, which is not what the finding says.
_KEEP_DEFAULT = frozenset({"level"})
# Present even when empty: GitHub requires them for a scan.
_KEEP_EMPTY = frozenset({"results", "rules"})
# Key order for readability (JSON consumers do not care): these first, in this order, then
# any other key in sarif-om's order, then property bags.
_FIRST = (
    "$schema", "id", "ruleId", "ruleIndex", "name", "version", "informationUri", "level", "message",
    "shortDescription", "fullDescription", "help", "text", "markdown", "defaultConfiguration",
    "tool", "language", "columnKind", "artifacts", "invocations", "executionSuccessful",
    "location", "physicalLocation", "artifactLocation", "uri", "region", "locations",
    "logicalLocations", "relatedLocations", "partialFingerprints",
)
_RANK = {key: i for i, key in enumerate(_FIRST)}
_LAST = {"properties": len(_FIRST) + 1}


def to_plain(obj: object) -> object:
    """sarif-om objects (and plain containers) to JSON-ready values, using each attrs field's
    `schema_property_name`; drops None, values equal to their default and empty containers."""
    if attr.has(type(obj)):
        items: list[tuple[str, object]] = []
        for field in attr.fields(type(obj)):
            name = field.metadata.get("schema_property_name", field.name)
            value = getattr(obj, field.name)
            if value is None:
                continue
            default = field.default
            if isinstance(default, attr.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if (
                name not in _KEEP_DEFAULT
                and default is not attr.NOTHING
                and default is not None
                and type(value) is type(default)
                and value == default
            ):
                continue
            plain = to_plain(value)
            if plain in ([], {}) and name not in _KEEP_EMPTY:
                continue
            items.append((name, plain))
        items.sort(key=lambda kv: _RANK.get(kv[0], _LAST.get(kv[0], len(_FIRST))))
        return dict(items)
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, Enum):
        return obj.value
    return obj


# ---------------------------------------------------------------------------------------------
# Rule help


def help_text(doc: RuleDoc) -> str:
    """Plain-text help: what and why, basis, scope, a bad and a good example."""
    parts = [f"{doc.id} {doc.title}".strip()]
    if doc.help:
        parts.append(doc.help.strip())
    if doc.basis:
        parts.append(f"依据：{doc.basis}")
    if doc.applies:
        parts.append(f"适用：{doc.applies}")
    if doc.bad:
        parts.append("不符合要求的写法：\n" + _indent(doc.bad.strip()))
    if doc.good:
        parts.append("符合要求的写法：\n" + _indent(doc.good.strip()))
    parts.append(f"类别：{doc.category}（{CATEGORIES.get(doc.category, doc.category)}）；默认级别：{doc.severity.label}")
    return "\n\n".join(parts) + "\n"


def help_markdown(doc: RuleDoc) -> str:
    """Markdown help as GitHub shows it under an alert (it prefers `markdown` to `text`)."""
    parts = [f"## {_md_escape(doc.title or doc.id)}"]
    if doc.help:
        parts.append(doc.help.strip())  # rule authors may write markdown here
    if doc.basis:
        parts.append("### 依据\n\n" + _md_escape(doc.basis))
    if doc.applies:
        parts.append("### 适用范围\n\n" + _md_escape(doc.applies))
    if doc.bad:
        parts.append("### 不符合要求的写法\n\n" + _code_block(doc.bad))
    if doc.good:
        parts.append("### 符合要求的写法\n\n" + _code_block(doc.good))
    parts.append(
        f"规则 `{doc.id}` · 类别 `{doc.category}`（{_md_escape(CATEGORIES.get(doc.category, doc.category))}）"
        f" · 默认级别：{doc.severity.label}"
    )
    return "\n\n".join(parts) + "\n"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def _code_block(text: str) -> str:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.strip(chr(10))}\n{fence}"


_MD_SPECIAL = frozenset("\\`*_[]<>#|")


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)
