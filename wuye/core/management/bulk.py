"""Fast inserts for the benchmark generators: ``insert_rows(model, columns, rows)``.

``QuerySet.bulk_create`` spends most of its time (about 70–90 µs a row for a 20-column model on SQLite) in
Django's insert compiler, preparing every value and placeholder one by one. For a million rows that is the
whole budget, so generators write plain tuples with one ``executemany`` per batch instead (about ten times
faster), still converting every value the way ``bulk_create`` would: through the model field's
``get_db_prep_save`` (so an encrypted field is encrypted by its ``get_prep_value``, dates, times and decimals
are adapted for the database). Plain text, integer, boolean and foreign-key columns are passed as they are.

Like ``bulk_create``: no ``save()``, no signals, no change history, no ``full_clean()``. The caller computes
derived values (what ``save()`` would) and passes valid data. Columns left out get the field's default
(evaluated once per call, e.g. one ``created_at`` for the batch); ``auto_now`` fields get the current time; a
derived column (``DerivedField``: a phone's tail or digest) left out is computed from its source column.

``indexes_dropped(Model, …)`` drops a table's plain indexes for the load and builds them again at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connections, models, router, transaction
from django.utils import timezone

from wuye.core.personal import DerivedField

_PLAIN = {
    models.CharField, models.SlugField, models.TextField, models.EmailField, models.BooleanField,
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.ForeignKey, models.OneToOneField,
}


def _converter(field: models.Field, connection):
    if type(field) in _PLAIN:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence], *,
                using: str | None = None, batch_size: int = 5000) -> int:
    """Insert ``rows`` (tuples of Python values in the order of ``columns``, which are field names; a foreign
    key takes the related primary key) into ``model``'s table; returns the number of rows. Reads ``rows``
    lazily and writes them in batches of ``batch_size``."""
    using = using or router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    given = [opts.get_field(name) for name in columns]
    now = timezone.now()
    defaults, derived = [], []
    for field in opts.concrete_fields:
        if field in given or field.primary_key or field.generated:
            continue
        if isinstance(field, DerivedField) and field.source in columns:
            derived.append((field, list(columns).index(field.source)))
            continue
        value = now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) \
            else field.get_default()
        defaults.append((field, field.get_db_prep_save(value, connection)))
    fields = given + [f for f, _ in derived] + [f for f, _ in defaults]
    fixed = tuple(v for _, v in defaults)
    converters = [_converter(f, connection) for f in given]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # nosec B608  # names from the model, quoted
           f"VALUES ({', '.join(['%s'] * len(fields))})")

    def prepared():
        for row in rows:
            row = tuple(row)
            yield (tuple(v if c is None or v is None else c(v) for c, v in zip(converters, row, strict=True))
                   + tuple(f.derive(row[i]) for f, i in derived) + fixed)

    count = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for values in prepared():
            batch.append(values)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _secondary_indexes(connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's plain (non-unique) indexes, as the database stores them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])
            return [(name, sql) for name, sql in cursor.fetchall() if not sql.upper().startswith("CREATE UNIQUE")]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                           "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                           "AND NOT i.indisunique AND NOT i.indisprimary", [connection.ops.quote_name(table)])
            return list(cursor.fetchall())
    return []


@contextmanager
def indexes_dropped(*model_classes: type[models.Model], using: str | None = None):
    """Drop the plain indexes of the models' tables for a bulk load and build them again afterwards.

    Building an index once over sorted rows is several times cheaper than updating it for each inserted row
    (a ticket row goes into twenty). Unique indexes and the primary key stay, so the data is checked as it
    goes in. All of it runs in a transaction (a savepoint inside the caller's): if the load fails, the drops
    are rolled back with it (DDL is transactional on SQLite and PostgreSQL) and the indexes are as they were."""
    using = using or router.db_for_write(model_classes[0])
    connection = connections[using]
    with transaction.atomic(using=using):
        dropped: list[str] = []
        for model in model_classes:
            for name, create in _secondary_indexes(connection, model._meta.db_table):
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(create)
        yield len(dropped)
        with connection.cursor() as cursor:
            deferred = connection.vendor == "postgresql" and dropped
            if deferred:  # PostgreSQL refuses to index a table with foreign-key checks still pending: run them
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for create in dropped:
                cursor.execute(create)
            if deferred:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
