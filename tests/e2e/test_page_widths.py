"""Every page fits the screen: nothing scrolls sideways on a phone (390 px), and the wide
parametric tables show all their columns on a laptop (1366 px). A table that must scroll
does so inside its own box, never the page.

The store (a demo catalog with its MLCC category, a signed-in customer with an order, a
cart, a balance, messages and a matched BOM) is built once for the module and served by a
live server of its own, so each (page, width) case is a separate test sharing one browser.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse, translate_url

# The tests only read what the module built (committed before them); the mark makes
# pytest-django set up the test database.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PHONE = (390, 844)
LAPTOP = (1366, 900)
MLCC = "passives/capacitors/mlcc"
LONG_MPN = "GRM188R71H104KA93DSPECIALLONGMPN0123456789ABCDEFX"
LONG_MAKER = "Murata Manufacturing Company Limited Electronics Division"

# The elements that stick out to the right of the window, widest first, skipping those
# inside a box that scrolls or clips (their overflow stays in that box).
OVERFLOWING_JS = """
const limit = document.documentElement.clientWidth, found = [];
for (const el of document.body.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (!box.width || box.right <= limit + 0.5) continue;
  let up = el.parentElement, contained = false;
  while (up && up !== document.body) {
    if (getComputedStyle(up).overflowX !== "visible") { contained = true; break; }
    up = up.parentElement;
  }
  if (contained) continue;
  const cls = typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  found.push([Math.round(box.right), el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls]);
}
found.sort((a, b) => b[0] - a[0]);
return found.slice(0, 6).map(([right, name]) => name + " (right edge " + right + " px)");
"""


@pytest.fixture(scope="module")
def store(django_db_setup, django_db_blocker, browser):
    """The demo store, one customer's pages full of data, a live server, and a browser
    signed in as that customer. The data stays for the module and is flushed after it."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        data = _build_store()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            _sign_in(browser, server.url, data["email"])
            yield {**data, "url": server.url}
        finally:
            browser.delete_all_cookies()
            browser.get("about:blank")
            browser.set_window_size(1280, 900)
            server._live_server_modified_settings.disable()
            # Not server.stop(): Chromium's kept-alive connections end after it, and their
            # threads still close the shared in-memory SQLite connection.
            server.thread.terminate()
            call_command("flush", interactive=False, verbosity=0)


def _build_store() -> dict:
    from catalog.models import Category, ParameterDefinition, Part
    from customers import services as customer_services
    from orders.bom import reader
    from orders.bom import services as bom_services
    from orders.cart.services import CartOwner
    from orders.models import ShippingMethod
    from tests.catalog.factories_admin import SupplierOfferFactory
    from tests.customers.factories import AddressFactory, CustomerFactory
    from tests.factories import (
        ManufacturerFactory,
        PackagingOptionFactory,
        PartFactory,
        PriceBreakFactory,
        StockFactory,
    )
    from tests.orders.checkout_helpers import choices, fill_cart, place

    call_command("load_demo_catalog", parts=600, verbosity=0)
    call_command("load_demo_offers", verbosity=0)
    mlcc = Category.objects.get(path=MLCC)

    # A part with everything a part page can show, and an MPN and maker name that are long.
    long_part = PartFactory(
        mpn=LONG_MPN,
        manufacturer=ManufacturerFactory(name=LONG_MAKER, slug="murata-long"),
        category=mlcc,
        package="0603",
        description="100nF ±10% 50V X7R 0603 MLCC, automotive grade, AEC-Q200, soft termination",
        datasheet_url="https://www.murata.example/products/productdata/8796738650142/"
        "GRM188R71H104KA93-01A-SPECIAL-LONG-DATASHEET-NAME.pdf",
    )
    StockFactory(part=long_part, on_hand=1_250_000)
    SupplierOfferFactory(part=long_part, quantity=4_000_000, lead_days=7)
    cut_tape = PackagingOptionFactory(part=long_part)
    for quantity, price in ((1, "0.012300"), (100, "0.006100"), (1000, "0.003400"),
                            (10000, "0.002100"), (100000, "0.001650")):
        PriceBreakFactory(packaging=cut_tape, min_quantity=quantity, unit_price=Decimal(price))
    reel = PackagingOptionFactory(part=long_part, kind="reel", reel_quantity=4000)
    PriceBreakFactory(packaging=reel, min_quantity=4000, unit_price=Decimal("0.001900"))
    texts = {"capacitance": (1e-7, "100nF"), "voltage": (50.0, "50V"),
             "dielectric": (None, "X7R"), "tolerance": (10.0, "±10%"),
             "package": (None, "0603"), "operating-temperature": (None, "-55°C ~ 125°C")}
    for definition in ParameterDefinition.objects.filter(category=mlcc):
        si_value, text = texts.get(definition.key, (None, "—"))
        long_part.parameter_values.create(definition=definition, si_value=si_value, text=text)

    customer = CustomerFactory(email="procurement.department.shenzhen@acme-robotics-long.example")
    address = AddressFactory(
        user=customer, is_default=True,
        line1="Building 7, Shenzhen Bay Science and Technology Ecological Park, Nanshan District",
    )
    others = list(Part.objects.filter(category=mlcc, stock__on_hand__gt=0)[:4])
    method = ShippingMethod.objects.order_by("pk").first()
    fill_cart(customer, (long_part, 4000), *((p, 100) for p in others[:2]))
    order = place(customer, choices(address, method))
    for n, amount in enumerate(("500.00", "1200.00", "35.50")):
        customer_services.balance_credit(
            user=customer, amount=Decimal(amount), idempotency_key=f"width-{n}",
            note="Refund of order lines that could not be shipped within the promised lead time",
        )
    # The cart and checkout pages: the next purchase, not yet placed.
    fill_cart(customer, (long_part, 4000), *((p, 1000) for p in others))
    bom_lines = "\n".join(
        ["MPN,Manufacturer,Quantity,Designator"]
        + [f"{LONG_MPN},Murata,4000,C1 C2 C3 C4 C5 C6 C7 C8 C9 C10 C11 C12 C13 C14 C15"]
        + [f"{p.mpn},{p.manufacturer.name},250,C{n}" for n, p in enumerate(others, start=20)]
        + ["NOT-A-REAL-PART-NUMBER-AT-ALL-0000000000,Nobody,10,U1"]
    )
    bom = bom_services.bom_create(
        owner=CartOwner(customer=customer),
        table=reader.read_upload("bom.csv", bom_lines.encode()),
        mapping=None,
        settings=bom_services.BomSettings(),
    )
    part_url = long_part.get_absolute_url()
    return {
        "email": customer.email,
        "pages": {
            "home": reverse("home"),
            "category": f"/c/{MLCC}/",
            "part": part_url,
            "manufacturer": reverse("catalog:manufacturer", args=[long_part.manufacturer.slug]),
            "search": reverse("catalog:search") + "?q=100nF+50V+X7R",
            "cart": reverse("orders:cart"),
            "quote": reverse("orders:quote") + f"?part={long_part.pk}&qty=4000",
            "bom-upload": reverse("orders:bom"),
            "bom-matched": reverse("orders:bom-detail", args=[bom.pk]),
            "checkout": reverse("orders:checkout"),
            "account": reverse("customers:overview"),
            "orders": reverse("orders:order-list"),
            "order": reverse("orders:order-detail", args=[order.reference]),
            "balance": reverse("customers:balance"),
            "addresses": reverse("customers:addresses"),
            "messages": reverse("customers:messages"),
            "not-found": "/part/nobody/NO-SUCH-PART-ANYWHERE/",
            "404": "/no-such-page-at-all/",
        },
    }


def _sign_in(browser, url: str, email: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.customers.factories import PASSWORD

    browser.delete_all_cookies()
    browser.get(url + reverse("customers:login") + "?next=" + reverse("customers:overview"))
    browser.find_element(By.CSS_SELECTOR, "#id_username").send_keys(email)
    browser.find_element(By.CSS_SELECTOR, "#id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.current_url.split("?")[0].endswith(reverse("customers:overview"))
    )


PAGES = (
    "home", "category", "part", "manufacturer", "search", "cart", "quote", "bom-upload",
    "bom-matched", "checkout", "account", "orders", "order", "balance", "addresses",
    "messages", "not-found", "404",
)
CASES = (
    [pytest.param(name, PHONE, "en", id=f"{name}-390") for name in PAGES]
    + [pytest.param(name, LAPTOP, "en", id=f"{name}-1366") for name in PAGES]
    + [pytest.param(name, PHONE, "zh-hans", id=f"{name}-390-zh") for name in PAGES]
)


def _open(browser, store, name: str, size: tuple[int, int], language: str):
    browser.set_window_size(*size)
    browser.delete_cookie("django_language")
    browser.get(store["url"] + "/favicon.ico")
    browser.add_cookie({"name": "django_language", "value": language, "path": "/"})
    path = store["pages"][name]
    if language != "en":
        path = translate_url(path, language)
    browser.get(store["url"] + path)
    assert browser.execute_script("return window.innerWidth") == size[0]


@pytest.mark.parametrize(("name", "size", "language"), CASES)
def test_page_never_scrolls_sideways(browser, store, name, size, language):
    _open(browser, store, name, size, language)
    if os.environ.get("WIDTH_SCREENSHOTS"):  # a folder: keep what each case looked like
        folder = Path(os.environ["WIDTH_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(size[0], min(max(height, size[1]), 4000))
        browser.save_screenshot(str(folder / f"{name}-{size[0]}-{language}.png"))
        browser.set_window_size(*size)
    page_width, window_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_width <= window_width, (
        f"{store['pages'][name]} at {size[0]} px lays out {page_width} px wide "
        f"(window {window_width} px); widest: {browser.execute_script(OVERFLOWING_JS)}"
    )


@pytest.mark.parametrize("name", ["category", "search"])
def test_laptop_shows_every_column_of_the_parts_table(browser, store, name):
    _open(browser, store, name, LAPTOP, "en")
    table_width, box_width = browser.execute_script(
        "const box = document.querySelector('.table-scroll');"
        "return [box.scrollWidth, box.clientWidth]"
    )
    assert table_width <= box_width, (
        f"the parts table is {table_width} px wide in a {box_width} px box"
    )
    header = browser.find_element("css selector", ".part-table thead th:last-child")
    assert header.is_displayed() and header.text == "Volume price"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_phone_hides_category_filters_behind_a_button_that_opens_them(
    browser, store, language
):
    from selenium.webdriver.common.by import By

    _open(browser, store, "category", PHONE, language)
    toggle = browser.find_element(By.CSS_SELECTOR, ".filter-panel > summary")
    first_box = browser.find_element(By.CSS_SELECTOR, ".filters input[name$=_min]")
    assert toggle.is_displayed()
    assert toggle.get_attribute("aria-controls") or toggle.text
    assert not first_box.is_displayed()

    toggle.click()

    assert first_box.is_displayed()
    boxes = browser.find_elements(By.CSS_SELECTOR, ".filters input[name$=_min], "
                                                   ".filters input[name$=_max]")
    right_edge = max(browser.execute_script(
        "return arguments[0].getBoundingClientRect().right", box) for box in boxes)
    assert right_edge <= browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def test_laptop_shows_category_filters_without_a_button(browser, store):
    from selenium.webdriver.common.by import By

    _open(browser, store, "category", LAPTOP, "en")
    assert not browser.find_element(By.CSS_SELECTOR, ".filter-panel > summary").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".filters input[name$=_min]").is_displayed()

