"""Indicators («показатели результативности») of a roadmap and their yearly targets."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import Activity, Indicator, IndicatorTarget, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services._common import lock_for_edit, save_with_history


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
) -> Indicator:
    """Create or update an indicator and set its yearly targets in one go.

    Each year in `targets` gets that target value, or loses its target when the value is None. Years
    not mentioned keep whatever they have (the form covers the roadmap's period; targets an import put
    outside it are not silently dropped). Nothing is written when anything is invalid.

    An update is saved only on top of `expected_version` — without one it is stale — and raises
    ConcurrentEditError if someone saved in between; the indicator's version covers its targets too.
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

    errors: dict[str, list[str]] = {}
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
    existing = {target.year: target for target in indicator.targets.all()}
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
        label = f"Показатель «{indicator.name[:80]}»"
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
