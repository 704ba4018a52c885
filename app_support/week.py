"""The week at a glance (the Vagtplan page's "Uge" tab) and the capacity check before building.

Pure functions (no Streamlit); every word comes from a translator ``tl(key, **values)``
(`app_support.shell.translator` on the page, `app_support.i18n.t` bound to a language in tests
and notebooks), so the same code speaks Danish and English.

- `week_table`: a row per agent, a column per day ("man. 23/11"); a cell holds the day's shift
  and what breaks it up ("08:00-16:00 · frokost 11:30 · møde 13:00 · 2 × andet arbejde"), the
  absence ("Fravær"), or "fri".
- `week_coverage`: coverage minus need per queue and interval of the week (``balance``:
  staffed - required, negative = too few agents), from the same coverage table the page's
  per-day views draw (`app_support.plan.roster_coverage` / `predicted_kpis`), so the numbers
  agree. Closed hours are left out (no row in the requirement, or nothing needed, planned or
  offered), so they are not drawn.
- `balance_scale`: the diverging colour scale of both heatmaps: a domain symmetric around 0
  (``[-m, 0, m]``, ``m`` the largest gap of the week, at least one agent) onto
  red -> neutral -> blue, so an exactly covered interval is neutral, a shortage red, a surplus
  blue, and the same colour means the same number of agents on every day.
- `balance_heatmap`: the Altair heatmap (interval x queue, one panel per day for the week).
- `capacity_lines` / `capacity_markdown`: `staffing.roster.capacity.capacity_findings` in the
  planner's words, built from the findings' structured fields (kind, needed, available, queue,
  day), never by rewording the English sentence.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence

import altair as alt
import pandas as pd

from centre.timezone import TZ
from staffing.roster.capacity import CapacityFinding

__all__ = [
    "SHORT_COLOUR",
    "NEUTRAL_COLOUR",
    "SURPLUS_COLOUR",
    "Translator",
    "day_label",
    "cell_text",
    "week_table",
    "week_coverage",
    "balance_scale",
    "balance_heatmap",
    "capacity_lines",
    "capacity_markdown",
]

#: ``tl(key, **values)``: the text of an i18n key in the chosen language.
Translator = Callable[..., str]

#: the diverging scale's ends and middle (ColorBrewer RdBu): shortage, exact, surplus
SHORT_COLOUR = "#b2182b"
NEUTRAL_COLOUR = "#f7f7f7"
SURPLUS_COLOUR = "#2166ac"

#: activities shown with their start time in a week cell, in this order of keys
_TIMED = {"lunch": "wk.lunch", "meeting": "wk.meeting", "training": "wk.training"}


def _identity(text: str) -> str:
    return text


# -- the week table ------------------------------------------------------------------------------


def day_label(day: dt.date, tl: Translator) -> str:
    """A day as planners write it: ``man. 23/11`` (Danish), ``Mon 23/11`` (English); with a
    translator (`app_support.i18n.short_date` is the same for a language code)."""
    return f"{tl(f'wk.weekday.{day.weekday()}')} {day.day}/{day.month}"


def _local(series: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(series)
    if stamps.dt.tz is None:
        return stamps.dt.tz_localize(TZ)
    return stamps.dt.tz_convert(TZ)


#: one block of an agent-day: (activity, start ``HH:MM``, end ``HH:MM``, end as a sortable value)
_Block = tuple[str, str, str, int]


def _blocks(rows: pd.DataFrame) -> pd.DataFrame:
    """Roster rows with local dates and clock times, sorted by agent and start (vectorized:
    the page draws the table on every rerun)."""
    start, end = _local(rows["start"]), _local(rows["end"])
    frame = pd.DataFrame(
        {
            "agent_id": rows["agent_id"].astype(str).to_numpy(),
            "date": pd.to_datetime(rows["date"]).dt.date.to_numpy(),
            "activity": rows["activity"].astype(str).to_numpy(),
            "from": start.dt.strftime("%H:%M").to_numpy(),
            "to": end.dt.strftime("%H:%M").to_numpy(),
            "order": start.to_numpy(dtype="datetime64[ns]").astype("int64"),
            "until": end.to_numpy(dtype="datetime64[ns]").astype("int64"),
        }
    )
    return frame.sort_values(["agent_id", "order"], kind="stable")


def _cell(blocks: Sequence[_Block], tl: Translator) -> str:
    """`cell_text` of an agent-day's blocks, in order of start."""
    work = [b for b in blocks if b[0] != "absence"]
    away = [b for b in blocks if b[0] == "absence"]
    if not work:
        return tl("wk.absent") if away else tl("wk.off")
    last = max(work, key=lambda b: b[3])
    parts = [f"{work[0][1]}-{last[2]}"]
    parts += [tl(_TIMED[b[0]], time=b[1]) for b in work if b[0] in _TIMED]
    for activity, key in (("break", "wk.breaks"), ("off_phone", "wk.off_phone")):
        count = sum(1 for b in work if b[0] == activity)
        if count:
            parts.append(tl(key, count=count))
    parts += [tl("wk.absent_part", start=b[1], end=b[2]) for b in away]
    return " · ".join(parts)


def _day_blocks(frame: pd.DataFrame) -> dict[tuple[str, dt.date], list[_Block]]:
    out: dict[tuple[str, dt.date], list[_Block]] = {}
    for agent, day, *block in zip(
        frame["agent_id"],
        frame["date"],
        frame["activity"],
        frame["from"],
        frame["to"],
        frame["until"],
        strict=True,
    ):
        out.setdefault((agent, day), []).append(tuple(block))
    return out


def cell_text(rows: pd.DataFrame, tl: Translator) -> str:
    """One agent-day in words: the shift (first start - last end of the working blocks), then
    lunch, meetings and training with their start times, breaks and off-phone blocks
    counted, and a part-day absence with its times; only absence: the absence text.

    ``rows``: the day's roster rows (``agent_id, date, start, end, activity``).
    """
    return _cell([b for blocks in _day_blocks(_blocks(rows)).values() for b in blocks], tl)


def week_table(
    roster: pd.DataFrame,
    tl: Translator,
    *,
    agents: Iterable[object] = (),
    days: Iterable[dt.date] | None = None,
) -> pd.DataFrame:
    """A row per agent (the roster's and ``agents``, sorted), a column per day (``days``, else
    the roster's days) headed `day_label`; each cell `cell_text` or the day-off text.

    The first column is the agent (headed ``ro.agent``).
    """
    by_day = _day_blocks(_blocks(roster)) if len(roster) else {}
    chosen = sorted(set(days) if days is not None else {day for _, day in by_day})
    ids = sorted({str(a) for a in agents} | {agent for agent, _ in by_day})
    cells = {key: _cell(blocks, tl) for key, blocks in by_day.items()}
    off = tl("wk.off")
    columns: dict[str, list[str]] = {tl("ro.agent"): ids}
    for day in chosen:
        columns[day_label(day, tl)] = [cells.get((a, day), off) for a in ids]
    return pd.DataFrame(columns)


# -- coverage against the need -------------------------------------------------------------------


def week_coverage(coverage: pd.DataFrame, tl: Translator) -> pd.DataFrame:
    """Coverage minus need per queue and interval of the week.

    ``coverage``: ``interval_start, queue, required, staffed`` (and ``offered`` when known), as
    `app_support.plan.roster_coverage` or `predicted_kpis` give them. Returns ``interval_start``
    (naive Copenhagen clock time), ``date``, ``day`` (`day_label`), ``clock`` (``HH:MM``),
    ``queue``, ``required``, ``staffed``, ``balance`` = staffed - required rounded to 0.01 (so
    an exactly covered interval is exactly 0), sorted by queue and time. Closed hours (nothing
    required, staffed or offered) are left out.
    """
    cols = ["interval_start", "queue", "required", "staffed"]
    frame = coverage[[*cols, *(["offered"] if "offered" in coverage else [])]].copy()
    frame["required"] = frame["required"].astype(float)
    frame["staffed"] = frame["staffed"].astype(float)
    idle = (frame["required"].abs() < 1e-9) & (frame["staffed"].abs() < 1e-9)
    if "offered" in frame:
        idle &= frame["offered"].fillna(0.0).abs() < 1e-9
    frame = frame[~idle]
    local = _local(frame["interval_start"])
    labels = {d: day_label(d, tl) for d in set(local.dt.date)}
    out = pd.DataFrame(
        {
            "interval_start": local.dt.tz_localize(None),
            "date": local.dt.date,
            "day": local.dt.date.map(labels),
            "clock": local.dt.strftime("%H:%M"),
            "queue": frame["queue"].astype(str),
            "required": frame["required"].round(2),
            "staffed": frame["staffed"].round(2),
            "balance": (frame["staffed"] - frame["required"]).round(2) + 0.0,  # no -0.0
        }
    )
    return out.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)


def balance_scale(balance: Iterable[float]) -> tuple[list[float], list[str]]:
    """The heatmaps' colour scale: domain ``[-m, 0, m]`` onto
    ``[SHORT_COLOUR, NEUTRAL_COLOUR, SURPLUS_COLOUR]``.

    ``m`` is the largest gap either way, rounded up to a whole agent and at least 1, so the
    scale is symmetric around 0 (exact = neutral; one agent short is as strong a red as one
    agent over is blue).
    """
    values = [abs(float(v)) for v in balance if pd.notna(v)]
    largest = max(values, default=0.0)
    m = float(max(1, math.ceil(largest - 1e-9)))
    return [-m, 0.0, m], [SHORT_COLOUR, NEUTRAL_COLOUR, SURPLUS_COLOUR]


def balance_heatmap(
    frame: pd.DataFrame,
    tl: Translator,
    *,
    scale_from: Iterable[float] | None = None,
    by_day: bool = True,
    width: int = 900,
) -> alt.Chart | alt.FacetChart:
    """The heatmap of `week_coverage` rows: a rect per interval (x, clock time) and queue (y),
    coloured by ``balance`` on `balance_scale` (of ``scale_from``, default the rows' own
    balance: pass the week's to colour one day like the week).

    ``by_day``: one panel per day side by side (the week), else one day's chart. Only the
    rows drawn exist: closed hours stay empty.
    """
    domain, colours = balance_scale(frame["balance"] if scale_from is None else scale_from)
    queues = sorted(frame["queue"].unique())
    days = list(dict.fromkeys(frame.sort_values("interval_start")["day"]))
    clocks = sorted(frame["clock"].unique())
    every = 2 if by_day and len(days) > 1 else 1
    hours = [c for c in clocks if c.endswith(":00") and int(c[:2]) % every == 0]
    base = (
        alt.Chart(frame)
        .mark_rect(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            x=alt.X(
                "clock:O",
                title=tl("ro.time"),
                sort=clocks,
                axis=alt.Axis(values=hours, labelAngle=-90 if by_day else 0),
            ),
            y=alt.Y("queue:N", title=tl("ro.queue"), sort=queues),
            color=alt.Color(
                "balance:Q",
                title=tl("wk.balance"),
                scale=alt.Scale(domain=domain, range=colours, clamp=True),
                legend=alt.Legend(orient="top", gradientLength=220),
            ),
            tooltip=[
                alt.Tooltip("queue:N", title=tl("ro.queue")),
                alt.Tooltip("day:N", title=tl("ro.day")),
                alt.Tooltip("clock:N", title=tl("ro.time")),
                alt.Tooltip("required:Q", title=tl("ro.required"), format=".2f"),
                alt.Tooltip("staffed:Q", title=tl("ro.staffed"), format=".2f"),
                alt.Tooltip("balance:Q", title=tl("wk.balance"), format="+.2f"),
            ],
        )
    )
    height = 20 * max(len(queues), 1)
    if not by_day:
        return base.properties(height=height + 20)
    panel = max(90, (width - 160) // max(len(days), 1))
    return base.properties(width=panel, height=height).facet(
        column=alt.Column("day:N", title=None, sort=days, header=alt.Header(labelFontSize=12)),
        spacing=6,
    )


# -- before building: can the team cover the week? ---------------------------------------------


def _number(value: float, tl: Translator) -> str:
    """Whole number with the language's thousands separator (Danish 1.234, English 1,234)."""
    return f"{value:,.0f}".replace(",", tl("wk.thousands_sep"))


def capacity_lines(
    findings: Sequence[CapacityFinding],
    tl: Translator,
    *,
    quote: Callable[[str], str] = _identity,
) -> list[str]:
    """Each finding as a sentence in the chosen language, from its structured fields.

    ``quote`` is applied to user text (queue names) before it goes into the sentence
    (`app_support.shell.plain` when the sentence is shown as Markdown).
    """
    out = []
    for finding in findings:
        values = {
            "needed": _number(finding.needed, tl),
            "available": _number(finding.available, tl),
            "short": _number(finding.needed - finding.available, tl),
            "queue": quote(finding.queue or ""),
            "day": day_label(finding.day, tl) if finding.day is not None else "",
        }
        values["Day"] = values["day"][:1].upper() + values["day"][1:]
        one = round(finding.needed) == 1
        values["needed_agents"] = tl(
            "wk.agents_one" if one else "wk.agents_many", n=values["needed"]
        )
        values["what"] = ", ".join(v for v in (values["queue"], values["day"]) if v)
        key = f"wk.cap.{finding.kind}"
        try:
            out.append(tl(key, **values))
        except ValueError:  # a kind this version does not know: the figures, said plainly
            values["what"] = values["what"] or finding.kind
            out.append(tl("wk.cap.other", **values))
    return out


def capacity_markdown(
    findings: Sequence[CapacityFinding],
    tl: Translator,
    *,
    quote: Callable[[str], str] = _identity,
) -> str:
    """The findings as Markdown: a heading line and one bullet each; "" when there are none."""
    if not findings:
        return ""
    lines = capacity_lines(findings, tl, quote=quote)
    return "\n".join([tl("wk.cap_title"), "", *(f"- {line}" for line in lines)])
