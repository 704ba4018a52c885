"""`vagtplan plan` on the embedded data, and `vagtplan simulate` on the plan it writes.

One module-scoped run of the whole pipeline (forecast, requirements, roster with a short time
limit, check, simulation) feeds every test; the roster is checked again here with the
independent checker, and the simulation's numbers are checked for being repeatable.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from app_support.plan import DATA_DIR
from planner.cli import main
from planner.io.agents import read_agents
from planner.io.rules import read_rules
from planner.pipeline import PLAN_FILES, parse_week
from staffing.roster.check import check_roster

TZ = "Europe/Copenhagen"
KPI_COLUMNS = [
    "queue",
    "date",
    "offered",
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "answer_rate",
    "service_level",
    "asa_seconds",
]


def _contract(table: pd.DataFrame) -> list[str]:
    """The DESIGN.md columns in their order (each rate is followed by its _lo/_hi bounds)."""
    plain = [c for c in table.columns if not c.endswith(("_lo", "_hi"))]
    return plain[: len(KPI_COLUMNS)]


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "w49"
    code = main(
        [
            "plan",
            "--week",
            "2026-W49",
            "--out",
            str(out),
            "--time-limit",
            "20",
        ]
    )
    assert code == 0
    return out


def test_plan_writes_every_table_and_a_checked_roster(plan_dir, capsys):
    assert sorted(p.name for p in plan_dir.iterdir()) == sorted(PLAN_FILES)
    forecast = pd.read_csv(plan_dir / "forecast.csv")
    days = pd.to_datetime(forecast["interval_start"], utc=True).dt.tz_convert(TZ).dt.date
    # week 49 of 2026: Monday 30 November to Friday 4 December (closed at the weekend)
    assert set(days) == {dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)}
    requirements = pd.read_csv(plan_dir / "requirements.csv")
    requirements["interval_start"] = pd.to_datetime(requirements["interval_start"], utc=True)
    roster = pd.read_csv(plan_dir / "roster.csv")
    for col in ("start", "end"):
        roster[col] = pd.to_datetime(roster[col], utc=True).dt.tz_convert(TZ)
    roster["date"] = pd.to_datetime(roster["date"]).dt.date
    agents = read_agents(DATA_DIR / "agents.csv")
    report = check_roster(roster, agents, requirements, read_rules(DATA_DIR / "rules.toml"))
    assert report.ok, report.summary()
    # A01 and A02 are on holiday that whole week: absence rows, no shifts
    away = roster[roster["agent_id"].isin(["A01", "A02"])]
    assert set(away["activity"]) == {"absence"}
    kpi = pd.read_csv(plan_dir / "kpi.csv")
    assert _contract(kpi) == KPI_COLUMNS
    assert (kpi["answered"] <= kpi["offered"] + 1e-9).all()
    text = (plan_dir / "report.txt").read_text(encoding="utf-8")
    assert "vagtplan for 2026-W49" in text and "check: roster OK" in text
    # the gap in answered calls, as the app and `vagtplan roster` say it
    assert re.search(r"gap \d+\.\d % \(at most \d+ more answered calls a week", text)


def test_plan_never_overwrites_a_saved_plan(plan_dir, capsys):
    before = {p.name: p.read_bytes() for p in plan_dir.iterdir()}
    code = main(["plan", "--week", "2026-W49", "--out", str(plan_dir), "--time-limit", "5"])
    assert code == 2
    err = capsys.readouterr().err
    assert "forecast.csv already exists" in err and "--overwrite" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in plan_dir.iterdir()} == before


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("week 49", "expected an ISO week like 2026-W49"),
        ("2026-W54", "2026 has no week 54"),
        ("2020-W10", "before the history's first day"),
    ],
)
def test_plan_bad_week_exits_2_with_a_message(tmp_path, capsys, week, message):
    code = main(["plan", "--week", week, "--out", str(tmp_path / "p"), "--time-limit", "5"])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "p").exists()


def test_parse_week_gives_the_monday():
    assert parse_week("2026-W49") == dt.date(2026, 11, 30)
    assert parse_week("2027w1") == dt.date(2027, 1, 4)


def _simulate(plan_dir, out, *extra):
    return main(
        [
            "simulate",
            "--roster",
            str(plan_dir / "roster.csv"),
            "--forecast",
            str(plan_dir / "forecast.csv"),
            "--agents",
            str(DATA_DIR / "agents.csv"),
            "--out",
            str(out),
            *extra,
        ]
    )


def test_simulate_on_the_default_plan_repeats_with_the_same_seed(plan_dir, tmp_path, capsys):
    opts = ["--seed", "11", "--replications", "4", "--patience", "150"]
    assert _simulate(plan_dir, tmp_path / "a.csv", *opts) == 0
    assert _simulate(plan_dir, tmp_path / "b.csv", *opts) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert _simulate(plan_dir, tmp_path / "c.csv", "--seed", "12", "--replications", "4") == 0
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    daily = pd.read_csv(tmp_path / "a.csv")
    assert _contract(daily) == KPI_COLUMNS
    assert daily["date"].nunique() == 5 and daily["queue"].nunique() == 10
    # the answer rate's confidence interval holds the estimate
    assert (daily["answer_rate_lo"] <= daily["answer_rate"] + 1e-9).all()
    assert (daily["answer_rate"] <= daily["answer_rate_hi"] + 1e-9).all()
    assert _simulate(plan_dir, tmp_path / "i.csv", "--by", "interval", "--replications", "2") == 0
    by_interval = pd.read_csv(tmp_path / "i.csv")
    assert "interval_start" in by_interval.columns
    # the same calls, counted per interval or per day (same seed, same replications)
    assert _simulate(plan_dir, tmp_path / "d.csv", "--replications", "2") == 0
    per_day = pd.read_csv(tmp_path / "d.csv")
    assert by_interval["offered"].sum() == pytest.approx(per_day["offered"].sum())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[scenario]]\nname = "sick"\n[[scenario.sick]]\nagents = ["A77"]\ndate = 2026-11-30\n',
            "scenario[1].sick[1].agents: unknown agent 'A77'",
        ),
        (
            '[[scenario]]\nname = "more calls"\n[[scenario.volume]]\nqueue = "Pension"\n'
            "factor = 1.15\n",
            "scenario[1].volume[1].queue: unknown queue 'Pension'",
        ),
    ],
)
def test_simulate_scenario_with_unknown_agent_or_queue_exits_2(
    plan_dir, tmp_path, capsys, body, message
):
    scenario = tmp_path / "what-if.toml"
    scenario.write_text(body, encoding="utf-8")
    code = _simulate(plan_dir, tmp_path / "s.csv", "--scenario", str(scenario))
    assert code == 2
    err = capsys.readouterr().err
    assert "what-if.toml" in err and message in err and "Traceback" not in err
    assert not (tmp_path / "s.csv").exists()
