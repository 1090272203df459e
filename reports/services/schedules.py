"""Report schedules: create and edit (staff), and the daily enqueueing of the runs that are due."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from reports.builders import get_builder
from reports.cadence import is_due, parse_day_month
from reports.models import ReportRun, ReportSchedule
from reports.services.runs import report_run_request, report_scope_of

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = (
    "roadmap_id",
    "project_id",
    "region_id",
    "kind",
    "format",
    "cadence",
    "day",
    "quarter_month",
    "dates",
    "recipients",
    "is_active",
)


def _validate(schedule: ReportSchedule) -> None:
    errors: dict[str, str] = {}
    try:
        builder = get_builder(schedule.kind)
    except KeyError:
        errors["kind"] = "Неизвестный вид отчёта."
    else:
        if schedule.format not in builder.formats:
            errors["format"] = builder.wrong_format_message()
    if schedule.cadence == ReportSchedule.Cadence.DATES:
        if not schedule.dates:
            errors["dates"] = "Укажите хотя бы одну дату (ДД.ММ)."
        for text in schedule.dates:
            try:
                parse_day_month(text)
            except ValueError as exc:
                errors["dates"] = str(exc)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_schedule_save(*, actor, schedule: ReportSchedule | None = None, **fields) -> ReportSchedule:
    """Create (schedule None) or change a schedule; its scope must be within the actor's staff scope."""
    schedule = schedule or ReportSchedule(created_by=actor)
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise ValueError(f"schedule field {name!r} is not editable here")
        setattr(schedule, name, value)
    schedule.full_clean()
    _validate(schedule)
    from reports.rules import may_edit_schedules, reporting_scope
    from roadmaps.models import Roadmap

    if not may_edit_schedules(actor):
        raise PermissionDenied("Расписания отчётов ведут сотрудники органов управления.")
    ids = report_scope_of(schedule).roadmap_ids()
    editable = Roadmap.objects.visible_in(reporting_scope(actor)).filter(pk__in=ids).count()
    if not ids or editable != len(ids):
        raise ValidationError("Выберите дорожную карту из вашей области доступа.")
    schedule.save()
    return schedule


def report_schedules_enqueue_due(*, today: datetime.date) -> list[ReportRun]:
    """Request a run for every active schedule due today that has not run today (safe to call twice)."""
    candidates = ReportSchedule.objects.filter(is_active=True).exclude(last_run_on=today)
    due = [
        s.pk
        for s in candidates.only("pk", "cadence", "day", "quarter_month", "dates")
        if is_due(cadence=s.cadence, day=s.day, quarter_month=s.quarter_month, dates=s.dates, today=today)
    ]
    runs: list[ReportRun] = []
    for pk in due:
        with transaction.atomic():
            schedule = (
                ReportSchedule.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=pk)
            )
            if schedule.last_run_on == today:
                continue  # another beat got here first
            schedule.last_run_on = today
            schedule.save(update_fields=["last_run_on"])
            try:
                runs.append(
                    report_run_request(
                        actor=schedule.created_by,
                        kind=schedule.kind,
                        fmt=schedule.format,
                        scope=report_scope_of(schedule),
                        as_of=today,
                        options=schedule.parameters,
                        schedule=schedule,
                    )
                )
            except (ValidationError, PermissionDenied) as exc:
                logger.warning("report schedule %s skipped: %s", pk, exc)
    return runs
