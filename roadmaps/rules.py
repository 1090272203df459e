"""Who may do what with a roadmap and its parts; predicates are built on the user's organisation scope."""

from __future__ import annotations

import rules

from organizations.scope import user_scope


@rules.predicate
def is_staff_member(user) -> bool:
    return user_scope(user).has_role("staff")


@rules.predicate
def is_coordinator(user) -> bool:
    return user_scope(user).has_role("coordinator")


@rules.predicate
def can_see_roadmap(user, roadmap) -> bool:
    """Owned within any of the user's memberships, or a non-draft roadmap the scope takes part in."""
    if roadmap is None:
        return False
    scope = user_scope(user)
    if scope.covers(roadmap.owner.path):
        return True
    if roadmap.status == "draft":
        return False
    from roadmaps.models import Roadmap

    return Roadmap.objects.visible_in(scope).filter(pk=roadmap.pk).exists()


@rules.predicate
def manages_roadmap(user, roadmap) -> bool:
    """Staff of the owner organisation's subtree edit it."""
    return roadmap is not None and user_scope(user).covers(roadmap.owner.path, "staff")


@rules.predicate
def reports_on_checkpoint(user, checkpoint) -> bool:
    """A coordinator whose scope holds an organisation responsible for the checkpoint's activity."""
    if checkpoint is None:
        return False
    scope = user_scope(user)
    if not scope.has_role("coordinator"):
        return False
    from roadmaps.models import Checkpoint

    return Checkpoint.objects.reportable_in(scope).filter(pk=checkpoint.pk).exists()


@rules.predicate
def verifies_checkpoint(user, checkpoint) -> bool:
    return checkpoint is not None and user_scope(user).covers(checkpoint.activity.roadmap.owner.path, "staff")


@rules.predicate
def reports_on_indicator(user, indicator) -> bool:
    """A coordinator responsible (through the scope) for the activity the indicator belongs to."""
    if indicator is None or indicator.activity_id is None:
        return False
    scope = user_scope(user)
    if not scope.has_role("coordinator") or indicator.roadmap.status == "draft":
        return False
    return indicator.activity.responsibilities.filter(scope.q("organization__path", "coordinator")).exists()


@rules.predicate
def manages_indicator(user, indicator) -> bool:
    """Indicators and their targets are part of the roadmap: whoever manages the roadmap edits them."""
    return indicator is not None and manages_roadmap(user, indicator.roadmap)


@rules.predicate
def discusses_activity(user, activity) -> bool:
    """An activity's own thread is the department's: staff of the owner organisation's subtree."""
    return activity is not None and manages_roadmap(user, activity.roadmap)


rules.add_perm("roadmaps.browse_roadmaps", rules.is_authenticated)
rules.add_perm("roadmaps.create_roadmap", is_staff_member)
rules.add_perm("roadmaps.see_roadmap", can_see_roadmap)
rules.add_perm("roadmaps.manage_roadmap", manages_roadmap)
rules.add_perm("roadmaps.report_checkpoint", reports_on_checkpoint)
rules.add_perm("roadmaps.verify_checkpoint", verifies_checkpoint)
# The school that reports and the department that verifies talk in the checkpoint's thread.
rules.add_perm("roadmaps.comment_checkpoint", reports_on_checkpoint | verifies_checkpoint)
rules.add_perm("roadmaps.discuss_activity", discusses_activity)
rules.add_perm("roadmaps.enter_indicator_value", reports_on_indicator)
rules.add_perm("roadmaps.manage_indicator", manages_indicator)
rules.add_perm("roadmaps.use_review_list", is_staff_member)
rules.add_perm("roadmaps.use_verification_queue", is_staff_member)
rules.add_perm("roadmaps.use_my_checkpoints", is_coordinator)
