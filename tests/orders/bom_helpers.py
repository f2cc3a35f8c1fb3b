"""A small catalog BOMs are matched against, and a helper that reads and matches one."""

from decimal import Decimal

import pytest

from catalog.models import AlternateKind, Lifecycle, ManufacturerAlias, ParameterKind, PartAlternate
from orders.bom import reader, services
from orders.cart.services import CartOwner
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)


def add_part(mpn, maker, category, *, ladder=((1, "0.0100"),), stock=10000, reel=None, **fields):
    """A part with own stock and a cut-tape ladder; ``reel`` = (pieces per reel, unit price)."""
    part = PartFactory(mpn=mpn, manufacturer=maker, category=category, **fields)
    StockFactory(part=part, on_hand=stock)
    cut_tape = PackagingOptionFactory(part=part)
    for quantity, price in ladder:
        PriceBreakFactory(packaging=cut_tape, min_quantity=quantity, unit_price=Decimal(price))
    if reel:
        option = PackagingOptionFactory(part=part, kind="reel", reel_quantity=reel[0])
        PriceBreakFactory(packaging=option, min_quantity=reel[0], unit_price=Decimal(reel[1]))
    return part


@pytest.fixture
def bom_catalog(db):
    resistors = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    mlcc = CategoryFactory(name="MLCC Capacitors", slug="mlcc")
    mcus = CategoryFactory(name="Microcontrollers", slug="microcontrollers")
    capacitance = ParameterDefinitionFactory(
        category=mlcc, key="capacitance", name="Capacitance", unit="F"
    )
    ParameterDefinitionFactory(
        category=mlcc, key="dielectric", name="Dielectric", unit="", kind=ParameterKind.CHOICE
    )
    resistance = ParameterDefinitionFactory(category=resistors)
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    murata = ManufacturerFactory(name="Murata", slug="murata")
    st = ManufacturerFactory(name="STMicroelectronics", slug="stmicroelectronics")
    gd = ManufacturerFactory(name="GigaDevice", slug="gigadevice")
    ti = ManufacturerFactory(name="Texas Instruments", slug="texas-instruments")
    ManufacturerAlias.objects.create(manufacturer=ti, name="TI")
    onsemi = ManufacturerFactory(name="onsemi", slug="onsemi")

    parts = {
        "10k": add_part(
            "RC0603FR-0710KL",
            yageo,
            resistors,
            package="0603",
            moq=10,
            order_multiple=10,
            ladder=((10, "0.0120"), (100, "0.0061"), (1000, "0.0042")),
            reel=(5000, "0.0021"),
            stock=42000,
        ),
        "100n": add_part(
            "GRM155R71C104KA88D",
            murata,
            mlcc,
            package="0402",
            ladder=((1, "0.0100"), (1000, "0.0050")),
            stock=50000,
        ),
        "stm32": add_part(
            "STM32F103C8T6",
            st,
            mcus,
            package="LQFP-48",
            ladder=((1, "8.500000"), (100, "7.200000")),
            stock=0,
            lifecycle=Lifecycle.EOL,
        ),
        "gd32": add_part(
            "GD32F103C8T6",
            gd,
            mcus,
            package="LQFP-48",
            ladder=((1, "4.200000"), (100, "3.800000")),
            stock=5000,
        ),
        "lm358_ti": add_part(
            "LM358DR", ti, mcus, package="SOIC-8", ladder=((1, "0.350000"),), stock=800
        ),
        "lm358_on": add_part(
            "LM358DR",
            onsemi,
            mcus,
            package="SOIC-8",
            ladder=((1, "0.300000"),),
            stock=300,
            lifecycle=Lifecycle.NRND,
        ),
    }
    parts["100n"].parameter_values.create(definition=capacitance, si_value=1e-7, text="100nF")
    parts["10k"].parameter_values.create(definition=resistance, si_value=1e4, text="10kΩ")
    PartAlternate.objects.create(
        part=parts["stm32"], alternate=parts["gd32"], kind=AlternateKind.DROP_IN
    )
    SupplierOfferFactory(part=parts["lm358_ti"], quantity=5000, lead_days=7)
    return parts


def visitor(key="visitor-1"):
    return CartOwner(session_key=key)


def make_bom(text, *, owner=None, file_name="bom.csv", mapping=None, **settings):
    table = reader.read_upload(file_name, text.encode() if isinstance(text, str) else text)
    return services.bom_create(
        owner=owner or visitor(),
        table=table,
        mapping=mapping,
        settings=services.BomSettings(**settings),
    )
