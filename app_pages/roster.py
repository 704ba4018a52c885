"""Vagtplan (roster): build the week's roster, see it per agent and per interval, edit it by
hand with coverage and predicted KPIs updating at once, re-optimize around locks, save,
publish and export.

Starts from the requirements the Bemanding page made in this session, else from the default
data (`app_support.plan.load_default_plan`). All computing is in `app_support.plan`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_support import agents as app_agents
from app_support import cache as app_cache
from app_support import data as app_data
from app_support import diagnosis as app_diagnosis
from app_support import drafts as app_drafts
from app_support import edits
from app_support import plan as app_plan
from app_support import shell as app
from app_support import week as app_week
from app_support.i18n import number, percent, short_date
from app_support.shell import tr
from planner.errors import InputError
from staffing.roster.capacity import capacity_findings
from staffing.roster.check import CheckReport
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


def default_plan() -> app_plan.DefaultPlan:
    return app_cache.default_plan()  # one cached plan for every page


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


def build(
    req: pd.DataFrame, agents: pd.DataFrame, rules: ShiftRules, plan, locks=None, warm=None
) -> None:
    """Plan the week (from nothing, or from the roster ``warm`` around ``locks``) and keep
    the result as the page's roster."""
    bar = st.progress(0.0, text=tr("ro.building"))
    lang = app.language()

    def progress(fraction: float, message: str) -> None:
        """The solver's progress (English, for the CLI) in the page's language."""
        text = app_diagnosis.progress_text(message, lang)
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{tr('ro.building')} {text}")

    result = app_plan.build_roster(
        req,
        agents,
        rules,
        calendar=plan.calendar,
        locks=locks,
        time_limit=float(state.get("time_limit", DEFAULT_TIME_LIMIT)),
        progress=progress,
        warm=warm,
    )
    bar.empty()
    if result.roster.empty:
        reasons = "; ".join(app_diagnosis.render(d, lang) for d in result.diagnostics[:3])
        status = tr(f"dg.progress.status.{result.status}")
        raise ValueError(tr("ro.no_plan", status=status, reasons=reasons))
    name = state.get("name") if locks is not None else None
    note = tr(
        "ro.built",
        status=tr(f"ro.status.{result.status}"),
        seconds=number(result.seconds, 1, lang),
        gap="-" if result.gap is None else percent(result.gap, 1, lang),
        calls="-" if result.gap_calls is None else number(result.gap_calls, 0, lang),
    )
    if result.status != "optimal":  # a proven optimum gets no better with more time
        note = f"{note} {tr('ro.built_more_time')}"
    set_roster(
        result.roster,
        name=name,
        based_on=state.get("based_on") if locks is not None else None,
        note=note,
    )
    # the findings themselves: notes_view writes them in the language shown (their facts)
    state.set("diagnostics", list(result.diagnostics))


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

    # coverage minus need on the week's diverging scale: 0 neutral, short red, surplus blue
    tl = app.translator()
    balance = app_week.week_coverage(kpis, tl)
    heat = balance[balance["date"] == day]
    st.subheader(tr("wk.day_heatmap_title"))
    st.altair_chart(
        app_week.balance_heatmap(heat, tl, scale_from=balance["balance"], by_day=False),
        width="stretch",
    )
    st.caption(tr("wk.heatmap_help"))


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
    lang = app.language()
    left.metric(tr("ro.kpi_answer_rate"), percent(float(answer_rate), 1, lang))
    mid.metric(tr("ro.kpi_asa"), f"{number(float(wait), 0, lang)} s")
    right.metric(tr("ro.kpi_fcr"), percent(float(centre["fcr"]), 1, lang))
    short.metric(tr("ro.kpi_short"), number(float(kpis["shortfall"].gt(0.5).sum()), 0, lang))
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
            goal_ar=number(100 * float(app_plan.SLA.answer_rate or 0.0), None, lang),
            goal_asa=f"{app_plan.SLA.asa_seconds:g}",
        )
    )


# -- editing -------------------------------------------------------------------------------------


def lock_key(agent: str, day: dt.date) -> str:
    return f"{agent} · {day.isoformat()}"


def lock_label(key: str, lang: str) -> str:
    """A lock as the planner reads it: ``A01 · man. 23/11`` (the key keeps the ISO date)."""
    agent, day = key.rsplit(" · ", 1)
    return f"{agent} · {short_date(dt.date.fromisoformat(day), lang)}"


def _agent_days(roster: pd.DataFrame) -> tuple[list[str], list[dt.date]]:
    pairs = roster[["agent_id", "date"]].drop_duplicates().sort_values(["agent_id", "date"])
    return [str(a) for a in pairs["agent_id"]], list(pairs["date"])


def locked_pairs() -> list[tuple[str, dt.date]]:
    out = []
    for key in state.get("locks", []):
        agent, day = key.split(" · ")
        out.append((agent, dt.date.fromisoformat(day)))
    return out


#: what the page keeps per undo step: the roster and its note
Snapshot = tuple[pd.DataFrame, str]
#: an edit (roster before -> roster after) and its message (from the roster before)
Edit = Callable[[pd.DataFrame], pd.DataFrame]
Flash = Callable[[pd.DataFrame], str]
#: the kinds of hand edit, in the order the edit tab offers them
EDIT_KINDS = ("move", "times", "lunch", "meeting", "shift", "absence", "swap")
#: check results kept per session (each belongs to one roster content and requirement)
CHECKS_KEPT = 16


def edit_view(
    roster: pd.DataFrame,
    agents: pd.DataFrame,
    days: list[dt.date],
    report: CheckReport,
    rules: ShiftRules,
    hours: dict[dt.date, tuple[dt.time, dt.time]],
) -> None:
    """The edit tab: the check's verdict, one agent-day with its findings beside its blocks,
    the edits (`app_support.edits`) and the locks."""
    st.markdown(tr("ro.edit_intro"))
    if report.errors:
        st.error(tr("ro.edit_errors", count=len(report.errors)))
    else:
        st.success(tr("ro.edit_ok", warnings=len(report.warnings)))
    refused = state.pop("edit_error")
    if refused:  # an edit its callback refused (nothing changed)
        st.error(tr("error.input", message=app.plain(refused)))
    agent, day = edit_target(roster, agents, days)
    sync_edit_inputs(roster, agent, day, agents)
    day_panel(roster, agent, day, report)
    kind = st.radio(
        tr("ro.edit_kind"),
        EDIT_KINDS,
        format_func=app.labels("ro.edit_kind."),
        horizontal=True,
        key=state.key("edit_kind"),
    )
    state.keep("edit_kind")
    ids = sorted(set(agents["agent_id"].astype(str)) | set(roster["agent_id"].astype(str)))
    if kind == "move":
        move_form()
    elif kind == "times":
        times_form(roster, agent, day, rules)
    elif kind == "lunch":
        lunch_form(roster, agent, day)
    elif kind == "meeting":
        meeting_form(roster, agent, day)
    elif kind == "shift":
        shift_form(roster, agent, day, agents, rules)
    elif kind == "absence":
        absence_form(days, hours)
    else:
        swap_form(ids, days)

    st.subheader(tr("ro.locks"))
    options = [lock_key(a, d) for a, d in zip(*_agent_days(roster), strict=True)]
    kept = [k for k in state.get("locks", []) if k in options]
    state.set("locks", kept)
    lang = app.language()
    st.multiselect(
        tr("ro.locked"),
        options,
        key=state.key("locks"),
        help=tr("ro.locks_help"),
        placeholder=tr("sc.choose"),
        format_func=lambda key: lock_label(key, lang),
    )
    state.keep("locks")  # the draft and a save keep them while another tab is open


def day_label(day: dt.date, tl=tr) -> str:
    return tl(f"weekday.{day.weekday()}") + f" {day:%d.%m}"


def edit_target(
    roster: pd.DataFrame, agents: pd.DataFrame, days: list[dt.date]
) -> tuple[str, dt.date]:
    """The agent and day the edits apply to (every agent of the team; every day of the plan).

    Starts on the first agent with a shift and that agent's first working day."""
    ids = sorted(set(agents["agent_id"].astype(str)) | set(roster["agent_id"].astype(str)))
    working = roster[roster["activity"].isin(edits.WORK)]
    with_shifts = sorted(set(working["agent_id"].astype(str)))
    if state.get("move_agent") not in ids:
        state.set("move_agent", with_shifts[0] if with_shifts else ids[0])
    left, right = st.columns(2)
    agent = left.selectbox(tr("ro.agent"), ids, key=state.key("move_agent"))
    own = sorted(set(working.loc[working["agent_id"].astype(str) == agent, "date"]))
    if state.get("move_day") not in days:
        state.set("move_day", own[0] if own else days[0])
    tl = app.translator()
    day = right.selectbox(
        tr("ro.day"), days, format_func=lambda d: day_label(d, tl), key=state.key("move_day")
    )
    state.keep("move_agent", "move_day")
    return str(agent), day


def sync_edit_inputs(roster: pd.DataFrame, agent: str, day: dt.date, agents) -> None:
    """Start the edit inputs on the chosen agent-day as it is now: again after every change
    and choice, and whenever Streamlit dropped an input that was not drawn in a run."""
    span = edits.shift_span(roster, agent, day)
    lunches = [b for b in edits.day_blocks(roster, agent, day) if b.activity == "lunch"]
    meetings = edits.meetings_of(roster, agent, day)
    values = {
        "times_start": span[0].time() if span else dt.time(8, 0),
        "times_end": span[1].time() if span else day_norm_end(agents, agent),
        "add_start": dt.time(8, 0),
        "add_end": day_norm_end(agents, agent),
        "lunch_start": lunches[0].start.time() if lunches else dt.time(12, 0),
        "meeting_start": meetings[0].start.time() if meetings else dt.time(14, 0),
        "absence_from": day,
        "absence_to": day,
    }
    target = (agent, day, edits.roster_hash(roster))
    fresh = state.get("edit_target") != target
    state.set("edit_target", target)
    for name, value in values.items():
        if fresh:
            state.set(name, value)
        else:
            state.setdefault(name, value)


def day_norm_end(agents: pd.DataFrame, agent: str) -> dt.time:
    """08:00 plus the agent's day norm (contract hours / 5, on the quarter hour)."""
    hours = agents.loc[agents["agent_id"].astype(str) == agent, "weekly_hours"]
    norm = float(hours.iloc[0]) / 5 if len(hours) else 7.5
    minutes = min(int(round(norm * 4)) * 15, 14 * 60)
    return (
        dt.datetime.combine(dt.date.today(), dt.time(8, 0)) + dt.timedelta(minutes=minutes)
    ).time()


def day_panel(roster: pd.DataFrame, agent: str, day: dt.date, report: CheckReport) -> None:
    """The agent-day's blocks and, beside them, what the checker says about them."""
    blocks, found = edits.day_blocks(roster, agent, day), edits.findings_for(report, agent, day)
    left, right = st.columns([2, 3])
    with left:
        if blocks:
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("ro.start"): [b.start.strftime("%H:%M") for b in blocks],
                        tr("ro.end"): [b.end.strftime("%H:%M") for b in blocks],
                        tr("ro.activity"): [tr(f"activity.{b.activity}") for b in blocks],
                    }
                ),
                hide_index=True,
                key=state.key("day_blocks"),
            )
        else:
            st.info(tr("ro.no_shift", agent=app.plain(agent)))
    with right:
        if not found:
            st.caption(tr("ro.day_ok", agent=app.plain(agent)))
        for v in found:
            show = st.error if v.severity == "error" else st.warning
            show(app.plain(edits.finding_text(v, app.language())), icon=":material/rule:")


def picked() -> tuple[str, dt.date]:
    """The agent and day chosen in the edit tab (read when an edit runs, in its callback)."""
    return str(state.get("move_agent")), state.get("move_day")


def clock(name: str) -> dt.time:
    """A time input's value, read when an edit runs."""
    return state.get(name) or dt.time(0, 0)


def edit_button(label: str, name: str, change: Edit, flash: Flash, **options: Any) -> None:
    """A button that applies ``change`` in its callback (`apply_edit`): the run that follows
    draws the edited roster at once (coverage, KPIs, the check), in one run, on the same tab."""
    st.button(label, key=state.key(name), on_click=apply_edit, args=(change, flash), **options)


def move_form() -> None:
    st.time_input(tr("ro.new_start"), dt.time(9, 0), step=900, key=state.key("move_start"))

    def change(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        return edits.move_shift(roster, agent, day, clock("move_start"))

    def flash(roster: pd.DataFrame) -> str:
        agent, day = picked()
        return tr("ro.moved", agent=agent, day=day, start=f"{clock('move_start'):%H:%M}")

    edit_button(tr("ro.move_button"), "move_button", change, flash)


def times_form(roster: pd.DataFrame, agent: str, day: dt.date, rules: ShiftRules) -> None:
    if not no_shift_hint(roster, agent, day):
        return
    left, right = st.columns(2)
    left.time_input(tr("ro.new_start"), step=900, key=state.key("times_start"))
    right.time_input(tr("ro.new_end"), step=900, key=state.key("times_end"))

    def change(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        start, end = clock("times_start"), clock("times_end")
        return edits.set_shift_times(roster, agent, day, start, end, rules=rules)

    def flash(roster: pd.DataFrame) -> str:
        agent, day = picked()
        start, end = f"{clock('times_start'):%H:%M}", f"{clock('times_end'):%H:%M}"
        return tr("ro.times_done", agent=agent, day=day, start=start, end=end)

    edit_button(tr("ro.times_button"), "times_button", change, flash, help=tr("ro.times_help"))


def lunch_form(roster: pd.DataFrame, agent: str, day: dt.date) -> None:
    if not no_shift_hint(roster, agent, day):
        return
    if not any(b.activity == "lunch" for b in edits.day_blocks(roster, agent, day)):
        st.info(tr("ro.no_lunch", agent=app.plain(agent)))
        return
    st.time_input(tr("ro.lunch_start"), step=900, key=state.key("lunch_start"))

    def change(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        return edits.move_lunch(roster, agent, day, clock("lunch_start"))

    def flash(roster: pd.DataFrame) -> str:
        agent, day = picked()
        return tr("ro.lunch_done", agent=agent, day=day, start=f"{clock('lunch_start'):%H:%M}")

    edit_button(tr("ro.lunch_button"), "lunch_button", change, flash)


def meeting_form(roster: pd.DataFrame, agent: str, day: dt.date) -> None:
    if not no_shift_hint(roster, agent, day):
        return
    meetings = edits.meetings_of(roster, agent, day)
    if not meetings:
        st.info(tr("ro.no_meetings", agent=app.plain(agent)))
        return
    tl = app.translator()
    labels = [f"{tl(f'activity.{b.activity}')} {b.start:%H:%M}-{b.end:%H:%M}" for b in meetings]
    numbers = list(range(len(meetings)))
    if state.get("meeting_pick") not in numbers:
        state.set("meeting_pick", 0)
    st.selectbox(
        tr("ro.meeting_pick"),
        numbers,
        format_func=lambda i: labels[i],
        key=state.key("meeting_pick"),
    )
    st.time_input(tr("ro.meeting_start"), step=900, key=state.key("meeting_start"))

    def meeting(roster: pd.DataFrame) -> edits.Block:
        agent, day = picked()
        found = edits.meetings_of(roster, agent, day)
        pick = int(state.get("meeting_pick") or 0)
        if not 0 <= pick < len(found):
            raise ValueError(f"agent {agent} has no such meeting on {day}")
        return found[pick]

    def what(roster: pd.DataFrame) -> str:
        return tr(f"activity.{meeting(roster).activity}").lower()

    def move(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        return edits.move_meeting(roster, agent, day, meeting(roster).start, clock("meeting_start"))

    def moved(roster: pd.DataFrame) -> str:
        agent, day = picked()
        start = f"{clock('meeting_start'):%H:%M}"
        return tr("ro.meeting_moved", agent=agent, what=what(roster), day=day, start=start)

    def cancel(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        return edits.cancel_meeting(roster, agent, day, meeting(roster).start)

    def cancelled(roster: pd.DataFrame) -> str:
        agent, day = picked()
        block = meeting(roster)
        what_ = tr(f"activity.{block.activity}").lower()
        start = f"{block.start:%H:%M}"
        return tr("ro.meeting_cancelled", agent=agent, what=what_, day=day, start=start)

    left, right = st.columns(2)
    with left:
        edit_button(tr("ro.meeting_move"), "meeting_move", move, moved)
    with right:
        edit_button(tr("ro.meeting_cancel"), "meeting_cancel", cancel, cancelled)


def shift_form(
    roster: pd.DataFrame, agent: str, day: dt.date, agents: pd.DataFrame, rules: ShiftRules
) -> None:
    """Delete the agent's shift that day, or add one when there is none."""
    if edits.shift_span(roster, agent, day):

        def delete(roster: pd.DataFrame) -> pd.DataFrame:
            return edits.delete_shift(roster, *picked())

        def deleted(roster: pd.DataFrame) -> str:
            agent, day = picked()
            return tr("ro.deleted", agent=agent, day=day)

        edit_button(tr("ro.delete_button"), "delete_button", delete, deleted)
        return
    left, right = st.columns(2)
    left.time_input(tr("ro.start"), step=900, key=state.key("add_start"))
    right.time_input(tr("ro.end"), step=900, key=state.key("add_end"))

    def add(roster: pd.DataFrame) -> pd.DataFrame:
        agent, day = picked()
        start, end = clock("add_start"), clock("add_end")
        return edits.add_shift(roster, agent, day, start, end, agents=agents, rules=rules)

    def added(roster: pd.DataFrame) -> str:
        agent, day = picked()
        start, end = f"{clock('add_start'):%H:%M}", f"{clock('add_end'):%H:%M}"
        return tr("ro.added", agent=agent, day=day, start=start, end=end)

    edit_button(tr("ro.add_button"), "add_button", add, added, help=tr("ro.add_help"))


def absence_form(days: list[dt.date], hours: dict[dt.date, tuple[dt.time, dt.time]]) -> None:
    """Sick or on leave for a day or a range of the plan's days."""
    tl = app.translator()
    state.setdefault("absence_kind", "sick")
    st.radio(
        tr("ro.absence_kind"),
        ("sick", "leave"),
        format_func=app.labels("ro.absence_kind."),
        horizontal=True,
        key=state.key("absence_kind"),
    )
    for name in ("absence_from", "absence_to"):
        if state.get(name) not in days:
            state.set(name, days[0])
    left, right = st.columns(2)
    left.selectbox(
        tr("ro.absence_from"),
        days,
        format_func=lambda d: day_label(d, tl),
        key=state.key("absence_from"),
    )
    right.selectbox(
        tr("ro.absence_to"),
        days,
        format_func=lambda d: day_label(d, tl),
        key=state.key("absence_to"),
    )

    def away(roster: pd.DataFrame) -> pd.DataFrame:
        first, last = state.get("absence_from"), state.get("absence_to")
        return edits.mark_absent(roster, picked()[0], first, last, days=days, hours=hours)

    def marked(roster: pd.DataFrame) -> str:
        kind = tr(f"ro.absence_kind.{state.get('absence_kind')}").lower()
        first, last = state.get("absence_from"), state.get("absence_to")
        return tr("ro.absence_done", agent=picked()[0], kind=kind, first=first, last=last)

    edit_button(tr("ro.absence_button"), "absence_button", away, marked, help=tr("ro.absence_help"))


def swap_form(ids: list[str], days: list[dt.date]) -> None:
    left, mid, right = st.columns(3)
    left.selectbox(tr("ro.first_agent"), ids, key=state.key("swap_a"))
    mid.selectbox(tr("ro.second_agent"), ids, index=min(1, len(ids) - 1), key=state.key("swap_b"))
    right.selectbox(tr("ro.day"), days, key=state.key("swap_day"))

    def swap(roster: pd.DataFrame) -> pd.DataFrame:
        first, second = str(state.get("swap_a")), str(state.get("swap_b"))
        return edits.swap_agents(roster, first, second, state.get("swap_day"))

    def swapped(roster: pd.DataFrame) -> str:
        first, second = state.get("swap_a"), state.get("swap_b")
        return tr("ro.swapped", first=first, second=second, day=state.get("swap_day"))

    edit_button(tr("ro.swap_button"), "swap_button", swap, swapped)


def no_shift_hint(roster: pd.DataFrame, agent: str, day: dt.date) -> bool:
    """True when the agent works that day; else a hint to add a shift first."""
    if edits.shift_span(roster, agent, day):
        return True
    st.info(tr("ro.no_shift_hint", agent=app.plain(agent)))
    return False


# -- undo, redo and the check of exactly this roster ---------------------------------------------


def edit_history() -> edits.EditHistory[Snapshot]:
    history = state.get("history")
    return history if isinstance(history, edits.EditHistory) else edits.EditHistory()


def sync_history(roster: pd.DataFrame) -> None:
    """Forget the undo steps when the roster in the session is not the one the last edit here
    left (it was built, opened or re-optimized meanwhile)."""
    digest = edits.roster_hash(roster)
    if state.get("history_for") != digest:
        state.set("history", edits.EditHistory())
        state.set("history_for", digest)


def commit(label: str, before: Snapshot, roster: pd.DataFrame) -> None:
    """Make ``roster`` the session's roster, ``before`` the step that undo restores."""
    state.set("history", edit_history().record(label, before))
    state.set("roster", roster.reset_index(drop=True))
    state.set("history_for", edits.roster_hash(state.get("roster")))


def apply_edit(change: Edit, flash: Flash) -> None:
    """A button's callback: run one edit on the session's roster. The new roster replaces it
    (the old one goes on the undo stack) before the page runs, so coverage, KPIs and the check
    follow at once. A refused edit (ValueError) changes nothing; its message is shown."""
    roster = state.get("roster")
    if roster is None:
        return
    try:
        message = flash(roster)
        changed = change(roster)
    except ValueError as exc:
        state.set("edit_error", str(exc))
        return
    commit(message, (roster, state.get("note", "")), changed)
    state.set("note", tr("ro.edited_note"))
    state.set("flash", message)


def undo_bar() -> None:
    """The undo and redo buttons ("Fortryd", "Gentag") and how many shifts differ from the
    last saved version."""
    history = edit_history()
    undo, redo, changes = st.columns([1, 1, 4])
    undo.button(
        tr("ro.undo"),
        key=state.key("undo"),
        disabled=not history.can_undo,
        help=app.plain(history.undo_steps[-1][0]) if history.can_undo else None,
        icon=":material/undo:",
        on_click=step_back,
    )
    redo.button(
        tr("ro.redo"),
        key=state.key("redo"),
        disabled=not history.can_redo,
        help=app.plain(history.redo_steps[-1][0]) if history.can_redo else None,
        icon=":material/redo:",
        on_click=step_forward,
    )
    changes.caption(changes_text(state.get("roster")))


def step_back() -> None:
    """ "Fortryd"'s callback: the roster before the last edit."""
    history = edit_history()
    if history.can_undo:
        after, (frame, note), label = history.undo((state.get("roster"), state.get("note", "")))
        restore(after, frame, note, tr("ro.undone", step=label))


def step_forward() -> None:
    """ "Gentag"'s callback: the edit undone last, again."""
    history = edit_history()
    if history.can_redo:
        after, (frame, note), label = history.redo((state.get("roster"), state.get("note", "")))
        restore(after, frame, note, tr("ro.redone", step=label))


def restore(
    history: edits.EditHistory[Snapshot], roster: pd.DataFrame, note: str, flash: str
) -> None:
    """Put an undone or redone snapshot back (before the page runs)."""
    state.set("history", history)
    state.set("roster", roster)
    state.set("history_for", edits.roster_hash(roster))
    state.set("note", note)
    state.set("flash", flash)


def baseline() -> tuple[int, pd.DataFrame] | None:
    """The last saved version of this roster (the one a save builds on) and its table."""
    name, version = state.get("name"), state.get("based_on")
    if not name or version is None:
        return None
    kept = state.get("baseline")
    if kept is not None and kept[0] == (name, version):
        return version, kept[1]
    try:
        frame, _ = app.get_store().load("roster", name, version)
    except Exception:  # noqa: BLE001 - the comparison is a courtesy; the page goes on
        return None
    state.set("baseline", ((name, version), frame))
    return version, frame


def changes_text(roster: pd.DataFrame) -> str:
    """How many shifts differ from the last saved version ("3 vagt(er) ændret siden version
    2"), or that the roster is not saved yet."""
    base = baseline()
    if base is None:
        return tr("ro.changes_unsaved")
    return tr("ro.changes_since", count=edits.changed_shifts(base[1], roster), version=base[0])


def roster_check(
    roster: pd.DataFrame, agents: pd.DataFrame, req: pd.DataFrame, rules: ShiftRules, plan
) -> CheckReport:
    """The independent checker on exactly this roster, kept by the content hash of the roster
    and of what it is checked against (requirement, agents, rules;
    `app_support.edits.roster_hash`), so a result is never shown for another roster. Leaves
    the checker in the session for the save tab, which checks the saved version itself before
    publishing."""
    against = (edits.roster_hash(req), edits.roster_hash(agents), repr(rules))

    def checker(frame: pd.DataFrame, *, fresh: bool = False) -> CheckReport:
        key = (edits.roster_hash(frame), *against)
        cache = state.setdefault("checks", {})
        if fresh:
            cache.pop(key, None)
        if key not in cache:
            with st.spinner(tr("ro.checking")):
                cache[key] = app_plan.check(
                    frame,
                    edits.absence_as_unavailable(agents, frame),
                    req,
                    rules,
                    calendar=plan.calendar,
                )
            while len(cache) > CHECKS_KEPT:
                cache.pop(next(iter(cache)))
        return cache[key]

    state.set("checker", checker)
    return checker(roster)


def reoptimize_locks(
    roster: pd.DataFrame, locked: list[tuple[str, dt.date]], req: pd.DataFrame
) -> pd.DataFrame:
    """The locked agent-days, and every absence of the plan's days (a day marked sick or on
    leave stays so when the rest is planned again)."""
    plan_days = set(req_days(req))
    away = [
        (agent, day)
        for agent, days in edits.absence_days(roster).items()
        for day in days
        if day in plan_days
    ]
    return app_plan.locks_frame(roster, [*locked, *away])


def req_days(req: pd.DataFrame) -> list[dt.date]:
    return sorted(set(pd.to_datetime(req["interval_start"]).dt.tz_convert(app_plan.TZ).dt.date))


# -- check, save, export -------------------------------------------------------------------------


def save_view(store, roster: pd.DataFrame, week: dt.date) -> None:
    """Save (as a draft only while the check finds errors), publish (refused while the saved
    version breaks a rule or its warnings are not acknowledged), and the version list."""
    year, number, _ = week.isocalendar()
    name = state.get("name")
    if name is None:
        state.setdefault("save_name", tr("ro.default_name", week=number, year=year))
    changes = st.empty()  # filled after the save form: a save just made counts
    report = check_of(roster)
    draft_only = report is None or bool(report.errors)
    if draft_only:
        st.warning(
            tr("ro.save_draft_only", count=len(report.errors))
            if report is not None
            else tr("ro.save_unchecked")
        )
    meta: dict[str, object] = {"week": f"{year}-W{number:02d}", "locks": state.get("locks", [])}
    if report is not None:
        meta["check"] = {"errors": len(report.errors), "warnings": len(report.warnings)}
    info = app.save_controls(
        state,
        "roster",
        roster,
        name=name,
        based_on=state.get("based_on"),
        meta=meta,
        button_label=tr("ro.save_draft") if draft_only else None,
    )
    if info is not None:
        state.set("name", info.name)
        state.set("based_on", info.version)
    changes.caption(changes_text(roster))
    publish_view(store)
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


def check_of(frame: pd.DataFrame, *, fresh: bool = False) -> CheckReport | None:
    """The check of ``frame`` by the checker `roster_check` left in the session (None without);
    ``fresh`` runs the checker again instead of taking the result kept for the content."""
    checker = state.get("checker")
    return checker(frame, fresh=fresh) if callable(checker) else None


def publish_view(store) -> None:
    """The publish button ("Offentliggør") of the version just saved. The saved table itself
    is checked (by content hash, so usually from the cache): the button is disabled with the
    reason while a hard error remains or the warnings are not acknowledged (Streamlit discards
    a click on a disabled button), and at a click the checker runs again on the stored table
    and refuses for the same reasons."""
    done = state.get("save_done")
    if done is None or done.name != state.get("name"):
        return
    if store.info("roster", done.name, done.version).status == "published":
        return
    frame, _ = store.load("roster", done.name, done.version)
    report = check_of(frame)
    acknowledged = warnings_acknowledged(report, (done.name, done.version))
    reason = edits.publish_refusal(report, acknowledged=acknowledged)
    why = refusal_text(reason, report, done.version)
    user = app.current_user()
    clicked = st.button(
        tr("saved.publish", version=done.version),
        key=state.key("publish"),
        disabled=not user or reason is not None,
        help=why,
    )
    if why:
        st.caption(why)
    if not clicked:
        return
    # the server's own check at the click, run again on the stored table (not the result
    # the button was drawn with): the rules or the requirement may have changed since
    report = check_of(store.load("roster", done.name, done.version)[0], fresh=True)
    reason = edits.publish_refusal(report, acknowledged=acknowledged)
    if reason is not None or not user:
        st.error(tr("ro.publish_refused", reason=refusal_text(reason, report, done.version)))
        return
    store.publish("roster", done.name, done.version, user=user)
    st.success(tr("saved.published", version=done.version))


def warnings_acknowledged(report: CheckReport | None, target: tuple[str, int]) -> bool:
    """The checkbox that acknowledges the check's warnings of this saved version."""
    if report is None or report.errors or not report.warnings:
        return False
    if state.get("ack_for") != target:  # a new version: acknowledge its warnings anew
        state.set("ack_for", target)
        state.set("publish_ack", False)
    acknowledged = st.checkbox(
        tr("ro.ack_warnings", count=len(report.warnings)), key=state.key("publish_ack")
    )
    state.keep("publish_ack")  # through a look at another tab
    return bool(acknowledged)


def refusal_text(reason: str | None, report: CheckReport | None, version: int) -> str | None:
    if reason is None:
        return None
    count = 0 if report is None else len(report.errors or report.warnings)
    return tr(f"ro.refused.{reason}", version=version, count=count)


def check_view(roster: pd.DataFrame, agents, req: pd.DataFrame, rules: ShiftRules, plan) -> None:
    """The independent checker on the roster as it is now (hand edits included): it runs after
    every change; the button runs it again."""
    st.subheader(tr("ro.check_title"))
    fresh = st.button(tr("ro.check"), key=state.key("check"), help=tr("ro.check_help"))
    report = roster_check(roster, agents, req, rules, plan)
    if fresh:
        report = state.get("checker")(roster, fresh=True)
    st.caption(tr("ro.check_auto"))
    if report.ok:
        st.success(tr("ro.check_ok", warnings=len(report.warnings)))
    else:
        st.error(tr("ro.check_failed", count=len(report.errors)))
    findings = (*report.errors, *report.warnings)
    if findings:
        lang = app.language()
        st.dataframe(
            pd.DataFrame(
                {
                    tr("ro.severity"): [tr(f"ro.severity_{v.severity}") for v in findings],
                    tr("ro.rule"): [edits.rule_label(v.rule, lang) for v in findings],
                    tr("ro.agent"): [v.agent_id or "" for v in findings],
                    tr("ro.day"): [
                        "" if v.date is None else short_date(v.date, lang) for v in findings
                    ],
                    tr("ro.finding"): [edits.finding_text(v, lang) for v in findings],
                }
            ),
            hide_index=True,
            key=state.key("check_table"),
        )


def export_view(roster: pd.DataFrame, stem: str, agents, coverage: pd.DataFrame) -> None:
    """Download buttons for the roster as CSV, Excel and one calendar per agent. The workbook
    and the calendars are made when their button is clicked (Streamlit calls the function
    then): making them on every run cost 1.5 s of each edit's 2.5 s."""
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
        data=functools.partial(app_plan.roster_excel, roster, agents, coverage),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=state.key("xlsx"),
        icon=":material/table:",
    )
    ics_col.download_button(
        tr("ro.export_ics"),
        data=functools.partial(app_plan.icalendar_zip, roster),
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
    restore_draft(store, app_plan.week_starts(requirements))

    week = week_controls(requirements)
    st.caption(app.plain(source))
    req = app_plan.plan_days(requirements, week, int(state.get("days")))
    if req.empty:
        st.info(tr("ro.no_requirements"))
        return

    start_controls(req, agents, rules, plan, store)
    if state.get("roster") is None:
        st.info(tr("ro.start_hint"))
        return
    # Messages that come and go (a restored draft, the last action's message, the quick
    # estimate, a re-optimization's progress or refusal) are drawn in containers that are
    # always there: an element that appeared above the tabs would move them, and the browser
    # would then show the first tab again.
    with st.container(), app.guard():
        reoptimize_if_asked(state.get("roster"), req, agents, rules, plan)
    roster = state.get("roster")
    with st.container():
        draft_view(store)
    try:
        with st.container():
            notes_view()
        roster_views(roster, req, agents, rules, plan, store, week)
    finally:  # the draft is kept even when a view fails
        keep_draft(store, state.get("roster"), week)


# -- the working draft (never lose work) ---------------------------------------------------------


def restore_draft(store, weeks: list[dt.date]) -> None:
    """Once per session and user: bring back the user's autosaved draft if no roster is open.

    Runs before the week controls are drawn, so the draft's week and days can be set."""
    user = app.current_user()
    if not user or state.get("roster") is not None or state.get("draft_checked") == user:
        return
    state.set("draft_checked", user)
    draft = store.load_draft(user, app_drafts.SLOT)
    if draft is None:
        return
    restored = app_drafts.from_draft(draft)
    set_roster(
        restored.roster,
        name=restored.name,
        based_on=restored.based_on,
        note=tr("ro.draft_note"),
    )
    state.set("locks", restored.locks)
    if restored.week in weeks:
        state.set("week", restored.week)
    if restored.days is not None and 1 <= restored.days <= 7:
        state.set("days", restored.days)
    state.set("draft_restored", app.format_time(restored.saved_at))


def draft_view(store) -> None:
    """Say that a draft was brought back (with a way to throw it away), or why none is kept."""
    user = app.current_user()
    if not user:
        st.caption(tr("ro.draft_need_user"))
        return
    restored = state.get("draft_restored")
    if restored is None:
        return
    left, right = st.columns([4, 1])
    left.info(tr("ro.draft_restored", when=restored))
    if right.button(tr("ro.draft_discard"), key=state.key("draft_discard")):
        store.discard_draft(user, app_drafts.SLOT)
        for name in ("roster", "draft_restored", "draft_seen", "name", "based_on", "locks"):
            state.pop(name)
        st.rerun()


def keep_draft(store, roster: pd.DataFrame | None, week: dt.date) -> None:
    """Autosave the roster on screen as the user's draft when it changed (no name: nothing)."""
    user = app.current_user()
    if not user or roster is None:
        return
    meta = app_drafts.draft_meta(
        name=state.get("name"),
        based_on=state.get("based_on"),
        locks=list(state.get("locks", [])),
        week=week,
        days=int(state.get("days")),
    )
    with app.guard():
        state.set(
            "draft_seen",
            app_drafts.autosave(store, user, roster, meta, state.get("draft_seen")),
        )


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
    """What the team cannot cover whatever the roster (before building: `capacity_findings`),
    then the build button beside the opener of saved rosters."""
    try:
        findings = capacity_findings(req, agents, rules)
    except ValueError:  # agents the optimizer cannot read either: building says what is wrong
        findings = None
    if findings:
        st.warning(app_week.capacity_markdown(findings, app.translator(), quote=app.plain))
    elif findings is not None:
        st.caption(tr("wk.cap_ok"))
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
        lang = app.language()
        with st.expander(tr("ro.diagnostics", count=len(diagnostics))):
            for item in diagnostics:  # Diagnostic records (texts kept from before: as they are)
                text = item if isinstance(item, str) else app_diagnosis.render(item, lang)
                st.markdown(f"- {app.plain(text)}")


def roster_views(
    roster: pd.DataFrame, req: pd.DataFrame, agents, rules: ShiftRules, plan, store, week: dt.date
) -> None:
    """Predicted KPIs, then the tabs: the chosen day per agent and per interval, the whole
    week (`app_support.week`), editing, check and save. Only the open tab is drawn
    (`draw_open_tab`); what another part of the page needs runs before the tabs."""
    days = sorted(set(roster["date"]))
    coverage = app_plan.roster_coverage(roster, req, agents)
    kpis = app_plan.predicted_kpis(coverage, req)
    # the undo steps belong to the roster on screen, whichever tab is open (the KPIs, undo and
    # re-optimizing read them); before the KPIs, so that a roster built or opened after hand
    # edits is simulated at once (the edit tab did it after them: the first run showed the
    # quick estimate of the edits' history)
    sync_history(roster)
    kpi_section(roster, agents, kpis, plan, days)
    day = day_choice(days)
    views: dict[str, Callable[[], None]] = {
        "ro.tab_agents": lambda: agents_tab(roster, day),
        "ro.tab_intervals": lambda: coverage_view(kpis, day),
        "wk.tab": lambda: week_tab(roster, agents, kpis),
        "ro.tab_edit": lambda: edit_tab(roster, req, agents, rules, plan, days),
        "ro.tab_save": lambda: finish_tab(roster, agents, req, rules, plan, store, week, coverage),
    }
    draw_open_tab(views)


def kpi_section(
    roster: pd.DataFrame, agents, kpis: pd.DataFrame, plan, days: list[dt.date]
) -> None:
    """The predicted KPIs of the roster: simulated, or Erlang A's quick estimate after a hand
    edit with a button that simulates the week."""
    st.subheader(tr("ro.kpis"))
    forecast = app_plan.roster_forecast(st.session_state.get(FORECAST_KEY), plan.forecast, days)
    digest = edits.roster_hash(roster)
    # A roster as built or opened is simulated at once; after a hand edit the page answers
    # with Erlang A's quick estimate and simulates the week when asked (one click). One
    # container either way, so that the tabs below keep their place.
    with st.container():
        if not edit_history().can_undo or state.get("simulate_for") == digest:
            with st.spinner(tr("ro.kpi_simulating")):
                week_kpis = app_plan.goals_table(predicted_week(forecast, roster, agents))
            state.set("last_simulated", week_kpis)
            kpi_view(week_kpis, kpis)
        else:
            kpi_view(app_plan.quick_goals_table(kpis, state.get("last_simulated")), kpis)
            st.info(tr("ro.quick_estimate"))
            st.button(
                tr("ro.simulate_now"),
                key=state.key("simulate"),
                on_click=state.set,
                args=("simulate_for", digest),
            )


def draw_open_tab(views: dict[str, Callable[[], None]]) -> None:
    """The tabs (labelled by the text keys of ``views``, in order) with only the open one's
    content computed and sent to the browser.

    The tabs are a widget (``on_change="rerun"``, kept under ``state.key("tabs")``): a click
    on a tab runs the page, which draws that tab; an edit, a save or an undo runs it on the
    same tab. Drawing every tab on every run made the browser redraw all the charts after
    each edit (issue 13). A widget in a tab that is not drawn loses its value unless it is
    kept (`PageState.keep`), as the locks and the acknowledgement are."""
    tabs = st.tabs([tr(key) for key in views], key=state.key("tabs"), on_change="rerun")
    for tab, draw in zip(tabs, views.values(), strict=True):
        if tab.open:
            with tab:
                draw()


def agents_tab(roster: pd.DataFrame, day: dt.date) -> None:
    """The chosen day per agent: the Gantt chart, and the shifts as a table."""
    gantt(roster, day)
    with st.expander(tr("ro.table")):
        shifts = local(app_plan.shift_table(roster), "start", "end")
        st.dataframe(app_data.display_table(shifts, app.language()), hide_index=True)


def week_tab(roster: pd.DataFrame, agents, kpis: pd.DataFrame) -> None:
    """The week at a glance (`app_support.week`): shifts, then coverage against need."""
    tl = app.translator()
    st.subheader(tr("wk.table_title"))
    st.dataframe(
        app_week.week_table(roster, tl, agents=agents["agent_id"]),
        hide_index=True,
        key=state.key("week_table"),
    )
    st.caption(tr("wk.table_help"))
    st.subheader(tr("wk.heatmap_title"))
    st.altair_chart(app_week.balance_heatmap(app_week.week_coverage(kpis, tl), tl))
    st.caption(tr("wk.heatmap_help"))


def finish_tab(
    roster: pd.DataFrame,
    agents,
    req: pd.DataFrame,
    rules: ShiftRules,
    plan,
    store,
    week: dt.date,
    coverage: pd.DataFrame,
) -> None:
    """The check of the roster as it is (it leaves the checker the save and publish use),
    saving and publishing, and the downloads."""
    check_view(roster, agents, req, rules, plan)
    save_view(store, roster, week)
    year, week_number, _ = week.isocalendar()
    export_view(roster, f"vagtplan_{year}-W{week_number:02d}", agents, coverage)


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
    """Undo and redo, the check of the roster as it is, hand edits and locks, and
    re-optimizing around the locks (and the days marked sick or on leave)."""
    with app.guard():
        report = roster_check(roster, agents, req, rules, plan)
        undo_bar()
        hours = edits.opening_hours(req, plan.calendar)
        edit_view(roster, agents, days, report, rules, hours)
    st.button(
        tr("ro.reoptimize", count=len(locked_pairs())),
        key=state.key("reoptimize"),
        help=tr("ro.reoptimize_help"),
        on_click=state.set,
        args=("reoptimize_asked", True),
    )


def reoptimize_if_asked(
    roster: pd.DataFrame, req: pd.DataFrame, agents, rules: ShiftRules, plan
) -> None:
    """Re-optimize around the locks (and the days marked sick or on leave), from the roster
    as it is, when "Optimér igen" was clicked: before the page is drawn, so that one run draws
    the new roster (drawing the page, planning, then drawing it again took a second more).
    A locked day that breaks a rule cannot be kept: the page says which, in the planner's
    words, and plans nothing."""
    if not state.pop("reoptimize_asked"):
        return
    locked = locked_pairs()
    pairs = set(locked)
    report = roster_check(roster, agents, req, rules, plan)
    broken = [v for v in report.errors if (v.agent_id, v.date) in pairs]
    if broken:
        lang = app.language()
        lines = "\n".join(f"- {app.plain(edits.finding_text(v, lang))}" for v in broken)
        st.error(f"{tr('ro.locks_broken')}\n\n{lines}")
        return
    before = (roster, state.get("note", ""))
    # from the roster as it is: quick around the locks, and never worse than it
    build(req, agents, rules, plan, locks=reoptimize_locks(roster, locked, req), warm=roster)
    commit(tr("ro.reoptimized_step", count=len(locked)), before, state.get("roster"))


with app.guard():
    main()
