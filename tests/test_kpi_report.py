"""Weekly and monthly reports against the SLA goals, and their Excel and PDF exports.

The quarterly report, the goal table, the text rendering and the languages are in
test_report_quarterly.py."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from planner.io.report_export import (
    report_notes,
    report_title,
    write_report,
    write_report_excel,
    write_report_pdf,
)
from staffing import kpi
from staffing.simulation.reports import available_periods, monthly_report, weekly_report

TZ = "Europe/Copenhagen"


def _history() -> pd.DataFrame:
    """Two queues, 23 Feb to 10 Apr 2026 (weekdays), 4 intervals a day; Mondays are bad days."""
    days = [d for d in pd.date_range("2026-02-23", "2026-04-10", freq="D") if d.weekday() < 5]
    rows = []
    for day in days:
        for queue, offered in (("Dagpenge", 50), ("Kontanthjælp", 30)):
            for k in range(4):
                start = pd.Timestamp(day, tz=TZ) + pd.Timedelta(hours=10, minutes=15 * k)
                bad = day.weekday() == 0 and queue == "Dagpenge"
                abandoned = 10 if bad else 2
                rows.append(
                    {
                        "interval_start": start,
                        "queue": queue,
                        "offered": offered,
                        "answered": offered - abandoned,
                        "abandoned": abandoned,
                        "abandoned_short": 1,
                        "transferred": (offered - abandoned) // 3,
                        "aht_seconds": 280.0,
                        "asa_seconds": 200.0 if bad else 40.0,
                    }
                )
    return pd.DataFrame(rows)


def test_weekly_report_tables_and_goals():
    history = _history()
    assert available_periods(history, "week")[:2] == ["2026-W09", "2026-W10"]
    report = weekly_report(history, week="2026-W10")
    assert report_title(report) == "Ugerapport, uge 2026-W10"
    assert report_title(report, "en") == "Weekly service report, week 2026-W10"
    assert (report.first_day.isoformat(), report.last_day.isoformat(), report.days) == (
        "2026-03-02",
        "2026-03-06",
        5,
    )
    summary = report.summary
    assert summary["queue"].tolist() == [kpi.ALL_QUEUES, "Dagpenge", "Kontanthjælp"]
    # Dagpenge: Monday 4 x (40 answered of 50, 1 short), other days 4 x (48 of 50, 1 short).
    dag = summary.set_index("queue").loc["Dagpenge"]
    assert dag["answer_rate"] == pytest.approx((4 * 40 + 16 * 48) / (20 * 49))
    assert bool(dag["meets_answer_rate"]) is True  # 928 / 980 = 94.7 %
    by_day = report.breakdown
    monday = by_day[(by_day["queue"] == "Dagpenge") & (by_day["date"].astype(str) == "2026-03-02")]
    assert monday["answer_rate"].iloc[0] == pytest.approx(160 / 196)
    assert not monday["meets_sla"].iloc[0]
    misses = report.misses
    assert misses["queue"].unique().tolist() == ["Dagpenge"]
    assert misses["missed"].iloc[0] == "answer_rate;asa_seconds"
    assert report.trend["week"].tolist() == ["2026-W09", "2026-W10"]
    # No service-level goal by default; with one, the notes say the source cannot give it.
    assert not any("Service level" in note for note in report_notes(report, "en"))
    goals = kpi.SlaGoals(service_level=0.8)
    with_sl = weekly_report(history, goals, week="2026-W10")
    assert any("Service level" in note for note in report_notes(with_sl, "en"))
    assert any("Serviceniveau" in note for note in report_notes(with_sl))


def test_monthly_report_weeks_add_up_to_the_month():
    history = _history()
    report = monthly_report(history, month="2026-03", history_periods=3)
    centre = report.summary.iloc[0]
    weeks = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES]
    # March 2026: W10 (2-6 Mar) ... W14 cut at 31 Mar (Mon-Tue only).
    assert weeks["week"].tolist() == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    assert weeks["offered"].sum() == centre["offered"]
    assert centre["offered"] == 22 * 4 * 80  # 22 weekdays in March 2026
    assert report.trend["month"].tolist() == ["2026-02", "2026-03"]
    assert monthly_report(history).period == "2026-04"
    with pytest.raises(ValueError, match="month '2025-01' has no data"):
        monthly_report(history, month="2025-01")


def test_a_simulation_reports_like_history():
    history = _history()
    sim = history.assign(replication=0)
    sim2 = history.assign(
        replication=1, answered=history["answered"] - 1, abandoned=history["abandoned"] + 1
    )
    from staffing.simulation.engine import SimulationResult

    result = SimulationResult(pd.concat([sim, sim2], ignore_index=True), 2, 0)
    mean = result.mean_counts()
    report = weekly_report(mean, week="2026-W10", source="simulated")
    assert report.summary["offered"].iloc[0] == 5 * 4 * 80
    assert report.summary["answered"].iloc[0] == pytest.approx(
        weekly_report(history, week="2026-W10").summary["answered"].iloc[0] - 20
    )


def test_excel_export_has_tables_and_charts(tmp_path):
    report = weekly_report(_history(), week="2026-W10")
    path = write_report(report, tmp_path / "week.xlsx")
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) >= 4
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    assert list(sheets) == ["Oversigt", "Pr. dag", "Udvikling (uger)", "Mål ikke nået"]
    summary = sheets["Oversigt"]
    assert summary.iloc[0, 0] == "Ugerapport, uge 2026-W10"
    header = summary.index[summary[0] == "Kø"][0]  # the goal table, the centre first
    assert summary.iloc[header + 1, 0] == "Alle køer"
    # Dagpenge: 928 / 980 answered (SLA formula) in the week, read back as a number.
    dagpenge = summary.index[summary[0] == "Dagpenge"][0]
    assert summary.iloc[dagpenge, 2] == pytest.approx(928 / 980)
    month = monthly_report(_history(), month="2026-03")
    write_report_excel(month, tmp_path / "month.xlsx", language="en")
    assert list(pd.read_excel(tmp_path / "month.xlsx", sheet_name=None)) == [
        "Summary",
        "By week",
        "Trend (months)",
        "Missed goals",
    ]


def test_pdf_export_has_two_pages(tmp_path):
    report = monthly_report(_history(), month="2026-03")
    path = write_report_pdf(report, tmp_path / "month.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert (
        data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")
        >= 2
        or data.count(b"/Page") >= 3
    )
    with pytest.raises(ValueError, match="must end in .xlsx or .pdf"):
        write_report(report, tmp_path / "month.docx")


def test_reports_reject_empty_and_bad_arguments():
    empty = _history().iloc[:0]
    with pytest.raises(ValueError, match="nothing to report"):
        weekly_report(empty)
    with pytest.raises(ValueError, match="history_periods must be >= 1"):
        weekly_report(_history(), history_periods=0)
    with pytest.raises(ValueError, match="kind must be 'week', 'month' or 'quarter'"):
        available_periods(_history(), "year")
    assert np.isfinite(weekly_report(_history()).summary["answer_rate"]).all()
