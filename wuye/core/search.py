"""Full-text search for Chinese without a word segmenter (DESIGN.md §7).

Text is indexed as overlapping character bigrams for CJK runs plus lower-cased Latin/number tokens, the
approach of Lucene's CJK bigram filter. A query is tokenized the same way and matched as a *phrase*, so
any substring of two or more characters matches exactly, through the database's own full-text index:
SQLite FTS5 (virtual table ``core_searchentry_fts``) or PostgreSQL (a stored column
``tsv = to_tsvector('simple', tokens)``, set by a trigger, with a GIN index). A one-character CJK query matches
the unigram tokens of titles. Index and query are normalised from Traditional to Simplified characters with OpenCC, so
either script finds both.

Apps register models in ``AppConfig.ready``::

    search.register(Customer, title=lambda c: c.name, text=lambda c: [...], estate=lambda c: c.estate_id)

and the index follows saves and deletes. ``index_objects`` re-indexes in bulk (generators, ``reindex``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _normalize(text: str) -> str:
    """NFKC, lower case, and Traditional characters as Simplified (OpenCC), so ``電梯`` and ``电梯`` match."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _t2s().convert(text) if text else text


def tokenize(text: str) -> list[str]:
    """``'3号楼漏水 A-12'`` -> ``['3', '号楼', '楼漏', '漏水', 'a', '12']``."""
    tokens: list[str] = []
    for run in _TOKEN_RE.findall(_normalize(text)):
        if _CJK_RE.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def _unigrams(text: str) -> list[str]:
    return [ch for run in _TOKEN_RE.findall(_normalize(text)) if _CJK_RE.match(run) for ch in run]


@dataclass
class Registration:
    model: type[models.Model]
    title: Callable[[models.Model], str]
    text: Callable[[models.Model], Iterable[str]]
    estate: Callable[[models.Model], int | None]
    subtitle: Callable[[models.Model], str]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    depends_on: dict = None  # {OtherModel: lambda other: [objects of this model to re-index]}
    mostly_shared: bool = False  # most entries belong to no estate (company-wide documents): see filter_queryset


_registry: dict[type[models.Model], Registration] = {}


def register(model, *, title, text, estate=lambda obj: None, subtitle=lambda obj: "",
             select_related=(), prefetch_related=(), depends_on=None, mostly_shared=False) -> None:
    """``depends_on={Occupancy: lambda occ: [occ.customer]}`` re-indexes owners when a related row changes.
    ``mostly_shared``: most of the model's entries belong to no estate (a company's controlled documents), so an
    estate-scoped user's search first looks among the model's newest entries (``filter_queryset``)."""
    _registry[model] = Registration(model, title, text, estate, subtitle, tuple(select_related),
                                    tuple(prefetch_related), dict(depends_on or {}), mostly_shared)


def leading_text(texts: Iterable[str], limit: int) -> list[str]:
    """The first ``limit`` characters of ``texts`` taken in order (the extracted text of an object's files): the
    start of a document, where its title, scope and purpose stand, without making the index many times larger."""
    parts, budget = [], limit
    for text in texts:
        if budget <= 0:
            break
        parts.append(text[:budget])
        budget -= len(text)
    return parts


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def document_tokens(reg: Registration, obj) -> str:
    title = reg.title(obj) or ""
    parts = [title, *[t for t in reg.text(obj) if t]]
    tokens: list[str] = []
    for part in parts:
        tokens.extend(tokenize(str(part)))
    tokens.extend(_unigrams(title))
    return " ".join(tokens)


def scope_tokens(content_type_id: int, estate_id: int | None) -> str:
    """Tokens that say whose entry this is: its model and its estate (``zzct12 zzes3``).

    A search asks for them together with the words, so the full-text index itself narrows to one model and to
    the estates a user serves (a doclist intersection), and the newest matches come straight from the index.
    """
    return f"zzct{content_type_id}" + (f" zzes{estate_id}" if estate_id is not None else " zzesnone")


def entry_tokens(reg: Registration, obj, content_type_id: int) -> str:
    """The ``tokens`` of an object's entry: its text's tokens and its scope tokens (bulk loaders use this)."""
    return f"{document_tokens(reg, obj)} {scope_tokens(content_type_id, reg.estate(obj))}"


def registration(model) -> Registration:
    return _registry[model]


def _entry_values(reg: Registration, obj, content_type_id: int) -> dict:
    return {
        "title": (reg.title(obj) or "")[:200],
        "subtitle": (reg.subtitle(obj) or "")[:300],
        "estate_id": reg.estate(obj),
        "tokens": entry_tokens(reg, obj, content_type_id),
    }


def index_object(obj) -> None:
    from .models import SearchEntry

    reg = _registry.get(type(obj))
    if reg is None:
        return
    ct = ContentType.objects.get_for_model(type(obj))
    values = _entry_values(reg, obj, ct.pk)
    entry = SearchEntry.objects.filter(content_type=ct, object_id=obj.pk)
    current = entry.values(*values).first()
    if current == values:
        return  # most saves (a ticket's steps) leave the indexed text as it was: no write, no index update
    if current is not None:
        entry.update(updated_at=timezone.now(), **values)
        return
    try:
        with transaction.atomic():
            SearchEntry.objects.create(content_type=ct, object_id=obj.pk, **values)
    except IntegrityError:  # indexed meanwhile by a concurrent save
        entry.update(updated_at=timezone.now(), **values)


def unindex_object(obj) -> None:
    from .models import SearchEntry

    if type(obj) in _registry:
        ct = ContentType.objects.get_for_model(type(obj))
        SearchEntry.objects.filter(content_type=ct, object_id=obj.pk).delete()


def index_objects(model, queryset=None, batch_size: int = 2000) -> int:
    """(Re)index every object of ``model`` (or of ``queryset``) in batches; returns the count."""
    from .models import SearchEntry

    reg = _registry[model]
    ct = ContentType.objects.get_for_model(model)
    qs = queryset if queryset is not None else model._default_manager.all()
    if reg.select_related:
        qs = qs.select_related(*reg.select_related)
    if reg.prefetch_related:
        qs = qs.prefetch_related(*reg.prefetch_related)
    count = 0
    batch: list[SearchEntry] = []

    def flush():
        ids = [e.object_id for e in batch]
        with transaction.atomic():
            SearchEntry.objects.filter(content_type=ct, object_id__in=ids).delete()
            SearchEntry.objects.bulk_create(batch)
        batch.clear()

    # Django 5.2 prefetches a forward foreign key with a tuple lookup that SQLite renders as one OR term per
    # object, and SQLite refuses expressions deeper than 1000: read prefetching querysets in smaller chunks.
    chunk = min(batch_size, 500) if reg.prefetch_related and connection.vendor == "sqlite" else batch_size
    for obj in qs.order_by("pk").iterator(chunk_size=chunk):
        batch.append(SearchEntry(content_type=ct, object_id=obj.pk, **_entry_values(reg, obj, ct.pk)))
        count += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return count


def connect_signals() -> None:
    """The index is written in the same transaction as the object, so a rollback undoes both."""
    post_save.connect(_dispatch_save, dispatch_uid="wuye.core.search.save")
    post_delete.connect(_dispatch_delete, dispatch_uid="wuye.core.search.delete")


def _dispatch_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender in _registry:
        index_object(instance)
    for reg in _registry.values():
        for owner in reg.depends_on.get(sender, lambda obj: ())(instance):
            if owner is not None:
                index_object(owner)


def _dispatch_delete(sender, instance, **kwargs):
    if sender in _registry:
        unindex_object(instance)
    for reg in _registry.values():
        for owner in reg.depends_on.get(sender, lambda obj: ())(instance):
            if owner is not None and owner.pk is not None:
                index_object(owner)


# --- querying -------------------------------------------------------------------------------------------


def query_tokens(query: str) -> list[str]:
    return tokenize(query)


def _fts_condition(tokens: list[str]) -> RawSQL:
    phrase = " ".join(tokens)
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT id FROM core_searchentry WHERE tsv @@ phraseto_tsquery('simple', %s)",
            (phrase,),
        )
    quoted = '"' + phrase.replace('"', "") + '"'
    return RawSQL("SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s", (quoted,))


def matching_entries(query: str, *, models_: Iterable[type[models.Model]] | None = None):
    """SearchEntry rows whose text contains ``query`` (phrase of its tokens); empty if nothing to match."""
    from .models import SearchEntry

    tokens = query_tokens(query)
    qs = SearchEntry.objects.all()
    if not tokens:
        return qs.none()
    qs = qs.filter(id__in=_fts_condition(tokens))
    if models_ is not None:
        cts = ContentType.objects.get_for_models(*models_).values()
        qs = qs.filter(content_type__in=list(cts))
    return qs


def filter_queryset(queryset: models.QuerySet, query: str, *, user=None, limit: int | None = None
                    ) -> models.QuerySet:
    """Narrow ``queryset`` (of a registered model) to objects whose indexed text contains ``query``.

    The full-text index answers with the **newest** ``limit`` matches (by default ``WUYE_SEARCH_LIMIT`` + 1,
    i.e. 1,001: a list then says "more than 1,000" and asks for more characters), narrowed in the index to the
    model and, given ``user``, to the estates the user serves; the queryset's own filters and order then apply
    to those. A search of a common word in a million tickets therefore reads a thousand index rows, not a
    hundred thousand.
    """
    from .scope import user_scope

    tokens = query_tokens(query)
    if not tokens:
        return queryset.none()
    ct_id = ContentType.objects.get_for_model(queryset.model).pk
    estate_ids = None
    if user is not None:
        scope = user_scope(user)
        if not scope.all_estates and not scope.is_resident:
            if not scope.estate_ids:
                return queryset.none()
            estate_ids = sorted(scope.estate_ids)
    limit = limit if limit is not None else search_limit() + 1
    ids = None
    if estate_ids is not None and connection.vendor == "postgresql" and _registry[queryset.model].mostly_shared:
        ids = _newest_in_window(tokens, ct_id, estate_ids, limit)
    if ids is None:
        # read once: a list page runs the filtered queryset twice (its count and its page)
        with connection.cursor() as cursor:
            cursor.execute(*_newest_matches(tokens, ct_id, estate_ids, limit))
            ids = [row[0] for row in cursor.fetchall()]
    if connection.vendor == "postgresql" and ids:
        # one array parameter: PostgreSQL plans a thousand ``IN (%s, …)`` parameters slowly (10 ms a query)
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return queryset.filter(pk__in=ids)


# How many of a model's newest entries ``_newest_in_window`` reads (times the number of matches wanted).
WINDOW_FACTOR = 8


def _newest_in_window(tokens: list[str], ct_id: int, estate_ids: list[int], limit: int) -> list[int] | None:
    """PostgreSQL, an estate-scoped user, a model whose entries mostly belong to no estate: the matches among the
    model's ``WINDOW_FACTOR * limit`` newest entries, if there are ``limit`` of them (then they are exactly the
    newest ``limit`` matches), else None (ask the index). The planner cannot see that the estate tokens of the
    full-text query cover nearly every document, so it visited every match (电梯 in 200,000 documents: 29,000
    rows, 120 ms); the newest 8,000 documents hold a common word's newest thousand matches (5 ms)."""
    sql = ("SELECT w.object_id FROM (SELECT e.id, e.object_id, e.tsv, e.estate_id FROM core_searchentry e "
           "WHERE e.content_type_id = %s ORDER BY e.id DESC LIMIT %s) w "
           "WHERE w.tsv @@ phraseto_tsquery('simple', %s) AND (w.estate_id IS NULL OR w.estate_id = ANY(%s)) "
           "ORDER BY w.id DESC LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, (ct_id, WINDOW_FACTOR * limit, " ".join(tokens), list(estate_ids), limit))
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) >= limit else None


def search_limit() -> int:
    """How many matches a search list shows at most (``WUYE_SEARCH_LIMIT``, default 1,000)."""
    return getattr(settings, "WUYE_SEARCH_LIMIT", 1000)


def _newest_matches(tokens: list[str], ct_id: int, estate_ids: list[int] | None, limit: int
                    ) -> tuple[str, tuple]:
    """The SQL and parameters that read the object ids of the newest ``limit`` matches."""
    scope = [f"zzct{ct_id}"]
    # the user's estates, and entries of no estate (company-wide records such as a procedure: restrict() decides)
    estate_tokens = [f"zzes{int(e)}" for e in estate_ids or ()] + ["zzesnone"]
    if estate_ids is not None:
        scope.append("(" + " OR ".join(estate_tokens) + ")")
    phrase = " ".join(tokens)
    if connection.vendor == "postgresql":
        # ``tsv`` is stored, so the planner may choose freely: for a common word it walks the model's newest
        # entries backwards (``core_searchentry_model_newest``) and stops at ``limit`` (a million tickets, 漏水:
        # 3 ms), for a rare one it takes the GIN index. The model is the ``content_type_id`` column here: its token
        # would make the GIN index intersect a posting list of every ticket.
        condition = "phraseto_tsquery('simple', %s)"
        params: list = [phrase]
        if estate_ids is not None:
            condition += " && to_tsquery('simple', %s)"
            params.append(" | ".join(estate_tokens))
        return (f"SELECT e.object_id FROM core_searchentry e WHERE e.tsv @@ ({condition}) "  # nosec B608  # fixed SQL, values are parameters
                "AND e.content_type_id = %s ORDER BY e.id DESC LIMIT %s", (*params, ct_id, limit))
    match = '"' + phrase.replace('"', "") + '" AND ' + " AND ".join(scope)
    return ("SELECT e.object_id FROM core_searchentry_fts f JOIN core_searchentry e ON e.id = f.rowid "
            "WHERE core_searchentry_fts MATCH %s AND e.content_type_id = %s ORDER BY f.rowid DESC LIMIT %s",
            (match, ct_id, limit))


# --- schema ---------------------------------------------------------------------------------------------

SQLITE_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS core_searchentry_fts USING fts5("
    "tokens, content='core_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS core_searchentry_ai AFTER INSERT ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS core_searchentry_ad AFTER DELETE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, tokens) VALUES('delete', old.id, old.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS core_searchentry_au AFTER UPDATE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, tokens) VALUES('delete', old.id, old.tokens); "
    "INSERT INTO core_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_SCHEMA_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchentry_au",
    "DROP TRIGGER IF EXISTS core_searchentry_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
# The tokens' tsvector is stored (computed by PostgreSQL on every write): a search that reads many entries no
# longer parses each one's text again (a common word over a million tickets: 0.4 s → 3 ms). Migration 0004 made it
# a generated column (0002 had an expression index, which 0004 drops); 0007 makes it a plain column that a trigger
# sets on every insert and every change of ``tokens``. The same values, but pg_dump now writes them and a restore
# loads them as they are instead of computing every one again: at 200,000 documents the entries' data loads in
# 35 s instead of 74 (the trigger, like every trigger, is created after the data). Idempotent: a fresh
# installation (0002) gets the final shape at once, and 0004 and 0007 pass through it unchanged.
POSTGRES_SCHEMA = [
    "ALTER TABLE core_searchentry ADD COLUMN IF NOT EXISTS tsv tsvector",
    # an installation from before 0007: the generated column becomes a plain one, its values kept
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = 'core_searchentry' AND column_name = 'tsv' AND is_generated = 'ALWAYS') THEN "
    "ALTER TABLE core_searchentry ALTER COLUMN tsv DROP EXPRESSION; END IF; END $$",
    "CREATE OR REPLACE FUNCTION core_searchentry_tsv() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN NEW.tsv := to_tsvector('simple', NEW.tokens); RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS core_searchentry_tsv ON core_searchentry",
    "CREATE TRIGGER core_searchentry_tsv BEFORE INSERT OR UPDATE OF tokens ON core_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION core_searchentry_tsv()",
    "UPDATE core_searchentry SET tsv = to_tsvector('simple', tokens) WHERE tsv IS NULL",
    "CREATE INDEX IF NOT EXISTS core_searchentry_tsv_gin ON core_searchentry USING gin (tsv)",
    "DROP INDEX IF EXISTS core_searchentry_tokens_gin",
]
POSTGRES_SCHEMA_REVERSE = [
    "DROP INDEX IF EXISTS core_searchentry_tsv_gin",
    "DROP TRIGGER IF EXISTS core_searchentry_tsv ON core_searchentry",
    "DROP FUNCTION IF EXISTS core_searchentry_tsv()",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS tsv",
]


def create_schema(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_SCHEMA if vendor == "sqlite" else POSTGRES_SCHEMA if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


def drop_schema(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (SQLITE_SCHEMA_REVERSE if vendor == "sqlite"
                  else POSTGRES_SCHEMA_REVERSE if vendor == "postgresql" else [])
    for sql in statements:
        schema_editor.execute(sql)
