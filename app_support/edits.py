"""Hand edits of a roster, their undo and redo, and what the Vagtplan page needs to judge them.

Every edit is a pure function: a roster (the contract of `centre.contracts`: one row per agent
and activity block, ``agent_id, date, start, end, activity``, times tz-aware Europe/Copenhagen)
in, a new roster out; the input is never changed. An edit does what the planner asked even when
the result breaks a shift rule (a shift moved to 14:00-22:00, a lunch outside its window): the
independent checker (`staffing.roster.check.check_roster`, through `app_support.plan.check`)
judges the result, and the page refuses to publish a roster with errors. An edit refuses only
what the roster contract cannot hold or what would lose planned work without being asked: a
shift that is not there, an end before its start, a lunch or meeting moved on top of another
meeting or lunch (``ValueError`` with one line, shown by the page as it is).

- `move_shift`: the agent-day's work, every block, moved to a new start (its length kept);
- `set_shift_times`: a new start and end; blocks inside stay, blocks across an edge are cut,
  phone time fills the rest, and a lunch cut off is placed again by the rules;
- `move_lunch`: the lunch to a new start (its length kept); its old place becomes phone time;
- `move_meeting`, `cancel_meeting`: a meeting or training block moved (its length kept) or
  cancelled (phone time instead);
- `add_shift`: a shift for an agent on a day without one, on the phone, with a lunch placed by
  the rules when the shift needs one (`lunch_start`); an absence that day is replaced;
- `delete_shift`: the agent-day's work removed (an absence row stays);
- `mark_absent`: sick or on leave for a day or a range of days; one ``absence`` row per day
  over the opening hours replaces that day's work;
- `swap_agents`: two agents' days exchanged (shifts, lunches, meetings).

The roster contract has no queue column: an agent's queues are the agents table's skills, so an
added shift counts for the agent's queues in coverage, KPIs and the checker as any other.

Undo and redo: `EditHistory` is an immutable pair of bounded stacks (`UNDO_LIMIT` steps) of
whatever the page keeps as a snapshot (the roster and its note); an edit records the snapshot
before it, undo returns it and keeps the current one for redo. A check result belongs to the
exact roster it checked: `roster_hash` is a SHA-256 of the frame's columns, dtypes and values
(`pandas.util.hash_pandas_object`), so a roster moved back to what it was finds its own result,
never one of a roster with as many rows.

The checker writes its findings in English; `finding_text` and `rule_label` give them in the
planner's language (Danish written again from the message's parts: who, which day, the times
and numbers it names; a kind not known here keeps its English text behind the rule's name).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
import pandas as pd

from app_support.i18n import DEFAULT_LANGUAGE, TEXTS, number, short_date, t
from centre.contracts import ROSTER_COLUMNS
from centre.timezone import TZ
from staffing.roster.check import CheckReport, Violation
from staffing.roster.rules import ShiftRules

__all__ = [
    "UNDO_LIMIT",
    "WORK",
    "MEETINGS",
    "Block",
    "EditHistory",
    "roster_hash",
    "day_blocks",
    "shift_span",
    "meetings_of",
    "lunch_start",
    "opening_hours",
    "move_shift",
    "set_shift_times",
    "move_lunch",
    "move_meeting",
    "cancel_meeting",
    "add_shift",
    "delete_shift",
    "mark_absent",
    "swap_agents",
    "absence_days",
    "absence_as_unavailable",
    "changed_shifts",
    "findings_for",
    "publish_refusal",
    "rule_label",
    "finding_text",
]

#: The most edits the page can undo (older steps are forgotten).
UNDO_LIMIT = 50
#: Activities that are working time (an ``absence`` row is not).
WORK = ("phone", "off_phone", "break", "lunch", "meeting", "training")
#: Blocks a planner moves or cancels as meetings.
MEETINGS = ("meeting", "training")
#: Blocks an edit may paint over: time on the phone or on other tasks, given back to the plan.
_FILLER = ("phone", "off_phone")


@dataclass(frozen=True)
class Block:
    """One activity block of an agent's day: ``[start, end)``."""

    start: pd.Timestamp
    end: pd.Timestamp
    activity: str


# -- identity --------------------------------------------------------------------------------


def roster_hash(roster: pd.DataFrame) -> str:
    """A SHA-256 of the roster's content: column names and dtypes, and every value in order.

    Two frames with the same rows in the same order hash alike whatever their index; a frame
    with one time moved by a minute, or the same number of rows in another order, does not.

    >>> frame = pd.DataFrame({"agent_id": ["A"], "activity": ["phone"]})
    >>> roster_hash(frame) == roster_hash(frame.copy())
    True
    >>> roster_hash(frame) == roster_hash(frame.assign(activity="lunch"))
    False
    """
    frame = roster.reset_index(drop=True)
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    except TypeError:  # cells pandas cannot hash (lists in an agents table): their text
        digest.update(frame.to_csv(index=False).encode())
    return digest.hexdigest()


# -- reading an agent's day -------------------------------------------------------------------


def _day_rows(roster: pd.DataFrame, agent: str, day: dt.date) -> pd.Series:
    return (roster["agent_id"].astype(str) == str(agent)) & (roster["date"] == day)


def _local(value: Any) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(TZ) if stamp.tzinfo is None else stamp.tz_convert(TZ)


def _at(day: dt.date, clock: dt.time) -> pd.Timestamp:
    """``clock`` on ``day``, Copenhagen time (the spring's missing hour moves forward)."""
    naive = pd.Timestamp(dt.datetime.combine(day, clock.replace(second=0, microsecond=0)))
    return naive.tz_localize(TZ, nonexistent="shift_forward", ambiguous=True)


def _as_time(value: dt.time | pd.Timestamp | dt.datetime, day: dt.date) -> pd.Timestamp:
    if isinstance(value, dt.time):
        return _at(day, value)
    return _local(value)


def day_blocks(roster: pd.DataFrame, agent: str, day: dt.date) -> list[Block]:
    """The agent's blocks on ``day`` (absence included), sorted by start."""
    rows = roster[_day_rows(roster, agent, day)]
    blocks = [
        Block(_local(s), _local(e), str(a))
        for s, e, a in zip(rows["start"], rows["end"], rows["activity"], strict=True)
    ]
    return sorted(blocks, key=lambda b: (b.start, b.end))


def _work(blocks: Iterable[Block]) -> list[Block]:
    return [b for b in blocks if b.activity in WORK]


def shift_span(roster: pd.DataFrame, agent: str, day: dt.date) -> tuple[pd.Timestamp, ...]:
    """``(start, end)`` of the agent's work on ``day``; ``()`` when the agent does not work."""
    work = _work(day_blocks(roster, agent, day))
    if not work:
        return ()
    return (min(b.start for b in work), max(b.end for b in work))


def meetings_of(roster: pd.DataFrame, agent: str, day: dt.date) -> list[Block]:
    """The agent's meeting and training blocks on ``day``, by start."""
    return [b for b in day_blocks(roster, agent, day) if b.activity in MEETINGS]


def _need_shift(roster: pd.DataFrame, agent: str, day: dt.date) -> list[Block]:
    blocks = day_blocks(roster, agent, day)
    if not _work(blocks):
        raise ValueError(f"agent {agent} has no shift on {day}")
    return blocks


# -- writing an agent's day -------------------------------------------------------------------


def _clash(block: Block, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return block.start < end and start < block.end


def _paint(
    blocks: Sequence[Block],
    start: pd.Timestamp,
    end: pd.Timestamp,
    activity: str,
    *,
    over: Sequence[str] = _FILLER,
) -> list[Block]:
    """``blocks`` with ``[start, end)`` set to ``activity``; only blocks of ``over`` are cut.

    Raises ValueError naming the block in the way when any other block overlaps.
    """
    if not end > start:
        raise ValueError(
            f"a {activity} block must end after it starts; got {start:%H:%M}-{end:%H:%M}"
        )
    out: list[Block] = []
    for b in blocks:
        if not _clash(b, start, end):
            out.append(b)
            continue
        if b.activity not in over:
            raise ValueError(
                f"{activity} {start:%H:%M}-{end:%H:%M} would overlap the {b.activity} "
                f"{b.start:%H:%M}-{b.end:%H:%M}; move or cancel that first"
            )
        if b.start < start:
            out.append(Block(b.start, start, b.activity))
        if b.end > end:
            out.append(Block(end, b.end, b.activity))
    out.append(Block(start, end, activity))
    return _merge(out)


def _merge(blocks: Iterable[Block]) -> list[Block]:
    """Sorted, with touching phone blocks joined (as the optimizer writes them)."""
    out: list[Block] = []
    for b in sorted(blocks, key=lambda b: (b.start, b.end)):
        if out and b.activity == "phone" == out[-1].activity and out[-1].end == b.start:
            out[-1] = Block(out[-1].start, b.end, "phone")
        else:
            out.append(b)
    return out


def _replace_day(
    roster: pd.DataFrame, agent: str, day: dt.date, blocks: Sequence[Block]
) -> pd.DataFrame:
    """The roster with the agent's rows on ``day`` replaced by ``blocks``.

    The new rows take the place of the old ones (the other rows keep their order); a day that
    had no rows is added at the end, and a roster sorted by agent and start stays sorted.
    """
    mask = _day_rows(roster, agent, day).to_numpy()
    rows = pd.DataFrame(
        {
            "agent_id": [str(agent)] * len(blocks),
            "date": [day] * len(blocks),
            "start": [b.start for b in blocks],
            "end": [b.end for b in blocks],
            "activity": [b.activity for b in blocks],
        }
    )
    rows = _like(rows, roster)
    if mask.any():
        first = int(np.flatnonzero(mask)[0])
        keep = roster[~mask]
        cut = int((~mask[:first]).sum())
        out = pd.concat([keep.iloc[:cut], rows, keep.iloc[cut:]], ignore_index=True)
    else:
        out = pd.concat([roster, rows], ignore_index=True)
        if _sorted(roster):
            out = out.sort_values(["agent_id", "start"], kind="stable").reset_index(drop=True)
    return _like(out, roster)


def _like(frame: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the roster's columns (extra ones empty in new rows) and dtypes."""
    frame = frame.reindex(columns=list(roster.columns) or ROSTER_COLUMNS)
    for column in frame.columns:
        if column in roster and frame[column].dtype != roster[column].dtype:
            try:
                frame[column] = frame[column].astype(roster[column].dtype)
            except (TypeError, ValueError):
                pass  # an extra column of the roster that new rows leave empty
    return frame


def _sorted(roster: pd.DataFrame) -> bool:
    if len(roster) < 2:
        return True
    keys = list(zip(roster["agent_id"].astype(str), roster["start"], strict=True))
    return all(a <= b for a, b in zip(keys, keys[1:], strict=False))


# -- the lunch by the rules -------------------------------------------------------------------


def lunch_start(
    start: pd.Timestamp, end: pd.Timestamp, rules: ShiftRules | None
) -> list[pd.Timestamp]:
    """Where a shift ``[start, end)`` may have its lunch by the rules, best first.

    Empty when the shift needs no lunch (`ShiftRules.needs_lunch`). The window is the
    optimizer's (`staffing.roster.instance`): from ``lunch_earliest_after_start_minutes`` to
    ``lunch_latest_after_start_minutes`` after the start, ending at least one interval before
    the shift ends; the first candidate is the middle of the shift on the grid, then the others
    outwards from it. A shift too short for the window gets the middle alone.
    """
    rules = rules or ShiftRules()
    minutes = int((end - start).total_seconds() // 60)
    if not rules.needs_lunch(minutes):
        return []
    step, length = rules.interval_minutes, rules.lunch_minutes
    first = rules.lunch_earliest_after_start_minutes
    last = min(rules.lunch_latest_after_start_minutes, minutes - length - step)
    middle = int(round((minutes - length) / 2 / step)) * step
    if first > last:
        return [start + pd.Timedelta(minutes=middle)]
    best = min(max(middle, first), last)
    offsets = sorted(range(first, last + 1, step), key=lambda m: (abs(m - best), m))
    return [start + pd.Timedelta(minutes=m) for m in offsets]


def _place_lunch(blocks: list[Block], rules: ShiftRules | None) -> list[Block]:
    """``blocks`` (one shift, no lunch) with a lunch at the first free place of `lunch_start`."""
    work = _work(blocks)
    if not work:
        return blocks
    start, end = min(b.start for b in work), max(b.end for b in work)
    length = pd.Timedelta(minutes=(rules or ShiftRules()).lunch_minutes)
    for at in lunch_start(start, end, rules):
        try:
            return _paint(blocks, at, at + length, "lunch")
        except ValueError:
            continue  # a meeting there: the next place
    return blocks


# -- the edits --------------------------------------------------------------------------------


def move_shift(roster: pd.DataFrame, agent: str, day: dt.date, new_start: dt.time) -> pd.DataFrame:
    """The roster with ``agent``'s shift on ``day`` (all its blocks) moved to ``new_start``."""
    rows = _day_rows(roster, agent, day)
    working = rows & (roster["activity"] != "absence")
    if not working.any():
        raise ValueError(f"agent {agent} has no shift on {day} to move")
    old = roster.loc[working, "start"].min()
    target = _at(day, new_start)
    delta = target - old
    out = roster.copy()
    out.loc[working, "start"] = out.loc[working, "start"] + delta
    out.loc[working, "end"] = out.loc[working, "end"] + delta
    return out


def set_shift_times(
    roster: pd.DataFrame,
    agent: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    *,
    rules: ShiftRules | None = None,
) -> pd.DataFrame:
    """The agent's shift on ``day`` running ``start``-``end``.

    Blocks inside the new times stay where they are, blocks across its edges are cut, blocks
    outside it go, and phone time fills the rest. A lunch cut or dropped this way is placed
    again by the rules (`lunch_start`) when ``rules`` are given and the shift needs one.
    """
    blocks = _need_shift(roster, agent, day)
    s, e = _at(day, start), _at(day, end)
    if not e > s:
        raise ValueError(f"the shift must end after it starts; got {start:%H:%M}-{end:%H:%M}")
    lunch_lost = False
    out = [Block(s, e, "phone")]
    for b in _work(blocks):
        cut = Block(max(b.start, s), min(b.end, e), b.activity)
        whole = cut.start == b.start and cut.end == b.end
        if b.activity == "lunch" and not whole:
            lunch_lost = True
            if rules is not None:
                continue
        if cut.end > cut.start and b.activity != "phone":
            out = _paint(out, cut.start, cut.end, cut.activity, over=("phone",))
    out = _merge(out)
    if lunch_lost and rules is not None and not any(b.activity == "lunch" for b in out):
        out = _place_lunch(out, rules)
    absent = [b for b in blocks if b.activity not in WORK]  # stays; the checker reports it
    return _replace_day(roster, agent, day, _merge([*out, *absent]))


def move_lunch(roster: pd.DataFrame, agent: str, day: dt.date, new_start: dt.time) -> pd.DataFrame:
    """The agent's lunch on ``day`` moved to ``new_start`` (its length kept); its old place is
    phone time. A lunch moved outside the shift is written as asked: the checker reports it."""
    blocks = _need_shift(roster, agent, day)
    lunches = [b for b in blocks if b.activity == "lunch"]
    if len(lunches) != 1:
        raise ValueError(f"agent {agent} has {len(lunches)} lunches on {day}; expected one to move")
    lunch = lunches[0]
    at = _at(day, new_start)
    out = _paint(blocks, lunch.start, lunch.end, "phone", over=("lunch",))
    out = _paint(out, at, at + (lunch.end - lunch.start), "lunch")
    return _replace_day(roster, agent, day, out)


def _meeting(blocks: Sequence[Block], agent: str, day: dt.date, start: Any) -> Block:
    at = _as_time(start, day)
    for b in blocks:
        if b.activity in MEETINGS and b.start == at:
            return b
    raise ValueError(f"agent {agent} has no meeting or training at {at:%H:%M} on {day}")


def move_meeting(
    roster: pd.DataFrame,
    agent: str,
    day: dt.date,
    start: dt.time | pd.Timestamp,
    new_start: dt.time,
) -> pd.DataFrame:
    """The agent's meeting (or training) starting at ``start`` on ``day`` moved to
    ``new_start`` (its length kept); its old place is phone time."""
    blocks = _need_shift(roster, agent, day)
    meeting = _meeting(blocks, agent, day, start)
    at = _at(day, new_start)
    out = [b for b in blocks if b != meeting] + [Block(meeting.start, meeting.end, "phone")]
    out = _paint(_merge(out), at, at + (meeting.end - meeting.start), meeting.activity)
    return _replace_day(roster, agent, day, out)


def cancel_meeting(
    roster: pd.DataFrame, agent: str, day: dt.date, start: dt.time | pd.Timestamp
) -> pd.DataFrame:
    """The agent's meeting (or training) starting at ``start`` on ``day`` cancelled: the agent
    is on the phone instead."""
    blocks = _need_shift(roster, agent, day)
    meeting = _meeting(blocks, agent, day, start)
    out = [b for b in blocks if b != meeting] + [Block(meeting.start, meeting.end, "phone")]
    return _replace_day(roster, agent, day, _merge(out))


def add_shift(
    roster: pd.DataFrame,
    agent: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    *,
    agents: pd.DataFrame,
    rules: ShiftRules | None = None,
) -> pd.DataFrame:
    """A shift ``start``-``end`` on the phone for ``agent`` on ``day``, with a lunch placed by
    the rules (`lunch_start`) when it needs one. The agent must be in ``agents`` (their skills
    decide the queues) and have no shift that day; an absence that day is replaced."""
    known = set(agents["agent_id"].astype(str).str.strip())
    if str(agent) not in known:
        raise ValueError(f"agent {agent} is not in the agents table")
    if _work(day_blocks(roster, agent, day)):
        raise ValueError(f"agent {agent} already has a shift on {day}; change its times instead")
    s, e = _at(day, start), _at(day, end)
    if not e > s:
        raise ValueError(f"the shift must end after it starts; got {start:%H:%M}-{end:%H:%M}")
    blocks = _place_lunch([Block(s, e, "phone")], rules)
    return _replace_day(roster, agent, day, blocks)


def delete_shift(roster: pd.DataFrame, agent: str, day: dt.date) -> pd.DataFrame:
    """The roster without the agent's work on ``day`` (an absence row that day stays)."""
    blocks = _need_shift(roster, agent, day)
    return _replace_day(roster, agent, day, [b for b in blocks if b.activity not in WORK])


class _Calendar(Protocol):
    def opening_hours(self, date: dt.date) -> tuple[dt.time, dt.time] | None: ...


def opening_hours(
    requirements: pd.DataFrame | None = None, calendar: _Calendar | None = None
) -> dict[dt.date, tuple[dt.time, dt.time]]:
    """Each day's opening hours: the calendar's, else the requirement's first interval to the
    end of its last (the days are the requirement's)."""
    out: dict[dt.date, tuple[dt.time, dt.time]] = {}
    if requirements is None or not len(requirements):
        return out
    times = pd.to_datetime(requirements["interval_start"]).dt.tz_convert(TZ)
    steps = times.drop_duplicates().sort_values().diff().dropna()
    step = steps[steps > pd.Timedelta(0)].min() if len(steps) else pd.Timedelta(minutes=15)
    step = step if pd.notna(step) and step <= pd.Timedelta(hours=1) else pd.Timedelta(minutes=15)
    for date, stamps in times.groupby(times.dt.date):
        opening = calendar.opening_hours(date) if calendar is not None else None
        if opening is None:
            last = stamps.max() + step
            closes = dt.time(23, 45) if last.date() > date else last.time()
            opening = (stamps.min().time(), closes)
        out[date] = (opening[0], opening[1])
    return out


def mark_absent(
    roster: pd.DataFrame,
    agent: str,
    first: dt.date,
    last: dt.date | None = None,
    *,
    days: Iterable[dt.date] | None = None,
    hours: Mapping[dt.date, tuple[dt.time, dt.time]] | None = None,
) -> pd.DataFrame:
    """``agent`` sick or on leave from ``first`` to ``last`` (inclusive; default one day).

    Each day of the range among ``days`` (the plan's days; default every date of the range)
    gets one ``absence`` row in place of the agent's rows that day, as the optimizer writes an
    unavailable day: over the day's opening hours (``hours``), else over the agent's shift that
    day, else over the roster's working hours that day, else 08:00-16:00.
    """
    last = first if last is None else last
    if last < first:
        raise ValueError(f"the absence must end on or after its first day; got {first}..{last}")
    span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    allowed = set(days) if days is not None else set(span)
    chosen = [d for d in span if d in allowed]
    if not chosen:
        raise ValueError(f"no day of the plan between {first} and {last}")
    out = roster
    for day in chosen:
        out = _replace_day(out, agent, day, [_absence(out, agent, day, hours)])
    return out


def _absence(
    roster: pd.DataFrame,
    agent: str,
    day: dt.date,
    hours: Mapping[dt.date, tuple[dt.time, dt.time]] | None,
) -> Block:
    if hours and day in hours:
        opens, closes = hours[day]
        return Block(_at(day, opens), _at(day, closes), "absence")
    span = shift_span(roster, agent, day)
    if not span:
        same_day = roster[(roster["date"] == day) & roster["activity"].isin(WORK)]
        if len(same_day):
            span = (_local(same_day["start"].min()), _local(same_day["end"].max()))
    if not span:
        span = (_at(day, dt.time(8)), _at(day, dt.time(16)))
    return Block(span[0], span[1], "absence")


def swap_agents(roster: pd.DataFrame, first: str, second: str, day: dt.date) -> pd.DataFrame:
    """The roster with two agents' days ``day`` exchanged (shifts, lunches, meetings)."""
    if str(first) == str(second):
        raise ValueError(f"choose two different agents to swap; got {first} twice")
    a, b = _day_rows(roster, first, day), _day_rows(roster, second, day)
    if not (a.any() or b.any()):
        raise ValueError(f"neither {first} nor {second} has anything planned on {day}")
    out = roster.copy()
    out.loc[a, "agent_id"] = str(second)
    out.loc[b, "agent_id"] = str(first)
    return out.sort_values(["agent_id", "start"], kind="stable").reset_index(drop=True)


# -- absences for the checker ----------------------------------------------------------------


def absence_days(roster: pd.DataFrame) -> dict[str, set[dt.date]]:
    """Per agent, the days the roster has them absent (an ``absence`` row and no work)."""
    out: dict[str, set[dt.date]] = {}
    if roster.empty:
        return out
    agents = roster["agent_id"].astype(str)
    for (agent, day), acts in roster.groupby([agents, "date"], sort=True)["activity"]:
        values = set(acts)
        if "absence" in values and not values & set(WORK):
            out.setdefault(str(agent), set()).add(day)
    return out


def absence_as_unavailable(agents: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The agents table with the roster's absence days added to each agent's ``unavailable``.

    A day marked sick or on leave is then what a booked day off is to the rules (and to the
    optimizer, which reads a locked absence the same way): credited at the day norm when
    ``unavailable_days_credited``, so that the week's hours of an agent off sick are not
    reported short.
    """
    away = absence_days(roster)
    out = agents.copy()
    if "unavailable" not in out:
        out["unavailable"] = ""
    if not away:
        return out
    values = []
    for agent, value in zip(out["agent_id"].astype(str).str.strip(), out["unavailable"]):
        days = away.get(agent)
        if not days:
            values.append(value)
            continue
        have = _items(value)
        have |= {d.isoformat() for d in days}
        values.append(";".join(sorted(have)))
    out["unavailable"] = pd.Series(values, index=out.index, dtype=object)
    return out


def _items(value: Any) -> set[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v).strip() for v in value if str(v).strip()}
    return {v.strip() for v in str(value).split(";") if v.strip()}


# -- what changed, what the checker says, may it be published ----------------------------------


def _days_of(roster: pd.DataFrame) -> dict[tuple[str, dt.date], frozenset]:
    out: dict[tuple[str, dt.date], set] = {}
    for agent, day, s, e, a in zip(
        roster["agent_id"].astype(str),
        roster["date"],
        roster["start"],
        roster["end"],
        roster["activity"],
        strict=True,
    ):
        key = (agent, pd.Timestamp(day).date())
        out.setdefault(key, set()).add((_local(s), _local(e), str(a)))
    return {k: frozenset(v) for k, v in out.items()}


def changed_shifts(before: pd.DataFrame, after: pd.DataFrame) -> int:
    """How many agent-days differ between two rosters (added, removed or changed blocks)."""
    old, new = _days_of(before), _days_of(after)
    return sum(old.get(k) != new.get(k) for k in set(old) | set(new))


def findings_for(report: CheckReport, agent: str, day: dt.date) -> list[Violation]:
    """The checker's findings about ``agent`` on ``day``, and about the agent's week."""
    return [
        v
        for v in (*report.errors, *report.warnings)
        if v.agent_id == str(agent) and (v.date is None or v.date == day)
    ]


def publish_refusal(report: CheckReport | None, *, acknowledged: bool) -> str | None:
    """Why a roster may not be published, or None when it may.

    ``"unchecked"`` without a check, ``"errors"`` while any hard error remains, ``"warnings"``
    while its warnings are not acknowledged.
    """
    if report is None:
        return "unchecked"
    if report.errors:
        return "errors"
    if report.warnings and not acknowledged:
        return "warnings"
    return None


# -- undo and redo -----------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class EditHistory(Generic[T]):
    """Undo and redo as two bounded stacks of ``(label, snapshot)``; immutable.

    >>> h = EditHistory[int]().record("first", 1)
    >>> h, back, label = h.undo(2)
    >>> back, label, h.can_undo, h.can_redo
    (1, 'first', False, True)
    >>> h.redo(1)[1]
    2
    """

    undo_steps: tuple[tuple[str, T], ...] = ()
    redo_steps: tuple[tuple[str, T], ...] = ()
    limit: int = UNDO_LIMIT

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_steps)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_steps)

    def record(self, label: str, before: T) -> EditHistory[T]:
        """After an edit: ``before`` can be restored; the redo stack is gone."""
        steps = (*self.undo_steps, (label, before))[-self.limit :]
        return EditHistory(steps, (), self.limit)

    def undo(self, current: T) -> tuple[EditHistory[T], T, str]:
        """The history after undoing, the snapshot to restore and the step's label."""
        if not self.undo_steps:
            raise ValueError("nothing to undo")
        label, before = self.undo_steps[-1]
        redo = (*self.redo_steps, (label, current))[-self.limit :]
        return EditHistory(self.undo_steps[:-1], redo, self.limit), before, label

    def redo(self, current: T) -> tuple[EditHistory[T], T, str]:
        """The history after redoing, the snapshot to restore and the step's label."""
        if not self.redo_steps:
            raise ValueError("nothing to redo")
        label, after = self.redo_steps[-1]
        undo = (*self.undo_steps, (label, current))[-self.limit :]
        return EditHistory(undo, self.redo_steps[:-1], self.limit), after, label


# -- the checker's findings in the planner's language -------------------------------------------

_CLOCK = r"\d\d:\d\d"
_NUM = r"\d+(?:\.\d+)?"
#: (rule, pattern of the checker's English message, key of the text) for every finding of
#: `staffing.roster.check`; the groups fill the text's placeholders.
_FINDINGS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (rule, re.compile(pattern), key)
    for rule, pattern, key in (
        (
            "hours",
            rf"shift (?P<start>{_CLOCK})-(?P<end>{_CLOCK}) is outside the opening hours "
            rf"(?P<opens>{_CLOCK})-(?P<closes>{_CLOCK}) \(plus (?P<lead>\d+) min lead-in\)",
            "hours",
        ),
        (
            "agent_hours",
            rf"starts (?P<at>{_CLOCK}), before the agent's earliest start (?P<limit>{_CLOCK})",
            "agent_early",
        ),
        (
            "agent_hours",
            rf"ends (?P<at>{_CLOCK}), after the agent's latest end (?P<limit>{_CLOCK})",
            "agent_late",
        ),
        (
            "shift_length",
            rf"a (?P<hours>{_NUM}) h shift; allowed (?P<lo>{_NUM})-(?P<hi>{_NUM}) h",
            "shift_length",
        ),
        ("lunch", rf"a (?P<hours>{_NUM}) h shift without lunch", "lunch_missing"),
        ("lunch", r": (?P<count>\d+) lunches$", "lunch_many"),
        ("lunch", rf"lunch of (?P<minutes>{_NUM}) min; expected (?P<expected>\d+)", "lunch_length"),
        (
            "lunch",
            rf"lunch at (?P<at>{_CLOCK}), (?P<hours>-?{_NUM}) h into the shift; allowed "
            rf"(?P<lo>{_NUM})-(?P<hi>{_NUM}) h",
            "lunch_window",
        ),
        (
            "blackout",
            rf"(?P<what>meeting|training) (?P<start>{_CLOCK})-(?P<end>{_CLOCK}) falls in the "
            rf"blocked window (?P<opens>{_CLOCK})-(?P<closes>{_CLOCK})",
            "blackout",
        ),
        ("split_shift", r"works and is absent the same day", "work_and_absent"),
        (
            "split_shift",
            rf"the day's work (?P<start>{_CLOCK})-(?P<end>{_CLOCK}) has a gap",
            "gap",
        ),
        ("unavailable", r"works on a booked unavailable day", "unavailable"),
        (
            "overlap",
            rf"(?P<first>\w+) and (?P<second>\w+) overlap at (?P<at>{_CLOCK})",
            "overlap",
        ),
        (
            "days_per_week",
            r"works (?P<days>\d+) days in (?P<week>\S+); at most (?P<most>\d+)",
            "days_per_week",
        ),
        (
            "weekly_hours",
            rf"has (?P<planned>{_NUM}) h in (?P<week>\S+); the week's norm is "
            rf"(?P<norm>{_NUM}) h \(\+- (?P<tol>{_NUM}) h\)",
            "weekly_hours",
        ),
        (
            "lock",
            r"locked (?P<what>\w+) of agent \S+ (?P<when>.+) is not in the roster",
            "lock",
        ),
        (
            "team_floor",
            rf"(?P<start>{_CLOCK})-(?P<end>{_CLOCK}) team (?P<team>.+?): nobody of the team",
            "team_floor",
        ),
        (
            "empty_queue",
            rf"(?P<at>{_CLOCK}) (?P<queue>.+?): nobody with the skill on the phone",
            "empty_queue",
        ),
        ("no_requirement_hours", r"no requirements or calendar given", "no_hours"),
    )
)
_ACTIVITY_GROUPS = ("what", "first", "second")
_NUMBER_GROUPS = ("hours", "lo", "hi", "minutes", "planned", "norm", "tol")


def rule_label(rule: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The checker's rule ``rule`` (``weekly_hours``) in words (``Ugens timer``)."""
    key = f"ro.rule.{rule}"
    return t(key, lang) if key in TEXTS else rule


def finding_text(violation: Violation, lang: str = DEFAULT_LANGUAGE) -> str:
    """A finding of the checker as the planner reads it, in ``lang``.

    The checker writes its messages in English (`staffing.roster.check`); in English they are
    shown as written. In Danish the message is written again from its parts (who, which day,
    the times and numbers it names); a message of a kind not known here keeps its English
    text behind the rule's Danish name.
    """
    if lang == "en":
        return violation.message
    who = " ".join(
        part
        for part in (
            violation.agent_id or "",
            short_date(violation.date, lang) if violation.date is not None else "",
        )
        if part
    )
    for rule, pattern, key in _FINDINGS:
        if rule != violation.rule:
            continue
        found = pattern.search(violation.message)
        if found is None:
            continue
        values = {k: v for k, v in found.groupdict().items() if v is not None}
        for name in _ACTIVITY_GROUPS:
            if name in values and f"activity.{values[name]}" in TEXTS:
                values[name] = t(f"activity.{values[name]}", lang).lower()
        for name in _NUMBER_GROUPS:
            if name in values:
                values[name] = number(float(values[name]), None, lang)
        text = t(f"ro.find.{key}", lang, **values)
        return f"{who}: {text}" if who else text
    return f"{rule_label(violation.rule, lang)}: {violation.message}"
