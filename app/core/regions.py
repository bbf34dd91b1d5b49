"""Administrative-division codes: levels, parents and the prefix rule for region scope."""

from __future__ import annotations

import re

LEVELS = ("province", "city", "county", "township", "village")
_CODE_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


def is_region_code(code: str) -> bool:
    return bool(_CODE_RE.match(code or ""))


def level_of(code: str) -> str:
    if len(code) == 12:
        return "village"
    if len(code) == 9:
        return "township"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def scope_prefix(code: str) -> str:
    """The prefix every code inside this region starts with: 410000 → 41, 410100 → 4101."""
    level = level_of(code)
    if level == "province":
        return code[:2]
    if level == "city":
        return code[:4]
    return code


def within(scope_code: str, code: str | None) -> bool:
    """Is `code` inside the region `scope_code`? Region scope is a prefix match."""
    return bool(code) and code.startswith(scope_prefix(scope_code))


def parent_candidates(code: str) -> list[str]:
    """Possible parents, nearest first (a county's city may be missing, e.g. 省直辖县)."""
    level = level_of(code)
    if level == "village":
        return [code[:9], code[:6], code[:4] + "00", code[:2] + "0000"]
    if level == "township":
        return [code[:6], code[:4] + "00", code[:2] + "0000"]
    if level == "county":
        return [code[:4] + "00", code[:2] + "0000"]
    if level == "city":
        return [code[:2] + "0000"]
    return []
