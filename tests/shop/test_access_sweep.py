"""Every URL of the store that names an object, tried with customer A's ids by customer B and
by an anonymous visitor: B is told "not found" and sees none of A's data, the visitor is sent
to sign in (pages) or refused (API), and neither of them changes anything of A's.

The URLs come from the URL resolver, so a URL added later without a case here fails the
sweep until it is given one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from catalog.models import Stock
from customers import models as customer_models
from customers import services as customer_services
from customers.notifications import notify
from orders import models as order_models
from orders.bom import reader as bom_reader
from orders.bom import services as bom_services
from orders.cart.services import CartOwner
from orders.checkout import services as checkout
from orders.lifecycle.services import order_transition
from orders.payments import services as payments
from orders.returns import services as returns
from orders.rfq import services as rfq
from promotions import models as promotion_models
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import (
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart
from tests.orders.returns_helpers import lab_report, photo
from tests.promotions.draw_helpers import campaign as draw_campaign
from tests.promotions.draw_helpers import earn as draws_earn
from tests.promotions.factories import issued

pytestmark = pytest.mark.django_db

# --- A's objects --------------------------------------------------------------------------------

A_EMAIL = "adaline.sweep@alpha-robotics.example"
A_RECIPIENT = "Adaline Quietwater"
A_LINE1 = "77 Quietwater Lane"
A_PHONE = "+86 138 7777 4471"
A_COMPANY_TITLE = "Alpha Quietwater Robotics Ltd."
A_TAXPAYER_ID = "DE136695976"
A_PO = "PO-QUIET-4471"
A_KEY_NAME = "Quietwater ERP sync"
A_INQUIRY_NOTE = "Quietwater prototype run"
A_BOM_NAME = "Quietwater motor controller rev C"
A_MESSAGE_TITLE = "Quietwater private reel offer"
A_RETURN_NOTE = "Quietwater reel arrived with bent leads"


def _part():
    part = PartFactory(mpn="RC0603FR-0710KL", moq=10, order_multiple=10)
    StockFactory(part=part, on_hand=42000, reserved=0)
    tape = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=tape, min_quantity=10, unit_price=Decimal("0.0120"))
    PriceBreakFactory(packaging=tape, min_quantity=100, unit_price=Decimal("0.0061"))
    return part


def _place(customer, address, method, key, **overrides):
    picked = choices(address, method, **overrides)
    cart = order_models.Cart.objects.get(customer=customer, checked_out_at__isnull=True)
    token = checkout.checkout_quote(customer=customer, cart=cart, choices=picked).token
    return checkout.order_place(
        customer=customer, choices=picked, idempotency_key=key, seen_token=token
    )


@pytest.fixture
def world():
    """Customer A with one of every object a customer owns; customer B with an account of
    their own (an address, a cart) so that "not found" is not just "B has nothing"."""
    staff = CustomerFactory(email="ops@partline.example", is_staff=True, is_superuser=True)
    a = CustomerFactory(email=A_EMAIL, first_name="Adaline", last_name="Quietwater")
    b = CustomerFactory(email="bert.rival@example.com", first_name="Bert")
    part = _part()
    method = ShippingMethodFactory()
    address = AddressFactory(
        user=a, recipient=A_RECIPIENT, line1=A_LINE1, phone=A_PHONE, is_default=True
    )
    AddressFactory(user=b, is_default=True)
    invoice = customer_services.invoice_details_save(
        user=a, company_title=A_COMPANY_TITLE, taxpayer_id=A_TAXPAYER_ID
    )
    customer_services.balance_credit(
        user=a, amount=Decimal("100.00"), idempotency_key="seed-a", note="Opening balance"
    )
    top_up = customer_services.top_up_create(
        user=a, amount=Decimal("500.00"), idempotency_key="tu-1"
    )
    coupon = issued(user=a, name="Quietwater welcome")
    api_key, _ = customer_services.api_key_create(user=a, name=A_KEY_NAME)
    inquiry = rfq.inquiry_submit(
        customer=a,
        contact_name=A_RECIPIENT,
        email=A_EMAIL,
        note=A_INQUIRY_NOTE,
        lines=[rfq.InquiryLineInput(mpn="RC0603FR-0710KL", quantity=50000)],
        idempotency_key="rfq-1",
    )
    inquiry.lines.update(
        quoted_unit_price=Decimal("0.0030"),
        quoted_quantity=50000,
        valid_until=date.today() + timedelta(days=14),
    )
    rfq.inquiry_transition(inquiry_id=inquiry.pk, to=order_models.InquiryStatus.QUOTED, actor=staff)

    fill_cart(a, (part, 1500))
    order = _place(a, address, method, "form-1", po_number=A_PO)
    payments.payment_pay_from_balance(
        order_id=order.pk, customer=a, idempotency_key="pay-1", amount="10.00"
    )
    payments.refund_to_balance(order_id=order.pk, amount="4.00", staff=staff, reason="Short")
    customer_services.points_earn_for_order(
        user=a, order_reference=order.reference, amount_paid=Decimal("100.00")
    )
    fill_cart(a, (part, 150))
    online = _place(a, address, method, "form-2", payment_method=order_models.PaymentMethod.GATEWAY)
    payment, _ = payments.payment_start_online(
        order_id=online.pk, customer=a, idempotency_key="online-1"
    )
    attachment = order_models.OrderService.objects.create(
        order=order,
        kind=order_models.ServiceKind.INSPECTION_REPORT,
        name="Incoming inspection test report",
        fee=Decimal("30.00"),
        result=ContentFile(b"%PDF-1.4 Quietwater report", name="report.pdf"),
        result_name="report.pdf",
    )
    fill_cart(a, (part, 200))
    delivered = _place(a, address, method, "form-3")
    payments.payment_record_bank_transfer(
        reference=delivered.reference, amount=delivered.outstanding, staff=staff
    )
    for status in (order_models.OrderStatus.SHIPPED, order_models.OrderStatus.DELIVERED):
        order_transition(order_id=delivered.pk, to=status, actor=staff)
    rma = returns.return_open(
        customer=a,
        line_id=delivered.lines.get().pk,
        kind="return",
        reason="bent_pins",
        quantity=20,
        description=A_RETURN_NOTE,
        photos=[photo()],
        idempotency_key="rma-1",
    )
    returns.return_send_to_lab(return_id=rma.pk, staff=staff)
    report = returns.return_lab_report_attach(return_id=rma.pk, staff=staff, report=lab_report())
    cart = fill_cart(a, (part, 300))
    fill_cart(b, (part, 20))
    bom = bom_services.bom_create(
        owner=CartOwner(customer=a),
        table=bom_reader.read_paste("MPN\tQty\tDesignator\nRC0603FR-0710KL\t10\tR1-R10\n"),
        name=A_BOM_NAME,
    )
    bom = bom_services.bom_save(bom=bom, customer=a, name=A_BOM_NAME)
    notification = notify(
        customer=a,
        kind=customer_models.NotificationKind.CAMPAIGN,
        dedup_key="sweep-campaign",
        context={"title": A_MESSAGE_TITLE, "message": "Quietwater reels at cost."},
    )
    draw_campaign(prizes=[("Quietwater prize", "100", 5)], no_prize="0")
    (draw,) = draws_earn(a, order.reference)

    secrets = [
        A_EMAIL,
        A_RECIPIENT,
        A_LINE1,
        A_PHONE,
        A_COMPANY_TITLE,
        A_TAXPAYER_ID,
        A_PO,
        A_KEY_NAME,
        api_key.prefix,
        A_INQUIRY_NOTE,
        inquiry.reference,
        order.reference,
        online.reference,
        top_up.reference,
        coupon.code,
        payment.provider_reference,
        A_BOM_NAME,
        A_MESSAGE_TITLE,
        A_RETURN_NOTE,
        rma.reference,
        delivered.reference,
        draw.public_id,
    ]
    return SimpleNamespace(
        draw=draw,
        a=a,
        b=b,
        part=part,
        address=address,
        invoice=invoice,
        top_up=top_up,
        coupon=coupon,
        api_key=api_key,
        inquiry=inquiry,
        cart=cart,
        cart_line=cart.lines.get(),
        order=order,
        attachment=attachment,
        online=online,
        payment=payment,
        bom=bom,
        bom_line=bom.lines.order_by("pk").first(),
        notification=notification,
        delivered=delivered,
        rma=rma,
        report=report,
        secrets=secrets,
    )


# --- what each URL with arguments is, and how to fill it from A's objects ---------------------

LOGIN = "login"  # anonymous: a redirect to sign in (pages), 401/403 (API)
CART = "cart"  # the cart belongs to the session: a stale line id is sent back to the cart
# Visitors have BOMs of their own (kept in their session): another's is "not found" to them too.
NOT_FOUND_FOR_ALL = "not_found_for_all"


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[SimpleNamespace], dict]
    methods: tuple[str, ...]
    data: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    # What B (and the visitor, for the cart) get: "not found", or sent back to their cart.
    refused: str = "not_found"


def _address_form(w):
    return {
        "recipient": "Mallory Rival",
        "phone": "+86 139 0000 0000",
        "line1": "1 Elsewhere Road",
        "city": "Shenzhen",
        "region": "Guangdong",
        "postal_code": "518000",
        "country": "CN",
        "is_default": "on",
    }


def _reference(w):
    return {"reference": w.order.reference}


def _line(w):
    return {"line_id": w.cart_line.pk}


def _token(w):
    return {"token": w.payment.provider_reference}


def _inquiry(w):
    return {"reference": w.inquiry.reference}


def _quote_lines(w):
    return {"line": [str(pk) for pk in w.inquiry.lines.values_list("pk", flat=True)]}


def _bom(w):
    return {"bom_id": w.bom.pk}


def _bom_line(w):
    return {"bom_id": w.bom.pk, "line_id": w.bom_line.pk}


def _rma(w):
    return {"reference": w.rma.reference}


def _return_form(w):
    return {
        "kind": "return",
        "reason": "other",
        "quantity": "1",
        "description": "Mine now",
        "idempotency_key": "b-rma",
    }


def _bom_case(kwargs, methods, data=lambda w: {}):
    return Case(kwargs, methods, data, refused=NOT_FOUND_FOR_ALL)


PAGES: dict[str, Case] = {
    "orders:cart-update": Case(_line, ("post",), lambda w: {"quantity": "990"}, refused=CART),
    "orders:cart-remove": Case(_line, ("post",), refused=CART),
    "orders:cart-packaging": Case(
        _line,
        ("post",),
        lambda w: {"packaging": str(w.part.packaging_options.get().pk)},
        refused=CART,
    ),
    "orders:cart-reel-split": Case(_line, ("post",), refused=CART),
    "orders:order-detail": Case(_reference, ("get",)),
    "orders:order-pdf": Case(_reference, ("get",)),
    "orders:order-cancel": Case(_reference, ("post",), lambda w: {"reason": "not mine"}),
    "orders:order-reorder": Case(_reference, ("post",)),
    "orders:order-attachment": Case(
        lambda w: {"reference": w.order.reference, "service_id": w.attachment.pk}, ("get",)
    ),
    "orders:inquiry-detail": Case(lambda w: {"reference": w.inquiry.reference}, ("get",)),
    "orders:inquiry-accept": Case(_inquiry, ("post",), _quote_lines),
    "orders:inquiry-decline": Case(_inquiry, ("post",)),
    "orders:inquiry-pdf": Case(_inquiry, ("get",)),
    "orders:payment-balance": Case(
        _reference, ("post",), lambda w: {"idempotency_key": "b-1", "amount": "1.00"}
    ),
    "orders:payment-online": Case(
        lambda w: {"reference": w.online.reference}, ("post",), lambda w: {"idempotency_key": "b-2"}
    ),
    "orders:payment-sandbox": Case(_token, ("get", "post"), lambda w: {"action": "pay"}),
    "orders:payment-return": Case(_token, ("get",)),
    "customers:address-edit": Case(lambda w: {"pk": w.address.pk}, ("get", "post"), _address_form),
    "customers:address-delete": Case(lambda w: {"pk": w.address.pk}, ("post",)),
    "customers:address-default": Case(lambda w: {"pk": w.address.pk}, ("post",)),
    "customers:top-up-detail": Case(lambda w: {"reference": w.top_up.reference}, ("get",)),
    "customers:api-key-revoke": Case(lambda w: {"pk": w.api_key.pk}, ("post",)),
    "customers:message-detail": Case(lambda w: {"pk": w.notification.pk}, ("get",)),
    "orders:bom-detail": _bom_case(_bom, ("get",)),
    "orders:bom-columns": _bom_case(_bom, ("get", "post"), lambda w: {"mpn": "0", "quantity": "1"}),
    "orders:bom-settings": _bom_case(
        _bom, ("post",), lambda w: {"build_quantity": "250", "attrition": "5"}
    ),
    "orders:bom-line-choose": _bom_case(_bom_line, ("post",), lambda w: {"part": str(w.part.pk)}),
    "orders:bom-line-alternate": _bom_case(_bom_line, ("post",)),
    "orders:bom-line-attrition": _bom_case(_bom_line, ("post",), lambda w: {"attrition": "10"}),
    "orders:bom-cart": _bom_case(_bom, ("post",)),
    "orders:bom-quote": _bom_case(
        _bom, ("post",), lambda w: {"contact_name": "Mallory", "email": "m@example.com"}
    ),
    "orders:bom-export": _bom_case(lambda w: {"bom_id": w.bom.pk, "file_format": "csv"}, ("get",)),
    "orders:bom-save": _bom_case(_bom, ("post",), lambda w: {"name": "Mine now"}),
    "orders:account-bom-detail": Case(_bom, ("get",)),
    "orders:return-detail": Case(_rma, ("get",)),
    "orders:return-message": Case(_rma, ("post",), lambda w: {"message": "not mine"}),
    "orders:return-photo": Case(
        lambda w: {"reference": w.rma.reference, "photo_id": w.rma.photos.get().pk}, ("get",)
    ),
    "orders:return-report": Case(
        lambda w: {"reference": w.rma.reference, "event_id": w.report.pk}, ("get",)
    ),
    "orders:return-open": Case(
        lambda w: {"reference": w.delivered.reference, "line_id": w.delivered.lines.get().pk},
        ("get", "post"),
        _return_form,
    ),
    "promotions:draw-detail": Case(lambda w: {"public_id": w.draw.public_id}, ("get",)),
    "promotions:draw-play": Case(lambda w: {"public_id": w.draw.public_id}, ("post",)),
}

API: dict[str, Case] = {
    "account-address-detail": Case(
        lambda w: {"pk": w.address.pk},
        ("get", "put", "patch", "delete"),
        lambda w: {**_address_form(w), "is_default": True},
    ),
    "account-top-up-detail": Case(lambda w: {"reference": w.top_up.reference}, ("get",)),
    "account-coupon-check": Case(
        lambda w: {"code": w.coupon.code},
        ("post",),
        lambda w: {"lines": [{"part": w.part.sku, "quantity": 100}], "shipping": "10.00"},
    ),
    "api-cart-line": Case(_line, ("patch", "delete"), lambda w: {"quantity": 990}),
    "api-order-detail": Case(_reference, ("get",)),
    "api-order-cancel": Case(_reference, ("post",), lambda w: {"reason": "not mine"}),
    "api-order-pdf": Case(_reference, ("get",)),
    "api-bom-detail": Case(_bom, ("get",)),
    "api-quote-detail": Case(_inquiry, ("get",)),
    "api-quote-accept": Case(
        _inquiry,
        ("post",),
        lambda w: {"lines": list(w.inquiry.lines.values_list("pk", flat=True))},
    ),
    "api-bom-cart": Case(_bom, ("post",)),
    "api-return-detail": Case(_rma, ("get",)),
    "account-draw-detail": Case(lambda w: {"public_id": w.draw.public_id}, ("get",)),
    "account-draw-play": Case(lambda w: {"public_id": w.draw.public_id}, ("post",)),
}

# URLs with arguments that name nothing of a customer's: catalog pages, one-time links that
# carry their own proof (a signed token), and the gateways' notification endpoint.
PUBLIC = {
    "catalog-sitemaps:sitemap-parts",
    "catalog-sitemaps:sitemap-parts-language",
    "catalog-sitemaps:sitemap-section",
    "catalog-sitemaps:indexnow-key",
    "catalog:part-by-sku",
    "catalog:outline",
    "choose-language",
    "info-page",
    "catalog:category",
    "catalog:manufacturer",
    "catalog:part-json",
    "catalog:part-md",
    "catalog:part",
    "customers:verify-email",
    "customers:password-reset-confirm",
    "orders:payment-notify",
    "part-detail",
    "promotions-public:draw-campaign",
    "promotions-public:draw-reveal",
    "promotions-public:leaderboard",
    "draw-campaign",
    "draw-reveal",
    "leaderboard",
    # A points-shop item is on everyone's shelf; redeeming it spends only the caller's points.
    "promotions:points-shop-redeem",
    "account-points-shop-redeem",
}

# No-argument URLs not fetched by B in the list sweep: signing out ends B's session.
NOT_FETCHED = {"customers:logout"}


def _patterns(patterns=None, prefix="", namespace=""):
    """(route, full name, number of arguments) of every URL pattern of the site."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = namespace + entry.name if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.pattern.regex.groups


def _site_patterns():
    skipped = ("admin/", "^admin/", "static/", "^static/", "media/", "^media/")
    return [p for p in _patterns() if not p[0].startswith(skipped)]


def test_every_url_with_arguments_is_in_the_sweep():
    missing = [
        f"add {name or route} to the access sweep"
        for route, name, arguments in _site_patterns()
        if arguments and name not in PAGES and name not in API and name not in PUBLIC
    ]

    assert not missing, missing


def test_the_sweep_names_only_urls_that_exist():
    names = {name for _, name, _ in _site_patterns()}

    assert set(PAGES) | set(API) | PUBLIC <= names, (set(PAGES) | set(API) | PUBLIC) - names


# --- the state that must not change -------------------------------------------------------------

SNAPSHOT_MODELS = (
    customer_models.User,
    customer_models.CustomerProfile,
    customer_models.Address,
    customer_models.InvoiceDetails,
    customer_models.TopUp,
    customer_models.BalanceEntry,
    customer_models.PointsEntry,
    customer_models.ApiKey,
    customer_models.Notification,
    promotion_models.Coupon,
    promotion_models.Draw,
    order_models.Inquiry,
    order_models.InquiryLine,
    order_models.Cart,
    order_models.CartLine,
    order_models.Order,
    order_models.OrderLine,
    order_models.OrderEvent,
    order_models.Payment,
    order_models.Refund,
    order_models.Bom,
    order_models.BomLine,
    order_models.ReturnRequest,
    order_models.ReturnEvent,
    order_models.ReturnPhoto,
    Stock,
)
# Columns a request may touch without changing anything the customer owns.
VOLATILE = {"last_login", "updated_at"}


def snapshot() -> dict:
    return {
        model.__name__: [
            {k: v for k, v in row.items() if k not in VOLATILE}
            for row in model.objects.order_by("pk").values()
        ]
        for model in SNAPSHOT_MODELS
    }


def _text(response) -> str:
    body = b"" if getattr(response, "streaming", False) else response.content
    return body.decode("utf-8", "replace") + " " + response.get("Location", "")


def assert_shows_none_of_as_data(response, w, *, where: str, sent: str = "") -> None:
    """None of A's strings in the answer, but for those the request itself carried (the
    reference in the URL, echoed by the sign-in link's ``next``)."""
    text = _text(response)
    shown = [secret for secret in w.secrets if secret in text and secret not in sent]
    assert not shown, f"{where} shows A's {shown}"


def _call(client, method, url, data, *, api):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data, format="json")
    return getattr(client, method)(url, data)


def _clients(w):
    page_b, api_b = Client(), APIClient()
    page_b.force_login(w.b)
    api_b.force_authenticate(w.b)
    return page_b, api_b


def _sweep_cases():
    for name, case in PAGES.items():
        for method in case.methods:
            yield pytest.param(name, case, method, False, id=f"{name}-{method}")
    for name, case in API.items():
        for method in case.methods:
            yield pytest.param(name, case, method, True, id=f"api:{name}-{method}")


@pytest.mark.parametrize(("name", "case", "method", "api"), list(_sweep_cases()))
def test_another_customer_gets_not_found_and_changes_nothing(world, name, case, method, api):
    url = reverse(name, kwargs=case.kwargs(world))
    page_b, api_b = _clients(world)
    client = api_b if api else page_b
    before = snapshot()

    response = _call(client, method, url, case.data(world), api=api)

    where = f"B's {method.upper()} {url}"
    if case.refused == CART:
        assert response.status_code == 302 and response["Location"] == reverse("orders:cart"), (
            where,
            response.status_code,
        )
        assert_shows_none_of_as_data(page_b.get(response["Location"]), world, where=where)
    else:
        assert response.status_code == 404, (where, response.status_code)
    assert_shows_none_of_as_data(response, world, where=where)
    assert snapshot() == before, f"{where} changed A's data"


@pytest.mark.parametrize(("name", "case", "method", "api"), list(_sweep_cases()))
def test_an_anonymous_visitor_is_sent_to_sign_in_and_changes_nothing(
    world, name, case, method, api
):
    url = reverse(name, kwargs=case.kwargs(world))
    client = APIClient() if api else Client()
    if case.refused == CART:
        # A visitor with a cart of their own: A's line is still not in it.
        client.post(reverse("orders:cart-add"), {"part": world.part.pk, "quantity": "30"})
    before = snapshot()

    response = _call(client, method, url, case.data(world), api=api)

    where = f"an anonymous {method.upper()} {url}"
    if api:
        assert response.status_code in (401, 403), (where, response.status_code)
    elif case.refused == CART:
        assert response.status_code == 302 and response["Location"] == reverse("orders:cart"), (
            where,
            response.status_code,
        )
    elif case.refused == NOT_FOUND_FOR_ALL:
        assert response.status_code == 404, (where, response.status_code)
    else:
        login = resolve_url(settings.LOGIN_URL)
        assert response.status_code == 302, (where, response.status_code)
        assert response["Location"].startswith(f"{login}?next="), (where, response["Location"])
    assert_shows_none_of_as_data(response, world, where=where, sent=url)
    assert snapshot() == before, f"{where} changed A's data"


@pytest.mark.parametrize(
    ("name", "case", "api"),
    [
        pytest.param(name, case, api, id=name)
        for cases, api in ((PAGES, False), (API, True))
        for name, case in cases.items()
        if "get" in case.methods
    ],
)
def test_the_owner_opens_each_of_their_objects(world, name, case, api):
    """The ids the sweep uses are A's real ones: a 404 for B means more than a typo."""
    client = APIClient() if api else Client()
    if api:
        client.force_authenticate(world.a)
    else:
        client.force_login(world.a)

    response = client.get(reverse(name, kwargs=case.kwargs(world)))

    assert response.status_code == 200, (name, response.status_code)


# --- lists and pages without arguments ----------------------------------------------------------


def _plain_urls():
    for route, name, arguments in _site_patterns():
        if arguments or not name or name in NOT_FETCHED:
            continue
        yield pytest.param(name, route.lstrip("^").startswith("api/"), id=name)


@pytest.mark.parametrize("who", ["B", "anonymous"])
@pytest.mark.parametrize(("name", "api"), list(_plain_urls()))
def test_pages_and_lists_show_another_customer_or_a_visitor_none_of_as_data(world, name, api, who):
    page_b, api_b = _clients(world) if who == "B" else (Client(), APIClient())
    before = snapshot()

    response = (api_b if api else page_b).get(reverse(name))

    assert response.status_code < 500, (name, response.status_code)
    assert_shows_none_of_as_data(response, world, where=f"{who}'s {reverse(name)}")
    assert snapshot() == before


API_LISTS = {
    "account-address-list": lambda w: A_LINE1,
    "account-top-up-list": lambda w: w.top_up.reference,
    "account-coupon-list": lambda w: w.coupon.code,
    "account-balance-entries": lambda w: w.order.reference,
    "account-points-entries": lambda w: w.order.reference,
    "api-order-list": lambda w: w.order.reference,
    "api-return-list": lambda w: w.rma.reference,
    "api-cart": lambda w: str(w.cart_line.pk),
    "account-invoice": lambda w: A_COMPANY_TITLE,
    "account-profile": lambda w: A_EMAIL,
}


@pytest.mark.parametrize("name", list(API_LISTS))
def test_the_owners_api_lists_hold_their_objects(world, name):
    """The other half of the list sweep: the string B must not see is in A's own list."""
    client = APIClient()
    client.force_authenticate(world.a)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert API_LISTS[name](world) in response.content.decode()
