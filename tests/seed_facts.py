"""What the seed document (the Hebei 2023 部门预算, as .txt and as .docx) is known to contain."""

from __future__ import annotations

from pathlib import Path

FIX = Path(__file__).parent / "fixtures"

# its nine standard tables, in order; the last three are published empty
STANDARD_TABLES = [
    "部门预算收支总表",
    "部门预算收入总表",
    "部门预算支出总表",
    "部门预算财政拨款收支总表",
    "部门预算一般公共预算财政拨款支出表",
    "部门预算一般公共预算财政拨款基本支出表",
    "部门预算政府基金预算财政拨款支出表",
    "部门预算国有资本经营预算财政拨款支出表",
    "部门预算财政拨款“三公”经费支出表",
]
