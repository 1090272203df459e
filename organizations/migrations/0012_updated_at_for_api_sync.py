import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0011_russian_field_and_history_names")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="изменена"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, db_index=True, default=django.utils.timezone.now, verbose_name="изменена"),
            preserve_default=False,
        ),
    ]
