"""Scenarios: pure changes to a plan, scenario files, side-by-side runs and the CLI."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.errors import InputError
from planner.io.scenarios import BASE, load_scenarios, parse_scenarios
from planner.io.tables import write_csv
from planner.scenarios import run_scenarios
from staffing import kpi
from staffing.simulation.scenarios import (
    ChangeGoals,
    ExtraCalls,
    NewHire,
    PlanInputs,
    RemoveAgent,
    ScaleAht,
    ScaleVolume,
    Scenario,
    SickAgents,
    apply_scenario,
    cross_trained_agents,
)

TZ = "Europe/Copenhagen"
MONDAY = dt.date(2026, 3, 2)
QUEUES = ("Kontanthjælp", "Dagpenge")


def _plan(days: int = 2, calls: float = 6.0) -> PlanInputs:
    rows = []
    for d in range(days):
        day = pd.Timestamp(MONDAY + dt.timedelta(days=d), tz=TZ)
        for queue in QUEUES:
            for k in range(8):
                rows.append(
                    (day + pd.Timedelta(hours=9, minutes=15 * k), queue, calls, 300.0 - 20 * k)
                )
    forecast = pd.DataFrame(rows, columns=["interval_start", "queue", "offered", "aht_seconds"])
    forecast["offered_lo"] = forecast["offered"] * 0.7
    forecast["offered_hi"] = forecast["offered"] * 1.4
    agents = pd.DataFrame(
        {
            "agent_id": ["A1", "A2", "A3", "A4"],
            "team": "T1",
            "skills": [
                "Kontanthjælp",
                "Kontanthjælp;Dagpenge",
                "Dagpenge;Kontanthjælp",
                "Dagpenge",
            ],
            "weekly_hours": 37.0,
            "unavailable": ["", "", "2026-03-20", ""],
        }
    )
    roster = []
    for d in range(days):
        date = MONDAY + dt.timedelta(days=d)
        day = pd.Timestamp(date, tz=TZ)
        for agent in agents["agent_id"]:
            roster += [
                (agent, date, day + pd.Timedelta(hours=9), day + pd.Timedelta(hours=10), "phone"),
                (
                    agent,
                    date,
                    day + pd.Timedelta(hours=10),
                    day + pd.Timedelta(hours=10.5),
                    "lunch",
                ),
                (
                    agent,
                    date,
                    day + pd.Timedelta(hours=10.5),
                    day + pd.Timedelta(hours=12),
                    "phone",
                ),
            ]
    roster = pd.DataFrame(roster, columns=["agent_id", "date", "start", "end", "activity"])
    return PlanInputs(forecast=forecast, roster=roster, agents=agents)


# --- pure changes ------------------------------------------------------------------------------


def test_sick_agents_lose_their_phone_time_that_day_only_and_inputs_stay_untouched():
    plan = _plan()
    before = plan.roster.copy()
    out = SickAgents(("A2", "A3"), (MONDAY,)).apply(plan)
    pd.testing.assert_frame_equal(plan.roster, before)  # pure
    monday = out.roster[out.roster["date"] == MONDAY]
    sick = monday[monday["agent_id"].isin(["A2", "A3"])]
    assert sick["activity"].tolist() == ["absence", "absence"]
    assert (sick["end"] - sick["start"]).tolist() == [pd.Timedelta(hours=3)] * 2
    tuesday = out.roster[out.roster["date"] == MONDAY + dt.timedelta(days=1)]
    assert (tuesday["activity"] == "phone").sum() == 8
    unavailable = out.agents.set_index("agent_id")["unavailable"]
    assert unavailable["A2"] == "2026-03-02"
    assert unavailable["A3"] == "2026-03-02;2026-03-20"


def test_remove_agent_for_good_or_from_a_date():
    plan = _plan()
    gone = RemoveAgent("A2").apply(plan)
    assert "A2" not in set(gone.agents["agent_id"]) and "A2" not in set(gone.roster["agent_id"])
    later = RemoveAgent("A2", MONDAY + dt.timedelta(days=1)).apply(plan)
    dates = later.roster.loc[later.roster["agent_id"] == "A2", "date"]
    assert set(dates) == {MONDAY}
    assert later.agents.set_index("agent_id").at["A2", "unavailable"] == "2026-03-03"
    with pytest.raises(ValueError, match="unknown agent 'Z9'"):
        RemoveAgent("Z9").apply(plan)


def test_new_hire_on_a_colleagues_shifts_from_a_date():
    plan = _plan()
    out = NewHire("N1", ("Dagpenge",), MONDAY + dt.timedelta(days=1), like="A4").apply(plan)
    hire = out.agents.set_index("agent_id").loc["N1"]
    assert hire["skills"] == "Dagpenge" and hire["unavailable"] == "2026-03-02"
    shifts = out.roster[out.roster["agent_id"] == "N1"]
    assert set(shifts["date"]) == {MONDAY + dt.timedelta(days=1)} and len(shifts) == 3
    with pytest.raises(ValueError, match="already in the agents table"):
        NewHire("A1", ("Dagpenge",), MONDAY).apply(plan)


def test_volume_calls_and_handle_time_changes_hit_only_their_window():
    plan = _plan()
    fc = plan.forecast
    up = ScaleVolume(1.15, "Kontanthjælp", MONDAY, MONDAY).apply(plan).forecast
    hit = (fc["queue"] == "Kontanthjælp") & (fc["interval_start"].dt.date == MONDAY)
    np.testing.assert_allclose(up.loc[hit, "offered"], fc.loc[hit, "offered"] * 1.15)
    np.testing.assert_allclose(up.loc[hit, "offered_hi"], fc.loc[hit, "offered_hi"] * 1.15)
    np.testing.assert_allclose(up.loc[~hit, "offered"], fc.loc[~hit, "offered"])

    letter = ExtraCalls(300, "Dagpenge", MONDAY, MONDAY + dt.timedelta(days=1)).apply(plan)
    added = letter.forecast["offered"] - fc["offered"]
    assert added.sum() == pytest.approx(300.0)
    assert (added[fc["queue"] == "Kontanthjælp"] == 0).all()
    # Proportional to the forecast, which is flat here: 300 over 16 intervals.
    np.testing.assert_allclose(added[fc["queue"] == "Dagpenge"], 300 / 16)
    np.testing.assert_allclose(letter.forecast["offered_hi"] - fc["offered_hi"], added)

    slower = ScaleAht(1.10).apply(plan).forecast
    np.testing.assert_allclose(slower["aht_seconds"], fc["aht_seconds"] * 1.1)
    with pytest.raises(ValueError, match="unknown queue 'Ukendt'"):
        ScaleVolume(1.1, "Ukendt").apply(plan)


def test_goals_change_and_reroster_hook():
    plan = _plan()
    calls = []

    def reroster(inputs: PlanInputs) -> pd.DataFrame:
        calls.append(inputs)
        return inputs.roster[inputs.roster["agent_id"] != "A1"]

    scenario = Scenario(
        "tighter",
        [ChangeGoals((("answer_rate", 0.95), ("fcr", None))), SickAgents(("A2",), (MONDAY,))],
        reroster=True,
    )
    out = apply_scenario(plan, scenario, reroster=reroster)
    assert out.goals.answer_rate == 0.95 and out.goals.fcr is None
    assert (
        len(calls) == 1
        and "2026-03-02" in calls[0].agents.set_index("agent_id").at["A2", "unavailable"]
    )
    assert "A1" not in set(out.roster["agent_id"])
    with pytest.raises(ValueError, match="asks for a re-roster"):
        apply_scenario(plan, scenario)


def test_cross_trained_agents_most_skills_first():
    table = cross_trained_agents(_plan().agents)
    assert table["agent_id"].tolist() == ["A2", "A3"]


# --- scenario files ---------------------------------------------------------------------------


GOOD = """
[[scenario]]
name = "Two sick on Monday"
[[scenario.sick]]
agents = ["A2", "A3"]
date = 2026-03-02

[[scenario]]
name = "Kontanthjælp +15 %"
[[scenario.volume]]
factor = 1.15
queue = "Kontanthjælp"
from = "2026-03-02"
to = "2026-03-03"
[[scenario.aht]]
factor = 1.1
[scenario.goals]
asa_seconds = 120
fcr = false
"""


def test_a_good_scenario_file_parses_into_changes(tmp_path):
    path = tmp_path / "what-if.toml"
    path.write_text(GOOD, encoding="utf-8")
    plan = _plan()
    scenarios = load_scenarios(path, agents=plan.agents, forecast=plan.forecast)
    assert [s.name for s in scenarios] == ["Two sick on Monday", "Kontanthjælp +15 %"]
    first, second = scenarios
    assert first.changes == (SickAgents(("A2", "A3"), (MONDAY,)),)
    assert [type(c) for c in second.changes] == [ScaleVolume, ScaleAht, ChangeGoals]
    changed = apply_scenario(plan, second)
    assert changed.goals.asa_seconds == 120 and changed.goals.fcr is None
    # A range may reach past the plan (the whole month) as long as it overlaps it.
    month = parse_scenarios(
        {"scenario": [{"name": "m", "volume": [{"factor": 1.1, "to": "2026-03-31"}]}]},
        label="inline",
        agents=plan.agents,
        forecast=plan.forecast,
    )
    scaled = apply_scenario(plan, month[0]).forecast["offered"]
    np.testing.assert_allclose(scaled, plan.forecast["offered"] * 1.1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[scenario]]\nname = "x"\n[[scenario.sick]]\nagents = ["A9"]\ndate = 2026-03-02\n',
            "what-if.toml: scenario[1].sick[1].agents: unknown agent 'A9'",
        ),
        (
            '[[scenario]]\nname = "x"\n[[scenario.volume]]\nfactor = 1.2\nqueue = "Dagpenger"\n',
            "what-if.toml: scenario[1].volume[1].queue: unknown queue 'Dagpenger'; "
            "did you mean 'Dagpenge'?",
        ),
        (
            '[[scenario]]\nname = "x"\n[[scenario.volume]]\nfactr = 1.2\n',
            "what-if.toml: scenario[1].volume[1].factr: unknown key; did you mean 'factor'?",
        ),
        (
            '[[scenario]]\nname = "x"\n[[scenario.sick]]\nagents = ["A1"]\ndate = 2026-04-01\n',
            "scenario[1].sick[1].date: date 2026-04-01 is outside the plan",
        ),
        ('[[scenario]]\nname = "base"\n', "scenario[1].name: the name 'base' is used twice"),
        ("[[scenario]\nname = 1", "what-if.toml: not valid TOML"),
        ('[[scenario]]\nname = "x"\n[scenario.goals]\nanswer_rate = 1.5\n', "answer_rate"),
        (
            '[[scenario]]\nname = "x"\n[[scenario.new_hire]]\nagent = "N1"\nskills = ["Ukendt"]\n'
            "from = 2026-03-02\n",
            "scenario[1].new_hire[1].skills: unknown queue 'Ukendt'",
        ),
        ('title = "x"\n', "what-if.toml: title: unknown key"),
        (
            '[[scenario]]\nname = "x"\n[[scenario.volume]]\nfactor = 1.2\nfrom = 2026-04-01\n',
            "scenario[1].volume[1].from: the range 2026-04-01 to ... has no day of the plan",
        ),
    ],
)
def test_bad_scenario_files_name_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "what-if.toml"
    path.write_text(text, encoding="utf-8")
    plan = _plan()
    with pytest.raises(InputError) as err:
        load_scenarios(path, agents=plan.agents, forecast=plan.forecast)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# --- running scenarios --------------------------------------------------------------------------


def test_run_scenarios_side_by_side_with_common_random_numbers():
    plan = _plan(calls=9.0)
    scenarios = parse_scenarios(
        {
            "scenario": [
                {"name": "sick", "sick": [{"agents": ["A2", "A3"], "date": MONDAY}]},
                {"name": "same", "aht": [{"factor": 1.0}]},
            ]
        },
        label="inline",
        agents=plan.agents,
        forecast=plan.forecast,
    )
    comparison = run_scenarios(plan, scenarios, replications=8, seed=3)
    assert comparison.names == [BASE, "sick", "same"]
    # A change that changes nothing gives exactly the base numbers (same random numbers).
    pd.testing.assert_frame_equal(
        comparison.results[BASE].counts, comparison.results["same"].counts
    )
    wide = comparison.side_by_side()
    centre = wide[(wide["queue"] == kpi.ALL_QUEUES) & (wide["date"] == MONDAY)].iloc[0]
    assert centre["answer_rate [sick]"] < centre["answer_rate [base]"]
    assert centre["asa_seconds [sick]"] > centre["asa_seconds [base]"]
    tuesday = wide[(wide["queue"] == kpi.ALL_QUEUES) & (wide["date"] != MONDAY)].iloc[0]
    assert tuesday["answer_rate [sick]"] == pytest.approx(tuesday["answer_rate [base]"])
    misses = comparison.misses()
    assert set(misses["scenario"]) <= {BASE, "sick", "same"}
    assert (misses.loc[misses["scenario"] == "sick", "missed"] != "").all()
    summary = comparison.summary()
    assert summary["scenario"].tolist() == [BASE, "sick", "same"]
    assert summary.loc[1, "intervals_missing_sla"] >= summary.loc[0, "intervals_missing_sla"]
    assert 0.0 <= summary.loc[1, "p_meet_week"] <= 1.0


# --- the CLI -------------------------------------------------------------------------------------


def _files(tmp_path, plan: PlanInputs):
    write_csv(plan.forecast, tmp_path / "forecast.csv")
    write_csv(plan.roster, tmp_path / "roster.csv")
    write_csv(plan.agents, tmp_path / "agents.csv")
    return [
        "simulate",
        "--roster",
        str(tmp_path / "roster.csv"),
        "--forecast",
        str(tmp_path / "forecast.csv"),
        "--agents",
        str(tmp_path / "agents.csv"),
        "--replications",
        "4",
    ]


def test_cli_writes_the_contract_table_and_repeats_with_the_same_seed(tmp_path, capsys):
    base = _files(tmp_path, _plan())
    assert main([*base, "--out", str(tmp_path / "a.csv"), "--seed", "5", "--patience", "200"]) == 0
    assert main([*base, "--out", str(tmp_path / "b.csv"), "--seed", "5", "--patience", "200"]) == 0
    a = (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert a == (tmp_path / "b.csv").read_text(encoding="utf-8")
    table = pd.read_csv(tmp_path / "a.csv")
    contract = [
        "queue",
        "date",
        "offered",
        "answered",
        "abandoned",
        "abandoned_short",
        "transferred",
        "answer_rate",
        "answer_rate_lo",
        "answer_rate_hi",
        "service_level",
        "service_level_lo",
        "service_level_hi",
        "asa_seconds",
        "asa_seconds_lo",
        "asa_seconds_hi",
    ]
    assert list(table.columns[: len(contract)]) == contract
    assert len(table) == 4  # two queues x two days
    assert "answer rate" in capsys.readouterr().out

    assert main([*base, "--out", str(tmp_path / "c.csv"), "--seed", "6", "--by", "interval"]) == 0
    by_interval = pd.read_csv(tmp_path / "c.csv")
    assert list(by_interval.columns[:3]) == ["queue", "date", "interval_start"]
    assert by_interval["interval_start"].iloc[0].endswith("+01:00")
    assert len(by_interval) == 32


def test_cli_uncertainty_writes_the_sla_probability(tmp_path, capsys):
    base = _files(tmp_path, _plan())
    assert main([*base, "--out", str(tmp_path / "k.csv"), "--uncertainty"]) == 0
    prob = pd.read_csv(tmp_path / "k_sla.csv")
    assert {"queue", "period", "p_meet", "p_meet_lo", "p_meet_hi"} <= set(prob.columns)
    assert prob["p_meet"].between(0, 1).all()
    # the chance is said with its resolution (few runs: a wide bound)
    out = capsys.readouterr().out
    assert "with a chance of" in out and " 4 runs" in out


def test_cli_scenarios_and_bad_scenario_exit_codes(tmp_path, capsys):
    plan = _plan()
    base = _files(tmp_path, plan)
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    assert main([*base, "--out", str(tmp_path / "s.csv"), "--scenario", str(good)]) == 0
    table = pd.read_csv(tmp_path / "s.csv")
    assert table["scenario"].unique().tolist() == [BASE, "Two sick on Monday", "Kontanthjælp +15 %"]
    for suffix in ("comparison", "misses", "summary"):
        assert (tmp_path / f"s_{suffix}.csv").exists()
    capsys.readouterr()

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[scenario]]\nname = "x"\n[[scenario.remove_agent]]\nagent = "A99"\n', encoding="utf-8"
    )
    assert main([*base, "--out", str(tmp_path / "x.csv"), "--scenario", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        "vagtplan: error: bad.toml: scenario[1].remove_agent[1].agent: unknown agent 'A99'" in err
    )
    assert "Traceback" not in err

    bad.write_text(
        '[[scenario]]\nname = "x"\n[[scenario.extra_calls]]\ncalls = 10\nqueue = "Ydelse"\n'
        "from = 2026-03-02\n",
        encoding="utf-8",
    )
    assert main([*base, "--out", str(tmp_path / "x.csv"), "--scenario", str(bad)]) == 2
    assert "unknown queue 'Ydelse'" in capsys.readouterr().err


def test_cli_bad_input_files_exit_2(tmp_path, capsys):
    plan = _plan()
    base = _files(tmp_path, plan)
    roster = plan.roster.copy()
    roster.loc[3, "agent_id"] = "Z1"
    write_csv(roster, tmp_path / "roster.csv")
    assert main([*base, "--out", str(tmp_path / "k.csv")]) == 2
    assert "roster.csv: row 5, column 'agent_id': agent 'Z1' is not in the agents file" in (
        capsys.readouterr().err
    )
    roster.loc[3, "agent_id"] = "A2"
    roster.loc[3, "activity"] = "kaffe"
    write_csv(roster, tmp_path / "roster.csv")
    assert main([*base, "--out", str(tmp_path / "k.csv")]) == 2
    assert "row 5, column 'activity': found 'kaffe'" in capsys.readouterr().err
    fc = plan.forecast.copy()
    fc["offered"] = fc["offered"].astype(object)
    fc.loc[2, "offered"] = "mange"
    write_csv(fc, tmp_path / "forecast.csv")
    write_csv(plan.roster, tmp_path / "roster.csv")
    assert main([*base, "--out", str(tmp_path / "k.csv")]) == 2
    assert "forecast.csv: row 4, column 'offered': found 'mange'" in capsys.readouterr().err
    assert not math.isnan(0.0)


def test_optimizer_reroster_replans_the_changed_staff():
    from planner.scenarios import erlang_requirements, optimizer_reroster

    day = pd.Timestamp(MONDAY, tz=TZ)
    starts = pd.date_range(
        day + pd.Timedelta(hours=7.5), day + pd.Timedelta(hours=15.75), freq="15min"
    )
    forecast = pd.concat(
        [
            pd.DataFrame(
                {"interval_start": starts, "queue": q, "offered": 4.0, "aht_seconds": 240.0}
            )
            for q in QUEUES
        ],
        ignore_index=True,
    )
    plan = _plan(days=1)
    plan = plan.replace(forecast=forecast)
    need = erlang_requirements(plan)
    assert list(need.columns) == ["interval_start", "queue", "agents", "offered", "aht_seconds"]
    assert (need["agents"] >= 1).all()
    scenario = Scenario("one fewer, re-planned", [RemoveAgent("A2")], reroster=True)
    comparison = run_scenarios(
        plan,
        [scenario],
        reroster=optimizer_reroster(time_limit=30),
        replications=2,
        seed=1,
    )
    new = comparison.inputs["one fewer, re-planned"].roster
    assert set(new["agent_id"]) == {"A1", "A3", "A4"}
    assert set(new["activity"]) <= {"phone", "lunch", "break", "meeting", "training", "absence"}
    assert comparison.results["one fewer, re-planned"].counts["answered"].sum() > 0
