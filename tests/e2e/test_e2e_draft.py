"""Never lose work, in a real browser: a roster built on the Vagtplan page is autosaved as the
user's draft, and a reload (a new session) brings the roster back with the user's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_support.drafts import SLOT
from app_support.i18n import t
from app_support.shell import USER_PARAM
from planner.store.database import Store

pytestmark = pytest.mark.browser

BUILD_TIMEOUT = 240_000  # ms: the solver shares two cores with the rest of the suite
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def da(key: str, **values: object) -> str:
    return t(key, "da", **values)


def test_a_reload_brings_the_draft_back(app_page, app_server, shot, idle) -> None:
    page = app_page
    page.goto(f"{app_server.url}/vagtplan")  # the default plan may take a while on a busy machine
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
    page.wait_for_selector(APP_IDLE, timeout=BUILD_TIMEOUT)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=da("app.user")).fill("kladde-e2e")
    sidebar.get_by_role("textbox", name=da("app.user")).press("Enter")
    idle(page)
    assert f"{USER_PARAM}=kladde-e2e" in page.url  # the name survives a reload in the address
    days = page.get_by_role("spinbutton", name=da("ro.days"))
    days.fill("1")
    days.press("Enter")
    idle(page)
    limit = page.get_by_role("spinbutton", name=da("ro.time_limit"))
    limit.fill("10")
    limit.press("Enter")
    idle(page)
    page.get_by_role("button", name=da("ro.build")).click()
    page.wait_for_timeout(500)
    page.wait_for_selector(APP_IDLE, timeout=BUILD_TIMEOUT)
    expect(page.get_by_text(da("ro.kpis"))).to_be_visible(timeout=BUILD_TIMEOUT)
    page.wait_for_selector(APP_IDLE, timeout=BUILD_TIMEOUT)  # the autosave ends the run
    draft = None
    for _ in range(60):  # the run that drew the roster saves the draft as its last step
        with Store(app_server.db_url) as store:
            draft = store.load_draft("kladde-e2e", SLOT)
        if draft is not None:
            break
        page.wait_for_timeout(1_000)
    assert draft is not None and draft.frame["agent_id"].nunique() >= 10
    shot("built")

    page.reload()
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
    page.wait_for_selector(APP_IDLE, timeout=BUILD_TIMEOUT)
    expect(page.get_by_text(da("ro.draft_restored", when="")[:25])).to_be_visible()
    expect(page.get_by_text(da("ro.kpis"))).to_be_visible()
    assert sidebar.get_by_role("textbox", name=da("app.user")).input_value() == "kladde-e2e"
    shot("after-reload")
