"""Cart use-cases: what goes in a cart, at which quantities, and what it costs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders.cart import services
from orders.cart.services import CartOwner
from orders.models import Cart, CartLine
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.factories import (
    CartFactory,
    CartLineFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
)

pytestmark = pytest.mark.django_db

VISITOR = CartOwner(session_key="visitor-key")


def add(part, quantity, owner=VISITOR, **kwargs):
    return services.cart_add_line(owner=owner, part_id=part.pk, quantity=quantity, **kwargs)


def refused(part, quantity, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        add(part, quantity, **kwargs)
    return caught.value


def nothing_written():
    return not Cart.objects.exists() and not CartLine.objects.exists()


# --- adding, changing, removing ------------------------------------------------------------


def test_adding_a_part_opens_a_cart_with_that_line(resistor):
    line = add(resistor, "150")

    assert (line.part, line.packaging, line.quantity) == (resistor, None, 150)
    assert line.cart.session_key == "visitor-key" and line.cart.customer is None


def test_adding_the_same_part_again_adds_to_its_line(resistor):
    add(resistor, 100)
    line = add(resistor, 50)

    assert CartLine.objects.get().quantity == 150 == line.quantity


def test_a_customer_has_one_open_cart_across_adds(resistor, customer):
    owner = CartOwner(customer=customer)
    add(resistor, 100, owner=owner)
    add(resistor, 5000, owner=owner, packaging_id=resistor.packaging_options.get(kind="reel").pk)

    assert Cart.objects.filter(customer=customer).count() == 1
    assert CartLine.objects.filter(cart__customer=customer).count() == 2


def test_choosing_the_main_packaging_explicitly_keeps_one_line(resistor):
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    add(resistor, 100)
    add(resistor, 100, packaging_id=cut_tape.pk)

    line = CartLine.objects.get()
    assert (line.packaging, line.quantity) == (None, 200)


def test_setting_a_quantity_changes_the_line(resistor):
    line = add(resistor, 100)

    services.cart_set_quantity(owner=VISITOR, line_id=line.pk, quantity="2500")

    assert CartLine.objects.get().quantity == 2500


def test_setting_quantity_zero_removes_the_line(resistor):
    line = add(resistor, 100)

    assert services.cart_set_quantity(owner=VISITOR, line_id=line.pk, quantity=0) is None
    assert not CartLine.objects.exists()


def test_removing_a_line_empties_it_from_the_cart(resistor):
    line = add(resistor, 100)

    services.cart_remove_line(owner=VISITOR, line_id=line.pk)

    assert not CartLine.objects.exists()


def test_another_visitors_line_cannot_be_changed_or_removed(resistor):
    line = add(resistor, 100)
    stranger = CartOwner(session_key="someone-else")

    with pytest.raises(ValidationError):
        services.cart_set_quantity(owner=stranger, line_id=line.pk, quantity=500)
    services.cart_remove_line(owner=stranger, line_id=line.pk)

    assert CartLine.objects.get().quantity == 100


# --- quantities that cannot be ordered --------------------------------------------------------


def test_quantity_below_the_moq_is_refused_and_nothing_written(resistor):
    error = refused(resistor, 5)

    assert error.code == "below_moq"
    assert error.messages == ["The minimum order for RC0603FR-0710KL is 10 pieces."]
    assert nothing_written()


def test_quantity_off_the_order_multiple_is_refused_with_the_nearest_choices(resistor):
    error = refused(resistor, 155)

    assert error.code == "not_a_multiple"
    assert error.messages == ["RC0603FR-0710KL is sold in multiples of 10: order 150 or 160."]
    assert nothing_written()


@pytest.mark.parametrize("typed", ["1000010", "9" * 5000])
def test_absurd_quantity_is_refused_with_a_quote_suggestion(resistor, typed):
    error = refused(resistor, typed)

    assert error.code == "too_many"
    assert "At most 1,000,000 pieces per line" in error.messages[0]
    assert "request a quote" in error.messages[0]
    assert nothing_written()


@pytest.mark.parametrize("typed", ["ten", "", "1.5", "1e3", "100 pcs", "0x10"])
def test_non_numeric_quantity_is_refused_and_nothing_written(resistor, typed):
    error = refused(resistor, typed)

    assert error.code == "not_a_number"
    assert error.messages == [
        "Enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k."
    ]
    assert nothing_written()


@pytest.mark.parametrize("typed", ["0", "-100"])
def test_zero_or_negative_quantity_is_refused(resistor, typed):
    assert refused(resistor, typed).messages == ["The quantity must be at least 1."]
    assert nothing_written()


def test_full_reels_sell_whole_reels_only(resistor, reel):
    error = refused(resistor, 7500, packaging_id=reel.pk)

    assert error.code == "whole_reels"
    assert error.messages == [
        "A full reel of RC0603FR-0710KL holds 5,000 pieces and sells whole reels only: "
        "order 5,000 or 10,000."
    ]
    assert nothing_written()


def test_two_full_reels_can_be_ordered(resistor, reel):
    line = add(resistor, 10000, packaging_id=reel.pk)

    assert (line.packaging, line.quantity) == (reel, 10000)


def test_part_without_a_price_ladder_cannot_be_added(unpriced_part):
    error = refused(unpriced_part, 1)

    assert error.code == "no_price"
    assert error.messages == ["XC7A35T-1CSG324C has no list price; request a quote instead."]
    assert nothing_written()


def test_quantity_below_the_first_price_break_is_refused(resistor):
    resistor.moq = resistor.order_multiple = 1
    resistor.save()

    error = refused(resistor, 5)

    assert error.messages == ["The price list of RC0603FR-0710KL starts at 10 pieces."]


def test_unknown_part_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        services.cart_add_line(owner=VISITOR, part_id="999999", quantity=10)
    assert caught.value.code == "no_part"


def test_adding_past_the_maximum_names_what_is_already_in_the_cart(resistor):
    add(resistor, 999_990)

    error = refused(resistor, 20)

    assert error.messages[0].startswith("With the 999,990 already in your cart: At most")
    assert CartLine.objects.get().quantity == 999_990


def test_a_refused_quantity_change_keeps_the_line_as_it_was(resistor):
    line = add(resistor, 100)

    with pytest.raises(ValidationError) as caught:
        services.cart_set_quantity(owner=VISITOR, line_id=line.pk, quantity="abc")

    assert caught.value.code == "not_a_number"
    assert CartLine.objects.get().quantity == 100


# --- prices ---------------------------------------------------------------------------------


def priced_line(part, quantity, **kwargs):
    add(part, quantity, **kwargs)
    return services.cart_price(cart=Cart.objects.get()).lines[0]


def test_price_follows_the_break_the_quantity_reaches(resistor):
    assert priced_line(resistor, 90).unit_price == Decimal("0.0120")


def test_crossing_a_price_break_lowers_the_unit_price(resistor):
    line = priced_line(resistor, 100)

    assert line.unit_price == Decimal("0.0061")
    assert line.total == Decimal("0.61")


def test_a_full_reel_line_is_priced_on_the_reel_ladder(resistor, reel):
    line = priced_line(resistor, 5000, packaging_id=reel.pk)

    assert line.unit_price == Decimal("0.0021")
    assert line.packaging_label == "Full reel of 5000"


def test_line_total_is_rounded_once_on_the_line_not_per_piece(resistor):
    line = priced_line(resistor, 150)  # 150 × 0.0061 = 0.915

    assert line.total == Decimal("0.92")  # per piece it would be 150 × 0.01 = 1.50


def test_half_a_cent_rounds_up(db):
    part = PartFactory(mpn="1N4148W")
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), unit_price=Decimal("0.0125"))
    cart = CartFactory()
    CartLineFactory(cart=cart, part=part, quantity=1)

    assert services.cart_price(cart=cart).lines[0].total == Decimal("0.01")
    CartLine.objects.update(quantity=2)  # 0.025
    assert services.cart_price(cart=cart).lines[0].total == Decimal("0.03")


def test_cart_totals_add_up_with_vat(resistor, settings):
    settings.SHOP_VAT_RATE = Decimal("0.13")
    add(resistor, 150)  # 150 × 0.0061 = 0.915 → 0.92; VAT per line 0.1196 → 0.12

    cart = services.cart_price(cart=Cart.objects.get())

    assert cart.lines[0].total_incl_vat == Decimal("1.04")
    assert (cart.subtotal, cart.vat, cart.total) == (
        Decimal("0.92"),
        Decimal("0.12"),
        Decimal("1.04"),
    )
    assert cart.currency == "CNY"


def test_a_line_whose_ladder_disappeared_is_unpriced_and_left_out_of_the_total(resistor):
    add(resistor, 100)
    resistor.packaging_options.all().delete()

    cart = services.cart_price(cart=Cart.objects.get())

    assert cart.lines[0].unit_price is None and cart.has_unpriced_lines
    assert cart.total == Decimal("0.00")


def test_pricing_a_cart_takes_the_same_queries_for_one_line_or_many(
    resistor, django_assert_num_queries
):
    cart = CartFactory()
    CartLineFactory(cart=cart, part=resistor, quantity=100)
    with django_assert_num_queries(3):
        services.cart_price(cart=cart)
    for _ in range(5):
        part = PartFactory()
        PriceBreakFactory(packaging=PackagingOptionFactory(part=part))
        CartLineFactory(cart=cart, part=part, quantity=10)
    with django_assert_num_queries(3):
        services.cart_price(cart=cart)


# --- stock cover ------------------------------------------------------------------------------


def test_a_line_within_own_stock_ships_today(resistor):
    cover = priced_line(resistor, 40000).stock

    assert cover.status == "stock"
    assert cover.message == "In stock · ships today"


def test_a_line_beyond_own_stock_takes_supplier_stock_with_its_lead_time(resistor):
    SupplierOfferFactory(part=resistor, quantity=30000, lead_days=3)
    SupplierOfferFactory(part=resistor, quantity=500000, lead_days=9)

    cover = priced_line(resistor, 100000).stock

    assert cover.status == "supplier"
    assert (cover.from_stock, cover.from_suppliers, cover.lead_days) == (40000, 60000, 9)
    assert cover.message == "40,000 ship today · 60,000 ship in 9 days"


def test_a_line_beyond_all_stock_suggests_a_quote(resistor):
    SupplierOfferFactory(part=resistor, quantity=10000, lead_days=3)

    cover = priced_line(resistor, 100000).stock

    assert cover.status == "short"
    assert cover.message == "Only 50,000 available · request a quote for the rest"


# --- signing in -------------------------------------------------------------------------------


def test_the_visitors_cart_becomes_the_customers_at_sign_in(resistor, customer):
    add(resistor, 150)

    services.cart_merge_at_login(session_key="visitor-key", customer=customer)

    cart = Cart.objects.get()
    assert cart.customer == customer and cart.lines.get().quantity == 150


def test_a_part_in_both_carts_keeps_the_sum_at_sign_in(resistor, reel, customer):
    add(resistor, 150)
    add(resistor, 100, owner=CartOwner(customer=customer))
    add(resistor, 5000, owner=CartOwner(customer=customer), packaging_id=reel.pk)

    services.cart_merge_at_login(session_key="visitor-key", customer=customer)

    cart = Cart.objects.get()
    assert sorted(cart.lines.values_list("quantity", flat=True)) == [250, 5000]


def test_a_line_beyond_all_stock_says_when_the_pieces_available_ship(resistor):
    SupplierOfferFactory(part=resistor, quantity=10000, lead_days=3)

    cover = priced_line(resistor, 100000).stock

    assert cover.schedule == "40,000 ship today · 10,000 ship in 3 days"


def test_a_line_all_from_supplier_stock_says_when_it_ships(resistor):
    resistor.stock.delete()
    SupplierOfferFactory(part=resistor, quantity=10000, lead_days=7)

    assert priced_line(resistor, 2000).stock.message == "Ships in 7 days"
