"""The ordering API an ERP client uses: cart, checkout quote, placing, orders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Stock
from customers.services import api_key_create
from orders.models import CartLine, Order, OrderEvent, OrderStatus
from orders.quantities import HINT
from tests.customers.factories import AddressFactory
from tests.factories import CartLineFactory, ShippingMethodFactory
from tests.orders.checkout_helpers import fill_cart

pytestmark = pytest.mark.django_db

MPN = "RC0603FR-0710KL"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


@pytest.fixture
def rival_api(other_customer):
    client = APIClient()
    client.force_authenticate(other_customer)
    return client


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


def body(address, method, **overrides):
    return {
        "address_id": address.pk,
        "shipping_method_id": method.pk,
        "payment_method": "bank_transfer",
        **overrides,
    }


def quote(client, data):
    response = client.post("/api/v1/checkout/quote/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def place(client, data, *, key="erp-1", token=None):
    token = token if token is not None else quote(client, data)["token"]
    return client.post(
        "/api/v1/checkout/orders/",
        {**data, "quote_token": token},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def invalid(fields: dict[str, list[str]]) -> dict:
    """The body of a 400: code ``invalid``, each field's messages, and a message naming
    them as the exception handler writes it."""
    message = " ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
    return {"error": {"code": "invalid", "message": message, "fields": fields}}


def placed(client, data, **kwargs) -> dict:
    response = place(client, data, **kwargs)
    assert response.status_code == 201, response.json()
    return response.json()


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/cart/"),
        ("post", "/api/v1/cart/lines/"),
        ("patch", "/api/v1/cart/lines/1/"),
        ("post", "/api/v1/checkout/quote/"),
        ("post", "/api/v1/checkout/orders/"),
        ("get", "/api/v1/orders/"),
        ("get", "/api/v1/orders/SO-0000000/"),
        ("post", "/api/v1/orders/SO-0000000/cancel/"),
        ("get", "/api/v1/orders/SO-0000000/pdf/"),
    ],
)
def test_ordering_endpoints_require_a_signed_in_customer(method, url):
    response = getattr(APIClient(), method)(url)

    assert response.status_code in (401, 403)


def test_a_token_opens_the_cart(customer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=customer).key}")

    response = client.get("/api/v1/cart/")

    assert response.status_code == 200 and response.json()["lines"] == []


def key_client(customer, scope: str) -> APIClient:
    _, raw = api_key_create(user=customer, name="ERP sync", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


READ_ONLY = {
    "error": {
        "code": "read_only_key",
        "message": "This API key is read-only; create a key with the ordering scope to order.",
    }
}


def test_a_read_only_key_reads_the_cart_and_the_orders(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]
    fill_cart(customer, (resistor, 200))
    reader = key_client(customer, "read")

    orders = reader.get("/api/v1/orders/")
    cart = reader.get("/api/v1/cart/")

    assert references(orders) == [reference]
    assert cart.status_code == 200
    assert [line["quantity"] for line in cart.json()["lines"]] == [200]


def test_a_read_only_key_prices_the_cart_with_a_quote(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reader = key_client(customer, "read")

    response = reader.post("/api/v1/checkout/quote/", body(address, express), format="json")

    assert response.status_code == 200 and response.json()["total"] == "14.60"


def test_a_read_only_key_cannot_place_an_order(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reader = key_client(customer, "read")

    response = place(reader, body(address, express), token="x")

    assert response.status_code == 403
    assert response.json() == READ_ONLY
    assert not Order.objects.exists()


def test_a_read_only_key_cannot_fill_the_cart(customer, resistor):
    reader = key_client(customer, "read")

    response = reader.post(
        "/api/v1/cart/lines/", {"part": resistor.pk, "quantity": "150"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == READ_ONLY
    assert not CartLine.objects.exists()


def test_a_read_only_key_cannot_cancel_an_order(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]

    response = key_client(customer, "read").post(f"/api/v1/orders/{reference}/cancel/")

    assert response.status_code == 403
    assert response.json() == READ_ONLY
    assert Order.objects.get(reference=reference).status == OrderStatus.AWAITING_PAYMENT


def test_an_ordering_key_fills_the_cart_and_places_the_order(customer, resistor, address, express):
    orderer = key_client(customer, "ordering")

    added = orderer.post(
        "/api/v1/cart/lines/", {"part": resistor.pk, "quantity": "150"}, format="json"
    )
    order = placed(orderer, body(address, express), key="erp-key-1")

    assert added.status_code == 201
    assert order["status"] == "awaiting_payment" and order["total"] == "14.60"
    assert Order.objects.get(reference=order["reference"]).customer == customer


# --- cart -------------------------------------------------------------------------------------


def test_the_cart_shows_each_line_with_its_amounts_and_currency(api, customer, resistor):
    fill_cart(customer, (resistor, 150))

    cart = api.get("/api/v1/cart/").json()

    line = cart["lines"][0]
    assert (line["part"], line["mpn"], line["manufacturer"], line["quantity"]) == (
        resistor.pk,
        MPN,
        "YAGEO",
        150,
    )
    assert (line["unit_price"], line["net"], line["vat"], line["gross"]) == (
        "0.006100",
        "0.92",
        "0.12",
        "1.04",
    )
    assert line["stock"]["message"] == "In stock · ships today"
    assert line["currency"] == "CNY" and line["packaging_label"] == "Cut tape"
    assert (cart["subtotal"], cart["vat"], cart["total"], cart["currency"]) == (
        "0.92",
        "0.12",
        "1.04",
        "CNY",
    )


def test_a_quantity_with_a_thousands_separator_is_added(api, customer, resistor):
    response = api.post(
        "/api/v1/cart/lines/", {"part": resistor.pk, "quantity": "1,000"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["lines"][0]["quantity"] == 1000
    assert response.json()["lines"][0]["net"] == "4.20"


def test_a_quantity_with_an_exponent_is_refused_with_the_parsers_message(api, resistor):
    response = api.post(
        "/api/v1/cart/lines/", {"part": resistor.pk, "quantity": "1e5"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid", "message": f"quantity: {HINT}", "fields": {"quantity": [HINT]}}
    }
    assert not CartLine.objects.exists()


def test_a_quantity_off_the_order_multiple_is_refused_with_what_to_order(api, resistor):
    response = api.post(
        "/api/v1/cart/lines/", {"part": resistor.pk, "quantity": "155"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": f"quantity: {MPN} is sold in multiples of 10: order 150 or 160.",
            "fields": {"quantity": [f"{MPN} is sold in multiples of 10: order 150 or 160."]},
        }
    }


def test_an_unknown_part_is_refused_on_its_field(api, resistor):
    response = api.post("/api/v1/cart/lines/", {"part": 987654, "quantity": "10"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "part: This part is not in our catalog.",
            "fields": {"part": ["This part is not in our catalog."]},
        }
    }


def test_a_line_quantity_is_changed(api, customer, resistor):
    line = fill_cart(customer, (resistor, 150)).lines.get()

    response = api.patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": "2k"}, format="json")

    assert response.status_code == 200
    assert response.json()["lines"][0]["quantity"] == 2000
    assert response.json()["lines"][0]["net"] == "8.40"


def test_another_customers_cart_line_cannot_be_changed(api, other_customer, resistor):
    theirs = fill_cart(other_customer, (resistor, 150)).lines.get()

    response = api.patch(f"/api/v1/cart/lines/{theirs.pk}/", {"quantity": "10"}, format="json")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "That line is no longer in your cart."}
    }
    theirs.refresh_from_db()
    assert theirs.quantity == 150


def test_a_line_is_taken_out_of_the_cart(api, customer, resistor):
    line = fill_cart(customer, (resistor, 150)).lines.get()

    response = api.delete(f"/api/v1/cart/lines/{line.pk}/")

    assert response.status_code == 200 and response.json()["lines"] == []
    assert not CartLine.objects.exists()


def test_another_customers_cart_line_cannot_be_removed(api, other_customer, resistor):
    theirs = fill_cart(other_customer, (resistor, 150)).lines.get()

    response = api.delete(f"/api/v1/cart/lines/{theirs.pk}/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "That line is no longer in your cart."}
    }
    assert CartLine.objects.filter(pk=theirs.pk).exists()


# --- checkout quote ---------------------------------------------------------------------------


def test_the_quote_has_every_amount_and_a_token(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    result = quote(api, body(address, express))

    assert (result["subtotal"], result["shipping_fee"], result["vat"], result["total"]) == (
        "0.92",
        "12.00",
        "1.68",
        "14.60",
    )
    assert result["amount_due"] == "14.60" and result["currency"] == "CNY"
    line = result["lines"][0]
    assert (line["mpn"], line["net"], line["vat"], line["gross"]) == (MPN, "0.92", "0.12", "1.04")
    option = result["shipping_options"][0]
    assert (option["id"], option["fee"], option["fee_incl_vat"]) == (express.pk, "12.00", "13.56")
    assert result["errors"] == {} and result["problems"] == [] and result["can_place"] is True
    assert result["token"]


def test_the_quote_names_a_choice_that_cannot_be_used(
    api, customer, other_customer, resistor, express
):
    fill_cart(customer, (resistor, 150))
    theirs = AddressFactory(user=other_customer)

    result = quote(api, body(theirs, express))

    assert result["errors"] == {"address_id": "Choose one of your addresses, or add a new one."}
    assert result["can_place"] is False


def test_the_quote_of_an_empty_cart_is_a_conflict(api, address, express):
    response = api.post("/api/v1/checkout/quote/", body(address, express), format="json")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "empty_cart",
            "message": "Your cart is empty: add parts before checking out.",
        }
    }


def test_a_po_number_with_control_characters_is_refused(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = api.post(
        "/api/v1/checkout/quote/", body(address, express, po_number="PO\x0712"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "po_number: Remove the control characters from this text.",
            "fields": {"po_number": ["Remove the control characters from this text."]},
        }
    }


# --- placing ----------------------------------------------------------------------------------


def test_placing_answers_201_with_the_order(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    order = placed(api, body(address, express, po_number="PO-7731"))

    assert order["reference"].startswith("SO-") and order["status"] == "awaiting_payment"
    assert (order["total"], order["amount_due"], order["currency"]) == ("14.60", "14.60", "CNY")
    assert order["po_number"] == "PO-7731"
    assert [(line["mpn"], line["quantity"], line["gross"]) for line in order["lines"]] == [
        (MPN, 150, "1.04")
    ]
    assert Stock.objects.get(part=resistor).reserved == 2000 + 150


def test_amounts_sent_by_the_client_are_ignored(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    order = placed(api, body(address, express, total="0.01", subtotal="0.01"))

    assert order["total"] == "14.60"


def test_the_same_key_again_answers_200_with_the_same_order(
    api, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    data = body(address, express)
    token = quote(api, data)["token"]
    first = place(api, data, key="erp-42", token=token)

    again = place(api, data, key="erp-42", token=token)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert Order.objects.count() == 1


def test_the_same_key_with_another_cart_is_a_conflict(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    first = placed(api, body(address, express), key="erp-42")
    fill_cart(customer, (resistor, 200))

    response = place(api, body(address, express), key="erp-42")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "idempotency_conflict",
            "message": f"This order form was already used to place order {first['reference']} "
            "with other contents. Reload the checkout to place a new order.",
        }
    }
    assert Order.objects.count() == 1


def test_placing_without_an_idempotency_key_is_refused(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = place(api, body(address, express), key="")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Idempotency-Key: An idempotency key is required.",
            "fields": {"Idempotency-Key": ["An idempotency key is required."]},
        }
    }
    assert not Order.objects.exists()


def test_an_idempotency_key_over_255_characters_is_refused(
    api, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))

    response = place(api, body(address, express), key="k" * 256)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Idempotency-Key: Use at most 255 printable characters.",
            "fields": {"Idempotency-Key": ["Use at most 255 printable characters."]},
        }
    }


def test_a_price_changed_since_the_quote_is_a_conflict_listing_the_changes(
    api, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    data = body(address, express)
    token = quote(api, data)["token"]
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    cut_tape.price_breaks.filter(min_quantity=100).update(unit_price=Decimal("0.0070"))

    response = place(api, data, token=token)

    assert response.status_code == 409
    changes = [
        f"{MPN}: unit price 0.006100 → 0.007000 CNY.",
        "Subtotal: 0.92 → 1.05 CNY.",
        "VAT: 1.68 → 1.70 CNY.",
        "Total: 14.60 → 14.75 CNY.",
        "Amount to pay: 14.60 → 14.75 CNY.",
    ]
    assert response.json() == {
        "error": {
            "code": "quote_changed",
            "message": "Prices or stock changed since you reviewed your order, so nothing was "
            "charged: " + " ".join(changes) + " Review the new amounts and place the order again.",
            "changes": changes,
        }
    }
    assert not Order.objects.exists()


def test_stock_sold_since_the_quote_is_a_conflict(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    data = body(address, express)
    token = quote(api, data)["token"]
    Stock.objects.filter(part=resistor).update(reserved=42000 - 100)

    response = place(api, data, token=token)

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "out_of_stock",
            "message": f"Not enough stock any more, so nothing was charged: {MPN}: only 100 of "
            "150 available. Lower the quantities or request a quote for the rest.",
            "shortages": [f"{MPN}: only 100 of 150 available."],
        }
    }
    assert not Order.objects.exists()


def test_a_line_without_a_price_is_a_conflict(
    api, customer, resistor, unpriced_part, address, express
):
    cart = fill_cart(customer, (resistor, 150))
    CartLineFactory(cart=cart, part=unpriced_part, quantity=100)

    response = place(api, body(address, express))

    problem = "XC7A35T-1CSG324C has no list price at 100 pieces: request a quote for it."
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "cart_not_orderable",
            "message": f"Some lines cannot be ordered as they are: {problem}",
            "problems": [problem],
        }
    }


def test_placing_from_an_empty_cart_is_a_conflict(api, address, express):
    response = api.post(
        "/api/v1/checkout/orders/",
        {**body(address, express), "quote_token": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="erp-1",
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "empty_cart",
            "message": "Your cart is empty: add parts before checking out.",
        }
    }


def test_an_unknown_coupon_is_refused_on_its_field(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = place(api, body(address, express, coupon_code="NOPE2026"))

    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "coupon_code": [
                "We don't know this coupon code in your account; check it, or pick one from "
                "your coupons."
            ]
        }
    )
    assert not Order.objects.exists()


def test_more_points_than_the_customer_has_are_refused(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = place(api, body(address, express, points=500))

    assert response.status_code == 400
    assert response.json() == invalid({"points": ["You have 0 points; redeem at most that many."]})


def test_more_balance_than_the_customer_has_is_refused(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = place(api, body(address, express, balance_amount="5.00"))

    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "balance_amount": [
                "Your balance is 0.00 CNY, less than 5.00 CNY: top up, use less of it, or pay "
                "the rest by another method."
            ]
        }
    )


# --- orders -----------------------------------------------------------------------------------


@pytest.fixture
def two_orders(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    first = placed(api, body(address, express, po_number="PO-1"), key="a")
    fill_cart(customer, (resistor, 1000))
    second = placed(api, body(address, express, po_number="PO-2"), key="b")
    return first, second


def references(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [order["reference"] for order in response.json()["results"]]


def test_the_order_list_has_the_customers_own_orders_newest_first(
    api, rival_api, other_customer, resistor, express, two_orders
):
    fill_cart(other_customer, (resistor, 150))
    placed(rival_api, body(AddressFactory(user=other_customer), express))

    response = api.get("/api/v1/orders/")

    assert references(response) == [two_orders[1]["reference"], two_orders[0]["reference"]]
    assert response.json()["count"] == 2
    assert response.json()["results"][1]["total"] == "14.60"


def test_orders_are_filtered_by_po_number(api, two_orders):
    assert references(api.get("/api/v1/orders/", {"po_number": "po-1"})) == [
        two_orders[0]["reference"]
    ]


def test_orders_are_filtered_by_mpn(api, customer, two_orders):
    assert len(references(api.get("/api/v1/orders/", {"mpn": MPN.lower()}))) == 2
    assert references(api.get("/api/v1/orders/", {"mpn": "NE555P"})) == []


def test_orders_are_filtered_by_status(api, two_orders):
    Order.objects.filter(reference=two_orders[0]["reference"]).update(status=OrderStatus.PAID)

    assert references(api.get("/api/v1/orders/", {"status": "paid"})) == [
        two_orders[0]["reference"]
    ]


def test_orders_are_filtered_by_placing_date(api, two_orders):
    Order.objects.filter(reference=two_orders[0]["reference"]).update(
        placed_at=timezone.now() - timedelta(days=10)
    )
    day = (timezone.localdate() - timedelta(days=5)).isoformat()

    assert references(api.get("/api/v1/orders/", {"placed_after": day})) == [
        two_orders[1]["reference"]
    ]
    assert references(api.get("/api/v1/orders/", {"placed_before": day})) == [
        two_orders[0]["reference"]
    ]


def test_a_date_that_is_not_one_is_refused(api):
    response = api.get("/api/v1/orders/", {"placed_after": "yesterday"})

    assert response.status_code == 400
    assert response.json() == invalid({"placed_after": ["Enter a valid date."]})


def test_an_order_shows_its_amounts_lines_and_timeline(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]

    order = api.get(f"/api/v1/orders/{reference}/").json()

    assert (order["subtotal"], order["shipping_fee"], order["vat"], order["total"]) == (
        "0.92",
        "12.00",
        "1.68",
        "14.60",
    )
    assert order["lines"][0]["from_stock"] == 150 and order["payments"] == []
    assert [event["message"] for event in order["events"]] == ["Order placed: 14.60 CNY"]


NOT_YOURS = {"error": {"code": "not_found", "message": "No order of yours has this reference."}}


def test_another_customers_order_is_not_found(api, rival_api, other_customer, resistor, express):
    fill_cart(other_customer, (resistor, 150))
    theirs = placed(rival_api, body(AddressFactory(user=other_customer), express))["reference"]

    for url in (f"/api/v1/orders/{theirs}/", f"/api/v1/orders/{theirs}/pdf/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json() == NOT_YOURS
    response = api.post(f"/api/v1/orders/{theirs}/cancel/")
    assert response.status_code == 404 and response.json() == NOT_YOURS
    assert Order.objects.get(reference=theirs).status == OrderStatus.AWAITING_PAYMENT


def test_an_unpaid_order_is_cancelled_and_its_stock_released(
    api, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]

    response = api.post(
        f"/api/v1/orders/{reference}/cancel/", {"reason": "Ordered twice"}, format="json"
    )

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Stock.objects.get(part=resistor).reserved == 2000
    assert OrderEvent.objects.filter(
        order__reference=reference, to_status="cancelled", message="Ordered twice"
    ).exists()


def test_a_paid_order_cannot_be_cancelled_by_the_customer(
    api, customer, resistor, address, express
):
    from customers.services import balance_credit

    balance_credit(user=customer, amount=Decimal("100.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express, payment_method="balance"))["reference"]

    response = api.post(f"/api/v1/orders/{reference}/cancel/")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "not_cancellable",
            "message": f"Order {reference} is paid; ask us to cancel it and we refund what you "
            "paid.",
        }
    }
    assert Order.objects.get(reference=reference).status == OrderStatus.PAID


def test_an_order_is_downloaded_as_a_pdf(api, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]

    response = api.get(f"/api/v1/orders/{reference}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_asking_for_another_customers_pdf_is_not_found(
    api, rival_api, other_customer, resistor, express
):
    fill_cart(other_customer, (resistor, 150))
    theirs = placed(rival_api, body(AddressFactory(user=other_customer), express))["reference"]

    response = api.get(f"/api/v1/orders/{theirs}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_YOURS


def test_the_schema_documents_ordering_and_the_idempotency_key(tmp_path):
    schema = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    text = schema.read_text()
    for path in (
        "/api/v1/cart/",
        "/api/v1/cart/lines/{line_id}/",
        "/api/v1/checkout/quote/",
        "/api/v1/checkout/orders/",
        "/api/v1/orders/{reference}/cancel/",
        "/api/v1/orders/{reference}/pdf/",
    ):
        assert f"  {path}:" in text, path
    assert "name: Idempotency-Key" in text and "'409':" in text


def test_the_pdf_endpoint_serves_the_rendered_order(
    api, customer, resistor, address, express, monkeypatch
):
    import sys
    import types

    rendered = types.ModuleType("orders.account.pdf")
    rendered.render_order_pdf = lambda order: b"%PDF-1.7 " + order.reference.encode()
    monkeypatch.setitem(sys.modules, "orders.account.pdf", rendered)
    fill_cart(customer, (resistor, 150))
    reference = placed(api, body(address, express))["reference"]

    response = api.get(f"/api/v1/orders/{reference}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 " + reference.encode()
    assert response["Content-Disposition"] == f'inline; filename="{reference}.pdf"'
