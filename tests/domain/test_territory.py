"""The territory (辖区) of a ticket's site, read from the intake address."""

from __future__ import annotations

from domain.territory import territory_from_address, ticket_territory

TOWNS = ["岚城镇", "河口镇", "青龙乡", "城镇"]


def test_the_longest_named_territory_in_the_address_wins() -> None:
    assert territory_from_address("岚川县岚城镇滨河路12号", TOWNS) == "岚城镇"
    assert territory_from_address("岚川县某地", TOWNS) is None
    assert territory_from_address("", TOWNS) is None


def test_the_account_address_comes_before_the_form_and_the_customer() -> None:
    fields = {"address": "岚川县河口镇一组3号"}
    assert ticket_territory(fields, "岚川县青龙乡二组1号", "岚川县岚城镇1号", TOWNS) == "青龙乡"
    assert ticket_territory(fields, None, "岚川县岚城镇1号", TOWNS) == "河口镇"
    assert ticket_territory({}, "不在辖区内", "岚川县岚城镇1号", TOWNS) == "岚城镇"
    assert ticket_territory(None, None, None, TOWNS) is None
