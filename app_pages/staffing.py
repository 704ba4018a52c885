"""Bemanding: targets and shrinkage -> agents needed per queue and interval (from the forecast),
a heatmap by weekday and time of day, and the Erlang calculator for a single interval."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_support import data as app_data
from app_support import shell as app
from app_support.i18n import number, percent
from app_support.shell import tr
from planner.pipeline import SLA
from staffing.erlang import erlang_a, required_agents
from staffing.requirements import staffing_requirements

state = app.PageState("staffing")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _share(value: float) -> float | None:
    """A percentage input as a share; 0 switches the target off."""
    return value / 100.0 if value > 0 else None


def targets() -> dict[str, float | None]:
    cols = st.columns(3)
    answer = app_data.kept_number(
        state, cols[0], tr("st.answer_rate"), "answer_rate", 0.0, 99.9, 100 * SLA.answer_rate, 1.0
    )
    asa = app_data.kept_number(
        state, cols[1], tr("st.asa"), "asa", 0.0, 3600.0, SLA.asa_seconds, 10.0
    )
    patience = app_data.kept_number(
        state, cols[2], tr("st.patience"), "patience", 1.0, 3600.0, 180.0, 10.0
    )
    cols = st.columns(3)
    level = app_data.kept_number(
        state, cols[0], tr("st.service_level"), "service_level", 0.0, 99.9, 0.0, 5.0
    )
    threshold = app_data.kept_number(
        state, cols[1], tr("st.threshold"), "threshold", 1.0, 600.0, 20.0, 5.0
    )
    shrinkage = app_data.kept_number(
        state, cols[2], tr("st.shrinkage"), "shrinkage", 0.0, 90.0, 30.0, 1.0
    )
    st.caption(tr("st.off_help"))
    return {
        "answer_rate": _share(answer),
        "asa": asa if asa > 0 else None,
        "service_level": _share(level),
        "threshold": threshold,
        "patience": patience,
        "shrinkage": shrinkage / 100.0,
    }


def heatmap(requirements: pd.DataFrame) -> tuple[pd.DataFrame, alt.Chart]:
    names = [tr(f"data.wd.{d}") for d in WEEKDAYS]
    heat = app_data.agents_heatmap(requirements)
    heat["day"] = [names[d] for d in heat["weekday"]]
    chart = (
        alt.Chart(heat)
        .mark_rect()
        .encode(
            x=alt.X("time:O", title=tr("data.time"), axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("day:O", title=tr("data.weekday"), sort=names),
            color=alt.Color("value:Q", title=tr("st.agents"), scale=alt.Scale(scheme="blues")),
            tooltip=["day:O", "time:O", alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(height=260)
    )
    return heat, chart


def calculator(goals: dict[str, float | None]) -> None:
    st.subheader(tr("st.calc_title"))
    st.caption(tr("st.calc_help"))
    cols = st.columns(5)
    calls = app_data.kept_number(
        state, cols[0], tr("st.calc_calls"), "c_calls", 0.0, 100000.0, 40.0, 1.0
    )
    aht = app_data.kept_number(
        state, cols[1], tr("st.calc_aht"), "c_aht", 1.0, 36000.0, 300.0, 10.0
    )
    agents = app_data.kept_number(state, cols[2], tr("st.calc_agents"), "c_agents", 1, 10000, 15, 1)
    patience = app_data.kept_number(
        state, cols[3], tr("st.patience"), "c_patience", 1.0, 3600.0, 180.0, 10.0
    )
    minutes = cols[4].selectbox(tr("st.calc_interval"), [15, 30, 60], key=state.key("c_minutes"))
    state.keep("c_minutes")
    interval = minutes * 60
    metrics = erlang_a(calls, aht, patience, agents, interval=interval)
    cols = st.columns(4)
    lang = app.language()
    cols[0].metric(tr("st.m_answer_rate"), percent(float(metrics["answer_rate"]), 1, lang))
    cols[1].metric(tr("st.m_service_level"), percent(float(metrics["service_level"]), 1, lang))
    cols[2].metric(tr("st.m_asa"), f"{number(float(metrics['asa']), 0, lang)} s")
    cols[3].metric(tr("st.m_occupancy"), percent(float(metrics["occupancy"]), 1, lang))
    wanted = {k: goals[k] for k in ("answer_rate", "asa", "service_level") if goals[k]}
    if not wanted or calls <= 0:
        return
    needed = required_agents(
        calls, aht, interval=interval, threshold=goals["threshold"], patience=patience, **wanted
    )
    st.write(tr("st.calc_needed", agents=int(needed)))


def main() -> None:
    st.title(tr("st.title"))
    st.caption(tr("st.intro"))
    goals = targets()
    forecast = st.session_state.get(app_data.FORECAST_KEY)
    if forecast is None:
        st.info(tr("st.need_forecast"))
    elif st.button(tr("st.make"), key=state.key("make"), type="primary"):
        with st.spinner(tr("st.computing")):
            result = staffing_requirements(forecast, **goals)
        st.session_state[app_data.REQUIREMENTS_KEY] = result
        state.set("goals", goals)
        state.set("made_from", app_data.frame_token(forecast))

    result = st.session_state.get(app_data.REQUIREMENTS_KEY)
    if result is not None and forecast is not None:
        if state.get("made_from") != app_data.frame_token(forecast):
            st.warning(tr("st.stale"))
    if result is not None and len(result):
        cols = st.columns(3)
        cols[0].metric(tr("st.peak"), int(result.groupby("interval_start")["agents"].sum().max()))
        hours = result["agents"].sum() * _interval_hours(result)
        cols[1].metric(tr("st.agent_hours"), number(hours, 0, app.language()))
        cols[2].metric(tr("st.queues"), result["queue"].nunique())
        st.subheader(tr("st.heatmap_title"))
        _, chart = heatmap(result)
        st.altair_chart(chart, width="stretch")
        with st.expander(tr("st.table")):  # the contract's table in words (saved as it is)
            st.dataframe(shown_table(result), width="stretch", hide_index=True)
        st.subheader(tr("st.save_title"))
        app.save_controls(
            state, "requirements", result, meta={k: v for k, v in state.get("goals", {}).items()}
        )
    calculator(goals)


def shown_table(result: pd.DataFrame) -> pd.DataFrame:
    """The requirements as the page shows them (`app_support.data.display_table`), made once
    per table and language in the session (thousands of rows: about half a second)."""
    made_for = (app_data.frame_token(result), app.language())
    if state.get("shown_for") != made_for:
        state.set("shown", app_data.display_table(result, made_for[1]))
        state.set("shown_for", made_for)
    return state.get("shown")


def _interval_hours(result: pd.DataFrame) -> float:
    """The length of one interval of ``result`` in hours (smallest step between starts)."""
    starts = pd.Series(result["interval_start"].unique()).sort_values()
    steps = starts.diff().dropna()
    return (steps.min().total_seconds() if len(steps) else 900.0) / 3600.0


with app.guard():
    main()
