"""Never lose work: the Vagtplan page's working draft, autosaved in the store for the user.

Every run of the Vagtplan page that ends with a roster in the session saves it as the user's
draft (`planner.store.database.Store.save_draft`, slot ``vagtplan``) when it changed since
the last autosave: the roster table and what the page needs to carry on (the saved item's
name and version it is based on, the locks, the week and number of days). A reload, a closed
tab or a restarted server starts a session without a roster; the page then brings the draft
back (`restore`) and says so. The draft is the user's: without a name (typed or signed in)
nothing is autosaved, and the page says that work is then only kept while the tab is open.

Pure functions here take and return plain values; the page does the Streamlit parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from app_support.edits import roster_hash
from planner.store.database import Draft, Store

__all__ = ["SLOT", "DraftState", "draft_meta", "from_draft", "autosave"]

#: The store slot of the Vagtplan page's draft.
SLOT = "vagtplan"


@dataclass(frozen=True)
class DraftState:
    """What the Vagtplan page restores from a draft."""

    roster: pd.DataFrame
    name: str | None
    based_on: int | None
    locks: list[str]
    week: dt.date | None
    days: int | None
    saved_at: dt.datetime


def draft_meta(
    *,
    name: str | None,
    based_on: int | None,
    locks: list[str],
    week: dt.date | None,
    days: int | None,
) -> dict[str, Any]:
    """The page's facts beside the roster, as JSON the store keeps.

    >>> draft_meta(name="Uge 50", based_on=2, locks=["A01 · 2026-12-07"],
    ...            week=dt.date(2026, 12, 7), days=5)["week"]
    '2026-12-07'
    """
    return {
        "name": name,
        "based_on": based_on,
        "locks": list(locks),
        "week": week.isoformat() if week is not None else None,
        "days": days,
    }


def from_draft(draft: Draft) -> DraftState:
    """The page state a stored draft brings back (unknown or missing facts become None)."""
    meta: Mapping[str, Any] = draft.meta or {}
    week = meta.get("week")
    based_on = meta.get("based_on")
    days = meta.get("days")
    return DraftState(
        roster=draft.frame,
        name=meta.get("name") if isinstance(meta.get("name"), str) else None,
        based_on=based_on if isinstance(based_on, int) else None,
        locks=[str(k) for k in meta.get("locks") or [] if isinstance(k, str)],
        week=dt.date.fromisoformat(week) if isinstance(week, str) else None,
        days=days if isinstance(days, int) else None,
        saved_at=draft.saved_at,
    )


def autosave(
    store: Store,
    user: str,
    roster: pd.DataFrame,
    meta: Mapping[str, Any],
    last: str | None,
) -> str:
    """Save ``roster`` as ``user``'s draft unless it equals the last autosave; its fingerprint.

    ``last`` is the fingerprint returned by the previous call (None at first): the roster's
    content hash and the meta, so an unchanged page writes nothing.
    """
    fingerprint = f"{roster_hash(roster)}:{sorted(meta.items())!r}"
    if fingerprint != last:
        store.save_draft(user, SLOT, roster, meta)
    return fingerprint
