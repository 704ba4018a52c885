"""The phone policy per team (document 001, point 1: at least one employee of every team on the
phone in phone hours): the rule in `ShiftRules`, the optimizer's ``team_`` rows and the
independent checker's ``team_floor`` findings.

The checker is tested on planted rosters (a team meeting that takes a whole team off the phone
for an hour, a team on holiday, random rosters against a count by brute force); the optimizer
on small days whose every plan is enumerated here, from the rules, not from its templates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import tomllib
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
import roster_cases as rc

from planner.errors import InputError
from planner.io.rules import parse_rules
from sampledata.agents import default_rules_toml
from staffing.roster.check import check_roster
from staffing.roster.heuristics import _repair_floors
from staffing.roster.instance import build_instance
from staffing.roster.master import add_floor_rows, build_master, seed_patterns
from staffing.roster.model import build_roster_model
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import shortfall_weights, solve_roster

DAY = rc.monday()
DATE = dt.date.fromisoformat(DAY)
#: without meetings and fairness, so that the small cases below can be enumerated
PLAIN = ShiftRules(meetings=(), weight_unfair=0.0)


def at(h: int, m: int) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(DATE, dt.time(h, m))).tz_localize(rc.TZ)


def rows(*blocks: tuple[str, tuple[int, int], tuple[int, int], str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"agent_id": a, "date": DATE, "start": at(*s), "end": at(*e), "activity": act}
            for a, s, e, act in blocks
        ]
    )


def team_findings(report) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    return sorted((v.team, v.start, v.end) for v in report.warnings if v.rule == "team_floor")


# ---------------------------------------------------------------------------------------------
# The rule in rules.toml
# ---------------------------------------------------------------------------------------------
def test_rule_defaults_and_toml():
    rules = ShiftRules()
    assert rules.team_floor is True
    assert rules.team_floor_hours == ()
    assert rules.weight_team_floor == rules.weight_empty_queue == 200.0
    text = default_rules_toml()
    assert "\nteam_floor = true\n" in text and "\nteam_floor_hours = []\n" in text
    assert ShiftRules.from_mapping(tomllib.loads(text)) == rules
    back = parse_rules('team_floor = false\nteam_floor_hours = [["09:00", "16:00"]]\n')
    assert back.team_floor is False
    assert back.team_floor_hours == ((dt.time(9), dt.time(16)),)
    assert ShiftRules.from_mapping(back.to_mapping()) == back


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('team_floor = "yes"', "team_floor must be true or false; got 'yes'"),
        ("team_floor = 1", "team_floor must be true or false; got 1"),
        ('team_floor_hours = "09:00"', "team_floor_hours must be a list of pairs"),
        ('team_floor_hours = [["09:00"]]', "team_floor_hours entries must be pairs"),
        ('team_floor_hours = [["16:00", "09:00"]]', "windows must start before they end"),
        ('team_floor_hours = [["9 am", "16:00"]]', "team_floor_hours must be a clock time"),
        ("weight_team_floor = 0", "weight_team_floor must be a number > 0; got 0"),
        ("weight_team_floor = true", "weight_team_floor must be a number > 0; got True"),
        ("team_flor = true", "unknown rule\\(s\\) team_flor"),
    ],
)
def test_bad_values_are_refused(toml, message):
    with pytest.raises(InputError, match=message):
        parse_rules(toml)


def test_phone_hours():
    """The opening hours by default, cut to the windows given, nothing with the rule off."""
    assert ShiftRules().team_floor_minutes(450, 900) == [(450, 900)]
    cut = ShiftRules(team_floor_hours=((dt.time(9), dt.time(12)), (dt.time(13), dt.time(16))))
    assert cut.team_floor_minutes(450, 900) == [(540, 720), (780, 900)]
    assert ShiftRules(team_floor=False).team_floor_minutes(450, 900) == []


# ---------------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------------
#: two teams of two; T1 covers the day, T2's lunches are apart (a legal roster, every team on
#: the phone all day)
VALID = rows(
    ("A1", (7, 30), (11, 0), "phone"),
    ("A1", (11, 0), (11, 30), "lunch"),
    ("A1", (11, 30), (15, 0), "phone"),
    ("A2", (8, 30), (12, 0), "phone"),
    ("A2", (12, 0), (12, 30), "lunch"),
    ("A2", (12, 30), (16, 0), "phone"),
    ("A3", (7, 30), (11, 0), "phone"),
    ("A3", (11, 0), (11, 30), "lunch"),
    ("A3", (11, 30), (15, 0), "phone"),
    ("A4", (8, 30), (12, 0), "phone"),
    ("A4", (12, 0), (12, 30), "lunch"),
    ("A4", (12, 30), (16, 0), "phone"),
)
TEAMS = rc.agents(
    {"team": "T1", "skills": "Q"},
    {"team": "T1", "skills": "Q"},
    {"team": "T2", "skills": "Q"},
    {"team": "T2", "skills": "Q"},
)
REQ = rc.requirements([DAY], {"Q": 1}, start="07:30", end="16:00")


def _with_meeting(roster: pd.DataFrame, agents: list[str], start, end) -> pd.DataFrame:
    """``roster`` with a meeting [start, end) cut out of the phone rows of ``agents``."""
    out = []
    for row in roster.to_dict("records"):
        if row["agent_id"] in agents and row["activity"] == "phone":
            s, e = row["start"], row["end"]
            if s < end and start < e:
                if s < start:
                    out.append({**row, "end": start})
                out.append(
                    {**row, "start": max(s, start), "end": min(e, end), "activity": "meeting"}
                )
                if end < e:
                    out.append({**row, "start": end})
                continue
        out.append(row)
    return pd.DataFrame(out).sort_values(["agent_id", "start"]).reset_index(drop=True)


def test_valid_roster_has_no_finding():
    report = check_roster(VALID, TEAMS, REQ, PLAIN)
    assert report.ok, report.summary()
    assert team_findings(report) == []


def test_team_meeting_that_empties_a_team_is_flagged():
    """T2's meeting 13:00-14:00 with both members takes the team off the phone for an hour:
    one finding, team T2, exactly those four intervals; the plan stays legal (a warning)."""
    planted = _with_meeting(VALID, ["A3", "A4"], at(13, 0), at(14, 0))
    assert (planted["activity"] == "meeting").sum() == 2
    report = check_roster(planted, TEAMS, REQ, PLAIN)
    assert report.ok, report.summary()
    assert team_findings(report) == [("T2", at(13, 0), at(14, 0))]
    (finding,) = [v for v in report.warnings if v.rule == "team_floor"]
    assert finding.severity == "warning" and finding.date == DATE
    assert "13:00-14:00 team T2: nobody of the team on the phone" in finding.message
    # the queue is not empty then (T1 is on the phone): a team floor, not a queue floor
    assert not [v for v in report.warnings if v.rule == "empty_queue"]


def test_phone_hours_and_the_switch():
    planted = _with_meeting(VALID, ["A3", "A4"], at(13, 0), at(14, 0))
    off = dataclasses.replace(PLAIN, team_floor=False)
    assert team_findings(check_roster(planted, TEAMS, REQ, off)) == []
    later = dataclasses.replace(PLAIN, team_floor_hours=((dt.time(13, 30), dt.time(16)),))
    assert team_findings(check_roster(planted, TEAMS, REQ, later)) == [
        ("T2", at(13, 30), at(14, 0))
    ]
    outside = dataclasses.replace(PLAIN, team_floor_hours=((dt.time(14), dt.time(16)),))
    assert team_findings(check_roster(planted, TEAMS, REQ, outside)) == []


def test_team_on_holiday_and_agents_without_a_team():
    """A team with everybody away is one finding for the whole day; agents without a team
    (a blank ``team`` cell) are in none."""
    away = pd.concat(
        [
            VALID[~VALID["agent_id"].isin(["A3", "A4"])],
            rows(("A3", (7, 30), (16, 0), "absence"), ("A4", (7, 30), (16, 0), "absence")),
        ],
        ignore_index=True,
    )
    agents = TEAMS.assign(unavailable=["", "", DAY, DAY])
    report = check_roster(away, agents, REQ, PLAIN)
    assert team_findings(report) == [("T2", at(7, 30), at(16, 0))]
    no_team = agents.assign(team=["T1", "T1", "", float("nan")])
    assert team_findings(check_roster(away, no_team, REQ, PLAIN)) == []


def _brute_force_gaps(roster: pd.DataFrame, agents: pd.DataFrame, opens: int, closes: int):
    """(team, start, end) runs with no member on the phone, minute by minute."""
    team_of = dict(zip(agents["agent_id"], agents["team"]))
    phone = roster[roster["activity"] == "phone"]
    gaps = set()
    for team in set(team_of.values()):
        members = {a for a, t in team_of.items() if t == team}
        mine = phone[phone["agent_id"].isin(members)]
        spans = [
            (s.hour * 60 + s.minute, e.hour * 60 + e.minute)
            for s, e in zip(mine["start"], mine["end"])
        ]
        nobody = [m for m in range(opens, closes) if not any(a <= m < b for a, b in spans)]
        for _, run in itertools.groupby(enumerate(nobody), key=lambda p: p[1] - p[0]):
            minutes = [m for _, m in run]
            first, last = minutes[0], minutes[-1] + 1
            gaps.add((team, at(first // 60, first % 60), at(last // 60, last % 60)))
    return sorted(gaps)


@pytest.mark.parametrize("seed", range(8))
def test_random_rosters_against_brute_force(seed):
    """Random shifts, lunches and meetings of six agents in three teams: the checker's runs are
    the runs of minutes in which no member has a phone row."""
    rng = np.random.default_rng(seed)
    agents = rc.agents(*({"team": f"T{i % 3}", "skills": "Q"} for i in range(6)))
    blocks = []
    for agent_id in agents["agent_id"]:
        if rng.random() < 0.15:
            continue  # a day off
        start = 7 * 60 + 15 * int(rng.integers(0, 12))
        end = min(start + 15 * int(rng.integers(16, 36)), 16 * 60)
        cuts = sorted({start, end} | {start + 15 * int(k) for k in rng.integers(1, 12, size=3)})
        cuts = [c for c in cuts if c <= end]
        for a, b in zip(cuts, cuts[1:]):
            activity = rng.choice(["phone", "phone", "lunch", "meeting", "break"])
            blocks.append((agent_id, divmod(a, 60), divmod(b, 60), str(activity)))
    roster = rows(*blocks)
    report = check_roster(roster, agents, REQ, PLAIN)
    assert team_findings(report) == _brute_force_gaps(roster, agents, 7 * 60 + 30, 16 * 60)


# ---------------------------------------------------------------------------------------------
# The optimizer, against brute force
# ---------------------------------------------------------------------------------------------
#: 6-hour shifts exactly (no lunch), so that a day of four agents can be enumerated
SIX = dataclasses.replace(PLAIN, hours_tolerance=0.0)
FIRST, CLOSE = 7 * 60 + 15, 16 * 60  # the grid: 15 minutes of lead-in before 07:30


def _brute_force(rules: ShiftRules, agents: list[dict], needs: list[float]):
    """The best objective over every plan of one day with 6-hour shifts, the best among plans
    that leave no team off the phone, and how many plans were tried.

    Written from the rules: a shift starts on the 15-minute grid from the lead-in and ends by
    closing; costs as the rules' weights say (Erlang-A shortfall, surplus, empty queue, team
    floor, unmet "late" wishes).
    """
    step = rules.interval_minutes
    n = (CLOSE - FIRST) // step
    length = 6 * 60 // step
    starts = list(range(n - length + 1))
    required = np.asarray([0.0] + needs)
    breaks, slopes = shortfall_weights(np.asarray(needs, dtype=float), rules=rules)
    working = [a for a in agents if not a.get("unavailable")]
    plans = np.asarray(list(itertools.product(starts, repeat=len(working))))
    phone = np.zeros((len(plans), len(working), n), dtype=bool)
    for k in range(len(working)):
        for s in starts:
            phone[plans[:, k] == s, k, s : s + length] = True
    count = phone.sum(axis=1)
    covered = np.minimum(count, required)
    short = (required - covered)[:, 1:]
    widths = np.diff(breaks, axis=1)
    taken = np.clip(short[:, :, None] - breaks[None, :, :-1], 0, widths[None])
    cost = (taken * slopes[None]).sum(axis=(1, 2))
    cost += rules.weight_over * (count.sum(axis=1) - covered.sum(axis=1))
    cost += rules.weight_empty_queue * (count[:, 1:] == 0).sum(axis=1)
    late = FIRST + (np.asarray(starts) + length) * step > CLOSE - rules.early_late_margin_minutes
    for k, agent in enumerate(working):
        if agent.get("preferences") == "late":
            cost += rules.weight_wish * ~late[plans[:, k]]
    team_gap = np.zeros(len(plans))
    for team in sorted({a["team"] for a in agents}):
        members = [k for k, a in enumerate(working) if a["team"] == team]
        on = phone[:, members, 1:].any(axis=1) if members else np.zeros((len(plans), n - 1), bool)
        team_gap += (~on).sum(axis=1)
    if rules.team_floor:
        cost += rules.weight_team_floor * team_gap
    return float(cost.min()), float(cost[team_gap == 0].min(initial=np.inf)), len(plans)


#: T2's two members both wish late shifts; T1 can open the queue alone
TWO_TEAMS = [
    {"team": "T1", "skills": "Q", "weekly_hours": 30},
    {"team": "T1", "skills": "Q", "weekly_hours": 30},
    {"team": "T2", "skills": "Q", "weekly_hours": 30, "preferences": "late"},
    {"team": "T2", "skills": "Q", "weekly_hours": 30, "preferences": "late"},
]
NEEDS = [1.0] * 34  # 07:30-16:00


@pytest.fixture(scope="module")
def two_teams():
    req = rc.requirements([DAY], {"Q": NEEDS}, start="07:30", end="16:00")
    ag = rc.agents(*TWO_TEAMS)
    off = dataclasses.replace(SIX, team_floor=False)
    return (
        req,
        ag,
        solve_roster(req, ag, off, time_limit=60),
        solve_roster(req, ag, SIX, time_limit=60),
    )


def test_without_the_rule_the_cheapest_plan_leaves_a_team_off_the_phone(two_teams):
    req, ag, without, _ = two_teams
    off = dataclasses.replace(SIX, team_floor=False)
    best, best_present, tried = _brute_force(off, TWO_TEAMS, NEEDS)
    assert tried == 12**4
    assert best_present > best + 0.25  # every cheapest plan leaves a team off the phone
    assert without.status == "optimal"
    assert without.objective == pytest.approx(best, abs=1e-6)
    assert "team_floor" not in without.objective_parts
    assert not [d for d in without.diagnostics if d.kind == "team_floor"]
    # the independent checker, with the rule, sees the team off the phone at opening
    findings = team_findings(check_roster(without.roster, ag, req, SIX))
    assert ("T2", at(7, 30)) in {(team, start) for team, start, _ in findings}


def test_with_the_rule_every_team_is_on_the_phone(two_teams):
    req, ag, _, with_rule = two_teams
    best, best_present, _ = _brute_force(SIX, TWO_TEAMS, NEEDS)
    assert best == pytest.approx(best_present)  # the optimum keeps every team present
    assert with_rule.status == "optimal"
    assert with_rule.objective == pytest.approx(best, abs=1e-6)
    assert with_rule.objective_parts["team_floor"] == 0.0
    assert with_rule.objective_parts["wishes"] == pytest.approx(SIX.weight_wish)
    assert with_rule.stats["lower_bound"] <= best + 1e-6
    report = check_roster(with_rule.roster, ag, req, SIX)
    assert report.ok, report.summary()
    assert team_findings(report) == []
    assert not [d for d in with_rule.diagnostics if d.kind == "team_floor"]


def test_team_on_holiday_is_a_diagnostic_not_a_crash():
    """Both members of T2 on holiday: the plan is made (T1 as well as it can), the team floor
    costs every interval of the day, and the planner reads why."""
    agents = [dict(a) for a in TWO_TEAMS]
    for agent in agents[2:]:
        agent["unavailable"] = DAY
    req = rc.requirements([DAY], {"Q": NEEDS}, start="07:30", end="16:00")
    ag = rc.agents(*agents)
    result = solve_roster(req, ag, SIX, time_limit=60)
    assert result.status == "optimal"
    best, _, tried = _brute_force(SIX, agents, NEEDS)
    assert tried == 12**2
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.objective_parts["team_floor"] == pytest.approx(34 * SIX.weight_team_floor)
    (diagnostic,) = [d for d in result.diagnostics if d.kind == "team_floor"]
    assert diagnostic.team == "T2" and diagnostic.severity == "error"
    assert (diagnostic.start, diagnostic.end) == (at(7, 30), at(16, 0))
    assert diagnostic.message == (
        "Monday 2 Mar 07:30-16:00 team T2 has nobody on the phone (phone policy: at least one "
        "member of every team in phone hours): 2 of 2 members are on holiday"
    )
    report = check_roster(result.roster, ag, req, SIX)
    assert report.ok, report.summary()
    assert team_findings(report) == [("T2", at(7, 30), at(16, 0))]


def test_lunches_and_team_meeting_keep_a_member_on_the_phone():
    """A longer week-day with lunches and the team meeting: with the rule no team is ever off
    the phone (a member stays during the team meeting), by the independent checker."""
    rules = ShiftRules(weight_unfair=0.0)
    week = [rc.monday(i) for i in range(3)]
    req = rc.requirements(week, {"Q": 1, "R": 1}, start="07:30", end="16:00")
    ag = rc.agents(
        {"team": "T1", "skills": "Q;R"},
        {"team": "T1", "skills": "Q"},
        {"team": "T1", "skills": "R"},
        {"team": "T2", "skills": "Q", "preferences": "late"},
        {"team": "T2", "skills": "Q", "preferences": "late"},
    )
    result = solve_roster(req, ag, rules, time_limit=60)
    report = check_roster(result.roster, ag, req, rules)
    assert report.ok, report.summary()
    assert team_findings(report) == []
    assert result.objective_parts["team_floor"] == 0.0
    stays = [d for d in result.diagnostics if d.kind == "meeting_stay"]
    assert len(stays) >= 2  # one member of each team stays during its team meeting
    assert all("so that no queue or team is left without an agent" in d.message for d in stays)


# ---------------------------------------------------------------------------------------------
# The rows, their prices and the repair
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def day_master():
    req = rc.requirements([DAY], {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents(*TWO_TEAMS)
    inst = build_instance(req, ag, SIX)
    master = build_master(inst)
    _, enumerated = seed_patterns(master, enumerate_limit=10_000)
    assert enumerated == len(inst.weeks)
    return master


def test_rows_are_named_and_priced(day_master):
    """Every team and interval of the phone hours gets a ``nobody`` slack and, in the integer
    program, a ``team_`` row; a dual on a team row lowers the reduced cost of exactly the
    members' options on the phone then."""
    master = day_master
    assert len(master.team_empty) == 2 * 34
    add_floor_rows(master)
    model = build_roster_model(master)

    def has(name: str) -> bool:
        return model.problem.get_constraint_by_name(name) is not None

    # teams by index in sorted order: T1 is t0, T2 is t1
    assert has("team_t1_20260302_0730") and has("team_t0_20260302_1545")
    assert not has("team_t0_20260302_0715")  # the lead-in is not phone hours
    names = {v.name for v in model.problem.variables()}
    assert "nobody_t1_20260302_0730" in names
    row = master.row_of[("team", "T2", 0, 1)]  # slot 1 = 07:30
    y = np.zeros(master.n_rows)
    y[row] = 5.0
    plan_of = {p.agent: p for p in master.inst.weeks}
    zero = np.zeros(master.n_rows)
    for agent in range(4):
        plan = plan_of[agent]
        (base,) = master.option_costs(plan, zero)
        (priced,) = master.option_costs(plan, y)
        assert base is not None and priced is not None
        on = master.options[(agent, 0)].phone[:, 1]
        expected = base - 5.0 * on if agent >= 2 else base  # A3, A4 are T2
        np.testing.assert_allclose(priced, expected)


def _team_gaps(master, chosen) -> set[tuple[str, int, int]]:
    present = defaultdict(set)
    for (agent, _week), col in chosen.items():
        for slot in master.phone_slots(master.patterns[master.col_key[col][0]]):
            present[slot].add(agent)
    return {
        (team, d, j)
        for team, d, j in master.team_empty
        if not master.team_members[team] & present[(d, j)]
    }


def test_repair_puts_a_team_back_on_the_phone(day_master):
    """Everyone starting as late as possible leaves both teams (and the queue) off the phone
    at opening; the repair swaps patterns until every team is back, never adding a gap."""
    master = day_master
    by_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        by_week[(pattern.agent, pattern.week)].append(col)

    def start(col):
        return min(j for _d, j in master.phone_slots(master.patterns[master.col_key[col][0]]))

    chosen = {key: max(cols, key=start) for key, cols in by_week.items()}
    before = _team_gaps(master, chosen)
    assert {team for team, _, _ in before} == {"T1", "T2"}
    _repair_floors(master, chosen, by_week, np.zeros(master.n_cols), movable=set(chosen))
    assert _team_gaps(master, chosen) == set()
