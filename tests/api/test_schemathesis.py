"""schemathesis against the live API: the schema read over real HTTP, requests generated from it for
every operation with a token of each persona; 0 server errors and 0 responses outside the schema.

Bounded (EXAMPLES per operation and persona) so the whole run stays well under three minutes.
"""

from __future__ import annotations

import datetime

import hypothesis
import schemathesis
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reports.models import ReportRun
from roadmaps.models import Evidence
from tests import factories
from tests.api.conftest import PERSONAS, token_for

EXAMPLES = 4
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def _data(world) -> None:
    """Rows for every endpoint to find: an indicator with a value, evidence, a finished report run."""
    activity = world.checkpoint.activity
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=activity)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.school)
    evidence = Evidence(checkpoint=world.checkpoint, original_name="акт.pdf", content_type="application/pdf")
    evidence.file.save("act.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    factories.SectionFactory(roadmap=world.roadmap)
    run = ReportRun(
        kind="monitoring", format="xlsx", roadmap=world.roadmap, as_of=datetime.date(2025, 4, 1),
        parameters={"roadmap_ids": [world.roadmap.pk]}, status=ReportRun.Status.DONE,
        requested_by=world.staff,
    )  # fmt: skip
    run.file.save("report.xlsx", ContentFile(b"PK test"), save=True)


def _run_operation(operation, *, base_url: str, headers: dict) -> list[str]:
    failures: list[str] = []

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
    )  # fmt: skip
    def check(case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    try:
        check()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # one operation's failure is reported with the others, not instead of them
        failures.append(f"{operation.label}: {exc!r}"[:3000])
    return failures


def test_live_api_conforms_to_its_schema_for_every_persona(live_server, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _data(world)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for role in PERSONAS:
        headers = {"Authorization": f"Bearer {token_for(getattr(world, role))}"}
        for operation in operations:
            failures += [
                f"{role} {f}" for f in _run_operation(operation, base_url=live_server.url, headers=headers)
            ]
    assert failures == [], "\n\n".join(failures)
