"""Write a weekly or monthly service report (`staffing.simulation.reports.Report`) as Excel or PDF.

Excel (xlsxwriter): a summary sheet (per queue, the centre first, goals missed in red), a sheet
per day (weekly) or per week (monthly) with a chart of the centre's answer rate and average
wait against the goals, a trend sheet over the recent weeks or months with its chart, and the
queue-days or queue-weeks that missed a goal. PDF (matplotlib, Agg backend, imported only
here): page 1 the summary table, page 2 the charts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from staffing import kpi
from staffing.simulation.reports import Report

__all__ = ["write_report", "write_report_excel", "write_report_pdf"]

_LABELS = {
    "queue": "Queue (kø)",
    "date": "Day",
    "week": "Week",
    "month": "Month",
    "offered": "Offered",
    "answered": "Answered",
    "abandoned": "Abandoned",
    "abandoned_short": "Abandoned < 40 s",
    "transferred": "Transferred",
    "answer_rate": "Answer rate (svarprocent)",
    "fcr": "First-contact resolution",
    "asa_seconds": "Average wait (s)",
    "service_level": "Service level",
    "abandon_rate": "Abandoned share",
    "missed": "Goals missed",
}
_PERCENT = ("answer_rate", "fcr", "service_level", "abandon_rate")
_COUNTS = ("offered", "answered", "abandoned", "abandoned_short", "transferred")


def write_report(report: Report, path: str | Path) -> Path:
    """Write ``report`` as Excel (``.xlsx``) or PDF (``.pdf``), chosen by the file suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return write_report_excel(report, path)
    if suffix == ".pdf":
        return write_report_pdf(report, path)
    raise ValueError(f"report file must end in .xlsx or .pdf; got {path.name!r}")


def _visible(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if not c.startswith("meets_")]


def _goal_of(report: Report, measure: str) -> float | None:
    target = report.goals.targets().get(measure)
    return target[0] if target else None


def write_report_excel(report: Report, path: str | Path) -> Path:
    """The report as an Excel workbook with formatted tables and native charts."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format({"bold": True, "bg_color": "#DDE5F0", "text_wrap": True}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "pct_bad": book.add_format({"num_format": "0.0%", "bg_color": "#F8CBAD"}),
        "num": book.add_format({"num_format": "#,##0"}),
        "sec": book.add_format({"num_format": "0"}),
        "sec_bad": book.add_format({"num_format": "0", "bg_color": "#F8CBAD"}),
        "text": book.add_format({}),
        "bold": book.add_format({"bold": True}),
    }

    def table(sheet, frame: pd.DataFrame, first_row: int) -> tuple[int, dict[str, int]]:
        columns = _visible(frame)
        where = {c: j for j, c in enumerate(columns)}
        for j, col in enumerate(columns):
            sheet.write(first_row, j, _LABELS.get(col, col), fmt["head"])
            sheet.set_column(j, j, 24 if col in ("queue", "missed") else 13)
        for i, row in enumerate(frame.itertuples(index=False), start=first_row + 1):
            values = row._asdict()
            for j, col in enumerate(columns):
                value = values[col]
                bad = f"meets_{col}" in values and not bool(values[f"meets_{col}"])
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    sheet.write_blank(i, j, None)
                elif col in _PERCENT:
                    sheet.write_number(i, j, float(value), fmt["pct_bad" if bad else "pct"])
                elif col == "asa_seconds":
                    sheet.write_number(i, j, float(value), fmt["sec_bad" if bad else "sec"])
                elif col in _COUNTS:
                    sheet.write_number(i, j, float(value), fmt["num"])
                else:
                    sheet.write(
                        i, j, str(value), fmt["bold" if value == kpi.ALL_QUEUES else "text"]
                    )
        return first_row + len(frame), where

    # Summary sheet.
    sheet = book.add_worksheet("Summary")
    sheet.write(0, 0, report.title, fmt["title"])
    for k, note in enumerate(report.notes, start=1):
        sheet.write(k, 0, note)
    goals_row = len(report.notes) + 2
    sheet.write(goals_row, 0, "Goal", fmt["bold"])
    for j, (measure, (value, sense)) in enumerate(report.goals.targets().items(), start=1):
        shown = f"{value:.0%}" if measure in _PERCENT else f"{value:g} s"
        sheet.write(goals_row, j, f"{_LABELS.get(measure, measure)} {sense} {shown}")
    table(sheet, report.summary, goals_row + 2)

    # Breakdown sheet with the centre's chart.
    key = report.breakdown_key
    name = "By day" if key == "date" else "By week"
    centre = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES].reset_index(drop=True)
    _chart_sheet(book, fmt, table, name, centre, report.breakdown, key, report)

    # Trend sheet.
    trend_name = "Trend (weeks)" if report.kind == "week" else "Trend (months)"
    _chart_sheet(book, fmt, table, trend_name, report.trend, None, report.trend_key, report)

    sheet = book.add_worksheet("Missed goals")
    if report.misses.empty:
        sheet.write(0, 0, "No queue missed a goal in this period.")
    else:
        table(sheet, report.misses, 0)
    book.close()
    return path


def _chart_sheet(book, fmt, table, name, centre, detail, key, report) -> None:  # noqa: ANN001
    """A sheet with the centre's rows, a chart against the goals and (optionally) all rows."""
    sheet = book.add_worksheet(name)
    last, where = table(sheet, centre, 0)
    n = len(centre)
    goal_col = len(where) + 1
    sheet.write(0, goal_col, "Answer-rate goal", fmt["head"])
    sheet.write(0, goal_col + 1, "Average-wait goal (s)", fmt["head"])
    ar_goal = _goal_of(report, "answer_rate")
    asa_goal = _goal_of(report, "asa_seconds")
    for i in range(1, n + 1):
        if ar_goal is not None:
            sheet.write_number(i, goal_col, ar_goal, fmt["pct"])
        if asa_goal is not None:
            sheet.write_number(i, goal_col + 1, asa_goal, fmt["sec"])
    cats = [name, 1, where[key], n, where[key]]
    rate = book.add_chart({"type": "column"})
    rate.add_series(
        {
            "name": "Answer rate",
            "categories": cats,
            "values": [name, 1, where["answer_rate"], n, where["answer_rate"]],
            "fill": {"color": "#4472C4"},
        }
    )
    if ar_goal is not None:
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": "Goal",
                "categories": cats,
                "values": [name, 1, goal_col, n, goal_col],
                "line": {"color": "#C00000", "dash_type": "dash"},
            }
        )
        rate.combine(line)
    rate.set_title({"name": f"Answer rate, all queues ({report.period})"})
    rate.set_y_axis({"num_format": "0%", "min": 0.5, "max": 1.0})
    rate.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 2, 0, rate, {"x_scale": 1.3, "y_scale": 1.1})
    wait = book.add_chart({"type": "column"})
    wait.add_series(
        {
            "name": "Average wait (s)",
            "categories": cats,
            "values": [name, 1, where["asa_seconds"], n, where["asa_seconds"]],
            "fill": {"color": "#70AD47"},
        }
    )
    if asa_goal is not None:
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": "Goal",
                "categories": cats,
                "values": [name, 1, goal_col + 1, n, goal_col + 1],
                "line": {"color": "#C00000", "dash_type": "dash"},
            }
        )
        wait.combine(line)
    wait.set_title({"name": "Average wait, all queues"})
    wait.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 2, 8, wait, {"x_scale": 1.3, "y_scale": 1.1})
    if detail is not None:
        queues = detail[detail["queue"] != kpi.ALL_QUEUES]
        start = last + 20
        sheet.write(start, 0, "Per queue", fmt["bold"])
        table(sheet, queues, start + 1)


def _fmt_cell(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if column in _PERCENT:
        return f"{float(value):.1%}"
    if column == "asa_seconds":
        return f"{float(value):.0f}"
    if column in _COUNTS:
        return f"{float(value):,.0f}"
    return str(value)


def write_report_pdf(report: Report, path: str | Path) -> Path:
    """The report as a two-page PDF (matplotlib): the summary table, then the charts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["queue", "offered", "answer_rate", "fcr", "asa_seconds", "abandon_rate"]
    summary = report.summary
    with PdfPages(path, metadata={"Title": report.title, "Creator": "vagtplan"}) as pdf:
        fig = plt.figure(figsize=(11.69, 8.27))  # A4 landscape
        fig.suptitle(report.title, fontsize=16, x=0.05, ha="left")
        fig.text(0.05, 0.90, "\n".join(report.notes), fontsize=9, va="top")
        centre = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES]
        key = report.breakdown_key
        _pdf_table(fig.add_axes([0.05, 0.42, 0.9, 0.36]), summary, columns, "Per queue")
        _pdf_table(
            fig.add_axes([0.05, 0.02, 0.9, 0.34]),
            centre,
            [key, *columns[1:]],
            f"All queues by {'day' if key == 'date' else 'week'}",
        )
        pdf.savefig(fig)
        plt.close(fig)

        fig, axes = plt.subplots(2, 2, figsize=(11.69, 8.27))
        fig.suptitle(f"{report.title}: charts", fontsize=14, x=0.05, ha="left")
        labels = centre[report.breakdown_key].astype(str).tolist()
        _bars(
            axes[0, 0],
            labels,
            centre["answer_rate"],
            _goal_of(report, "answer_rate"),
            "Answer rate, all queues",
            percent=True,
        )
        _bars(
            axes[0, 1],
            labels,
            centre["asa_seconds"],
            _goal_of(report, "asa_seconds"),
            "Average wait (s), all queues",
            percent=False,
        )
        queues = summary[summary["queue"] != kpi.ALL_QUEUES]
        _bars(
            axes[1, 0],
            queues["queue"].tolist(),
            queues["answer_rate"],
            _goal_of(report, "answer_rate"),
            "Answer rate per queue",
            percent=True,
            rotate=True,
        )
        trend = report.trend
        _bars(
            axes[1, 1],
            trend[report.trend_key].astype(str).tolist(),
            trend["answer_rate"],
            _goal_of(report, "answer_rate"),
            f"Answer rate by {report.kind}",
            percent=True,
            rotate=True,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        pdf.savefig(fig)
        plt.close(fig)
    return path


def _pdf_table(ax, frame: pd.DataFrame, columns: list[str], title: str) -> None:  # noqa: ANN001
    """A matplotlib table of ``frame``; goals missed in red, the centre's row in bold."""
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=11)
    cells = [[_fmt_cell(c, row[c]) for c in columns] for _, row in frame.iterrows()]
    tab = ax.table(
        cellText=cells or [["-"] * len(columns)],
        colLabels=[_LABELS[c] for c in columns],
        loc="upper left",
        cellLoc="right",
    )
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.scale(1.0, 1.3)
    for i, (_, row) in enumerate(frame.iterrows(), start=1):
        for j, col in enumerate(columns):
            flag = f"meets_{col}"
            if flag in row.index and not bool(row[flag]):
                tab[i, j].set_facecolor("#F8CBAD")
            if "queue" in row.index and row["queue"] == kpi.ALL_QUEUES and col == "queue":
                tab[i, j].set_text_props(weight="bold")


def _bars(ax, labels, values, goal, title, *, percent, rotate=False) -> None:  # noqa: ANN001
    values = pd.Series(values, dtype=float).fillna(0.0).to_numpy()
    colours = ["#4472C4"] * len(values)
    if goal is not None:
        colours = ["#C00000" if (v < goal if percent else v > goal) else "#4472C4" for v in values]
        ax.axhline(goal, color="#C00000", linestyle="--", linewidth=1, label="goal")
        ax.legend(loc="lower right", fontsize=8)
    ax.bar(range(len(values)), values, color=colours)
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(
        labels, rotation=45 if rotate else 0, ha="right" if rotate else "center", fontsize=8
    )
    ax.set_title(title, fontsize=11)
    if percent:
        ax.set_ylim(max(0.0, min(0.5, float(values.min()) - 0.05) if len(values) else 0.0), 1.0)
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
