"""Keeping a copy in step: updated_after feeds paged by cursor, ETags and 304s."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Part, Stock
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def catalog():
    maker = ManufacturerFactory(name="Yageo", slug="yageo")
    category = CategoryFactory(name="Resistors", slug="resistors")
    parts = []
    for n in range(7):
        part = PartFactory(mpn=f"RC0603FR-07{n}KL", manufacturer=maker, category=category)
        StockFactory(part=part, on_hand=100 + n)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0120"))
        parts.append(part)
    # Five parts changed in the same instant (one import batch), two later.
    batch = SINCE + timedelta(hours=1)
    Part.objects.filter(pk__in=[p.pk for p in parts[:5]]).update(page_changed_at=batch)
    Part.objects.filter(pk__in=[p.pk for p in parts[5:]]).update(
        page_changed_at=batch + timedelta(minutes=5)
    )
    Part.objects.exclude(pk__in=[p.pk for p in parts]).update(page_changed_at=SINCE)
    return parts


def follow(client, url, params):
    seen, pages = [], 0
    response = client.get(url, params, secure=True)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += body["results"]
        pages += 1
        if not body["next"]:
            return seen, pages
        response = client.get(body["next"], secure=True)


def test_parts_changed_since_come_oldest_first_and_page_through_ties(client, catalog):
    seen, pages = follow(
        client, "/api/v1/parts/", {"updated_after": SINCE.isoformat(), "page_size": 2}
    )

    assert [p["sku"] for p in seen] == [p.sku for p in catalog]
    assert pages == 4
    assert all(p["currency"] == "CNY" for p in seen)


def test_a_part_changed_while_paging_is_not_missed(client, catalog):
    params = {"updated_after": SINCE.isoformat(), "page_size": 3}
    first = client.get("/api/v1/parts/", params, secure=True).json()
    # The first part of the batch changes after the first page was read.
    Part.objects.filter(pk=catalog[0].pk).update(page_changed_at=timezone.now())

    rest, _ = follow(client, first["next"], {})

    skus = [p["sku"] for p in first["results"] + rest]
    assert set(skus) == {p.sku for p in catalog}
    assert skus[-1] == catalog[0].sku  # seen again, with its new time


def test_only_later_changes_are_sent(client, catalog):
    later = (SINCE + timedelta(hours=1, minutes=1)).isoformat()

    seen, _ = follow(client, "/api/v1/parts/", {"updated_after": later})

    assert [p["sku"] for p in seen] == [p.sku for p in catalog[5:]]


def test_stock_changes_follow_the_stock_rows_time(client, catalog):
    Stock.objects.update(updated_at=SINCE)
    Stock.objects.filter(part=catalog[3]).update(
        on_hand=7, updated_at=SINCE + timedelta(minutes=1)
    )

    seen, _ = follow(client, "/api/v1/stock/", {"updated_after": SINCE.isoformat()})

    assert seen == [
        {
            "sku": catalog[3].sku,
            "mpn": catalog[3].mpn,
            "manufacturer": "Yageo",
            "available": 7,
            "updated_at": seen[0]["updated_at"],
        }
    ]


def test_price_feed_carries_ladders_and_currency(client, catalog):
    seen, _ = follow(client, "/api/v1/prices/", {"updated_after": SINCE.isoformat()})

    assert len(seen) == 7
    assert seen[0]["currency"] == "CNY"
    assert seen[0]["packaging_options"][0]["price_breaks"] == [
        {"min_quantity": 1, "unit_price": "0.012000"}
    ]


def test_page_numbers_do_not_mix_with_a_changes_feed(client, catalog):
    response = client.get(
        "/api/v1/parts/", {"updated_after": SINCE.isoformat(), "page": 2}, secure=True
    )

    assert response.status_code == 400
    assert "page" in response.json()["error"]["fields"]


def test_a_part_answers_304_to_its_own_etag(client, catalog):
    url = f"/api/v1/parts/{catalog[0].sku}/"
    first = client.get(url, secure=True)

    again = client.get(url, secure=True, HTTP_IF_NONE_MATCH=first["ETag"])
    Stock.objects.filter(part=catalog[0]).update(on_hand=1)
    changed = client.get(url, secure=True, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304 and again.content == b""
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_lookup_answers_304_to_its_own_etag(client, catalog):
    body = {"items": [{"mpn": catalog[0].mpn, "quantity": 10}]}
    first = client.post("/api/v1/parts/lookup/", body, content_type="application/json",
                        secure=True)

    again = client.post("/api/v1/parts/lookup/", body, content_type="application/json",
                        secure=True, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    result = first.json()["results"][0]
    assert result["match"] == "exact" and result["currency"] == "CNY"
    assert again.status_code == 304
