"""The sample agents and default shift rules of the embedded data, and a sample requirement.

`make_sample_agents` builds the 34 people of the job-centre line (DOMAIN.md: 33 FTE / 34 people
moved into the contact centre, cross-trained agents serve several queues) in four teams:

| team | people | core skills |
|---|---|---|
| Ledighed | 10 | Dagpenge, A-Kasse, Genregistrering |
| Kontanthjælp | 11 | Kontanthjælp, Genregistrering, Andre forvaltninger |
| Sygdom | 7 | Sygeopfølgning, Sygedagpenge |
| Virksomhed | 6 | Virksomhed, Leverandør, 9-by samarbejde, Andre forvaltninger |

Everyone has the team's first skill; the others each with a probability; some agents are
cross-trained on a queue of another team (as document 003 describes). Most work 37 hours,
five part-timers 20-32 hours. A few have an earliest start or a latest end (school runs), a
few have booked holidays in 2026 and 2027 (two Ledighed agents in the default week 2026-W49)
and some have wishes ("early", "late", "no_friday_late"). Agent ids are pseudonyms (``A01``):
the planner needs no personal data. The team structure is ours (the documents do not give it).

`default_rules_toml` writes `staffing.roster.rules.ShiftRules()` as a commented TOML file, and
`make_sample_requirements` turns the synthetic expected volume (`sampledata.synthetic`) into a
requirements table with Erlang A, for demos, tests and benchmarks when no forecast exists.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from staffing.kpi import SlaGoals
from staffing.roster.rules import ShiftRules

__all__ = [
    "AGENT_COLUMNS",
    "TEAMS",
    "DEFAULT_WEEK_START",
    "make_sample_agents",
    "default_rules_toml",
    "make_sample_requirements",
]

AGENT_COLUMNS = [
    "agent_id",
    "team",
    "skills",
    "weekly_hours",
    "earliest_start",
    "latest_end",
    "unavailable",
    "preferences",
]

#: team -> (people, [(skill, probability)], [(cross-trained skill, how many agents)])
TEAMS: dict[str, tuple[int, list[tuple[str, float]], list[tuple[str, int]]]] = {
    "Ledighed": (
        10,
        [("Dagpenge", 1.0), ("A-Kasse", 0.7), ("Genregistrering", 0.8)],
        [("Kontanthjælp", 3)],
    ),
    "Kontanthjælp": (
        11,
        [("Kontanthjælp", 1.0), ("Genregistrering", 0.7), ("Andre forvaltninger", 0.5)],
        [("Dagpenge", 3), ("Sygeopfølgning", 1), ("9-by samarbejde", 2)],
    ),
    "Sygdom": (
        7,
        [("Sygeopfølgning", 1.0), ("Sygedagpenge", 0.85)],
        [("Genregistrering", 2), ("Kontanthjælp", 1)],
    ),
    "Virksomhed": (
        6,
        [
            ("Virksomhed", 1.0),
            ("Leverandør", 0.85),
            ("9-by samarbejde", 0.8),
            ("Andre forvaltninger", 0.6),
        ],
        [("Sygedagpenge", 1), ("A-Kasse", 1)],
    ),
}

#: The week the benchmarks and the default plan use: Monday 30 Nov 2026 (2026-W49), with the
#: payday peak on Tuesday 1 December.
DEFAULT_WEEK_START = dt.date(2026, 11, 30)

_PART_TIME_HOURS = (30.0, 32.0, 25.0, 30.0, 20.0)
_HOLIDAY_BLOCKS = (
    # (first day, working days) of holidays people book: winter break, Easter, summer,
    # autumn break, Christmas, the default week, and 2027.
    (dt.date(2026, 2, 16), 5),
    (dt.date(2026, 3, 30), 3),
    (dt.date(2026, 7, 6), 10),
    (dt.date(2026, 7, 20), 10),
    (dt.date(2026, 10, 12), 5),
    (dt.date(2026, 12, 28), 4),
    (dt.date(2027, 2, 15), 5),
    (dt.date(2027, 7, 5), 15),
    (dt.date(2026, 11, 30), 5),
)


def _working_days(first: dt.date, count: int) -> list[dt.date]:
    out, day = [], first
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def make_sample_agents(seed: int = 2026) -> pd.DataFrame:
    """The 34 sample agents in the agents contract (all columns text, as in the CSV).

    Deterministic for a given ``seed``; see the module docstring for what they look like.

    >>> agents = make_sample_agents()
    >>> len(agents), agents["agent_id"].iloc[0]
    (34, 'A01')
    """
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    for team, (people, core, cross) in TEAMS.items():
        for skills in _team_skills(rng, people, core, cross):
            rows.append(
                {
                    "team": team,
                    "skills": ";".join(skills),
                    "weekly_hours": 37.0,
                    "earliest_start": "",
                    "latest_end": "",
                    "unavailable": [],
                    "preferences": [],
                }
            )
    _set_hours_and_wishes(rng, rows)
    _book_days_off(rng, rows)
    return _agent_table(rows)


def _team_skills(
    rng: np.random.Generator,
    people: int,
    core: list[tuple[str, float]],
    cross: list[tuple[str, int]],
) -> list[list[str]]:
    """The skills of one team's members: core skills by chance, then the cross-training."""
    members = []
    for _ in range(people):
        skills = [core[0][0]] + [s for s, p in core[1:] if rng.random() < p]
        members.append(skills)
    # cross-training: the first members of each team in a shuffled order
    order = rng.permutation(people)
    pos = 0
    for skill, count in cross:
        for _ in range(count):
            target = members[order[pos % people]]
            if skill not in target:
                target.append(skill)
            pos += 1
    return members


def _set_hours_and_wishes(rng: np.random.Generator, rows: list[dict[str, Any]]) -> None:
    """Part-time hours, earliest starts, latest ends and shift wishes for drawn agents."""
    picks = rng.permutation(len(rows))
    for i, hours in zip(picks[:5], _PART_TIME_HOURS):
        rows[i]["weekly_hours"] = hours
    for i in picks[5:8]:
        rows[i]["earliest_start"] = "08:00"
    rows[picks[8]]["earliest_start"] = "08:00"
    for i in picks[9:11]:
        rows[i]["latest_end"] = "15:30"
    for i, pref in zip(
        picks[11:20],
        (
            "early",
            "early",
            "early",
            "late",
            "late",
            "no_friday_late",
            "no_friday_late",
            "no_friday_late",
            "no_early",
        ),
    ):
        rows[i]["preferences"].append(pref)


def _book_days_off(rng: np.random.Generator, rows: list[dict[str, Any]]) -> None:
    """Holiday blocks, the default week off for two Ledighed agents, and single days off."""
    n = len(rows)
    # holidays: one block each for eight agents; the default week for two Ledighed agents
    holiday_takers = [i for i in rng.permutation(n) if rows[i]["team"] != "Ledighed"][:8]
    for i, (first, count) in zip(holiday_takers, _HOLIDAY_BLOCKS[:8]):
        rows[i]["unavailable"].extend(_working_days(first, count))
    ledighed = [i for i in range(n) if rows[i]["team"] == "Ledighed"]
    for i in ledighed[:2]:
        rows[i]["unavailable"].extend(_working_days(*_HOLIDAY_BLOCKS[8]))
    # single days off (a course, a moving day)
    for i in rng.permutation(n)[:4]:
        day = dt.date(2026, 1, 5) + dt.timedelta(days=int(rng.integers(0, 700)))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        rows[i]["unavailable"].append(day)


def _agent_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as the agents contract: ids ``A01``..., every column text."""
    out = []
    for number, row in enumerate(rows, start=1):
        out.append(
            {
                "agent_id": f"A{number:02d}",
                "team": row["team"],
                "skills": row["skills"],
                "weekly_hours": f"{row['weekly_hours']:g}",
                "earliest_start": row["earliest_start"],
                "latest_end": row["latest_end"],
                "unavailable": ";".join(d.isoformat() for d in sorted(set(row["unavailable"]))),
                "preferences": ";".join(row["preferences"]),
            }
        )
    return pd.DataFrame(out, columns=AGENT_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Rules as TOML
# ---------------------------------------------------------------------------------------------
_RULE_NOTES: dict[str, str] = {
    "interval_minutes": "Grid of shift starts, lunches and meetings (minutes).",
    "full_time_hours": "A full-time week (Danish public sector: 37 h).",
    "max_days_per_week": "At most this many working days a week (one shift a day).",
    "hours_tolerance": (
        "Planned hours of a week within +- this many hours of the week's norm (contract / 5 per "
        "open day, holidays credited); flexitime absorbs the rest."
    ),
    "min_shift_hours": "Shortest shift (hours).",
    "max_shift_hours": "Longest shift (hours).",
    "shift_length_band_hours": (
        "Shift lengths offered to an agent: the day norm +- this band (hours), and long enough "
        "to reach the week's hours on the days the agent can work."
    ),
    "lead_in_minutes": "Shifts may start this long before opening (log on, read news).",
    "lunch_minutes": "Lunch length (minutes).",
    "lunch_after_hours": "Shifts longer than this (hours) get a lunch.",
    "lunch_earliest_after_start_minutes": "Lunch starts at least this long after shift start.",
    "lunch_latest_after_start_minutes": "Lunch starts at most this long after shift start.",
    "lunch_paid": "Lunch counts as working time (true for most municipal employees).",
    "unavailable_days_credited": (
        "An unavailable date (booked holiday) lowers the week's hours by one day norm; false: "
        "the contract hours must be planned on the other days."
    ),
    "early_late_margin_minutes": (
        "A shift is early if it starts before opening + this margin, late if it ends after "
        "closing - this margin (for fairness and wishes)."
    ),
    "meeting_blackout": (
        "No meetings or training in these windows unless a meeting allows it: the best "
        "contact time 09:00-10:00 and the 10-13 peak (phone policy, document 001)."
    ),
    "cover_column": (
        'Requirement the roster covers: "agents" (net: the roster itself places holidays, '
        'lunch and meetings), "agents_gross" (net inflated by the whole shrinkage) or "auto" '
        "(agents_gross when the table has it)."
    ),
    "team_floor": (
        "Phone policy per team (document 001, point 1): at least one member of every team on "
        "the phone (on shift, not at lunch or in a meeting) in every interval of the phone "
        "hours; a team left without costs weight_team_floor per interval, and is reported."
    ),
    "team_floor_hours": (
        'Phone hours of the team floor, [["HH:MM", "HH:MM"], ...] inside the opening hours; '
        "[] = the opening hours of each day (the job-centre line's phone hours). "
        '[["09:00", "16:00"]] gives the back-office phone hours of document 001.'
    ),
    "off_phone": (
        "Phone time beyond the requirement becomes off-phone work (written enquiries, case "
        "work, development: document 003, 'when the forecast allows'); false keeps everybody "
        "on the phone for the whole shift."
    ),
    "off_phone_min_minutes": "Shortest off-phone block (minutes); no phone piece shorter.",
    "off_phone_max_minutes": "Longest off-phone block placed at a time (minutes).",
    "patience_seconds": (
        "Erlang A caller patience for the under-coverage weights when the requirements have "
        "no patience_seconds column."
    ),
    "default_aht_seconds": "Handle time for the weights when the requirements have none.",
    "short_abandon_seconds": "Calls abandoned within this many seconds leave the answer rate.",
    "min_shortfall_weight": "Smallest cost of an agent short for an interval (answered calls).",
    "weight_empty_queue": (
        "Cost of a queue interval with nobody on the phone (phone policy), answered calls."
    ),
    "weight_team_floor": (
        "Cost of a team with nobody on the phone for one interval of the phone hours "
        "(team_floor), answered calls."
    ),
    "weight_over": "Cost of an agent-interval above the requirement.",
    "weight_hours_deviation": "Cost per hour planned away from the week's norm.",
    "weight_unfair": "Cost per unit of spread of early (and late) shifts per 5 days.",
    "weight_wish": "Cost of a shift that goes against an agent's wish.",
    "weight_missed_meeting": "Cost of a meeting that could not be placed.",
    "weight_skipped_meeting": (
        "Cost of a member staying on the phone during the team meeting (keeps a queue open)."
    ),
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {value!r} as TOML")


def default_rules_toml(rules: ShiftRules | None = None) -> str:
    """The shift rules as a commented TOML document (``data/rules.toml``).

    Read back with `planner.io.agents.read_rules`; ``ShiftRules.from_mapping(tomllib.loads(
    default_rules_toml()))`` equals ``ShiftRules()``.
    """
    rules = rules or ShiftRules()
    data = rules.to_mapping()
    lines = [
        "# vagtplan shift rules (read by `vagtplan roster --rules`).",
        '# Hours are hours, minutes are minutes, times are "HH:MM" local clock times.',
        "# Weights are in answered calls lost: under-coverage costs what Erlang A says an agent",
        "# short loses; the weights below are what the other goals are worth in the same unit.",
        "",
    ]
    for key, value in data.items():
        if key == "meetings":
            continue
        note = _RULE_NOTES.get(key)
        if note:
            lines.extend(f"# {line}" for line in textwrap.wrap(note, width=96))
        lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    lines.append("# Meetings and training placed by the optimizer where they hurt service least.")
    lines.append('# attendees: "team" (the whole team together) or "each" (every agent alone);')
    lines.append("# every_weeks: 1 weekly, 13 quarterly; weekdays: [] = any open day.")
    for meeting in data["meetings"]:
        lines.append("")
        lines.append("[[meetings]]")
        for key, value in meeting.items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# A sample requirement
# ---------------------------------------------------------------------------------------------
def make_sample_requirements(
    start: dt.date | str = DEFAULT_WEEK_START,
    days: int = 5,
    *,
    answer_rate: float = SlaGoals().answer_rate,
    scale: float = 1.0,
    calendar: Any = None,
) -> pd.DataFrame:
    """Agents needed per queue and interval for ``days`` days from ``start``.

    Offered calls are the synthetic history's expected volume (`sampledata.synthetic.
    expected_volume`, calibrated to DOMAIN.md) times ``scale``; handle time and patience per
    queue from `centre.queues.QUEUES`; agents = the smallest number meeting ``answer_rate``
    with Erlang A (`staffing.erlang.required_agents`), at least one inside each queue's window
    (the phone policy). Returns ``interval_start, queue, agents, offered, aht_seconds,
    patience_seconds``: the requirements contract plus what the roster's weights use.
    """
    from centre.queues import QUEUES
    from sampledata import synthetic
    from staffing import erlang

    if not scale > 0:
        raise ValueError(f"scale must be > 0; got {scale!r}")
    if not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a whole number >= 1; got {days!r}")
    first = dt.date.fromisoformat(str(start)) if not isinstance(start, dt.date) else start
    last = first + dt.timedelta(days=days - 1)
    kwargs = {"calendar": calendar} if calendar is not None else {}
    volume = synthetic.expected_volume(start=first, end=last, **kwargs)
    specs = {q.name: q for q in QUEUES}
    calls = volume["offered_mean"].to_numpy(dtype=float) * scale
    aht = volume["queue"].map(lambda q: specs[q].aht_seconds).to_numpy(dtype=float)
    patience = volume["queue"].map(lambda q: specs[q].patience_seconds).to_numpy(dtype=float)
    agents = erlang.required_agents(calls, aht, answer_rate=answer_rate, patience=patience)
    agents = np.maximum(np.asarray(agents, dtype=float), 1.0)
    return pd.DataFrame(
        {
            "interval_start": volume["interval_start"],
            "queue": volume["queue"],
            "agents": agents.astype(int),
            "offered": np.round(calls, 3),
            "aht_seconds": aht,
            "patience_seconds": patience,
        }
    )
