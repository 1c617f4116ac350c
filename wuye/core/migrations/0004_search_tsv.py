"""PostgreSQL: the search index's tsvector becomes a stored generated column with its own GIN index (replacing
the expression index). Nothing changes on SQLite. ``search.create_schema`` is idempotent, so a fresh installation
(whose 0002 already made the stored column) passes through unchanged."""

from django.db import migrations

from wuye.core import search


class Migration(migrations.Migration):
    dependencies = [("core", "0003_notification")]

    operations = [migrations.RunPython(search.create_schema, migrations.RunPython.noop, elidable=False)]
