"""What a coupon is worth on a cart, and each reason it is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from promotions.errors import CouponAlreadyUsed, CouponNotApplicable
from promotions.models import CouponKind, CouponScope
from promotions.services import coupon_check, coupon_redeem
from tests.factories import CategoryFactory, ManufacturerFactory
from tests.promotions.factories import (
    CouponDefinitionFactory,
    PercentDefinitionFactory,
    issued,
    line,
)

pytestmark = pytest.mark.django_db


def check(coupon, user, lines, **kwargs):
    kwargs.setdefault("is_first_order", False)
    return coupon_check(coupon=coupon, user=user, lines=lines, **kwargs)


def refusal(coupon, user, lines, **kwargs) -> CouponNotApplicable:
    with pytest.raises(CouponNotApplicable) as caught:
        check(coupon, user, lines, **kwargs)
    return caught.value


def test_fixed_coupon_takes_its_amount_off(customer):
    coupon = issued(user=customer, amount=Decimal("20.00"))

    quote = check(coupon, customer, [line("150.00")])

    assert quote.discount == Decimal("20.00")
    assert quote.eligible_subtotal == Decimal("150.00")
    assert quote.free_shipping is False


def test_fixed_discount_never_exceeds_the_subtotal(customer):
    coupon = issued(user=customer, amount=Decimal("50.00"))

    quote = check(coupon, customer, [line("12.34")])

    assert quote.discount == Decimal("12.34")


def test_percent_discount_is_rounded_half_up_once(customer):
    coupon = issued(PercentDefinitionFactory(percent=Decimal("10")), customer)

    quote = check(coupon, customer, [line("0.05"), line("0.10"), line("0.10")])

    assert quote.discount == Decimal("0.03")  # 10 % of 0.25 = 0.025 -> 0.03


def test_percent_discount_stops_at_the_cap(customer):
    definition = PercentDefinitionFactory(percent=Decimal("15"), cap=Decimal("50.00"))
    coupon = issued(definition, customer)

    quote = check(coupon, customer, [line("1000.00")])

    assert quote.discount == Decimal("50.00")


def test_free_shipping_coupon_waives_shipping_and_nothing_else(customer):
    coupon = issued(CouponDefinitionFactory(kind=CouponKind.FREE_SHIPPING, amount=None), customer)

    quote = check(coupon, customer, [line("80.00")], shipping=Decimal("18.00"))

    assert quote.free_shipping is True
    assert quote.shipping_discount == Decimal("18.00")
    assert quote.discount == Decimal("0.00")


def test_category_scope_includes_subcategories(customer):
    passives = CategoryFactory(slug="passives")
    resistors = CategoryFactory(slug="resistors", parent=passives)
    CategoryFactory(slug="passives-kits")  # shares the prefix but is not below passives
    definition = PercentDefinitionFactory(scope=CouponScope.CATEGORIES, categories=[passives])
    coupon = issued(definition, customer)

    quote = check(
        coupon,
        customer,
        [
            line("100.00", category_path=resistors.path),
            line("300.00", category_path="passives-kits"),
            line("500.00", category_path="semiconductors/mosfets"),
        ],
    )

    assert quote.eligible_subtotal == Decimal("100.00")
    assert quote.discount == Decimal("10.00")


def test_manufacturer_scope_counts_only_that_makers_parts(customer):
    ti = ManufacturerFactory(name="Texas Instruments")
    st = ManufacturerFactory(name="STMicroelectronics")
    definition = PercentDefinitionFactory(scope=CouponScope.MANUFACTURERS, manufacturers=[ti])
    coupon = issued(definition, customer)

    quote = check(
        coupon,
        customer,
        [line("200.00", manufacturer_id=ti.pk), line("800.00", manufacturer_id=st.pk)],
    )

    assert quote.eligible_subtotal == Decimal("200.00")
    assert quote.discount == Decimal("20.00")


def test_minimum_spend_counts_only_in_scope_lines(customer):
    ti = ManufacturerFactory(name="Texas Instruments")
    definition = CouponDefinitionFactory(
        scope=CouponScope.MANUFACTURERS, manufacturers=[ti], minimum_spend=Decimal("100.00")
    )
    coupon = issued(definition, customer)

    reason = refusal(
        coupon, customer, [line("60.00", manufacturer_id=ti.pk), line("500.00", manufacturer_id=0)]
    )

    assert reason.code == "below_minimum_spend"


def test_below_minimum_spend_says_how_much_more_to_spend(customer):
    coupon = issued(user=customer, minimum_spend=Decimal("200.00"))

    reason = refusal(coupon, customer, [line("149.50")])

    assert "Spend 50.50 CNY more" in reason.reason


def test_nothing_in_scope_is_refused(customer):
    ti = ManufacturerFactory(name="Texas Instruments")
    definition = CouponDefinitionFactory(scope=CouponScope.MANUFACTURERS, manufacturers=[ti])
    coupon = issued(definition, customer)

    reason = refusal(coupon, customer, [line("500.00", manufacturer_id=ti.pk + 1)])

    assert reason.code == "nothing_in_scope"
    assert "Texas Instruments" in reason.reason


def test_another_customers_coupon_is_refused(customer, other_customer):
    coupon = issued(user=other_customer)

    assert refusal(coupon, customer, [line("100.00")]).code == "not_yours"


def test_used_coupon_is_refused(customer):
    coupon = issued(user=customer)
    coupon_redeem(
        coupon_id=coupon.pk,
        user=customer,
        order_reference="SO-1",
        lines=[line("100.00")],
        is_first_order=False,
    )
    coupon.refresh_from_db()

    with pytest.raises(CouponAlreadyUsed):
        check(coupon, customer, [line("100.00")])


def test_expired_coupon_is_refused(customer):
    coupon = issued(user=customer, valid_days=7)

    reason = refusal(coupon, customer, [line("100.00")], now=timezone.now() + timedelta(days=8))

    assert reason.code == "expired"


def test_coupon_not_yet_valid_is_refused(customer):
    start = timezone.now() + timedelta(days=3)
    coupon = issued(user=customer, valid_from=start, valid_until=start + timedelta(days=30))

    assert refusal(coupon, customer, [line("100.00")]).code == "not_yet_valid"


def test_first_order_coupon_is_refused_on_a_later_order(customer):
    coupon = issued(user=customer, first_order_only=True)

    reason = refusal(coupon, customer, [line("100.00")], is_first_order=False)

    assert reason.code == "first_order_only"


def test_first_order_coupon_applies_to_the_first_order(customer):
    coupon = issued(user=customer, first_order_only=True)

    quote = check(coupon, customer, [line("100.00")], is_first_order=True)

    assert quote.discount == Decimal("20.00")
