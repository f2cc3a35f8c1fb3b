"""Catalog pages read from a streaming replica; writes and a visitor's reads right after
their own change use the primary (PostgreSQL: a real hot standby on loopback)."""

import time
from copy import deepcopy

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Part
from orders.models import CartLine
from shop import replicas
from tests.customers.factories import CustomerFactory
from tests.factories import PackagingOptionFactory, PriceBreakFactory, StockFactory
from tests.shop.replica_server import StreamingReplica, wait_until

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="streams from a PostgreSQL primary"
)
REPLICA = "replica1"


@pytest.fixture(scope="module")
def replica_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = StreamingReplica(deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict))
        try:
            server.start()
            # an alias as the settings make one of DATABASE_REPLICA_URLS
            connections.settings[REPLICA] = server.settings_dict()
            yield server
        finally:
            if REPLICA in connections.settings:
                connections[REPLICA].close()
                del connections[REPLICA]
                del connections.settings[REPLICA]
            server.stop()


@pytest.fixture
def replica(replica_server, settings):
    """The replica listed in the settings and the router on."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["shop.replicas.ReplicaRouter"]
    settings.DATABASE_REPLICA_PIN_SECONDS = 2
    settings.CACHES = {
        name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for name in ("default", "throttle")
    }
    try:
        yield connections[REPLICA]
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        connections[REPLICA].close()


def in_recovery(conn) -> bool:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def replay_state(conn) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_get_wal_replay_pause_state()")
        return cursor.fetchone()[0]


def description_seen(client, part) -> str:
    url = reverse(
        "catalog:part-json", kwargs={"manufacturer": part.manufacturer.slug, "mpn": part.mpn}
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.json()["description"]


def catalog_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"catalog_' in q["sql"]]


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_catalog_reads_use_the_replica_until_the_visitor_writes_then_the_primary_for_a_while(
    replica, client
):
    # given a part replicated to the standby, whose replay is then paused, and a change to
    # the part made on the primary since: the replica still has the old description
    part = StockFactory(on_hand=5000).part
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part))
    client.force_login(CustomerFactory())
    wait_until(
        lambda: PriceBreakFactory._meta.model.objects.using(REPLICA)
        .filter(packaging__part=part)
        .exists(),
        message="the part never reached the replica",
    )
    assert in_recovery(replica) and not in_recovery(connections[DEFAULT_DB_ALIAS])
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    wait_until(lambda: replay_state(replica) == "paused", message="replay did not pause")
    Part.objects.filter(pk=part.pk).update(description="Changed on the primary")

    # when a visitor reads the part: the catalog queries went to the replica
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(
        connections[DEFAULT_DB_ALIAS]
    ) as on_primary:
        first = description_seen(client, part)
    assert catalog_queries(on_replica) and not catalog_queries(on_primary)
    assert first == "Thick film chip resistor"

    # when the visitor adds the part to the cart (a write, on the primary) and reads again
    with CaptureQueriesContext(replica) as on_replica:
        added = client.post(reverse("orders:cart-add"), {"part": part.pk, "quantity": part.moq})
    assert added.status_code == 302, added.content.decode()[:2000]
    assert CartLine.objects.using(DEFAULT_DB_ALIAS).filter(part=part).exists()
    assert on_replica.captured_queries == []
    assert settings_cookie() in added.cookies
    # then their next read comes from the primary, with their change's world in it
    assert description_seen(client, part) == "Changed on the primary"
    # and another visitor still reads the replica
    other = client.__class__()
    assert description_seen(other, part) == "Thick film chip resistor"

    # when the window has passed, the visitor reads from the replica again
    time.sleep(2.2)
    assert description_seen(client, part) == "Thick film chip resistor"


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_writes_and_locked_reads_go_to_the_primary_even_where_replica_reads_are_allowed(replica):
    with replicas.replica_reads():
        assert router.db_for_read(Part) == REPLICA
        assert router.db_for_write(Part) == DEFAULT_DB_ALIAS
        assert Part.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert CartLine.objects.all().db == DEFAULT_DB_ALIAS  # not a catalog model
    # outside a request (a Celery task, a command) catalog reads use the primary
    assert router.db_for_read(Part) == DEFAULT_DB_ALIAS


def settings_cookie() -> str:
    from django.conf import settings

    return settings.DATABASE_REPLICA_PIN_COOKIE
