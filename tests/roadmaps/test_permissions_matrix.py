"""Every roadmap URL × every persona × own and foreign organisation answers the expected status.

Codes: 200 shown, 302 done (or the login redirect for anonymous), 403 visible but not the role's action,
404 outside the scope (foreign objects are not even confirmed to exist), 405 never expected here.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Membership, Notification, Organization
from roadmaps import reporting_periods, services
from roadmaps.evidence_links import evidence_public_token
from roadmaps.models import Comment, Evidence, Roadmap
from roadmaps.services.imports import import_upload_create, import_upload_parse
from tests import factories
from tests.permissions import (
    EDIT_FORM,
    EDIT_POST,
    EVERYONE,
    EVERYONE_POST,
    READ,
    STAFF_ONLY,
    UPLOADER_ONLY,
    UPLOADER_ONLY_POST,
    matrix_cases,
    status_as,
)

# Expected codes in ROLES order, for an object of the home region ("own") and of the other region ("foreign").
REFUSED_EDIT_POST = ("400 403 403 403 404 404 302", "404 404 404 404 400 403 302")
REPORT_FORM = ("403 200 403 403 404 404 302", "404 404 404 404 403 200 302")
REPORT_POST = ("403 302 403 403 404 404 302", "404 404 404 404 403 302 302")
# The draft belongs to the owner organisation: a school coordinator is outside it, so for them it is absent.
APPROVE_FORM = ("200 404 403 403 404 404 302", "404 404 404 404 200 403 302")
STAFF_ONLY_POST = ("302 403 403 403 302 403 302",) * 2
COORDINATOR_ONLY = ("403 200 403 403 403 200 302",) * 2
# A valid signed link is its own credential: it opens for everybody, anonymous included.
PUBLIC = ("200 200 200 200 200 200 200",) * 2
# A period closed for a whole organisation is seen within its subtree: a school's coordinator is below it.
ORGANISATION_PERIOD = ("200 404 403 403 404 404 302", "404 404 404 404 200 403 302")


# Changes from Excel (roadmaps/views/updating.py): staff who manage the roadmap; an upload's preview is
# also its uploader's alone. An empty upload is refused and the page shown again (400); a confirmation
# without the preview's fingerprint is taken for one made on a roadmap changed since, shown again (409).
CONFLICT_EDIT_POST = ("409 403 403 403 404 404 302", "404 404 404 404 409 403 302")

# The organisation directory. An authority (the owner of the home roadmap) is outside a school coordinator's
# subtree; staff edit their own authority but never move or deactivate it (nor anything above it).
AUTHORITY_READ = ("200 404 200 200 404 404 302", "404 404 404 404 200 200 302")
AUTHORITY_EDIT = APPROVE_FORM
OWN_AUTHORITY_PLACEMENT = ("403 404 403 403 404 404 302", "404 404 404 404 403 403 302")

# A checkpoint's thread: the school that reports and the department that verifies write in it; an empty
# message is refused and the page shown again (400). Analysts and observers read it.
COMMENT_POST = ("400 400 403 403 404 404 302", "404 404 404 404 400 400 302")

# A notification is its recipient's alone (here: the staff member's); following it is a redirect.
RECIPIENT_ONLY = ("302 404 404 404 404 404 302", "404 404 404 404 302 404 302")

# The Django admin is for superusers only (config/admin.py): every persona is sent to its login page.
ADMIN_ONLY_SUPERUSERS = ("302 302 302 302 302 302 302",) * 2

MATRIX = [
    ("get", "admin:index", None, ADMIN_ONLY_SUPERUSERS),
    ("get", "admin:roadmaps_checkpoint_changelist", None, ADMIN_ONLY_SUPERUSERS),
    ("post", "admin:organizations_membership_add", None, ADMIN_ONLY_SUPERUSERS),
    ("get", "roadmaps:roadmap-list", None, EVERYONE),
    ("get", "roadmaps:dashboard", None, EVERYONE),
    ("get", "home", None, ("302 302 302 302 302 302 302",) * 2),
    ("get", "roadmaps:roadmap-create", None, STAFF_ONLY),
    ("get", "roadmaps:review-list", None, STAFF_ONLY),
    ("get", "roadmaps:verification-queue", None, STAFF_ONLY),
    # A bulk decision with nothing ticked goes back to the queue with a message; staff of any organisation
    # reach it, and only checkpoints in their scope are ever decided (test_verification_bulk.py).
    ("post", "roadmaps:verification-bulk", None, STAFF_ONLY_POST),
    ("get", "roadmaps:my-checkpoints", None, COORDINATOR_ONLY),
    # Search and the lists' Excel exports (roadmaps/views/search.py): each cut to the user's scope.
    ("get", "roadmaps:search", None, EVERYONE),
    ("get", "roadmaps:search-export", None, EVERYONE),
    ("get", "roadmaps:roadmap-list-export", None, EVERYONE),
    ("get", "roadmaps:my-checkpoints-export", None, COORDINATOR_ONLY),
    ("get", "roadmaps:review-export", None, STAFF_ONLY),
    ("get", "roadmaps:verification-export", None, STAFF_ONLY),
    ("get", "roadmaps:roadmap-detail", "roadmap", READ),
    # The roadmap's files (roadmaps/views/importing.py): whoever sees the roadmap downloads it.
    ("get", "roadmaps:roadmap-download", "roadmap_xlsx", READ),
    ("get", "roadmaps:roadmap-download", "roadmap_docx", READ),
    ("get", "roadmaps:roadmap-download", "roadmap_pdf", READ),
    ("get", "roadmaps:roadmap-dashboard", "roadmap", READ),
    ("get", "roadmaps:roadmap-timeline", "roadmap", READ),
    # The timeline as a PDF: whoever sees the timeline may download it.
    ("get", "roadmaps:roadmap-timeline-pdf", "roadmap", READ),
    ("get", "roadmaps:roadmap-update", "roadmap", EDIT_FORM),
    ("get", "roadmaps:roadmap-approve", "draft", APPROVE_FORM),
    ("get", "roadmaps:revision-create", "roadmap", EDIT_FORM),
    ("post", "roadmaps:roadmap-archive", "roadmap", EDIT_POST),
    ("get", "roadmaps:section-create", "roadmap", EDIT_FORM),
    ("post", "roadmaps:sections-reorder", "roadmap", EDIT_POST),
    # Renumbering: the preview, and a confirmation (one without the preview's fingerprint goes back to it).
    ("get", "roadmaps:roadmap-renumber", "roadmap", EDIT_FORM),
    ("post", "roadmaps:roadmap-renumber", "roadmap", EDIT_POST),
    ("get", "roadmaps:activity-create", "roadmap", EDIT_FORM),
    ("post", "roadmaps:responsibility-assign", "roadmap", EDIT_POST),
    # An empty bulk or single change is refused with a message above the page it goes back to (302).
    ("post", "roadmaps:responsibilities-change", "roadmap", EDIT_POST),
    ("get", "roadmaps:responsibility-update", "responsibility", EDIT_FORM),
    ("post", "roadmaps:responsibility-update", "responsibility", EDIT_POST),
    ("post", "roadmaps:responsibility-remove", "responsibility", EDIT_POST),
    ("get", "roadmaps:section-update", "section", EDIT_FORM),
    ("get", "roadmaps:activity-detail", "activity", READ),
    ("get", "roadmaps:activity-update", "activity", EDIT_FORM),
    ("post", "roadmaps:activity-delete", "activity", EDIT_POST),
    # Checkpoints set by hand: an empty form is refused and the page shown again (400) — only to staff.
    ("post", "roadmaps:checkpoint-add", "activity", REFUSED_EDIT_POST),
    ("post", "roadmaps:checkpoint-move", "checkpoint", REFUSED_EDIT_POST),
    ("post", "roadmaps:checkpoint-remove", "checkpoint", EDIT_POST),
    # «Срок не планируется» without a reason is refused with a message (302 back) — only for staff.
    ("post", "roadmaps:activity-unscheduled", "activity", EDIT_POST),
    ("get", "roadmaps:checkpoint-report", "checkpoint", REPORT_FORM),
    # An empty report is refused with the form shown again (200) — but only to whoever may report.
    ("post", "roadmaps:checkpoint-report", "checkpoint", REPORT_FORM),
    ("post", "roadmaps:checkpoint-accept", "checkpoint", EDIT_POST),
    ("post", "roadmaps:checkpoint-return", "checkpoint", EDIT_POST),
    # Cancel and restore without a reason are refused with a message (302 back) — only for staff.
    ("post", "roadmaps:checkpoint-cancel", "checkpoint", EDIT_POST),
    ("post", "roadmaps:checkpoint-restore", "checkpoint", EDIT_POST),
    # «Расхождения»: without an action (or without a mismatch) refused with a message (302 back).
    ("post", "roadmaps:checkpoint-mismatch", "checkpoint", EDIT_POST),
    ("get", "roadmaps:checkpoint-thread", "checkpoint", READ),
    ("post", "roadmaps:checkpoint-thread", "checkpoint", COMMENT_POST),
    ("get", "roadmaps:comment-download", "comment", READ),
    # An activity's own thread is the department's: other personas who see the activity get 403.
    ("get", "roadmaps:activity-thread", "activity", EDIT_FORM),
    ("post", "roadmaps:activity-thread", "activity", REFUSED_EDIT_POST),
    ("get", "roadmaps:comment-download", "activity_comment", EDIT_FORM),
    ("get", "roadmaps:revision-detail", "revision", READ),
    # Next year's copy (staff of the owner): an empty form is refused and shown again (200).
    ("get", "roadmaps:roadmap-copy", "roadmap", EDIT_FORM),
    ("post", "roadmaps:roadmap-copy", "roadmap", EDIT_FORM),
    ("get", "roadmaps:roadmap-compare", "roadmap", READ),
    ("post", "roadmaps:revision-in-force", "revision", EDIT_POST),
    # Unarchiving a roadmap that is not archived is refused with a message (302 back) — only for staff.
    ("post", "roadmaps:roadmap-unarchive", "roadmap", EDIT_POST),
    ("get", "roadmaps:evidence-download", "evidence", READ),
    # A PDF shown inside the verification card: as visible as its download.
    ("get", "roadmaps:evidence-preview", "evidence", READ),
    # A link is not redirected to: the «вы переходите по внешней ссылке» page, as visible as a file.
    ("get", "roadmaps:evidence-download", "link_evidence", READ),
    ("post", "roadmaps:evidence-link-revoke", "evidence", EDIT_POST),
    ("post", "roadmaps:evidence-link-reissue", "evidence", EDIT_POST),
    ("get", "roadmaps:evidence-public", "evidence_token", PUBLIC),
    ("post", "roadmaps:indicator-value-set", "indicator", REPORT_POST),
    ("get", "roadmaps:indicator-list", "roadmap", READ),
    ("get", "roadmaps:indicator-create", "roadmap", EDIT_FORM),
    # An empty indicator form is refused and shown again (200) — but only to whoever may edit.
    ("post", "roadmaps:indicator-create", "roadmap", EDIT_FORM),
    ("get", "roadmaps:indicator-update", "indicator", EDIT_FORM),
    ("post", "roadmaps:indicator-update", "indicator", EDIT_FORM),
    ("post", "roadmaps:indicator-delete", "indicator", EDIT_POST),
    ("get", "roadmaps:indicator-breakdown", "indicator", READ),
    # Without a year of the period the targets table is refused with a message (302 back) — only for staff.
    ("post", "roadmaps:indicator-organization-targets", "indicator", EDIT_POST),
    # Closed reporting periods; an empty form is refused and shown again (200) — only to whoever may close.
    ("get", "roadmaps:period-list", "roadmap", EDIT_FORM),
    ("get", "roadmaps:period-close", "roadmap", EDIT_FORM),
    ("post", "roadmaps:period-close", "roadmap", EDIT_FORM),
    ("get", "roadmaps:period-scope-list", None, STAFF_ONLY),
    ("get", "roadmaps:period-scope-close", None, STAFF_ONLY),
    ("post", "roadmaps:period-scope-close", None, STAFF_ONLY),
    ("get", "roadmaps:period-detail", "period", EDIT_FORM),
    ("get", "roadmaps:period-reopen", "period", EDIT_FORM),
    ("post", "roadmaps:period-reopen", "period", EDIT_FORM),
    ("post", "roadmaps:period-checkpoints", "period", EDIT_FORM),
    ("get", "roadmaps:period-detail", "organisation_period", ORGANISATION_PERIOD),
    ("post", "roadmaps:period-reopen", "organisation_period", ORGANISATION_PERIOD),
    ("post", "roadmaps:period-checkpoints", "organisation_period", ORGANISATION_PERIOD),
    # Import: the progress page of a queued upload, the preview of a parsed one, cancelling.
    ("get", "roadmaps:import-status", "upload", UPLOADER_ONLY),
    ("get", "roadmaps:import-preview", "parsed_upload", UPLOADER_ONLY),
    ("post", "roadmaps:import-cancel", "upload", UPLOADER_ONLY_POST),
    ("get", "roadmaps:roadmap-update-upload", "roadmap", EDIT_FORM),
    ("post", "roadmaps:roadmap-update-upload", "roadmap", REFUSED_EDIT_POST),
    ("get", "roadmaps:roadmap-update-preview", "update_upload", EDIT_FORM),
    ("post", "roadmaps:roadmap-update-preview", "update_upload", CONFLICT_EDIT_POST),
    ("get", "organizations:organization-list", None, EVERYONE),
    ("get", "organizations:organization-detail", "authority", AUTHORITY_READ),
    ("get", "organizations:organization-detail", "school", READ),
    # Empty forms are refused and shown again (200) — only to whoever may change the organisation.
    ("get", "organizations:organization-create", "authority", AUTHORITY_EDIT),
    ("post", "organizations:organization-create", "authority", AUTHORITY_EDIT),
    ("get", "organizations:organization-update", "authority", AUTHORITY_EDIT),
    ("get", "organizations:organization-update", "school", EDIT_FORM),
    ("post", "organizations:organization-update", "school", EDIT_FORM),
    ("get", "organizations:organization-move", "school", EDIT_FORM),
    ("post", "organizations:organization-move", "school", EDIT_FORM),
    ("get", "organizations:organization-move", "authority", OWN_AUTHORITY_PLACEMENT),
    ("post", "organizations:organization-deactivate", "school", EDIT_POST),
    ("post", "organizations:organization-reactivate", "school", EDIT_POST),
    ("post", "organizations:organization-deactivate", "authority", OWN_AUTHORITY_PLACEMENT),
    # People (organizations/urls_people.py): staff over the organisation manage its members; an empty
    # invitation is refused and the page shown again (400), an empty role change goes back with a message.
    ("get", "organizations:people-my-memberships", None, EVERYONE),
    # «Действовать от всех моих организаций» (an empty choice), then home; a membership of one's own or
    # another's is tested person by person in tests/organizations/test_acting.py.
    ("post", "organizations:people-acting", None, EVERYONE_POST),
    ("get", "organizations:people-list", "school", EDIT_FORM),
    ("post", "organizations:people-invite", "school", REFUSED_EDIT_POST),
    ("post", "organizations:membership-role-change", "membership", EDIT_POST),
    ("post", "organizations:membership-remove", "membership", EDIT_POST),
    ("post", "organizations:invitation-resend", "membership", EDIT_POST),
    ("post", "organizations:person-deactivate", "membership", EDIT_POST),
    ("post", "organizations:person-reactivate", "membership", EDIT_POST),
    # Each person's notifications (organizations/urls_notifications.py) and the counters in the header.
    ("get", "organizations:notification-inbox", None, EVERYONE),
    ("get", "organizations:notification-count", None, EVERYONE),
    ("get", "organizations:notification-preferences", None, EVERYONE),
    ("post", "organizations:notification-read-all", None, EVERYONE_POST),
    ("get", "organizations:notification-open", "notification", RECIPIENT_ONLY),
    ("get", "roadmaps:nav-counters", None, EVERYONE),
    # The invitation link is public; a broken one says so to anybody.
    ("get", "organizations:people-set-password", "invitation", PUBLIC),
    # «Справка» (config/help.py) holds no data: public and read-only.
    ("get", "help", None, PUBLIC),
    ("get", "help-page", "help_topic", PUBLIC),
]


def _accepted_evidence_token(activity, *, coordinator, staff) -> str:
    """A public link to the file of an accepted report on a second checkpoint of the activity."""
    accepted = factories.CheckpointFactory(
        activity=activity, sequence=1, planned_due=datetime.date(2025, 6, 30), period_label="II кв. 2025"
    )
    services.checkpoint_report(
        actor=coordinator,
        checkpoint=accepted,
        actual_date=datetime.date(2025, 6, 1),
        result="Проведено",
        file=SimpleUploadedFile("акт.pdf", b"%PDF-1.4 accepted", content_type="application/pdf"),
    )
    services.checkpoint_accept(actor=staff, checkpoint=accepted)
    evidence = accepted.evidence.get()
    return evidence_public_token(
        evidence_id=evidence.pk, link_version=evidence.public_link_version, as_of=datetime.date.today()
    )


def _objects_for(
    world, roadmap: Roadmap, draft: Roadmap, school: Organization, *, coordinator, staff
) -> dict:
    activity = roadmap.activities.order_by("pk").first() or factories.ActivityFactory(roadmap=roadmap)
    if not activity.responsibilities.exists():
        factories.ResponsibilityFactory(activity=activity, organization=school)
    checkpoint = activity.checkpoints.first() or factories.CheckpointFactory(activity=activity)
    evidence = Evidence(checkpoint=checkpoint, original_name="протокол.pdf", content_type="application/pdf")
    evidence.file.save("protocol.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {
        "notification": _notification_for(staff),
        "comment": _comment_with_file(checkpoint=checkpoint, author=coordinator),
        "activity_comment": _comment_with_file(activity=activity, author=staff),
        "evidence_token": _accepted_evidence_token(activity, coordinator=coordinator, staff=staff),
        "roadmap": roadmap,
        **{f"roadmap_{file_format}": (roadmap.pk, file_format) for file_format in ("xlsx", "docx", "pdf")},
        "authority": roadmap.owner,
        "school": school,
        "draft": draft,
        "section": factories.SectionFactory(roadmap=roadmap),
        "activity": activity,
        "responsibility": activity.responsibilities.order_by("pk").first(),
        "revision": roadmap.revisions.order_by("pk").first(),
        "checkpoint": checkpoint,
        "evidence": evidence,
        "link_evidence": factories.EvidenceFactory(checkpoint=checkpoint, url="https://example.org/report"),
        "indicator": factories.IndicatorFactory(roadmap=roadmap, activity=activity),
        # A quarter no checkpoint above is due in, so the other rows are not locked by it.
        "period": services.period_close(actor=staff, roadmap=roadmap, **_a_later_quarter()),
        "organisation_period": services.period_close(
            actor=staff, organization=roadmap.owner, **_a_later_quarter()
        ),
        **_uploads(staff=staff, owner=roadmap.owner),
        "update_upload": _update_upload(staff=staff, roadmap=roadmap),
        "membership": _invited_member(school),
        "invitation": ("MQ", "no-such-token"),
        "help_topic": "coordinator",
    }


def _notification_for(person) -> Notification:
    return Notification.objects.create(
        recipient=person,
        event=Notification.Event.COMMENT,
        key=f"matrix:{person.pk}",
        title="Сообщение",
        url="/roadmaps/",
        delivery=Notification.Delivery.PORTAL,
    )


def _comment_with_file(*, author, **thread) -> Comment:
    comment = Comment(author=author, text="Протокол во вложении", original_name="протокол.pdf", **thread)
    comment.content_type = "application/pdf"
    comment.file.save("protocol.pdf", ContentFile(b"%PDF-1.4 comment"), save=True)
    return comment


def _invited_member(school: Organization) -> Membership:
    """A member of ``school`` who has not set a password yet (so an invitation can be sent again)."""
    person = factories.UserFactory(username=f"invited-{school.pk}")
    person.set_unusable_password()
    person.save()
    return Membership.objects.create(user=person, organization=school, role=Membership.Role.OBSERVER)


def _uploads(*, staff, owner: Organization) -> dict:
    """A queued upload and a parsed one of ``staff``, addressed by token (and owner, for the preview)."""
    plan = "№\tМероприятие\tСрок\n1\tСеминар для педагогов\tМарт 2025 года\n".encode()
    queued = import_upload_create(actor=staff, owner=owner, file_name="план.txt", data=plan)
    parsed = import_upload_create(actor=staff, owner=owner, file_name="план.txt", data=plan)
    import_upload_parse(upload_id=parsed.pk)
    return {"upload": queued.token, "parsed_upload": (parsed.token, owner.pk)}


def _update_upload(*, staff, roadmap: Roadmap) -> tuple[int, str]:
    """A parsed file of ``staff`` brought back as changes to ``roadmap``, addressed by both."""
    plan = "№\tМероприятие\tСрок\n1.1.\tСеминар для педагогов\tМарт 2025 года\n".encode()
    upload = import_upload_create(actor=staff, owner=roadmap.owner, file_name="план.txt", data=plan)
    import_upload_parse(upload_id=upload.pk)
    return (roadmap.pk, upload.token)


def _a_later_quarter() -> dict:
    span = reporting_periods.quarter(2026, 1)
    return {"first_day": span.first_day, "last_day": span.last_day, "label": span.label}


@pytest.fixture
def objects(world, settings, tmp_path) -> dict[str, dict]:
    settings.MEDIA_ROOT = tmp_path
    foreign_school = factories.OrganizationFactory(parent=world.foreign_org, region=world.foreign_org.region)
    foreign_draft = factories.RoadmapFactory(owner=world.foreign_org, status=Roadmap.Status.DRAFT)
    return {
        "own": _objects_for(
            world, world.roadmap, world.draft, world.school, coordinator=world.coordinator, staff=world.staff
        ),
        "foreign": _objects_for(
            world,
            world.foreign_roadmap,
            foreign_draft,
            foreign_school,
            coordinator=world.outsider_coordinator,
            staff=world.outsider,
        ),
    }


CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), CASES)
def test_status_by_role_and_organisation(client, world, objects, method, name, key, side, role, expected):
    # Objects are addressed by their pk; a public link or an upload by its token (kept as a plain string),
    # an upload's preview by its token and owner (a tuple).
    target = objects[side][key] if key else None
    if isinstance(target, tuple):
        args = list(target)
    else:
        args = [target if isinstance(target, str) else target.pk] if key else []
    url = reverse(name, args=args)
    assert status_as(client, world, role, method, url) == expected, f"{method.upper()} {url} as {role}"


def test_permission_denied_renders_the_russian_403_page(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:roadmap-update", args=[world.roadmap.pk]))
    assert response.status_code == 403
    assert "Нет доступа" in response.content.decode()


def test_foreign_object_renders_the_russian_404_page(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("roadmaps:roadmap-detail", args=[world.foreign_roadmap.pk]))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_nobody_sees_another_regions_draft_in_the_list(client, world):
    foreign_draft = factories.RoadmapFactory(
        owner=world.foreign_org, status=Roadmap.Status.DRAFT, title="Чужой черновик"
    )
    for persona in (world.staff, world.analyst, world.observer, world.coordinator):
        client.force_login(persona)
        body = client.get(reverse("roadmaps:roadmap-list")).content.decode()
        assert foreign_draft.title not in body
        assert world.foreign_roadmap.title not in body


def test_coordinator_does_not_see_the_owner_organisations_draft(client, world):
    client.force_login(world.coordinator)
    body = client.get(reverse("roadmaps:roadmap-list")).content.decode()
    assert world.roadmap.title in body
    assert world.draft.title not in body
    assert client.get(reverse("roadmaps:roadmap-detail", args=[world.draft.pk])).status_code == 404


def test_coordinator_cannot_report_a_checkpoint_of_another_school(client, world):
    activity = factories.ActivityFactory(roadmap=world.roadmap)
    factories.ResponsibilityFactory(activity=activity, organization=world.other_school)
    checkpoint = factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 6, 30))
    client.force_login(world.coordinator)
    response = client.post(
        reverse("roadmaps:checkpoint-report", args=[checkpoint.pk]),
        {"actual_date": "01.02.2025", "result": "Сделано"},
    )
    assert response.status_code == 403
    checkpoint.refresh_from_db()
    assert checkpoint.status == "planned"
