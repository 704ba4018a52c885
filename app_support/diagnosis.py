"""The optimizer's findings and progress in the app's language (Danish by default, English).

`staffing.roster` writes its findings (`staffing.roster.diagnose.Diagnostic`) in English for
the CLI, and carries the same content as structured ``facts``; this module writes them again
from those facts with the templates of `app_support.i18n` (keys ``dg.*``), dates as planners
write them (``tir. 24/11``) and numbers in the language's style (``105,2``)::

    tir. 24/11 13:30-14:30 Leverandør mangler 3 agenter (behov 3, har 0,0): 4 af 4 agenter
    med kompetencen er til møde

`render` falls back to the English ``message`` only for a finding without facts (`falls_back`
says when); every kind the optimizer makes has its facts. `progress_text` does the same for
the short progress messages the solver reports while it works (``solving: column generation
round 5, LP 105.2, bound 19.5, ...`` -> ``Søger vagtplan: runde 5, bedste 105,2, grænse
19,5``): the solver passes plain strings, so they are read by pattern; one not known shows
as a general "working" text, never in English.

Pure Python: no Streamlit here (the pages and the tests use it alike).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from app_support.i18n import DEFAULT_LANGUAGE, number, short_date, t
from staffing.roster.diagnose import REASONS, Diagnostic

__all__ = ["KINDS", "SOLVER_NOTES", "render", "falls_back", "progress_text", "week_text"]

#: The kinds of finding the optimizer makes, each with its own template.
KINDS = (
    "short",
    "empty_queue",
    "team_floor",
    "summary",
    "impossible_agent",
    "agent_without_queue",
    "queue_without_agents",
    "calendar",
    "meeting_stay",
    "missed_meeting",
    "solver",
)
#: The notes of kind ``solver`` (``facts["note"]``).
SOLVER_NOTES = (
    "no_lp",
    "improved_nothing",
    "other_solver",
    "program_skipped",
    "no_plan",
    "rounded_kept",
    "start_kept",
    "unexplained",
    "release_cut",
    "search_failed",
)
_SOLVER_NAMES = {"highs": "HiGHS", "cbc": "CBC"}


def falls_back(diagnostic: Diagnostic) -> bool:
    """Whether `render` shows ``diagnostic``'s English message (a kind without a template,
    or a finding without its facts)."""
    facts = diagnostic.facts
    if diagnostic.kind not in KINDS or not facts:
        return True
    if diagnostic.kind == "solver":
        note = facts.get("note")
        if note == "unexplained":
            return facts.get("unexplained") not in ("team_runs", "short_runs")
        return note not in SOLVER_NOTES
    if diagnostic.kind in ("short", "empty_queue", "team_floor"):
        return diagnostic.start is None or diagnostic.end is None
    return False


def render(diagnostic: Diagnostic, lang: str = DEFAULT_LANGUAGE) -> str:
    """``diagnostic`` in ``lang`` from its facts (its English message when `falls_back`)."""
    if falls_back(diagnostic):
        return diagnostic.message
    return _RENDERERS[diagnostic.kind](diagnostic, _Words(lang))


class _Words:
    """The language's texts and number style for one rendering."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, /, **values: object) -> str:
        return t(f"dg.{key}", self.lang, **values)

    def num(self, value: object, digits: int | None = 1) -> str:
        return number(float(value), digits, self.lang)  # type: ignore[arg-type]

    def day(self, value: dt.date | pd.Timestamp | str) -> str:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        if isinstance(day, pd.Timestamp | dt.datetime):
            day = day.date()
        return short_date(day, self.lang)

    def listing(self, items: Sequence[object]) -> str:
        return ", ".join(str(i) for i in items)


def _facts(diagnostic: Diagnostic) -> Mapping[str, Any]:
    return diagnostic.facts


def _when(d: Diagnostic, w: _Words) -> str:
    """``tir. 24/11 13:30-14:30``: the run's day and clock times."""
    start, end = pd.Timestamp(d.start), pd.Timestamp(d.end)
    return f"{w.day(start)} {start:%H:%M}-{end:%H:%M}"


def _reasons(facts: Mapping[str, Any], w: _Words, noun: str) -> str:
    """Where the skilled agents (``noun="skilled"``) or members (``"members"``) are: the first
    count out of all of them, then the others, in the order of `REASONS`."""
    reasons: Mapping[str, int] = facts.get("reasons", {})
    where = ""
    if facts.get("shared_with"):
        where += w("where.shared", queues=w.listing(facts["shared_with"]))
    if facts.get("needed_by"):
        where += w("where.needed", queues=w.listing(facts["needed_by"]))
    parts = []
    for code in REASONS:
        n = int(reasons.get(code, 0))
        if n <= 0:
            continue
        phrase = w(f"reason.{code}.{'one' if n == 1 else 'many'}", where=where)
        if not parts:
            parts.append(w("first", n=n, total=int(facts["skilled"]), noun=w(noun), what=phrase))
        else:
            parts.append(f"{n} {phrase}")
    return ", ".join(parts)


def _run_reasons(facts: Mapping[str, Any], w: _Words) -> str:
    """The reasons of a queue's run, with the lack of skilled agents first."""
    skilled = int(facts.get("skilled", 0))
    if skilled == 0:
        return w("no_skill")
    reasons = _reasons(facts, w, "skilled")
    if facts.get("too_few_skilled"):
        return w("too_few_skilled", n=skilled) + reasons
    return reasons


def _short(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    shortfall = float(d.shortfall)
    n = str(int(round(shortfall))) if shortfall >= 1 else w.num(shortfall, 1)
    return w(
        "short",
        when=_when(d, w),
        queue=d.queue,
        n=n,
        unit=w("agent.one" if n == "1" else "agent.many"),
        needs=w.num(facts["needs"], None),
        has=w.num(facts["has"], 1),
        reasons=_run_reasons(facts, w),
    )


def _empty_queue(d: Diagnostic, w: _Words) -> str:
    return w("empty_queue", when=_when(d, w), queue=d.queue, reasons=_run_reasons(_facts(d), w))


def _team_floor(d: Diagnostic, w: _Words) -> str:
    reasons = _reasons(_facts(d), w, "members") if _facts(d).get("skilled") else w("no_members")
    return w("team_floor", when=_when(d, w), team=d.team, reasons=reasons)


def _summary(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    more = int(facts.get("not_listed", 0))
    return w(
        "summary",
        hours=w.num(facts["hours"], 1),
        required=w.num(facts["required_hours"], 1),
        percent=w.num(facts["percent"], 1),
        intervals=w.num(facts["intervals"], 0),
        more=w("summary_more", n=more) if more else "",
    )


def week_text(week: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An ISO week ``2026-W48`` as ``uge 48 2026`` (``week 48 2026``); other text as it is."""
    match = re.fullmatch(r"(\d{4})-W(\d{1,2})", str(week))
    if match is None:
        return str(week)
    return t("dg.week", lang, week=int(match.group(2)), year=match.group(1))


def _impossible_agent(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    limits = [w("limit.shift", hours=w.num(facts["max_shift_hours"], None))]
    if facts.get("earliest"):
        limits.append(w("limit.earliest", time=facts["earliest"]))
    if facts.get("latest"):
        limits.append(w("limit.latest", time=facts["latest"]))
    if facts.get("max_days"):
        limits.append(w("limit.days", n=facts["max_days"]))
    days = facts.get("available_days", [])
    return w(
        "impossible_agent",
        agent=facts["agent"],
        week=week_text(str(facts["week"]), w.lang),
        target=w.num(facts["target_hours"], 1),
        contract=w.num(facts["contract_hours"], None),
        bound=w(f"bound.{facts['bound']}"),
        possible=w.num(facts["possible_hours"], 1),
        available=len(days),
        days=facts["days"],
        names=w.listing([w.day(day) for day in days]) or w("none"),
        limits=", ".join(limits),
    )


def _agent_without_queue(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    skills = w.listing(facts.get("skills", [])) or w("none")
    return w("agent_without_queue", agent=facts["agent"], skills=skills)


def _queue_without_agents(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    return w("queue_without_agents", queue=facts["queue"], hours=w.num(facts["hours"], 1))


def _calendar(d: Diagnostic, w: _Words) -> str:
    return w("calendar", day=w.day(str(_facts(d)["date"])))


def _meeting_stay(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    return w(
        "meeting_stay",
        meeting=facts["meeting"],
        team=facts["team"],
        day=w.day(str(facts["date"])),
        start=facts["start"],
        end=facts["end"],
        agent=facts["agent"],
        left=w("stay.teams" if facts.get("teams") else "stay.queues"),
    )


def _missed_meeting(d: Diagnostic, w: _Words) -> str:
    facts = _facts(d)
    return w(
        "missed_meeting",
        meeting=facts["meeting"],
        who=w(f"who.{facts['attendees']}", name=facts["who"]),
        week=week_text(str(facts["week"]), w.lang),
        why=w(f"why.{facts['why']}"),
    )


def _solver(d: Diagnostic, w: _Words) -> str:
    facts = dict(_facts(d))
    note = str(facts.pop("note"))
    values: dict[str, object] = {}
    for name in ("solver", "used"):
        if name in facts:
            values[name] = _SOLVER_NAMES.get(str(facts[name]), str(facts[name]))
    if "time_limit" in facts:
        values["limit"] = w.num(facts["time_limit"], None)
    if "agents" in facts:
        values["agents"] = w.num(facts["agents"], 0)
    if note == "program_skipped":
        values["what"] = w(f"what.{facts['what']}")
    if note == "release_cut":
        values["blocks"] = w.num(facts["blocks"], 0)
    if note == "search_failed":
        values["why"] = w(f"search_why.{facts['why']}")
    if note == "unexplained":
        values["what"] = _unexplained(facts, w)
    return w(f"note.{note}", **values)


def _unexplained(facts: Mapping[str, Any], w: _Words) -> str:
    """Which runs the time left unexplained."""
    if facts["unexplained"] == "team_runs":
        return w("unexplained.team_runs", n=facts["runs"])
    parts = []
    if facts.get("short"):
        shortest = facts.get("shortest")
        parts.append(
            w("unexplained.all_short")
            if shortest is None
            else w("unexplained.less_short", n=w.num(shortest, None))
        )
    if facts.get("empty"):
        parts.append(w("unexplained.empty"))
    return w("and").join(parts) + w("unexplained.summary")


_RENDERERS: dict[str, Callable[[Diagnostic, _Words], str]] = {
    "short": _short,
    "empty_queue": _empty_queue,
    "team_floor": _team_floor,
    "summary": _summary,
    "impossible_agent": _impossible_agent,
    "agent_without_queue": _agent_without_queue,
    "queue_without_agents": _queue_without_agents,
    "calendar": _calendar,
    "meeting_stay": _meeting_stay,
    "missed_meeting": _missed_meeting,
    "solver": _solver,
}


# -- progress --------------------------------------------------------------------------------------

_NUM = r"-?[\d,]*\.?\d+"
#: The solver's progress messages (`staffing.roster.solve`, ``master``, ``heuristics``,
#: ``model``): a pattern, its text key (``dg.progress.*``) and which groups are numbers.
_PROGRESS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^reading the requirements", "reading"),
        (
            rf"^building the model: (?P<agents>{_NUM}) agents, (?P<days>{_NUM}) days, "
            rf"(?P<queues>{_NUM}) queues",
            "building",
        ),
        (
            rf"^solving: column generation round (?P<round>\d+), LP (?P<best>{_NUM}), "
            rf"bound (?P<bound>{_NUM})",
            "round",
        ),
        (rf"^solving: lower bound (?P<bound>{_NUM}) after (?P<round>\d+) rounds", "rounding"),
        (r"^solving: no time to solve the LP", "no_lp"),
        (r"^solving: constructing a plan, (?P<done>\d+) of (?P<total>\d+)", "greedy"),
        (r"^solving: rounding, (?P<done>\d+) of (?P<total>\d+)", "dive"),
        (
            rf"^solving: improving the plan, (?P<better>\d+) better neighbourhoods, "
            rf"master (?P<best>{_NUM})",
            "improve",
        ),
        (
            rf"^solving: integer program, best plan (?P<best>{_NUM}), gap (?P<gap>{_NUM}) %",
            "program_best",
        ),
        (r"^solving: integer program, best plan (?P<best>" + _NUM + r")", "program_best_only"),
        (r"^solving: integer program with (?P<solver>\w+)", "program"),
        (r"^solving: no time left for the integer program", "keep_rounded"),
        (r"^reading the plan back", "read_back"),
        (r"^solving: comparing the plans of (?P<total>\d+) searches", "compare"),
        (
            rf"^solving: the plan of seed (?P<seed>\d+) is kept \((?P<best>{_NUM}) against "
            rf"(?P<own>{_NUM})\)",
            "other_kept",
        ),
        (r"^(?P<status>optimal|feasible|no_solution)$", "status"),
    )
)
_WHOLE = {"agents", "days", "queues", "round", "done", "total", "better", "seed"}


def progress_text(message: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The solver's progress ``message`` in ``lang`` (a general "working" text for one not
    known, so that no English reaches the page)."""
    for pattern, key in _PROGRESS:
        match = pattern.search(message)
        if match is None:
            continue
        values: dict[str, object] = {}
        for name, raw in match.groupdict().items():
            if name == "status":
                values[name] = t(f"dg.progress.status.{raw}", lang)
            elif name == "solver":
                values[name] = _SOLVER_NAMES.get(raw, raw)
            else:
                value = float(raw.replace(",", ""))
                values[name] = number(value, 0 if name in _WHOLE else 1, lang)
        return t(f"dg.progress.{key}", lang, **values)
    return t("dg.progress.working", lang)
