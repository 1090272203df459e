"""Deadline reminders that reach someone, and the weekly overdue summary to the heads of authorities.

Daily: one digest per responsible organisation — to its active coordinators, else its active staff, else its
contact e-mail; the activities the roadmap's owner answers for itself (or nobody is named for) go to the
owner's staff first. A due-soon checkpoint is reminded once; an overdue one again every
ReminderSettings.overdue_repeat_days. Nothing for drafts, archived roadmaps or checkpoints in a closed period
(lifecycle.ClosedDays, the rule the services use), and nothing on a day off of the production calendar when
the rules say so: the next working day's run catches up, since what is due is what has not been logged.

Weekly: on the configured weekday (or the first working day after it) the staff of each regional and
municipal authority get the overdue count in the roadmaps owned within their subtree, by responsible
organisation.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse

from organizations.models import Membership, Organization
from reports.models import ProductionCalendarDay, ReminderLog, ReminderSettings, WeeklySummaryLog
from roadmaps.models import Checkpoint, CheckpointReopening, ClosedPeriod, Roadmap
from roadmaps.services.lifecycle import ClosedDays

DIGEST_LIMIT = 100
SUMMARY_TOP = 20
Stage = ReminderLog.Stage
AUTHORITY_KINDS = (Organization.Kind.REGIONAL_AUTHORITY, Organization.Kind.MUNICIPAL_AUTHORITY)


# --- The production calendar --------------------------------------------------------------------------


def is_working_day(day: datetime.date, marked: Mapping[datetime.date, bool]) -> bool:
    """A working day: Monday to Friday unless the calendar marks it off, Saturday or Sunday if marked worked.

    `marked` maps the days the production calendar lists to whether they are worked.
    """
    if day in marked:
        return marked[day]
    return day.weekday() < 5


def calendar_marks(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """One query: the production calendar's marked days from `first` to `last`."""
    return dict(
        ProductionCalendarDay.objects.filter(date__gte=first, date__lte=last).values_list(
            "date", "is_working"
        )
    )


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


# --- What is due, and what a closed period covers -------------------------------------------------------


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _closed_days_by_roadmap(roadmaps: Mapping[int, str]) -> dict[int, ClosedDays]:
    """The closed periods in force for each roadmap (id → owner's path), read in two queries for all of them;
    the same reach as lifecycle.closed_periods_of: the roadmap's own periods and those of its owner's line."""
    if not roadmaps:
        return {}
    organization_ids = {pk for path in roadmaps.values() for pk in _ancestor_ids(path)}
    periods = list(
        ClosedPeriod.objects.filter(reopened_at__isnull=True)
        .filter(Q(roadmap_id__in=list(roadmaps)) | Q(organization_id__in=organization_ids))
        .values_list("pk", "roadmap_id", "organization_id", "first_day", "last_day", "label")
    )
    reopened: dict[int, set[int]] = {row[0]: set() for row in periods}
    if periods:
        for period_id, checkpoint_id in CheckpointReopening.objects.filter(
            period_id__in=list(reopened)
        ).values_list("period_id", "checkpoint_id"):
            reopened[period_id].add(checkpoint_id)
    result = {}
    for roadmap_id, path in roadmaps.items():
        line = set(_ancestor_ids(path))
        result[roadmap_id] = ClosedDays(
            tuple(
                (pk, first, last, label, frozenset(reopened[pk]))
                for pk, period_roadmap, period_org, first, last, label in periods
                if period_roadmap == roadmap_id or period_org in line
            )
        )
    return result


def _open_checkpoints():
    """Open checkpoints of approved roadmaps: drafts and archived roadmaps remind nobody."""
    return Checkpoint.objects.open().filter(activity__roadmap__status=Roadmap.Status.APPROVED)


ROW_FIELDS = (
    "pk",
    "planned_due",
    "period_label",
    "activity__number",
    "activity__title",
    "activity__roadmap_id",
    "activity__roadmap__title",
    "activity__roadmap__owner_id",
    "activity__roadmap__owner__short_name",
    "activity__roadmap__owner__path",
    "activity__responsibilities__organization_id",
    "activity__responsibilities__organization__short_name",
)


def _without_closed(rows: list[dict]) -> list[dict]:
    closed = _closed_days_by_roadmap(
        {row["activity__roadmap_id"]: row["activity__roadmap__owner__path"] for row in rows}
    )
    return [
        row for row in rows if not closed[row["activity__roadmap_id"]].closing(row["pk"], row["planned_due"])
    ]


def _responsible(row: dict) -> tuple[int, str, bool]:
    """(organisation, its name, whether it is the roadmap's owner): an activity nobody is named for is the
    owner's own."""
    owner_id = row["activity__roadmap__owner_id"]
    org_id = row["activity__responsibilities__organization_id"]
    if org_id is None or org_id == owner_id:
        return owner_id, row["activity__roadmap__owner__short_name"], True
    return org_id, row["activity__responsibilities__organization__short_name"], False


# --- Recipients ----------------------------------------------------------------------------------------


@dataclass
class Addresses:
    email: str = ""
    coordinators: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)

    def for_digest(self, *, own: bool) -> list[str]:
        """Coordinators, else staff, else the contact address; the owner's own activities: staff first."""
        for group in (self.staff, self.coordinators) if own else (self.coordinators, self.staff):
            if group:
                return group
        return [self.email] if self.email else []


def _addresses(organization_ids: Iterable[int]) -> dict[int, Addresses]:
    """One query: the contact address and the active coordinators' and staff's addresses of each
    organisation."""
    rows = (
        Organization.objects.filter(pk__in=list(organization_ids))
        .annotate(
            member=FilteredRelation(
                "memberships",
                condition=Q(memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.STAFF]),
            )
        )
        .order_by("pk", "member__user__email")
        .values_list("pk", "email", "member__role", "member__user__email", "member__user__is_active")
    )
    result: dict[int, Addresses] = {}
    for org_id, contact, role, email, active in rows:
        addresses = result.setdefault(org_id, Addresses(email=contact))
        if not (email and active):
            continue
        group = addresses.coordinators if role == Membership.Role.COORDINATOR else addresses.staff
        if email not in group:
            group.append(email)
    return result


# --- The daily digest ----------------------------------------------------------------------------------


@dataclass
class DigestItem:
    checkpoint_id: int
    planned_due: datetime.date
    period_label: str
    activity_number: str
    activity_title: str
    roadmap_title: str


@dataclass
class Digest:
    organization_name: str
    own: bool = False
    due_soon: list[DigestItem] = field(default_factory=list)
    overdue: list[DigestItem] = field(default_factory=list)


def _candidate_rows(today: datetime.date, rules: ReminderSettings) -> list[dict]:
    """One query: open checkpoints due within `days_before` or overdue, with whether (and when last) they
    were reminded, one row per (checkpoint, responsible organisation)."""
    logged = ReminderLog.objects.filter(checkpoint=OuterRef("pk"))
    last_overdue = logged.filter(stage=Stage.OVERDUE).order_by("-sent_on").values("sent_on")[:1]
    return list(
        _open_checkpoints()
        .filter(planned_due__lte=today + datetime.timedelta(days=rules.days_before))
        .annotate(
            logged_soon=Exists(logged.filter(stage=Stage.DUE_SOON)),
            last_overdue=Subquery(last_overdue),
        )
        .order_by("planned_due", "pk")
        .values(*ROW_FIELDS, "logged_soon", "last_overdue")
    )


def _due_stage(row: dict, today: datetime.date, rules: ReminderSettings) -> str | None:
    """The stage to remind the checkpoint at today, or None when it was reminded recently enough."""
    if row["planned_due"] >= today:
        return None if row["logged_soon"] else Stage.DUE_SOON
    last = row["last_overdue"]
    if last is None:
        return Stage.OVERDUE
    repeat = rules.overdue_repeat_days
    if repeat and last <= today - datetime.timedelta(days=repeat):
        return Stage.OVERDUE
    return None


def _collect(
    today: datetime.date, rules: ReminderSettings
) -> tuple[dict[tuple[int, bool], Digest], set[tuple[int, str]]]:
    digests: dict[tuple[int, bool], Digest] = {}
    to_log: set[tuple[int, str]] = set()
    for row in _without_closed(_candidate_rows(today, rules)):
        stage = _due_stage(row, today, rules)
        if stage is None:
            continue
        org_id, name, own = _responsible(row)
        digest = digests.setdefault((org_id, own), Digest(name, own=own))
        item = DigestItem(
            checkpoint_id=row["pk"],
            planned_due=row["planned_due"],
            period_label=row["period_label"],
            activity_number=row["activity__number"],
            activity_title=row["activity__title"],
            roadmap_title=row["activity__roadmap__title"],
        )
        items = digest.overdue if stage == Stage.OVERDUE else digest.due_soon
        if all(existing.checkpoint_id != item.checkpoint_id for existing in items[-1:]):
            items.append(item)
        to_log.add((row["pk"], stage))
    return digests, to_log


def _digest_message(
    digest: Digest, recipients: list[str], today: datetime.date, rules: ReminderSettings
) -> EmailMessage:
    context = {
        "digest": digest,
        "today": today,
        "days": rules.days_before,
        "limit": DIGEST_LIMIT,
        "site_url": _site_url(),
        "my_url": _site_url() + reverse("roadmaps:my-checkpoints"),
    }
    subject = f"Сроки контрольных точек: {digest.organization_name}"
    if digest.overdue:
        subject += f" — просрочено {len(digest.overdue)}"
    return EmailMessage(
        subject=subject,
        body=render_to_string("reports/email/reminder_digest.txt", context),
        to=recipients,
    )


def deadline_reminders_send(*, today: datetime.date) -> int:
    """Send each responsible organisation one digest; returns the number of e-mails.

    The rules' row is locked for the run, so two runs at once go one after the other; the log is written in
    the same transaction before sending, so a second run the same day finds everything reminded and sends
    nothing, and a sending error rolls the log back for the retry.
    """
    with transaction.atomic():
        rules = ReminderSettings.current(lock=True)
        if rules.quiet_on_days_off and not is_working_day(today, calendar_marks(today, today)):
            return 0
        digests, to_log = _collect(today, rules)
        if not to_log:
            return 0
        addresses = _addresses({org_id for org_id, _own in digests})
        messages = []
        for (org_id, own), digest in digests.items():
            recipients = addresses.get(org_id, Addresses()).for_digest(own=own)
            if recipients:
                messages.append(_digest_message(digest, recipients, today, rules))
        ReminderLog.objects.bulk_create(
            [ReminderLog(checkpoint_id=pk, stage=stage, sent_on=today) for pk, stage in sorted(to_log)],
            ignore_conflicts=True,
        )
        if messages:
            # One SMTP connection for the whole batch.
            get_connection().send_messages(messages)
    return len(messages)


# --- The weekly summary --------------------------------------------------------------------------------


@dataclass
class SummaryLine:
    name: str
    count: int


@dataclass
class RoadmapLine:
    title: str
    count: int
    url: str


@dataclass
class Summary:
    organization_id: int
    organization_name: str
    week_start: datetime.date
    total: int
    lines: list[SummaryLine]
    rest_organizations: int
    rest_count: int
    roadmaps: list[RoadmapLine]


def weekly_summary_due(today: datetime.date, rules: ReminderSettings) -> bool:
    """Whether the summary goes out today: a working day on or after the configured weekday of the week
    (the weekday itself, or the next working day when it is off); the log keeps it to once a week."""
    week_start = today - datetime.timedelta(days=today.weekday())
    target = week_start + datetime.timedelta(days=rules.weekly_summary_weekday)
    if today < target:
        return False
    return is_working_day(today, calendar_marks(today, today))


def _summaries(today: datetime.date, authorities: Mapping[int, tuple[str, str]]) -> list[Summary]:
    """The overdue counts of each authority's subtree (authority id → (name, path)), from one read of the
    overdue checkpoints (plus the closed periods)."""
    rows = _without_closed(
        list(_open_checkpoints().filter(planned_due__lt=today).order_by("pk").values(*ROW_FIELDS))
    )
    week_start = today - datetime.timedelta(days=today.weekday())
    summaries = []
    for authority_id, (authority_name, authority_path) in authorities.items():
        checkpoints: set[int] = set()
        by_org: Counter[tuple[str, int]] = Counter()
        by_roadmap: dict[int, set[int]] = defaultdict(set)
        titles: dict[int, str] = {}
        seen: set[tuple[int, int]] = set()
        for row in rows:
            if not row["activity__roadmap__owner__path"].startswith(authority_path):
                continue
            org_id, name, _own = _responsible(row)
            checkpoints.add(row["pk"])
            by_roadmap[row["activity__roadmap_id"]].add(row["pk"])
            titles[row["activity__roadmap_id"]] = row["activity__roadmap__title"]
            if (row["pk"], org_id) not in seen:
                seen.add((row["pk"], org_id))
                by_org[(name, org_id)] += 1
        if not checkpoints:
            continue
        ranked = sorted(by_org.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))
        top, rest = ranked[:SUMMARY_TOP], ranked[SUMMARY_TOP:]
        roadmaps = sorted(by_roadmap.items(), key=lambda item: (-len(item[1]), titles[item[0]], item[0]))
        summaries.append(
            Summary(
                organization_id=authority_id,
                organization_name=authority_name,
                week_start=week_start,
                total=len(checkpoints),
                lines=[SummaryLine(name, count) for (name, _pk), count in top],
                rest_organizations=len(rest),
                rest_count=sum(count for _key, count in rest),
                roadmaps=[
                    RoadmapLine(
                        titles[pk],
                        len(ids),
                        _site_url() + reverse("roadmaps:roadmap-dashboard", args=[pk]),
                    )
                    for pk, ids in roadmaps[:SUMMARY_TOP]
                ],
            )
        )
    return summaries


def _summary_message(summary: Summary, recipients: list[str], today: datetime.date) -> EmailMessage:
    context = {"summary": summary, "today": today, "site_url": _site_url(), "top": SUMMARY_TOP}
    return EmailMessage(
        subject=f"Просроченные контрольные точки: {summary.organization_name} — {summary.total}",
        body=render_to_string("reports/email/weekly_overdue_summary.txt", context),
        to=recipients,
    )


def weekly_overdue_summary_send(*, today: datetime.date) -> int:
    """Send the staff of each regional and municipal authority the week's overdue summary of its subtree,
    once per authority and ISO week; returns the number of e-mails."""
    with transaction.atomic():
        rules = ReminderSettings.current(lock=True)
        if not weekly_summary_due(today, rules):
            return 0
        week_start = today - datetime.timedelta(days=today.weekday())
        sent = WeeklySummaryLog.objects.filter(organization=OuterRef("pk"), week_start=week_start)
        rows = (
            Organization.objects.filter(is_active=True, kind__in=AUTHORITY_KINDS)
            .exclude(Exists(sent))
            .annotate(
                member=FilteredRelation("memberships", condition=Q(memberships__role=Membership.Role.STAFF))
            )
            .order_by("pk", "member__user__email")
            .values_list("pk", "short_name", "path", "member__user__email", "member__user__is_active")
        )
        authorities: dict[int, tuple[str, str]] = {}
        staff: dict[int, list[str]] = defaultdict(list)
        for org_id, name, path, email, active in rows:
            if email and active and email not in staff[org_id]:
                staff[org_id].append(email)
                authorities[org_id] = (name, path)
        if not authorities:
            return 0
        summaries = _summaries(today, authorities)
        messages = [_summary_message(summary, staff[summary.organization_id], today) for summary in summaries]
        WeeklySummaryLog.objects.bulk_create(
            [
                WeeklySummaryLog(organization_id=s.organization_id, week_start=week_start, overdue=s.total)
                for s in summaries
            ],
            ignore_conflicts=True,
        )
        if messages:
            get_connection().send_messages(messages)
    return len(messages)
