"""PostgreSQL only: the GIN index the Chinese search reads, and trigram similarity on titles.

On SQLite (the embedded default) both steps do nothing; ``policies.search`` falls back to
``icontains`` over the same token column there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# to_tsvector('simple', …) over the jieba tokens: the expression SearchVector('search_tokens',
# config='simple') compiles to, so the search query uses this index.
CREATE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS policies_policy_tokens_gin "
    "ON policies_policy USING gin (to_tsvector('simple'::regconfig, COALESCE(search_tokens, '')))",
    "CREATE INDEX IF NOT EXISTS policies_policy_title_trgm ON policies_policy USING gin (title gin_trgm_ops)",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS policies_policy_title_trgm",
    "DROP INDEX IF EXISTS policies_policy_tokens_gin",
]


class PostgresTrigramExtension(TrigramExtension):
    """``CREATE EXTENSION pg_trgm``, and nothing on another database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE_INDEXES:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_INDEXES:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_criteria_pushes_search")]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
