"""The "Gemt arbejde" (saved work) page: listing, history, preview, publish, restore, conflicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from app_fixtures import legal_day
from streamlit.testing.v1 import AppTest

from app_support.shell import LANG_KEY, USER_KEY
from planner.store.database import Store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    yield url
    st.cache_resource.clear()


def roster(marker: str) -> pd.DataFrame:
    start = pd.Timestamp("2026-12-07 08:00", tz=TZ)
    return pd.DataFrame(
        {
            "agent_id": ["A01", "A02"],
            "date": [start.date(), start.date()],
            "start": [start, start + pd.Timedelta(hours=1)],
            "end": [start + pd.Timedelta(hours=8), start + pd.Timedelta(hours=9)],
            "activity": ["phone", marker],
        }
    )


@pytest.fixture
def filled(db_url: str) -> str:
    with Store(db_url) as store:
        store.save("roster", "Uge 50", roster("v1"), user="anna", comment="første udkast")
        store.save("roster", "Uge 50", roster("v2"), user="bo", comment="byttet", based_on=1)
        store.save("roster", "Uge 49", roster("x"), user="anna", meta={"week": "2026-W49"})
        store.save("forecast", "December", pd.DataFrame({"offered": [1.0]}), user="cy")
    return db_url


def table(at: AppTest, which: str):
    """The page's tables in order: saved items, the item's versions, the version's contents."""
    # the facts saved with a version, when it has any, come between versions and contents; a
    # roster's comparison with another version ("Ændring") comes after them
    if which == "preview":
        return [d for d in at.dataframe if "Ændring" not in d.value.columns][-1]
    return at.dataframe[["items", "versions"].index(which)]


def open_saved(kind: str = "roster", user: str | None = "lead") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["saved:kind"] = kind
    if user:
        at.session_state[USER_KEY] = user
    at.run()
    return at.switch_page("app_pages/saved.py").run()


def test_empty_database_says_nothing_is_saved(db_url: str) -> None:
    at = open_saved()
    assert not at.exception and not at.error
    assert at.info[0].value == "Der er ikke gemt noget af denne slags endnu."


def test_lists_items_of_the_kind_newest_first(filled: str) -> None:
    at = open_saved()
    assert not at.exception
    items = table(at, "items").value
    assert list(items["Navn"]) == ["Uge 49", "Uge 50"]
    assert list(items["Nyeste version"]) == [1, 2]
    assert list(items["Senest gemt af"]) == ["anna", "bo"]
    at.segmented_control(key="saved:kind").set_value("forecast").run()
    assert list(table(at, "items").value["Navn"]) == ["December"]


def test_shows_history_newest_first_and_the_chosen_versions_table(filled: str) -> None:
    at = open_saved()
    at.selectbox(key="saved:item").select("Uge 50").run()
    history = table(at, "versions").value
    assert list(history["Version"]) == [2, 1]
    assert list(history["Gemt af"]) == ["bo", "anna"]
    assert list(history["Status"]) == ["Kladde", "Kladde"]
    assert list(history["Kommentar"]) == ["byttet", "første udkast"]
    assert list(history["Bygger på"]) == ["1", ""]
    preview = table(at, "preview").value  # in words: the activity's header and its codes
    assert list(preview["Aktivitet"]) == ["Telefon", "v2"]
    at.selectbox(key="saved:version").select(1).run()
    assert list(table(at, "preview").value["Aktivitet"]) == ["Telefon", "v1"]
    download = at.get("download_button")[0]
    assert download.proto.label == "Hent som CSV"


def test_meta_is_shown(filled: str) -> None:
    at = open_saved()
    assert at.selectbox(key="saved:item").value == "Uge 49"
    facts = at.dataframe[-2].value  # the facts saved with the version, before the contents
    assert facts.values.tolist() == [["Uge", "uge 49 2026"]]


def test_publish_checks_the_roster_needs_a_name_and_marks_the_version(filled: str) -> None:
    at = open_saved(user=None)
    at.selectbox(key="saved:item").select("Uge 50").run()
    assert at.button(key="saved:publish").disabled
    at.sidebar.text_input(key=USER_KEY).input("leder").run()
    # version 2 breaks the rules (a toy roster): the checker refuses it at the click
    at.button(key="saved:publish").click().run()
    assert not at.exception
    assert any(e.value.startswith("Ikke offentliggjort") for e in at.error)
    with Store(filled) as store:
        assert store.info("roster", "Uge 50").status == "draft"
        store.save("roster", "Uge 50", legal_day(), user="anna", based_on=2)
    at.run()
    at.selectbox(key="saved:version").select(3).run()
    at.button(key="saved:publish").click().run()  # a legal day, but its warnings not seen yet
    assert any("Bekræft først" in e.value for e in at.error)
    at.checkbox(key="saved:publish_ack").check().run()
    at.button(key="saved:publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Version 3 er offentliggjort." in [s.value for s in at.success]
    with Store(filled) as store:
        info = store.info("roster", "Uge 50", published=True)
    assert (info.version, info.published_by) == (3, "leder")
    statuses = list(table(at, "versions").value["Status"])
    assert statuses == ["Offentliggjort", "Kladde", "Kladde"]
    assert [b for b in at.button if b.key == "saved:publish"] == []  # already published


def test_with_a_login_the_signed_in_user_publishes_and_a_typed_name_is_ignored(
    filled: str,
) -> None:
    with Store(filled) as store:
        store.save("roster", "Uge 48", legal_day(), user="anna")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"client_id": "vagtplan", "server_metadata_url": "https://idp.test/x"}
    at.user = {"is_logged_in": True, "name": "Mette Leder", "email": "mette@kk.dk"}
    at.session_state["saved:kind"] = "roster"
    at.session_state[USER_KEY] = "someone typed"  # from before the login was configured
    at.run()
    at = at.switch_page("app_pages/saved.py").run()
    at.selectbox(key="saved:item").select("Uge 48").run()
    at.checkbox(key="saved:publish_ack").check().run()
    at.button(key="saved:publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Store(filled) as store:
        info = store.info("roster", "Uge 48", published=True)
    assert info.published_by == "Mette Leder"


def test_restore_saves_the_old_table_as_a_new_version(filled: str) -> None:
    at = open_saved()
    at.selectbox(key="saved:item").select("Uge 50").run()
    at.selectbox(key="saved:version").select(1).run()
    at.button(key="saved:restore_button").click().run()
    assert not at.exception and not at.error
    with Store(filled) as store:
        history = store.versions("roster", "Uge 50")
        frame, info = store.load("roster", "Uge 50")
    assert [v.version for v in history] == [1, 2, 3]
    assert (info.based_on, info.saved_by, info.comment) == (2, "lead", "Gendannet fra version 1")
    assert info.meta == {"restored_from": 1}
    pd.testing.assert_frame_equal(frame, roster("v1"))
    # The page now shows the new version and says it was saved.
    assert at.selectbox(key="saved:version").value == 3
    assert [s.value for s in at.success] == ["Gemt som «Uge 50» version 3."]
    assert [b for b in at.button if b.key == "saved:restore_button"] == []  # v3 is the newest


def test_restore_after_someone_else_saved_asks_and_loses_nothing(filled: str) -> None:
    at = open_saved()
    at.selectbox(key="saved:item").select("Uge 50").run()
    at.selectbox(key="saved:version").select(1).run()
    # Another session saves version 3 while this page shows version 2 as the newest.
    with Store(filled) as store:
        store.save("roster", "Uge 50", roster("other"), user="bo", based_on=2)
    at.button(key="saved:restore_button").click().run()
    assert not at.exception and not at.error
    warning = at.warning[0].value
    assert warning.startswith("bo har gemt version 3 af «Uge 50»")
    assert "efter version 2 som du tog udgangspunkt i" in warning
    with Store(filled) as store:
        assert store.info("roster", "Uge 50").version == 3
    at.button(key="saved:restore_on_top").click().run()
    assert not at.exception
    with Store(filled) as store:
        markers = [store.load("roster", "Uge 50", v)[0]["activity"].iloc[1] for v in (1, 2, 3, 4)]
        assert store.info("roster", "Uge 50").based_on == 3
    assert markers == ["v1", "v2", "other", "v1"]


def test_cancel_a_conflict_saves_nothing(filled: str) -> None:
    at = open_saved()
    at.selectbox(key="saved:item").select("Uge 50").run()
    at.selectbox(key="saved:version").select(1).run()
    with Store(filled) as store:
        store.save("roster", "Uge 50", roster("other"), user="bo", based_on=2)
    at.button(key="saved:restore_button").click().run()
    at.button(key="saved:restore_cancel").click().run()
    assert not at.exception and not at.warning
    with Store(filled) as store:
        assert store.info("roster", "Uge 50").version == 3


def test_page_in_english(filled: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[LANG_KEY] = "en"
    at.session_state["saved:kind"] = "roster"
    at.run()
    at.switch_page("app_pages/saved.py").run()
    assert not at.exception
    assert at.title[0].value == "Saved work"
    assert "Name" in table(at, "items").value.columns
    assert at.get("download_button")[0].proto.label == "Download as CSV"


def test_unreachable_database_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAGTPLAN_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        at = AppTest.from_file(APP, default_timeout=30).run()
        at.switch_page("app_pages/saved.py").run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert at.error[0].value.startswith("Databasen svarer ikke som ventet (OperationalError)")
    assert at.sidebar.radio(key=LANG_KEY).value == "da"


def test_two_roster_versions_are_compared_shift_by_shift(db_url: str) -> None:
    first = roster("phone")
    moved = first.copy()
    moved.loc[0, "start"] = moved.loc[0, "start"] + pd.Timedelta(minutes=30)
    with Store(db_url) as store:
        store.save("roster", "Uge 51", first, user="anna")
        store.save("roster", "Uge 51", moved, user="bo", based_on=1)
    at = open_saved()
    at.selectbox(key="saved:item").select("Uge 51").run()
    assert not at.exception
    assert at.selectbox(key="saved:compare").value == 1  # against the version it was based on
    summary = [m.value for m in at.markdown if m.value.startswith("Ændrede vagter")]
    assert len(summary) == 1
    assert summary[0].startswith(
        "Ændrede vagter fra version 1 til version 2: 1 (version 2 gemt af bo"
    )
    diff = next(d.value for d in at.dataframe if "Ændring" in d.value.columns)
    assert diff.to_dict("records") == [
        {
            "Medarbejder": "A01",
            "Dag": "man. 7/12",
            "Ændring": "Ændret",
            "Version 1": "08:00-16:00",
            "Version 2": "08:30-16:00",
        }
    ]
