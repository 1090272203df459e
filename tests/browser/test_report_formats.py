"""The report form offers only the chosen kind's formats, switching them as the kind changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_changing_the_report_kind_offers_only_its_formats(sign_in, live_server, world):
    page = sign_in("analyst")
    page.goto(f"{live_server.url}/reports/")
    kind, fmt = page.locator("#id_kind"), page.locator("#id_format")
    kind.select_option("monitoring")
    expect(fmt.locator("option")).to_have_text(["PDF", "Excel (.xlsx)"])
    fmt.select_option("xlsx")
    kind.select_option("fioko_form")
    expect(fmt.locator("option")).to_have_text(["Excel (.xlsx)"])
    expect(fmt).to_have_value("xlsx")
    kind.select_option("fioko_package")
    expect(fmt.locator("option")).to_have_text(["Архив (.zip)", "PDF"])
