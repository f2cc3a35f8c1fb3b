from decimal import Decimal

import pytest

from tests.customers.factories import CustomerFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

RESISTOR_LADDER = ((10, "0.0120"), (100, "0.0061"), (1000, "0.0042"))


@pytest.fixture
def resistor(db):
    """A chip resistor sold from 10 pieces in multiples of 10, on cut tape and full reels."""
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=chip,
        moq=10,
        order_multiple=10,
    )
    StockFactory(part=part, on_hand=42000, reserved=2000)
    cut_tape = PackagingOptionFactory(part=part)
    for quantity, price in RESISTOR_LADDER:
        PriceBreakFactory(packaging=cut_tape, min_quantity=quantity, unit_price=Decimal(price))
    reel = PackagingOptionFactory(part=part, kind="reel", reel_quantity=5000)
    PriceBreakFactory(packaging=reel, min_quantity=5000, unit_price=Decimal("0.0021"))
    return part


@pytest.fixture
def reel(resistor):
    return resistor.packaging_options.get(kind="reel")


@pytest.fixture
def unpriced_part(db):
    return PartFactory(mpn="XC7A35T-1CSG324C", manufacturer=ManufacturerFactory(name="AMD"))


@pytest.fixture
def customer(db):
    return CustomerFactory(email="buyer@example.com", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def other_customer(db):
    return CustomerFactory(email="rival@example.com")


@pytest.fixture
def staff(db):
    return CustomerFactory(email="sales@partline.example", is_staff=True, is_superuser=True)
