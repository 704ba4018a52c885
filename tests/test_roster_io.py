"""Reading the roster's inputs, the sample agents and rules, and `vagtplan roster`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
import roster_cases as rc

from planner.cli import main
from planner.errors import InputError
from planner.io.agents import read_agents
from planner.io.requirements import read_requirements
from planner.io.roster import read_roster
from planner.io.rules import read_rules
from planner.io.tables import write_csv
from sampledata.agents import default_rules_toml, make_sample_agents
from staffing.agents import Preference, parse_preferences
from staffing.roster.check import check_roster
from staffing.roster.rules import MeetingRule, ShiftRules

DATA = Path(__file__).resolve().parents[1] / "data"


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------
def test_default_rules_toml_round_trips():
    assert ShiftRules.from_mapping(tomllib.loads(default_rules_toml())) == ShiftRules()


def test_embedded_rules_and_agents_are_the_generated_ones():
    assert read_rules(DATA / "rules.toml") == ShiftRules()
    agents = read_agents(DATA / "agents.csv")
    expected = make_sample_agents()
    assert list(agents["agent_id"]) == list(expected["agent_id"])
    assert list(agents["skills"]) == list(expected["skills"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours_tolerance": -1}, "hours_tolerance must be a number >= 0; got -1"),
        ({"lunch_minutes": 20}, "lunch_minutes must be a whole number >= 0 and a multiple"),
        ({"min_shift_hours": 10.0}, "min_shift_hours must not exceed max_shift_hours"),
        ({"cover_column": "net"}, "cover_column must be"),
        ({"max_days_per_week": 8}, "max_days_per_week must be a whole number from 1 to 7"),
    ],
)
def test_rules_refuse_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ShiftRules(**kwargs)


def test_meeting_rule_checks():
    with pytest.raises(ValueError, match="attendees must be one of"):
        MeetingRule("X", attendees="everyone")
    with pytest.raises(ValueError, match="is shorter than its 60 minutes"):
        MeetingRule.from_mapping({"name": "X", "earliest": "14:00", "latest": "14:30"})
    rule = MeetingRule.from_mapping({"name": "X", "weekdays": ["tue", "thursday"]})
    assert rule.weekdays == (1, 3)


def test_preferences():
    assert parse_preferences("early; no_friday_late; mon_off") == (
        Preference("early"),
        Preference("no_late", 4),
        Preference("day_off", 0),
    )
    with pytest.raises(ValueError, match="unknown preference 'sometimes'"):
        parse_preferences("sometimes")


def test_read_rules_errors(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text("hours_tolerance = [\n", encoding="utf-8")
    with pytest.raises(InputError, match="rules.toml: not valid TOML"):
        read_rules(bad)
    bad.write_text("hours_tolerence = 1.0\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown rule\\(s\\) hours_tolerence"):
        read_rules(bad)
    with pytest.raises(InputError, match="file not found"):
        read_rules(tmp_path / "missing.toml")


# ---------------------------------------------------------------------------------------------
# Agents
# ---------------------------------------------------------------------------------------------
def test_sample_agents():
    agents = make_sample_agents()
    assert len(agents) == 34
    assert agents.equals(make_sample_agents())
    assert set(agents["team"]) == {"Ledighed", "Kontanthjælp", "Sygdom", "Virksomhed"}
    skills = agents["skills"].str.split(";")
    assert (skills.map(len) > 1).sum() >= 20  # cross-trained
    assert (agents["weekly_hours"].astype(float) < 37).sum() == 5  # part-timers
    assert (agents["unavailable"] != "").sum() >= 8
    assert agents["preferences"].str.contains("no_friday_late").any()
    assert not agents.equals(make_sample_agents(seed=1))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agents.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "agent_id,team,skills,weekly_hours,earliest_start,latest_end,unavailable,preferences\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "agent_id,team,skills,weekly_hours,telefon\nA1,T,Q,37,12345678\n",
            "agents.csv: unknown column 'telefon'",
        ),
        (
            "agent_id,team,skils,weekly_hours\nA1,T,Q,37\n",
            "unknown column 'skils' \\(did you mean 'skills'\\?\\)",
        ),
        (HEADER + "A1,T,Q,many,,,,\n", "row 2, column 'weekly_hours': found 'many'"),
        (HEADER + "A1,T,Q,37,8.00am,,,\n", "row 2, column 'earliest_start': found '8.00am'"),
        (HEADER + "A1,T,Q,37,,,2026-13-01,\n", "row 2, column 'unavailable': found '2026-13-01'"),
        (HEADER + "A1,T,Q,37,,,,\nA1,T,Q,37,,,,\n", "row 3, column 'agent_id': found 'A1' again"),
        (HEADER + "A1,T,Q,37,,,,sometimes\n", "row 2, column 'preferences': unknown preference"),
        (HEADER + "A1,T,,37,,,,\n", "row 2, column 'skills'"),
        (
            HEADER + "A1,T,Q,37,15:00,09:00,,\n",
            "columns 'earliest_start', 'latest_end': found '15:00', '09:00'",
        ),
    ],
)
def test_bad_agents_files(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_agents(_write(tmp_path, body))


def test_skill_typo_is_named(tmp_path):
    path = _write(tmp_path, HEADER + "A1,T,Dagpeng,37,,,,\n")
    with pytest.raises(InputError, match="found 'Dagpeng'; expected a queue name, e.g. 'Dagpenge'"):
        read_agents(path, queues={"Dagpenge", "Kontanthjælp"})


def test_danish_csv_agents(tmp_path):
    path = tmp_path / "agents.csv"
    path.write_bytes(
        "agent_id;team;skills;weekly_hours\nA1;Sygdom;Sygeopfølgning;32,5\n".encode("cp1252")
    )
    agents = read_agents(path)
    assert agents.loc[0, "skills"] == "Sygeopfølgning"
    assert agents.loc[0, "weekly_hours"] == 32.5


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def small_inputs(tmp_path):
    req, agents = rc.small_week()
    req_path = write_csv(req, tmp_path / "requirements.csv")
    agents_path = write_csv(agents, tmp_path / "agents.csv")
    return tmp_path, req_path, agents_path


def test_cli_roster_writes_a_checked_plan(small_inputs, capsys):
    tmp, req_path, agents_path = small_inputs
    out = tmp / "roster.csv"
    code = main(
        [
            "roster",
            "--requirements",
            str(req_path),
            "--agents",
            str(agents_path),
            "--out",
            str(out),
            "--excel",
            str(tmp / "roster.xlsx"),
            "--ical-dir",
            str(tmp / "ics"),
            "--coverage",
            str(tmp / "coverage.csv"),
            "--time-limit",
            "30",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "check: roster OK" in err
    roster = read_roster(out)
    report = check_roster(
        roster,
        read_agents(agents_path),
        read_requirements(req_path),
    )
    assert report.ok, report.summary()
    assert sorted(p.name for p in (tmp / "ics").iterdir()) == ["A1.ics", "A2.ics", "A3.ics"]
    assert (tmp / "roster.xlsx").stat().st_size > 0
    coverage = pd.read_csv(tmp / "coverage.csv")
    assert set(coverage["queue"]) == {"Dagpenge", "A-Kasse"}


def test_cli_bad_input_exits_2(small_inputs, capsys):
    tmp, req_path, _ = small_inputs
    bad = _write(tmp, HEADER + "A1,T,Dagpenge,37,,,,\nA1,T,Dagpenge,37,,,,\n")
    code = main(["roster", "--requirements", str(req_path), "--agents", str(bad), "--out", "x.csv"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("vagtplan: error: agents.csv: row 3, column 'agent_id'")
    assert "Traceback" not in err
    code = main(
        [
            "roster",
            "--requirements",
            str(tmp / "missing.csv"),
            "--agents",
            str(bad),
            "--out",
            "x.csv",
        ]
    )
    assert code == 2
    assert "missing.csv: file not found" in capsys.readouterr().err
