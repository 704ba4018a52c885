"""The quarterly report (document 002: quarterly to the follow-up group), the goal table with
met / not met, the plain-text rendering and the report's languages (Danish by default).

Expected figures are summed straight from the input counts in the tests, with the SLA's formula
for the answer rate: answered / (offered - abandoned within 40 s)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.io.report_export import (
    TEXTS,
    format_value,
    goal_table,
    misses_table,
    report_text,
    write_report,
)
from staffing import kpi
from staffing.simulation.reports import (
    available_periods,
    make_report,
    monthly_report,
    quarterly_report,
)

TZ = "Europe/Copenhagen"


def _random_history() -> pd.DataFrame:
    """Three queues, 1 Jan to 15 Oct 2026, weekdays 09:00-10:45, random counts (seed 7)."""
    rng = np.random.default_rng(7)
    days = [d for d in pd.date_range("2026-01-01", "2026-10-15", freq="D") if d.weekday() < 5]
    rows = []
    for day in days:
        for queue in ("Dagpenge", "Kontanthjælp", "Sygeopfølgning"):
            for k in range(8):
                offered = int(rng.integers(5, 60))
                abandoned = int(rng.integers(0, max(1, offered // 5)))
                answered = offered - abandoned
                rows.append(
                    {
                        "interval_start": pd.Timestamp(day, tz=TZ)
                        + pd.Timedelta(hours=9, minutes=15 * k),
                        "queue": queue,
                        "offered": offered,
                        "answered": answered,
                        "abandoned": abandoned,
                        "abandoned_short": int(rng.integers(0, abandoned + 1)),
                        "transferred": int(rng.integers(0, answered + 1) // 2),
                        "aht_seconds": 300.0,
                        "asa_seconds": float(rng.uniform(5, 300)),
                    }
                )
    # A call at 00:15 on 1 October, local time: still 30 September in UTC, but the fourth
    # quarter in Copenhagen, where the centre reports.
    rows.append(
        {
            "interval_start": pd.Timestamp("2026-10-01 00:15", tz=TZ),
            "queue": "Dagpenge",
            "offered": 3,
            "answered": 2,
            "abandoned": 1,
            "abandoned_short": 0,
            "transferred": 1,
            "aht_seconds": 300.0,
            "asa_seconds": 30.0,
        }
    )
    return pd.DataFrame(rows)


def _by_hand(part: pd.DataFrame) -> dict[str, float]:
    """Offered and the three SLA measures of ``part``, from summed counts."""
    answered = part["answered"].sum()
    return {
        "offered": float(part["offered"].sum()),
        "answer_rate": answered / (part["offered"].sum() - part["abandoned_short"].sum()),
        "fcr": (answered - part["transferred"].sum()) / answered,
        "asa_seconds": (part["asa_seconds"] * part["answered"]).sum() / answered,
    }


def _between(frame: pd.DataFrame, first: str, stop: str) -> pd.DataFrame:
    local = frame["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None)
    return frame[(local >= pd.Timestamp(first)) & (local < pd.Timestamp(stop))]


def test_quarter_centre_and_queues_are_the_ratios_of_the_summed_counts() -> None:
    history = _random_history()
    assert available_periods(history, "quarter") == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    report = quarterly_report(history, quarter="2026-Q3")
    assert report.kind == "quarter" and report.breakdown_key == "month"
    summary = report.summary.set_index("queue")
    assert summary.index.tolist() == [kpi.ALL_QUEUES, "Dagpenge", "Kontanthjælp", "Sygeopfølgning"]
    quarter = _between(history, "2026-07-01", "2026-10-01")
    for queue, part in [(kpi.ALL_QUEUES, quarter), *quarter.groupby("queue")]:
        expected = _by_hand(part)
        for measure, value in expected.items():
            assert summary.loc[queue, measure] == pytest.approx(value, rel=1e-12), (queue, measure)
    # The call at 00:15 on 1 October (local) belongs to the fourth quarter.
    q4 = quarterly_report(history).summary.iloc[0]
    assert q4["offered"] == _between(history, "2026-10-01", "2027-01-01")["offered"].sum()
    assert quarterly_report(history).period == "2026-Q4"


def test_the_quarters_months_add_up_to_the_quarter_and_match_the_monthly_reports() -> None:
    history = _random_history()
    report = quarterly_report(history, quarter="2026-Q2")
    months = report.breakdown
    centre = months[months["queue"] == kpi.ALL_QUEUES]
    assert centre["month"].tolist() == ["2026-04", "2026-05", "2026-06"]
    counts = ["offered", "answered", "abandoned", "abandoned_short", "transferred"]
    for queue, rows in months.groupby("queue"):
        row = report.summary.set_index("queue").loc[queue]
        for col in counts:
            assert rows[col].sum() == pytest.approx(row[col]), (queue, col)
    # Each month of the breakdown is the monthly report of that month (same kpi functions).
    for month, rate in zip(centre["month"], centre["answer_rate"]):
        assert monthly_report(history, month=month).centre["answer_rate"] == pytest.approx(rate)
        start = pd.Timestamp(f"{month}-01")
        part = _between(history, str(start.date()), str((start + pd.offsets.MonthBegin()).date()))
        assert rate == pytest.approx(_by_hand(part)["answer_rate"])


def test_the_trend_covers_the_previous_quarters() -> None:
    history = _random_history()
    report = quarterly_report(history, quarter="2026-Q3")
    assert report.trend["quarter"].tolist() == ["2026-Q1", "2026-Q2", "2026-Q3"]
    first = report.trend.set_index("quarter").loc["2026-Q1"]
    assert first["answer_rate"] == pytest.approx(
        _by_hand(_between(history, "2026-01-01", "2026-04-01"))["answer_rate"]
    )
    assert report.trend.iloc[-1]["offered"] == report.centre["offered"]
    short = quarterly_report(history, quarter="2026-Q3", history_periods=2)
    assert short.trend["quarter"].tolist() == ["2026-Q2", "2026-Q3"]
    with pytest.raises(ValueError, match="quarter '2025-Q4' has no data"):
        quarterly_report(history, quarter="2025-Q4")
    with pytest.raises(ValueError, match="kind must be 'week', 'month' or 'quarter'"):
        make_report(history, "year")


def _planted() -> pd.DataFrame:
    """Two queues, July and September 2026, one interval each, with hand-made counts.

    Dagpenge: July 530 of 600 answered (10 short abandons, 200 transferred), September 370 of
    400 (10 short, 100 transferred), 140 s wait both months. Sygeopfølgning: 240 of 250
    answered each month (5 short), nothing transferred, 200 s wait in July, 120 s in September.
    """
    rows = [
        ("2026-07-06 10:00", "Dagpenge", 600, 530, 70, 10, 200, 140.0),
        ("2026-09-07 10:00", "Dagpenge", 400, 370, 30, 10, 100, 140.0),
        ("2026-07-06 10:00", "Sygeopfølgning", 250, 240, 10, 5, 0, 200.0),
        ("2026-09-07 10:00", "Sygeopfølgning", 250, 240, 10, 5, 0, 120.0),
    ]
    columns = ["start", "queue", "offered", "answered", "abandoned", "abandoned_short"]
    frame = pd.DataFrame(rows, columns=[*columns, "transferred", "asa_seconds"])
    frame["interval_start"] = pd.to_datetime(frame.pop("start")).dt.tz_localize(TZ)
    return frame


def test_goals_met_and_missed_against_hand_computed_figures() -> None:
    report = quarterly_report(_planted(), quarter="2026-Q3")
    summary = report.summary.set_index("queue")
    # Dagpenge: 900 / (1000 - 20) = 91.8 % < 92 %; (900 - 300) / 900 = 66.7 %; 140 s.
    dag = summary.loc["Dagpenge"]
    assert dag["answer_rate"] == pytest.approx(900 / 980)
    assert (bool(dag["meets_answer_rate"]), bool(dag["meets_fcr"])) == (False, True)
    assert bool(dag["meets_asa_seconds"]) and not bool(dag["meets_sla"])
    # Sygeopfølgning: 480 / 490 = 98.0 %; 100 % resolved; (240 x 200 + 240 x 120) / 480 = 160 s.
    syg = summary.loc["Sygeopfølgning"]
    assert syg["asa_seconds"] == pytest.approx(160.0)
    assert (bool(syg["meets_answer_rate"]), bool(syg["meets_fcr"])) == (True, True)
    assert not bool(syg["meets_asa_seconds"])
    # The centre: 1380 / 1470 = 93.9 %, 1080 / 1380 = 78.3 %, 202800 / 1380 = 147.0 s: all met.
    centre = summary.loc[kpi.ALL_QUEUES]
    assert (centre["answer_rate"], centre["fcr"], centre["asa_seconds"]) == pytest.approx(
        (1380 / 1470, 1080 / 1380, 202800 / 1380)
    )
    assert bool(centre["meets_sla"])
    # Queue-months that miss: Dagpenge July (530 / 590 = 89.8 %, 330 / 530 = 62.3 %) and
    # Sygeopfølgning July (200 s); September meets every goal in both queues.
    misses = report.misses
    assert misses[["queue", "month", "missed"]].values.tolist() == [
        ["Dagpenge", "2026-07", "answer_rate;fcr"],
        ["Sygeopfølgning", "2026-07", "asa_seconds"],
    ]
    # Stricter goals turn the centre's wait into a miss (147 s > 145 s).
    strict = quarterly_report(_planted(), kpi.SlaGoals(asa_seconds=145.0))
    assert not bool(strict.centre["meets_asa_seconds"])


def test_goal_table_shows_each_goal_with_figure_and_met_in_danish_and_english() -> None:
    report = quarterly_report(_planted())
    da = goal_table(report)
    assert da.columns.tolist() == [
        "Kø",
        "Tilbudte",
        "Svarprocent",
        "Mål ≥ 92 %",
        "Straksafklaring",
        "Mål ≥ 65 %",
        "Gns. ventetid",
        "Mål ≤ 150 s",
        "Alle mål",
    ]
    assert da.iloc[0].tolist() == [
        "Alle køer",
        "1.500",
        "93,9 %",
        "nået",
        "78,3 %",
        "nået",
        "147 s",
        "nået",
        "nået",
    ]
    rows = da.set_index("Kø")
    assert rows.loc["Dagpenge", "Svarprocent"] == "91,8 %"
    assert rows.loc["Dagpenge", "Mål ≥ 92 %"] == "ikke nået"
    assert rows.loc["Sygeopfølgning", "Mål ≤ 150 s"] == "ikke nået"
    en = goal_table(report, "en")
    assert en.columns[:4].tolist() == ["Queue", "Offered", "Answer rate", "Goal ≥ 92 %"]
    assert en.iloc[0].tolist()[:4] == ["All queues", "1,500", "93.9 %", "met"]
    assert en.set_index("Queue").loc["Dagpenge", "All goals"] == "not met"
    # Two goals with the same figure get headers that name the measure.
    same = quarterly_report(_planted(), kpi.SlaGoals(answer_rate=0.65, fcr=0.65))
    assert "Svarprocent: mål ≥ 65 %" in goal_table(same).columns
    assert misses_table(report, "en")["Goals missed"].tolist() == [
        "Answer rate, First-contact resolution",
        "Average wait",
    ]


def test_text_rendering_in_danish_by_default_and_in_english() -> None:
    report = quarterly_report(_planted())
    da = report_text(report)
    lines = da.splitlines()
    assert lines[0] == "Kvartalsrapport, 2026-Q3"
    assert "Til opfølgningsgruppen." in lines
    for word in ("Servicemål pr. kø", "Straksafklaring", "Alle køer pr. måned", "ikke nået"):
        assert word in da
    centre = next(line for line in lines if line.startswith("Alle køer "))
    assert centre.split() == [
        "Alle",
        "køer",
        "1.500",
        "93,9",
        "%",
        "nået",
        "78,3",
        "%",
        "nået",
        "147",
        "s",
        "nået",
        "nået",
    ]
    assert "Kø-måneder under målet (2)" in da
    en = report_text(report, "en")
    assert en.splitlines()[0] == "Quarterly service report, 2026-Q3"
    for word in ("Service goals per queue", "First-contact resolution", "93.9 %", "not met"):
        assert word in en
    for danish in ("Svarprocent", "nået", "Alle køer", "Kvartal"):
        assert danish not in en
    # Sections on request, e.g. only the goals; an unknown section or language is refused.
    goals_only = report_text(report, sections=("goals",))
    assert "Servicemål pr. kø" in goals_only and "Udvikling" not in goals_only
    with pytest.raises(ValueError, match="unknown report section"):
        report_text(report, sections=("charts",))
    with pytest.raises(ValueError, match="language must be one of da, en"):
        report_text(report, "de")


def test_excel_workbook_in_danish_by_default_and_in_english(tmp_path) -> None:
    report = quarterly_report(_planted())
    for language, expected in (
        (
            "da",
            {
                "sheets": ["Oversigt", "Pr. måned", "Udvikling (kvartaler)", "Mål ikke nået"],
                "title": "Kvartalsrapport, 2026-Q3",
                "header": ["Kø", "Tilbudte", "Svarprocent", "Mål ≥ 92 %", "Straksafklaring"],
                "centre": "Alle køer",
                "words": {"nået", "ikke nået"},
                "missed": "Svarprocent, Straksafklaring",
            },
        ),
        (
            "en",
            {
                "sheets": ["Summary", "By month", "Trend (quarters)", "Missed goals"],
                "title": "Quarterly service report, 2026-Q3",
                "header": ["Queue", "Offered", "Answer rate", "Goal ≥ 92 %", "First-contact"],
                "centre": "All queues",
                "words": {"met", "not met"},
                "missed": "Answer rate, First-contact resolution",
            },
        ),
    ):
        args = () if language == "da" else (language,)
        path = write_report(report, tmp_path / f"q_{language}.xlsx", *args)
        book = load_workbook(io.BytesIO(path.read_bytes()))
        assert book.sheetnames == expected["sheets"]
        rows = [list(r) for r in book[expected["sheets"][0]].iter_rows(values_only=True)]
        assert rows[0][0] == expected["title"]
        at = next(i for i, r in enumerate(rows) if r[0] == expected["header"][0])
        header = [str(v) for v in rows[at][:5]]
        assert header[:4] == expected["header"][:4] and header[4].startswith(expected["header"][4])
        centre = rows[at + 1]
        assert centre[0] == expected["centre"]
        assert centre[1] == 1500 and centre[2] == pytest.approx(1380 / 1470)
        dagpenge = rows[at + 2]
        assert dagpenge[0] == "Dagpenge" and dagpenge[2] == pytest.approx(900 / 980)
        assert {dagpenge[3], centre[3]} == expected["words"]
        missed = [list(r) for r in book[expected["sheets"][3]].iter_rows(values_only=True)]
        assert missed[1][0] == "Dagpenge" and missed[1][-1] == expected["missed"]
        by_month = [r[:2] for r in book[expected["sheets"][1]].iter_rows(values_only=True)]
        assert by_month[1:3] == [(expected["centre"], "2026-07"), (expected["centre"], "2026-09")]


def test_pdf_in_both_languages_and_the_texts_are_the_apps(tmp_path) -> None:
    report = quarterly_report(_planted())
    for language in ("da", "en"):
        data = write_report(report, tmp_path / f"q.{language}.pdf", language).read_bytes()
        assert data.startswith(b"%PDF")
    from app_support.i18n import TEXTS as APP_TEXTS
    from app_support.i18n import t

    assert set(TEXTS) <= set(APP_TEXTS)
    assert t("report.col.fcr") == "Straksafklaring" and t("report.met", "en") == "met"
    assert format_value("answer_rate", float("nan")) == "–"
    with pytest.raises(ValueError, match="language must be one of da, en"):
        write_report(report, tmp_path / "q.xlsx", "de")
