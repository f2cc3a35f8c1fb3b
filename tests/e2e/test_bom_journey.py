"""A purchaser's 200-line BOM in Chromium: upload, correct a column, match, choose the part of
an ambiguous line, accept a drop-in alternate, ask a quote for the lines we do not list and
put the rest in the cart at the total the BOM page showed."""

import csv
import math
from decimal import Decimal

import pytest
from selenium.webdriver.support.ui import Select

from catalog import services as catalog_services
from catalog.models import (
    AlternateKind,
    PackagingKind,
    Part,
    PartAlternate,
    PriceBreak,
    Stock,
    normalize_mpn,
    sku_for_id,
)
from catalog.models import PackagingOption as PackagingOptionModel
from catalog.pricing import line_total, main_ladder, unit_price_at
from catalog.selectors import price_ladders
from customers.models import CustomerType
from orders.bom import selectors as bom_selectors
from orders.models import Bom, BomLine, BomMatch, Cart, Inquiry
from tests.customers.factories import PASSWORD, CustomerFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)
from tests.orders.bom_helpers import add_part

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOARDS = 50
ATTRITION = Decimal("2")
LISTED = 194  # lines naming a part we list, one maker each
# A purchaser's own sheet: "Make" is no header we know, so the manufacturer column is left
# unguessed and the purchaser picks it in the mapping step.
HEADERS = ["Item", "Ref Des", "Qty", "Mfr Part #", "Make", "Description"]
UNLISTED = [  # (row, MPN, manufacturer, per board): parts we do not list
    (12, "USB4105-GF-A", "GCT", 1),
    (64, "ESP32-C3-MINI-1-N4", "Espressif", 1),
    (140, "B2B-PH-K-S(LF)(SN)", "JST", 4),
    (199, "ECS-250-18-33-JGN-TR", "ECS", 2),
]
AMBIGUOUS_ROW, OUT_OF_STOCK_ROW = 37, 88  # items of the sheet (its rows 38 and 89)


def needed(per_board: int) -> int:
    return math.ceil(per_board * BOARDS * (1 + ATTRITION / 100))


def money(text: str) -> Decimal:
    """ "CNY 1,234.56" or "1,234.56" as a Decimal."""
    return Decimal(text.replace("CNY", "").replace(",", "").strip())


# --- the catalog --------------------------------------------------------------------------


def _listed_parts():
    """194 parts in stock with three price breaks; every tenth also sells 4,000-piece reels,
    and is asked 90 a board so its line buys reels plus cut tape."""
    makers = [
        ManufacturerFactory(name=name, slug=name.lower())
        for name in ("YAGEO", "Murata", "Samsung", "Vishay", "Nexperia")
    ]
    category = CategoryFactory(name="Passives", slug="passives")
    parts = []
    for n in range(LISTED):
        part = PartFactory.build(
            mpn=f"PL{n:03d}-{'ABCDE'[n % 5]}{n * 7 % 100:02d}T",
            manufacturer=makers[n % len(makers)],
            category=category,
            moq=10,
            order_multiple=10 if n % 3 == 0 else 1,
        )
        part.normalized_mpn = normalize_mpn(part.mpn)
        parts.append(part)
    Part.objects.bulk_create(parts)
    for part in parts:
        part.sku = sku_for_id(part.pk)
    Part.objects.bulk_update(parts, ["sku"])
    Stock.objects.bulk_create(StockFactory.build(part=p, on_hand=1_000_000) for p in parts)
    options, reels = [], []
    for n, part in enumerate(parts):
        options.append(PackagingOptionFactory.build(part=part))
        if n % 10 == 0:
            reels.append(
                PackagingOptionFactory.build(part=part, kind=PackagingKind.REEL, reel_quantity=4000)
            )
    PackagingOptionModel.objects.bulk_create(options + reels)
    breaks = []
    for n, option in enumerate(options):
        base = Decimal("0.0137") + Decimal(n) * Decimal("0.0231")  # 0.0137 .. 4.47
        for quantity, factor in ((10, "1"), (100, "0.83"), (1000, "0.617")):
            breaks.append(
                PriceBreakFactory.build(
                    packaging=option,
                    min_quantity=quantity,
                    unit_price=(base * Decimal(factor)).quantize(Decimal("0.000001")),
                )
            )
    for option in reels:
        first = next(b for b in breaks if b.packaging is options[parts.index(option.part)])
        breaks.append(
            PriceBreakFactory.build(
                packaging=option,
                min_quantity=4000,
                unit_price=(first.unit_price * Decimal("0.45")).quantize(Decimal("0.000001")),
            )
        )
    PriceBreak.objects.bulk_create(breaks)
    catalog_services.part_listing_refresh(part_ids=[p.pk for p in parts])
    return parts


@pytest.fixture
def catalog():
    parts = _listed_parts()
    chips = CategoryFactory(name="Integrated circuits", slug="ics")
    ti = ManufacturerFactory(name="Texas Instruments", slug="texas-instruments")
    onsemi = ManufacturerFactory(name="onsemi", slug="onsemi")
    st = ManufacturerFactory(name="STMicroelectronics", slug="stmicroelectronics")
    gd = ManufacturerFactory(name="GigaDevice", slug="gigadevice")
    soic, lqfp = {"package": "SOIC-8"}, {"package": "LQFP-48"}
    lm358_ti = add_part("LM358DR", ti, chips, ladder=((1, "0.352100"),), stock=800, **soic)
    lm358_on = add_part("LM358DR", onsemi, chips, ladder=((1, "0.298700"),), stock=300, **soic)
    stm32 = add_part("STM32F103C8T6", st, chips, ladder=((1, "8.513000"),), stock=0, **lqfp)
    gd32 = add_part(
        "GD32F103C8T6", gd, chips, ladder=((1, "4.2133"), (50, "3.8711")), stock=5000, **lqfp
    )
    PartAlternate.objects.create(part=stm32, alternate=gd32, kind=AlternateKind.DROP_IN)
    return {
        "listed": parts,
        "lm358_ti": lm358_ti,
        "lm358_on": lm358_on,
        "stm32": stm32,
        "gd32": gd32,
    }


@pytest.fixture
def purchaser():
    return CustomerFactory(
        email="buyer@acme-robotics.example", profile__customer_type=CustomerType.PURCHASER
    )


def bom_file(tmp_path, catalog) -> tuple:
    """The purchaser's sheet: 200 rows, with the row of each special line known."""
    unlisted = {row: rest for row, *rest in UNLISTED}
    listed = iter(catalog["listed"])
    per_board = {}
    rows = []
    for row in range(1, 201):
        if row in unlisted:
            mpn, maker, quantity = unlisted[row]
            description = "Not in the catalog"
        elif row == AMBIGUOUS_ROW:
            mpn, maker, quantity, description = "LM358DR", "", 2, "Dual op amp"
        elif row == OUT_OF_STOCK_ROW:
            part = catalog["stm32"]
            mpn, maker, quantity, description = part.mpn, "STMicroelectronics", 1, "MCU"
        else:
            part = next(listed)
            index = catalog["listed"].index(part)
            quantity = 90 if index % 10 == 0 else 1 + index % 12
            mpn, maker, description = part.mpn, part.manufacturer.name, "Chip passive"
            per_board[part.pk] = quantity
        rows.append([str(row), f"X{row}", str(quantity), mpn, maker, description])
    path = tmp_path / "acme-controller-rev-c.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path, per_board


def cart_total_in_database(cart: Cart) -> Decimal:
    """The cart's lines priced from the price breaks, each line rounded to cents."""
    lines = list(cart.lines.all())
    ladders = price_ladders({line.part_id for line in lines})
    total = Decimal("0.00")
    for line in lines:
        part_ladders = ladders[line.part_id]
        if line.packaging_id is None:
            _, ladder = main_ladder(part_ladders)
        else:
            ladder = next(lad for option, lad in part_ladders if option.pk == line.packaging_id)
        total += line_total(unit_price_at(ladder, line.quantity), line.quantity)
    return total


# --- the journey --------------------------------------------------------------------------


def test_a_purchaser_matches_a_200_line_bom_quotes_the_rest_and_orders_at_the_bom_total(
    page, catalog, purchaser, tmp_path
):
    path, per_board = bom_file(tmp_path, catalog)
    page.sign_in(purchaser.email, PASSWORD, next_path="/bom/")

    # Upload the sheet for 50 boards with 2 % attrition.
    page.css("#id_file").send_keys(str(path))
    page.fill("#id_name", "Controller rev C")
    page.fill("#id_build_quantity", str(BOARDS))
    page.fill("#id_attrition", str(ATTRITION))
    page.click_and_wait("form.bom-upload button[type=submit]")

    # The mapping step: our guesses, the manufacturer column not among them.
    bom = Bom.objects.get(customer=purchaser)
    page.wait_for_path(f"/bom/{bom.pk}/columns/")
    assert page.css("h1").text == "Which column is which?"

    def selected(field):
        return Select(page.css(f"#id_{field}")).first_selected_option.text

    assert selected("mpn") == "Mfr Part #"
    assert selected("quantity") == "Qty"
    assert selected("designators") == "Ref Des"
    assert selected("manufacturer") == "— not in the file —"
    page.choose("#id_manufacturer", "Make")
    page.click_and_wait("form.bom-columns button[type=submit]")

    page.wait_for_path(f"/bom/{bom.pk}/")
    bom.refresh_from_db()
    assert bom.column_mapping["manufacturer"] == HEADERS.index("Make")
    assert bom.lines.count() == 200
    assert len(page.all("table.bom-lines tbody tr.bom-line")) == 200
    summary = page.css(".bom-summary").text
    assert "195 matched · 1 to check · 4 not found · for 50 boards + 2 % attrition" in summary
    listed = BomLine.objects.filter(bom=bom, part__in=catalog["listed"])
    assert listed.count() == LISTED
    assert set(listed.values_list("match", flat=True)) == {BomMatch.EXACT}

    # The ambiguous line: LM358DR with no manufacturer, made by two; the purchaser picks TI.
    ambiguous = BomLine.objects.get(bom=bom, mpn="LM358DR")
    assert ambiguous.match == BomMatch.CANDIDATES
    row = page.css(f"#line-{ambiguous.pk}")
    assert "Choose the part" in row.text
    picker = f"#line-{ambiguous.pk} form.candidate-picker"
    page.choose(f"#part-{ambiguous.pk}", "LM358DR · Texas Instruments · SOIC-8")
    page.click_and_wait(f"{picker} button[type=submit]")
    page.wait_for_url(f"/bom/{bom.pk}/")
    ambiguous.refresh_from_db()
    assert (ambiguous.match, ambiguous.part_id) == (BomMatch.EXACT, catalog["lm358_ti"].pk)
    assert "Texas Instruments" in page.css(f"#line-{ambiguous.pk} .bom-match").text

    # The out-of-stock STM32 line: the drop-in GD32 is offered, in stock; accept it.
    short = BomLine.objects.get(bom=bom, mpn="STM32F103C8T6")
    assert (short.part_id, short.alternate_id) == (catalog["stm32"].pk, catalog["gd32"].pk)
    offer = page.css(f"#line-{short.pk} form.alternate")
    assert "GD32F103C8T6" in offer.text
    page.click_and_wait(offer.find_element("css selector", "button"))
    page.wait_for_url(f"/bom/{bom.pk}/")
    short.refresh_from_db()
    assert short.match == BomMatch.ALTERNATE
    assert (short.part_id, short.asked_part_id) == (catalog["gd32"].pk, catalog["stm32"].pk)
    assert "Alternate accepted" in page.css(f"#line-{short.pk}").text
    summary = page.css(".bom-summary").text
    assert "196 matched · 0 to check · 4 not found" in summary

    # The four lines we do not list go out as one quote request.
    page.click_and_wait(f"a[href='/bom/{bom.pk}/quote/']")
    page.wait_for_path(f"/bom/{bom.pk}/quote/")
    assert len(page.all("table.bom-quote-lines tbody tr")) == 4
    assert page.css("#id_email").get_attribute("value") == purchaser.email
    page.fill("#id_contact_name", "Li Wei")
    page.fill("#id_note", "Samples first, please.")
    page.click_and_wait("form.quote-form button[type=submit]")
    page.wait_for_path("/quote/sent/")
    inquiry = Inquiry.objects.get()
    assert inquiry.customer == purchaser and inquiry.email == purchaser.email
    assert inquiry.reference in page.text
    assert "BOM Controller rev C (50 boards)" in inquiry.note
    assert sorted(inquiry.lines.values_list("mpn", "manufacturer", "quantity")) == sorted(
        (mpn, maker, needed(quantity)) for _, mpn, maker, quantity in UNLISTED
    )

    # Back to the BOM: its total, as the page shows it, then everything matched to the cart.
    page.open(f"/bom/{bom.pk}/")
    bom_total = money(page.css("tfoot td.bom-total").text)
    assert money(page.css(".bom-summary .bom-total").text) == bom_total
    line_totals = [money(cell.text) for cell in page.all("tbody td.line-total") if cell.text != "—"]
    assert len(line_totals) == 196 and sum(line_totals) == bom_total
    add = page.css(f"form[action='/bom/{bom.pk}/cart/'] button")
    assert add.text == "Add 196 matched lines to the cart"
    page.click_and_wait(add)

    page.wait_for_path("/cart/")
    assert "196 BOM lines added to the cart." in page.text
    cart_subtotal = money(page.css(".cart-summary dd.subtotal").text)
    assert cart_subtotal == bom_total

    # And the database: the cart priced from its price breaks, the BOM priced by the shop.
    cart = Cart.objects.get(customer=purchaser, checked_out_at__isnull=True)
    reel_parts = {p.pk for n, p in enumerate(catalog["listed"]) if n % 10 == 0}
    on_reels = cart.lines.filter(packaging__kind=PackagingKind.REEL)
    assert set(on_reels.values_list("part", flat=True)) == reel_parts
    assert set(cart.lines.values_list("part", flat=True)) == set(per_board) | {
        catalog["lm358_ti"].pk,
        catalog["gd32"].pk,
    }
    for part_id, quantity in per_board.items():
        pieces = sum(cart.lines.filter(part_id=part_id).values_list("quantity", flat=True))
        assert pieces >= needed(quantity)
    assert cart_total_in_database(cart) == bom_total
    assert bom_selectors.bom_priced(bom=bom).total == bom_total
    assert len(page.all("tr.cart-line")) == cart.lines.count()
