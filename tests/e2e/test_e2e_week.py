"""The Vagtplan page's week at a glance in a real browser: the capacity check before building,
then, after building two days, the "Uge" tab's table (an agent a row, a day a column) and the
week heatmap, whose drawn rects are read back from the SVG: one per open interval and queue,
an exactly covered interval in the neutral colour, shortages red, surpluses blue. The per-day
heatmap on "Pr. interval" uses the same colours."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from app_support import plan as app_plan
from app_support.i18n import t

pytestmark = pytest.mark.browser

BUILD_TIMEOUT = 240_000  # ms: the solver shares the cores with the rest of the suite
FIRST_LOAD_TIMEOUT = 120_000  # ms
MONDAY = dt.date(2026, 11, 23)  # the first day after the default history
NEUTRAL = (247, 247, 247)  # app_support.week.NEUTRAL_COLOUR, #f7f7f7, as the browser says it


def da(key: str, **values: object) -> str:
    return t(key, "da", **values)


def drawn_rects(scope) -> list[tuple[dict[str, str], tuple[int, ...]]]:
    """Every rect mark of the Vega charts in ``scope``: its tooltip fields and its fill."""
    raw = scope.locator('[aria-roledescription="rect mark"]').evaluate_all(
        "els => els.map(e => [e.getAttribute('aria-label'), e.getAttribute('fill')])"
    )
    out = []
    for label, fill in raw:
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        rgb = tuple(int(x) for x in re.findall(r"\d+", fill))
        out.append((fields, rgb))
    return out


def balance(fields: dict[str, str]) -> float:
    return float(fields[da("wk.balance")].replace("−", "-"))


def check_colours(rects: list[tuple[dict[str, str], tuple[int, ...]]]) -> None:
    """0 neutral, short red, surplus blue."""
    exact = [rgb for fields, rgb in rects if balance(fields) == 0]
    assert exact and all(rgb == NEUTRAL for rgb in exact)
    for fields, (red, _, blue) in rects:
        if balance(fields) <= -0.5:
            assert red > blue + 20, fields
        elif balance(fields) >= 0.5:
            assert blue > red + 20, fields


def test_week_view_and_heatmap_after_building(app_page, open_app, shot, idle, tab) -> None:
    # the first visit makes the default plan (~10 s on an idle machine, more on a shared one)
    app_page.set_default_timeout(FIRST_LOAD_TIMEOUT)
    page = open_app("vagtplan")
    # before building: the default team can cover the need, and the page says so
    expect(page.get_by_text(da("wk.cap_ok"))).to_be_visible()
    days = page.get_by_role("spinbutton", name=da("ro.days"))
    days.fill("2")
    days.press("Enter")
    idle(page)
    limit = page.get_by_role("spinbutton", name=da("ro.time_limit"))
    limit.fill("20")
    limit.press("Enter")
    idle(page)
    page.get_by_role("button", name=da("ro.build")).click()
    page.wait_for_timeout(500)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=BUILD_TIMEOUT
    )
    expect(page.get_by_text(da("ro.kpis"))).to_be_visible()

    tab(page, da("wk.tab"))
    idle(page)
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_text(da("wk.table_title"))).to_be_visible()
    grid = panel.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    # the grid is drawn on a canvas; its accessible twin (hidden) carries the headings
    expect(grid.locator('[role="columnheader"]')).to_have_count(3)
    headings = grid.locator('[role="columnheader"]').evaluate_all(
        "els => els.map(e => e.textContent.trim())"
    )
    assert headings == ["Medarbejder", "man. 23/11", "tir. 24/11"]
    expect(panel.get_by_text(da("wk.heatmap_title"))).to_be_visible()
    chart = panel.get_by_test_id("stVegaLiteChart")
    expect(chart).to_be_visible()
    expect(chart.get_by_text("man. 23/11", exact=True)).to_be_visible()  # a panel per day
    expect(chart.get_by_text("tir. 24/11", exact=True)).to_be_visible()
    shot("week")

    # one rect per open interval and queue of the two days, nothing for closed hours
    plan = app_plan.load_default_plan()
    open_rows = len(app_plan.plan_days(plan.requirements, MONDAY, 2))
    expect(chart.locator('[aria-roledescription="rect mark"]')).to_have_count(open_rows)
    rects = drawn_rects(chart)
    assert {fields[da("ro.day")] for fields, _ in rects} == {"man. 23/11", "tir. 24/11"}
    check_colours(rects)

    # the per-day heatmap on "Pr. interval": the same colours (0 is not a shortage)
    tab(page, da("ro.tab_intervals"))
    idle(page)
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_text(da("wk.day_heatmap_title"))).to_be_visible()
    day_rects = drawn_rects(panel)
    assert day_rects and {f[da("ro.day")] for f, _ in day_rects} == {"man. 23/11"}
    check_colours(day_rects)
    shot("day-heatmap")
