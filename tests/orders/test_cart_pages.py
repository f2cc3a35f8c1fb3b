"""The cart as a buyer uses it: add from the part page, see prices and stock, change, remove."""

import json
import re
from decimal import Decimal

import pytest

from orders.models import Cart, CartLine
from tests.customers.factories import PASSWORD

pytestmark = pytest.mark.django_db


def get(client, url, **kwargs):
    return client.get(url, secure=True, **kwargs)


def post(client, url, data=None, **kwargs):
    return client.post(url, data or {}, secure=True, **kwargs)


def add(client, part, quantity, **extra):
    return post(client, "/cart/add/", {"part": part.pk, "quantity": quantity, **extra})


# --- the part page ----------------------------------------------------------------------------


def test_part_page_quantity_box_is_an_add_to_cart_form(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()

    assert re.search(r'<form id="quantity-box"[^>]* method="post" action="/cart/add/"', html)
    assert f'<input type="hidden" name="part" value="{resistor.pk}">' in html
    assert 'name="quantity"' in html and "Add to cart" in html
    assert f'href="/quote/?part={resistor.pk}&amp;qty=10"' in html


def test_anonymous_part_page_carries_no_csrf_token_for_shared_caches(client, resistor):
    response = get(client, resistor.get_absolute_url())
    html = response.content.decode()

    assert 'name="csrfmiddlewaretoken" value="" form="quantity-box"' in html
    assert html.count("csrfmiddlewaretoken") == 1
    assert "csrftoken" not in response.cookies


def test_adding_from_the_part_page_works_with_csrf_checks_on(resistor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    get(client, resistor.get_absolute_url())
    # What static/js/part.js does when the visitor presses Add to cart without a cookie.
    token = client.get("/csrf/").json()["token"]

    response = post(
        client,
        "/cart/add/",
        {"part": resistor.pk, "quantity": "150", "csrfmiddlewaretoken": token},
        headers={"Referer": "https://testserver" + resistor.get_absolute_url()},
    )

    assert response.status_code == 302
    assert CartLine.objects.get().quantity == 150


def test_part_without_prices_offers_a_quote_instead_of_a_cart_form(client, unpriced_part):
    html = get(client, unpriced_part.get_absolute_url()).content.decode()

    assert "Add to cart" not in html
    assert f'class="quote-link prominent" href="/quote/?part={unpriced_part.pk}&amp;qty=1"' in html


def test_anonymous_part_page_reads_no_cart(client, resistor, django_assert_max_num_queries):
    get(client, resistor.get_absolute_url())

    with django_assert_max_num_queries(1):
        get(client, resistor.get_absolute_url())


def test_part_page_quantity_box_takes_quantities_as_people_type_them(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()

    assert re.search(r'<input id="quantity" name="quantity" type="text" inputmode="numeric"', html)
    assert 'type="number"' not in html
    assert "e.g. 100, 1,000 or 2.5k" in html


def test_part_page_prices_its_first_quantity_as_the_cart_will(client, resistor, settings):
    settings.SHOP_VAT_RATE = Decimal("0.13")
    html = get(client, resistor.get_absolute_url()).content.decode()

    # 10 × 0.012 = 0.12; VAT 0.0156 → 0.02, on the line as the cart computes it
    output = re.search(r'<output for="quantity" aria-live="polite">(.*?)</output>', html)
    assert output.group(1) == "10 × 0.012 = CNY 0.12 (0.14 incl. VAT)"


def test_part_page_carries_the_full_reel_ladder_for_the_split(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()

    data = re.search(r'<script id="reel-ladder" type="application/json">(.*?)</script>', html)
    assert json.loads(data.group(1)) == {
        "size": 5000,
        "ladder": [[5000, "0.002100"]],
        "rest": "cut tape",
    }
    assert re.search(r'<p class="reel-offer small" hidden></p>', html)


def test_part_page_offers_the_split_when_its_first_quantity_is_a_reel(client, resistor):
    resistor.moq = 5000
    resistor.save()

    html = get(client, resistor.get_absolute_url()).content.decode()

    assert '<p class="reel-offer small">1 full reel + 0 cut tape: save CNY 10.50</p>' in html


def test_part_page_with_a_reel_ladder_keeps_its_query_budget(
    client, resistor, django_assert_max_num_queries
):
    from catalog import selectors

    selectors.category_tree()

    with django_assert_max_num_queries(6):
        assert get(client, resistor.get_absolute_url()).status_code == 200


# --- adding -------------------------------------------------------------------------------


def test_adding_leads_to_the_cart_with_a_message(client, resistor):
    response = add(client, resistor, "150")

    assert response.status_code == 302 and response["Location"] == "/cart/"
    html = get(client, "/cart/").content.decode()
    assert "RC0603FR-0710KL is in your cart: 150 pieces." in html


def test_a_quantity_that_cannot_be_ordered_is_shown_again_with_why(client, resistor):
    response = add(client, resistor, "155")

    assert response.status_code == 400
    html = response.content.decode()
    assert "RC0603FR-0710KL is sold in multiples of 10: order 150 or 160." in html
    assert 'value="155"' in html
    assert '<meta name="robots" content="noindex' in html
    assert not CartLine.objects.exists()


def test_adding_an_unknown_part_is_404(client, db):
    response = post(client, "/cart/add/", {"part": "999999", "quantity": "10"})

    assert response.status_code == 404


def test_adding_needs_a_post(client, resistor):
    assert get(client, "/cart/add/").status_code == 405


# --- the cart page ------------------------------------------------------------------------


def test_cart_shows_each_line_priced_at_its_quantity_with_vat_and_stock(client, resistor):
    add(client, resistor, "150")

    html = get(client, "/cart/").content.decode()

    row = re.search(r'<tr class="cart-line".*?</tr>', html, re.S).group(0)
    assert f'href="{resistor.get_absolute_url()}">RC0603FR-0710KL</a>' in row
    assert "YAGEO" in row and "Cut tape" in row
    assert 'name="quantity"' in row and 'value="150"' in row
    assert "0.0061" in row and "0.92" in row and "1.04 incl. VAT" in row
    assert "In stock · ships today" in row
    assert "Remove" in row
    assert "CNY 0.92" in html and "CNY 0.12" in html and "CNY 1.04" in html
    assert "VAT is computed per line" in html


def test_cart_page_is_noindex_and_never_cached(client, resistor):
    response = get(client, "/cart/")

    assert '<meta name="robots" content="noindex' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_empty_cart_says_so_and_points_to_search_and_quotes(client, db):
    html = get(client, "/cart/").content.decode()

    assert "Your cart is empty." in html and 'href="/quote/"' in html


def test_cart_line_beyond_stock_links_a_quote_for_its_quantity(client, resistor):
    add(client, resistor, "100000")

    html = get(client, "/cart/").content.decode()

    assert f'href="/quote/?part={resistor.pk}&amp;qty=100000">Only 40,000 available' in html


def test_changing_a_quantity_on_the_cart_page_reprices_the_line(client, resistor):
    add(client, resistor, "150")
    line = CartLine.objects.get()

    response = post(client, f"/cart/lines/{line.pk}/quantity/", {"quantity": "1000"})

    assert response.status_code == 302
    assert CartLine.objects.get().quantity == 1000
    assert "4.20" in get(client, "/cart/").content.decode()  # 1000 × 0.0042


def test_a_bad_quantity_on_the_cart_page_is_explained_and_changes_nothing(client, resistor):
    add(client, resistor, "150")
    line = CartLine.objects.get()

    post(client, f"/cart/lines/{line.pk}/quantity/", {"quantity": "5"})

    assert CartLine.objects.get().quantity == 150
    html = get(client, "/cart/").content.decode()
    assert "The minimum order for RC0603FR-0710KL is 10 pieces." in html


def test_removing_a_line_from_the_cart_page(client, resistor):
    add(client, resistor, "150")
    line = CartLine.objects.get()

    post(client, f"/cart/lines/{line.pk}/remove/")

    assert not CartLine.objects.exists()
    assert "Your cart is empty." in get(client, "/cart/").content.decode()


def test_header_shows_the_number_of_cart_lines(client, resistor, reel):
    add(client, resistor, "150")
    add(client, resistor, "5000", packaging=reel.pk)

    html = get(client, "/").content.decode()

    link = re.search(r'<a class="cart-link" href="/cart/"[^>]*>.*?</a>', html).group(0)
    assert re.search(r'Cart <span class="cart-count"[^>]*>2</span>', link)


def test_cart_changes_tell_the_browser_the_line_count_for_pages_it_shows_from_cache(
    client, resistor, reel
):
    add(client, resistor, "150")
    first = client.cookies["cart_lines"].value
    add(client, resistor, "5000", packaging=reel.pk)
    second = client.cookies["cart_lines"].value

    assert first.startswith("1:") and second.startswith("2:")
    assert float(second.partition(":")[2]) > float(first.partition(":")[2])


def test_another_visitors_cart_is_not_shown(client, resistor):
    from django.test import Client

    add(Client(), resistor, "150")

    assert "Your cart is empty." in get(client, "/cart/").content.decode()


# --- signing in -------------------------------------------------------------------------------


def test_signing_in_keeps_the_cart_filled_before(client, resistor, customer):
    add(client, resistor, "150")

    response = post(client, "/account/login/", {"username": customer.email, "password": PASSWORD})

    assert response.status_code == 302
    assert Cart.objects.get().customer == customer
    html = get(client, "/cart/").content.decode()
    assert 'value="150"' in html
    assert '<span class="cart-count">1</span>' in html


def test_a_customers_cart_waits_for_them_on_another_device(client, resistor, customer):
    client.force_login(customer)
    add(client, resistor, "150")
    client.logout()

    assert "Your cart is empty." in get(client, "/cart/").content.decode()
    client.force_login(customer)
    assert 'value="150"' in get(client, "/cart/").content.decode()
