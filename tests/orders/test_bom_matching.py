"""Matching BOM lines to parts, working out quantities, pricing and the BOM's actions."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import lookup as catalog_lookup
from orders.bom import export, matching, services
from orders.bom.pricing import needed_quantity
from orders.bom.selectors import bom_priced
from orders.cart.services import CartOwner, cart_price
from orders.models import BomColumnMapping, BomMatch, Cart, Inquiry
from tests.orders import bom_helpers
from tests.orders.bom_helpers import make_bom, visitor

bom_catalog = bom_helpers.bom_catalog

pytestmark = pytest.mark.django_db

KICAD = (
    '"Reference","Value","Footprint","Qty","MPN","Manufacturer"\n'
    '"R1,R2,R3","10k","Resistor_SMD:R_0603_1608Metric","3","RC0603FR-0710KL","YAGEO"\n'
    '"C1","100nF","Capacitor_SMD:C_0402_1005Metric","1","GRM155R71C104KA88D","Murata"\n'
    '"U1","STM32F103C8T6","Package_QFP:LQFP-48","1","STM32F103C8T6","ST"\n'
    '"U2","LM358","SOIC-8","2","LM358DR",""\n'
    '"J1","USB-C","USB_C_Receptacle","1","USB4105-GF-A","GCT"\n'
)


def by_row(bom):
    return {line.row_number: line for line in bom.lines.all()}


def test_kicad_lines_match_exact_parts_candidates_and_not_found(bom_catalog):
    bom = make_bom(KICAD)
    lines = by_row(bom)

    assert (lines[2].match, lines[2].part) == (BomMatch.EXACT, bom_catalog["10k"])
    assert (lines[3].match, lines[3].part) == (BomMatch.EXACT, bom_catalog["100n"])
    assert lines[5].match == BomMatch.CANDIDATES  # LM358DR of two makers, none typed
    assert set(lines[5].candidate_ids) == {bom_catalog["lm358_ti"].pk, bom_catalog["lm358_on"].pk}
    assert lines[6].match == BomMatch.NOT_FOUND


def test_a_manufacturer_alias_picks_the_part(bom_catalog):
    bom = make_bom("Mfr. #,Manufacturer,Order Qty.\nLM358DR,TI,10\n")

    assert (bom.lines.get().match, bom.lines.get().part) == (
        BomMatch.EXACT,
        bom_catalog["lm358_ti"],
    )


def test_a_chinese_bom_matches_by_part_number_whatever_the_brand_is_written(bom_catalog):
    bom = make_bom("型号,品牌,用量\nRC0603FR-0710KL,国巨,10\n".encode("gbk"), file_name="清单.csv")

    assert bom.lines.get().part == bom_catalog["10k"]


def test_part_numbers_are_looked_up_in_batches_of_100(bom_catalog, monkeypatch):
    calls = []
    real = catalog_lookup.resolve

    def counting(lines, **options):
        calls.append(len(lines))
        return real(lines, **options)

    monkeypatch.setattr(matching, "resolve", counting)
    text = "MPN,Qty\n" + "RC0603FR-0710KL,10\n" * 250

    bom = make_bom(text)

    assert calls == [100, 100, 50]
    assert bom.lines.filter(match=BomMatch.EXACT).count() == 250


def test_a_line_without_mpn_is_searched_by_value_and_footprint_and_left_to_check(bom_catalog):
    bom = make_bom('Comment,Designator,Footprint,LCSC Part #\n100nF,"C1,C2",C0402,C1525\n')

    line = bom.lines.get()
    assert (line.match, line.part, line.quantity_per_board) == (
        BomMatch.TO_CHECK,
        bom_catalog["100n"],
        2,
    )
    priced = bom_priced(bom=bom)
    assert priced.to_check_count == 1 and priced.orderable_rows == []


def test_confirming_a_suggestion_or_choosing_a_candidate_matches_the_line(bom_catalog):
    bom = make_bom(KICAD)
    line = by_row(bom)[5]

    services.bom_line_choose(bom=bom, line_id=line.pk, part_id=bom_catalog["lm358_ti"].pk)

    line.refresh_from_db()
    assert (line.match, line.part) == (BomMatch.EXACT, bom_catalog["lm358_ti"])
    with pytest.raises(ValidationError):
        services.bom_line_choose(bom=bom, line_id=line.pk, part_id=bom_catalog["gd32"].pk)


def test_a_discontinued_out_of_stock_part_is_offered_a_drop_in_alternate_in_stock(bom_catalog):
    bom = make_bom(KICAD)
    line = by_row(bom)[4]

    assert (line.part, line.alternate) == (bom_catalog["stm32"], bom_catalog["gd32"])
    row = next(r for r in bom_priced(bom=bom).rows if r.first.pk == line.pk)
    assert row.warning == "End of life"

    services.bom_line_accept_alternate(bom=bom, line_id=line.pk)

    line.refresh_from_db()
    assert (line.match, line.part, line.asked_part) == (
        BomMatch.ALTERNATE,
        bom_catalog["gd32"],
        bom_catalog["stm32"],
    )


def test_accepting_an_alternate_or_an_attrition_applies_to_all_merged_lines(bom_catalog):
    bom = make_bom(
        "Designator,MPN,Qty\nU1,STM32F103C8T6,1\nU7,STM32F103C8T6,2\n", build_quantity=10
    )
    first = bom.lines.order_by("row_number").first()

    services.bom_line_accept_alternate(bom=bom, line_id=first.pk)
    services.bom_line_set_attrition(bom=bom, line_id=first.pk, attrition_percent="10")

    assert {(line.part, line.match) for line in bom.lines.all()} == {
        (bom_catalog["gd32"], BomMatch.ALTERNATE)
    }
    [row] = bom_priced(bom=bom).rows
    assert (row.designators, row.needed) == ("U1, U7", 33)


def test_nrnd_parts_carry_a_warning(bom_catalog):
    bom = make_bom("MPN,Manufacturer,Qty\nLM358DR,onsemi,1\n")

    assert bom_priced(bom=bom).rows[0].warning == "Not recommended for new designs"


def test_needed_quantity_is_per_board_times_boards_plus_attrition_rounded_up():
    assert needed_quantity(3, 10, Decimal("5")) == 32  # 31.5
    assert needed_quantity(1, 100, Decimal("0")) == 100
    assert needed_quantity(2, 7, Decimal("2.5")) == 15  # 14.35


def test_ordered_quantity_follows_moq_and_order_multiple(bom_catalog):
    bom = make_bom(
        "MPN,Qty\nRC0603FR-0710KL,3\n", build_quantity=10, attrition_percent=Decimal("5")
    )

    line = bom.lines.get()
    row = bom_priced(bom=bom).rows[0]
    assert (line.needed_quantity, line.ordered_quantity) == (32, 40)
    assert (row.unit_price, row.total) == (Decimal("0.012000"), Decimal("0.48"))


def test_a_line_attrition_overrides_the_boms(bom_catalog):
    bom = make_bom("MPN,Qty\nRC0603FR-0710KL,100\n", build_quantity=10)
    line = bom.lines.get()

    services.bom_line_set_attrition(bom=bom, line_id=line.pk, attrition_percent="10")

    assert bom_priced(bom=bom).rows[0].needed == 1100


def test_a_full_reel_is_bought_when_it_costs_less_than_fewer_pieces_on_cut_tape(bom_catalog):
    bom = make_bom("MPN,Qty\nRC0603FR-0710KL,4800\n")

    row = bom_priced(bom=bom).rows[0]

    assert row.ordered == 5000
    assert row.purchase.label == "1 full reel"
    assert row.total == Decimal("10.50")  # 4,800 on cut tape: 20.16


def test_reels_plus_cut_tape_when_that_is_cheapest(bom_catalog):
    bom = make_bom("MPN,Qty\nRC0603FR-0710KL,11000\n")

    row = bom_priced(bom=bom).rows[0]

    assert row.purchase.label == "2 full reels + 1,000 cut tape"
    assert row.total == Decimal("25.20")  # 10,000 × 0.0021 + 1,000 × 0.0042


def test_lines_of_the_same_part_are_merged_or_kept_apart(bom_catalog):
    text = "Designator,MPN,Qty\nR1,RC0603FR-0710KL,60\nR2,RC0603FR-0710KL,50\n"

    merged = bom_priced(bom=make_bom(text))
    apart = bom_priced(bom=make_bom(text, merge_same_parts=False))

    assert [(r.designators, r.ordered, r.unit_price) for r in merged.rows] == [
        ("R1, R2", 110, Decimal("0.006100"))
    ]
    assert [(r.designators, r.ordered) for r in apart.rows] == [("R1", 60), ("R2", 50)]


def test_bom_totals_and_counts(bom_catalog):
    priced = bom_priced(bom=make_bom(KICAD))

    assert (priced.matched_count, priced.to_check_count, priced.not_found_count) == (3, 1, 1)
    assert priced.total == sum(row.total for row in priced.orderable_rows)
    stm = next(r for r in priced.rows if r.part == bom_catalog["stm32"])
    assert stm.cover.message == "Not in stock · request a quote"


def test_stock_shows_own_and_supplier_stock_with_lead_time(bom_catalog):
    priced = bom_priced(bom=make_bom("MPN,Manufacturer,Qty\nLM358DR,TI,1000\n"))

    assert priced.rows[0].cover.message == "800 ship today · 200 ship in 7 days"


def test_the_column_mapping_is_remembered_per_customer_and_header_shape(bom_catalog, customer):
    owner = CartOwner(customer=customer)
    text = "Part,Maker,Pieces\nRC0603FR-0710KL,YAGEO,10\n"
    first = make_bom(text, owner=owner)  # no column is recognised: kept to be mapped
    assert services.needs_columns(first.column_mapping) and first.lines.count() == 0
    with pytest.raises(ValidationError):
        services.bom_remap(bom=first, mapping={"quantity": 2})
    services.bom_remap(bom=first, mapping={"mpn": "0", "manufacturer": "1", "quantity": "2"})
    assert first.lines.get().part == bom_catalog["10k"]

    again = make_bom("Part,Maker,Pieces\nGRM155R71C104KA88D,Murata,5\n", owner=owner)

    assert BomColumnMapping.objects.filter(customer=customer).count() == 1
    assert again.column_mapping == {"mpn": 0, "manufacturer": 1, "quantity": 2}
    assert again.lines.get().part == bom_catalog["100n"]


def test_adding_the_matched_lines_puts_them_in_the_cart_for_the_boms_total(bom_catalog):
    bom = make_bom(KICAD + '"R9","10k","R0603","10997","RC0603FR-0710KL","YAGEO"\n')
    owner = visitor()

    priced = services.bom_add_to_cart(bom=bom, owner=owner)

    cart = Cart.objects.get(session_key=owner.session_key)
    assert cart_price(cart=cart).subtotal == priced.total
    assert priced.rows[0].purchase.label == "2 full reels + 1,000 cut tape"
    assert cart.lines.count() == 4  # resistors on reels and on cut tape, capacitor, STM32


def test_adding_to_the_cart_is_all_or_nothing(bom_catalog):
    bom = make_bom(KICAD + "U9,GD32,LQFP-48,2000000,GD32F103C8T6,GigaDevice\n")
    bom_catalog["stm32"].packaging_options.all().delete()  # no longer priced: not added
    assert len(bom_priced(bom=bom).orderable_rows) == 3

    with pytest.raises(ValidationError) as refused:
        services.bom_add_to_cart(bom=bom, owner=visitor())

    assert refused.value.messages[0].startswith("Row 7 (GD32F103C8T6): At most 1,000,000 pieces")
    assert not Cart.objects.filter(lines__isnull=False).exists()


def test_lines_not_found_or_to_check_go_to_one_quote_request(bom_catalog):
    bom = make_bom(KICAD + "C9,22pF,C0402,5,,\n", build_quantity=10)

    inquiry = services.bom_request_quote(
        bom=bom, visitor_key="visitor-1", contact_name="Li Wei", email="li@acme.example"
    )

    assert Inquiry.objects.count() == 1
    assert sorted((line.mpn, line.manufacturer, line.quantity) for line in inquiry.lines.all()) == [
        ("22pF C0402", "", 50),
        ("LM358DR", "", 20),
        ("USB4105-GF-A", "GCT", 10),
    ]


def test_a_saved_bom_is_priced_again_and_says_what_changed(bom_catalog, customer):
    bom = make_bom("MPN,Qty\nGRM155R71C104KA88D,2000\n")
    services.bom_save(bom=bom, customer=customer, name="Controller rev B")
    price = bom_catalog["100n"].packaging_options.get().price_breaks.get(min_quantity=1000)
    price.unit_price = Decimal("0.0040")
    price.save()
    stock = bom_catalog["100n"].stock
    stock.on_hand = 1500
    stock.save()

    priced = services.bom_record_prices(bom=bom)

    assert priced.rows[0].changes == ["price 0.005 → 0.004", "stock 50,000 → 1,500"]
    assert services.bom_record_prices(bom=bom).rows[0].changes == []


def test_saving_asks_a_visitor_to_sign_in(bom_catalog):
    bom = make_bom("MPN,Qty\nGRM155R71C104KA88D,1\n")

    with pytest.raises(ValidationError, match="Sign in"):
        services.bom_save(bom=bom, customer=None)


def test_build_quantity_and_attrition_are_checked(bom_catalog):
    bom = make_bom("MPN,Qty\nGRM155R71C104KA88D,1\n")

    with pytest.raises(ValidationError):
        services.bom_update_settings(
            bom=bom, build_quantity="0", attrition_percent="", merge_same_parts=True
        )
    with pytest.raises(ValidationError):
        services.bom_update_settings(
            bom=bom, build_quantity="10", attrition_percent="150", merge_same_parts=True
        )
    bom = services.bom_update_settings(
        bom=bom, build_quantity="1k", attrition_percent="2", merge_same_parts=True
    )
    assert bom_priced(bom=bom).rows[0].needed == 1020


def test_the_priced_bom_exports_as_csv_with_formula_looking_cells_quoted(bom_catalog):
    bom = make_bom(
        'MPN,Qty,Description\nRC0603FR-0710KL,100,"=HYPERLINK(""http://x"")"\n+5V-REG,1,@SUM(A1)\n'
    )
    priced = bom_priced(bom=bom)

    rows = list(csv.reader(io.StringIO(export.bom_csv(priced).decode("utf-8-sig"))))

    assert rows[0][:4] == ["Rows", "Designators", "Your part number", "MPN (as typed)"]
    assert rows[1][3] == "RC0603FR-0710KL" and rows[1][7] == '\'=HYPERLINK("http://x")'
    assert rows[1][16:18] == ["0.006100", "0.61"]
    assert (rows[2][3], rows[2][7]) == ("'+5V-REG", "'@SUM(A1)")
    assert rows[-1][16:18] == ["Total", "0.61"]


def test_the_priced_bom_exports_as_xlsx_without_formulas(bom_catalog):
    bom = make_bom('MPN,Qty,Description\nRC0603FR-0710KL,100,"=1+1"\n-48V-MOD,1,x\n')

    sheet = openpyxl.load_workbook(io.BytesIO(export.bom_xlsx(bom_priced(bom=bom)))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[1][7] == "'=1+1" and rows[2][3] == "'-48V-MOD"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert rows[1][17] == pytest.approx(0.61)


def test_adding_a_bom_to_the_cart_makes_as_many_queries_for_many_lines_as_for_few(bom_catalog):
    few = make_bom(KICAD)
    many = make_bom(KICAD + KICAD.split("\n", 1)[1] * 7, merge_same_parts=False)

    with CaptureQueriesContext(connection) as few_queries:
        services.bom_add_to_cart(bom=few, owner=visitor("a"))
    with CaptureQueriesContext(connection) as many_queries:
        services.bom_add_to_cart(bom=many, owner=visitor("b"))

    assert many.lines.count() == 40
    assert len(many_queries) == len(few_queries)


def test_a_bom_added_on_top_of_the_cart_names_what_is_already_there(bom_catalog):
    owner = visitor()
    services.bom_add_to_cart(bom=make_bom("MPN,Qty\nGD32F103C8T6,600000\n"), owner=owner)

    with pytest.raises(ValidationError) as refused:
        services.bom_add_to_cart(bom=make_bom("MPN,Qty\nGD32F103C8T6,600000\n"), owner=owner)

    assert refused.value.messages[0] == (
        "Row 2 (GD32F103C8T6): with the 600,000 already in your cart: "
        "At most 1,000,000 pieces per line; request a quote for larger quantities."
    )
