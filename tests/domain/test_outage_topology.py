"""The grid model: checked whole, every problem named; downstream accounts and paths up."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint
from tests.domain.outage_grid import DEVICES, grid

F, B, T = DeviceKind.feeder, DeviceKind.branch, DeviceKind.transformer


def test_downstream_accounts_and_paths() -> None:
    g = grid()
    assert g.path_up("T4") == ["T4", "B2", "F1"]
    assert g.feeder_of("T7") == "F2"
    assert len(g.accounts_under("F1")) == 120 and len(g.accounts_under("B1")) == 60
    assert g.accounts_under("T2")[0] == "T2-01"
    assert g.important_under("F1") == ("T1-01",) and g.important_under("B2") == ()
    assert g.transformers_under("F1") == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert g.children("F1") == ("B1", "B2", "T6")
    assert g.is_under("T5", "F1") and not g.is_under("T5", "B1") and g.is_under("B1", "B1")
    assert g.transformer_of("T8-20") == "T8" and g.transformer_of("nobody") is None


def test_branch_switches_may_chain() -> None:
    g = Grid.build([Device("F", F, None, "线"), Device("B", B, "F", "分支"), Device("BB", B, "B", "二级分支"),
                    Device("T", T, "BB", "台区")], [ServicePoint("a", "T")])
    assert g.path_up("T") == ["T", "BB", "B", "F"] and g.accounts_under("F") == ("a",)


@pytest.mark.parametrize(("devices", "points", "needle"), [
    ([Device("F", F, "X", "线")], [], "unknown device"),
    ([Device("F", F, None, "线"), Device("T", T, None, "台区")], [], "cannot hang from nothing"),
    ([Device("F", F, None, "线"), Device("T", T, "F", "台区"), Device("T2", T, "T", "台区")], [],
     "cannot hang from a transformer area"),
    ([Device("F", F, None, "线"), Device("B", B, "C", "b"), Device("C", B, "B", "c")], [], "loop"),
    ([Device("F", F, None, "线"), Device("F", F, None, "线")], [], "repeated"),
    ([Device("F", F, None, " ")], [], "needs a name"),
    ([Device("F", F, None, "线"), Device("B", B, "F", "b")], [ServicePoint("a", "B")], "must hang from a transformer"),
    ([Device("F", F, None, "线"), Device("T", T, "F", "t")], [ServicePoint("a", "T"), ServicePoint("a", "T")],
     "placed twice"),
])
def test_a_bad_grid_is_refused_with_every_problem_named(devices: list[Device], points: list[ServicePoint],
                                                        needle: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Grid.build(devices, points)
    assert needle in caught.value.message_en
    assert caught.value.field == "topology"


def test_every_problem_is_reported_at_once() -> None:
    bad = [*DEVICES, Device("T9", T, "T1", "9号台区"), Device("B9", B, "nowhere", "9号分支")]
    with pytest.raises(InvalidInput) as caught:
        Grid.build(bad)
    assert len(caught.value.message_zh.splitlines()) == 2


def test_an_unknown_device_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no device 'X9'"):
        grid().accounts_under("X9")
