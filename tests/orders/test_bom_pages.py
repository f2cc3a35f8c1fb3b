"""The BOM tool's pages: upload or paste, columns, matched lines, actions, saved BOMs."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Bom, BomMatch, Cart, Inquiry
from tests.orders import bom_helpers
from tests.orders.test_bom_reader import xlsx_bytes

pytestmark = pytest.mark.django_db
bom_catalog = bom_helpers.bom_catalog

KICAD = (
    '"Reference","Value","Footprint","Qty","MPN","Manufacturer"\n'
    '"R1,R2","10k","R_0603","2","RC0603FR-0710KL","YAGEO"\n'
    '"C1","100nF","C_0402","1","GRM155R71C104KA88D","Murata"\n'
    '"U1","STM32","LQFP-48","1","STM32F103C8T6","ST"\n'
    '"U2","LM358","SOIC-8","1","LM358DR",""\n'
    '"J1","USB-C","USB_C","1","USB4105-GF-A","GCT"\n'
)


def upload(client, text, *, name="board.csv", **fields):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/bom/",
        {"file": SimpleUploadedFile(name, data), "build_quantity": "1", "attrition": "", **fields},
    )


def uploaded(client, text, **fields) -> Bom:
    response = upload(client, text, **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    bom = Bom.objects.latest("pk")
    assert response["Location"] == f"/bom/{bom.pk}/columns/"
    return bom


def test_the_bom_page_offers_upload_and_paste_and_is_not_indexed(client):
    response = client.get("/bom/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="file"' in html and 'name="paste"' in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_an_upload_shows_the_guessed_columns_and_first_rows_then_the_matched_lines(
    client, bom_catalog
):
    bom = uploaded(client, KICAD)

    columns = client.get(f"/bom/{bom.pk}/columns/").content.decode()
    assert '<option value="4" selected>MPN</option>' in columns
    assert "GRM155R71C104KA88D" in columns  # the first rows

    response = client.post(
        f"/bom/{bom.pk}/columns/",
        {"mpn": "4", "manufacturer": "5"}
        | {"quantity": "3", "designators": "0", "value": "1", "footprint": "2"},
    )
    assert response["Location"] == f"/bom/{bom.pk}/"
    page = client.get(f"/bom/{bom.pk}/").content.decode()
    assert "3 matched" in page and "1 to check" in page and "1 not found" in page
    assert 'class="candidate-picker"' in page  # LM358DR of two makers
    assert "Accept alternate" in page and "GD32F103C8T6" in page
    assert "End of life" in page


def test_pasted_cells_are_read(client, bom_catalog):
    response = client.post(
        "/bom/",
        {"paste": "MPN\tQty\nRC0603FR-0710KL\t100\n", "build_quantity": "2", "attrition": "5"},
    )

    bom = Bom.objects.get()
    assert response.status_code == 302
    line = bom.lines.get()
    assert (line.part, line.needed_quantity, line.ordered_quantity) == (
        bom_catalog["10k"],
        210,
        210,
    )


def test_an_altium_xlsx_is_read_from_under_its_title_block(client, bom_catalog):
    data = xlsx_bytes(
        [
            ["Comment", "Designator", "Quantity", "Manufacturer 1", "Manufacturer Part Number 1"],
            ["100nF", "C1, C2", 2, "Murata", "GRM155R71C104KA88D"],
        ],
        title_block=[["Bill of Materials"], ["Project:", "Controller"], []],
        merged=("A1:E1",),
    )

    bom = uploaded(client, data, name="Controller.xlsx")

    assert bom.header_row == 4
    assert bom.lines.get().part == bom_catalog["100n"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"MPN,Qty\n", "no BOM lines under it"),
        (b"MPN,Qty,MPN\nA,1,B\n", "appears twice"),
        (b"\x00\x01\x02binary\x00junk", "not a text or spreadsheet file"),
        (b"MPN,Qty\nA,1\n", "not an Excel spreadsheet"),
    ],
)
def test_a_refused_file_says_why_and_saves_nothing(client, data, message):
    name = "bom.xlsx" if message.startswith("not an Excel") else "bom.csv"

    response = upload(client, data, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bom.objects.exists()


def test_a_file_over_5_mb_is_refused_before_it_is_read(client):
    response = upload(client, b"MPN,Qty\n" + b"x" * (5 * 1024 * 1024 + 1))

    assert response.status_code == 400
    assert "upload at most 5 MB" in response.content.decode()
    assert not Bom.objects.exists()


def test_unrecognised_columns_are_chosen_on_the_columns_page(client, bom_catalog):
    bom = uploaded(client, "Part,Maker,Pieces\nRC0603FR-0710KL,YAGEO,10\n")

    assert client.get(f"/bom/{bom.pk}/")["Location"] == f"/bom/{bom.pk}/columns/"
    page = client.get(f"/bom/{bom.pk}/columns/").content.decode()
    assert "Choose the column with the part number (MPN) or the value." in page
    refused = client.post(f"/bom/{bom.pk}/columns/", {"quantity": "2"})
    assert refused.status_code == 400
    client.post(f"/bom/{bom.pk}/columns/", {"mpn": "0", "quantity": "2"})
    assert bom.lines.get().part == bom_catalog["10k"]


def test_choosing_a_candidate_and_accepting_an_alternate(client, bom_catalog):
    bom = uploaded(client, KICAD)
    lm358 = bom.lines.get(row_number=5)
    stm32 = bom.lines.get(row_number=4)

    client.post(f"/bom/{bom.pk}/lines/{lm358.pk}/choose/", {"part": bom_catalog["lm358_on"].pk})
    client.post(f"/bom/{bom.pk}/lines/{stm32.pk}/alternate/")

    lm358.refresh_from_db()
    stm32.refresh_from_db()
    assert (lm358.match, lm358.part) == (BomMatch.EXACT, bom_catalog["lm358_on"])
    assert (stm32.match, stm32.part) == (BomMatch.ALTERNATE, bom_catalog["gd32"])
    assert "Not recommended for new designs" in client.get(f"/bom/{bom.pk}/").content.decode()


def test_boards_and_attrition_are_changed_on_the_page(client, bom_catalog):
    bom = uploaded(client, "MPN,Qty\nGRM155R71C104KA88D,3\n")

    client.post(f"/bom/{bom.pk}/settings/", {"build_quantity": "100", "attrition": "5"})
    line = bom.lines.get()
    client.post(f"/bom/{bom.pk}/lines/{line.pk}/attrition/", {"attrition": "10"})

    page = client.get(f"/bom/{bom.pk}/").content.decode()
    assert ">330" in page  # 3 × 100 × 1.10
    response = client.post(f"/bom/{bom.pk}/settings/", {"build_quantity": "0"}, follow=True)
    assert "The quantity must be at least 1." in response.content.decode()


def test_adding_the_matched_lines_to_the_cart(client, bom_catalog):
    bom = uploaded(client, KICAD)

    response = client.post(f"/bom/{bom.pk}/cart/")

    assert response["Location"] == "/cart/"
    cart = Cart.objects.get()
    assert {line.part for line in cart.lines.all()} == {
        bom_catalog["10k"],
        bom_catalog["100n"],
        bom_catalog["stm32"],
    }


def test_the_quote_request_is_prefilled_with_the_unmatched_lines(client, bom_catalog):
    bom = uploaded(client, KICAD)

    page = client.get(f"/bom/{bom.pk}/quote/").content.decode()
    assert "USB4105-GF-A" in page and "LM358DR" in page
    response = client.post(
        f"/bom/{bom.pk}/quote/", {"contact_name": "Li Wei", "email": "li@acme.example"}
    )

    assert response["Location"] == "/quote/sent/"
    inquiry = Inquiry.objects.get()
    assert sorted(line.mpn for line in inquiry.lines.all()) == ["LM358DR", "USB4105-GF-A"]


def test_exports_download_as_csv_and_xlsx(client, bom_catalog):
    bom = uploaded(client, KICAD + '"TP1","=cmd()","","1","=cmd()",""\n')

    as_csv = client.get(f"/bom/{bom.pk}/export.csv")
    as_xlsx = client.get(f"/bom/{bom.pk}/export.xlsx")

    assert as_csv["Content-Disposition"] == 'attachment; filename="board-csv-priced.csv"'
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows if row[3].endswith("cmd()")] == ["'=cmd()"]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.max_row == len(rows)


def test_a_visitor_is_asked_to_sign_in_to_save_and_then_saves(client, bom_catalog, customer):
    bom = uploaded(client, KICAD)

    response = client.post(f"/bom/{bom.pk}/save/", {"name": "Controller rev B"})
    assert response["Location"] == f"/account/login/?next=/bom/{bom.pk}/"

    client.force_login(customer)
    response = client.post(f"/bom/{bom.pk}/save/", {"name": "Controller rev B"})

    bom.refresh_from_db()
    assert response["Location"] == f"/account/boms/{bom.pk}/"
    assert (bom.customer, bom.name, bom.session_key) == (customer, "Controller rev B", "")
    listing = client.get("/account/boms/").content.decode()
    assert "Controller rev B" in listing


def test_a_saved_bom_opened_again_is_priced_today_and_says_what_changed(
    client, bom_catalog, customer
):
    client.force_login(customer)
    bom = uploaded(client, "MPN,Qty\nGRM155R71C104KA88D,2000\n")
    client.post(f"/bom/{bom.pk}/save/")
    price = bom_catalog["100n"].packaging_options.get().price_breaks.get(min_quantity=1000)
    price.unit_price = Decimal("0.0045")
    price.save()

    page = client.get(f"/account/boms/{bom.pk}/").content.decode()

    assert "price 0.005 → 0.0045" in page
    assert "9.00" in page  # 2,000 × 0.0045
    assert "Nothing changed" in client.get(f"/account/boms/{bom.pk}/").content.decode()


def test_another_customers_bom_is_not_found(client, bom_catalog, customer, other_customer):
    client.force_login(customer)
    bom = uploaded(client, KICAD)
    client.post(f"/bom/{bom.pk}/save/")
    line = bom.lines.first()

    client.force_login(other_customer)
    for url in (
        f"/bom/{bom.pk}/",
        f"/bom/{bom.pk}/columns/",
        f"/bom/{bom.pk}/export.csv",
        f"/bom/{bom.pk}/quote/",
        f"/account/boms/{bom.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/bom/{bom.pk}/cart/").status_code == 404
    assert client.post(f"/bom/{bom.pk}/lines/{line.pk}/alternate/").status_code == 404
    assert client.post(f"/bom/{bom.pk}/save/").status_code == 404


def test_another_visitors_bom_is_not_found(client, bom_catalog):
    bom = uploaded(client, KICAD)
    client.cookies.clear()

    assert client.get(f"/bom/{bom.pk}/").status_code == 404


def test_saved_boms_need_a_sign_in(client):
    assert client.get("/account/boms/")["Location"].startswith("/account/login/")


def test_the_matched_lines_page_makes_as_many_queries_for_many_lines_as_for_few(
    client, bom_catalog
):
    few = uploaded(client, KICAD)
    many = uploaded(client, KICAD + KICAD.split("\n", 1)[1] * 6)

    with CaptureQueriesContext(connection) as few_queries:
        client.get(f"/bom/{few.pk}/")
    with CaptureQueriesContext(connection) as many_queries:
        client.get(f"/bom/{many.pk}/")

    assert many.lines.count() == 35
    assert len(many_queries) == len(few_queries)
