"""Factories of gifts and the points shop."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from customers import services as customer_services
from promotions.models_gifts import Gift
from promotions.models_shop import PointsShopItem, PointsShopItemKind
from tests.promotions.factories import CouponDefinitionFactory


class GiftFactory(DjangoModelFactory):
    class Meta:
        model = Gift

    name = factory.Sequence(lambda n: f"Sample kit {n}")
    stock = 5


class CouponItemFactory(DjangoModelFactory):
    class Meta:
        model = PointsShopItem

    name = factory.Sequence(lambda n: f"20 CNY coupon {n}")
    kind = PointsShopItemKind.COUPON
    points_cost = 500
    coupon_definition = factory.SubFactory(CouponDefinitionFactory)
    stock = 10


class GiftItemFactory(DjangoModelFactory):
    class Meta:
        model = PointsShopItem

    name = factory.Sequence(lambda n: f"Sample kit item {n}")
    kind = PointsShopItemKind.GIFT
    points_cost = 800
    gift = factory.SubFactory(GiftFactory)
    stock = None


def give_points(user, points: int, reference: str = "SO-SEED") -> None:
    """Points as a paid order earns them."""
    customer_services.points_earn_for_order(
        user=user, order_reference=reference, amount_paid=Decimal(0), points=points
    )
