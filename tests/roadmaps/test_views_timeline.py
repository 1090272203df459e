"""The timeline page and its PDF: filters by GET, the same permission, text readable without hovering."""

from __future__ import annotations

import datetime
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def plan(world):
    roadmap = factories.RoadmapFactory(
        owner=world.region_org, year_start=2025, year_end=2025, title="План на 2025"
    )
    first = factories.SectionFactory(roadmap=roadmap, number="1.", title="Организационные меры", position=1)
    second = factories.SectionFactory(roadmap=roadmap, number="2.", title="Методическая работа", position=2)
    seminar = factories.ActivityFactory(
        roadmap=roadmap, section=first, number="1.1.", title="Провести семинар"
    )
    guide = factories.ActivityFactory(roadmap=roadmap, section=second, number="2.1.", title="Издать пособие")
    factories.ResponsibilityFactory(activity=seminar, organization=world.school)
    factories.ResponsibilityFactory(activity=guide, organization=world.other_school)
    factories.CheckpointFactory(
        activity=seminar, planned_due=datetime.date(2025, 3, 31), period_label="I кв."
    )
    factories.CheckpointFactory(
        activity=guide, planned_due=datetime.date(2025, 2, 28), status="reported",
        actual_date=datetime.date(2025, 2, 20),
    )  # fmt: skip
    return {"roadmap": roadmap, "sections": (first, second)}


def _url(name: str, roadmap, **params) -> str:
    query = "&".join(f"{key}={quote(str(value))}" for key, value in params.items())
    return reverse(name, args=[roadmap.pk]) + (f"?{query}" if query else "")


def test_page_draws_the_month_scale_sections_and_labelled_marks(client, world, plan):
    client.force_login(world.coordinator)
    response = client.get(_url("roadmaps:roadmap-timeline", plan["roadmap"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "январь" in body and "декабрь" in body
    assert "1. Организационные меры" in body and "2. Методическая работа" in body
    # every mark says what it is in words (its accessible name), and the list repeats it as text
    assert 'aria-label="I кв., срок 31.03.2025: просрочено"' in body
    assert body.count("срок 28.02.2025: на проверке") == 3  # the mark's aria-label and title, the list
    assert "css/timeline.css" in body and "сегодня" in body


def test_section_filter_narrows_the_page_and_is_kept_in_the_pdf_link(client, world, plan):
    client.force_login(world.staff)
    second = plan["sections"][1]
    response = client.get(_url("roadmaps:roadmap-timeline", plan["roadmap"], section=second.pk))
    body = response.content.decode()
    assert "Издать пособие" in body and "Провести семинар" not in body
    pdf_link = _url("roadmaps:roadmap-timeline-pdf", plan["roadmap"], section=second.pk)
    assert f'href="{pdf_link}"' in body
    assert "Показаны мероприятия" in body


def test_organization_filter_shows_what_it_answers_for(client, world, plan):
    client.force_login(world.analyst)
    response = client.get(_url("roadmaps:roadmap-timeline", plan["roadmap"], organization=world.school.pk))
    body = response.content.decode()
    assert "Провести семинар" in body and "Издать пособие" not in body
    assert response.context["timeline"].organization_id == world.school.pk


def test_a_filter_outside_the_roadmap_is_refused_with_a_message_and_shows_everything(client, world, plan):
    client.force_login(world.staff)
    foreign = factories.SectionFactory(roadmap=world.foreign_roadmap, title="Чужой раздел")
    response = client.get(
        _url("roadmaps:roadmap-timeline", plan["roadmap"], section=foreign.pk, organization="abc")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Выберите корректный вариант" in body
    assert "Провести семинар" in body and "Издать пособие" in body
    assert not response.context["timeline"].filtered


def test_outsider_gets_404_for_the_page_and_the_pdf(client, world, plan):
    client.force_login(world.outsider)
    assert client.get(_url("roadmaps:roadmap-timeline", plan["roadmap"])).status_code == 404
    assert client.get(_url("roadmaps:roadmap-timeline-pdf", plan["roadmap"])).status_code == 404


def test_page_queries_do_not_grow_with_the_roadmap(client, world, plan, django_assert_num_queries):
    client.force_login(world.staff)
    url = _url("roadmaps:roadmap-timeline", plan["roadmap"], organization=world.school.pk)
    # 1 session; 2 user; 3 memberships (the scope); 4 the roadmap with its owner, project and act;
    # 5 sections; 6 responsible organisations; 7 activities; 8 checkpoints with their outcome.
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(30):
        activity = factories.ActivityFactory(
            roadmap=plan["roadmap"], section=plan["sections"][n % 2], number=f"3.{n + 1}."
        )
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 1 + n % 12, 10))
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["timeline"].activity_count == 31


def _pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_prints_titles_months_and_marks_as_text_on_a4_landscape(client, world, plan):
    client.force_login(world.observer)
    response = client.get(_url("roadmaps:roadmap-timeline-pdf", plan["roadmap"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert quote("План-график — План на 2025 — ") in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = _pdftotext(data)
    expected = ["План на 2025", "1. Организационные меры", "2. Методическая работа", "Провести семинар"]
    expected += ["Издать пособие", "январь", "июнь", "декабрь", "срок 31.03.2025: просрочено"]
    for words in expected:
        assert words in text, words
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_pdf_keeps_the_filters(client, world, plan):
    client.force_login(world.staff)
    url = _url("roadmaps:roadmap-timeline-pdf", plan["roadmap"], organization=world.other_school.pk)
    text = _pdftotext(b"".join(client.get(url).streaming_content))
    assert "Издать пособие" in text and "Провести семинар" not in text


def test_empty_roadmap_and_empty_filter_say_so(client, world, plan):
    client.force_login(world.staff)
    body = client.get(_url("roadmaps:roadmap-timeline", world.draft)).content.decode()
    assert "В дорожной карте пока нет мероприятий." in body
    nobody = factories.SectionFactory(roadmap=plan["roadmap"], title="Раздел без мероприятий", position=3)
    body = client.get(_url("roadmaps:roadmap-timeline", plan["roadmap"], section=nobody.pk)).content.decode()
    assert "Нет мероприятий по выбранным условиям." in body
