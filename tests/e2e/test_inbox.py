"""The inbox in Chromium on a phone: a customer sees the unread count in the header, reads
a long message without sideways scrolling, and the count goes."""

import pytest

from customers.models import NotificationKind
from customers.notifications import notify
from tests.customers.factories import PASSWORD, CustomerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


def fits(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_a_customer_reads_a_message_on_a_phone_and_the_unread_count_goes(page, browser):
    customer = CustomerFactory(email="ada@acme-robotics.example")
    notify(
        customer=customer,
        kind=NotificationKind.CAMPAIGN,
        dedup_key="campaign:reels",
        context={
            "title": "Full reels of GRM188R71H104KA93D-AND-A-VERY-LONG-MPN-WITHOUT-SPACES at cost",
            "message": "https://partline.example/part/murata/" + "X" * 120,
        },
        link="/account/coupons/",
    )
    browser.set_window_size(*PHONE)
    try:
        page.sign_in(customer.email, PASSWORD, next_path="/account/messages/")
        assert page.css(".unread-count").text == "1"
        assert fits(browser), "the inbox scrolls sideways"

        page.click_and_wait(page.css(".inbox-item a"))

        assert "/account/messages/" in page.path
        assert fits(browser), "the message scrolls sideways"
        assert not page.all(".unread-count")
        assert page.css(".message-body").is_displayed()
    finally:
        browser.set_window_size(1280, 900)
