"""The Django admin answers active superusers only, and never writes domain data around the services.

A staff account of region A with every Django permission gets no admin page, for no registered model and no
URL of it; a superuser sees every model, changes directory data, and only looks at roadmaps and reports.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse

from organizations.models import Membership, Municipality, Organization, OrganizationAlias, Region
from projects.models import Participant, Project
from reports.models import (
    ProductionCalendarDay,
    ReminderLog,
    ReminderSettings,
    ReportRun,
    ReportSchedule,
    WeeklySummaryLog,
)
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointReopening,
    CheckpointTransition,
    ClosedPeriod,
    Evidence,
    ImportConfirmation,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    RevisionChange,
    Roadmap,
    Section,
)
from tests import factories

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
READ_ONLY_APPS = {"roadmaps", "reports"}
# Spellings confirmed on imports are written by confirming an import, never in the admin.
# The reminder rules and the production calendar are technical settings a superuser edits (issue 17).
EDITABLE_SETTINGS = {ReminderSettings, ProductionCalendarDay}
READ_ONLY = [
    model
    for model in REGISTERED
    if (model._meta.app_label in READ_ONLY_APPS and model not in EDITABLE_SETTINGS)
    or model is OrganizationAlias
]
TAMPERED = "Изменено в админке"


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# --- an object of region B for every registered model ---------------------------------------------


def _foreign_objects(world) -> dict[type[models.Model], models.Model]:
    away = world.foreign_org.region
    roadmap = world.foreign_roadmap
    activity = factories.ActivityFactory(roadmap=roadmap, number="1.", title="Чужое мероприятие")
    checkpoint = factories.CheckpointFactory(activity=activity, period_label="I кв. 2025")
    revision = Revision.objects.create(roadmap=roadmap, date=datetime.date(2024, 6, 1), summary="Первая")
    indicator = factories.IndicatorFactory(roadmap=roadmap, activity=activity)
    period = ClosedPeriod.objects.create(
        roadmap=roadmap,
        first_day=datetime.date(2025, 1, 1),
        last_day=datetime.date(2025, 3, 31),
        label="I кв. 2025",
        closed_by=world.outsider,
    )
    project = factories.ProjectFactory(region=away, coordinator=world.foreign_org)
    group = Group.objects.create(name="Чужая группа")
    return {
        get_user_model(): world.outsider,
        Group: group,
        Region: away,
        Municipality: factories.MunicipalityFactory(region=away),
        Organization: world.foreign_org,
        OrganizationAlias: OrganizationAlias.objects.create(
            organization=world.foreign_org, spelling="Чужая СОШ"
        ),
        Membership: Membership.objects.get(user=world.outsider),
        Project: project,
        Participant: Participant.objects.create(project=project, organization=world.foreign_org),
        LegalAct: roadmap.approved_by_act,
        Roadmap: roadmap,
        Section: factories.SectionFactory(roadmap=roadmap),
        Activity: activity,
        Responsibility: factories.ResponsibilityFactory(activity=activity, organization=world.foreign_org),
        Checkpoint: checkpoint,
        CheckpointTransition: CheckpointTransition.objects.create(checkpoint=checkpoint, status="reported"),
        Evidence: factories.EvidenceFactory(checkpoint=checkpoint),
        Indicator: indicator,
        IndicatorTarget: factories.IndicatorTargetFactory(indicator=indicator),
        IndicatorValue: factories.IndicatorValueFactory(indicator=indicator, organization=world.foreign_org),
        Revision: revision,
        RevisionChange: RevisionChange.objects.create(revision=revision, subject="Срок", description="Был"),
        ClosedPeriod: period,
        CheckpointReopening: CheckpointReopening.objects.create(
            checkpoint=checkpoint, period=period, reason="Исправить"
        ),
        ReportRun: ReportRun.objects.create(
            kind="fioko_form", format="xlsx", roadmap=roadmap, as_of=datetime.date(2025, 4, 1)
        ),
        ReportSchedule: ReportSchedule.objects.create(
            kind="fioko_form", format="xlsx", roadmap=roadmap, cadence="monthly", created_by=world.outsider
        ),
        ReminderLog: ReminderLog.objects.create(checkpoint=checkpoint, stage="overdue"),
        ReminderSettings: ReminderSettings.current(),
        ProductionCalendarDay: ProductionCalendarDay.objects.create(
            date=datetime.date(2030, 12, 28), is_working=True, note="Рабочая суббота"
        ),
        WeeklySummaryLog: WeeklySummaryLog.objects.create(
            organization=world.foreign_org, week_start=datetime.date(2025, 3, 31)
        ),
        ImportConfirmation: ImportConfirmation.objects.create(token="f" * 32, roadmap=roadmap),
        # django-axes' sign-in records (a lockout is lifted by deleting its attempt here).
        AccessAttempt: AccessAttempt.objects.create(
            username="outsider", ip_address="198.51.100.7", failures_since_start=3, get_data="", post_data=""
        ),
        AccessFailureLog: AccessFailureLog.objects.create(username="outsider", ip_address="198.51.100.7"),
        AccessLog: AccessLog.objects.create(username="outsider", ip_address="198.51.100.7"),
    }


@pytest.fixture
def foreign(world) -> dict[type[models.Model], models.Model]:
    objects = _foreign_objects(world)
    missing = [_label(model) for model in REGISTERED if model not in objects]
    assert not missing, f"give the test an object of region B for {missing}"
    return objects


@pytest.fixture
def staff_admin(world):
    """Staff of region A's authority, with `is_staff` and every Django model permission."""
    user = world.staff
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    assert user.has_perm("organizations.add_membership") and user.has_perm("roadmaps.change_checkpoint")
    return user


@pytest.fixture
def staff_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


# --- what an attacker would post --------------------------------------------------------------------


def _post_value(value: Any) -> Any:
    if isinstance(value, dict | list) and not all(isinstance(v, int) for v in value):
        return json.dumps(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return value


def _tampered(obj: models.Model, world) -> dict[str, Any]:
    """The object's own form data with the change the probe made: a foreign checkpoint done, a roadmap
    moved to another owner, a membership given to the attacker, or else its first text field rewritten."""
    data = {
        name: _post_value(value)
        for name, value in model_to_dict(obj).items()
        if value is not None and not isinstance(value, FieldFile)
    }
    if isinstance(obj, Checkpoint):
        data.update(status="done", actual_date="01.04.2025", result=TAMPERED)
    elif isinstance(obj, Roadmap):
        data.update(owner=world.region_org.pk, title=TAMPERED)
    elif isinstance(obj, Membership):
        data.update(user=world.staff.pk, role="staff")
    elif text := next((f for f in obj._meta.fields if _free_text(f)), None):
        data[text.name] = TAMPERED
    elif choice := next((f for f in obj._meta.fields if f.choices), None):  # a reminder's stage
        data[choice.name] = next(value for value, _ in choice.choices if value != data.get(choice.name))
    else:  # a target or an actual value: a number only
        data["value"] = "99"
    return data


def _free_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and field.editable and not field.choices


def _csv_of(data: dict[str, Any], pk: int) -> io.BytesIO:
    columns = ["id", *data]
    lines = [",".join(columns), ",".join(str(v) for v in [pk, *data.values()])]
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "import.csv"
    return upload


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every registered model: a write anywhere through the admin shows up here."""
    return {_label(model): list(model._default_manager.order_by("pk").values()) for model in REGISTERED}


def _optional(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _history_id(obj: models.Model) -> int | None:
    manager = getattr(obj._meta, "simple_history_manager_attribute", None)
    return getattr(obj, manager).earliest("history_date").history_id if manager else None


Request = tuple[str, str, Callable[[], dict[str, Any]] | None]


def _every_admin_request(model: type[models.Model], obj: models.Model, world) -> list[Request]:
    """(method, url, data) for every admin URL of `model`: lists, forms, history, revert, autocomplete,
    import and export."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    add, change = reverse(f"{info}_add"), reverse(f"{info}_change", args=[obj.pk])
    delete = reverse(f"{info}_delete", args=[obj.pk])
    bulk_delete = {"action": "delete_selected", "_selected_action": obj.pk}
    requests: list[Request] = [
        ("get", reverse("admin:index"), None),
        ("get", reverse("admin:app_list", args=[model._meta.app_label]), None),
        ("get", reverse(f"{info}_changelist"), None),
        ("post", reverse(f"{info}_changelist"), lambda: bulk_delete),
        ("get", add, None),
        ("post", add, lambda: _tampered(obj, world)),
        ("get", change, None),
        ("post", change, lambda: _tampered(obj, world)),
        ("get", delete, None),
        ("post", delete, lambda: {"post": "yes"}),
        ("get", reverse(f"{info}_history", args=[obj.pk]), None),
    ]
    history_id = _history_id(obj)
    revert = history_id and _optional(f"{info}_simple_history", obj.pk, history_id)
    if revert:
        requests += [("get", revert, None), ("post", revert, lambda: _tampered(obj, world))]
    if url := _optional(f"{info}_import"):
        requests += [
            ("get", url, None),
            ("post", url, lambda: {"import_file": _csv_of(_tampered(obj, world), obj.pk), "format": "0"}),
        ]
    if url := _optional(f"{info}_process_import"):
        data = {"import_file_name": "import.csv", "original_file_name": "import.csv", "format": "0"}
        requests += [("post", url, lambda: data)]
    if url := _optional(f"{info}_export"):
        requests += [("get", url, None), ("post", url, lambda: {"format": "0", "resource": "0"})]
    for field in model._meta.fields:
        if field.is_relation and field.related_model in admin.site._registry:
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
            query.update(field_name=field.name, term="")
            requests.append(("get", reverse("admin:autocomplete") + "?" + urlencode(query), None))
    return requests


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response.url.startswith(reverse("admin:login"))


# --- a staff account is no admin --------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_a_staff_account_with_every_permission_gets_no_admin_page_of_any_registered_model(
    staff_client, world, foreign, model
):
    obj = foreign[model]
    before = _snapshot()

    answers = {}
    for method, url, data in _every_admin_request(model, obj, world):
        response = getattr(staff_client, method)(url, data() if data else None)
        answers[f"{method.upper()} {url}"] = response

    wrong = {request: response.status_code for request, response in answers.items() if not _refused(response)}
    assert not wrong, wrong
    assert _snapshot() == before


def test_a_staff_account_cannot_give_itself_a_membership_in_another_region(staff_client, world):
    before = Membership.objects.count()

    response = staff_client.post(
        "/admin/organizations/membership/add/",
        {"user": world.staff.pk, "organization": world.foreign_org.pk, "role": "staff", "position": ""},
    )

    assert _refused(response)
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(user=world.staff, organization=world.foreign_org).exists()


def test_a_staff_account_cannot_log_in_to_the_admin(client, staff_admin):
    response = client.post(
        reverse("admin:login"), {"username": staff_admin.username, "password": "pass-word-123"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_an_inactive_superuser_gets_no_admin_page(client, world):
    user = factories.UserFactory(username="former_root", is_staff=True, is_superuser=True, is_active=False)
    client.force_login(user)

    assert _refused(client.get(reverse("admin:index")))


# --- a superuser investigates -----------------------------------------------------------------------


@pytest.fixture
def root_client(client, world):
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_a_superuser_sees_the_list_and_an_object_of_every_registered_model(root_client, foreign, model):
    obj = foreign[model]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    listing = root_client.get(reverse(f"{info}_changelist"))
    page = root_client.get(reverse(f"{info}_change", args=[obj.pk]))

    assert listing.status_code == 200
    assert page.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=_label)
def test_a_superuser_can_look_at_a_domain_model_but_not_add_change_delete_or_revert_it(
    root_client, world, foreign, model
):
    obj = foreign[model]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    change = reverse(f"{info}_change", args=[obj.pk])
    delete = reverse(f"{info}_delete", args=[obj.pk])
    before = _snapshot()

    page = root_client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert root_client.post(change, _tampered(obj, world)).status_code == 403
    assert root_client.get(reverse(f"{info}_add")).status_code == 403
    assert root_client.post(reverse(f"{info}_add"), _tampered(obj, world)).status_code == 403
    assert root_client.get(delete).status_code == 403
    assert root_client.post(delete, {"post": "yes"}).status_code == 403
    # No delete permission, so no bulk delete action: the list only says there is nothing to do.
    bulk = {"action": "delete_selected", "_selected_action": obj.pk}
    assert root_client.post(reverse(f"{info}_changelist"), bulk).status_code in (200, 302)
    assert root_client.get(reverse(f"{info}_history", args=[obj.pk])).status_code == 200
    if _optional(f"{info}_import"):
        pytest.fail(f"{_label(model)} can be imported in the admin")
    if history_id := _history_id(obj):
        revert = reverse(f"{info}_simple_history", args=[obj.pk, history_id])
        past = root_client.get(revert)
        assert past.status_code == 200
        assert b'name="_save"' not in past.content
        assert root_client.post(revert, _tampered(obj, world)).status_code == 403

    assert _snapshot() == before


def test_a_superuser_reads_the_history_of_a_checkpoint_and_cannot_set_it_done_by_reverting(
    root_client, world
):
    checkpoint = world.checkpoint
    checkpoint.result = "Первый текст"
    checkpoint.save()
    oldest = checkpoint.history.earliest("history_date").history_id
    history = root_client.get(reverse("admin:roadmaps_checkpoint_history", args=[checkpoint.pk]))
    revert = reverse("admin:roadmaps_checkpoint_simple_history", args=[checkpoint.pk, oldest])

    response = root_client.post(
        revert, {**_tampered(checkpoint, world), "status": "done", "actual_date": "01.04.2025"}
    )

    assert history.status_code == 200 and "Первый текст" in history.content.decode()
    assert response.status_code == 403
    checkpoint.refresh_from_db()
    assert (checkpoint.status, checkpoint.actual_date) == ("planned", None)


def _form_data(response) -> dict[str, Any]:
    """What an admin add form posts back untouched: the main form and every inline's management form."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {f"{inline.formset.prefix}-{name}": management[name].value() for name in management.fields}
        )
    return data


def test_a_superuser_can_still_create_an_organization_and_a_membership(root_client, world):
    url = reverse("admin:organizations_organization_add")
    data = _form_data(root_client.get(url))
    data.update(full_name="Центр оценки качества образования", short_name="ЦОКО", kind="regional_centre")
    data.update(region=world.region_org.region_id, parent=world.region_org.pk)

    created = root_client.post(url, data)

    assert created.status_code == 302, created.context["adminform"].form.errors
    centre = Organization.objects.get(short_name="ЦОКО")
    assert centre.path == f"{world.region_org.path}{centre.pk}/"

    url = reverse("admin:organizations_membership_add")
    data = _form_data(root_client.get(url))
    data.update(user=world.analyst.pk, organization=centre.pk, role="analyst", position="Аналитик")

    added = root_client.post(url, data)

    assert added.status_code == 302, added.context["adminform"].form.errors
    assert Membership.objects.filter(user=world.analyst, organization=centre, role="analyst").exists()
