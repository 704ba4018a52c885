"""The Vagtplan page in a real browser: build a day's roster, move one shift, save, reload and
find the saved version on the Gemt arbejde page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_support.i18n import t
from planner.store.database import Store

pytestmark = pytest.mark.browser

BUILD_TIMEOUT = 240_000  # ms: the solver shares two cores with the rest of the suite


def da(key: str, **values: object) -> str:
    return t(key, "da", **values)


def test_build_edit_save_and_find_the_roster_after_a_reload(
    open_app, app_server, shot, idle, tab
) -> None:
    page = open_app("vagtplan")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=da("app.user")).fill("e2e")
    sidebar.get_by_role("textbox", name=da("app.user")).press("Enter")
    idle(page)
    days = page.get_by_role("spinbutton", name=da("ro.days"))
    days.fill("1")
    days.press("Enter")
    idle(page)
    limit = page.get_by_role("spinbutton", name=da("ro.time_limit"))
    limit.fill("90")
    limit.press("Enter")
    idle(page)
    shot("before-build")

    page.get_by_role("button", name=da("ro.build")).click()
    page.wait_for_timeout(500)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=BUILD_TIMEOUT
    )
    expect(page.get_by_text(da("ro.kpis"))).to_be_visible()
    shot("built")

    tab(page, da("ro.tab_intervals"))
    idle(page)
    shot("coverage")

    tab(page, da("ro.tab_edit"))
    page.get_by_role("button", name=da("ro.move_button")).click()
    idle(page)
    expect(page.get_by_text("starter nu 09:00")).to_be_visible()
    shot("moved")

    tab(page, da("ro.tab_save"))
    name_box = page.get_by_role("textbox", name=da("save.name"), exact=True)
    assert name_box.input_value().startswith("Uge ")
    name = "Uge e2e-vagtplan"  # the other browser tests share the database: a name of its own
    name_box.fill(name)
    name_box.press("Enter")
    idle(page)
    tab(page, da("ro.tab_save"))  # the rerun may draw the first tab again
    # "Gem", or "Gem som kladde" when the moved shift breaks a rule (test_e2e_edits.py)
    save = page.get_by_role("button", name=da("save.button"), exact=True)
    draft = page.get_by_role("button", name=da("ro.save_draft"), exact=True)
    save.or_(draft).click()
    idle(page)
    tab(page, da("ro.tab_save"))
    expect(page.get_by_text(da("save.done", name=name, version=1))).to_be_visible()
    shot("saved")

    page.reload()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page = open_app("gemt")
    page.get_by_test_id("stButtonGroup").get_by_text(da("kind.roster")).click()
    idle(page)
    expect(page.get_by_text(da("saved.versions", name=name))).to_be_visible()
    shot("found-after-reload")
    with Store(app_server.db_url) as store:
        frame, info = store.load("roster", name)
    assert (info.version, info.saved_by) == (1, "e2e")
    assert frame["agent_id"].nunique() >= 10


def test_scenarios_page_compares_a_scenario_with_a_saved_roster(
    open_app, app_server, shot, idle
) -> None:
    import datetime as dt

    import pandas as pd

    day = dt.date(2026, 11, 23)
    rows = []
    for i in range(1, 31):
        for start, end, activity in (
            ("08:00", "12:00", "phone"),
            ("12:00", "12:30", "lunch"),
            ("12:30", "16:00", "phone"),
        ):
            stamp = pd.Timestamp(f"{day} {start}", tz="Europe/Copenhagen")
            rows.append(
                (
                    f"A{i:02d}",
                    day,
                    stamp,
                    pd.Timestamp(f"{day} {end}", tz="Europe/Copenhagen"),
                    activity,
                )
            )
    roster = pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])
    with Store(app_server.db_url) as store:
        store.save("roster", "E2E scenarie-base", roster, user="anna")

    page = open_app("scenarier")
    base = page.get_by_test_id("stSelectbox").filter(has_text=da("sc.base"))
    base.click()
    page.get_by_role("option", name="E2E scenarie-base").first.click()
    idle(page)
    page.get_by_role("textbox", name=da("sc.name")).fill("Mere trafik")
    volume = page.get_by_role("spinbutton", name=da("sc.volume_pct"))
    volume.fill("25")
    page.get_by_role("button", name=da("sc.add")).click()
    idle(page)
    replications = page.get_by_role("spinbutton", name=da("sc.replications"))
    replications.fill("2")
    replications.press("Enter")
    idle(page)
    shot("scenario-added")
    page.get_by_role("button", name=da("sc.run")).click()
    page.wait_for_timeout(500)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=BUILD_TIMEOUT
    )
    expect(page.get_by_text(da("sc.summary"), exact=True)).to_be_visible()
    expect(page.get_by_text(da("sc.side_by_side"), exact=True)).to_be_visible()
    shot("compared")
