"""An upload whose file name and cells hold Markdown, in a real browser: the name and the
loader's message are shown as typed, with no link and no image on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_support.i18n import t

pytestmark = pytest.mark.browser

NAME = "[Klik](https://evil.example) ![x](https://evil.example/p.png).csv"
GOOD = (
    b"interval_start,queue,offered\n"
    b"2026-03-02T08:00:00+01:00,Dagpenge,3\n"
    b"2026-03-02T08:15:00+01:00,Dagpenge,4\n"
)
BAD = b"interval_start,queue,offered\n2026-03-02T08:00:00+01:00,Dagpenge,[mange](https://evil.example)\n"


def test_markdown_in_a_file_name_or_cell_is_never_a_link(open_app, idle, shot) -> None:
    page = open_app("")
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stRadio").get_by_text(t("data.source.upload", "da")).click()
    idle(page)
    for name, data in ((NAME, GOOD), ("fejl.csv", BAD)):
        page.locator('input[type="file"]').set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": data}
        )
        idle(page)
        main.get_by_role("button", name=t("data.load", "da")).click()
        idle(page)
        # no link or image from the file anywhere in the page's main area
        expect(main.locator('a[href*="evil.example"]')).to_have_count(0)
        expect(main.locator('img[src*="evil.example"]')).to_have_count(0)
    expect(main.get_by_text("[Klik](https://evil.example)", exact=False).first).to_be_visible()
    expect(main.get_by_text("[mange](https://evil.example)", exact=False).first).to_be_visible()
    shot("plain")
