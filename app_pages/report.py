"""Rapport: the weekly, monthly and quarterly report against the SLA goals, from the loaded
actuals: each goal with its figure and met / not met (the centre first, then each queue),
charts, and an Excel or PDF download in the app's language."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from app_support import data as app_data
from app_support import shell as app
from app_support.i18n import short_date
from app_support.shell import tr
from planner.io.report_export import format_value, goal_table, misses_table, report_notes
from planner.pipeline import SLA
from staffing.kpi import ALL_QUEUES, SlaGoals
from staffing.simulation.reports import KINDS, Report, available_periods, make_report

state = app.PageState("report")


def period_label(period: str, tl=tr) -> str:
    """A report period as planners say it: ``2026-W47`` -> Uge 47 2026, ``2026-11`` ->
    november 2026, ``2026-Q4`` -> 4. kvartal 2026 (other labels as they are)."""
    week = re.fullmatch(r"(\d{4})-W(\d{2})", period)
    if week:
        return tl("rpx.week", week=int(week.group(2)), year=week.group(1))
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if month:
        return f"{tl(f'rpx.month.{int(month.group(2))}')} {month.group(1)}"
    quarter = re.fullmatch(r"(\d{4})-Q(\d)", period)
    if quarter:
        return tl("rpx.quarter", quarter=quarter.group(2), year=quarter.group(1))
    return period


def with_days(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``table`` with its day column's ISO dates as planners write them (man. 23/11)."""
    column = tr("report.col.date")
    if column not in table.columns:
        return table
    days = pd.to_datetime(table[column].astype(str), errors="coerce")
    shown = [
        short_date(d.date(), lang) if pd.notna(d) else str(v)
        for d, v in zip(days, table[column], strict=True)
    ]
    return table.assign(**{column: shown})


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


def _goal_rule(goal: float | None) -> list[alt.Chart]:
    """The answer-rate goal as a dashed red line (none when the goal is off)."""
    if goal is None:
        return []
    rule = alt.Chart(pd.DataFrame({"goal": [goal]})).mark_rule(color="red", strokeDash=[6, 3])
    return [rule.encode(y="goal:Q")]


def answer_chart(report: Report) -> alt.LayerChart:
    """The answer rate per period of the report (the centre), points on an axis around the
    figures and the goal (bars from a cut axis would mislead; a 0-100 % axis hides a point)."""
    key = report.breakdown_key
    data = report.breakdown[report.breakdown["queue"] == ALL_QUEUES][[key, "answer_rate"]].copy()
    data[key] = data[key].astype(str)
    domain = app_data.rate_domain(data["answer_rate"], report.goals.answer_rate)
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X(f"{key}:O", title=tr(f"report.col.{key}")),
            y=alt.Y(
                "answer_rate:Q",
                title=tr("report.col.answer_rate"),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=domain),
            ),
            tooltip=[f"{key}:O", alt.Tooltip("answer_rate:Q", format=".1%")],
        )
    )
    return alt.layer(points, *_goal_rule(report.goals.answer_rate)).properties(height=280)


def trend_chart(report: Report) -> alt.LayerChart:
    """The answer rate over the trend's periods with the goal drawn, on an axis around both."""
    key = report.trend_key
    data = report.trend[[key, "answer_rate", "asa_seconds"]].copy()
    domain = app_data.rate_domain(data["answer_rate"], report.goals.answer_rate)
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{key}:O", title=tr(f"report.col.{key}")),
            y=alt.Y(
                "answer_rate:Q",
                title=tr("report.col.answer_rate"),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=domain),
            ),
            tooltip=[f"{key}:O", alt.Tooltip("answer_rate:Q", format=".1%"), "asa_seconds:Q"],
        )
    )
    return alt.layer(line, *_goal_rule(report.goals.answer_rate)).properties(height=240)


def main() -> None:
    st.title(tr("rp.title"))
    st.caption(tr("rp.lead"))
    loaded = st.session_state.get(app_data.HISTORY_KEY)
    if loaded is None:
        st.info(tr("data.need_first"))
        return
    counts = loaded.frame
    lang = app.language()
    kind = st.segmented_control(
        tr("rp.kind"),
        list(KINDS),
        format_func=app.labels("rp.kind."),
        key=state.key("kind"),
        default="week",
        required=True,
    )
    periods = available_periods(counts, kind)[::-1]
    state.choose("period", periods)
    tl = app.translator()
    period = st.selectbox(
        tr("rp.period"),
        periods,
        format_func=lambda p: period_label(p, tl),
        key=state.key("period"),
    )
    state.keep("period")
    sla = goals()
    report = make_report(counts, kind, sla, period=period)
    state.set("report", report)

    centre = report.centre
    cols = st.columns(4)
    for col, measure in zip(cols, ("offered", "answer_rate", "fcr", "asa_seconds")):
        col.metric(tr(f"report.col.{measure}"), format_value(measure, centre[measure], lang))
    if bool(centre["meets_sla"]):
        st.success(tr("rp.meets"))
    else:
        st.warning(tr("rp.misses", count=len(report.misses)))
    st.caption("  \n".join(report_notes(report, lang)))

    st.subheader(tr("rp.summary"))
    st.dataframe(goal_table(report, lang), width="stretch", hide_index=True)
    st.subheader(tr(f"rp.breakdown.{kind}"))
    st.altair_chart(answer_chart(report), width="stretch")
    st.subheader(tr("rp.trend"))
    st.altair_chart(trend_chart(report), width="stretch")
    if len(report.misses):
        with st.expander(tr("rp.misses_table", count=len(report.misses))):
            misses = with_days(misses_table(report, lang), lang)
            st.dataframe(misses, width="stretch", hide_index=True)

    st.subheader(tr("rp.download"))
    cols = st.columns(2)
    for col, suffix, mime in (
        (cols[0], ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (cols[1], ".pdf", "application/pdf"),
    ):
        made = state.get(f"file{suffix}")
        wanted = (kind, period, sla, lang)
        if made is not None and made[0] == wanted:
            col.download_button(
                tr(f"rp.download{suffix}"),
                data=made[1],
                file_name=f"{tr('rp.file')}_{period}{suffix}",
                mime=mime,
                key=state.key(f"dl{suffix}"),
                icon=":material/download:",
            )
        elif col.button(tr(f"rp.make{suffix}"), key=state.key(f"make{suffix}")):
            with st.spinner(tr("rp.making")):
                made = app_data.report_bytes(report, suffix, language=lang)
                state.set(f"file{suffix}", (wanted, made))
            st.rerun()


with app.guard():
    main()
