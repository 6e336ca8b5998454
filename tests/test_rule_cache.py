"""The cache of parsed rule files: a hit skips parsing, anything else parses and never fails the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from openlint.dsl import cache, parser
from openlint.dsl.errors import RuleError
from openlint.judge.engine import load_rules

RULE = '''rule T-001 {
  title    "t"
  severity warning
  category structure
  basis    "b"
  message  "{excerpt(text(doc.org), 5)} {t.caption}"
  for each t in tables()
  require  t.caption matches /表/
}
'''


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("OPENLINT_CACHE_DIR", str(directory))
    monkeypatch.delenv("OPENLINT_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The paths parsed (rule files and placeholders) from now on."""
    seen: list[str] = []
    real_rules, real_expression = parser.parse_rules, parser.parse_expression

    def parse_rules(text, path="<rules>"):
        seen.append(path)
        return real_rules(text, path)

    def parse_expression(text, path, line, column):
        seen.append(f"{path}:{text}")
        return real_expression(text, path, line, column)

    monkeypatch.setattr(parser, "parse_rules", parse_rules)
    monkeypatch.setattr(parser, "parse_expression", parse_expression)
    return seen


def rule_file(tmp_path: Path, text: str = RULE) -> Path:
    path = tmp_path / "mine.olr"
    path.write_text(text, encoding="utf-8")
    return path


def docs(ruleset):
    return [r.doc for r in ruleset.rules]


def test_default_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("OPENLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "openlint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "openlint"
    monkeypatch.setenv("OPENLINT_NO_CACHE", "1")
    assert cache.cache_dir() is None


def test_second_load_is_a_hit_and_compiles_the_same(cache_dir, parses, tmp_path):
    path = rule_file(tmp_path)
    first = load_rules([path])
    assert str(path) in parses and f"{path}:excerpt(text(doc.org), 5)" in parses
    assert list(cache_dir.glob("rules-*.pickle"))
    parses.clear()
    second = load_rules([path])
    assert parses == []  # neither the files nor the placeholders were parsed again
    assert docs(second) == docs(first)


def test_an_edited_rule_file_is_a_miss(cache_dir, parses, tmp_path):
    path = rule_file(tmp_path)
    load_rules([path])
    rule_file(tmp_path, RULE.replace('title    "t"', 'title    "新标题"'))
    parses.clear()
    ruleset = load_rules([path])
    assert parses == [str(path), f"{path}:excerpt(text(doc.org), 5)"]
    assert ruleset.get("T-001").title == "新标题"


def test_a_rule_error_is_still_reported_on_a_warm_cache(cache_dir, tmp_path):
    load_rules([rule_file(tmp_path)])
    rule_file(tmp_path, RULE.replace("/表/", "/表(/"))
    for _ in range(2):  # a broken file is never stored, so it fails the same way every time
        with pytest.raises(RuleError, match="正则表达式有误"):
            load_rules([tmp_path / "mine.olr"])


def test_a_corrupt_entry_is_ignored_and_rewritten(cache_dir, parses, tmp_path):
    path = rule_file(tmp_path)
    expected = docs(load_rules([path]))
    entries = sorted(cache_dir.glob("rules-*.pickle"))
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    entries[0].write_bytes(b"")  # and one truncated to nothing
    parses.clear()
    assert docs(load_rules([path])) == expected
    assert str(path) in parses
    parses.clear()
    assert docs(load_rules([path])) == expected
    assert parses == []  # rewritten by the run that found them corrupt


def test_an_entry_of_the_wrong_shape_is_ignored(cache_dir, parses, tmp_path):
    import pickle

    path = rule_file(tmp_path)
    load_rules([path])
    for entry in cache_dir.glob("rules-*.pickle"):
        entry.write_bytes(pickle.dumps({"not": "an entry"}))
    parses.clear()
    assert load_rules([path]).get("T-001") is not None
    assert str(path) in parses


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_an_unwritable_directory_does_not_fail_the_run(cache_dir, parses, tmp_path):
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        path = rule_file(tmp_path)
        assert load_rules([path]).get("T-001") is not None
        assert load_rules([path]).get("T-001") is not None
        assert parses.count(str(path)) == 2  # nothing could be stored: parsed each time
        assert not list(cache_dir.iterdir())
    finally:
        cache_dir.chmod(0o700)


def test_a_cache_path_that_is_a_file_does_not_fail_the_run(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    monkeypatch.setenv("OPENLINT_CACHE_DIR", str(blocker / "openlint"))
    path = rule_file(tmp_path)
    assert load_rules([path]).get("T-001") is not None
    assert load_rules([path]).get("T-001") is not None


def test_disabled_cache_writes_nothing(cache_dir, monkeypatch, parses, tmp_path):
    monkeypatch.setenv("OPENLINT_NO_CACHE", "1")
    path = rule_file(tmp_path)
    load_rules([path])
    load_rules([path])
    assert parses.count(str(path)) == 2
    assert not cache_dir.exists()


def test_a_warm_start_does_not_import_lark(cache_dir):
    import subprocess
    import sys

    code = "import sys; from openlint.judge.engine import load_rules; load_rules(); print('lark' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["True\n", "False\n"]  # cold: parsed with Lark; warm: from the cache alone


def test_shipped_syntax_trees_survive_pickling():
    import pickle

    from openlint.judge.engine import rule_files
    from openlint.resources import data_dir

    for path in rule_files([data_dir("rules")]):
        tree = parser.parse_rules(path.read_text(encoding="utf-8"), str(path))
        copy = pickle.loads(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == tree and copy.rules and type(copy.rules[0].pos) is type(tree.rules[0].pos)


def test_the_catalog_is_cached_until_edited(cache_dir, tmp_path, monkeypatch):
    from openlint.judge import engine
    from openlint.resources import data_dir

    path = tmp_path / "tables.yaml"
    path.write_text((data_dir("rules") / "tables.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    loads: list[Path] = []
    real = engine.load_catalog
    monkeypatch.setattr(engine, "load_catalog", lambda p=None: loads.append(p) or real(p))
    first = engine.cached_catalog(path)
    second = engine.cached_catalog(path)
    assert loads == [path] and second == first and second.kinds
    entries = list(cache_dir.glob("catalog-*.pickle"))
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x05corrupt")  # corrupt: read again, and rewritten
    assert engine.cached_catalog(path) == first and len(loads) == 2
    assert engine.cached_catalog(path) == first and len(loads) == 2
    path.write_text(path.read_text(encoding="utf-8").replace("kinds:", "kinds:\n  新表:\n    name: {预算: 新表}", 1),
                    encoding="utf-8")
    from openlint.understand import catalog

    catalog._load.cache_clear()  # load_catalog keeps what it read, by path, for the process
    edited = engine.cached_catalog(path)
    assert len(loads) == 3 and edited.get("新表") is not None
