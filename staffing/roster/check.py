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
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, TypeAlias

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


@dataclass(frozen=True)
class _Day:
    """One agent's work on one day: its work rows (sorted) and the shift they span."""

    agent_id: str
    date: dt.date
    person: _Agent
    work: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    length: float  # minutes

    @property
    def label(self) -> str:
        return f"agent {self.agent_id} on {self.date}"


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
    _check_team_floor(ctx, frame)
    return ctx.report(_recount(ctx, frame, req))


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


def _check_rows(ctx: _Check, frame: pd.DataFrame) -> None:
    """Each row on its own: ``format`` (activity, end after start, over midnight, date, grid)
    and ``unknown_agent``."""
    step = ctx.step
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"roster row {i + 1} (agent {row.agent_id})"
        if row.activity not in _ACTIVITIES:
            ctx.err(
                "format", f"{where}: activity {row.activity!r} is not one of {sorted(_ACTIVITIES)}"
            )
        if row.agent_id not in ctx.people:
            ctx.err("unknown_agent", f"{where}: agent {row.agent_id} is not in the agents table")
        if not row.end > row.start:
            ctx.err(
                "format", f"{where}: ends {row.end:%H:%M}, not after its start {row.start:%H:%M}"
            )
        if row.start.date() != row.end.date() and not (row.end.hour == 0 and row.end.minute == 0):
            ctx.err("format", f"{where}: a block over midnight")
        if str(row.date) != str(row.start.date()):
            ctx.err(
                "format",
                f"{where}: date {row.date} is not the date of its start {row.start:%Y-%m-%d}",
            )
        for t in (row.start, row.end):
            if (t.hour * 60 + t.minute) % step or t.second:
                ctx.err("format", f"{where}: {t:%H:%M} is off the {step}-minute grid")


def _check_days(ctx: _Check, frame: pd.DataFrame) -> None:
    """Each agent's day: ``overlap``, then (on a working day) ``split_shift``,
    ``unavailable``, ``hours``, ``agent_hours``, ``shift_length``, ``lunch`` and
    ``blackout``; records each shift's length and paid hours for the weekly rules."""
    for (agent_id, date), rows in frame.groupby(["agent_id", frame["start"].dt.date], sort=True):
        rows = rows.sort_values("start")
        _check_overlaps(ctx, agent_id, date, rows)
        work = rows[rows["activity"].isin(_WORK)]
        if work.empty:
            continue
        w_start, w_end = work["start"].min(), work["end"].max()
        day = _Day(
            agent_id=agent_id,
            date=date,
            person=ctx.people[agent_id],
            work=work,
            start=w_start,
            end=w_end,
            length=(w_end - w_start).total_seconds() / 60,
        )
        if (rows["activity"] == "absence").any():
            ctx.err("split_shift", f"{day.label}: works and is absent the same day", agent_id, date)
        _check_shift(ctx, day)
        lunch_total = _check_lunch(ctx, day)
        _check_blackout(ctx, day)
        rules, length = ctx.rules, day.length
        ctx.shift_minutes[(agent_id, date)] = length
        unpaid = (
            lunch_total if not rules.lunch_paid and length > rules.lunch_after_hours * 60 else 0
        )
        ctx.paid[(agent_id, date)] = (length - unpaid) / 60.0


def _check_overlaps(ctx: _Check, agent_id: str, date: dt.date, rows: pd.DataFrame) -> None:
    """``overlap``: two blocks of the agent's day (sorted by start) at once."""
    label = f"agent {agent_id} on {date}"
    starts = rows["start"].tolist()
    ends = rows["end"].tolist()
    for k in range(1, len(rows)):
        if starts[k] < ends[k - 1]:
            ctx.err(
                "overlap",
                f"{label}: {rows['activity'].iloc[k - 1]} and "
                f"{rows['activity'].iloc[k]} overlap at {starts[k]:%H:%M}",
                agent_id,
                date,
            )


def _check_shift(ctx: _Check, day: _Day) -> None:
    """The shift as a whole: ``split_shift`` (a gap), ``unavailable``, ``hours`` (opening
    hours plus lead-in), ``agent_hours`` (earliest start, latest end) and ``shift_length``."""
    rules, person, label, work = ctx.rules, day.person, day.label, day.work
    agent_id, date, w_start, w_end, length = day.agent_id, day.date, day.start, day.end, day.length
    covered = sum((e - s).total_seconds() for s, e in zip(work["start"], work["end"])) / 60
    if abs(covered - length) > 1e-6:
        ctx.err(
            "split_shift",
            f"{label}: the day's work {w_start:%H:%M}-{w_end:%H:%M} has a gap "
            "(one shift a day, without holes)",
            agent_id,
            date,
        )
    if date in person.unavailable:
        ctx.err("unavailable", f"{label}: works on a booked unavailable day", agent_id, date)
    first, last = w_start.hour * 60 + w_start.minute, w_end.hour * 60 + w_end.minute
    if w_end.date() > date:
        last = 24 * 60
    if date in ctx.hours:
        opens, closes = ctx.hours[date]
        if first < opens - rules.lead_in_minutes or last > closes:
            ctx.err(
                "hours",
                f"{label}: shift {_hhmm(first)}-{_hhmm(last)} is outside the opening "
                f"hours {_hhmm(opens)}-{_hhmm(closes)} (plus {rules.lead_in_minutes} min "
                "lead-in)",
                agent_id,
                date,
            )
    if person.earliest is not None and first < person.earliest:
        ctx.err(
            "agent_hours",
            f"{label}: starts {_hhmm(first)}, before the agent's earliest "
            f"start {_hhmm(person.earliest)}",
            agent_id,
            date,
        )
    if person.latest is not None and last > person.latest:
        ctx.err(
            "agent_hours",
            f"{label}: ends {_hhmm(last)}, after the agent's latest end {_hhmm(person.latest)}",
            agent_id,
            date,
        )
    if not rules.min_shift_hours * 60 - 1e-6 <= length <= rules.max_shift_hours * 60 + 1e-6:
        ctx.err(
            "shift_length",
            f"{label}: a {length / 60:.2f} h shift; allowed "
            f"{rules.min_shift_hours:g}-{rules.max_shift_hours:g} h",
            agent_id,
            date,
        )


def _check_lunch(ctx: _Check, day: _Day) -> float:
    """``lunch``: missing on a long shift, more than one, wrong length or outside its window.

    Returns the minutes of lunch taken.
    """
    rules, label, agent_id, date = ctx.rules, day.label, day.agent_id, day.date
    lunches = day.work[day.work["activity"] == "lunch"]
    lunch_total = 0.0
    if day.length > rules.lunch_after_hours * 60 + 1e-6 and lunches.empty:
        ctx.err("lunch", f"{label}: a {day.length / 60:.2f} h shift without lunch", agent_id, date)
    if len(lunches) > 1:
        ctx.err("lunch", f"{label}: {len(lunches)} lunches", agent_id, date)
    for s, e in zip(lunches["start"], lunches["end"]):
        minutes = (e - s).total_seconds() / 60
        lunch_total += minutes
        if abs(minutes - rules.lunch_minutes) > 1e-6:
            ctx.err(
                "lunch",
                f"{label}: lunch of {minutes:g} min; expected {rules.lunch_minutes}",
                agent_id,
                date,
            )
        offset = (s - day.start).total_seconds() / 60
        if not (
            rules.lunch_earliest_after_start_minutes
            <= offset
            <= rules.lunch_latest_after_start_minutes
        ):
            ctx.err(
                "lunch",
                f"{label}: lunch at {s:%H:%M}, {offset / 60:.2f} h into the shift; "
                f"allowed {rules.lunch_earliest_after_start_minutes / 60:g}-"
                f"{rules.lunch_latest_after_start_minutes / 60:g} h",
                agent_id,
                date,
            )
    return lunch_total


def _check_blackout(ctx: _Check, day: _Day) -> None:
    """``blackout``: a meeting or training (not allowed in the blackout) in a blocked window."""
    rules, work = ctx.rules, day.work
    for s, e, act in zip(work["start"], work["end"], work["activity"]):
        if act not in ("meeting", "training"):
            continue
        if any(r.activity == act and r.allow_in_blackout for r in rules.meetings):
            continue
        a, b = s.hour * 60 + s.minute, e.hour * 60 + e.minute
        for w0, w1 in rules.meeting_blackout:
            lo, hi = w0.hour * 60 + w0.minute, w1.hour * 60 + w1.minute
            if a < hi and lo < b:
                ctx.err(
                    "blackout",
                    f"{day.label}: {act} {s:%H:%M}-{e:%H:%M} falls in the blocked "
                    f"window {_hhmm(lo)}-{_hhmm(hi)}",
                    day.agent_id,
                    day.date,
                )


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


def _check_team_floor(ctx: _Check, frame: pd.DataFrame) -> None:
    """``team_floor`` (warning): each run of intervals of a day's phone hours in which nobody
    of a team is on the phone, per team (see the module docstring for what is read how)."""
    rules, step = ctx.rules, ctx.step
    if not rules.team_floor or not ctx.hours:
        return
    teams: dict[str, list[str]] = defaultdict(list)
    for agent_id, person in ctx.people.items():
        if person.team:
            teams[person.team].append(agent_id)
    on_phone: dict[tuple[dt.date, int], set[str]] = defaultdict(set)
    phone = frame[frame["activity"] == "phone"]
    for agent_id, start, end in zip(phone["agent_id"], phone["start"], phone["end"]):
        t = start
        while t < end:
            on_phone[(t.date(), t.hour * 60 + t.minute)].add(agent_id)
            t = t + pd.Timedelta(minutes=step)
    for date in sorted(ctx.hours):
        windows = rules.team_floor_minutes(*ctx.hours[date])
        minutes = [m for m in range(0, 24 * 60, step) if any(a <= m < b for a, b in windows)]
        for team in sorted(teams):
            members = set(teams[team])
            nobody = [m for m in minutes if not members & on_phone.get((date, m), set())]
            for first, last in _minute_runs(nobody, step):
                start, end = _stamp(date, first, ctx.tz), _stamp(date, last + step, ctx.tz)
                ctx.warnings.append(
                    Violation(
                        "team_floor",
                        f"{date:%a %d %b} {_hhmm(first)}-{_hhmm(last + step)} team {team}: "
                        "nobody of the team on the phone (phone policy: at least one member "
                        "of every team in phone hours)",
                        date=date,
                        severity="warning",
                        team=team,
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


def _recount(ctx: _Check, frame: pd.DataFrame, req: pd.DataFrame | None) -> pd.DataFrame:
    """The coverage table recomputed from the roster (empty without a requirement); warns
    ``empty_queue``."""
    coverage = (
        _coverage(frame, ctx.people, req, ctx.step, ctx.warnings) if req is not None else None
    )
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
    step: int,
    warnings: list[Violation],
) -> pd.DataFrame:
    phone = frame[frame["activity"] == "phone"]
    on_phone: dict[pd.Timestamp, list[str]] = defaultdict(list)
    for agent_id, s, e in zip(phone["agent_id"], phone["start"], phone["end"]):
        t = s
        while t < e:
            on_phone[t].append(agent_id)
            t = t + pd.Timedelta(minutes=step)
    out = []
    for start, rows in req.groupby("interval_start", sort=True):
        demand = {q: float(r) for q, r in zip(rows["queue"], rows["required"])}
        agents_here = on_phone.get(start, [])
        supply: dict[frozenset, float] = defaultdict(float)
        for agent_id in agents_here:
            supply[frozenset(people[agent_id].skills)] += 1.0
        flow = _max_flow(dict(supply), demand)
        for q, need in demand.items():
            skilled = sum(1 for a in agents_here if q in people[a].skills)
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
