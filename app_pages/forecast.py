"""Prognose: forecast per queue and interval with its 80 % band; model choice, backtest
figures, events and manual adjustments, actual against forecast where actuals exist."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_support import data as app_data
from app_support import shell as app
from app_support.i18n import number
from app_support.shell import tr
from forecast.events import Event
from forecast.models import DEFAULT_MODEL, MODELS

state = app.PageState("forecast")


def date_format() -> str:
    """How the date fields show a day: ``20.11.2026`` in Danish, ISO in English."""
    return "DD.MM.YYYY" if app.language() == "da" else "YYYY-MM-DD"


def band_chart(table: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(table).encode(
        x=alt.X("interval_start:T", title=tr("fc.time"), axis=alt.Axis(format="%d/%m")),
        detail="stretch:N",
    )
    band = base.mark_area(opacity=0.3).encode(
        y=alt.Y("offered_lo:Q", title=tr("fc.calls")), y2="offered_hi:Q"
    )
    line = base.mark_line().encode(y="offered:Q", tooltip=["interval_start:T", "offered:Q"])
    layers = [band, line]
    if table["actual"].notna().any():
        layers.append(base.mark_line(color="black", strokeDash=[4, 3]).encode(y="actual:Q"))
    return alt.layer(*layers).properties(height=340)


def events_form(queues: list[str], start: dt.date) -> None:
    events: list[Event] = state.setdefault("events", [])
    with st.expander(tr("fc.events_title"), expanded=bool(events)):
        with st.form(state.key("event_form"), clear_on_submit=True):
            name = st.text_input(tr("fc.event_name"))
            chosen = st.multiselect(tr("fc.event_queues"), queues)
            cols = st.columns(2)
            first = cols[0].date_input(tr("fc.event_start"), value=start, format=date_format())
            last = cols[1].date_input(tr("fc.event_end"), value=start, format=date_format())
            kind = st.radio(
                tr("fc.event_kind"),
                ["adjustment", "event"],
                format_func=app.labels("fc.kind."),
                horizontal=True,
            )
            how = st.radio(
                tr("fc.event_how"),
                ["percent", "calls"],
                format_func=app.labels("fc.how."),
                horizontal=True,
            )
            size = st.number_input(tr("fc.event_size"), value=10.0, step=5.0)
            if st.form_submit_button(tr("fc.event_add")):
                lift = size / 100.0 if how == "percent" else None
                calls = size if how == "calls" else None
                try:
                    events.append(
                        Event(
                            name=name or tr("fc.event_default_name"),
                            queues=tuple(chosen),
                            start=first,
                            end=last,
                            lift=lift,
                            calls=calls,
                            kind=kind,
                        )
                    )
                except ValueError as exc:
                    app.show_error(exc)
        lang = app.language()
        for i, event in enumerate(list(events)):
            left, right = st.columns([5, 1])
            left.write(app.plain(app_data.event_text(event, lang)))
            if right.button(tr("fc.event_remove"), key=state.key(f"remove_{i}")):
                events.pop(i)
                st.rerun()


def main() -> None:
    st.title(tr("fc.title"))
    st.caption(tr("fc.intro"))
    loaded = st.session_state.get(app_data.HISTORY_KEY)
    if loaded is None:
        st.info(tr("data.need_first"))
        return
    frame = loaded.frame
    last_day = frame["interval_start"].max().tz_convert(app_data.TZ).date()
    queues = sorted(frame["queue"].astype(str).unique())

    models = list(MODELS)
    if state.get("model") not in models:
        state.set("model", "glm" if "glm" in models else DEFAULT_MODEL)
    cols = st.columns(3)
    model = cols[0].selectbox(
        tr("fc.model"),
        models,
        format_func=app.labels("fc.model."),
        key=state.key("model"),
    )
    state.setdefault("start", last_day + dt.timedelta(days=1))
    state.setdefault("days", 14)
    start = cols[1].date_input(tr("fc.start"), key=state.key("start"), format=date_format())
    days = cols[2].number_input(tr("fc.days"), min_value=1, max_value=63, key=state.key("days"))
    state.keep("model", "start", "days")
    lang = app.language()
    st.caption(tr("fc.start_help", last=app_data.day_text(last_day, lang)))

    if st.button(tr("fc.make"), key=state.key("make"), type="primary"):
        progress = st.progress(0, text=tr("fc.fitting"))
        with st.spinner(tr("fc.fitting")):
            result = app_data.make_forecast(frame, model, start, int(days))
        progress.progress(100, text=tr("fc.done"))
        state.set("base", result)
        state.set("made_with", {"model": model, "start": start.isoformat(), "days": int(days)})

    base = state.get("base")
    events_form(queues, start)
    if base is None:
        st.info(tr("fc.none_yet"))
    else:
        adjusted, adjustments = app_data.forecast_with_events(base, state.get("events", []))
        st.session_state[app_data.FORECAST_KEY] = adjusted
        made = state.get("made_with", {})
        st.success(
            tr(
                "fc.made",
                model=tr(f"fc.model.{made.get('model', model)}"),
                rows=number(len(adjusted), 0, lang),
            )
        )
        volume = adjusted.groupby("queue", observed=True)["offered"].sum()
        fq = [str(q) for q in volume.sort_values(ascending=False).index]  # busiest first
        state.choose("queue", fq)
        queue = st.selectbox(tr("fc.queue"), fq, key=state.key("queue"))
        state.keep("queue")
        table = app_data.forecast_vs_actual(adjusted, frame, queue)
        st.altair_chart(band_chart(table), width="stretch")
        st.caption(tr("fc.chart_help"))
        if table["actual"].notna().any():
            st.caption(tr("fc.has_actuals", count=int(table["actual"].notna().sum())))
        totals = adjusted.groupby("queue", observed=True)[["offered", "offered_lo", "offered_hi"]]
        totals = totals.sum().reset_index()
        shown = app_data.display_table(totals, lang, {c: "count" for c in totals.columns[1:]})
        shown.columns = [tr("data.queue"), tr("fc.col.offered"), tr("fc.col.lo"), tr("fc.col.hi")]
        st.dataframe(shown, width="stretch", hide_index=True)
        if len(adjustments):
            st.caption(tr("fc.adjusted", calls=number(adjustments["added"].sum(), 0, lang)))
        st.subheader(tr("fc.save_title"))
        app.save_controls(state, "forecast", adjusted, meta=made)

    st.subheader(tr("fc.backtest_title"))
    st.caption(tr("fc.backtest_help"))
    if st.button(tr("fc.backtest"), key=state.key("backtest")):
        with st.spinner(tr("fc.backtesting")):
            state.set("scores", app_data.run_backtest(frame, model))
    scores = state.get("scores")
    if scores is not None:  # the library's scores in the session; on screen in words
        st.dataframe(app_data.display_table(scores, lang), width="stretch", hide_index=True)


with app.guard():
    main()
