"""The grid as a service desk needs it: feeder (线路) → branch switch (分支开关) → transformer area (台区) → accounts.

A feeder is a root; a branch switch hangs from a feeder or from another branch switch; a transformer area
hangs from a feeder or a branch switch; accounts hang from transformer areas only. That is all the outage
rules need: which accounts lie downstream of a device, and the path from a 台区 up to its feeder.
`Grid.build` checks the whole picture and names every problem, so a bad import never half-loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import InvalidInput
from domain.language import pick


class DeviceKind(StrEnum):
    feeder = "feeder"
    branch = "branch"
    transformer = "transformer"

    def label(self, lang: str = "zh") -> str:
        return pick(*_KIND_LABELS[self], lang)


_KIND_LABELS = {DeviceKind.feeder: ("线路", "feeder"), DeviceKind.branch: ("分支开关", "branch switch"),
                DeviceKind.transformer: ("台区", "transformer area")}

# Which kinds a device of each kind may hang from (None: it is a root).
_PARENT_KINDS: dict[DeviceKind, frozenset[DeviceKind | None]] = {
    DeviceKind.feeder: frozenset({None}),
    DeviceKind.branch: frozenset({DeviceKind.feeder, DeviceKind.branch}),
    DeviceKind.transformer: frozenset({DeviceKind.feeder, DeviceKind.branch}),
}
MAX_NAME = 64


@dataclass(frozen=True)
class Device:
    id: str
    kind: DeviceKind
    parent_id: str | None
    name: str


@dataclass(frozen=True)
class ServicePoint:
    """An account's place in the grid: the 台区 it is fed from; important customers (hospitals, water works,
    data centres) are listed first inside an outage."""

    account_id: str
    transformer_id: str
    important: bool = False


@dataclass(frozen=True, eq=False)
class Grid:
    devices: Mapping[str, Device]
    points: Mapping[str, ServicePoint]
    _children: Mapping[str, tuple[str, ...]] = field(repr=False)
    _accounts: Mapping[str, tuple[str, ...]] = field(repr=False)  # device → accounts downstream, sorted

    @classmethod
    def build(cls, devices: Iterable[Device], points: Iterable[ServicePoint] = ()) -> Grid:
        """A checked grid, or InvalidInput naming every problem found (zh and en, one per line)."""
        by_id: dict[str, Device] = {}
        zh: list[str] = []
        en: list[str] = []

        def problem(message_zh: str, message_en: str) -> None:
            zh.append(message_zh)
            en.append(message_en)

        for device in devices:
            if not device.id or device.id in by_id:
                problem(f"设备编号「{device.id}」为空或重复", f"device id {device.id!r} is empty or repeated")
            elif not device.name.strip() or len(device.name) > MAX_NAME:
                problem(f"设备「{device.id}」的名称须为 1–{MAX_NAME} 个字",
                        f"device {device.id!r} needs a name of 1–{MAX_NAME} characters")
            by_id.setdefault(device.id, device)
        for device in by_id.values():
            parent = by_id.get(device.parent_id) if device.parent_id is not None else None
            if device.parent_id is not None and parent is None:
                problem(f"设备「{device.name}」的上级「{device.parent_id}」不存在",
                        f"device {device.id!r} hangs from unknown device {device.parent_id!r}")
            elif (parent.kind if parent else None) not in _PARENT_KINDS[device.kind]:
                above = parent.kind.label() if parent else "无"
                problem(f"{device.kind.label()}「{device.name}」不能挂在{above}下",
                        f"a {device.kind.label('en')} cannot hang from "
                        f"{'a ' + parent.kind.label('en') if parent else 'nothing'} ({device.id!r})")
        for device in by_id.values():  # branch switches may chain: look for loops
            seen, current = {device.id}, device.parent_id
            while current is not None and current in by_id:
                if current in seen:
                    problem(f"设备「{device.name}」处在环路中", f"device {device.id!r} lies on a loop")
                    break
                seen.add(current)
                current = by_id[current].parent_id
        points_by_account: dict[str, ServicePoint] = {}
        for point in points:
            target = by_id.get(point.transformer_id)
            if point.account_id in points_by_account:
                problem(f"户号「{point.account_id}」重复", f"account {point.account_id!r} is placed twice")
            elif target is None or target.kind is not DeviceKind.transformer:
                problem(f"户号「{point.account_id}」须挂在台区下", f"account {point.account_id!r} must hang from a "
                        f"transformer area, not {point.transformer_id!r}")
            points_by_account.setdefault(point.account_id, point)
        if zh:
            raise InvalidInput("\n".join(zh), "\n".join(en), field="topology")
        children: dict[str, list[str]] = {d: [] for d in by_id}
        for device in by_id.values():
            if device.parent_id is not None:
                children[device.parent_id].append(device.id)
        accounts: dict[str, list[str]] = {d: [] for d in by_id}
        for point in points_by_account.values():
            upward: str | None = point.transformer_id
            while upward is not None:
                accounts[upward].append(point.account_id)
                upward = by_id[upward].parent_id
        return cls(by_id, points_by_account, {d: tuple(sorted(c)) for d, c in children.items()},
                   {d: tuple(sorted(a)) for d, a in accounts.items()})

    def device(self, device_id: str) -> Device:
        found = self.devices.get(device_id)
        if found is None:
            raise InvalidInput(f"没有设备「{device_id}」", f"no device {device_id!r}", field="device_id")
        return found

    def children(self, device_id: str) -> tuple[str, ...]:
        return self._children.get(device_id, ())

    def path_up(self, device_id: str) -> list[str]:
        """The device, its parent, … up to its feeder."""
        path: list[str] = []
        current: str | None = self.device(device_id).id
        while current is not None:
            path.append(current)
            current = self.devices[current].parent_id
        return path

    def feeder_of(self, device_id: str) -> str:
        return self.path_up(device_id)[-1]

    def accounts_under(self, device_id: str) -> tuple[str, ...]:
        self.device(device_id)
        return self._accounts[device_id]

    def important_under(self, device_id: str) -> tuple[str, ...]:
        return tuple(a for a in self.accounts_under(device_id) if self.points[a].important)

    def transformers_under(self, device_id: str) -> list[str]:
        found, frontier = [], [self.device(device_id).id]
        while frontier:
            current = frontier.pop()
            if self.devices[current].kind is DeviceKind.transformer:
                found.append(current)
            frontier.extend(self.children(current))
        return sorted(found)

    def is_under(self, device_id: str, ancestor_id: str) -> bool:
        """Whether `device_id` is `ancestor_id` or lies downstream of it."""
        return ancestor_id in self.path_up(device_id)

    def transformer_of(self, account_id: str) -> str | None:
        point = self.points.get(account_id)
        return point.transformer_id if point else None
