from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from roadmaps import outcomes
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import Activity, Responsibility, Revision, Roadmap, Section
from roadmaps.numbering import number_sort_key
from roadmaps.participation import participants_rebuild
from roadmaps.services import lifecycle
from roadmaps.services._common import ConcurrentEditError as ConcurrentEditError  # importable here as before
from roadmaps.services._common import lock_for_edit, save_with_history
from roadmaps.services.numbering import activity_next_number, section_next_number
from roadmaps.services.schedules import (
    activities_create_checkpoints,
    activities_schedule,
    activity_describe_schedule,
    activity_sync_checkpoints,
    require_confirmed_change,
)

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


@transaction.atomic
def section_create(
    *,
    actor,
    roadmap: Roadmap,
    title: str,
    number: str = "",
    parent: Section | None = None,
    number_if_blank: bool = False,
) -> Section:
    """A section at the end; `number_if_blank` (a person's form) gives one left blank the next number —
    importers keep a heading without a number as the document has it."""
    edition = lifecycle.structure_edition(roadmap)
    position = (roadmap.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    number = number.strip()
    if not number and number_if_blank:
        number = section_next_number(roadmap=roadmap, parent=parent)
    section = Section(roadmap=roadmap, title=title, number=number, parent=parent, position=position)
    save_with_history(section, actor=actor)
    lifecycle.record_change(edition, actor=actor, subject=f"Раздел {section}", description="Раздел добавлен.")
    return section


@transaction.atomic
def section_update(*, actor, section: Section, expected_version: int | str | None, **fields) -> Section:
    """Save an edit made on top of `expected_version`; refuse it if someone saved in between.

    Returns the saved section (the instance passed in is left as it was)."""
    section = lock_for_edit(
        Section.objects.select_related("roadmap"), pk=section.pk, expected_version=expected_version
    )
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
    """Create an activity and its checkpoints from the deadline as written; without a number it gets the
    next one in the roadmap's style."""
    edition = lifecycle.structure_edition(roadmap)
    number = number.strip() or activity_next_number(roadmap=roadmap, section=fields.get("section"))
    activity = Activity(roadmap=roadmap, number=number, title=title, **fields)
    save_with_history(activity, actor=actor)
    activity_sync_checkpoints(activity=activity)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Добавлено: «{activity.title}», срок «{activity.deadline_text}».",
    )  # fmt: skip
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    expected_version: int | str | None,
    regenerate_schedule: bool = False,
    schedule_confirmation: str | None = None,
    **fields,
) -> Activity:
    """Save an edit made on top of `expected_version`; refuse it if someone saved in between.

    A new deadline regenerates the checkpoints from the wording, unless a person set them by hand and
    `regenerate_schedule` is not given: then they stay as they are and only the parsed wording changes.
    A person's edit passes `schedule_confirmation` (the fingerprint of the change they were shown, "" at
    first): a new deadline that changes checkpoints is refused with `ScheduleChangeUnconfirmed` until it is
    that of the change as it stands under the lock. None (importers, scripts) asks nothing."""
    current = lock_for_edit(
        Activity.objects.select_related("roadmap__owner"), pk=activity.pk, expected_version=expected_version
    )
    edition = lifecycle.structure_edition(current.roadmap)
    old_deadline = current.deadline_text
    changed = []
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise ValueError(f"activity field {name!r} is not editable here")
        if getattr(current, name) != value:
            changed.append(f"«{Activity._meta.get_field(name).verbose_name}»")
        setattr(current, name, value)
    if current.deadline_text != old_deadline and schedule_confirmation is not None:
        require_confirmed_change(current, confirmation=schedule_confirmation)
    save_with_history(current, actor=actor)
    description = "Изменены поля " + ", ".join(changed) + "."
    if current.deadline_text != old_deadline:
        description += f" Срок: «{old_deadline}» → «{current.deadline_text}»."
        if current.schedule_by_hand and not regenerate_schedule:
            activity_describe_schedule(activity=current)
            description += " Контрольные точки заданы вручную и оставлены как есть."
        else:
            activity_sync_checkpoints(activity=current, actor=actor)
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


# --- Responsible organisations --------------------------------------------------------------------------


def _editions(activities: list[Activity]) -> dict[int, Revision | None]:
    """The edition each roadmap of `activities` changes in, asked once per roadmap before any write."""
    roadmaps = {activity.roadmap_id: activity.roadmap for activity in activities}
    return {pk: lifecycle.structure_edition(roadmap) for pk, roadmap in roadmaps.items()}


def _numbers(activities: Iterable[Activity], roadmap_id: int) -> str:
    return ", ".join(a.number for a in activities if a.roadmap_id == roadmap_id)


def _sentence(text: str) -> str:
    # Activity numbers are written «1.2.»: a sentence ending with one needs no second full stop.
    return text if text.endswith(".") else text + "."


def _role_label(role: str) -> str:
    # An unknown role is reported by full_clean(); here it is only named.
    return dict(Responsibility.Role.choices).get(role, role)


def _terms(role: str, by_agreement: bool) -> str:
    """«соисполнитель, по согласованию»: a responsibility's terms as the edition lists them."""
    return _role_label(role) + (", по согласованию" if by_agreement else "")


def _changes(item: Responsibility, *, role: str, by_agreement: bool, person: str | None = None) -> list[str]:
    """What setting these terms would change, in words; empty when nothing would."""
    changes = []
    if item.role != role:
        changes.append(f"роль изменена на «{_role_label(role)}»")
    if item.by_agreement != by_agreement:
        changes.append("отмечено «по согласованию»" if by_agreement else "снята отметка «по согласованию»")
    if person is not None and item.person != person:
        changes.append(f"ответственное лицо: «{item.person or '—'}» → «{person or '—'}»")
    return changes


def _last_positions(activities) -> dict[int, int]:
    """The position of each activity's last responsible organisation (new ones are listed after it)."""
    return dict(
        Responsibility.objects.filter(activity__in=activities)
        .values("activity_id")
        .annotate(last=Max("position"))
        .values_list("activity_id", "last")
        .order_by()
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
    """Make `organization` responsible for many activities at once; returns how many were added or changed.

    Where it is responsible already it takes the new terms; where they are the same nothing is saved, so the
    history gains no empty row. A new one is listed after the organisations already responsible.
    """
    activities = list(activities)
    editions = _editions(activities)
    existing = {
        item.activity_id: item
        for item in Responsibility.objects.select_for_update().filter(
            activity__in=activities, organization=organization
        )
    }
    last_position = _last_positions(activities)
    changed = []
    for activity in activities:
        item = existing.get(activity.pk)
        if item is None:
            item = Responsibility(
                activity=activity, organization=organization, position=last_position.get(activity.pk, -1) + 1
            )
        elif (item.role, item.by_agreement, item.person) == (role, by_agreement, person):
            continue
        else:
            item.version += 1
        item.role, item.by_agreement, item.person = role, by_agreement, person
        save_with_history(item, actor=actor)
        changed.append(activity)
    for roadmap_id, edition in editions.items():
        if numbers := _numbers(changed, roadmap_id):
            lifecycle.record_change(
                edition, actor=actor, subject=f"Ответственный: {organization}",
                description=_sentence(f"Назначен ({_terms(role, by_agreement)}) для мероприятий {numbers}"),
            )  # fmt: skip
    return len(changed)


@transaction.atomic
def responsibility_update(
    *,
    actor,
    responsibility: Responsibility,
    role: str,
    by_agreement: bool,
    person: str,
    expected_version: object,
) -> Responsibility:
    """Change one responsible organisation's role, «по согласованию» and person.

    `expected_version`, the version the form was opened with, refuses an edit made on top of one saved in
    between (`ConcurrentEditError`; the row is locked while it is compared).
    """
    current = lock_for_edit(
        Responsibility.objects.select_related("activity__roadmap", "organization"),
        pk=responsibility.pk,
        expected_version=expected_version,
    )
    edition = lifecycle.structure_edition(current.activity.roadmap)
    changes = _changes(current, role=role, by_agreement=by_agreement, person=person)
    if not changes:
        return current
    current.role, current.by_agreement, current.person = role, by_agreement, person
    save_with_history(current, actor=actor)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Ответственный: {current.organization}",
        description=f"Мероприятие {current.activity.number}: {'; '.join(changes)}.",
    )  # fmt: skip
    return current


@transaction.atomic
def responsibility_remove(*, actor, responsibility: Responsibility) -> None:
    """Take an organisation off an activity. Taking off the last one is allowed: the activity then shows
    its responsible text as written in the document, and the edition's list says so."""
    activity = responsibility.activity
    edition = lifecycle.structure_edition(activity.roadmap)
    organization = responsibility.organization
    responsibility._history_user = actor
    responsibility.delete()
    description = _sentence(f"Снят с мероприятия {activity.number}")
    if not activity.responsibilities.exists():
        description += " Других ответственных организаций у мероприятия нет" + (
            ": показывается текст из документа."
            if activity.responsible_text
            else ", в документе их тоже нет."
        )
    lifecycle.record_change(
        edition, actor=actor, subject=f"Ответственный: {organization}", description=description
    )


@transaction.atomic
def responsibilities_remove(*, actor, activities: Iterable[Activity], organization: Organization) -> int:
    """Take `organization` off many activities at once; returns how many it was taken off (activities it
    was not responsible for are left alone). Activities left with no responsible organisation are named."""
    activities = list(activities)
    editions = _editions(activities)
    items = list(Responsibility.objects.filter(activity__in=activities, organization=organization))
    for item in items:
        item._history_user = actor
        item.delete()  # one by one, so each leaves a history row naming the actor
    removed_ids = {item.activity_id for item in items}
    still_covered = set(
        Responsibility.objects.filter(activity_id__in=removed_ids).values_list("activity_id", flat=True)
    )
    removed = [a for a in activities if a.pk in removed_ids]
    for roadmap_id, edition in editions.items():
        if not (numbers := _numbers(removed, roadmap_id)):
            continue
        description = _sentence(f"Снят с мероприятий {numbers}")
        if bare := _numbers((a for a in removed if a.pk not in still_covered), roadmap_id):
            description += (
                f" Без ответственных организаций остались мероприятия {bare}: "
                "у них показывается текст из документа."
            )
        lifecycle.record_change(
            edition, actor=actor, subject=f"Ответственный: {organization}", description=description
        )
    return len(items)


@transaction.atomic
def responsibilities_update(
    *,
    actor,
    activities: Iterable[Activity],
    organization: Organization,
    role: str | None = None,
    by_agreement: bool | None = None,
) -> int:
    """Change `organization`'s role and/or «по согласованию» across many activities (None leaves that term as
    it is); returns how many changed. Activities it is not responsible for are left alone."""
    if role is None and by_agreement is None:
        raise ValidationError("Выберите, что изменить: роль или «по согласованию».")
    activities = list(activities)
    editions = _editions(activities)
    changed_ids = set()
    for item in Responsibility.objects.select_for_update().filter(
        activity__in=activities, organization=organization
    ):
        new_role = item.role if role is None else role
        new_agreement = item.by_agreement if by_agreement is None else by_agreement
        if not _changes(item, role=new_role, by_agreement=new_agreement):
            continue
        item.role, item.by_agreement = new_role, new_agreement
        item.version += 1
        save_with_history(item, actor=actor)
        changed_ids.add(item.activity_id)
    what = []
    if role is not None:
        what.append(f"роль — «{_role_label(role)}»")
    if by_agreement is not None:
        what.append("«по согласованию»" if by_agreement else "без отметки «по согласованию»")
    changed = [a for a in activities if a.pk in changed_ids]
    for roadmap_id, edition in editions.items():
        if numbers := _numbers(changed, roadmap_id):
            lifecycle.record_change(
                edition, actor=actor, subject=f"Ответственный: {organization}",
                description=f"Мероприятия {numbers}: {', '.join(what)}.",
            )  # fmt: skip
    return len(changed_ids)


# --- Many at once (imports) -----------------------------------------------------------------------------


def _checked(instance, *, exclude: list[str], label: str, errors: list[str]) -> None:
    """Field validation without a query per foreign key; the callers check the relations themselves."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.extend(f"{label}: {message}" for message in exc.messages)


@transaction.atomic
def activities_create(*, actor, roadmap: Roadmap, activities: list[dict]) -> list[Activity]:
    """Many at once: each activity as `activity_create` makes it — validated, its number unique in the
    roadmap, its deadline parsed into checkpoints, history naming the actor, listed on the edition — but
    inserted in batches, so a document of thousands of activities is saved in seconds. `activities` are
    the fields of each; nothing is written when any of them is invalid."""
    edition = lifecycle.structure_edition(roadmap)
    taken = set(roadmap.activities.values_list("number", flat=True))
    items: list[Activity] = []
    errors: list[str] = []
    for fields in activities:
        activity = Activity(roadmap=roadmap, **{**fields, "number": fields["number"].strip()})
        activity.sort_key = number_sort_key(activity.number)  # what Activity.save() does, bulk skips it
        label = f"Мероприятие {activity.number or '(без номера)'}"
        _checked(activity, exclude=["roadmap", "section"], label=label, errors=errors)
        if activity.number in taken:
            errors.append(f"{label}: номер уже есть в дорожной карте.")
        if activity.section is not None and activity.section.roadmap_id != roadmap.pk:
            errors.append(f"{label}: раздел из другой дорожной карты.")
        taken.add(activity.number)
        items.append(activity)
    if errors:
        raise ValidationError(errors)
    schedules = activities_schedule(items)
    created = bulk_create_with_history(items, Activity, default_user=actor, batch_size=1000)
    activities_create_checkpoints(activities=created, schedules=schedules)
    if created:
        lifecycle.record_change(
            edition, actor=actor, subject="Мероприятия",
            description=_sentence("Добавлены мероприятия " + ", ".join(a.number for a in created)),
        )  # fmt: skip
    return created


@transaction.atomic
def responsibilities_create(*, actor, responsibilities: list[Responsibility]) -> list[Responsibility]:
    """Many at once: organisations made responsible for new activities, as `responsibility_assign` does
    (one organisation once per activity, listed after those already responsible, history naming the actor,
    the roadmaps' participants and data versions kept in step, listed on each edition)."""
    activities = list({item.activity.pk: item.activity for item in responsibilities}.values())
    editions = _editions(activities)
    existing = set(
        Responsibility.objects.filter(activity__in=activities).values_list("activity_id", "organization_id")
    )
    last_position = _last_positions(activities)
    errors: list[str] = []
    for item in responsibilities:
        pair = (item.activity.pk, item.organization.pk)
        label = f"Мероприятие {item.activity.number}, {item.organization}"
        _checked(item, exclude=["activity", "organization"], label=label, errors=errors)
        if pair in existing:
            errors.append(f"{label}: организация уже ответственна за это мероприятие.")
        existing.add(pair)
        item.position = last_position[item.activity.pk] = last_position.get(item.activity.pk, -1) + 1
    if errors:
        raise ValidationError(errors)
    created = bulk_create_with_history(responsibilities, Responsibility, default_user=actor, batch_size=2000)
    roadmap_ids = list(editions)
    participants_rebuild(roadmap_ids)  # bulk_create sends no signals
    roadmaps_data_changed(roadmap_ids)
    by_organization: dict[Organization, list[Activity]] = {}
    for item in created:
        by_organization.setdefault(item.organization, []).append(item.activity)
    for organization, assigned in by_organization.items():
        for roadmap_id, edition in editions.items():
            if numbers := _numbers(assigned, roadmap_id):
                lifecycle.record_change(
                    edition, actor=actor, subject=f"Ответственный: {organization}",
                    description=_sentence(f"Назначен для мероприятий {numbers}"),
                )  # fmt: skip
    return created
