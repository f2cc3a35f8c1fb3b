"""Catalog invariants the database itself enforces."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import PackagingKind, PackagingOption, Part, PriceBreak, Stock, sku_for_id
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
)

pytestmark = pytest.mark.django_db


def test_stock_cannot_reserve_more_than_is_on_hand():
    part = PartFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.create(part=part, on_hand=5, reserved=6)


def test_same_mpn_in_another_spelling_is_refused_for_the_same_manufacturer():
    maker = ManufacturerFactory(name="YAGEO")
    category = CategoryFactory()
    Part.objects.create(manufacturer=maker, category=category, mpn="RC0603FR-0710KL")

    with pytest.raises(IntegrityError), transaction.atomic():
        Part.objects.create(manufacturer=maker, category=category, mpn="rc0603fr 0710kl")


def test_part_gets_its_sku_from_its_id_on_create():
    part = PartFactory()

    part.refresh_from_db()
    assert part.sku == f"P{1_000_000 + part.pk}" == sku_for_id(part.pk)


def test_sku_does_not_change_when_the_part_is_saved_again():
    part = PartFactory()
    sku = Part.objects.get(pk=part.pk).sku

    part.mpn = "RC0603FR-0710KL-NEW"
    part.save()

    assert Part.objects.get(pk=part.pk).sku == sku


def test_price_break_price_must_be_positive():
    packaging = PackagingOptionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PriceBreak.objects.create(packaging=packaging, min_quantity=1, unit_price=Decimal("0"))


def test_full_reel_packaging_with_zero_pieces_per_reel_is_refused():
    part = PartFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PackagingOption.objects.create(part=part, kind=PackagingKind.REEL, reel_quantity=0)


def test_full_reel_packaging_without_a_reel_quantity_is_refused():
    part = PartFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PackagingOption.objects.create(part=part, kind=PackagingKind.REEL, reel_quantity=None)
