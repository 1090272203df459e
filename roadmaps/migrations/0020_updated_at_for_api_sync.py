import django.utils.timezone
from django.db import migrations, models


class AddStampField(migrations.AddField):
    """On SQLite, a NOT NULL column by ALTER TABLE with a constant default: Django's way there rebuilds the
    table with every index of the model state, and the search's GIN indexes (0018) exist on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        table, column = model._meta.db_table, model._meta.get_field(self.name).column
        quote = schema_editor.quote_name
        # SQLite keeps datetimes as naive UTC text; every later save writes the column itself.
        stamp = django.utils.timezone.now().replace(tzinfo=None).isoformat(" ")
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} datetime NOT NULL DEFAULT '{stamp}'"
        )
        schema_editor.execute(f"CREATE INDEX {quote(table + '_updated_at')} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0019_russian_field_and_history_names")]

    operations = [
        AddStampField(
            model_name="activity",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="изменено"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, db_index=True, default=django.utils.timezone.now, verbose_name="изменено"),
            preserve_default=False,
        ),
        AddStampField(
            model_name="checkpoint",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="изменена"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcheckpoint",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, db_index=True, default=django.utils.timezone.now, verbose_name="изменена"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="indicator",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="изменён"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, db_index=True, default=django.utils.timezone.now, verbose_name="изменён"),
            preserve_default=False,
        ),
    ]
