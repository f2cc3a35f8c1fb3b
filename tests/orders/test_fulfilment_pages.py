"""Fulfilment on the customer's order page and in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.fulfilment import services as fulfilment
from orders.models import Carrier, OrderService, OrderStatus, ServiceKind, Shipment
from tests.customers.factories import CustomerFactory
from tests.orders.fulfilment_helpers import allocate_and_pick, paid_order, stocked_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(email="buyer@example.com")


@pytest.fixture
def staff():
    return CustomerFactory(email="ops@partline.example", is_staff=True, is_superuser=True)


@pytest.fixture
def order(customer):
    part = stocked_part("STM32F103C8T6", bin_location="C-02-4", msl="3", esd=True)
    resistor = stocked_part("RC0603FR-0710KL", bin_location="A-01-1")
    return paid_order(customer, (part, 10), (resistor, 100))


def test_order_page_shows_the_expected_ship_date_before_it_ships(client, customer, order):
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()

    assert 'data-step="Picking"' in page
    assert "expected " in page


def test_order_page_shows_each_step_and_the_tracking_link(client, customer, order):
    allocate_and_pick(order)
    fulfilment.shipment_create(
        order_id=order.pk, carrier=Carrier.SF_EXPRESS, tracking_number="SF778899"
    )
    fulfilment.order_mark_delivered(order_id=order.pk)
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()

    for step in ("Placed", "Paid", "Picking", "Shipped", "Delivered"):
        assert f'class="step step-done" data-step="{step}"' in page, step
    assert "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF778899" in page


def _report(order):
    return OrderService.objects.create(
        order=order,
        kind=ServiceKind.INSPECTION_REPORT,
        name="Incoming inspection test report",
        fee="30.00",
        result=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        result_name="report.pdf",
    )


def test_the_customer_downloads_a_test_report_as_an_attachment(client, customer, order):
    service = _report(order)
    client.force_login(customer)

    response = client.get(reverse("orders:order-attachment", args=[order.reference, service.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report.pdf"')
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"


def test_another_customer_cannot_download_the_report(client, order):
    service = _report(order)
    client.force_login(CustomerFactory())

    response = client.get(reverse("orders:order-attachment", args=[order.reference, service.pk]))

    assert response.status_code == 404


def test_staff_upload_a_result_that_the_order_page_links(client, customer, staff, order):
    service = OrderService.objects.create(
        order=order, kind=ServiceKind.INSPECTION_REPORT, name="Test report", fee="30.00"
    )
    fulfilment.order_service_attach_result(
        service_id=service.pk,
        upload=SimpleUploadedFile("inspection.pdf", b"%PDF-1.4 x", "application/pdf"),
        actor=staff,
    )
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()

    assert reverse("orders:order-attachment", args=[order.reference, service.pk]) in page
    assert "Download inspection.pdf" in page


def test_a_result_of_an_unknown_kind_is_refused(staff, order):
    service = OrderService.objects.create(
        order=order, kind=ServiceKind.INSPECTION_REPORT, name="Test report", fee="30.00"
    )
    with pytest.raises(ValidationError, match="Attach a PDF"):
        fulfilment.order_service_attach_result(
            service_id=service.pk, upload=SimpleUploadedFile("run.exe", b"MZ"), actor=staff
        )
    service.refresh_from_db()
    assert not service.result and service.done_at is None


def test_the_printed_pick_list_walks_the_bins_with_handling_notes(client, staff, order):
    fulfilment.order_allocate(order_id=order.pk)
    client.force_login(staff)

    page = client.get(
        reverse("admin:orders_picklist_print", args=[order.pick_lists.get().pk])
    ).content.decode()

    assert page.index("A-01-1") < page.index("C-02-4")
    assert "ESD-sensitive" in page and "dry pack" in page


def test_staff_ship_an_order_from_its_admin_page(client, staff, order):
    allocate_and_pick(order)
    client.force_login(staff)
    url = reverse("admin:orders_shipment_ship", args=[order.pk])

    response = client.post(url, {"carrier": Carrier.JD, "tracking_number": "JD0012345"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert Shipment.objects.get(order=order).tracking_number == "JD0012345"


def test_shipping_before_picking_shows_why_in_the_admin(client, staff, order):
    fulfilment.order_allocate(order_id=order.pk)
    client.force_login(staff)

    response = client.post(
        reverse("admin:orders_shipment_ship", args=[order.pk]),
        {"carrier": Carrier.JD, "tracking_number": "JD0012345"},
    )

    assert "pick its pick list first" in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_customer_cannot_open_the_ship_page(client, customer, order):
    client.force_login(customer)

    response = client.get(reverse("admin:orders_shipment_ship", args=[order.pk]))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_csv_upload_page_lists_each_refused_row(client, staff, order):
    allocate_and_pick(order)
    client.force_login(staff)
    data = f"order,carrier,tracking\n{order.reference},ZTO,ZT123456\nSO-NONE,ZTO,ZT1\n".encode()

    response = client.post(
        reverse("admin:orders_shipment_upload"),
        {"file": SimpleUploadedFile("parcels.csv", data, "text/csv")},
    )

    page = response.content.decode()
    assert "1 row(s) recorded, 1 refused." in page
    assert "No order SO-NONE." in page


def test_the_orders_api_lists_shipments_with_tracking(customer, order):
    from rest_framework.test import APIClient

    allocate_and_pick(order)
    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.FEDEX, tracking_number="7788")
    client = APIClient()
    client.force_authenticate(customer)

    data = client.get(reverse("api-order-detail", args=[order.reference])).json()

    assert data["status"] == "shipped"
    [shipment] = data["shipments"]
    assert shipment["carrier_name"] == "FedEx"
    assert shipment["tracking_url"] == "https://www.fedex.com/fedextrack/?trknbr=7788"
    assert [line["quantity"] for line in shipment["lines"]] == [10, 100]
