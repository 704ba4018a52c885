"""Reading the shift rules (``rules.toml``): keys as `staffing.roster.rules.ShiftRules`.

A file that is not UTF-8 or not TOML (nested lists or tables a thousand deep included), or a
value the rules refuse, raises `planner.errors.InputError` with one line naming the file and
the key, what was found and what was expected (`ShiftRules.from_mapping` checks every key's
type and range). Personal data in a key or value is refused without being shown
(`planner.io.pii.check_personal_document`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.errors import InputError
from planner.io.pii import check_personal_document
from staffing.roster.rules import ShiftRules

__all__ = ["parse_rules", "read_rules"]


def parse_rules(text: str, *, name: str = "rules.toml") -> ShiftRules:
    """Shift rules from TOML text (keys as `staffing.roster.rules.ShiftRules`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML ({exc})") from None
    except RecursionError:  # Python's TOML parser recurses once per level of nesting
        raise InputError(
            f"{name}: lists or tables nested too deeply; a rules file nests at most a few levels"
        ) from None
    # personal data is refused before any key or value can reach a message
    check_personal_document(data, name=name)
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
