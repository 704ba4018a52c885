"""The Data page: default data, uploads (good and bad), summary, charts, anomaly days."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from app_fixtures import charts, mark_of, open_page, small_history

from app_support.data import HISTORY_KEY
from planner.io.history import HistoryError, load_history


@pytest.fixture(autouse=True)
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    yield
    st.cache_resource.clear()


def small_csv() -> bytes:
    frame = small_history().frame.copy()
    frame["interval_start"] = frame["interval_start"].map(lambda t: t.isoformat())
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return buf.getvalue().encode()


def upload(at, name: str, data: bytes):
    at.radio(key="data:source").set_value("upload").run()
    at.get("file_uploader")[0].set_value((name, data, "text/csv")).run()
    return at.button(key="data:load").click().run()


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_without_data_the_page_says_how_to_load() -> None:
    at = open_page("data")
    assert not at.exception
    assert at.info[0].value == "Der er ikke indlæst data endnu. Vælg en kilde og tryk Indlæs."


def test_default_data_loads_with_summary_and_charts() -> None:
    at = open_page("data")
    at.button(key="data:load").click().run()
    assert not at.exception and not at.error
    loaded = at.session_state[HISTORY_KEY]
    queues = loaded.summary.queues
    assert metric(at, "Køer") == str(len(queues)) == "10"
    assert metric(at, "Dage med data") == str(loaded.summary.days)
    (daily_spec, daily), (heat_spec, heat) = charts(at)
    assert mark_of(daily_spec) == ["line"] and mark_of(heat_spec) == ["rect"]
    # One point per queue and day with calls; the totals are the history's.
    assert set(daily["queue"]) == set(queues)
    assert daily["offered"].sum() == pytest.approx(loaded.frame["offered"].sum())
    # The heatmap: weekdays x 15-minute times of the centre's opening hours, mean calls > 0.
    assert set(heat["weekday"]) <= set(range(7)) and {0, 1, 2, 3, 4} <= set(heat["weekday"])
    assert heat.groupby(["weekday", "time"]).size().max() == 1
    minutes = pd.to_datetime(heat["time"], format="%H:%M")
    assert (minutes.dt.minute % 15 == 0).all()
    assert (heat["value"] > 0).all()


def test_upload_with_anomaly_day_leaves_the_day_out() -> None:
    data = small_csv()
    at = open_page("data")
    day = small_history().frame["interval_start"].iloc[-1].date().isoformat()
    at.text_input(key="data:anomalies").set_value(day).run()
    at = upload(at, "uge.csv", data)
    assert not at.exception and not at.error
    loaded = at.session_state[HISTORY_KEY]
    expected = load_history(data, name="uge.csv", anomalies=[day])
    assert len(loaded.frame) == len(expected.frame)
    assert day not in set(loaded.frame["interval_start"].dt.date.astype(str))
    assert metric(at, "Køer") == "10"


def test_bad_upload_shows_the_loaders_message_and_keeps_the_loaded_data() -> None:
    at = open_page("data", history=small_history())
    bad = b"interval_start;queue;offered\n2026-03-02 08:00;Dagpenge;mange\n"
    with pytest.raises(HistoryError) as info:
        load_history(bad, name="fejl.csv")
    at = upload(at, "fejl.csv", bad)
    assert not at.exception
    shown = "\n".join(e.value for e in at.error)
    assert info.value.problems[0] in shown
    assert "Filen kan ikke bruges" in shown
    # The history loaded before is still there for the other pages, and the page says so.
    assert at.session_state[HISTORY_KEY] is small_history()
    kept = [i.value for i in at.info]
    assert any(k.startswith("Den nye fil blev ikke brugt; stadig indlæst:") for k in kept), kept
    assert not at.success


def test_the_page_speaks_english_when_switched() -> None:
    from app_support.shell import LANG_KEY

    at = open_page("data", history=small_history())
    at.sidebar.radio(key=LANG_KEY).set_value("en").run()
    assert not at.exception
    assert metric(at, "Queues") == "10"
    assert at.subheader[0].value == "Calls per day and queue"
