"""Give the demo store the offers operations would set up: a first-order coupon, top-up
bonus tiers and shipping methods. Runs once; existing offers are left as they are."""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from customers.models import TopUpBonusTier
from orders.models import ShippingMethod, ShippingRate
from promotions.models import CouponDefinition, CouponKind

BONUS_TIERS = (
    (Decimal("300"), Decimal("50")),
    (Decimal("500"), Decimal("80")),
    (Decimal("1000"), Decimal("200")),
)


# name, carrier, tracking link, transit days, fee bands (from amount, fee), per 1,000 pieces,
# free from, position
SHIPPING_METHODS = (
    (
        "Express, next day",
        "SF Express",
        "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{tracking}",
        1,
        ((Decimal("0"), Decimal("12.00")), (Decimal("200"), Decimal("8.00"))),
        Decimal("2.00"),
        Decimal("300.00"),
        0,
    ),
    (
        "Standard, 2–3 days",
        "JD Logistics",
        "https://www.jdl.com/orderSearch/?waybillCodes={tracking}",
        3,
        ((Decimal("0"), Decimal("6.00")),),
        Decimal("0.00"),
        Decimal("99.00"),
        1,
    ),
)


class Command(BaseCommand):
    help = (
        "Create the demo first-order coupon, top-up bonus tiers and shipping methods if there "
        "are none."
    )

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
        if not ShippingMethod.objects.exists():
            for name, carrier, url, days, bands, per_k, free, position in SHIPPING_METHODS:
                method = ShippingMethod.objects.create(
                    name=name,
                    carrier=carrier,
                    tracking_url=url,
                    transit_days=days,
                    fee_per_thousand_pieces=per_k,
                    free_shipping_threshold=free,
                    countries="CN",
                    position=position,
                )
                ShippingRate.objects.bulk_create(
                    ShippingRate(method=method, min_amount=low, fee=fee) for low, fee in bands
                )
            self.stdout.write(
                "Demo shipping: SF Express next day (free from 300), JD Logistics (free from 99)."
            )
