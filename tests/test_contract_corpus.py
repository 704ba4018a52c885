"""Every input contract's corpus (issue 15): each file is refused cleanly or read right.

``tests/data/corpus/<contract>/`` holds, for each input contract (history, forecast,
requirements, agents, rules, roster, events, scenarios), a few good files and the bad files a
planner or an attacker would hand us; ``tests/data/corpus/MANIFEST.csv`` says for each file the
command that reads it, the problem, and

- for a bad file: a substring of the one-line message the command must print after
  ``vagtplan: error: `` (exit code 2, no traceback); for personal data, the ``secret`` value
  that must appear in nothing the command prints;
- for a good file: the number of rows (or entries) its reader returns (exit code 0);
- ``xfail``: why a case fails today, when the fix belongs in a file outside the readers of
  this corpus (the test is a strict xfail: it must fail until that fix is made).

One parametrized test runs every file through the command line (`planner.cli.main`), as a
planner would. The follow-ups of the hardening are tested below it: the roster CSV export
reads back as written, Excel day fractions in the agents file, the app's calendar zip and CSV
downloads, the report workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.cli import main
from planner.io.agents import read_agents
from planner.io.events import read_events
from planner.io.exports import write_roster_csv
from planner.io.forecast import read_forecast
from planner.io.history import load_history
from planner.io.requirements import read_requirements
from planner.io.roster import read_roster
from planner.io.scenarios import load_scenarios

CORPUS = Path(__file__).parent / "data" / "corpus"
CONTRACTS = (
    "history",
    "forecast",
    "requirements",
    "agents",
    "rules",
    "roster",
    "events",
    "scenarios",
)
#: The command that reads each contract's files.
COMMANDS = {
    "history": "validate",
    "forecast": "staff",
    "requirements": "roster",
    "agents": "roster",
    "rules": "roster",
    "roster": "simulate",
    "events": "forecast",
    "scenarios": "simulate",
}
#: The good files the commands read beside the file under test.
AGENTS = CORPUS / "agents" / "good_basic.csv"
REQUIREMENTS = CORPUS / "requirements" / "good_basic.csv"
FORECAST = CORPUS / "forecast" / "good_basic.csv"
HISTORY = CORPUS / "history" / "good_basic.csv"
ROSTER = CORPUS / "roster" / "good_basic.csv"
ERROR = "vagtplan: error: "


def manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CASES = manifest()


def argv(contract: str, path: Path, out: Path) -> list[str]:
    """The command line that reads ``path`` as the contract's file."""
    target = str(out / "out.csv")
    roster_run = ["--out", target, "--time-limit", "20"]
    simulate_run = ["--out", target, "--replications", "1", "--risk-runs", "0"]
    return {
        "history": ["validate", str(path)],
        "forecast": ["staff", "--forecast", str(path), "--out", target],
        "requirements": ["roster", "--requirements", str(path), "--agents", str(AGENTS)]
        + roster_run,
        "agents": ["roster", "--requirements", str(REQUIREMENTS), "--agents", str(path)]
        + roster_run,
        "rules": ["roster", "--requirements", str(REQUIREMENTS), "--agents", str(AGENTS)]
        + ["--rules", str(path)]
        + roster_run,
        "roster": ["simulate", "--roster", str(path), "--forecast", str(FORECAST)]
        + ["--agents", str(AGENTS)]
        + simulate_run,
        "events": ["forecast", "--history", str(HISTORY), "--start", "2026-03-02", "--days", "1"]
        + ["--model", "seasonal_naive", "--events", str(path), "--out", target],
        "scenarios": ["simulate", "--roster", str(ROSTER), "--forecast", str(FORECAST)]
        + ["--agents", str(AGENTS), "--scenario", str(path)]
        + simulate_run,
    }[contract]


def rows_read(contract: str, path: Path) -> int | None:
    """How many rows (or entries) the contract's reader returns for ``path``."""
    if contract == "history":
        return len(load_history(path).frame)
    if contract == "forecast":
        return len(read_forecast(path))
    if contract == "requirements":
        return len(read_requirements(path))
    if contract == "agents":
        return len(read_agents(path))
    if contract == "roster":
        return len(read_roster(path))
    if contract == "events":
        return len(read_events(path, ["Dagpenge", "A-Kasse"]))
    if contract == "scenarios":
        plan = {"agents": read_agents(AGENTS), "forecast": read_forecast(FORECAST)}
        return len(load_scenarios(path, **plan))
    return None  # rules: one set of rules


def is_good(case: dict[str, str]) -> bool:
    return Path(case["file"]).name.startswith("good_")


def test_manifest_covers_every_file_and_contract() -> None:
    files = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "MANIFEST.csv"
    }
    listed = [c["file"] for c in CASES]
    assert len(listed) == len(set(listed))
    assert set(listed) == files
    for contract in CONTRACTS:
        cases = [c for c in CASES if c["file"].split("/")[0] == contract]
        good = [c for c in cases if is_good(c)]
        assert len(good) >= 2, contract
        assert len(cases) - len(good) >= 8, contract
    for case in CASES:
        contract = case["file"].split("/")[0]
        assert case["command"] == COMMANDS[contract], case["file"]
        assert case["problem"], case["file"]
        if is_good(case):
            assert not case["expect"] and not case["secret"], case["file"]
            assert case["rows"] or contract == "rules", case["file"]
        else:
            name = Path(case["file"]).name
            assert case["expect"].startswith(f"{name}: ") and "\n" not in case["expect"]


def _param(case: dict[str, str]):
    marks = []
    if case["xfail"]:  # a known failure elsewhere (its overflow warning included)
        marks = [
            pytest.mark.xfail(reason=case["xfail"], strict=True),
            pytest.mark.filterwarnings("ignore::RuntimeWarning"),
        ]
    return pytest.param(case, id=case["file"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_corpus_file_is_read_right_or_refused_in_one_line(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    contract = case["file"].split("/")[0]
    path = CORPUS / case["file"]
    code = main(argv(contract, path, tmp_path))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    if case["secret"]:
        assert case["secret"] not in out + err
    if is_good(case):
        assert code == 0, err
        if case["rows"]:
            assert rows_read(contract, path) == int(case["rows"])
        return
    errors = [line for line in err.splitlines() if line.startswith(ERROR)]
    assert code == 2, err
    assert len(errors) == 1, err
    message = errors[0][len(ERROR) :]
    assert message.startswith(f"{path.name}: ")
    assert case["expect"] in message


# -- follow-ups: exports that read back, Excel fractions, the app's downloads, the report ------

LINK = '=HYPERLINK("https://evil.example/vagt","Se din vagt")'
#: Ids starting with each character OWASP lists, a plain one, and ids that differ only in
#: punctuation (each must keep its own calendar file).
ODD_IDS = ["A01", LINK, "+45 kø", "-A2", "@A3", "\t=A4", "A.01", "A_01"]


def roster_of(ids: list[str]) -> pd.DataFrame:
    day = dt.date(2026, 3, 2)
    start = pd.Timestamp("2026-03-02 08:00", tz="Europe/Copenhagen")
    return pd.DataFrame(
        {
            "agent_id": ids,
            "date": [day] * len(ids),
            "start": [start] * len(ids),
            "end": [start + pd.Timedelta(hours=4)] * len(ids),
            "activity": ["phone"] * len(ids),
        }
    )


def test_an_exported_roster_csv_reads_back_as_written(tmp_path: Path) -> None:
    ids = [i for i in ODD_IDS if not i.startswith("+45")]  # a phone number is refused
    roster = roster_of(ids)
    path = write_roster_csv(roster, tmp_path / "roster.csv")
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'-A2" in text  # escaped in the file
    back = read_roster(path)
    assert list(back["agent_id"]) == [i.strip() for i in ids]  # and read back as typed
    pd.testing.assert_series_equal(back["start"], roster["start"], check_names=False)


def test_a_quote_is_kept_where_we_did_not_put_it(tmp_path: Path) -> None:
    roster = roster_of(["'A01", "'B02"])
    path = tmp_path / "roster.csv"
    roster.assign(date=roster["date"].astype(str)).to_csv(path, index=False)
    assert list(read_roster(path)["agent_id"]) == ["'A01", "'B02"]


def test_the_app_csv_download_escapes_text_and_reads_back(tmp_path: Path) -> None:
    from app_support.shell import csv_bytes

    roster = roster_of(["A01", LINK, "-A2"])
    data = csv_bytes(roster)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["agent_id"] for r in rows] == ["A01", "'" + LINK, "'-A2"]
    assert rows[0]["start"] == "2026-03-02T08:00:00+01:00"
    (tmp_path / "roster.csv").write_bytes(data)
    assert list(read_roster(tmp_path / "roster.csv")["agent_id"]) == ["A01", LINK, "-A2"]


def test_excel_day_fractions_are_clock_times() -> None:
    agents = read_agents(CORPUS / "agents" / "good_excel_day_fractions.xlsx")
    assert list(agents["earliest_start"]) == ["08:00", "07:30", ""]
    assert list(agents["latest_end"]) == ["", "16:00", "16:00"]


def test_excel_day_fractions_beside_text_are_not_guessed(tmp_path: Path) -> None:
    from planner.errors import InputError

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["agent_id", "team", "skills", "weekly_hours", "earliest_start"])
    sheet.append(["A01", "T", "Dagpenge", 37, "08:00"])
    sheet.append(["A02", "T", "Dagpenge", 37, 0.5])
    book.save(tmp_path / "agents.xlsx")
    with pytest.raises(InputError, match="row 3, column 'earliest_start'"):
        read_agents(tmp_path / "agents.xlsx")


def test_the_app_calendar_zip_keeps_every_agent_apart() -> None:
    from app_support.plan import icalendar_zip

    ids = ["A.01", "A_01", "a_01", "A1"]
    data = icalendar_zip(roster_of(ids), stamp=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(n.casefold() for n in names)) == len(ids)
        assert "A1.ics" in names
        bodies = [archive.read(n).decode("utf-8") for n in names]
    for agent_id in ids:
        assert sum(agent_id in body for body in bodies) >= 1


def test_the_report_workbook_writes_queue_names_as_text(tmp_path: Path) -> None:
    from planner.io.report_export import write_report_excel
    from staffing.simulation.reports import weekly_report

    rows = []
    for day in pd.date_range("2026-03-02", "2026-03-06"):
        for queue in (LINK, "https://evil.example"):
            for k in range(4):
                rows.append(
                    {
                        "interval_start": pd.Timestamp(day, tz="Europe/Copenhagen")
                        + pd.Timedelta(hours=10, minutes=15 * k),
                        "queue": queue,
                        "offered": 20,
                        "answered": 18,
                        "abandoned": 2,
                        "abandoned_short": 1,
                        "transferred": 5,
                        "aht_seconds": 280.0,
                        "asa_seconds": 40.0,
                    }
                )
    report = weekly_report(pd.DataFrame(rows), week="2026-W10")
    path = write_report_excel(report, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    found = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                assert cell.hyperlink is None, (sheet.title, cell.coordinate)
                if cell.value in (LINK, "https://evil.example"):
                    assert cell.data_type == "s"
                    found.add(cell.value)
    assert found == {LINK, "https://evil.example"}
