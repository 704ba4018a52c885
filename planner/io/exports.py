"""Exports of a roster: Excel as planners read it, CSV in the roster contract, iCalendar files.

Excel (`roster_excel`, via xlsxwriter), three sheets:

- **Vagtplan**: a row per agent (id, team, week hours), a column per day; each cell holds the
  shift ("07:30-15:00"), the lunch ("frokost 11:00") and meetings or training
  ("møde 14:00-15:00"), or "ferie" on a booked day; cells are coloured: early shifts blue
  (starting within 30 minutes of the day's first start), late shifts orange (ending within 30
  minutes of its last end), other shifts green, holidays grey, days off white; a legend below.
- **Dækning** (coverage): a row per interval, a column per queue with "staffed / required",
  red where an agent or more is missing, yellow where part of one, plus totals.
- **Rækker**: the roster rows themselves (the contract, times as local ISO text).

CSV (`write_roster_csv`): the roster contract with ISO 8601 times carrying their offset.

iCalendar (`roster_icalendar`, `write_icalendars`): one ``.ics`` file per agent with an event for
each shift and for each lunch, meeting and training block, and an all-day event for each
booked holiday; times in Europe/Copenhagen with the VTIMEZONE block
(``add_missing_timezones``); UIDs are stable (agent, start, activity), so a re-exported plan
updates the events already in a calendar.

User text (agent ids, teams, queue names) is never run (`planner.io.safe_text`):

- Excel: every text cell is written as a string, never as a formula or a link (xlsxwriter's
  ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` are off, and the
  sheets use ``write_string``); ``=HYPERLINK(...)`` as an agent id stays that text.
- CSV: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'`` (OWASP), and a carriage return inside it is written as a (quoted) line feed;
  numbers, dates and times are written as they are.
- iCalendar: control characters in an id (a line break) become spaces in the calendar's name
  and UIDs (the UID then also carries a short hash of the id, so that it stays unique), and
  `ical_file_names` gives each agent a safe file name of its own, also when ids differ only in
  punctuation or case (``A.01`` and ``A_01``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from icalendar import Calendar, Event, Timezone, vText

from centre.timezone import TZ
from planner.io.safe_text import (
    calendar_text,
    defuse_text_columns,
    short_hash,
    unique_file_stems,
)
from planner.io.tables import write_csv

__all__ = [
    "roster_excel",
    "write_roster_excel",
    "write_roster_csv",
    "roster_icalendar",
    "roster_icalendars",
    "ical_file_names",
    "write_icalendars",
    "EXCEL_OPTIONS",
]

#: xlsxwriter workbook options: a string is always written as a string, never turned into a
#: formula (``=...``), a hyperlink (``https://...``) or a number.
EXCEL_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

_DAYS_DA = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
_MONTHS_DA = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_LABEL_DA = {
    "phone": "telefon",
    "off_phone": "andet arbejde",
    "lunch": "frokost",
    "break": "pause",
    "meeting": "møde",
    "training": "uddannelse",
    "absence": "ferie",
}
_COLOURS = {
    "early": "#CFE2F3",
    "late": "#FCE5CD",
    "day": "#D9EAD3",
    "absence": "#D9D9D9",
    "short": "#F4CCCC",
    "part": "#FFF2CC",
    "ok": "#D9EAD3",
}


def _local(series: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = pd.to_datetime(series, format="ISO8601", utc=True)
    if series.dt.tz is None:
        return series.dt.tz_localize(TZ)
    return series.dt.tz_convert(TZ)


def _prepare(roster: pd.DataFrame) -> pd.DataFrame:
    frame = roster.copy()
    if frame.empty:
        return frame
    frame["start"] = _local(frame["start"])
    frame["end"] = _local(frame["end"])
    frame["day"] = frame["start"].dt.date
    frame["agent_id"] = frame["agent_id"].astype(str)
    return frame.sort_values(["agent_id", "start"], kind="stable")


def _day_header(day: dt.date) -> str:
    return f"{_DAYS_DA[day.weekday()]} {day.day}. {_MONTHS_DA[day.month - 1]}"


def _cell(rows: pd.DataFrame, opening: tuple[int, int] | None) -> tuple[str, str]:
    """Text and kind (early / late / day / absence) of one agent-day."""
    return _cell_of(
        rows["activity"].tolist(), rows["start"].tolist(), rows["end"].tolist(), opening
    )


def _cell_of(
    activities: list[Any],
    starts: list[pd.Timestamp],
    ends: list[pd.Timestamp],
    opening: tuple[int, int] | None,
) -> tuple[str, str]:
    """`_cell` of an agent-day's rows given as lists (in the order of the rows)."""
    if "absence" in activities:
        return "ferie", "absence"
    start, end = _earliest(starts), _latest(ends)
    lines = [f"{start:%H:%M}-{end:%H:%M}"]
    for activity, s, e in zip(activities, starts, ends):
        if activity == "lunch":
            lines.append(f"frokost {s:%H:%M}")
        elif activity in ("off_phone", "meeting", "training", "break"):
            lines.append(f"{_LABEL_DA[activity]} {s:%H:%M}-{e:%H:%M}")
    kind = "day"
    if opening is not None:
        first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        if first < opening[0] + 30:
            kind = "early"
        elif last > opening[1] - 30:
            kind = "late"
    return "\n".join(lines), kind


def _earliest(times: list[pd.Timestamp]) -> pd.Timestamp:
    """The earliest of ``times``, NaT left out (as ``Series.min``)."""
    known = [t for t in times if not pd.isna(t)]
    return min(known) if known else pd.NaT


def _latest(times: list[pd.Timestamp]) -> pd.Timestamp:
    """The latest of ``times``, NaT left out (as ``Series.max``)."""
    known = [t for t in times if not pd.isna(t)]
    return max(known) if known else pd.NaT


def _agent_days(frame: pd.DataFrame) -> dict[str, dict[Any, list[int]]]:
    """``{agent_id: {day: [row, ...]}}``: the positions of each agent-day's rows in ``frame``
    (in its order), read in one pass."""
    out: dict[str, dict[Any, list[int]]] = {}
    for i, (agent_id, day) in enumerate(zip(frame["agent_id"].tolist(), frame["day"].tolist())):
        out.setdefault(agent_id, {}).setdefault(day, []).append(i)
    return out


def _write_text(sheet: Any, row: int, col: int, text: str, fmt: Any) -> None:
    """Write ``text`` as a string cell (never a formula or link); an empty text as a blank."""
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def roster_excel(
    roster: pd.DataFrame,
    agents: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
) -> bytes:
    """The roster as an Excel workbook (see the module docstring); returns the file's bytes.

    ``agents`` adds the team column; ``coverage`` (``interval_start, queue, required,
    staffed, shortfall``, as `staffing.roster.solve.RosterResult.coverage`) adds the coverage sheet.
    """
    frame = _prepare(roster)
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter", engine_kwargs={"options": EXCEL_OPTIONS}
    ) as writer:
        book = writer.book
        wrap = {"text_wrap": True, "valign": "top", "border": 1, "font_size": 9}
        formats = {k: book.add_format({**wrap, "bg_color": c}) for k, c in _COLOURS.items()}
        formats["off"] = book.add_format(wrap)
        head = book.add_format({"bold": True, "bg_color": "#EFEFEF", "border": 1})
        plain = book.add_format({"border": 1, "valign": "top"})
        sheet = book.add_worksheet("Vagtplan")
        writer.sheets["Vagtplan"] = sheet
        days = sorted(frame["day"].unique()) if not frame.empty else []
        teams = {}
        if agents is not None:
            teams = dict(zip(agents["agent_id"].astype(str), agents["team"].astype(str)))
        ids = sorted(set(frame["agent_id"]) | set(teams)) if not frame.empty else sorted(teams)
        opening = {}
        for day in days:
            work = frame[(frame["day"] == day) & (frame["activity"] != "absence")]
            if not work.empty:
                first = work["start"].min()
                last = work["end"].max()
                opening[day] = (first.hour * 60 + first.minute, last.hour * 60 + last.minute)
        sheet.write_row(0, 0, ["Medarbejder", "Team", "Timer"], head)
        for c, day in enumerate(days):
            sheet.write(0, 3 + c, _day_header(day), head)
        sheet.freeze_panes(1, 3)
        sheet.set_column(0, 1, 14)
        sheet.set_column(2, 2, 7)
        sheet.set_column(3, 3 + max(len(days) - 1, 0), 22)
        by_agent = _agent_days(frame) if not frame.empty else {}
        activities = frame["activity"].tolist() if not frame.empty else []
        starts = frame["start"].tolist() if not frame.empty else []
        ends = frame["end"].tolist() if not frame.empty else []
        for r, agent_id in enumerate(ids, start=1):
            agent_days = by_agent.get(agent_id, {})
            hours = 0.0
            for day in sorted(agent_days):
                work = [i for i in agent_days[day] if activities[i] != "absence"]
                if work:
                    span = _latest([ends[i] for i in work]) - _earliest([starts[i] for i in work])
                    hours += span.total_seconds() / 3600
            _write_text(sheet, r, 0, agent_id, plain)
            _write_text(sheet, r, 1, teams.get(agent_id, ""), plain)
            sheet.write_number(r, 2, round(hours, 2), plain)
            lines = 1
            for c, day in enumerate(days):
                rows = agent_days.get(day)
                if not rows:
                    sheet.write_blank(r, 3 + c, None, formats["off"])
                    continue
                text, kind = _cell_of(
                    [activities[i] for i in rows],
                    [starts[i] for i in rows],
                    [ends[i] for i in rows],
                    opening.get(day),
                )
                lines = max(lines, text.count("\n") + 1)
                _write_text(sheet, r, 3 + c, text, formats[kind])
            sheet.set_row(r, 13 * lines + 2)
        legend = len(ids) + 2
        sheet.write(legend, 0, "Forklaring", head)
        for i, (kind, label) in enumerate(
            (
                ("early", "tidlig vagt"),
                ("day", "dagvagt"),
                ("late", "sen vagt"),
                ("absence", "ferie / fravær"),
                ("off", "fri"),
            )
        ):
            sheet.write(legend + 1 + i, 0, label, formats[kind])
        if coverage is not None and len(coverage):
            _coverage_sheet(book, writer, coverage, head, formats)
        rows_out = frame.drop(columns=["day"], errors="ignore").copy()
        for col in ("start", "end"):
            if col in rows_out:
                rows_out[col] = rows_out[col].map(lambda t: t.isoformat())
        if "date" in rows_out:
            rows_out["date"] = rows_out["date"].astype(str)
        rows_out.to_excel(writer, sheet_name="Rækker", index=False)
    return buffer.getvalue()


def _coverage_sheet(book, writer, coverage: pd.DataFrame, head, formats) -> None:
    cov = coverage.copy()
    cov["interval_start"] = _local(cov["interval_start"])
    queues = sorted(cov["queue"].unique())
    sheet = book.add_worksheet("Dækning")
    writer.sheets["Dækning"] = sheet
    for c, title in enumerate(
        ["Dag", "Interval", *map(str, queues), "Behov i alt", "Dækket i alt", "Mangler"]
    ):
        _write_text(sheet, 0, c, title, head)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 12)
    sheet.set_column(2, 2 + len(queues) + 2, 13)
    plain = book.add_format({"border": 1})
    for r, (start, rows) in enumerate(cov.groupby("interval_start", sort=True), start=1):
        sheet.write(r, 0, _day_header(start.date()), plain)
        sheet.write(r, 1, f"{start:%H:%M}", plain)
        by_queue = {row.queue: row for row in rows.itertuples(index=False)}
        for c, q in enumerate(queues):
            row = by_queue.get(q)
            if row is None:
                sheet.write_blank(r, 2 + c, None, plain)
                continue
            kind = (
                "short" if row.shortfall >= 1 - 1e-9 else "part" if row.shortfall > 1e-6 else "ok"
            )
            sheet.write(r, 2 + c, f"{row.staffed:.1f} / {row.required:g}", formats[kind])
        sheet.write_number(r, 2 + len(queues), float(rows["required"].sum()), plain)
        sheet.write_number(r, 3 + len(queues), round(float(rows["staffed"].sum()), 2), plain)
        sheet.write_number(r, 4 + len(queues), round(float(rows["shortfall"].sum()), 2), plain)


def write_roster_excel(
    roster: pd.DataFrame,
    path: str | Path,
    agents: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
) -> Path:
    """Write `roster_excel` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(roster_excel(roster, agents, coverage))
    return path


def write_roster_csv(roster: pd.DataFrame, path: str | Path) -> Path:
    """The roster contract as CSV (UTF-8, ISO 8601 times with offset, ISO dates).

    Text cells a spreadsheet would run as a formula get a leading ``'``
    (`planner.io.safe_text.defuse_text_columns`); times and dates are not touched.
    """
    out = defuse_text_columns(roster)
    if "date" in out:
        out["date"] = out["date"].astype(str)
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype) and len(out):
            out[column] = _iso_texts(out[column])
    return write_csv(out, path)


def _iso_texts(times: pd.Series) -> pd.Series:
    """``t.isoformat()`` of each time of a tz-aware column ("" for NaT), as `write_csv` writes
    them, built for the whole column at once (whole seconds; others one by one)."""
    values = times.dt.as_unit("ns")
    utc = np.asarray(values.array.asi8, dtype=np.int64)
    local = values.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    clock = np.datetime_as_string(local.astype("datetime64[s]"), unit="s").astype(object)
    offset = (local.view(np.int64) - utc) // 60_000_000_000
    signs = np.where(offset < 0, "-", "+").astype(object)
    hours = np.char.zfill((np.abs(offset) // 60).astype(str), 2).astype(object)
    minutes = np.char.zfill((np.abs(offset) % 60).astype(str), 2).astype(object)
    texts = clock + signs + hours + ":" + minutes
    missing = values.isna().to_numpy()
    texts[missing] = ""
    odd = ~missing & (utc % 1_000_000_000 != 0)
    for i in np.flatnonzero(odd).tolist():
        texts[i] = times.iat[i].isoformat()
    return pd.Series(texts, index=times.index, dtype=object)


def _aware(ts: pd.Timestamp, zone: ZoneInfo) -> dt.datetime:
    local = ts.tz_convert(TZ)
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute, tzinfo=zone)


def _uid_id(agent_id: str) -> str:
    """The agent's part of the events' UIDs: the id itself (stable across exports), or, for an
    id with control characters, its cleaned text and a short hash (unique still)."""
    clean = calendar_text(agent_id)
    if clean == agent_id:
        return agent_id
    return f"{clean}-{short_hash(agent_id)}"


def roster_icalendar(
    roster: pd.DataFrame,
    agent_id: str,
    *,
    stamp: dt.datetime | None = None,
) -> bytes:
    """One agent's plan as an iCalendar file (see the module docstring).

    ``stamp`` is the DTSTAMP of every event (default: now, UTC).
    """
    return roster_icalendars(roster, [agent_id], stamp=stamp)[str(agent_id)]


def roster_icalendars(
    roster: pd.DataFrame,
    agent_ids: Iterable[str] | None = None,
    *,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """`roster_icalendar` of every agent of the roster (or of ``agent_ids``), the roster read
    once: ``{agent_id: bytes}`` in the order of the ids (sorted without ``agent_ids``)."""
    frame = _prepare(roster)
    if agent_ids is None:
        ids = sorted(set(roster["agent_id"].astype(str)))
    else:
        ids = list(dict.fromkeys(str(i) for i in agent_ids))
    stamp = stamp or dt.datetime.now(dt.UTC)
    by_agent = _agent_days(frame) if not frame.empty else {}
    blocks = (
        (frame["activity"].tolist(), frame["start"].tolist(), frame["end"].tolist())
        if not frame.empty
        else ([], [], [])
    )
    return {i: _agent_icalendar(by_agent.get(i, {}), blocks, i, stamp) for i in ids}


def _agent_icalendar(
    days: dict[Any, list[int]],
    blocks: tuple[list[Any], list[pd.Timestamp], list[pd.Timestamp]],
    agent_id: str,
    stamp: dt.datetime,
) -> bytes:
    """The iCalendar file of ``agent_id``: ``days`` maps each day to the agent's rows of the
    prepared roster (`_prepare`), whose activities, starts and ends are ``blocks``."""
    activities, starts, ends = blocks
    zone = ZoneInfo(TZ)
    uid = _uid_id(agent_id)
    cal = Calendar()
    cal.add("prodid", "-//vagtplan//roster//DA")
    cal.add("version", "2.0")
    # an X- property is not escaped as text by icalendar: give it as vText, without controls
    cal.add("x-wr-calname", vText(f"Vagtplan {calendar_text(agent_id)}"))
    for day in sorted(d for d in days if not pd.isna(d)):
        rows = days[day]
        if any(activities[i] == "absence" for i in rows):
            event = Event()
            event.add("uid", f"{uid}-{day:%Y%m%d}-absence@vagtplan")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("summary", "Ferie / fravær")
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
            continue
        start, end = _earliest([starts[i] for i in rows]), _latest([ends[i] for i in rows])
        shift = Event()
        shift.add("uid", f"{uid}-{start:%Y%m%dT%H%M}-shift@vagtplan")
        shift.add("dtstamp", stamp)
        shift.add("dtstart", _aware(start, zone))
        shift.add("dtend", _aware(end, zone))
        shift.add("summary", f"Vagt {start:%H:%M}-{end:%H:%M}")
        details = [
            f"{_LABEL_DA.get(activities[i], activities[i])} {starts[i]:%H:%M}-{ends[i]:%H:%M}"
            for i in rows
        ]
        shift.add("description", "\n".join(details))
        cal.add_component(shift)
        for i in rows:
            activity = activities[i]
            if activity == "phone":
                continue
            block = Event()
            block.add("uid", f"{uid}-{starts[i]:%Y%m%dT%H%M}-{activity}@vagtplan")
            block.add("dtstamp", stamp)
            block.add("dtstart", _aware(starts[i], zone))
            block.add("dtend", _aware(ends[i], zone))
            block.add("summary", _LABEL_DA.get(activity, activity).capitalize())
            cal.add_component(block)
    return _ical_with_timezones(cal)


def _ical_with_timezones(cal: Calendar) -> bytes:
    """``cal.add_missing_timezones(); cal.to_ical()``, the same bytes, with each VTIMEZONE
    built and written once per process: writing Europe/Copenhagen's transitions since 1970
    takes tens of milliseconds, and there is a calendar per agent.

    ``add_missing_timezones`` puts the zones first among the components of a calendar without
    any, so their text goes before the first component's ``BEGIN:`` line."""
    missing = cal.get_missing_tzids()
    zones = [z for z in (_vtimezone_ical(tzid) for tzid in missing) if z is not None]
    data = cal.to_ical()
    if not zones:
        return data
    first = data.find(b"\r\nBEGIN:", len(b"BEGIN:VCALENDAR"))
    if cal.timezones or first < 0:  # not the plain calendar this module builds
        cal.add_missing_timezones()
        return cal.to_ical()
    return data[: first + 2] + b"".join(zones) + data[first + 2 :]


@functools.lru_cache(maxsize=16)
def _vtimezone_ical(tzid: str) -> bytes | None:
    """The VTIMEZONE ``add_missing_timezones`` adds for ``tzid``, as text (None: unknown)."""
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=Timezone.DEFAULT_FIRST_DATE, last_date=Timezone.DEFAULT_LAST_DATE
        )
    except ValueError:
        return None
    return zone.to_ical()


def ical_file_names(agent_ids: Iterable[str]) -> dict[str, str]:
    """``{agent_id: "<name>.ics"}``: a safe file name per agent, unique even when ids differ
    only in punctuation or case (`planner.io.safe_text.unique_file_stems`).

    >>> ical_file_names(["A1", "A.01", "A_01"])["A1"]
    'A1.ics'
    """
    return {i: f"{stem}.ics" for i, stem in unique_file_stems(agent_ids).items()}


def write_icalendars(
    roster: pd.DataFrame,
    directory: str | Path,
    *,
    agent_ids: Iterable[str] | None = None,
    stamp: dt.datetime | None = None,
) -> list[Path]:
    """Write one ``.ics`` file per agent of the roster (or of ``agent_ids``), named by
    `ical_file_names`: ``<agent_id>.ics`` for a plain id."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ids = sorted(set(roster["agent_id"].astype(str))) if agent_ids is None else list(agent_ids)
    names = ical_file_names(str(i) for i in ids)
    files = roster_icalendars(roster, ids, stamp=stamp)
    paths = []
    for agent_id, data in files.items():
        path = directory / names[agent_id]
        path.write_bytes(data)
        paths.append(path)
    return paths
