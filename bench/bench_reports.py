"""Report benchmarks: the FIOKO form against its floor and django-import-export, and the monitoring report.

Run from the project root: `python bench/bench_reports.py`. Uses PostgreSQL when DATABASE_URL is set (its
own rows are removed afterwards), otherwise a throwaway SQLite file under bench/out/.
"""

from __future__ import annotations

import datetime
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from copy import copy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
if not os.environ.get("DATABASE_URL"):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_reports.sqlite3").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'bench_reports.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from organizations.models import Organization, Region  # noqa: E402
from reports.builders import BuildRequest, ReportScope, get_builder  # noqa: E402
from reports.builders._xlsx import BODY_FONT, BORDER, WRAP  # noqa: E402
from reports.builders.monitoring_data import monitoring_data  # noqa: E402
from roadmaps.models import (  # noqa: E402
    Activity,
    Checkpoint,
    CheckpointTransition,
    LegalAct,
    Responsibility,
    Roadmap,
)
from roadmaps.numbering import number_sort_key  # noqa: E402
from roadmaps.resources import ActivityResource  # noqa: E402

BIG, SMALL, CHECKPOINTS_PER_ACTIVITY = 10_000, 2_500, 10
AS_OF = datetime.date(2025, 7, 1)
TAG = "bench-reports"


def _roadmap(owner: Organization, act: LegalAct, count: int, schools: list[Organization]) -> Roadmap:
    roadmap = Roadmap.objects.create(
        owner=owner,
        title=f"{TAG} {count}",
        year_start=2025,
        year_end=2025,
        status="approved",
        approved_by_act=act,
    )
    activities = [
        Activity(
            roadmap=roadmap,
            number=f"{n // 100 + 1}.{n % 100 + 1}.",
            sort_key=number_sort_key(f"{n // 100 + 1}.{n % 100 + 1}."),
            title=f"Организация и проведение мероприятия № {n} для кураторов и руководителей школ проекта",
            goal_and_tasks="Методическое, организационное сопровождение участников проекта",
            place_and_format="Совещание, ВКС",
            planned_result="Участие региональных координаторов",
            target_audience="Участники проекта 500+",
            deadline_text="Ежемесячно",
            links="https://example.org/news",
        )
        for n in range(count)
    ]
    Activity.objects.bulk_create(activities, batch_size=2000)
    ids = list(Activity.objects.filter(roadmap=roadmap).values_list("pk", flat=True))
    Responsibility.objects.bulk_create(
        [Responsibility(activity_id=pk, organization=schools[pk % len(schools)]) for pk in ids],
        batch_size=5000,
    )
    checkpoints = []
    for pk in ids:
        for month in range(1, CHECKPOINTS_PER_ACTIVITY + 1):
            due = datetime.date(2025, month, 28)
            done = month < 6 and (pk + month) % 4 != 0
            actual = due + datetime.timedelta(days=(pk % 7) - 3) if done else None
            checkpoints.append(
                Checkpoint(
                    activity_id=pk,
                    sequence=month,
                    planned_due=due,
                    period_label=f"{month:02d}.2025",
                    status="done" if done else "planned",
                    actual_date=actual,
                    actual_text=actual.strftime("%d.%m.%Y") if done else "",
                    result="Проведено" if done else "",
                    # Reported the day after, accepted two days after: as the services would stamp them.
                    reported_at=_noon(actual + datetime.timedelta(days=1)) if done else None,
                    verified_at=_noon(actual + datetime.timedelta(days=2)) if done else None,
                )
            )
        if len(checkpoints) >= 20_000:
            _save_checkpoints(checkpoints)
            checkpoints = []
    _save_checkpoints(checkpoints)
    return roadmap


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _save_checkpoints(checkpoints: list[Checkpoint]) -> None:
    Checkpoint.objects.bulk_create(checkpoints, batch_size=5000)
    transitions = [
        CheckpointTransition(checkpoint=c, status=status, at=at)
        for c in checkpoints
        if c.reported_at
        for status, at in (("reported", c.reported_at), ("done", c.verified_at))
    ]
    CheckpointTransition.objects.bulk_create(transitions, batch_size=5000)


def _measure(func: Callable[[], object]) -> tuple[float, float]:
    """(seconds without tracing, peak MB traced in a second run)."""
    gc.collect()
    started = time.perf_counter()
    func()
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, peak


def _form(roadmap: Roadmap, path: Path) -> Callable[[], None]:
    request = BuildRequest(ReportScope(roadmap_id=roadmap.pk), [roadmap.pk], AS_OF, "xlsx")
    return lambda: get_builder("fioko_form").build(request, path)


FLOOR_FIELDS = (
    "title",
    "goal_and_tasks",
    "place_and_format",
    "deadline_text",
    "planned_result",
    "target_audience",
)


def _floor(roadmap: Roadmap, path: Path) -> Callable[[], None]:
    """The same 10,000 rows × 14 cells written bare: one query, plain values, no styles, no related rows."""
    padding = [""] * (14 - len(FLOOR_FIELDS))

    def run() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        rows = Activity.objects.filter(roadmap=roadmap).order_by("sort_key", "pk").values_list(*FLOOR_FIELDS)
        for row in rows.iterator(chunk_size=2000):
            ws.append([*row, *padding])
        wb.save(path)

    return run


def _styled_floor(roadmap: Roadmap, path: Path) -> Callable[[], None]:
    """The floor with the form's body style on every cell, through openpyxl's own cell API (for reference).

    One WriteOnlyCell per value with a copy of a styled template's style array, the cheapest way openpyxl's
    cell API offers (assigning font, border and alignment per cell is about twice as slow).
    """
    padding = [""] * (14 - len(FLOOR_FIELDS))

    def run() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        template = WriteOnlyCell(ws)
        template.font, template.border, template.alignment = BODY_FONT, BORDER, WRAP
        rows = Activity.objects.filter(roadmap=roadmap).order_by("sort_key", "pk").values_list(*FLOOR_FIELDS)
        for row in rows.iterator(chunk_size=2000):
            cells = []
            for value in (*row, *padding):
                cell = WriteOnlyCell(ws, value)
                cell._style = copy(template._style)
                cells.append(cell)
            ws.append(cells)
        wb.save(path)

    return run


def _import_export(roadmap: Roadmap, path: Path) -> Callable[[], None]:
    def run() -> None:
        queryset = Activity.objects.filter(roadmap=roadmap).select_related("roadmap", "section")
        path.write_bytes(ActivityResource().export(queryset).xlsx)

    return run


def _cleanup(roadmaps: list[Roadmap], orgs: list[Organization], act: LegalAct) -> None:
    ids = [r.pk for r in roadmaps]
    CheckpointTransition.objects.filter(checkpoint__activity__roadmap_id__in=ids)._raw_delete(
        connection.alias
    )
    Checkpoint.objects.filter(activity__roadmap_id__in=ids)._raw_delete(connection.alias)
    Responsibility.objects.filter(activity__roadmap_id__in=ids)._raw_delete(connection.alias)
    Activity.objects.filter(roadmap_id__in=ids)._raw_delete(connection.alias)
    Roadmap.objects.filter(pk__in=ids)._raw_delete(connection.alias)
    Roadmap.history.model.objects.filter(id__in=ids).delete()
    for org in orgs:  # schools before their parent (Organization.parent is PROTECT)
        org.delete()
    act.delete()


def main() -> int:
    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="999", defaults={"name": "Бенчмарк-область"})
    owner = Organization.objects.create(full_name=f"{TAG} департамент", short_name=f"{TAG} ДО", region=region)
    schools = [
        Organization.objects.create(full_name=f"{TAG} школа {n}", short_name=f"{TAG} СОШ {n}", parent=owner)
        for n in range(20)
    ]
    act = LegalAct.objects.create(kind="order", number=TAG, date=datetime.date(2025, 1, 1))
    started = time.perf_counter()
    big, small = _roadmap(owner, act, BIG, schools), _roadmap(owner, act, SMALL, schools)
    elapsed = time.perf_counter() - started
    total = BIG + SMALL
    print(
        f"reports: data {total} activities, {total * 10} checkpoints in {elapsed:.1f} s ({connection.vendor})"
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            form_s, form_mb = _measure(_form(big, out / "form.xlsx"))
            floor_s, floor_mb = _measure(_floor(big, out / "floor.xlsx"))
            styled_s, styled_mb = _measure(_styled_floor(big, out / "styled.xlsx"))
            _small_s, small_mb = _measure(_form(small, out / "small.xlsx"))
            ie_s, ie_mb = _measure(_import_export(big, out / "ie.xlsx"))
            print(
                f"reports: fioko form {BIG} activities {form_s:.2f} s, peak {form_mb:.1f} MB "
                f"(floor {floor_s:.2f} s, {floor_mb:.1f} MB; import-export {ie_s:.2f} s, {ie_mb:.1f} MB)"
            )
            print(f"reports: fioko form / floor {form_s / floor_s:.2f}x time (goal ≤ 1.5x)")
            print(
                f"reports: styled floor (same cells, form's body style, openpyxl cell API) {styled_s:.2f} s, "
                f"{styled_mb:.1f} MB: {styled_s / floor_s:.2f}x floor; fioko form / import-export "
                f"{form_s / ie_s:.2f}x time"
            )
            print(
                f"reports: fioko form peak memory {SMALL} rows {small_mb:.1f} MB, {BIG} rows {form_mb:.1f} MB"
            )
            big_ids = [big.pk]
            data_s, _ = _measure(lambda: monitoring_data(big_ids, AS_OF))
            request = BuildRequest(ReportScope(roadmap_id=big.pk), big_ids, AS_OF, "pdf")
            pdf_s, pdf_mb = _measure(lambda: get_builder("monitoring").build(request, out / "m.pdf"))
            request.format = "xlsx"
            xlsx_s, _ = _measure(lambda: get_builder("monitoring").build(request, out / "m.xlsx"))
            checkpoints = Checkpoint.objects.filter(activity__roadmap=big).count()
            print(
                f"reports: monitoring {checkpoints} checkpoints: aggregation {data_s:.2f} s, "
                f"pdf {pdf_s:.2f} s (peak {pdf_mb:.1f} MB), xlsx {xlsx_s:.2f} s (goal < 5 s)"
            )
    finally:
        _cleanup([big, small], [*schools, owner], act)
    return 0


if __name__ == "__main__":
    sys.exit(main())
