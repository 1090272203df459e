"""A wording with a problem is saved with a warning naming it, approval lists such deadlines and asks, and
every date field says why a date does not exist."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reports.forms import ReportRequestForm
from roadmaps import forms, services
from roadmaps.date_fields import RuDateField
from roadmaps.deadlines import no_such_date
from roadmaps.models import Roadmap
from tests import factories


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _new_activity(staff_client, roadmap: Roadmap, deadline: str):
    url = reverse("roadmaps:activity-create", args=[roadmap.pk])
    return staff_client.post(
        url, {"number": "9.", "title": "Семинар", "deadline_text": deadline}, follow=True
    )


def test_a_wording_with_an_impossible_date_is_saved_with_a_warning_naming_it(staff_client, world):
    response = _new_activity(staff_client, world.draft, "до 31 ноября 2025 г.")
    assert response.status_code == 200
    ((level, text),) = _messages(response)
    assert level == "warning"
    assert text.startswith("Мероприятие добавлено.") and "в ноябре 30 дней" in text
    assert world.draft.activities.filter(number="9.").exists()


def test_a_wording_due_by_event_is_saved_with_a_warning_asking_for_a_date(staff_client, world):
    response = _new_activity(staff_client, world.draft, "по запросу Минпросвещения России")
    ((level, text),) = _messages(response)
    assert level == "warning" and "назначьте дату вручную" in text


def test_a_clean_wording_gets_the_green_message(staff_client, world):
    response = _new_activity(staff_client, world.draft, "до 1 марта 2025 г.")
    assert _messages(response) == [("success", "Мероприятие добавлено.")]


def test_an_edit_keeping_a_problem_still_warns(staff_client, world):
    activity = factories.ActivityFactory(roadmap=world.draft, deadline_text="")
    services.activity_sync_checkpoints(activity=activity)
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    data = {
        "number": activity.number,
        "title": "Новое",
        "deadline_text": "до 30.02.2025",
        "version": activity.version,
    }
    response = staff_client.post(url, data, follow=True)
    ((level, text),) = _messages(response)
    assert level == "warning" and "в феврале 2025 года 28 дней" in text


# --- Approval ---------------------------------------------------------------------------------------


def _act() -> dict:
    return {
        "kind": "order",
        "number": "12-п",
        "date": "10.01.2025",
        "issuer": "Департамент",
        "title": "Об утверждении",
    }


def test_approving_lists_deadlines_with_problems_and_asks_to_confirm(staff_client, world):
    bad = services.activity_create(
        actor=world.staff, roadmap=world.draft, number="1.", title="Опрос", deadline_text="до 31.11.2025"
    )
    services.activity_create(
        actor=world.staff, roadmap=world.draft, number="2.", title="Отчёт", deadline_text="до 1 марта 2025 г."
    )
    url = reverse("roadmaps:roadmap-approve", args=[world.draft.pk])

    asked = staff_client.post(url, _act())

    body = asked.content.decode()
    assert asked.status_code == 200
    assert "Сроки требуют проверки" in body and "1. Опрос" in body and "в ноябре 30 дней" in body
    assert "2. Отчёт" not in body
    assert 'value="12-п"' in body, "the act as typed stays in the form"
    assert [a.pk for a in asked.context["deadline_problems"]] == [bad.pk]
    assert Roadmap.objects.get(pk=world.draft.pk).status == Roadmap.Status.DRAFT

    confirmed = staff_client.post(url, {**_act(), "confirm_deadline_problems": "1"})

    assert confirmed.status_code == 302
    assert Roadmap.objects.get(pk=world.draft.pk).status == Roadmap.Status.APPROVED


def test_an_activity_without_checkpoints_is_listed_at_approval(world):
    services.activity_create(
        actor=world.staff, roadmap=world.draft, number="1.", title="Опрос", deadline_text="в 2031 году"
    )
    with pytest.raises(services.lifecycle.DeadlineProblems) as refused:
        services.roadmap_approve(actor=world.staff, roadmap=world.draft, act=factories.LegalActFactory())
    (activity,) = refused.value.activities
    assert activity.reasons


def test_a_roadmap_with_clean_deadlines_is_approved_at_once(world):
    services.activity_create(
        actor=world.staff, roadmap=world.draft, number="1.", title="Отчёт", deadline_text="до 1 марта 2025 г."
    )
    services.roadmap_approve(actor=world.staff, roadmap=world.draft, act=factories.LegalActFactory())
    assert Roadmap.objects.get(pk=world.draft.pk).status == Roadmap.Status.APPROVED


# --- Date fields ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31.11.2026", "31.11.2026: в ноябре 30 дней."),
        ("29.02.2025", "29.02.2025: в феврале 2025 года 28 дней."),
        ("31.04.2026", "31.04.2026: в апреле 30 дней."),
        ("12.13.2026", "12.13.2026: месяца 13 нет."),
        ("32.01.2026", "32.01.2026: в январе 31 день."),
    ],
)
def test_an_impossible_date_is_refused_with_why(typed, reason):
    form = forms.CheckpointReportForm({"actual_date": typed, "result": "Сделано"})
    assert form.errors["actual_date"] == [reason]


def test_a_date_that_is_not_a_date_at_all_keeps_the_format_hint():
    form = forms.CheckpointReportForm({"actual_date": "завтра", "result": "Сделано"})
    assert form.errors["actual_date"] == ["Введите дату в виде ДД.ММ.ГГГГ."]


def test_the_leap_day_of_a_leap_year_is_a_date():
    assert RuDateField().clean("29.02.2028") == datetime.date(2028, 2, 29)
    assert no_such_date(29, 2, 2028) is None


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (lambda data: forms.LegalActForm(data), "date"),
        (lambda data: forms.RevisionForm(data), "date"),
        (lambda data: forms.RevisionForm(data), "act_date"),
        (lambda data: forms.PeriodCloseForm(data), "first_day"),
        (lambda data: forms.AsOfForm(data), "as_of"),
        (lambda data: forms.CheckpointByHandForm(data), "due"),
        (lambda data: ReportRequestForm(data, scopes=_NoScopes(), builders=[]), "as_of"),
        (lambda data: ReportRequestForm(data, scopes=_NoScopes(), builders=[]), "outgoing_date"),
    ],
)
def test_every_date_field_says_why_a_date_does_not_exist(form, field):
    bound = form({field: "31.11.2026"})
    assert bound.errors[field] == ["31.11.2026: в ноябре 30 дней."]


class _NoScopes:
    roadmaps: tuple = ()
    groups: tuple = ()
