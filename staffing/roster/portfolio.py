"""Searches side by side: the second core runs the same solve with another seed.

`staffing.roster.solve.solve_roster` is a single-threaded search (column generation, the dive,
the neighbourhood search, the integer program): on a 2-core machine one core idles. With
``workers=2`` the solve starts a second search in its own process (`start_searches`: a new
Python interpreter, ``python -c``, fed the pickled inputs on stdin; not `multiprocessing`,
whose child would import and run the caller's main script again when it has no
``__main__`` guard), the same solve with the next seed, ending at the same wall-clock
deadline; the seed also sets the neighbourhoods' size (3 and 4:
`staffing.roster.solve.NEIGHBOURHOOD_SIZES`) and whether the search moves the meetings (the
first does: `staffing.roster.solve.MOVE_MEETINGS`), because with the search's cheap LPs
(`staffing.roster.compact`) seeds alone led to the same plan. Both plans are complete
results (roster, coverage, diagnosis); the caller keeps the cheaper one
(`staffing.roster.solve`), and both lower bounds are valid for the week, so the larger is
the plan's bound.

Why: the solve uses one core. A short search's plan depended much on which neighbourhoods
it happened to try (four seeds at 10 s, answered calls lost, before the cheap LPs: 2026-W48
65.6-75.4, W49 66.7-77.7, W50 73.0-81.9), and depends on their size since (2026-W52 at 10 s:
47.9 from the first search in three runs of three, 45.4 from the second;
docs/notes/roster.md). Two searches side by side each ran as fast as alone (2 cores, one
thread each).

The second search is best effort: when it fails, or has no result a grace period
(`GRACE_SECONDS`) after the deadline, it is stopped and the first search's plan is the plan,
with a note (`collect`).
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ENTRY",
    "GRACE_SECONDS",
    "MIN_SECONDS",
    "Outcome",
    "Search",
    "collect",
    "start_searches",
    "stop",
]

#: Seconds after the deadline the first search waits for the others' results (their own
#: read-back may end a moment after the deadline, as the first's does).
GRACE_SECONDS = 1.0
#: A second search is started only when it would have at least this many seconds (Python's
#: start and the imports take about 0.6 s of them on the benchmark machine).
MIN_SECONDS = 2.0

_CHILD = "from staffing.roster.portfolio import child_main; child_main()"
#: The solve a search runs: `staffing.roster.solve.solve_roster`, named (module, function) so
#: that this module does not import the one that imports it.
ENTRY = ("staffing.roster.solve", "solve_roster")


@dataclass(frozen=True)
class Outcome:
    """What a second search gave: ``"ok"`` and the `RosterResult`, or ``"error"`` / ``"late"``
    and why (its exception's type, message and place, or that it had no plan by the time it
    was waited for)."""

    status: str
    seed: int
    result: Any = None
    reason: str = ""


@dataclass
class Search:
    """A second search running in its own process: the process, the seed it searches with,
    and the bytes its result arrives in (read by a thread so that neither side blocks)."""

    process: subprocess.Popen[bytes]
    seed: int
    received: bytearray = field(default_factory=bytearray)
    done: threading.Event = field(default_factory=threading.Event)


def start_searches(
    count: int, kwargs: dict[str, Any], *, seed: int, deadline: float
) -> list[Search]:
    """Start ``count`` searches: ``solve_roster(**kwargs)`` (`ENTRY`) with seeds ``seed + 1``,
    ..., each ending by the wall-clock ``deadline`` (`time.time`). None are started (an empty
    list) when the time left is under `MIN_SECONDS`."""
    if count < 1 or deadline - time.time() < MIN_SECONDS:
        return []
    env = dict(os.environ)
    # the child finds the same modules as this process (a script that put the project on
    # sys.path, an editable install)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    searches = []
    for n in range(1, count + 1):
        payload = pickle.dumps((kwargs, seed + n, deadline), protocol=pickle.HIGHEST_PROTOCOL)
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        search = Search(process, seed + n)
        threading.Thread(target=_feed, args=(process, payload), daemon=True).start()
        threading.Thread(target=_drain, args=(search,), daemon=True).start()
        searches.append(search)
    return searches


def _feed(process: subprocess.Popen[bytes], payload: bytes) -> None:
    """Write the inputs to the child's stdin and close it (a thread: the pipe holds 64 KB,
    and the child reads only after its imports)."""
    assert process.stdin is not None
    try:
        process.stdin.write(payload)
        process.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the child died early; `collect` reports it


def _drain(search: Search) -> None:
    """Read the child's stdout to its end into ``search.received``."""
    stdout = search.process.stdout
    assert stdout is not None
    try:
        while chunk := stdout.read(1 << 16):
            search.received.extend(chunk)
    finally:
        search.done.set()


def collect(search: Search, *, until: float) -> Outcome:
    """The search's result, waited for until the wall-clock time ``until`` at most; the
    process is stopped either way."""
    finished = search.done.wait(max(until - time.time(), 0.0))
    if not finished:
        search.process.kill()
    search.process.wait()
    if not finished:
        return Outcome("late", search.seed, reason="no plan by the deadline")
    try:
        status, value = pickle.loads(bytes(search.received))
    except Exception:  # the child ended without writing its outcome (killed, out of memory)
        code = search.process.returncode
        return Outcome("error", search.seed, reason=f"the process ended with code {code}")
    if status == "ok":
        return Outcome("ok", search.seed, result=value)
    return Outcome(status, search.seed, reason=str(value))


def stop(searches: list[Search]) -> None:
    """Stop every search (the first search failed: its caller raises)."""
    for search in searches:
        search.process.kill()
        search.process.wait()


def child_main() -> None:
    """The second search's process: read ``(kwargs, seed, deadline)`` from stdin, solve, and
    write ``("ok", result)`` or ``("error", message)`` to stdout (pickled). Anything else the
    solve prints goes to stderr, so stdout carries the outcome only."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        kwargs, seed, deadline = pickle.load(sys.stdin.buffer)
        module, name = ENTRY
        solve_roster = getattr(importlib.import_module(module), name)
        left = deadline - time.time()
        if left < 0.5 * MIN_SECONDS:
            outcome: tuple[str, Any] = ("late", f"started with {left:.1f} s left")
        else:
            result = solve_roster(**kwargs, seed=seed, time_limit=left, workers=1)
            outcome = ("ok", result)
    except Exception as exc:  # reported to the first search, which keeps its own plan
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
        outcome = ("error", f"{type(exc).__name__}: {exc}{where}")
    out.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    out.close()
