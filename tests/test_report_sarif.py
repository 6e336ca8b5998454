"""SARIF reporter: schema-valid, GitHub-compatible, deterministic, Chinese unescaped."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema.validators import validator_for

from openlint.findings import FileProblem, Finding, Report, RuleDoc, Severity
from openlint.model import Location
from openlint.report import render
from openlint.report.sarif import artifact_uri, render_sarif

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"

PDF = "docs/2024 部门决算#1.pdf"
TXT = "seed/工会预算.txt"
DOCX = "docs/单位预算.docx"
BROKEN = "docs/坏文件.docx"

RULES = (
    RuleDoc(
        id="TBL-001",
        title="合计应等于各项之和",
        severity=Severity.ERROR,
        category="arithmetic",
        basis="《地方预决算公开操作规程》（财预〔2016〕143号）",
        applies="预算、决算；部门、单位",
        help="表内“合计”行应等于各分项之和。",
        bad="合计 10\n  甲 3\n  乙 4",
        good="合计 7\n  甲 3\n  乙 4",
        source="rules/table.olr:12",
    ),
    RuleDoc(
        id="EMP-001",
        title="空表应当说明原因",
        severity=Severity.WARNING,
        category="empty-table",
        basis="财预〔2016〕143号：没有数据的表格应当列出空表并说明" * 60,  # far over 1024 chars
        help="没有数据的表格应列出空表，并在表下说明原因。",
        bad="（空表，无说明）",
        good="本单位无政府性基金预算收入，也没有使用政府性基金预算拨款安排的支出，故本表为空表。",
    ),
    RuleDoc(
        id="X" * 300,  # absurdly long id: the name must still fit GitHub's 255
        title="很长的标题" * 300,
        severity=Severity.NOTE,
        category="text-quality",
        basis="",
    ),
    RuleDoc(id="GLO-001", title="应有名词解释", severity=Severity.NOTE, category="glossary", basis="财预〔2016〕143号"),
)


def sample_report(cwd: Path | None = None) -> Report:
    def f(path: str) -> str:
        return str(cwd / path) if cwd is not None else path

    findings = (
        Finding(
            "TBL-001",
            Severity.ERROR,
            "arithmetic",
            "“合计”10.00万元不等于各项之和7.00万元",
            Location(f(PDF), page=6, section=("第二部分",), table="收入支出决算总表", row="合计", column="本年收入"),
            related=(
                Location(f(PDF), page=7, table="财政拨款收入支出决算总表", row="合计", column="本年收入"),
                Location(f(TXT), line=40, table="收入总表", row="合计"),
            ),
            anchor="合计",
        ),
        # Same rule, same place, same anchor on another page: same fingerprint, counter :2.
        Finding(
            "TBL-001",
            Severity.ERROR,
            "arithmetic",
            "“合计”10.00万元不等于各项之和7.00万元（续表）",
            Location(f(PDF), page=8, section=("第二部分",), table="收入支出决算总表", row="合计", column="本年收入"),
            anchor="合计",
        ),
        Finding(
            "EMP-001",
            Severity.WARNING,
            "empty-table",
            "“政府性基金预算支出表”为空表，但未说明原因",
            Location(f(TXT), line=120, section=("第二部分", "五、政府性基金预算支出情况")),
        ),
        Finding(
            "GLO-001",
            Severity.NOTE,
            "glossary",
            "未找到“名词解释”部分",
            Location(f(DOCX), line=5, section=("第三部分",)),  # a line in a docx is ignored
        ),
        Finding("X" * 300, Severity.NOTE, "text-quality", "引号不成对", Location(f(DOCX))),
        Finding("INPUT-001", Severity.ERROR, "input", "文件已损坏，无法读取", Location(f(BROKEN))),
    )
    return Report(
        findings=findings,
        rules=RULES,
        files=(f(PDF), f(TXT), f(DOCX), f(BROKEN)),
        problems=(
            FileProblem(f(BROKEN), "不是有效的 Office Open XML 文件", fatal=True),
            FileProblem(f(PDF), "第12页无法提取文字，已跳过", fatal=False),
        ),
        tool_version="0.1.0",
    )


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(schema: dict, log: dict) -> None:
    cls = validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture()
def output(tmp_path: Path) -> str:
    return render_sarif(sample_report(tmp_path), cwd=str(tmp_path))


@pytest.fixture()
def log(output: str) -> dict:
    return json.loads(output)


def walk(node, path=()):
    """Yield (path, key, value) for every key in the JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, path + (i,))


# --- schema ------------------------------------------------------------------------------------


def test_validates_against_schema(schema, log):
    validate(schema, log)


def test_empty_report_validates_and_keeps_required_arrays(schema):
    out = render_sarif(Report(findings=(), rules=(), files=()))
    log = json.loads(out)
    validate(schema, log)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["tool"]["driver"]["name"] == "openlint"
    assert "version" not in run["tool"]["driver"]  # empty tool_version: omitted, never ""


def test_no_nulls_and_no_sarif_om_defaults(output, log):
    assert not any(v is None for _, _, v in walk(log))
    assert '"byteOffset"' not in output and '"charOffset"' not in output
    assert '"index": -1' not in output and '"kind": "fail"' not in output
    assert '"id": -1' not in output


def test_top_level(log):
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert list(log)[:3] == ["$schema", "version", "runs"]
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "openlint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")


# --- encoding and determinism ------------------------------------------------------------------


def test_utf8_chinese_unescaped_with_trailing_newline(output):
    assert "合计应等于各项之和" in output
    assert "“政府性基金预算支出表”为空表" in output
    assert "收入支出决算总表/合计/本年收入" in output
    assert "\\u" not in output
    assert output.endswith("}\n") and not output.endswith("\n\n")
    output.encode("utf-8")  # no lone surrogates


def test_render_twice_identical(tmp_path):
    report = sample_report(tmp_path)
    assert render_sarif(report, cwd=str(tmp_path)) == render_sarif(report, cwd=str(tmp_path))


def test_input_order_does_not_matter(tmp_path):
    report = sample_report(tmp_path)
    expected = render_sarif(report, cwd=str(tmp_path))
    rng = random.Random(20240601)
    for _ in range(10):
        findings, rules, files, problems = (list(x) for x in (report.findings, report.rules, report.files, report.problems))
        for seq in (findings, rules, files, problems):
            rng.shuffle(seq)
        shuffled = replace(
            report, findings=tuple(findings), rules=tuple(rules), files=tuple(files), problems=tuple(problems)
        )
        assert render_sarif(shuffled, cwd=str(tmp_path)) == expected


def test_identical_across_processes_and_hash_seeds():
    """No set/dict iteration order leaks into the output (relative paths, fixed cwd)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import test_report_sarif as t; from openlint.report.sarif import render_sarif;"
        "sys.stdout.buffer.write(render_sarif(t.sample_report(), cwd='/work').encode('utf-8'))"
    )
    outs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)], env=env, capture_output=True, check=True
        )
        outs.add(proc.stdout)
    assert len(outs) == 1
    assert outs.pop().decode("utf-8") == render_sarif(sample_report(), cwd="/work")


# --- rules -------------------------------------------------------------------------------------


def test_rules_sorted_with_metadata(log):
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    assert set(ids) == {"TBL-001", "EMP-001", "GLO-001", "X" * 300, "INPUT-001"}
    tbl = next(r for r in rules if r["id"] == "TBL-001")
    assert tbl["shortDescription"]["text"] == "合计应等于各项之和"
    assert tbl["fullDescription"]["text"].startswith("合计应等于各项之和")
    assert "财预〔2016〕143号" in tbl["fullDescription"]["text"]
    assert tbl["defaultConfiguration"]["level"] == "error"
    assert tbl["properties"] == {
        "category": "arithmetic",
        "tags": ["compliance", "arithmetic"],
        "problem.severity": "error",
        "precision": "high",
    }
    md = tbl["help"]["markdown"]
    for part in ("表内“合计”行应等于各分项之和。", "### 依据", "财预〔2016〕143号", "### 不符合要求的写法",
                 "```text\n合计 10\n  甲 3\n  乙 4\n```", "### 符合要求的写法", "预算、决算；部门、单位"):
        assert part in md
    assert "表内“合计”行应等于各分项之和。" in tbl["help"]["text"]
    assert "合计 7" in tbl["help"]["text"]


def test_problem_severity_mapping(log):
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["TBL-001"]["properties"]["problem.severity"] == "error"
    assert rules["EMP-001"]["properties"]["problem.severity"] == "warning"
    assert rules["GLO-001"]["properties"]["problem.severity"] == "recommendation"
    assert rules["GLO-001"]["defaultConfiguration"]["level"] == "note"
    assert rules["EMP-001"]["defaultConfiguration"]["level"] == "warning"  # kept although the default


def test_synthetic_rule_for_unknown_rule_id(log):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    synthetic = next(r for r in rules if r["id"] == "INPUT-001")
    assert synthetic["properties"]["category"] == "input"
    assert synthetic["defaultConfiguration"]["level"] == "error"
    assert synthetic["shortDescription"]["text"] and synthetic["help"]["text"]


def test_every_result_points_at_its_rule(log):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_long_metadata_truncated_safely(log):
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    emp = rules["EMP-001"]["fullDescription"]["text"]
    assert len(emp) <= 1024 and emp.endswith("…")
    long = rules["X" * 300]
    assert len(long["name"]) <= 255
    assert len(long["shortDescription"]["text"]) <= 1024


# --- GitHub code scanning constraints ----------------------------------------------------------


def test_github_constraints(log):
    assert not any(k == "security-severity" for _, k, _ in walk(log))
    run = log["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["id"]
        assert len(rule.get("name", "")) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert len(rule["fullDescription"]["text"].encode("utf-16-le")) // 2 <= 1024
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        assert len(rule["properties"]["tags"]) <= 10
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
    assert run["results"]
    for result in run["results"]:
        assert result["message"]["text"]
        assert result["level"] in ("note", "warning", "error")
        assert 1 <= len(result["locations"]) <= 10
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and not uri.startswith("/")
        assert result["partialFingerprints"]["primaryLocationLineHash"]
    for path, key, value in walk(log):
        if key == "startLine":
            assert isinstance(value, int) and value >= 1
        if key in ("uri",):
            assert value == "" or value.strip() == value


IRI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]|%[0-9A-F]{2})*$")


def test_uris_are_valid_iri_references(log):
    """The validator does not enforce `format: uri-reference` here; check it ourselves."""
    uris = [v for _, k, v in walk(log) if k == "uri"]
    assert uris
    for uri in uris:
        assert IRI_REFERENCE.match(uri), uri
        first = uri.split("/", 1)[0]
        assert ":" not in first or re.match(r"^[a-z][a-z0-9+.-]*:$", first), uri


# --- locations ---------------------------------------------------------------------------------


def results_by_message(log) -> dict[str, dict]:
    return {r["message"]["text"]: r for r in log["runs"][0]["results"]}


def test_pdf_location_has_page_and_no_region(log):
    r = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "TBL-001")
    loc = r["locations"][0]
    assert loc["physicalLocation"] == {"artifactLocation": {"uri": "docs/2024%20部门决算%231.pdf"}}
    assert loc["properties"]["page"] == 6
    assert loc["logicalLocations"] == [{"fullyQualifiedName": "收入支出决算总表/合计/本年收入", "kind": "element"}]
    assert r["message"]["text"].startswith("第6页 › 第二部分 › 收入支出决算总表 › 合计 › 本年收入：")
    assert r["level"] == "error"


def test_message_that_says_its_page_is_not_prefixed_again():
    from openlint.report.sarif import result_message

    def finding(message: str, page: int) -> Finding:
        return Finding("TXT-014", Severity.WARNING, "text-quality", message, Location("a.pdf", page=page))

    assert result_message(finding("第8页是空白页（没有任何文字），位于正文中间", 8)) == "第8页是空白页（没有任何文字），位于正文中间"
    assert result_message(finding("第80页是空白页", 8)) == "第8页：第80页是空白页"
    assert result_message(finding("缺少必备报表", 6)) == "第6页：缺少必备报表"


def test_txt_location_has_start_line(log):
    r = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "EMP-001")
    phys = r["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "seed/工会预算.txt"
    assert phys["region"] == {"startLine": 120}
    assert r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "第二部分/五、政府性基金预算支出情况"
    assert r["level"] == "warning"
    assert r["message"]["text"] == "第120行 › 第二部分 › 五、政府性基金预算支出情况：“政府性基金预算支出表”为空表，但未说明原因"


def test_docx_location_has_no_region(log):
    docx = [r for r in log["runs"][0]["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == DOCX]
    assert len(docx) == 2
    for r in docx:
        assert "region" not in r["locations"][0]["physicalLocation"]
    bare = next(r for r in docx if r["ruleId"] == "X" * 300)
    assert "logicalLocations" not in bare["locations"][0]  # empty qualified name: skipped
    assert bare["message"]["text"] == "引号不成对"


def test_related_locations(log):
    r = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "TBL-001" and r["locations"][0]["properties"]["page"] == 6)
    related = r["relatedLocations"]
    assert [x["id"] for x in related] == [1, 2]
    assert related[0]["properties"]["page"] == 7
    assert "region" not in related[0]["physicalLocation"]
    assert related[0]["logicalLocations"][0]["fullyQualifiedName"] == "财政拨款收入支出决算总表/合计/本年收入"
    assert related[1]["physicalLocation"] == {"artifactLocation": {"uri": "seed/工会预算.txt"}, "region": {"startLine": 40}}
    assert related[1]["message"]["text"] == "第40行 › 收入总表 › 合计"
    assert "id" not in r["locations"][0]


def test_fingerprint_occurrence_counter(tmp_path, log):
    report = sample_report(tmp_path)
    tbl = [f for f in report.findings if f.rule_id == "TBL-001"]
    assert tbl[0].fingerprint() == tbl[1].fingerprint()
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]]
    fp = tbl[0].fingerprint()
    assert hashes.count(f"{fp}:1") == 1 and hashes.count(f"{fp}:2") == 1
    assert len(set(hashes)) == len(hashes)
    for h in hashes:
        assert re.fullmatch(r"[0-9a-f]{32}:[1-9][0-9]*", h)
    # the counter follows sort order: page 6 gets :1, page 8 gets :2
    by_page = {r["locations"][0]["properties"]["page"]: r for r in log["runs"][0]["results"] if r["ruleId"] == "TBL-001"}
    assert by_page[6]["partialFingerprints"]["primaryLocationLineHash"].endswith(":1")
    assert by_page[8]["partialFingerprints"]["primaryLocationLineHash"].endswith(":2")


def test_results_sorted_by_sort_key(tmp_path, log):
    report = sample_report(tmp_path)
    expected = [f.rule_id for f in sorted(report.findings, key=lambda f: f.sort_key())]
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == expected


# --- invocation and artifacts -------------------------------------------------------------------


def test_file_problems_become_notifications(log):
    inv = log["runs"][0]["invocations"]
    assert len(inv) == 1 and inv[0]["executionSuccessful"] is True
    notes = inv[0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "warning"]
    assert notes[0]["message"]["text"] == "docs/坏文件.docx: 不是有效的 Office Open XML 文件"  # relative, not /tmp/…
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == BROKEN
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/2024%20部门决算%231.pdf"


def test_artifacts(log):
    artifacts = log["runs"][0]["artifacts"]
    uris = [a["location"]["uri"] for a in artifacts]
    assert uris == sorted(uris)
    assert set(uris) == {"docs/2024%20部门决算%231.pdf", "seed/工会预算.txt", DOCX, BROKEN}
    assert all(a["roles"] == ["analysisTarget"] for a in artifacts)
    assert {a["location"]["uri"]: a.get("mimeType") for a in artifacts}[DOCX].endswith("wordprocessingml.document")


# --- URIs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("docs/部门预算.docx", "docs/部门预算.docx"),
        ("./docs/部门预算.docx", "docs/部门预算.docx"),
        ("a b/c%d#e?f.pdf", "a%20b/c%25d%23e%3Ff.pdf"),
        ("x[1].pdf", "x%5B1%5D.pdf"),
        ("a:b.pdf", "a%3Ab.pdf"),
        ("（2025）预算：草案.pdf", "（2025）预算：草案.pdf"),
        ("/repo/sub/文件.pdf", "sub/文件.pdf"),
        ("/elsewhere/文件 1.pdf", "file:///elsewhere/文件%201.pdf"),
        ("../up/文件.pdf", "../up/文件.pdf"),
    ],
)
def test_artifact_uri(path, expected):
    assert artifact_uri(path, cwd="/repo") == expected


def test_render_dispatch_sarif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    assert render(report, "sarif") == render_sarif(report, cwd=str(tmp_path))
