from django.urls import path

from roadmaps import views
from roadmaps.views import (
    counters,
    editions,
    importing,
    schedule,
    search,
    threads,
    timeline,
    updating,
    verification,
)

app_name = "roadmaps"

urlpatterns = [
    path("roadmaps/", views.RoadmapListView.as_view(), name="roadmap-list"),
    # Search and the lists' Excel exports (roadmaps/views/search.py).
    path("roadmaps/export/", search.roadmap_list_export, name="roadmap-list-export"),
    path("search/", search.search, name="search"),
    path("search/export/", search.search_export, name="search-export"),
    path("my/export/", search.my_checkpoints_export, name="my-checkpoints-export"),
    path("review/export/", search.review_export, name="review-export"),
    path("roadmaps/new/", views.RoadmapCreateView.as_view(), name="roadmap-create"),
    path("roadmaps/<int:pk>/", views.roadmap_detail, name="roadmap-detail"),
    path("roadmaps/<int:pk>/edit/", views.RoadmapUpdateView.as_view(), name="roadmap-update"),
    path("roadmaps/<int:pk>/approve/", views.roadmap_approve, name="roadmap-approve"),
    path("roadmaps/<int:pk>/archive/", views.roadmap_archive, name="roadmap-archive"),
    path("roadmaps/<int:pk>/revisions/new/", views.revision_create, name="revision-create"),
    path("roadmaps/<int:pk>/unarchive/", views.roadmap_unarchive, name="roadmap-unarchive"),
    path("revisions/<int:pk>/", views.revision_detail, name="revision-detail"),
    # Next year's copy and two editions compared (roadmaps/views/editions.py).
    path("roadmaps/<int:pk>/copy/", editions.roadmap_copy_view, name="roadmap-copy"),
    path("roadmaps/<int:pk>/compare/", editions.roadmap_compare, name="roadmap-compare"),
    path("checkpoints/<int:pk>/cancel/", views.checkpoint_cancel, name="checkpoint-cancel"),
    path("checkpoints/<int:pk>/restore/", views.checkpoint_restore, name="checkpoint-restore"),
    path(
        "checkpoints/<int:pk>/mismatch/", verification.checkpoint_mismatch_resolve, name="checkpoint-mismatch"
    ),
    path("revisions/<int:pk>/in-force/", views.revision_put_in_force, name="revision-in-force"),
    path("roadmaps/<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("roadmaps/<int:pk>/sections/reorder/", views.sections_reorder, name="sections-reorder"),
    path("roadmaps/<int:pk>/renumber/", views.roadmap_renumber, name="roadmap-renumber"),
    path("roadmaps/<int:pk>/activities/new/", views.activity_create, name="activity-create"),
    path("roadmaps/<int:pk>/assign/", views.responsibility_assign, name="responsibility-assign"),
    path(
        "roadmaps/<int:pk>/responsibilities/", views.responsibilities_change, name="responsibilities-change"
    ),
    path("roadmaps/<int:pk>/dashboard/", views.roadmap_dashboard, name="roadmap-dashboard"),
    path("roadmaps/<int:pk>/timeline/", timeline.roadmap_timeline, name="roadmap-timeline"),
    path("roadmaps/<int:pk>/timeline/pdf/", timeline.roadmap_timeline_pdf, name="roadmap-timeline-pdf"),
    path("roadmaps/<int:pk>/indicators/", views.indicator_list, name="indicator-list"),
    path("roadmaps/<int:pk>/indicators/new/", views.indicator_create, name="indicator-create"),
    # Closed reporting periods (roadmaps/views/periods.py): per roadmap, for a whole scope, one period.
    path("roadmaps/<int:pk>/periods/", views.period_list, name="period-list"),
    path("roadmaps/<int:pk>/periods/close/", views.period_close, name="period-close"),
    path("periods/", views.period_scope_list, name="period-scope-list"),
    path("periods/close/", views.period_scope_close, name="period-scope-close"),
    path("periods/<int:pk>/", views.period_detail, name="period-detail"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period-reopen"),
    path("periods/<int:pk>/checkpoints/", views.period_checkpoints, name="period-checkpoints"),
    path("sections/<int:pk>/edit/", views.section_update, name="section-update"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity-update"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    # Checkpoints set by hand (roadmaps/views/schedule.py).
    path("activities/<int:pk>/checkpoints/add/", schedule.checkpoint_add, name="checkpoint-add"),
    path("activities/<int:pk>/unscheduled/", schedule.activity_unscheduled, name="activity-unscheduled"),
    path("checkpoints/<int:pk>/move/", schedule.checkpoint_move, name="checkpoint-move"),
    path("checkpoints/<int:pk>/remove/", schedule.checkpoint_remove, name="checkpoint-remove"),
    path("responsibilities/<int:pk>/edit/", views.responsibility_update, name="responsibility-update"),
    path("responsibilities/<int:pk>/remove/", views.responsibility_remove, name="responsibility-remove"),
    path("my/", views.my_checkpoints, name="my-checkpoints"),
    path("counters/", counters.nav_counters, name="nav-counters"),
    path("checkpoints/<int:pk>/report/", views.checkpoint_report, name="checkpoint-report"),
    # Threads (roadmaps/views/threads.py): a checkpoint's whole story, an activity's staff discussion.
    path("checkpoints/<int:pk>/", threads.checkpoint_thread, name="checkpoint-thread"),
    path("activities/<int:pk>/discussion/", threads.activity_thread, name="activity-thread"),
    path("comments/<int:pk>/download/", threads.comment_download, name="comment-download"),
    path("checkpoints/<int:pk>/accept/", views.checkpoint_accept, name="checkpoint-accept"),
    path("checkpoints/<int:pk>/return/", views.checkpoint_return, name="checkpoint-return"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/preview/", views.evidence_preview, name="evidence-preview"),
    path("evidence/<int:pk>/public-link/revoke/", views.evidence_link_revoke, name="evidence-link-revoke"),
    path("evidence/<int:pk>/public-link/reissue/", views.evidence_link_reissue, name="evidence-link-reissue"),
    # Opened without an account: the signed token is the only credential (roadmaps/evidence_links.py).
    path("public/evidence/<str:token>/", views.evidence_public, name="evidence-public"),
    path("indicators/<int:pk>/edit/", views.indicator_update, name="indicator-update"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("indicators/<int:pk>/values/", views.indicator_value_set, name="indicator-value-set"),
    path("indicators/<int:pk>/organizations/", views.indicator_breakdown, name="indicator-breakdown"),
    path(
        "indicators/<int:pk>/organizations/targets/",
        views.indicator_organization_targets,
        name="indicator-organization-targets",
    ),
    path("verification/", views.verification_queue, name="verification-queue"),
    path("verification/bulk/", views.verification_bulk, name="verification-bulk"),
    path("verification/export/", verification.verification_export, name="verification-export"),
    path("review/", views.review_list, name="review-list"),
    path("dashboard/", views.scope_dashboard, name="dashboard"),
    # Import and download screens (roadmaps/views/importing.py, the importer's module).
    path("import/", importing.import_upload, name="import-upload"),
    path("import/<str:token>/", importing.import_status, name="import-status"),
    path("import/<str:token>/<int:owner>/", importing.import_preview, name="import-preview"),
    path("import/<str:token>/cancel/", importing.import_cancel, name="import-cancel"),
    path(
        "roadmaps/<int:pk>/download/<str:file_format>/", importing.roadmap_download, name="roadmap-download"
    ),
    # An edited .xlsx back as an update (roadmaps/views/updating.py): upload, then preview and confirm.
    path("roadmaps/<int:pk>/update/", updating.roadmap_update_upload, name="roadmap-update-upload"),
    path(
        "roadmaps/<int:pk>/update/<str:token>/",
        updating.roadmap_update_preview,
        name="roadmap-update-preview",
    ),
]
