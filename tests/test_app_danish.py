"""Danish everywhere in Danish mode (issue 13.6).

- `app_support.diagnosis`: every kind of the optimizer's findings written from its facts, in
  Danish and English (facts built by hand, the sentences written out), the solver's progress
  messages, and on a real build: no finding falls back to its English message.
- The texts: no Danish text of `app_support.i18n` holds an English word; the Data page's
  summary, the tables' headers and cells, scenario changes and numbers in the language's style.
- A walk of every page in Danish (AppTest) after a full session (data, forecast, backtest,
  staffing, roster, save, scenarios, report, saved work, Medarbejdere) that collects every
  visible text and fails on English words (`tests/danish_words.py`; the browser version is
  `tests/e2e/test_e2e_danish.py`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from app_fixtures import ROSTER_TAB_LABELS, open_tab
from danish_words import english_words
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as et

from app_support import data as app_data
from app_support import diagnosis
from app_support import plan as app_plan
from app_support import shell as app
from app_support.i18n import TEXTS, number, percent
from staffing.roster.diagnose import REASONS, Diagnostic
from staffing.simulation.scenarios import (
    ChangeGoals,
    ExtraCalls,
    NewHire,
    RemoveAgent,
    ScaleAht,
    ScaleVolume,
    Scenario,
    SickAgents,
)

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def finding(kind: str, facts: dict, **fields: object) -> Diagnostic:
    return Diagnostic(kind=kind, severity="info", message="(English)", facts=facts, **fields)


# -- the optimizer's findings, from their facts ---------------------------------------------------

RUNS = [
    (
        finding(
            "short",
            {"needs": 3.0, "has": 0.0, "skilled": 4, "reasons": {"meeting": 4}},
            queue="Leverandør",
            start=ts("2026-11-24 13:30"),
            end=ts("2026-11-24 14:30"),
            shortfall=3.0,
        ),
        "tir. 24/11 13:30-14:30 Leverandør mangler 3 agenter (behov 3, har 0,0): 4 af 4 "
        "agenter med kompetencen er til møde",
        "Tue 24/11 13:30-14:30 Leverandør short 3 agents (needs 3, has 0.0): 4 of 4 skilled "
        "agents are in a meeting",
    ),
    (
        finding(
            "short",
            {
                "needs": 2.5,
                "has": 1.9,
                "skilled": 3,
                "reasons": {"lunch": 1, "phone": 2},
                "shared_with": ["Dagpenge"],
                "needed_by": ["A-Kasse", "Kontanthjælp"],
            },
            queue="Sygedagpenge",
            start=ts("2026-11-23 10:00"),
            end=ts("2026-11-23 10:15"),
            shortfall=0.6,
        ),
        "man. 23/11 10:00-10:15 Sygedagpenge mangler 0,6 agenter (behov 2,5, har 1,9): 1 af 3 "
        "agenter med kompetencen holder frokost, 2 er i telefonen, delt med Dagpenge (mangler "
        "også), brugt af A-Kasse, Kontanthjælp (ingen agent til overs der)",
        "Mon 23/11 10:00-10:15 Sygedagpenge short 0.6 agents (needs 2.5, has 1.9): 1 of 3 "
        "skilled agents is at lunch, 2 are on the phone, shared with Dagpenge (short too), "
        "needed by A-Kasse, Kontanthjælp (no agent to spare there)",
    ),
    (
        finding(
            "short",
            {
                "needs": 3.0,
                "has": 0.0,
                "skilled": 1,
                "reasons": {"holiday": 1},
                "too_few_skilled": True,
            },
            queue="Leverandør",
            start=ts("2026-11-25 08:00"),
            end=ts("2026-11-25 09:00"),
            shortfall=1.0,
        ),
        "ons. 25/11 08:00-09:00 Leverandør mangler 1 agent (behov 3, har 0,0): kun 1 agenter "
        "har kompetencen; 1 af 1 agenter med kompetencen er på ferie",
        "Wed 25/11 08:00-09:00 Leverandør short 1 agent (needs 3, has 0.0): only 1 agents have "
        "the skill; 1 of 1 skilled agents is on holiday",
    ),
    (
        finding(
            "short",
            {"needs": 2.0, "has": 0.0, "skilled": 0, "reasons": {}, "too_few_skilled": True},
            queue="Dagpenge",
            start=ts("2026-11-25 08:00"),
            end=ts("2026-11-25 08:15"),
            shortfall=2.0,
        ),
        "ons. 25/11 08:00-08:15 Dagpenge mangler 2 agenter (behov 2, har 0,0): ingen agent har "
        "kompetencen",
        "Wed 25/11 08:00-08:15 Dagpenge short 2 agents (needs 2, has 0.0): no agent has this skill",
    ),
    (
        finding(
            "empty_queue",
            {"needs": 1.0, "has": 0.0, "skilled": 3, "reasons": {"outside": 2, "off": 1}},
            queue="Dagpenge",
            start=ts("2026-11-27 07:30"),
            end=ts("2026-11-27 08:00"),
            shortfall=1.0,
        ),
        "fre. 27/11 07:30-08:00 Dagpenge har ingen i telefonen (telefonpolitik: mindst én agent "
        "i køens åbningstid): 2 af 3 agenter med kompetencen kan ikke arbejde på det tidspunkt "
        "(tidligste start / seneste slut), 1 har fri (ugens timer er brugt på andre dage)",
        "Fri 27/11 07:30-08:00 Dagpenge has nobody on the phone (phone policy: at least one "
        "agent inside the queue's window): 2 of 3 skilled agents cannot work then (earliest "
        "start / latest end), 1 has the day off (weekly hours used on other days)",
    ),
    (
        finding(
            "team_floor",
            {"skilled": 6, "reasons": {"other_hours": 6}, "shared_with": [], "needed_by": []},
            team="Virksomhed",
            start=ts("2026-11-24 15:45"),
            end=ts("2026-11-24 16:00"),
        ),
        "tir. 24/11 15:45-16:00 team Virksomhed har ingen i telefonen (telefonpolitik: mindst "
        "ét medlem af hvert team i telefontiden): 6 af 6 medlemmer arbejder på andre "
        "tidspunkter den dag",
        "Tue 24/11 15:45-16:00 team Virksomhed has nobody on the phone (phone policy: at least "
        "one member of every team in phone hours): 6 of 6 members work other hours that day",
    ),
    (
        finding(
            "summary",
            {
                "hours": 97.5,
                "required_hours": 1113.0,
                "percent": 8.76,
                "intervals": 340,
                "not_listed": 3,
            },
        ),
        "Underdækning 97,5 agenttimer af 1.113,0 krævede (8,8 %) i 340 kø-intervaller; 3 "
        "perioder mere med underdækning er ikke vist",
        "Under-coverage 97.5 agent-hours of 1,113.0 required (8.8 %) in 340 queue-intervals; 3 "
        "more short runs not listed",
    ),
    (
        finding(
            "impossible_agent",
            {
                "agent": "A07",
                "week": "2026-W48",
                "target_hours": 29.6,
                "contract_hours": 37.0,
                "bound": "at_most",
                "possible_hours": 24.0,
                "available_days": ["2026-11-23", "2026-11-24", "2026-11-25"],
                "days": 5,
                "max_shift_hours": 8.0,
                "earliest": "09:00",
                "latest": None,
                "max_days": None,
            },
            agent_id="A07",
        ),
        "Medarbejder A07 kan ikke planlægges efter kontrakten i uge 48 2026: 29,6 timer skal "
        "planlægges (kontrakt 37 timer om ugen), men højst 24,0 timer er mulige med 3 ledige "
        "dage af 5 (man. 23/11, tir. 24/11, ons. 25/11) og højst 8 timer pr. vagt, tidligst "
        "start 09:00; planlagt 24,0 timer",
        "Agent A07 cannot be planned as the contract says in week 48 2026: 29.6 h to plan "
        "(contract 37 h a week) but at most 24.0 h are possible with 3 available day(s) of 5 "
        "(Mon 23/11, Tue 24/11, Wed 25/11) and at most 8 h a shift, earliest start 09:00; "
        "planned 24.0 h",
    ),
    (
        finding("agent_without_queue", {"agent": "A30", "skills": []}, agent_id="A30"),
        "Medarbejder A30 har ingen kompetence i bemandingsbehovets køer (kompetencer: ingen); "
        "medarbejderens telefontid kan ikke dække noget",
        "Agent A30 has no skill on any queue of the requirements (skills: none); their phone "
        "time cannot cover anything",
    ),
    (
        finding("queue_without_agents", {"queue": "Dagpenge", "hours": 52.5}, queue="Dagpenge"),
        "Dagpenge: ingen agent har kompetencen, så køens 52,5 krævede agenttimer kan ikke "
        "dækkes; giv nogle agenter kompetencen",
        "Dagpenge: no agent has this skill, so its 52.5 required agent-hours cannot be covered; "
        "add the skill to some agents",
    ),
    (
        finding("calendar", {"date": "2026-12-24"}),
        "tor. 24/12: kalenderen siger, at centret er lukket, men bemandingsbehovet har rækker; "
        "dagen planlægges efter bemandingsbehovet",
        "Thu 24/12: the calendar says the centre is closed, but the requirements have rows; the "
        "day is planned from the requirements",
    ),
    (
        finding(
            "meeting_stay",
            {
                "meeting": "Teammøde",
                "team": "Ledighed",
                "date": "2026-11-25",
                "start": "13:00",
                "end": "14:00",
                "agent": "A01",
                "teams": True,
            },
            agent_id="A01",
        ),
        "Teammøde for team Ledighed ons. 25/11 13:00-14:00: A01 bliver i telefonen, så ingen kø "
        "eller intet team står uden agent",
        "Teammøde for team Ledighed Wed 25/11 13:00-14:00: A01 stays on the phone so that no "
        "queue or team is left without an agent",
    ),
    (
        finding(
            "missed_meeting",
            {
                "meeting": "Teammøde",
                "attendees": "team",
                "who": "Virksomhed",
                "week": "2026-W48",
                "why": "no_time",
            },
        ),
        "Teammøde for team Virksomhed i uge 48 2026 blev ikke planlagt: der er ingen tid uden "
        "for de blokerede timer, hvor alle deltagere er på arbejde",
        "Teammøde for team Virksomhed in week 48 2026 was not planned: no time outside the "
        "blocked hours when all attendees are on shift",
    ),
    (
        finding(
            "missed_meeting",
            {
                "meeting": "Udviklingssamtale",
                "attendees": "agent",
                "who": "A05",
                "week": "2026-W49",
                "why": "no_position",
            },
        ),
        "Udviklingssamtale for medarbejder A05 i uge 49 2026 blev ikke planlagt: intet muligt "
        "tidspunkt: deltagerne er på ferie, uden for de tilladte dage, eller de blokerede timer "
        "giver ikke plads i deres vagter",
        "Udviklingssamtale for agent A05 in week 49 2026 was not planned: no possible time: "
        "attendees on holiday, outside the allowed days, or the blocked hours leave no room in "
        "their shifts",
    ),
]

NOTES = [
    (
        {"note": "no_lp", "time_limit": 10.0, "agents": 2000},
        "Tidsgrænsen på 10 s gav ikke tid til at løse den lineære model for 2.000 agenter; "
        "planen er lagt agent for agent (en længere tidsgrænse giver optimeringen tid til at "
        "forbedre den)",
        "The time limit of 10 s left no time to solve the LP of 2,000 agents; the plan is "
        "constructed agent by agent (a longer time limit gives the optimizer time to improve "
        "it)",
    ),
    (
        {"note": "improved_nothing", "solver": "cbc"},
        "CBC forbedrede intet inden for tidsgrænsen; dette er den afrundede plan (en længere "
        "tidsgrænse giver løseren tid til at forbedre den)",
        "CBC improved nothing within the time limit; this is the rounded plan (a longer time "
        "limit gives the solver time to improve it)",
    ),
    (
        {"note": "other_solver", "solver": "highs", "used": "cbc"},
        "HiGHS er ikke tilgængelig her eller fandt ingen plan i sin tid; løst med CBC i stedet",
        "HiGHS is not available here or found no plan in its time; solved with CBC instead",
    ),
    (
        {
            "note": "program_skipped",
            "solver": "highs",
            "time_limit": 10.0,
            "what": "built",
            "agents": 34,
        },
        "Heltalsprogrammet (HiGHS) blev sprunget over: tidsgrænsen på 10 s gav ikke tid til at "
        "bygge det for 34 agenter; dette er den afrundede plan (møder og ophold i telefonen er "
        "lagt ved afrunding; en længere tidsgrænse lader løseren forbedre den)",
        "The integer program (HiGHS) was skipped: the time limit of 10 s left no time for it "
        "to be built for 34 agents; this is the rounded plan (meetings placed and stays set by "
        "rounding; a longer time limit lets the solver improve it)",
    ),
    (
        {"note": "no_plan", "solver": "highs", "time_limit": 2.5},
        "HiGHS fandt ingen plan inden for 2,5 s; giv mere tid, eller planlæg færre "
        "medarbejdere eller dage ad gangen",
        "HiGHS found no plan within 2.5 s; give it more time or plan fewer agents or days at once",
    ),
    (
        {"note": "rounded_kept", "solver": "highs"},
        "Planen fra HiGHS inden for tidsgrænsen var dårligere end den afrundede plan, den "
        "startede fra; den afrundede plan er beholdt",
        "HiGHS's plan in the time limit was worse than the rounded plan it started from; the "
        "rounded plan is kept",
    ),
    (
        {"note": "start_kept", "solver": "highs"},
        "Genoptimeringen fandt ingen bedre plan end den nuværende inden for tidsgrænsen; den "
        "nuværende plan er beholdt",
        "The re-optimization found no plan better than the current one in its time; the "
        "current plan is kept",
    ),
    (
        {
            "note": "unexplained",
            "time_limit": 10.0,
            "unexplained": "short_runs",
            "short": True,
            "shortest": 2.0,
            "empty": False,
        },
        "Tidsgrænsen på 10 s gav ikke tid til at forklare perioderne, der mangler færre end 2 "
        "agenter (oversigten tæller alle intervaller med underdækning); en længere tidsgrænse "
        "forklarer dem alle",
        "The time limit of 10 s left no time to explain the runs less than 2 agents short (the "
        "summary counts every interval short); a longer time limit explains them all",
    ),
    (
        {
            "note": "unexplained",
            "time_limit": 10.0,
            "unexplained": "short_runs",
            "short": True,
            "shortest": None,
            "empty": True,
        },
        "Tidsgrænsen på 10 s gav ikke tid til at forklare perioderne med underdækning og nogle "
        "perioder, hvor en kø ikke har nogen i telefonen (oversigten tæller alle intervaller "
        "med underdækning); en længere tidsgrænse forklarer dem alle",
        "The time limit of 10 s left no time to explain the short runs and some runs of a queue "
        "with nobody on the phone (the summary counts every interval short); a longer time "
        "limit explains them all",
    ),
    (
        {"note": "unexplained", "time_limit": 10.0, "unexplained": "team_runs", "runs": 4},
        "Tidsgrænsen på 10 s gav ikke tid til at forklare 4 perioder mere, hvor et team ikke var "
        "i telefonen; en længere tidsgrænse forklarer dem alle",
        "The time limit of 10 s left no time to explain 4 more runs of a team off the phone; a "
        "longer time limit explains them all",
    ),
    (
        {"note": "release_cut", "time_limit": 10.0, "blocks": 128},
        "Tidsgrænsen på 10 s afbrød frigivelsen af tid til andet arbejde: 128 blokke med andet "
        "arbejde er lagt; resten af den telefontid, behovet ikke kræver, bliver i telefonen (en "
        "længere tidsgrænse frigiver det hele)",
        "The time limit of 10 s cut the release of off-phone time short: 128 off-phone blocks "
        "placed; the rest of the phone time the requirement does not need stays on the phone "
        "(a longer time limit releases all of it)",
    ),
    (
        {"note": "search_failed", "seed": 1, "why": "late"},
        "Den parallelle søgning gav ingen plan (ikke færdig inden tidsgrænsen); planen er den "
        "første søgnings",
        "The search side by side gave no plan (not done by the limit); this is the first "
        "search's plan",
    ),
]
CASES = RUNS + [(finding("solver", facts), da, en) for facts, da, en in NOTES]


@pytest.mark.parametrize(("diagnostic", "danish", "english"), CASES)
def test_a_finding_is_written_from_its_facts(
    diagnostic: Diagnostic, danish: str, english: str
) -> None:
    assert not diagnosis.falls_back(diagnostic)
    assert diagnosis.render(diagnostic, "da") == danish
    assert diagnosis.render(diagnostic, "en") == english
    assert not english_words(danish)


def test_every_kind_and_note_the_optimizer_makes_has_a_template() -> None:
    """The kinds made in `staffing.roster` (their ``kind="..."``) and the notes of kind
    ``solver`` (``"note": "..."``) are each rendered above, in both languages."""
    source = "\n".join(p.read_text() for p in (REPO / "staffing" / "roster").glob("*.py"))
    kinds = set(re.findall(r'Diagnostic\(\s*kind="(\w+)"', source)) | {"short", "empty_queue"}
    assert kinds <= set(diagnosis.KINDS)
    assert {d.kind for d, _, _ in CASES} == set(diagnosis.KINDS)
    notes = set(re.findall(r'"note": "(\w+)"', source))
    assert notes == set(diagnosis.SOLVER_NOTES) == {facts["note"] for facts, _, _ in NOTES}
    reasons = {code for d, _, _ in RUNS for code in d.facts.get("reasons", {})}
    assert reasons | {"off_phone"} == set(REASONS)


def test_a_finding_without_facts_shows_its_message() -> None:
    old = Diagnostic(kind="short", severity="warning", message="Tuesday ... short 3 agents")
    assert diagnosis.falls_back(old)
    assert diagnosis.render(old, "da") == old.message
    unknown = finding("something_new", {"x": 1})
    assert diagnosis.render(unknown, "da") == "(English)"


PROGRESS = [
    ("reading the requirements and agents", "Læser bemandingsbehov og medarbejdere"),
    (
        "building the model: 34 agents, 5 days, 10 queues",
        "Bygger modellen: 34 agenter, 5 dage, 10 køer",
    ),
    (
        "solving: column generation round 5, LP 105.2, bound 19.5, 264 patterns, 3.6 s",
        "Søger vagtplan: runde 5, bedste 105,2, grænse 19,5",
    ),
    (
        "solving: lower bound 1234.5 after 7 rounds, 296 patterns; rounding",
        "Søger vagtplan: grænse 1.234,5 efter 7 runder; afrunder",
    ),
    ("solving: no time to solve the LP; constructing a plan", None),
    (
        "solving: constructing a plan, 500 of 2000 agent-weeks",
        "Lægger planen: 500 af 2.000 medarbejderuger",
    ),
    (
        "solving: rounding, 13 of 34 agent-weeks fixed",
        "Afrunder: 13 af 34 medarbejderuger lagt fast",
    ),
    (
        "solving: improving the plan, 2 better neighbourhoods, master 32.8",
        "Forbedrer planen: 2 forbedringer, bedste 32,8",
    ),
    (
        "solving: integer program with highs, 12,345 columns (1,234 integer, 3 agent-weeks "
        "free), 5,678 constraints",
        "Løser heltalsprogrammet med HiGHS",
    ),
    (
        "solving: integer program, best plan 41.3, gap 12.5 %, 4.2 s",
        "Løser heltalsprogrammet: bedste plan 41,3, afstand 12,5 %",
    ),
    ("solving: integer program, best plan 41.3, gap ?, 4.2 s", None),
    ("solving: no time left for the integer program; keeping the rounded plan", None),
    ("reading the plan back", "Læser vagtplanen ud"),
    (
        "solving: comparing the plans of 2 searches",
        "Sammenligner planerne fra 2 søgninger side om side",
    ),
    (
        "solving: the plan of seed 1 is kept (66.7 against 71.8)",
        "Den parallelle søgnings plan er bedre (66,7 mod 71,8); den beholdes",
    ),
    ("feasible", "Færdig: gyldig, ikke bevist optimal"),
    ("something the solver says one day", "Arbejder …"),
]


@pytest.mark.parametrize(("message", "danish"), PROGRESS)
def test_the_solvers_progress_in_danish(message: str, danish: str | None) -> None:
    text = diagnosis.progress_text(message, "da")
    if danish is not None:
        assert text == danish
    assert not english_words(text)
    assert english_words(message) or message == "feasible"  # the solver's own is English


@functools.cache
def built_day() -> tuple[tuple[Diagnostic, ...], tuple[str, ...]]:
    """A day of the default plan built in 10 s: its findings and the progress messages."""
    plan = app_plan.load_default_plan()
    day = app_plan.week_starts(plan.requirements)[0]
    req = app_plan.plan_days(plan.requirements, day, 1)
    messages: list[str] = []
    result = app_plan.build_roster(
        req,
        plan.agents,
        app_plan.load_rules(),
        calendar=plan.calendar,
        time_limit=10,
        progress=lambda _fraction, message: messages.append(message),
    )
    return result.diagnostics, tuple(messages)


@pytest.mark.slow
def test_a_real_build_speaks_danish() -> None:
    """Every finding of a real build has its facts, and every progress message is known."""
    diagnostics, messages = built_day()
    assert messages
    for message in messages:
        text = diagnosis.progress_text(message, "da")
        assert text != TEXTS["dg.progress.working"]["da"], message
        assert not english_words(text), (message, text)
    for d in diagnostics:
        assert not diagnosis.falls_back(d), d
        assert not english_words(diagnosis.render(d, "da")), d


# -- the texts, the summary, the tables ----------------------------------------------------------

#: Danish texts that quote the file contracts' column names or codes, which a file must use
#: literally (they are help texts beside an upload, and the report's note on a missing column).
QUOTES_THE_CONTRACT = {
    "data.upload_help",
    "ag.upload_help",
    "ag.help.preferences",
    "report.note.no_service_level",
}


def test_no_danish_text_holds_an_english_word() -> None:
    found = {}
    for key, entry in TEXTS.items():
        words = english_words(re.sub(r"\{[^}]*\}", " ", entry["da"]))
        if words and key not in QUOTES_THE_CONTRACT:
            found[key] = words
    assert not found


def test_numbers_in_one_style() -> None:
    assert number(1234.5, 1) == "1.234,5" and number(1234.5, 1, "en") == "1,234.5"
    assert percent(0.923) == "92,3 %" and percent(0.923, 1, "en") == "92.3 %"
    assert app_data.cell_text(pd.Timestamp("2026-11-23 08:15", tz=TZ), "time") == (
        "man. 23/11 08:15"
    )
    assert app_data.cell_text(dt.date(2026, 11, 23), "date", "en") == "Mon 23/11"
    assert app_data.cell_text(float("nan"), "share") == ""
    assert app_data.cell_text("ALL", "queue") == "Alle køer"
    assert app_data.cell_text("glm", "model") == "GLM (anbefalet)"
    assert app_data.cell_text("answer_rate;asa_seconds", "goals") == (
        "Svarprocent, Gns. ventetid (s)"
    )


def test_tables_show_words_and_keep_their_columns() -> None:
    frame = pd.DataFrame(
        {
            "interval_start": [ts("2026-11-23 08:00")],
            "queue": ["Dagpenge"],
            "agents": [12],
            "answer_rate": [0.9234],
            "asa_seconds": [1234.4],
            "my_own_column": ["x"],
        }
    )
    shown = app_data.display_table(frame, "da")
    assert list(shown.columns) == [
        "Tidspunkt",
        "Kø",
        "Agenter i telefonen",
        "Svarprocent",
        "Gns. ventetid (s)",
        "my_own_column",  # a column of the user's own file: as it is
    ]
    assert shown.iloc[0].tolist() == ["man. 23/11 08:00", "Dagpenge", "12", "92,3 %", "1.234", "x"]
    assert list(frame.columns)[0] == "interval_start"  # the table itself is not changed


def test_the_history_summary_in_danish() -> None:
    from app_fixtures import default_history

    info = default_history().summary.to_dict()
    text = app_data.summary_text(info, "da")
    lines = text.splitlines()
    assert lines[0] == (
        "history.csv: 10 køer indlæst (CSV, UTF-8, adskilt af ',', decimaltegn '.'; ISO 8601 "
        "med tidsforskydning)"
    )
    assert f"{number(info['rows'], 0)} indlæst" in text
    assert "Kolonner: Tidspunkt, Kø, Opkald, Besvarede" in text
    assert not english_words(text)
    english = app_data.summary_text(info, "en")
    assert english.splitlines()[0].startswith("history.csv: 10 queues read (CSV, UTF-8, ',' sep")


def test_a_reader_warning_in_danish() -> None:
    warning = (
        "336 rows (703 calls) fall on 1 day the calendar has closed, 1 with calls: 2025-05-29 "
        "(Ascension Day, 703 calls); kept (mark faults as anomalies to leave them out)"
    )
    assert app_data.reader_warning(warning, "da") == (
        "336 rækker (703 opkald) falder på 1 dag, hvor kalenderen har lukket, 1 med opkald: "
        "29.05.2025 (Kristi himmelfartsdag, 703 opkald); beholdt (markér fejl som unormale "
        "dage for at udelade dem)"
    )
    assert app_data.reader_warning(warning, "en") == warning
    other = "median aht_seconds is 4.2: are these minutes? expected seconds"
    assert app_data.reader_warning(other, "da") == other  # the reader's own words, for now


def test_scenario_changes_in_words() -> None:
    day = dt.date(2026, 11, 23)
    scenario = Scenario(
        "Travl uge",
        (
            SickAgents(("A01", "A02"), (day,)),
            RemoveAgent("A03", day),
            NewHire("N01", ("Dagpenge",), day, like="A04"),
            ScaleVolume(1.2, "Dagpenge", day, dt.date(2026, 11, 27)),
            ExtraCalls(300, "A-Kasse", day),
            ScaleAht(1.1),
            ChangeGoals((("answer_rate", 0.95),)),
        ),
    )
    assert app_plan.describe_scenario(scenario, "da") == (
        "A01, A02 syge man. 23/11; uden medarbejder A03 fra man. 23/11; ny medarbejder N01 "
        "(Dagpenge) fra man. 23/11 på A04s vagter; opkald ×1,2 på Dagpenge man. 23/11 til "
        "fre. 27/11; +300 opkald på A-Kasse man. 23/11 til man. 23/11; samtaletid ×1,1; mål: "
        "Svarprocent 95,0 %"
    )
    assert app_plan.describe_scenario(Scenario("x", (), reroster=True), "en") == (
        "no change; re-rostered"
    )
    assert app_data.scenario_name("base", "da") == "Basis"


# -- every page in Danish ------------------------------------------------------------------------


def _headers(element: et.Dataframe) -> tuple[list[str], bool]:
    """A table's headers as shown (the column config's labels, hidden columns left out) and
    whether it is an editable table (its cells are then the planner's own input)."""
    frame = element.value
    config = json.loads(element.proto.columns or "{}")
    headers = []
    for column in frame.columns:
        spec = config.get(str(column), {})
        if spec.get("hidden"):
            continue
        headers.append(str(spec.get("label") or column))
    return headers, element.proto.editing_mode != 0


def visible_texts(node: object, out: list[str] | None = None) -> list[str]:
    """Every text of ``node`` and its children a planner sees: values of text elements,
    labels, placeholders, options, metrics, tab and expander labels, table headers and the
    text cells of tables that are not editable."""
    out = [] if out is None else out
    if isinstance(node, et.Block):
        label = getattr(node, "label", None)
        if isinstance(label, str):
            out.append(label)
        for child in node.children.values():
            visible_texts(child, out)
        return out
    for attr in ("label", "placeholder"):
        try:
            value = getattr(node, attr, None)
        except Exception:  # noqa: BLE001 - an element without the attribute
            value = None
        if isinstance(value, str) and value:
            out.append(value)
    if isinstance(node, et.Dataframe):
        headers, editable = _headers(node)
        out.extend(headers)
        if not editable:
            for column in node.value.columns:
                for value in node.value[column].tolist():
                    out.append("None" if value is None else str(value))
    elif isinstance(node, et.Selectbox | et.Radio | et.Multiselect):
        out.extend(str(option) for option in node.options)
    elif isinstance(node, et.Metric):
        out.append(str(node.value))
    elif isinstance(node, et.ButtonGroup):
        out.extend(option.content for option in node.proto.options)
    elif isinstance(
        node,
        et.Markdown | et.Caption | et.Title | et.Header | et.Subheader | et.Code | et.AlertBase,
    ):
        out.append(str(node.value))
    elif isinstance(node, et.Exception | et.Json):
        out.append(str(node.value))
    return out


def english_on(at: AppTest) -> list[tuple[str, str]]:
    """(word, text) of every English word on the page's main area."""
    return [(word, text[:160]) for text in visible_texts(at.main) for word in english_words(text)]


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    app._open_store.clear()


@pytest.mark.slow
def test_every_page_speaks_danish(db_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state[app.USER_KEY] = "lead"
    at.session_state["vagtplan:time_limit"] = 10
    at.session_state["scenarier:replications"] = 2
    at.run()
    found: dict[str, list[tuple[str, str]]] = {}

    def visit(page: str) -> AppTest:
        return at.switch_page(f"app_pages/{page}.py").run()

    def check(name: str) -> None:
        assert not at.exception, [e.value for e in at.exception]
        found[name] = found.get(name, []) + english_on(at)

    at = visit("data")
    at.button(key="data:load").click().run()
    check("data")
    at = visit("forecast")
    at.button(key="forecast:make").click().run()
    at.button(key="forecast:backtest").click().run()
    check("forecast")
    at = visit("staffing")
    at.button(key="staffing:make").click().run()
    check("staffing")
    at = visit("agents")
    check("agents")
    at = visit("roster")
    at.button(key="vagtplan:build").click().run()
    check("roster")
    diagnostics = at.session_state["vagtplan:diagnostics"]
    assert diagnostics and not [d for d in diagnostics if diagnosis.falls_back(d)]
    for label in ROSTER_TAB_LABELS[1:]:  # only the open tab is drawn: each in turn
        at = open_tab(at, label)
        check("roster")
    at.button(key="vagtplan:save_button").click().run()  # on the last tab, open now
    check("roster")
    at = visit("scenarios")
    at.text_input(key="scenarier:name").input("To syge")
    at.multiselect(key="scenarier:sick").select("A01").select("A02")
    at.number_input(key="scenarier:vol").set_value(20)
    at.button[[b.label for b in at.button].index(TEXTS["sc.add"]["da"])].click().run()
    at.button(key="scenarier:run").click().run()
    check("scenarios")
    at = visit("report")
    check("report")
    at.session_state["saved:kind"] = "roster"
    at = visit("saved")
    check("saved")

    english = {page: sorted(set(words)) for page, words in found.items() if words}
    assert not english, english
