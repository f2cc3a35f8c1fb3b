"""Checkouts, double submits, cancellations and balance payments at once, on real
PostgreSQL connections (one per thread, released together by a barrier)."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from catalog.models import Part, Stock, SupplierOffer
from customers import services as customer_services
from customers.errors import InsufficientBalance
from customers.models import BalanceEntry, CustomerProfile, PointsEntry
from orders.checkout import services as checkout
from orders.errors import EmptyCart, OutOfStock
from orders.lifecycle import services as lifecycle
from orders.locks import order_for_update
from orders.models import (
    Order,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
)
from promotions.models import CouponRedemption, CouponState
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import (
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart, quote
from tests.promotions.factories import CouponDefinitionFactory, issued

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def priced_part(mpn, *, on_hand, price="1.000000"):
    part = PartFactory(mpn=mpn)
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=Decimal(price)
    )
    StockFactory(part=part, on_hand=on_hand)
    return part


def buyer_with_cart(method, *items, balance=None, **picked):
    """A customer with an address, a cart (and a balance), and the quote token of what they
    reviewed."""
    customer = CustomerFactory()
    address = AddressFactory(user=customer, is_default=True)
    if balance is not None:
        customer_services.balance_credit(
            user=customer, amount=Decimal(balance), idempotency_key="top-up"
        )
    fill_cart(customer, *items)
    chosen = choices(address, method, **picked)
    return customer, chosen, quote(customer, chosen).token


def place(customer, chosen, token, key):
    return checkout.order_place(
        customer=customer, choices=chosen, idempotency_key=key, seen_token=token
    )


@pytest.fixture
def express():
    return ShippingMethodFactory()


def test_fifty_checkouts_for_the_last_ten_pieces_make_ten_orders(express):
    # given the last 10 pieces of own stock, no supplier offers, and 50 customers who all
    # reviewed a cart of one piece while 10 were available
    part = priced_part("LM358DR", on_hand=10)
    buyers = [buyer_with_cart(express, (part, 1)) for _ in range(50)]

    # when they all place their order at once
    results = run_in_parallel(lambda i: place(*buyers[i], key=f"form-{i}"), 50)

    # then 10 orders are placed and 40 are refused, saying why; nothing is oversold
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    assert (len(orders), len(refused)) == (10, 40), [
        r for r in results if not isinstance(r, Order | OutOfStock)
    ]
    for error in refused:
        assert "LM358DR: only 0 of 1 available." in str(error)
        assert "nothing was charged" in str(error)
    stock = Stock.objects.get(part=part)
    assert (stock.on_hand, stock.reserved) == (10, 10)
    assert Part.objects.get(pk=part.pk).stock_available == 0
    assert Order.objects.count() == 10
    assert set(Order.objects.values_list("lines__from_stock", flat=True)) == {1}


def test_one_order_form_submitted_ten_times_at_once_makes_one_order(express):
    # given a customer paying from a balance that covers the order
    part = priced_part("NE555DR", on_hand=100, price="2.000000")
    customer, chosen, token = buyer_with_cart(
        express, (part, 5), balance="100.00", payment_method=PaymentMethod.BALANCE
    )

    # when the same form (one idempotency key) arrives ten times at once
    results = run_in_parallel(lambda i: place(customer, chosen, token, "double-click"), 10)

    # then every call answers with the same order, and stock and balance moved once:
    # 5 × 2.00 = 10.00 + 12.00 shipping = 22.00 + VAT 1.30 + 1.56 = 24.86
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    order = Order.objects.get()
    assert order.total == Decimal("24.86") and order.status == OrderStatus.PAID
    assert Stock.objects.get(part=part).reserved == 5
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("75.14")
    debits = BalanceEntry.objects.filter(user=customer, amount__lt=0)
    assert list(debits.values_list("amount", flat=True)) == [Decimal("-24.86")]
    assert Payment.objects.filter(order=order).count() == 1


def test_ten_cancellations_of_one_order_give_everything_back_once(express):
    # given an order holding own stock and a supplier's pieces, a coupon, 500 points and
    # 10.00 paid from the balance
    part = priced_part("STM32F103C8T6", on_hand=30, price="10.000000")
    offer = SupplierOfferFactory(part=part, quantity=100, lead_days=5)
    customer = CustomerFactory()
    address = AddressFactory(user=customer)
    staff = CustomerFactory(is_staff=True)
    customer_services.points_adjust(user=customer, points=2000, reason="welcome", staff=staff)
    customer_services.balance_credit(user=customer, amount=Decimal("10.00"), idempotency_key="t")
    coupon = issued(CouponDefinitionFactory(amount=Decimal("20.00")), user=customer)
    fill_cart(customer, (part, 50))
    chosen = choices(
        address,
        express,
        coupon_code=coupon.code,
        points=500,
        balance_amount=Decimal("10.00"),
    )
    order = place(customer, chosen, quote(customer, chosen).token, "form-1")
    assert (order.points_used, order.balance_amount, order.discount) == (
        500,
        Decimal("10.00"),
        Decimal("20.00"),
    )
    assert Stock.objects.get(part=part).reserved == 30
    assert SupplierOffer.objects.get(pk=offer.pk).quantity == 80

    # when the customer's cancel arrives ten times at once
    results = run_in_parallel(
        lambda i: lifecycle.order_cancel(order_id=order.pk, actor=customer, reason="changed"),
        10,
    )

    # then the order is cancelled once, and stock, offer, coupon, points and balance are back
    assert all(isinstance(r, Order) for r in results), results
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Stock.objects.get(part=part).reserved == 0
    assert Part.objects.get(pk=part.pk).stock_available == 30
    assert SupplierOffer.objects.get(pk=offer.pk).quantity == 100
    coupon.refresh_from_db()
    assert coupon.state == CouponState.AVAILABLE
    assert CouponRedemption.objects.filter(coupon=coupon, released_at__isnull=True).count() == 0
    profile = CustomerProfile.objects.get(user=customer)
    assert (profile.points, profile.balance) == (2000, Decimal("10.00"))
    assert PointsEntry.objects.filter(user=customer).aggregate(s=Sum("points"))["s"] == 2000
    assert BalanceEntry.objects.filter(user=customer).aggregate(s=Sum("amount"))["s"] == Decimal(
        "10.00"
    )
    assert Refund.objects.filter(order=order).count() == 1
    cancelled = OrderEvent.objects.filter(
        order=order, kind=OrderEventKind.STATUS, to_status=OrderStatus.CANCELLED
    )
    assert cancelled.count() == 1


def test_two_checkouts_of_one_cart_at_once_make_one_order_and_one_debit(express):
    # given a balance that covers one order of this cart (24.86, see above), not two
    part = priced_part("NE555DR", on_hand=100, price="2.000000")
    customer, chosen, token = buyer_with_cart(
        express, (part, 5), balance="30.00", payment_method=PaymentMethod.BALANCE
    )

    # when two tabs place it at once with two different forms (keys)
    results = run_in_parallel(lambda i: place(customer, chosen, token, f"tab-{i}"), 2)

    # then the cart is locked: one order, the other finds the cart already checked out
    assert sorted(type(r).__name__ for r in results) == ["EmptyCart", "Order"], results
    assert any(isinstance(r, EmptyCart) for r in results)
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("5.14")
    assert Stock.objects.get(part=part).reserved == 5


def pay_from_balance(order_id):
    """Pay an order's amount due from the balance, as a balance payment of the order."""
    with transaction.atomic():
        order = order_for_update(order_id)
        entry = customer_services.balance_debit(
            user=order.customer,
            amount=order.outstanding,
            idempotency_key=f"order:{order.reference}:balance",
            reference_type="order",
            reference_id=order.reference,
        )
        payment = Payment.objects.create(
            order=order,
            method=PaymentMethod.BALANCE,
            amount=entry.amount.copy_abs(),
            currency=order.currency,
            status=PaymentStatus.SUCCEEDED,
            provider_reference=f"balance-entry-{entry.pk}",
            idempotency_key=f"balance:{order.reference}",
        )
        lifecycle.order_payment_recorded(order=order, payment=payment)
        return order


def test_two_orders_paid_from_one_balance_at_once_never_overdraw_it(express):
    # given two unpaid orders of 24.86 each and a balance of 30.00
    part = priced_part("NE555DR", on_hand=100, price="2.000000")
    customer = CustomerFactory()
    address = AddressFactory(user=customer)
    orders = []
    for key in ("first", "second"):
        fill_cart(customer, (part, 5))
        chosen = choices(address, express)
        orders.append(place(customer, chosen, quote(customer, chosen).token, key))
    customer_services.balance_credit(user=customer, amount=Decimal("30.00"), idempotency_key="t")

    # when both are paid from the balance at once
    results = run_in_parallel(lambda i: pay_from_balance(orders[i].pk), 2)

    # then one is paid, the other is refused and still waits for its money
    assert sorted(type(r).__name__ for r in results) == ["InsufficientBalance", "Order"], results
    assert any(isinstance(r, InsufficientBalance) for r in results)
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.balance == Decimal("5.14")
    assert BalanceEntry.objects.filter(user=customer).aggregate(s=Sum("amount"))["s"] == Decimal(
        "5.14"
    )
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]
    assert Payment.objects.count() == 1


def test_checkouts_of_the_same_parts_in_any_cart_order_do_not_deadlock(express):
    # given five parts, and eight customers whose carts hold them in shuffled order
    parts = [priced_part(f"PART-{name}", on_hand=1000) for name in "ABCDE"]
    shuffler = random.Random(7)
    buyers, wanted = [], {part.pk: 0 for part in parts}
    for i in range(8):
        order = parts[:]
        shuffler.shuffle(order)
        items = [(part, 10 + i + n) for n, part in enumerate(order)]
        for part, quantity in items:
            wanted[part.pk] += quantity
        buyers.append(buyer_with_cart(express, *items))

    # when they all place their orders at once
    results = run_in_parallel(lambda i: place(*buyers[i], key=f"form-{i}"), 8)

    # then every order is placed and every piece is reserved exactly once
    assert all(isinstance(r, Order) for r in results), results
    for part in parts:
        assert Stock.objects.get(part=part).reserved == wanted[part.pk]
        assert Part.objects.get(pk=part.pk).stock_available == 1000 - wanted[part.pk]


def test_two_workers_cancelling_overdue_orders_at_once_cancel_each_once(express):
    # given three unpaid orders past their payment window
    part = priced_part("NE555DR", on_hand=100, price="2.000000")
    buyers = [buyer_with_cart(express, (part, 5)) for _ in range(3)]
    orders = [place(*buyer, key="form") for buyer in buyers]
    late = max(order.payment_due_at for order in orders) + timedelta(minutes=1)

    # when two beat workers run the expiry at the same moment
    results = run_in_parallel(lambda i: lifecycle.orders_cancel_overdue(now=late), 2)

    # then each order is cancelled once, by one of them, and its stock released once
    assert sum(results) == 3, results
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert Stock.objects.get(part=part).reserved == 0
    cancelled = OrderEvent.objects.filter(to_status=OrderStatus.CANCELLED)
    assert sorted(cancelled.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
