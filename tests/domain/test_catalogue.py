"""The packaged business catalogue, and the file-and-line errors a bad catalogue edit gets."""

from __future__ import annotations

from datetime import date

import pytest

from domain.catalogue import (
    AreaClass,
    Catalogue,
    Channel,
    Family,
    FieldType,
    InvalidCatalogue,
    Sureness,
    load_catalogue,
    parse_catalogue,
    parse_catalogue_files,
)
from domain.errors import CatalogueError, InvalidInput
from domain.roles import Department
from domain.workflow import critical_path, fits_limit, open_stages, topological_order


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


# Every ticket type of DOMAIN.md, by the Chinese name a clerk knows it by.
DOMAIN_TYPES = {
    "connection_residential": "低压居民新装",
    "connection_lv_non_residential": "低压非居民新装",
    "connection_hv_single": "高压单电源新装",
    "connection_hv_dual": "高压双电源新装",
    "capacity_increase_residential": "低压居民增容",
    "capacity_increase_lv_non_residential": "低压非居民增容",
    "capacity_increase_hv_single": "高压单电源增容",
    "capacity_increase_hv_dual": "高压双电源增容",
    "change_transfer": "过户",
    "change_rename": "更名",
    "change_other": "其他用电变更",
    "account_closure": "销户",
    "payment": "交费",
    "bill_enquiry": "电费查询",
    "bill_dispute": "电费争议",
    "repair": "故障报修",
    "complaint": "投诉",
    "report": "举报",
    "enquiry": "咨询",
    "opinion": "意见",
    "suggestion": "建议",
    "praise": "表扬",
    "information_query": "信息查询",
    "chase": "催办",
    "service_request_reconnection": "复电登记",
    "service_request_appliance_damage": "电器损坏",
    "service_request_meter_fault": "电能表异常",
    "service_request_reading_anomaly": "抄表数据异常",
    "service_request_charging_booking": "充电预约",
    "service_request_other": "其他服务申请",
    "meter_accuracy_test": "电能表校验",
    # 主动服务 (issue 17): opened by the server from a power-quality warning, never at a counter
    "pq_governance": "电能质量治理",
}

# Official connection limits (十项承诺 art. 6), in working days.
CONNECTION_LIMITS = {
    "connection_residential": 5,
    "connection_lv_non_residential": 6,
    "connection_hv_single": 22,
    "connection_hv_dual": 32,
}


def test_catalogue_is_versioned(catalogue: Catalogue) -> None:
    assert catalogue.version == "2025.1"
    assert catalogue.effective == date(2025, 1, 1)


def test_every_domain_ticket_type_is_in_the_catalogue(catalogue: Catalogue) -> None:
    assert {t.code: t.name_zh for t in catalogue.types} == DOMAIN_TYPES


def test_every_family_has_ticket_types(catalogue: Catalogue) -> None:
    assert {t.family for t in catalogue.types} == set(Family)


def test_types_are_listed_by_family(catalogue: Catalogue) -> None:
    families = list(Family)
    order = [families.index(t.family) for t in catalogue.types]
    assert order == sorted(order)


def test_ticket_type_lookup(catalogue: Catalogue) -> None:
    repair = catalogue.ticket_type("repair")
    assert repair.name("en") == "Fault repair"
    assert repair.department == Department.operations
    with pytest.raises(InvalidInput) as caught:
        catalogue.ticket_type("teleport")
    assert caught.value.field == "ticket_type"


def test_types_for_channel(catalogue: Catalogue) -> None:
    hotline = {t.code for t in catalogue.types_for_channel("hotline")}
    hall = {t.code for t in catalogue.types_for_channel(Channel.hall)}
    assert "repair" in hotline and "complaint" in hotline
    assert "payment" not in hotline  # money is not taken over the phone
    assert "connection_hv_single" in hall and "connection_hv_single" not in hotline
    assert hall | hotline | {t.code for t in catalogue.types_for_channel("app")} <= set(DOMAIN_TYPES)
    with pytest.raises(InvalidInput):
        catalogue.types_for_channel("fax")


def test_service_request_sub_types(catalogue: Catalogue) -> None:
    names = {t.name_zh for t in catalogue.types_in_family(Family.service_request)}
    assert names == {"复电登记", "电器损坏", "电能表异常", "抄表数据异常", "充电预约", "其他服务申请"}


def test_complaint_has_five_classes_and_privacy_flags(catalogue: Catalogue) -> None:
    fields = {f.name: f for f in catalogue.ticket_type("complaint").fields}
    classes = fields["complaint_class"]
    assert classes.type == FieldType.choice and classes.required
    assert [c.name_zh for c in classes.choices] == ["服务投诉", "营业投诉", "停送电投诉", "供电质量投诉", "电网建设投诉"]
    assert fields["anonymous"].type == FieldType.bool and fields["confidential"].type == FieldType.bool
    assert not fields["contact_phone"].required  # an anonymous complainant leaves no number


def test_fields_have_labels_and_choice_fields_have_choices(catalogue: Catalogue) -> None:
    for ticket_type in catalogue.types:
        assert any(f.required for f in ticket_type.fields), ticket_type.code
        for field in ticket_type.fields:
            assert field.label_zh and field.label("en")
            assert bool(field.choices) == (field.type == FieldType.choice), (ticket_type.code, field.name)


@pytest.mark.parametrize(("code", "amount", "sure"), [
    ("connection_residential", 5, Sureness.official),
    ("connection_lv_non_residential", 6, Sureness.official),
    ("connection_hv_single", 22, Sureness.official),
    ("connection_hv_dual", 32, Sureness.official),
    ("meter_accuracy_test", 5, Sureness.official),
    ("service_request_reading_anomaly", 5, Sureness.official),
    ("service_request_meter_fault", 4, Sureness.practice),
    ("service_request_reconnection", 24 * 60, Sureness.practice),
    ("service_request_other", 5, Sureness.practice),
    ("complaint", 5, Sureness.open),
    ("report", 5, Sureness.open),
])
def test_time_limits_follow_the_domain_table(catalogue: Catalogue, code: str, amount: int, sure: Sureness) -> None:
    limit = catalogue.ticket_type(code).time_limit
    assert (limit.amount(), limit.sure) == (amount, sure)
    assert limit.source and limit.effective == catalogue.effective


def test_repair_arrival_limit_is_by_area(catalogue: Catalogue) -> None:
    limit = catalogue.ticket_type("repair").time_limit
    assert {a: limit.amount(a) for a in AreaClass} == {"urban": 45, "rural": 90, "remote": 120}
    assert limit.sure == Sureness.official
    assert catalogue.ticket_type("repair").workflow.clock_stops_at == "arrive"


@pytest.mark.parametrize("code", sorted(CONNECTION_LIMITS))
def test_connection_workflows_run_stages_in_parallel(catalogue: Catalogue, code: str) -> None:
    workflow = catalogue.ticket_type(code).workflow
    done: set[str] = set()
    widest = 0
    for stage in topological_order(workflow):
        widest = max(widest, len(open_stages(workflow, done)))
        done.add(stage.code)
    assert widest >= 2
    assert sum(s.is_survey for s in workflow.stages) == 1


@pytest.mark.parametrize(("code", "official"), sorted(CONNECTION_LIMITS.items()))
def test_connection_critical_path_fits_the_official_limit(catalogue: Catalogue, code: str, official: int) -> None:
    workflow = catalogue.ticket_type(code).workflow
    chain, total = critical_path(workflow)
    assert total <= official
    assert chain[0] == "accept" and chain[-1] == "metering"
    assert workflow.stage("metering").department == Department.metering


def test_high_voltage_contract_and_grid_works_run_beside_the_main_path(catalogue: Catalogue) -> None:
    workflow = catalogue.ticket_type("connection_hv_single").workflow
    assert [s.name_zh for s in workflow.stages[:8]] == [
        "受理", "现场勘查", "供电方案答复", "设计审查", "中间检查", "竣工检验", "业务收费", "合同签订"]
    done = {"accept", "survey", "supply_plan"}
    parallel = {s.code for s in open_stages(workflow, done)}
    assert {"design_review", "contract", "grid_works", "fees", "dispatch_agreement"} == parallel
    assert {"contract", "grid_works", "completion_inspection"} <= set(workflow.stage("metering").prerequisites)
    assert workflow.stage("grid_works").department == Department.engineering


def test_every_type_fits_its_overall_limit(catalogue: Catalogue) -> None:
    for ticket_type in catalogue.types:
        assert fits_limit(ticket_type.workflow, ticket_type.time_limit), ticket_type.code


def test_stage_without_department_belongs_to_the_type_department(catalogue: Catalogue) -> None:
    assert catalogue.ticket_type("complaint").workflow.stage("handle").department == Department.marketing
    assert catalogue.ticket_type("opinion").workflow.stage("handle").department == Department.service


def test_return_visit_types_have_a_return_visit_stage(catalogue: Catalogue) -> None:
    for ticket_type in catalogue.types:
        has_visit = any(s.is_return_visit for s in ticket_type.workflow.stages)
        assert has_visit == ticket_type.needs_return_visit, ticket_type.code
    assert catalogue.ticket_type("complaint").needs_return_visit
    assert not catalogue.ticket_type("enquiry").needs_return_visit


def test_one_set_of_materials_asks_each_document_once(catalogue: Catalogue) -> None:
    materials = catalogue.materials_for(["connection_residential", "change_transfer"])
    codes = [m.code for m in materials]
    assert codes == ["identity", "property_proof", "transfer_proof", "change_form"]
    assert catalogue.material("identity").name_zh.startswith("身份证明")
    with_optional = catalogue.materials_for(["connection_residential"], include_optional=True)
    assert [m.code for m in with_optional] == ["identity", "property_proof", "agent_authorisation"]


def test_load_catalogue_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


# --- error reporting -------------------------------------------------------------------------

BASE = """\
[catalogue]
version = "t1"
effective = 2025-01-01

[[materials]]
code = "identity"
name_zh = "身份证明"
name_en = "Proof of identity"

[[fields]]
name = "note"
label_zh = "说明"
label_en = "Note"
type = "text"

[[workflows]]
code = "flow"
name_zh = "流程"
name_en = "Flow"
clock_stops_at = "b"

[[workflows.stages]]
code = "a"
name_zh = "甲"
name_en = "A"
department = "marketing"

[[workflows.stages]]
code = "b"
name_zh = "乙"
name_en = "B"
prerequisites = ["a"]
limit = { working_days = 2 }

[[types]]
code = "thing"
family = "enquiry"
name_zh = "事项"
name_en = "Thing"
channels = ["hall"]
department = "service"
workflow = "flow"
required_fields = ["note"]
materials = ["identity"]
needs_return_visit = false

[types.time_limit]
working_days = 3
sure = "official"
source = "test"
"""

STAGE_C = """\
[[workflows.stages]]
code = "c"
name_zh = "丙"
name_en = "C"
prerequisites = ["b"]
limit = { working_days = 2 }

"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_with(text: str, marker: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return hits[occurrence - 1]


def problems(text: str, filename: str = "bad.toml") -> set[tuple[str, int]]:
    with pytest.raises(InvalidCatalogue) as caught:
        parse_catalogue(text, filename)
    return {(p.filename, p.line) for p in caught.value.problems}


def test_base_snippet_is_valid() -> None:
    parsed = parse_catalogue(BASE, "good.toml")
    assert parsed.ticket_type("thing").workflow.stage("b").department == Department.service
    assert parsed.ticket_type("thing").workflow.stage("b").limit.sure == Sureness.practice  # type: ignore[union-attr]


@pytest.mark.parametrize(("old", "new", "marker"), [
    pytest.param('department = "marketing"', 'department = "nowhere"', 'department = "nowhere"',
                 id="unknown stage department"),
    pytest.param('department = "service"', 'department = "nowhere"', 'department = "nowhere"',
                 id="unknown type department"),
    pytest.param('prerequisites = ["a"]', 'prerequisites = ["a", "zz"]', '"zz"', id="unknown prerequisite"),
    pytest.param('channels = ["hall"]', 'channels = ["hall", "fax"]', '"fax"', id="unknown channel"),
    pytest.param('channels = ["hall"]', 'channels = [\n  "hall",\n  "fax",\n]', '"fax"',
                 id="unknown channel in a multi-line array"),
    pytest.param('family = "enquiry"', 'family = "gossip"', 'family = "gossip"', id="unknown family"),
    pytest.param('workflow = "flow"', 'workflow = "maze"', 'workflow = "maze"', id="unknown workflow"),
    pytest.param('materials = ["identity"]', 'materials = ["identity", "passport"]', '"passport"',
                 id="unknown material"),
    pytest.param('required_fields = ["note"]', 'required_fields = ["note", "mood"]', '"mood"', id="unknown field"),
    pytest.param('clock_stops_at = "b"', 'clock_stops_at = "q"', 'clock_stops_at = "q"', id="unknown clock stage"),
    pytest.param('needs_return_visit = false', 'needs_return_visit = true', "needs_return_visit",
                 id="return visit without a return-visit stage"),
    pytest.param('limit = { working_days = 2 }', 'limit = { minutes = 30 }', "limit = { minutes = 30 }",
                 id="stage limit in another unit"),
    pytest.param('limit = { working_days = 2 }', 'limit = { working_days = 2, minutes = 30 }', "minutes = 30",
                 id="limit with two measures"),
    pytest.param('prerequisites = ["a"]', 'prerequisite = ["a"]', "prerequisite = ", id="misspelt key"),
    pytest.param('working_days = 3', 'working_days = "three"', '"three"', id="wrong value type"),
    pytest.param('type = "text"', 'type = "choice"', 'type = "choice"', id="choice field without choices"),
    pytest.param('version = "t1"', 'version = ', 'version = ', id="TOML syntax error"),
])
def test_error_names_file_and_line(old: str, new: str, marker: str) -> None:
    text = edit(old, new)
    assert ("bad.toml", line_with(text, marker)) in problems(text)


def test_error_message_names_file_and_line_in_both_languages() -> None:
    text = edit('department = "service"', 'department = "nowhere"')
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "types.toml")
    line = line_with(text, "nowhere")
    assert f"types.toml 第 {line} 行：未知的部门「nowhere」" in caught.value.message_zh
    assert f"types.toml line {line}: unknown department 'nowhere'" in caught.value.message_en


CHOICES = """type = "choice"
choices = [
  { code = "yes", name_zh = "是", name_en = "Yes" },
  { code = "No Way", name_zh = "否", name_en = "No" },
  { code = "yes", name_zh = "是的", name_en = "Yes indeed" },
]"""


def test_bad_choice_is_found_inside_a_multi_line_array() -> None:
    text = edit('type = "text"', CHOICES.replace('"yes", name_zh = "是的"', '"maybe", name_zh = "是的"'))
    assert problems(text) == {("bad.toml", line_with(text, "No Way"))}


def test_duplicate_choice_code() -> None:
    text = edit('type = "text"', CHOICES.replace("No Way", "no"))
    assert problems(text) == {("bad.toml", line_with(text, 'code = "yes"', occurrence=2))}


def test_cycle_is_reported_at_the_stage_that_closes_it() -> None:
    text = edit('department = "marketing"\n', 'department = "marketing"\nprerequisites = ["b"]\n')
    with pytest.raises(InvalidCatalogue) as caught:
        parse_catalogue(text, "bad.toml")
    [problem] = caught.value.problems
    assert problem.line == line_with(text, 'prerequisites = ["b"]')
    assert "a → b → a" in problem.message_zh


def test_stage_limit_beyond_the_overall_limit() -> None:
    text = edit("limit = { working_days = 2 }", "limit = { working_days = 4 }")
    found = problems(text)
    assert ("bad.toml", line_with(text, "working_days = 4")) in found
    assert ("bad.toml", line_with(text, "[types.time_limit]")) in found  # the path is too long as well


def test_critical_path_beyond_the_overall_limit() -> None:
    text = edit("[[types]]", STAGE_C + "[[types]]", edit('clock_stops_at = "b"', 'clock_stops_at = "c"'))
    with pytest.raises(InvalidCatalogue) as caught:
        parse_catalogue(text, "bad.toml")
    [problem] = caught.value.problems  # each stage fits; only their chain does not
    assert problem.line == line_with(text, "[types.time_limit]")
    assert "甲 → 乙 → 丙" in problem.message_zh and "4个工作日" in problem.message_zh


def test_stages_after_the_clock_may_exceed_the_overall_limit() -> None:
    text = edit("[[types]]", STAGE_C.replace("working_days = 2", "working_days = 9") + "[[types]]")
    assert parse_catalogue(text).ticket_type("thing").workflow.stage("c").limit is not None


@pytest.mark.parametrize(("block_start", "marker"), [
    ("[[types]]", 'code = "thing"'),
    ("[[materials]]", 'code = "identity"'),
])
def test_duplicate_codes(block_start: str, marker: str) -> None:
    start = BASE.index(block_start)
    end = BASE.index("\n\n[", start) if block_start != "[[types]]" else len(BASE)  # a type ends with its limit
    text = BASE + "\n" + BASE[start:end] + "\n"
    assert problems(text) == {("bad.toml", line_with(text, marker, occurrence=2))}


def test_duplicate_stage_code() -> None:
    text = edit('code = "b"', 'code = "a"')
    assert ("bad.toml", line_with(text, 'code = "a"', occurrence=2)) in problems(text)


def test_missing_catalogue_table() -> None:
    text = BASE.replace('[catalogue]\nversion = "t1"\neffective = 2025-01-01\n', "")
    assert problems(text) == {("bad.toml", 1)}


def test_files_refer_to_each_other_and_errors_name_the_right_file() -> None:
    split = BASE.index("[[types]]")
    head, types = BASE[:split], BASE[split:]
    parsed = parse_catalogue_files({"a.toml": head, "b.toml": types})
    assert parsed.ticket_type("thing").workflow.code == "flow"
    bad_types = types.replace('channels = ["hall"]', 'channels = ["pigeon"]')
    with pytest.raises(InvalidCatalogue) as caught:
        parse_catalogue_files({"a.toml": head, "b.toml": bad_types})
    assert [(p.filename, p.line) for p in caught.value.problems] == [("b.toml", line_with(bad_types, "pigeon"))]
