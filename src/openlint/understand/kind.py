"""What kind of disclosure a document is: 预算 or 决算, 部门 or 单位, year, organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.model import Document, Heading, Paragraph, Table

_TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度)?\s*(?:区级|市级|县级|省级)?\s*(部门|单位)?\s*(预算|决算)")
# a title that names its subject between the year and the kind ("2017年一般公共预算财政拨款“三公”经费
# 支出决算情况说明"): the kind is its last 预算/决算
_LOOSE_TITLE = re.compile(r"^[^，,。；;]{0,40}?(20\d{2})\s*年度?[^，,。；;\d]{0,40}(预算|决算)[^，,。；;\d]{0,12}$")
_TITLE_LINES = 3
_NOT_THIS_DOCUMENT = re.compile(r"\s*执行")  # 2025年预算执行情况: the year before the one a report budgets
# in a sentence, “本部门2023年度预算编制时无二级预算单位”: how the year's budget was drawn up, said in
# a 决算 as well (the same template's 决算 says “2021年度决算编制时”, which does name the document)
_DRAWN_UP = re.compile(r"\s*编制")
_LEVEL_BEFORE_KIND = re.compile(r"(部门|单位)(?=\s*(?:预算|决算))")
_COMPARED_BEFORE = re.compile(r"[比较与同]\s*$")  # "比 2023年预算增长…": a year compared with
_ORG_LABEL = re.compile(r"(?:预算主管部门|预算单位|主管部门|编制单位|编制部门|单位名称|部门名称)\s*[:：]\s*([^\s:：]{2,40})")
_ORG_BEFORE_YEAR = re.compile(r"^([^\d\s（(]{2,40}?)\s*(?:20\d{2})\s*年")
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办事处|街道|政府|院|所|中心|会|部|部门|厅|处|馆|站|队|校|学|社)(（本级）)?$")
_COVER_BLOCKS = 12


@dataclass(frozen=True, slots=True)
class DocumentKind:
    kind: str | None = None  # 预算 | 决算
    level: str | None = None  # 部门 | 单位
    year: int | None = None
    org: str | None = None

    def describe(self) -> str:
        parts = [f"{self.year}年" if self.year else "", self.level or "", self.kind or ""]
        return "".join(parts) or "未识别"


def detect_kind(document: Document) -> DocumentKind:
    """Read the cover and title: the first blocks, and the first page's text for PDFs."""
    # (a table's caption too: a page that is one table titled in its first row has no other title)
    texts = [b.caption if isinstance(b, Table) else b.text for b in document.blocks[:_COVER_BLOCKS]
             if isinstance(b, (Heading, Paragraph)) or (isinstance(b, Table) and b.caption)]
    if document.page_texts:
        texts = document.page_texts[0].splitlines() + texts
    cover = len(texts)
    # Some documents open with their tables; then the title is the first heading that names one.
    texts += [b.text for b in document.blocks if isinstance(b, Heading) and "表" not in b.text]
    kind = level = org = None
    year = None
    # Title-like lines first (a web page puts its index fields above the title; a cover has none of
    # them, but a first paragraph may speak of “本部门2023年度预算编制时……” before any title).
    for prose in (False, True):
        for n, text in enumerate(texts):
            if _title_like(text) == prose:
                continue
            if (m := _title(text, prose)) is not None:
                year, level, kind = int(m.group(1)), m.group(2), m.group(3)
            elif ((n < _TITLE_LINES or (not prose and n < cover))
                  and (m := _LOOSE_TITLE.match(text.strip()))
                  and not _COMPARED_BEFORE.search(text.strip(), 0, m.start(1))
                  and not _NOT_THIS_DOCUMENT.match(text.strip(), m.end(2))):
                year, kind = int(m.group(1)), m.group(2)
                named = _LEVEL_BEFORE_KIND.findall(text)
                level = named[-1] if named else None
            else:
                continue
            before = _ORG_BEFORE_YEAR.match(text.strip())
            if before and _ORG_SUFFIX.search(before.group(1)) and not re.search(r"[，,。；;：:]", before.group(1)):
                org = before.group(1)  # (not the words of a sentence: “从预算单位构成看，本部门”)
            break
        if kind is not None:
            break
    # A unit's cover may name its 主管部门 (the department above it) as well as itself: the unit's
    # own label wins; 预算主管部门 is the organisation itself only when nothing else is labelled.
    labelled = [(m, text) for text in texts if (m := _ORG_LABEL.search(text))]
    own = [(m, text) for m, text in labelled if "主管部门" not in m.group(0)]
    if labelled:
        m, text = (own or labelled)[0]
        org = m.group(1)
        if level is None and text.lstrip().startswith("预算单位"):
            level = "单位"
    if org is None:
        org = _org_above_title(texts)
    if org:
        org = re.sub(r"\s+", "", org)
    return DocumentKind(kind=kind, level=level, year=year, org=org)


def _title(text: str, prose: bool = False) -> re.Match | None:
    """The first `_TITLE` in the text that names the document: not a year compared with
    (比 2023年预算…), nor the year whose budget a report says was carried out (关于2025年预算执行情况和
    2026年预算草案的报告 is a 2026 budget); in a sentence, nor the budget a unit was drawing up
    (本部门2023年度预算编制时无二级预算单位, in a 决算; “2023年度决算编制时” names a 决算)."""
    for m in _TITLE.finditer(text):
        if _COMPARED_BEFORE.search(text, 0, m.start()) or _NOT_THIS_DOCUMENT.match(text, m.end()):
            continue
        if prose and m.group(3) == "预算" and _DRAWN_UP.match(text, m.end()):
            continue
        return m
    return None


def _title_like(text: str) -> bool:
    """A line that can be a title: short, and no sentence."""
    stripped = text.strip()
    return len(stripped) <= 60 and not re.search(r"[。，,；;]", stripped)


def _org_above_title(texts: list[str]) -> str | None:
    """A cover often has the organisation alone above the title, sometimes wrapped over two lines."""
    for i, text in enumerate(texts):
        if not _title(text):
            continue
        for start in range(max(i - 2, 0), i):  # longest first: 上海市普陀区规划和自然 / 资源局
            candidate = "".join(t.strip() for t in texts[start:i])
            if len(candidate) <= 40 and not re.search(r"\d", candidate) and _ORG_SUFFIX.search(candidate):
                return candidate
        return None
    return None
