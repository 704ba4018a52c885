"""A service report (`staffing.simulation.reports.Report`) in words: text, Excel and PDF, in
Danish (default) or English.

`TEXTS` holds every word a rendered report uses (titles, column headers, sheet names, notes,
"nået"/"met"), keyed ``report.*``; the app merges them into `app_support.i18n.TEXTS`, so the
Rapport page and these exports say the same things from one definition. Figures are formatted
once (`format_value`: ``93,1 %`` in Danish, ``93.1 %`` in English; ``134 s``; ``12.345``), and the
page, `report_text`, the PDF and the Excel goal table show the same figures.

- `goal_table`: each goal (answer rate by the SLA formula, straksafklaring, average wait, and a
  service level if one is set) with its figure and met / not met, the centre first, then each
  queue;
- `report_text`: the report as plain text (what ``report.txt`` shows);
- `write_report_excel`: a summary sheet (the goal table, then every count and measure per
  queue; goals missed in red), a sheet per day / week / month of the period with a chart of the
  centre's answer rate and average wait against the goals, a trend sheet with its chart, and
  the queue-periods that missed a goal;
- `write_report_pdf` (matplotlib, Agg backend, imported only there): page 1 the goal table and
  the centre per day / week / month, page 2 four charts.

Only `staffing.kpi` and pandas are imported at the top (the report module is needed for type
checking only), so that the app's texts can be loaded without the simulation's imports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from staffing import kpi

if TYPE_CHECKING:
    from staffing.simulation.reports import Report

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "SECTIONS",
    "text",
    "label",
    "format_value",
    "format_goal",
    "report_title",
    "report_notes",
    "goal_table",
    "period_table",
    "misses_table",
    "report_text",
    "write_report",
    "write_report_excel",
    "write_report_pdf",
]

#: The report's languages (the app's): Danish first, the default.
LANGUAGES: tuple[str, ...] = ("da", "en")

#: Every word of a rendered report, ``key -> {"da": ..., "en": ...}`` (merged into the app's
#: `app_support.i18n.TEXTS`). Placeholders in braces are filled by `text`.
TEXTS: dict[str, dict[str, str]] = {
    "report.title.week": {
        "da": "Ugerapport, uge {period}",
        "en": "Weekly service report, week {period}",
    },
    "report.title.month": {
        "da": "Månedsrapport, {period}",
        "en": "Monthly service report, {period}",
    },
    "report.title.quarter": {
        "da": "Kvartalsrapport, {period}",
        "en": "Quarterly service report, {period}",
    },
    "report.audience.week": {"da": "Til de lokale enheder.", "en": "For the local units."},
    "report.audience.month": {"da": "Til ledelsen.", "en": "For management."},
    "report.audience.quarter": {
        "da": "Til opfølgningsgruppen.",
        "en": "For the follow-up group.",
    },
    "report.note.days": {
        "da": "{days} dage med opkald: {first} til {last}.",
        "en": "{days} days with calls: {first} to {last}.",
    },
    "report.note.cut.month": {
        "da": "Ugerne er skåret ved månedens grænser, så de summerer til måneden.",
        "en": "Weeks are cut at the month's edges, so they add up to the month.",
    },
    "report.note.cut.quarter": {
        "da": "Kvartalets måneder summerer til kvartalet.",
        "en": "The quarter's months add up to the quarter.",
    },
    "report.note.goals": {
        "da": "Mål: {goals}. Kilde: {source}.",
        "en": "Goals: {goals}. Source: {source}.",
    },
    "report.note.formula": {
        "da": "Svarprocent = besvarede / (tilbudte - opgivet inden 40 s), som i aftalen.",
        "en": "Answer rate = answered / (offered - abandoned within 40 s), as in the agreement.",
    },
    "report.note.no_service_level": {
        "da": "Serviceniveau kræver answered_within i tallene; det har denne kilde ikke.",
        "en": "Service level needs answered_within in the counts; not in this source.",
    },
    "report.source.actual": {"da": "faktiske tal", "en": "actuals"},
    "report.source.simulated": {"da": "simulering", "en": "simulation"},
    "report.source.expected": {"da": "forventede tal (Erlang A)", "en": "expected (Erlang A)"},
    "report.all_queues": {"da": "Alle køer", "en": "All queues"},
    "report.met": {"da": "nået", "en": "met"},
    "report.not_met": {"da": "ikke nået", "en": "not met"},
    "report.goal": {"da": "Mål", "en": "Goal"},
    "report.goal_short": {"da": "Mål {sense} {goal}", "en": "Goal {sense} {goal}"},
    "report.goal_long": {
        "da": "{measure}: mål {sense} {goal}",
        "en": "{measure}: goal {sense} {goal}",
    },
    "report.col.queue": {"da": "Kø", "en": "Queue"},
    "report.col.date": {"da": "Dato", "en": "Day"},
    "report.col.week": {"da": "Uge", "en": "Week"},
    "report.col.month": {"da": "Måned", "en": "Month"},
    "report.col.quarter": {"da": "Kvartal", "en": "Quarter"},
    "report.col.offered": {"da": "Tilbudte", "en": "Offered"},
    "report.col.answered": {"da": "Besvarede", "en": "Answered"},
    "report.col.abandoned": {"da": "Opgivne", "en": "Abandoned"},
    "report.col.abandoned_short": {"da": "Opgivet inden 40 s", "en": "Abandoned within 40 s"},
    "report.col.transferred": {"da": "Viderestillede", "en": "Transferred"},
    "report.col.answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "report.col.fcr": {"da": "Straksafklaring", "en": "First-contact resolution"},
    "report.col.asa_seconds": {"da": "Gns. ventetid", "en": "Average wait"},
    "report.col.service_level": {"da": "Serviceniveau", "en": "Service level"},
    "report.col.abandon_rate": {"da": "Opgivet (andel)", "en": "Abandoned share"},
    "report.col.meets_sla": {"da": "Alle mål", "en": "All goals"},
    "report.col.missed": {"da": "Mål ikke nået", "en": "Goals missed"},
    "report.section.goals": {"da": "Servicemål pr. kø", "en": "Service goals per queue"},
    "report.section.per_queue": {"da": "Alle tal pr. kø", "en": "All figures per queue"},
    "report.section.breakdown.date": {"da": "Alle køer pr. dag", "en": "All queues by day"},
    "report.section.breakdown.week": {"da": "Alle køer pr. uge", "en": "All queues by week"},
    "report.section.breakdown.month": {
        "da": "Alle køer pr. måned",
        "en": "All queues by month",
    },
    "report.section.queues_by": {"da": "Pr. kø", "en": "Per queue"},
    "report.section.trend.week": {"da": "Udvikling (uger)", "en": "Trend (weeks)"},
    "report.section.trend.month": {"da": "Udvikling (måneder)", "en": "Trend (months)"},
    "report.section.trend.quarter": {"da": "Udvikling (kvartaler)", "en": "Trend (quarters)"},
    "report.section.misses.date": {
        "da": "Kø-dage under målet ({count})",
        "en": "Queue-days below goal ({count})",
    },
    "report.section.misses.week": {
        "da": "Kø-uger under målet ({count})",
        "en": "Queue-weeks below goal ({count})",
    },
    "report.section.misses.month": {
        "da": "Kø-måneder under målet ({count})",
        "en": "Queue-months below goal ({count})",
    },
    "report.no_misses": {
        "da": "Ingen kø missede et mål i perioden.",
        "en": "No queue missed a goal in this period.",
    },
    "report.sheet.summary": {"da": "Oversigt", "en": "Summary"},
    "report.sheet.date": {"da": "Pr. dag", "en": "By day"},
    "report.sheet.week": {"da": "Pr. uge", "en": "By week"},
    "report.sheet.month": {"da": "Pr. måned", "en": "By month"},
    "report.sheet.misses": {"da": "Mål ikke nået", "en": "Missed goals"},
    "report.chart.answer_rate": {
        "da": "Svarprocent, alle køer ({period})",
        "en": "Answer rate, all queues ({period})",
    },
    "report.chart.asa": {
        "da": "Gns. ventetid (s), alle køer",
        "en": "Average wait (s), all queues",
    },
    "report.chart.per_queue": {"da": "Svarprocent pr. kø", "en": "Answer rate per queue"},
    "report.chart.trend.week": {"da": "Svarprocent pr. uge", "en": "Answer rate by week"},
    "report.chart.trend.month": {"da": "Svarprocent pr. måned", "en": "Answer rate by month"},
    "report.chart.trend.quarter": {
        "da": "Svarprocent pr. kvartal",
        "en": "Answer rate by quarter",
    },
    "report.chart.goal_answer_rate": {"da": "Mål for svarprocent", "en": "Answer-rate goal"},
    "report.chart.goal_asa": {
        "da": "Mål for gns. ventetid (s)",
        "en": "Average-wait goal (s)",
    },
    "report.charts": {"da": "{title}: grafer", "en": "{title}: charts"},
}

#: The parts `report_text` can show, in order.
SECTIONS: tuple[str, ...] = ("goals", "breakdown", "trend", "misses")

_PERCENT = ("answer_rate", "fcr", "service_level", "abandon_rate")
_COUNTS = ("offered", "answered", "abandoned", "abandoned_short", "transferred")
#: Measures the period tables (breakdown, trend, misses) show, when in the table.
_SHOWN = ("offered", "answer_rate", "fcr", "asa_seconds", "service_level")
_DASH = "–"
_RED = "#F8CBAD"


# -- words and figures ---------------------------------------------------------------------------


def text(key: str, language: str = "da", /, **values: object) -> str:
    """The report text ``key`` in ``language`` (``da`` or ``en``) with ``values`` filled in.

    >>> text("report.title.quarter", "da", period="2026-Q3")
    'Kvartalsrapport, 2026-Q3'
    >>> text("report.met", "en")
    'met'
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {language!r}")
    try:
        entry = TEXTS[key]
    except KeyError:
        raise ValueError(f"unknown report text key {key!r}") from None
    return entry[language].format(**values) if values else entry[language]


def label(column: str, language: str = "da") -> str:
    """The header of a report column (``answer_rate`` -> ``Svarprocent``); unknown: as is."""
    key = f"report.col.{column}"
    return text(key, language) if key in TEXTS else column


def _number(value: float, decimals: int, language: str) -> str:
    shown = f"{value:,.{decimals}f}"
    return shown.translate(str.maketrans(",.", ".,")) if language == "da" else shown


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float | np.floating) and bool(np.isnan(value)))


def format_value(measure: str, value: Any, language: str = "da") -> str:
    """A figure as the report shows it; a measure the source cannot give (NaN) is a dash.

    >>> format_value("answer_rate", 0.93125), format_value("answer_rate", 0.93125, "en")
    ('93,1 %', '93.1 %')
    >>> format_value("asa_seconds", 134.4), format_value("offered", 12345.0)
    ('134 s', '12.345')
    """
    if _missing(value):
        return _DASH
    if measure in _PERCENT:
        return f"{_number(100 * float(value), 1, language)} %"
    if measure == "asa_seconds":
        return f"{_number(float(value), 0, language)} s"
    if measure in _COUNTS:
        return _number(float(value), 0, language)
    if measure == "queue" and value == kpi.ALL_QUEUES:
        return text("report.all_queues", language)
    return str(value)


def format_goal(measure: str, value: float, language: str = "da") -> str:
    """A goal as the report shows it: ``92 %``, ``62,5 %``, ``150 s``."""
    if measure in _PERCENT:
        value = 100 * value
    decimals = 0 if abs(value - round(value)) < 1e-9 else 1
    unit = "%" if measure in _PERCENT else "s"
    return f"{_number(value, decimals, language)} {unit}"


def _sense(sense: str) -> str:
    return "≥" if sense == ">=" else "≤"


def _met(flag: object, language: str) -> str:
    return text("report.met" if bool(flag) else "report.not_met", language)


def report_title(report: Report, language: str = "da") -> str:
    """``Ugerapport, uge 2026-W10`` / ``Quarterly service report, 2026-Q3``."""
    return text(f"report.title.{report.kind}", language, period=report.period)


def report_notes(report: Report, language: str = "da") -> list[str]:
    """The lines under the title: audience, days with calls, how the breakdown adds up, the
    goals and the source, the SLA's formula, and a note when a service-level goal is set that
    the source cannot give (such a goal then counts as met)."""
    notes = [
        text(f"report.audience.{report.kind}", language),
        text(
            "report.note.days",
            language,
            days=report.days,
            first=report.first_day.isoformat(),
            last=report.last_day.isoformat(),
        ),
    ]
    if report.kind != "week":
        notes.append(text(f"report.note.cut.{report.kind}", language))
    goals = ", ".join(
        f"{label(m, language)} {_sense(sense)} {format_goal(m, v, language)}"
        for m, (v, sense) in report.goals.targets().items()
    )
    source_key = f"report.source.{report.source}"
    source = text(source_key, language) if source_key in TEXTS else report.source
    notes.append(text("report.note.goals", language, goals=goals or _DASH, source=source))
    notes.append(text("report.note.formula", language))
    if "service_level" in report.goals.targets() and not report.has_service_level:
        notes.append(text("report.note.no_service_level", language))
    return notes


# -- tables of display strings ---------------------------------------------------------------------


def _goal_columns(report: Report, language: str) -> list[tuple[str, str, str]]:
    """The goal table's columns as (role, measure, header); role is ``key``, ``count``,
    ``figure``, ``met`` or ``all``."""
    targets = report.goals.targets()
    short = {
        m: text("report.goal_short", language, sense=_sense(s), goal=format_goal(m, v, language))
        for m, (v, s) in targets.items()
    }
    unique = len(set(short.values())) == len(short)
    columns = [
        ("key", "queue", label("queue", language)),
        ("count", "offered", label("offered", language)),
    ]
    for measure, (value, sense) in targets.items():
        columns.append(("figure", measure, label(measure, language)))
        header = short[measure]
        if not unique:
            header = text(
                "report.goal_long",
                language,
                measure=label(measure, language),
                sense=_sense(sense),
                goal=format_goal(measure, value, language),
            )
        columns.append(("met", measure, header))
    columns.append(("all", "meets_sla", label("meets_sla", language)))
    return columns


def _goal_cells(report: Report, language: str) -> tuple[pd.DataFrame, np.ndarray]:
    summary = report.summary
    columns = _goal_columns(report, language)
    data: dict[str, list[str]] = {}
    bad = np.zeros((len(summary), len(columns)), dtype=bool)
    for j, (role, measure, header) in enumerate(columns):
        if role in ("key", "count", "figure"):
            data[header] = [format_value(measure, v, language) for v in summary[measure]]
        else:
            flag = "meets_sla" if role == "all" else f"meets_{measure}"
            data[header] = [_met(v, language) for v in summary[flag]]
        if role in ("figure", "met", "all"):
            flag = "meets_sla" if role == "all" else f"meets_{measure}"
            bad[:, j] = ~summary[flag].to_numpy(dtype=bool)
    return pd.DataFrame(data), bad


def goal_table(report: Report, language: str = "da") -> pd.DataFrame:
    """Each goal with its figure and met / not met: the centre first, then each queue.

    Columns (Danish): Kø, Tilbudte, then per goal that is set its figure (``Svarprocent``) and
    whether it is met (``Mål ≥ 92 %``: ``nået`` / ``ikke nået``), and ``Alle mål``. Cells are
    display strings (`format_value`), the same on the page, in the text and in the PDF.
    """
    return _goal_cells(report, language)[0]


def _period_cells(
    frame: pd.DataFrame, keys: Sequence[str], goals: kpi.SlaGoals, language: str
) -> tuple[pd.DataFrame, np.ndarray]:
    measures = [m for m in _SHOWN if m in frame.columns]
    if "service_level" in measures and "service_level" not in goals.targets():
        measures.remove("service_level")
    # A miss names the goals it missed; "all goals: not met" would say nothing more.
    verdict = ["missed"] if "missed" in frame.columns else ["meets_sla"]
    columns = [*keys, *measures, *verdict]
    data: dict[str, list[str]] = {}
    bad = np.zeros((len(frame), len(columns)), dtype=bool)
    for j, col in enumerate(columns):
        if col == "meets_sla":
            values = [_met(v, language) for v in frame[col]]
        elif col == "missed":
            values = [
                ", ".join(label(m, language) for m in str(v).split(";") if m) for v in frame[col]
            ]
        else:
            values = [format_value(col, v, language) for v in frame[col]]
        data[label(col, language)] = values
        flag = f"meets_{col}"
        if flag in frame.columns:
            bad[:, j] = ~frame[flag].to_numpy(dtype=bool)
    return pd.DataFrame(data), bad


def period_table(report: Report, part: str = "breakdown", language: str = "da") -> pd.DataFrame:
    """The centre per period of ``part`` (``breakdown``: each day / week / month of the period;
    ``trend``: the recent weeks / months / quarters), as display strings: offered, answer rate,
    straksafklaring, average wait and whether all goals are met."""
    if part == "breakdown":
        frame = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES]
        key = report.breakdown_key
    elif part == "trend":
        frame, key = report.trend, report.trend_key
    else:
        raise ValueError(f"part must be 'breakdown' or 'trend'; got {part!r}")
    return _period_cells(frame, [key], report.goals, language)[0]


def misses_table(report: Report, language: str = "da") -> pd.DataFrame:
    """The queue-days / -weeks / -months that miss a goal, as display strings, with the goals
    missed named in ``language``."""
    return _period_cells(report.misses, ["queue", report.breakdown_key], report.goals, language)[0]


# -- plain text ----------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^(–|-?[\d.,]+( %| s)?)$")


def _plain(table: pd.DataFrame) -> list[str]:
    """A fixed-width table: numbers right-aligned, words left-aligned."""
    headers = [str(c) for c in table.columns]
    cells = [[str(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max([len(h), *(len(r[j]) for r in cells)]) for j, h in enumerate(headers)]
    right = [bool(cells) and all(_NUMERIC.match(r[j]) for r in cells) for j in range(len(headers))]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def report_text(report: Report, language: str = "da", *, sections: Sequence[str] = SECTIONS) -> str:
    """The report as plain text (``report.txt``): title, notes, then ``sections`` in order:
    ``goals`` (`goal_table`), ``breakdown`` (the centre per day / week / month), ``trend``
    (the recent periods) and ``misses`` (`misses_table`). The figures are the page's.
    """
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown report section(s) {unknown}; expected some of {SECTIONS}")
    title = report_title(report, language)
    lines = [title, "=" * len(title), *report_notes(report, language)]
    for section in sections:
        lines.append("")
        if section == "goals":
            lines += [text("report.section.goals", language), *_plain(goal_table(report, language))]
        elif section == "breakdown":
            heading = text(f"report.section.breakdown.{report.breakdown_key}", language)
            lines += [heading, *_plain(period_table(report, "breakdown", language))]
        elif section == "trend":
            heading = text(f"report.section.trend.{report.kind}", language)
            lines += [heading, *_plain(period_table(report, "trend", language))]
        else:
            count = len(report.misses)
            heading = text(f"report.section.misses.{report.breakdown_key}", language, count=count)
            if count:
                lines += [heading, *_plain(misses_table(report, language))]
            else:
                lines += [heading, text("report.no_misses", language)]
    return "\n".join(lines).rstrip() + "\n"


# -- files ---------------------------------------------------------------------------------------


def write_report(report: Report, path: str | Path, language: str = "da") -> Path:
    """Write ``report`` as Excel (``.xlsx``) or PDF (``.pdf``), chosen by the file suffix, in
    ``language`` (``da`` or ``en``)."""
    path = Path(path)
    text("report.met", language)  # an unknown language fails before anything is written
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return write_report_excel(report, path, language)
    if suffix == ".pdf":
        return write_report_pdf(report, path, language)
    raise ValueError(f"report file must end in .xlsx or .pdf; got {path.name!r}")


def _goal_of(report: Report, measure: str) -> float | None:
    target = report.goals.targets().get(measure)
    return target[0] if target else None


def _excel_columns(frame: pd.DataFrame) -> list[str]:
    """The columns an Excel table shows: keys, counts and measures, ``Alle mål``, misses."""
    shown = [
        c
        for c in frame.columns
        if not c.startswith("meets_")
        and c != "missed"
        and not (c == "service_level" and frame[c].isna().all())  # the source cannot give it
    ]
    verdict = ["missed"] if "missed" in frame.columns else ["meets_sla"]
    return [*shown, *verdict]


def _excel_formats(book: Any) -> dict[str, Any]:
    """The workbook's cell formats: titles, headers, figures, and red for a missed goal."""
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format({"bold": True, "bg_color": "#DDE5F0", "text_wrap": True}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "pct_bad": book.add_format({"num_format": "0.0%", "bg_color": _RED}),
        "num": book.add_format({"num_format": "#,##0"}),
        "sec": book.add_format({"num_format": '0" s"'}),
        "sec_bad": book.add_format({"num_format": '0" s"', "bg_color": _RED}),
        "text": book.add_format({}),
        "text_bad": book.add_format({"bg_color": _RED}),
        "bold": book.add_format({"bold": True}),
    }


def _summary_sheet(book, fmt, cell, table, report: Report, language: str) -> None:  # noqa: ANN001
    """The summary sheet: title, notes, the goal table (met / not met), every figure per queue."""
    summary_name = text("report.sheet.summary", language)
    sheet = book.add_worksheet(summary_name)
    sheet.write_string(0, 0, report_title(report, language), fmt["title"])
    notes = report_notes(report, language)
    for k, note in enumerate(notes, start=1):
        sheet.write_string(k, 0, note)
    row = len(notes) + 2
    sheet.write(row, 0, text("report.section.goals", language), fmt["bold"])
    row += 1
    columns = _goal_columns(report, language)
    for j, (role, _measure, header) in enumerate(columns):
        sheet.write(row, j, header, fmt["head"])
        sheet.set_column(j, j, 24 if role == "key" else 14)
    for i, values in enumerate(report.summary.to_dict("records"), start=row + 1):
        for j, (role, measure, _header) in enumerate(columns):
            if role in ("met", "all"):
                flag = bool(values["meets_sla" if role == "all" else f"meets_{measure}"])
                sheet.write(i, j, _met(flag, language), fmt["text" if flag else "text_bad"])
            else:
                bad = role == "figure" and not bool(values[f"meets_{measure}"])
                cell(sheet, i, j, measure, values[measure], bad)
    row += len(report.summary) + 3
    sheet.write(row, 0, text("report.section.per_queue", language), fmt["bold"])
    table(sheet, report.summary, row + 1)


def write_report_excel(report: Report, path: str | Path, language: str = "da") -> Path:
    """The report as an Excel workbook with formatted tables and native charts, in
    ``language``: sheet names, headers, titles and the met / not-met words.

    The workbook is opened with `planner.io.exports.EXCEL_OPTIONS` and text (queue names and
    other text from the planner's files) is written with ``write_string``: a queue named
    ``=HYPERLINK(...)`` is a string cell, never a formula, a link or a number.
    """
    import xlsxwriter

    from planner.io.exports import EXCEL_OPTIONS  # here: exports imports icalendar

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), dict(EXCEL_OPTIONS))  # Workbook takes them directly
    fmt = _excel_formats(book)

    def cell(sheet: Any, i: int, j: int, col: str, value: Any, bad: bool) -> None:
        if _missing(value):
            sheet.write_blank(i, j, None)
        elif col in _PERCENT:
            sheet.write_number(i, j, float(value), fmt["pct_bad" if bad else "pct"])
        elif col == "asa_seconds":
            sheet.write_number(i, j, float(value), fmt["sec_bad" if bad else "sec"])
        elif col in _COUNTS:
            sheet.write_number(i, j, float(value), fmt["num"])
        elif col == "queue" and value == kpi.ALL_QUEUES:
            sheet.write(i, j, text("report.all_queues", language), fmt["bold"])
        else:
            sheet.write_string(i, j, str(value), fmt["text_bad" if bad else "text"])

    def table(sheet: Any, frame: pd.DataFrame, first_row: int) -> tuple[int, dict[str, int]]:
        columns = _excel_columns(frame)
        where = {c: j for j, c in enumerate(columns)}
        for j, col in enumerate(columns):
            sheet.write(first_row, j, label(col, language), fmt["head"])
            sheet.set_column(j, j, 24 if col in ("queue", "missed") else 13)
        for i, row in enumerate(frame.to_dict("records"), start=first_row + 1):
            for j, col in enumerate(columns):
                value = row[col]
                if col == "meets_sla":
                    sheet.write(i, j, _met(value, language), fmt["text" if value else "text_bad"])
                elif col == "missed":
                    named = ", ".join(label(m, language) for m in str(value).split(";") if m)
                    sheet.write_string(i, j, named, fmt["text"])
                else:
                    bad = f"meets_{col}" in row and not bool(row[f"meets_{col}"])
                    cell(sheet, i, j, col, value, bad)
        return first_row + len(frame), where

    _summary_sheet(book, fmt, cell, table, report, language)

    # Breakdown sheet with the centre's chart, then every queue.
    key = report.breakdown_key
    centre = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES].reset_index(drop=True)
    name = text(f"report.sheet.{key}", language)
    _chart_sheet(book, fmt, table, name, centre, report.breakdown, key, report, language)

    # Trend sheet.
    name = text(f"report.section.trend.{report.kind}", language)
    _chart_sheet(book, fmt, table, name, report.trend, None, report.trend_key, report, language)

    sheet = book.add_worksheet(text("report.sheet.misses", language))
    if report.misses.empty:
        sheet.write(0, 0, text("report.no_misses", language))
    else:
        table(sheet, report.misses, 0)
    book.close()
    return path


def _chart_sheet(book, fmt, table, name, centre, detail, key, report, language) -> None:  # noqa: ANN001
    """A sheet with the centre's rows, a chart against the goals and (optionally) all rows."""
    sheet = book.add_worksheet(name)
    last, where = table(sheet, centre, 0)
    n = len(centre)
    goal_col = len(where) + 1
    sheet.write(0, goal_col, text("report.chart.goal_answer_rate", language), fmt["head"])
    sheet.write(0, goal_col + 1, text("report.chart.goal_asa", language), fmt["head"])
    ar_goal = _goal_of(report, "answer_rate")
    asa_goal = _goal_of(report, "asa_seconds")
    for i in range(1, n + 1):
        if ar_goal is not None:
            sheet.write_number(i, goal_col, ar_goal, fmt["pct"])
        if asa_goal is not None:
            sheet.write_number(i, goal_col + 1, asa_goal, fmt["sec"])
    cats = [name, 1, where[key], n, where[key]]
    goal_name = text("report.goal", language)

    def bars_with_goal(column: str, color: str, goal_column: int, has_goal: bool):  # noqa: ANN202
        """A column chart of ``column`` per period, with the goal as a dashed line."""
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": label(column, language),
                "categories": cats,
                "values": [name, 1, where[column], n, where[column]],
                "fill": {"color": color},
            }
        )
        if has_goal:
            line = book.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": goal_name,
                    "categories": cats,
                    "values": [name, 1, goal_column, n, goal_column],
                    "line": {"color": "#C00000", "dash_type": "dash"},
                }
            )
            chart.combine(line)
        return chart

    rate = bars_with_goal("answer_rate", "#4472C4", goal_col, ar_goal is not None)
    rate.set_title({"name": text("report.chart.answer_rate", language, period=report.period)})
    rate.set_y_axis({"num_format": "0%", "min": 0.5, "max": 1.0})
    rate.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 2, 0, rate, {"x_scale": 1.3, "y_scale": 1.1})
    wait = bars_with_goal("asa_seconds", "#70AD47", goal_col + 1, asa_goal is not None)
    wait.set_title({"name": text("report.chart.asa", language)})
    wait.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 2, 8, wait, {"x_scale": 1.3, "y_scale": 1.1})
    if detail is not None:
        queues = detail[detail["queue"] != kpi.ALL_QUEUES]
        start = last + 20
        sheet.write(start, 0, text("report.section.queues_by", language), fmt["bold"])
        table(sheet, queues, start + 1)


def write_report_pdf(report: Report, path: str | Path, language: str = "da") -> Path:
    """The report as a two-page PDF (matplotlib) in ``language``: the goal table and the
    centre per day / week / month, then the charts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = report_title(report, language)
    with PdfPages(path, metadata={"Title": title, "Creator": "vagtplan"}) as pdf:
        _pdf_tables_page(pdf, plt, report, title, language)
        _pdf_charts_page(pdf, plt, report, title, language)
    return path


def _pdf_tables_page(pdf, plt, report: Report, title: str, language: str) -> None:  # noqa: ANN001
    """Page 1: the title and notes, the goal table, the centre per day / week / month."""
    fig = plt.figure(figsize=(11.69, 8.27))  # A4 landscape
    fig.suptitle(title, fontsize=16, x=0.05, ha="left")
    fig.text(0.05, 0.92, "\n".join(report_notes(report, language)), fontsize=8, va="top")
    cells, bad = _goal_cells(report, language)
    _pdf_table(
        fig.add_axes((0.05, 0.40, 0.9, 0.36)),
        cells,
        bad,
        text("report.section.goals", language),
    )
    centre = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES]
    key = report.breakdown_key
    cells, bad = _period_cells(centre, [key], report.goals, language)
    _pdf_table(
        fig.add_axes((0.05, 0.02, 0.9, 0.32)),
        cells,
        bad,
        text(f"report.section.breakdown.{key}", language),
    )
    pdf.savefig(fig)
    plt.close(fig)


def _pdf_charts_page(pdf, plt, report: Report, title: str, language: str) -> None:  # noqa: ANN001
    """Page 2: the centre's answer rate and wait per period, the queues, the trend."""
    summary = report.summary
    key = report.breakdown_key
    centre = report.breakdown[report.breakdown["queue"] == kpi.ALL_QUEUES]
    fig, axes = plt.subplots(2, 2, figsize=(11.69, 8.27))
    fig.suptitle(text("report.charts", language, title=title), fontsize=14, x=0.05, ha="left")
    labels = centre[key].astype(str).tolist()
    ar_goal = _goal_of(report, "answer_rate")
    goal_name = text("report.goal", language)
    _bars(
        axes[0, 0],
        labels,
        centre["answer_rate"],
        ar_goal,
        text("report.chart.answer_rate", language, period=report.period),
        goal_name,
        percent=True,
    )
    _bars(
        axes[0, 1],
        labels,
        centre["asa_seconds"],
        _goal_of(report, "asa_seconds"),
        text("report.chart.asa", language),
        goal_name,
        percent=False,
    )
    queues = summary[summary["queue"] != kpi.ALL_QUEUES]
    _bars(
        axes[1, 0],
        queues["queue"].tolist(),
        queues["answer_rate"],
        ar_goal,
        text("report.chart.per_queue", language),
        goal_name,
        percent=True,
        rotate=True,
    )
    trend = report.trend
    _bars(
        axes[1, 1],
        trend[report.trend_key].astype(str).tolist(),
        trend["answer_rate"],
        ar_goal,
        text(f"report.chart.trend.{report.kind}", language),
        goal_name,
        percent=True,
        rotate=True,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    pdf.savefig(fig)
    plt.close(fig)


def _pdf_table(ax, cells: pd.DataFrame, bad: np.ndarray, title: str) -> None:  # noqa: ANN001
    """A matplotlib table of display strings; goals missed in red, the first column in bold
    for the centre's row."""
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=11)
    columns = [str(c) for c in cells.columns]
    rows = [[str(v) for v in row] for row in cells.itertuples(index=False)]
    tab = ax.table(
        cellText=rows or [[_DASH] * len(columns)],
        colLabels=columns,
        loc="upper left",
        cellLoc="right",
    )
    tab.auto_set_font_size(False)
    tab.set_fontsize(7)
    tab.scale(1.0, 1.3)
    all_queues = {text("report.all_queues", lang) for lang in LANGUAGES}
    for i, row in enumerate(rows, start=1):
        for j in range(len(columns)):
            if bad[i - 1, j]:
                tab[i, j].set_facecolor(_RED)
        if row and row[0] in all_queues:
            tab[i, 0].set_text_props(weight="bold")


def _bars(ax, labels, values, goal, title, goal_name, *, percent, rotate=False) -> None:  # noqa: ANN001
    values = pd.Series(values, dtype=float).fillna(0.0).to_numpy()
    colours = ["#4472C4"] * len(values)
    if goal is not None:
        colours = ["#C00000" if (v < goal if percent else v > goal) else "#4472C4" for v in values]
        ax.axhline(goal, color="#C00000", linestyle="--", linewidth=1, label=goal_name)
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
