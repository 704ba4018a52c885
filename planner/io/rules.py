"""Reading the shift rules (``rules.toml``): keys as `staffing.roster.rules.ShiftRules`.

A file that is not UTF-8 or not TOML, or a value the rules refuse, raises
`planner.errors.InputError` naming the file (and the key, as `ShiftRules.from_mapping` says).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.errors import InputError
from staffing.roster.rules import ShiftRules

__all__ = ["parse_rules", "read_rules"]


def parse_rules(text: str, *, name: str = "rules.toml") -> ShiftRules:
    """Shift rules from TOML text (keys as `staffing.roster.rules.ShiftRules`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML ({exc})") from None
    try:
        return ShiftRules.from_mapping(data)
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None


def read_rules(path: str | Path) -> ShiftRules:
    """Read shift rules from a TOML file (``data/rules.toml``)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path.name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path.name}: is a folder, expected a TOML file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; expected a TOML file") from None
    return parse_rules(text, name=path.name)
