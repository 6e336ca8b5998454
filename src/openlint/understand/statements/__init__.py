"""Statements in the narrative: amounts with units, changes, completion rates, shares, repeated amounts.

Pure functions over text (no DSL, no judge): a *passage* is a paragraph of the narrative, with the
paragraphs a page break or a line wrap cut off it joined back (`passages`). From a passage's
compacted text this package reads (one module per kind: `numbers`, `passage`, `change`,
`completion`, `share`, `breakdown`, `repeat`, `mention`)

- `Amount` / `Percent`: a printed number with its rounding interval (the last printed digit);
- `Change`: "上年为A万元，本年安排B万元，比上年增加/减少P%", "B万元，比上年增加N万元，增长P%",
  "与上年持平" — what was stated, and the amounts it must follow from;
- `Completion`: "年初预算为D万元，支出决算为F万元，完成年初预算的P%";
- `Relation`: "决算数大于/小于/等于/与预算数持平"; `Variance`: a 决算 unlike its 预算, answered for or not;
- `Share`: "X万元，其中：Y万元，占P%"; `ShareList`: "A万元，占P%；B万元，占Q%" with no whole stated;
- `Breakdown`: "X万元，其中：A万元、B万元、C万元" — a total and its listed parts (also of counts:
  "共有车辆5辆，其中：…其他用车3辆", each a `Count`, exact);
- `Repeat`: an item's amount at its head and again in its sentence ("…（项）H万元。…本年预算安排B万元");
- `ClassMention`: "一般公共服务支出（类）财政事务（款）行政运行（项）", with codes when printed ("（204类）").

Everything is judged with intervals: a printed amount `12.3` stands for [12.25, 12.35]; a printed
percentage `12.34%` is right when the true value rounds *or truncates* to it. A check says "wrong"
only when no values inside the printed precision make the statement true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openlint.model import Document

# The public names, importable from the package; a module's private helpers are imported from
# the module itself (`from openlint.understand.statements.change import _topic`).
from openlint.understand.statements.numbers import (
    AMOUNT_RE, DIRECTION_NAMES, DOWN, FLAT, PERCENT_RE, UP, Amount, Count, Percent, amounts_in, compact,
    counts_in, direction_of, fmt_amount, fmt_percent, parse_amount_text, percents_in, ratio_range,
)
from openlint.understand.statements.passage import ASIDE, Passage, passages, sentences
from openlint.understand.statements.change import Change, changes, named_changes
from openlint.understand.statements.completion import (
    Budgeted, Completion, Relation, Variance, completions, relations, variances,
)
from openlint.understand.statements.share import Share, ShareList, names_of_amounts, share_lists, shares
from openlint.understand.statements.breakdown import (
    MAX_LIST_ITEMS, Breakdown, bracketed_breakdowns, breakdowns, change_breakdowns, listed_breakdowns,
)
from openlint.understand.statements.repeat import Repeat, repeats
from openlint.understand.statements.mention import ClassMention, class_mentions

__all__ = [
    "AMOUNT_RE", "ASIDE", "DIRECTION_NAMES", "DOWN", "FLAT", "PERCENT_RE", "UP",
    "Amount", "Breakdown", "Budgeted", "Change", "ClassMention", "Completion", "Count", "Passage", "Percent",
    "Relation", "Repeat", "Share", "ShareList", "Statements", "Variance",
    "amounts_in", "bracketed_breakdowns", "breakdowns", "change_breakdowns", "changes", "class_mentions",
    "compact", "completions", "counts_in", "direction_of", "extract", "fmt_amount", "fmt_percent",
    "listed_breakdowns", "named_changes", "parse_amount_text", "passages", "percents_in", "ratio_range", "relations", "repeats",
    "sentences", "share_lists", "shares", "variances",
]

# ---- all statements of a document, once ----

@dataclass
class Statements:
    passages: list[Passage] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    named_changes: list[Change] = field(default_factory=list)  # a part's change, its amount given before
    completions: list[Completion] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    variances: list[Variance] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    share_lists: list[ShareList] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    mentions: list[ClassMention] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)


_HINT = re.compile(r"[%％]|万元|元|[（(]\d{0,3}类[)）]|预算数|决算数")


class _NamesBefore:
    """The amounts stated under each name in the passages before a given one, indexed only as far
    as a share asks (most documents never ask). A name stated last in a narrower scope ("一般公共
    预算财政拨款基本支出100万元" after "基本支出1,000万元") stands for that one as much as for the
    earlier amount: nothing is returned, the share is not judged."""

    def __init__(self, found: list[Passage]) -> None:
        self._found = found
        self._indexed = 0
        self._names: dict[str, dict] = {}
        self._last: dict[str, int] = {}  # the last passage stating an amount under each name
        self.upto = 0  # the passage asking: only the passages before it count

    def __call__(self, name: str) -> list[Amount]:
        while self._indexed < self.upto:
            for key, amount in names_of_amounts(self._found[self._indexed].text):
                self._names.setdefault(key, {}).setdefault(amount.value, amount)
                self._last[key] = self._indexed
            self._indexed += 1
        last = self._last.get(name)
        if last is None or any(key.endswith(name) and at >= last for key, at in self._last.items() if key != name):
            return []
        return list(self._names[name].values())


def extract(document: Document, year: int | None) -> Statements:
    """Every statement of the document's narrative, in reading order."""
    result = Statements()
    found = passages(document)
    named_before = _NamesBefore(found)
    for n, passage in enumerate(found):
        result.passages.append(passage)
        text = passage.text
        # lists of counts need no amount: "共有车辆5辆，其中：…", "车辆7辆（一般公务用车3辆，…）"
        if "其中" in text:
            result.breakdowns.extend(breakdowns(passage))
        result.breakdowns.extend(bracketed_breakdowns(passage))
        if not _HINT.search(text):
            continue
        # the next paragraph of the same section may give a reason ("…增长1.40%。" / "主要原因是…")
        nxt = found[n + 1] if n + 1 < len(found) else None
        following = nxt.text if nxt is not None and nxt.location.section == passage.location.section else ""
        if "比" in text or "较" in text or "与" in text or "同" in text:
            result.changes.extend(changes(passage, year, following))
        if "完成" in text:
            result.completions.extend(completions(passage))
        if "决算" in text:
            result.relations.extend(relations(passage))
            result.variances.extend(variances(passage, following))
        if ("增长" in text or "下降" in text) and ("增加" in text or "减少" in text):
            named_before.upto = n
            result.named_changes.extend(named_changes(passage, named_before))
        if "占" in text:
            named_before.upto = n
            found_shares = shares(passage, named_before)
            result.shares.extend(found_shares)
            result.share_lists.extend(share_lists(passage, frozenset(s.rate.start for s in found_shares)))
        if "其中" in text or "主要" in text:
            result.breakdowns.extend(change_breakdowns(passage))
        if "其中" in text[-3:]:
            result.breakdowns.extend(listed_breakdowns(passage, found[n + 1 : n + 1 + MAX_LIST_ITEMS]))
        if "类）" in text or "项）" in text or "类)" in text or "项)" in text:
            result.repeats.extend(repeats(passage, year))
        if "类）" in text or "类)" in text:
            result.mentions.extend(class_mentions(passage))
    return result
