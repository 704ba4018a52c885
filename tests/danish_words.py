"""What counts as English on a page in Danish mode (shared by the AppTest walk in
`tests/test_app_danish.py` and the browser walk in `tests/e2e/test_e2e_danish.py`).

`english_words(text)` finds English words and raw identifiers in a text shown to the planner:

- `WORDS`: English words that are not Danish words too (case-insensitive). Words both languages
  write ("plan", "model", "interval", "status", "team", "version", "weekend", "for", "time",
  "to", "at", "given", "upload") are not listed: a Danish sentence may use them.
- `CASED`: words that only count with their capital (``None``, ``nan``, the English weekday
  names and their short forms; not "Fri" and "Sat", which are Danish words too, and Danish
  "man." does not count as "Mon").
- Raw identifiers: snake_case names (``interval_start``, ``agents_gross``), a table's contract
  column shown as its header.

`PROPER_NAMES` are taken out of the text first: names that are the same in every language
(the centre's queues, file names, the models and methods, formats and programs). That is the
only allow-list; anything else English on a Danish page is a finding.
"""

from __future__ import annotations

import re

from centre.queues import QUEUES

__all__ = ["WORDS", "CASED", "PROPER_NAMES", "english_words"]

WORDS = (
    "the",
    "and",
    "of",
    "is",
    "are",
    "was",
    "with",
    "from",
    "not",
    "nobody",
    "short",
    "needs",
    "agents",
    "agent-hours",
    "skilled",
    "round",
    "rounds",
    "bound",
    "base",
    "sick",
    "week",
    "weeks",
    "day",
    "days",
    "calls",
    "wait",
    "queue",
    "queues",
    "meeting",
    "lunch",
    "phone",
    "hours",
    "holiday",
    "shift",
    "shifts",
    "required",
    "offered",
    "answered",
    "solving",
    "reading",
    "building",
    "searching",
    "under-coverage",
    "coverage",
    "forecast",
    "staffing",
    "roster",
    "summary",
    "rows",
    "columns",
    "gaps",
    "none",
    "inferred",
    "changes",
    "goals",
    "volume",
    "handle",
    "without",
)
CASED = (
    "None",
    "nan",
    "NaN",
    "True",
    "False",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Sun",
)
#: Names the same in every language: the centre's queues, the models and methods (GLM, ETS,
#: MSTL, WAPE, MASE, Erlang), the solvers, formats and programs, the time zone; file names are
#: matched by their ending.
PROPER_NAMES = (
    *sorted((q.name for q in QUEUES), key=len, reverse=True),
    "GLM",
    "ETS",
    "MSTL",
    "WAPE",
    "MASE",
    "Erlang",
    "HiGHS",
    "CBC",
    "UTF-8",
    "ISO 8601",
    "CSV",
    "Excel",
    "Parquet",
    "TOML",
    "PDF",
    "iCal",
    "Outlook",
    "Europe/Copenhagen",
)
_FILE_NAME = re.compile(r"[\w./-]+\.(?:csv|toml|xlsx|parquet|ics|pdf|txt|zip)\b", re.IGNORECASE)
_WORDS = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, WORDS)) + r")(?![\w-])", re.I)
_CASED = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, CASED)) + r")(?![\w-])")
_SNAKE = re.compile(r"(?<![\w-])([a-z]+(?:_[a-z]+)+)(?![\w-])")


def english_words(text: str) -> list[str]:
    """The English words and raw identifiers in ``text`` (proper names taken out first)."""
    text = _FILE_NAME.sub(" ", str(text))
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    found = [m.group(1) for m in _WORDS.finditer(text)]
    found += [m.group(1) for m in _CASED.finditer(text)]
    found += [m.group(1) for m in _SNAKE.finditer(text)]
    return found
