"""Forecast accuracy and speed: the chosen model beside the seasonal naive and statsforecast.

Run (about 5 minutes on the project's 2-core machine)::

    /work/venv/bin/python benchmarks/forecast_accuracy.py [--origins 8] [--horizon 14] [--skip-bank]

Prints, in one run and on the same rolling origins (weekly, 14-day horizon):

1. the default data (``data/history.csv``) with the generator's true mean as the floor
   (`sampledata.synthetic.generate_history(return_truth=True)`): interval and daily WAPE of the
   chosen model (``auto``: per queue the best candidate by backtest) against the floor, the
   80 % interval's coverage, beside the GLM, the weekly seasonal naive, and statsforecast's
   MSTL and AutoETS; the targets of issue 4 (WAPE within 5 % / 10 % of the floor, coverage
   75-85 %) are marked PASS or FAIL;
2. the same comparison on the Israeli bank's calls of 1999 (``../shared/data/anonymous-bank-1999``:
   24-hour service, a Sunday-Thursday week, Israeli holidays, 30-minute intervals) with the hours
   learned from the history;
3. the time to fit and forecast ten queues from two years of 15-minute history (target < 60 s),
   beside the seasonal naive's time in the same run.

Known events: the default data has two (a reform +25 % on Kontanthjælp from March to August
2026, letters +40 % on Genregistrering for two weeks in September 2026); a planner knows them,
every model gets them as `forecast.events.Event` (the backtest takes them out of each training
history and adds them back to each forecast, around whatever model runs: the baselines and
statsforecast's models too). ``--blind`` runs everything without them.

statsforecast is not a project dependency. Install it into the venv for this script only; its
2.x release pins pandas < 3, but its model classes work on numpy arrays, so install it without
its dependencies::

    /work/venv/bin/pip install --no-deps statsforecast==2.1.1 coreforecast utilsforecast \\
        threadpoolctl cloudpickle fugue==0.9.7 triad adagio fsspec

statsforecast's models forecast the same daily series of regular open days as the project's
time-series models and share their intraday profile (top-down), so the comparison is between
the daily models.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecast.backtest import backtest  # noqa: E402
from forecast.events import Event  # noqa: E402
from forecast.models import (  # noqa: E402
    AutoSelect,
    DailyGLM,
    SeasonalNaive,
    infer_calendar,
)
from forecast.models.timeseries import _DailySeriesModel  # noqa: E402
from planner.io.history import load_history  # noqa: E402

BANK = ROOT.parent / "shared" / "data" / "anonymous-bank-1999" / "history_30min.csv"
INSTALL = (
    "/work/venv/bin/pip install --no-deps statsforecast==2.1.1 coreforecast utilsforecast "
    "threadpoolctl cloudpickle fugue==0.9.7 triad adagio fsspec"
)
Z80 = 1.2815515655446004  # standard normal 90 % quantile


def have_statsforecast() -> bool:
    try:
        import statsforecast.models  # noqa: F401
    except ImportError:
        return False
    return True


class StatsforecastDaily(_DailySeriesModel):
    """statsforecast's AutoETS or MSTL on the regular-day daily series, top-down."""

    name = "statsforecast"

    def __init__(
        self,
        *,
        kind: str = "autoets",
        history_days: int | None = None,
        profile_prior_calls: float = 1000.0,
        profile_halflife_days: float | None = 365.0,
    ):
        self.kind = kind
        self.history_days = history_days
        self.profile_prior_calls = profile_prior_calls
        self.profile_halflife_days = profile_halflife_days

    def _fit_series(self, y: np.ndarray, m: int) -> object:
        from statsforecast.models import MSTL, AutoETS

        if self.kind == "autoets":
            model = AutoETS(season_length=m)
        else:
            year = int(round(m * 365.25 / 7))
            periods = [m, year] if len(y) >= 2 * year + m else [m]
            model = MSTL(season_length=periods, trend_forecaster=AutoETS(model="ZZN"))
        return {"model": model, "y": y.astype(float)}

    def _forecast_series(self, state, h: int) -> tuple[np.ndarray, np.ndarray]:
        res = state["model"].forecast(y=state["y"], h=h, level=[80])
        mean = np.asarray(res["mean"], dtype=float)
        sd = (np.asarray(res["hi-80"]) - np.asarray(res["lo-80"])) / (2 * Z80)
        return mean, sd**2


def models(with_statsforecast: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "auto (chosen)": AutoSelect(),
        "glm": DailyGLM(),
        "seasonal_naive": SeasonalNaive(),
    }
    if with_statsforecast:
        out["statsforecast MSTL"] = StatsforecastDaily(kind="mstl")
        out["statsforecast AutoETS"] = StatsforecastDaily(kind="autoets")
    return out


def table(scores: pd.DataFrame, seconds: pd.DataFrame, floors: bool) -> str:
    rows = scores[scores["queue"] == "ALL"].set_index("model")
    per_fit = seconds.groupby("model")["seconds"].mean()
    cols = ["wape_interval", "wape_daily", "bias", "mase_interval", "mase_daily",
            "coverage_interval", "coverage_daily", "aht_wape"]  # fmt: skip
    head = f"{'model':24s} " + " ".join(f"{c:>17s}" for c in cols) + f" {'s/fit':>7s}"
    lines = [head]
    if floors:
        first = rows.iloc[0]
        lines.append(
            f"{'floor (true mean)':24s} {first['floor_wape_interval']:17.4f} "
            f"{first['floor_wape_daily']:17.4f} {first['floor_bias']:17.4f}"
        )
    for model, row in rows.iterrows():
        lines.append(
            f"{model:24s} "
            + " ".join(f"{row[c]:17.4f}" for c in cols)
            + f" {per_fit.get(model, np.nan):7.1f}"
        )
    return "\n".join(lines)


def verdicts(scores: pd.DataFrame, model: str) -> list[str]:
    row = scores[(scores["model"] == model) & (scores["queue"] == "ALL")].iloc[0]
    checks = [
        ("interval WAPE within 5 % of the floor", row["wape_interval_vs_floor"] <= 0.05,
         f"{100 * row['wape_interval_vs_floor']:+.2f} %"),
        ("daily WAPE within 10 % of the floor", row["wape_daily_vs_floor"] <= 0.10,
         f"{100 * row['wape_daily_vs_floor']:+.2f} %"),
        ("80 % interval covers 75-85 % (intervals)", 0.75 <= row["coverage_interval"] <= 0.85,
         f"{100 * row['coverage_interval']:.1f} %"),
    ]  # fmt: skip
    return [f"  {'PASS' if ok else 'FAIL'}  {text}: {value}" for text, ok, value in checks]


def default_data(args: argparse.Namespace, with_sf: bool) -> None:
    from sampledata.synthetic import generate_history

    print("== 1. Default data (data/history.csv), floor = the generator's true mean ==")
    loaded = load_history(ROOT / "data" / "history.csv")
    generated, truth = generate_history(return_truth=True)
    if int(generated["offered"].sum()) != int(loaded.frame["offered"].sum()):
        print(
            "  warning: data/history.csv differs from generate_history(); the floor is that of "
            "the generator's own history (regenerate with `vagtplan generate-data`)"
        )
    events = [
        Event(row.name, (row.queue,), row.start, row.end, lift=row.lift)
        for row in truth.events.itertuples()
    ]
    calendar = infer_calendar(loaded)
    t0 = time.perf_counter()
    result = backtest(
        loaded,
        models(with_sf),
        horizon_days=args.horizon,
        origins=args.origins,
        calendar=calendar,
        events=None if args.blind else events,
        truth=truth.expected,
        progress=True,
    )
    result_scores, seconds = result.scores, result.seconds
    origins = ", ".join(str(o) for o in result.origins)
    print(f"origins ({len(result.origins)}): {origins}; horizon {args.horizon} days; "
          f"events {'none (blind)' if args.blind else 'known (all models)'}; "
          f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    print(table(result_scores, seconds, floors=True))
    print("issue 4 targets for the chosen model (auto):")
    print("\n".join(verdicts(result_scores, "auto (chosen)")))
    per_queue = result_scores[result_scores["model"] == "auto (chosen)"][
        ["queue", "wape_interval", "floor_wape_interval", "wape_daily", "floor_wape_daily",
         "coverage_interval", "coverage_daily"]
    ]  # fmt: skip
    print("per queue (auto):")
    print(per_queue.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    chosen = AutoSelect().fit(loaded, calendar=calendar, events=events).choice_
    print("auto's choice per queue on the whole history:", chosen)
    print()


def bank(args: argparse.Namespace, with_sf: bool) -> None:
    print("== 2. Anonymous bank 1999 (Asia/Jerusalem, Israeli holidays, hours learned) ==")
    if not BANK.exists():
        print(f"  skipped: {BANK} not found")
        return
    loaded = load_history(BANK, tz="Asia/Jerusalem")
    calendar = infer_calendar(loaded, country="IL")
    hours = sorted(set(calendar.weekday_hours.values()))
    print(f"  learned: open weekdays {sorted(calendar.weekday_hours)}, hours {hours}")
    t0 = time.perf_counter()
    result = backtest(
        loaded,
        models(with_sf),
        horizon_days=args.horizon,
        origins=args.origins,
        calendar=calendar,
        progress=True,
    )
    origins = ", ".join(str(o) for o in result.origins)
    print(f"origins ({len(result.origins)}): {origins}; {time.perf_counter() - t0:.0f} s")
    print(table(result.scores, result.seconds, floors=False))
    print()


def speed() -> None:
    print("== 3. Fit + forecast of ten queues from two years of 15-minute history ==")
    loaded = load_history(ROOT / "data" / "history.csv")
    frame = loaded.frame
    local = frame["interval_start"].dt.tz_localize(None)
    last = local.max().normalize()
    two_years = frame[local >= last - pd.Timedelta(days=730)]
    days = two_years["interval_start"].dt.tz_localize(None).dt.normalize().nunique()
    print(f"  history: {two_years['queue'].nunique()} queues, {days} days with calls, "
          f"{len(two_years):,} rows")  # fmt: skip
    start = (last + pd.Timedelta(days=1)).date()
    for label, make in (
        ("seasonal_naive (baseline)", SeasonalNaive),
        ("glm", DailyGLM),
        ("auto (chosen)", AutoSelect),
    ):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = make().fit(two_years)
            forecast = model.predict(start, days=14)
        seconds = time.perf_counter() - t0
        verdict = "PASS" if seconds < 60 else "FAIL"
        print(f"  {label:28s} {seconds:6.1f} s  ({len(forecast):,} rows)  "
              f"{verdict if label.startswith('auto') else ''}")  # fmt: skip
    print("  (includes learning the hours from the history; target for auto: < 60 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", type=int, default=8)
    parser.add_argument("--horizon", type=int, default=14)
    parser.add_argument("--skip-bank", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--blind", action="store_true", help="no known events for any model")
    args = parser.parse_args()
    with_sf = have_statsforecast()
    if not with_sf:
        print(
            f"statsforecast is not installed; its models are left out. Install with:\n  {INSTALL}"
        )
    print(
        f"run at {dt.datetime.now():%Y-%m-%d %H:%M}, origins {args.origins}, horizon {args.horizon}"
    )
    default_data(args, with_sf)
    if not args.skip_bank:
        bank(args, with_sf)
    if not args.skip_speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
