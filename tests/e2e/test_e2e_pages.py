"""The planning pages in a real browser: load the default data on the Data page, a bad upload
shows the loader's message (and keeps the loaded data), then a forecast on the Prognose page,
staffing on the Bemanding page and the report on the Rapport page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_support.i18n import t
from app_support.shell import APP_DIR, PAGES
from planner.io.history import HistoryError, load_history

pytestmark = pytest.mark.browser

EXISTING = [spec for spec in PAGES if (APP_DIR / "app_pages" / spec.file).is_file()]
CHART = '[data-testid="stVegaLiteChart"]'
BAD = b"interval_start;queue;offered\n2026-03-02 08:00;Dagpenge;mange\n"


def path_of(url_path: str) -> str:
    return "" if EXISTING[0].url_path == url_path else url_path


def go_to(page, idle, label_key: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(t(label_key, "da"), exact=True).click()
    idle(page)


def test_data_bad_upload_forecast_staffing_report(open_app, idle, shot) -> None:
    page = open_app(path_of("data"))
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(t("data.none_loaded", "da"))).to_be_visible()

    # The default data: summary figures and two charts.
    main.get_by_role("button", name=t("data.load", "da")).click()
    expect(main.get_by_text("Indlæst: history.csv", exact=False)).to_be_visible(timeout=60_000)
    idle(page)
    expect(page.locator(CHART)).to_have_count(2)
    expect(page.get_by_test_id("stMetric").first).to_contain_text(t("data.queues", "da"))
    expect(page.get_by_test_id("stMetric").first).to_contain_text("10")
    page.locator(CHART).last.locator("canvas, svg").first.wait_for()
    shot("data-loaded")

    # A bad upload: the loader's own message, and the data loaded before stays.
    with pytest.raises(HistoryError) as info:
        load_history(BAD, name="fejl.csv")
    main.get_by_test_id("stRadio").get_by_text(t("data.source.upload", "da")).click()
    idle(page)
    page.locator('input[type="file"]').set_input_files(
        {"name": "fejl.csv", "mimeType": "text/csv", "buffer": BAD}
    )
    idle(page)
    main.get_by_role("button", name=t("data.load", "da")).click()
    idle(page)
    errors = page.get_by_test_id("stAlertContentError")
    expect(errors.first).to_contain_text(t("data.problems", "da", count=1)[:20])
    expect(errors.nth(1)).to_contain_text(info.value.problems[0][:60])
    expect(main.get_by_text("Indlæst: history.csv", exact=False)).to_be_visible()
    shot("bad-upload")

    # A forecast of the next two weeks with its band.
    go_to(page, idle, "nav.forecast")
    page.get_by_role("button", name=t("fc.make", "da")).click()
    expect(page.get_by_text("Prognose med", exact=False)).to_be_visible(timeout=60_000)
    idle(page)
    page.locator(CHART).first.locator("canvas, svg").first.wait_for()
    shot("forecast")

    # Staffing from that forecast, with the heatmap.
    go_to(page, idle, "nav.staffing")
    page.get_by_role("button", name=t("st.make", "da")).click()
    expect(page.get_by_text(t("st.heatmap_title", "da"))).to_be_visible(timeout=60_000)
    idle(page)
    page.locator(CHART).first.locator("canvas, svg").first.wait_for()
    shot("staffing")

    # The weekly report from the actuals.
    go_to(page, idle, "nav.report")
    expect(page.get_by_text(t("rp.summary", "da"), exact=True)).to_be_visible()
    page.locator(CHART).first.locator("canvas, svg").first.wait_for()
    shot("report")
