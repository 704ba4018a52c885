"""Rapport: the weekly and monthly KPI report against the SLA, from the loaded actuals, with
tables, charts and an Excel or PDF download."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_support import data as app_data
from app_support import shell as app
from app_support.shell import tr
from planner.pipeline import SLA
from staffing.kpi import ALL_QUEUES, SlaGoals
from staffing.simulation.reports import Report, available_periods, monthly_report, weekly_report

state = app.PageState("report")


SHOWN = ("offered", "answered", "abandoned", "answer_rate", "fcr", "asa_seconds", "abandon_rate")


def goals() -> SlaGoals:
    cols = st.columns(3)
    answer = app_data.kept_number(
        state,
        cols[0],
        tr("rp.goal_answer_rate"),
        "g_answer",
        1.0,
        100.0,
        100 * SLA.answer_rate,
        1.0,
    )
    fcr = app_data.kept_number(
        state, cols[1], tr("rp.goal_fcr"), "g_fcr", 1.0, 100.0, 100 * SLA.fcr, 1.0
    )
    asa = app_data.kept_number(
        state, cols[2], tr("rp.goal_asa"), "g_asa", 1.0, 3600.0, SLA.asa_seconds, 10.0
    )
    return SlaGoals(answer_rate=answer / 100.0, fcr=fcr / 100.0, asa_seconds=asa)


def table(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    columns = [*keys, *[c for c in SHOWN if c in frame], "meets_sla"]
    out = frame[[c for c in columns if c in frame]].copy()
    for col in ("answer_rate", "fcr", "abandon_rate"):
        if col in out:
            out[col] = (out[col] * 100).round(1)
    if "asa_seconds" in out:
        out["asa_seconds"] = out["asa_seconds"].round(0)
    return out.rename(columns={c: tr(f"rp.col.{c}") for c in out.columns if c in _COLS})


_COLS = (*SHOWN, "meets_sla", "queue", "date", "week", "month")


def _shown(value: object, pattern: str) -> str:
    """A figure for a metric; a measure the source cannot give (NaN) shows as a dash."""
    return "–" if pd.isna(value) else pattern.format(value)


def answer_chart(report: Report) -> alt.LayerChart:
    key = report.breakdown_key
    data = report.breakdown[report.breakdown["queue"] == ALL_QUEUES][[key, "answer_rate"]].copy()
    data[key] = data[key].astype(str)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{key}:O", title=tr(f"rp.col.{key}")),
            y=alt.Y("answer_rate:Q", title=tr("rp.col.answer_rate"), axis=alt.Axis(format="%")),
            tooltip=[f"{key}:O", alt.Tooltip("answer_rate:Q", format=".1%")],
        )
    )
    goal = (
        alt.Chart(pd.DataFrame({"goal": [report.goals.answer_rate]}))
        .mark_rule(color="red", strokeDash=[6, 3])
        .encode(y="goal:Q")
    )
    return alt.layer(bars, goal).properties(height=280)


def trend_chart(report: Report) -> alt.Chart:
    key = report.trend_key
    data = report.trend[[key, "answer_rate", "asa_seconds"]].copy()
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{key}:O", title=tr(f"rp.col.{key}")),
            y=alt.Y("answer_rate:Q", title=tr("rp.col.answer_rate"), axis=alt.Axis(format="%")),
            tooltip=[f"{key}:O", alt.Tooltip("answer_rate:Q", format=".1%"), "asa_seconds:Q"],
        )
        .properties(height=240)
    )


def main() -> None:
    st.title(tr("rp.title"))
    st.caption(tr("rp.intro"))
    loaded = st.session_state.get(app_data.HISTORY_KEY)
    if loaded is None:
        st.info(tr("data.need_first"))
        return
    counts = loaded.frame
    kind = st.segmented_control(
        tr("rp.kind"),
        ["week", "month"],
        format_func=app.labels("rp.kind."),
        key=state.key("kind"),
        default="week",
        required=True,
    )
    periods = available_periods(counts, kind)[::-1]
    state.choose("period", periods)
    period = st.selectbox(tr("rp.period"), periods, key=state.key("period"))
    state.keep("period")
    sla = goals()
    build = weekly_report if kind == "week" else monthly_report
    period_arg = {"week": period} if kind == "week" else {"month": period}
    report = build(counts, sla, **period_arg)
    state.set("report", report)

    centre = report.summary[report.summary["queue"] == ALL_QUEUES].iloc[0]
    cols = st.columns(4)
    cols[0].metric(tr("rp.col.offered"), f"{int(centre['offered']):,}".replace(",", "."))
    cols[1].metric(tr("rp.col.answer_rate"), _shown(centre["answer_rate"], "{:.1%}"))
    cols[2].metric(tr("rp.col.fcr"), _shown(centre["fcr"], "{:.1%}"))
    cols[3].metric(tr("rp.col.asa_seconds"), _shown(centre["asa_seconds"], "{:.0f} s"))
    if bool(centre["meets_sla"]):
        st.success(tr("rp.meets"))
    else:
        st.warning(tr("rp.misses", count=len(report.misses)))

    st.subheader(tr("rp.summary"))
    st.dataframe(table(report.summary, ["queue"]), width="stretch", hide_index=True)
    st.subheader(tr(f"rp.breakdown.{kind}"))
    st.altair_chart(answer_chart(report), width="stretch")
    st.subheader(tr("rp.trend"))
    st.altair_chart(trend_chart(report), width="stretch")
    if len(report.misses):
        with st.expander(tr("rp.misses_table", count=len(report.misses))):
            st.dataframe(
                table(report.misses, ["queue", report.breakdown_key]),
                width="stretch",
                hide_index=True,
            )

    st.subheader(tr("rp.download"))
    cols = st.columns(2)
    for col, suffix, mime in (
        (cols[0], ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (cols[1], ".pdf", "application/pdf"),
    ):
        made = state.get(f"file{suffix}")
        if made is not None and made[0] == (kind, period, sla):
            col.download_button(
                tr(f"rp.download{suffix}"),
                data=made[1],
                file_name=f"rapport_{period}{suffix}",
                mime=mime,
                key=state.key(f"dl{suffix}"),
                icon=":material/download:",
            )
        elif col.button(tr(f"rp.make{suffix}"), key=state.key(f"make{suffix}")):
            with st.spinner(tr("rp.making")):
                state.set(
                    f"file{suffix}", ((kind, period, sla), app_data.report_bytes(report, suffix))
                )
            st.rerun()


with app.guard():
    main()
