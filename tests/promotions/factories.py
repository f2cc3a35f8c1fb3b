"""factory_boy factories for promotions."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from promotions import models, services
from promotions.services import CouponLine

PASSWORD = "Capacitor-100nF-X7R"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(password=PASSWORD, **kwargs)


class CouponDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = models.CouponDefinition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coupon {n}")
    kind = models.CouponKind.FIXED
    amount = Decimal("20.00")
    minimum_spend = Decimal("0")
    scope = models.CouponScope.ALL

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)

    @factory.post_generation
    def manufacturers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.manufacturers.set(extracted)


class PercentDefinitionFactory(CouponDefinitionFactory):
    kind = models.CouponKind.PERCENT
    amount = None
    percent = Decimal("10")


class FirstOrderDefinitionFactory(CouponDefinitionFactory):
    name = "Welcome: 30 off your first order"
    amount = Decimal("30.00")
    minimum_spend = Decimal("200.00")
    valid_days = 30
    first_order_only = True
    is_first_order_coupon = True


def issued(definition=None, user=None, **definition_fields):
    """A coupon issued through the service, as customers get them."""
    definition = definition or CouponDefinitionFactory(**definition_fields)
    return services.coupon_issue(definition=definition, user=user or UserFactory())


def line(total, *, category_path="passives/resistors", manufacturer_id=1, part_id=1, quantity=1):
    return CouponLine(
        part_id=part_id,
        category_path=category_path,
        manufacturer_id=manufacturer_id,
        quantity=quantity,
        line_total=Decimal(total),
    )
