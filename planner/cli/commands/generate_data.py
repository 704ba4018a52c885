"""`vagtplan generate-data`: write the embedded default data set.

Writes ``history.csv`` (the synthetic history of `sampledata.synthetic.generate_history`),
``agents.csv`` (`sampledata.agents.make_sample_agents`), ``rules.toml``
(`sampledata.agents.default_rules_toml`) and a ``README.md`` describing them into
``--out-dir``. The same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from centre.parsing import parse_date
from planner.cli.commands import COMMANDS
from planner.io.tables import write_csv
from sampledata import synthetic

__all__ = ["register", "run", "write_default_data", "write_history_csv", "readme_text"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``generate-data`` subcommand."""
    parser = subparsers.add_parser(
        "generate-data",
        help=COMMANDS["generate-data"],
        description=(
            "Generate the embedded default data set: a synthetic 15-minute call history of the "
            "ten job-centre queues calibrated to the centre's documents, 34 sample agents and "
            "the default shift rules. The same seed and span give byte-identical files."
        ),
    )
    parser.add_argument(
        "--out-dir",
        default="data",
        type=Path,
        help="folder to write history.csv, agents.csv, rules.toml and README.md (default: data)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=synthetic.DEFAULT_SEED,
        help=f"random seed (default: {synthetic.DEFAULT_SEED})",
    )
    parser.add_argument(
        "--start",
        default=synthetic.DEFAULT_START,
        help=f"first date of the history, YYYY-MM-DD (default: {synthetic.DEFAULT_START})",
    )
    parser.add_argument(
        "--end",
        default=synthetic.DEFAULT_END,
        help=f"last date of the history, YYYY-MM-DD (default: {synthetic.DEFAULT_END})",
    )
    parser.set_defaults(func=run)


def _date(value: str, option: str) -> dt.date:
    return parse_date(value, option)


def write_default_data(
    out_dir: str | Path,
    *,
    seed: int = synthetic.DEFAULT_SEED,
    start: dt.date | str = synthetic.DEFAULT_START,
    end: dt.date | str = synthetic.DEFAULT_END,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write the default data files into ``out_dir``; returns ``{name: path}``.

    ``progress`` is called with the name of each step as it starts.
    """
    from sampledata import agents as sample_agents

    step = progress or (lambda _name: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    step("history")
    history = synthetic.generate_history(start=start, end=end, seed=seed)
    step("history.csv")
    paths = {"history.csv": write_history_csv(history, out_dir / "history.csv")}
    step("agents.csv")
    paths["agents.csv"] = write_csv(sample_agents.make_sample_agents(), out_dir / "agents.csv")
    step("rules.toml")
    rules = out_dir / "rules.toml"
    rules.write_bytes(sample_agents.default_rules_toml().encode("utf-8"))
    paths["rules.toml"] = rules
    step("README.md")
    readme = out_dir / "README.md"
    readme.write_bytes(readme_text(history, seed=seed, start=start, end=end).encode("utf-8"))
    paths["README.md"] = readme
    return paths


def write_history_csv(history: pd.DataFrame, path: str | Path) -> Path:
    """Write a history table as `planner.io.tables.write_csv` does, fast.

    ``interval_start`` becomes ISO 8601 text with offset (``Timestamp.isoformat``, as
    `write_csv` writes it), formatted once per distinct time instead of once per row (20 times
    faster on the ~230,000 rows of the default data).
    """
    codes, uniques = pd.factorize(history["interval_start"])
    text = np.array([t.isoformat() for t in uniques], dtype=object)[codes]
    return write_csv(history.assign(interval_start=text), path)


def _command(seed: int, start: str, end: str) -> str:
    parts = ["vagtplan generate-data --out-dir data"]
    if seed != synthetic.DEFAULT_SEED:
        parts.append(f"--seed {seed}")
    if start != synthetic.DEFAULT_START:
        parts.append(f"--start {start}")
    if end != synthetic.DEFAULT_END:
        parts.append(f"--end {end}")
    return " ".join(parts)


def readme_text(
    history: pd.DataFrame, *, seed: int, start: dt.date | str, end: dt.date | str
) -> str:
    """The ``README.md`` of the data folder (deterministic: no dates of generation)."""
    start, end = str(start), str(end)
    return (
        _readme_intro(seed, start, end)
        + _readme_history(history, seed, start, end)
        + _readme_agents_and_rules()
    )


def _readme_intro(seed: int, start: str, end: str) -> str:
    """The title and the command that regenerates the data."""
    return f"""# The embedded default data

Synthetic data generated by code in this project; no real person or call is in it.
Regenerate it (byte-identical) with:

```
{_command(seed, start, end)}
```

"""


def _readme_history(history: pd.DataFrame, seed: int, start: str, end: str) -> str:
    """The ``history.csv`` section: contract, calibration, figures, volumes, planted events."""
    table = _volume_table(history, start, end)
    figures = _measured_figures(history)
    return f"""## history.csv
The call history of the Copenhagen job-centre line's ten queues in the history contract of
DESIGN.md (`interval_start, queue, offered, answered, abandoned, abandoned_short, transferred,
aht_seconds, asa_seconds`, plus `abandon_wait_seconds`, the mean wait of the abandoned calls,
which the centre's platform exports): one row per queue and open 15-minute interval,
from {start} to {end}, seed {seed}, {len(history):,} rows.
Times are ISO 8601 with the Copenhagen offset. Closing days and hours outside the opening hours
have no rows (Sygedagpenge has none 09:00-10:00, the best contact time routed to the case
workers). `aht_seconds` and `asa_seconds` are empty where no call was answered,
`abandon_wait_seconds` where none was abandoned. The truth behind
the data (expected calls per interval, the staffing the outcomes were drawn with, the planted
anomaly and events) comes from `sampledata.synthetic.generate_history(return_truth=True)`.

Calibrated to the centre's documents (see `sampledata/synthetic.py` for every choice and its
source): yearly volumes of the table in document 003 (each full year within 3 %), opening hours
and Danish holidays, the peaks on the first working day of the month and the days after it, on
Mondays and daily 10-13, a yearly season (July low, January high) and a 2 % yearly trend, handle
times of 3-7 minutes by queue, and the documented year of 003 fitted with the documented team:
a little over 92 % answered every month with an average wait near 134 s (Erlang A with each
queue's exponential patience), and first-contact resolution a little under the 65 % goal with
the per-queue pattern of annex 1 of 002 (docs/notes/calibration.md). Day-level noise sits on
top of Poisson arrivals.

{figures}

Offered calls per queue and year:

{table}

Planted on purpose, for the planner to find:
{_planted()}

"""


def _measured_figures(history: pd.DataFrame) -> str:
    """The sentence of answer rate, wait, first-contact resolution and handle time measured."""
    months = history.groupby(history["interval_start"].dt.strftime("%Y-%m"))
    sums = months[["offered", "answered", "abandoned_short", "transferred"]].sum()
    answer_rate = sums["answered"] / (sums["offered"] - sums["abandoned_short"])
    waited = (history["asa_seconds"].fillna(0.0) * history["answered"]).groupby(
        history["interval_start"].dt.strftime("%Y-%m")
    )
    wait = waited.sum() / sums["answered"]
    fcr = 1.0 - sums["transferred"].sum() / sums["answered"].sum()
    answered = history[history["answered"] > 0]
    aht = (answered["aht_seconds"] * answered["answered"]).groupby(answered["queue"]).sum() / (
        answered.groupby("queue")["answered"].sum()
    )
    return (
        f"Measured on this file: monthly answer rate (answered / (offered - abandoned within "
        f"40 s)) {answer_rate.min():.1%}-{answer_rate.max():.1%}, monthly average wait of "
        f"answered calls {wait.min():.0f}-{wait.max():.0f} s, first-contact resolution "
        f"{fcr:.1%}, mean handle time by queue {aht.min() / 60:.1f}-{aht.max() / 60:.1f} min."
    )


def _volume_table(history: pd.DataFrame, start: str, end: str) -> str:
    """The Markdown table of offered calls per queue and year (partial years labelled)."""
    years = history["interval_start"].dt.year
    totals = history.groupby(["queue", years], sort=True)["offered"].sum().unstack(fill_value=0)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)

    def label(year: int) -> str:
        if year == last.year and (last.month, last.day) != (12, 31):
            return f"{year} (to {last.isoformat()})"
        if year == first.year and (first.month, first.day) != (1, 1):
            return f"{year} (from {first.isoformat()})"
        return str(year)

    header = "| queue | " + " | ".join(label(y) for y in totals.columns) + " |"
    rule = "|---|" + "---:|" * len(totals.columns)
    rows = [
        f"| {queue} | " + " | ".join(f"{int(v):,}" for v in totals.loc[queue]) + " |"
        for queue in totals.index
    ]
    return f"{header}\n{rule}\n" + "\n".join(rows)


def _planted() -> str:
    """The planted anomalies, then the events, one Markdown list item each."""
    anomalies = "\n".join(f"- {a.date}: {a.description}." for a in synthetic.ANOMALIES)
    events = "\n".join(
        f"- {e.name}: {e.queue} +{e.lift:.0%} from {e.start} to {e.end}. Source: {e.source}."
        for e in synthetic.EVENTS
    )
    return f"{anomalies}\n{events}"


def _readme_agents_and_rules() -> str:
    """The ``agents.csv`` and ``rules.toml`` sections."""
    return """## agents.csv
34 sample agents in teams, with skills (cross-trained agents serve several queues), weekly
contract hours (a few part-timers) and some holidays booked, in the agents contract of DESIGN.md.

## rules.toml
The default shift rules: 37-hour week, 30-minute lunch, shifts inside the opening hours.
"""


def run(args: argparse.Namespace) -> int:
    """Write the default data set; prints the files written to stderr."""
    start = _date(args.start, "--start")
    end = _date(args.end, "--end")
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer; got {args.seed}")
    with tqdm(total=5, desc="generate-data", unit="step", file=sys.stderr) as bar:

        def progress(name: str) -> None:
            if bar.n or name != "history":
                bar.update(1)
            bar.set_postfix_str(name)

        paths = write_default_data(
            args.out_dir, seed=args.seed, start=start, end=end, progress=progress
        )
        bar.update(1)
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    return 0
