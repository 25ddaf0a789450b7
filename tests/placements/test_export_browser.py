"""The admin's export page in a real Chromium under the portal's Content-Security-Policy:
"Select all" ticks and unticks every column (a static script; inline ones are blocked), and
the file holds exactly the ticked columns of the filtered list."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from placements.exports import CaseExport
from portal import roles
from tests.conftest import ARTIFACTS, PASSWORD, make_user, totp_code

from .factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


def test_select_all_ticks_and_unticks_every_column_and_the_file_has_the_ticked_ones(
    live_server, browser
):
    base = live_server.url
    CaseFactory(title="Waste management in Kpalimé")
    CaseFactory(title="Water supply in Bamenda")
    make_user("sam@example.org", role=roles.SKEW, staff=True, mfa=True, name="Sam Sauer")
    page = browser.new_context(locale="en-GB", accept_downloads=True).new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{base}/admin/")
    page.locator("input[name=login]").fill("sam@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.locator("input[name=code]").fill(totp_code())
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{base}/admin/placements/case/?q=Bamenda")
    page.get_by_role("link", name="Export").click()
    expect(page).to_have_url(re.compile(r"/admin/placements/case/export/\?q=Bamenda$"))
    select_all = page.get_by_label("Select all")
    columns = [
        page.get_by_label(header, exact=True) for header in CaseExport().get_export_headers()
    ]
    expect(select_all).to_be_checked()
    for box in columns:
        expect(box).to_be_checked()

    select_all.uncheck()
    for box in columns:
        expect(box).not_to_be_checked()
    select_all.check()
    for box in columns:
        expect(box).to_be_checked()
    # Unticking one column by hand unticks "Select all".
    page.get_by_label("Themes", exact=True).uncheck()
    expect(select_all).not_to_be_checked()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-case-export.png"), full_page=True)

    page.locator("select[name=format]").select_option(label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    path = download.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    expected = [h for h in CaseExport().get_export_headers() if h != "Themes"]
    assert rows[0] == expected
    assert [row[1] for row in rows[1:]] == ["Water supply in Bamenda"]
    assert download.value.suggested_filename.startswith("cases-")
    assert blocked == []
