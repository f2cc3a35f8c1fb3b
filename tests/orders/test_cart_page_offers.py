"""The cart page's packaging choice, full-reel offer, price-break hint, lead times and VAT note."""

import re

import pytest

from orders.models import CartLine
from tests.catalog.factories_admin import SupplierOfferFactory

pytestmark = pytest.mark.django_db


def get(client, url):
    return client.get(url, secure=True)


def post(client, url, data=None):
    return client.post(url, data or {}, secure=True)


def add(client, part, quantity, **extra):
    return post(client, "/cart/add/", {"part": part.pk, "quantity": quantity, **extra})


def cart_row(client) -> str:
    html = get(client, "/cart/").content.decode()
    return re.search(r'<tr class="cart-line".*?</tr>', html, re.S).group(0)


def cart_html(client) -> str:
    return get(client, "/cart/").content.decode()


# --- packaging ------------------------------------------------------------------------------


def test_each_line_shows_its_packaging_as_a_choice(client, resistor, reel):
    add(client, resistor, "5000")
    cut_tape = resistor.packaging_options.get(kind="cut_tape")

    row = cart_row(client)

    assert re.search(r'<select id="packaging-\d+" name="packaging"[^>]*>', row)
    assert f'<option value="{cut_tape.pk}" selected>Cut tape · 0.0042 each</option>' in row
    assert f'<option value="{reel.pk}">Full reel of 5000 · 0.0021 each</option>' in row


def test_choosing_a_full_reel_on_the_cart_page_reprices_the_line(client, resistor, reel):
    add(client, resistor, "5000")
    line = CartLine.objects.get()

    response = post(client, f"/cart/lines/{line.pk}/packaging/", {"packaging": reel.pk})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert CartLine.objects.get().packaging == reel
    html = cart_html(client)
    assert "RC0603FR-0710KL: 5,000 pieces on Full reel of 5000." in html
    assert "10.50" in html


def test_a_packaging_that_cannot_take_the_quantity_is_explained_on_the_cart_page(
    client, resistor, reel
):
    add(client, resistor, "7500")
    line = CartLine.objects.get()

    post(client, f"/cart/lines/{line.pk}/packaging/", {"packaging": reel.pk})

    assert CartLine.objects.get().packaging is None
    assert "sells whole reels only: order 5,000 or 10,000." in cart_html(client)


@pytest.mark.parametrize("packaging", ["999999", "²", ""])
def test_an_unknown_packaging_on_the_cart_page_is_explained(client, resistor, packaging):
    add(client, resistor, "5000")
    line = CartLine.objects.get()

    post(client, f"/cart/lines/{line.pk}/packaging/", {"packaging": packaging})

    assert CartLine.objects.get().packaging is None
    assert "This packaging is not offered for RC0603FR-0710KL" in cart_html(client)


def test_changing_packaging_without_a_cart_is_explained(client, resistor, reel):
    post(client, "/cart/lines/1/packaging/", {"packaging": reel.pk})

    assert "That line is no longer in your cart." in cart_html(client)


# --- full reels -------------------------------------------------------------------------------


def test_a_line_of_whole_reels_offers_the_cheaper_split_with_one_button(client, resistor):
    add(client, resistor, "5000")
    line = CartLine.objects.get()

    row = cart_row(client)

    assert f'action="/cart/lines/{line.pk}/reel-split/"' in row
    assert "1 full reel + 0 cut tape: save CNY 10.50" in row


def test_applying_the_split_on_the_cart_page(client, resistor, reel):
    add(client, resistor, "5150")
    line = CartLine.objects.get()

    response = post(client, f"/cart/lines/{line.pk}/reel-split/")

    assert response.status_code == 302
    assert set(CartLine.objects.values_list("packaging", "quantity")) == {
        (None, 150),
        (reel.pk, 5000),
    }
    html = cart_html(client)
    assert "Split into 1 full reel + 150 cut tape: CNY 10.21 less in total." in html
    assert '<span class="cart-count">2</span>' in html


def test_a_split_on_a_line_gone_is_explained(client, resistor):
    add(client, resistor, "5000")
    line = CartLine.objects.get()
    post(client, f"/cart/lines/{line.pk}/remove/")

    post(client, f"/cart/lines/{line.pk}/reel-split/")

    assert "That line is no longer in your cart." in cart_html(client)
    assert not CartLine.objects.exists()


def test_a_line_below_a_reel_offers_no_split(client, resistor):
    add(client, resistor, "4000")

    assert "reel-split" not in cart_row(client)


# --- the next price break -------------------------------------------------------------------


def test_a_line_just_below_a_break_offers_it(client, resistor):
    add(client, resistor, "950")  # 5.80 now; 1,000 × 0.0042 = 4.20
    line = CartLine.objects.get()

    row = cart_row(client)

    assert "Add 50 more for 0.0042 each, CNY 1.60 less in total" in row
    assert re.search(
        rf'action="/cart/lines/{line.pk}/quantity/" class="break-hint">.*?'
        r'name="quantity" value="1000"',
        row,
        re.S,
    )


def test_a_break_far_away_is_not_offered(client, resistor):
    add(client, resistor, "300")  # 1.83 now; 1,000 pieces cost 4.20

    assert "more for" not in cart_row(client)


# --- quantities as typed ----------------------------------------------------------------------


def test_cart_quantity_boxes_take_thousands_separators(client, resistor):
    add(client, resistor, "150")
    line = CartLine.objects.get()

    assert re.search(r'name="quantity" type="text" inputmode="numeric"', cart_row(client))
    post(client, f"/cart/lines/{line.pk}/quantity/", {"quantity": "1,000"})
    assert CartLine.objects.get().quantity == 1000
    post(client, f"/cart/lines/{line.pk}/quantity/", {"quantity": "2.5k"})
    assert CartLine.objects.get().quantity == 2500


def test_adding_from_the_part_page_takes_1k(client, resistor):
    add(client, resistor, "1k")

    assert CartLine.objects.get().quantity == 1000


# --- lead times -----------------------------------------------------------------------------


def test_a_line_partly_from_supplier_stock_says_what_ships_when(client, resistor):
    SupplierOfferFactory(part=resistor, quantity=30000, lead_days=7)
    add(client, resistor, "50000")

    assert "40,000 ship today · 10,000 ship in 7 days" in cart_row(client)


def test_a_line_beyond_all_stock_says_what_ships_when_beside_the_quote_link(client, resistor):
    SupplierOfferFactory(part=resistor, quantity=10000, lead_days=3)
    add(client, resistor, "100000")

    row = cart_row(client)

    assert "Only 50,000 available · request a quote for the rest" in row
    assert "40,000 ship today · 10,000 ship in 3 days" in row


# --- VAT ------------------------------------------------------------------------------------


def test_the_vat_note_links_how_vat_is_computed(client, resistor):
    add(client, resistor, "150")

    html = cart_html(client)

    assert re.search(
        r'VAT is computed per line, as on your VAT invoice\. <a href="/vat/">How we compute VAT',
        html,
    )
    assert "VAT is computed per line" in get(client, "/vat/").content.decode()
