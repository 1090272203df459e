import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reports", "0003_reminder_settings_calendar_weekly_log")]
AFTER = [("reports", "0005_reminderlog_once_per_stage_and_day")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reminders_sent_before_the_change_get_their_day_and_stay_once_per_stage(world):
    """0004 fills the day of each logged reminder from when it was sent (portal time), so 0005 can require it:
    a checkpoint reminded before the change is not reminded again the same day."""
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("reports")
    try:
        apps = migrate(BEFORE)
        Log = apps.get_model("reports", "ReminderLog")
        # 23:30 UTC on 09.03 is already 10.03 in Moscow
        sent_at = datetime.datetime(2025, 3, 9, 23, 30, tzinfo=datetime.UTC)
        row = Log.objects.create(checkpoint_id=world.checkpoint.pk, stage="due_soon")
        Log.objects.filter(pk=row.pk).update(sent_at=sent_at)

        apps = migrate(AFTER)
        Log = apps.get_model("reports", "ReminderLog")
        assert Log.objects.get(pk=row.pk).sent_on == timezone.localdate(sent_at) == datetime.date(2025, 3, 10)
    finally:
        migrate(leaf)
