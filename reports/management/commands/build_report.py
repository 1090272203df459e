"""`python manage.py build_report KIND --roadmap ID [--as-of ДД.ММ.ГГГГ] --format xlsx --out PATH`."""

from __future__ import annotations

import datetime
import shutil

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reports.builders import REGISTRY, ReportScope
from reports.services import report_run_execute, report_run_request


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError as exc:
        raise CommandError(f"Дата «{text}» не в формате ДД.ММ.ГГГГ.") from exc


class Command(BaseCommand):
    help = "Сформировать отчёт синхронно (тем же сервисом, что и портал) и сохранить его в файл."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(REGISTRY))
        parser.add_argument("--roadmap", type=int)
        parser.add_argument("--project", type=int)
        parser.add_argument("--region", type=int)
        parser.add_argument("--as-of", dest="as_of", type=_date, default=None)
        parser.add_argument("--format", dest="fmt", required=True, choices=["xlsx", "pdf", "zip"])
        parser.add_argument("--out", required=True)
        parser.add_argument("--outgoing-number", default="")
        parser.add_argument("--outgoing-date", default="")

    def handle(
        self, *args, kind: str, roadmap, project, region, as_of, fmt: str, out: str, **options
    ) -> None:
        try:
            scope = ReportScope(roadmap_id=roadmap, project_id=project, region_id=region)
        except ValueError as exc:
            raise CommandError("Укажите --roadmap или --project вместе с --region.") from exc
        extra = {k: options[k] for k in ("outgoing_number", "outgoing_date") if options[k]}
        try:
            run = report_run_request(
                actor=None,
                kind=kind,
                fmt=fmt,
                scope=scope,
                as_of=as_of or timezone.localdate(),
                options=extra,
                enqueue=False,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not run.is_finished:
            run = report_run_execute(run_id=run.pk)
        if run.status != run.Status.DONE:
            raise CommandError(run.error or "Отчёт не сформирован.")
        with default_storage.open(run.file.name, "rb") as source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
        reused = " (данные не менялись, взят ранее сформированный файл)" if run.reused_from_id else ""
        self.stdout.write(f"{out}: {run.size} байт, sha256 {run.sha256}{reused}")
