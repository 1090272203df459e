"""«Загрузить изменения из Excel»: a roadmap exported to .xlsx, edited with openpyxl as a person would in
Excel, uploaded back, previewed with exact counts and applied through the services as one edition."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from roadmaps import services
from roadmaps.models import Activity, ImportUpload, Revision, RevisionChange, Roadmap
from roadmaps.services.imports import import_upload_parse
from tests import factories


def _roadmap(owner, *, count: int = 4, actor=None, **kwargs) -> Roadmap:
    roadmap = factories.RoadmapFactory(owner=owner, title="План методической работы", **kwargs)
    section = factories.SectionFactory(roadmap=roadmap, number="1", title="Методическая работа")
    for n in range(1, count + 1):
        services.activity_create(
            actor=actor, roadmap=roadmap, number=f"1.{n}.", title=f"Семинар № {n} для педагогов",
            section=section, deadline_text="Март 2025 года", planned_result=f"Проведено {n}",
        )  # fmt: skip
    return roadmap


def _exported(client, roadmap) -> bytes:
    response = client.get(reverse("roadmaps:roadmap-download", args=[roadmap.pk, "xlsx"]))
    assert response.status_code == 200
    return response.content


def _edited(data: bytes, *, titles=None, deadlines=None, delete=(), add=()) -> bytes:
    """Edit the exported sheet as a person would: cells changed, rows deleted, rows typed at the end."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "№")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1)}
    for number, title in (titles or {}).items():
        sheet.cell(rows[number], columns["Мероприятие"]).value = title
    for number, deadline in (deadlines or {}).items():
        sheet.cell(rows[number], columns["Сроки"]).value = deadline
    for number in sorted((rows[n] for n in delete), reverse=True):
        sheet.delete_rows(number)
    for number, title, deadline in add:
        line = sheet.max_row + 1
        sheet.cell(line, 1).value = number
        sheet.cell(line, columns["Мероприятие"]).value = title
        sheet.cell(line, columns["Сроки"]).value = deadline
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _preview_url(client, roadmap, data: bytes, name: str = "roadmap.xlsx") -> str:
    response = client.post(
        reverse("roadmaps:roadmap-update-upload", args=[roadmap.pk]),
        {"document": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    import_upload_parse(upload_id=ImportUpload.objects.latest("pk").pk)  # the worker's part, on commit
    return response["Location"]


def _state(roadmap) -> list[tuple]:
    return list(
        roadmap.activities.order_by("sort_key").values_list("number", "title", "deadline_text", "version")
    )


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def test_export_edit_and_upload_previews_exact_counts_and_applies_them_as_one_edition(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    edition = roadmap.revisions.get(status=Revision.Status.DRAFT)
    lines_before = RevisionChange.objects.filter(revision=edition).count()
    old_due = list(roadmap.activities.get(number="1.2.").checkpoints.values_list("planned_due", flat=True))
    data = _edited(
        _exported(staff_client, roadmap),
        titles={"1.1.": "Семинар № 1 для учителей"},
        deadlines={"1.2.": "Май 2025 года"},
        delete=["1.3."],
        add=[("1.5.", "Конкурс методических разработок", "Октябрь 2025 года")],
    )
    url = _preview_url(staff_client, roadmap, data)

    preview = staff_client.get(url)
    assert preview.status_code == 200
    assert preview.context["counts"] == {"added": 1, "changed": 2, "removed": 1, "unchanged": 1, "kept": 0}
    body = preview.content.decode()
    assert "Семинар № 1 для педагогов" in body and "Семинар № 1 для учителей" in body
    assert "Март 2025 года" in body and "Май 2025 года" in body
    changed = {c.key: [f.label for f in c.fields] for c in preview.context["plan"].diff.changed}
    assert changed == {"1.1": ["Мероприятие"], "1.2": ["Сроки"]}

    response = staff_client.post(
        url, {"fingerprint": preview.context["form"].initial["fingerprint"], "confirm_removals": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:roadmap-detail", args=[roadmap.pk])

    activities = {a.number: a for a in roadmap.activities.all()}
    assert sorted(activities) == ["1.1.", "1.2.", "1.4.", "1.5."]
    assert activities["1.1."].title == "Семинар № 1 для учителей"
    assert activities["1.2."].deadline_text == "Май 2025 года"
    assert activities["1.4."].title == "Семинар № 4 для педагогов"  # untouched
    assert activities["1.4."].version == 1
    added = activities["1.5."]
    assert (added.title, added.deadline_text, added.section.title) == (
        "Конкурс методических разработок", "Октябрь 2025 года", "Методическая работа",
    )  # fmt: skip
    # The new deadline re-generated the checkpoints; the new activity got its own.
    new_due = list(activities["1.2."].checkpoints.values_list("planned_due", flat=True))
    assert new_due != old_due and new_due == [datetime.date(2025, 5, 31)]
    assert added.checkpoints.count() == 1

    for number in ("1.1.", "1.2.", "1.5."):
        assert activities[number].history.latest().history_user == world.staff
    removed = Activity.history.filter(number="1.3.", roadmap_id=roadmap.pk).latest()
    assert (removed.history_type, removed.history_user) == ("-", world.staff)

    lines = list(RevisionChange.objects.filter(revision=edition).order_by("pk")[lines_before:])
    assert [line.subject for line in lines] == [
        "Мероприятие 1.3.", "Мероприятие 1.1.", "Мероприятие 1.2.", "Мероприятие 1.5.",
    ]  # fmt: skip
    assert {line.actor for line in lines} == {world.staff}
    assert not ImportUpload.objects.exists()  # the upload is gone once applied


def test_an_unedited_export_changes_nothing(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    factories.ResponsibilityFactory(activity=roadmap.activities.first(), organization=world.school)
    preview = staff_client.get(_preview_url(staff_client, roadmap, _exported(staff_client, roadmap)))
    assert preview.context["counts"] == {"added": 0, "changed": 0, "removed": 0, "unchanged": 4, "kept": 0}
    assert "изменять нечего" in preview.content.decode()


def test_a_file_with_a_repeated_number_is_refused_with_its_rows_and_changes_nothing(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    before = _state(roadmap)
    data = _edited(
        _exported(staff_client, roadmap),
        titles={"1.1.": "Новое название"},
        add=[("1.2.", "Второй раз тот же номер", "Май 2025 года")],
    )
    url = _preview_url(staff_client, roadmap, data)
    preview = staff_client.get(url)
    refused = preview.context["plan"].diff.refused
    assert [item.number for item in refused] == ["1.2.", "1.2."]
    assert "повторяется в строках" in refused[0].reason
    assert "Применить изменения" not in preview.content.decode()
    fingerprint = preview.context["form"].initial["fingerprint"]
    response = staff_client.post(url, {"fingerprint": fingerprint, "confirm_removals": "on"})
    assert response.status_code == 400
    assert "исправьте отмеченные строки" in response.content.decode()
    assert _state(roadmap) == before


def test_removals_need_the_tick_and_nothing_changes_without_it(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    before = _state(roadmap)
    data = _edited(_exported(staff_client, roadmap), titles={"1.1.": "Другое"}, delete=["1.4."])
    url = _preview_url(staff_client, roadmap, data)
    fingerprint = staff_client.get(url).context["form"].initial["fingerprint"]
    response = staff_client.post(url, {"fingerprint": fingerprint})
    assert response.status_code == 400
    assert "действительно нужно удалить" in response.content.decode()
    assert _state(roadmap) == before


def test_an_activity_with_a_report_is_kept_with_the_reason(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    reported = roadmap.activities.get(number="1.4.")
    factories.ResponsibilityFactory(activity=reported, organization=world.school)
    checkpoint = reported.checkpoints.get()
    checkpoint.status = "reported"
    checkpoint.save()
    data = _edited(_exported(staff_client, roadmap), delete=["1.3.", "1.4."])
    url = _preview_url(staff_client, roadmap, data)
    preview = staff_client.get(url)
    assert preview.context["counts"]["removed"] == 1 and preview.context["counts"]["kept"] == 1
    assert "уже есть отчёты" in preview.content.decode()
    fingerprint = preview.context["form"].initial["fingerprint"]
    assert staff_client.post(url, {"fingerprint": fingerprint, "confirm_removals": "on"}).status_code == 302
    assert sorted(roadmap.activities.values_list("number", flat=True)) == ["1.1.", "1.2.", "1.4."]


def test_a_roadmap_changed_since_the_preview_is_refused_and_the_preview_shown_again(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff)
    data = _edited(_exported(staff_client, roadmap), titles={"1.1.": "Из файла"})
    url = _preview_url(staff_client, roadmap, data)
    fingerprint = staff_client.get(url).context["form"].initial["fingerprint"]
    other = roadmap.activities.get(number="1.2.")
    services.activity_update(
        actor=world.staff, activity=other, expected_version=other.version, title="Вручную"
    )
    response = staff_client.post(url, {"fingerprint": fingerprint})
    assert response.status_code == 409
    assert "изменилась после того" in response.content.decode()
    assert roadmap.activities.get(number="1.1.").title == "Семинар № 1 для педагогов"
    # The preview shown again carries the new fingerprint: confirming it now applies the file.
    again = response.context["form"].initial["fingerprint"]
    assert again != fingerprint
    assert staff_client.post(url, {"fingerprint": again}).status_code == 302
    assert roadmap.activities.get(number="1.1.").title == "Из файла"


def test_a_draft_roadmap_changes_freely_with_history_and_no_edition(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff, status=Roadmap.Status.DRAFT)
    data = _edited(_exported(staff_client, roadmap), titles={"1.2.": "Новое"})
    url = _preview_url(staff_client, roadmap, data)
    fingerprint = staff_client.get(url).context["form"].initial["fingerprint"]
    assert staff_client.post(url, {"fingerprint": fingerprint}).status_code == 302
    changed = roadmap.activities.get(number="1.2.")
    assert changed.title == "Новое" and changed.history.latest().history_user == world.staff
    assert not RevisionChange.objects.filter(revision__roadmap=roadmap).exists()


def test_an_approved_roadmap_without_an_open_edition_answers_403_with_the_reason(staff_client, world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    response = staff_client.get(reverse("roadmaps:roadmap-update-upload", args=[roadmap.pk]))
    assert response.status_code == 403
    assert "Откройте редакцию" in response.content.decode()


def test_a_file_that_is_not_a_roadmap_is_refused_on_the_upload_page(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff, count=1)
    url = _preview_url(staff_client, roadmap, b"not a spreadsheet")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "не принят" in response.content.decode()
    assert roadmap.activities.count() == 1


def test_the_roadmap_page_links_to_the_update_upload_for_staff(staff_client, world):
    body = staff_client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert reverse("roadmaps:roadmap-update-upload", args=[world.roadmap.pk]) in body
    assert "Загрузить изменения из Excel" in body


@pytest.mark.parametrize("count", [3, 60])
def test_the_preview_asks_the_same_queries_for_3_and_60_activities(
    staff_client, world, count, django_assert_num_queries
):
    roadmap = _roadmap(world.region_org, actor=world.staff, count=count)
    data = _edited(
        _exported(staff_client, roadmap),
        titles={"1.1.": "Другое"},
        delete=["1.2."],
        add=[("9.1.", "Новое", "Май 2025 года")],
    )
    url = _preview_url(staff_client, roadmap, data)
    # session, user, memberships (scope), the roadmap, its draft edition (lifecycle), the upload with its
    # parse; the plan: activities, responsibilities, indicators, reported checkpoints of the removed.
    with django_assert_num_queries(10):
        response = staff_client.get(url)
    assert response.context["counts"]["changed"] == 1


def test_an_unedited_export_of_every_column_changes_nothing(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff, count=1)
    services.activity_create(
        actor=world.staff, roadmap=roadmap, number="II.1", title="Конкурс «Учитель года»",
        section=factories.SectionFactory(roadmap=roadmap, number="2", title="Конкурсы"),
        deadline_text="Ежеквартально, до 5 числа месяца, следующего за отчётным кварталом",
        revision_note="в ред. постановления от 26.05.2020 N 242", goal_and_tasks="Выявить лучших",
        place_and_format="Очно, ТОИПКРО", planned_result="Определены победители", result_document="Приказ",
        target_audience="Педагоги", links="https://example.org/a\nhttps://example.org/b",
        comment="№ в документе: 1.\nИтоги публикуются на сайте", responsible_text="ТОИПКРО (по согласованию)",
    )  # fmt: skip
    preview = staff_client.get(_preview_url(staff_client, roadmap, _exported(staff_client, roadmap)))
    plan = preview.context["plan"]
    assert [(c.key, [(f.field, f.old, f.new) for f in c.fields]) for c in plan.diff.changed] == []
    assert preview.context["counts"] == {"added": 0, "changed": 0, "removed": 0, "unchanged": 2, "kept": 0}


def test_a_preview_of_a_file_still_being_read_says_so(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff, count=1)
    response = staff_client.post(
        reverse("roadmaps:roadmap-update-upload", args=[roadmap.pk]),
        {"document": SimpleUploadedFile("roadmap.xlsx", _exported(staff_client, roadmap))},
    )
    page = staff_client.get(response["Location"])  # the worker has not run: the test never commits
    assert page.status_code == 200
    assert "разбирается" in page.content.decode()


def test_an_upload_for_another_owners_roadmap_is_not_found(staff_client, world):
    roadmap = _roadmap(world.region_org, actor=world.staff, count=1)
    url = _preview_url(staff_client, roadmap, _exported(staff_client, roadmap))
    token = url.rstrip("/").rsplit("/", 1)[-1]
    other = factories.RoadmapFactory(owner=world.school)  # staff of the region manage the school's too
    response = staff_client.get(reverse("roadmaps:roadmap-update-preview", args=[other.pk, token]))
    assert response.status_code == 404


def test_numbering_restarted_in_each_section_matches_the_importers_numbers(staff_client, world):
    roadmap = factories.RoadmapFactory(owner=world.region_org)
    for number in ("I", "II"):
        section = factories.SectionFactory(roadmap=roadmap, number=number, title=f"Направление {number}")
        for n in (1, 2):
            services.activity_create(
                actor=world.staff, roadmap=roadmap, number=f"{number}.{n}", title=f"Мероприятие {number}-{n}",
                section=section, deadline_text="Март 2025 года", comment=f"№ в документе: {n}.",
            )  # fmt: skip
    data = _exported(staff_client, roadmap)
    assert _counts(staff_client, roadmap, data)["unchanged"] == 4
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "Мероприятие II-1")
    cell.value = "Мероприятие II-1, уточнённое"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = staff_client.get(_preview_url(staff_client, roadmap, buffer.getvalue()))
    assert preview.context["counts"] == {"added": 0, "changed": 1, "removed": 0, "unchanged": 3, "kept": 0}
    assert [c.key for c in preview.context["plan"].diff.changed] == ["II.1"]


def _counts(client, roadmap, data: bytes) -> dict:
    return client.get(_preview_url(client, roadmap, data)).context["counts"]
