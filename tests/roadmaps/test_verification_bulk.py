"""The verification queue at scale: filters, sort, paging, bulk accept and return, cards, previews."""

from __future__ import annotations

import datetime
import io
import math

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Membership, Notification
from roadmaps import services
from roadmaps.models import Checkpoint, CheckpointTransition, Evidence, Roadmap
from roadmaps.services.verification import BATCH
from tests import factories

QUEUE = "roadmaps:verification-queue"
BULK = "roadmaps:verification-bulk"


def _reported(activity, n: int, *, start: int = 0, actual=datetime.date(2025, 3, 20)) -> list[Checkpoint]:
    """n reported checkpoints of the activity (as a coordinator's report leaves them)."""
    return [
        factories.CheckpointFactory(
            activity=activity,
            sequence=start + i,
            status=Checkpoint.Status.REPORTED,
            actual_date=actual,
            result=f"Отчёт {start + i}",
        )
        for i in range(n)
    ]


def _activity(world, school=None, **kwargs):
    activity = factories.ActivityFactory(roadmap=world.roadmap, **kwargs)
    factories.ResponsibilityFactory(activity=activity, organization=school or world.school)
    return activity


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Services ---------------------------------------------------------------------------------------


def test_bulk_accept_decides_each_with_history_and_a_transition(world):
    rows = _reported(_activity(world), 3)
    version = Roadmap.objects.get(pk=world.roadmap.pk).data_version
    outcome = services.checkpoints_accept(actor=world.staff, checkpoint_ids=[c.pk for c in rows])
    assert (len(outcome.decided), outcome.skipped) == (3, 0)
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.verified_by, row.return_reason) == ("done", world.staff, "")
        latest = row.history.latest()
        assert (latest.status, latest.history_user) == ("done", world.staff)
        assert row.transitions.filter(status="done", actor=world.staff).count() == 1
    assert Roadmap.objects.get(pk=world.roadmap.pk).data_version != version


def test_bulk_accept_skips_what_is_no_longer_on_review_and_reports_it(world):
    rows = _reported(_activity(world), 3)
    services.checkpoint_accept(actor=world.staff, checkpoint=rows[0])
    services.checkpoint_return(actor=world.staff, checkpoint=rows[1], reason="Нет протокола")
    outcome = services.checkpoints_accept(actor=world.staff, checkpoint_ids=[c.pk for c in rows] + [10**9])
    assert [c.pk for c in outcome.decided] == [rows[2].pk]
    assert (outcome.not_reported, outcome.missing) == (2, 1)
    rows[1].refresh_from_db()
    assert rows[1].status == "returned", "a returned report is not accepted behind the coordinator's back"


def test_bulk_decisions_leave_closed_periods_and_archived_roadmaps_alone(world):
    rows = _reported(_activity(world), 2)
    services.period_close(
        actor=world.staff,
        roadmap=world.roadmap,
        first_day=datetime.date(2025, 1, 1),
        last_day=datetime.date(2025, 3, 31),
        label="I квартал 2025",
    )
    outcome = services.checkpoints_accept(actor=world.staff, checkpoint_ids=[c.pk for c in rows])
    assert (len(outcome.decided), outcome.locked) == (0, 2)
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in rows], status="reported").count() == 2


def test_bulk_return_needs_a_reason_and_changes_nothing_without_one(world):
    rows = _reported(_activity(world), 2)
    with pytest.raises(ValidationError):
        services.checkpoints_return(actor=world.staff, checkpoint_ids=[c.pk for c in rows], reason="  ")
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in rows], status="reported").count() == 2


def test_bulk_return_tells_the_coordinators_and_sets_the_files_aside(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = _reported(_activity(world), 2)
    evidence = Evidence(checkpoint=rows[0], original_name="акт.pdf", content_type="application/pdf")
    evidence.file.save("act.pdf", ContentFile(b"%PDF-1.4 act"), save=True)
    outcome = services.checkpoints_return(
        actor=world.staff, checkpoint_ids=[c.pk for c in rows], reason=" Нет подписи "
    )
    assert len(outcome.decided) == 2
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.return_reason) == ("returned", "Нет подписи")
        assert row.transitions.get(status="returned").note == "Нет подписи"
    evidence.refresh_from_db()
    assert evidence.returned_at is not None
    assert evidence.history.latest().history_user == world.staff
    notices = Notification.objects.filter(
        recipient=world.coordinator, event=Notification.Event.REPORT_RETURNED
    )
    assert notices.count() == 2
    assert {n.url for n in notices} == {reverse("roadmaps:checkpoint-thread", args=[c.pk]) for c in rows}
    assert not Notification.objects.filter(recipient=world.staff).exists()


def _history_inserts(n: int) -> int:
    """INSERTs of n history rows: one on PostgreSQL; SQLite's limit on parameters splits a few more."""
    fields = [f for f in Checkpoint.history.model._meta.concrete_fields if not f.primary_key]
    size = min(BATCH, connection.ops.bulk_batch_size(fields, [None] * n) or BATCH)
    return math.ceil(n / size)


def test_bulk_accept_queries_do_not_grow_with_the_number_of_checkpoints(world, django_assert_num_queries):
    small = [c.pk for c in _reported(_activity(world), 5)]
    large = [c.pk for c in _reported(_activity(world), 50)]
    # savepoint; the rows locked with activities, roadmaps and owners; closed periods of their roadmaps
    # (none, so no reopenings); one UPDATE; history in one insert; transitions in one insert; the data
    # version in one UPDATE; release — 8 for 5 and for 50.
    with django_assert_num_queries(8):
        services.checkpoints_accept(actor=world.staff, checkpoint_ids=small)
    with django_assert_num_queries(7 + _history_inserts(50)):
        services.checkpoints_accept(actor=world.staff, checkpoint_ids=large)


def test_bulk_return_queries_do_not_grow_with_the_number_of_checkpoints(world, django_assert_num_queries):
    small = [c.pk for c in _reported(_activity(world), 5)]
    large = [c.pk for c in _reported(_activity(world), 50)]
    # as accepting (8), then the reports' files (none); the coordinators of the activities; notify_each's
    # accounts with preferences and one insert of notifications — 12 for 5 and for 50.
    with django_assert_num_queries(12):
        services.checkpoints_return(actor=world.staff, checkpoint_ids=small, reason="Нет протокола")
    with django_assert_num_queries(11 + _history_inserts(50)):
        services.checkpoints_return(actor=world.staff, checkpoint_ids=large, reason="Нет протокола")


# --- The queue page ---------------------------------------------------------------------------------


def test_the_queue_page_has_a_fixed_query_count(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    _reported(_activity(world), 2)
    # session; user; memberships; the roadmap choices; municipality choices; the count; the page's rows;
    # evidence; responsible organisations; earlier returns.
    with django_assert_num_queries(10):
        small = client.get(reverse(QUEUE))
    for i in range(3):
        _reported(_activity(world, number=f"{i + 2}."), 30, start=100 * i)
    with django_assert_num_queries(10):
        large = client.get(reverse(QUEUE))
    assert small.context["page_obj"].paginator.count == 2
    assert large.context["page_obj"].paginator.count == 92
    assert len(large.context["page_obj"].object_list) == 50


def test_filter_to_one_school(client, world):
    mine = _reported(_activity(world), 2)
    other = _reported(_activity(world, school=world.other_school), 3)
    client.force_login(world.staff)
    response = client.get(reverse(QUEUE), {"organization": "СОШ № 2"})
    shown = {c.pk for c in response.context["page_obj"].object_list}
    assert shown == {c.pk for c in other}
    assert not shown & {c.pk for c in mine}


def test_filter_by_municipality_and_by_a_section_with_its_subsections(client, world):
    town = factories.MunicipalityFactory(region=world.school.region, name="г. Северск")
    world.other_school.municipality = town
    world.other_school.save()
    section = factories.SectionFactory(roadmap=world.roadmap)
    nested = factories.SectionFactory(roadmap=world.roadmap, parent=section)
    in_town = _reported(_activity(world, school=world.other_school), 1)[0]
    in_nested = _reported(_activity(world, section=nested), 1)[0]
    elsewhere = _reported(_activity(world), 1)[0]
    client.force_login(world.staff)

    def shown(**params) -> set[int]:
        return {c.pk for c in client.get(reverse(QUEUE), params).context["page_obj"].object_list}

    assert shown(municipality=town.pk) == {in_town.pk}
    assert shown(roadmap=world.roadmap.pk, section=section.pk) == {in_nested.pk}
    assert elsewhere.pk in shown(roadmap=world.roadmap.pk)
    # A section without its roadmap is not offered, so the filter is ignored (and said so).
    response = client.get(reverse(QUEUE), {"section": section.pk})
    assert {c.pk for c in response.context["page_obj"].object_list} == {
        in_town.pk,
        in_nested.pk,
        elsewhere.pk,
    }
    assert any("Раздел" in m for m in _messages(response))


def test_the_filtered_queue_has_a_fixed_query_count(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    section = factories.SectionFactory(roadmap=world.roadmap)
    _reported(_activity(world, section=section), 2)
    params = {"roadmap": world.roadmap.pk, "section": section.pk, "organization": "СОШ", "late": "no",
              "returned_before": "no", "has_evidence": "no", "sort": "organization"}  # fmt: skip
    # session; user; memberships; the chosen roadmap checked; the section checked; the section tree;
    # the roadmap, municipality and section choices; the count; the page's rows; evidence; responsible
    # organisations; earlier returns.
    with django_assert_num_queries(14):
        small = client.get(reverse(QUEUE), params)
    for i in range(3):
        factories.RoadmapFactory(owner=world.region_org, title=f"Ещё план {i}")
        factories.MunicipalityFactory(region=world.school.region)
        _reported(_activity(world, section=section, number=f"{i + 2}."), 30, start=100 * i)
    with django_assert_num_queries(14):
        large = client.get(reverse(QUEUE), params)
    assert (small.context["page_obj"].paginator.count, large.context["page_obj"].paginator.count) == (2, 92)


def test_filters_for_late_returned_before_and_evidence(client, world):
    activity = _activity(world)
    on_time = _reported(activity, 1, actual=datetime.date(2025, 3, 1))[0]
    late = _reported(activity, 1, start=1, actual=datetime.date(2025, 4, 10))[0]
    again = _reported(activity, 1, start=2)[0]
    services.checkpoint_return(actor=world.staff, checkpoint=again, reason="Нет протокола")
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=again, actual_date=datetime.date(2025, 3, 25), result="Исправлено"
    )
    factories.EvidenceFactory(checkpoint=on_time)
    client.force_login(world.staff)

    def shown(**params) -> set[int]:
        return {c.pk for c in client.get(reverse(QUEUE), params).context["page_obj"].object_list}

    assert shown(late="yes") == {late.pk}
    assert shown(late="no") >= {on_time.pk, again.pk}
    assert shown(returned_before="yes") == {again.pk}
    assert shown(has_evidence="yes") == {on_time.pk}
    body = client.get(reverse(QUEUE), {"returned_before": "yes"}).content.decode()
    assert "Раньше возвращали" in body and "Нет протокола" in body
    assert "с опозданием (срок 31.03.2025)" in client.get(reverse(QUEUE), {"late": "yes"}).content.decode()


def test_sort_by_due_date_and_invalid_filters_are_ignored_with_a_message(client, world):
    activity = _activity(world)
    later = factories.CheckpointFactory(
        activity=activity, status="reported", actual_date=datetime.date(2025, 3, 1),
        planned_due=datetime.date(2025, 6, 30), reported_at=factories.noon(datetime.date(2025, 3, 1)),
    )  # fmt: skip
    sooner = factories.CheckpointFactory(
        activity=activity, sequence=2, status="reported", actual_date=datetime.date(2025, 3, 2),
        planned_due=datetime.date(2025, 3, 31), reported_at=factories.noon(datetime.date(2025, 3, 2)),
    )  # fmt: skip
    client.force_login(world.staff)
    by_report = client.get(reverse(QUEUE)).context["page_obj"].object_list
    assert [c.pk for c in by_report][:2] == [later.pk, sooner.pk]
    response = client.get(reverse(QUEUE), {"sort": "due", "year": "99999", "roadmap": "abc"})
    assert [c.pk for c in response.context["page_obj"].object_list][:2] == [sooner.pk, later.pk]
    assert any("не применены" in m for m in _messages(response))


def test_bulk_accept_from_the_page_says_how_many_and_why_some_were_skipped(client, world):
    rows = _reported(_activity(world), 4)
    services.checkpoint_accept(actor=world.staff, checkpoint=rows[0])
    client.force_login(world.staff)
    response = client.post(
        reverse(BULK), {"action": "accept", "ids": [c.pk for c in rows], "filters": "organization=СОШ"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(QUEUE) + "?organization=")
    assert _messages(response) == ["Принято 3, пропущено 1 (уже не на проверке)."]


def test_all_the_filter_finds_are_accepted_across_pages(client, world):
    mine = _reported(_activity(world), 60)
    other = _reported(_activity(world, school=world.other_school), 2)
    client.force_login(world.staff)
    client.post(reverse(BULK), {"action": "accept", "scope": "all", "filters": "organization=СОШ № 1"})
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in mine], status="done").count() == 60
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in other], status="reported").count() == 2


def test_bulk_return_from_the_page_keeps_everything_without_a_reason(client, world):
    rows = _reported(_activity(world), 2)
    client.force_login(world.staff)
    refused = client.post(reverse(BULK), {"action": "return", "ids": [c.pk for c in rows], "reason": ""})
    assert _messages(refused) == ["Укажите причину возврата."]
    assert Checkpoint.objects.filter(status="returned").count() == 0
    client.post(reverse(BULK), {"action": "return", "ids": [c.pk for c in rows], "reason": "Нет подписи"})
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in rows], status="returned").count() == 2


def test_staff_elsewhere_cannot_decide_on_this_regions_reports(client, world):
    rows = _reported(_activity(world), 2)
    client.force_login(world.outsider)
    response = client.post(reverse(BULK), {"action": "accept", "ids": [c.pk for c in rows]})
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in rows], status="reported").count() == 2
    assert _messages(response) == ["Принято 0, пропущено 2 (недоступны или удалены)."]
    assert not CheckpointTransition.objects.filter(actor=world.outsider).exists()


def test_a_coordinator_cannot_use_the_bulk_decision(client, world):
    rows = _reported(_activity(world), 1)
    client.force_login(world.coordinator)
    assert client.post(reverse(BULK), {"action": "accept", "ids": [rows[0].pk]}).status_code == 403
    assert Membership.objects.filter(user=world.coordinator, role="coordinator").exists()


# --- Evidence previews ------------------------------------------------------------------------------


@pytest.fixture
def files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    checkpoint = _reported(_activity(world), 1)[0]
    made = {}
    for name, content_type, data in (
        ("акт.pdf", "application/pdf", b"%PDF-1.4 act"),
        ("фото.png", "image/png", b"\x89PNG\r\n\x1a\nimage"),
        ("отчёт.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ):
        evidence = Evidence(checkpoint=checkpoint, original_name=name, content_type=content_type)
        evidence.file.save(name, ContentFile(data), save=True)
        made[name] = evidence
    return made


def test_pdf_and_images_are_previewed_inline_in_the_card(client, world, files):
    client.force_login(world.staff)
    body = client.get(reverse(QUEUE)).content.decode()
    pdf = reverse("roadmaps:evidence-preview", args=[files["акт.pdf"].pk])
    png = reverse("roadmaps:evidence-preview", args=[files["фото.png"].pk])
    assert f'<iframe src="{pdf}"' in body and f'<img src="{png}"' in body
    assert reverse("roadmaps:evidence-preview", args=[files["отчёт.docx"].pk]) not in body
    response = client.get(pdf)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_only_pdf_and_images_are_ever_served_inline(client, world, files):
    client.force_login(world.staff)
    docx = reverse("roadmaps:evidence-preview", args=[files["отчёт.docx"].pk])
    assert client.get(docx).status_code == 404
    client.force_login(world.outsider)
    assert client.get(reverse("roadmaps:evidence-preview", args=[files["акт.pdf"].pk])).status_code == 404


def test_a_refused_bulk_return_shows_the_queue_again_with_the_ticks_and_the_reason(client, world):
    rows = _reported(_activity(world), 3)
    client.force_login(world.staff)
    ticked = [rows[0].pk, rows[2].pk]
    refused = client.post(
        reverse(BULK), {"action": "return", "ids": ticked, "reason": "   ", "filters": "", "page": "1"}
    )
    assert refused.status_code == 400
    assert _messages(refused) == ["Укажите причину возврата."]
    html = refused.content.decode()
    for checkpoint in rows:
        box = f'value="{checkpoint.pk}" form="bulk" class="bulk-pick"'
        assert (box + " checked" in html) == (checkpoint.pk in ticked)
    assert '<span id="bulk-picked">2</span>' in html
    assert Checkpoint.objects.filter(status="returned").count() == 0


def test_the_organisation_filter_does_not_take_school_10_for_school_1(client, world):
    tenth = factories.OrganizationFactory(
        short_name="СОШ № 10", parent=world.school.parent, region=world.school.region
    )
    mine = _reported(_activity(world), 1)
    _reported(_activity(world, school=tenth), 1)
    client.force_login(world.staff)
    response = client.get(reverse(QUEUE), {"organization": "сош № 1"})
    assert {c.pk for c in response.context["page_obj"].object_list} == {mine[0].pk}
    response = client.get(reverse(QUEUE), {"organization": "СОШ"})
    assert len(response.context["page_obj"].object_list) == 2


def test_the_municipality_choices_are_those_of_the_staff_members_region(client, world):
    ours = factories.MunicipalityFactory(region=world.school.region, name="г. Северск")
    world.other_school.municipality = ours
    world.other_school.save()
    elsewhere = factories.MunicipalityFactory(name="г. Далёкий")
    client.force_login(world.staff)
    offered = set(client.get(reverse(QUEUE)).context["filter"].form.fields["municipality"].queryset)
    assert ours in offered and elsewhere not in offered


def _exported(client, **params) -> list[list]:
    response = client.get(reverse("roadmaps:verification-export"), params)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell.value for cell in row] for row in workbook["Проверка отчётов"].iter_rows(min_row=3)]


def test_the_queue_exports_every_row_its_filters_find_with_what_a_card_shows(client, world):
    late = _reported(_activity(world, number="8.1."), 1, actual=datetime.date(2025, 5, 1))[0]
    services.checkpoint_return(actor=world.staff, checkpoint=late, reason="Нет протокола")
    late.refresh_from_db()
    late.status, late.return_reason = Checkpoint.Status.REPORTED, ""
    late.save()
    _reported(_activity(world, school=world.other_school, number="8.2."), 60, start=10)
    client.force_login(world.staff)
    everything = _exported(client)
    assert len(everything) == 61  # every page of the queue, not the first 50
    rows = _exported(client, organization="СОШ № 1")
    assert len(rows) == 1
    row = rows[0]
    assert row[1] == "8.1." and row[3] == "СОШ № 1" and row[8] == "да"
    assert "Нет протокола" in row[12]


def test_the_queue_export_reads_a_fixed_number_of_queries_per_batch(client, world):
    client.force_login(world.staff)
    _reported(_activity(world), 2)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _exported(client)
        return len(queries)

    small = count()
    for i in range(3):
        _reported(_activity(world, number=f"{i + 2}."), 30, start=100 * i)
    assert count() == small


def test_a_coordinator_cannot_export_the_queue(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:verification-export")).status_code == 403
