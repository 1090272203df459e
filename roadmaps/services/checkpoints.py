import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from roadmaps import outcomes
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.deadlines import format_date
from roadmaps.evidence_files import check_evidence_file
from roadmaps.models import Activity, Checkpoint, CheckpointTransition, Evidence, Indicator, IndicatorValue
from roadmaps.services import lifecycle, notices
from roadmaps.services._common import save_with_history
from roadmaps.services.schedules import mismatch_target, renumber_checkpoints, shown_date

Status = Checkpoint.Status
_SET_BY_A_MOVE = ("activity", "reported_by", "verified_by")


def _move(checkpoint: Checkpoint, *, actor, status: str, at: datetime.datetime, note: str = "") -> None:
    """Save the checkpoint in its new status and append the transition reports as of a date read."""
    checkpoint.status = status
    # A move sets only the status, dates, texts and people of the step; the schedule the constraints guard
    # was validated when it was planned. Checking it again cost eleven of a report's 27 queries.
    save_with_history(checkpoint, actor=actor, trusted=_SET_BY_A_MOVE)
    CheckpointTransition.objects.create(checkpoint=checkpoint, status=status, at=at, actor=actor, note=note)


def _locked(
    checkpoint: Checkpoint, allowed: tuple[str, ...], action: str, *, check=lifecycle.require_decidable
) -> Checkpoint:
    """The checkpoint re-read under its row lock, in a status that allows `action`.

    Of two simultaneous transitions the second waits for the first to commit, then sees its status and
    is refused with a message, so exactly one of them happens.
    """
    try:
        current = (
            Checkpoint.objects.select_for_update(of=("self",))
            .select_related("activity__roadmap__owner")
            .get(pk=checkpoint.pk)
        )
    except Checkpoint.DoesNotExist:  # removed by hand while this person had it open
        raise ValidationError(
            f"Нельзя {action}: контрольной точки больше нет — её только что удалили. Обновите страницу."
        ) from None
    if current.status not in allowed:
        raise ValidationError(
            f"Нельзя {action}: контрольная точка уже в статусе «{current.get_status_display()}»"
            " — возможно, её только что изменил другой пользователь. Обновите страницу."
        )
    check(current)
    return current


@transaction.atomic
def checkpoint_report(
    *,
    actor,
    checkpoint: Checkpoint,
    actual_date: datetime.date,
    result: str,
    url: str = "",
    file: UploadedFile | None = None,
) -> Checkpoint:
    """A coordinator reports a checkpoint as done: actual date, short result and optional evidence."""
    if actual_date > timezone.localdate():
        raise ValidationError({"actual_date": "Фактическая дата не может быть в будущем."})
    if not result.strip():
        raise ValidationError({"result": "Кратко опишите результат."})
    checkpoint = _locked(checkpoint, outcomes.OPEN, "отчитаться", check=lifecycle.require_reportable)
    checkpoint.actual_date = actual_date
    checkpoint.actual_text = actual_date.strftime("%d.%m.%Y")
    checkpoint.result = result.strip()
    checkpoint.reported_by = actor
    checkpoint.reported_at = timezone.now()
    # The transition keeps this report's text: a re-report after a return must not erase the first one.
    _move(checkpoint, actor=actor, status=Status.REPORTED, at=checkpoint.reported_at, note=checkpoint.result)
    if url or file:
        evidence_add(actor=actor, checkpoint=checkpoint, url=url, file=file)
    notices.report_waiting(checkpoint=checkpoint, actor=actor)
    return checkpoint


@transaction.atomic
def checkpoint_accept(*, actor, checkpoint: Checkpoint) -> Checkpoint:
    """Staff accept what the coordinator reported."""
    checkpoint = _locked(checkpoint, (Status.REPORTED,), "принять отчёт")
    checkpoint.verified_by = actor
    checkpoint.verified_at = timezone.now()
    checkpoint.return_reason = ""
    _move(checkpoint, actor=actor, status=Status.DONE, at=checkpoint.verified_at)
    return checkpoint


@transaction.atomic
def checkpoint_return(*, actor, checkpoint: Checkpoint, reason: str) -> Checkpoint:
    """Staff send a report back with a reason the coordinator will see."""
    if not reason.strip():
        raise ValidationError({"return_reason": "Укажите причину возврата."})
    checkpoint = _locked(checkpoint, (Status.REPORTED,), "вернуть отчёт")
    checkpoint.return_reason = reason.strip()
    checkpoint.verified_by = actor
    checkpoint.verified_at = timezone.now()
    _move(
        checkpoint,
        actor=actor,
        status=Status.RETURNED,
        at=checkpoint.verified_at,
        note=checkpoint.return_reason,
    )
    # The files of a returned report stay visible to the coordinator but never reach a federal reviewer.
    for evidence in checkpoint.evidence.filter(returned_at__isnull=True):
        evidence.returned_at = checkpoint.verified_at
        save_with_history(evidence, actor=actor)
    notices.report_returned(checkpoint=checkpoint, actor=actor)
    return checkpoint


@transaction.atomic
def checkpoint_cancel(*, actor, checkpoint: Checkpoint, reason: str) -> Checkpoint:
    """Staff cancel a checkpoint nobody has to report on any more (an accepted one stays as it is)."""
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Укажите причину отмены."})
    checkpoint = _locked(checkpoint, (*outcomes.OPEN, Status.REPORTED), "отменить контрольную точку")
    checkpoint.cancel_reason = reason.strip()
    _move(checkpoint, actor=actor, status=Status.CANCELLED, at=timezone.now(), note=checkpoint.cancel_reason)
    return checkpoint


@transaction.atomic
def checkpoint_restore(*, actor, checkpoint: Checkpoint, reason: str) -> Checkpoint:
    """Undo a cancellation: the checkpoint returns to the status it had before it."""
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Укажите, почему контрольная точка восстановлена."})
    checkpoint = _locked(checkpoint, (Status.CANCELLED,), "восстановить контрольную точку")
    before = (
        checkpoint.transitions.exclude(status=Status.CANCELLED)
        .order_by("-at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    checkpoint.cancel_reason = ""
    _move(checkpoint, actor=actor, status=before or Status.PLANNED, at=timezone.now(), note=reason.strip())
    return checkpoint


@transaction.atomic
def evidence_add(
    *, actor, checkpoint: Checkpoint, url: str = "", file: UploadedFile | None = None
) -> Evidence:
    evidence = Evidence(checkpoint=checkpoint, url=url.strip(), uploaded_by=actor)
    if file is not None:
        evidence.content_type = check_evidence_file(file)
        evidence.original_name = file.name[:255]
        evidence.size = file.size
        evidence.file.save(file.name, file, save=False)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def indicator_value_set(
    *,
    actor,
    indicator: Indicator,
    year: int,
    organization: Organization,
    value: Decimal,
    weight: Decimal | None = None,
) -> IndicatorValue:
    """Enter or correct an organisation's actual value for a year; history keeps every earlier value.

    An indicator averaged with weights needs the value's base (`weight`: pupils, teachers…); otherwise
    a weight given is kept with the value and none given leaves the stored one as it was."""
    lifecycle.require_not_archived(indicator.roadmap)
    if indicator.needs_weight and weight is None:
        raise ValidationError(
            {"weight": "Укажите численность — по ней доли организаций взвешиваются при сведении."}
        )
    if not organization.is_active:
        raise ValidationError("Организация отключена: значения за неё не вносятся.")
    item = IndicatorValue.objects.filter(indicator=indicator, year=year, organization=organization).first()
    item = item or IndicatorValue(indicator=indicator, year=year, organization=organization)
    item.value = value
    if weight is not None:
        item.weight = weight
    item.reported_by = actor
    save_with_history(item, actor=actor)
    return item


@dataclass(frozen=True)
class DocumentReport:
    """What an imported document already says was done for one of its activities."""

    activity: Activity
    actual_date: datetime.date | None
    actual_text: str
    result: str


@transaction.atomic
def checkpoints_report_from_document(*, actor, reports: list[DocumentReport]) -> list[Checkpoint]:
    """Many at once: facts an imported document brings, each put «на проверке» like `checkpoint_report`
    (history naming the actor, a transition reports read) for staff to accept or return — on a draft too,
    since staff may verify a draft's facts (`lifecycle.require_decidable`).

    The checkpoint reported is the activity's last one due on or before the actual date (its last one when
    the date is unknown or before them all); an activity with no checkpoints gains one «по отчёту»."""
    if not reports:
        return []
    roadmaps = {report.activity.roadmap_id: report.activity.roadmap for report in reports}
    for roadmap in roadmaps.values():
        lifecycle.require_not_archived(roadmap)
    existing: dict[int, list[Checkpoint]] = {}
    for checkpoint in Checkpoint.objects.filter(activity__in=[r.activity for r in reports]).order_by(
        "activity_id", "sequence", "pk"
    ):
        existing.setdefault(checkpoint.activity_id, []).append(checkpoint)
    now = timezone.now()
    moved, added = [], []
    for report in reports:
        rows = existing.get(report.activity.pk, [])
        day = report.actual_date
        due = [c for c in rows if day and c.planned_due and c.planned_due <= day]
        if rows:
            target = (due or rows)[-1]
            moved.append(target)
        else:
            target = Checkpoint(activity=report.activity, sequence=1, period_label="по отчёту")
            added.append(target)
        target.status = Status.REPORTED
        target.actual_date = report.actual_date
        target.actual_text = report.actual_text[:255]
        target.result = report.result
        target.reported_by = actor
        target.reported_at = now
    # What every report shares in one UPDATE; bulk_update (a CASE per field and row) only for the rest.
    Checkpoint.objects.filter(pk__in=[c.pk for c in moved]).update(
        status=Status.REPORTED, reported_by=actor, reported_at=now, updated_at=now
    )
    Checkpoint.objects.bulk_update(moved, ["actual_date", "actual_text", "result"], batch_size=1000)
    Checkpoint.history.bulk_history_create(moved, default_user=actor)
    added = bulk_create_with_history(added, Checkpoint, default_user=actor, batch_size=1000)
    CheckpointTransition.objects.bulk_create(
        CheckpointTransition(checkpoint=c, status=c.status, at=now, actor=actor, note=c.result)
        for c in [*moved, *added]
    )
    roadmaps_data_changed(list(roadmaps))  # the bulk writes above send no signals
    return [*moved, *added]


# --- Checkpoints a person sets by hand ---------------------------------------------------------------
# Only a planned checkpoint nobody has reported on is moved or removed; whatever was reported stays.


def _require_schedulable(checkpoint: Checkpoint) -> None:
    lifecycle.structure_edition(checkpoint.activity.roadmap)
    lifecycle.require_open_period(checkpoint)
    if checkpoint.reported_at is not None or checkpoint.evidence.exists():
        raise ValidationError(
            "По контрольной точке уже отчитывались: её нельзя перенести или удалить, только отменить."
        )


def _check_due(activity: Activity, due: datetime.date) -> None:
    first, last = activity.roadmap.period
    if not first <= due.year <= last:
        period = activity.roadmap.period_display
        raise ValidationError({"due": f"Срок {format_date(due)} вне периода дорожной карты ({period})."})
    if label := lifecycle.closed_days(activity.roadmap).closing(None, due):
        raise ValidationError({"due": f"Отчётный период «{label}» закрыт: срок {format_date(due)} в нём."})


def _mark_by_hand(activity: Activity, *, actor) -> None:
    """Remember that a person shaped the schedule: a later edit of the wording asks before regenerating.
    An activity marked as not scheduled is scheduled again."""
    if not activity.schedule_by_hand or activity.unscheduled_reason:
        activity.schedule_by_hand, activity.unscheduled_reason = True, ""
        save_with_history(
            activity,
            actor=actor,
            update_fields=["schedule_by_hand", "unscheduled_reason"],
            reason="сроки вручную",
        )


def _period_label(label: str, due: datetime.date) -> str:
    return (label.strip() or format_date(due))[:100]


@transaction.atomic
def activity_mark_unscheduled(*, actor, activity: Activity, reason: str) -> Activity:
    """Staff decide an activity needs no checkpoint (a deadline «по запросу» that never came): it leaves
    «Требует проверки», with the reason kept. Only an activity without checkpoints is marked."""
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, почему срок не планируется."})
    activity = _activity_locked(activity)
    edition = lifecycle.structure_edition(activity.roadmap)
    if activity.checkpoints.exists():
        raise ValidationError("У мероприятия есть контрольные точки: срок уже планируется.")
    activity.unscheduled_reason = reason.strip()[:500]
    save_with_history(
        activity, actor=actor, update_fields=["unscheduled_reason"], reason="срок не планируется"
    )
    lifecycle.record_change(
        edition, actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Срок не планируется: {activity.unscheduled_reason}",
    )  # fmt: skip
    return activity


@transaction.atomic
def activity_unmark_unscheduled(*, actor, activity: Activity) -> Activity:
    """Undo `activity_mark_unscheduled`: without checkpoints the activity is back in «Требует проверки»."""
    activity = _activity_locked(activity)
    edition = lifecycle.structure_edition(activity.roadmap)
    if activity.unscheduled_reason:
        activity.unscheduled_reason = ""
        save_with_history(
            activity, actor=actor, update_fields=["unscheduled_reason"], reason="срок планируется"
        )
        lifecycle.record_change(
            edition,
            actor=actor,
            subject=f"Мероприятие {activity.number}",
            description="Срок снова планируется.",
        )
    return activity


def _activity_locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",)).select_related("roadmap__owner").get(pk=activity.pk)
    )


@transaction.atomic
def checkpoint_add_by_hand(*, actor, activity: Activity, due: datetime.date, label: str = "") -> Checkpoint:
    """Add a planned checkpoint with the date a person set, for any wording (one «по событию» included)."""
    activity = _activity_locked(activity)
    edition = lifecycle.structure_edition(activity.roadmap)
    _check_due(activity, due)
    label = _period_label(label, due)
    if activity.checkpoints.filter(planned_due=due, period_label=label).exists():
        raise ValidationError({"due": f"Контрольная точка «{label}» со сроком {format_date(due)} уже есть."})
    checkpoint = Checkpoint(activity=activity, planned_due=due, period_label=label)
    save_with_history(checkpoint, actor=actor, reason="добавлена вручную")
    _mark_by_hand(activity, actor=actor)
    renumber_checkpoints(activity)
    lifecycle.record_change(
        edition, actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Контрольная точка добавлена вручную: «{label}», срок {format_date(due)}.",
    )  # fmt: skip
    return checkpoint


@transaction.atomic
def checkpoint_move_by_hand(
    *, actor, checkpoint: Checkpoint, due: datetime.date, label: str = ""
) -> Checkpoint:
    """Give a planned checkpoint another date and period label (its start is kept while it is not later)."""
    activity = _activity_locked(checkpoint.activity)  # first, as adding and regenerating lock them
    checkpoint = _locked(
        checkpoint, (Status.PLANNED,), "перенести контрольную точку", check=_require_schedulable
    )
    _check_due(activity, due)
    before = f"«{checkpoint.period_label}», срок {shown_date(checkpoint.planned_due)}"
    checkpoint.planned_due = due
    checkpoint.period_label = _period_label(label, due)
    if checkpoint.planned_start and checkpoint.planned_start > due:
        checkpoint.planned_start = None
    checkpoint.schedule_mismatch = ""
    save_with_history(checkpoint, actor=actor, reason="перенесена вручную")
    _mark_by_hand(activity, actor=actor)
    renumber_checkpoints(activity)
    after = f"«{checkpoint.period_label}», срок {format_date(due)}"
    lifecycle.record_change(
        lifecycle.structure_edition(activity.roadmap), actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Контрольная точка перенесена вручную: {before} → {after}.",
    )  # fmt: skip
    notices.deadline_changed(activity=activity, changes=[f"{before} → {after}"], actor=actor)
    return checkpoint


@transaction.atomic
def checkpoint_remove_by_hand(*, actor, checkpoint: Checkpoint) -> None:
    """Remove a planned checkpoint nobody has reported on."""
    activity = _activity_locked(checkpoint.activity)  # first, as adding and regenerating lock them
    checkpoint = _locked(
        checkpoint, (Status.PLANNED,), "удалить контрольную точку", check=_require_schedulable
    )
    what = f"«{checkpoint.period_label}», срок {shown_date(checkpoint.planned_due)}"
    checkpoint._history_user = actor
    checkpoint.delete()
    _mark_by_hand(activity, actor=actor)
    renumber_checkpoints(activity)
    lifecycle.record_change(
        lifecycle.structure_edition(activity.roadmap), actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Контрольная точка удалена вручную: {what}.",
    )  # fmt: skip


# --- «Расхождения»: a checkpoint someone acted on whose period the new deadline no longer has ----------


def _mismatched(
    checkpoint: Checkpoint, action: str, allowed: tuple[str, ...] = tuple(Status.values)
) -> Checkpoint:
    current = _locked(checkpoint, allowed, action)
    if not current.schedule_mismatch:
        raise ValidationError("Расхождения со сроком у контрольной точки уже нет: обновите страницу.")
    return current


@transaction.atomic
def checkpoint_mismatch_keep(*, actor, checkpoint: Checkpoint) -> Checkpoint:
    """Staff decide the checkpoint stays as it is, with its dates and whatever was reported."""
    checkpoint = _mismatched(checkpoint, "оставить контрольную точку как есть")
    checkpoint.schedule_mismatch = ""
    save_with_history(
        checkpoint, actor=actor, update_fields=["schedule_mismatch"], reason="расхождение: как есть"
    )
    return checkpoint


@transaction.atomic
def checkpoint_mismatch_move(*, actor, checkpoint: Checkpoint) -> Checkpoint:
    """The checkpoint, with what was reported on it, takes the dates of the period the new deadline brought
    in its place (`mismatch_target`); that planned checkpoint, which nobody reported on, goes."""
    checkpoint = _mismatched(checkpoint, "перенести контрольную точку на новый срок")
    activity = checkpoint.activity
    edition = lifecycle.structure_edition(activity.roadmap)
    siblings = list(
        Checkpoint.objects.select_for_update().filter(activity=activity).exclude(pk=checkpoint.pk)
    )
    target = mismatch_target(checkpoint, siblings)
    if target is None:
        raise ValidationError(
            "В новом сроке нет свободного периода для этой контрольной точки: "
            "оставьте её как есть или отмените."
        )
    before = f"«{checkpoint.period_label}», срок {shown_date(checkpoint.planned_due)}"
    checkpoint.planned_start, checkpoint.planned_due = target.planned_start, target.planned_due
    checkpoint.period_label, checkpoint.schedule_mismatch = target.period_label, ""
    lifecycle.require_open_period(checkpoint, roadmap=activity.roadmap)
    target._history_user = actor
    target.delete()
    save_with_history(checkpoint, actor=actor, reason="расхождение: перенесена на новый срок")
    renumber_checkpoints(activity)
    after = f"«{checkpoint.period_label}», срок {shown_date(checkpoint.planned_due)}"
    lifecycle.record_change(
        edition, actor=actor, subject=f"Мероприятие {activity.number}",
        description=f"Контрольная точка {before} перенесена на новый срок: {after}.",
    )  # fmt: skip
    notices.deadline_changed(activity=activity, changes=[f"{before} → {after}"], actor=actor)
    return checkpoint


@transaction.atomic
def checkpoint_mismatch_cancel(*, actor, checkpoint: Checkpoint, reason: str) -> Checkpoint:
    """Staff cancel a mismatched checkpoint with a reason (an accepted one is only kept or moved)."""
    _mismatched(checkpoint, "отменить контрольную точку", (*outcomes.OPEN, Status.REPORTED))
    checkpoint = checkpoint_cancel(actor=actor, checkpoint=checkpoint, reason=reason)
    checkpoint.schedule_mismatch = ""
    save_with_history(
        checkpoint, actor=actor, update_fields=["schedule_mismatch"], reason="расхождение: отменена"
    )
    return checkpoint
