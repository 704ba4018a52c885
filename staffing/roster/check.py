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
skill on the phone inside a queue's window), ``no_requirement_hours``.

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

import pandas as pd

from staffing.roster.rules import ShiftRules

__all__ = ["Violation", "CheckReport", "check_roster", "CHECK_COVERAGE_COLUMNS"]

TZ = "Europe/Copenhagen"
_ACTIVITIES = {"phone", "break", "lunch", "meeting", "training", "absence"}
_WORK = {"phone", "break", "lunch", "meeting", "training"}
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
            team=str(row.get("team", "")),
        )
    return out


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
def _max_flow(supply: dict[frozenset, float], demand: dict[str, float]) -> dict[str, float]:
    """Flow into each queue of a max flow: groups (skill set -> people) to queues to sink."""
    nodes = ["s", "t"] + [("g", g) for g in supply] + [("q", q) for q in demand]
    cap: dict[tuple, dict[tuple, float]] = {n: defaultdict(float) for n in nodes}
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
        queue = deque(["s"])
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
    rules = rules or ShiftRules()
    errors: list[Violation] = []
    warnings: list[Violation] = []
    people = _agents(agents)
    step = rules.interval_minutes

    def err(rule: str, message: str, agent: str | None = None, date: dt.date | None = None):
        errors.append(Violation(rule, message, agent, date))

    missing = [c for c in ("agent_id", "date", "start", "end", "activity") if c not in roster]
    if missing:
        err("format", f"roster is missing column(s) {', '.join(missing)}")
        return CheckReport(tuple(errors), tuple(warnings))
    frame = roster.copy()
    frame["agent_id"] = frame["agent_id"].astype(str).str.strip()
    if len(frame):
        frame["start"] = _local(frame["start"], tz)
        frame["end"] = _local(frame["end"], tz)
    # ---- the days of the plan and their hours
    hours: dict[dt.date, tuple[int, int]] = {}
    req = None
    if requirements is not None and len(requirements):
        req = requirements.copy()
        req["interval_start"] = _local(req["interval_start"], tz)
        column = rules.covered_column(req.columns)
        req["required"] = pd.to_numeric(req[column], errors="coerce").fillna(0.0)
        req["date"] = req["interval_start"].dt.date
        req["minute"] = req["interval_start"].dt.hour * 60 + req["interval_start"].dt.minute
        freq = _freq(req)
        for date, rows in req.groupby("date"):
            hours[date] = (int(rows["minute"].min()), int(rows["minute"].max()) + freq)
    if calendar is not None:
        for date in list(hours) or sorted(set(frame["start"].dt.date)):
            opening = calendar.opening_hours(date)
            if opening is not None:
                close = opening[1].hour * 60 + opening[1].minute
                hours[date] = (opening[0].hour * 60 + opening[0].minute, close)
    plan_days = sorted(hours) if hours else sorted(set(frame["start"].dt.date))
    if not hours:
        warnings.append(
            Violation(
                "no_requirement_hours",
                "no requirements or calendar given: opening hours not checked",
                severity="warning",
            )
        )
    # ---- row format
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"roster row {i + 1} (agent {row.agent_id})"
        if row.activity not in _ACTIVITIES:
            err("format", f"{where}: activity {row.activity!r} is not one of {sorted(_ACTIVITIES)}")
        if row.agent_id not in people:
            err("unknown_agent", f"{where}: agent {row.agent_id} is not in the agents table")
        if not row.end > row.start:
            err("format", f"{where}: ends {row.end:%H:%M}, not after its start {row.start:%H:%M}")
        if row.start.date() != row.end.date() and not (row.end.hour == 0 and row.end.minute == 0):
            err("format", f"{where}: a block over midnight")
        if str(row.date) != str(row.start.date()):
            err(
                "format",
                f"{where}: date {row.date} is not the date of its start {row.start:%Y-%m-%d}",
            )
        for t in (row.start, row.end):
            if (t.hour * 60 + t.minute) % step or t.second:
                err("format", f"{where}: {t:%H:%M} is off the {step}-minute grid")
    if errors:
        return CheckReport(tuple(errors), tuple(warnings))
    # ---- per agent and day
    shift_minutes: dict[tuple[str, dt.date], int] = {}
    paid: dict[tuple[str, dt.date], float] = {}
    for (agent_id, date), rows in frame.groupby(["agent_id", frame["start"].dt.date], sort=True):
        rows = rows.sort_values("start")
        person = people[agent_id]
        label = f"agent {agent_id} on {date}"
        starts = rows["start"].tolist()
        ends = rows["end"].tolist()
        for k in range(1, len(rows)):
            if starts[k] < ends[k - 1]:
                err(
                    "overlap",
                    f"{label}: {rows['activity'].iloc[k - 1]} and "
                    f"{rows['activity'].iloc[k]} overlap at {starts[k]:%H:%M}",
                    agent_id,
                    date,
                )
        work = rows[rows["activity"].isin(_WORK)]
        if work.empty:
            continue
        if (rows["activity"] == "absence").any():
            err("split_shift", f"{label}: works and is absent the same day", agent_id, date)
        w_start, w_end = work["start"].min(), work["end"].max()
        covered = sum((e - s).total_seconds() for s, e in zip(work["start"], work["end"])) / 60
        length = (w_end - w_start).total_seconds() / 60
        if abs(covered - length) > 1e-6:
            err(
                "split_shift",
                f"{label}: the day's work {w_start:%H:%M}-{w_end:%H:%M} has a gap "
                "(one shift a day, without holes)",
                agent_id,
                date,
            )
        if date in person.unavailable:
            err("unavailable", f"{label}: works on a booked unavailable day", agent_id, date)
        first, last = w_start.hour * 60 + w_start.minute, w_end.hour * 60 + w_end.minute
        if w_end.date() > date:
            last = 24 * 60
        if date in hours:
            opens, closes = hours[date]
            if first < opens - rules.lead_in_minutes or last > closes:
                err(
                    "hours",
                    f"{label}: shift {_hhmm(first)}-{_hhmm(last)} is outside the opening "
                    f"hours {_hhmm(opens)}-{_hhmm(closes)} (plus {rules.lead_in_minutes} min "
                    "lead-in)",
                    agent_id,
                    date,
                )
        if person.earliest is not None and first < person.earliest:
            err(
                "agent_hours",
                f"{label}: starts {_hhmm(first)}, before the agent's earliest "
                f"start {_hhmm(person.earliest)}",
                agent_id,
                date,
            )
        if person.latest is not None and last > person.latest:
            err(
                "agent_hours",
                f"{label}: ends {_hhmm(last)}, after the agent's latest end {_hhmm(person.latest)}",
                agent_id,
                date,
            )
        if not rules.min_shift_hours * 60 - 1e-6 <= length <= rules.max_shift_hours * 60 + 1e-6:
            err(
                "shift_length",
                f"{label}: a {length / 60:.2f} h shift; allowed "
                f"{rules.min_shift_hours:g}-{rules.max_shift_hours:g} h",
                agent_id,
                date,
            )
        lunches = work[work["activity"] == "lunch"]
        lunch_total = 0.0
        if length > rules.lunch_after_hours * 60 + 1e-6 and lunches.empty:
            err("lunch", f"{label}: a {length / 60:.2f} h shift without lunch", agent_id, date)
        if len(lunches) > 1:
            err("lunch", f"{label}: {len(lunches)} lunches", agent_id, date)
        for s, e in zip(lunches["start"], lunches["end"]):
            minutes = (e - s).total_seconds() / 60
            lunch_total += minutes
            if abs(minutes - rules.lunch_minutes) > 1e-6:
                err(
                    "lunch",
                    f"{label}: lunch of {minutes:g} min; expected {rules.lunch_minutes}",
                    agent_id,
                    date,
                )
            offset = (s - w_start).total_seconds() / 60
            if not (
                rules.lunch_earliest_after_start_minutes
                <= offset
                <= rules.lunch_latest_after_start_minutes
            ):
                err(
                    "lunch",
                    f"{label}: lunch at {s:%H:%M}, {offset / 60:.2f} h into the shift; "
                    f"allowed {rules.lunch_earliest_after_start_minutes / 60:g}-"
                    f"{rules.lunch_latest_after_start_minutes / 60:g} h",
                    agent_id,
                    date,
                )
        for s, e, act in zip(work["start"], work["end"], work["activity"]):
            if act not in ("meeting", "training"):
                continue
            if any(r.activity == act and r.allow_in_blackout for r in rules.meetings):
                continue
            a, b = s.hour * 60 + s.minute, e.hour * 60 + e.minute
            for w0, w1 in rules.meeting_blackout:
                lo, hi = w0.hour * 60 + w0.minute, w1.hour * 60 + w1.minute
                if a < hi and lo < b:
                    err(
                        "blackout",
                        f"{label}: {act} {s:%H:%M}-{e:%H:%M} falls in the blocked "
                        f"window {_hhmm(lo)}-{_hhmm(hi)}",
                        agent_id,
                        date,
                    )
        shift_minutes[(agent_id, date)] = length
        unpaid = (
            lunch_total if not rules.lunch_paid and length > rules.lunch_after_hours * 60 else 0
        )
        paid[(agent_id, date)] = (length - unpaid) / 60.0
    # ---- weeks
    weeks: dict[str, list[dt.date]] = defaultdict(list)
    for date in plan_days:
        year, week, _ = date.isocalendar()
        weeks[f"{year}-W{week:02d}"].append(date)
    for agent_id, person in people.items():
        for week, days in sorted(weeks.items()):
            worked = [d for d in days if (agent_id, d) in shift_minutes]
            if len(worked) > rules.max_days_per_week:
                err(
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
            planned = sum(paid.get((agent_id, d), 0.0) for d in days)
            if not lo - 1e-6 <= planned <= hi + 1e-6:
                err(
                    "weekly_hours",
                    f"agent {agent_id} has {planned:.2f} h in {week}; the week's "
                    f"norm is {target:.2f} h (+- {rules.hours_tolerance:g} h)",
                    agent_id,
                )
    # ---- locks
    if locks is not None and len(locks):
        lk = locks.copy()
        lk["start"] = _local(lk["start"], tz)
        lk["end"] = _local(lk["end"], tz)
        have = set(zip(frame["agent_id"], frame["start"], frame["end"], frame["activity"]))
        for row in lk.itertuples(index=False):
            if (str(row.agent_id), row.start, row.end, row.activity) not in have:
                when = f"{row.start:%Y-%m-%d %H:%M}-{row.end:%H:%M}"
                err(
                    "lock",
                    f"locked {row.activity} of agent {row.agent_id} {when} is not in the roster",
                    str(row.agent_id),
                )
    coverage = _coverage(frame, people, req, step, warnings) if req is not None else None
    if coverage is None:
        coverage = pd.DataFrame(columns=CHECK_COVERAGE_COLUMNS)
    return CheckReport(tuple(errors), tuple(warnings), coverage)


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
