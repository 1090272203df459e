"""Staff screens: list with filters, roadmap page, forms for roadmaps, sections and activities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Activity, LegalAct, Responsibility, Revision, Roadmap, Section
from tests import factories


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def test_home_sends_coordinators_to_their_checkpoints_and_others_to_roadmaps(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("home")).url == reverse("roadmaps:my-checkpoints")
    for persona in (world.staff, world.analyst, world.observer):
        client.force_login(persona)
        assert client.get(reverse("home")).url == reverse("roadmaps:roadmap-list")


def test_anonymous_is_sent_to_the_login_page(client, world):
    response = client.get(reverse("roadmaps:roadmap-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_roadmap_list_filters_by_status_year_and_search(staff_client, world):
    old = factories.RoadmapFactory(
        owner=world.region_org, title="Старый план", year_start=2019, year_end=2020
    )
    url = reverse("roadmaps:roadmap-list")
    body = staff_client.get(url, {"status": "draft"}).content.decode()
    assert world.draft.title in body and world.roadmap.title not in body
    body = staff_client.get(url, {"year": 2019}).content.decode()
    assert old.title in body and world.roadmap.title not in body
    body = staff_client.get(url, {"q": "дополнительного"}).content.decode()
    assert world.roadmap.title in body and old.title not in body
    body = staff_client.get(url, {"q": "нет такого"}).content.decode()
    assert "Ничего не найдено" in body


def test_roadmap_list_filters_by_region_and_owner_name(staff_client, world):
    url = reverse("roadmaps:roadmap-list")
    body = staff_client.get(url, {"region": world.region_org.region_id}).content.decode()
    assert world.roadmap.title in body
    other_region = factories.RegionFactory(code="42", name="Кемеровская область")
    body = staff_client.get(url, {"region": other_region.pk}).content.decode()
    assert world.roadmap.title not in body
    assert world.roadmap.title in staff_client.get(url, {"owner": "Департамент образования"}).content.decode()
    assert world.roadmap.title not in staff_client.get(url, {"owner": "Министерство"}).content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_roadmap_list_costs_the_same_queries_for_3_and_60_roadmaps(
    staff_client, world, django_assert_num_queries, count
):
    for n in range(count):
        factories.RoadmapFactory(owner=world.region_org, title=f"План {n:02d}", edition=False)
    # 1 session; 2 user; 3 memberships (scope); 4 count of visible roadmaps; 5 the page with owners and
    # projects; 6 activity counts of the page; 7 projects and 8 regions for the filter selects.
    with django_assert_num_queries(8):
        response = staff_client.get(reverse("roadmaps:roadmap-list"))
    assert response.status_code == 200


def test_roadmap_list_is_paginated(staff_client, world):
    for n in range(30):
        factories.RoadmapFactory(owner=world.region_org, title=f"План {n:02d}")
    first = staff_client.get(reverse("roadmaps:roadmap-list"))
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "страница 1 из 2" in first.content.decode()


def test_roadmap_page_shows_activity_deadline_schedule_and_problems(staff_client, world):
    activity = world.checkpoint.activity
    Activity.objects.filter(pk=activity.pk).update(
        deadline_text="до 1 декабря",
        schedule_description="до 01.12.2024",
        schedule_problems=["Год не указан: принят 2024, проверьте."],
    )
    body = staff_client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert "до 1 декабря" in body
    assert "до 01.12.2024" in body
    assert "требует проверки" in body
    assert world.school.short_name in body
    assert "0/1" in body  # checkpoints done / total


def test_readers_see_the_roadmap_without_edit_controls(client, world):
    client.force_login(world.analyst)
    body = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert world.roadmap.title in body
    assert "assign-form" not in body
    assert "Изменить паспорт" not in body


def test_staff_create_a_roadmap_as_draft(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:roadmap-create"),
        {
            "owner": world.region_org.pk,
            "title": "Новый план",
            "level": "regional",
            "year_start": 2025,
            "year_end": 2027,
        },
    )
    roadmap = Roadmap.objects.get(title="Новый план")
    assert response.url == reverse("roadmaps:roadmap-detail", args=[roadmap.pk])
    assert roadmap.status == Roadmap.Status.DRAFT
    assert roadmap.history.first().history_user == world.staff


def test_roadmap_form_keeps_typed_values_when_refused(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:roadmap-update", args=[world.roadmap.pk]),
        {"title": "Изменённое название", "level": "regional", "year_start": 2027, "year_end": 2025},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Год окончания раньше года начала" in body
    assert "Изменённое название" in body


def test_staff_approve_a_draft_with_a_legal_act(staff_client, world):
    url = reverse("roadmaps:roadmap-approve", args=[world.draft.pk])
    refused = staff_client.post(url, {"kind": "order", "number": "15-р", "date": "2025-13-40"})
    assert "ДД.ММ.ГГГГ" in refused.content.decode()
    assert 'value="15-р"' in refused.content.decode()
    response = staff_client.post(
        url, {"kind": "order", "number": "15-р", "date": "20.01.2025", "issuer": "ДО"}
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == Roadmap.Status.APPROVED
    assert str(world.draft.approved_by_act) == "приказ от 20.01.2025 № 15-р"


def test_staff_open_an_edition_change_within_it_put_it_in_force_and_archive(staff_client, world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    activity = factories.ActivityFactory(roadmap=roadmap, number="1.", deadline_text="Март 2025 г.")
    response = staff_client.post(
        reverse("roadmaps:revision-create", args=[roadmap.pk]),
        {
            "date": "26.05.2025",
            "summary": "Изменены сроки раздела 2",
            "act_kind": "order",
            "act_number": "242",
            "act_date": "26.05.2025",
        },
    )
    revision = roadmap.revisions.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "roadmaps:revision-detail", args=[revision.pk]
    )
    assert revision.act.number == "242" and revision.status == Revision.Status.DRAFT
    services.activity_update(
        actor=world.staff,
        activity=activity,
        expected_version=activity.version,
        deadline_text="Апрель 2025 г.",
    )
    page = staff_client.get(reverse("roadmaps:revision-detail", args=[revision.pk])).content.decode()
    assert "Мероприятие 1." in page and "«Март 2025 г.» → «Апрель 2025 г.»" in page
    body = staff_client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode()
    assert "Изменены сроки раздела 2" in body and "Открыта редакция" in body

    assert staff_client.post(reverse("roadmaps:revision-in-force", args=[revision.pk])).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.IN_FORCE
    # In force: the next change needs a new edition.
    refused = staff_client.get(reverse("roadmaps:activity-update", args=[activity.pk]))
    assert refused.status_code == 403 and "изменения вносятся только в редакции" in refused.content.decode()

    staff_client.post(reverse("roadmaps:roadmap-archive", args=[roadmap.pk]))
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.ARCHIVED
    assert LegalAct.objects.filter(number="242").exists()


def test_revision_needs_a_complete_act_or_none(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:revision-create", args=[world.roadmap.pk]),
        {"date": "26.05.2025", "summary": "Что-то", "act_number": "242"},
    )
    assert response.status_code == 200
    assert "Укажите вид, номер и дату акта" in response.content.decode()


def test_staff_add_and_reorder_sections(staff_client, world):
    url = reverse("roadmaps:section-create", args=[world.roadmap.pk])
    staff_client.post(url, {"number": "1.", "title": "Первый"})
    staff_client.post(url, {"number": "2.", "title": "Второй"})
    first, second = Section.objects.filter(roadmap=world.roadmap).order_by("position")
    staff_client.post(
        reverse("roadmaps:sections-reorder", args=[world.roadmap.pk]),
        {"section": second.pk, "direction": "up"},
    )
    assert list(world.roadmap.sections.order_by("position").values_list("title", flat=True)) == [
        "Второй",
        "Первый",
    ]
    staff_client.post(
        reverse("roadmaps:section-update", args=[first.pk]),
        {"number": "1.", "title": "Первый (изм.)", "version": first.version},
    )
    first.refresh_from_db()
    assert first.title == "Первый (изм.)"


def test_staff_create_an_activity_and_its_checkpoints_follow_the_deadline(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:activity-create", args=[world.roadmap.pk]),
        {"number": "2.1.", "title": "Провести конкурс", "deadline_text": "ежеквартально"},
    )
    activity = Activity.objects.get(number="2.1.")
    assert response.url == reverse("roadmaps:activity-detail", args=[activity.pk])
    assert activity.checkpoints.count() == 12  # four quarters × three years
    assert activity.schedule_description


def test_activity_number_must_be_unique_and_the_form_keeps_what_was_typed(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:activity-create", args=[world.roadmap.pk]),
        {"number": "1.1.", "title": "Дубль номера", "deadline_text": "ежегодно"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Дубль номера" in body
    assert Activity.objects.filter(title="Дубль номера").count() == 0


def test_second_save_of_the_same_activity_is_refused_with_the_other_change_shown(client, world):
    activity = world.checkpoint.activity
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    client.force_login(world.staff)
    form = client.get(url).context["form"]
    base = {name: form[name].value() or "" for name in form.fields}
    assert base["version"] == 1
    # Someone else saves first…
    client.post(url, {**base, "title": "Провести семинар для директоров"})
    # …then this person saves on top of the version they opened.
    response = client.post(url, {**base, "title": "Провести семинар для учителей"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Мероприятие уже изменил другой пользователь" in body
    assert "Провести семинар для директоров" in body  # the saved value, shown
    assert "Провести семинар для учителей" in body  # the typed value, kept
    activity.refresh_from_db()
    assert activity.title == "Провести семинар для директоров"
    # Saving again after seeing the conflict is deliberate and carries the current version.
    assert response.context["form"].data["version"] == "2"
    client.post(url, {**base, "title": "Провести семинар для учителей", "version": "2"})
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Провести семинар для учителей", 3)


def test_staff_assign_an_organisation_to_many_activities_at_once(staff_client, world):
    second = factories.ActivityFactory(roadmap=world.roadmap, number="1.2.")
    first = world.checkpoint.activity
    staff_client.post(
        reverse("roadmaps:responsibility-assign", args=[world.roadmap.pk]),
        {
            "activities": [first.pk, second.pk],
            "organization": world.other_school.pk,
            "role": "co",
            "by_agreement": "on",
        },
    )
    assigned = Responsibility.objects.filter(organization=world.other_school)
    assert {r.activity_id for r in assigned} == {first.pk, second.pk}
    assert all(r.by_agreement and r.role == "co" for r in assigned)


def test_staff_cannot_assign_an_organisation_from_another_region(staff_client, world):
    staff_client.post(
        reverse("roadmaps:responsibility-assign", args=[world.roadmap.pk]),
        {"activities": [world.checkpoint.activity_id], "organization": world.foreign_org.pk, "role": "lead"},
    )
    assert not Responsibility.objects.filter(organization=world.foreign_org).exists()


def test_activity_page_shows_the_history_of_edits_and_transitions(staff_client, world):
    from roadmaps import services

    activity = world.checkpoint.activity
    services.activity_update(actor=world.staff, activity=activity, expected_version=1, title="Новое название")
    body = staff_client.get(reverse("roadmaps:activity-detail", args=[activity.pk])).content.decode()
    assert "История изменений" in body
    assert "Новое название" in body
    assert "Мероприятие изменено" in body


def test_review_list_shows_unparsed_deadlines_and_mismatches(staff_client, world):
    factories.ActivityFactory(
        roadmap=world.roadmap, number="5.", deadline_text="в течение года по плану", schedule_kind="unparsed"
    )
    factories.CheckpointFactory(
        activity=world.checkpoint.activity, status="reported", schedule_mismatch="Срок изменён"
    )
    body = staff_client.get(reverse("roadmaps:review-list")).content.decode()
    assert "в течение года по плану" in body
    assert "Срок изменён" in body


def test_activity_delete_is_refused_after_reports(staff_client, world):
    world.checkpoint.status = "reported"
    world.checkpoint.actual_date = world.checkpoint.planned_due
    world.checkpoint.save()
    staff_client.post(reverse("roadmaps:activity-delete", args=[world.checkpoint.activity_id]))
    assert Activity.objects.filter(pk=world.checkpoint.activity_id).exists()
