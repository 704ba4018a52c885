"""The week at a glance (`app_support.week`) and the Vagtplan page's "Uge" tab (AppTest).

Figures are checked against hand counts of tiny rosters, the colour scale against its own
definition (symmetric around 0, 0 on the neutral colour), the capacity sentences against the
findings' structured fields, and the page against the library's coverage of the same roster.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_support import plan as app_plan
from app_support import week
from app_support.i18n import t
from app_support.shell import LANG_KEY, USER_KEY, plain
from planner.store.database import Store
from staffing.roster.capacity import CapacityFinding, capacity_findings
from tests.app_fixtures import charts, open_tab

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"
DAY = dt.date(2026, 11, 23)  # a Monday: the first day after the default history
TUESDAY = DAY + dt.timedelta(days=1)


def da(key: str, **values: object) -> str:
    return t(key, "da", **values)


def en(key: str, **values: object) -> str:
    return t(key, "en", **values)


def ts(clock: str, day: dt.date = DAY) -> pd.Timestamp:
    return pd.Timestamp(f"{day} {clock}", tz=TZ)


def blocks(agent: str, day: dt.date, *parts: tuple[str, str, str]) -> list[tuple]:
    return [(agent, day, ts(a, day), ts(b, day), what) for a, b, what in parts]


def roster_of(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


# -- the week table --------------------------------------------------------------------------


def test_a_day_reads_shift_lunch_meeting_and_off_phone_blocks() -> None:
    day = roster_of(
        blocks(
            "A",
            DAY,
            ("08:00", "10:00", "phone"),
            ("10:00", "11:00", "off_phone"),
            ("11:00", "11:30", "phone"),
            ("11:30", "12:00", "lunch"),
            ("12:00", "13:00", "phone"),
            ("13:00", "13:30", "meeting"),
            ("13:30", "14:30", "off_phone"),
            ("14:30", "16:00", "phone"),
        )
    )
    assert week.cell_text(day, da) == "08:00-16:00 · frokost 11:30 · møde 13:00 · 2 × andet arbejde"
    assert (
        week.cell_text(day, en) == "08:00-16:00 · lunch 11:30 · meeting 13:00 · 2 × off-phone work"
    )


def test_week_table_has_an_agent_a_row_and_a_day_a_column() -> None:
    rows = (
        blocks("A", DAY, ("08:00", "12:00", "phone"), ("12:00", "12:30", "lunch"))
        + blocks("A", DAY, ("12:30", "15:00", "phone"))
        + blocks("A", TUESDAY, ("00:00", "23:59", "absence"))
        + blocks("B", TUESDAY, ("09:00", "12:00", "phone"), ("12:00", "16:00", "absence"))
    )
    table = week.week_table(roster_of(rows), da, agents=["C", "A", "B"])
    assert list(table.columns) == ["Medarbejder", "man. 23/11", "tir. 24/11"]
    assert table["Medarbejder"].tolist() == ["A", "B", "C"]  # C has nothing: off all week
    by_agent = table.set_index("Medarbejder")
    assert by_agent.loc["A", "man. 23/11"] == "08:00-15:00 · frokost 12:00"
    assert by_agent.loc["A", "tir. 24/11"] == "Fravær"
    assert by_agent.loc["B", "man. 23/11"] == "fri"
    assert by_agent.loc["B", "tir. 24/11"] == "09:00-12:00 · fravær 12:00-16:00"
    assert by_agent.loc["C"].tolist() == ["fri", "fri"]
    english = week.week_table(roster_of(rows), en, days=[DAY])
    assert list(english.columns) == ["Agent", "Mon 23/11"]


def test_days_read_as_danish_planners_write_them() -> None:
    sunday = dt.date(2026, 11, 29)
    assert week.day_label(DAY, da) == "man. 23/11"
    assert week.day_label(sunday, da) == "søn. 29/11"
    assert week.day_label(dt.date(2027, 1, 4), en) == "Mon 4/1"


# -- coverage against the need ---------------------------------------------------------------


AGENTS = pd.DataFrame(
    {
        "agent_id": ["A", "B", "C"],
        "team": ["T", "T", "T"],
        "skills": ["Q1", "Q1", "Q2"],
        "weekly_hours": [37, 37, 37],
    }
)


def need(q1: list[float], q2: list[float], day: dt.date = DAY) -> pd.DataFrame:
    times = pd.date_range(ts("08:00", day), periods=len(q1), freq="15min")
    return pd.concat(
        [
            pd.DataFrame(
                {"interval_start": times, "queue": q, "agents": n, "offered": 10.0}
            ).assign(aht_seconds=300.0)
            for q, n in (("Q1", q1), ("Q2", q2))
        ],
        ignore_index=True,
    )


def test_week_coverage_is_staffed_minus_required_counted_by_hand() -> None:
    # A (Q1): phone 08:00-08:30, meeting 08:30-08:45, phone 08:45-09:00; C (Q2): phone
    # 08:00-08:45; B nothing. Single-skilled agents: the split cannot move anyone.
    rows = blocks(
        "A",
        DAY,
        ("08:00", "08:30", "phone"),
        ("08:30", "08:45", "meeting"),
        ("08:45", "09:00", "phone"),
    ) + blocks("C", DAY, ("08:00", "08:45", "phone"))
    req = need([2, 1, 1, 1], [0, 1, 1, 0])
    req.loc[(req["queue"] == "Q2") & (req["interval_start"] == ts("08:45")), "offered"] = 0.0
    coverage = app_plan.roster_coverage(roster_of(rows), req, AGENTS)
    frame = week.week_coverage(app_plan.predicted_kpis(coverage, req), da)
    q1 = frame[frame["queue"] == "Q1"]
    q2 = frame[frame["queue"] == "Q2"]
    # Q1 staffed by hand: 1, 1, 0, 1 against 2, 1, 1, 1
    assert q1["balance"].tolist() == [-1.0, 0.0, -1.0, 0.0]
    # Q2 staffed 1, 1, 1 against 0, 1, 1; at 08:45 nothing needed, planned or offered: closed
    assert q2["balance"].tolist() == [1.0, 0.0, 0.0]
    assert q2["clock"].tolist() == ["08:00", "08:15", "08:30"]
    assert set(frame["day"]) == {"man. 23/11"}
    # the per-day views' figures (shortfall, surplus of the same coverage) say the same
    drawn = frame.assign(interval_start=frame["interval_start"].dt.tz_localize(TZ))
    same = coverage.merge(
        drawn[["interval_start", "queue", "balance"]], on=["interval_start", "queue"]
    )
    assert len(same) == len(frame)
    assert (same["balance"] == same["surplus"] - same["shortfall"]).all()


def test_colour_scale_is_symmetric_and_zero_is_neutral() -> None:
    domain, colours = week.balance_scale([-2.3, 0.0, 0.5])
    assert domain == [-3.0, 0.0, 3.0]
    assert colours == [week.SHORT_COLOUR, week.NEUTRAL_COLOUR, week.SURPLUS_COLOUR]
    assert week.balance_scale([0.0, 0.0])[0] == [-1.0, 0.0, 1.0]  # never an empty domain
    assert week.balance_scale([0.2, 4.0])[0] == [-4.0, 0.0, 4.0]

    def rgb(hex_colour: str) -> tuple[int, ...]:
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))

    def colour_at(value: float) -> tuple[float, ...]:
        """Piecewise-linear interpolation of the scale, as Vega-Lite does for three stops."""
        (lo, mid, hi), stops = domain, [rgb(c) for c in colours]
        if value <= mid:
            left, right, f = stops[0], stops[1], (value - lo) / (mid - lo)
        else:
            left, right, f = stops[1], stops[2], (value - mid) / (hi - mid)
        return tuple(x + f * (y - x) for x, y in zip(left, right, strict=True))

    assert colour_at(0.0) == rgb(week.NEUTRAL_COLOUR)
    assert min(rgb(week.NEUTRAL_COLOUR)) >= 0xF0  # near white
    red, green, blue = colour_at(-1.0)
    assert red > blue and red > green  # short: red
    red, green, blue = colour_at(1.0)
    assert blue > red  # surplus: blue


def test_heatmap_uses_the_scale_and_draws_only_open_intervals() -> None:
    frame = week.week_coverage(
        pd.DataFrame(
            {
                "interval_start": [ts("08:00"), ts("08:15"), ts("08:00", TUESDAY)],
                "queue": ["Q1", "Q1", "Q1"],
                "required": [2.0, 1.0, 0.0],
                "staffed": [1.0, 1.0, 0.0],
                "offered": [5.0, 5.0, 0.0],
            }
        ),
        da,
    )
    assert len(frame) == 2  # Tuesday 08:00 is closed: not drawn
    spec = week.balance_heatmap(frame, da).to_dict()
    assert spec["facet"]["column"]["field"] == "day"
    scale = spec["spec"]["encoding"]["color"]["scale"]
    assert scale["domain"] == [-1.0, 0.0, 1.0] and scale["range"][1] == week.NEUTRAL_COLOUR
    assert "scheme" not in scale
    one_day = week.balance_heatmap(frame, da, scale_from=[-3.0, 2.0], by_day=False).to_dict()
    assert one_day["encoding"]["color"]["scale"]["domain"] == [-3.0, 0.0, 3.0]


# -- before building: capacity in the planner's words --------------------------------------


def test_capacity_findings_are_said_from_their_fields_in_both_languages() -> None:
    findings = [
        CapacityFinding("hours", "The week needs ...", 1234.25, 1000.0),
        CapacityFinding("heads", "Monday ...", 3.0, 1.0, day=DAY),
        CapacityFinding("skill_heads", "...", 1.0, 0.0, queue="*Q2*", day=TUESDAY),
        CapacityFinding("skill_hours", "...", 40.5, 0.0, queue="Q2"),
        CapacityFinding("new_kind", "...", 5.0, 2.0, queue="Q1"),
    ]
    danish = week.capacity_lines(findings, da, quote=plain)
    assert danish[0].startswith(
        "Ugen kræver 1.234 agenttimer i telefonen; holdet kan højst give 1.000"
    )
    assert "234 timer for lidt" in danish[0]
    assert danish[1].startswith("Man. 23/11 skal 3 agenter tage telefonen på samme tid")
    assert "kun 1 kan være der" in danish[1]
    assert danish[2].startswith("Tir. 24/11 skal køen \\*Q2\\* have 1 agent på samme tid")
    assert danish[3].startswith("Køen Q2 kræver 40 agenttimer i ugen")
    assert danish[4] == "Q1: behov 5, højst 2 muligt."
    english = week.capacity_lines(findings, en)
    assert english[0].startswith("The week needs 1,234 agent-hours on the phone")
    assert english[2].startswith("Tue 24/11: *Q2* needs 1 agent at once")
    text = week.capacity_markdown(findings, da)
    assert text.splitlines()[0] == da("wk.cap_title") and text.count("\n- ") == 5
    assert week.capacity_markdown([], da) == ""


def test_a_team_too_small_is_named_in_danish() -> None:
    # Q1 needs three agents at once; two agents (A, B) have the skill. Three agents in all can
    # be on the phone then, and the hours are tiny: the skill is the only finding.
    req = need([3, 3], [0, 0])
    findings = capacity_findings(req, AGENTS)
    assert [(f.kind, f.needed, f.available) for f in findings] == [("skill_heads", 3.0, 2.0)]
    assert week.capacity_lines(findings, da) == [
        "Man. 23/11 skal køen Q1 have 3 agenter på samme tid; kun 2 med kompetencen kan være der."
    ]
    assert week.capacity_lines(findings, en) == [
        "Mon 23/11: Q1 needs 3 agents at once; only 2 with the skill can be there."
    ]


# -- the page --------------------------------------------------------------------------------


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from app_support import shell as app

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    app._open_store.clear()


def open_page(**state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[USER_KEY] = "lead"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    return at.switch_page("app_pages/roster.py").run()


def hand_roster(agents: list[str]) -> pd.DataFrame:
    rows = []
    for agent in agents:
        rows += blocks(
            agent,
            DAY,
            ("08:00", "12:00", "phone"),
            ("12:00", "12:30", "lunch"),
            ("12:30", "16:00", "phone"),
        )
    return roster_of(rows)


def opened(db_url: str, **state: object) -> AppTest:
    agents = [f"A{i:02d}" for i in range(1, 13)]
    with Store(db_url) as store:
        store.save("roster", "Uge 48", hand_roster(agents), user="anna")
    at = open_page(**{"vagtplan:days": 1, **state})
    at.button(key="vagtplan:open").click().run()
    # (the checker may list rule findings about the hand-made roster: those are not errors of
    # the page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_week_tab_shows_the_table_and_the_heatmap_of_the_week(db_url: str) -> None:
    at = opened(db_url)
    assert [tab.label for tab in at.tabs][:3] == ["Pr. medarbejder", "Pr. interval", "Uge"]
    at = open_tab(at, "wk.tab")  # only the open tab is drawn
    tables = [d.value for d in at.dataframe if "man. 23/11" in d.value.columns]
    assert len(tables) == 1
    table = tables[0].set_index("Medarbejder")
    plan = app_plan.load_default_plan()
    assert set(table.index) == set(plan.agents["agent_id"].astype(str))
    assert table.loc["A01", "man. 23/11"] == "08:00-16:00 · frokost 12:00"
    assert table.loc["A20", "man. 23/11"] == "fri"  # in the agents table, not in this roster

    # the heatmap's numbers: the library's coverage of the same roster and requirement
    req = app_plan.plan_days(plan.requirements, DAY, 1)
    roster = at.session_state["vagtplan:roster"]
    cov = app_plan.roster_coverage(roster, req, plan.agents)
    drawn = {id(spec): (spec, data) for spec, data in charts(at)}
    weekly = [(s, d) for s, d in drawn.values() if "facet" in s]
    assert len(weekly) == 1
    spec, data = weekly[0]
    assert len(data) == len(cov)  # every open interval of every queue, nothing else
    expected = (cov["staffed"] - cov["required"]).round(2).sort_values().to_numpy()
    assert data["balance"].sort_values().to_numpy() == pytest.approx(expected, abs=1e-9)
    scale = spec["spec"]["encoding"]["color"]["scale"]
    lo, mid, hi = scale["domain"]
    assert lo == -hi and mid == 0 and scale["range"][1] == week.NEUTRAL_COLOUR
    assert hi == max(1, math.ceil(data["balance"].abs().max()))
    # the per-day heatmap (the interval tab): the same scale (0 neutral), not a shortfall
    # scale from pale red
    at = open_tab(at, "ro.tab_intervals")
    drawn = {id(spec): (spec, data) for spec, data in charts(at)}
    day_maps = [
        s for s, _ in drawn.values() if "facet" not in s and s.get("mark", {}).get("type") == "rect"
    ]
    assert len(day_maps) == 1
    assert day_maps[0]["encoding"]["color"]["scale"]["domain"] == scale["domain"]
    assert day_maps[0]["encoding"]["color"]["field"] == "balance"


def test_week_tab_in_english(db_url: str) -> None:
    at = opened(db_url, **{LANG_KEY: "en"})
    assert "Week" in [tab.label for tab in at.tabs]
    at = open_tab(at, "wk.tab")
    tables = [d.value for d in at.dataframe if "Mon 23/11" in d.value.columns]
    assert tables and tables[0].set_index("Agent").loc["A01", "Mon 23/11"] == (
        "08:00-16:00 · lunch 12:00"
    )


def test_capacity_is_said_before_building(db_url: str) -> None:
    plan = app_plan.load_default_plan()
    at = open_page(**{"vagtplan:days": 1})
    assert not at.exception
    assert any(c.value == da("wk.cap_ok") for c in at.caption)  # the default team is enough
    assert not at.warning

    # ten times the need: the page names what no roster can cover, in Danish, before building
    bigger = plan.requirements.assign(agents=plan.requirements["agents"] * 10)
    at = open_page(**{"vagtplan:days": 1, "staffing:result": bigger})
    assert not at.exception
    findings = capacity_findings(
        app_plan.plan_days(bigger, DAY, 1), plan.agents, app_plan.load_rules()
    )
    assert findings and {f.kind for f in findings} >= {"hours", "heads"}
    warning = at.warning[0].value
    assert warning == week.capacity_markdown(findings, da, quote=plain)
    assert warning.startswith(da("wk.cap_title"))
    assert "agenttimer" in warning and "needs" not in warning
    assert at.button(key="vagtplan:build")  # the build button is still there
