"""Agent-week patterns: the columns of the roster's master problem, and their pricing.

A *day option* of an agent is one shift template with one lunch position (or none for short
shifts); its *phone mask* marks the slots the agent is on the phone (on shift, not at lunch,
not in a locked block). A *pattern* is one option (or a day off) per day of an ISO week such
that the week's paid hours lie in the agent's bounds and at most ``max_days_per_week`` days are
worked. Patterns are priced by dynamic programming over the days (state: days worked, paid
quarter-hours): for given dual prices the best option of each paid length on each day is found
with one matrix product, and the DP picks the cheapest week (Desrosiers & Lübbecke, "A primer in
column generation", 2005; for rosters e.g. Jaumard, Semet & Vovor 1998).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict, overload

import numpy as np

from staffing.roster.instance import Instance, WeekPlan

__all__ = [
    "DayOptions",
    "Pattern",
    "day_options",
    "enumerate_patterns",
    "make_pattern",
    "price_pattern",
]


class PriceOptions(TypedDict):
    """The rules' keywords of `price_pattern` and `enumerate_patterns`."""

    max_days: int
    step: int
    weight_hours: float


@dataclass
class DayOptions:
    """The options of one agent on one day, as arrays (one entry per option)."""

    agent: int
    day: int
    template: np.ndarray  # index into instance.templates[(agent, day)]
    lunch: np.ndarray  # lunch start slot, -1 for none
    paid: np.ndarray  # paid minutes
    wish: np.ndarray  # cost of unmet wishes
    early: np.ndarray
    late: np.ndarray
    phone: np.ndarray  # bool (n_options, n_slots)
    forced: bool = False  # a locked day: one of these options must be worked

    def __len__(self) -> int:
        return len(self.paid)


@dataclass(frozen=True)
class Pattern:
    """One week of an agent: ``choice`` holds (day, option index) for every day worked."""

    agent: int
    week: str
    choice: tuple[tuple[int, int], ...]
    cost: float
    paid_minutes: int
    early: int
    late: int


@dataclass
class _Week:
    plan: WeekPlan
    options: list[DayOptions | None] = field(default_factory=list)


def _wish_cost(agent, template, weekday: int) -> int:
    unmet = 0
    for pref in agent.preferences:
        if pref.weekday is not None and pref.weekday != weekday:
            continue
        if pref.kind == "early" and not template.early:
            unmet += 1
        elif pref.kind == "late" and not template.late:
            unmet += 1
        elif pref.kind == "no_early" and template.early:
            unmet += 1
        elif pref.kind == "no_late" and template.late:
            unmet += 1
        elif pref.kind == "day_off":
            unmet += 1
    return unmet


def day_options(inst: Instance) -> dict[tuple[int, int], DayOptions]:
    """Every agent-day's options (shift x lunch) with their phone masks."""
    rules = inst.rules
    lunch_len = rules.lunch_minutes // rules.interval_minutes
    out: dict[tuple[int, int], DayOptions] = {}
    # agents with the same window share their templates' rows (one list per window and day)
    shared: dict[tuple[int, int], tuple[list, tuple[np.ndarray, ...]]] = {}
    for (a, d), tpls in inst.templates.items():
        if not tpls:
            continue
        agent = inst.agents[a]
        day = inst.days[d]
        cached = shared.get((id(tpls), d))
        if cached is None or cached[0] is not tpls:
            cached = (tpls, _template_rows(tpls, day.n_slots, lunch_len))
            shared[(id(tpls), d)] = cached
        template, lunch, paid, early, late, phone = cached[1]
        fixed = inst.fixed_blocks.get((a, d), [])
        if fixed:
            blocked = np.zeros(day.n_slots, dtype=bool)
            for _, start, n in fixed:
                blocked[start : start + n] = True
            phone = phone & ~blocked
        weekday = day.date.weekday()
        wishes = [_wish_cost(agent, t, weekday) * rules.weight_wish for t in tpls]
        out[(a, d)] = DayOptions(
            agent=a,
            day=d,
            template=template,
            lunch=lunch,
            paid=paid,
            wish=np.asarray(wishes, dtype=float)[template] if len(template) else np.zeros(0),
            early=early,
            late=late,
            phone=phone,
            forced=(a, d) in inst.locks and not inst.locks[(a, d)].absence,
        )
    return out


def _template_rows(tpls: list, n_slots: int, lunch_len: int) -> tuple[np.ndarray, ...]:
    """The options of a day's templates (each template once per lunch start, or once without
    lunch): template index, lunch slot (-1 none), paid minutes, early, late, phone mask."""
    template, lunch = [], []
    for k, t in enumerate(tpls):
        for p in t.lunch or (-1,):
            template.append(k)
            lunch.append(p)
    tpl = np.asarray(template, dtype=int)
    lun = np.asarray(lunch, dtype=int)
    start = np.asarray([t.start for t in tpls], dtype=int)[tpl] if tpls else tpl
    end = np.asarray([t.end for t in tpls], dtype=int)[tpl] if tpls else tpl
    slots = np.arange(n_slots)[None, :]
    phone = (slots >= start[:, None]) & (slots < end[:, None])
    at_lunch = (lun[:, None] >= 0) & (slots >= lun[:, None]) & (slots < lun[:, None] + lunch_len)
    phone &= ~at_lunch
    paid = np.asarray([t.paid_minutes for t in tpls], dtype=int)[tpl] if tpls else tpl
    early = np.asarray([t.early for t in tpls], dtype=bool)[tpl] if tpls else tpl.astype(bool)
    late = np.asarray([t.late for t in tpls], dtype=bool)[tpl] if tpls else tpl.astype(bool)
    return tpl, lun, paid, early, late, phone


def _hours_cost(plan: WeekPlan, paid_minutes: np.ndarray, weight: float) -> np.ndarray:
    return weight * np.abs(paid_minutes - plan.target_minutes) / 60.0


@overload
def price_pattern(
    plan: WeekPlan,
    options: list[DayOptions | None],
    option_cost: list[np.ndarray | None],
    *,
    max_days: int,
    step: int,
    weight_hours: float,
    extra: Literal[0] = 0,
) -> tuple[Pattern | None, float]: ...


@overload
def price_pattern(
    plan: WeekPlan,
    options: list[DayOptions | None],
    option_cost: list[np.ndarray | None],
    *,
    max_days: int,
    step: int,
    weight_hours: float,
    extra: int,
) -> tuple[Pattern | None, float] | list[tuple[Pattern, float]]: ...


def price_pattern(
    plan: WeekPlan,
    options: list[DayOptions | None],
    option_cost: list[np.ndarray | None],
    *,
    max_days: int,
    step: int,
    weight_hours: float,
    extra: int = 0,
) -> tuple[Pattern | None, float] | list[tuple[Pattern, float]]:
    """The cheapest pattern of one agent-week for per-option costs (already reduced by duals).

    ``options[i]`` / ``option_cost[i]`` belong to the i-th day of ``plan.days`` (``None`` = the
    agent cannot work that day). Returns the pattern and its cost (hours deviation included);
    ``(None, inf)`` when no pattern meets the hours bounds. With ``extra > 0`` a list of up to
    ``1 + extra`` (pattern, cost) pairs is returned instead: the best pattern of each of the
    cheapest end states (days worked, paid hours), cheapest first.
    """
    unit = step
    lo = int(np.ceil(plan.lo_minutes / unit - 1e-9))
    hi = int(np.floor(plan.hi_minutes / unit + 1e-9))
    if hi < 0:
        return [] if extra else (None, np.inf)
    n_days = len(plan.days)
    width = hi + 1
    inf = np.inf
    # dp[k, h]: cheapest cost with k days worked and h paid units; keep choices for backtracking
    dp = np.full((max_days + 1, width), inf)
    dp[0, 0] = 0.0
    back: list[dict[str, np.ndarray]] = []  # per day: "choice" (k, h) -> units used, -1 off
    best_by_len: list[dict[int, tuple[int, float]]] = []
    for i in range(n_days):
        opts, cost = options[i], option_cost[i]
        lengths: dict[int, tuple[int, float]] = {}
        if opts is not None and len(opts):
            assert cost is not None  # a day with options has their costs
            units = opts.paid // unit
            order = np.lexsort((cost, units))
            ranked = units[order]
            first = np.ones(len(order), dtype=bool)
            first[1:] = ranked[1:] != ranked[:-1]  # the cheapest option of each paid length
            for idx in order[first].tolist():
                lengths[int(units[idx])] = (idx, float(cost[idx]))
        best_by_len.append(lengths)
        forced = opts is not None and opts.forced
        new = np.full_like(dp, inf) if forced else dp.copy()
        choice = np.full(dp.shape, -1, dtype=np.int64)  # -1: day off; else units used
        for u, (_, c) in lengths.items():
            if u >= width:
                continue
            # working this day at u units: from (k - 1, h - u); the first cheapest is kept
            cand = dp[:-1, : width - u] + c
            better = cand < new[1:, u:]
            np.copyto(new[1:, u:], cand, where=better)
            np.copyto(choice[1:, u:], u, where=better)
        back.append({"choice": choice})
        dp = new
    hours = np.arange(width) * unit
    final = dp + _hours_cost(plan, hours, weight_hours)[None, :]
    final[:, :lo] = inf
    if not np.isfinite(final).any():
        return [] if extra else (None, inf)
    order = np.argsort(final, axis=None)[: 1 + extra]
    found: list[tuple[Pattern, float]] = []
    for flat in order:
        k, h = np.unravel_index(int(flat), final.shape)
        total = float(final[k, h])
        if not np.isfinite(total):
            break
        found.append(
            (_backtrack(plan, options, back, best_by_len, int(k), int(h), weight_hours), total)
        )
    if extra:
        return found
    return found[0]


def _backtrack(plan, options, back, best_by_len, k: int, h: int, weight_hours: float) -> Pattern:
    picks: list[tuple[int, int]] = []
    for i in range(len(plan.days) - 1, -1, -1):
        u = int(back[i]["choice"][k, h])
        if u >= 0:
            picks.append((plan.days[i], best_by_len[i][u][0]))
            k, h = k - 1, h - u
    picks.reverse()
    return make_pattern(plan, options, picks, weight_hours)


def make_pattern(
    plan: WeekPlan,
    options: list[DayOptions | None],
    picks: list[tuple[int, int]],
    weight_hours: float,
) -> Pattern:
    """The pattern of ``plan`` that works option ``o`` on day ``d`` for every ``(d, o)`` of
    ``picks`` (days in the order of ``plan.days``): its paid minutes, early and late shifts,
    and cost (the options' unmet wishes and the hours' deviation from the target). Whether it
    keeps the hours' bounds is the caller's to check."""
    paid = early = late = 0
    wish = 0.0
    for d, o in picks:
        opts = options[plan.days.index(d)]
        assert opts is not None  # a picked day has options
        paid += int(opts.paid[o])
        early += int(opts.early[o])
        late += int(opts.late[o])
        wish += float(opts.wish[o])
    cost = wish + float(_hours_cost(plan, np.asarray([paid]), weight_hours)[0])
    return Pattern(
        agent=plan.agent,
        week=plan.week,
        choice=tuple(picks),
        cost=cost,
        paid_minutes=paid,
        early=early,
        late=late,
    )


def count_patterns(
    plan: WeekPlan,
    options: list[DayOptions | None],
    *,
    max_days: int,
    step: int,
    cap: int | None = None,
) -> int:
    """How many patterns an agent-week has (exact integer count, by DP over days worked and
    paid units); with ``cap``, counts above it are reported as ``cap`` (enough to compare with
    a limit below it, and fast: machine integers)."""
    lo = int(np.ceil(plan.lo_minutes / step - 1e-9))
    hi = int(np.floor(plan.hi_minutes / step + 1e-9))
    if hi < 0:
        return 0
    dtype: type | np.dtype = object if cap is None else np.int64
    counts = np.zeros((max_days + 1, hi + 1), dtype=dtype)
    counts[0, 0] = 1
    for opts in options:
        forced = opts is not None and opts.forced
        nxt = np.zeros_like(counts) if forced else counts.copy()
        if opts is not None and max_days > 0:
            units, n = np.unique(opts.paid // step, return_counts=True)
            for u, mult in zip(units.tolist(), n.tolist()):
                if u <= hi:
                    nxt[1:, u:] += counts[:-1, : hi + 1 - u] * mult
        if cap is not None:
            np.minimum(nxt, cap, out=nxt)
        counts = nxt
    total = int(counts[:, max(lo, 0) :].sum())
    return total if cap is None else min(total, cap)


def enumerate_patterns(
    plan: WeekPlan,
    options: list[DayOptions | None],
    *,
    max_days: int,
    step: int,
    weight_hours: float,
    limit: int,
) -> list[Pattern] | None:
    """All patterns of an agent-week, or ``None`` when there are more than ``limit``."""
    if count_patterns(plan, options, max_days=max_days, step=step, cap=limit + 1) > limit:
        return None
    out: list[Pattern] = []

    def walk(i: int, picks: list[tuple[int, int]], paid: int, cost: float) -> None:
        if i == len(options):
            if plan.lo_minutes - 1e-6 <= paid <= plan.hi_minutes + 1e-6:
                dev = float(_hours_cost(plan, np.asarray([paid]), weight_hours)[0])
                e = la = 0
                for d, o in picks:
                    picked = options[plan.days.index(d)]
                    assert picked is not None  # only days with options are picked
                    e += int(picked.early[o])
                    la += int(picked.late[o])
                out.append(Pattern(plan.agent, plan.week, tuple(picks), cost + dev, paid, e, la))
            return
        opts = options[i]
        if opts is None or not opts.forced:
            walk(i + 1, picks, paid, cost)
        if opts is None or len(picks) >= max_days:
            return
        for o in range(len(opts)):
            p = int(opts.paid[o])
            if paid + p > plan.hi_minutes + 1e-6:
                continue
            walk(i + 1, [*picks, (plan.days[i], o)], paid + p, cost + float(opts.wish[o]))

    walk(0, [], 0, 0.0)
    return out
