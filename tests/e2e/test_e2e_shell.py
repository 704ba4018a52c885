"""The app shell in a real browser: it opens in Danish, the English switch works, and the
"Gemt arbejde" page finds a restored version again after a reload."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from app_support.i18n import t
from app_support.shell import APP_DIR, PAGES
from planner.store.database import Store

pytestmark = pytest.mark.browser

EXISTING = [spec for spec in PAGES if (APP_DIR / "app_pages" / spec.file).is_file()]


def path_of(url_path: str) -> str:
    """The URL path of a page: the first page is the app's default page, served at "/"."""
    return "" if EXISTING[0].url_path == url_path else url_path


def test_app_opens_in_danish_and_switches_to_english(open_app, shot) -> None:
    page = open_app()
    sidebar = page.get_by_test_id("stSidebar")
    first = EXISTING[0]
    # The browser tab carries the current page's title, in Danish by default.
    expect(page).to_have_title(t(first.label, "da"))
    expect(sidebar.get_by_text(t("app.user", "da"))).to_be_visible()
    if len(EXISTING) > 1:
        nav = page.get_by_test_id("stSidebarNav")
        for spec in EXISTING:
            expect(nav.get_by_text(t(spec.label, "da"), exact=True)).to_be_visible()
    shot("danish")

    sidebar.get_by_test_id("stRadio").get_by_text("English").click()
    expect(page).to_have_title(t(first.label, "en"))
    expect(sidebar.get_by_text(t("app.user", "en"))).to_be_visible()
    if len(EXISTING) > 1:
        nav = page.get_by_test_id("stSidebarNav")
        for spec in EXISTING:
            expect(nav.get_by_text(t(spec.label, "en"), exact=True)).to_be_visible()
    shot("english")

    sidebar.get_by_test_id("stRadio").get_by_text("Dansk").click()
    expect(page).to_have_title(t(first.label, "da"))


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option).first.click()


def test_saved_page_restores_a_version_that_is_there_after_a_reload(
    open_app, app_server, shot, idle
) -> None:
    name = "E2E Uge 50"
    start = pd.Timestamp("2026-12-07 08:00", tz="Europe/Copenhagen")
    with Store(app_server.db_url) as store:
        for marker, based_on in (("v1", None), ("v2", 1)):
            frame = pd.DataFrame({"agent_id": ["A01"], "start": [start], "activity": [marker]})
            store.save("roster", name, frame, user="anna", based_on=based_on)

    page = open_app(path_of("gemt"))
    page.get_by_test_id("stSidebar").get_by_role("textbox", name=t("app.user", "da")).fill("e2e")
    page.get_by_test_id("stSidebar").get_by_role("textbox", name=t("app.user", "da")).press("Enter")
    idle(page)
    page.get_by_test_id("stButtonGroup").get_by_text(t("kind.roster", "da")).click()
    idle(page)
    choose(page, t("saved.item", "da"), name)
    idle(page)
    choose(page, t("saved.version", "da"), "v1 ·")
    idle(page)
    shot("version-1")
    page.get_by_role("button", name=t("saved.restore", "da", version=1)).click()
    # The page switches to the new version and says so.
    version_box = page.get_by_role("combobox", name=t("saved.version", "da"))
    expect(version_box).to_have_value(re.compile(r"^v3 · .+ · e2e$"))
    expect(page.get_by_text(t("save.done", "da", name=name, version=3)).first).to_be_visible()
    idle(page)
    shot("restored")

    page.reload()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.get_by_test_id("stButtonGroup").get_by_text(t("kind.roster", "da")).click()
    idle(page)
    choose(page, t("saved.item", "da"), name)
    idle(page)
    # The newest version is chosen by default: the restored one, saved by this session.
    version_box = page.get_by_role("combobox", name=t("saved.version", "da"))
    expect(version_box).to_have_value(re.compile(r"^v3 · .+ · e2e$"))
    with Store(app_server.db_url) as store:
        frame, info = store.load("roster", name)
    assert (info.version, info.saved_by, list(frame["activity"])) == (3, "e2e", ["v1"])
