"""Helpers of the fulfilment tests: parts in bins and at suppliers, a paid order, picking."""

from decimal import Decimal

from catalog.models import Supplier, SupplierOffer
from orders.fulfilment import services as fulfilment
from orders.models import Order, PaymentMethod, ShippingMethod
from tests.customers.factories import AddressFactory
from tests.factories import (
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.orders.payments_helpers import fund


def stocked_part(
    mpn: str,
    *,
    on_hand: int = 1000,
    bin_location: str = "A-01-1",
    msl: str = "1",
    esd: bool = False,
    supplier: str = "",
    supplier_quantity: int = 0,
    lead_days: int = 5,
    price: str = "0.500000",
):
    part = PartFactory(mpn=mpn, msl=msl, esd_sensitive=esd)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal(price))
    StockFactory(part=part, on_hand=on_hand, bin_location=bin_location)
    if supplier:
        maker, _ = Supplier.objects.get_or_create(
            code=supplier.lower().replace(" ", "-"), defaults={"name": supplier}
        )
        SupplierOffer.objects.create(
            part=part, supplier=maker, quantity=supplier_quantity, lead_days=lead_days
        )
    return part


def paid_order(customer, *items, ship_partial: bool = False, key: str = "form-1", **extra) -> Order:
    """An order of ``items`` ((part, quantity) pairs) paid from the balance at once."""
    fund(customer, "100000")
    address = AddressFactory(user=customer, is_default=True)
    method = ShippingMethod.objects.first() or ShippingMethodFactory()
    fill_cart(customer, *items)
    picked = choices(
        address, method, payment_method=PaymentMethod.BALANCE, ship_partial=ship_partial, **extra
    )
    return place(customer, picked, key=key)


def allocate_and_pick(order: Order, staff=None) -> None:
    fulfilment.order_allocate(order_id=order.pk)
    for pick_list in order.pick_lists.all():
        fulfilment.pick_list_mark_picked(pick_list_id=pick_list.pk, actor=staff)
