"""The first-order coupon every new customer gets at sign-up."""

import pytest
from django.db import IntegrityError

from customers.models import CustomerType
from customers.services import customer_register
from promotions.models import Coupon
from promotions.selectors import first_order_coupon_for
from promotions.services import first_order_coupon_issue_on_register
from tests.promotions.factories import FirstOrderDefinitionFactory

pytestmark = pytest.mark.django_db


def register(email="new.buyer@acme.example"):
    return customer_register(
        email=email, password="Tantalum-47uF-16V", customer_type=CustomerType.values[0]
    )


def test_new_customer_gets_the_first_order_coupon_at_sign_up():
    definition = FirstOrderDefinitionFactory()

    user = register()

    coupon = Coupon.objects.get(user=user)
    assert (coupon.definition, coupon.is_first_order) == (definition, True)


def test_no_coupon_at_sign_up_when_none_is_configured():
    user = register()

    assert not Coupon.objects.filter(user=user).exists()


def test_inactive_first_order_definition_issues_nothing():
    FirstOrderDefinitionFactory(is_active=False)

    user = register()

    assert not Coupon.objects.filter(user=user).exists()


def test_hook_run_twice_issues_one_coupon(customer):
    FirstOrderDefinitionFactory()

    first = first_order_coupon_issue_on_register(user=customer)
    second = first_order_coupon_issue_on_register(user=customer)

    assert first == second
    assert Coupon.objects.filter(user=customer).count() == 1


def test_only_one_active_definition_can_be_the_first_order_coupon():
    FirstOrderDefinitionFactory()

    with pytest.raises(IntegrityError):
        FirstOrderDefinitionFactory()


def test_account_overview_selector_finds_the_unused_first_order_coupon(customer):
    FirstOrderDefinitionFactory()
    coupon = first_order_coupon_issue_on_register(user=customer)

    assert first_order_coupon_for(customer) == coupon



def test_account_overview_shows_the_first_order_coupon_prominently(client):
    FirstOrderDefinitionFactory()
    user = register()
    coupon = Coupon.objects.get(user=user)
    client.force_login(user)

    html = client.get("/account/", secure=True).content.decode()

    assert "first order" in html.lower()
    assert coupon.code in html
