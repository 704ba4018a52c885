"""Parsing of the small values every file and table carries: clock times, dates, skill lists.

One definition each, used by the readers at the door (`planner.io`), the roster, the
simulation and the calendar. Each raises `ValueError` with a plain sentence that echoes the
value; callers add the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

__all__ = ["WEEKDAYS", "is_blank", "parse_clock", "parse_date", "parse_skills", "split_list"]

#: Weekday names accepted in rules and agents' preferences (0 = Monday).
WEEKDAYS: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_MINUTES_PER_DAY = 24 * 60


def is_blank(value: Any) -> bool:
    """True for None, NaN/NaT and empty or white-space text: a cell with nothing in it.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", "A01", 0)]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN, pandas.NA and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def parse_clock(value: str | dt.time) -> int:
    """Minutes after midnight of a clock time ``"HH:MM"`` (``"24:00"`` allowed for midnight).

    Also ``"HH.MM"`` (a Danish way to write it), ``"HH:MM:SS"`` (seconds dropped, as Excel
    writes a time cell) and a `datetime.time`.

    >>> parse_clock("07:30"), parse_clock("16.00"), parse_clock(dt.time(9, 15))
    (450, 960, 555)
    """
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    text = str(value).strip().replace(".", ":")
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"clock time must look like 'HH:MM'; got {value!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    total = hours * 60 + minutes
    if minutes >= 60 or total > _MINUTES_PER_DAY:
        raise ValueError(f"clock time must be between 00:00 and 24:00; got {value!r}")
    return total


def parse_date(value: Any, name: str = "date") -> dt.date:
    """A calendar date from ``YYYY-MM-DD`` text, a `datetime.date` or a timestamp.

    ``name`` names the value in the message of the `ValueError` a non-date raises.

    >>> parse_date("2026-03-02"), parse_date(dt.datetime(2026, 3, 2, 10, 15))
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 2))
    """
    if isinstance(value, dt.datetime):  # pandas.Timestamp included
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2026-03-02; got {value!r}") from None


def split_list(value: Any, sep: str = ";") -> list[str]:
    """The items of a ``;``-separated cell (or of a list), stripped, blanks dropped.

    A blank cell (None, NaN, empty text) is an empty list, never an item called "nan".

    >>> split_list("Dagpenge; Kontanthjælp;"), split_list(float("nan")), split_list(["A", " "])
    (['Dagpenge', 'Kontanthjælp'], [], ['A'])
    """
    if isinstance(value, str):
        items: Iterable[Any] = value.split(sep)
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    elif hasattr(value, "tolist") and not is_blank(value):  # a numpy array
        items = value.tolist()
    elif is_blank(value):
        return []
    else:
        items = str(value).split(sep)
    return [str(item).strip() for item in items if not is_blank(item)]


def parse_skills(value: Any) -> list[str]:
    """An agent's skills in order (first listed = primary), each once.

    >>> parse_skills("Dagpenge;Kontanthjælp;Dagpenge")
    ['Dagpenge', 'Kontanthjælp']
    """
    return list(dict.fromkeys(split_list(value)))
