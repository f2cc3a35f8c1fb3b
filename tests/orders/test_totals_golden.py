"""Golden totals: every amount of a quote and of the order placed from it, worked out by hand.

The store's rules, as a customer sees them on the review page and the invoice (VAT 13 %):
- a line is unit price × quantity at the break the quantity reaches, rounded half-up once;
- a coupon's discount is shared over the lines it covers, in proportion to their totals, to
  the cent (largest remainder; a tie goes to the first line);
- VAT is per line, on the line's net after its share, rounded half-up; shipping is a line of
  its own (12.00 excl. VAT here, VAT 1.56), free from 500.00 of parts after the discount,
  charged once per shipment;
- points pay 1.00 per 100 points, at most half of the total; the balance pays what it is
  asked to, the rest is due by the chosen method.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from customers.services import balance_credit, points_adjust
from orders.checkout.services import checkout_quote
from orders.models import Cart, OrderStatus, PaymentMethod
from promotions.models import CouponKind, CouponScope
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.customers.factories import AddressFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.promotions.factories import (
    CouponDefinitionFactory,
    FirstOrderDefinitionFactory,
    PercentDefinitionFactory,
    issued,
)

pytestmark = pytest.mark.django_db

D = Decimal


def a_part(mpn, ladder, *, manufacturer, category, on_hand=100_000, moq=1, multiple=1):
    part = PartFactory(
        mpn=mpn, manufacturer=manufacturer, category=category, moq=moq, order_multiple=multiple
    )
    option = PackagingOptionFactory(part=part)
    for quantity, price in ladder:
        PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=D(price))
    StockFactory(part=part, on_hand=on_hand)
    return part


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    """12.00 excl. VAT, free from 500.00 of parts."""
    return ShippingMethodFactory()


@pytest.fixture
def mcu(db):
    return a_part(
        "STM32F103C8T6",
        ((1, "12.500000"), (10, "11.200000"), (100, "9.800000")),
        manufacturer=ManufacturerFactory(name="STMicroelectronics"),
        category=CategoryFactory(name="Microcontrollers", slug="mcu"),
    )


@pytest.fixture
def second_resistor(resistor):
    """Another YAGEO chip resistor (same category as ``resistor``), sold from 1 piece."""
    return a_part(
        "RC0402FR-071KL",
        ((1, "0.010000"),),
        manufacturer=resistor.manufacturer,
        category=resistor.category,
    )


@pytest.fixture
def murata(db):
    return ManufacturerFactory(name="Murata")


@pytest.fixture
def capacitor(murata):
    return a_part(
        "GRM188R71H104KA93D",
        ((1, "0.031000"), (100, "0.018000"), (1000, "0.009700")),
        manufacturer=murata,
        category=CategoryFactory(name="MLCC", slug="mlcc"),
    )


@pytest.fixture
def second_capacitor(murata, capacitor):
    return a_part(
        "GRM155R71C104KA88D", ((1, "0.023000"),), manufacturer=murata, category=capacitor.category
    )


@pytest.fixture
def regulator(db):
    """5.00 a piece: round amounts around the free-shipping threshold."""
    return a_part(
        "AMS1117-3.3",
        ((1, "5.000000"),),
        manufacturer=ManufacturerFactory(name="AMS"),
        category=CategoryFactory(name="LDO", slug="ldo"),
        on_hand=1000,
    )


@pytest.fixture
def sensor(db):
    """3.00 a piece, none in own stock: a supplier ships it in 7 days."""
    part = PartFactory(
        mpn="BME280", manufacturer=ManufacturerFactory(name="Bosch"), category=CategoryFactory()
    )
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=D("3.000000")
    )
    StockFactory(part=part, on_hand=0)
    SupplierOfferFactory(part=part, quantity=500, lead_days=7)
    return part


def open_cart(customer):
    return Cart.objects.get(customer=customer, checked_out_at__isnull=True)


AMOUNTS = (
    "subtotal",
    "discount",
    "shipping_fee",
    "shipping_discount",
    "vat",
    "total",
    "points_amount",
    "balance_amount",
    "amount_due",
)


def quote_and_place(customer, picked, **expected):
    """Quote the cart, check the quote's amounts, place it, and check the order has the same
    amounts and the same line copies, to the cent. Returns (quote, order)."""
    quote = checkout_quote(customer=customer, cart=open_cart(customer), choices=picked)
    assert quote.can_place, (quote.errors, quote.problems)
    lines = expected.pop("lines")
    wanted = {name: D("0.00") for name in AMOUNTS} | {k: D(v) for k, v in expected.items()}
    assert {name: getattr(quote, name) for name in AMOUNTS} == wanted
    assert [
        (line.part.mpn, line.quantity, line.unit_price, line.line_total, line.discount, line.vat)
        for line in quote.lines
    ] == [
        (mpn, qty, D(price), D(total), D(off), D(vat)) for mpn, qty, price, total, off, vat in lines
    ]

    order = place(customer, picked, token=quote.token)

    order.refresh_from_db()
    assert {name: getattr(order, name) for name in AMOUNTS} == wanted
    copies = [
        (line.mpn, line.quantity, line.unit_price, line.line_total, line.discount, line.vat)
        for line in order.lines.order_by("position")
    ]
    assert copies == [
        (mpn, qty, D(price), D(total), D(off), D(vat)) for mpn, qty, price, total, off, vat in lines
    ]
    for line in order.lines.all():
        assert line.net == line.line_total - line.discount and line.gross == line.net + line.vat
    assert order.vat == sum((line.vat for line in order.lines.all()), D("0")) + quote.shipping_vat
    return quote, order


# --- price breaks, reels, order multiples ------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price", "line_total", "line_vat", "total"),
    [
        # 90 pcs reach the 10-piece break: 90 × 0.0120 = 1.08, VAT 0.1404 → 0.14;
        # 1.08 + 12.00 + 0.14 + 1.56 = 14.78
        (90, "0.012000", "1.08", "0.14", "14.78"),
        # exactly 100 pcs reach the 100-piece break: 100 × 0.0061 = 0.61, VAT 0.0793 → 0.08;
        # 0.61 + 12.00 + 0.08 + 1.56 = 14.25
        (100, "0.006100", "0.61", "0.08", "14.25"),
        # 150 × 0.0061 = 0.915 → 0.92 (half-up, once); VAT 0.1196 → 0.12; 14.60
        (150, "0.006100", "0.92", "0.12", "14.60"),
        # 2,500 pcs stay on the last break (1,000+): 2500 × 0.0042 = 10.50, VAT 1.365 → 1.37;
        # 10.50 + 12.00 + 1.37 + 1.56 = 25.43
        (2500, "0.004200", "10.50", "1.37", "25.43"),
    ],
)
def test_a_line_is_priced_at_the_break_its_quantity_reaches(
    customer, resistor, address, express, quantity, price, line_total, line_vat, total
):
    fill_cart(customer, (resistor, quantity))

    quote_and_place(
        customer,
        choices(address, express),
        subtotal=line_total,
        shipping_fee="12.00",
        vat=str(D(line_vat) + D("1.56")),
        total=total,
        amount_due=total,
        lines=[("RC0603FR-0710KL", quantity, price, line_total, "0.00", line_vat)],
    )


def test_full_reels_are_priced_on_the_reel_ladder(customer, resistor, reel, address, express):
    # 2 reels of 5,000 at the reel price 0.0021 = 21.00 (on cut tape: 10000 × 0.0042 = 42.00);
    # VAT 2.73; 21.00 + 12.00 + 2.73 + 1.56 = 37.29
    fill_cart(customer, (resistor, 10000, reel))

    _quote, order = quote_and_place(
        customer,
        choices(address, express),
        subtotal="21.00",
        shipping_fee="12.00",
        vat="4.29",
        total="37.29",
        amount_due="37.29",
        lines=[("RC0603FR-0710KL", 10000, "0.002100", "21.00", "0.00", "2.73")],
    )
    line = order.lines.get()
    assert line.packaging_id == reel.pk and line.packaging_label == str(reel)


def test_quantities_follow_the_order_multiple(customer, resistor, address, express):
    # sold in multiples of 10: 155 is refused with the two quantities to order instead
    with pytest.raises(ValidationError) as caught:
        fill_cart(customer, (resistor, 155))
    assert "multiples of 10: order 150 or 160" in caught.value.messages[0]

    # 160 × 0.0061 = 0.976 → 0.98; VAT 0.1274 → 0.13; 0.98 + 12.00 + 0.13 + 1.56 = 14.67
    fill_cart(customer, (resistor, 160))
    quote_and_place(
        customer,
        choices(address, express),
        subtotal="0.98",
        shipping_fee="12.00",
        vat="1.69",
        total="14.67",
        amount_due="14.67",
        lines=[("RC0603FR-0710KL", 160, "0.006100", "0.98", "0.00", "0.13")],
    )


# --- coupons ----------------------------------------------------------------------------------


def test_a_fixed_coupon_is_shared_over_the_lines_by_their_totals(
    customer, mcu, resistor, address, express
):
    # 10 × 11.20 = 112.00 and 1000 × 0.0042 = 4.20: subtotal 116.20. 20.00 off, in cents
    # 2000 × 112.00 / 116.20 = 1927.71 and 2000 × 4.20 / 116.20 = 72.29: floors 1927 + 72,
    # the one cent left goes to the larger remainder (.71): shares 19.28 and 0.72.
    # Nets 92.72 (VAT 12.0536 → 12.05) and 3.48 (VAT 0.4524 → 0.45); parts 96.20 < 500:
    # shipping 12.00 (VAT 1.56). Total 96.20 + 12.00 + 12.05 + 0.45 + 1.56 = 122.26
    coupon = issued(CouponDefinitionFactory(amount=D("20.00")), user=customer)
    fill_cart(customer, (mcu, 10), (resistor, 1000))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="116.20",
        discount="20.00",
        shipping_fee="12.00",
        vat="14.06",
        total="122.26",
        amount_due="122.26",
        lines=[
            ("STM32F103C8T6", 10, "11.200000", "112.00", "19.28", "12.05"),
            ("RC0603FR-0710KL", 1000, "0.004200", "4.20", "0.72", "0.45"),
        ],
    )


def test_a_percent_coupon_stops_at_its_cap(customer, mcu, address, express):
    # 10 % of 112.00 = 11.20, capped at 5.00; net 107.00, VAT 13.91;
    # 107.00 + 12.00 + 13.91 + 1.56 = 134.47
    coupon = issued(PercentDefinitionFactory(percent=D("10"), cap=D("5.00")), user=customer)
    fill_cart(customer, (mcu, 10))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="112.00",
        discount="5.00",
        shipping_fee="12.00",
        vat="15.47",
        total="134.47",
        amount_due="134.47",
        lines=[("STM32F103C8T6", 10, "11.200000", "112.00", "5.00", "13.91")],
    )


def test_a_percent_coupon_without_cap_takes_its_share_of_every_line(
    customer, mcu, resistor, address, express
):
    # 10 % of 116.20 = 11.62, shared 11.20 / 0.42 (exactly 10 % of each line);
    # nets 100.80 (VAT 13.104 → 13.10) and 3.78 (VAT 0.4914 → 0.49);
    # 104.58 + 12.00 + 13.10 + 0.49 + 1.56 = 131.73
    coupon = issued(PercentDefinitionFactory(percent=D("10")), user=customer)
    fill_cart(customer, (mcu, 10), (resistor, 1000))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="116.20",
        discount="11.62",
        shipping_fee="12.00",
        vat="15.15",
        total="131.73",
        amount_due="131.73",
        lines=[
            ("STM32F103C8T6", 10, "11.200000", "112.00", "11.20", "13.10"),
            ("RC0603FR-0710KL", 1000, "0.004200", "4.20", "0.42", "0.49"),
        ],
    )


def test_a_free_shipping_coupon_takes_the_shipping_and_its_vat(customer, mcu, address, express):
    # parts 112.00, VAT 14.56; shipping 12.00 less 12.00, so no shipping VAT: 126.56
    coupon = issued(
        CouponDefinitionFactory(kind=CouponKind.FREE_SHIPPING, amount=None), user=customer
    )
    fill_cart(customer, (mcu, 10))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="112.00",
        shipping_fee="12.00",
        shipping_discount="12.00",
        vat="14.56",
        total="126.56",
        amount_due="126.56",
        lines=[("STM32F103C8T6", 10, "11.200000", "112.00", "0.00", "14.56")],
    )


def test_a_category_coupon_is_shared_over_its_category_only(
    customer, resistor, second_resistor, mcu, address, express
):
    # In scope (Chip Resistors): 1000 × 0.0042 = 4.20 and 800 × 0.0100 = 8.00, eligible 12.20;
    # the microcontroller (12.50) is not. 10.00 off in cents: 1000 × 4.20 / 12.20 = 344.26,
    # 1000 × 8.00 / 12.20 = 655.74: floors 344 + 655, the cent left to .74: 3.44 and 6.56.
    # Nets 0.76 (VAT 0.0988 → 0.10), 1.44 (VAT 0.1872 → 0.19), 12.50 (VAT 1.625 → 1.63).
    # Parts 24.70 − 10.00 = 14.70; 14.70 + 12.00 + 0.10 + 0.19 + 1.63 + 1.56 = 30.18
    definition = CouponDefinitionFactory(
        amount=D("10.00"), scope=CouponScope.CATEGORIES, categories=[resistor.category]
    )
    coupon = issued(definition, user=customer)
    fill_cart(customer, (resistor, 1000), (second_resistor, 800), (mcu, 1))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="24.70",
        discount="10.00",
        shipping_fee="12.00",
        vat="3.48",
        total="30.18",
        amount_due="30.18",
        lines=[
            ("RC0603FR-0710KL", 1000, "0.004200", "4.20", "3.44", "0.10"),
            ("RC0402FR-071KL", 800, "0.010000", "8.00", "6.56", "0.19"),
            ("STM32F103C8T6", 1, "12.500000", "12.50", "0.00", "1.63"),
        ],
    )


def test_a_manufacturer_coupon_gives_a_tied_cent_to_the_first_line(
    customer, capacitor, second_capacitor, mcu, murata, address, express
):
    # In scope (Murata): 1000 × 0.0097 = 9.70 and 300 × 0.0230 = 6.90, eligible 16.60;
    # 15 % = 2.49. In cents 249 × 9.70 / 16.60 = 145.5 and 249 × 6.90 / 16.60 = 103.5: floors
    # 145 + 103, the cent left is a tie and goes to the first line: 1.46 and 1.03.
    # Nets 8.24 (VAT 1.0712 → 1.07), 5.87 (VAT 0.7631 → 0.76), 12.50 (VAT 1.63).
    # Parts 29.10 − 2.49 = 26.61; 26.61 + 12.00 + 1.07 + 0.76 + 1.63 + 1.56 = 43.63
    definition = PercentDefinitionFactory(
        percent=D("15"), scope=CouponScope.MANUFACTURERS, manufacturers=[murata]
    )
    coupon = issued(definition, user=customer)
    fill_cart(customer, (capacitor, 1000), (second_capacitor, 300), (mcu, 1))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="29.10",
        discount="2.49",
        shipping_fee="12.00",
        vat="5.02",
        total="43.63",
        amount_due="43.63",
        lines=[
            ("GRM188R71H104KA93D", 1000, "0.009700", "9.70", "1.46", "1.07"),
            ("GRM155R71C104KA88D", 300, "0.023000", "6.90", "1.03", "0.76"),
            ("STM32F103C8T6", 1, "12.500000", "12.50", "0.00", "1.63"),
        ],
    )


def test_the_first_order_coupon_takes_its_amount_off_the_first_order_only(
    customer, mcu, address, express
):
    # 30.00 off from 200.00: 20 × 11.20 = 224.00 − 30.00 = 194.00 (VAT 25.22);
    # 194.00 + 12.00 + 25.22 + 1.56 = 232.78
    welcome = issued(FirstOrderDefinitionFactory(), user=customer)
    balance_credit(user=customer, amount=D("500.00"), idempotency_key="gift")
    fill_cart(customer, (mcu, 20))

    _quote, order = quote_and_place(
        customer,
        choices(address, express, coupon_code=welcome.code, payment_method=PaymentMethod.BALANCE),
        subtotal="224.00",
        discount="30.00",
        shipping_fee="12.00",
        vat="26.78",
        total="232.78",
        balance_amount="232.78",
        lines=[("STM32F103C8T6", 20, "11.200000", "224.00", "30.00", "25.22")],
    )
    assert order.status == OrderStatus.PAID

    # with that order paid, a first-order-only coupon is refused on the next one
    second = issued(
        CouponDefinitionFactory(amount=D("30.00"), first_order_only=True), user=customer
    )
    fill_cart(customer, (mcu, 20))
    refused = checkout_quote(
        customer=customer,
        cart=open_cart(customer),
        choices=choices(address, express, coupon_code=second.code),
    )
    assert refused.errors["coupon_code"] == "This coupon is only valid on your first order."


# --- points -----------------------------------------------------------------------------------


@pytest.fixture
def points_holder(customer, staff):
    points_adjust(user=customer, points=5000, reason="loyalty", staff=staff)
    return customer


def test_points_pay_one_unit_per_hundred(points_holder, mcu, address, express):
    # 12.50 + VAT 1.63 + 12.00 + 1.56 = 27.69; 250 points pay 2.50: 25.19 due
    fill_cart(points_holder, (mcu, 1))

    _quote, order = quote_and_place(
        points_holder,
        choices(address, express, points=250),
        subtotal="12.50",
        shipping_fee="12.00",
        vat="3.19",
        total="27.69",
        points_amount="2.50",
        amount_due="25.19",
        lines=[("STM32F103C8T6", 1, "12.500000", "12.50", "0.00", "1.63")],
    )
    assert order.points_used == 250
    points_holder.profile.refresh_from_db()
    assert points_holder.profile.points == 4750


def test_points_pay_at_most_half_of_the_total(points_holder, mcu, address, express):
    # half of 27.69 = 13.845, rounded down to 13.84: at most 1,384 points
    fill_cart(points_holder, (mcu, 1))

    refused = checkout_quote(
        customer=points_holder,
        cart=open_cart(points_holder),
        choices=choices(address, express, points=1385),
    )
    assert refused.points_max == 1384
    assert "redeem at most 1,384 points" in refused.errors["points"]

    quote_and_place(
        points_holder,
        choices(address, express, points=1384),
        subtotal="12.50",
        shipping_fee="12.00",
        vat="3.19",
        total="27.69",
        points_amount="13.84",
        amount_due="13.85",
        lines=[("STM32F103C8T6", 1, "12.500000", "12.50", "0.00", "1.63")],
    )


# --- the VAT rule -----------------------------------------------------------------------------


def test_vat_is_summed_per_line_not_taken_on_the_subtotal(
    customer, second_resistor, capacitor, second_capacitor, address, express
):
    # 5 × 0.0100 = 0.05 (VAT 0.0065 → 0.01), 2 × 0.0230 = 0.046 → 0.05 (VAT 0.01),
    # 5 × 0.0310 = 0.155 → 0.16 (VAT 0.0208 → 0.02): lines' VAT 0.04, where 13 % of the
    # subtotal 0.26 would be 0.0338 → 0.03. Shipping is its own line: VAT 1.56.
    # 0.26 + 12.00 + 0.04 + 1.56 = 13.86
    fill_cart(customer, (second_resistor, 5), (second_capacitor, 2), (capacitor, 5))

    quote, _order = quote_and_place(
        customer,
        choices(address, express),
        subtotal="0.26",
        shipping_fee="12.00",
        vat="1.60",
        total="13.86",
        amount_due="13.86",
        lines=[
            ("RC0402FR-071KL", 5, "0.010000", "0.05", "0.00", "0.01"),
            ("GRM155R71C104KA88D", 2, "0.023000", "0.05", "0.00", "0.01"),
            ("GRM188R71H104KA93D", 5, "0.031000", "0.16", "0.00", "0.02"),
        ],
    )
    assert (quote.subtotal * quote.vat_rate).quantize(D("0.01")) == D("0.03")
    assert quote.shipping_vat == D("1.56")


# --- shipping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "fee", "total"),
    [
        # 99 × 5.00 = 495.00 < 500.00: 12.00; 495.00 + 12.00 + 64.35 + 1.56 = 572.91
        (99, "12.00", "572.91"),
        # exactly 500.00 reaches the threshold: free; 500.00 + 65.00 = 565.00
        (100, "0.00", "565.00"),
        # 505.00 above it: free; 505.00 + 65.65 = 570.65
        (101, "0.00", "570.65"),
    ],
)
def test_shipping_is_free_from_the_threshold(
    customer, regulator, address, express, pieces, fee, total
):
    fill_cart(customer, (regulator, pieces))
    line_total = D(5) * pieces
    line_vat = (line_total * D("0.13")).quantize(D("0.01"))

    quote, _order = quote_and_place(
        customer,
        choices(address, express),
        subtotal=str(line_total),
        shipping_fee=fee,
        vat=str(line_vat + (D("1.56") if fee != "0.00" else 0)),
        total=total,
        amount_due=total,
        lines=[("AMS1117-3.3", pieces, "5.000000", str(line_total), "0.00", str(line_vat))],
    )
    assert quote.shipping.is_free is (fee == "0.00")


def test_the_threshold_counts_the_parts_after_the_coupon(customer, regulator, address, express):
    # 101 × 5.00 = 505.00, 20.00 off: 485.00 of parts, below 500.00, so shipping is 12.00;
    # 485.00 + 12.00 + VAT 63.05 + 1.56 = 561.61
    coupon = issued(CouponDefinitionFactory(amount=D("20.00")), user=customer)
    fill_cart(customer, (regulator, 101))

    quote_and_place(
        customer,
        choices(address, express, coupon_code=coupon.code),
        subtotal="505.00",
        discount="20.00",
        shipping_fee="12.00",
        vat="64.61",
        total="561.61",
        amount_due="561.61",
        lines=[("AMS1117-3.3", 101, "5.000000", "505.00", "20.00", "63.05")],
    )


def test_shipping_what_is_in_stock_first_pays_a_second_shipment(
    customer, regulator, sensor, address, express
):
    # 10 × 5.00 = 50.00 in stock, 10 × 3.00 = 30.00 from a supplier in 7 days; shipped in two
    # parts: 2 × 12.00 = 24.00 (VAT 3.12); 80.00 + 24.00 + 6.50 + 3.90 + 3.12 = 117.52
    fill_cart(customer, (regulator, 10), (sensor, 10))

    _quote, order = quote_and_place(
        customer,
        choices(address, express, ship_partial=True),
        subtotal="80.00",
        shipping_fee="24.00",
        vat="13.52",
        total="117.52",
        amount_due="117.52",
        lines=[
            ("AMS1117-3.3", 10, "5.000000", "50.00", "0.00", "6.50"),
            ("BME280", 10, "3.000000", "30.00", "0.00", "3.90"),
        ],
    )
    assert order.ship_partial is True
    supplied = order.lines.get(mpn="BME280")
    assert (supplied.from_stock, supplied.from_suppliers, supplied.lead_days) == (0, 10, 7)


def test_shipping_all_together_pays_one_shipment(customer, regulator, sensor, address, express):
    # the same cart in one shipment: 12.00; 80.00 + 12.00 + 6.50 + 3.90 + 1.56 = 103.96
    fill_cart(customer, (regulator, 10), (sensor, 10))

    _quote, order = quote_and_place(
        customer,
        choices(address, express, ship_partial=False),
        subtotal="80.00",
        shipping_fee="12.00",
        vat="11.96",
        total="103.96",
        amount_due="103.96",
        lines=[
            ("AMS1117-3.3", 10, "5.000000", "50.00", "0.00", "6.50"),
            ("BME280", 10, "3.000000", "30.00", "0.00", "3.90"),
        ],
    )
    assert order.ship_partial is False


def test_two_shipments_above_the_threshold_are_both_free(
    customer, regulator, sensor, address, express
):
    # 100 × 5.00 + 10 × 3.00 = 530.00 ≥ 500.00: no fee for either shipment;
    # 530.00 + 65.00 + 3.90 = 598.90
    fill_cart(customer, (regulator, 100), (sensor, 10))

    quote_and_place(
        customer,
        choices(address, express, ship_partial=True),
        subtotal="530.00",
        vat="68.90",
        total="598.90",
        amount_due="598.90",
        lines=[
            ("AMS1117-3.3", 100, "5.000000", "500.00", "0.00", "65.00"),
            ("BME280", 10, "3.000000", "30.00", "0.00", "3.90"),
        ],
    )


# --- paying with the balance and more --------------------------------------------------------


def test_the_balance_pays_part_and_the_rest_is_due_by_transfer(customer, mcu, address, express):
    # 112.00 + 12.00 + 14.56 + 1.56 = 140.12; 50.00 from the balance, 90.12 due
    balance_credit(user=customer, amount=D("60.00"), idempotency_key="gift")
    fill_cart(customer, (mcu, 10))

    _quote, order = quote_and_place(
        customer,
        choices(address, express, balance_amount=D("50.00")),
        subtotal="112.00",
        shipping_fee="12.00",
        vat="16.12",
        total="140.12",
        balance_amount="50.00",
        amount_due="90.12",
        lines=[("STM32F103C8T6", 10, "11.200000", "112.00", "0.00", "14.56")],
    )
    assert (order.amount_paid, order.outstanding) == (D("50.00"), D("90.12"))
    assert order.status == OrderStatus.AWAITING_PAYMENT
    payment = order.payments.get()
    assert (payment.method, payment.amount) == (PaymentMethod.BALANCE, D("50.00"))
    customer.profile.refresh_from_db()
    assert customer.profile.balance == D("10.00")


def test_points_then_balance_then_transfer(points_holder, mcu, address, express):
    # 140.12 as above; 1,000 points pay 10.00, the balance 50.00, 80.12 due by transfer
    balance_credit(user=points_holder, amount=D("50.00"), idempotency_key="gift")
    fill_cart(points_holder, (mcu, 10))

    _quote, order = quote_and_place(
        points_holder,
        choices(address, express, points=1000, balance_amount=D("50.00")),
        subtotal="112.00",
        shipping_fee="12.00",
        vat="16.12",
        total="140.12",
        points_amount="10.00",
        balance_amount="50.00",
        amount_due="80.12",
        lines=[("STM32F103C8T6", 10, "11.200000", "112.00", "0.00", "14.56")],
    )
    assert order.outstanding == D("80.12")


def test_paying_all_from_the_balance_leaves_nothing_due(customer, mcu, address, express):
    balance_credit(user=customer, amount=D("200.00"), idempotency_key="gift")
    fill_cart(customer, (mcu, 10))

    _quote, order = quote_and_place(
        customer,
        choices(address, express, payment_method=PaymentMethod.BALANCE),
        subtotal="112.00",
        shipping_fee="12.00",
        vat="16.12",
        total="140.12",
        balance_amount="140.12",
        lines=[("STM32F103C8T6", 10, "11.200000", "112.00", "0.00", "14.56")],
    )
    assert order.status == OrderStatus.PAID
    customer.profile.refresh_from_db()
    assert customer.profile.balance == D("59.88")
