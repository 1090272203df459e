"""Each report kind offers only the formats it is built in; a wrong pair is refused with a clear message."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import html

from reports.builders import REGISTRY, ReportScope, get_builder
from reports.models import ReportRun, ReportSchedule
from reports.services import report_run_request


def _options(page, name: str) -> list[str]:
    return page.xpath(f"//select[@name='{name}']/option/@value")


def test_each_kind_lists_its_formats_by_their_russian_titles():
    assert get_builder("fioko_form").format_choices() == [("xlsx", "Excel (.xlsx)")]
    assert get_builder("monitoring").format_choices() == [("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")]
    assert get_builder("fioko_form").wrong_format_message() == (
        "«Отчёт по форме федерального координатора» формируется только в формате Excel (.xlsx)."
    )


def test_report_form_offers_the_first_kinds_formats_and_carries_every_kinds_for_the_script(client, world):
    client.force_login(world.analyst)
    page = html.fromstring(client.get(reverse("reports:index")).content.decode())
    kinds = _options(page, "kind")
    assert _options(page, "format") == list(REGISTRY[kinds[0]].formats)
    kind = page.xpath("//select[@name='kind']")[0]
    assert kind.get("data-formats-for") == "id_format"
    offered = json.loads(kind.get("data-formats"))
    assert {code: [value for value, _label in pairs] for code, pairs in offered.items()} == {
        code: list(REGISTRY[code].formats) for code in kinds
    }
    listing = page.xpath("//section[h2='Сформировать отчёт']/ul")[0].text_content()
    assert "координатора — Excel (.xlsx)" in listing and "— xlsx" not in listing


def test_fioko_form_as_pdf_is_refused_with_the_formats_it_has_and_nothing_is_queued(client, world):
    client.force_login(world.analyst)
    data = {"scope": f"roadmap:{world.roadmap.pk}", "kind": "fioko_form", "format": "pdf"}
    response = client.post(reverse("reports:index"), {**data, "as_of": "01.04.2025"})
    assert response.status_code == 400
    page = html.fromstring(response.content.decode())
    error = page.get_element_by_id("id_format_error").text_content()
    assert error == "«Отчёт по форме федерального координатора» формируется только в формате Excel (.xlsx)."
    assert page.get_element_by_id("id_format").get("aria-invalid") == "true"
    assert _options(page, "format") == ["xlsx"]  # the refused form offers the chosen kind's formats
    assert not ReportRun.objects.exists()


def test_schedule_form_refuses_a_format_the_kind_has_not(client, world):
    client.force_login(world.staff)
    data = {
        "scope": f"roadmap:{world.roadmap.pk}", "kind": "fioko_form", "format": "zip", "cadence": "dates",
        "day": "1", "quarter_month": "3", "dates": "18.06", "recipients": "", "is_active": "on",
    }  # fmt: skip
    response = client.post(reverse("reports:schedule-create"), data)
    assert response.status_code == 200
    assert "формируется только в формате Excel (.xlsx)" in response.content.decode()
    assert not ReportSchedule.objects.exists()
    page = html.fromstring(client.get(reverse("reports:schedule-create")).content.decode())
    assert _options(page, "format") == list(REGISTRY[_options(page, "kind")[0]].formats)


def test_the_service_refuses_a_wrong_pair_too(world):
    with pytest.raises(ValidationError) as refused:
        report_run_request(
            actor=world.analyst, kind="fioko_form", fmt="pdf",
            scope=ReportScope(roadmap_id=world.roadmap.pk), as_of=world.checkpoint.planned_due,
        )  # fmt: skip
    assert refused.value.message_dict["format"] == [get_builder("fioko_form").wrong_format_message()]
