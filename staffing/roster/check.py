"""An independent check of any roster against the shift rules, the agents and the requirement.

Written apart from the optimizer on purpose: it shares only the rules' data (`ShiftRules`) and
reads the roster contract (``agent_id, date, start, end, activity``) as a planner's spreadsheet
would be read, so that a plan made by hand, edited in the app or produced by the optimizer is
judged the same way. Nothing here imports `staffing.roster.solve*`.

Errors (the plan breaks a rule):
``format`` (bad rows, times off the grid, a block over midnight), ``unknown_agent``,
``overlap`` (two blocks of an agent at once), ``split_shift`` (a gap inside a day's work, or two
shifts a day), ``unavailable`` (work on a booked day), ``hours`` (outside the opening hours plus
the lead-in), ``agent_hours`` (before the earliest start or after the latest end),
``shift_length``, ``lunch`` (missing, duplicated, wrong length or outside its window),
``blackout`` (a meeting in the 09:00-13:00 windows), ``weekly_hours``, ``days_per_week``,
``lock`` (a locked row not kept).

Warnings (the plan is legal but the planner should know): ``empty_queue`` (nobody with the
skill on the phone inside a queue's window), ``team_floor`` (with ``rules.team_floor``: a team
with nobody on the phone in an interval of its phone hours, document 001 point 1; one finding
per team, day and run of such intervals), ``no_requirement_hours``. The two floors of the phone
policy are warnings because the optimizer keeps them at a heavy cost rather than as hard rules:
a team with everybody on holiday cannot meet its floor, and the plan is still a legal one.

The team floor is read here on its own: the teams are the agents table's ``team`` column
(agents without a team are in none), "on the phone" is a roster row with activity ``phone``,
and the phone hours are each day's opening hours (the calendar's, else the first and last
interval of the requirement) cut to ``rules.team_floor_hours`` (`ShiftRules.team_floor_minutes`)
on the ``rules.interval_minutes`` grid.

Coverage is recomputed from the roster and the agents' skills: in each interval the agents on
the phone are matched to the queues they are skilled for by a maximum flow (source -> agents,
capacity 1 -> queues of their skills -> sink, capacity = requirement; Edmonds & Karp 1972), so
``covered`` is the most of the requirement the people on the phone can cover. The flow's split
between queues is one of the best ones; its total per interval is unique.

The rules are read for all agents at once (numpy over the rows sorted by agent, day and start;
about 0.3 ms an agent), and the findings are written one by one in the order a day-by-day
reading finds them: rows, then agent by agent and day by day (overlaps, the shift, lunch,
meetings), then the weeks, the locks, the team floor and the coverage.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from centre.timezone import TZ
from staffing.roster.rules import ShiftRules

__all__ = ["Violation", "CheckReport", "check_roster", "CHECK_COVERAGE_COLUMNS"]

_ACTIVITIES = {"phone", "off_phone", "break", "lunch", "meeting", "training", "absence"}
_WORK = {"phone", "off_phone", "break", "lunch", "meeting", "training"}
CHECK_COVERAGE_COLUMNS = [
    "interval_start",
    "queue",
    "required",
    "skilled_on_phone",
    "covered",
    "shortfall",
]


@dataclass(frozen=True)
class Violation:
    """One broken rule (or warning) with a planner-readable message."""

    rule: str
    message: str
    agent_id: str | None = None
    date: dt.date | None = None
    severity: str = "error"
    #: the team of a ``team_floor`` finding, and the run's first and end (exclusive) interval
    team: str | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CheckReport:
    """The result of `check_roster`."""

    errors: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    coverage: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=CHECK_COVERAGE_COLUMNS)
    )

    @property
    def ok(self) -> bool:
        """True when no rule is broken (warnings allowed)."""
        return not self.errors

    def rules_broken(self) -> set[str]:
        return {v.rule for v in self.errors}

    def summary(self) -> str:
        if self.ok:
            return f"roster OK ({len(self.warnings)} warnings)"
        lines = [f"{len(self.errors)} rule(s) broken:"]
        lines += [f"- {v.message}" for v in self.errors[:20]]
        if len(self.errors) > 20:
            lines.append(f"- ... and {len(self.errors) - 20} more")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Reading the inputs (independently of the optimizer)
# ---------------------------------------------------------------------------------------------
def _minutes(value) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    text = str(value).strip()
    if not text or text.lower() == "nan":
        return None
    hours, minutes = text.split(":")[:2]
    return int(hours) * 60 + int(minutes)


@dataclass
class _Agent:
    skills: set[str]
    weekly_hours: float
    earliest: int | None
    latest: int | None
    unavailable: set[dt.date]
    team: str


def _agents(agents: pd.DataFrame) -> dict[str, _Agent]:
    out: dict[str, _Agent] = {}
    for row in agents.to_dict("records"):

        def items(value) -> list[str]:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return []
            if isinstance(value, list | tuple | set):
                return [str(v).strip() for v in value if str(v).strip()]
            return [v.strip() for v in str(value).split(";") if v.strip()]

        out[str(row["agent_id"]).strip()] = _Agent(
            skills=set(items(row.get("skills"))),
            weekly_hours=float(row["weekly_hours"]),
            earliest=_minutes(row.get("earliest_start")),
            latest=_minutes(row.get("latest_end")),
            unavailable={dt.date.fromisoformat(v) for v in items(row.get("unavailable"))},
            team=_team(row.get("team")),
        )
    return out


def _team(value: Any) -> str:
    """A team name; blank (empty, missing, NaN) is no team."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("", "nan", "none") else text


def _local(series: pd.Series, tz: str) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = pd.to_datetime(series, format="ISO8601", utc=True)
    if series.dt.tz is None:
        return series.dt.tz_localize(tz)
    return series.dt.tz_convert(tz)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# ---------------------------------------------------------------------------------------------
# Maximum flow (Edmonds-Karp) on a small bipartite network
# ---------------------------------------------------------------------------------------------
#: A node of the flow network: "s" (source), "t" (sink), ("g", skill set) or ("q", queue).
_Node: TypeAlias = str | tuple[str, Any]


def _max_flow(supply: dict[frozenset, float], demand: dict[str, float]) -> dict[str, float]:
    """Flow into each queue of a max flow: groups (skill set -> people) to queues to sink."""
    nodes: list[_Node] = ["s", "t"] + [("g", g) for g in supply] + [("q", q) for q in demand]
    cap: dict[_Node, dict[_Node, float]] = {n: defaultdict(float) for n in nodes}
    for g, amount in supply.items():
        cap["s"][("g", g)] += amount
        for q in g:
            if q in demand:
                cap[("g", g)][("q", q)] = math.inf
    for q, need in demand.items():
        cap[("q", q)]["t"] += need
    flow_in: dict[str, float] = defaultdict(float)
    while True:
        parent: dict = {"s": None}
        queue: deque[_Node] = deque(["s"])
        while queue and "t" not in parent:
            u = queue.popleft()
            for v, c in cap[u].items():
                if c > 1e-12 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if "t" not in parent:
            break
        path, v = [], "t"
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[u][v] for u, v in path)
        for u, v in path:
            cap[u][v] -= push
            cap[v][u] += push
            if v == "t":
                flow_in[u[1]] += push
    return dict(flow_in)


# ---------------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------------
@dataclass
class _Check:
    """What the steps of one check share: the rules, the agents, the days' opening hours and
    the findings so far (in the order they are found)."""

    rules: ShiftRules
    people: dict[str, _Agent]
    tz: str = TZ
    hours: dict[dt.date, tuple[int, int]] = field(default_factory=dict)
    errors: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    #: length of each agent's shift (minutes) and its paid hours, by (agent, date)
    shift_minutes: dict[tuple[str, dt.date], float] = field(default_factory=dict)
    paid: dict[tuple[str, dt.date], float] = field(default_factory=dict)

    @property
    def step(self) -> int:
        return self.rules.interval_minutes

    def err(
        self, rule: str, message: str, agent: str | None = None, date: dt.date | None = None
    ) -> None:
        self.errors.append(Violation(rule, message, agent, date))

    def report(self, coverage: pd.DataFrame | None = None) -> CheckReport:
        if coverage is None:
            return CheckReport(tuple(self.errors), tuple(self.warnings))
        return CheckReport(tuple(self.errors), tuple(self.warnings), coverage)


def check_roster(
    roster: pd.DataFrame,
    agents: pd.DataFrame,
    requirements: pd.DataFrame | None = None,
    rules: ShiftRules | None = None,
    *,
    calendar=None,
    locks: pd.DataFrame | None = None,
    tz: str = TZ,
) -> CheckReport:
    """Check ``roster`` against every rule; recompute coverage when ``requirements`` is given.

    Opening hours come from ``calendar`` (`forecast.calendar.CentreCalendar`) when given, else
    from the first and last interval of each day of ``requirements``; the days of the plan
    (for the weekly norm) are the days of ``requirements`` (else those of the roster). The
    requirement covered is the column ``rules.cover_column`` names (default ``agents``).
    """
    ctx = _Check(rules or ShiftRules(), _agents(agents), tz)
    frame = _read_roster(ctx, roster, tz)
    if frame is None:
        return ctx.report()
    req = _read_requirements(ctx, requirements, tz)
    plan_days = _plan_days(ctx, frame, calendar)
    _check_rows(ctx, frame)
    if ctx.errors:
        return ctx.report()
    _check_days(ctx, frame)
    _check_weeks(ctx, plan_days)
    _check_locks(ctx, frame, locks, tz)
    ticks = _phone_ticks(frame, ctx.step)
    _check_team_floor(ctx, frame, ticks)
    return ctx.report(_recount(ctx, frame, req, ticks))


def _read_roster(ctx: _Check, roster: pd.DataFrame, tz: str) -> pd.DataFrame | None:
    """The roster with trimmed agent ids and local times; None (and a ``format`` error) when a
    column of the contract is missing."""
    missing = [c for c in ("agent_id", "date", "start", "end", "activity") if c not in roster]
    if missing:
        ctx.err("format", f"roster is missing column(s) {', '.join(missing)}")
        return None
    frame = roster.copy()
    frame["agent_id"] = frame["agent_id"].astype(str).str.strip()
    for column in ("start", "end"):
        if len(frame):
            frame[column] = _local(frame[column], tz)
        else:  # an empty roster: typed columns, so every rule sees no rows (and no crash)
            frame[column] = pd.Series([], index=frame.index, dtype=f"datetime64[ns, {tz}]")
    return frame


def _read_requirements(
    ctx: _Check, requirements: pd.DataFrame | None, tz: str
) -> pd.DataFrame | None:
    """The requirement with local times, ``required``, ``date`` and ``minute`` columns (None
    when none is given); each of its days' first and last interval go to ``ctx.hours``."""
    if requirements is None or not len(requirements):
        return None
    req = requirements.copy()
    req["interval_start"] = _local(req["interval_start"], tz)
    column = ctx.rules.covered_column(req.columns)
    req["required"] = pd.to_numeric(req[column], errors="coerce").fillna(0.0)
    req["date"] = req["interval_start"].dt.date
    req["minute"] = req["interval_start"].dt.hour * 60 + req["interval_start"].dt.minute
    freq = _freq(req)
    for date, rows in req.groupby("date"):
        ctx.hours[date] = (int(rows["minute"].min()), int(rows["minute"].max()) + freq)
    return req


def _plan_days(ctx: _Check, frame: pd.DataFrame, calendar) -> list[dt.date]:
    """The days of the plan; the calendar's opening hours override the requirement's.

    Warns ``no_requirement_hours`` when neither gives opening hours.
    """
    hours = ctx.hours
    if calendar is not None:
        for date in list(hours) or sorted(set(frame["start"].dt.date)):
            opening = calendar.opening_hours(date)
            if opening is not None:
                close = opening[1].hour * 60 + opening[1].minute
                hours[date] = (opening[0].hour * 60 + opening[0].minute, close)
    plan_days = sorted(hours) if hours else sorted(set(frame["start"].dt.date))
    if not hours:
        ctx.warnings.append(
            Violation(
                "no_requirement_hours",
                "no requirements or calendar given: opening hours not checked",
                severity="warning",
            )
        )
    return plan_days


# ---------------------------------------------------------------------------------------------
# The roster as arrays (all agents at once)
# ---------------------------------------------------------------------------------------------
_MINUTE_NS = 60 * 10**9
_DAY_NS = 24 * 60 * _MINUTE_NS
_EPOCH = dt.date(1970, 1, 1)
_NAT = np.iinfo(np.int64).min


def _ns(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A tz-aware time column as int64 nanoseconds: the instant (UTC) and the local wall-clock
    time (NaT as the int64 minimum in both)."""
    times = series.dt.as_unit("ns")
    utc = np.asarray(times.array.asi8, dtype=np.int64)
    local = np.asarray(times.dt.tz_localize(None).array.asi8, dtype=np.int64)
    return utc, local


def _day_of(local_ns: np.ndarray) -> np.ndarray:
    """The local date of wall-clock nanoseconds as days since 1970-01-01."""
    return local_ns // _DAY_NS


def _minute_of(local_ns: np.ndarray) -> np.ndarray:
    """Minutes after local midnight (``t.hour * 60 + t.minute``) of wall-clock nanoseconds."""
    return (local_ns // _MINUTE_NS) % (24 * 60)


def _date(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


def _sums(values: np.ndarray, starts: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """``sum(...)`` of ``values`` (sorted by group, ``starts`` the first of each non-empty
    group in ``groups``) for each of ``n`` groups, 0.0 for the others, as Python's left-to-right
    float sum gives it: whole numbers add up exactly in any order, other groups are added up
    by `sum` itself."""
    out = np.zeros(n)
    if not len(values):
        return out
    out[groups] = np.add.reduceat(values, starts)
    whole = (values == np.round(values)) & (np.abs(values) < 2.0**40)
    if not whole.all():
        ends = np.append(starts[1:], len(values))
        for g, a, b in zip(groups, starts, ends):
            if not whole[a:b].all():
                out[g] = sum(values[a:b].tolist())
    return out


def _check_rows(ctx: _Check, frame: pd.DataFrame) -> None:
    """Each row on its own: ``format`` (activity, end after start, over midnight, date, grid)
    and ``unknown_agent``. The rows are screened all at once; a row the screen flags is read
    by `_row_findings`."""
    if not len(frame):
        return
    step = ctx.step
    activities = list(frame["activity"])
    ids = list(frame["agent_id"])
    dates = list(frame["date"])
    utc_s, loc_s = _ns(frame["start"])
    utc_e, loc_e = _ns(frame["end"])
    nat = (utc_s == _NAT) | (utc_e == _NAT)
    flag = np.array([a not in _ACTIVITIES for a in activities], dtype=bool)
    flag |= np.array([a not in ctx.people for a in ids], dtype=bool)
    flag |= nat | ~(utc_e > utc_s)
    day_s, day_e = _day_of(loc_s), _day_of(loc_e)
    flag |= (day_s != day_e) & (_minute_of(loc_e) != 0)
    texts = {d: str(_date(d)) for d in np.unique(day_s[~nat]).tolist()}
    flag |= np.array(
        [bad or str(d) != texts[k] for bad, d, k in zip(nat.tolist(), dates, day_s.tolist())],
        dtype=bool,
    )
    for local in (loc_s, loc_e):
        flag |= (_minute_of(local) % step != 0) | ((local // 10**9) % 60 != 0)
    if not flag.any():
        return
    starts, ends = frame["start"], frame["end"]
    for i in np.flatnonzero(flag).tolist():
        _row_findings(ctx, i, ids[i], dates[i], starts.iat[i], ends.iat[i], activities[i])


def _row_findings(
    ctx: _Check, i: int, agent_id: str, date: Any, start: Any, end: Any, activity: Any
) -> None:
    """The ``format`` and ``unknown_agent`` findings of roster row ``i`` (0-based)."""
    step = ctx.step
    where = f"roster row {i + 1} (agent {agent_id})"
    if activity not in _ACTIVITIES:
        ctx.err("format", f"{where}: activity {activity!r} is not one of {sorted(_ACTIVITIES)}")
    if agent_id not in ctx.people:
        ctx.err("unknown_agent", f"{where}: agent {agent_id} is not in the agents table")
    if not end > start:
        ctx.err("format", f"{where}: ends {end:%H:%M}, not after its start {start:%H:%M}")
    if start.date() != end.date() and not (end.hour == 0 and end.minute == 0):
        ctx.err("format", f"{where}: a block over midnight")
    if str(date) != str(start.date()):
        ctx.err(
            "format",
            f"{where}: date {date} is not the date of its start {start:%Y-%m-%d}",
        )
    for t in (start, end):
        if (t.hour * 60 + t.minute) % step or t.second:
            ctx.err("format", f"{where}: {t:%H:%M} is off the {step}-minute grid")


@dataclass
class _Days:
    """The roster's rows sorted as each agent's day reads them (agent, date, start), with the
    agent-day (group) of each row and, per agent-day, its work span and totals."""

    #: per row, sorted: group, position in the group, activity, start and end (UTC and local ns)
    group: np.ndarray
    rank: np.ndarray
    activity: np.ndarray
    utc_s: np.ndarray
    utc_e: np.ndarray
    loc_s: np.ndarray
    loc_e: np.ndarray
    #: per group: agent id, date, and (for days with work) the shift's start and end
    agent_ids: list[str]
    dates: list[dt.date]
    has_work: np.ndarray
    absent: np.ndarray
    w_start: np.ndarray
    w_end: np.ndarray
    w_start_local: np.ndarray
    w_end_local: np.ndarray
    length: np.ndarray  # minutes, as (w_end - w_start).total_seconds() / 60
    covered: np.ndarray  # minutes of the work rows


def _sorted_days(frame: pd.DataFrame) -> _Days:
    """`_Days` of ``frame``: the groups in the order of ``groupby(["agent_id", date])``, each
    group's rows in the order ``sort_values("start")`` (quicksort) puts them."""
    ids = frame["agent_id"].to_numpy(dtype=object)
    utc_s, loc_s = _ns(frame["start"])
    utc_e, loc_e = _ns(frame["end"])
    day = _day_of(loc_s)
    names = sorted(set(ids.tolist()))
    code = pd.Index(names).get_indexer(ids)
    pos = np.arange(len(frame))
    order = np.lexsort((pos, utc_s, day, code))
    key_code, key_day = code[order], day[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (key_code[1:] != key_code[:-1]) | (key_day[1:] != key_day[:-1])
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    tie = np.zeros(len(order), dtype=bool)
    tie[1:] = ~new[1:] & (utc_s[order][1:] == utc_s[order][:-1])
    if tie.any():  # equal starts: the order of pandas' (unstable) quicksort in that group
        # pandas sorts the datetime64 values (not their int64 view: numpy sorts those apart)
        native = frame["start"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        ends = np.append(starts[1:], len(order))
        for g in np.unique(group[tie]).tolist():
            a, b = starts[g], ends[g]
            rows = np.sort(order[a:b])
            order[a:b] = rows[np.argsort(native[rows], kind="quicksort")]
    rank = pos - starts[group]
    activity = frame["activity"].to_numpy(dtype=object)[order]
    utc_s, utc_e, loc_s, loc_e = utc_s[order], utc_e[order], loc_s[order], loc_e[order]
    n = len(starts)
    work = activity != "absence"
    absent = np.zeros(n, dtype=bool)
    absent[group[~work]] = True
    has_work = np.zeros(n, dtype=bool)
    has_work[group[work]] = True
    w_start = np.zeros(n, dtype=np.int64)
    w_end = np.zeros(n, dtype=np.int64)
    w_start_local = np.zeros(n, dtype=np.int64)
    w_end_local = np.zeros(n, dtype=np.int64)
    wg = group[work]
    if len(wg):
        first = np.flatnonzero(np.r_[True, wg[1:] != wg[:-1]])
        groups = wg[first]
        # rows are sorted by start: a day's first work row starts its shift
        w_start[groups] = utc_s[work][first]
        w_start_local[groups] = loc_s[work][first]
        # the latest end (and its local time: equal instants, equal offsets)
        by_end = np.lexsort((utc_e[work], wg))
        last = np.r_[first[1:], len(wg)] - 1
        w_end[groups] = utc_e[work][by_end][last]
        w_end_local[groups] = loc_e[work][by_end][last]
    length = (w_end - w_start) / 1e9 / 60
    seconds = (utc_e - utc_s)[work] / 1e9
    covered = np.zeros(n)
    if len(wg):
        covered = _sums(seconds, first, groups, n) / 60
    return _Days(
        group=group,
        rank=rank,
        activity=activity,
        utc_s=utc_s,
        utc_e=utc_e,
        loc_s=loc_s,
        loc_e=loc_e,
        agent_ids=[names[c] for c in key_code[starts].tolist()],
        dates=[_date(d) for d in key_day[starts].tolist()],
        has_work=has_work,
        absent=absent,
        w_start=w_start,
        w_end=w_end,
        w_start_local=w_start_local,
        w_end_local=w_end_local,
        length=length,
        covered=covered,
    )


def _check_days(ctx: _Check, frame: pd.DataFrame) -> None:
    """Each agent's day: ``overlap``, then (on a working day) ``split_shift``,
    ``unavailable``, ``hours``, ``agent_hours``, ``shift_length``, ``lunch`` and
    ``blackout``; records each shift's length and paid hours for the weekly rules.

    All agents at once: the rules are array tests over the rows and agent-days, and only the
    findings are written one by one, in the order of a day-by-day reading (agent, date, then
    the rule order above)."""
    if not len(frame):
        return
    days = _sorted_days(frame)
    found: list[tuple[tuple[int, ...], Violation]] = []
    _overlaps(ctx, days, found)
    _shifts(ctx, days, found)
    lunch_total = _lunches(ctx, days, found)
    _blackouts(ctx, days, found)
    found.sort(key=lambda item: item[0])
    ctx.errors.extend(v for _, v in found)
    rules = ctx.rules
    unpaid = np.where(
        (not rules.lunch_paid) & (days.length > rules.lunch_after_hours * 60), lunch_total, 0.0
    )
    paid = (days.length - unpaid) / 60.0
    for g in np.flatnonzero(days.has_work).tolist():
        key = (days.agent_ids[g], days.dates[g])
        ctx.shift_minutes[key] = float(days.length[g])
        ctx.paid[key] = float(paid[g])


def _label(days: _Days, g: int) -> str:
    return f"agent {days.agent_ids[g]} on {days.dates[g]}"


def _finding(
    found: list, days: _Days, g: int, order: tuple[int, ...], rule: str, message: str
) -> None:
    """Add the finding of agent-day ``g`` at ``order`` (rule rank, row, window)."""
    found.append(((g, *order), Violation(rule, message, days.agent_ids[g], days.dates[g])))


def _overlaps(ctx: _Check, days: _Days, found: list) -> None:
    """``overlap``: a block of an agent's day (sorted by start) starting before the previous
    one ends."""
    same = np.zeros(len(days.group), dtype=bool)
    same[1:] = days.group[1:] == days.group[:-1]
    hit = np.flatnonzero(same & np.r_[False, days.utc_s[1:] < days.utc_e[:-1]])
    minutes = _minute_of(days.loc_s)
    for k in hit.tolist():
        g = int(days.group[k])
        _finding(
            found,
            days,
            g,
            (0, int(days.rank[k]), 0),
            "overlap",
            f"{_label(days, g)}: {days.activity[k - 1]} and {days.activity[k]} overlap at "
            f"{_hhmm(int(minutes[k]))}",
        )


def _shifts(ctx: _Check, days: _Days, found: list) -> None:
    """The shift of each working day: ``split_shift`` (absent too, or a gap),
    ``unavailable``, ``hours`` (opening hours plus lead-in), ``agent_hours`` (earliest start,
    latest end) and ``shift_length``."""
    rules, people = ctx.rules, ctx.people
    work = days.has_work
    first, end_clock = _minute_of(days.w_start_local), _minute_of(days.w_end_local)
    # a shift ending at midnight ends at 24:00 of its day
    last = np.where(_day_of(days.w_end_local) > _day_of(days.w_start_local), 24 * 60, end_clock)
    persons = [people[a] for a in days.agent_ids]
    nan = float("nan")
    opens = np.array([ctx.hours.get(d, (nan, nan))[0] for d in days.dates], dtype=float)
    closes = np.array([ctx.hours.get(d, (nan, nan))[1] for d in days.dates], dtype=float)
    earliest = np.array([nan if p.earliest is None else p.earliest for p in persons])
    latest = np.array([nan if p.latest is None else p.latest for p in persons])
    away = np.array([d in p.unavailable for d, p in zip(days.dates, persons)], dtype=bool)
    length = days.length
    tests = [
        (1, work & days.absent),
        (2, work & (np.abs(days.covered - length) > 1e-6)),
        (3, work & away),
        (4, work & ((first < opens - rules.lead_in_minutes) | (last > closes))),
        (5, work & (first < earliest)),
        (6, work & (last > latest)),
        (
            7,
            work
            & ~(
                (rules.min_shift_hours * 60 - 1e-6 <= length)
                & (length <= rules.max_shift_hours * 60 + 1e-6)
            ),
        ),
    ]
    for rank, hit in tests:
        for g in np.flatnonzero(hit).tolist():
            label, a, b = _label(days, g), int(first[g]), int(last[g])
            if rank == 1:
                rule, text = "split_shift", f"{label}: works and is absent the same day"
            elif rank == 2:
                span = f"{_hhmm(a)}-{_hhmm(int(end_clock[g]))}"
                rule = "split_shift"
                text = f"{label}: the day's work {span} has a gap (one shift a day, without holes)"
            elif rank == 3:
                rule, text = "unavailable", f"{label}: works on a booked unavailable day"
            elif rank == 4:
                o, c = int(opens[g]), int(closes[g])
                rule = "hours"
                text = (
                    f"{label}: shift {_hhmm(a)}-{_hhmm(b)} is outside the opening "
                    f"hours {_hhmm(o)}-{_hhmm(c)} (plus {rules.lead_in_minutes} min lead-in)"
                )
            elif rank == 5:
                rule = "agent_hours"
                text = (
                    f"{label}: starts {_hhmm(a)}, before the agent's earliest "
                    f"start {_hhmm(int(earliest[g]))}"
                )
            elif rank == 6:
                rule = "agent_hours"
                text = (
                    f"{label}: ends {_hhmm(b)}, after the agent's latest end "
                    f"{_hhmm(int(latest[g]))}"
                )
            else:
                rule = "shift_length"
                text = (
                    f"{label}: a {length[g] / 60:.2f} h shift; allowed "
                    f"{rules.min_shift_hours:g}-{rules.max_shift_hours:g} h"
                )
            _finding(found, days, g, (rank, 0, 0), rule, text)


def _lunches(ctx: _Check, days: _Days, found: list) -> np.ndarray:
    """``lunch``: missing on a long shift, more than one, wrong length or outside its window.

    Returns the minutes of lunch taken per agent-day."""
    rules = ctx.rules
    n = len(days.dates)
    lunch = days.activity == "lunch"
    lg = days.group[lunch]
    count = np.bincount(lg, minlength=n)
    minutes = (days.utc_e - days.utc_s)[lunch] / 1e9 / 60
    total = np.zeros(n)
    if len(lg):
        first = np.flatnonzero(np.r_[True, lg[1:] != lg[:-1]])
        total = _sums(minutes, first, lg[first], n)
    long = days.length > rules.lunch_after_hours * 60 + 1e-6
    for g in np.flatnonzero(days.has_work & long & (count == 0)).tolist():
        text = f"{_label(days, g)}: a {days.length[g] / 60:.2f} h shift without lunch"
        _finding(found, days, g, (8, 0, 0), "lunch", text)
    for g in np.flatnonzero(days.has_work & (count > 1)).tolist():
        _finding(found, days, g, (9, 0, 0), "lunch", f"{_label(days, g)}: {count[g]} lunches")
    offset = (days.utc_s[lunch] - days.w_start[lg]) / 1e9 / 60
    wrong = np.abs(minutes - rules.lunch_minutes) > 1e-6
    early, late = rules.lunch_earliest_after_start_minutes, rules.lunch_latest_after_start_minutes
    outside = ~((early <= offset) & (offset <= late))
    rank, clock = days.rank[lunch], _minute_of(days.loc_s[lunch])
    for i in np.flatnonzero(wrong | outside).tolist():
        g, k = int(lg[i]), int(rank[i])
        if wrong[i]:
            text = f"{_label(days, g)}: lunch of {minutes[i]:g} min; expected {rules.lunch_minutes}"
            _finding(found, days, g, (10, k, 0), "lunch", text)
        if outside[i]:
            text = (
                f"{_label(days, g)}: lunch at {_hhmm(int(clock[i]))}, "
                f"{offset[i] / 60:.2f} h into the shift; allowed {early / 60:g}-{late / 60:g} h"
            )
            _finding(found, days, g, (10, k, 1), "lunch", text)
    return total


def _blackouts(ctx: _Check, days: _Days, found: list) -> None:
    """``blackout``: a meeting or training (not allowed in the blackout) in a blocked window."""
    rules = ctx.rules
    allowed = {r.activity for r in rules.meetings if r.allow_in_blackout}
    blocked = [act for act in ("meeting", "training") if act not in allowed]
    if not blocked or not rules.meeting_blackout:
        return
    rows = np.flatnonzero(np.isin(days.activity, blocked))
    a = _minute_of(days.loc_s[rows])
    b = _minute_of(days.loc_e[rows])  # an end at midnight is 0: never in a window
    for w, (w0, w1) in enumerate(rules.meeting_blackout):
        lo, hi = w0.hour * 60 + w0.minute, w1.hour * 60 + w1.minute
        for i in np.flatnonzero((a < hi) & (lo < b)).tolist():
            k = int(rows[i])
            g = int(days.group[k])
            act = days.activity[k]
            text = (
                f"{_label(days, g)}: {act} {_hhmm(int(a[i]))}-{_hhmm(int(b[i]))} falls in the "
                f"blocked window {_hhmm(lo)}-{_hhmm(hi)}"
            )
            _finding(found, days, g, (11, int(days.rank[k]), w), "blackout", text)


def _check_weeks(ctx: _Check, plan_days: list[dt.date]) -> None:
    """Each agent's ISO weeks of the plan: ``days_per_week`` and ``weekly_hours`` (the
    week's norm, pro rata of its days, within the tolerance or the nearest grid step)."""
    rules, step = ctx.rules, ctx.step
    weeks: dict[str, list[dt.date]] = defaultdict(list)
    for date in plan_days:
        year, week_no, _ = date.isocalendar()
        weeks[f"{year}-W{week_no:02d}"].append(date)
    for agent_id, person in ctx.people.items():
        for week, days in sorted(weeks.items()):
            worked = [d for d in days if (agent_id, d) in ctx.shift_minutes]
            if len(worked) > rules.max_days_per_week:
                ctx.err(
                    "days_per_week",
                    f"agent {agent_id} works {len(worked)} days in {week}; at "
                    f"most {rules.max_days_per_week}",
                    agent_id,
                )
            away = [d for d in days if d in person.unavailable]
            counted = len(days) - (len(away) if rules.unavailable_days_credited else 0)
            target = person.weekly_hours / 5.0 * counted
            lo = min(target - rules.hours_tolerance, math.floor(target * 60 / step) * step / 60)
            hi = max(target + rules.hours_tolerance, math.ceil(target * 60 / step) * step / 60)
            planned = sum(ctx.paid.get((agent_id, d), 0.0) for d in days)
            if not lo - 1e-6 <= planned <= hi + 1e-6:
                ctx.err(
                    "weekly_hours",
                    f"agent {agent_id} has {planned:.2f} h in {week}; the week's "
                    f"norm is {target:.2f} h (+- {rules.hours_tolerance:g} h)",
                    agent_id,
                )


def _check_locks(ctx: _Check, frame: pd.DataFrame, locks: pd.DataFrame | None, tz: str) -> None:
    """``lock``: a locked row (agent, start, end, activity) that the roster does not keep."""
    if locks is None or not len(locks):
        return
    lk = locks.copy()
    lk["start"] = _local(lk["start"], tz)
    lk["end"] = _local(lk["end"], tz)
    have = set(zip(frame["agent_id"], frame["start"], frame["end"], frame["activity"]))
    for row in lk.itertuples(index=False):
        if (str(row.agent_id), row.start, row.end, row.activity) not in have:
            when = f"{row.start:%Y-%m-%d %H:%M}-{row.end:%H:%M}"
            ctx.err(
                "lock",
                f"locked {row.activity} of agent {row.agent_id} {when} is not in the roster",
                str(row.agent_id),
            )


def _phone_ticks(frame: pd.DataFrame, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Every grid step of every phone row, as the row's position and the step's instant (UTC
    ns): ``start, start + step, ...`` while before the row's end, rows in roster order."""
    phone = np.flatnonzero((frame["activity"] == "phone").to_numpy(dtype=bool, na_value=False))
    if not len(phone):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    utc_s, _ = _ns(frame["start"].iloc[phone])
    utc_e, _ = _ns(frame["end"].iloc[phone])
    step_ns = step * _MINUTE_NS
    count = np.maximum(-((utc_s - utc_e) // step_ns), 0)  # ceil((end - start) / step)
    rows = np.repeat(phone, count)
    first = np.repeat(np.cumsum(count) - count, count)
    ticks = np.repeat(utc_s, count) + (np.arange(len(rows)) - first) * step_ns
    return rows, ticks


def _local_ns(utc_ns: np.ndarray, tz: str) -> np.ndarray:
    """Local wall-clock nanoseconds of UTC instants."""
    index = pd.DatetimeIndex(utc_ns.view("M8[ns]")).tz_localize("UTC").tz_convert(tz)
    return np.asarray(index.tz_localize(None).asi8, dtype=np.int64)


def _check_team_floor(
    ctx: _Check, frame: pd.DataFrame, ticks: tuple[np.ndarray, np.ndarray]
) -> None:
    """``team_floor`` (warning): each run of intervals of a day's phone hours in which nobody
    of a team is on the phone, per team (see the module docstring for what is read how)."""
    rules, step = ctx.rules, ctx.step
    if not rules.team_floor or not ctx.hours:
        return
    names = sorted({person.team for person in ctx.people.values() if person.team})
    index = {team: k for k, team in enumerate(names)}
    rows, when = ticks
    agent_team = np.array(
        [index.get(ctx.people[a].team, -1) for a in frame["agent_id"].tolist()], dtype=np.int64
    )
    team = agent_team[rows] if len(rows) else np.zeros(0, dtype=np.int64)
    local = _local_ns(when, ctx.tz)
    keep = team >= 0
    day, minute = _day_of(local[keep]), _minute_of(local[keep])
    base = int(day.min()) if len(day) else 0
    span = int(day.max()) - base + 1 if len(day) else 1
    seen = np.unique((team[keep] * span + (day - base)) * (24 * 60) + minute)
    members = np.arange(len(names), dtype=np.int64)
    for date in sorted(ctx.hours):
        windows = rules.team_floor_minutes(*ctx.hours[date])
        minutes = [m for m in range(0, 24 * 60, step) if any(a <= m < b for a, b in windows)]
        if not minutes:
            continue
        offset = (date - _EPOCH).days - base
        grid = np.asarray(minutes, dtype=np.int64)
        if 0 <= offset < span:
            keys = (members[:, None] * span + offset) * (24 * 60) + grid[None, :]
            covered = np.isin(keys, seen)
        else:
            covered = np.zeros((len(names), len(minutes)), dtype=bool)
        for k, team_name in enumerate(names):
            nobody = grid[~covered[k]].tolist()
            for first, last in _minute_runs(nobody, step):
                start, end = _stamp(date, first, ctx.tz), _stamp(date, last + step, ctx.tz)
                ctx.warnings.append(
                    Violation(
                        "team_floor",
                        f"{date:%a %d %b} {_hhmm(first)}-{_hhmm(last + step)} team "
                        f"{team_name}: nobody of the team on the phone (phone policy: at least "
                        "one member of every team in phone hours)",
                        date=date,
                        severity="warning",
                        team=team_name,
                        start=start,
                        end=end,
                    )
                )


def _minute_runs(minutes: list[int], step: int) -> list[tuple[int, int]]:
    """Runs of consecutive grid minutes (sorted) as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for m in minutes:
        if runs and runs[-1][1] + step == m:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def _stamp(date: dt.date, minute: int, tz: str) -> pd.Timestamp:
    """The local time ``minute`` minutes after midnight of ``date`` (tz-aware)."""
    naive = pd.Timestamp(dt.datetime.combine(date, dt.time())) + pd.Timedelta(minutes=minute)
    return naive.tz_localize(tz, nonexistent="shift_forward", ambiguous=True)


def _recount(
    ctx: _Check,
    frame: pd.DataFrame,
    req: pd.DataFrame | None,
    ticks: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """The coverage table recomputed from the roster (empty without a requirement); warns
    ``empty_queue``."""
    coverage = _coverage(frame, ctx.people, req, ticks, ctx.warnings) if req is not None else None
    if coverage is None:
        coverage = pd.DataFrame(columns=CHECK_COVERAGE_COLUMNS)
    return coverage


def _freq(req: pd.DataFrame) -> int:
    diffs = []
    for _, rows in req.groupby(["queue", "date"]):
        values = sorted(rows["minute"])
        diffs += [b - a for a, b in zip(values, values[1:])]
    return min(diffs) if diffs else 15


def _coverage(
    frame: pd.DataFrame,
    people: dict[str, _Agent],
    req: pd.DataFrame,
    ticks: tuple[np.ndarray, np.ndarray],
    warnings: list[Violation],
) -> pd.DataFrame:
    """Coverage per interval and queue by maximum flow (see the module docstring); the
    agents on the phone in an interval are the phone rows' grid steps at its start."""
    rows, when = ticks
    kinds: dict[frozenset, int] = {}
    agent_kind = np.array(
        [
            kinds.setdefault(frozenset(people[a].skills), len(kinds))
            for a in frame["agent_id"].tolist()
        ],
        dtype=np.int64,
    )
    skill_sets = list(kinds)
    by_time = np.lexsort((rows, when))
    when, kind = when[by_time], agent_kind[rows[by_time]] if len(rows) else rows
    interval_ns, _ = _ns(req["interval_start"])
    order = np.argsort(interval_ns, kind="stable")
    new = np.r_[True, interval_ns[order][1:] != interval_ns[order][:-1]]
    firsts = np.flatnonzero(new)
    lasts = np.r_[firsts[1:], len(order)]
    starts = req["interval_start"]
    queues, required = req["queue"].tolist(), req["required"].tolist()
    out = []
    for a, b in zip(firsts.tolist(), lasts.tolist()):
        members = order[a:b].tolist()
        if interval_ns[members[0]] == _NAT:  # groupby leaves out a missing time
            continue
        start = starts.iat[members[0]]
        demand = {queues[i]: float(required[i]) for i in members}
        t = interval_ns[members[0]]
        lo, hi = np.searchsorted(when, t, side="left"), np.searchsorted(when, t, side="right")
        here, first, count = np.unique(kind[lo:hi], return_index=True, return_counts=True)
        supply = {
            skill_sets[int(here[j])]: float(count[j]) for j in np.argsort(first, kind="stable")
        }
        flow = _max_flow(supply, demand)
        for q, need in demand.items():
            skilled = sum(int(n) for g, n in supply.items() if q in g)
            got = flow.get(q, 0.0)
            out.append((start, q, need, skilled, got, max(need - got, 0.0)))
            if skilled == 0:
                warnings.append(
                    Violation(
                        "empty_queue",
                        f"{start:%a %d %b %H:%M} {q}: nobody with the skill on the phone",
                        date=start.date(),
                        severity="warning",
                    )
                )
    return pd.DataFrame(out, columns=CHECK_COVERAGE_COLUMNS)
