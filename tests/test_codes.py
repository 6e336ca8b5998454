"""The shipped code lists, the table code reader, and the classification primitives."""

from __future__ import annotations

import pytest

from docbuilder import build
from openlint.judge import primitives as P  # noqa: F401  (registers every primitive family first)
from openlint.judge import codes as JC
from openlint.judge.context import Context
from openlint.model import Cell, Location, Table
from openlint.understand.catalog import load_catalog
from openlint.understand.codes import level_of, load_codes, normalize_name, system_of, table_codes

CATALOG = load_catalog()
CODES = load_codes()


def grid(*rows: str) -> Table:
    cells = tuple(tuple(Cell(t.strip(), r, c) for c, t in enumerate(row.split("|"))) for r, row in enumerate(rows))
    return Table("表", cells, Location("t.txt", table="表"), header_rows=1)


def pairs(table: Table) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in table_codes(table)]


# ---- the lists ----

def test_every_observed_code_is_listed_with_its_name():
    # the 115 function and 39 economic codes printed in the real corpus (shared/corpus/codes)
    for code, name in [("2010507", "专项普查活动"), ("2013999", "其他社会工作事务支出"), ("2200199", "其他自然资源事务支出"),
                       ("2150899", "其他支持中小企业发展和管理支出"), ("30213", "维修(护)费"), ("30239", "其他交通费用")]:
        assert normalize_name(CODES.name(code, 2024)) == normalize_name(name)


def test_classes_are_complete_and_renamed():
    assert CODES.name("210", 2024) == "卫生健康支出"
    assert CODES.name("207", 2023) == "文化旅游体育与传媒支出"
    assert CODES.complete("function", 2024) and CODES.complete("economic", 2024)
    assert [f.name for f in CODES.former_names("210")] == ["医疗卫生与计划生育支出"]
    assert CODES.find_former("其他国土资源事务支出", "22001")[0].code == "2200199"


def test_government_economic_classification():
    # the 50x list (政府预算支出经济分类): names known, never claimed complete (an unknown 50x is not judged)
    assert system_of("50206") == "government" and CODES.name("50206", 2025) == "公务接待费"
    assert CODES.name("505", 2024) == "对事业单位经常性补助" and CODES.entry("50999", 2024).certain is False
    assert not CODES.complete("502", 2025) and not CODES.complete("505", 2025)


def test_codes_by_year():
    assert CODES.entry("20139", 2023) is None  # 社会工作事务 is new in 2024
    assert CODES.name("20139", 2024) == "社会工作事务"
    assert CODES.name("20139", 2031) == "社会工作事务"  # later years use the last list


def test_completeness_is_per_parent():
    assert CODES.complete("20805", 2024) and CODES.complete("302", 2024)
    assert not CODES.complete("20106", 2024)  # 财政事务's 项 list is not claimed complete
    assert "2080505" in CODES.children("20805", 2024)


def test_find_by_name_under_a_parent():
    assert CODES.find("住房改革支出", "221", 2024) == ["22102"]
    assert CODES.find("住房保障支出", "221", 2024) == []
    assert CODES.find("维修(护)费", "302", 2024) == ["30213"]


@pytest.mark.parametrize("a, b", [
    ("因 公 出 国 (境) 费用", "因公出国（境）费用"),
    ("其它行政事业单位养老支出", "其他行政事业单位养老支出"),
    ("维修(护)费", "维修（护）费"),
    ("一、一般公共服务支出", "一般公共服务支出"),
])
def test_normalize_name(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_levels_and_systems():
    assert [level_of(c) for c in ("201", "20101", "2010101", "2010")] == ["类", "款", "项", None]
    assert [system_of(c) for c in ("201", "30101", "50101", "101")] == ["function", "economic", "government", None]


# ---- codes printed in tables ----

def test_one_cell_codes_with_a_row_number_column():
    t = grid("序号|科目编码|科目名称|合计", "1||合计|89.45", "2|201|一般公共服务支出|41.93", "4|2012901|行政运行|25.18")
    assert pairs(t) == [("201", "一般公共服务支出"), ("2012901", "行政运行")]
    assert table_codes(t)[1].amounts and table_codes(t)[1].location.row == "2012901 行政运行"


def test_split_columns_and_spaced_codes():
    t = grid("类|款|项|科目名称|合计", "204|||公共安全支出|1", "204|06||司法|1", "204|06|01|行政运行|1", "201 05 07||||专项普查活动|2")
    assert pairs(t) == [("204", "公共安全支出"), ("20406", "司法"), ("2040601", "行政运行"), ("2010507", "专项普查活动")]


def test_parts_without_their_class():
    t = grid("类|款|项|科目名称|合计", "208|||社会保障和就业支出|3", "|05||行政事业单位养老支出|3", "|05|05|机关事业单位基本养老保险缴费支出|3")
    assert [c for c, _ in pairs(t)] == ["208", "20805", "2080505"]


def test_each_level_printing_its_own_segment():
    # `| 208 | | |`, `| | 05 | |`, `| | | 05 |`: a 项 part extends the last 款, not the 类 (it read 20805)
    t = grid("类|款|项|科目名称|合计", "208|||社会保障和就业支出|3", "|05||行政事业单位养老支出|3",
             "||05|机关事业单位基本养老保险缴费支出|2", "||06|机关事业单位职业年金缴费支出|1",
             "210|||卫生健康支出|1", "||01|行政单位医疗|1")
    assert [c for c, _ in pairs(t)] == ["208", "20805", "2080505", "2080506", "210"]  # (no 款 of 210 above 01)


def test_class_and_item_cells_merged_down():
    doc = build("""某某局2025年部门预算
[表] 部门支出总表
| 科目编码 | < | < | 科目名称 | 合计 |
| 类 | 款 | 项 | ^ | ^ |
|---|
| 208 |  |  | 社会保障和就业支出 | 3.00 |
| ^ | 05 |  | 行政事业单位养老支出 | 3.00 |
| ^ | ^ | 05 | 机关事业单位基本养老保险缴费支出 | 2.00 |
| ^ | ^ | 06 | 机关事业单位职业年金缴费支出 | 1.00 |
| 合计 | < | < | < | 3.00 |""")
    assert [c for c, _ in pairs(doc.tables[0])] == ["208", "20805", "2080505", "2080506"]


def test_full_codes_in_their_own_level_columns():
    t = grid("类|款|项|科目名称|合计", "208|||社会保障和就业支出|3", "|20805||行政事业单位养老支出|3",
             "||2080505|机关事业单位基本养老保险缴费支出|3")
    rows = table_codes(t)
    assert [r.code for r in rows] == ["208", "20805", "2080505"]
    assert {r.column for r in rows} == {0}  # one code column group: CLS-008 sees 款 under 类, 项 under 款


@pytest.mark.parametrize("body", [
    ["| 208 |  |  | 社会保障和就业支出 | 3.00 |", "|  | 05 |  | 行政事业单位养老支出 | 3.00 |",
     "|  |  | 05 | 机关事业单位基本养老保险缴费支出 | 2.00 |", "|  |  | 06 | 机关事业单位职业年金缴费支出 | 1.00 |"],
    ["| 208 |  |  | 社会保障和就业支出 | 3.00 |", "| ^ | 05 |  | 行政事业单位养老支出 | 3.00 |",
     "| ^ |  | 05 | 机关事业单位基本养老保险缴费支出 | 2.00 |", "| ^ |  | 06 | 机关事业单位职业年金缴费支出 | 1.00 |"],
    ["| 208 |  |  | 社会保障和就业支出 | 3.00 |", "| ^ | 05 |  | 行政事业单位养老支出 | 3.00 |",
     "| ^ | ^ | 05 | 机关事业单位基本养老保险缴费支出 | 2.00 |", "| ^ | ^ | 06 | 机关事业单位职业年金缴费支出 | 1.00 |"],
    ["| 208 |  |  | 社会保障和就业支出 | 3.00 |", "|  | 20805 |  | 行政事业单位养老支出 | 3.00 |",
     "|  |  | 2080505 | 机关事业单位基本养老保险缴费支出 | 2.00 |", "|  |  | 2080506 | 机关事业单位职业年金缴费支出 | 1.00 |"],
])
def test_table_semantics_reads_the_same_codes(body):
    # the rows of these layouts carry their full codes in the table semantics too (ARI-006 and the
    # comparisons by code read them there); the 类 column, one code over a 合计, is a code column
    from openlint.understand.tables import read_table
    doc = build("某某局2025年部门预算\n[表] 部门支出总表\n| 科目编码 | < | < | 科目名称 | 合计 |\n"
                "| 类 | 款 | 项 | ^ | ^ |\n|---|\n" + "\n".join(body) + "\n| 合计 | < | < | < | 3.00 |")
    table = doc.tables[0]
    assert [(r.code, r.level) for r in read_table(table).parts[0].rows] == [
        ("208", 1), ("20805", 2), ("2080505", 3), ("2080506", 3), (None, None)]
    assert [c for c, _ in pairs(table)] == ["208", "20805", "2080505", "2080506"]


def test_unit_codes_are_no_classification_codes():
    # by-unit tables of the budget-system printouts: the department 301 (or 205) and its units 301001 …
    t = grid("单位编码|单位名称|合计", "301|云溪县教育局|100.00", "301001|云溪县教育局（本级）|60.00",
             "301002|云溪县第一中学|40.00")
    assert pairs(t) == []
    t = grid("部门代码|部门名称|合计", "205|某某部门|100.00")  # the header says so, whatever the name
    assert pairs(t) == []
    t = grid("序号|项目名称|金额", "217|道路维修|1.00", "218|路灯更换|2.00")  # row numbers
    assert pairs(t) == []


def test_rows_naming_an_organisation_are_no_classification_rows():
    t = grid("编码|名称|合计", "205|云溪县教育局|100.00", "208|云溪县教育局（本级）|60.00", "301 云溪县教育局|1",
             "2100201|综合医院|1.00", "2050501|广播电视学校|1.00")  # (official names ending in 医院, 学校 are 科目)
    assert pairs(t) == [("2100201", "综合医院"), ("2050501", "广播电视学校")]


def test_two_column_groups_side_by_side():
    t = grid("编码|名称|决算数|编码|名称|决算数", "301|工资福利支出|10.00|302|商品和服务支出|5.00", "30101|基本工资|10.00|30201|办公费|5.00")
    assert pairs(t) == [("301", "工资福利支出"), ("302", "商品和服务支出"), ("30101", "基本工资"), ("30201", "办公费")]


def test_wrapped_names_are_joined():
    t = grid("编码|名称|合计", "2080505|机关事业单位基本养老保|446.11", "|险缴费支出|", "||合计|9759.38")
    assert pairs(t) == [("2080505", "机关事业单位基本养老保险缴费支出")]


def test_amounts_are_not_codes():
    t = grid("项目|合计|小计", "收入|307.82|201", "支出|100|302")
    assert pairs(t) == []


def test_malformed_class_code():
    t = grid("类|款|项|科目名称|合计", "210|||卫生健康支出|5", "210|11||行政事业单位医疗|5", "7|11|02|事业单位医疗|5")
    rows = table_codes(t)
    assert rows[-1].code == "2101102" and rows[-1].printed == "7 11 02"
    # under a 类 with no 款 printed yet there is no 款 to continue: not a code (this raised KeyError)
    t = grid("类|款|项|科目名称|合计", "210|||卫生健康支出|5", "7||02|事业单位医疗|5")
    assert pairs(t) == [("210", "卫生健康支出")]


# ---- primitives ----

def ctx_of(text: str) -> Context:
    return Context(build(text), CATALOG)


DOC = """\
上海市某某局2024年部门预算
[表] 2024年部门一般公共预算支出功能分类预算表
| 类 | 款 | 项 | 科目名称 | 合计 |
| 210 | | | 卫生健康支出 | 20.00 |
| 210 | 07 | | 计划生育事务 | 20.00 |
| 210 | 07 | 17 | 计划生育服务 | 20.00 |
| 221 | | | 住房保障支出 | 5.00 |
| 221 | 02 | | 住房改革支出 | 5.00 |
[表] 2024年部门一般公共预算基本支出部门预算经济分类预算表
| 科目编码 | 科目名称 | 合计 |
| 302 | 商品和服务支出 | 6.40 |
| 30202 | 咨询费 | 2.00 |
| 30210 | 车辆运行费 | 4.40 |
1. “卫生健康支出（类）卫生健康支出（款）计划生育事务（项）”科目20.00万元。
2. “卫生健康支出（类）计划生育事务（款）计划生育服务（项）”科目20.00万元。
3. “医疗卫生与计划生育支出（类）计划生育事务（款）计划生育服务（项）”科目20.00万元。
"""


def test_code_rows():
    ctx = ctx_of(DOC)
    rows = {r.row.code: r for r in JC.code_rows(ctx)}
    assert rows["30202"].official == "印刷费" and not rows["30202"].name_ok
    assert not rows["30210"].known and rows["30210"].verifiable
    assert rows["22102"].nonzero and not rows["22102"].has_children
    assert rows["21007"].has_children and rows["21007"].kind == "一般公共预算支出表"
    assert [r.row.code for r in JC.code_rows(ctx, "一般公共预算基本支出表")] == ["302", "30202", "30210"]


def test_lineage_blames_the_code_that_is_out_of_place():
    table = "[表] 2024年部门支出决算表\n| 科目编码 | 科目名称 | 合计 |\n"
    rows = lambda text: {r.row.code: r.lineage for r in JC.code_rows(ctx_of("某某局2024年度部门决算\n" + table + text))}
    # a 款 whose 项 all belong to another (unlisted) 款: the 款 is misnumbered
    got = rows("| 210 | 卫生健康支出 | 3 |\n| 21097 | 行政事业单位医疗 | 3 |\n| 2101101 | 行政单位医疗 | 2 |\n"
               "| 2101102 | 事业单位医疗 | 1 |")
    assert "属于21011而非21097" in got["21097"] and not got["2101101"] and not got["2101102"]
    # one 项 out of place under a 款 its siblings belong to: the 项
    got = rows("| 21011 | 行政事业单位医疗 | 3 |\n| 2101101 | 行政单位医疗 | 2 |\n| 2109702 | 事业单位医疗 | 1 |")
    assert "不属于其上所列的款21011" in got["2109702"] and not got["21011"]
    # a real code under the wrong parent (a parent row missing), or parents printed after their
    # children: not a misnumbered code
    assert not any(rows("| 208 | 社会保障和就业支出 | 3 |\n| 21011 | 行政事业单位医疗 | 3 |\n"
                        "| 2101101 | 行政单位医疗 | 3 |").values())
    assert not any(rows("| 2101101 | 行政单位医疗 | 3 |\n| 21011 | 行政事业单位医疗 | 3 |\n"
                        "| 2080505 | 机关事业单位基本养老保险缴费支出 | 1 |\n| 20805 | 行政事业单位养老支出 | 1 |").values())


def test_class_mentions_against_tables_and_lists():
    ctx = ctx_of(DOC)
    wrong_kuan, right, former = JC.class_mentions(ctx)
    assert "不是210卫生健康支出类下的款" in wrong_kuan.problems[0] and "计划生育事务" in wrong_kuan.problems[0]
    assert right.ok
    assert "旧称" in former.problems[0] and "卫生健康支出" in former.problems[0]


def test_unknown_parent_is_not_judged():
    ctx = ctx_of("上海市某某局2024年部门预算\n1. “一般公共服务支出（类）财政事务（款）某项新增业务（项）”科目1.00万元。")
    (m,) = JC.class_mentions(ctx)
    assert m.ok


def test_uncertain_names_are_at_most_notes():
    ctx = ctx_of("上海市某某局2024年部门预算\n[表] 2024年部门收入预算总表\n| 科目编码 | 科目名称 | 合计 |\n| 2010308 | 信访业务 | 1.00 |")
    (r,) = JC.code_rows(ctx)
    assert not r.name_ok and r.severity.value == "note"


# ---- the real documents in tests/fixtures (each finding confirmed against the PDF text) ----

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "pdf"


def _classification_findings(name: str) -> list[tuple[str, str]]:
    from openlint.judge.engine import check_document, load_rules
    from openlint.read import read_document

    found = check_document(read_document(str(FIXTURES / name)), load_rules())
    return sorted((f.rule_id, f.location.row or "") for f in found if f.rule_id.startswith("CLS"))


def test_fixture_renumbered_economic_table():
    found = _classification_findings("shanghai-putuo-social-welfare-institute-2024-unit-budget.pdf")
    rules = [rule for rule, _ in found]
    assert rules.count("CLS-002") == 13 and rules.count("CLS-007") == 2
    assert ("CLS-001", "30210 车辆运行费") in found and rules.count("CLS-006") == 1
    assert "CLS-003" not in rules  # the 项 under 21011 is there, only its 类 is misprinted


def test_fixture_clean_tables_are_quiet():
    assert _classification_findings("shanghai-putuo-finance-bureau-2025-dept-budget.pdf") == []
    assert [r for r, _ in _classification_findings("shanghai-putuo-wanli-subdistrict-2025-dept-budget.pdf")] == ["CLS-006"]


def test_code_and_name_in_one_cell():
    t = grid("科目|合计", "[201]一般公共服务支出|10.00", "[2010101]行政运行|10.00", "2080505 机关事业单位基本养老保险缴费支出|1.00")
    assert pairs(t) == [("201", "一般公共服务支出"), ("2010101", "行政运行"), ("2080505", "机关事业单位基本养老保险缴费支出")]


def test_numbers_with_units_are_not_codes():
    t = grid("项目|说明", "车辆|310元", "年度|202年", "培训|326人次", "住户|120户", "人大|[20101]人大事务")
    assert pairs(t) == [("20101", "人大事务")]


def test_names_differing_by_a_de_are_the_same():
    assert JC._names_match("国有土地使用权出让收入对应专项债务收入安排的支出", "国有土地使用权出让收入对应的专项债务收入安排的支出")
    assert not JC._names_match("国有土地使用权出让收入安排的支出", "国有土地使用权出让收入对应的专项债务收入安排的支出")
