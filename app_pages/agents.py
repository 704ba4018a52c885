"""Medarbejdere (agents): the team the roster plans, edited in the app.

A table editor over the agents contract (team, skills, contract hours, earliest start, latest
end, booked days off, wishes); absence for a day or a range picked in a calendar; saved and
versioned in the store like rosters; import and export as CSV or Excel. Every valid edit is in
use at once by the Vagtplan and Scenarier pages (`app_support.agents.in_use`); an invalid one
is shown with the reader's message and the last valid table stays in use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from app_support import agents as app_agents
from app_support import plan as app_plan
from app_support import shell as app
from app_support.i18n import number, short_date
from app_support.shell import tr
from centre.queues import QUEUE_NAMES
from planner.errors import InputError
from planner.io.agents import read_agents
from staffing.agents import PREFERENCE_FORMS

state = app.PageState("agents")


@st.cache_data(show_spinner=False)
def default_agents() -> pd.DataFrame:
    return app_plan.load_agents()


def in_use() -> dict[str, Any]:
    """The agents table in use and where it came from (``source``, ``label``)."""
    chosen = st.session_state.get(app_agents.AGENTS_KEY)
    if chosen is None:
        chosen = {"frame": default_agents(), "source": "default", "label": "data/agents.csv"}
    return chosen


def use(frame: pd.DataFrame, source: str, label: str, *, reset_editor: bool) -> None:
    """Put ``frame`` in use; ``reset_editor`` redraws the editor from it (import, open, absence)."""
    st.session_state[app_agents.AGENTS_KEY] = {"frame": frame, "source": source, "label": label}
    if reset_editor:
        state.set("generation", state.get("generation", 0) + 1)


def queues() -> list[str]:
    return list(QUEUE_NAMES)


def source_caption(chosen: dict[str, Any]) -> None:
    frame = chosen["frame"]
    st.caption(
        tr(
            f"ag.source_{chosen['source']}",
            label=app.plain(chosen["label"]),
            agents=len(frame),
            hours=number(float(frame["weekly_hours"].sum()), 1, app.language()),
        )
    )


def editor_tab(chosen: dict[str, Any]) -> None:
    """The table editor; a valid edit is in use at once, an invalid one is explained."""
    generation = state.get("generation", 0)
    key = state.key(f"editor_{generation}")
    if key not in st.session_state or state.get("editor_base") is None:
        # first draw of this table, or back on the page: start from the table in use
        state.set("editor_base", app_agents.to_editor(chosen["frame"]))
    st.markdown(tr("ag.editor_intro"))
    edited = st.data_editor(
        state.get("editor_base"),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "agent_id": st.column_config.TextColumn(
                tr("ag.col.agent_id"), help=tr("ag.help.agent_id"), required=True, max_chars=60
            ),
            "team": st.column_config.TextColumn(tr("ag.col.team"), required=True, max_chars=60),
            "skills": st.column_config.MultiselectColumn(
                tr("ag.col.skills"),
                help=tr("ag.help.skills"),
                options=queues(),
                accept_new_options=True,
            ),
            "weekly_hours": st.column_config.NumberColumn(
                tr("ag.col.weekly_hours"),
                min_value=0.5,
                max_value=60.0,
                step=0.5,
                format="%.1f",
                required=True,
            ),
            "earliest_start": st.column_config.TextColumn(
                tr("ag.col.earliest_start"),
                help=tr("ag.help.clock"),
                validate=r"^(\d{1,2}[:.]\d{2})?$",
                max_chars=5,
            ),
            "latest_end": st.column_config.TextColumn(
                tr("ag.col.latest_end"),
                help=tr("ag.help.clock"),
                validate=r"^(\d{1,2}[:.]\d{2})?$",
                max_chars=5,
            ),
            "unavailable": st.column_config.TextColumn(
                tr("ag.col.unavailable"), help=tr("ag.help.unavailable")
            ),
            "preferences": st.column_config.TextColumn(
                tr("ag.col.preferences"),
                help=tr("ag.help.preferences", forms=", ".join(PREFERENCE_FORMS)),
            ),
        },
    )
    try:
        checked = app_agents.from_editor(edited, queues=queues())
    except InputError as exc:
        st.error(app.plain(str(exc)))
        st.warning(tr("ag.invalid_kept", agents=len(chosen["frame"])))
        return
    # Apply only what the planner changed in the editor since the last run, so that a table put
    # in use another way (absence, import, open) is never overwritten by the editor's copy.
    seen = (generation, repr(st.session_state.get(key)))
    if seen != state.get("editor_seen"):
        state.set("editor_seen", seen)
        if app_agents.changes(chosen["frame"], checked).count:
            use(checked, "edited", chosen["label"], reset_editor=False)
            chosen = in_use()
    base = state.get("saved_frame")
    if base is not None:
        since = app_agents.changes(base, chosen["frame"])
        if since.count:
            st.info(tr("ag.unsaved", count=since.count))


def absence_tab(chosen: dict[str, Any]) -> None:
    """Absence (holiday, leave, sickness) for a day or a range, and taking it off again."""
    frame = chosen["frame"]
    ids = [str(a) for a in frame["agent_id"]]
    if not ids:
        st.info(tr("ag.no_agents"))
        return
    state.choose("absence_agent", ids)
    agent = st.selectbox(tr("ag.agent"), ids, key=state.key("absence_agent"))
    state.keep("absence_agent")
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    left, right = st.columns([2, 1])
    with left:
        picked = st.date_input(
            tr("ag.absence_range"),
            value=(monday, monday + dt.timedelta(days=4)),
            format="DD/MM/YYYY",
            key=state.key("absence_range"),
        )
    with right:
        weekdays_only = st.checkbox(
            tr("ag.weekdays_only"), value=True, key=state.key("absence_weekdays")
        )
    days: list[dt.date] = []
    if isinstance(picked, tuple | list) and len(picked) == 2:
        days = app_agents.absence_days(picked[0], picked[1], weekdays_only=weekdays_only)
    elif isinstance(picked, tuple | list) and len(picked) == 1:
        days = app_agents.absence_days(picked[0], picked[0], weekdays_only=weekdays_only)
    elif isinstance(picked, dt.date):
        days = app_agents.absence_days(picked, picked, weekdays_only=weekdays_only)
    if st.button(
        tr("ag.absence_add", days=len(days)),
        key=state.key("absence_add"),
        disabled=not days,
        type="primary",
    ):
        use(
            app_agents.add_absence(frame, agent, days), "edited", chosen["label"], reset_editor=True
        )
        state.set("flash", tr("ag.absence_added", agent=agent, days=len(days)))
        st.rerun()
    flash = state.pop("flash")
    if flash:
        st.success(app.plain(flash))

    current = app_agents.absence_of(frame, agent)
    st.subheader(tr("ag.absence_of", agent=app.plain(agent)))
    if not current:
        st.caption(tr("ag.absence_none"))
        return
    lang = app.language()
    chosen_days = st.multiselect(
        tr("ag.absence_remove_pick"),
        current,
        format_func=lambda d: short_date(d, lang),
        key=state.key("absence_remove"),
        placeholder=tr("sc.choose"),
    )
    if st.button(
        tr("ag.absence_remove", days=len(chosen_days)),
        key=state.key("absence_remove_button"),
        disabled=not chosen_days,
    ):
        use(
            app_agents.remove_absence(frame, agent, chosen_days),
            "edited",
            chosen["label"],
            reset_editor=True,
        )
        st.rerun()


def files_tab(chosen: dict[str, Any]) -> None:
    """Import an agents file, export the table, save it in the store or open a saved one."""
    st.subheader(tr("ag.import"))
    upload = st.file_uploader(
        tr("ag.upload"), type=["csv", "xlsx"], key=state.key("upload"), help=tr("ag.upload_help")
    )
    if upload is not None and st.button(tr("ag.import_button"), key=state.key("import")):
        try:
            frame = read_agents(upload.name, data=upload.getvalue(), queues=queues())
        except InputError as exc:
            st.error(app.plain(str(exc)))
            st.warning(tr("ag.kept", agents=len(chosen["frame"])))
        else:
            use(frame, "file", upload.name, reset_editor=True)
            state.set("saved_frame", None)
            st.rerun()

    st.subheader(tr("ag.export"))
    left, right = st.columns(2)
    left.download_button(
        tr("ag.download_csv"),
        data=app.csv_bytes(chosen["frame"]),
        file_name="agents.csv",
        mime="text/csv",
        key=state.key("download_csv"),
    )
    right.download_button(
        tr("ag.download_excel"),
        data=app_agents.agents_excel(chosen["frame"]),
        file_name="agents.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=state.key("download_excel"),
    )

    st.subheader(tr("ag.save"))
    info = app.save_controls(
        state,
        "agents",
        chosen["frame"],
        name=state.get("name"),
        based_on=state.get("based_on"),
        meta={"agents": len(chosen["frame"])},
    )
    if info is not None:
        state.set("name", info.name)
        state.set("based_on", info.version)
        state.set("saved_frame", chosen["frame"])
        use(chosen["frame"], "saved", f"{info.name} v{info.version}", reset_editor=False)

    store = app.get_store()
    items = store.list("agents")
    if items:
        st.subheader(tr("ag.open"))
        names = [i.name for i in items]
        state.choose("open_name", names)
        name = st.selectbox(tr("col.name"), names, key=state.key("open_name"))
        versions = [v.version for v in reversed(store.versions("agents", name))]
        state.choose("open_version", versions)
        version = st.selectbox(tr("col.version"), versions, key=state.key("open_version"))
        if st.button(tr("ag.open_button"), key=state.key("open_button")):
            frame, opened = store.load("agents", name, version)
            frame = app_agents.from_editor(app_agents.to_editor(frame), queues=queues())
            use(frame, "saved", f"{opened.name} v{opened.version}", reset_editor=True)
            state.set("name", opened.name)
            state.set("based_on", opened.version)
            state.set("saved_frame", frame)
            st.rerun()


def main() -> None:
    st.title(tr("ag.title"))
    caption = st.empty()  # filled last: an edit in the table below changes what is in use
    table, absence, files = st.tabs([tr("ag.tab_table"), tr("ag.tab_absence"), tr("ag.tab_files")])
    with table:
        editor_tab(in_use())
    with absence:
        with app.guard():
            absence_tab(in_use())
    with files:
        with app.guard():
            files_tab(in_use())
    with caption.container():
        source_caption(in_use())


with app.guard():
    main()
