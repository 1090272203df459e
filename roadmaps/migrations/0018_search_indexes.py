"""GIN expression indexes for the search (roadmaps/search_text.py): built concurrently on PostgreSQL, so
a national database keeps taking reports while they build; SQLite, which searches with LIKE, gets none."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class AddSearchIndex(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('roadmaps', '0017_roadmap_copied_from'),
    ]

    operations = [
        AddSearchIndex(
            model_name='activity',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('title', config='russian'), name='activity_search_title'),
        ),
        AddSearchIndex(
            model_name='activity',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('planned_result', 'result_document', 'goal_and_tasks', config='russian'), name='activity_search_results'),
        ),
        AddSearchIndex(
            model_name='activity',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('responsible_text', config='russian'), name='activity_search_responsible'),
        ),
        AddSearchIndex(
            model_name='activity',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('comment', config='russian'), name='activity_search_comment'),
        ),
        AddSearchIndex(
            model_name='checkpoint',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('result', config='russian'), name='checkpoint_search_result'),
        ),
        AddSearchIndex(
            model_name='checkpoint',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('return_reason', config='russian'), name='checkpoint_search_return'),
        ),
        AddSearchIndex(
            model_name='comment',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('text', config='russian'), name='comment_search_text'),
        ),
        AddSearchIndex(
            model_name='roadmap',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('title', config='russian'), name='roadmap_search_title'),
        ),
        AddSearchIndex(
            model_name='roadmap',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('goal', 'tasks', 'expected_results', config='russian'), name='roadmap_search_results'),
        ),
    ]
