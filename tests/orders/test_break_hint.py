"""The next price break a cart line could reach, shown when it is worth a look."""

from decimal import Decimal

from catalog.models import PackagingOption, Part, PriceBreak
from orders.cart.pricing import next_break_hint

CUT_TAPE = ((10, "0.0120"), (100, "0.0061"), (1000, "0.0042"))


def hint(quantity, ladder=CUT_TAPE, *, moq=10, order_multiple=10, option=None, maximum=10**6):
    return next_break_hint(
        part=Part(mpn="RC0603FR-0710KL", moq=moq, order_multiple=order_multiple),
        option=option or PackagingOption(kind="cut_tape"),
        ladder=[PriceBreak(min_quantity=q, unit_price=Decimal(p)) for q, p in ladder],
        quantity=quantity,
        maximum=maximum,
    )


def test_a_break_that_lowers_the_total_is_shown_as_less_in_total():
    # 950 × 0.0061 = 5.795 → 5.80; 1,000 × 0.0042 = 4.20
    found = hint(950)

    assert (found.add, found.quantity, found.unit_price) == (50, 1000, Decimal("0.0042"))
    assert found.text == "Add 50 more for 0.0042 each, CNY 1.60 less in total"


def test_a_break_costing_a_little_more_says_how_much_more():
    # 90 × 0.0120 = 1.08; 100 × 0.0115 = 1.15, 6.5 % more
    found = hint(90, ((10, "0.0120"), (100, "0.0115")))

    assert found.text == "Add 10 more for 0.0115 each, CNY 0.07 more in total"


def test_a_break_costing_the_same_says_so():
    # 90 × 0.0120 = 1.08; 100 × 0.0108 = 1.08
    assert hint(90, ((10, "0.0120"), (100, "0.0108"))).text == (
        "Add 10 more for 0.0108 each, the same in total"
    )


def test_a_break_costing_more_than_a_tenth_more_is_not_shown():
    # 50 × 0.0120 = 0.60; 100 × 0.0115 = 1.15
    assert hint(50, ((10, "0.0120"), (100, "0.0115"))) is None


def test_a_line_past_the_last_break_gets_no_hint():
    assert hint(5000) is None


def test_the_hint_rounds_up_to_the_order_multiple():
    # 90 pieces in multiples of 30: the break at 100 is reached at 120
    found = hint(90, ((30, "0.0120"), (100, "0.0080")), moq=30, order_multiple=30)

    assert (found.add, found.quantity) == (30, 120)
    assert found.text == "Add 30 more for 0.008 each, CNY 0.12 less in total"


def test_on_a_full_reel_the_hint_counts_whole_reels():
    # 20,000 × 0.0021 = 42.00; 25,000 × 0.0018 = 45.00, 7 % more
    reel = PackagingOption(kind="reel", reel_quantity=5000)

    found = hint(20000, ((5000, "0.0021"), (25000, "0.0018")), option=reel)

    assert found.text == "Add 5,000 more for 0.0018 each, CNY 3.00 more in total"


def test_a_break_past_the_line_maximum_is_not_shown():
    assert hint(950, maximum=990) is None
