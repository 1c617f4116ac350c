"""core.search: CJK bigram tokens through the database's full-text index (SQLite FTS5 / PostgreSQL GIN)."""

import pytest
from django.db import connection

from wuye.core import search
from wuye.estates.models import Customer
from wuye.estates.tests.factories import CustomerFactory, EstateFactory, OccupancyFactory, UnitFactory


def test_tokenize_cjk_bigrams_latin_and_numbers():
    assert search.tokenize("3号楼漏水 A-12") == ["3", "号楼", "楼漏", "漏水", "a", "12"]
    assert search.tokenize("王") == ["王"]
    assert search.tokenize("ＡＢＣ１２") == ["abc12"]  # full-width folded by NFKC


@pytest.mark.django_db
def test_substring_of_two_or_more_characters_matches_through_the_index():
    estate = EstateFactory()
    hit = CustomerFactory(estate=estate, name="欧阳天花")
    CustomerFactory(estate=estate, name="天王花")  # has 天 and 花 but not the substring 天花
    found = set(search.filter_queryset(Customer.objects.all(), "天花").values_list("pk", flat=True))
    assert found == {hit.pk}
    assert set(search.filter_queryset(Customer.objects.all(), "阳天花").values_list("pk", flat=True)) == {hit.pk}
    assert not search.filter_queryset(Customer.objects.all(), "花天").exists()


@pytest.mark.django_db
def test_index_follows_saves_and_related_changes():
    estate = EstateFactory()
    customer = CustomerFactory(estate=estate, name="赵敏")
    customer.name = "周芷若"
    customer.save()
    assert not search.filter_queryset(Customer.objects.all(), "赵敏").exists()
    assert search.filter_queryset(Customer.objects.all(), "芷若").get() == customer
    # the customer's unit numbers are part of their text: a new occupancy re-indexes the customer
    unit = UnitFactory(building__estate=estate, entrance="2", number="1808")
    OccupancyFactory(unit=unit, customer=customer)
    assert search.filter_queryset(Customer.objects.all(), unit.code).get() == customer


@pytest.mark.django_db
def test_bulk_reindex_counts_and_replaces():
    estate = EstateFactory()
    CustomerFactory.create_batch(5, estate=estate)
    from wuye.core.models import SearchEntry

    SearchEntry.objects.all().delete()
    assert search.index_objects(Customer, batch_size=2) == 5
    assert SearchEntry.objects.filter(content_type__model="customer").count() == 5


@pytest.mark.django_db
def test_query_plan_uses_the_full_text_index():
    """The search is answered by the FTS index, not a LIKE scan of the entries table."""
    sql, params = search.matching_entries("漏水").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "core_searchentry_fts VIRTUAL TABLE INDEX" in plan
        else:
            # a test table is tiny: make every plan but the full-text index look expensive
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "core_searchentry_tsv_gin" in plan  # the stored tsvector column's GIN index
    assert "LIKE" not in sql.upper()


@pytest.mark.django_db
def test_traditional_and_simplified_match_each_other():
    estate = EstateFactory()
    simplified = CustomerFactory(estate=estate, name="电梯维保公司")
    traditional = CustomerFactory(estate=estate, name="電梯維修公司")
    assert set(search.filter_queryset(Customer.objects.all(), "電梯")) == {simplified, traditional}
    assert set(search.filter_queryset(Customer.objects.all(), "电梯维")) == {simplified, traditional}


@pytest.mark.django_db
def test_search_answers_the_newest_matches_within_the_users_estates(world):
    a = [CustomerFactory(estate=world.estate_a, name=f"漏水测试{i}") for i in range(3)]
    b = CustomerFactory(estate=world.estate_b, name="漏水测试乙")
    everything = Customer.objects.all()
    assert set(search.filter_queryset(everything, "漏水")) == {*a, b}
    # the limit keeps the newest entries
    assert set(search.filter_queryset(everything, "漏水", limit=2)) == {b, a[2]}
    # narrowed to the agent's estates inside the index: estate B's entry never takes a place in the limit
    agent = world.users["agent"]
    assert set(search.filter_queryset(everything, "漏水", user=agent, limit=2)) == {a[2], a[1]}
    # someone who sees every estate is not narrowed
    assert b in search.filter_queryset(everything, "漏水", user=world.users["cs_manager"], limit=2)
    entry = search.entry_tokens(search.registration(Customer), b, search.ContentType.objects.get_for_model(
        Customer).pk)
    assert entry.endswith(f"zzes{world.estate_b.pk}")


@pytest.mark.django_db
def test_reindex_command_rebuilds_entries(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from wuye.core.models import SearchEntry

    SearchEntry.objects.all().delete()
    assert not search.filter_queryset(Customer.objects.all(), "王芳").exists()
    out = StringIO()
    call_command("reindex", "estates.customer", stdout=out)
    assert "estates.Customer: 2" in out.getvalue()
    assert list(search.filter_queryset(Customer.objects.all(), "王芳")) == [world.customer_a]
    with pytest.raises(CommandError):
        call_command("reindex", "estates.nothing")


@pytest.mark.django_db
def test_a_save_that_leaves_the_text_alone_writes_nothing_to_the_index():
    from django.test.utils import CaptureQueriesContext

    from wuye.core.models import SearchEntry

    customer = CustomerFactory(estate=EstateFactory(), name="漏水测试甲")
    entry = SearchEntry.objects.get(object_id=customer.pk, title__startswith="漏水测试甲")
    with CaptureQueriesContext(connection) as queries:
        customer.save()  # nothing the index holds changed
    assert not [q for q in queries.captured_queries if "core_searchentry" in q["sql"] and
                q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    customer.name = "电梯测试乙"
    customer.save()
    entry.refresh_from_db()
    assert entry.title.startswith("电梯测试乙") and entry.updated_at >= customer.updated_at.replace(microsecond=0)
    assert set(search.filter_queryset(Customer.objects.all(), "电梯测试")) == {customer}
    assert not search.filter_queryset(Customer.objects.all(), "漏水测试甲").exists()


@pytest.mark.django_db
def test_postgresql_keeps_the_tsvector_of_every_entry_current():
    """The stored ``tsv`` is a plain column set by a trigger (so a dump carries it and a restore loads it): it
    follows inserts, changes of the tokens and bulk inserts, and is never a generated column again."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's stored tsvector; SQLite has its FTS5 table")
    estate = EstateFactory()
    customer = CustomerFactory(estate=estate, name="电梯维保公司")
    customer.name = "水泵维修公司"
    customer.save()
    CustomerFactory.create_batch(3, estate=estate)
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_generated FROM information_schema.columns WHERE table_schema = current_schema() "
                       "AND table_name = 'core_searchentry' AND column_name = 'tsv'")
        assert cursor.fetchone() == ("NEVER",)
        cursor.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE tsv IS DISTINCT FROM to_tsvector('simple', tokens)) "
                       "FROM core_searchentry")
        total, stale = cursor.fetchone()
        assert total >= 4 and stale == 0
    assert set(search.filter_queryset(Customer.objects.all(), "水泵")) == {customer}
    assert not search.filter_queryset(Customer.objects.all(), "电梯维保").exists()
