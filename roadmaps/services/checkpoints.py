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
from roadmaps.evidence_files import check_evidence_file
from roadmaps.models import Activity, Checkpoint, CheckpointTransition, Evidence, Indicator, IndicatorValue
from roadmaps.services import lifecycle
from roadmaps.services._common import save_with_history

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
    current = (
        Checkpoint.objects.select_for_update(of=("self",))
        .select_related("activity__roadmap__owner")
        .get(pk=checkpoint.pk)
    )
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
    _move(checkpoint, actor=actor, status=Status.REPORTED, at=checkpoint.reported_at)
    if url or file:
        evidence_add(actor=actor, checkpoint=checkpoint, url=url, file=file)
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
    *, actor, indicator: Indicator, year: int, organization: Organization, value: Decimal
) -> IndicatorValue:
    """Enter or correct an organisation's actual value for a year; history keeps every earlier value."""
    lifecycle.require_not_archived(indicator.roadmap)
    item = IndicatorValue.objects.filter(indicator=indicator, year=year, organization=organization).first()
    item = item or IndicatorValue(indicator=indicator, year=year, organization=organization)
    item.value = value
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
        status=Status.REPORTED, reported_by=actor, reported_at=now
    )
    Checkpoint.objects.bulk_update(moved, ["actual_date", "actual_text", "result"], batch_size=1000)
    Checkpoint.history.bulk_history_create(moved, default_user=actor)
    added = bulk_create_with_history(added, Checkpoint, default_user=actor, batch_size=1000)
    CheckpointTransition.objects.bulk_create(
        CheckpointTransition(checkpoint=c, status=c.status, at=now, actor=actor) for c in [*moved, *added]
    )
    roadmaps_data_changed(list(roadmaps))  # the bulk writes above send no signals
    return [*moved, *added]
