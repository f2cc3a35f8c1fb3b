"""VAT per line, as on the invoice: the cart's figures add up, and the documented example holds."""

import random
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.models import PackagingOption, Part, PriceBreak
from catalog.pricing import round_money
from orders.cart import services
from orders.models import CartLine
from orders.vat import worked_example
from tests.factories import CartFactory, CategoryFactory, ManufacturerFactory

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "vat.md"


@pytest.fixture
def big_cart(settings):
    """200 lines of parts priced at odd unit prices, so many lines round half a cent."""
    settings.SHOP_VAT_RATE = Decimal("0.13")
    rng = random.Random(200)
    maker, category = ManufacturerFactory(name="Bourns"), CategoryFactory()
    parts = Part.objects.bulk_create(
        Part(
            sku=f"P9{n:06d}",
            mpn=f"CR0603-FX-{n:04d}ELF",
            normalized_mpn=f"CR0603FX{n:04d}ELF",
            manufacturer=maker,
            category=category,
        )
        for n in range(200)
    )
    options = PackagingOption.objects.bulk_create(
        PackagingOption(part=part, kind="cut_tape") for part in parts
    )
    PriceBreak.objects.bulk_create(
        PriceBreak(
            packaging=option,
            min_quantity=1,
            unit_price=Decimal(rng.randint(100, 999_999)) / 1_000_000,
        )
        for option in options
    )
    cart = CartFactory()
    CartLine.objects.bulk_create(
        CartLine(cart=cart, part=part, quantity=rng.randint(1, 20_000)) for part in parts
    )
    return services.cart_price(cart=cart)


def test_a_200_line_carts_vat_is_the_sum_of_its_lines_vat(big_cart):
    assert len(big_cart.lines) == 200
    assert big_cart.vat == sum(round_money(line.total * Decimal("0.13")) for line in big_cart.lines)


def test_a_200_line_carts_total_is_subtotal_plus_vat_to_the_cent(big_cart):
    assert big_cart.subtotal == sum(line.total for line in big_cart.lines)
    assert big_cart.total == big_cart.subtotal + big_cart.vat
    assert big_cart.total == sum(line.total_incl_vat for line in big_cart.lines)
    assert big_cart.total.as_tuple().exponent == -2


def test_each_lines_vat_is_its_net_at_the_rate_rounded_half_up(big_cart):
    for line in big_cart.lines:
        assert line.total == round_money(line.unit_price * line.quantity)
        assert line.vat == round_money(line.total * Decimal("0.13"))


def test_the_documented_example_is_what_the_rule_computes(settings):
    settings.SHOP_VAT_RATE = Decimal("0.13")
    example = worked_example()
    doc = DOC.read_text()

    assert [str(line.net) for line in example.lines] == ["0.92", "10.50", "7.05"]
    assert [str(line.vat) for line in example.lines] == ["0.12", "1.37", "0.92"]
    assert (example.subtotal, example.vat, example.total) == (
        Decimal("18.47"),
        Decimal("2.41"),
        Decimal("20.88"),
    )
    assert example.vat_on_subtotal == Decimal("2.40")
    assert "| **cart** | | | **18.47** | | **2.41** |" in doc
    assert "**CNY 20.88**" in doc


def test_the_vat_page_shows_the_example_at_the_stores_rate(client, settings):
    settings.SHOP_VAT_RATE = Decimal("0.13")

    html = client.get("/vat/", secure=True).content.decode()

    assert "VAT is computed per line, as on your VAT invoice" in html
    assert '<td class="num subtotal">18.47</td><td class="num vat">2.41</td>' in html
    assert '<strong class="total">20.88</strong>' in html
    assert "13 % of the subtotal would be 2.40" in html
