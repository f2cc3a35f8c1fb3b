from decimal import Decimal

import pytest

from customers.models import TopUpBonusTier
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory
from tests.promotions.factories import FirstOrderDefinitionFactory

pytestmark = pytest.mark.django_db


def test_home_has_search_categories_and_why_buy_here(client):
    category = CategoryFactory(name="Schottky diodes", slug="schottky")
    PartFactory(category=category, manufacturer=ManufacturerFactory(name="Vishay", slug="vishay"))

    html = client.get("/", secure=True).content.decode()

    assert 'action="/search/"' in html
    assert 'href="/c/schottky/"' in html and "1 part<" in html
    assert 'href="/m/vishay/"' in html
    assert "Ships today" in html and "Genuine parts" in html and "1-piece samples" in html


def test_home_shows_current_promotions(client):
    FirstOrderDefinitionFactory()
    TopUpBonusTier.objects.create(min_amount=Decimal("500"), bonus=Decimal("80"))

    html = client.get("/", secure=True).content.decode()

    assert "Current offers" in html
    assert "your first order" in html
    assert "Top up 500 CNY, get 80 extra" in html


def test_home_catalog_counts_are_cached(client, django_assert_max_num_queries):
    PartFactory()
    client.get("/", secure=True)

    with django_assert_max_num_queries(2):
        client.get("/", secure=True)


def test_home_names_the_dispatch_cut_off_checkout_uses(client, settings):
    settings.ORDERS_SHIP_CUTOFF_HOUR = 15

    assert "when ordered before 15:00" in client.get("/").content.decode()
