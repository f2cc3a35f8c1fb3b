"""Full reels and the rest on cut tape: the split the part page and the cart both offer."""

from decimal import Decimal

from catalog.models import PackagingOption, Part, PriceBreak
from catalog.pricing import cheapest_split

CUT_TAPE = ((10, "0.0120"), (100, "0.0061"), (1000, "0.0042"))


def ladders(cut_tape=CUT_TAPE, reel=((5000, "0.0021"),), reel_quantity=5000):
    """A chip resistor's cut-tape and full-reel ladders, as catalog.selectors reads them."""
    tape = PackagingOption(pk=1, kind="cut_tape")
    full_reel = PackagingOption(pk=2, kind="reel", reel_quantity=reel_quantity)
    return [
        (tape, [PriceBreak(min_quantity=q, unit_price=Decimal(p)) for q, p in cut_tape]),
        (full_reel, [PriceBreak(min_quantity=q, unit_price=Decimal(p)) for q, p in reel]),
    ]


def part(moq=10, order_multiple=10):
    return Part(mpn="RC0603FR-0710KL", moq=moq, order_multiple=order_multiple)


def test_a_reels_worth_on_cut_tape_is_offered_as_one_full_reel():
    # 5,000 × 0.002488 = 12.44 on cut tape; 5,000 × 0.00214 = 10.70 on a full reel
    split = cheapest_split(
        part(), ladders(cut_tape=((1000, "0.002488"),), reel=((5000, "0.00214"),)), 5000
    )

    assert (split.reels, split.reel_quantity, split.remainder) == (1, 5000, 0)
    assert (split.cost, split.saving) == (Decimal("10.70"), Decimal("1.74"))
    assert split.text == "1 full reel + 0 cut tape: save CNY 1.74"


def test_the_pieces_beyond_whole_reels_stay_on_cut_tape():
    # 5,150 × 0.0042 = 21.63; 5,000 × 0.0021 = 10.50 and 150 × 0.0061 = 0.915 → 0.92
    split = cheapest_split(part(), ladders(), 5150)

    assert (split.reels, split.remainder, split.remainder_unit_price) == (
        1,
        150,
        Decimal("0.0061"),
    )
    assert (split.reel_total, split.remainder_total) == (Decimal("10.50"), Decimal("0.92"))
    assert (split.cost, split.saving) == (Decimal("11.42"), Decimal("10.21"))
    assert split.text == "1 full reel + 150 cut tape: save CNY 10.21"


def test_several_reels_are_counted_in_the_offer():
    # 12,000 × 0.0042 = 50.40; 10,000 × 0.0021 = 21.00 and 2,000 × 0.0042 = 8.40
    split = cheapest_split(part(), ladders(), 12000)

    assert split.text == "2 full reels + 2,000 cut tape: save CNY 21.00"


def test_less_than_a_reel_gets_no_offer():
    assert cheapest_split(part(), ladders(), 4990) is None


def test_a_remainder_below_the_moq_is_not_offered():
    assert cheapest_split(part(moq=100), ladders(), 5050) is None


def test_a_remainder_below_the_cut_tape_ladder_is_not_offered():
    ladder = ((100, "0.0061"), (1000, "0.0042"))

    assert cheapest_split(part(), ladders(cut_tape=ladder), 5050) is None


def test_no_offer_when_reels_cost_more_than_cut_tape():
    assert cheapest_split(part(), ladders(reel=((5000, "0.0043"),)), 5000) is None


def test_reels_that_break_the_order_multiple_are_not_offered():
    # 5,000 is not a multiple of 3,000: the reel sells 15,000 (three reels) at the least
    assert cheapest_split(part(order_multiple=3000), ladders(), 9000) is None
    assert cheapest_split(part(order_multiple=3000), ladders(), 15000).reels == 3


def test_fewer_reels_win_when_the_rest_reaches_a_better_cut_tape_break():
    # 6 reels: 6,000 × 0.0016 + 500 × 0.0023 = 10.75; 5 reels: 8.00 + 1,500 × 0.0017 = 10.55
    split = cheapest_split(
        part(),
        ladders(
            cut_tape=((100, "0.0055"), (500, "0.0023"), (1000, "0.0017")),
            reel=((1000, "0.0024"), (3000, "0.0016")),
            reel_quantity=1000,
        ),
        6500,
    )

    assert (split.reels, split.remainder, split.cost, split.saving) == (
        5,
        1500,
        Decimal("10.55"),
        Decimal("0.50"),
    )


def test_a_part_without_a_reel_ladder_gets_no_offer():
    assert cheapest_split(part(), ladders()[:1], 5000) is None
