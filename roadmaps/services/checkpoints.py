import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization
from roadmaps.evidence_files import check_evidence_file
from roadmaps.models import Checkpoint, Evidence, Indicator, IndicatorValue
from roadmaps.services._common import save_with_history

Status = Checkpoint.Status


def _require_status(checkpoint: Checkpoint, allowed: tuple[str, ...], action: str) -> None:
    if checkpoint.status not in allowed:
        raise ValidationError(
            f"Нельзя {action}: контрольная точка в статусе «{checkpoint.get_status_display()}»."
        )


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
    _require_status(checkpoint, (Status.PLANNED, Status.RETURNED), "отчитаться")
    if actual_date > timezone.localdate():
        raise ValidationError({"actual_date": "Фактическая дата не может быть в будущем."})
    if not result.strip():
        raise ValidationError({"result": "Кратко опишите результат."})
    checkpoint.status = Status.REPORTED
    checkpoint.actual_date = actual_date
    checkpoint.actual_text = actual_date.strftime("%d.%m.%Y")
    checkpoint.result = result.strip()
    checkpoint.reported_by = actor
    checkpoint.reported_at = timezone.now()
    save_with_history(checkpoint, actor=actor)
    if url or file:
        evidence_add(actor=actor, checkpoint=checkpoint, url=url, file=file)
    return checkpoint


@transaction.atomic
def checkpoint_accept(*, actor, checkpoint: Checkpoint) -> Checkpoint:
    """Staff accept what the coordinator reported."""
    _require_status(checkpoint, (Status.REPORTED,), "принять отчёт")
    checkpoint.status = Status.DONE
    checkpoint.verified_by = actor
    checkpoint.verified_at = timezone.now()
    checkpoint.return_reason = ""
    save_with_history(checkpoint, actor=actor)
    return checkpoint


@transaction.atomic
def checkpoint_return(*, actor, checkpoint: Checkpoint, reason: str) -> Checkpoint:
    """Staff send a report back with a reason the coordinator will see."""
    _require_status(checkpoint, (Status.REPORTED,), "вернуть отчёт")
    if not reason.strip():
        raise ValidationError({"return_reason": "Укажите причину возврата."})
    checkpoint.status = Status.RETURNED
    checkpoint.return_reason = reason.strip()
    checkpoint.verified_by = actor
    checkpoint.verified_at = timezone.now()
    save_with_history(checkpoint, actor=actor)
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
    item = IndicatorValue.objects.filter(indicator=indicator, year=year, organization=organization).first()
    item = item or IndicatorValue(indicator=indicator, year=year, organization=organization)
    item.value = value
    item.reported_by = actor
    save_with_history(item, actor=actor)
    return item
