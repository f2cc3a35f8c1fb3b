"""The checkout pages: choices prefilled, a review of every amount, "Place order" once."""

import re
from decimal import Decimal

import pytest

from catalog.models import Stock
from customers.models import Address, CustomerProfile
from orders.models import InvoiceKind, Order
from tests.customers.factories import AddressFactory, InvoiceDetailsFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.promotions.factories import CouponDefinitionFactory, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True, recipient="Li Wei")


@pytest.fixture
def express(db):
    return ShippingMethodFactory(name="Express")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def get(client, url):
    return client.get(url, secure=True)


def post(client, url, data):
    return client.post(url, data, secure=True)


def form_data(address, method, **overrides):
    data = {
        "action": "review",
        "address": address.pk,
        "shipping_method": method.pk,
        "ship_partial": "together",
        "invoice_kind": "none",
        "po_number": "",
        "note": "",
        "coupon": "",
        "coupon_code": "",
        "points": "",
        "balance_amount": "",
        "payment_method": "bank_transfer",
    }
    data.update(overrides)
    return data


def hidden(html: str) -> dict:
    """The hidden inputs of the review's "Place order" form."""
    form = html[html.index('class="place-order"') :]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def review(client, address, method, **overrides):
    return post(client, "/checkout/", form_data(address, method, **overrides))


def placed(client, address, method, **overrides):
    page = review(client, address, method, **overrides)
    assert page.status_code == 200, page.content.decode()
    return hidden(page.content.decode())


# --- getting there ----------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = get(client, "/checkout/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/checkout/"


def test_the_sign_in_page_offers_to_register_and_come_back(client):
    html = get(client, "/account/login/?next=/checkout/").content.decode()

    assert 'href="/account/register/?next=/checkout/"' in html


def test_a_new_customer_registers_and_comes_back_with_their_cart(client, resistor):
    post(client, "/cart/add/", {"part": resistor.pk, "quantity": "150"})

    response = post(
        client,
        "/account/register/",
        {
            "email": "new@example.com",
            "password1": "Capacitor-100nF-X7R",
            "password2": "Capacitor-100nF-X7R",
            "customer_type": "purchaser",
            "next": "/checkout/",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/account/register/done/"
    done = get(client, "/account/register/done/").content.decode()
    assert 'href="/account/login/?next=/checkout/"' in done
    signed = post(
        client,
        "/account/login/?next=/checkout/",
        {"username": "new@example.com", "password": "Capacitor-100nF-X7R", "next": "/checkout/"},
    )
    assert signed.status_code == 302 and signed["Location"] == "/checkout/"
    html = get(client, "/checkout/").content.decode()
    assert "1 line, 150 pieces" in html


def test_registering_never_sends_a_customer_to_another_site(client):
    response = post(
        client,
        "/account/register/",
        {
            "email": "new@example.com",
            "password1": "Capacitor-100nF-X7R",
            "password2": "Capacitor-100nF-X7R",
            "customer_type": "purchaser",
            "next": "https://evil.example/",
        },
    )

    done = get(client, response["Location"]).content.decode()
    assert "evil.example" not in done


def test_an_empty_cart_goes_back_to_the_cart(signed_in, address, express):
    response = get(signed_in, "/checkout/")

    assert response.status_code == 302 and response["Location"] == "/cart/"


def test_the_cart_page_leads_to_checkout(signed_in, customer, resistor):
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/cart/").content.decode()

    assert '<a href="/checkout/" class="button proceed-to-checkout">Proceed to checkout</a>' in html


def test_checkout_is_never_cached_nor_indexed(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = get(signed_in, "/checkout/")

    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()


# --- the choices prefilled -------------------------------------------------------------------


def test_the_page_opens_with_the_default_address_cheapest_method_and_bank_transfer(
    signed_in, customer, resistor, address, express
):
    AddressFactory(user=customer, recipient="Wang Fang")
    economy = ShippingMethodFactory(name="Economy", base_fee=Decimal("8.00"), position=5)
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/checkout/").content.decode()

    assert f'name="address" value="{address.pk}" checked' in html
    assert f'name="shipping_method" value="{economy.pk}" checked' in html
    assert f'name="shipping_method" value="{express.pk}">' in html
    assert 'name="invoice_kind" value="none" checked' in html
    assert 'name="payment_method" value="bank_transfer" checked' in html


def test_each_method_shows_its_fee_and_dates(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/checkout/").content.decode()

    assert "CNY 12.00 excl. VAT (13.56 incl.)" in html
    assert re.search(r"ships \w{3} \d{4}-\d\d-\d\d · arrives by \w{3} \d{4}-\d\d-\d\d", html)


def test_the_last_orders_invoice_kind_is_prefilled(signed_in, customer, resistor, address, express):
    InvoiceDetailsFactory(user=customer, company_title="深圳市优创电子有限公司")
    fill_cart(customer, (resistor, 150))
    place(customer, choices(address, express, invoice_kind=InvoiceKind.ORDINARY))
    fill_cart(customer, (resistor, 200))

    html = get(signed_in, "/checkout/").content.decode()

    assert 'name="invoice_kind" value="ordinary" checked' in html
    assert "深圳市优创电子有限公司" in html and 'href="/account/invoice-details/"' in html


def test_the_wallets_coupons_can_be_picked(signed_in, customer, resistor, address, express):
    coupon = issued(CouponDefinitionFactory(amount=Decimal("0.50")), user=customer)
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/checkout/").content.decode()

    assert f'name="coupon" value="{coupon.code}"' in html


# --- the review -------------------------------------------------------------------------------


def test_the_review_shows_every_amount(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, po_number="PO-7781")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="num unit-price">0.0061</td>' in html
    assert '<td class="num line-total">0.92</td>' in html
    assert '<td class="num line-vat">0.12</td>' in html
    assert '<td class="num line-gross">1.04</td>' in html
    assert '<dd class="num shipping">CNY 12.00</dd>' in html
    assert '<dd class="num vat">CNY 1.68</dd>' in html
    assert '<dd class="num total"><strong>CNY 14.60</strong></dd>' in html
    assert '<dd class="num amount-due"><strong>CNY 14.60</strong></dd>' in html
    assert "VAT is computed per line, as on your VAT invoice." in html
    assert '<dd class="po-number" translate="no">PO-7781</dd>' in html


def test_each_review_carries_a_token_and_a_fresh_key(
    signed_in, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))

    first = placed(signed_in, address, express)
    second = placed(signed_in, address, express)

    assert first["token"] and second["token"]
    assert re.fullmatch(r"[0-9a-f]{32}", first["idempotency_key"])
    assert first["idempotency_key"] != second["idempotency_key"]


def test_a_coupon_that_does_not_apply_shows_why(signed_in, customer, resistor, address, express):
    coupon = issued(CouponDefinitionFactory(minimum_spend=Decimal("100.00")), user=customer)
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, coupon=coupon.code)

    assert response.status_code == 400
    assert (
        "Spend 99.08 CNY more to use this coupon (minimum 100.00 CNY)." in response.content.decode()
    )
    assert 'class="place-order"' not in response.content.decode()


def test_an_unknown_coupon_code_is_refused(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, coupon_code="NOSUCHCODE")

    assert response.status_code == 400
    assert (
        "We don&#x27;t know this coupon code in your account; check it, or pick one from your "
        "coupons." in response.content.decode()
    )


def test_points_beyond_the_maximum_are_refused(signed_in, customer, resistor, address, express):
    CustomerProfile.objects.filter(user=customer).update(points=100000)
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, points="5000")

    assert response.status_code == 400
    assert (
        "Points pay at most 50 % of an order: redeem at most 730 points on this one."
        in response.content.decode()
    )


def test_points_show_their_maximum_as_money(signed_in, customer, resistor, address, express):
    CustomerProfile.objects.filter(user=customer).update(points=100000)
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/checkout/").content.decode()

    assert "You have 100,000 points; redeem up to 730 on this order (CNY 7.30)." in html


def test_more_balance_than_the_account_has_is_refused(
    signed_in, customer, resistor, address, express
):
    CustomerProfile.objects.filter(user=customer).update(balance=Decimal("5.00"))
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, balance_amount="10.00")

    assert response.status_code == 400
    assert (
        "Your balance is 5.00 CNY, less than 10.00 CNY: top up, use less of it, or pay the "
        "rest by another method." in response.content.decode()
    )


def test_control_characters_in_the_note_are_refused(
    signed_in, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))

    response = review(signed_in, address, express, note="call\x07me")

    assert response.status_code == 400
    assert "Remove the control characters from this text." in response.content.decode()


# --- a new address inline ---------------------------------------------------------------------


def new_address(**overrides):
    data = {
        "address": "new",
        "new-recipient": "张伟",
        "new-phone": "138 0013 8000",
        "new-line1": "南山区科技园 1 号",
        "new-city": "深圳",
        "new-region": "广东",
        "new-postal_code": "518057",
        "new-country": "cn",
    }
    data.update(overrides)
    return data


def test_a_new_address_is_saved_to_the_book_and_used(signed_in, customer, resistor, express):
    fill_cart(customer, (resistor, 150))

    response = post(
        signed_in, "/checkout/", {**form_data_without_address(express), **new_address()}
    )

    saved = Address.objects.get(user=customer)
    assert (saved.recipient, saved.phone, saved.country) == ("张伟", "+86 138 0013 8000", "CN")
    assert response.status_code == 200 and hidden(response.content.decode())["address"] == str(
        saved.pk
    )


def form_data_without_address(method):
    data = {
        "action": "review",
        "shipping_method": method.pk,
        "invoice_kind": "none",
        "payment_method": "bank_transfer",
    }
    return data


def test_a_new_address_with_a_wrong_phone_is_refused_and_not_saved(
    signed_in, customer, resistor, express
):
    fill_cart(customer, (resistor, 150))

    response = post(
        signed_in,
        "/checkout/",
        {**form_data_without_address(express), **new_address(**{"new-phone": "+86 138"})},
    )

    assert response.status_code == 400
    assert (
        "Enter a phone number we can call, with its country code for numbers outside CN, "
        "e.g. +86 138 0013 8000 or 0755 8888 6666." in response.content.decode()
    )
    assert not Address.objects.filter(user=customer).exists()


def test_a_new_address_outside_iso_3166_is_refused(signed_in, customer, resistor, express):
    fill_cart(customer, (resistor, 150))

    response = post(
        signed_in,
        "/checkout/",
        {**form_data_without_address(express), **new_address(**{"new-country": "XX"})},
    )

    assert response.status_code == 400
    assert "XX is not an ISO 3166 country code; use e.g. CN, HK, DE or US." in (
        response.content.decode()
    )
    assert not Address.objects.filter(user=customer).exists()


def test_a_new_address_with_control_characters_is_refused(signed_in, customer, resistor, express):
    fill_cart(customer, (resistor, 150))

    response = post(
        signed_in,
        "/checkout/",
        {**form_data_without_address(express), **new_address(**{"new-line1": "Keji\x00Road"})},
    )

    assert response.status_code == 400
    assert not Address.objects.filter(user=customer).exists()


# --- placing the order ------------------------------------------------------------------------


def test_placing_goes_to_the_order_with_payment_instructions(
    signed_in, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)

    response = post(signed_in, "/checkout/place/", form)

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    html = get(signed_in, order.get_absolute_url()).content.decode()
    assert f"Thank you: order {order.reference} is placed." in html
    assert "Still due: 14.60 CNY" in html and "Reference to quote" in html
    assert "Bank of China, Shenzhen Branch" in html


def test_a_double_click_places_one_order(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)

    first = post(signed_in, "/checkout/place/", form)
    second = post(signed_in, "/checkout/place/", form)

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == order.get_absolute_url()


def test_a_price_changed_since_review_shows_the_new_review(
    signed_in, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    cut_tape.price_breaks.filter(min_quantity=100).update(unit_price=Decimal("0.0070"))

    response = post(signed_in, "/checkout/place/", form)

    html = response.content.decode()
    assert response.status_code == 409 and not Order.objects.exists()
    assert "<li>RC0603FR-0710KL: unit price 0.006100 → 0.007000 CNY.</li>" in html
    assert '<td class="num unit-price">0.007</td>' in html
    assert hidden(html)["token"] != form["token"]
    assert hidden(html)["idempotency_key"] != form["idempotency_key"]


def test_parts_sold_out_since_review_are_named(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)
    Stock.objects.filter(part=resistor).update(on_hand=2100)

    response = post(signed_in, "/checkout/place/", form)

    assert response.status_code == 409 and not Order.objects.exists()
    assert "RC0603FR-0710KL: only 100 of 150 available" in response.content.decode()


def test_a_used_order_form_with_another_cart_is_refused(
    signed_in, customer, resistor, address, express
):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)
    post(signed_in, "/checkout/place/", form)
    fill_cart(customer, (resistor, 200))

    response = post(signed_in, "/checkout/place/", {**form, "po_number": "PO-2"})

    order = Order.objects.get()
    assert response.status_code == 409
    assert (
        f"This order form was already used to place order {order.reference} with other "
        "contents. Reload the checkout to place a new order." in response.content.decode()
    )


def test_a_tampered_choice_is_refused_with_nothing_written(
    signed_in, customer, resistor, address, express, other_customer
):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express)
    foreign = AddressFactory(user=other_customer)

    response = post(signed_in, "/checkout/place/", {**form, "address": foreign.pk})

    assert response.status_code in (400, 409) and not Order.objects.exists()
    assert Stock.objects.get(part=resistor).reserved == 2000


def test_an_order_paid_from_the_balance_says_so(signed_in, customer, resistor, address, express):
    CustomerProfile.objects.filter(user=customer).update(balance=Decimal("100.00"))
    fill_cart(customer, (resistor, 150))

    html = review(signed_in, address, express, payment_method="balance").content.decode()

    assert '<dd class="payment-method">Account balance</dd>' in html
    assert '<dd class="num balance">−CNY 14.60</dd>' in html
    assert '<dd class="num amount-due"><strong>CNY 0.00</strong></dd>' in html


def test_change_from_the_review_keeps_the_choices(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    form = placed(signed_in, address, express, po_number="PO-7781", payment_method="gateway")

    html = post(signed_in, "/checkout/", {**form, "action": "edit"}).content.decode()

    assert 'value="PO-7781"' in html
    assert 'name="payment_method" value="gateway" checked' in html
    assert f'name="address" value="{address.pk}" checked' in html


def test_a_customer_without_addresses_starts_with_the_new_address_form(
    signed_in, customer, resistor, express
):
    fill_cart(customer, (resistor, 150))

    html = get(signed_in, "/checkout/").content.decode()

    assert '<input type="radio" name="address" value="new" checked>' in html
    assert 'name="new-recipient"' in html
