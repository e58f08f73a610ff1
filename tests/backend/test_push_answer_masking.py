"""Found by the chaos soak (4 desks, seed 503, schedule 20): a department desk's push was answered with the
merged ticket's record and conflict values whole (ID number, phone), which its store then kept although its
pulls mask them. Push answers for a role that never verifies are masked as its pulls are."""

from __future__ import annotations

from backend.sync.pull import mask_results
from domain.sync import FieldConflict, MutationResult

FORM = {"customer_name": "赵某", "id_number": "110101196004149692", "address": "新村 172 号",
        "contact_phone": "13583627621", "requested_kw": 4}
RECORD = {"id": "t1", "office_id": "o1", "version": 1, "number": "GD20261207000036", "type_code": "connection_residential",
          "channel": "hall", "state": "accepted", "summary": "s", "fields": FORM}


def test_a_merged_ticket_answer_carries_its_form_masked_like_a_pull() -> None:
    mine = {**FORM, "id_number": "110101196804131124", "contact_phone": "13561829862"}
    result = MutationResult(mutation_id="m1", status="merged", entity="ticket", entity_id="t1", version=1,
                            record=dict(RECORD, fields=dict(FORM)),
                            conflicts=[FieldConflict(field="fields", base=dict(FORM), mine=mine, theirs=dict(FORM))])
    (masked,) = mask_results([result])
    assert masked.record is not None
    form = masked.record["fields"]
    assert form["id_number"] == "110101********9692" and form["contact_phone"] == "135****7621"
    assert form["address"] == "新村 172 号" and form["requested_kw"] == 4
    (conflict,) = masked.conflicts
    assert conflict.theirs["id_number"] == "110101********9692"
    assert conflict.mine["id_number"] == "110101********1124" and conflict.mine["contact_phone"] == "135****9862"
    assert result.record is not None and result.record["fields"]["id_number"] == FORM["id_number"]  # a copy


def test_a_result_without_record_or_conflicts_is_left_as_it_is() -> None:
    rejected = MutationResult(mutation_id="m2", status="rejected", entity="ticket", entity_id="t2", code="x")
    assert mask_results([rejected]) == [rejected]
