"""Saving an import goes through the roadmap services: what they enforce holds the same for imported rows."""

import pytest

from roadmaps.importing import ImportRefused, parse_file
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Roadmap
from roadmaps.services import activity_create, roadmap_create

pytestmark = pytest.mark.django_db

DEADLINES = [
    "Ежеквартально", "до 15.05.2025", "01.09.2025\n01.09.2026", "Март - апрель 2025 года", "По графику"
]  # fmt: skip


def _tsv(*rows: list[str]) -> bytes:
    return "\n".join("\t".join(cells) for cells in rows).encode()


def _checkpoints(activity) -> list[tuple]:
    return list(
        activity.checkpoints.order_by("sequence").values_list(
            "sequence", "planned_start", "planned_due", "period_label", "status"
        )
    )


@pytest.mark.parametrize("deadline", DEADLINES)
def test_an_imported_activity_gets_the_checkpoints_and_schedule_a_hand_made_one_gets(world, deadline):
    data = _tsv(["№", "Мероприятие", "Срок", "Ответственный"],
                ["1.", "Семинар для заместителей", deadline.replace("\n", " "), "Отдел"])  # fmt: skip
    parsed = parse_file(data, "plan.tsv")
    parsed.period = (2025, 2026)
    parsed.activities[0].deadline_text = deadline
    imported = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org).activities.get()
    by_hand_roadmap = roadmap_create(
        actor=world.staff, owner=world.region_org, title="Вручную", year_start=2025, year_end=2026
    )

    by_hand = activity_create(
        actor=world.staff, roadmap=by_hand_roadmap, number="1.", title="Семинар", deadline_text=deadline
    )

    assert _checkpoints(imported) == _checkpoints(by_hand)
    assert len(_checkpoints(imported)) == len(imported.checkpoints.all())
    fields = ("sort_key", "schedule_kind", "schedule_description", "schedule_problems")
    by_hand.refresh_from_db()
    assert [getattr(imported, f) for f in fields] == [getattr(by_hand, f) for f in fields]
    assert imported.history.get().history_user == by_hand.history.get().history_user == world.staff


def test_numbers_ordered_as_the_services_order_them_whatever_the_import_order(world):
    data = _tsv(["№", "Мероприятие", "Срок"],
                ["10.", "Десятое", "2025"], ["2.", "Второе", "2025"], ["1.1.", "Подпункт", "2025"],
                )  # fmt: skip
    roadmap = roadmap_import(actor=world.staff, parsed=parse_file(data, "plan.tsv"), owner=world.region_org)
    activity_create(actor=world.staff, roadmap=roadmap, number="3.", title="Вручную", deadline_text="2025")

    assert list(roadmap.activities.order_by("sort_key").values_list("number", flat=True)) == [
        "1.1.", "2.", "3.", "10."
    ]  # fmt: skip


def test_what_the_document_reports_is_put_on_review_with_history_and_a_transition_like_a_report(world):
    data = _tsv(["№", "Мероприятие", "Срок", "Фактическая дата"],
                ["1.", "Семинар", "Ежеквартально", "20.05.2025"],
                ["2.", "Конкурс", "", "выполнено"])  # fmt: skip
    parsed = parse_file(data, "plan.tsv")
    parsed.period = (2025, 2025)
    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    seminar = roadmap.activities.get(number="1.").checkpoints.get(status="reported")
    assert (seminar.period_label, f"{seminar.actual_date:%d.%m.%Y}") == ("I кв. 2025", "20.05.2025")
    assert seminar.history.first().history_user == world.staff
    assert seminar.history.first().status == "reported"
    assert list(seminar.transitions.values_list("status", "actor")) == [("reported", world.staff.pk)]
    contest = roadmap.activities.get(number="2.").checkpoints.get()
    assert (contest.status, contest.period_label) == ("reported", "по отчёту")


def test_a_document_the_services_refuse_row_by_row_is_refused_with_the_first_reasons_and_saves_nothing(world):
    rows = [["№", "Мероприятие", "Срок"]] + [[f"{n}.", f"Мероприятие {n}", "2025"] for n in range(1, 16)]
    parsed = parse_file(_tsv(*rows), "plan.tsv")
    for activity in parsed.activities:
        activity.title = ""  # an activity needs a title: each row refused by full_clean
    before = Roadmap.objects.count()

    with pytest.raises(ImportRefused) as refused:
        roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    assert refused.value.message.startswith("Дорожная карта не сохранена: Мероприятие 1.:")
    assert "(и ещё замечаний: 5)" in refused.value.message
    assert Roadmap.objects.count() == before
