"""Never lose work: the Vagtplan page autosaves the user's draft and a new session brings it
back (AppTest); the typed name survives a reload through the address bar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_support import drafts as app_drafts
from app_support.shell import USER_KEY, USER_PARAM
from planner.store.database import Store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"
DAY = dt.date(2026, 11, 23)  # the Monday after the default history


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    st.cache_resource.clear()


def hand_roster(agents: list[str]) -> pd.DataFrame:
    def ts(clock: str) -> pd.Timestamp:
        return pd.Timestamp(f"{DAY} {clock}", tz=TZ)

    rows = []
    for agent in agents:
        rows += [
            (agent, DAY, ts("08:00"), ts("12:00"), "phone"),
            (agent, DAY, ts("12:00"), ts("12:30"), "lunch"),
            (agent, DAY, ts("12:30"), ts("16:00"), "phone"),
        ]
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


def session(user: str | None = "lead", **page_state: object) -> AppTest:
    """A new browser session (as after a reload) on the Vagtplan page."""
    at = AppTest.from_file(APP, default_timeout=120)
    if user:
        at.session_state[USER_KEY] = user
    for key, value in page_state.items():
        at.session_state[f"vagtplan:{key}"] = value
    at.run()
    return at.switch_page("app_pages/roster.py").run()


def test_the_roster_on_screen_is_autosaved_and_a_new_session_brings_it_back(db_url: str) -> None:
    roster = hand_roster([f"A{i:02d}" for i in range(1, 9)])
    locks = ["A01 · 2026-11-23"]
    with Store(db_url) as store:
        store.save("roster", "Uge 48", roster, user="anna")
        store.save("roster", "Uge 48", roster, user="anna", based_on=1)
    at = session(roster=roster, days=1, name="Uge 48", based_on=2, locks=locks)
    assert not at.exception
    with Store(db_url) as store:
        draft = store.load_draft("lead", app_drafts.SLOT)
    assert draft is not None
    pd.testing.assert_frame_equal(draft.frame, roster)
    assert draft.meta == {
        "name": "Uge 48",
        "based_on": 2,
        "locks": locks,
        "week": "2026-11-23",
        "days": 1,
    }

    again = session()  # reload: a new session with only the name
    assert not again.exception
    pd.testing.assert_frame_equal(again.session_state["vagtplan:roster"], roster)
    assert again.session_state["vagtplan:name"] == "Uge 48"
    assert again.session_state["vagtplan:based_on"] == 2
    assert again.session_state["vagtplan:locks"] == locks
    assert again.session_state["vagtplan:days"] == 1
    assert any("kladde fra" in i.value for i in again.info)

    # someone else gets no draft of lead's
    other = session(user="bo")
    kept = (
        other.session_state["vagtplan:roster"] if "vagtplan:roster" in other.session_state else None
    )
    assert kept is None
    assert not any("kladde fra" in i.value for i in other.info)


def test_discarding_the_draft_removes_it(db_url: str) -> None:
    with Store(db_url) as store:
        store.save_draft("lead", app_drafts.SLOT, hand_roster(["A01", "A02"]), {"days": 1})
    at = session()
    assert "vagtplan:roster" in at.session_state
    at.button(key="vagtplan:draft_discard").click().run()
    assert not at.exception
    with Store(db_url) as store:
        assert store.load_draft("lead", app_drafts.SLOT) is None
    assert not any("kladde fra" in i.value for i in at.info)


def test_without_a_name_nothing_is_autosaved_and_the_page_says_so(db_url: str) -> None:
    at = session(user=None, roster=hand_roster(["A01"]), days=1)
    assert not at.exception
    assert any("gemmes din kladde" in c.value for c in at.caption)
    with Store(db_url) as store:
        assert store.load_draft("lead", app_drafts.SLOT) is None


def test_the_typed_name_comes_back_from_the_address_bar_but_never_an_e_mail() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params[USER_PARAM] = "AB"
    at.run()
    assert at.session_state[USER_KEY] == "AB"

    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params[USER_PARAM] = "ab@kk.dk"
    at.run()
    assert USER_KEY not in at.session_state or not at.session_state[USER_KEY]

    at = AppTest.from_file(APP, default_timeout=30).run()
    at.sidebar.text_input(key=USER_KEY).input("CD").run()
    assert at.query_params[USER_PARAM] == "CD"
    at.sidebar.text_input(key=USER_KEY).input("20 30 40 50").run()
    assert USER_PARAM not in at.query_params
    assert any("CPR-nummer gemmes ikke" in w.value for w in at.sidebar.warning)
