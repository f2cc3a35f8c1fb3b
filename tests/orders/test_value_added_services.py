"""Value-added services chosen at checkout: fees in the totals with their VAT, offered only
where they apply, copied onto the order and onto its pick list."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.errors import QuoteChanged
from orders.fulfilment import services as fulfilment
from orders.models import (
    Cart,
    OrderService,
    PaymentMethod,
    ServiceKind,
    ServiceScope,
    ValueAddedService,
)
from orders.vat import vat_of
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place, quote
from tests.orders.fulfilment_helpers import stocked_part
from tests.orders.payments_helpers import fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return {
        "report": ValueAddedService.objects.create(
            kind=ServiceKind.INSPECTION_REPORT, name="Test report", fee=Decimal("30.00")
        ),
        "label": ValueAddedService.objects.create(
            kind=ServiceKind.CUSTOM_LABEL, name="Custom labels", fee=Decimal("5.00")
        ),
        "dry": ValueAddedService.objects.create(
            kind=ServiceKind.MOISTURE_REPACK, name="Dry pack", fee=Decimal("8.00")
        ),
        "split": ValueAddedService.objects.create(
            kind=ServiceKind.REEL_SPLIT,
            name="Reel split",
            fee=Decimal("12.00"),
            scope=ServiceScope.ORDER,
        ),
    }


@pytest.fixture
def shopper():
    customer = CustomerFactory()
    mcu = stocked_part("STM32F103C8T6", msl="3")
    resistor = stocked_part("RC0603FR-0710KL", msl="1")
    cart = fill_cart(customer, (mcu, 10), (resistor, 100))
    lines = {line.part.mpn: line for line in cart.lines.select_related("part")}
    address = AddressFactory(user=customer)
    return customer, address, ShippingMethodFactory(), lines


def test_chosen_services_add_their_fees_and_vat_to_the_total(shopper, catalogue):
    customer, address, method, lines = shopper
    plain = quote(customer, choices(address, method))

    picked = choices(
        address,
        method,
        services=(
            (catalogue["report"].pk, lines["STM32F103C8T6"].pk, ""),
            (catalogue["split"].pk, None, ""),
        ),
    )
    priced = quote(customer, picked)

    assert priced.services_fee == Decimal("42.00")
    assert priced.vat == plain.vat + vat_of(Decimal("30.00")) + vat_of(Decimal("12.00"))
    assert priced.total == plain.total + Decimal("42.00") + vat_of(Decimal("30.00")) + vat_of(
        Decimal("12.00")
    )


def test_the_order_keeps_the_services_and_their_fees(shopper, catalogue):
    customer, address, method, lines = shopper
    picked = choices(
        address,
        method,
        services=((catalogue["label"].pk, lines["RC0603FR-0710KL"].pk, "ACME-R-10K"),),
    )
    expected = quote(customer, picked)

    order = place(customer, picked)

    assert order.services_fee == Decimal("5.00")
    assert order.total == expected.total
    service = OrderService.objects.get(order=order)
    assert (service.line.mpn, service.customer_part_number, service.fee) == (
        "RC0603FR-0710KL",
        "ACME-R-10K",
        Decimal("5.00"),
    )


def test_moisture_barrier_repacking_is_only_for_msl3_and_up(shopper, catalogue):
    customer, address, method, lines = shopper
    picked = choices(
        address, method, services=((catalogue["dry"].pk, lines["RC0603FR-0710KL"].pk, ""),)
    )

    priced = quote(customer, picked)

    assert "only for parts of MSL 3 and up, not RC0603FR-0710KL" in priced.errors["services"]
    assert priced.services_fee == 0


def test_custom_labels_need_the_customers_part_number(shopper, catalogue):
    customer, address, method, lines = shopper
    picked = choices(
        address, method, services=((catalogue["label"].pk, lines["STM32F103C8T6"].pk, " "),)
    )

    assert "Enter your part number" in quote(customer, picked).errors["services"]


def test_a_service_chosen_after_the_review_is_refused_as_a_change(shopper, catalogue):
    customer, address, method, lines = shopper
    seen = quote(customer, choices(address, method)).token
    picked = choices(address, method, services=((catalogue["split"].pk, None, ""),))

    with pytest.raises(QuoteChanged) as refusal:
        place(customer, picked, token=seen)

    assert "Services: 0.00 → 12.00 CNY." in refusal.value.changes
    assert Cart.objects.get(customer=customer).checked_out_at is None


def test_each_service_becomes_a_task_on_the_pick_list(shopper, catalogue):
    customer, address, method, lines = shopper

    fund(customer, "1000")
    picked = choices(
        address,
        method,
        payment_method=PaymentMethod.BALANCE,
        services=(
            (catalogue["dry"].pk, lines["STM32F103C8T6"].pk, ""),
            (catalogue["split"].pk, None, ""),
        ),
    )
    order = place(customer, picked)

    fulfilment.order_allocate(order_id=order.pk)

    pick_list = order.pick_lists.get()
    assert sorted(pick_list.services.values_list("kind", flat=True)) == [
        ServiceKind.MOISTURE_REPACK,
        ServiceKind.REEL_SPLIT,
    ]


def test_the_checkout_page_offers_dry_packing_only_on_the_msl3_line(client, shopper, catalogue):
    customer, _address, _method, lines = shopper
    client.force_login(customer)

    page = client.get(reverse("orders:checkout")).content.decode()

    assert f'value="{catalogue["dry"].pk}:{lines["STM32F103C8T6"].pk}"' in page
    assert f'value="{catalogue["dry"].pk}:{lines["RC0603FR-0710KL"].pk}"' not in page
    assert f'value="{catalogue["split"].pk}:0"' in page


def test_services_ticked_on_the_checkout_page_reach_the_order(client, shopper, catalogue):
    customer, address, method, lines = shopper
    client.force_login(customer)
    form = {
        "address": str(address.pk),
        "shipping_method": str(method.pk),
        "invoice_kind": "none",
        "payment_method": "bank_transfer",
        "vas": [f"{catalogue['label'].pk}:{lines['STM32F103C8T6'].pk}"],
        f"vas_pn_{lines['STM32F103C8T6'].pk}": "ACME-MCU-1",
    }

    review = client.post(reverse("orders:checkout"), {**form, "action": "review"})
    assert review.status_code == 200
    context = review.context
    hidden = dict(context["hidden_fields"])
    posted = {**form, **{name: value for name, value in context["hidden_fields"]}}
    posted["vas"] = [value for name, value in context["hidden_fields"] if name == "vas"]
    posted.update(token=context["quote"].token, idempotency_key="k-1")
    assert hidden[f"vas_pn_{lines['STM32F103C8T6'].pk}"] == "ACME-MCU-1"

    response = client.post(reverse("orders:checkout-place"), posted)

    assert response.status_code == 302
    service = OrderService.objects.get()
    assert service.customer_part_number == "ACME-MCU-1"
    assert service.order.services_fee == Decimal("5.00")


def test_the_order_pdf_lists_the_services_fee(shopper, catalogue):
    import io

    from pypdf import PdfReader

    from orders.account import pdf

    customer, address, method, _lines = shopper
    order = place(customer, choices(address, method, services=((catalogue["split"].pk, None, ""),)))

    reader = PdfReader(io.BytesIO(pdf.render_order_pdf(order)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert "Services excl. VAT" in text and "12.00" in text
