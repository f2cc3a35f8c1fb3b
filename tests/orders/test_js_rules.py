"""The part page's script parses quantities and finds the full-reel split by the server's rules:
one table of cases, run through orders/quantities.py and catalog/pricing.py here and through
static/js/rules.js in Node, must give the same answers."""

import json
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from catalog.models import PackagingOption, Part, PriceBreak
from catalog.pricing import cheapest_split, line_price_text
from orders.quantities import parse_quantity

RULES_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "rules.js"
NODE = shutil.which("node") or shutil.which("nodejs")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

TYPED = [
    "1", "150", "1,000", "1 000", "1_000", "12,345,678", "1k", "1K", "2.5k", "2.5 k", "0.5k",
    " 42 ", "+7", "007", "１０００", "1，000", "２.５ｋ", "1\u3000000", "1e5", "abc", "", "  ",
    "0", "-1", "-1,000", "--5", "+-5", "10^20", "1.5", "0x10", "100 pcs", "1,00", "1,0000",
    "2.5005k", "1.0001k", "2.50k", "1.k", "k", "²", "١٠", "9" * 20, "9" * 15, "9" * 15 + "k",
    "123456789012.345k", "1,000,000",
]  # fmt: skip

CUT_TAPE = [[10, "0.0120"], [100, "0.0061"], [1000, "0.0042"]]
SPLITS = [
    # (moq, multiple, cut-tape ladder, reel size, reel ladder, quantity)
    (10, 10, CUT_TAPE, 5000, [[5000, "0.0021"]], 5000),
    (10, 10, CUT_TAPE, 5000, [[5000, "0.0021"]], 5150),
    (10, 10, CUT_TAPE, 5000, [[5000, "0.0021"]], 12000),
    (10, 10, CUT_TAPE, 5000, [[5000, "0.0021"]], 4990),
    (100, 10, CUT_TAPE, 5000, [[5000, "0.0021"]], 5050),
    (10, 10, [[100, "0.0061"]], 5000, [[5000, "0.0021"]], 5050),
    (10, 10, CUT_TAPE, 5000, [[5000, "0.0043"]], 5000),
    (10, 3000, CUT_TAPE, 5000, [[5000, "0.0021"]], 15000),
    (10, 10, [[1000, "0.002488"]], 5000, [[5000, "0.00214"]], 5000),
    (
        10, 10, [[100, "0.0055"], [500, "0.0023"], [1000, "0.0017"]],
        1000, [[1000, "0.0024"], [3000, "0.0016"]], 6500,
    ),
    (1, 1, [[1, "0.0125"]], 4000, [[4000, "0.004"], [20000, "0.0035"]], 999_999),
    (1, 1, [[1, "0.35"], [10, "0.3123"]], 250, [[250, "0.2017"]], 1261),
]  # fmt: skip


def _random_splits(count: int, seed: int = 5000) -> list[tuple]:
    """Ladders and quantities no one would type in, to catch where the two ports part."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        multiple = rng.choice([1, 1, 5, 10, 10, 250, 3000])
        moq = multiple * rng.choice([1, 1, 2, 10])
        cut_mins = sorted(rng.sample([1, 10, 100, 500, 1000, 2500, 5000], 3))
        cut_prices = sorted((rng.randint(100, 60000) for _ in cut_mins), reverse=True)
        size = rng.choice([250, 1000, 2500, 4000, 5000, 10000])
        reel_mins = sorted({size, size * rng.choice([2, 3, 5, 10])})
        reel_prices = sorted((rng.randint(100, 60000) for _ in reel_mins), reverse=True)
        quantity = rng.choice([size, 2 * size, 3 * size + 10]) + rng.randint(0, size) // 10 * 10
        cases.append(
            (
                moq,
                multiple,
                [[q, f"0.{p:06d}"] for q, p in zip(cut_mins, cut_prices, strict=True)],
                size,
                [[q, f"0.{p:06d}"] for q, p in zip(reel_mins, reel_prices, strict=True)],
                quantity,
            )
        )
    return cases


SPLITS += _random_splits(200)
LINES = [(CUT_TAPE, q) for q in (1, 9, 10, 90, 150, 999, 1000, 12345, 1_000_000)]


def run_js(cases: dict) -> dict:
    script = f"""
        const rules = require({json.dumps(str(RULES_JS))});
        const cases = {json.dumps(cases)};
        const out = {{typed: [], splits: [], lines: []}};
        for (const text of cases.typed) {{
          const r = rules.parseQuantity(text);
          out.typed.push(r.error ? ["error", r.error] : ["ok", r.quantity.toString()]);
        }}
        for (const [moq, multiple, cut, size, reel, q] of cases.splits) {{
          const s = rules.cheapestSplit({{moq, multiple}}, {{name: "cut tape", ladder: cut}},
                                        {{size, ladder: reel}}, q, "CNY");
          out.splits.push(s ? s.text : null);
        }}
        for (const [ladder, q] of cases.lines) {{
          out.lines.push(rules.lineText(ladder, q, 130000, "CNY"));
        }}
        console.log(JSON.stringify(out));
    """
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def js():
    return run_js({"typed": TYPED, "splits": SPLITS, "lines": LINES})


def python_parse(text):
    try:
        return ["ok", str(parse_quantity(text))]
    except ValidationError as error:
        return ["error", error.messages[0]]


def ladder(option, pairs):
    return option, [PriceBreak(min_quantity=q, unit_price=Decimal(p)) for q, p in pairs]


def python_split(moq, multiple, cut, size, reel, quantity):
    part = Part(moq=moq, order_multiple=multiple)
    ladders = [
        ladder(PackagingOption(pk=1, kind="cut_tape"), cut),
        ladder(PackagingOption(pk=2, kind="reel", reel_quantity=size), reel),
    ]
    split = cheapest_split(part, ladders, quantity)
    return split.text if split else None


@pytest.mark.parametrize("index", range(len(TYPED)), ids=[repr(t)[:24] for t in TYPED])
def test_the_part_page_reads_a_typed_quantity_as_the_cart_does(js, index):
    assert js["typed"][index] == python_parse(TYPED[index])


@pytest.mark.parametrize("index", range(len(SPLITS)))
def test_the_part_page_offers_the_full_reel_split_the_cart_offers(js, index, settings):
    settings.SHOP_CURRENCY = "CNY"
    assert js["splits"][index] == python_split(*SPLITS[index])


@pytest.mark.parametrize("index", range(len(LINES)))
def test_the_part_page_prices_a_quantity_as_the_cart_does(js, index, settings):
    settings.SHOP_CURRENCY, settings.SHOP_VAT_RATE = "CNY", Decimal("0.13")
    pairs, quantity = LINES[index]
    breaks = [PriceBreak(min_quantity=q, unit_price=Decimal(p)) for q, p in pairs]

    assert js["lines"][index] == line_price_text(breaks, quantity)
