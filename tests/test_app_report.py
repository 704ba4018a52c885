"""The Rapport page: weekly and monthly KPIs against the SLA from actuals, charts, downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from app_fixtures import charts, mark_of, open_page, small_history
from openpyxl import load_workbook

from app_support.data import TZ


@pytest.fixture(autouse=True)
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    yield
    st.cache_resource.clear()


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def by_hand(period: str, kind: str) -> tuple[int, float]:
    """Offered calls and the SLA answer rate answered / (offered - short abandons) of a period,
    summed straight from the history."""
    frame = small_history().frame
    local = frame["interval_start"].dt.tz_convert(TZ)
    if kind == "week":
        iso = local.dt.isocalendar()
        key = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    else:
        key = local.dt.strftime("%Y-%m")
    part = frame[key.to_numpy() == period]
    offered = int(part["offered"].sum())
    rate = part["answered"].sum() / (part["offered"].sum() - part["abandoned_short"].sum())
    return offered, float(rate)


def test_without_data_the_page_points_to_the_data_page() -> None:
    at = open_page("report")
    assert not at.exception
    assert at.info[0].value == "Indlæs data på siden Data først."


def test_weekly_report_of_the_last_week() -> None:
    at = open_page("report", history=small_history())
    assert not at.exception and not at.error
    week = at.selectbox(key="report:period").value
    last = small_history().frame["interval_start"].max().tz_convert(TZ).isocalendar()
    assert week == f"{last.year}-W{last.week:02d}"
    offered, rate = by_hand(week, "week")
    assert metric(at, "Tilbudte") == f"{offered:,}".replace(",", ".")
    assert metric(at, "Svarprocent") == f"{rate:.1%}"
    summary = at.dataframe[0].value
    assert len(summary) == 1 + len(small_history().summary.queues)  # the centre + each queue
    (bars_spec, days), (trend_spec, trend) = charts(at)
    assert mark_of(bars_spec) == ["bar", "rule"] and mark_of(trend_spec) == ["line"]
    assert 1 <= len(days) <= 7
    assert len(trend) == 8  # the trend covers the last 8 weeks with data


def test_monthly_report_and_goal_changes() -> None:
    at = open_page("report", history=small_history())
    at.segmented_control(key="report:kind").set_value("month").run()
    assert not at.exception and not at.error
    month = at.selectbox(key="report:period").value
    offered, rate = by_hand(month, "month")
    assert metric(at, "Tilbudte") == f"{offered:,}".replace(",", ".")
    assert metric(at, "Svarprocent") == f"{rate:.1%}"
    # A goal below the achieved rate and a lenient wait and FCR goal: the centre meets them.
    at.number_input(key="report:g_answer").set_value(max(1.0, rate * 100 - 5)).run()
    at.number_input(key="report:g_fcr").set_value(1.0).run()
    at.number_input(key="report:g_asa").set_value(3600.0).run()
    assert at.success[0].value == "Centret når målene i perioden."


def test_excel_and_pdf_downloads() -> None:
    at = open_page("report", history=small_history())
    at.button(key="report:make.xlsx").click().run()
    at.button(key="report:make.pdf").click().run()
    assert not at.exception and not at.error
    xlsx = at.session_state["report:file.xlsx"][1]
    pdf = at.session_state["report:file.pdf"][1]
    assert pdf.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(xlsx))
    assert len(book.sheetnames) >= 2
