"""The default data against the centre's documented year: each target, its source, the figure.

Run: ``python benchmarks/calibration.py [--history data/history.csv]``

Reads the history as the planner does (`planner.io.history.load_history`) and prints, beside
each target of docs/notes/calibration.md, what the file gives: the monthly answer rate of the
last twelve full months (SLA formula, 002), the average wait of answered calls over the last
six, first-contact resolution overall and per queue (annex 1 of 002), the patience
`staffing.patience` reads back against the generator's (`centre.queues`), and the staffing the
outcomes were drawn with (the generator's truth) against the documented team.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a script, this folder is first on sys.path, where benchmarks/forecast.py would shadow
# the `forecast` package: import the project's packages, not the sibling scripts.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import pandas as pd  # noqa: E402

from centre.queues import QUEUES  # noqa: E402
from planner.io import default_data  # noqa: E402
from planner.io.history import load_history  # noqa: E402
from sampledata import synthetic  # noqa: E402
from staffing import kpi  # noqa: E402
from staffing.patience import estimate_patience  # noqa: E402


def _last_months(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    local = frame["interval_start"].dt.tz_localize(None)
    month = local.dt.to_period("M")
    last = month.max() if local.max().day >= 28 else month.max() - 1
    return frame[(month > last - n) & (month <= last)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, default=default_data.HISTORY)
    args = parser.parse_args()
    history = load_history(args.history).frame
    year = _last_months(history, 12)
    months = kpi.kpis(year, by="month", total=True, queues=False).set_index("month")
    rate = months["answer_rate"]
    half = kpi.kpis(_last_months(history, 6), by="total", total=True, queues=False)
    fcr = kpi.kpis(year, by="total", total=True).set_index("queue")["fcr"]
    print(f"history: {args.history} ({len(history):,} rows)\n")
    print("target (source)                                        figure")
    print(
        f"answer rate a little over 92 % every month (003)       "
        f"{rate.min():.1%}-{rate.max():.1%}, {int((rate >= 0.92).sum())} of {len(rate)} months"
        " >= 92 %"
    )
    print(
        f"average wait 134 s, second half-year (003)             "
        f"{float(half['asa_seconds'].iloc[0]):.0f} s over the last 6 months"
    )
    print(
        f"first-contact resolution a little under 65 % (002/003) "
        f"{fcr[kpi.ALL_QUEUES]:.1%} over the last 12 months"
    )
    print("\nfirst-contact resolution per queue (annex 1 of 002):")
    for queue, value in fcr.drop(kpi.ALL_QUEUES).sort_values().items():
        print(f"  {queue:22s} {value:6.1%}")
    print("\npatience read back by staffing.patience vs the generator (centre.queues):")
    est = estimate_patience(history).set_index("queue")
    for spec in QUEUES:
        row = est.loc[spec.name]
        print(
            f"  {spec.name:22s} {spec.patience_seconds:6.0f} s -> {row['patience_seconds']:6.0f} s"
            f" ({row['patience_seconds'] / spec.patience_seconds - 1:+.1%}, {row['method']}, "
            f"{int(row['abandoned'])} abandoned)"
        )
    _, truth = synthetic.generate_history(return_truth=True)
    on_phone = truth.expected.groupby("interval_start")["agents"].sum()
    print(
        f"\nagents on the phones (generator's staffing): mean {on_phone.mean():.1f}, "
        f"95 % of intervals <= {on_phone.quantile(0.95):.0f} (documented team: 34 people, 33 FTE)"
    )


if __name__ == "__main__":
    main()
