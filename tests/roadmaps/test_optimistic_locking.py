"""Every edit form is saved only on top of the version it was opened on: no lost updates.

Each case opens a real edit form, lets a colleague save through the service, and posts the stale form:
409 with both values side by side, the typed values kept, the colleague's change intact; posting again
with the version the 409 page carries saves. A missing, empty, zero or garbled version is stale too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from organizations.models import Membership
from roadmaps import services
from roadmaps.models import Indicator, RevisionChange
from tests import factories

pytestmark = pytest.mark.django_db

SAVED = "Сохранил коллега"
TYPED = "Ввели вы"
MISSING = object()


def _indicator_rename(*, actor, obj: Indicator, value: str, expected_version) -> Indicator:
    return services.indicator_save(
        actor=actor,
        roadmap=obj.roadmap,
        indicator=obj,
        name=value,
        unit=obj.unit,
        base_value=obj.base_value,
        base_year=obj.base_year,
        activity=obj.activity,
        targets={},
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class Editable:
    """One edit form under the lock: its URL, its object, the field edited, and the service that saves it."""

    url: str
    make: Callable[[Any], Model]
    field: str
    noun: str
    save: Callable[..., Model]  # (*, actor, obj, value, expected_version)


EDITABLES = [
    pytest.param(
        Editable(
            url="roadmaps:roadmap-update",
            make=lambda world: world.roadmap,
            field="goal",
            noun="паспорт дорожной карты",
            save=lambda *, actor, obj, value, expected_version: services.roadmap_update(
                actor=actor, roadmap=obj, expected_version=expected_version, goal=value
            ),
        ),
        id="roadmap",
    ),
    pytest.param(
        Editable(
            url="roadmaps:section-update",
            make=lambda world: factories.SectionFactory(roadmap=world.roadmap, title="Организация работы"),
            field="title",
            noun="раздел",
            save=lambda *, actor, obj, value, expected_version: services.section_update(
                actor=actor, section=obj, expected_version=expected_version, title=value
            ),
        ),
        id="section",
    ),
    pytest.param(
        Editable(
            url="roadmaps:activity-update",
            make=lambda world: world.checkpoint.activity,
            field="title",
            noun="мероприятие",
            save=lambda *, actor, obj, value, expected_version: services.activity_update(
                actor=actor, activity=obj, expected_version=expected_version, title=value
            ),
        ),
        id="activity",
    ),
    pytest.param(
        Editable(
            url="roadmaps:indicator-update",
            make=lambda world: factories.IndicatorFactory(roadmap=world.roadmap, name="Охват детей"),
            field="name",
            noun="показатель",
            save=_indicator_rename,
        ),
        id="indicator",
    ),
]


@pytest.fixture
def colleague(world):
    """A second member of the owner organisation's staff, who saves while the first one is still typing."""
    user = factories.UserFactory(username="colleague")
    Membership.objects.create(user=user, organization=world.region_org, role=Membership.Role.STAFF)
    return user


def _fresh(obj: Model) -> Model:
    return type(obj).objects.get(pk=obj.pk)


def _opened(client, url: str) -> dict[str, str]:
    """What the edit form posts back untouched, as a browser would send it."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    return {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}


def _version_on_page(body: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', body).group(1)


def _written(obj: Model) -> tuple:
    """Everything an edit writes: the row, its history and the changes listed on the open edition."""
    row = _fresh(obj)
    return (row, row.version, obj.history.count(), RevisionChange.objects.count())


@pytest.mark.parametrize("editable", EDITABLES)
def test_a_stale_form_is_answered_409_beside_the_saved_value_and_saving_again_goes_through(
    client, world, colleague, editable
):
    obj = editable.make(world)
    url = reverse(editable.url, args=[obj.pk])
    client.force_login(world.staff)
    opened = _opened(client, url)
    assert opened["version"] == str(obj.version)
    fresh = _fresh(obj)
    editable.save(actor=colleague, obj=fresh, value=SAVED, expected_version=fresh.version)

    response = client.post(url, {**opened, editable.field: TYPED})

    assert response.status_code == 409
    body = response.content.decode()
    assert f"Пока вы редактировали, {editable.noun} изменил другой пользователь." in body
    rows = response.context["conflict"].rows
    assert [(row.name, row.saved, row.typed) for row in rows] == [(editable.field, SAVED, TYPED)]
    assert f'class="saved">{SAVED}<' in body
    assert f'class="typed">{TYPED}<' in body
    assert response.context["form"][editable.field].value() == TYPED
    assert getattr(_fresh(obj), editable.field) == SAVED
    # The 409 page carries the current version: saving again after seeing the other change is deliberate.
    version = _version_on_page(body)
    assert version == str(_fresh(obj).version)

    again = client.post(url, {**opened, editable.field: TYPED, "version": version})

    assert again.status_code == 302
    saved = _fresh(obj)
    assert (getattr(saved, editable.field), saved.version) == (TYPED, obj.version + 2)


@pytest.mark.parametrize("version", ["", "0", "-1", "abc", "1.0", MISSING], ids=repr)
@pytest.mark.parametrize("editable", EDITABLES)
def test_a_missing_empty_zero_or_garbled_version_is_answered_409_and_nothing_is_written(
    client, world, editable, version
):
    obj = editable.make(world)
    url = reverse(editable.url, args=[obj.pk])
    client.force_login(world.staff)
    data = {**_opened(client, url), editable.field: TYPED}
    if version is MISSING:
        del data["version"]
    else:
        data["version"] = version
    before = _written(obj)

    response = client.post(url, data)

    assert response.status_code == 409
    assert response.context["form"][editable.field].value() == TYPED
    assert _version_on_page(response.content.decode()) == str(obj.version)
    assert _written(obj) == before
    assert getattr(_fresh(obj), editable.field) != TYPED


@pytest.mark.parametrize("editable", EDITABLES)
def test_the_service_refuses_a_stale_expected_version_and_writes_nothing(world, colleague, editable):
    obj = editable.make(world)
    opened = obj.version
    editable.save(actor=colleague, obj=_fresh(obj), value=SAVED, expected_version=opened)
    before = _written(obj)

    with pytest.raises(services.ConcurrentEditError) as caught:
        editable.save(actor=world.staff, obj=_fresh(obj), value=TYPED, expected_version=opened)

    assert getattr(caught.value.current, editable.field) == SAVED
    assert caught.value.current.version == opened + 1
    assert _written(obj) == before


@pytest.mark.parametrize("expected", [None, "", 0, -1, "abc", " ", "1.0", "¹", True], ids=repr)
@pytest.mark.parametrize("editable", EDITABLES)
def test_a_missing_or_garbled_expected_version_counts_as_stale_never_as_skip_the_check(
    world, editable, expected
):
    obj = editable.make(world)
    assert obj.version == 1
    before = _written(obj)

    with pytest.raises(services.ConcurrentEditError):
        editable.save(actor=world.staff, obj=obj, value=TYPED, expected_version=expected)

    assert _written(obj) == before


@pytest.mark.parametrize("editable", EDITABLES)
def test_the_version_may_come_as_the_text_a_form_sends_and_each_save_moves_it_by_one(world, editable):
    obj = editable.make(world)

    saved = editable.save(actor=world.staff, obj=obj, value=TYPED, expected_version=f" {obj.version} ")

    assert (getattr(_fresh(obj), editable.field), _fresh(obj).version) == (TYPED, obj.version + 1)
    assert saved.version == obj.version + 1


def test_an_indicator_update_without_an_expected_version_is_refused(world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Охват детей")

    with pytest.raises(services.ConcurrentEditError):
        services.indicator_save(
            actor=world.staff,
            roadmap=world.roadmap,
            indicator=indicator,
            name=TYPED,
            unit="%",
            base_value=None,
            base_year=None,
            activity=None,
            targets={},
        )

    assert _fresh(indicator).name == "Охват детей"


def test_a_target_changed_meanwhile_makes_the_indicator_form_stale_and_both_targets_are_shown(
    client, world, colleague
):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Охват детей")
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=50)
    url = reverse("roadmaps:indicator-update", args=[indicator.pk])
    client.force_login(world.staff)
    opened = _opened(client, url)
    services.indicator_save(
        actor=colleague,
        roadmap=world.roadmap,
        indicator=_fresh(indicator),
        name=indicator.name,
        unit=indicator.unit,
        base_value=None,
        base_year=None,
        activity=None,
        targets={2025: Decimal("60")},
        expected_version=indicator.version,
    )

    response = client.post(url, {**opened, "target_2025": "70,5"})

    assert response.status_code == 409
    rows = response.context["conflict"].rows
    assert [(row.name, row.saved, row.typed) for row in rows] == [("target_2025", "60,00", "70,5")]
    assert 'value="70,5"' in response.content.decode()
    assert dict(indicator.targets.values_list("year", "value")) == {2025: Decimal("60")}

    again = client.post(
        url, {**opened, "target_2025": "70,5", "version": _version_on_page(response.content.decode())}
    )

    assert again.status_code == 302
    assert dict(indicator.targets.values_list("year", "value")) == {2025: Decimal("70.5")}
