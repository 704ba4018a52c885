"""Two roster versions compared shift by shift (`app_support.compare`), against hand-made
versions whose differences are known."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as hs

from app_support.compare import compare_rosters
from app_support.i18n import t

TZ = "Europe/Copenhagen"
MON, TUE = dt.date(2026, 12, 7), dt.date(2026, 12, 8)


def tl(key: str, **values: object) -> str:
    return t(key, "da", **values)


def day(agent: str, when: dt.date, start="08:00", lunch="12:00", end="16:00") -> list[tuple]:
    def ts(clock: str) -> pd.Timestamp:
        return pd.Timestamp(f"{when} {clock}", tz=TZ)

    after_lunch = (ts(lunch) + pd.Timedelta(minutes=30)).strftime("%H:%M")
    return [
        (agent, when, ts(start), ts(lunch), "phone"),
        (agent, when, ts(lunch), ts(after_lunch), "lunch"),
        (agent, when, ts(after_lunch), ts(end), "phone"),
    ]


def roster(*days: list[tuple]) -> pd.DataFrame:
    rows = [row for d in days for row in d]
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


def test_moved_added_and_removed_days_are_listed_in_words() -> None:
    before = roster(day("A01", MON), day("A02", MON), day("A03", TUE))
    after = roster(day("A01", MON, lunch="12:30"), day("A02", MON), day("A04", TUE))
    diff = compare_rosters(before, after, tl)
    assert diff.to_dict("records") == [
        {
            "agent_id": "A01",
            "date": MON,
            "change": "changed",
            "before": "08:00-16:00 · frokost 12:00",
            "after": "08:00-16:00 · frokost 12:30",
        },
        {
            "agent_id": "A03",
            "date": TUE,
            "change": "removed",
            "before": "08:00-16:00 · frokost 12:00",
            "after": "",
        },
        {
            "agent_id": "A04",
            "date": TUE,
            "change": "added",
            "before": "",
            "after": "08:00-16:00 · frokost 12:00",
        },
    ]


@settings(max_examples=40, deadline=None)
@given(hs.permutations(list(range(9))), hs.sampled_from(["08:00", "08:15", "09:00"]))
def test_row_order_does_not_matter_and_one_change_is_one_line(order, start) -> None:
    base = roster(day("A01", MON), day("A02", MON), day("A03", MON))
    shuffled = base.iloc[list(order)].reset_index(drop=True)
    assert compare_rosters(base, shuffled, tl).empty
    moved = roster(day("A01", MON), day("A02", MON, start=start), day("A03", MON))
    diff = compare_rosters(base, moved, tl)
    assert len(diff) == (start != "08:00")
