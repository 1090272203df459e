import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_participant_curator_user_and_history")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="изменён"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, db_index=True, default=django.utils.timezone.now, verbose_name="изменён"),
            preserve_default=False,
        ),
    ]
