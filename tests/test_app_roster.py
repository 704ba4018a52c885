"""The Vagtplan page (AppTest) and its glue `app_support.plan`: coverage, edits, locks, saving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from app_fixtures import legal_day, open_tab
from streamlit.testing.v1 import AppTest

from app_support import edits
from app_support import plan as app_plan
from app_support import shell as app
from app_support.shell import USER_KEY
from planner.store.database import Store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"
DAY = dt.date(2026, 11, 23)  # the Monday after the default history


def ts(clock: str, day: dt.date = DAY) -> pd.Timestamp:
    return pd.Timestamp(f"{day} {clock}", tz=TZ)


def hand_roster(agents: list[str], day: dt.date = DAY) -> pd.DataFrame:
    """08:00-16:00 on the phone with lunch 12:00-12:30 for each agent."""
    rows = []
    for agent in agents:
        rows += [
            (agent, day, ts("08:00", day), ts("12:00", day), "phone"),
            (agent, day, ts("12:00", day), ts("12:30", day), "lunch"),
            (agent, day, ts("12:30", day), ts("16:00", day), "phone"),
        ]
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


AGENTS = pd.DataFrame(
    {
        "agent_id": ["A", "B", "C"],
        "skills": ["Q1", "Q1;Q2", "Q2"],
        "weekly_hours": [37, 37, 37],
    }
)


def requirement(rows: dict[str, list[float]], day: dt.date = DAY) -> pd.DataFrame:
    times = pd.date_range(ts("08:00", day), periods=4, freq="15min")
    frames = [
        pd.DataFrame(
            {
                "interval_start": times,
                "queue": q,
                "agents": need,
                "offered": [10.0] * 4,
                "aht_seconds": 300.0,
            }
        )
        for q, need in rows.items()
    ]
    return pd.concat(frames, ignore_index=True)


# -- the glue, against hand counts -------------------------------------------------------------


def test_coverage_splits_cross_trained_agents_by_requirement() -> None:
    req = requirement({"Q1": [1, 1, 3, 0], "Q2": [1, 1, 1, 0]})
    roster = hand_roster(["A", "B", "C"])
    cov = app_plan.roster_coverage(roster, req, AGENTS).set_index(["queue", "interval_start"])
    t = pd.date_range(ts("08:00"), periods=4, freq="15min")
    # A counts for Q1, C for Q2, B half/half where both need 1 (symmetric); where Q1 needs 3
    # and Q2 is covered by C alone, B goes to Q1 (the best split: shortfall 1, not 1.25).
    assert cov.loc[("Q1", t[0]), "staffed"] == pytest.approx(1.5)
    assert cov.loc[("Q2", t[0]), "staffed"] == pytest.approx(1.5)
    assert cov.loc[("Q1", t[2]), "staffed"] == pytest.approx(2.0, abs=0.02)
    assert cov.loc[("Q1", t[2]), "shortfall"] == pytest.approx(1.0, abs=0.02)
    # nobody needed: equal split; three agents on the phone in every interval
    assert cov.groupby("interval_start")["staffed"].sum().tolist() == pytest.approx([3] * 4)


def test_moving_a_shift_moves_its_coverage() -> None:
    req = requirement({"Q1": [1, 1, 1, 1]})
    roster = hand_roster(["A"])
    moved = app_plan.move_shift(roster, "A", DAY, dt.time(8, 30))
    before = app_plan.roster_coverage(roster, req, AGENTS)["staffed"].tolist()
    after = app_plan.roster_coverage(moved, req, AGENTS)["staffed"].tolist()
    assert before == [1, 1, 1, 1] and after == [0, 0, 1, 1]
    assert moved["end"].max() == ts("16:30")
    assert list(moved["activity"]) == ["phone", "lunch", "phone"]


def test_swap_exchanges_the_days_and_locks_pick_the_agent_days() -> None:
    roster = pd.concat(
        [hand_roster(["A"]), app_plan.move_shift(hand_roster(["B"]), "B", DAY, dt.time(10, 0))]
    )
    swapped = app_plan.swap_agents(roster, "A", "B", DAY)
    starts = swapped.groupby("agent_id")["start"].min()
    assert starts["A"] == ts("10:00") and starts["B"] == ts("08:00")
    locks = app_plan.locks_frame(swapped, [("A", DAY)])
    assert set(locks["agent_id"]) == {"A"} and len(locks) == 3
    with pytest.raises(ValueError, match="two different agents"):
        app_plan.swap_agents(roster, "A", "A", DAY)


def test_icalendar_zip_has_one_calendar_per_agent_with_shift_and_lunch() -> None:
    import io
    import zipfile

    import icalendar

    roster = hand_roster(["A", "B"])
    archive = zipfile.ZipFile(io.BytesIO(app_plan.icalendar_zip(roster)))
    assert sorted(archive.namelist()) == ["A.ics", "B.ics"]
    cal = icalendar.Calendar.from_ical(archive.read("A.ics"))
    events = sorted(
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in cal.walk("VEVENT")
    )
    assert [e[0] for e in events] == ["Frokost", "Vagt 08:00-16:00"]
    shift = events[1]
    assert shift[1] == ts("08:00").to_pydatetime() and shift[2] == ts("16:00").to_pydatetime()
    assert events[0][1] == ts("12:00").to_pydatetime()


def test_predicted_kpis_are_erlang_a_at_the_staffed_agents() -> None:
    from staffing import erlang

    req = requirement({"Q1": [1, 1, 1, 1]})
    cov = app_plan.roster_coverage(hand_roster(["A"]), req, AGENTS)
    kpis = app_plan.predicted_kpis(cov, req)
    expected = erlang.erlang_a(10.0, 300.0, 180.0, 1)["answer_rate"]
    # the queue has no patience of its own: the median of the centre's queues is used
    assert kpis["agents_net"].tolist() == [1, 1, 1, 1]
    assert 0 < kpis["answer_rate"].iloc[0] < 1
    more = app_plan.predicted_kpis(
        app_plan.roster_coverage(hand_roster(["A", "B"]), req, AGENTS), req
    )
    assert (more["answer_rate"] > kpis["answer_rate"]).all()
    assert expected > 0


# -- the page ----------------------------------------------------------------------------------


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    app._open_store.clear()  # keep the (slow) default plan cached for the next test


def open_page(user: str | None = "lead", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if user:
        at.session_state[USER_KEY] = user
    for key, value in state.items():
        at.session_state[f"vagtplan:{key}"] = value
    at.run()
    return at.switch_page("app_pages/roster.py").run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_opens_a_saved_roster_edits_it_and_saves_a_new_version(db_url: str) -> None:
    saved = legal_day()
    agents = sorted(set(saved.loc[saved["activity"] != "absence", "agent_id"]))
    with Store(db_url) as store:
        store.save("roster", "Uge 48", saved, user="anna")
    at = open_page(days=1)
    assert not at.exception and not at.error
    at.button(key="vagtplan:open").click().run()
    assert not at.exception and not at.error
    shifts = at.dataframe[1].value if len(at.dataframe) > 1 else None
    assert shifts is not None
    assert sorted(shifts.loc[shifts["Aktivitet"] == "Vagt", "Medarbejder"]) == agents
    before = at.session_state["vagtplan:roster"]
    kpis_before = at.dataframe[0].value

    at = open_tab(at, "ro.tab_edit")  # only the open tab is drawn
    at.selectbox(key="vagtplan:move_agent").select("A01")
    at.selectbox(key="vagtplan:move_day").select(DAY)
    at.time_input(key="vagtplan:move_start").set_value(dt.time(8, 30))  # keeps the rules
    at.button(key="vagtplan:move_button").click().run()
    assert not at.exception and not at.error
    after = at.session_state["vagtplan:roster"]
    assert after.loc[after["agent_id"] == "A01", "start"].min() == ts("08:30")
    assert not after.equals(before)
    kpis_after = at.dataframe[0].value  # predicted KPIs per queue follow the edit at once
    assert list(kpis_after.columns) == list(kpis_before.columns)
    assert not kpis_after.equals(kpis_before)
    # at once: Erlang A's quick estimate (the week is simulated on request)
    plan = app_plan.load_default_plan()
    req_day = app_plan.plan_days(plan.requirements, DAY, 1)
    quick = app_plan.predicted_kpis(app_plan.roster_coverage(after, req_day, plan.agents), req_day)
    quick_week = app_plan.quick_goals_table(quick)
    shown = kpis_after.set_index(kpis_after.columns[0])
    for _, row in quick_week.iloc[1:].iterrows():
        assert shown.loc[row["queue"]].iloc[0] == round(row["offered"])
        assert shown.loc[row["queue"]].iloc[1] == round(100 * row["answer_rate"], 1)
    assert any("Hurtigt skøn" in i.value for i in at.info)
    at.button(key="vagtplan:simulate").click().run()
    assert not any("Hurtigt skøn" in i.value for i in at.info)
    simulated = at.dataframe[0].value
    assert list(simulated.columns) == list(kpis_before.columns)

    at = open_tab(at, "ro.tab_save")
    at.button(key="vagtplan:save_button").click().run()
    assert not at.exception and not at.error
    with Store(db_url) as store:
        frame, info = store.load("roster", "Uge 48")
    assert (info.version, info.saved_by, info.based_on) == (2, "lead", 1)
    assert frame.loc[frame["agent_id"] == "A01", "start"].min() == ts("08:30")
    versions = at.dataframe[-1].value
    assert list(versions["Version"]) == [2, 1]

    # the independent checker on the edited roster, shown as the checker itself says
    at.button(key="vagtplan:check").click().run()
    assert not at.exception
    edited = at.session_state["vagtplan:roster"]
    plan = app_plan.load_default_plan()
    req = app_plan.plan_days(plan.requirements, DAY, 1)
    agents_then = edits.absence_as_unavailable(plan.agents, edited)  # absence = a day off
    report = app_plan.check(edited, agents_then, req, app_plan.load_rules(), calendar=plan.calendar)
    if report.ok:
        assert any("overholder alle regler" in s.value for s in at.success)
    else:
        assert any(f"bryder {len(report.errors)} regel" in e.value for e in at.error)
    found = (*report.errors, *report.warnings)
    expected = sorted(edits.finding_text(v, "da") for v in found)  # in the page's language
    tables = [d.value for d in at.dataframe if "Fund" in d.value.columns]
    assert sorted(tables[0]["Fund"]) == expected if expected else not tables
    keys = {b.key for b in at.get("download_button")}
    assert {"vagtplan:csv", "vagtplan:xlsx", "vagtplan:ics"} <= keys


@pytest.mark.slow
def test_builds_a_day_and_a_locked_shift_survives_reoptimization(db_url: str) -> None:
    at = open_page(days=1, time_limit=30)
    at.button(key="vagtplan:build").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    roster = at.session_state["vagtplan:roster"]
    agents = set(app_plan.load_agents()["agent_id"].astype(str))
    assert set(roster["agent_id"]) <= agents and roster["agent_id"].nunique() >= 10
    assert set(roster["date"]) == {DAY}

    at = open_tab(at, "ro.tab_edit")
    agent = at.selectbox(key="vagtplan:move_agent").value
    first = roster.loc[roster["agent_id"] == agent, "start"].min()
    if first > ts("08:00"):  # move it earlier: still inside the day's hours
        at.time_input(key="vagtplan:move_start").set_value(dt.time(8, 0)).run()
        at.button(key="vagtplan:move_button").click().run()
    moved = at.session_state["vagtplan:roster"]
    mine = moved[moved["agent_id"] == agent].sort_values("start").reset_index(drop=True)
    assert mine["start"].min() == min(first, ts("08:00"))
    at.multiselect(key="vagtplan:locks").select(f"{agent} · {DAY}").run()
    at.button(key="vagtplan:reoptimize").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    again = at.session_state["vagtplan:roster"]
    kept = again[again["agent_id"] == agent].sort_values("start").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        kept[["start", "end", "activity"]], mine[["start", "end", "activity"]], check_dtype=False
    )
    assert at.multiselect(key="vagtplan:locks").value == [f"{agent} · {DAY}"]
