"""Benchmark of the app in a real browser (prints figures; no assertions).

Run: ``python benchmarks/app.py`` (about 3 minutes; needs Debian's chromium at
/usr/bin/chromium and the project installed with ``.[dev]`` for Playwright). Prints, in one run:

1. server start: ``streamlit run app.py`` until ``/_stcore/health`` answers;
2. first render of the app (the Data page: title and sidebar drawn, script run finished) in a
   fresh browser context, cold (first visitor after the server started) and warm (the median
   of three more visitors), beside the same measure for a one-line Streamlit app
   (``st.title``) served the same way: the framework's own floor; then the time to load the
   default history on the Data page and draw its charts;
3. building the default week's roster on the Vagtplan page (five days, 34 agents, ten queues)
   from the click on "Læg vagtplan" until the page is drawn again, for each time limit given
   (default 15 and 60 s), beside `staffing.roster.solve.solve_roster` called directly in Python on
   the same requirements with the same limit (the app's own overhead is the difference), with
   the status, gap and under-coverage the app reports.

4. after building: a hand edit until the coverage and quick KPIs are drawn again (median of
   three), re-optimizing around it (the edited agent-day locked, warm from the roster on
   screen) until the page is drawn again, and a page switch in each direction.

Goals (issue 13): first render under 2.5 s; an edit to updated coverage and quick KPIs under
1 s; a page switch under 1.5 s; the default week under 15 s with a progress bar. Issue 16:
a one-agent change re-optimized in at most 3 s in the app.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app_support import plan as app_plan  # noqa: E402
from app_support.i18n import t  # noqa: E402
from planner.searches import default_workers  # noqa: E402
from staffing.roster.solve import solve_roster  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    APP_IDLE,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    _wait_healthy,
    click_tab,
    free_port,
)

CHART = '[data-testid="stVegaLiteChart"]'
HELLO = 'import streamlit as st\n\nst.title("Hej")\n'


def start_server(
    script: str, cwd: Path, data_dir: Path, log: Path
) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "VAGTPLAN_DB_URL"}
    env.update({"VAGTPLAN_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    started = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, process, log)
    return process, url, time.perf_counter() - started


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def first_render(browser, url: str, *, full_app: bool) -> float:
    """Seconds from navigation until the page is drawn and its script run has finished."""
    context = browser.new_context(viewport=VIEWPORT, locale="da-DK")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
    if full_app:
        page.wait_for_selector('[data-testid="stSidebar"]')
    page.wait_for_selector(APP_IDLE, timeout=120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def load_default_data(browser, url: str) -> float:
    """Seconds from the click on "Hent data" (the default history) until both charts are drawn."""
    context = browser.new_context(viewport=VIEWPORT, locale="da-DK")
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(APP_IDLE, timeout=120_000)
    started = time.perf_counter()
    page.get_by_test_id("stMain").get_by_role("button", name=t("data.load", "da")).click()
    page.wait_for_timeout(100)
    page.wait_for_selector(APP_IDLE, timeout=120_000)
    page.locator(CHART).last.locator("canvas, svg").first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def roster_page(browser, url: str, time_limit: int):
    """A fresh browser context on the Vagtplan page, five days and ``time_limit`` set."""
    context = browser.new_context(viewport=VIEWPORT, locale="da-DK")
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{url}/vagtplan")
    page.wait_for_selector(APP_IDLE, timeout=120_000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
    for name, value in (("ro.days", 5), ("ro.time_limit", time_limit)):
        box = page.get_by_role("spinbutton", name=t(name, "da"))
        box.fill(str(value))
        box.press("Enter")
        page.wait_for_timeout(200)
        page.wait_for_selector(APP_IDLE)
    return context, page


def build_in_app(browser, url: str, time_limit: int) -> tuple[float, str]:
    """Seconds from the click on "Læg vagtplan" (five days) until the page is drawn again."""
    context, page = roster_page(browser, url, time_limit)
    started = time.perf_counter()
    page.get_by_role("button", name=t("ro.build", "da")).click()
    page.wait_for_selector('[data-testid="stProgress"]', timeout=30_000)  # the progress bar
    page.wait_for_selector(f"text={t('ro.kpis', 'da')}", timeout=(time_limit + 300) * 1000)
    page.wait_for_selector(APP_IDLE, timeout=(time_limit + 300) * 1000)
    seconds = time.perf_counter() - started
    note = page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
    context.close()
    return seconds, note.strip()


def edit_and_switch(browser, url: str, time_limit: int = 10) -> dict[str, Any]:
    """After building the default week: seconds from a hand edit ("Flyt vagt" on the Ret tab)
    until the page is drawn again with the new coverage and the quick KPIs (median of three),
    and from a click in the sidebar until the other page is drawn (Data, then back to
    Vagtplan with the roster)."""
    context, page = roster_page(browser, url, time_limit)
    page.get_by_role("button", name=t("ro.build", "da")).click()
    page.wait_for_selector(f"text={t('ro.kpis', 'da')}", timeout=(time_limit + 300) * 1000)
    page.wait_for_selector(APP_IDLE, timeout=(time_limit + 300) * 1000)

    def timed(action) -> float:
        started = time.perf_counter()
        action()
        try:  # the rerun starts a moment after the click
            page.wait_for_selector(
                '[data-testid="stApp"]:not([data-test-script-state="notRunning"])', timeout=1_000
            )
        except Exception:  # noqa: BLE001 - it was over before we looked
            pass
        page.wait_for_selector(APP_IDLE)
        return time.perf_counter() - started

    select_tab(page, t("ro.tab_edit", "da"))
    button = page.get_by_role("button", name=t("ro.move_button", "da"), exact=True)
    # the first click moves the chosen shift to 09:00, the next ones move it there again: each
    # runs the edit, the check, the coverage and the quick KPIs and redraws the page
    edits = [timed(lambda: button.click()) for _ in range(3)]
    # re-optimizing after the edit (issue 16.2: a one-agent change back in at most 3 s in the
    # app), warm from the roster on screen: the edit left A01's Monday (the form's first agent
    # and day) at 09:00-17:00, past closing; the planner locks every agent-day (the lock
    # list's "select all matches") but A01's and lets the optimizer mend A01's week
    locks = page.get_by_test_id("stMultiSelect").filter(has_text=t("ro.locked", "da"))
    locks.locator("input").click()
    page.keyboard.type(" · ")  # in every agent-day's label
    page.get_by_role("option").first.click()  # "Select N matches"
    page.keyboard.press("Escape")
    unlock = locks.get_by_role("button", name=re.compile("^Remove A01 · "))
    for _ in range(20):
        page.wait_for_timeout(300)
        page.wait_for_selector(APP_IDLE)
        if unlock.count() == 0:
            break
        unlock.first.click()
    label = t("ro.reoptimize", "da", count=0).split("(")[0]
    again = page.get_by_role("button", name=re.compile("^" + re.escape(label)))
    reoptimize = timed(lambda: again.click())
    reoptimized = page.locator('[data-testid="stAlertContentInfo"]').first.inner_text().strip()
    nav = page.get_by_test_id("stSidebarNav")
    to_data = timed(lambda: nav.get_by_text(t("nav.data", "da"), exact=True).click())
    back = timed(lambda: nav.get_by_text(t("nav.roster", "da"), exact=True).click())
    context.close()
    return {
        "edit": statistics.median(edits),
        "reoptimize": reoptimize,
        "reoptimized": reoptimized,
        "to_data": to_data,
        "back": back,
    }


def select_tab(page, name: str) -> None:
    """Select the tab ``name`` and keep it selected: the runs that follow a build (the week's
    simulation, the draft saved) may draw the first tab again, so click until it holds."""
    tab = page.get_by_role("tab", name=name, exact=True)
    for _ in range(10):
        page.wait_for_selector(APP_IDLE)
        click_tab(page, name)
        page.wait_for_timeout(500)
        page.wait_for_selector(APP_IDLE)
        if tab.count() == 1 and tab.get_attribute("aria-selected") == "true":
            return
    raise RuntimeError(f"the tab {name!r} does not stay selected")


def direct_build(time_limit: int) -> tuple[float, str]:
    plan = app_plan.load_default_plan()
    week = app_plan.week_starts(plan.requirements)[0]
    req = app_plan.plan_days(plan.requirements, week, 5)
    started = time.perf_counter()
    result = solve_roster(  # with the app's searches side by side
        req,
        plan.agents,
        app_plan.load_rules(),
        calendar=plan.calendar,
        time_limit=time_limit,
        workers=default_workers(),
    )
    seconds = time.perf_counter() - started
    gap = "-" if result.gap is None else f"{100 * result.gap:.1f} %"
    return seconds, (
        f"{result.status}, gap {gap}, under-coverage {result.shortfall_hours:.1f} agent-hours"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--time-limits", type=int, nargs="*", default=[15, 60], help="roster limits (s)"
    )
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="vagtplan-bench-") as tmp, sync_playwright() as pw:
        root = Path(tmp)
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        (root / "hello.py").write_text(HELLO, encoding="utf-8")
        hello, hello_url, hello_start = start_server(
            str(root / "hello.py"), root, root / "hello-data", root / "hello.log"
        )
        hello_cold = first_render(browser, hello_url, full_app=False)
        hello_warm = statistics.median(
            first_render(browser, hello_url, full_app=False) for _ in range(3)
        )
        stop(hello)
        app, url, app_start = start_server("app.py", REPO, root / "data", root / "app.log")
        try:
            cold = first_render(browser, url, full_app=True)
            warm = statistics.median(first_render(browser, url, full_app=True) for _ in range(3))
            print("first render (s)              vagtplan app    one-line app (baseline)")
            print(f"  server start                 {app_start:12.2f}    {hello_start:12.2f}")
            print(f"  first visitor (cold)         {cold:12.2f}    {hello_cold:12.2f}")
            print(f"  later visitors (median of 3) {warm:12.2f}    {hello_warm:12.2f}")
            print("  goal: under 2.5 s after the server is up")
            loading = load_default_data(browser, url)
            print(f"  loading the default history and drawing its charts: {loading:.2f} s")
            print()
            print("default week's roster (5 days, 34 agents, 10 queues)")
            for limit in args.time_limits:
                in_app, note = build_in_app(browser, url, limit)
                direct, summary = direct_build(limit)
                print(
                    f"  time limit {limit:3d} s: in the app {in_app:6.1f} s   "
                    f"solve_roster directly {direct:6.1f} s"
                )
                print(f"    app: {note}")
                print(f"    direct: {summary}")
            print("  goal: under 15 s in the app, with a progress bar")
            print()
            timings = edit_and_switch(browser, url)
            print("after building (s)                               vagtplan app    goal")
            print(f"  hand edit to new coverage and quick KPIs   {timings['edit']:12.2f}    1.0")
            again = timings["reoptimize"]
            print(f"  re-optimize, all but A01 locked (warm)  {again:12.2f}    3.0")
            print(f"    app: {timings['reoptimized']}")
            print(f"  page switch Vagtplan -> Data               {timings['to_data']:12.2f}    1.5")
            print(f"  page switch Data -> Vagtplan (with roster) {timings['back']:12.2f}    1.5")
            print(f"  (a one-line Streamlit page renders in {hello_warm:.2f} s here)")
        finally:
            stop(app)
            browser.close()


if __name__ == "__main__":
    main()
