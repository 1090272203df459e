from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from organizations.models import Organization
from roadmaps import outcomes
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import Activity, Responsibility, Roadmap, Section
from roadmaps.services import lifecycle
from roadmaps.services._common import save_with_history
from roadmaps.services.schedules import activity_sync_checkpoints

ACTIVITY_FIELDS = (
    "section",
    "number",
    "title",
    "goal_and_tasks",
    "place_and_format",
    "planned_result",
    "result_document",
    "target_audience",
    "links",
    "comment",
    "responsible_text",
    "deadline_text",
    "revision_note",
)


class ConcurrentEditError(Exception):
    """Someone else saved the activity after this editor opened it."""

    def __init__(self, current: Activity):
        super().__init__("Мероприятие уже изменил другой пользователь.")
        self.current = current


@transaction.atomic
def section_create(
    *, actor, roadmap: Roadmap, title: str, number: str = "", parent: Section | None = None
) -> Section:
    edition = lifecycle.structure_edition(roadmap)
    position = (roadmap.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    section = Section(roadmap=roadmap, title=title, number=number, parent=parent, position=position)
    save_with_history(section, actor=actor)
    lifecycle.record_change(edition, actor=actor, subject=f"Раздел {section}", description="Раздел добавлен.")
    return section


@transaction.atomic
def section_update(*, actor, section: Section, **fields) -> Section:
    edition = lifecycle.structure_edition(section.roadmap)
    before = str(section)
    for name, value in fields.items():
        if name not in ("title", "number", "parent"):
            raise ValueError(f"section field {name!r} is not editable here")
        setattr(section, name, value)
    save_with_history(section, actor=actor)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Раздел {before}", description=f"Теперь: {section}."
    )
    return section


@transaction.atomic
def sections_reorder(*, actor, roadmap: Roadmap, section_ids: list[int]) -> None:
    """Put the roadmap's sections in the given order."""
    edition = lifecycle.structure_edition(roadmap)
    sections = {s.pk: s for s in roadmap.sections.all()}
    if set(section_ids) != set(sections):
        raise ValidationError("Порядок должен содержать все разделы дорожной карты ровно по одному разу.")
    for position, pk in enumerate(section_ids, start=1):
        sections[pk].position = position
    Section.objects.bulk_update(sections.values(), ["position"])
    roadmaps_data_changed([roadmap.pk])  # bulk_update sends no signals
    order = ", ".join(sections[pk].number or sections[pk].title[:30] for pk in section_ids)
    lifecycle.record_change(
        edition, actor=actor, subject="Порядок разделов", description=f"Новый порядок: {order}."
    )


@transaction.atomic
def activity_create(*, actor, roadmap: Roadmap, number: str, title: str, **fields) -> Activity:
    """Create an activity and its checkpoints from the deadline as written."""
    edition = lifecycle.structure_edition(roadmap)
    activity = Activity(roadmap=roadmap, number=number.strip(), title=title, **fields)
    save_with_history(activity, actor=actor)
    activity_sync_checkpoints(activity=activity)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Добавлено: «{activity.title}», срок «{activity.deadline_text}».",
    )  # fmt: skip
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, expected_version: int, **fields) -> Activity:
    """Save an edit made on top of `expected_version`; refuse it if someone saved in between."""
    current = Activity.objects.select_for_update().select_related("roadmap").get(pk=activity.pk)
    edition = lifecycle.structure_edition(current.roadmap)
    if current.version != expected_version:
        raise ConcurrentEditError(current)
    old_deadline = current.deadline_text
    changed = []
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise ValueError(f"activity field {name!r} is not editable here")
        if getattr(current, name) != value:
            changed.append(f"«{Activity._meta.get_field(name).verbose_name}»")
        setattr(current, name, value)
    current.version += 1  # the row is locked, so a plain increment cannot race
    save_with_history(current, actor=actor)
    description = "Изменены поля " + ", ".join(changed) + "."
    if current.deadline_text != old_deadline:
        activity_sync_checkpoints(activity=current)
        description += f" Срок: «{old_deadline}» → «{current.deadline_text}»."
    if changed:
        lifecycle.record_change(
            edition, actor=actor, subject=f"Мероприятие {current.number}", description=description
        )
    return current


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    edition = lifecycle.structure_edition(activity.roadmap)
    if activity.checkpoints.exclude(status=outcomes.PLANNED).exists():
        raise ValidationError(
            "По мероприятию уже есть отчёты — его нельзя удалить, только отменить контрольные точки."
        )
    activity._history_user = actor
    activity.delete()
    lifecycle.record_change(
        edition,
        actor=actor,
        subject=f"Мероприятие {activity.number}",
        description=f"Удалено: «{activity.title}».",
    )


@transaction.atomic
def responsibility_assign(
    *,
    actor,
    activities: Iterable[Activity],
    organization: Organization,
    role: str = Responsibility.Role.LEAD,
    by_agreement: bool = False,
    person: str = "",
) -> int:
    """Make `organization` responsible for many activities at once; returns how many were added or changed."""
    changed = 0
    activities = list(activities)
    editions = {a.roadmap_id: lifecycle.structure_edition(a.roadmap) for a in activities}
    for activity in activities:
        Responsibility.objects.update_or_create(
            activity=activity,
            organization=organization,
            defaults={"role": role, "by_agreement": by_agreement, "person": person},
        )
        changed += 1
    for roadmap_id, edition in editions.items():
        numbers = ", ".join(a.number for a in activities if a.roadmap_id == roadmap_id)
        lifecycle.record_change(
            edition, actor=actor, subject=f"Ответственный: {organization}",
            description=f"Назначен для мероприятий {numbers}.",
        )  # fmt: skip
    return changed
