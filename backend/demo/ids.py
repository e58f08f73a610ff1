"""Identifiers for demo rows: UUIDv7 ids drawn from a seeded generator, ID numbers and credit codes."""

from __future__ import annotations

import random
from datetime import date, datetime

from domain.identity import CREDIT_CODE_ALPHABET, credit_code_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK_CHARS = "10X98765432"
_MILLIS_MASK = (1 << 48) - 1
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_B_MASK = (1 << 62) - 1


def uuid7(millis: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562, the layout of `uuid6.uuid7`) at `millis` whose 74 random bits come from `rng`."""
    rand = rng.getrandbits(74)
    value = (millis & _MILLIS_MASK) << 80 | _VERSION_7 | (rand >> 62) << 64 | _VARIANT | (rand & _RAND_B_MASK)
    h = value.to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7_at(rng: random.Random, at: datetime) -> str:
    return uuid7(int(at.timestamp() * 1000), rng)


class ResidentIds:
    """Builds 18-character resident IDs (GB 11643) of one region.

    The check character follows domain.identity.resident_id_check_char, summed in parts that are
    cached: calling that validating function per row would add seconds to a million-row run.
    """

    def __init__(self, region_code: str) -> None:
        self._region = region_code
        self._region_sum = sum(int(d) * w for d, w in zip(region_code, _RESIDENT_WEIGHTS[:6], strict=True))
        self._dates: dict[int, tuple[str, int]] = {}
        self._sequences = [
            (f"{s:03d}", sum(int(d) * w for d, w in zip(f"{s:03d}", _RESIDENT_WEIGHTS[14:], strict=True)))
            for s in range(1000)
        ]

    def number(self, birth_ordinal: int, sequence: int) -> str:
        """The ID of the person born on `birth_ordinal` with `sequence` 1..999 (odd for men, even for women)."""
        cached = self._dates.get(birth_ordinal)
        if cached is None:
            digits = f"{date.fromordinal(birth_ordinal):%Y%m%d}"
            cached = digits, sum(int(d) * w for d, w in zip(digits, _RESIDENT_WEIGHTS[6:14], strict=True))
            self._dates[birth_ordinal] = cached
        seq_digits, seq_sum = self._sequences[sequence]
        check = _RESIDENT_CHECK_CHARS[(self._region_sum + cached[1] + seq_sum) % 11]
        return self._region + cached[0] + seq_digits + check


def organisation_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 body characters and their check character."""
    # Letters a credit code cannot carry (I O S V Z) are left out; a letter's value is its base-36 digit.
    body = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(8))
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(kind: str, region_code: str, rng: random.Random) -> str:
    """A unified social credit code (GB 32100); `kind` is the 2-character authority and body type, e.g. "91"."""
    first17 = f"{kind}{region_code}{organisation_code(rng)}"
    return first17 + credit_code_check_char(first17)


SCRAMBLE_SPACE = _PERMUTATION_PRIME = 9_999_991  # the largest prime below 10**7, and 3 mod 4


def _quadratic_residue(x: int) -> int:
    # For a prime p = 3 (mod 4) this maps range(p) onto itself one-to-one (Preshing's trick).
    r = x * x % _PERMUTATION_PRIME
    return r if 2 * x <= _PERMUTATION_PRIME else _PERMUTATION_PRIME - r


def scramble(index: int, key: int) -> int:
    """The `index`-th of a keyed shuffle of range(9_999_991): unique 7-digit numbers that do not look sequential."""
    first = _quadratic_residue((index + key) % _PERMUTATION_PRIME)
    return _quadratic_residue((first + (key >> 24)) % _PERMUTATION_PRIME)
