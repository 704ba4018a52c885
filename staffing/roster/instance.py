"""The data of one roster problem: day grids, requirements, agents, shift templates, weights.

`build_instance` turns the contract tables (requirements, agents, optional locks) and the
`ShiftRules` into plain Python structures that `staffing.roster.solve` turns into a MIP:

- a *day grid* per open day: slots of ``rules.interval_minutes`` from the opening minus the
  lead-in to the closing (or wider, if the requirements have rows outside);
- the requirement per queue and slot (``agents_gross`` when that column exists, else
  ``agents``), with the weights of each agent short (`shortfall_weights`);
- per agent and day a modest set of *shift templates* (start, length, allowed lunch starts);
- per agent and ISO week the hours to plan, checked against what the templates can reach, so an
  impossible contract is named before the solver sees it;
- the meetings to place (`MeetingRule`), with their candidate positions.

Everything here is pure: DataFrames and rules in, dataclasses out; ValueError for bad arguments.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from centre.contracts import ACTIVITIES, ROSTER_COLUMNS
from centre.timezone import TZ
from staffing.agents import Agents, AgentSpec, prepare_agents
from staffing.roster.diagnose import Diagnostic
from staffing.roster.rules import MeetingRule, ShiftRules

__all__ = [
    "TZ",
    "ROSTER_COLUMNS",
    "ACTIVITIES",
    "Day",
    "AgentSpec",
    "Template",
    "WeekPlan",
    "LockedDay",
    "MeetingOccurrence",
    "Instance",
    "build_instance",
    "prepare_agents",
    "shortfall_weights",
]

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Breakpoints (agents short) of the piecewise-linear under-coverage cost.
SEGMENT_BREAKS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987)


def _fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ---------------------------------------------------------------------------------------------
# Days
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Day:
    """One open day: its slot grid and opening hours (minutes after local midnight)."""

    index: int
    date: dt.date
    week: str
    open_min: int
    close_min: int
    grid_start: int
    n_slots: int
    step: int
    tz: str = TZ

    def minute(self, slot: int) -> int:
        """Clock minute of the start of ``slot``."""
        return self.grid_start + slot * self.step

    def slot(self, minute: int) -> int:
        """Slot starting at clock ``minute`` (may lie outside the grid)."""
        return (minute - self.grid_start) // self.step

    def timestamp(self, slot: int) -> pd.Timestamp:
        """tz-aware start of ``slot`` (``slot == n_slots`` gives the end of the grid)."""
        return _slot_timestamp(self.date, self.minute(slot), self.tz)

    @property
    def label(self) -> str:
        """``Tuesday 3 Mar`` for messages."""
        return f"{WEEKDAY_NAMES[self.date.weekday()]} {self.date.day} {self.date:%b}"

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]


@functools.lru_cache(maxsize=1 << 16)
def _slot_timestamp(date: dt.date, minute: int, tz: str) -> pd.Timestamp:
    """tz-aware time ``minute`` minutes after the local midnight of ``date`` (cached: the
    roster's read-back asks for the same few hundred times thousands of times)."""
    naive = pd.Timestamp(dt.datetime.combine(date, dt.time())) + pd.Timedelta(minutes=minute)
    return naive.tz_localize(tz, nonexistent="shift_forward", ambiguous=True)


def iso_week(day: dt.date) -> str:
    """``2026-W10``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------------------------
# Templates, weeks, locks, meetings
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A shift an agent may work on a day: slots [start, start + length), lunch starts."""

    start: int
    length: int
    paid_minutes: int
    lunch: tuple[int, ...]
    early: bool
    late: bool

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class WeekPlan:
    """Hours of one agent in one ISO week: target and the bounds the model enforces."""

    agent: int
    week: str
    days: tuple[int, ...]
    target_minutes: float
    lo_minutes: float
    hi_minutes: float
    credited_days: int


@dataclass(frozen=True)
class LockedDay:
    """An agent-day fixed by a planner: shift, lunch, blocks (slots of its day), or a day off."""

    agent: int
    day: int
    absence: bool
    start: int = 0
    end: int = 0
    lunch: int | None = None
    blocks: tuple[tuple[str, int, int], ...] = ()


@dataclass
class MeetingOccurrence:
    """One meeting to place: a rule for a team (or an agent) in one week.

    ``positions`` are candidate (day, start slot) pairs; ``attendees[pos]`` the agents who
    attend at that position (members on holiday that day miss it); ``absent[pos]`` how many
    members miss it there.
    """

    key: str
    rule: MeetingRule
    team: str
    week: str
    members: tuple[int, ...]
    length: int
    positions: list[tuple[int, int]] = field(default_factory=list)
    attendees: list[tuple[int, ...]] = field(default_factory=list)
    absent: list[int] = field(default_factory=list)
    pinned: bool = False


@dataclass
class Instance:
    """Everything the roster model needs, in plain structures."""

    rules: ShiftRules
    days: list[Day]
    queues: list[str]
    requirement: pd.DataFrame
    agents: list[AgentSpec]
    templates: dict[tuple[int, int], list[Template]]
    weeks: list[WeekPlan]
    locks: dict[tuple[int, int], LockedDay]
    fixed_blocks: dict[tuple[int, int], list[tuple[str, int, int]]]
    meetings: list[MeetingOccurrence]
    diagnostics: list[Diagnostic]
    #: the teams of the team floor (``rules.team_floor``): team -> its members (agent
    #: indices); agents without a team are in none. Empty when the rule is off.
    teams: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: per day index, the slots of the team floor's phone hours (`ShiftRules.team_floor_minutes`)
    team_slots: dict[int, list[int]] = field(default_factory=dict)

    @property
    def interval_seconds(self) -> int:
        return self.rules.interval_minutes * 60


# ---------------------------------------------------------------------------------------------
# Requirements
# ---------------------------------------------------------------------------------------------
def _prepare_requirements(
    requirements: pd.DataFrame, rules: ShiftRules, calendar: Any, tz: str
) -> tuple[pd.DataFrame, list[Day], list[Diagnostic]]:
    """The requirements on the rules' grid, one row per queue, day and slot, and the days.

    Columns: ``queue, date, minute, required`` (the covered column), the numeric columns the
    table has, ``day, slot, in_window, net_ratio``; sorted by day, slot and queue.
    """
    need = _check_requirements_table(requirements, rules)
    frame = pd.DataFrame({"queue": requirements["queue"].astype(str).str.strip()})
    starts = _local_starts(requirements["interval_start"], tz)
    frame["date"] = starts.dt.date
    frame["minute"] = (starts.dt.hour * 60 + starts.dt.minute).astype(int)
    _copy_numbers(frame, requirements, need)
    frame["required"] = frame[need]
    _check_unique_rows(frame)
    frame = _on_grid(frame, rules.interval_minutes)
    days, diagnostics = _make_days(frame, rules, calendar, tz)
    frame = _index_slots(frame, days, calendar)
    return frame, days, diagnostics


def _check_requirements_table(requirements: pd.DataFrame, rules: ShiftRules) -> str:
    """Check the requirements are a non-empty table with the columns needed; return the name
    of the column to cover (``agents_gross`` or ``agents``, as the rules say)."""
    if not isinstance(requirements, pd.DataFrame):
        raise ValueError(f"requirements must be a DataFrame; got {type(requirements).__name__}")
    missing = [c for c in ("interval_start", "queue", "agents") if c not in requirements]
    if missing:
        raise ValueError(f"requirements is missing column(s) {', '.join(missing)}")
    if requirements.empty:
        raise ValueError("requirements has no rows; expected one row per queue and interval")
    need = rules.covered_column(requirements.columns)
    if need not in requirements:
        raise ValueError(
            f"the rules say to cover requirements column {need!r}, which the table lacks"
        )
    return need


def _local_starts(starts: pd.Series, tz: str) -> pd.Series:
    """``interval_start`` as tz-aware times in ``tz`` (text parsed as ISO 8601; naive times
    taken as local)."""
    if not pd.api.types.is_datetime64_any_dtype(starts.dtype):
        try:
            starts = pd.to_datetime(starts, format="ISO8601", utc=True)
        except (ValueError, TypeError):
            raise ValueError(
                "requirements interval_start must be times like 2026-03-02T10:15:00+01:00"
            ) from None
    if isinstance(starts.dtype, pd.DatetimeTZDtype):
        return starts.dt.tz_convert(tz)
    return starts.dt.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward")


def _copy_numbers(frame: pd.DataFrame, requirements: pd.DataFrame, need: str) -> None:
    """Copy the numeric columns the requirements have into ``frame`` as floats; the covered
    column and ``agents`` must be numbers >= 0."""
    for column in (need, "agents", "offered", "aht_seconds", "patience_seconds"):
        if column not in requirements:
            continue
        values = pd.to_numeric(requirements[column], errors="coerce")
        if column in (need, "agents") and (values.isna().any() or (values < 0).any()):
            pos = int(np.flatnonzero((values.isna() | (values < 0)).to_numpy())[0])
            raise ValueError(
                f"requirements row {pos + 1}: {column} must be a number >= 0; "
                f"got {requirements[column].iloc[pos]!r}"
            )
        frame[column] = values.to_numpy(dtype=float)


def _check_unique_rows(frame: pd.DataFrame) -> None:
    """Check there is at most one row per queue, date and minute."""
    if frame.duplicated(["queue", "date", "minute"]).any():
        dup = frame[frame.duplicated(["queue", "date", "minute"], keep=False)].iloc[0]
        raise ValueError(
            f"requirements has more than one row for queue {dup['queue']!r} at "
            f"{dup['date']} {_fmt_minutes(int(dup['minute']))}"
        )


def _on_grid(frame: pd.DataFrame, step: int) -> pd.DataFrame:
    """The rows on the ``step``-minute grid: longer rows repeated per slot, shorter ones
    merged (the largest requirement, the calls summed, the mean handle time and patience)."""
    freq = _row_frequency(frame)
    if freq % step == 0:
        if freq > step:
            reps = freq // step
            frame = frame.loc[frame.index.repeat(reps)].copy()
            frame["minute"] = frame["minute"] + step * frame.groupby(level=0).cumcount()
            frame = frame.reset_index(drop=True)
    elif step % freq == 0:
        frame["minute"] = frame["minute"] // step * step
        agg = {c: "max" for c in ("required", "agents", "agents_gross") if c in frame}
        agg.update({c: "sum" for c in ("offered",) if c in frame})
        agg.update({c: "mean" for c in ("aht_seconds", "patience_seconds") if c in frame})
        frame = frame.groupby(["queue", "date", "minute"], as_index=False).agg(agg)
    else:
        raise ValueError(
            f"requirements intervals of {freq} minutes do not fit the rules' {step}-minute grid"
        )
    if (frame["minute"] % step != 0).any():
        bad = frame.loc[frame["minute"] % step != 0].iloc[0]
        raise ValueError(
            f"requirements interval {bad['date']} {_fmt_minutes(int(bad['minute']))} is off the "
            f"{step}-minute grid"
        )
    return frame


def _make_days(
    frame: pd.DataFrame, rules: ShiftRules, calendar: Any, tz: str
) -> tuple[list[Day], list[Diagnostic]]:
    """One `Day` per date of the requirements, its grid wide enough for the opening hours
    (plus the lead-in) and the rows; a warning for each date the calendar says is closed."""
    step = rules.interval_minutes
    diagnostics: list[Diagnostic] = []
    days: list[Day] = []
    for date in sorted(frame["date"].unique()):
        rows = frame[frame["date"] == date]
        first, last = int(rows["minute"].min()), int(rows["minute"].max()) + step
        hours = _calendar_hours(calendar, date, diagnostics)
        if hours is not None:
            open_min = hours[0].hour * 60 + hours[0].minute
            close_min = hours[1].hour * 60 + hours[1].minute
            if hours[1] == dt.time(23, 59, 59):
                close_min = 24 * 60
        else:
            open_min, close_min = first, last
        grid_start = min(open_min - rules.lead_in_minutes, first)
        grid_start = max(0, grid_start - grid_start % step)
        grid_end = max(close_min, last)
        grid_end += -grid_end % step
        days.append(
            Day(
                index=len(days),
                date=date,
                week=iso_week(date),
                open_min=open_min,
                close_min=close_min,
                grid_start=grid_start,
                n_slots=(grid_end - grid_start) // step,
                step=step,
                tz=tz,
            )
        )
    return days, diagnostics


def _calendar_hours(
    calendar: Any, date: dt.date, diagnostics: list[Diagnostic]
) -> tuple[dt.time, dt.time] | None:
    """The calendar's opening hours of ``date`` (None without a calendar); when the calendar
    says the centre is closed, a warning is added to ``diagnostics`` and None returned."""
    if calendar is None:
        return None
    hours = calendar.opening_hours(date)
    if hours is None:
        diagnostics.append(
            Diagnostic(
                kind="calendar",
                severity="warning",
                message=(
                    f"{date}: the calendar says the centre is closed, but the "
                    "requirements have rows; the day is planned from the requirements"
                ),
                facts={"date": date.isoformat()},
            )
        )
    return hours


def _index_slots(frame: pd.DataFrame, days: list[Day], calendar: Any) -> pd.DataFrame:
    """Add ``day, slot``, ``in_window`` (inside the queue's calendar window; True without a
    calendar) and ``net_ratio`` (agents / agents_gross, 1 without both), sorted by day, slot
    and queue."""
    day_of = {d.date: d for d in days}
    frame["day"] = frame["date"].map(lambda x: day_of[x].index).astype(int)
    frame["slot"] = [day_of[d].slot(m) for d, m in zip(frame["date"], frame["minute"], strict=True)]
    frame["in_window"] = True
    if calendar is not None:
        window_cache: dict[tuple[dt.date, str], list[tuple[int, int]]] = {}
        flags = []
        for date, queue, minute in zip(frame["date"], frame["queue"], frame["minute"]):
            key = (date, queue)
            if key not in window_cache:
                window_cache[key] = calendar.queue_windows(date, queue)
            windows = window_cache[key]
            flags.append(any(a <= minute < b for a, b in windows) if windows else True)
        frame["in_window"] = flags
    if "agents" in frame and "agents_gross" in frame:
        ratio = np.where(frame["agents_gross"] > 0, frame["agents"] / frame["agents_gross"], 1.0)
        frame["net_ratio"] = np.clip(ratio, 0.0, 1.0)
    else:
        frame["net_ratio"] = 1.0
    return frame.sort_values(["day", "slot", "queue"]).reset_index(drop=True)


def _row_frequency(frame: pd.DataFrame) -> int:
    diffs: list[int] = []
    for _, minutes in frame.groupby(["queue", "date"])["minute"]:
        values = np.sort(minutes.to_numpy())
        if len(values) > 1:
            diffs.extend(np.diff(values).tolist())
    if not diffs:
        values = frame["minute"].to_numpy()
        return int(np.gcd.reduce(np.append(values, 60))) or 15
    return int(np.gcd.reduce(np.asarray(diffs, dtype=int)))


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------
def shortfall_weights(
    required: np.ndarray,
    *,
    offered: np.ndarray | None = None,
    aht_seconds: np.ndarray | float | None = None,
    patience_seconds: np.ndarray | float | None = None,
    net_ratio: np.ndarray | float = 1.0,
    rules: ShiftRules | None = None,
    interval_seconds: int = 900,
) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-linear cost of being short, in answered calls lost, per queue and interval.

    For a requirement of ``N`` agents, the cost of having ``N - s`` is the drop in expected
    answered calls ``V(N) - V(N - s)``, with ``V(n) = calls * (1 - P_abandon(n))`` from Erlang A
    (M/M/n+M; Garnett, Mandelbaum & Reiman 2002, via `staffing.erlang.erlang_a`). The function
    returns breakpoints ``b`` (agents short: 0, 1, 2, 3, 5, 8, ... capped at the requirement)
    and the slope of the cost on each segment, ``(V(N - b_k) - V(N - b_{k+1})) /
    (b_{k+1} - b_k)``: the marginal answered calls of the agents on that segment.

    Why this is the right weight: an agent short at the 10-13 peak of a big queue (high
    occupancy, every agent busy) loses about ``interval / aht`` calls, while the one agent of the
    phone-policy floor at 15:45 on a quiet queue loses almost none. Deeper shortfalls lose more
    per agent (``V`` is concave in ``n``), so the cost is convex and the LP needs no binaries;
    the slopes are made non-decreasing (running maximum) where rounding breaks that, and never
    fall below ``rules.min_shortfall_weight``.

    ``offered`` (calls per interval) and ``aht_seconds`` come from the requirements when they
    carry them; otherwise the traffic is estimated from the requirement itself by the
    square-root staffing rule ``N = a + beta * sqrt(a)`` with ``beta = 1`` (Halfin & Whitt 1981;
    Borst, Mandelbaum & Reiman 2004), and ``calls = a * interval / rules.default_aht_seconds``.
    ``net_ratio`` = agents / agents_gross converts a gross requirement (with shrinkage) to agents
    actually on the phone.

    Returns ``(breaks, slopes)`` of shapes ``(n, k + 1)`` and ``(n, k)``; unused segments have
    zero width (``breaks`` repeat).
    """
    from staffing import erlang

    rules = rules or ShiftRules()
    required = np.asarray(required, dtype=float)
    n = required.size
    ratio = np.broadcast_to(np.asarray(net_ratio, dtype=float), (n,)).copy()
    ratio = np.where(ratio > 0, ratio, 1.0)
    net = required * ratio
    aht = np.broadcast_to(
        np.asarray(rules.default_aht_seconds if aht_seconds is None else aht_seconds, float),
        (n,),
    ).copy()
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, rules.default_aht_seconds)
    patience = np.broadcast_to(
        np.asarray(rules.patience_seconds if patience_seconds is None else patience_seconds, float),
        (n,),
    ).copy()
    patience = np.where(np.isfinite(patience) & (patience > 0), patience, rules.patience_seconds)
    if offered is None:
        beta = 1.0
        traffic = ((np.sqrt(beta**2 + 4 * net) - beta) / 2.0) ** 2
        calls = traffic * interval_seconds / aht
    else:
        calls = np.asarray(offered, dtype=float)
        calls = np.where(np.isfinite(calls) & (calls >= 0), calls, 0.0)
    top = max(float(required.max(initial=0.0)), 1.0)
    k = int(np.searchsorted(SEGMENT_BREAKS, top)) + 1
    grid = np.asarray(SEGMENT_BREAKS[: k + 1], dtype=float)
    breaks = np.minimum(grid[None, :], required[:, None])
    # V at integer net agents 0..ceil(net) per row, then linear interpolation.
    counts = np.ceil(net + 1e-9).astype(int) + 2
    rows = np.repeat(np.arange(n), counts)
    agents = np.concatenate([np.arange(c) for c in counts]) if n else np.zeros(0, int)
    values = np.zeros(rows.size)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]) if n else np.zeros(0, int)
    x = np.clip(net[:, None] - breaks * ratio[:, None], 0.0, None)
    lo = np.floor(x).astype(int)
    at_lo = offsets[:, None] + lo
    at_hi = offsets[:, None] + np.minimum(lo + 1, counts[:, None] - 1)
    # V is read at the breakpoints only (two integers around each): Erlang A there only,
    # not at every agent count up to the requirement (a large centre needs hundreds)
    needed = np.zeros(rows.size, dtype=bool)
    needed[at_lo.ravel()] = True
    needed[at_hi.ravel()] = True
    busy = needed & (agents > 0) & (calls[rows] > 0)
    if busy.any():
        result = erlang.erlang_a(
            calls[rows][busy],
            aht[rows][busy],
            patience[rows][busy],
            agents[busy],
            short_abandon=rules.short_abandon_seconds,
            interval=interval_seconds,
        )
        values[busy] = calls[rows][busy] * (1.0 - np.asarray(result["p_abandon"], dtype=float))
    frac = x - lo
    v_lo = values[at_lo]
    v_hi = values[at_hi]
    v = v_lo + frac * (v_hi - v_lo)
    widths = np.diff(breaks, axis=1)
    drops = v[:, :-1] - v[:, 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = np.where(widths > 1e-12, drops / np.where(widths > 0, widths, 1.0), 0.0)
    slopes = np.maximum(slopes, rules.min_shortfall_weight)
    slopes = np.maximum.accumulate(slopes, axis=1)
    return breaks, slopes


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------
def _ceil_to(value: float, step: int) -> int:
    return int(math.ceil(value / step - 1e-9) * step)


def _floor_to(value: float, step: int) -> int:
    return int(math.floor(value / step + 1e-9) * step)


def _agent_window(agent: AgentSpec, day: Day, rules: ShiftRules) -> tuple[int, int]:
    """First start slot and last end slot (exclusive) the agent may work on ``day``."""
    lo = day.open_min - rules.lead_in_minutes
    hi = day.close_min
    if agent.earliest is not None:
        lo = max(lo, agent.earliest)
    if agent.latest is not None:
        hi = min(hi, agent.latest)
    lo = max(lo, day.grid_start)
    hi = min(hi, day.minute(day.n_slots))
    first = day.slot(_ceil_to(lo - day.grid_start, day.step) + day.grid_start)
    last = day.slot(_floor_to(hi - day.grid_start, day.step) + day.grid_start)
    return first, last


def _lunch_starts(start: int, length: int, rules: ShiftRules, step: int) -> tuple[int, ...]:
    if not rules.needs_lunch(length * step):
        return ()
    lunch = rules.lunch_minutes // step
    first = start + rules.lunch_earliest_after_start_minutes // step
    last = min(start + rules.lunch_latest_after_start_minutes // step, start + length - lunch - 1)
    return tuple(range(first, last + 1))


def _make_template(start: int, length: int, day: Day, rules: ShiftRules) -> Template | None:
    step = day.step
    lunch = _lunch_starts(start, length, rules, step)
    if rules.needs_lunch(length * step) and not lunch:
        return None
    margin = rules.early_late_margin_minutes
    return Template(
        start=start,
        length=length,
        paid_minutes=int(round(rules.paid_hours(length * step) * 60)),
        lunch=lunch,
        early=day.minute(start) < day.open_min + margin,
        late=day.minute(start + length) > day.close_min - margin,
    )


def _locked_template(lock: LockedDay, day: Day, rules: ShiftRules) -> Template:
    """The one template of a locked day: its shift, its lunch (or the lunch window if none)."""
    step = day.step
    length = lock.end - lock.start
    if lock.lunch is not None:
        lunch: tuple[int, ...] = (lock.lunch,)
    elif rules.needs_lunch(length * step):
        lunch_len = rules.lunch_minutes // step
        lunch = _lunch_starts(lock.start, length, rules, step) or tuple(
            range(lock.start + 1, max(lock.start + 2, lock.end - lunch_len))
        )
    else:
        lunch = ()
    margin = rules.early_late_margin_minutes
    return Template(
        start=lock.start,
        length=length,
        paid_minutes=int(round(rules.paid_hours(length * step) * 60)),
        lunch=lunch,
        early=day.minute(lock.start) < day.open_min + margin,
        late=day.minute(lock.end) > day.close_min - margin,
    )


def _length_range(
    agent: AgentSpec,
    plan_target: float,
    workable_days: int,
    rules: ShiftRules,
    step: int,
    widest: int | None = None,
) -> tuple[int, int]:
    """Shift lengths (minutes) offered: the day norm +- the band, long enough for the target,
    no longer than the agent's widest working window (``widest`` minutes)."""
    norm = rules.day_norm_hours(agent.weekly_hours) * 60
    band = rules.shift_length_band_hours * 60
    lo = max(rules.min_shift_hours * 60, norm - band)
    hi = norm + band
    if workable_days > 0:
        needed = plan_target / min(workable_days, rules.max_days_per_week)
        if not rules.lunch_paid and needed > rules.lunch_after_hours * 60:
            needed += rules.lunch_minutes
        hi = max(hi, needed + step)
    hi = min(hi, rules.max_shift_hours * 60)
    if widest is not None and widest >= rules.min_shift_hours * 60:
        hi = min(hi, widest)
        lo = min(lo, hi)
    lo_m, hi_m = _ceil_to(lo, step), _floor_to(hi, step)
    if lo_m > hi_m:
        lo_m = hi_m = _ceil_to(min(max(lo, rules.min_shift_hours * 60), hi), step)
        lo_m = min(lo_m, _floor_to(rules.max_shift_hours * 60, step))
        hi_m = lo_m
    return lo_m, hi_m


def _reachable(options: list[set[int]], max_days: int) -> set[int]:
    """Week totals reachable choosing one option a day (0 = day off) with <= max_days shifts."""
    states: dict[int, set[int]] = {0: {0}}
    for opts in options:
        nxt: dict[int, set[int]] = defaultdict(set)
        for used, totals in states.items():
            for value in opts:
                if value == 0:
                    nxt[used] |= totals
                elif used < max_days:
                    nxt[used + 1] |= {t + value for t in totals}
        states = nxt
    out: set[int] = set()
    for totals in states.values():
        out |= totals
    return out


# ---------------------------------------------------------------------------------------------
# Locks
# ---------------------------------------------------------------------------------------------
def _prepare_locks(
    locks: pd.DataFrame | None,
    agents: Sequence[AgentSpec],
    days: list[Day],
    rules: ShiftRules,
    tz: str,
) -> dict[tuple[int, int], LockedDay]:
    if locks is None or len(locks) == 0:
        return {}
    missing = [c for c in ROSTER_COLUMNS if c not in locks]
    if missing:
        raise ValueError(f"locks is missing column(s) {', '.join(missing)}")
    by_id = {a.agent_id: a for a in agents}
    by_date = {d.date: d for d in days}
    frame = locks.copy()
    for col in ("start", "end"):
        values = frame[col]
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = pd.to_datetime(values, format="ISO8601", utc=True)
        frame[col] = values.dt.tz_convert(tz) if values.dt.tz is not None else values
    # grouped by agent and day in plain lists (a pandas group per agent-day took 0.1 s for
    # the 165 locked days of a re-optimization around one agent)
    groups: dict[tuple[str, dt.date], list[tuple[pd.Timestamp, pd.Timestamp, str]]] = {}
    for agent_id, start_ts, end_ts, act in zip(
        frame["agent_id"].astype(str).tolist(),
        frame["start"].tolist(),
        frame["end"].tolist(),
        frame["activity"].tolist(),
    ):
        groups.setdefault((agent_id, start_ts.date()), []).append((start_ts, end_ts, act))
    out: dict[tuple[int, int], LockedDay] = {}
    for (agent_id, date), rows in sorted(groups.items(), key=lambda item: item[0]):
        if agent_id not in by_id:
            raise ValueError(f"locks: unknown agent_id {agent_id!r}")
        if date not in by_date:
            raise ValueError(
                f"locks: agent {agent_id} on {date} is outside the days of the requirements"
            )
        agent, day = by_id[agent_id], by_date[date]
        activities = [act for _, _, act in rows]
        bad = set(activities) - set(ACTIVITIES)
        if bad:
            raise ValueError(
                f"locks: unknown activity {sorted(bad)[0]!r} for agent {agent_id} on {date}; "
                f"expected one of {', '.join(ACTIVITIES)}"
            )
        if "absence" in activities:
            out[(agent.index, day.index)] = LockedDay(agent.index, day.index, absence=True)
            continue

        def slot(ts: pd.Timestamp, day: Day = day, agent_id: str = agent_id) -> int:
            minute = ts.hour * 60 + ts.minute
            if (minute - day.grid_start) % day.step or ts.second:
                raise ValueError(
                    f"locks: agent {agent_id} on {day.date}: {ts:%H:%M} is off the "
                    f"{day.step}-minute grid"
                )
            return day.slot(minute)

        starts = [slot(t) for t, _, _ in rows]
        ends = [slot(t) for _, t, _ in rows]
        lunch = None
        blocks = []
        for act, s, e in zip(activities, starts, ends, strict=True):
            if e <= s:
                raise ValueError(
                    f"locks: agent {agent_id} on {day.date}: a {act} block ends before it starts"
                )
            if act == "lunch":
                lunch = s
            elif act in ("off_phone", "meeting", "training"):
                blocks.append((act, s, e - s))
        start, end = min(starts), max(ends)
        if start < 0 or end > day.n_slots:
            raise ValueError(
                f"locks: agent {agent_id} on {day.date}: shift outside the day's hours"
            )
        out[(agent.index, day.index)] = LockedDay(
            agent.index,
            day.index,
            absence=False,
            start=start,
            end=end,
            lunch=lunch,
            blocks=tuple(sorted(blocks)),
        )
    return out


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------
def _meeting_slots_ok(
    rule: MeetingRule, day: Day, start: int, length: int, rules: ShiftRules
) -> bool:
    first, last = day.minute(start), day.minute(start + length)
    if first < day.open_min or last > day.close_min:
        return False
    if first % rule.start_every_minutes:
        return False
    if rule.earliest is not None and first < rule.earliest.hour * 60 + rule.earliest.minute:
        return False
    if rule.latest is not None and last > rule.latest.hour * 60 + rule.latest.minute:
        return False
    if not rule.allow_in_blackout:
        for a, b in rules.meeting_blackout:
            if first < b.hour * 60 + b.minute and a.hour * 60 + a.minute < last:
                return False
    return True


def _build_meetings(
    rules: ShiftRules,
    days: list[Day],
    agents: Sequence[AgentSpec],
    templates: dict[tuple[int, int], list[Template]],
    locks: dict[tuple[int, int], LockedDay],
) -> tuple[list[MeetingOccurrence], dict[tuple[int, int], list[tuple[str, int, int]]]]:
    weeks: dict[str, list[Day]] = defaultdict(list)
    for day in days:
        weeks[day.week].append(day)
    teams: dict[str, list[int]] = defaultdict(list)
    for agent in agents:
        teams[agent.team].append(agent.index)
    team_names = sorted(teams)
    agent_order = sorted(agents, key=lambda a: a.agent_id)
    # locked meeting blocks not yet matched to a rule: (agent, day) -> list of blocks
    unmatched = {key: list(lock.blocks) for key, lock in locks.items() if lock.blocks}
    occurrences: list[MeetingOccurrence] = []

    def can_attend(a: int, day: Day, start: int, length: int) -> bool:
        for t in templates.get((a, day.index), []):
            if t.start <= start and start + length <= t.end:
                return True
        return False

    for rule in rules.meetings:
        step = rules.interval_minutes
        length = rule.minutes // step
        for week, week_days in sorted(weeks.items()):
            week_no = int(week.split("-W")[1])
            groups: list[tuple[str, str, tuple[int, ...]]] = []
            if rule.attendees == "team":
                for i, team in enumerate(team_names):
                    if (week_no - 1) % rule.every_weeks == i % rule.every_weeks:
                        groups.append((f"{team}", team, tuple(teams[team])))
            else:
                for i, agent in enumerate(agent_order):
                    if (week_no - 1) % rule.every_weeks == i % rule.every_weeks:
                        groups.append((agent.agent_id, agent.team, (agent.index,)))
            for label, team, members in groups:
                occ = MeetingOccurrence(
                    key=f"{rule.name} {label} {week}",
                    rule=rule,
                    team=team,
                    week=week,
                    members=members,
                    length=length,
                )
                pin = _find_pin(unmatched, rule, members, week_days, length)
                for day in week_days:
                    if rule.weekdays and day.date.weekday() not in rule.weekdays:
                        continue
                    present = [m for m in members if day.date not in agents[m].unavailable]
                    present = [
                        m
                        for m in present
                        if not ((m, day.index) in locks and locks[(m, day.index)].absence)
                    ]
                    if not present:
                        continue
                    locked_here = any((m, day.index) in locks for m in present)
                    for start in range(0, day.n_slots - length + 1):
                        if pin is not None:
                            if (day.index, start) != pin:
                                continue
                        elif locked_here:
                            continue
                        if not _meeting_slots_ok(rule, day, start, length, rules):
                            continue
                        attending = [m for m in present if can_attend(m, day, start, length)]
                        if pin is None and len(attending) < len(present):
                            continue
                        if not attending:
                            continue
                        # a meeting pinned by a locked block is held where it was locked; a
                        # member whose (locked) shift does not cover it misses it
                        occ.positions.append((day.index, start))
                        occ.attendees.append(tuple(attending))
                        occ.absent.append(len(members) - len(attending))
                occ.pinned = pin is not None
                occurrences.append(occ)
    fixed = {key: blocks for key, blocks in unmatched.items() if blocks}
    return occurrences, fixed


def _find_pin(
    unmatched: dict[tuple[int, int], list[tuple[str, int, int]]],
    rule: MeetingRule,
    members: tuple[int, ...],
    week_days: list[Day],
    length: int,
) -> tuple[int, int] | None:
    """A locked block of this rule's activity and length among the members: pin the rule there."""
    day_ids = {d.index for d in week_days}
    for (a, d), blocks in sorted(unmatched.items()):
        if a not in members or d not in day_ids:
            continue
        for block in blocks:
            activity, start, n = block
            if activity == rule.activity and n == length:
                for m in members:
                    other = unmatched.get((m, d))
                    if other and block in other:
                        other.remove(block)
                return d, start
    return None


# ---------------------------------------------------------------------------------------------
# The instance
# ---------------------------------------------------------------------------------------------
def build_instance(
    requirements: pd.DataFrame,
    agents: Agents,
    rules: ShiftRules | None = None,
    *,
    calendar: Any = None,
    locks: pd.DataFrame | None = None,
    tz: str = TZ,
) -> Instance:
    """Check and index the inputs of one roster problem (see the module docstring)."""
    rules = rules or ShiftRules()
    if not isinstance(rules, ShiftRules):
        raise ValueError(f"rules must be a ShiftRules; got {type(rules).__name__}")
    if calendar is not None and getattr(calendar, "tz", tz) != tz:
        tz = calendar.tz
    req, days, diagnostics = _prepare_requirements(requirements, rules, calendar, tz)
    specs = prepare_agents(agents)
    queues = sorted(req["queue"].unique())
    locked = _prepare_locks(locks, specs, days, rules, tz)
    templates, plans = _plan_weeks(specs, days, locked, rules, diagnostics)
    meetings, fixed = _build_meetings(rules, days, specs, templates, locked)
    diagnostics.extend(_agents_without_queue(specs, queues))
    diagnostics.extend(_queues_without_agents(specs, queues, req, rules.interval_minutes))
    _weights_into(req, rules)
    teams, team_slots = _team_floor(specs, days, rules)
    return Instance(
        rules=rules,
        days=days,
        queues=queues,
        requirement=req,
        agents=list(specs),
        templates=templates,
        weeks=plans,
        locks=locked,
        fixed_blocks=fixed,
        meetings=meetings,
        diagnostics=diagnostics,
        teams=teams,
        team_slots=team_slots,
    )


def _team_floor(
    specs: Sequence[AgentSpec], days: list[Day], rules: ShiftRules
) -> tuple[dict[str, tuple[int, ...]], dict[int, list[int]]]:
    """The teams of the team floor (team -> members, agents without a team left out) and the
    slots of each day's phone hours: those starting inside `ShiftRules.team_floor_minutes` of
    the day's opening hours. Both empty when ``rules.team_floor`` is off."""
    if not rules.team_floor:
        return {}, {}
    members: dict[str, list[int]] = defaultdict(list)
    for agent in specs:
        if agent.team:
            members[agent.team].append(agent.index)
    teams = {team: tuple(sorted(who)) for team, who in sorted(members.items())}
    team_slots: dict[int, list[int]] = {}
    for day in days:
        windows = rules.team_floor_minutes(day.open_min, day.close_min)
        team_slots[day.index] = [
            j for j in range(day.n_slots) if any(a <= day.minute(j) < b for a, b in windows)
        ]
    return teams, team_slots


@dataclass(frozen=True)
class _AgentWeek:
    """One agent in one ISO week: its open days, those the agent can work, the minutes to plan
    and the days credited (unavailable days that count as worked)."""

    agent: AgentSpec
    week: str
    days: list[Day]
    available: list[Day]
    target: float
    credited: int


def _agent_week(
    agent: AgentSpec,
    week: str,
    week_days: list[Day],
    locked: dict[tuple[int, int], LockedDay],
    rules: ShiftRules,
) -> _AgentWeek:
    """The days ``agent`` can work in ``week`` (not unavailable, no locked absence) and the
    minutes to plan: the day norm times the days not credited."""
    available = [
        d
        for d in week_days
        if d.date not in agent.unavailable
        and not ((agent.index, d.index) in locked and locked[(agent.index, d.index)].absence)
    ]
    norm = rules.day_norm_hours(agent.weekly_hours) * 60
    credited = len(week_days) - len(available) if rules.unavailable_days_credited else 0
    target = norm * (len(week_days) - credited)
    return _AgentWeek(agent, week, week_days, available, target, credited)


def _plan_weeks(
    specs: Sequence[AgentSpec],
    days: list[Day],
    locked: dict[tuple[int, int], LockedDay],
    rules: ShiftRules,
    diagnostics: list[Diagnostic],
) -> tuple[dict[tuple[int, int], list[Template]], list[WeekPlan]]:
    """The templates of every agent-day and the hours of every agent-week; an
    ``impossible_agent`` error is added to ``diagnostics`` for each week whose hours cannot be
    reached."""
    weeks_days: dict[str, list[Day]] = defaultdict(list)
    for day in days:
        weeks_days[day.week].append(day)
    templates: dict[tuple[int, int], list[Template]] = {}
    plans: list[WeekPlan] = []
    # agents with the same window and shift lengths share a day's templates (one list, not
    # to be changed) and the week totals they can reach: large centres have many alike
    shared: dict[tuple, list[Template]] = {}
    reach: dict[tuple, set[int]] = {}
    for agent in specs:
        for week, week_days in sorted(weeks_days.items()):
            aw = _agent_week(agent, week, week_days, locked, rules)
            options = _week_templates(aw, locked, rules, templates, shared)
            plan, diagnostic = _week_plan(aw, options, rules, reach)
            if diagnostic is not None:
                diagnostics.append(diagnostic)
            plans.append(plan)
    return templates, plans


def _week_templates(
    aw: _AgentWeek,
    locked: dict[tuple[int, int], LockedDay],
    rules: ShiftRules,
    templates: dict[tuple[int, int], list[Template]],
    shared: dict[tuple, list[Template]] | None = None,
) -> list[set[int]]:
    """Put the templates of each day of the agent-week into ``templates``; return the paid
    minutes possible per day (0 = day off): a locked day its shift only, an unavailable or
    locked-absent day 0 only. ``shared``: the template lists made so far, by window, day and
    lengths (agents alike get the same list)."""
    step = rules.interval_minutes
    agent = aw.agent
    windows = [_agent_window(agent, d, rules) for d in aw.available]
    widest = max(((b - a) * step for a, b in windows), default=0)
    lo_len, hi_len = _length_range(agent, aw.target, len(aw.available), rules, step, widest)
    options: list[set[int]] = []
    for day in aw.days:
        key = (agent.index, day.index)
        if key in locked:
            lock = locked[key]
            if lock.absence:
                templates[key] = []
                options.append({0})
                continue
            tpl = _locked_template(lock, day, rules)
            templates[key] = [tpl]
            options.append({tpl.paid_minutes})
            continue
        if day not in aw.available:
            templates[key] = []
            options.append({0})
            continue
        window = (*_agent_window(agent, day, rules), day.index, lo_len, hi_len)
        if shared is None or window not in shared:
            day_templates = _day_templates(agent, day, lo_len, hi_len, rules)
            if shared is not None:
                shared[window] = day_templates
        else:
            day_templates = shared[window]
        templates[key] = day_templates
        options.append({0} | {t.paid_minutes for t in day_templates})
    return options


def _day_templates(
    agent: AgentSpec, day: Day, lo_len: int, hi_len: int, rules: ShiftRules
) -> list[Template]:
    """Every shift of ``lo_len`` to ``hi_len`` minutes inside the agent's window on ``day``
    that has room for its lunch."""
    step = rules.interval_minutes
    first, last = _agent_window(agent, day, rules)
    day_templates = []
    for minutes in range(lo_len, hi_len + 1, step):
        length = minutes // step
        for start in range(first, last - length + 1):
            tpl = _make_template(start, length, day, rules)
            if tpl is not None:
                day_templates.append(tpl)
    return day_templates


def _week_plan(
    aw: _AgentWeek,
    options: list[set[int]],
    rules: ShiftRules,
    cache: dict[tuple, set[int]] | None = None,
) -> tuple[WeekPlan, Diagnostic | None]:
    """The bounds of the agent-week's hours: the target +- the tolerance (at least to the grid
    steps around it); when no reachable total lies inside, the nearest reachable total and an
    ``impossible_agent`` diagnostic. ``cache``: the reachable totals found so far, by the
    days' options."""
    step = rules.interval_minutes
    target = aw.target
    key = tuple(tuple(sorted(day)) for day in options)
    if cache is None or key not in cache:
        reach = _reachable(options, rules.max_days_per_week)
        if cache is not None:
            cache[key] = reach
    else:
        reach = cache[key]
    tol = rules.hours_tolerance * 60
    lo = min(target - tol, _floor_to(target, step))
    hi = max(target + tol, _ceil_to(target, step))
    diagnostic = None
    inside = [v for v in reach if lo - 1e-6 <= v <= hi + 1e-6]
    if not inside:
        nearest = min(reach, key=lambda v: (abs(v - target), -v))
        diagnostic = _impossible_hours(aw, nearest, rules)
        lo = hi = float(nearest)
    plan = WeekPlan(
        agent=aw.agent.index,
        week=aw.week,
        days=tuple(d.index for d in aw.days),
        target_minutes=target,
        lo_minutes=lo,
        hi_minutes=hi,
        credited_days=aw.credited,
    )
    return plan, diagnostic


def _agents_without_queue(specs: Sequence[AgentSpec], queues: list[str]) -> list[Diagnostic]:
    """A warning for each agent skilled on none of the requirements' queues."""
    out = []
    for agent in specs:
        if not set(agent.skills) & set(queues):
            out.append(
                Diagnostic(
                    kind="agent_without_queue",
                    severity="warning",
                    agent_id=agent.agent_id,
                    message=(
                        f"Agent {agent.agent_id} has no skill on any queue of the requirements "
                        f"(skills: {', '.join(agent.skills) or 'none'}); their phone time "
                        "cannot cover anything"
                    ),
                    facts={"agent": agent.agent_id, "skills": list(agent.skills)},
                )
            )
    return out


def _queues_without_agents(
    specs: Sequence[AgentSpec], queues: list[str], req: pd.DataFrame, step: int
) -> list[Diagnostic]:
    """An error for each queue no agent is skilled for, with its required agent-hours."""
    skilled = {q for a in specs for q in a.skills}
    out = []
    for queue in queues:
        if queue not in skilled:
            need = req.loc[req["queue"] == queue, "required"].sum() * step / 60
            out.append(
                Diagnostic(
                    kind="queue_without_agents",
                    severity="error",
                    queue=queue,
                    shortfall=float(need),
                    message=(
                        f"{queue}: no agent has this skill, so its {need:.1f} required "
                        "agent-hours cannot be covered; add the skill to some agents"
                    ),
                    facts={"queue": queue, "hours": float(need)},
                )
            )
    return out


def _weights_into(req: pd.DataFrame, rules: ShiftRules) -> None:
    breaks, slopes = shortfall_weights(
        req["required"].to_numpy(),
        offered=req["offered"].to_numpy() if "offered" in req else None,
        aht_seconds=req["aht_seconds"].to_numpy() if "aht_seconds" in req else None,
        patience_seconds=req["patience_seconds"].to_numpy() if "patience_seconds" in req else None,
        net_ratio=req["net_ratio"].to_numpy(),
        rules=rules,
        interval_seconds=rules.interval_minutes * 60,
    )
    req["breaks"] = list(breaks)
    req["slopes"] = list(slopes)


def _impossible_hours(aw: _AgentWeek, nearest: int, rules: ShiftRules) -> Diagnostic:
    """Why the agent-week's hours cannot be met: the days available and the limits that bind."""
    agent = aw.agent
    names = ", ".join(d.label for d in aw.available) or "none"
    limits = [f"at most {rules.max_shift_hours:g} h a shift"]
    if agent.earliest is not None:
        limits.append(f"earliest start {_fmt_minutes(agent.earliest)}")
    if agent.latest is not None:
        limits.append(f"latest end {_fmt_minutes(agent.latest)}")
    if len(aw.available) > rules.max_days_per_week:
        limits.append(f"at most {rules.max_days_per_week} days a week")
    what = "at most" if nearest < aw.target else "at least"
    many_days = len(aw.available) > rules.max_days_per_week
    return Diagnostic(
        kind="impossible_agent",
        severity="error",
        agent_id=agent.agent_id,
        message=(
            f"Agent {agent.agent_id} cannot be planned as the contract says in {aw.week}: "
            f"{aw.target / 60:.1f} h to plan (contract {agent.weekly_hours:g} h a week) but "
            f"{what} {nearest / 60:.1f} h are possible with {len(aw.available)} available "
            f"day(s) of {len(aw.days)} ({names}) and {', '.join(limits)}; "
            f"planned {nearest / 60:.1f} h"
        ),
        facts={
            "agent": agent.agent_id,
            "week": aw.week,
            "target_hours": aw.target / 60,
            "contract_hours": float(agent.weekly_hours),
            "bound": "at_most" if nearest < aw.target else "at_least",
            "possible_hours": nearest / 60,
            "available_days": [d.date.isoformat() for d in aw.available],
            "days": len(aw.days),
            "max_shift_hours": float(rules.max_shift_hours),
            "earliest": None if agent.earliest is None else _fmt_minutes(agent.earliest),
            "latest": None if agent.latest is None else _fmt_minutes(agent.latest),
            "max_days": int(rules.max_days_per_week) if many_days else None,
        },
    )
