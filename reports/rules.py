"""Who may build and download reports: staff, analysts and observers, within their organisation subtree.

Coordinators report checkpoints; they do not build reports.
"""

import rules

from organizations.scope import Scope, user_scope

REPORT_ROLES = ("staff", "analyst", "observer")


def _organization_id(path: str) -> int:
    # A path is "/1/7/42/": the last id is the organisation itself.
    return int(path.rstrip("/").rsplit("/", 1)[-1])


def reporting_scope(user) -> Scope:
    """The user's scope narrowed to the roles that may see reports (no coordinator-only reach)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return scope
    paths = {role: scope.paths_by_role[role] for role in REPORT_ROLES if role in scope.paths_by_role}
    ids = tuple(_organization_id(path) for role_paths in paths.values() for path in role_paths)
    return Scope(is_superuser=False, paths_by_role=paths, organization_ids=ids)


@rules.predicate
def may_request_reports(user) -> bool:
    return user.is_authenticated and user_scope(user).has_role(*REPORT_ROLES)


@rules.predicate
def may_edit_schedules(user) -> bool:
    return user.is_authenticated and user_scope(user).has_role("staff")


rules.add_perm("reports.request_report", may_request_reports)
rules.add_perm("reports.edit_schedule", may_edit_schedules)
