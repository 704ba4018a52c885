"""Synthetic call history of the Copenhagen job-centre line, calibrated to DOMAIN.md.

`generate_history` builds the embedded default data set: offered calls and their outcomes per
queue and interval in the history contract of DESIGN.md. Every choice below names the document
it is calibrated to (the numbered documents in DOMAIN.md); where the documents are silent the
value is ours, chosen as a planner in such a centre would expect, and says so.

Volume (expected offered calls per queue and interval)
------------------------------------------------------
``lambda[q, d, i] = base[q] * trend(d) * season(d) * weekday(d) * payday[q](d) * catch_up(d)
* events[q](d) * profile[q, d](i)``

- Queues and yearly volumes: the table of document 003 (`centre.queues.QUEUES`). ``base[q]``
  is set so that the mean of the expected totals of the calendar years 2024 and 2025 equals the
  table (events excluded; they all fall in 2026).
- Opening hours, holidays, closing days and queue windows: `forecast.calendar.CentreCalendar`
  (002, 003): no calls on closing days or outside opening hours; Sygedagpenge has no calls
  09:00-10:00 (best contact time, routed to the case workers, 003).
- Trend: +2 % a year (ours: "modest"), 1.0 on 2025-01-01, so 2024 sits about 1 % under the
  table and 2025 about 1 % over.
- Season: monthly anchors interpolated linearly between mid-months (`SEASON`). Document 000
  gives answered calls per day by month for January-July 2009; divided by that month's answer
  rate they are flat from January to June and 12 % lower in July (summer holiday). We keep
  the July low, add a January high (seasonal unemployment peaks in Danish winters; ours), a
  September rise (after the summer; ours) and a December low (Christmas; ours).
- Weekdays: Monday 1.22, then falling to Friday (`WEEKDAY`); "Mondays" is a peak in 001,
  point 8. Wednesday and Friday close at 15:00 (002), so their last hour is simply absent.
- Paydays: "around the 1st of the month" is a peak (001, point 8), about missing benefit
  payments (002, annex 5); benefits are paid on banking days, so the peak is the first
  *working* day of the month (`CentreCalendar.working_day_rank` = 1) and decays over the next
  days: ``1 + lift[q] * exp(-(rank - 1) / 1.6)``. The lift is largest on the benefit queues
  (`PAYDAY_LIFT`; ours). Payday mornings have another shape: an extra early bump centred at
  08:45 (people call when they see the missing payment; ours).
- Catch-up: the first working day after a closing weekday (Easter, Ascension, Christmas) takes
  15 % more calls (ours: what a planner sees after every long weekend).
- Intraday profile: "daily between 10 and 13" is a peak (001, point 8): piecewise linear rate
  anchors per hour (`PROFILE_CITIZEN`, `PROFILE_BUSINESS` for the queues of employers and
  partners, which start later; ours), each scaled to mean 1 over a full 07:30-16:00 day.
- Events (002, section 6: reforms, letters and procedures raise volume; 003: three large reforms
  in 2013-14): a reform lifts Kontanthjælp by 25 % from 2026-03-01 to 2026-08-31, and letters
  about Jobnet re-registration lift Genregistrering by 40 % for two weeks in September 2026
  (`EVENTS`; both ours, both listed in the truth).

Noise (doubly stochastic)
-------------------------
Each queue-day gets a gamma multiplier with mean 1 (CV 10 %, 15 % on queues under 10,000 calls a
year) and each centre-day a shared one (CV 5 %): the day-level variation of real call centres
on top of Poisson arrivals (Brown et al. 2005; Ibrahim et al. 2016, "Modeling and forecasting
call center arrivals: a literature survey"). Given these, the calls of a queue in a calendar
year are a multinomial split of the year's expected total over its intervals with
probabilities proportional to ``lambda * day multipliers``: a Poisson process conditioned on
its yearly total, so that every full year lands on the table of document 003 (the table *is* a
measured yearly total) while each interval stays mixed Poisson with mean ``lambda``. The truth
table's ``offered_mean`` is that ``lambda``: the best any forecaster can do.

Anomaly
-------
Document 000: "a technical fault kept the call centre open on closing days, so that month's
statistics are affected negatively". We plant one: Ascension Day (Kristi himmelfartsdag),
Thursday 29 May 2025, with half a normal Thursday's calls answered by one agent per queue: the
day's answer rate is poor (68 % on the default data) and pulls May 2025 down. It is listed in
the truth's ``anomalies`` and flagged in ``expected["anomaly"]``; its calls come on top of the
yearly table.

Handle time
-----------
Mean handle time (talk + wrap-up) per queue from `centre.queues` (3-7 minutes; our
calibration, DOMAIN.md gives no figures per queue), times small effects (ours): 6 % longer at
opening and falling towards the afternoon, 4 % longer in January and 3 % shorter in July, 5 %
shorter on paydays (short "where is my payment" calls), -1 % a year, and a queue-day lognormal
factor (sd 4 %). Single handle times are right-skewed (Brown et al. 2005 find them close to
lognormal); we take a gamma with shape 2 (CV 0.71) because the mean of ``n`` of them is again
a gamma (shape ``2 n``), so ``aht_seconds``, the mean handle time of the interval's answered
calls, is drawn exactly in one vectorized step.

Outcomes (Erlang A, `staffing.erlang`)
---------------------------------------
Each queue-interval is staffed as a planner would from the expected volume: the fewest agents
for which Erlang A (M/M/n+M; Garnett, Mandelbaum & Reiman 2002) gives the day's answer-rate
target, at least one agent (001, point 1; the search runs on the forecast rounded to 1 %, the
handle time to 5 s). The planned target is 95 % with day noise (sd 2 points): the centre
plans above the SLA's 92 % so that the months land a little over it after absence (fitted,
docs/notes/calibration.md). Then absence strikes: each centre-day loses a Beta(1.2, 24) share
of its agents (4.8 % on average, a few days over 15 %), and each peak interval (10-13 and the
first two working days of the month) loses one more agent with probability 15 % (ours).
Erlang A is then evaluated at the interval's actual arrival rate (the expected calls times
the day multipliers) with the queue's exponential patience (`centre.queues`): abandoned calls
are binomial with its ``p_abandon``; those abandoned within 40 s are a binomial share of them
(``p_abandon_short / p_abandon``); answered = offered - abandoned; transferred is binomial
with the queue's transfer share (+5 points on the first two working days of the month, when
more calls are about payments a case worker must settle; ours); ``asa_seconds`` is Erlang A's
mean wait of answered calls and ``abandon_wait_seconds`` the mean wait of the abandoned ones
(from the identity P(Ab) = E[W] / patience, `_abandon_wait`), each times a lognormal factor
(sd 0.2). The platform exports abandoned calls with how long the callers waited (DOMAIN.md),
which lets `staffing.patience` read the patience back exactly.

Measured on the default data (seed 2013; `tests/test_synthetic_calibration.py` reads them back
from data/history.csv): over the last twelve months the answer rate as the SLA counts it
(answered / (offered - abandoned within 40 s), 002) is 92.9-94.9 % in every month (003: "a
little over 92 %" every month), the average wait of answered calls over the last six full
months 136 s (003: 134 s), first-contact resolution 63.5 % (003: goal 65 %, "achieved
less"), and about 26 agents are on the phones at a time on average (35 in 95 % of intervals;
the centre had 33 full-time equivalents, 002/003).

Everything is drawn from one ``numpy.random.default_rng(seed)``; the same arguments give the
same table, value for value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from centre.parsing import parse_date
from centre.queues import QUEUES, QueueSpec
from forecast.calendar import CentreCalendar
from staffing import erlang
from staffing.kpi import SlaGoals

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DEFAULT_END",
    "HISTORY_COLUMNS",
    "SEASON",
    "WEEKDAY",
    "PAYDAY_LIFT",
    "EVENTS",
    "ANOMALIES",
    "Event",
    "Anomaly",
    "SyntheticTruth",
    "expected_volume",
    "generate_history",
]

DEFAULT_SEED = 2013  # the year the job-centre line moved into the contact centre (002)
DEFAULT_START = "2024-01-01"
DEFAULT_END = "2026-11-20"

HISTORY_COLUMNS = [
    "interval_start",
    "queue",
    "offered",
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "aht_seconds",
    "asa_seconds",
    "abandon_wait_seconds",
]

#: Calendar years whose mean expected total is set to the yearly table of document 003.
REFERENCE_YEARS = (2024, 2025)
#: Yearly growth of the volume (ours: a modest trend), as a rate per year.
TREND_PER_YEAR = 0.02
TREND_ORIGIN = dt.date(2025, 1, 1)

#: Seasonal factor at the middle of each month (January first); see the module docstring.
SEASON: tuple[float, ...] = (1.12, 1.04, 1.01, 0.99, 0.98, 0.98, 0.82, 1.00, 1.04, 1.02, 1.00, 0.95)

#: Day-of-week demand factor, Monday first (Monday peak: 001, point 8).
WEEKDAY: tuple[float, ...] = (1.22, 1.02, 0.95, 0.93, 0.88, 1.0, 1.0)

#: Lift of the first working day of the month per queue (payday peak, 001 point 8; 002 annex 5).
PAYDAY_LIFT: dict[str, float] = {
    "9-by samarbejde": 0.10,
    "Andre forvaltninger": 0.20,
    "Genregistrering": 0.30,
    "Sygedagpenge": 0.60,
    "Sygeopfølgning": 0.20,
    "A-Kasse": 0.50,
    "Kontanthjælp": 0.80,
    "Dagpenge": 0.70,
    "Leverandør": 0.15,
    "Virksomhed": 0.10,
}
PAYDAY_DEFAULT_LIFT = 0.3
PAYDAY_DECAY_DAYS = 1.6
#: Extra transfer share on the first two working days of the month (payment cases; ours).
PAYDAY_EXTRA_TRANSFER = 0.05
#: Lift of the first working day after a closing weekday (ours).
CATCH_UP_LIFT = 0.15

#: Queues of employers and partners, with the later-starting business profile.
BUSINESS_QUEUES = frozenset({"9-by samarbejde", "Andre forvaltninger", "Leverandør", "Virksomhed"})

#: Intraday rate anchors (clock hour, relative rate); the 10-13 peak of 001, point 8.
PROFILE_CITIZEN = (
    (7.5, 0.65),
    (8.0, 0.85),
    (9.0, 1.05),
    (10.0, 1.30),
    (11.0, 1.42),
    (12.0, 1.36),
    (13.0, 1.18),
    (14.0, 0.92),
    (15.0, 0.74),
    (16.0, 0.55),
)
PROFILE_BUSINESS = (
    (7.5, 0.45),
    (8.0, 0.75),
    (9.0, 1.15),
    (10.0, 1.35),
    (11.0, 1.38),
    (12.0, 1.20),
    (13.0, 1.15),
    (14.0, 1.02),
    (15.0, 0.80),
    (16.0, 0.60),
)
#: The reference day over which every profile has mean 1 (the long opening day, 002).
PROFILE_DAY = (7.5, 16.0)
#: Payday morning bump: rate * (1 + PAYDAY_BUMP * gaussian(centre, sd)), renormalised.
PAYDAY_BUMP = 0.8
PAYDAY_BUMP_CENTRE_H = 8.75
PAYDAY_BUMP_SD_H = 0.9

#: Day-level noise: coefficient of variation of the gamma multipliers.
QUEUE_DAY_CV = 0.10
SMALL_QUEUE_DAY_CV = 0.15
SMALL_QUEUE_CALLS = 10_000
CENTRE_DAY_CV = 0.05

#: Handle times: gamma shape of single calls; the effects of the module docstring.
HANDLE_SHAPE = 2.0
AHT_DAY_SD = 0.04
AHT_TREND_PER_YEAR = -0.01
AHT_SEASON = (1.04, 1.02, 1.0, 1.0, 1.0, 1.0, 0.97, 1.0, 1.01, 1.0, 1.0, 1.0)
AHT_PAYDAY = 0.95
AHT_OPENING = 0.06  # +6 % at 07:30, falling linearly to 0 at 16:00

#: Staffing: the planned answer rate per queue-interval and its day noise. The centre plans
#: above the SLA's 92 % (002, 003) so that after absence and peak gaps the months land a little
#: over 92 %, as document 003 says they did every month since July 2013 (fitted, see
#: docs/notes/calibration.md). No month is planned tighter than another (003 reports none).
TARGET_ANSWER_RATE = 0.95
TARGET_MONTH_SHIFT = (0.0,) * 12
TARGET_DAY_SD = 0.02
TARGET_BOUNDS = (0.70, 0.97)
#: Share of agents missing per centre-day: Beta(a, b) (mean 4.8 %, a long right tail): the
#: roster has backup for holidays and planned absence (001, point 8); this is what is left.
ABSENCE_BETA = (1.2, 24.0)
#: Probability that a peak interval (10-13, paydays) runs one agent short.
PEAK_SHORT_PROB = 0.15
SHORT_ABANDON_SECONDS = SlaGoals().short_abandon
ASA_NOISE_SD = 0.2


@dataclass(frozen=True)
class Event:
    """A known event that lifts one queue's volume: ``lambda * (1 + lift)`` from start to end."""

    name: str
    queue: str
    start: dt.date
    end: dt.date
    lift: float
    source: str


@dataclass(frozen=True)
class Anomaly:
    """A planted anomaly: a closing day on which a fault kept the line open (000)."""

    date: dt.date
    kind: str
    description: str
    volume_share: float  # of a normal day of the same weekday


EVENTS: tuple[Event, ...] = (
    Event(
        "Kontanthjælpsreform 2026",
        "Kontanthjælp",
        dt.date(2026, 3, 1),
        dt.date(2026, 8, 31),
        0.25,
        "002 section 6 / 003: reforms raise volume (the reform is ours)",
    ),
    Event(
        "Breve om genregistrering på Jobnet",
        "Genregistrering",
        dt.date(2026, 9, 14),
        dt.date(2026, 9, 25),
        0.40,
        "002 section 6: letters to citizens raise volume (the letters are ours)",
    ),
)

ANOMALIES: tuple[Anomaly, ...] = (
    Anomaly(
        dt.date(2025, 5, 29),
        "open_on_closing_day",
        "Ascension Day: a technical fault kept the line open on a closing day (as in 000, "
        "May 2009); calls came in, one agent per queue answered",
        0.5,
    ),
)


@dataclass(frozen=True)
class SyntheticTruth:
    """What the generator knows and a forecaster must estimate.

    Attributes
    ----------
    expected:
        One row per row of the history: ``interval_start, queue, offered_mean`` (the expected
        offered calls before the day-level noise: the best any forecaster can do),
        ``aht_mean_seconds`` (expected handle time before the day noise), ``agents`` (the
        staffing the outcomes were drawn with) and ``anomaly`` (True on planted anomalies).
    anomalies:
        ``date, kind, description`` of the planted anomalies inside the span.
    events:
        ``name, queue, start, end, lift, source`` of the events that overlap the span.
    day_factors:
        ``date, queue, queue_day, centre_day``: the drawn day-level multipliers.
    seed:
        The seed used.
    """

    expected: pd.DataFrame
    anomalies: pd.DataFrame
    events: pd.DataFrame
    day_factors: pd.DataFrame
    seed: int


# ---------------------------------------------------------------------------------------- helpers
def _as_date(value: dt.date | str | pd.Timestamp, name: str) -> dt.date:
    return parse_date(value, name)


def _gamma_mean_one(rng: np.random.Generator, cv: np.ndarray | float, size) -> np.ndarray:
    """Gamma draws with mean 1 and coefficient of variation ``cv`` (shape 1/cv^2)."""
    shape = 1.0 / np.square(cv)
    return rng.gamma(shape, 1.0 / shape, size=size)


def _profile_rate(anchors: Sequence[tuple[float, float]], hours: np.ndarray) -> np.ndarray:
    """Piecewise linear rate at clock ``hours``, scaled to mean 1 over `PROFILE_DAY`."""
    xs = np.array([a[0] for a in anchors])
    ys = np.array([a[1] for a in anchors])
    fine = np.linspace(PROFILE_DAY[0], PROFILE_DAY[1], 2001)
    mean = np.trapezoid(np.interp(fine, xs, ys), fine) / (PROFILE_DAY[1] - PROFILE_DAY[0])
    return np.interp(hours, xs, ys) / mean


def _payday_shape(hours: np.ndarray) -> np.ndarray:
    """Payday-morning reshaping factor with mean 1 over the citizen profile of `PROFILE_DAY`."""
    bump = np.exp(-0.5 * ((hours - PAYDAY_BUMP_CENTRE_H) / PAYDAY_BUMP_SD_H) ** 2)
    fine = np.linspace(PROFILE_DAY[0], PROFILE_DAY[1], 2001)
    fine_bump = np.exp(-0.5 * ((fine - PAYDAY_BUMP_CENTRE_H) / PAYDAY_BUMP_SD_H) ** 2)
    base = _profile_rate(PROFILE_CITIZEN, fine)
    mean = np.trapezoid(base * (1 + PAYDAY_BUMP * fine_bump), fine) / (fine[-1] - fine[0])
    return (1 + PAYDAY_BUMP * bump) / mean


def _season(dates: pd.DatetimeIndex, anchors: Sequence[float]) -> np.ndarray:
    """Monthly anchors at mid-month, interpolated linearly by day of year (periodic)."""
    doy = dates.day_of_year.to_numpy().astype(float) - 1.0
    mid = np.array([pd.Timestamp(2001, m, 15).day_of_year - 1.0 for m in range(1, 13)])
    xs = np.concatenate([[mid[-1] - 365.0], mid, [mid[0] + 365.0]])
    ys = np.concatenate([[anchors[-1]], anchors, [anchors[0]]])
    return np.interp(doy, xs, ys)


def _years_since(dates: pd.DatetimeIndex, origin: dt.date) -> np.ndarray:
    return (dates - pd.Timestamp(origin)).days.to_numpy() / 365.25


@dataclass(frozen=True)
class _Slots:
    """The open intervals of a span, as parallel arrays (one entry per queue-interval)."""

    interval_start: pd.DatetimeIndex
    day: np.ndarray  # index into `days`
    queue: np.ndarray  # index into the queue list
    hour: np.ndarray  # wall-clock hour of the interval's middle (float)
    days: pd.DatetimeIndex  # naive dates of the span


def _dst_days(days: pd.DatetimeIndex, tz: str) -> np.ndarray:
    """True on the days whose local length is not 24 hours (the DST changes)."""
    midnight = days.tz_localize(tz)
    following = (days + pd.Timedelta(days=1)).tz_localize(tz)
    return np.asarray((following - midnight) != pd.Timedelta(hours=24))


def _open_slots(
    calendar: CentreCalendar,
    days: pd.DatetimeIndex,
    queues: Sequence[str],
    freq_minutes: int,
    extra_open: dict[dt.date, CentreCalendar],
) -> _Slots:
    """Every open (day, queue, interval) of ``days``, DST-safe and fast.

    Normal days are built from the calendar's minute windows (`CentreCalendar.queue_windows`)
    and localised in one vectorized call; the DST days go through
    `CentreCalendar.open_intervals`, which handles the repeated and the missing hour.
    ``extra_open`` maps planted anomaly dates to a calendar under which they are open.
    """
    dst = _dst_days(days, calendar.tz)
    day_idx, queue_idx, minutes = [np.zeros(0, int)], [np.zeros(0, int)], [np.zeros(0, int)]
    dst_parts: list[tuple[int, int, pd.DatetimeIndex]] = []
    for i, stamp in enumerate(days):
        day = stamp.date()
        cal = extra_open.get(day, calendar)
        if cal.is_closed(day):
            continue
        for q, name in enumerate(queues):
            if dst[i]:
                stamps = cal.open_intervals(day, name, freq_minutes)
                if len(stamps):
                    dst_parts.append((i, q, stamps))
                continue
            for w_from, w_to in cal.queue_windows(day, name):
                first = -(-w_from // freq_minutes) * freq_minutes
                mins = np.arange(first, w_to, freq_minutes)
                day_idx.append(np.full(len(mins), i))
                queue_idx.append(np.full(len(mins), q))
                minutes.append(mins)
    d_arr = np.concatenate(day_idx)
    q_arr = np.concatenate(queue_idx)
    m_arr = np.concatenate(minutes)
    naive = days.to_numpy()[d_arr] + m_arr.astype("timedelta64[m]")
    stamps = pd.DatetimeIndex(naive).tz_localize(calendar.tz).as_unit("ns")
    hour = (m_arr + freq_minutes / 2) / 60.0
    if dst_parts:
        extra = [s for _, _, s in dst_parts]
        stamps = stamps.append(extra)
        d_arr = np.concatenate([d_arr] + [np.full(len(s), i) for i, _, s in dst_parts])
        q_arr = np.concatenate([q_arr] + [np.full(len(s), q) for _, q, s in dst_parts])
        hour = np.concatenate(
            [hour]
            + [
                (s.hour.to_numpy() * 60 + s.minute.to_numpy() + freq_minutes / 2) / 60
                for s in extra
            ]
        )
    # Order: queue, then time (a stable, documented row order for the files).
    order = np.lexsort((stamps.asi8, q_arr))
    return _Slots(stamps[order], d_arr[order], q_arr[order], hour[order], days)


def _first_after_closure(calendar: CentreCalendar, days: pd.DatetimeIndex) -> np.ndarray:
    """True on the first working day after a closing weekday (Easter, Christmas, ...)."""
    out = np.zeros(len(days), dtype=bool)
    for i, stamp in enumerate(days):
        day = stamp.date()
        if calendar.is_closed(day):
            continue
        prev = day - dt.timedelta(days=1)
        while prev.weekday() >= 5 and calendar.is_closed(prev):
            prev -= dt.timedelta(days=1)
        reason = calendar.closing_reason(prev)
        out[i] = reason is not None and reason not in ("weekend", "closed weekday")
    return out


@dataclass(frozen=True)
class _Volume:
    slots: _Slots
    offered_mean: np.ndarray  # expected calls per slot, calibrated, events included
    day_rank: np.ndarray  # per day: rank among the month's working days (0 when closed)
    anomaly_day: np.ndarray  # per day: a planted anomaly


def _shape(
    calendar: CentreCalendar,
    days: pd.DatetimeIndex,
    names: Sequence[str],
    freq_minutes: int,
    anomalies: Sequence[Anomaly],
) -> tuple[_Slots, np.ndarray, np.ndarray, np.ndarray]:
    """Slots and their expected calls with ``base[q] = 1`` and no events.

    Returns ``(slots, mean, rank, anomaly_day)``.
    """
    open_cal = dataclasses.replace(calendar, country=None, extra_closing={}, closing_dates={})
    first, last = days[0].date(), days[-1].date()
    extra_open = {
        a.date: open_cal
        for a in anomalies
        if first <= a.date <= last and calendar.is_closed(a.date)
    }
    slots = _open_slots(calendar, days, names, freq_minutes, extra_open)
    rank = np.array([calendar.working_day_rank(d) for d in days.date])
    anomaly_day = np.array([d in extra_open for d in days.date], dtype=bool)
    for i in np.flatnonzero(anomaly_day):  # rank as if open, for the payday factor only
        rank[i] = open_cal.working_day_rank(days[i].date())
    catch_up = _first_after_closure(calendar, days)

    day_factor = (
        np.exp(TREND_PER_YEAR * _years_since(days, TREND_ORIGIN))
        * _season(days, SEASON)
        * np.asarray(WEEKDAY)[days.day_of_week]
        * np.where(catch_up, 1.0 + CATCH_UP_LIFT, 1.0)
    )
    share = {a.date: a.volume_share for a in anomalies}
    for i in np.flatnonzero(anomaly_day):
        day_factor[i] *= share[days[i].date()]

    d, q, hour = slots.day, slots.queue, slots.hour
    lift = np.array([PAYDAY_LIFT.get(n, PAYDAY_DEFAULT_LIFT) for n in names])
    payday = 1.0 + lift[q] * np.where(rank[d] > 0, np.exp(-(rank[d] - 1) / PAYDAY_DECAY_DAYS), 0)
    business = np.array([n in BUSINESS_QUEUES for n in names])[q]
    profile = np.where(
        business,
        _profile_rate(PROFILE_BUSINESS, hour),
        _profile_rate(PROFILE_CITIZEN, hour),
    )
    profile = np.where(rank[d] == 1, profile * _payday_shape(hour), profile)
    mean = day_factor[d] * payday * profile * (freq_minutes / 15.0)
    return slots, mean, rank, anomaly_day


def _event_factor(
    days: pd.DatetimeIndex, names: Sequence[str], d: np.ndarray, q: np.ndarray
) -> np.ndarray:
    """``1 + lift`` on the slots of each event's queue and dates (`EVENTS`), else 1."""
    factor = np.ones(len(d))
    dates = days.date
    for event in EVENTS:
        if event.queue not in names:
            continue
        on_day = (dates >= event.start) & (dates <= event.end)
        hit = on_day[d] & (q == names.index(event.queue))
        factor[hit] *= 1.0 + event.lift
    return factor


#: ``base[q]`` per (calendar, queues, interval length), keyed by their reprs (pure memo).
_BASE_CACHE: dict[str, np.ndarray] = {}


def _base_key(calendar: CentreCalendar, specs: Sequence[QueueSpec], freq_minutes: int) -> str:
    return repr((calendar, tuple(specs), freq_minutes, REFERENCE_YEARS))


def _calibrate(
    specs: Sequence[QueueSpec],
    days: pd.DatetimeIndex,
    slots: _Slots,
    mean: np.ndarray,
    anomaly_day: np.ndarray,
) -> np.ndarray:
    """``base[q]``: the mean expected total of `REFERENCE_YEARS` (no events, no anomalies)
    equals the yearly table of document 003."""
    ref_start = dt.date(REFERENCE_YEARS[0], 1, 1)
    ref_end = dt.date(REFERENCE_YEARS[-1], 12, 31)
    dates = days.date
    in_ref = ((dates >= ref_start) & (dates <= ref_end) & ~anomaly_day)[slots.day]
    totals = np.bincount(slots.queue[in_ref], weights=mean[in_ref], minlength=len(specs))
    per_year = totals / len(REFERENCE_YEARS)
    if np.any(per_year <= 0):
        empty = [s.name for s, t in zip(specs, per_year) if t <= 0]
        raise ValueError(
            f"the calendar has no open intervals in {REFERENCE_YEARS[0]}-{REFERENCE_YEARS[-1]} "
            f"for queue(s) {', '.join(empty)}; cannot calibrate their yearly volume"
        )
    return np.array([s.yearly_calls for s in specs], dtype=float) / per_year


def _volume(
    calendar: CentreCalendar,
    start: dt.date,
    end: dt.date,
    specs: Sequence[QueueSpec],
    freq_minutes: int,
) -> _Volume:
    """The calibrated expected calls of every open slot from ``start`` to ``end``.

    The first call for a calendar and queue list builds the union of the span and
    `REFERENCE_YEARS` in one pass and calibrates ``base[q]`` on it (`_calibrate`); later calls
    reuse that base and build only the span. Every factor depends on the date alone, never on
    the span, so a sub-span gets the same expected calls as the whole.
    """
    names = [s.name for s in specs]
    key = _base_key(calendar, specs, freq_minutes)
    ref_start = dt.date(REFERENCE_YEARS[0], 1, 1)
    ref_end = dt.date(REFERENCE_YEARS[-1], 12, 31)
    if key in _BASE_CACHE:
        days = pd.date_range(start, end, freq="D")
    else:
        days = pd.date_range(min(start, ref_start), max(end, ref_end), freq="D")
    slots, mean, rank, anomaly_day = _shape(calendar, days, names, freq_minutes, ANOMALIES)
    if key not in _BASE_CACHE:
        _BASE_CACHE[key] = _calibrate(specs, days, slots, mean, anomaly_day)
    base = _BASE_CACHE[key]

    dates = days.date
    keep_day = (dates >= start) & (dates <= end)
    offset = int(np.argmax(keep_day))
    keep = keep_day[slots.day]
    span = days[keep_day]
    cut = _Slots(
        slots.interval_start[keep],
        slots.day[keep] - offset,
        slots.queue[keep],
        slots.hour[keep],
        span,
    )
    calibrated = mean[keep] * base[cut.queue] * _event_factor(span, names, cut.day, cut.queue)
    return _Volume(cut, calibrated, rank[keep_day], anomaly_day[keep_day])


def expected_volume(
    *,
    start: dt.date | str = DEFAULT_START,
    end: dt.date | str = DEFAULT_END,
    calendar: CentreCalendar | None = None,
    freq_minutes: int = 15,
    queues: Sequence[QueueSpec] | None = None,
) -> pd.DataFrame:
    """Expected offered calls per queue and open interval (no noise): the truth's mean.

    Returns ``interval_start, queue, offered_mean, anomaly`` for every open interval from
    ``start`` to ``end`` inclusive, including the planted anomalies (``anomaly`` True); see the
    module docstring for the model.
    """
    start_d, end_d, calendar, specs = _check_args(start, end, calendar, freq_minutes, queues)
    vol = _volume(calendar, start_d, end_d, specs, freq_minutes)
    names = np.array([s.name for s in specs], dtype=object)
    return pd.DataFrame(
        {
            "interval_start": vol.slots.interval_start,
            "queue": names[vol.slots.queue],
            "offered_mean": vol.offered_mean,
            "anomaly": vol.anomaly_day[vol.slots.day],
        }
    )


def _check_args(start, end, calendar, freq_minutes, queues):
    start_d = _as_date(start, "start")
    end_d = _as_date(end, "end")
    if end_d < start_d:
        raise ValueError(f"end must not be before start; got start={start_d}, end={end_d}")
    if freq_minutes not in (5, 15, 30, 60):
        raise ValueError(f"freq_minutes must be 5, 15, 30 or 60; got {freq_minutes!r}")
    calendar = CentreCalendar() if calendar is None else calendar
    specs = list(QUEUES if queues is None else queues)
    if not specs:
        raise ValueError("queues must name at least one queue; got an empty list")
    for spec in specs:
        if not spec.yearly_calls > 0:
            raise ValueError(
                f"yearly_calls of queue {spec.name!r} must be > 0; got {spec.yearly_calls}"
            )
        if not 0 < spec.aht_seconds < 10_000:
            raise ValueError(
                f"aht_seconds of queue {spec.name!r} must be in (0, 10000); got {spec.aht_seconds}"
            )
        if not 0 < spec.patience_seconds < 100_000:
            raise ValueError(
                f"patience_seconds of queue {spec.name!r} must be in (0, 100000); "
                f"got {spec.patience_seconds}"
            )
        if not 0 <= spec.transfer_share <= 1:
            raise ValueError(
                f"transfer_share of queue {spec.name!r} must be in [0, 1]; "
                f"got {spec.transfer_share}"
            )
    return start_d, end_d, calendar, specs


def _draw_offered(
    rng: np.random.Generator,
    vol: _Volume,
    mean: np.ndarray,
    specs: Sequence[QueueSpec],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offered calls per slot: day multipliers, then a multinomial split of each queue-year.

    Returns ``(offered, rate, queue_day, centre_day)``: the counts, the arrival rate per slot
    they were drawn with (the expected calls times the day multipliers), and the day multipliers
    as (days, queues) and (days,) arrays. Anomaly days are drawn apart (Poisson with the day
    multipliers), so that they come on top of the yearly totals.
    """
    days = vol.slots.days
    n_days, n_queues = len(days), len(specs)
    cv = np.array(
        [SMALL_QUEUE_DAY_CV if s.yearly_calls < SMALL_QUEUE_CALLS else QUEUE_DAY_CV for s in specs]
    )
    queue_day = _gamma_mean_one(rng, cv[None, :], (n_days, n_queues))
    centre_day = _gamma_mean_one(rng, CENTRE_DAY_CV, n_days)
    d, q = vol.slots.day, vol.slots.queue
    weight = mean * queue_day[d, q] * centre_day[d]
    offered = np.zeros(len(mean), dtype=np.int64)
    rate = weight.copy()
    anomalous = vol.anomaly_day[d]
    year = days.year.to_numpy()[d]
    # Groups (queue, year) in a fixed order; slots are sorted by queue then time.
    key = q.astype(np.int64) * 10_000 + year
    normal = ~anomalous
    for k in np.unique(key[normal]):
        idx = np.flatnonzero((key == k) & normal)
        total = int(np.rint(mean[idx].sum()))
        p = weight[idx] / weight[idx].sum()
        offered[idx] = rng.multinomial(total, p)
        rate[idx] = total * p
    if anomalous.any():
        idx = np.flatnonzero(anomalous)
        offered[idx] = rng.poisson(weight[idx])
    return offered, rate, queue_day, centre_day


def _expected_aht(vol: _Volume, specs: Sequence[QueueSpec]) -> np.ndarray:
    """Expected handle time per slot before the day noise (module docstring, Handle time)."""
    days = vol.slots.days
    d, q, hour = vol.slots.day, vol.slots.queue, vol.slots.hour
    base = np.array([s.aht_seconds for s in specs], dtype=float)[q]
    season = _season(days, AHT_SEASON)[d]
    trend = np.exp(AHT_TREND_PER_YEAR * _years_since(days, TREND_ORIGIN))[d]
    span = PROFILE_DAY[1] - PROFILE_DAY[0]
    opening = 1.0 + AHT_OPENING * np.clip((PROFILE_DAY[1] - hour) / span, 0.0, 1.0)
    payday = np.where(vol.day_rank[d] == 1, AHT_PAYDAY, 1.0)
    return base * season * trend * opening * payday


def _required_agents(
    calls: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    target: np.ndarray,
    interval: float,
) -> np.ndarray:
    """Fewest agents (at least 1) whose Erlang A answer rate reaches ``target``.

    The planner staffs from a rounded forecast: calls to 1 % (on a log scale), handle time to
    5 s and the target to 0.5 points. The search runs on the distinct rounded cases only (a few
    thousand instead of one per interval), adding one agent at a time to the cases not yet met.
    """
    lam_key = np.rint(np.log(np.maximum(calls, 1e-6)) / 0.01).astype(np.int64) + 2_000
    aht_key = np.rint(aht / 5.0).astype(np.int64)
    pat_key = np.rint(patience).astype(np.int64)
    target_key = np.rint(target / 0.005).astype(np.int64)
    packed = ((lam_key * 10_000 + aht_key) * 100_000 + pat_key) * 1_000 + target_key
    uniq, inverse = np.unique(packed, return_inverse=True)
    u_target = (uniq % 1_000) * 0.005
    u_pat = ((uniq // 1_000) % 100_000).astype(float)
    u_aht = ((uniq // 100_000_000) % 10_000) * 5.0
    u_calls = np.exp((uniq // 1_000_000_000_000 - 2_000) * 0.01)
    agents = np.maximum(np.floor(u_calls * u_aht / interval), 1.0)
    todo = np.arange(len(uniq))
    with np.errstate(over="ignore"):
        while todo.size:
            rate = erlang.erlang_a(
                u_calls[todo],
                u_aht[todo],
                u_pat[todo],
                agents[todo],
                short_abandon=SHORT_ABANDON_SECONDS,
                interval=interval,
            )["answer_rate"]
            todo = todo[np.asarray(rate) < u_target[todo]]
            agents[todo] += 1.0
    return agents.astype(np.int64)[inverse.ravel()]


def _staffing(
    rng: np.random.Generator,
    vol: _Volume,
    mean: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    interval: float,
) -> np.ndarray:
    """Agents per slot: Erlang A staffing for the day's target, then absence and peak gaps."""
    days = vol.slots.days
    d, hour = vol.slots.day, vol.slots.hour
    target = (
        TARGET_ANSWER_RATE
        + np.asarray(TARGET_MONTH_SHIFT)[days.month.to_numpy() - 1]
        + rng.normal(0.0, TARGET_DAY_SD, len(days))
    )
    target = np.clip(target, *TARGET_BOUNDS)
    absence = rng.beta(*ABSENCE_BETA, len(days))
    planned = _required_agents(mean, aht, patience, target[d], interval)
    planned = np.maximum(np.asarray(planned, dtype=np.int64), 1)
    agents = planned - rng.binomial(planned, absence[d])
    peak = ((hour >= 10.0) & (hour < 13.0)) | np.isin(vol.day_rank[d], (1, 2))
    agents = agents - (peak & (rng.random(len(agents)) < PEAK_SHORT_PROB))
    agents = np.maximum(agents, 1)
    agents[vol.anomaly_day[d]] = 1
    return agents


def _abandon_wait(perf: dict, p_abandon: np.ndarray, patience: np.ndarray) -> np.ndarray:
    """Mean wait of the abandoned calls under Erlang A, from the identity P(Ab) = theta E[W].

    Little's law for the callers in queue and the abandonment rate theta per waiting caller
    give P(Ab) = E[W] / patience, W the wait of every caller (answered: until answered;
    abandoned: until they hang up; Mandelbaum & Zeltyn 2007). With the mean wait of the
    answered calls (ASA): E[W] = (1 - P(Ab)) ASA + P(Ab) AWA, so
    AWA = patience - ASA (1 - P(Ab)) / P(Ab), clipped to [0, patience]; 0 where hardly anyone
    abandons (the column is blank there anyway: no abandoned call, no mean).
    """
    asa = np.nan_to_num(np.asarray(perf["asa"], dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        awa = patience - asa * (1.0 - p_abandon) / p_abandon
    return np.clip(np.where(p_abandon > 1e-9, awa, 0.0), 0.0, patience)


def generate_history(
    *,
    start: dt.date | str = DEFAULT_START,
    end: dt.date | str = DEFAULT_END,
    seed: int = DEFAULT_SEED,
    calendar: CentreCalendar | None = None,
    freq_minutes: int = 15,
    return_truth: bool = False,
    queues: Sequence[QueueSpec] | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, SyntheticTruth]:
    """Synthetic history of the job-centre line in the DESIGN.md history contract.

    Parameters
    ----------
    start, end:
        First and last date (inclusive).
    seed:
        Seed of the one ``numpy.random.default_rng`` all randomness comes from.
    calendar:
        Opening hours, closing days and queue windows (default `CentreCalendar()`).
    freq_minutes:
        Interval length: 5, 15, 30 or 60 minutes.
    return_truth:
        Also return a `SyntheticTruth` (expected volume, staffing, anomalies, events).
    queues:
        Queue specs (default `centre.queues.QUEUES`).

    Returns
    -------
    DataFrame ``interval_start, queue, offered, answered, abandoned, abandoned_short,
    transferred, aht_seconds, asa_seconds, abandon_wait_seconds``: one row per queue and open
    interval (plus the planted anomaly), sorted by queue then time; ``interval_start``
    tz-aware; counts int64; ``aht_seconds`` and ``asa_seconds`` rounded to 0.1 s and NaN where
    no call was answered, ``abandon_wait_seconds`` NaN where none was abandoned.
    With ``return_truth``, the tuple ``(history, truth)``.

    The model and the source of each of its numbers are in the module docstring.

    Examples
    --------
    >>> h = generate_history(start="2025-03-03", end="2025-03-07", seed=1)
    >>> sorted(h.columns) == sorted(HISTORY_COLUMNS)
    True
    >>> bool((h["answered"] + h["abandoned"] == h["offered"]).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    start_d, end_d, calendar, specs = _check_args(start, end, calendar, freq_minutes, queues)
    rng = np.random.default_rng(int(seed))
    vol = _volume(calendar, start_d, end_d, specs, freq_minutes)
    d, q = vol.slots.day, vol.slots.queue
    mean = vol.offered_mean
    offered, rate, queue_day, centre_day = _draw_offered(rng, vol, mean, specs)

    # Handle times: expected per slot, a queue-day lognormal factor, then the interval means.
    aht_mean = _expected_aht(vol, specs)
    aht_day = np.exp(rng.normal(0.0, AHT_DAY_SD, queue_day.shape) - AHT_DAY_SD**2 / 2)
    aht_true = aht_mean * aht_day[d, q]
    patience = np.array([s.patience_seconds for s in specs], dtype=float)[q]
    interval = freq_minutes * 60.0

    agents = _staffing(rng, vol, mean, aht_mean, patience, interval)
    with np.errstate(over="ignore"):
        perf = erlang.erlang_a(
            rate,
            aht_true,
            patience,
            agents,
            short_abandon=SHORT_ABANDON_SECONDS,
            interval=interval,
        )
    p_abandon = np.clip(np.nan_to_num(np.asarray(perf["p_abandon"], dtype=float)), 0.0, 1.0)
    p_short = np.clip(np.nan_to_num(np.asarray(perf["p_abandon_short"], dtype=float)), 0.0, 1.0)
    share_short = np.divide(p_short, p_abandon, out=np.zeros_like(p_short), where=p_abandon > 0)
    abandoned = rng.binomial(offered, p_abandon)
    abandoned_short = rng.binomial(abandoned, np.clip(share_short, 0.0, 1.0))
    answered = offered - abandoned
    transfer = np.array([s.transfer_share for s in specs], dtype=float)[q]
    transfer = np.where(
        np.isin(vol.day_rank[d], (1, 2)), transfer + PAYDAY_EXTRA_TRANSFER, transfer
    )
    transferred = rng.binomial(answered, np.clip(transfer, 0.0, 1.0))
    shape = HANDLE_SHAPE * np.maximum(answered, 1)
    aht_obs = rng.gamma(shape, aht_true / shape)
    asa = np.asarray(perf["asa"], dtype=float)
    asa_obs = asa * np.exp(rng.normal(0.0, ASA_NOISE_SD, len(asa)) - ASA_NOISE_SD**2 / 2)
    has_answer = answered > 0
    awa_obs = _abandon_wait(perf, p_abandon, patience) * np.exp(
        rng.normal(0.0, ASA_NOISE_SD, len(asa)) - ASA_NOISE_SD**2 / 2
    )
    names = np.array([s.name for s in specs], dtype=object)
    history = pd.DataFrame(
        {
            "interval_start": vol.slots.interval_start,
            "queue": names[q],
            "offered": offered,
            "answered": answered,
            "abandoned": abandoned,
            "abandoned_short": abandoned_short,
            "transferred": transferred,
            "aht_seconds": np.where(has_answer, np.round(aht_obs, 1), np.nan),
            "asa_seconds": np.where(has_answer, np.round(np.maximum(asa_obs, 0.0), 1), np.nan),
            "abandon_wait_seconds": np.where(abandoned > 0, np.round(awa_obs, 1), np.nan),
        }
    )
    if not return_truth:
        return history
    truth = _truth(vol, specs, names, mean, aht_mean, agents, queue_day, centre_day, int(seed))
    return history, truth


def _truth(vol, specs, names, mean, aht_mean, agents, queue_day, centre_day, seed):
    days = vol.slots.days
    d = vol.slots.day
    start_d, end_d = days[0].date(), days[-1].date()
    expected = pd.DataFrame(
        {
            "interval_start": vol.slots.interval_start,
            "queue": names[vol.slots.queue],
            "offered_mean": mean,
            "aht_mean_seconds": aht_mean,
            "agents": agents.astype(np.int64),
            "anomaly": vol.anomaly_day[d],
        }
    )
    planted = [days[i].date() for i in np.flatnonzero(vol.anomaly_day)]
    anomalies = pd.DataFrame(
        [
            {"date": a.date, "kind": a.kind, "description": a.description}
            for a in ANOMALIES
            if a.date in planted
        ],
        columns=["date", "kind", "description"],
    )
    queue_names = [s.name for s in specs]
    events = pd.DataFrame(
        [
            dataclasses.asdict(e)
            for e in EVENTS
            if e.queue in queue_names and e.start <= end_d and e.end >= start_d
        ],
        columns=["name", "queue", "start", "end", "lift", "source"],
    )
    day_factors = pd.DataFrame(
        {
            "date": np.repeat(days.date, len(specs)),
            "queue": np.tile(np.array(queue_names, dtype=object), len(days)),
            "queue_day": queue_day.ravel(),
            "centre_day": np.repeat(centre_day, len(specs)),
        }
    )
    return SyntheticTruth(expected, anomalies, events, day_factors, seed)
