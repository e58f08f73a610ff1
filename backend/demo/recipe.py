"""The demo recipe (resources/demo/*.toml) read into typed, immutable values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import accumulate
from typing import Any

from domain.errors import CatalogueError, InvalidInput

RECIPE_PACKAGE = "resources.demo"


@dataclass(frozen=True)
class Town:
    name: str
    area_class: str
    weight: int
    x_km: float
    y_km: float


@dataclass(frozen=True)
class County:
    name: str
    office_name: str
    office_code: str
    letters: str
    region_code: str
    account_prefix: str
    phone_area: str
    towns: tuple[Town, ...]


@dataclass(frozen=True)
class Places:
    prefecture: str
    prefecture_region_code: str
    newcomer_region_code: str
    counties: tuple[County, ...]
    streets: tuple[str, ...]
    compounds: tuple[str, ...]
    parks: tuple[str, ...]
    village_first: str
    village_second: str
    villages_per_town: tuple[int, int]
    groups_max: int


@dataclass(frozen=True)
class Names:
    surnames: tuple[str, ...]
    surname_cum_weights: tuple[int, ...]
    male_older: str
    male_modern: str
    female_older: str
    female_modern: str
    single_char_share: float
    brands: tuple[str, ...]
    hv_industries: tuple[str, ...]
    hv_suffixes: tuple[str, ...]
    public_bodies: tuple[str, ...]
    shops: tuple[str, ...]
    cooperatives: tuple[str, ...]


@dataclass(frozen=True)
class StaffAccount:
    username: str
    display_name: str
    office: int  # 1-based position of the county in places.toml
    role: str
    department: str | None
    title_zh: str
    title_en: str


@dataclass(frozen=True)
class Accounts:
    password: str
    accounts: tuple[StaffAccount, ...]


def _read(name: str) -> dict[str, Any]:
    try:
        text = files(RECIPE_PACKAGE).joinpath(name).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"演示数据配方 {name} 无法读取：{error}", f"demo recipe {name} is unreadable: {error}") from error


def _broken(name: str, error: Exception) -> CatalogueError:
    return CatalogueError(f"演示数据配方 {name} 有误：{error!r}", f"demo recipe {name} is invalid: {error!r}")


@cache
def places() -> Places:
    doc = _read("places.toml")
    try:
        counties = tuple(
            County(
                name=c["name"],
                office_name=c["office_name"],
                office_code=c["office_code"],
                letters=c["letters"],
                region_code=c["region_code"],
                account_prefix=c["account_prefix"],
                phone_area=c["phone_area"],
                towns=tuple(
                    Town(t["name"], t["area_class"], int(t["weight"]), float(t["x_km"]), float(t["y_km"]))
                    for t in c["town"]
                ),
            )
            for c in doc["county"]
        )
        village = doc["village"]
        return Places(
            prefecture=doc["prefecture"]["name"],
            prefecture_region_code=doc["prefecture"]["region_code"],
            newcomer_region_code=doc["prefecture"]["newcomer_region_code"],
            counties=counties,
            streets=tuple(doc["urban"]["streets"]),
            compounds=tuple(doc["urban"]["compounds"]),
            parks=tuple(doc["urban"]["parks"]),
            village_first="".join(village["first"]),
            village_second="".join(village["second"]),
            villages_per_town=(int(village["per_town_min"]), int(village["per_town_max"])),
            groups_max=int(village["groups_max"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _broken("places.toml", error) from error


def county(office_code: str) -> County:
    """The county whose office has this code."""
    for found in places().counties:
        if found.office_code == office_code:
            return found
    raise InvalidInput(
        f"演示数据中没有编码为 {office_code} 的营业厅", f"the demo has no office with code {office_code}", field="office"
    )


@cache
def names() -> Names:
    doc = _read("names.toml")
    try:
        surnames = doc["surnames"]
        given = doc["given"]
        enterprise = doc["enterprise"]
        return Names(
            surnames=tuple(surnames),
            surname_cum_weights=tuple(accumulate(int(w) for w in surnames.values())),
            male_older=given["male"]["older"],
            male_modern=given["male"]["modern"],
            female_older=given["female"]["older"],
            female_modern=given["female"]["modern"],
            single_char_share=float(doc["single_char_share"]),
            brands=tuple(enterprise["brands"]),
            hv_industries=tuple(enterprise["hv_industries"]),
            hv_suffixes=tuple(enterprise["hv_suffixes"]),
            public_bodies=tuple(enterprise["public_bodies"]),
            shops=tuple(enterprise["shops"]),
            cooperatives=tuple(enterprise["cooperatives"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _broken("names.toml", error) from error


@cache
def accounts() -> Accounts:
    doc = _read("accounts.toml")
    try:
        return Accounts(
            password=doc["password"],
            accounts=tuple(
                StaffAccount(
                    username=a["username"],
                    display_name=a["display_name"],
                    office=int(a["office"]),
                    role=a["role"],
                    department=a.get("department"),
                    title_zh=a["title_zh"],
                    title_en=a["title_en"],
                )
                for a in doc["account"]
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _broken("accounts.toml", error) from error


@dataclass(frozen=True)
class TicketMix:
    """How often one catalogue ticket type occurs, on which channels, raised by whom, saying what."""

    code: str
    weight: int
    who: str
    channels: tuple[tuple[str, int], ...]
    summaries: tuple[str, ...]
    summaries_by: dict[str, dict[str, tuple[str, ...]]]  # field -> choice -> summaries
    anonymous_share: float
    extras: dict[str, tuple[str, ...]]  # values of other fields by field name, e.g. damaged_items


@dataclass(frozen=True)
class TicketRecipe:
    types: tuple[TicketMix, ...]
    chase_share: float
    chase_summaries: tuple[str, ...]
    contacts: dict[str, tuple[str, ...]]  # interaction type -> summaries
    internal_notes: tuple[str, ...]
    customer_notes: tuple[str, ...]
    stage_results: dict[str, tuple[str, ...]]
    slowdown: Slowdown | None = None
    info_requests: InfoRequestRecipe | None = None


@dataclass(frozen=True)
class InfoRequestRecipe:
    """How often a stage asks again (补充材料/信息), and what staff wrote when it did."""

    customer_share: float
    department_share: float
    met_share: float
    customer_reasons: tuple[str, ...]
    customer_details: tuple[str, ...]
    department_reasons: tuple[str, ...]
    department_details: tuple[str, ...]
    met_notes: tuple[str, ...]


@dataclass(frozen=True)
class Slowdown:
    """A stage that, opened in the last `days` days, took a share of its time limit drawn from `share_of_limit`
    instead of the usual mostly-quick spread (the demo's story behind its one anomaly alert)."""

    stage: str
    days: int
    share_of_limit: tuple[float, float]
    story: str


_MIX_KEYS = {"code", "weight", "who", "channels", "summaries", "summaries_by", "anonymous_share"}


@cache
def tickets() -> TicketRecipe:
    doc = _read("tickets.toml")
    try:
        types = tuple(
            TicketMix(
                code=t["code"],
                weight=int(t["weight"]),
                who=t["who"],
                channels=tuple((str(c), int(w)) for c, w in t["channels"].items()),
                summaries=tuple(t["summaries"]),
                summaries_by={
                    field: {choice: tuple(texts) for choice, texts in by_choice.items()}
                    for field, by_choice in t.get("summaries_by", {}).items()
                },
                anonymous_share=float(t.get("anonymous_share", 0.0)),
                extras={k: tuple(v) for k, v in t.items() if k not in _MIX_KEYS},
            )
            for t in doc["type"]
        )
        return TicketRecipe(
            types=types,
            chase_share=float(doc["chase"]["share"]),
            chase_summaries=tuple(doc["chase"]["summaries"]),
            contacts={k: tuple(v) for k, v in doc["contact"].items()},
            internal_notes=tuple(doc["notes"]["internal"]),
            customer_notes=tuple(doc["notes"]["customer"]),
            stage_results={k: tuple(v) for k, v in doc["stage_results"].items()},
            slowdown=Slowdown(str(doc["slowdown"]["stage"]), int(doc["slowdown"]["days"]),
                              (float(doc["slowdown"]["share_of_limit"][0]), float(doc["slowdown"]["share_of_limit"][1])),
                              str(doc["slowdown"]["story"]))
            if "slowdown" in doc else None,
            info_requests=InfoRequestRecipe(
                customer_share=float(doc["info_requests"]["customer_share"]),
                department_share=float(doc["info_requests"]["department_share"]),
                met_share=float(doc["info_requests"]["met_share"]),
                **{name: tuple(str(text) for text in doc["info_requests"][name]) for name in (
                    "customer_reasons", "customer_details", "department_reasons", "department_details", "met_notes")},
            ) if "info_requests" in doc else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _broken("tickets.toml", error) from error
