"""Packaging in the cart: moving a line to cut tape or full reels, and the full-reel split."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders.cart import services
from orders.cart.services import CartOwner
from orders.models import Cart, CartLine
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory

pytestmark = pytest.mark.django_db

VISITOR = CartOwner(session_key="visitor-key")


def add(part, quantity, **kwargs):
    return services.cart_add_line(owner=VISITOR, part_id=part.pk, quantity=quantity, **kwargs)


def lines():
    """The cart's lines as (packaging kind or None, quantity), in order."""
    return [
        (line.packaging.kind if line.packaging else None, line.quantity)
        for line in CartLine.objects.select_related("packaging").order_by("pk")
    ]


def move(line, packaging_id, owner=VISITOR):
    return services.cart_set_packaging(owner=owner, line_id=line.pk, packaging_id=packaging_id)


def refused(call, *args, **kwargs) -> ValidationError:
    before = list(CartLine.objects.order_by("pk").values_list("pk", "packaging", "quantity"))
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    after = list(CartLine.objects.order_by("pk").values_list("pk", "packaging", "quantity"))
    assert after == before, "a refused change wrote to the cart"
    return caught.value


def priced():
    return services.cart_price(cart=Cart.objects.get())


# --- choosing the packaging -----------------------------------------------------------------


def test_moving_a_line_to_a_full_reel_prices_it_on_the_reel_ladder(resistor, reel):
    line = add(resistor, 5000)

    moved = move(line, reel.pk)

    assert (moved.pk, moved.packaging, moved.quantity) == (line.pk, reel, 5000)
    assert priced().lines[0].unit_price == Decimal("0.0021")


def test_a_line_moved_to_a_full_reel_must_be_whole_reels(resistor, reel):
    line = add(resistor, 7500)

    error = refused(move, line, reel.pk)

    assert error.code == "whole_reels"
    assert error.messages == [
        "A full reel of RC0603FR-0710KL holds 5,000 pieces and sells whole reels only: "
        "order 5,000 or 10,000."
    ]


def test_moving_back_to_cut_tape_keeps_the_part_on_its_main_ladder(resistor, reel):
    line = add(resistor, 5000, packaging_id=reel.pk)

    move(line, resistor.packaging_options.get(kind="cut_tape").pk)

    assert lines() == [(None, 5000)]


def test_moving_onto_a_packaging_already_in_the_cart_joins_the_two_lines(resistor, reel):
    line = add(resistor, 5000)
    add(resistor, 10000, packaging_id=reel.pk)

    joined = move(line, reel.pk)

    assert lines() == [("reel", 15000)]
    assert joined.quantity == 15000


def test_joining_lines_checks_the_sum(resistor, reel):
    line = add(resistor, 999_990)
    add(resistor, 5000, packaging_id=reel.pk)
    tray = PackagingOptionFactory(part=resistor, kind="tray")
    PriceBreakFactory(packaging=tray, min_quantity=10, unit_price=Decimal("0.0050"))
    add(resistor, 20, packaging_id=tray.pk)

    error = refused(move, line, tray.pk)

    assert error.messages[0].startswith("With the 20 already in your cart as Tray: At most")


def test_choosing_the_packaging_a_line_has_changes_nothing(resistor, reel):
    line = add(resistor, 5000, packaging_id=reel.pk)

    assert move(line, str(reel.pk)) == line
    assert lines() == [("reel", 5000)]


@pytest.mark.parametrize("packaging_id", ["999999", "²", "", "-1", "1.0", None])
def test_a_packaging_that_is_not_offered_is_refused(resistor, packaging_id):
    line = add(resistor, 5000)

    error = refused(move, line, packaging_id)

    assert error.code == "no_packaging"
    assert error.messages == [
        "This packaging is not offered for RC0603FR-0710KL; choose one in the list."
    ]


def test_another_parts_packaging_is_refused(resistor):
    other = PackagingOptionFactory(part=PartFactory(), kind="reel", reel_quantity=5000)
    PriceBreakFactory(packaging=other, min_quantity=5000)
    line = add(resistor, 5000)

    assert refused(move, line, other.pk).code == "no_packaging"


def test_a_packaging_without_a_price_list_is_refused(resistor):
    tube = PackagingOptionFactory(part=resistor, kind="tube")
    line = add(resistor, 5000)

    assert refused(move, line, tube.pk).code == "no_packaging"


def test_a_line_gone_cannot_change_packaging(resistor, reel):
    line = add(resistor, 5000)
    services.cart_remove_line(owner=VISITOR, line_id=line.pk)

    error = refused(move, line, reel.pk)

    assert error.messages == ["That line is no longer in your cart."]


def test_another_visitors_line_cannot_change_packaging(resistor, reel):
    line = add(resistor, 5000)

    error = refused(move, line, reel.pk, owner=CartOwner(session_key="someone-else"))

    assert error.code == "no_line"


def test_each_line_offers_the_parts_priced_packagings_with_their_price(resistor, reel):
    add(resistor, 5000)

    choices = priced().lines[0].choices

    assert [(c.option_id, c.label, c.selected) for c in choices] == [
        (resistor.packaging_options.get(kind="cut_tape").pk, "Cut tape · 0.0042 each", True),
        (reel.pk, "Full reel of 5000 · 0.0021 each", False),
    ]


def test_a_packaging_the_quantity_is_below_says_where_its_prices_start(resistor, reel):
    add(resistor, 150)

    assert priced().lines[0].choices[1].label == "Full reel of 5000 · from 5,000 pieces"


# --- full reels and the rest ------------------------------------------------------------------


def split(line, owner=VISITOR):
    return services.cart_apply_reel_split(owner=owner, line_id=line.pk)


def test_a_cut_tape_line_of_whole_reels_offers_the_reel(resistor):
    add(resistor, 5000)  # 5,000 × 0.0042 = 21.00 on cut tape, 10.50 on a full reel

    offer = priced().lines[0].reel_split

    assert offer.text == "1 full reel + 0 cut tape: save CNY 10.50"


def test_a_reel_line_offers_no_split(resistor, reel):
    add(resistor, 5000, packaging_id=reel.pk)

    assert priced().lines[0].reel_split is None


def test_applying_the_split_turns_the_line_into_a_reel_line(resistor):
    line = add(resistor, 5000)

    applied = split(line)

    assert lines() == [("reel", 5000)]
    assert applied.saving == Decimal("10.50")
    assert priced().subtotal == Decimal("10.50")


def test_applying_the_split_keeps_the_rest_on_cut_tape(resistor):
    line = add(resistor, 5150)  # 21.63 → 10.50 + 0.92

    split(line)

    assert set(lines()) == {(None, 150), ("reel", 5000)}
    assert CartLine.objects.get(packaging=None).pk == line.pk
    assert priced().subtotal == Decimal("11.42")


def test_the_split_adds_its_reels_to_a_reel_line_already_in_the_cart(resistor, reel):
    add(resistor, 5000, packaging_id=reel.pk)
    line = add(resistor, 10020)

    split(line)

    assert set(lines()) == {(None, 20), ("reel", 15000)}


def test_a_line_without_a_cheaper_split_is_refused(resistor):
    line = add(resistor, 4000)

    error = refused(split, line)

    assert error.code == "no_split"
    assert error.messages == ["Full reels would not make this line of RC0603FR-0710KL cheaper."]


def test_a_split_on_a_line_gone_is_refused(resistor):
    line = add(resistor, 5000)
    services.cart_remove_line(owner=VISITOR, line_id=line.pk)

    assert refused(split, line).messages == ["That line is no longer in your cart."]


def test_a_split_on_another_visitors_line_is_refused(resistor):
    line = add(resistor, 5000)

    assert refused(split, line, owner=CartOwner(session_key="someone-else")).code == "no_line"


def test_a_split_whose_reels_would_pass_the_line_maximum_writes_nothing(resistor, reel):
    add(resistor, 995_000, packaging_id=reel.pk)
    line = add(resistor, 10000)

    error = refused(split, line)

    assert error.messages[0].startswith("With the 995,000 already in your cart as Full reel")
