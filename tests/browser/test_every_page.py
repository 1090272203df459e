"""Every page each role can open, on a phone (375×800) and a laptop (1366×900): the page never scrolls
sideways, axe-core finds nothing serious or critical, the console stays free of errors, and a screenshot of
each page and width goes to test-artifacts/pages/.

Every URL name of every urls.py is either swept here (PAGES) or skipped with its reason (SKIPPED), so a new
page cannot escape the sweep: test_every_url_name_is_swept_or_skipped fails until it is listed.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, ConsoleMessage, Page, Route

from organizations.onboarding.services import onboarding_export, onboarding_upload_create
from reports.builders import ReportScope
from reports.services import report_run_request
from reports.services.schedules import report_schedule_save
from roadmaps import services
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.projects.conftest import projects  # noqa: F401
from tests.reports.conftest import filled  # noqa: F401
from tests.roadmaps.test_permissions_matrix import _objects_for

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = ((375, 800), (1366, 900))
# The rules of WCAG 2.1 A/AA and axe's best practices; only serious and critical findings fail the sweep.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")

STAFF, COORDINATOR, ANALYST = "staff", "coordinator", "analyst"
ANONYMOUS, SUPERUSER = "anonymous", "superuser"
ROLES = (STAFF, COORDINATOR, ANALYST, ANONYMOUS, SUPERUSER)
SIGNED_IN = (STAFF, COORDINATOR, ANALYST)

# (URL name, object key for its arguments or None, who opens it, query string).
PAGES: list[tuple[str, str | None, tuple[str, ...], str]] = [
    ("home", None, SIGNED_IN, ""),
    ("roadmaps:roadmap-list", None, SIGNED_IN, ""),
    ("roadmaps:roadmap-list", None, (STAFF,), "status=approved"),
    ("roadmaps:search", None, SIGNED_IN, "q=семинар"),
    ("roadmaps:roadmap-create", None, (STAFF,), ""),
    ("roadmaps:roadmap-detail", "roadmap", SIGNED_IN, ""),
    ("roadmaps:roadmap-detail", "draft", (STAFF,), ""),
    ("roadmaps:roadmap-update", "roadmap", (STAFF,), ""),
    ("roadmaps:roadmap-approve", "draft", (STAFF,), ""),
    ("roadmaps:revision-create", "locked_roadmap", (STAFF,), ""),
    ("roadmaps:revision-detail", "revision", (STAFF, ANALYST), ""),
    ("roadmaps:roadmap-copy", "roadmap", (STAFF,), ""),
    ("roadmaps:roadmap-renumber", "draft", (STAFF,), ""),
    ("roadmaps:roadmap-compare", "roadmap", (STAFF, ANALYST), ""),
    ("roadmaps:section-create", "roadmap", (STAFF,), ""),
    ("roadmaps:section-update", "section", (STAFF,), ""),
    ("roadmaps:activity-create", "roadmap", (STAFF,), ""),
    ("roadmaps:activity-detail", "activity", SIGNED_IN, ""),
    ("roadmaps:activity-update", "activity", (STAFF,), ""),
    ("roadmaps:activity-thread", "activity", (STAFF,), ""),
    ("roadmaps:responsibility-update", "responsibility", (STAFF,), ""),
    ("roadmaps:roadmap-dashboard", "roadmap", SIGNED_IN, ""),
    ("roadmaps:roadmap-timeline", "roadmap", SIGNED_IN, ""),
    ("roadmaps:indicator-list", "roadmap", SIGNED_IN, ""),
    ("roadmaps:indicator-create", "roadmap", (STAFF,), ""),
    ("roadmaps:indicator-update", "indicator", (STAFF,), ""),
    ("roadmaps:indicator-breakdown", "indicator", (STAFF, ANALYST), ""),
    ("roadmaps:period-list", "roadmap", (STAFF,), ""),
    ("roadmaps:period-close", "roadmap", (STAFF,), ""),
    ("roadmaps:period-scope-list", None, (STAFF,), ""),
    ("roadmaps:period-scope-close", None, (STAFF,), ""),
    ("roadmaps:period-detail", "period", (STAFF,), ""),
    ("roadmaps:period-reopen", "period", (STAFF,), ""),
    ("roadmaps:my-checkpoints", None, (COORDINATOR,), ""),
    ("roadmaps:my-checkpoints", None, (COORDINATOR,), "group=overdue"),
    ("roadmaps:checkpoint-report", "checkpoint", (COORDINATOR,), ""),
    ("roadmaps:checkpoint-thread", "reported", SIGNED_IN, ""),
    ("roadmaps:evidence-download", "link_evidence", (STAFF, COORDINATOR), ""),
    ("roadmaps:verification-queue", None, (STAFF,), ""),
    ("roadmaps:review-list", None, (STAFF,), ""),
    ("roadmaps:dashboard", None, SIGNED_IN, ""),
    ("roadmaps:import-upload", None, (STAFF,), ""),
    ("roadmaps:import-status", "upload", (STAFF,), ""),
    ("roadmaps:import-preview", "parsed_upload", (STAFF,), ""),
    ("roadmaps:roadmap-update-upload", "roadmap", (STAFF,), ""),
    ("roadmaps:roadmap-update-preview", "update_upload", (STAFF,), ""),
    ("organizations:organization-list", None, SIGNED_IN, ""),
    ("organizations:organization-detail", "authority", (STAFF, ANALYST), ""),
    ("organizations:organization-detail", "school", (COORDINATOR,), ""),
    ("organizations:organization-create", "authority", (STAFF,), ""),
    ("organizations:organization-update", "school", (STAFF,), ""),
    ("organizations:organization-move", "school", (STAFF,), ""),
    ("organizations:onboarding-upload", None, (STAFF,), ""),
    ("organizations:onboarding-preview", "onboarding", (STAFF,), ""),
    ("organizations:people-my-memberships", None, SIGNED_IN, ""),
    ("organizations:people-list", "school", (STAFF,), ""),
    ("organizations:people-set-password", "invitation", (ANONYMOUS,), ""),
    ("organizations:notification-inbox", None, SIGNED_IN, ""),
    ("organizations:notification-preferences", None, SIGNED_IN, ""),
    ("projects:project-list", None, (STAFF, ANALYST), ""),
    ("projects:project-create", None, (STAFF,), ""),
    ("projects:project-detail", "project", (STAFF, ANALYST), ""),
    ("projects:project-update", "project", (STAFF,), ""),
    ("projects:participant-list", "project", (STAFF, ANALYST), ""),
    ("projects:participant-add", "project", (STAFF,), ""),
    ("projects:participant-update", "participant", (STAFF,), ""),
    ("archives:archive-list", None, (STAFF,), ""),
    ("api_tokens:token-list", None, SIGNED_IN, ""),
    ("help", None, (ANONYMOUS, COORDINATOR), ""),
    ("help-page", "help_staff", (STAFF,), ""),
    ("help-page", "help_coordinator", (COORDINATOR,), ""),
    ("help-page", "help_analyst", (ANALYST,), ""),
    ("reports:index", None, (STAFF, ANALYST, COORDINATOR), ""),
    ("reports:run-detail", "run", (ANALYST, STAFF), ""),
    ("reports:schedule-list", None, (STAFF,), ""),
    ("reports:schedule-create", None, (STAFF,), ""),
    ("reports:schedule-update", "schedule", (STAFF,), ""),
    ("password_change", None, SIGNED_IN, ""),
    ("password_change_done", None, (STAFF,), ""),
    ("login", None, (ANONYMOUS,), ""),
    ("password_reset", None, (ANONYMOUS,), ""),
    ("password_reset_done", None, (ANONYMOUS,), ""),
    ("password_reset_confirm", "invitation", (ANONYMOUS,), ""),
    ("password_reset_complete", None, (ANONYMOUS,), ""),
    ("admin:index", None, (SUPERUSER,), ""),
    ("admin:roadmaps_roadmap_changelist", None, (SUPERUSER,), ""),
]

POST_ONLY = "an action sent by a form (POST), answering with a redirect or a fragment"
FILE = "a file download, not a page"
SKIPPED: dict[str, str] = {
    "healthz": "JSON for the load balancer",
    "favicon": "a redirect to static/favicon.svg (tests/config/test_favicon.py)",
    "logout": POST_ONLY,
    "oidc_authentication_init": "single sign-on is off here: 404 (tests/browser/test_sso.py drives it)",
    "oidc_authentication_callback": "single sign-on is off here: 404 (tests/browser/test_sso.py drives it)",
    "reports:run-download": FILE,
    "reports:run-public-download": FILE,
    "organizations:organization-deactivate": POST_ONLY,
    "organizations:organization-reactivate": POST_ONLY,
    "organizations:onboarding-template": FILE,
    "organizations:onboarding-export": FILE,
    "organizations:onboarding-confirm": POST_ONLY,
    "organizations:people-acting": POST_ONLY,
    "organizations:people-invite": POST_ONLY,
    "organizations:membership-role-change": POST_ONLY,
    "organizations:membership-remove": POST_ONLY,
    "organizations:invitation-resend": POST_ONLY,
    "organizations:person-deactivate": POST_ONLY,
    "organizations:person-reactivate": POST_ONLY,
    "organizations:notification-count": "a fragment htmx puts in the top bar of every page swept",
    "organizations:notification-read-all": POST_ONLY,
    "organizations:notification-open": "a redirect to the notification's page",
    "projects:participant-export": FILE,
    "projects:participant-remove": POST_ONLY,
    "roadmaps:roadmap-list-export": FILE,
    "roadmaps:search-export": FILE,
    "roadmaps:my-checkpoints-export": FILE,
    "roadmaps:review-export": FILE,
    "roadmaps:roadmap-archive": POST_ONLY,
    "roadmaps:roadmap-unarchive": POST_ONLY,
    "roadmaps:checkpoint-cancel": POST_ONLY,
    "roadmaps:checkpoint-restore": POST_ONLY,
    "roadmaps:checkpoint-mismatch": POST_ONLY,
    "roadmaps:revision-in-force": POST_ONLY,
    "roadmaps:sections-reorder": POST_ONLY,
    "roadmaps:responsibility-assign": POST_ONLY,
    "roadmaps:responsibilities-change": POST_ONLY,
    "roadmaps:responsibility-remove": POST_ONLY,
    "roadmaps:activity-delete": POST_ONLY,
    "roadmaps:checkpoint-add": POST_ONLY,
    "roadmaps:activity-unscheduled": POST_ONLY,
    "roadmaps:checkpoint-move": POST_ONLY,
    "roadmaps:checkpoint-remove": POST_ONLY,
    "roadmaps:nav-counters": "a fragment htmx puts in the navigation of every page swept",
    "roadmaps:comment-download": FILE,
    "roadmaps:checkpoint-accept": POST_ONLY,
    "roadmaps:checkpoint-return": POST_ONLY,
    "roadmaps:evidence-preview": "the evidence file itself, shown inside the verification card swept",
    "roadmaps:evidence-link-revoke": POST_ONLY,
    "roadmaps:evidence-link-reissue": POST_ONLY,
    "roadmaps:indicator-delete": POST_ONLY,
    "roadmaps:indicator-value-set": POST_ONLY,
    "roadmaps:indicator-organization-targets": POST_ONLY,
    "roadmaps:verification-bulk": POST_ONLY,
    "roadmaps:period-checkpoints": POST_ONLY,
    "roadmaps:import-cancel": POST_ONLY,
    "roadmaps:roadmap-download": FILE,
    "roadmaps:evidence-public": FILE,
    "roadmaps:verification-export": FILE,
    "roadmaps:roadmap-timeline-pdf": FILE,
    "archives:archive-download": FILE,
    "api_tokens:token-revoke": POST_ONLY,
    "archives:archive-detail": "a status block; needs a built archive (tests/archives/test_views.py)",
}
# Django's own admin pages: its index and a list are swept as a superuser; the rest share their templates.
SKIPPED_NAMESPACES = {
    "admin": "the Django admin's own templates; admin:index and a changelist are swept",
    "api": "the REST API answers JSON (and Swagger UI's own page): tests/api, schemathesis included",
}


def url_names() -> set[str]:
    """Every named URL of every urls.py, namespaced as reverse() takes it."""

    def walk(resolver: URLResolver, namespace: str) -> set[str]:
        names = set()
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                names |= walk(pattern, f"{namespace}:{inner}".strip(":") if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}".strip(":"))
        return names

    return walk(get_resolver(), "")


def test_every_url_name_is_swept_or_skipped():
    names = url_names()
    swept = {name for name, *_ in PAGES}
    skipped_namespaces = {n for n in names if n.split(":")[0] in SKIPPED_NAMESPACES} - swept
    neither = sorted(names - swept - set(SKIPPED) - skipped_namespaces)
    assert not neither, f"add these to PAGES (or SKIPPED, with the reason): {neither}"
    stale = sorted((swept | set(SKIPPED)) - names)
    assert not stale, f"no such URL names any more: {stale}"
    assert not swept & set(SKIPPED), "a URL name is both swept and skipped"


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


# The portal's CSP allows only its own scripts, so axe is injected from an address of the portal itself,
# answered by the browser from node_modules: the CSP stays on and its refusals still reach the console.
AXE_PATH = "/__axe-core__/axe.min.js"


def _answer_axe(route: Route) -> None:
    route.fulfill(path=AXE, content_type="text/javascript")


def _axe_violations(page: Page, base: str) -> list[dict]:
    page.add_script_tag(url=base + AXE_PATH)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def _readable(violation: dict) -> str:
    nodes = "; ".join(
        f"{' '.join(node['target'][0] if isinstance(node['target'][0], list) else node['target'])}"
        f" — {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for node in violation["nodes"][:5]
    )
    more = f" (+{len(violation['nodes']) - 5})" if len(violation["nodes"]) > 5 else ""
    return f"axe {violation['impact']} {violation['id']}: {violation['help']} — {nodes}{more}"


# What sticks out past the window's right edge (leaving out what scrolls within a table or the timeline).
WIDEST_ELEMENTS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest('table:not(.stack), .timeline, .table-scroll') || e.matches('table'))
    .slice(0, 4)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '')
      + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


def _sweep(page: Page, base: str, role: str, width: int, visits: list, problems: Problems, out: Path) -> None:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught {error}"))
    timings = {"load": 0.0, "axe": 0.0, "shot": 0.0}
    for label, path in visits:
        started = time.monotonic()
        errors.clear()
        where = f"{role} {width}px {path}"
        response = page.goto(base + path, wait_until="load")
        if response is None or response.status != 200:
            problems.add(where, f"answered {response.status if response else 'nothing'}")
            continue
        # htmx's load triggers (the counters in the top bar) have answered before the page is measured.
        page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=5000)
        timings["load"] += time.monotonic() - started
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll[0] > scroll[1]:
            wide = page.evaluate(WIDEST_ELEMENTS)
            problems.add(where, f"document {scroll[0]}px wide in a {scroll[1]}px window: {wide}")
        started = time.monotonic()
        for violation in _axe_violations(page, base):
            problems.add(where, _readable(violation))
        timings["axe"] += time.monotonic() - started
        for error in errors:
            problems.add(where, f"console: {error}")
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        started = time.monotonic()
        page.screenshot(path=str(out / f"{role}-{width}-{slug}.png"), full_page=True)
        timings["shot"] += time.monotonic() - started
    print(role, width, {k: round(v, 1) for k, v in timings.items()})


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def sweep_data(world, filled, projects, settings, tmp_path) -> dict:  # noqa: F811
    """A small region as it is mid-year: a roadmap with sections, activities and checkpoints planned,
    reported with evidence, returned, accepted and overdue; an indicator with targets and values, an
    edition, a closed period, uploads waiting for import, a report run and a schedule, a project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    roadmap = world.roadmap
    objects = _objects_for(
        world, roadmap, world.draft, world.school, coordinator=world.coordinator, staff=world.staff
    )
    activity = objects["activity"]
    reported = factories.CheckpointFactory(
        activity=activity, sequence=5, planned_due=datetime.date(2025, 9, 30), period_label="III кв. 2025"
    )
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=reported, actual_date=datetime.date(2025, 9, 20),
        result="Семинар проведён, 34 участника",
        file=SimpleUploadedFile("протокол.pdf", b"%PDF-1.4 seminar", content_type="application/pdf"),
    )  # fmt: skip
    returned = factories.CheckpointFactory(
        activity=activity, sequence=6, planned_due=datetime.date(2025, 12, 20), period_label="IV кв. 2025"
    )
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=returned, actual_date=datetime.date(2025, 12, 1),
        result="Проведено", url="https://example.org/news/2",
    )  # fmt: skip
    services.checkpoint_return(actor=world.staff, checkpoint=returned, reason="Приложите протокол семинара")
    factories.IndicatorTargetFactory(indicator=objects["indicator"], year=2025, value=30)
    run = report_run_request(
        actor=world.analyst, kind="fioko_form", fmt="xlsx", scope=ReportScope(roadmap_id=roadmap.pk),
        as_of=datetime.date(2025, 4, 1),
    )  # fmt: skip
    schedule = report_schedule_save(
        actor=world.staff, roadmap_id=roadmap.pk, kind="monitoring", format="pdf", cadence="dates",
        day=1, quarter_month=3, dates=["18.06", "17.09"], recipients="fioko@example.org", is_active=True,
    )  # fmt: skip
    onboarding = onboarding_upload_create(
        actor=world.staff, file_name="организации.xlsx", data=onboarding_export(actor=world.staff)
    )
    locked = factories.RoadmapFactory(owner=world.region_org, title="Утверждённый план", edition=False)
    factories.UserFactory(username="superuser", is_superuser=True, is_staff=True)
    keys = {
        **objects,
        "reported": reported,
        "run": run,
        "schedule": schedule,
        "onboarding": onboarding.token,
        "locked_roadmap": locked,
        "project": projects.regional,
        "participant": projects.participant,
        **{f"help_{slug}": slug for slug in ("staff", "coordinator", "analyst")},
    }
    # reverse() arguments: a pk, a token (a plain string) or a tuple of both.
    return {
        key: list(value) if isinstance(value, tuple) else [value if isinstance(value, str) else value.pk]
        for key, value in keys.items()
    }


def _visits(role: str, args: dict) -> list[tuple[str, str]]:
    visits = []
    for name, key, roles, query in PAGES:
        if role in roles:
            path = reverse(name, args=args[key] if key else [])
            visits.append((f"{name}-{key or ''}-{query}", path + (f"?{query}" if query else "")))
    return visits


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_passes_axe(role, browser: Browser, live_server, sweep_data, artifacts):
    if not AXE.exists():
        reason = f"{AXE} is absent: `make test` installs axe-core from package.json (npm install)"
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(reason + " (BROWSER_TESTS=required)")
        pytest.skip(reason)
    out = artifacts / "pages"
    out.mkdir(exist_ok=True)
    for old in out.glob(f"{role}-*.png"):
        old.unlink()
    problems = Problems()
    visits = _visits(role, sweep_data)
    for width, height in WIDTHS:
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height})
        try:
            context.route(f"**{AXE_PATH}", _answer_axe)
            page = context.new_page()
            if role != ANONYMOUS:
                _sign_in(page, live_server.url, role)
            _sweep(page, live_server.url, role, width, visits, problems, out)
        finally:
            context.close()
    report = out / f"problems-{role}.txt"
    report.write_text("\n".join(problems.found), encoding="utf-8")
    summary = f"{len(problems.found)} problems (also in {report}):"
    assert not problems.found, "\n".join([summary, *problems.found])


def test_axe_results_are_printed_readably():
    violation = {
        "id": "label", "impact": "critical", "help": "Form elements must have labels",
        "nodes": [{"target": ["#id_title"], "failureSummary": "Fix any of the following:\n  no label"}],
    }  # fmt: skip
    assert _readable(violation) == "axe critical label: Form elements must have labels — #id_title — no label"
