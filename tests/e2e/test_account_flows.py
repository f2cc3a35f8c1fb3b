"""A customer signs up, signs in and out, keeps an address book, tops up, and finds coupons."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from customers import services
from customers.models import Address, TopUp, User
from promotions.services import coupon_issue
from tests.customers.factories import (
    PASSWORD,
    AddressFactory,
    CustomerFactory,
    TopUpBonusTierFactory,
)
from tests.promotions.factories import CouponDefinitionFactory, FirstOrderDefinitionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "ada@acme-robotics.example"
NEW_PASSWORD = "Ferrite-Bead-600R"


@pytest.fixture
def customer():
    return CustomerFactory(email="buyer@example.com")


def fill_registration(page, *, email=NEW_EMAIL, password=NEW_PASSWORD, company="Acme Robotics"):
    page.fill("#id_email", email)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.choose("#id_customer_type", "Purchaser")
    page.fill("#id_company_name", company)
    page.click_and_wait("form.form button[type=submit]")


def register_from_header(page, **fields):
    page.open("/")
    page.click_and_wait('.account-nav a[href="/account/register/"]')
    assert page.css("h1").text == "Create an account"
    fill_registration(page, **fields)


# --- signing up ---------------------------------------------------------------------------


def test_register_link_in_header_signs_up_and_says_to_check_the_email(page):
    register_from_header(page)

    page.wait_for_path("/account/register/done/")
    assert page.css("h1").text == "Check your email"
    assert NEW_EMAIL in page.text
    assert User.objects.get(email=NEW_EMAIL).profile.customer_type == "purchaser"

    page.sign_in(NEW_EMAIL, NEW_PASSWORD)
    assert page.css("h1").text == "Your account"
    assert f"{NEW_EMAIL} · Acme Robotics · Purchaser" in page.css(".account-main").text
    assert page.css(".account-nav").text.split() == ["Account", "Messages", "Sign", "out"]


def test_new_account_overview_shows_the_first_order_coupon(page):
    FirstOrderDefinitionFactory()

    register_from_header(page)
    page.wait_for_path("/account/register/done/")
    page.sign_in(NEW_EMAIL, NEW_PASSWORD)

    banner = page.css(".account-main .coupon-first-order")
    coupon = User.objects.get(email=NEW_EMAIL).coupons.get(is_first_order=True)
    assert "Your first-order coupon: 30.00" in banner.text
    assert banner.find_element("css selector", ".coupon-code").text == coupon.code
    assert "on orders from 200.00" in banner.text
    # Prominent: the first thing under the heading, above the balance tiles.
    first_block = page.css(".account-main > h1 ~ :not(p)")
    assert "coupon-first-order" in first_block.get_attribute("class")


def test_new_account_has_no_coupon_banner_without_a_first_order_coupon_configured(page):
    register_from_header(page)
    page.wait_for_path("/account/register/done/")
    page.sign_in(NEW_EMAIL, NEW_PASSWORD)

    assert page.all(".coupon-first-order") == []


def test_verification_email_link_confirms_the_address_and_removes_the_banner(page, mailoutbox):
    register_from_header(page)
    page.wait_for_path("/account/register/done/")
    page.sign_in(NEW_EMAIL, NEW_PASSWORD)
    assert "Please confirm your email address" in page.css(".notice-warn").text

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEW_EMAIL]
    link = next(word for word in message.body.split() if "/account/verify-email/" in word)
    # The email links to SITE_URL; open the same path on the live server.
    page.open(urlsplit(link).path)

    page.wait_for_path("/account/")
    assert "Thank you, your email address is confirmed." in page.text
    assert page.all(".notice-warn") == []
    assert User.objects.get(email=NEW_EMAIL).profile.email_verified


# --- signing up with bad input ------------------------------------------------------------


def test_registration_with_an_invalid_email_says_so_and_creates_no_user(page):
    register_from_header(page, email="ada.acme-robotics.example")

    assert page.path == "/account/register/"
    assert "Enter a valid email address, e.g. name@company.com." in page.css(".field-error").text
    assert User.objects.count() == 0


def test_registration_with_a_weak_password_says_so_and_creates_no_user(page):
    register_from_header(page, password="12345678")

    assert page.path == "/account/register/"
    errors = page.css(".field-error").text
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors
    assert User.objects.count() == 0


def test_registration_with_a_taken_email_answers_as_for_a_new_one(page, customer, mailoutbox):
    register_from_header(page, email="Buyer@Example.com")

    page.wait_for_path("/account/register/done/")
    assert page.css("h1").text == "Check your email"
    assert "already exists" not in page.text
    assert User.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[customer.email]]


# --- signing in and out -------------------------------------------------------------------


def test_sign_in_with_a_wrong_password_shows_an_error(page, customer):
    page.open("/")
    page.click_and_wait('.account-nav a[href="/account/login/"]')
    page.fill("#id_username", customer.email)
    page.fill("#id_password", "not-the-password")
    page.click_and_wait("form.form button[type=submit]")

    assert page.path.startswith("/account/login/")
    assert "That email and password don't match an account." in page.css(".form-errors").text
    assert "Sign in" in page.css(".account-nav").text


def test_sign_in_with_the_right_password_reaches_the_account(page, customer):
    page.open("/account/")
    page.wait_for_path("/account/login/")  # the account asks to sign in first
    page.fill("#id_username", customer.email)
    page.fill("#id_password", PASSWORD)
    page.click_and_wait("form.form button[type=submit]")

    page.wait_for_path("/account/")
    assert page.css("h1").text == "Your account"
    assert customer.email in page.css(".account-main").text


def test_sign_out_button_in_the_header_signs_out(page, customer):
    page.sign_in(customer.email, PASSWORD)

    page.click_and_wait(".account-nav form button[type=submit]")

    page.wait_for_path("/")
    assert page.css('.account-nav a[href="/account/login/"]').text == "Sign in"
    page.open("/account/")
    page.wait_for_path("/account/login/")


# --- address book -------------------------------------------------------------------------


def add_address(page, *, label, line1):
    page.click_and_wait('.account-main a[href="/account/addresses/new/"]')
    page.fill("#id_label", label)
    page.fill("#id_recipient", "Ada Lovelace")
    page.fill("#id_phone", "+86 755 8888 0000")
    page.fill("#id_line1", line1)
    page.fill("#id_city", "Shenzhen")
    page.click_and_wait("form.form button[type=submit]")
    page.wait_for_path("/account/addresses/")


def test_address_book_adds_two_addresses_and_makes_the_second_the_default(page, customer):
    page.sign_in(customer.email, PASSWORD)
    page.click_and_wait('.account-menu a[href="/account/addresses/"]')
    assert "No addresses yet." in page.text

    add_address(page, label="Lab", line1="1 Keji Road")
    add_address(page, label="Warehouse", line1="9 Gangwan Avenue")
    cards = page.all(".addresses .card")
    assert [c.find_element("css selector", ".card-title").text for c in cards] == [
        "Lab",
        "Warehouse",
    ]
    assert "Default" in cards[0].text and "Default" not in cards[1].text

    warehouse = cards[1]
    page.click_and_wait(warehouse.find_element("xpath", ".//button[text()='Make default']"))

    assert "Default address changed." in page.text
    cards = page.all(".addresses .card")
    defaults = [
        c.find_element("css selector", ".card-title").text for c in cards if "Default" in c.text
    ]
    assert defaults == ["Warehouse"]
    assert cards[0].find_elements("css selector", ".badge")[0].text == "Default"
    assert Address.objects.get(user=customer, is_default=True).label == "Warehouse"


def test_another_customers_address_in_the_url_is_not_found(page, customer):
    theirs = AddressFactory(user=CustomerFactory(email="rival@example.com"), label="Rival HQ")
    page.sign_in(customer.email, PASSWORD)

    page.open(f"/account/addresses/{theirs.pk}/edit/")

    assert "Page not found" in page.driver.title
    assert "Rival HQ" not in page.driver.page_source
    assert theirs.line1 not in page.driver.page_source


# --- top-ups ------------------------------------------------------------------------------


@pytest.fixture
def bonus_tiers():
    TopUpBonusTierFactory(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))
    TopUpBonusTierFactory(min_amount=Decimal("1000.00"), bonus=Decimal("200.00"))


def test_top_up_shows_the_bonus_then_the_bank_transfer_reference(page, customer, bonus_tiers):
    page.sign_in(customer.email, PASSWORD)
    page.click_and_wait('.account-menu a[href="/account/balance/"]')
    page.click_and_wait('.account-main a[href="/account/balance/top-up/"]')

    tiers = page.css(".bonus-tiers").text
    assert "Top up 300.00 CNY or more: +50.00 CNY" in tiers
    assert "Top up 1000.00 CNY or more: +200.00 CNY" in tiers
    page.fill("#id_amount", "1000")
    page.click_and_wait("form.form button[type=submit]")

    top_up = TopUp.objects.get(user=customer)
    page.wait_for_path(f"/account/balance/top-up/{top_up.reference}/")
    facts = page.css(".facts").text
    assert "Awaiting transfer" in facts
    assert "Amount\n1000.00 CNY" in facts
    assert "Bonus\n200.00 CNY" in facts
    assert "Credited on arrival\n1200.00 CNY" in facts
    bank = page.all(".facts")[1].text
    assert "Partline Electronics Co., Ltd." in bank
    assert "7420 0000 1234 5678 901" in bank
    assert f"Remark / reference\n{top_up.reference}" in bank


def test_staff_confirms_a_top_up_in_admin_and_balance_shows_amount_and_bonus(
    page, customer, bonus_tiers
):
    top_up = services.top_up_create(user=customer, amount=Decimal("1000.00"))
    staff = User.objects.create_superuser(email="ops@partline.example", password=PASSWORD)

    page.open("/admin/login/?next=/admin/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click_and_wait("#login-form input[type=submit]")
    page.open(f"/admin/customers/topup/{top_up.pk}/change/")
    page.fill("#provider_reference", "BOC-20250101-0042")
    page.click_and_wait("form.confirm-transfer button[type=submit]")
    assert f"{top_up.reference} confirmed: 1200.00 credited." in page.css(".messagelist").text

    page.driver.delete_all_cookies()
    page.sign_in(customer.email, PASSWORD)
    page.click_and_wait('.account-menu a[href="/account/balance/"]')

    assert page.css(".account-main .figure").text == "1200.00 CNY"
    rows = [row.text for row in page.all(".ledger tbody tr")]
    assert len(rows) == 2
    assert any(f"Top-up {top_up.reference} 1000.00" in row for row in rows)
    assert any(f"Top-up bonus {top_up.reference} 200.00" in row for row in rows)


# --- coupons ------------------------------------------------------------------------------


def test_coupons_page_lists_the_customers_coupons_with_the_first_order_coupon_on_top(
    page, customer
):
    other = coupon_issue(definition=CouponDefinitionFactory(name="Spring sale"), user=customer)
    first_order = coupon_issue(definition=FirstOrderDefinitionFactory(), user=customer)
    coupon_issue(
        definition=CouponDefinitionFactory(name="Someone else's"),
        user=CustomerFactory(email="rival@example.com"),
    )
    page.sign_in(customer.email, PASSWORD)

    page.click_and_wait('.account-menu a[href="/account/coupons/"]')

    assert page.css("h1").text == "Your coupons"
    coupons = page.all(".account-main .coupon")
    assert len(coupons) == 2
    assert "coupon-first-order" in coupons[0].get_attribute("class")
    assert first_order.code in coupons[0].text
    assert "Spring sale" in coupons[1].text and other.code in coupons[1].text
    assert "Someone else's" not in page.text
