"""Data: the day of each reminder already sent, in the portal's time zone, before the field is required."""

from django.db import migrations
from django.utils import timezone


def fill_sent_on(apps, schema_editor):
    ReminderLog = apps.get_model("reports", "ReminderLog")
    rows = list(ReminderLog.objects.filter(sent_on__isnull=True).only("pk", "sent_at"))
    for row in rows:
        row.sent_on = timezone.localdate(row.sent_at)
    ReminderLog.objects.bulk_update(rows, ["sent_on"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_reminder_settings_calendar_weekly_log")]

    operations = [migrations.RunPython(fill_sent_on, migrations.RunPython.noop)]
