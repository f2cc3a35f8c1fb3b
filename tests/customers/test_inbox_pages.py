"""The account's inbox: list with unread ones marked, opening one marks it read, mark all
read, pages of 20, another customer's message is not found, the header's unread count, and
the setting that turns promotions off."""

import pytest
from django.urls import reverse

from customers.models import CustomerProfile, Notification, NotificationKind
from customers.notifications import notify
from customers.views_messages import INBOX_PAGE_SIZE

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def tell(customer, n=1, kind=NotificationKind.CAMPAIGN, link="/account/orders/SO-1/"):
    return notify(
        customer=customer,
        kind=kind,
        dedup_key=f"test:{n}",
        context={"title": f"Reel offer {n}", "message": f"Offer number {n} & more"},
        link=link,
    )


def test_the_inbox_lists_messages_with_the_unread_ones_marked(signed_in, customer):
    read = tell(customer, 1)
    tell(customer, 2)
    read.read_at = read.created_at
    read.save()

    html = signed_in.get(reverse("customers:messages")).content.decode()

    assert "Reel offer 1" in html and "Reel offer 2" in html
    assert html.count('class="inbox-item unread"') == 1


def test_opening_a_message_marks_it_read_and_shows_its_link(signed_in, customer):
    message = tell(customer)

    response = signed_in.get(reverse("customers:message-detail", args=[message.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Offer number 1 &amp; more" in html
    assert 'href="/account/orders/SO-1/"' in html
    message.refresh_from_db()
    assert message.read_at is not None


def test_a_link_to_another_site_is_not_shown(signed_in, customer):
    message = tell(customer, link="//evil.example/phish")

    html = signed_in.get(reverse("customers:message-detail", args=[message.pk])).content.decode()

    assert 'href="//evil.example' not in html


def test_another_customers_message_is_not_found_and_stays_unread(client, customer):
    message = tell(customer)
    client.force_login(CustomerFactory())

    response = client.get(reverse("customers:message-detail", args=[message.pk]))

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read_clears_the_unread_count(signed_in, customer):
    tell(customer, 1)
    tell(customer, 2)

    response = signed_in.post(reverse("customers:messages-read-all"), follow=True)

    assert "2 message(s) marked read." in response.content.decode()
    assert not Notification.objects.filter(customer=customer, read_at__isnull=True).exists()


def test_mark_all_read_leaves_another_customers_messages_unread(signed_in, customer):
    other = tell(CustomerFactory(), 1)

    signed_in.post(reverse("customers:messages-read-all"))

    other.refresh_from_db()
    assert other.read_at is None


def test_the_inbox_is_paginated(signed_in, customer):
    for n in range(INBOX_PAGE_SIZE + 1):
        tell(customer, n)

    first = signed_in.get(reverse("customers:messages")).content.decode()
    second = signed_in.get(reverse("customers:messages") + "?page=2").content.decode()

    assert first.count('class="inbox-item') == INBOX_PAGE_SIZE
    assert second.count('class="inbox-item') == 1 and "Reel offer 0" in second


def test_the_header_shows_the_unread_count_to_a_signed_in_customer(signed_in, customer):
    tell(customer, 1)
    tell(customer, 2)

    html = signed_in.get("/").content.decode()

    assert '<span class="cart-count unread-count" aria-label="2 unread">2</span>' in html


def test_the_header_shows_no_count_when_everything_is_read(signed_in, customer):
    html = signed_in.get("/").content.decode()

    assert "unread-count" not in html and 'href="/account/messages/"' in html


def test_an_anonymous_page_reads_no_messages(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    assert not [q for q in queries.captured_queries if "customers_notification" in q["sql"]]


def test_the_header_count_is_read_with_the_signed_in_user_not_by_another_query(
    signed_in, customer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tell(customer)
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get("/").status_code == 200

    reads = [q["sql"] for q in queries.captured_queries if "customers_notification" in q["sql"]]
    assert len(reads) == 1 and 'FROM "customers_user"' in reads[0]


def test_opening_the_last_unread_message_clears_the_header_count(signed_in, customer):
    message = tell(customer)

    html = signed_in.get(reverse("customers:message-detail", args=[message.pk])).content.decode()

    assert "unread-count" not in html


def test_a_customer_turns_promotions_off_and_gets_none(signed_in, customer):
    response = signed_in.post(reverse("customers:message-settings"), {}, follow=True)

    assert "Promotions are off" in response.content.decode()
    assert CustomerProfile.objects.get(user=customer).marketing_messages is False
    assert tell(customer) is None
    assert notify(
        customer=customer,
        kind=NotificationKind.ORDER_PAID,
        dedup_key="order-paid:SO-1",
        context={"order": {"reference": "SO-1", "total": "1.00", "currency": "CNY"}},
    )


def test_a_customer_turns_promotions_back_on(signed_in, customer):
    CustomerProfile.objects.filter(user=customer).update(marketing_messages=False)

    signed_in.post(reverse("customers:message-settings"), {"marketing_messages": "on"})

    assert CustomerProfile.objects.get(user=customer).marketing_messages is True


def test_the_inbox_needs_signing_in(client):
    response = client.get(reverse("customers:messages"))

    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_session_signed_in_before_the_count_backend_still_shows_the_count(client, customer):
    client.force_login(customer, backend="django.contrib.auth.backends.ModelBackend")
    tell(customer)

    html = client.get("/").content.decode()

    assert 'aria-label="1 unread">1</span>' in html
