"""Indicators («показатели результативности») of a roadmap and their yearly targets."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from roadmaps import outcomes
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import Activity, Indicator, IndicatorTarget, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services._common import lock_for_edit, save_with_history


def _aggregation_error(unit: str, aggregation: str) -> str | None:
    if aggregation == outcomes.SUM and outcomes.is_share(unit):
        return "Доли организаций не складываются: выберите среднее или взвешенное среднее."
    return None


def _target_errors(*, roadmap: Roadmap, targets: dict[int, Decimal | None]) -> list[str]:
    # Removing a target is allowed for any year, so targets imported outside the period can be cleaned up.
    return [
        f"Год {year} вне периода дорожной карты {roadmap.period_display}."
        for year, value in sorted(targets.items())
        if value is not None and not roadmap.year_start <= year <= roadmap.year_end
    ]


@transaction.atomic
def indicator_save(
    *,
    actor,
    roadmap: Roadmap,
    indicator: Indicator | None = None,
    name: str,
    unit: str,
    base_value: Decimal | None,
    base_year: int | None,
    activity: Activity | None,
    targets: dict[int, Decimal | None],
    expected_version: int | str | None = None,
    aggregation: str | None = None,
) -> Indicator:
    """Create or update an indicator and set its yearly targets in one go.

    Each year in `targets` gets that target value, or loses its target when the value is None. Years
    not mentioned keep whatever they have (the form covers the roadmap's period; targets an import put
    outside it are not silently dropped). Nothing is written when anything is invalid.

    An update is saved only on top of `expected_version` — without one it is stale — and raises
    ConcurrentEditError if someone saved in between; the indicator's version covers its targets too.
    `aggregation` is how organisations' values combine (`outcomes.AGGREGATIONS`); none given takes the
    unit's default (a share averaged, a count summed), and a share is never summed.
    Returns the saved indicator (an indicator passed in is left as it was).
    """
    edition = lifecycle.structure_edition(roadmap)
    created = indicator is None
    if indicator is None:
        last = roadmap.indicators.order_by("-position").values_list("position", flat=True).first()
        indicator = Indicator(roadmap=roadmap, position=(last or 0) + 1)
    elif indicator.roadmap_id != roadmap.pk:
        raise ValueError("the indicator belongs to another roadmap")
    else:
        indicator = lock_for_edit(Indicator.objects.all(), pk=indicator.pk, expected_version=expected_version)

    indicator.name = name.strip()
    indicator.unit = unit.strip()
    indicator.base_value = base_value
    indicator.base_year = base_year
    indicator.activity = activity
    indicator.aggregation = aggregation or outcomes.default_aggregation(indicator.unit)

    errors: dict[str, list[str]] = {}
    if message := _aggregation_error(indicator.unit, indicator.aggregation):
        errors["aggregation"] = [message]
    if activity is not None and activity.roadmap_id != roadmap.pk:
        errors["activity"] = ["Мероприятие не относится к этой дорожной карте."]
    if target_errors := _target_errors(roadmap=roadmap, targets=targets):
        errors["targets"] = target_errors
    try:
        indicator.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    save_with_history(indicator, actor=actor)
    _targets_sync(actor=actor, indicator=indicator, targets=targets)
    plan = ", ".join(f"{year}: {value}" for year, value in sorted(targets.items()) if value is not None)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Показатель «{indicator.name[:200]}»",
        description=("Добавлен" if created else "Изменён") + (f"; целевые значения {plan}." if plan else "."),
    )  # fmt: skip
    return indicator


def _targets_sync(*, actor, indicator: Indicator, targets: dict[int, Decimal | None]) -> None:
    existing = {target.year: target for target in indicator.targets.filter(organization__isnull=True)}
    for year, value in sorted(targets.items()):
        target = existing.get(year)
        if value is None:
            if target is not None:
                target._history_user = actor
                target.delete()
        elif target is None:
            save_with_history(IndicatorTarget(indicator=indicator, year=year, value=value), actor=actor)
        elif target.value != value:
            target.value = value
            save_with_history(target, actor=actor)


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Delete an indicator with its targets; refused once organisations have reported actual values."""
    edition = lifecycle.structure_edition(indicator.roadmap)
    if indicator.values.exists():
        raise ValidationError(
            "По показателю уже внесены фактические значения — его нельзя удалить, только изменить."
        )
    # Targets are deleted one by one (not by the cascade) so each history record names the actor.
    for target in indicator.targets.all():
        target._history_user = actor
        target.delete()
    indicator._history_user = actor
    indicator.delete()
    lifecycle.record_change(
        edition, actor=actor, subject=f"Показатель «{indicator.name[:200]}»", description="Удалён."
    )


@transaction.atomic
def indicators_create(*, actor, roadmap: Roadmap, indicators: list[dict]) -> list[Indicator]:
    """Many at once: new indicators with their yearly targets, under the rules of `indicator_save` (name
    and unit validated, the activity of this roadmap, targets within the period, history naming the
    actor, listed on the edition), inserted in batches. Each of `indicators` holds `name`, `unit`,
    optionally `activity`, `base_value`, `base_year`, and `targets` ({year: value}). Nothing is written
    when any is invalid."""
    edition = lifecycle.structure_edition(roadmap)
    last = roadmap.indicators.order_by("-position").values_list("position", flat=True).first() or 0
    items: list[Indicator] = []
    errors: list[str] = []
    for position, fields in enumerate(indicators, start=last + 1):
        activity = fields.get("activity")
        indicator = Indicator(
            roadmap=roadmap, activity=activity, position=position, name=fields["name"].strip(),
            unit=fields["unit"].strip(), base_value=fields.get("base_value"),
            base_year=fields.get("base_year"),
        )  # fmt: skip
        indicator.aggregation = fields.get("aggregation") or outcomes.default_aggregation(indicator.unit)
        label = f"Показатель «{indicator.name[:80]}»"
        if message := _aggregation_error(indicator.unit, indicator.aggregation):
            errors.append(f"{label}: {message}")
        if activity is not None and activity.roadmap_id != roadmap.pk:
            errors.append(f"{label}: мероприятие не относится к этой дорожной карте.")
        errors.extend(f"{label}: {e}" for e in _target_errors(roadmap=roadmap, targets=fields["targets"]))
        try:
            indicator.full_clean(exclude=["roadmap", "activity"])
        except ValidationError as exc:
            errors.extend(f"{label}: {message}" for message in exc.messages)
        items.append(indicator)
    if errors:
        raise ValidationError(errors)
    created = bulk_create_with_history(items, Indicator, default_user=actor, batch_size=1000)
    targets = [
        IndicatorTarget(indicator=indicator, year=year, value=value)
        for indicator, fields in zip(created, indicators, strict=True)
        for year, value in sorted(fields["targets"].items())
        if value is not None
    ]
    bulk_create_with_history(targets, IndicatorTarget, default_user=actor, batch_size=2000)
    roadmaps_data_changed([roadmap.pk])  # bulk_create sends no signals
    for indicator, fields in zip(created, indicators, strict=True):
        plan = ", ".join(f"{y}: {v}" for y, v in sorted(fields["targets"].items()) if v is not None)
        lifecycle.record_change(
            edition, actor=actor, subject=f"Показатель «{indicator.name[:200]}»",
            description="Добавлен" + (f"; целевые значения {plan}." if plan else "."),
        )  # fmt: skip
    return created


@transaction.atomic
def indicator_organization_targets_set(
    *,
    actor,
    indicator: Indicator,
    year: int,
    targets: dict[int, Decimal | None],
    organizations: list[Organization],
    expected_version: int | str | None,
) -> Indicator:
    """Set participating organisations' own targets for one year: each organisation id in `targets`
    gets that value, or loses its own target when the value is None (it then answers to the roadmap's).

    `organizations` are those the caller may set targets for (the participants in the staff member's
    scope); an id outside them, an organisation switched off (for a new or changed target) or a year
    outside the roadmap's period is refused and nothing is written. Saved only on top of
    `expected_version` (the indicator's version covers all its targets): otherwise ConcurrentEditError.
    Own targets are the plan's distribution, not its text: an approved roadmap takes them without a new
    edition, an archived one refuses them.
    """
    lifecycle.require_not_archived(indicator.roadmap)
    roadmap = indicator.roadmap
    indicator = lock_for_edit(Indicator.objects.all(), pk=indicator.pk, expected_version=expected_version)
    allowed = {organization.pk: organization for organization in organizations}
    existing = {
        target.organization_id: target
        for target in IndicatorTarget.objects.filter(
            indicator=indicator, year=year, organization_id__in=list(targets)
        )
    }
    errors: list[str] = []
    if not roadmap.year_start <= year <= roadmap.year_end:
        errors.append(f"Год {year} вне периода дорожной карты {roadmap.period_display}.")
    for organization_id, value in targets.items():
        organization = allowed.get(organization_id)
        if organization is None:
            errors.append("Организация не участвует в показателе или вне вашей области доступа.")
            continue
        target = existing.get(organization_id)
        changed = value is not None and (target is None or target.value != value)
        if changed and not organization.is_active:
            errors.append(f"«{organization}» отключена: цель для неё не задаётся.")
    if errors:
        raise ValidationError(errors)

    changes: list[str] = []
    for organization_id, value in sorted(targets.items()):
        target = existing.get(organization_id)
        organization = allowed[organization_id]
        if value is None:
            if target is not None:
                target._history_user = actor
                target.delete()
                changes.append(f"{organization}: снята")
        elif target is None:
            save_with_history(
                IndicatorTarget(indicator=indicator, organization=organization, year=year, value=value),
                actor=actor,
            )
            changes.append(f"{organization}: {value}")
        elif target.value != value:
            target.value = value
            save_with_history(target, actor=actor)
            changes.append(f"{organization}: {value}")
    # The version moves on (the lock bumped it) only when something changed, so a save of an untouched
    # table does not turn other people's open forms stale.
    if changes:
        indicator._history_user = actor
        indicator._change_reason = f"Цели организаций на {year} год"
        indicator.save(update_fields=["version"])
    return indicator
