"""`vagtplan validate`: the corpus of malformed inputs, the summary, and the options.

Every file in ``tests/data/bad/`` has its expected one-line message in
``tests/data/bad/EXPECTED.csv``; `vagtplan validate FILE` must exit 2 and print exactly that
line (prefixed ``vagtplan: error: ``) on stderr, with no traceback.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.calendar import CentreCalendar
from planner.cli import main

BAD = Path(__file__).parent / "data" / "bad"
#: 24-hour naive Jerusalem history, two weeks around the 1999 DST changes (tests/data/README.md)
JERUSALEM = Path(__file__).parent / "data" / "jerusalem_24h_30min.csv"
NOT_IN_FILE = "1999-04-06..1999-08-31"  # the months between its two weeks


def expected_messages() -> dict[str, str]:
    with (BAD / "EXPECTED.csv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row["message"] for row in csv.DictReader(handle)}


EXPECTED = expected_messages()


def test_corpus_is_complete() -> None:
    files = {p.name for p in BAD.iterdir()} - {"EXPECTED.csv", "README.md"}
    assert files == set(EXPECTED)
    assert len(files) >= 30
    for name, message in EXPECTED.items():
        assert message.startswith(f"{name}: ") and "\n" not in message
        assert "expected" in message or "not a table" in message or "personal data" in message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_exits_2_with_its_message(name: str, capsys: pytest.CaptureFixture) -> None:
    code = main(["validate", str(BAD / name)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == f"vagtplan: error: {EXPECTED[name]}\n"
    assert out == ""
    assert "Traceback" not in err


def test_console_script_prints_no_traceback() -> None:
    """The real process: exit code 2, one line on stderr, for a few kinds of bad file."""
    names = ["binary.csv", "duplicate_rows.csv", "cpr_column.csv"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    script = (
        "import sys; from planner.cli import main\n"
        "codes = [main(['validate', f]) for f in sys.argv[1:]]\n"
        "sys.exit(max(codes))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *(str(BAD / n) for n in names)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [f"vagtplan: error: {EXPECTED[n]}" for n in names]


def write_history(path: Path) -> pd.DataFrame:
    grid = CentreCalendar().queue_grid(["Dagpenge", "Leverandør"], "2025-03-03", "2025-03-07", 15)
    offered = np.arange(len(grid)) % 7
    frame = grid.assign(offered=offered, answered=np.minimum(offered, np.arange(len(grid)) % 5))
    out = frame.assign(interval_start=frame["interval_start"].map(lambda t: t.isoformat()))
    out.drop(index=[3, 4]).to_csv(path, index=False, sep=";")
    return frame


def test_summary_of_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "history.csv"
    frame = write_history(path)
    assert main(["validate", str(path), "--exclude-days", "2025-03-07"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "history.csv: 2 queues read (CSV, UTF-8, ';' separated" in out
    assert "interval   15 minutes (inferred)" in out
    assert "filled     2 missing intervals" in out
    assert "anomalies  1 day left out" in out
    assert "gaps       none" in out
    assert "Leverandør" in out
    assert main(["validate", str(path), "--json", "--interval", "15"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["calls"] == int(frame["offered"].drop(index=[3, 4]).sum())
    assert summary["filled"] == 2 and summary["rows"] == len(frame)
    assert summary["interval_inferred"] is False
    assert summary["queues"] == ["Dagpenge", "Leverandør"]


def test_anomalies_file_and_options(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "history.csv"
    write_history(path)
    faults = tmp_path / "faults.csv"
    faults.write_text("date,reason\n2025-03-05..2025-03-06,line fault\n", encoding="utf-8")
    assert main(["validate", str(path), "--anomalies", str(faults), "--no-fill"]) == 0
    out = capsys.readouterr().out
    assert "anomalies  2 days left out" in out and "2025-03-05..2025-03-06" in out
    assert "missing    2 intervals" in out
    assert main(["validate", str(path), "--interval", "30"]) == 2
    assert "expected interval starts on the 30-minute grid" in capsys.readouterr().err
    assert main(["validate", str(path), "--tz", "Nowhere/Land"]) == 2
    assert "tz must be an IANA time zone" in capsys.readouterr().err
    assert main(["validate", str(path), "--hours", "late"]) == 2
    assert "--hours must look like 07:30-16:00 or 24h" in capsys.readouterr().err
    assert main(["validate", str(path), "--exclude-days", "soon"]) == 2
    assert "anomaly day must be a date" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(path), "--exclude-days", "2025-03-05", "--anomalies", str(faults)])
    assert exit_.value.code == 2
    capsys.readouterr()


def test_several_problems_are_listed_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "interval_start,queue,offered,answered\n"
        "2025-03-03T10:00:00+01:00,Dagpenge,x,1\n"
        "2025-03-03T10:15:00+01:00,Dagpenge,3,-1\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "vagtplan: error: h.csv: row 2, column 'offered': found 'x'; expected a whole number >= 0",
        "vagtplan: error: h.csv: row 3, column 'answered': found '-1'; expected a whole number "
        ">= 0",
    ]


def test_bank_data_with_its_own_calendar(capsys: pytest.CaptureFixture) -> None:
    args = ["validate", str(JERUSALEM), "--tz", "Asia/Jerusalem"]
    args += ["--hours", "24h", "--open-days", "all", "--country", "IL"]
    args += ["--exclude-days", NOT_IN_FILE]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "interval   30 minutes (inferred)" in out
    assert "(Asia/Jerusalem)" in out
    total = int(pd.read_csv(JERUSALEM)["offered"].sum())  # the spring's 2 skipped rows hold 0
    assert f"{total:,} calls offered" in out
    assert "gaps       none" in out


def test_help_mentions_the_options(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--tz", "--interval", "--exclude-days", "--anomalies", "--hours", "--json"):
        assert option in out
