"""The account's coupons page and the account-overview banner."""

from datetime import timedelta

import pytest
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.utils import timezone

from promotions.models import Coupon
from promotions.services import coupon_redeem, first_order_coupon_issue_on_register
from tests.promotions.factories import FirstOrderDefinitionFactory, issued, line

pytestmark = pytest.mark.django_db

URL = "/account/coupons/"


def test_coupons_page_needs_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302


def test_coupons_page_lists_only_own_coupons(client, customer, other_customer):
    mine = issued(user=customer)
    theirs = issued(user=other_customer)
    client.force_login(customer)

    body = client.get(URL).content.decode()

    assert mine.code in body
    assert theirs.code not in body


def test_first_order_coupon_is_highlighted_with_value_minimum_and_expiry(client, customer):
    FirstOrderDefinitionFactory()
    coupon = first_order_coupon_issue_on_register(user=customer)
    client.force_login(customer)

    body = client.get(URL).content.decode()

    banner = body[body.index("coupon-first-order") : body.index("coupons-available")]
    assert coupon.code in banner
    assert "30.00 CNY off" in banner
    assert "200.00" in banner
    assert "valid until" in banner


def test_used_and_expired_coupons_are_listed_under_their_state(client, customer):
    used = issued(user=customer)
    coupon_redeem(
        coupon_id=used.pk,
        user=customer,
        order_reference="SO-77",
        lines=[line("100")],
        is_first_order=False,
    )
    expired = issued(user=customer, valid_days=1)
    Coupon.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - timedelta(hours=1))
    client.force_login(customer)

    body = client.get(URL).content.decode()

    assert body.index("coupons-used") < body.index(used.code) < body.index("coupons-expired")
    assert body.index("coupons-expired") < body.index(expired.code)


def test_banner_include_renders_nothing_without_a_coupon():
    assert render_to_string("promotions/_first_order_banner.html", {"coupon": None}).strip() == ""


def test_coupons_page_queries_do_not_grow_with_the_number_of_coupons(
    client, customer, django_assert_max_num_queries
):
    for _ in range(12):
        issued(user=customer)
    client.force_login(customer)

    with django_assert_max_num_queries(6):
        client.get(URL)


def test_banner_tag_shows_the_customers_first_order_coupon(rf, customer):
    FirstOrderDefinitionFactory()
    coupon = first_order_coupon_issue_on_register(user=customer)
    request = rf.get("/account/")
    request.user = customer

    html = Template("{% load promotions %}{% first_order_banner %}").render(
        RequestContext(request, {})
    )

    assert coupon.code in html
