"""Two versions of a roster side by side: who works differently, shift by shift.

A *shift* here is one agent's day: its blocks (activity, start, end). Two versions differ on an
agent-day when the blocks differ in any way (a start moved by five minutes, a lunch moved, a
meeting cancelled, absence registered); the table says what the day was and what it is, in
the words of the week view (`app_support.week.cell_text`: ``08:00-16:00 · frokost 12:00``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from app_support.week import cell_text

__all__ = ["CHANGES", "compare_rosters"]

#: The kinds of change, in the order the table lists them.
CHANGES = ("changed", "added", "removed")

Translator = Callable[..., str]


def _days(roster: pd.DataFrame) -> dict[tuple[str, dt.date], pd.DataFrame]:
    frame = roster.assign(
        agent_id=roster["agent_id"].astype(str),
        date=pd.to_datetime(roster["date"]).dt.date,
    )
    return {
        (str(agent), day): rows.sort_values("start")
        for (agent, day), rows in frame.groupby(["agent_id", "date"], sort=True)
    }


def _blocks(rows: pd.DataFrame) -> frozenset[tuple[str, pd.Timestamp, pd.Timestamp]]:
    return frozenset(
        (str(a), pd.Timestamp(s), pd.Timestamp(e))
        for a, s, e in zip(rows["activity"], rows["start"], rows["end"])
    )


def compare_rosters(before: pd.DataFrame, after: pd.DataFrame, tl: Translator) -> pd.DataFrame:
    """The agent-days that differ between ``before`` and ``after``.

    Columns ``agent_id, date, change, before, after``: ``change`` is ``changed`` (both versions
    plan the day, differently), ``added`` (only ``after`` has rows that day) or ``removed``;
    ``before``/``after`` are the day in words (empty where the version has no rows). Sorted by
    date, then agent. ``tl`` translates the week view's words (`app_support.shell.translator`).
    """
    old, new = _days(before), _days(after)
    rows = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        was, now = old.get(key), new.get(key)
        if was is not None and now is not None and _blocks(was) == _blocks(now):
            continue
        change = "changed" if was is not None and now is not None else "added"
        if now is None:
            change = "removed"
        rows.append(
            {
                "agent_id": key[0],
                "date": key[1],
                "change": change,
                "before": cell_text(was, tl) if was is not None else "",
                "after": cell_text(now, tl) if now is not None else "",
            }
        )
    return pd.DataFrame(rows, columns=["agent_id", "date", "change", "before", "after"])
