"""Data: the default history or an upload, validated with the loader's messages; summary,
charts by queue, anomaly and closing days; the loaded history is kept for the other pages.

The upload's file name, the loader's messages (which quote cells) and its warnings (which name
queues) are user text: they are shown through `app.plain`, never as Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support import data as app_data
from app_support import shell as app
from app_support.i18n import number
from app_support.shell import tr
from planner.io.history import HistoryError, LoadedHistory

state = app.PageState("data")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_names() -> list[str]:
    return [tr(f"data.wd.{d}") for d in WEEKDAYS]


def load(source: str, anomalies: list[str]) -> LoadedHistory | None:
    """Load the chosen source; the loader's problems are shown one per line."""
    try:
        if source == "default":
            return app_data.load_default_history(anomalies)
        upload = st.session_state.get(state.key("upload"))
        if upload is None:
            st.warning(tr("data.need_upload"))
            return None
        return app_data.load_uploaded_history(upload.getvalue(), upload.name, anomalies)
    except HistoryError as exc:
        st.error(tr("data.problems", count=len(exc.problems)))
        st.error("\n\n".join(app.plain(problem) for problem in exc.problems[:30]))
        return None


def show_summary(loaded: LoadedHistory) -> None:
    """The summary's figures, the reader's warnings and the whole summary, in the page's
    language (from the summary's fields; `HistorySummary.to_text` is the CLI's English)."""
    info = loaded.summary.to_dict()
    lang = app.language()
    cols = st.columns(4)
    cols[0].metric(tr("data.queues"), len(info["queues"]))
    cols[1].metric(tr("data.days"), number(info["days"], 0, lang))
    cols[2].metric(tr("data.calls"), number(info["calls"], 0, lang))
    cols[3].metric(tr("data.interval"), f"{info['interval_minutes']} min")
    start, end = (app_data.day_text(info[k], lang) for k in ("start", "end"))
    st.caption(tr("data.span", start=start, end=end))
    for warning in info["warnings"]:
        st.warning(app.plain(app_data.reader_warning(warning, lang)))
    with st.expander(tr("data.summary_text")):
        st.code(app_data.summary_text(info, lang), language=None)


def show_charts(frame: pd.DataFrame) -> None:
    import altair as alt  # here: 0.2 s to import, and the first page has no chart yet

    queues = sorted(frame["queue"].astype(str).unique())
    chosen = st.multiselect(
        tr("data.chart_queues"),
        queues,
        key=state.key("chart_queues"),
        placeholder=tr("data.all_queues"),
    )
    state.keep("chart_queues")
    shown = frame[frame["queue"].astype(str).isin(chosen)] if chosen else frame

    st.subheader(tr("data.daily_title"))
    daily = app_data.daily_volume(shown)
    chart = (
        alt.Chart(daily)
        .mark_line()
        .encode(
            x=alt.X("date:T", title=tr("data.date"), axis=alt.Axis(format="%m/%Y")),
            y=alt.Y("offered:Q", title=tr("data.offered")),
            color=alt.Color("queue:N", title=tr("data.queue")),
            tooltip=["date:T", "queue:N", "offered:Q"],
        )
        .properties(height=320)
    )
    st.altair_chart(chart, width="stretch")

    st.subheader(tr("data.heatmap_title"))
    heat = app_data.weekday_interval_mean(shown, queues=chosen or None)
    heat["day"] = [weekday_names()[d] for d in heat["weekday"]]
    rect = (
        alt.Chart(heat)
        .mark_rect()
        .encode(
            x=alt.X("time:O", title=tr("data.time"), axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("day:O", title=tr("data.weekday"), sort=weekday_names()),
            color=alt.Color("value:Q", title=tr("data.mean_calls")),
            tooltip=["day:O", "time:O", alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(height=260)
    )
    st.altair_chart(rect, width="stretch")


def main() -> None:
    st.title(tr("data.title"))
    st.caption(tr("data.intro"))
    state.choose("source", ["default", "upload"])
    source = st.radio(
        tr("data.source"),
        ["default", "upload"],
        format_func=app.labels("data.source."),
        key=state.key("source"),
        horizontal=True,
    )
    state.keep("source")
    if source == "upload":
        st.file_uploader(
            tr("data.upload"),
            type=["csv", "txt", "xlsx", "parquet"],
            key=state.key("upload"),
            help=tr("data.upload_help"),
        )
    anomalies = st.text_input(
        tr("data.anomalies"), key=state.key("anomalies"), help=tr("data.anomalies_help")
    )
    state.keep("anomalies")
    days = [d.strip() for d in anomalies.replace(";", ",").split(",") if d.strip()]

    refused = False
    if st.button(tr("data.load"), key=state.key("load"), type="primary"):
        with st.spinner(tr("data.loading")):
            loaded = load(source, days)
        if loaded is not None:
            st.session_state[app_data.HISTORY_KEY] = loaded
            state.set("loaded_from", source)
        refused = loaded is None

    loaded = st.session_state.get(app_data.HISTORY_KEY)
    if loaded is None:
        st.info(tr("data.none_loaded"))
        return
    # after a refused file the history loaded before stays, and the page says so
    banner = st.info if refused else st.success
    banner(
        tr(
            "data.kept" if refused else "data.loaded",
            name=app.plain(loaded.summary.name),
            rows=number(len(loaded.frame), 0, app.language()),
        )
    )
    show_summary(loaded)
    show_charts(loaded.frame)

    st.subheader(tr("data.save_title"))
    app.save_controls(
        state,
        "dataset",
        loaded.frame,
        meta={"source": loaded.summary.name, "anomalies": days},
    )


with app.guard():
    main()
