"""A customer types into the header search box: a part number, a value, an unknown number."""

import pytest

from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    ParameterDefinitionFactory,
    PartFactory,
    StockFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resistors():
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    resistance = ParameterDefinitionFactory(category=chip, is_key=True)
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    parts = {}
    for ohms, code, package in ((1e4, "10K", "0603"), (1e4, "10K", "0402"), (4.7e4, "47K", "0603")):
        mpn = f"RC{package}FR-07{code}L"
        part = PartFactory(mpn=mpn, manufacturer=yageo, category=chip, package=package)
        StockFactory(part=part, on_hand=5000)
        part.parameter_values.create(definition=resistance, si_value=ohms, text=code.lower() + "Ω")
        parts[mpn] = part
    return parts


def search_from_header(page, text):
    page.open("/")
    page.fill("header form.search #q", text)
    page.click_and_wait("header form.search button[type=submit]")


def test_part_number_in_any_spelling_goes_straight_to_the_part(page, resistors):
    search_from_header(page, "rc0603fr0710kl")

    page.wait_for_path("/part/yageo/RC0603FR-0710KL/")
    assert page.css("h1").text == "RC0603FR-0710KL"


def test_value_query_shows_a_results_table_with_chips(page, resistors):
    search_from_header(page, "10k 0603")

    page.wait_for_url("/search/?q=10k+0603")
    assert page.css("h1").text == "Results for “10k 0603”"
    chips = [chip.text.rstrip("×").strip() for chip in page.all(".query-chips li")]
    assert chips == ["Resistance = 10kΩ", "Package: 0603"]
    rows = page.all(".part-table tbody tr")
    assert [row.find_element("css selector", "a").text for row in rows] == ["RC0603FR-0710KL"]


def test_search_page_keeps_the_query_in_the_header_search_box(page, resistors):
    search_from_header(page, "10k 0603")

    page.wait_for_url("/search/?q=")
    assert page.css("header form.search #q").get_attribute("value") == "10k 0603"


def test_unknown_part_number_says_no_parts_match_on_a_normal_page(page, resistors):
    search_from_header(page, "ZZX9999QQ")

    page.wait_for_url("/search/?q=ZZX9999QQ")
    assert "No parts match “ZZX9999QQ”." in page.css("main .notice").text
    assert page.all(".part-table") == []
    assert page.css("header form.search").is_displayed()
    assert page.css("footer.site-footer").is_displayed()
    assert page.css('.account-nav a[href^="/account/login/"]').is_displayed()


def test_typing_into_the_header_box_on_a_category_page_searches_for_what_was_typed(page, resistors):
    page.open("/c/chip-resistors/")
    assert page.css("h1").text == "Chip Resistors"
    box = page.css("header form.search #q")
    assert box.get_attribute("value") == ""

    box.send_keys("rc0603fr0710kl")  # typed, not cleared first, as a person does
    page.click_and_wait("header form.search button[type=submit]")

    page.wait_for_path("/part/yageo/RC0603FR-0710KL/")


def _wait(predicate, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_suggestions_appear_as_a_listbox_and_the_keyboard_opens_one(page, resistors):
    from selenium.webdriver.common.keys import Keys

    page.open("/")
    box = page.css("header form.search #q")
    box.send_keys("rc0603")

    _wait(lambda: box.get_attribute("aria-expanded") == "true")
    options = page.all("#q-suggestions [role=option]")
    assert [o.find_element("css selector", ".suggestion-name").text for o in options[:2]] == [
        "RC0603FR-0710KL",
        "RC0603FR-0747KL",
    ]
    assert "suggestions" in page.css("#q-status").get_attribute("textContent")

    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")

    box.send_keys(Keys.ENTER)
    page.wait_for_path("/part/yageo/RC0603FR-0710KL/")


def test_escape_closes_the_suggestions_and_enter_then_searches_for_what_was_typed(
    page, resistors
):
    from selenium.webdriver.common.keys import Keys

    page.open("/")
    box = page.css("header form.search #q")
    box.send_keys("chip")
    _wait(lambda: box.get_attribute("aria-expanded") == "true")
    assert "Chip Resistors" in page.css("#q-suggestions").text

    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert not page.css("#q-suggestions").is_displayed()
    box.send_keys(Keys.ENTER)
    page.wait_for_url("/search/?q=chip")
