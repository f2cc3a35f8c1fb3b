"""Issuing coupons: codes, validity, and the admin's issue-to-a-list."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from promotions.errors import CouponIssueError
from promotions.models import Coupon, CouponState
from promotions.services import (
    CODE_ALPHABET,
    coupon_issue,
    coupons_expire,
    coupons_issue_bulk,
    coupons_issue_to_emails,
)
from tests.promotions.factories import CouponDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_issued_code_is_ten_unambiguous_characters(customer):
    coupon = coupon_issue(definition=CouponDefinitionFactory(), user=customer)

    assert len(coupon.code) == 10
    assert set(coupon.code) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_coupon_valid_n_days_counts_from_issue(customer):
    coupon = coupon_issue(definition=CouponDefinitionFactory(valid_days=30), user=customer)

    assert coupon.valid_until - coupon.valid_from == timedelta(days=30)
    assert abs(coupon.valid_from - timezone.now()) < timedelta(minutes=1)


def test_coupon_copies_fixed_validity_dates(customer):
    until = timezone.now() + timedelta(days=10)
    coupon = coupon_issue(definition=CouponDefinitionFactory(valid_until=until), user=customer)

    assert coupon.valid_until == until


def test_inactive_definition_cannot_be_issued(customer):
    with pytest.raises(CouponIssueError):
        coupon_issue(definition=CouponDefinitionFactory(is_active=False), user=customer)


def test_codes_are_unique_in_the_database(customer):
    coupon = coupon_issue(definition=CouponDefinitionFactory(), user=customer)

    with pytest.raises(IntegrityError):
        Coupon.objects.create(definition=coupon.definition, user=customer, code=coupon.code)


def test_bulk_issue_gives_each_customer_one_coupon():
    users = UserFactory.create_batch(3)

    count = coupons_issue_bulk(definition=CouponDefinitionFactory(), users=users, issued_by=None)

    assert count == 3
    assert sorted(Coupon.objects.values_list("user_id", flat=True)) == sorted(u.pk for u in users)


def test_issue_to_emails_reports_unknown_emails_and_issues_to_the_rest():
    known = UserFactory(email="buyer@acme.example")
    definition = CouponDefinitionFactory()

    result = coupons_issue_to_emails(
        definition=definition, emails=["Buyer@Acme.example", "nobody@acme.example"]
    )

    assert result.issued == 1
    assert result.unknown_emails == ["nobody@acme.example"]
    assert list(Coupon.objects.values_list("user_id", flat=True)) == [known.pk]


def test_beat_job_marks_coupons_past_validity_expired(customer):
    coupon = coupon_issue(definition=CouponDefinitionFactory(valid_days=1), user=customer)
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now() - timedelta(minutes=1))

    coupons_expire()

    coupon.refresh_from_db()
    assert coupon.state == CouponState.EXPIRED


def test_database_refuses_a_fixed_coupon_without_an_amount():
    with pytest.raises(IntegrityError):
        CouponDefinitionFactory(amount=None)
