import datetime
import hashlib
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from reports.builders import REGISTRY, ReportBuilder, ReportScope
from reports.models import ReportRun
from reports.services import report_run_request
from reports.tasks import generate_report_run
from tests import factories

AS_OF = datetime.date(2025, 4, 1)


def _request(actor, roadmap, *, kind="fioko_form", fmt="xlsx", capture=None):
    return report_run_request(
        actor=actor, kind=kind, fmt=fmt, scope=ReportScope(roadmap_id=roadmap.pk), as_of=AS_OF
    )


def _leftovers(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.name.startswith(".")]


def test_requested_run_is_built_after_commit_and_published_with_checksum(
    filled, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = _request(filled.roadmap.owner.memberships.get(role="staff").user, filled.roadmap)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == ("done", 100, "")
    path = Path(run.file.path)
    assert path.is_relative_to(media_root)
    assert run.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.download_name == (
        "Отчёт по форме федерального координатора на 01.04.2025"
        " — Дорожная карта развития дополнительного образования на 2024–2026 годы.xlsx"
    )
    assert openpyxl.load_workbook(path).active.max_row == 2 + 4
    assert run.parameters["roadmap_ids"] == [filled.roadmap.pk]
    assert not _leftovers(media_root)


def test_same_parameters_over_unchanged_data_reuse_the_earlier_file(
    filled, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(world.analyst, filled.roadmap)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _request(world.staff, filled.roadmap)
    first.refresh_from_db()
    assert second.status == "done" and second.reused_from_id == first.pk
    assert second.file.name == first.file.name and not callbacks

    factories.ResponsibilityFactory(activity=filled.activities[-1], organization=world.school)
    with django_capture_on_commit_callbacks(execute=True):
        third = _request(world.analyst, filled.roadmap)
    third.refresh_from_db()
    assert third.reused_from_id is None and third.file.name != first.file.name


def test_an_edited_checkpoint_changes_the_fingerprint(filled, world):
    first = _request(world.analyst, filled.roadmap)
    filled.overdue.result = "Исправлено"
    filled.overdue.save()  # simple_history records it
    second = _request(world.analyst, filled.roadmap)
    assert first.data_fingerprint != second.data_fingerprint


@pytest.mark.parametrize("edit", ["organization", "responsibility", "evidence"])
def test_renamed_organisation_or_edited_responsibility_or_evidence_changes_the_fingerprint(
    filled, world, edit
):
    first = _request(world.analyst, filled.roadmap)
    responsibility = filled.roadmap.activities.first().responsibilities.first()
    if edit == "organization":
        responsibility.organization.short_name = "Новое краткое имя"
        responsibility.organization.save()
    elif edit == "responsibility":
        responsibility.by_agreement = not responsibility.by_agreement
        responsibility.save()
    else:
        factories.EvidenceFactory(checkpoint=filled.overdue, url="https://example.org/new")
    second = _request(world.analyst, filled.roadmap)

    assert first.data_fingerprint != second.data_fingerprint


class _Exploding(ReportBuilder):
    code = "test_exploding"
    title = "Ломается посередине"
    formats = ("xlsx",)
    error: type[Exception] = ValueError

    def build(self, request, path):
        path.write_bytes(b"half a report")
        raise self.error("сбой посередине")


@pytest.fixture
def exploding():
    builder = _Exploding()
    REGISTRY[builder.code] = builder
    yield builder
    del REGISTRY[builder.code]


def test_builder_failing_midway_fails_the_run_and_leaves_no_file(
    world, exploding, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = _request(world.analyst, world.roadmap, kind=exploding.code)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("Не удалось сформировать отчёт (внутренняя ошибка)")
    assert "сбой посередине" in run.error
    assert not run.file
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_transient_error_is_retried_with_backoff_then_fails_the_run_without_leftovers(
    world, exploding, media_root, monkeypatch
):
    exploding.error = OperationalError
    run = _request(world.analyst, world.roadmap, kind=exploding.code)
    # Eager retries re-apply inline (no countdown) only when eager errors do not propagate.
    monkeypatch.setitem(generate_report_run.app.conf, "task_eager_propagates", False)
    result = generate_report_run.apply(args=[run.pk])
    assert result.state == "FAILURE"
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.attempts == 4  # the first try and three retries
    assert "временный сбой" in run.error
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_transient_error_in_the_web_process_fails_the_run_instead_of_the_page(
    world, exploding, django_capture_on_commit_callbacks
):
    exploding.error = OSError
    with django_capture_on_commit_callbacks(execute=True):
        run = _request(world.analyst, world.roadmap, kind=exploding.code)
    run.refresh_from_db()
    assert run.status == "failed" and "временный сбой" in run.error


def test_run_left_running_by_a_killed_worker_is_rebuilt_when_the_message_is_redelivered(world, media_root):
    run = _request(world.analyst, world.roadmap)
    ReportRun.objects.filter(pk=run.pk).update(status="running", attempts=1, started_at=timezone.now())
    final = Path(media_root) / f"reports/{run.created_at:%Y/%m}/{run.pk}-fioko_form.xlsx"
    final.parent.mkdir(parents=True)
    (final.parent / f".{final.name}.abc123.tmp").write_bytes(b"half")  # what the killed worker left

    assert generate_report_run.apply(args=[run.pk]).get() == "done"
    run.refresh_from_db()
    assert run.attempts == 2 and final.is_file()
    assert not _leftovers(Path(media_root))


def test_coordinator_cannot_request_a_report(world):
    with pytest.raises(PermissionDenied):
        _request(world.coordinator, world.roadmap)


def test_outsider_cannot_request_a_report_on_another_regions_roadmap(world):
    with pytest.raises(PermissionDenied):
        _request(world.outsider, world.roadmap)


def test_build_report_command_writes_the_file(filled, tmp_path, capsys):
    out = tmp_path / "form.zip"
    call_command(
        "build_report",
        "fioko_package",
        "--roadmap",
        str(filled.roadmap.pk),
        "--as-of",
        "01.04.2025",
        "--format",
        "zip",
        "--out",
        str(out),
        "--outgoing-number",
        "57-3495",
    )
    assert out.read_bytes().startswith(b"PK")
    assert "sha256" in capsys.readouterr().out
    run = ReportRun.objects.get()
    assert run.requested_by is None and run.parameters["options"] == {"outgoing_number": "57-3495"}
