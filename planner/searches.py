"""The optimizer's searches side by side: how many the app and the commands ask for, and how
a plan says it was the best of several and how far from the proven bound it may be.

`staffing.roster.solve.solve_roster` takes ``workers`` as an argument and reads no
configuration; the choice of a default (the machine's cores, the ``VAGTPLAN_WORKERS``
variable) is made here, in the layer that runs the commands and the app.
"""

from __future__ import annotations

import os

from planner.errors import InputError
from staffing.roster.solve import RosterResult

#: The environment variable that sets the number of searches (e.g. 1 to leave a core free).
WORKERS_VARIABLE = "VAGTPLAN_WORKERS"


def default_workers() -> int:
    """Searches side by side for the app and the command line: 2 on a machine with two cores
    or more (the second core idles otherwise), else 1; ``VAGTPLAN_WORKERS`` (a whole number
    >= 1) sets it. Anything else there is an `InputError` naming the variable and its value.
    """
    found = os.environ.get(WORKERS_VARIABLE, "").strip()
    if found:
        if not found.isdigit() or int(found) < 1:
            raise InputError(f"{WORKERS_VARIABLE} must be a whole number >= 1; got {found!r}")
        return int(found)
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def best_of_text(result: RosterResult, *, seed: bool = False) -> str:
    """``"the best of N searches"`` when the plan is the cheapest of N > 1 searches, with the
    kept search's seed when ``seed`` (``"... (seed 1)"``); ``""`` after one search."""
    searches = int(result.stats.get("searches", 1))
    if searches <= 1:
        return ""
    text = f"the best of {searches} searches"
    if seed:
        text += f" (seed {int(result.stats.get('seed', 0))})"
    return text


def gap_text(result: RosterResult) -> str:
    """The gap to the proven lower bound as the commands print it: relative, and in answered
    calls (``"50.7 % (at most 31 more answered calls a week, or the equivalent in fairness
    and wishes)"``, as the app's message after a build says it); ``"?"`` when no bound was
    proven.

    `RosterResult.gap_calls` is the objective less the bound: the most answered calls a better
    plan could add, the rules' weights counted in answered calls."""
    if result.gap is None:
        return "?"
    text = f"{100 * result.gap:.1f} %"
    if result.gap_calls is not None:
        text += (
            f" (at most {result.gap_calls:.0f} more answered calls a week, or the equivalent "
            "in fairness and wishes)"
        )
    return text
