"""Glue between the app's Data, Prognose, Bemanding and Rapport pages and the library.

The pages stay thin: loading (cached for the embedded default data, keyed on the file's hash;
uploads are never cached, they live only in the uploader's own session), the tables their
charts draw (daily volume per queue, mean calls by weekday and time of day, agents needed by
weekday and time of day, forecast against actuals), forecasting and Excel/PDF report bytes.
No queueing or forecasting math here: that is `forecast` and `staffing`.

Session-state keys other pages read (set by the pages that make them):

- `HISTORY_KEY` (``"data:history"``): the loaded `planner.io.history.LoadedHistory`;
- `FORECAST_KEY` (``"forecast:result"``): the forecast contract (events applied);
- `REQUIREMENTS_KEY` (``"staffing:result"``): `staffing.requirements` output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from app_support.shell import PageState
from centre.timezone import TZ
from planner.io.history import LoadedHistory, default_history_path, load_history

if TYPE_CHECKING:  # the forecasting and report modules are imported where they are used, so
    # that the app's first page draws without loading statsmodels and scipy.stats (~1 s)
    from forecast.events import Event
    from staffing.simulation.reports import Report

__all__ = [
    "HISTORY_KEY",
    "FORECAST_KEY",
    "REQUIREMENTS_KEY",
    "TZ",
    "file_hash",
    "frame_token",
    "load_default_history",
    "load_uploaded_history",
    "daily_volume",
    "weekday_interval_mean",
    "make_forecast",
    "run_backtest",
    "forecast_with_events",
    "forecast_vs_actual",
    "open_stretches",
    "rate_domain",
    "agents_heatmap",
    "report_bytes",
    "kept_number",
    "COLUMN_KINDS",
    "header",
    "cell_text",
    "display_table",
    "column_text",
    "scenario_name",
    "day_text",
    "time_text",
    "summary_text",
    "reader_warning",
    "event_text",
    "meta_table",
]

HISTORY_KEY = "data:history"
FORECAST_KEY = "forecast:result"
REQUIREMENTS_KEY = "staffing:result"


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes (the cache key of the default data)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_token(frame: pd.DataFrame) -> str:
    """A content hash of a table (cache key of work derived from it)."""
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(values.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=4)
def _load_default(path: str, digest: str, anomalies: tuple[str, ...]) -> LoadedHistory:
    del digest  # part of the cache key only: a changed file is read again
    return load_history(path, anomalies=list(anomalies))


def load_default_history(anomalies: Iterable[str] = ()) -> LoadedHistory:
    """The embedded default history (cached per file hash and anomaly days)."""
    path = default_history_path()
    return _load_default(str(path), file_hash(path), tuple(sorted(set(anomalies))))


def load_uploaded_history(data: bytes, name: str, anomalies: Iterable[str] = ()) -> LoadedHistory:
    """An uploaded history (never cached: `st.cache_data` is shared by every session)."""
    return load_history(data, name=name, anomalies=list(anomalies))


def daily_volume(frame: pd.DataFrame) -> pd.DataFrame:
    """Offered calls per local day and queue: ``date, queue, offered``."""
    days = frame["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    out = (
        frame.assign(date=days)
        .groupby(["date", "queue"], observed=True, sort=True)["offered"]
        .sum()
        .reset_index()
    )
    out["queue"] = out["queue"].astype(str)
    return out


def _weekday_time(stamps: pd.Series) -> tuple[pd.Series, pd.Series]:
    local = stamps.dt.tz_convert(TZ)
    return local.dt.day_of_week, local.dt.strftime("%H:%M")


def weekday_interval_mean(
    frame: pd.DataFrame, value: str = "offered", queues: Sequence[str] | None = None
) -> pd.DataFrame:
    """Mean of ``value`` (summed over ``queues``, default all) per weekday and time of day.

    Returns ``weekday`` (0 = Monday), ``time`` (``HH:MM`` local) and ``value``: the mean over
    the days that have the interval (one row per weekday and time present in the data).
    """
    if queues:
        frame = frame[frame["queue"].astype(str).isin(list(queues))]
    per_interval = frame.groupby("interval_start", sort=True)[value].sum().reset_index()
    weekday, time = _weekday_time(per_interval["interval_start"])
    out = (
        per_interval.assign(weekday=weekday, time=time)
        .groupby(["weekday", "time"], sort=True)[value]
        .mean()
        .reset_index()
    )
    return out.rename(columns={value: "value"})


def agents_heatmap(requirements: pd.DataFrame, column: str = "agents") -> pd.DataFrame:
    """Agents needed (summed over queues) per weekday and time of day, mean over the dates."""
    return weekday_interval_mean(requirements, value=column)


@st.cache_data(show_spinner=False, max_entries=8)
def _forecast(
    token: str, _frame: pd.DataFrame, model: str, start: dt.date, days: int
) -> pd.DataFrame:
    del token
    from forecast.models import infer_calendar, make_model

    calendar = infer_calendar(_frame)
    fitted = make_model(model).fit(_frame, calendar=calendar)
    return fitted.predict(pd.Timestamp(start), days)


def make_forecast(frame: pd.DataFrame, model: str, start: dt.date, days: int) -> pd.DataFrame:
    """Fit ``model`` on the history before ``start`` and forecast ``days`` days from ``start``.

    A start inside the history fits on the days before it, so the forecast can be set against
    what happened. Cached on the history's content, model, start and days.
    """
    if days < 1:
        raise ValueError(f"days must be >= 1; got {days}")
    first = pd.Timestamp(start, tz=TZ)
    train = frame[frame["interval_start"] < first].reset_index(drop=True)
    if train.empty:
        raise ValueError(f"start {start} is before the history's first day: nothing to fit on")
    return _forecast(frame_token(train), train, model, start, int(days))


def run_backtest(
    frame: pd.DataFrame, model: str, *, origins: int = 2, horizon_days: int = 7
) -> pd.DataFrame:
    """Rolling-origin backtest scores of ``model`` (one row per queue and ``ALL``)."""
    from forecast.backtest import backtest

    result = backtest(frame, (model,), horizon_days=horizon_days, origins=origins, step_days=7)
    return result.scores


def forecast_with_events(
    forecast: pd.DataFrame, events: Sequence[Event]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`forecast.events.apply_events` (no events: the forecast and an empty adjustments table)."""
    from forecast.events import apply_events

    if not events:
        return forecast, pd.DataFrame(columns=["event", "kind", "interval_start", "queue", "added"])
    return apply_events(forecast, events)


def open_stretches(stamps: pd.Series, step: pd.Timedelta | None = None) -> pd.Series:
    """A number per run of consecutive intervals (a new run after any gap: a night, a weekend,
    a closed day), so lines and bands are drawn per open stretch and never across closed
    hours. ``step``: the interval length (default: the smallest step in ``stamps``)."""
    if stamps.empty:
        return pd.Series([], index=stamps.index, dtype="int64")
    order = stamps.sort_values()
    gaps = order.diff()
    step = step if step is not None else gaps[gaps > pd.Timedelta(0)].min()
    runs = (gaps > step).cumsum() if pd.notna(step) else gaps.notna().cumsum() * 0
    return runs.reindex(stamps.index).astype("int64")


def rate_domain(values: Iterable[float], goal: float | None, pad: float = 0.02) -> list[float]:
    """The y-axis of a rate chart around its figures and its goal: from just below the lowest
    to just above the highest of both, inside [0, 1], so that a difference of a point or two is
    visible (a 0-100 % axis hides it) and the goal is always in view.

    >>> rate_domain([0.95, 0.97], 0.92)
    [0.9, 0.99]
    >>> rate_domain([0.999], None)
    [0.979, 1.0]
    """
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    points = finite + ([float(goal)] if goal is not None else [])
    if not points:
        return [0.0, 1.0]
    lo, hi = max(0.0, min(points) - pad), min(1.0, max(points) + pad)
    return [round(lo, 6), round(hi, 6)]


def forecast_vs_actual(forecast: pd.DataFrame, frame: pd.DataFrame, queue: str) -> pd.DataFrame:
    """One queue's forecast with its 80 % band and the actual calls where the history has them:
    ``interval_start`` (local, naive for charts), ``offered``, ``offered_lo``, ``offered_hi``,
    ``actual`` (NaN without actuals), ``stretch`` (`open_stretches`: charts draw each open
    stretch apart, no line across nights and weekends)."""
    fc = forecast[forecast["queue"].astype(str) == queue]
    act = frame[frame["queue"].astype(str) == queue][["interval_start", "offered"]]
    out = fc[["interval_start", "offered", "offered_lo", "offered_hi"]].merge(
        act.rename(columns={"offered": "actual"}), on="interval_start", how="left"
    )
    out["actual"] = out["actual"].astype(float)
    out["interval_start"] = out["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None)
    out = out.sort_values("interval_start").reset_index(drop=True)
    out["stretch"] = open_stretches(out["interval_start"])
    return out


def report_bytes(report: Report, suffix: str, language: str = "da") -> bytes:
    """The report as Excel (``".xlsx"``) or PDF (``".pdf"``) bytes via `write_report`, in
    ``language`` (the app's: `app_support.shell.language`)."""
    from planner.io.report_export import write_report

    with tempfile.TemporaryDirectory() as folder:
        path = write_report(report, Path(folder) / f"report{suffix}", language)
        return path.read_bytes()


def kept_number(
    state: PageState,
    where: Any,
    label: str,
    name: str,
    low: float,
    high: float,
    default: float,
    step: float,
) -> float:
    """A number input on ``where`` (``st`` or a column) kept across pages, starting on
    ``default`` (set once in the session rather than as ``value=``, which Streamlit refuses
    beside a kept session value)."""
    state.setdefault(name, default)
    value = where.number_input(label, low, high, step=step, key=state.key(name))
    state.keep(name)
    return value


# -- on screen in the app's language ---------------------------------------------------------------
# Tables keep the contract's column names and values in the session, the store and downloads;
# what the pages show is made here: headers from the ``tbl.*`` texts, numbers in the language's
# style (1.234,5; 92,3 %), days as planners write them (man. 23/11), codes as words.

#: How each known column is shown: ``share`` (0.923 -> 92,3 %), ``count`` (whole number),
#: ``decimal`` (one decimal), ``ratio`` (two decimals), ``time`` (man. 23/11 08:00), ``date``
#: (man. 23/11), ``queue`` (the all-queues row named), ``model``, ``activity``, ``goals``
#: (``answer_rate;asa_seconds`` as words), ``yes_no``, ``scenario`` (the base named).
COLUMN_KINDS: dict[str, str] = {
    "interval_start": "time",
    "start": "time",
    "end": "time",
    "date": "date",
    "queue": "queue",
    "model": "model",
    "activity": "activity",
    "scenario": "scenario",
    "missed": "goals",
    "clear": "yes_no",
    "origins": "count",
    "actual_calls": "count",
    "wape_interval": "share",
    "wape_daily": "share",
    "bias": "share",
    "mase_interval": "ratio",
    "mase_daily": "ratio",
    "coverage_interval": "share",
    "coverage_daily": "share",
    "aht_wape": "share",
    "aht_bias": "share",
    "agents": "count",
    "agents_gross": "count",
    "agents_lo": "count",
    "agents_hi": "count",
    "offered": "decimal",
    "offered_lo": "decimal",
    "offered_hi": "decimal",
    "answered": "count",
    "abandoned": "count",
    "abandoned_short": "count",
    "transferred": "count",
    "aht_seconds": "count",
    "asa_seconds": "count",
    "asa_seconds_lo": "count",
    "asa_seconds_hi": "count",
    "abandon_wait_seconds": "count",
    "traffic_erlangs": "decimal",
    "service_level": "share",
    "service_level_lo": "share",
    "service_level_hi": "share",
    "answer_rate": "share",
    "answer_rate_lo": "share",
    "answer_rate_hi": "share",
    "abandon_rate": "share",
    "fcr": "share",
    "p_abandon": "share",
    "p_wait": "share",
    "occupancy": "share",
    "required": "decimal",
    "staffed": "decimal",
    "shortfall": "decimal",
    "weekly_hours": "decimal",
}
#: The name of the all-queues row (`staffing.kpi.ALL_QUEUES`, and ``ALL`` in backtests).
ALL_QUEUE_NAMES = ("ALL", "Alle køer")


def header(column: str, lang: str = "da") -> str:
    """A column's header on screen: its ``tbl.<column>`` text, else the column as it is (a
    name from the user's own file)."""
    from app_support.i18n import TEXTS, t

    return t(f"tbl.{column}", lang) if f"tbl.{column}" in TEXTS else str(column)


def cell_text(value: Any, kind: str, lang: str = "da") -> str:
    """One value as the page shows it in a column of ``kind`` (see `COLUMN_KINDS`); empty for
    a missing value."""
    from app_support.i18n import TEXTS, number, percent, short_date, t

    if value is None or (not isinstance(value, str | bytes) and bool(np.all(pd.isna(value)))):
        return ""
    if kind == "share":
        return percent(float(value), 1, lang)
    if kind in ("count", "decimal", "ratio"):
        return number(float(value), {"count": 0, "decimal": 1, "ratio": 2}[kind], lang)
    if kind == "time":
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_convert(TZ) if stamp.tzinfo is not None else stamp
        return f"{short_date(stamp.date(), lang)} {stamp:%H:%M}"
    if kind == "date":
        day = pd.Timestamp(value).date()
        return short_date(day, lang)
    if kind == "queue" and str(value) in ALL_QUEUE_NAMES:
        return t("data.all_queues", lang)
    if kind == "scenario":
        return scenario_name(str(value), lang)
    if kind == "yes_no":
        return t("ro.kpi_yes" if bool(value) else "ro.kpi_no", lang)
    if kind == "goals":
        return ", ".join(header(g, lang) for g in str(value).split(";") if g)
    key = {"model": "fc.model.", "activity": "activity."}.get(kind, "") + str(value)
    if kind in ("model", "activity") and key in TEXTS:
        return t(key, lang)
    if isinstance(value, bool | np.bool_):
        return t("ro.kpi_yes" if value else "ro.kpi_no", lang)
    if isinstance(value, float | np.floating):
        return number(float(value), 1, lang)
    if isinstance(value, int | np.integer):
        return number(float(value), 0, lang)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return cell_text(value, "time", lang)
    if isinstance(value, dt.date):
        return short_date(value, lang)
    return str(value)


def display_table(
    frame: pd.DataFrame, lang: str = "da", kinds: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """``frame`` as the page shows it: translated headers (`header`) and every cell as text
    in the language's style (`cell_text`; ``kinds`` adds or overrides `COLUMN_KINDS`). The
    frame itself (the session's, the store's, the downloads') is not changed."""
    chosen = {**COLUMN_KINDS, **(kinds or {})}
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        kind = chosen.get(str(column), "")
        out[header(str(column), lang)] = column_text(frame[column], kind, lang)
    return out.reset_index(drop=True)


_DIGITS = {"share": 1, "count": 0, "decimal": 1, "ratio": 2}


def column_text(values: pd.Series, kind: str, lang: str = "da") -> list[str]:
    """`cell_text` of a whole column, fast for numbers and times (a staffing table has
    thousands of rows); other columns value by value."""
    from app_support.i18n import short_date

    if kind in _DIGITS and pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
        numbers = values.to_numpy(dtype=float) * (100.0 if kind == "share" else 1.0)
        pattern = f"{{:,.{_DIGITS[kind]}f}}" + (" %" if kind == "share" else "")
        texts = ["" if np.isnan(v) else pattern.format(v) for v in numbers]
        if lang == "da":
            marks = str.maketrans(",.", ".,")
            texts = [text.translate(marks) for text in texts]
        return texts
    if kind == "time" and isinstance(values.dtype, pd.DatetimeTZDtype):
        local = values.dt.tz_convert(TZ)
        days = {d: short_date(d, lang) for d in set(local.dt.date.dropna())}
        clocks = local.dt.strftime("%H:%M")
        return [
            "" if pd.isna(d) else f"{days[d]} {c}"
            for d, c in zip(local.dt.date, clocks, strict=True)
        ]
    try:  # each distinct value once (queues, codes, names repeat down a column)
        shown = {v: cell_text(v, kind, lang) for v in pd.unique(values)}
        return [shown[v] for v in values]
    except TypeError:  # unhashable values (lists): one by one
        return [cell_text(v, kind, lang) for v in values]


def scenario_name(name: str, lang: str = "da") -> str:
    """A scenario's name on screen: the base plan (`planner.io.scenarios.BASE`) by its word,
    the others as named."""
    from app_support.i18n import t
    from planner.io.scenarios import BASE

    return t("tbl.base", lang) if name == BASE else name


def day_text(day: dt.date | pd.Timestamp | str | None, lang: str = "da") -> str:
    """A day with its year: ``20.11.2026`` in Danish (as the app's week labels), ISO in
    English; empty for none."""
    if day is None or day == "":
        return ""
    value = pd.Timestamp(day)
    if value.tzinfo is not None:
        value = value.tz_convert(TZ)
    return value.strftime("%d.%m.%Y") if lang == "da" else value.strftime("%Y-%m-%d")


def time_text(stamp: pd.Timestamp | str | None, lang: str = "da") -> str:
    """A time with its day and year: ``02.01.2024 07:30`` in Danish, ISO-like in English."""
    if stamp is None or stamp == "":
        return ""
    value = pd.Timestamp(stamp)
    if value.tzinfo is not None:
        value = value.tz_convert(TZ)
    return f"{day_text(value, lang)} {value:%H:%M}"


_SOURCE_CSV = re.compile(r"^CSV, (?P<encoding>.*?), (?P<sep>.+?) separated, decimal '(?P<dec>.)'$")
_TIME_FORMATS = {
    "ISO 8601 with offset": "iso",
    "naive local time": "naive",
    "datetime values": "values",
}


def _source_words(source: str, lang: str) -> str:
    """How the file was read (`planner.io.history`'s summary ``source``) in ``lang``."""
    from app_support.i18n import t

    match = _SOURCE_CSV.match(source)
    if match is None:
        kinds = {"Excel workbook": "xlsx", "Parquet file": "parquet"}
        return t(f"ds.source.{kinds[source]}", lang) if source in kinds else source
    encoding = match.group("encoding")
    if encoding.endswith(" with BOM"):
        encoding = t("ds.bom", lang, encoding=encoding.removesuffix(" with BOM"))
    sep = match.group("sep")
    separator = {"tab": t("ds.sep.tab", lang), "no": t("ds.sep.none", lang)}.get(
        sep, t("ds.sep", lang, sep=sep)
    )
    return t("ds.source.csv", lang, encoding=encoding, sep=separator, dec=match.group("dec"))


def _dates_text(days: Sequence[str], lang: str, limit: int = 6) -> str:
    """Up to ``limit`` days (ISO) as the page writes them, and how many more."""
    from app_support.i18n import t

    shown = ", ".join(day_text(d, lang) for d in days[:limit])
    more = len(days) - limit
    return shown + (t("ds.more", lang, n=more) if more > 0 else "")


def _count(n: int, noun: str, lang: str) -> str:
    """``1 dag``, ``2 dage``: a count with its noun (``day``, ``row``, ``call``) in ``lang``."""
    from app_support.i18n import number, t

    return t(f"ds.n.{noun}.{'one' if n == 1 else 'many'}", lang, n=number(n, 0, lang))


def summary_text(info: Mapping[str, Any], lang: str = "da") -> str:
    """The history's summary (`planner.io.history.HistorySummary.to_dict`) as lines of text in
    ``lang``: what `HistorySummary.to_text` says in English for the CLI, from the same
    fields (the file's name, queue names and the reader's warnings are quoted as they are)."""
    from app_support.i18n import number, t

    def n(value: float) -> str:
        return number(float(value), 0, lang)

    time_format = info.get("time_format", "")
    lines = [
        t(
            "ds.head",
            lang,
            name=info["name"],
            queues=len(info["queues"]),
            source=_source_words(str(info.get("source", "")), lang),
            time_format=t(f"ds.time.{_TIME_FORMATS[time_format]}", lang)
            if time_format in _TIME_FORMATS
            else time_format,
        )
    ]
    if info.get("start") and info.get("end"):
        lines.append(
            t(
                "ds.span",
                lang,
                start=time_text(info["start"], lang),
                end=time_text(info["end"], lang),
                tz=info.get("tz", ""),
                days=n(info["days"]),
            )
        )
    how = t("ds.inferred" if info.get("interval_inferred") else "ds.given", lang)
    lines.append(t("ds.interval", lang, minutes=info["interval_minutes"], how=how))
    lines.append(
        t(
            "ds.rows",
            lang,
            read=n(info["rows_read"]),
            loaded=n(info["rows"]),
            calls=n(info["calls"]),
        )
    )
    lines.append(t("ds.columns", lang, columns=", ".join(header(c, lang) for c in info["columns"])))
    if info.get("renamed"):
        renamed = ", ".join(
            t("ds.renamed_one", lang, old=old, new=header(new, lang))
            for old, new in info["renamed"].items()
        )
        lines.append(t("ds.renamed", lang, renamed=renamed))
    key = "ds.filled" if info.get("fill_missing") else "ds.missing"
    lines.append(t(key, lang, n=n(info.get("filled", 0))))
    gaps = {q: ds for q, ds in (info.get("gaps") or {}).items() if ds}
    if gaps:
        parts = "; ".join(f"{q} {_dates_text(ds, lang)}" for q, ds in gaps.items())
        total = sum(len(ds) for ds in gaps.values())
        lines.append(t("ds.gaps", lang, n=n(total), days=parts))
    else:
        lines.append(t("ds.no_gaps", lang))
    anomalies = info.get("anomalies") or {}
    if anomalies:
        rows = sum(int(a["rows"]) for a in anomalies.values())
        calls = sum(int(a["calls"]) for a in anomalies.values())
        lines.append(
            t(
                "ds.anomalies",
                lang,
                days=_count(len(anomalies), "day", lang),
                rows=_count(rows, "row", lang),
                calls=_count(calls, "call", lang),
                dates=_dates_text(sorted(anomalies), lang),
            )
        )
    else:
        lines.append(t("ds.no_anomalies", lang))
    for warning in info.get("warnings") or []:
        lines.append(t("ds.warning", lang, text=reader_warning(warning, lang)))
    return "\n".join(lines)


_CLOSED_DAYS = re.compile(
    r"^(?P<rows>[\d,]+) rows? \((?P<calls>[\d,]+) calls?\) fall on (?P<days>[\d,]+) days? the "
    r"calendar has closed, (?P<busy>\d+) with calls: (?P<examples>.*?)(?: and (?P<more>\d+) "
    r"more)?; kept \(mark faults as anomalies to leave them out\)$"
)
_CLOSED_EXAMPLE = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2}) \((?P<reason>[^,()]*), (?P<calls>\d+) calls?\)"
)


def _closing_reason(day: str, reason: str, lang: str) -> str:
    """Why the calendar closes ``day``: a public holiday by its Danish name (from the
    ``holidays`` package), the weekend and a closed weekday in words, another reason (the
    centre's own) as it is."""
    from app_support.i18n import t

    if reason in ("weekend", "closed weekday"):
        return t(f"ds.closed.{reason.replace(' ', '_')}", lang)
    if lang == "da":
        import holidays

        date = dt.date.fromisoformat(day)
        name = holidays.country_holidays("DK", years=date.year, language="da").get(date)
        if name:
            return str(name)
    return reason


def reader_warning(text: str, lang: str = "da") -> str:
    """A warning of the history reader in ``lang``: the calendar's closed days with calls (the
    one the default data gives) in words; other warnings, like the reader's error messages,
    as the reader wrote them (English)."""
    from app_support.i18n import t

    if lang != "da":
        return text
    match = _CLOSED_DAYS.match(text)
    if match is None:
        return text

    def n(raw: str) -> int:
        return int(raw.replace(",", ""))

    examples = ", ".join(
        t(
            "ds.closed_example",
            lang,
            day=day_text(m.group("day"), lang),
            reason=_closing_reason(m.group("day"), m.group("reason"), lang),
            calls=_count(n(m.group("calls")), "call", lang),
        )
        for m in _CLOSED_EXAMPLE.finditer(match.group("examples"))
    )
    more = t("ds.more", lang, n=match.group("more")) if match.group("more") else ""
    return t(
        "ds.closed_days",
        lang,
        rows=_count(n(match.group("rows")), "row", lang),
        calls=_count(n(match.group("calls")), "call", lang),
        days=_count(n(match.group("days")), "day", lang),
        busy=match.group("busy"),
        examples=examples + more,
    )


def event_text(event: Event, lang: str = "da") -> str:
    """A forecast event or manual adjustment in one line in ``lang`` (what
    `forecast.events.Event.describe` says in English): its name, kind, size, queues and days."""
    from app_support.i18n import number, percent, short_date, t

    if event.lift is not None:
        size = ("+" if event.lift >= 0 else "") + percent(event.lift, 0, lang)
    else:
        calls = float(event.calls or 0.0)
        size = t("fcx.calls", lang, calls=("+" if calls >= 0 else "") + number(calls, 0, lang))
    start = short_date(event.start, lang)
    span = (
        t("fcx.span", lang, start=start, end=short_date(event.end, lang))
        if event.end
        else t("fcx.from", lang, start=start)
    )
    return t(
        "fcx.event",
        lang,
        name=event.name,
        kind=t(f"fc.kind.{event.kind}", lang),
        size=size,
        queues=", ".join(event.queues),
        span=span,
    )


def meta_table(meta: Mapping[str, Any], lang: str = "da") -> pd.DataFrame:
    """The facts saved with a version as a two-column table in ``lang``: each known fact by
    its ``meta.*`` text (others by their name), lists and sub-facts in words, ISO weeks as
    weeks, shares as percentages."""
    from app_support.diagnosis import week_text
    from app_support.i18n import TEXTS, t

    def label(key: str) -> str:
        return t(f"meta.{key}", lang) if f"meta.{key}" in TEXTS else str(key)

    def value_text(key: str, value: Any) -> str:
        if isinstance(value, Mapping):
            return ", ".join(f"{value_text(k, v)} {label(k)}" for k, v in value.items())
        if isinstance(value, list | tuple):
            return ", ".join(value_text(key, v) for v in value) or t("meta.none", lang)
        if value is None:
            return t("meta.none", lang)
        if key == "week":
            return week_text(str(value), lang)
        if key in ("answer_rate", "service_level", "shrinkage") and isinstance(value, float):
            return cell_text(value, "share", lang)
        if key == "model":
            return cell_text(value, "model", lang)
        if key == "start" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return cell_text(value, "date", lang)
        return cell_text(value, "", lang)

    rows = [(label(str(k)), value_text(str(k), v)) for k, v in meta.items()]
    return pd.DataFrame(rows, columns=[t("tbl.fact", lang), t("tbl.value", lang)])
