"""Scenarier (what-if): managers change staff, volume, handle time or goals and compare the
simulated result side by side with the base plan.

The base plan is the roster on the Vagtplan page (this session) or a saved roster; the forecast
is the Prognose page's (this session) or the default one. Scenarios are built with widgets or
read from a TOML file (`planner.io.scenarios.load_scenarios`) and run with
`planner.scenarios.run_scenarios` with the one prediction of a roster (`staffing.simulation.
standard.STANDARD`: the base's figures are the Vagtplan page's and ``vagtplan plan``'s) and the
chance of meeting the SLA from 200 runs with the forecast's uncertainty, with its resolution.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_support import agents as app_agents
from app_support import cache as app_cache
from app_support import data as app_data
from app_support import plan as app_plan
from app_support import shell as app
from app_support.i18n import number, percent, short_date
from app_support.shell import tr
from planner.io.scenarios import BASE, load_scenarios
from planner.pipeline import SLA
from planner.scenarios import run_scenarios
from staffing import kpi
from staffing.simulation.standard import STANDARD

state = app.PageState("scenarier")
ROSTER_KEY = "vagtplan:roster"  # the Vagtplan page's roster in this session
FORECAST_KEY = "forecast:result"  # the Prognose page's forecast (app_support.data)
NONE = "—"


def default_plan() -> app_plan.DefaultPlan:
    return app_cache.default_plan()  # one cached plan for every page


def base_roster(store) -> tuple[pd.DataFrame | None, str]:
    """The roster to start from: this session's, else the chosen saved one."""
    options = []
    session = st.session_state.get(ROSTER_KEY)
    if isinstance(session, pd.DataFrame) and not session.empty:
        options.append("session")
    saved = [i.name for i in store.list("roster")]
    options += [f"saved:{n}" for n in saved]
    if not options:
        return None, ""
    state.choose("base", options)
    tl = app.translator()
    choice = st.selectbox(
        tr("sc.base"),
        options,
        format_func=lambda o: tl("sc.base_session") if o == "session" else o[len("saved:") :],
        key=state.key("base"),
    )
    state.keep("base")
    if choice == "session":
        return session, tr("sc.base_session")
    frame, info = store.load("roster", choice[len("saved:") :])
    return frame, tr("sc.base_saved", name=info.name, version=info.version)


def forecast_for(plan: app_plan.DefaultPlan, days: list[dt.date]) -> pd.DataFrame:
    return app_plan.roster_forecast(st.session_state.get(FORECAST_KEY), plan.forecast, days)


def scenario_form(inputs, agents: list[str], queues: list[str], days: list[dt.date]) -> None:
    lang = app.language()

    def day(value: dt.date) -> str:  # as planners write it: man. 23/11
        return short_date(value, lang)

    with st.form(state.key("form"), clear_on_submit=False):
        name = st.text_input(tr("sc.name"), key=state.key("name"))
        st.markdown(f"**{tr('sc.staff')}**")
        c1, c2 = st.columns(2)
        sick = c1.multiselect(
            tr("sc.sick"), agents, key=state.key("sick"), placeholder=tr("sc.choose")
        )
        sick_day = c2.selectbox(tr("sc.sick_day"), days, format_func=day, key=state.key("sick_day"))
        c1, c2 = st.columns(2)
        remove = c1.selectbox(tr("sc.remove"), [NONE, *agents], key=state.key("remove"))
        remove_from = c2.selectbox(
            tr("sc.remove_from"), days, format_func=day, key=state.key("remove_from")
        )
        c1, c2, c3, c4 = st.columns(4)
        hire = c1.text_input(tr("sc.hire"), key=state.key("hire"), placeholder="N01")
        hire_skills = c2.multiselect(
            tr("sc.hire_skills"), queues, key=state.key("hire_skills"), placeholder=tr("sc.choose")
        )
        hire_from = c3.selectbox(
            tr("sc.hire_from"), days, format_func=day, key=state.key("hire_from")
        )
        hire_like = c4.selectbox(tr("sc.hire_like"), [NONE, *agents], key=state.key("hire_like"))
        st.markdown(f"**{tr('sc.volume')}**")
        c1, c2, c3, c4 = st.columns(4)
        volume = c1.number_input(tr("sc.volume_pct"), -90, 300, 0, step=5, key=state.key("vol"))
        volume_queue = c2.selectbox(tr("sc.queue"), [NONE, *queues], key=state.key("vol_queue"))
        volume_from = c3.selectbox(tr("sc.from"), days, format_func=day, key=state.key("vol_from"))
        volume_to = c4.selectbox(
            tr("sc.to"), days, index=len(days) - 1, format_func=day, key=state.key("vol_to")
        )
        c1, c2, c3 = st.columns(3)
        aht = c1.number_input(tr("sc.aht_pct"), -50, 200, 0, step=5, key=state.key("aht"))
        aht_queue = c2.selectbox(tr("sc.queue"), [NONE, *queues], key=state.key("aht_queue"))
        goal = c3.number_input(
            tr("sc.goal"),
            0.0,
            100.0,
            100 * (inputs.goals.answer_rate or SLA.answer_rate),
            step=1.0,
            key=state.key("goal"),
        )
        if st.form_submit_button(tr("sc.add")):
            label = name.strip() or tr("sc.default_name", n=len(state.get("list", [])) + 1)
            default_goal = 100 * (inputs.goals.answer_rate or SLA.answer_rate)
            scenario = app_plan.make_scenario(
                label,
                sick=(sick, sick_day) if sick else None,
                remove=(remove, remove_from) if remove != NONE else None,
                hire=(
                    hire.strip(),
                    hire_skills,
                    hire_from,
                    None if hire_like == NONE else hire_like,
                )
                if hire.strip()
                else None,
                volume=(
                    volume,
                    None if volume_queue == NONE else volume_queue,
                    volume_from,
                    volume_to,
                )
                if volume
                else None,
                aht=(aht, None if aht_queue == NONE else aht_queue) if aht else None,
                answer_rate=goal / 100 if abs(goal - default_goal) > 1e-9 else None,
            )
            add([scenario])


def add(scenarios: list) -> None:
    have = state.setdefault("list", [])
    names = {s.name for s in have} | {BASE}
    for scenario in scenarios:
        if scenario.name in names:
            raise ValueError(tr("sc.duplicate", name=scenario.name))
        names.add(scenario.name)
    state.set("list", [*have, *scenarios])
    state.pop("result")


def week_chart(comparison, measure: str) -> alt.LayerChart:
    """Each queue's week per scenario (ratios of the week's sums, not means of days), as points
    on an axis around the figures and the goal, with the goal drawn: a point of difference is
    visible, where bars on a 0-100 % axis hid it."""
    lang = app.language()
    week = named(comparison.kpi_table(by="total", total=True), lang)
    goals = comparison.inputs[BASE].goals
    goal = {"answer_rate": goals.answer_rate, "asa_seconds": goals.asa_seconds}.get(measure)
    values = week[measure].dropna()
    if measure == "asa_seconds":
        top = max([float(values.max()) if len(values) else 0.0, goal or 0.0])
        domain = [0.0, 1.1 * top or 1.0]
    else:
        domain = app_data.rate_domain(values, goal)
    points = (
        alt.Chart(week)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("queue:N", title=tr("sc.queue")),
            xOffset=alt.XOffset("scenario:N", sort=names(comparison, lang)),
            y=alt.Y(f"{measure}:Q", title=tr(f"sc.m.{measure}"), scale=alt.Scale(domain=domain)),
            color=alt.Color("scenario:N", sort=names(comparison, lang), title=tr("sc.scenario")),
            tooltip=["scenario:N", "queue:N", alt.Tooltip(f"{measure}:Q", format=".3")],
        )
    )
    layers = [points]
    if goal is not None:
        rule = alt.Chart(pd.DataFrame({"goal": [goal]})).mark_rule(color="red", strokeDash=[6, 3])
        layers.append(rule.encode(y="goal:Q"))
    return alt.layer(*layers).properties(height=260)


def charts(comparison) -> None:
    measure = st.segmented_control(
        tr("sc.measure"),
        ["answer_rate", "asa_seconds", "abandon_rate"],
        format_func=app.labels("sc.m."),
        key=state.key("measure"),
        default="answer_rate",
    )
    measure = measure or "answer_rate"
    st.altair_chart(week_chart(comparison, measure), width="stretch")
    lang = app.language()
    daily = named(comparison.kpi_table(by="day", total=True), lang)
    daily = daily[daily["queue"] == kpi.ALL_QUEUES]
    days = sorted(set(daily["date"]))
    labels = {d: short_date(pd.Timestamp(d).date(), lang) for d in days}  # man. 23/11
    lines = (
        alt.Chart(daily.assign(day=daily["date"].map(labels)))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:O", title=tr("sc.day"), sort=[labels[d] for d in days]),
            y=alt.Y(f"{measure}:Q", title=tr(f"sc.m.{measure}")),
            color=alt.Color("scenario:N", sort=names(comparison, lang), title=tr("sc.scenario")),
        )
        .properties(height=260)
    )
    st.altair_chart(lines, width="stretch")


def named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with the base scenario by its word on screen (``base`` -> Basis)."""
    return frame.assign(scenario=[app_data.scenario_name(s, lang) for s in frame["scenario"]])


def names(comparison, lang: str) -> list[str]:
    """The scenarios' names on screen, the base first."""
    return [app_data.scenario_name(n, lang) for n in comparison.names]


def changes_of(comparison, lang: str) -> dict[str, str]:
    """Each scenario's changes in words (the base: the plan as it is)."""
    return {
        s.name: tr("tbl.the_plan") if s.name == BASE else app_plan.describe_scenario(s, lang)
        for s in comparison.scenarios
    }


def side_by_side(comparison, lang: str) -> pd.DataFrame:
    """`ScenarioComparison.side_by_side` per day, as the page shows it: ``Svarprocent ·
    Basis`` headers, days as ``man. 23/11``, figures in the language's style."""
    wide = comparison.side_by_side(by="day")
    shown = app_data.display_table(wide[["queue", "date"]], lang)
    for column in wide.columns[2:]:
        measure, _, scenario = str(column).partition(" [")
        title = f"{app_data.header(measure, lang)} · {app_data.scenario_name(scenario[:-1], lang)}"
        kind = app_data.COLUMN_KINDS.get(measure, "")
        shown[title] = [app_data.cell_text(v, kind, lang) for v in wide[column]]
    return shown


def results(comparison) -> None:
    lang = app.language()
    st.subheader(tr("sc.summary"))
    summary = comparison.summary()
    changes = changes_of(comparison, lang)
    st.dataframe(
        pd.DataFrame(
            {
                tr("sc.scenario"): [app_data.scenario_name(n, lang) for n in summary["scenario"]],
                tr("sc.changes"): [changes[n] for n in summary["scenario"]],
                tr("sc.m.answer_rate"): [percent(v, 1, lang) for v in summary["answer_rate"]],
                tr("sc.m.asa_seconds"): [number(v, 0, lang) for v in summary["asa_seconds"]],
                tr("sc.m.abandon_rate"): [percent(v, 1, lang) for v in summary["abandon_rate"]],
                tr("sc.p_meet"): [
                    comparison.chance(name).text(lang) for name in summary["scenario"]
                ],
                tr("sc.missing"): [number(v, 0, lang) for v in summary["intervals_missing_sla"]],
            }
        ),
        hide_index=True,
        key=state.key("summary"),
    )
    charts(comparison)
    st.subheader(tr("sc.side_by_side"))
    st.dataframe(side_by_side(comparison, lang), hide_index=True, key=state.key("side"))
    st.subheader(tr("sc.misses"))
    misses = comparison.misses()
    if misses.empty:
        st.success(tr("sc.no_misses"))
    else:
        counts = misses.groupby(["scenario", "queue"]).size().rename("count").reset_index()
        shown = app_data.display_table(counts, lang).rename(columns={"count": tr("sc.missing")})
        st.dataframe(shown, hide_index=True, key=state.key("miss_counts"))
        with st.expander(tr("sc.misses_detail")):
            st.dataframe(app_data.display_table(misses, lang), hide_index=True)


def main() -> None:
    st.title(tr("sc.title"))
    st.caption(tr("sc.intro"))
    store = app.get_store()
    roster, source = base_roster(store)
    if roster is None:
        st.info(tr("sc.need_roster"))
        return
    st.caption(app.plain(source))
    with st.spinner(tr("ro.loading")):
        plan = default_plan()
    days = sorted(set(roster["date"]))
    team = app_agents.in_use(st.session_state, plan.agents)  # Medarbejdere page
    inputs = app_plan.plan_inputs(forecast_for(plan, days), roster, team)
    agents = sorted(team["agent_id"].astype(str))
    queues = inputs.queues

    with app.guard():
        scenario_form(inputs, agents, queues, days)
    upload = st.file_uploader(tr("sc.upload"), type=["toml"], key=state.key("upload"))
    if upload is not None and state.get("uploaded") != upload.file_id:
        with app.guard():
            add(
                load_scenarios(
                    upload.name,
                    agents=inputs.agents,
                    forecast=inputs.forecast,
                    data=upload.getvalue(),
                    name=upload.name,
                )
            )
            state.set("uploaded", upload.file_id)

    chosen = state.get("list", [])
    if not chosen:
        st.info(tr("sc.empty"))
        return
    st.subheader(tr("sc.list"))
    st.dataframe(
        pd.DataFrame(
            {
                tr("sc.scenario"): [s.name for s in chosen],
                tr("sc.changes"): [app_plan.describe_scenario(s, app.language()) for s in chosen],
            }
        ),
        hide_index=True,
        key=state.key("list_table"),
    )
    c1, c2, c3 = st.columns([1, 1, 2])
    state.setdefault("replications", STANDARD.replications)
    c3.number_input(tr("sc.replications"), 1, 200, key=state.key("replications"))
    state.keep("replications")
    if c2.button(tr("sc.clear"), key=state.key("clear")):
        state.set("list", [])
        state.pop("result")
        st.rerun()
    if c1.button(tr("sc.run"), type="primary", key=state.key("run")):
        bar = st.progress(0.0, text=tr("sc.running"))
        runs = len(chosen) + 1
        order = [BASE, *[s.name for s in chosen]]

        def progress(name: str, done: int, total: int) -> None:
            fraction = (order.index(name) + done / max(total, 1)) / runs
            shown = app_data.scenario_name(name, app.language())
            bar.progress(min(fraction, 1.0), text=f"{tr('sc.running')} {shown}: {done}/{total}")

        with app.guard():
            state.set(
                "result",
                run_scenarios(
                    inputs,
                    chosen,
                    replications=int(state.get("replications")),
                    seed=STANDARD.seed,
                    risk_runs=STANDARD.risk_runs,
                    progress=progress,
                ),
            )
        bar.empty()
    comparison = state.get("result")
    if comparison is not None:
        results(comparison)


with app.guard():
    main()
