"""The conflicts inbox masks identity values like the customer card (issue 13, item 15)."""

from __future__ import annotations

from desktop.conflicts_dialog import shown
from domain.masking import mask_phone, mask_resident_id

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


def test_identity_values_in_a_conflict_are_masked() -> None:
    assert shown(ID_NUMBER, "customer", "id_number") == mask_resident_id(ID_NUMBER)
    for field in ("phone", "caller_number", "contact_phone"):
        assert shown(MOBILE, "customer", field) == mask_phone(MOBILE)
    assert ID_NUMBER not in shown({"id_number": ID_NUMBER}, "customer", "fields")
    assert "李" in shown("李雷", "customer", "name")  # a name is the staff member's own text, shown in full
