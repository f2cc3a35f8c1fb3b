"""The customer's return pages and the returns API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import SupplierOffer
from orders.models import ReturnRequest
from orders.returns import services
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import fill_cart
from tests.orders.payments_helpers import place_order
from tests.orders.returns_helpers import delivered_order, lab_report, open_return, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(customer, resistor):
    return delivered_order(customer, resistor)


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def open_form(order):
    return reverse("orders:return-open", args=[order.reference, order.lines.get().pk])


def form_data(**overrides):
    return {
        "kind": "return",
        "reason": "wrong_part",
        "quantity": "20",
        "description": "We received 0402 instead of 0603.",
        "idempotency_key": "form-1",
        **overrides,
    }


def test_a_delivered_order_offers_return_or_complain_on_its_lines(signed_in, order):
    response = signed_in.get(reverse("orders:order-detail", args=[order.reference]))

    assert "Return or complain" in response.content.decode()
    assert open_form(order) in response.content.decode()


def test_an_order_not_delivered_offers_no_return(signed_in, customer, resistor):
    order = place_order(customer, resistor, key="form-2")

    response = signed_in.get(reverse("orders:order-detail", args=[order.reference]))

    assert "Return or complain" not in response.content.decode()


def test_the_customer_opens_a_return_with_a_photo_and_lands_on_its_page(signed_in, order):
    response = signed_in.post(open_form(order), {**form_data(), "photos": [photo()]})

    rma = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:return-detail", args=[rma.reference])
    page = signed_in.get(response["Location"]).content.decode()
    assert "Wrong part" in page and "We received 0402 instead of 0603." in page
    assert reverse("orders:return-photo", args=[rma.reference, rma.photos.get().pk]) in page


def test_a_double_submitted_form_opens_one_return(signed_in, order):
    signed_in.post(open_form(order), form_data())
    signed_in.post(open_form(order), form_data())

    assert ReturnRequest.objects.count() == 1


def test_too_many_pieces_are_shown_beside_the_field(signed_in, order):
    response = signed_in.post(open_form(order), form_data(quantity="151"))

    assert response.status_code == 400
    assert "At most 150 pieces" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_a_refused_return_says_why_on_the_form(signed_in, customer, resistor):
    order = place_order(customer, resistor, key="form-2")

    response = signed_in.post(open_form(order), form_data())

    assert response.status_code == 400
    assert "once it is delivered" in response.content.decode()


def test_the_returns_list_shows_the_customers_returns(signed_in, customer, order):
    rma = open_return(customer, order)

    response = signed_in.get(reverse("orders:return-list"))

    assert rma.reference in response.content.decode()


def test_every_step_is_on_the_return_page_with_its_message(signed_in, customer, order, staff):
    rma = open_return(customer, order)
    services.return_request_info(return_id=rma.pk, staff=staff, message="Which date code?")

    page = signed_in.get(reverse("orders:return-detail", args=[rma.reference])).content.decode()

    assert "More information needed" in page and "Which date code?" in page
    assert "Answer our question" in page


def test_the_customer_answers_in_the_account(signed_in, customer, order, staff):
    rma = open_return(customer, order)
    services.return_request_info(return_id=rma.pk, staff=staff, message="Which date code?")

    response = signed_in.post(
        reverse("orders:return-message", args=[rma.reference]), {"message": "2423"}
    )

    rma.refresh_from_db()
    assert response.status_code == 302
    assert rma.status == "open"
    assert rma.events.last().message == "2423"


def test_an_empty_answer_is_refused_with_a_message(signed_in, customer, order):
    rma = open_return(customer, order)

    response = signed_in.post(reverse("orders:return-message", args=[rma.reference]), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert rma.events.count() == 1


def test_the_lab_report_is_downloaded_as_a_pdf_attachment(signed_in, customer, order, staff):
    rma = open_return(customer, order)
    services.return_send_to_lab(return_id=rma.pk, staff=staff)
    event = services.return_lab_report_attach(return_id=rma.pk, staff=staff, report=lab_report())

    response = signed_in.get(reverse("orders:return-report", args=[rma.reference, event.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_customers_return_is_not_found(client, other_customer, customer, order):
    rma = open_return(customer, order)
    client.force_login(other_customer)

    assert client.get(reverse("orders:return-detail", args=[rma.reference])).status_code == 404


def test_the_part_page_says_supplier_stock_is_not_returnable(client, resistor):
    SupplierOfferFactory(part=resistor, quantity=5000, lead_days=7, returnable=False)

    page = client.get(resistor.get_absolute_url(), follow=True).content.decode()

    assert "not returnable" in page


def test_the_part_page_says_nothing_when_supplier_stock_is_returnable(client, resistor):
    SupplierOfferFactory(part=resistor, quantity=5000, lead_days=7)

    page = client.get(resistor.get_absolute_url(), follow=True).content.decode()

    assert SupplierOffer.objects.get().returnable
    assert "not returnable" not in page


# --- API ------------------------------------------------------------------------------------------


def test_the_api_lists_the_customers_returns(api, customer, order):
    rma = open_return(customer, order)

    response = api.get(reverse("api-return-list"))

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [rma.reference]


def test_the_api_opens_a_return_once_per_idempotency_key(api, order):
    body = {
        "order": order.reference,
        "line": order.lines.get().pk,
        "reason": "bent_pins",
        "quantity": 10,
        "description": "Bent.",
    }

    first = api.post(reverse("api-return-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post(reverse("api-return-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert first.json()["events"][0]["kind"] == "opened"


def test_the_api_opens_a_return_with_photos(api, order):
    body = {
        "order": order.reference,
        "line": order.lines.get().pk,
        "reason": "bent_pins",
        "quantity": 10,
        "description": "Bent.",
        "photos": [photo()],
    }

    response = api.post(reverse("api-return-list"), body, HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 201
    assert response.json()["photos"][0]["content_type"] == "image/jpeg"


def test_the_api_refuses_too_many_pieces_in_the_error_format(api, order):
    body = {
        "order": order.reference,
        "line": order.lines.get().pk,
        "reason": "bent_pins",
        "quantity": 999,
        "description": "Bent.",
    }

    response = api.post(reverse("api-return-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "At most 150 pieces" in response.json()["error"]["fields"]["quantity"][0]


def test_the_api_refuses_a_closed_window_as_a_conflict(api, customer, resistor):
    order = place_order(customer, resistor, key="form-2")
    body = {
        "order": order.reference,
        "line": order.lines.get().pk,
        "reason": "bent_pins",
        "quantity": 10,
        "description": "Bent.",
    }

    response = api.post(reverse("api-return-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "return_not_allowed"


def test_the_api_hides_another_customers_return(customer, order, other_customer):
    rma = open_return(customer, order)
    client = APIClient()
    client.force_authenticate(other_customer)

    response = client.get(reverse("api-return-detail", args=[rma.reference]))

    assert response.status_code == 404


def test_the_checkout_says_when_supplier_pieces_cannot_be_returned(signed_in, customer, resistor):
    AddressFactory(user=customer, is_default=True)
    ShippingMethodFactory()
    SupplierOfferFactory(part=resistor, quantity=90000, lead_days=7, returnable=False)
    fill_cart(customer, (resistor, 41000))

    page = signed_in.get(reverse("orders:checkout")).content.decode()

    assert (
        'Supplier stock of <span translate="no">RC0603FR-0710KL</span> is bought for your order '
        "and cannot be"
    ) in page


def test_the_checkout_says_nothing_when_supplier_pieces_can_be_returned(
    signed_in, customer, resistor
):
    AddressFactory(user=customer, is_default=True)
    ShippingMethodFactory()
    SupplierOfferFactory(part=resistor, quantity=90000, lead_days=7)
    fill_cart(customer, (resistor, 41000))

    page = signed_in.get(reverse("orders:checkout")).content.decode()

    assert "Some parts come from our suppliers" in page
    assert "cannot be returned" not in page


def test_the_order_page_takes_the_same_queries_however_many_returns(signed_in, customer, order):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("orders:order-detail", args=[order.reference])
    open_return(customer, order, quantity=10, key="k1")
    with CaptureQueriesContext(connection) as one:
        signed_in.get(url)
    for n in range(2, 5):
        open_return(customer, order, quantity=10, key=f"k{n}")

    with CaptureQueriesContext(connection) as four:
        response = signed_in.get(url)

    assert response.content.decode().count("RA-") >= 4
    assert len(four) == len(one)
