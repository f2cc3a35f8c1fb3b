"""Give the demo store the offers operations would set up: a first-order coupon and top-up
bonus tiers. Runs once; existing offers are left as they are."""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from customers.models import TopUpBonusTier
from promotions.models import CouponDefinition, CouponKind

BONUS_TIERS = (
    (Decimal("300"), Decimal("50")),
    (Decimal("500"), Decimal("80")),
    (Decimal("1000"), Decimal("200")),
)


class Command(BaseCommand):
    help = "Create the demo first-order coupon and top-up bonus tiers if there are none."

    @transaction.atomic
    def handle(self, *args, **options):
        if not CouponDefinition.objects.filter(is_first_order_coupon=True).exists():
            CouponDefinition.objects.create(
                name="Welcome: 30 off your first order",
                kind=CouponKind.FIXED,
                amount=Decimal("30.00"),
                minimum_spend=Decimal("200.00"),
                valid_days=30,
                first_order_only=True,
                is_first_order_coupon=True,
            )
            self.stdout.write("Demo first-order coupon: 30 off orders from 200.")
        if not TopUpBonusTier.objects.exists():
            TopUpBonusTier.objects.bulk_create(
                TopUpBonusTier(min_amount=amount, bonus=bonus) for amount, bonus in BONUS_TIERS
            )
            self.stdout.write("Demo top-up bonus tiers: 300 → +50, 500 → +80, 1000 → +200.")
