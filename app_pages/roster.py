"""Vagtplan (roster): build the week's roster, see it per agent and per interval, edit it by
hand with coverage and predicted KPIs updating at once, re-optimize around locks, save,
publish and export.

Starts from the requirements the Bemanding page made in this session, else from the default
data (`app_support.plan.load_default_plan`). All computing is in `app_support.plan`.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_support import agents as app_agents
from app_support import plan as app_plan
from app_support import shell as app
from app_support.shell import tr
from planner.errors import InputError
from staffing.roster.rules import ShiftRules
from staffing.simulation.standard import STANDARD

state = app.PageState("vagtplan")
#: seconds for the optimizer by default: a plan within about 15 s of the click (benchmarks/
#: app.py); a longer limit gives a better plan (the note after building shows the gap)
DEFAULT_TIME_LIMIT = 10
REQUIREMENTS_KEY = "staffing:result"  # set by the Bemanding page (app_support.data)
FORECAST_KEY = "forecast:result"  # set by the Prognose page (app_support.data)
ACTIVITY_COLOURS = {
    "phone": "#4c78a8",
    "off_phone": "#9ecae9",
    "lunch": "#f58518",
    "break": "#eeca3b",
    "meeting": "#54a24b",
    "training": "#b279a2",
    "absence": "#bab0ac",
}


@st.cache_resource(show_spinner=False)
def default_plan() -> app_plan.DefaultPlan:
    return app_plan.load_default_plan()


@st.cache_resource(show_spinner=False)
def shift_rules() -> tuple[ShiftRules, str | None]:
    """The rules of data/rules.toml, or the built-in rules with the reason they are used."""
    try:
        return app_plan.load_rules(), None
    except (InputError, ValueError) as exc:
        return ShiftRules(), str(exc)


def requirements_source(plan: app_plan.DefaultPlan) -> tuple[pd.DataFrame, str]:
    made = st.session_state.get(REQUIREMENTS_KEY)
    if isinstance(made, pd.DataFrame) and {"interval_start", "queue", "agents"} <= set(made):
        return made, tr("ro.source_session")
    return plan.requirements, tr("ro.source_default")


def week_label(monday: dt.date, tl=tr) -> str:
    year, week, _ = monday.isocalendar()
    return tl("ro.week_label", week=week, year=year, date=monday.strftime("%d.%m.%Y"))


def local(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Times as naive Copenhagen clock times (what charts and tables show)."""
    out = frame.copy()
    for col in cols:
        out[col] = pd.to_datetime(out[col]).dt.tz_convert(app_plan.TZ).dt.tz_localize(None)
    return out


# -- building and opening ------------------------------------------------------------------------


def set_roster(roster: pd.DataFrame, *, name: str | None, based_on: int | None, note: str) -> None:
    state.set("roster", roster.reset_index(drop=True))
    state.set("name", name)
    state.set("based_on", based_on)
    state.set("note", note)
    state.pop("save_done")
    state.pop("save_pending")


def build(req: pd.DataFrame, agents: pd.DataFrame, rules: ShiftRules, plan, locks=None) -> None:
    bar = st.progress(0.0, text=tr("ro.building"))

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{tr('ro.building')} {message}")

    result = app_plan.build_roster(
        req,
        agents,
        rules,
        calendar=plan.calendar,
        locks=locks,
        time_limit=float(state.get("time_limit", DEFAULT_TIME_LIMIT)),
        progress=progress,
    )
    bar.empty()
    if result.roster.empty:
        reasons = "; ".join(d.message for d in result.diagnostics[:3])
        raise ValueError(tr("ro.no_plan", status=result.status, reasons=reasons))
    name = state.get("name") if locks is not None else None
    set_roster(
        result.roster,
        name=name,
        based_on=state.get("based_on") if locks is not None else None,
        note=tr(
            "ro.built",
            status=tr(f"ro.status.{result.status}"),
            seconds=f"{result.seconds:.1f}",
            gap="-" if result.gap is None else f"{100 * result.gap:.1f} %",
            calls="-" if result.gap_calls is None else f"{result.gap_calls:.0f}",
        ),
    )
    state.set("diagnostics", [d.message for d in result.diagnostics])


def open_saved(store) -> None:
    items = store.list("roster")
    if not items:
        return
    with st.expander(tr("ro.open_saved")):
        names = [i.name for i in items]
        state.choose("open_name", names)
        name = st.selectbox(tr("ro.saved_name"), names, key=state.key("open_name"))
        history = store.versions("roster", name)
        numbers = [v.version for v in reversed(history)]
        state.choose("open_version", numbers)
        version = st.selectbox(tr("col.version"), numbers, key=state.key("open_version"))
        if st.button(tr("ro.open"), key=state.key("open")):
            frame, info = store.load("roster", name, version)
            latest = history[-1].version
            set_roster(
                frame,
                name=name,
                based_on=latest,
                note=tr("ro.opened", name=name, version=info.version),
            )
            state.set("diagnostics", [])
            st.rerun()


# -- views ---------------------------------------------------------------------------------------


def gantt(roster: pd.DataFrame, day: dt.date) -> None:
    rows = local(roster[roster["date"] == day], "start", "end")
    if rows.empty:
        st.info(tr("ro.nothing_that_day"))
        return
    rows["activity_label"] = rows["activity"].map(lambda a: tr(f"activity.{a}"))
    domain = [tr(f"activity.{a}") for a in ACTIVITY_COLOURS]
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title=tr("ro.time"), axis=alt.Axis(format="%H:%M")),
            x2="end:T",
            y=alt.Y(
                "agent_id:N",
                title=tr("ro.agent"),
                sort="ascending",
                axis=alt.Axis(labelOverlap=False),
            ),
            color=alt.Color(
                "activity_label:N",
                title=tr("ro.activity"),
                scale=alt.Scale(domain=domain, range=list(ACTIVITY_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("agent_id:N", title=tr("ro.agent")),
                alt.Tooltip("activity_label:N", title=tr("ro.activity")),
                alt.Tooltip("start:T", format="%H:%M", title=tr("ro.start")),
                alt.Tooltip("end:T", format="%H:%M", title=tr("ro.end")),
            ],
        )
        .properties(height=max(200, 22 * rows["agent_id"].nunique()))
    )
    st.altair_chart(chart, width="stretch")


def coverage_view(kpis: pd.DataFrame, day: dt.date) -> None:
    rows = local(kpis, "interval_start")
    rows = rows[rows["interval_start"].dt.date == day]
    if rows.empty:
        st.info(tr("ro.nothing_that_day"))
        return
    queues = sorted(rows["queue"].unique())
    state.choose("queue", queues)
    queue = st.selectbox(tr("ro.queue"), queues, key=state.key("queue"))
    state.keep("queue")
    one = rows[rows["queue"] == queue]
    long = one.melt(id_vars="interval_start", value_vars=["required", "staffed"], var_name="what")
    long["what"] = long["what"].map({"required": tr("ro.required"), "staffed": tr("ro.staffed")})
    lines = (
        alt.Chart(long)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("interval_start:T", title=tr("ro.time"), axis=alt.Axis(format="%H:%M")),
            y=alt.Y("value:Q", title=tr("ro.agents")),
            color=alt.Color("what:N", title=""),
        )
    )
    area = (
        alt.Chart(one)
        .mark_area(opacity=0.3, color="#e45756", interpolate="step-after")
        .encode(x="interval_start:T", y="shortfall:Q")
    )
    st.altair_chart((area + lines).properties(height=260), width="stretch")
    st.caption(tr("ro.coverage_help"))

    heat = rows.assign(clock=rows["interval_start"].dt.strftime("%H:%M"))
    chart = (
        alt.Chart(heat)
        .mark_rect()
        .encode(
            x=alt.X("clock:O", title=tr("ro.time")),
            y=alt.Y("queue:N", title=tr("ro.queue")),
            color=alt.Color(
                "shortfall:Q", title=tr("ro.shortfall"), scale=alt.Scale(scheme="reds")
            ),
            tooltip=["queue", "clock", "required", "staffed", "shortfall"],
        )
        .properties(height=28 * len(queues) + 40)
    )
    st.subheader(tr("ro.heatmap"))
    st.altair_chart(chart, width="stretch")


@st.cache_data(show_spinner=False, max_entries=8)
def predicted_week(forecast: pd.DataFrame, roster: pd.DataFrame, agents: pd.DataFrame):
    """The one prediction of the roster (`app_support.plan.predicted_week`), kept per roster."""
    return app_plan.predicted_week(forecast, roster, agents)


def kpi_view(week: pd.DataFrame, kpis: pd.DataFrame) -> None:
    """The simulated week against the goals (centre first, then each queue) and the intervals
    short by Erlang A's quick estimate."""
    centre, queues = week.iloc[0], week.iloc[1:]
    left, mid, right, short = st.columns(4)
    answer_rate, wait = centre[["answer_rate", "asa_seconds"]].fillna(0.0)
    left.metric(tr("ro.kpi_answer_rate"), f"{100 * answer_rate:.1f} %")
    mid.metric(tr("ro.kpi_asa"), f"{wait:.0f} s")
    right.metric(tr("ro.kpi_fcr"), f"{100 * centre['fcr']:.1f} %")
    short.metric(tr("ro.kpi_short"), f"{kpis['shortfall'].gt(0.5).sum():,}")
    flags = [c for c in week.columns if c.startswith("meets_") and c != "meets_fcr"]
    met = queues[flags].all(axis=1)
    table = pd.DataFrame(
        {
            tr("ro.queue"): queues["queue"],
            tr("ro.offered"): queues["offered"].round(0),
            tr("ro.kpi_answer_rate"): (100 * queues["answer_rate"]).round(1),
            tr("ro.kpi_asa"): queues["asa_seconds"].round(0),
            tr("ro.kpi_abandon"): (100 * queues["abandon_rate"]).round(1),
            tr("ro.kpi_fcr"): (100 * queues["fcr"]).round(1),
            tr("ro.kpi_goals"): met.map({True: tr("ro.kpi_yes"), False: tr("ro.kpi_no")}),
        }
    )
    st.dataframe(table, hide_index=True, key=state.key("kpi_table"))
    st.caption(
        tr(
            "ro.kpi_help",
            runs=STANDARD.replications,
            seed=STANDARD.seed,
            goal_ar=f"{100 * app_plan.SLA.answer_rate:g}",
            goal_asa=f"{app_plan.SLA.asa_seconds:g}",
        )
    )


# -- editing -------------------------------------------------------------------------------------


def lock_key(agent: str, day: dt.date) -> str:
    return f"{agent} · {day.isoformat()}"


def edit_view(roster: pd.DataFrame, agents: list[str], days: list[dt.date]) -> None:
    st.markdown(tr("ro.edit_intro"))
    move, swap = st.columns(2)
    with move:
        st.subheader(tr("ro.move"))
        working = roster[roster["activity"] != "absence"]
        with_shifts = sorted(set(working["agent_id"].astype(str)))
        state.choose("move_agent", with_shifts)
        agent = st.selectbox(tr("ro.agent"), with_shifts, key=state.key("move_agent"))
        own_days = sorted(set(working.loc[working["agent_id"].astype(str) == agent, "date"]))
        state.choose("move_day", own_days)
        day = st.selectbox(tr("ro.day"), own_days, key=state.key("move_day"))
        start = st.time_input(
            tr("ro.new_start"), dt.time(9, 0), step=900, key=state.key("move_start")
        )
        if st.button(tr("ro.move_button"), key=state.key("move_button")):
            state.set("roster", app_plan.move_shift(roster, agent, day, start))
            state.set("flash", tr("ro.moved", agent=agent, day=day, start=start.strftime("%H:%M")))
            st.rerun()
    with swap:
        st.subheader(tr("ro.swap"))
        first = st.selectbox(tr("ro.first_agent"), agents, key=state.key("swap_a"))
        second = st.selectbox(
            tr("ro.second_agent"), agents, index=min(1, len(agents) - 1), key=state.key("swap_b")
        )
        day = st.selectbox(tr("ro.day"), days, key=state.key("swap_day"))
        if st.button(tr("ro.swap_button"), key=state.key("swap_button")):
            state.set("roster", app_plan.swap_agents(roster, first, second, day))
            state.set("flash", tr("ro.swapped", first=first, second=second, day=day))
            st.rerun()

    st.subheader(tr("ro.locks"))
    options = [lock_key(a, d) for a, d in zip(*_agent_days(roster), strict=True)]
    kept = [k for k in state.get("locks", []) if k in options]
    state.set("locks", kept)
    st.multiselect(
        tr("ro.locked"),
        options,
        key=state.key("locks"),
        help=tr("ro.locks_help"),
        placeholder=tr("sc.choose"),
    )


def _agent_days(roster: pd.DataFrame) -> tuple[list[str], list[dt.date]]:
    pairs = roster[["agent_id", "date"]].drop_duplicates().sort_values(["agent_id", "date"])
    return [str(a) for a in pairs["agent_id"]], list(pairs["date"])


def locked_pairs() -> list[tuple[str, dt.date]]:
    out = []
    for key in state.get("locks", []):
        agent, day = key.split(" · ")
        out.append((agent, dt.date.fromisoformat(day)))
    return out


# -- check, save, export -------------------------------------------------------------------------


def save_view(store, roster: pd.DataFrame, week: dt.date) -> None:
    year, number, _ = week.isocalendar()
    name = state.get("name")
    if name is None:
        state.setdefault("save_name", tr("ro.default_name", week=number, year=year))
    info = app.save_controls(
        state,
        "roster",
        roster,
        name=name,
        based_on=state.get("based_on"),
        meta={"week": f"{year}-W{number:02d}", "locks": state.get("locks", [])},
    )
    if info is not None:
        state.set("name", info.name)
        state.set("based_on", info.version)
    done = state.get("save_done")
    if done is not None and done.name == state.get("name"):
        user = app.current_user()
        current = store.info("roster", done.name, done.version)
        if current.status != "published" and st.button(
            tr("saved.publish", version=done.version), key=state.key("publish"), disabled=not user
        ):
            store.publish("roster", done.name, done.version, user=user)
            st.success(tr("saved.published", version=done.version))
    if state.get("name"):
        history = store.versions("roster", state.get("name"))
        if history:
            st.subheader(tr("ro.versions", name=app.plain(state.get("name"))))
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("col.version"): [v.version for v in reversed(history)],
                        tr("col.saved_at"): [
                            app.format_time(v.saved_at) for v in reversed(history)
                        ],
                        tr("col.saved_by"): [v.saved_by for v in reversed(history)],
                        tr("col.status"): [tr(f"status.{v.status}") for v in reversed(history)],
                        tr("col.comment"): [v.comment for v in reversed(history)],
                    }
                ),
                hide_index=True,
                key=state.key("versions"),
            )


def check_view(roster: pd.DataFrame, agents, req: pd.DataFrame, rules: ShiftRules, plan) -> None:
    """The independent checker on the roster as it is now (hand edits included)."""
    st.subheader(tr("ro.check_title"))
    if st.button(tr("ro.check"), key=state.key("check"), help=tr("ro.check_help")):
        with st.spinner(tr("ro.checking")):
            report = app_plan.check(roster, agents, req, rules, calendar=plan.calendar)
        state.set("check_result", (len(roster), report))
    done = state.get("check_result")
    if done is None or done[0] != len(roster):
        return
    report = done[1]
    if report.ok:
        st.success(tr("ro.check_ok", warnings=len(report.warnings)))
    else:
        st.error(tr("ro.check_failed", count=len(report.errors)))
    table = app_plan.violations_table(report)
    if not table.empty:
        table["severity"] = table["severity"].map(lambda s: tr(f"ro.severity_{s}"))
        st.dataframe(
            table.rename(
                columns={
                    "severity": tr("ro.severity"),
                    "rule": tr("ro.rule"),
                    "agent_id": tr("ro.agent"),
                    "date": tr("ro.day"),
                    "message": tr("ro.finding"),
                }
            ),
            hide_index=True,
            key=state.key("check_table"),
        )


def export_view(roster: pd.DataFrame, stem: str, agents, coverage: pd.DataFrame) -> None:
    csv_col, xlsx_col, ics_col = st.columns(3)
    csv_col.download_button(
        tr("ro.export_csv"),
        data=app.csv_bytes(roster),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=state.key("csv"),
        icon=":material/download:",
    )
    xlsx_col.download_button(
        tr("ro.export_xlsx"),
        data=app_plan.roster_excel(roster, agents, coverage),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=state.key("xlsx"),
        icon=":material/table:",
    )
    ics_col.download_button(
        tr("ro.export_ics"),
        data=app_plan.icalendar_zip(roster),
        file_name=f"{stem}_kalendere.zip",
        mime="application/zip",
        key=state.key("ics"),
        icon=":material/calendar_month:",
        help=tr("ro.export_ics_help"),
    )


# -- the page ------------------------------------------------------------------------------------


def main() -> None:
    st.title(tr("ro.title"))
    st.caption(tr("ro.intro"))
    plan, rules = load_plan_and_rules()
    requirements, source = requirements_source(plan)
    agents = app_agents.in_use(st.session_state, plan.agents)  # Medarbejdere page
    store = app.get_store()

    week = week_controls(requirements)
    st.caption(app.plain(source))
    req = app_plan.plan_days(requirements, week, int(state.get("days")))
    if req.empty:
        st.info(tr("ro.no_requirements"))
        return

    start_controls(req, agents, rules, plan, store)
    roster = state.get("roster")
    if roster is None:
        st.info(tr("ro.start_hint"))
        return
    notes_view()
    roster_views(roster, req, agents, rules, plan, store, week)


def load_plan_and_rules() -> tuple[app_plan.DefaultPlan, ShiftRules]:
    """The default plan and the shift rules, warning when the built-in rules stand in."""
    with st.spinner(tr("ro.loading")):
        plan = default_plan()
    rules, rules_problem = shift_rules()
    if rules_problem:
        st.warning(tr("ro.rules_fallback", message=app.plain(rules_problem)))
    return plan, rules


def week_controls(requirements: pd.DataFrame) -> dt.date:
    """The week, number of days and optimizer time limit; returns the chosen week's Monday."""
    weeks = app_plan.week_starts(requirements)
    state.choose("week", weeks)
    top = st.columns([2, 1, 1])
    tl = app.translator()
    week = top[0].selectbox(
        tr("ro.week"), weeks, format_func=lambda m: week_label(m, tl), key=state.key("week")
    )
    state.setdefault("days", 5)
    top[1].number_input(tr("ro.days"), 1, 7, key=state.key("days"))
    state.setdefault("time_limit", DEFAULT_TIME_LIMIT)
    top[2].number_input(
        tr("ro.time_limit"),
        5,
        600,
        step=5,
        key=state.key("time_limit"),
        help=tr("ro.time_limit_help"),
    )
    state.keep("week", "days", "time_limit")
    return week


def start_controls(req: pd.DataFrame, agents, rules: ShiftRules, plan, store) -> None:
    """The build button beside the opener of saved rosters."""
    left, right = st.columns([1, 3])
    if left.button(tr("ro.build"), type="primary", key=state.key("build")):
        build(req, agents, rules, plan)
        st.rerun()
    with right:
        open_saved(store)


def notes_view() -> None:
    """The last action's message, the roster's note and the optimizer's diagnostics."""
    flash = state.pop("flash")
    if flash:
        st.success(app.plain(flash))
    st.info(app.plain(state.get("note", "")))
    diagnostics = state.get("diagnostics") or []
    if diagnostics:
        with st.expander(tr("ro.diagnostics", count=len(diagnostics))):
            for message in diagnostics:
                st.markdown(f"- {app.plain(message)}")


def roster_views(
    roster: pd.DataFrame, req: pd.DataFrame, agents, rules: ShiftRules, plan, store, week: dt.date
) -> None:
    """Predicted KPIs, then the day's tabs: per agent, per interval, editing, check and save."""
    days = sorted(set(roster["date"]))
    coverage = app_plan.roster_coverage(roster, req, agents)
    kpis = app_plan.predicted_kpis(coverage, req)
    st.subheader(tr("ro.kpis"))
    forecast = app_plan.roster_forecast(st.session_state.get(FORECAST_KEY), plan.forecast, days)
    with st.spinner(tr("ro.kpi_simulating")):
        week_kpis = app_plan.goals_table(predicted_week(forecast, roster, agents))
    kpi_view(week_kpis, kpis)

    day = day_choice(days)
    per_agent, per_interval, edit, finish = st.tabs(
        [tr("ro.tab_agents"), tr("ro.tab_intervals"), tr("ro.tab_edit"), tr("ro.tab_save")]
    )
    with per_agent:
        gantt(roster, day)
        with st.expander(tr("ro.table")):
            st.dataframe(local(app_plan.shift_table(roster), "start", "end"), hide_index=True)
    with per_interval:
        coverage_view(kpis, day)
    with edit:
        edit_tab(roster, req, agents, rules, plan, days)
    with finish:
        check_view(roster, agents, req, rules, plan)
        save_view(store, roster, week)
        year, number, _ = week.isocalendar()
        export_view(roster, f"vagtplan_{year}-W{number:02d}", agents, coverage)


def day_choice(days: list[dt.date]) -> dt.date:
    """The day the views show."""
    state.choose("view_day", days)
    tl = app.translator()
    day = st.selectbox(
        tr("ro.day"),
        days,
        format_func=lambda d: tl(f"weekday.{d.weekday()}") + f" {d:%d.%m}",
        key=state.key("view_day"),
    )
    state.keep("view_day")
    return day


def edit_tab(
    roster: pd.DataFrame, req: pd.DataFrame, agents, rules: ShiftRules, plan, days: list[dt.date]
) -> None:
    """Hand edits and locks, and re-optimizing around the locks."""
    with app.guard():
        edit_view(roster, sorted(agents["agent_id"].astype(str)), days)
    locked = locked_pairs()
    if st.button(
        tr("ro.reoptimize", count=len(locked)),
        key=state.key("reoptimize"),
        help=tr("ro.reoptimize_help"),
    ):
        build(req, agents, rules, plan, locks=app_plan.locks_frame(roster, locked))
        st.rerun()


with app.guard():
    main()
