"""Working drafts in the store: one per user and page, replaced whole, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest

from planner.store.database import Store

TZ = "Europe/Copenhagen"


@pytest.fixture
def store(db_url: str):
    with Store(db_url) as opened:
        yield opened


def roster(marker: str, rows: int = 3) -> pd.DataFrame:
    start = pd.Timestamp("2026-12-07 08:00", tz=TZ)
    return pd.DataFrame(
        {
            "agent_id": [f"A{i:02d}" for i in range(rows)],
            "date": [start.date()] * rows,
            "start": [start + pd.Timedelta(minutes=15 * i) for i in range(rows)],
            "end": [start + pd.Timedelta(hours=8, minutes=15 * i) for i in range(rows)],
            "activity": [marker] * rows,
        }
    )


def test_a_draft_round_trips_and_is_replaced_whole(store: Store) -> None:
    assert store.load_draft("anna", "vagtplan") is None
    first = store.save_draft("anna", "vagtplan", roster("phone"), {"week": "2026-W50"})
    draft = store.load_draft("anna", "vagtplan")
    assert draft is not None and draft.meta == {"week": "2026-W50"}
    pd.testing.assert_frame_equal(draft.frame, roster("phone"), check_exact=True)
    assert draft.saved_at == first and draft.saved_at.tzinfo is not None

    store.save_draft("anna", "vagtplan", roster("lunch", rows=5), {"week": "2026-W51"})
    again = store.load_draft("anna", "vagtplan")
    assert again is not None and again.meta == {"week": "2026-W51"}
    pd.testing.assert_frame_equal(again.frame, roster("lunch", rows=5), check_exact=True)
    assert again.saved_at >= first


def test_drafts_belong_to_one_user_and_slot_and_never_touch_saved_work(store: Store) -> None:
    store.save("roster", "Uge 50", roster("phone"), user="anna")
    store.save_draft("anna", "vagtplan", roster("a"))
    store.save_draft("bo", "vagtplan", roster("b"))
    store.save_draft("anna", "medarbejdere", roster("c"))
    assert store.load_draft("bo", "vagtplan").frame["activity"].iloc[0] == "b"
    assert store.load_draft("anna", "medarbejdere").frame["activity"].iloc[0] == "c"
    assert store.discard_draft("anna", "vagtplan") is True
    assert store.discard_draft("anna", "vagtplan") is False
    assert store.load_draft("anna", "vagtplan") is None
    assert store.load_draft("bo", "vagtplan") is not None
    assert [i.name for i in store.list()] == ["Uge 50"] and len(
        store.versions("roster", "Uge 50")
    ) == 1


def test_draft_names_are_checked_like_saved_work(store: Store) -> None:
    with pytest.raises(ValueError, match="control character"):
        store.save_draft("an\x00na", "vagtplan", roster("a"))
    with pytest.raises(ValueError, match="meta must be JSON-serialisable"):
        store.save_draft("anna", "vagtplan", roster("a"), {"when": dt.date(2026, 12, 7)})
    # the NFC form of a name finds the draft saved under another normal form
    store.save_draft("Jose\u0301", "vagtplan", roster("a"))
    assert store.load_draft("Jos\u00e9", "vagtplan") is not None


def test_concurrent_autosaves_of_one_user_leave_one_whole_draft(db_url: str) -> None:
    errors: list[BaseException] = []

    def autosave(marker: str) -> None:
        try:
            with Store(db_url) as mine:
                for _ in range(10):
                    mine.save_draft("anna", "vagtplan", roster(marker, rows=4))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    Store(db_url).close()  # migrate once before the threads race
    threads = [threading.Thread(target=autosave, args=(m,)) for m in ("x", "y", "z")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_url) as store:
        draft = store.load_draft("anna", "vagtplan")
    assert draft is not None and len(draft.frame) == 4
    assert draft.frame["activity"].nunique() == 1 and draft.frame["activity"].iloc[0] in "xyz"
