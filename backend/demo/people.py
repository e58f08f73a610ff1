"""Who the demo customers are: names, resident IDs, phones, addresses and enterprise names."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import TypeVar

from backend.demo import ids
from backend.demo.recipe import County, Names, Places, Town

_MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199"]
_CHINESE_NUMBERS = "一二三四五六七八九十"
T = TypeVar("T")
_MAX_SEQUENCE = 499  # resident-ID sequence slots per sex, region and birth date


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as in 三组 or 十二组."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _CHINESE_NUMBERS[tens - 1] + "十"
    return head + (_CHINESE_NUMBERS[ones - 1] if ones else "")


def villages_of(town: Town, places: Places) -> tuple[str, ...]:
    """The villages of a town: a list fixed by the town's name, whatever the seed."""
    rng = random.Random(f"villages:{town.name}")
    low, high = places.villages_per_town
    found: list[str] = []
    while len(found) < rng.randint(low, high):
        name = rng.choice(places.village_first) + rng.choice(places.village_second) + "村"
        if name not in found:
            found.append(name)
    return tuple(found)


@dataclass
class PeopleMaker:
    """Draws people and places for one county from one seeded generator; remembers what must stay unique."""

    rng: random.Random
    county: County
    places: Places
    names: Names
    today: date
    _town_cum: list[int] = field(init=False)
    _villages: dict[str, tuple[str, ...]] = field(init=False)
    _resident_ids: ids.ResidentIds = field(init=False)
    _id_slots: dict[int, int] = field(init=False, default_factory=dict)
    _enterprise_names: set[str] = field(init=False, default_factory=set)
    _public_bodies_left: list[str] = field(init=False)
    _random: Callable[[], float] = field(init=False)

    def __post_init__(self) -> None:
        self._town_cum = list(accumulate(t.weight for t in self.county.towns))
        self._villages = {t.name: villages_of(t, self.places) for t in self.county.towns}
        self._resident_ids = ids.ResidentIds(self.county.region_code)
        self._public_bodies_left = list(self.names.public_bodies)
        self._random = self.rng.random

    # rng.choice and rng.randint cost several times more than one random() call; a million rows feel it.
    def pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def between(self, low: int, high: int) -> int:
        return low + int(self._random() * (high - low + 1))

    def town(self) -> tuple[int, Town]:
        index = bisect(self._town_cum, self._random() * self._town_cum[-1])
        return index, self.county.towns[index]

    def person_name(self, male: bool, birth_year: int) -> str:
        n, pick = self.names, self.pick
        surname = n.surnames[bisect(n.surname_cum_weights, self._random() * n.surname_cum_weights[-1])]
        older, modern = (n.male_older, n.male_modern) if male else (n.female_older, n.female_modern)
        pool = older if birth_year < 1975 else modern if birth_year >= 1990 else older + modern
        if self._random() < n.single_char_share:
            return surname + pick(pool)
        return surname + pick(pool) + pick(pool)

    def resident(self, min_age: int = 18, max_age: int = 88) -> tuple[str, str, date]:
        """A name, a resident ID unique in this county, and the birth date it encodes."""
        male = self._random() < 0.55  # account holders skew male in rural households
        today_ordinal = self.today.toordinal()
        while True:
            age_days = int(self.rng.triangular(min_age * 365.25, max_age * 365.25, 48 * 365.25))
            birth_ordinal = today_ordinal - age_days
            key = birth_ordinal * 2 + male
            slot = self._id_slots.get(key, 0)
            if slot < _MAX_SEQUENCE:
                break
        self._id_slots[key] = slot + 1
        # An affine step spreads the sequence numbers over 1..499 without repeating one.
        j = (slot * 211 + birth_ordinal * 7) % _MAX_SEQUENCE + 1
        number = self._resident_ids.number(birth_ordinal, 2 * j - 1 if male else 2 * j)
        birth = date.fromordinal(birth_ordinal)
        return self.person_name(male, birth.year), number, birth

    def mobile(self) -> str:
        return self.pick(_MOBILE_PREFIXES) + str(100_000_000 + int(self._random() * 100_000_000))[1:]

    def address(self, town: Town, area_class: str, customer_class: str = "03") -> str:
        pick, between, head = self.pick, self.between, self.county.name + town.name
        if customer_class == "01":
            return f"{head}{town.name[:-1]}{pick(self.places.parks)}{between(1, 60)}号"
        if area_class == "urban":
            if customer_class == "03" and self._random() < 0.45:
                building, unit, room = between(1, 24), between(1, 4), between(1, 18) * 100 + between(1, 4)
                return f"{head}{pick(self.places.compounds)}{building}栋{unit}单元{room}室"
            return f"{head}{pick(self.places.streets)}{between(1, 320)}号"
        village = pick(self._villages[town.name])
        group = chinese_number(between(1, self.places.groups_max))
        return f"{head}{village}{group}组{between(1, 120)}号"

    def enterprise(self, customer_class: str, town: Town) -> tuple[str, str]:
        """A unique enterprise name and its credit code: a company, public body, shop or cooperative."""
        rng, n, county, pick = self.rng, self.names, self.county, self.pick
        town_short = town.name[:-1]
        if customer_class == "01":
            if self._public_bodies_left and self._random() < 0.08:
                name = county.name + self._public_bodies_left.pop(rng.randrange(len(self._public_bodies_left)))
                return name, ids.credit_code("12", county.region_code, rng)
            kind = "91"

            def draw() -> str:
                return county.name + pick(n.brands) + pick(n.hv_industries) + pick(n.hv_suffixes)
        else:
            u = self._random()
            kind = "93" if u < 0.08 else "91" if u < 0.3 else "92"

            def draw() -> str:
                if kind == "93":
                    return town.name + pick(self._villages[town.name]) + pick(n.cooperatives)
                owner = pick(n.surnames[:60]) + "记" if self._random() < 0.35 else pick(n.brands)
                return town_short + owner + pick(n.shops)

        name = self._unique(draw)
        return name, ids.credit_code(kind, county.region_code, rng)

    def _unique(self, draw: Callable[[], str]) -> str:
        for _ in range(6):
            name = draw()
            if name not in self._enterprise_names:
                break
        else:
            # The name parts are exhausted (very large runs): a numbered branch is still a distinct name.
            base, k = name, 2
            while (name := f"{base}第{k}分部") in self._enterprise_names:
                k += 1
        self._enterprise_names.add(name)
        return name
