"""An import setting stock while orders reserve it loses no reservation (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections
from django.db.models import F

from catalog.imports import import_catalog_file
from catalog.models import ImportKind, Part, Stock
from tests.catalog.factories_import import part_row, resistor_category, write_csv


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_stock_import_loses_no_concurrent_reservation(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    resistor_category()
    import_catalog_file(path=write_csv(tmp_path, [part_row(stock="500")], name="catalog.csv"))
    stock = Stock.objects.get()
    feed = write_csv(
        tmp_path,
        [{"manufacturer": "YAGEO", "mpn": part_row()["mpn"], "stock": "300"}],
        name="feed.csv",
    )
    workers = 12
    barrier = Barrier(workers + 1)

    def reserve_thirty() -> int:
        try:
            barrier.wait()
            return Stock.objects.filter(
                part_id=stock.part_id, on_hand__gte=F("reserved") + 30
            ).update(reserved=F("reserved") + 30)
        finally:
            connections.close_all()

    def stock_feed() -> int:
        try:
            barrier.wait()
            return import_catalog_file(path=feed, kind=ImportKind.PRICE_STOCK).updated
        finally:
            connections.close_all()

    with ThreadPoolExecutor(workers + 1) as pool:
        reservations = [pool.submit(reserve_thirty) for _ in range(workers)]
        imported = pool.submit(stock_feed)
        reserved = 30 * sum(future.result() for future in reservations)

    final = Stock.objects.get(pk=stock.pk)
    assert final.reserved == reserved
    assert final.on_hand == (300 if imported.result() else 500)
    assert final.reserved <= final.on_hand


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_batches_written_side_by_side_keep_the_file_order(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("batches are written side by side on PostgreSQL only")
    settings.CATALOG_IMPORT_BATCH_SIZE = 3
    resistor_category()
    rows = [part_row(mpn=f"RC-{n}", description="first") for n in range(12)]
    rows += [part_row(mpn="RC-4", description="second"), part_row(mpn="", description="bad")]

    result = import_catalog_file(path=write_csv(tmp_path, rows))

    assert (result.created, result.updated, result.rejected) == (12, 1, 1)
    assert Part.objects.get(mpn="RC-4").description == "second"
    assert not Part.objects.filter(sku__isnull=True).exists()
    assert Stock.objects.count() == 12
