"""Operations' admin: issuing a definition to a list of customers, and the counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from promotions.models import Coupon
from promotions.services import coupon_redeem
from tests.promotions.factories import (
    CouponDefinitionFactory,
    FirstOrderDefinitionFactory,
    UserFactory,
    issued,
    line,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    client.force_login(staff)
    return client


def issue_url(definition):
    return f"/admin/promotions/coupondefinition/{definition.pk}/issue/"


def test_issue_form_issues_to_known_emails(staff_client):
    buyers = [UserFactory(email="a@acme.example"), UserFactory(email="b@acme.example")]
    definition = CouponDefinitionFactory()

    staff_client.post(issue_url(definition), {"emails": "a@acme.example, B@acme.example"})

    assert set(Coupon.objects.values_list("user_id", flat=True)) == {u.pk for u in buyers}


def test_issue_form_reports_unknown_emails(staff_client):
    UserFactory(email="a@acme.example")
    definition = CouponDefinitionFactory()

    response = staff_client.post(
        issue_url(definition), {"emails": "a@acme.example\nghost@acme.example"}, follow=True
    )

    assert "ghost@acme.example" in response.content.decode()
    assert Coupon.objects.count() == 1


def test_issue_form_is_staff_only(client, customer):
    client.force_login(customer)

    response = client.get(issue_url(CouponDefinitionFactory()))

    assert response.status_code == 302


def test_definition_list_shows_issued_and_used_counts(staff_client, customer):
    definition = CouponDefinitionFactory(name="Spring sale")
    used = issued(definition, customer)
    issued(definition)
    coupon_redeem(
        coupon_id=used.pk,
        user=customer,
        order_reference="SO-9",
        lines=[line("50")],
        is_first_order=False,
    )

    response = staff_client.get("/admin/promotions/coupondefinition/")

    row = next(r for r in response.context["cl"].result_list if r.pk == definition.pk)
    assert (row.issued, row.used) == (2, 1)


def test_coupon_search_by_customer_email(staff_client, customer):
    coupon = issued(user=customer)
    issued()

    response = staff_client.get("/admin/promotions/coupon/", {"q": customer.email})

    assert [c.pk for c in response.context["cl"].result_list] == [coupon.pk]


def test_extending_an_expired_coupon_makes_it_available_again(staff_client, customer):
    coupon = issued(user=customer, valid_days=1)
    Coupon.objects.filter(pk=coupon.pk).update(
        state="expired", valid_until=timezone.now() - timedelta(days=1)
    )
    until = timezone.localtime() + timedelta(days=30)

    staff_client.post(
        f"/admin/promotions/coupon/{coupon.pk}/change/",
        {
            "valid_from_0": "",
            "valid_from_1": "",
            "valid_until_0": until.strftime("%Y-%m-%d"),
            "valid_until_1": "12:00:00",
            "redemptions-TOTAL_FORMS": "0",
            "redemptions-INITIAL_FORMS": "0",
        },
    )

    coupon.refresh_from_db()
    assert coupon.state == "available"


@pytest.mark.parametrize(
    "page",
    [
        "/admin/promotions/coupondefinition/",
        "/admin/promotions/coupondefinition/add/",
        "/admin/promotions/coupondefinition/{definition}/change/",
        "/admin/promotions/coupondefinition/{definition}/issue/",
        "/admin/promotions/coupon/",
        "/admin/promotions/coupon/{coupon}/change/",
    ],
)
def test_operations_pages_open(staff_client, customer, page):
    coupon = issued(user=customer)

    response = staff_client.get(page.format(definition=coupon.definition_id, coupon=coupon.pk))

    assert response.status_code == 200


def test_admin_refuses_a_second_active_first_order_definition(staff_client):
    FirstOrderDefinitionFactory()

    response = staff_client.post(
        "/admin/promotions/coupondefinition/add/",
        {
            "name": "Another welcome",
            "is_active": "on",
            "kind": "fixed",
            "amount": "10.00",
            "minimum_spend": "0",
            "scope": "all",
            "valid_days": "30",
            "first_order_only": "on",
            "is_first_order_coupon": "on",
        },
    )

    assert "already the first-order coupon" in response.content.decode()
