"""The Medarbejdere page and its glue `app_support.agents`: editing, absence, files, the store.

References are independent of the code: the default agents file read by the project's reader,
numpy's business-day count for weekday ranges, and hand-made tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from hypothesis import given
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from app_support import agents as app_agents
from app_support import plan as app_plan
from app_support.i18n import short_date
from app_support.shell import USER_KEY
from planner.errors import InputError
from planner.io.agents import read_agents
from planner.store.database import Store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
EDITOR = "agents:editor_0"
DAY = dt.date(2026, 11, 23)  # the Monday after the default history


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    st.cache_resource.clear()


def default() -> pd.DataFrame:
    return read_agents(REPO / "data" / "agents.csv")


# -- the glue ------------------------------------------------------------------------------------


def test_editor_round_trip_is_the_file_as_read() -> None:
    agents = default()
    editor = app_agents.to_editor(agents)
    assert editor.loc[0, "skills"] == ["Dagpenge", "A-Kasse", "Genregistrering"]
    pd.testing.assert_frame_equal(app_agents.from_editor(editor), agents)


def test_editor_refuses_personal_data_naming_the_row_without_the_value() -> None:
    editor = app_agents.to_editor(default())
    editor.loc[2, "agent_id"] = "010190-1234"
    with pytest.raises(InputError) as caught:
        app_agents.from_editor(editor)
    message = str(caught.value)
    assert message.startswith("the agents table: row 3, column 'agent_id'")
    assert "CPR" in message and "010190" not in message


def test_blank_added_row_is_dropped_and_a_half_filled_one_is_refused() -> None:
    editor = app_agents.to_editor(default())
    blank = pd.DataFrame([{c: None for c in app_agents.COLUMNS}])
    grown = pd.concat([editor, blank], ignore_index=True)
    assert len(app_agents.from_editor(grown)) == len(editor)
    half = blank.assign(agent_id="NY")
    with pytest.raises(InputError, match=r"row 35, column 'skills'"):
        app_agents.from_editor(pd.concat([editor, half], ignore_index=True))


@given(
    hs.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
    hs.integers(min_value=-40, max_value=40),
)
def test_absence_days_are_the_weekdays_of_the_range(first: dt.date, span: int) -> None:
    last = first + dt.timedelta(days=span)
    low, high = min(first, last), max(first, last)
    days = app_agents.absence_days(first, last)
    # numpy counts Mon-Fri in [low, high + 1 day)
    assert len(days) == np.busday_count(low, high + dt.timedelta(days=1))
    assert days == sorted(days) and all(low <= d <= high and d.weekday() < 5 for d in days)
    every = app_agents.absence_days(first, last, weekdays_only=False)
    assert len(every) == (high - low).days + 1


def test_absence_is_added_once_sorted_and_removed() -> None:
    agents = default()
    week = app_agents.absence_days(DAY, DAY + dt.timedelta(days=6))
    once = app_agents.add_absence(agents, "A05", week[:3])
    twice = app_agents.add_absence(once, "A05", week)
    assert app_agents.absence_of(twice, "A05") == week
    assert twice.loc[twice["agent_id"] == "A05", "unavailable"].item() == (
        "2026-11-23;2026-11-24;2026-11-25;2026-11-26;2026-11-27"
    )
    back = app_agents.remove_absence(twice, "A05", week)
    pd.testing.assert_frame_equal(back, agents)
    assert app_agents.changes(agents, twice) == app_agents.AgentChanges(
        added=(), removed=(), changed={"A05": ("unavailable",)}
    )
    with pytest.raises(ValueError, match="no agent 'X9'"):
        app_agents.add_absence(agents, "X9", week)


def test_excel_export_reads_back_as_the_same_table() -> None:
    agents = app_agents.add_absence(default(), "A02", [DAY])
    agents.loc[0, "team"] = '=HYPERLINK("https://x.test","Se din vagt")'
    data = app_agents.agents_excel(agents)
    pd.testing.assert_frame_equal(read_agents("agents.xlsx", data=data), agents)


def test_short_date_is_how_danish_planners_write_it() -> None:
    assert short_date(dt.date(2026, 12, 7)) == "man. 7/12"
    assert short_date(dt.date(2026, 12, 12), "en") == "Sat 12/12"


# -- the page ------------------------------------------------------------------------------------


def open_agents(user: str | None = "lead") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user:
        at.session_state[USER_KEY] = user
    at.run()
    return at.switch_page("app_pages/agents.py").run()


def in_use(at: AppTest) -> pd.DataFrame:
    return at.session_state[app_agents.AGENTS_KEY]["frame"]


def test_a_valid_edit_is_in_use_at_once_and_an_invalid_one_keeps_the_last(db_url: str) -> None:
    at = open_agents()
    assert not at.exception
    assert at.caption[0].value.startswith("I brug: standardholdet (data/agents.csv), 34 ")
    at.session_state[EDITOR] = {
        "edited_rows": {2: {"weekly_hours": 30.0}},
        "added_rows": [
            {"agent_id": "NY", "team": "Ledighed", "skills": ["Dagpenge"], "weekly_hours": 20}
        ],
        "deleted_rows": [0],
    }
    at.run()
    assert not at.exception and not at.error
    frame = in_use(at)
    assert list(frame["agent_id"])[:2] == ["A02", "A03"] and frame["agent_id"].iloc[-1] == "NY"
    assert frame.loc[frame["agent_id"] == "A03", "weekly_hours"].item() == 30.0
    assert at.caption[0].value.startswith("I brug: rettet her (fra data/agents.csv), 34 ")
    assert frame.loc[frame["agent_id"] == "NY", "weekly_hours"].item() == 20.0

    at.session_state[EDITOR] = {
        "edited_rows": {3: {"agent_id": "+45 20 30 40 50"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "row 4, column 'agent\\_id'" in at.error[0].value and "20 30" not in at.error[0].value
    assert "den sidste gyldige tabel" in at.warning[0].value
    pd.testing.assert_frame_equal(in_use(at), frame)


def test_absence_for_a_range_from_the_calendar(db_url: str) -> None:
    at = open_agents()
    at.selectbox(key="agents:absence_agent").select("A07").run()
    at.date_input(key="agents:absence_range").set_value((DAY, DAY + dt.timedelta(days=9))).run()
    at.button(key="agents:absence_add").click().run()
    assert not at.exception
    assert app_agents.absence_of(in_use(at), "A07") == app_agents.absence_days(
        DAY, DAY + dt.timedelta(days=9)
    )
    assert "A07: 8 fraværsdage registreret." in [s.value for s in at.success]
    at.multiselect(key="agents:absence_remove").select(DAY).run()
    at.button(key="agents:absence_remove_button").click().run()
    assert DAY not in app_agents.absence_of(in_use(at), "A07")


def test_a_refused_import_keeps_the_table_and_a_saved_version_opens_again(db_url: str) -> None:
    at = open_agents()
    edited = app_agents.add_absence(default(), "A01", [DAY])
    at.session_state[app_agents.AGENTS_KEY] = {"frame": edited, "source": "edited", "label": "x"}
    at.run()
    at.text_input(key="agents:save_name").input("Holdet december").run()
    at.button(key="agents:save_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Store(db_url) as store:
        saved, info = store.load("agents", "Holdet december")
    assert (info.version, info.saved_by) == (1, "lead")
    assert at.caption[0].value.startswith("I brug: gemt som Holdet december v1, 34 ")

    at.session_state[app_agents.AGENTS_KEY] = {
        "frame": default(),
        "source": "default",
        "label": "d",
    }
    at.run()
    at.button(key="agents:open_button").click().run()
    pd.testing.assert_frame_equal(in_use(at), edited)


def test_the_roster_page_plans_with_the_edited_team(db_url: str) -> None:
    away = [f"A{i:02d}" for i in range(1, 11)]
    agents = app_plan.load_agents()
    for agent in away:
        agents = app_agents.add_absence(agents, agent, [DAY])
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[USER_KEY] = "lead"
    at.session_state[app_agents.AGENTS_KEY] = {"frame": agents, "source": "edited", "label": "x"}
    at.session_state["vagtplan:days"] = 1
    at.session_state["vagtplan:time_limit"] = 10
    at.run()
    at = at.switch_page("app_pages/roster.py").run()
    at.button(key="vagtplan:build").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    roster = at.session_state["vagtplan:roster"]
    working = roster[roster["activity"] != "absence"]
    assert set(working["agent_id"]).isdisjoint(away)
    assert working["agent_id"].nunique() >= 10
