"""Segments from orders and behaviour, previewed in the admin, and campaigns that give a
segment a coupon and a message once per customer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import CustomerProfile, Notification, NotificationKind
from promotions import segments
from promotions.models import Coupon, CouponState
from promotions.segment_models import (
    CampaignDelivery,
    CampaignStatus,
    Segment,
    SegmentCampaign,
    SegmentRule,
)
from promotions.services import coupon_issue
from tests.customers.factories import CustomerFactory
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory
from tests.promotions.draw_helpers import order_row
from tests.promotions.factories import CouponDefinitionFactory, FirstOrderDefinitionFactory

pytestmark = pytest.mark.django_db


def members(**fields):
    return set(segments.segment_customers(Segment.objects.create(name="s", **fields)))


def test_registered_without_a_paid_order():
    newcomer, buyer, unpaid = CustomerFactory(), CustomerFactory(), CustomerFactory()
    order_row(buyer, "50.00")
    order_row(unpaid, "50.00", status="awaiting_payment")

    assert members(rule=SegmentRule.REGISTERED_NO_ORDER) == {newcomer, unpaid}


def test_sample_buyers_have_only_orders_under_the_amount_and_volume_buyers_paid_over_it():
    sampler, volume = CustomerFactory(), CustomerFactory()
    order_row(sampler, "30.00")
    order_row(sampler, "80.00")
    order_row(volume, "30.00")
    order_row(volume, "6000.00")

    assert members(rule=SegmentRule.SAMPLE_BUYERS, amount=Decimal("100")) == {sampler}
    assert members(rule=SegmentRule.VOLUME_BUYERS, amount=Decimal("5000")) == {volume}


def test_dormant_customers_have_not_paid_an_order_for_90_days():
    sleeper, regular = CustomerFactory(), CustomerFactory()
    long_ago = timezone.now() - timedelta(days=120)
    order_row(sleeper, "50.00", paid_at=long_ago)
    order_row(regular, "50.00", paid_at=long_ago)
    order_row(regular, "50.00", paid_at=timezone.now() - timedelta(days=10))

    assert members(rule=SegmentRule.DORMANT, days=90) == {sleeper}


def test_buyers_of_a_category_include_its_subcategories_and_of_a_manufacturer():
    passives = CategoryFactory(name="Passives", slug="passives")
    resistors = CategoryFactory(name="Resistors", slug="resistors", parent=passives)
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    resistor = PartFactory(category=resistors, manufacturer=yageo)
    other = PartFactory()
    r_buyer, other_buyer = CustomerFactory(), CustomerFactory()
    order_row(r_buyer, "10.00", part=resistor)
    order_row(other_buyer, "10.00", part=other)

    assert members(rule=SegmentRule.CATEGORY_BUYERS, category=passives) == {r_buyer}
    assert members(rule=SegmentRule.MANUFACTURER_BUYERS, manufacturer=yageo) == {r_buyer}


def test_first_order_coupon_used_but_no_second_order():
    definition = FirstOrderDefinitionFactory()
    once, twice = CustomerFactory(), CustomerFactory()
    for buyer, orders in ((once, 1), (twice, 2)):
        coupon = coupon_issue(definition=definition, user=buyer)
        Coupon.objects.filter(pk=coupon.pk).update(
            state=CouponState.USED, used_at=timezone.now(), order_reference="SO-X"
        )
        for _ in range(orders):
            order_row(buyer, "250.00")

    assert members(rule=SegmentRule.FIRST_COUPON_NO_SECOND) == {once}


def test_staff_are_never_in_a_segment():
    CustomerFactory(is_staff=True)

    assert members(rule=SegmentRule.REGISTERED_NO_ORDER) == set()


def test_the_admin_previews_the_count_and_example_customers(client, django_user_model):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    CustomerFactory(email="newcomer1@example.com")
    CustomerFactory(email="newcomer2@example.com")
    segment = Segment.objects.create(name="New", rule=SegmentRule.REGISTERED_NO_ORDER)
    client.force_login(staff)

    page = client.get(f"/admin/promotions/segment/{segment.pk}/change/").content.decode()

    assert '<strong class="segment-count">2</strong> customer(s)' in page
    assert "newcomer1@example.com" in page


def test_a_segment_missing_its_amount_is_refused_in_the_admin(client, django_user_model):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    client.force_login(staff)

    answer = client.post(
        "/admin/promotions/segment/add/",
        {"name": "Samplers", "rule": SegmentRule.SAMPLE_BUYERS, "amount": "", "days": "90"},
    )

    assert "Sample and volume buyers need an amount above zero." in answer.content.decode()
    assert Segment.objects.count() == 0


@pytest.fixture
def campaign_to_newcomers(db):
    segment = Segment.objects.create(name="New", rule=SegmentRule.REGISTERED_NO_ORDER)
    return SegmentCampaign.objects.create(
        name="Welcome back",
        segment=segment,
        coupon_definition=CouponDefinitionFactory(name="20 off your first order"),
        title="20 off for you",
        message="Your first order is on us (nearly).",
    )


def test_a_campaign_gives_each_customer_one_coupon_and_one_message_however_often_it_runs(
    campaign_to_newcomers,
):
    buyers = [CustomerFactory() for _ in range(3)]

    first = segments.segment_campaign_send(campaign_id=campaign_to_newcomers.pk)
    second = segments.segment_campaign_send(campaign_id=campaign_to_newcomers.pk)

    assert (first, second) == (3, 0)
    assert sorted(Coupon.objects.values_list("user_id", flat=True)) == sorted(
        b.pk for b in buyers
    )
    notes = Notification.objects.filter(kind=NotificationKind.CAMPAIGN)
    assert notes.count() == 3
    assert notes.first().subject == "20 off for you"
    campaign_to_newcomers.refresh_from_db()
    assert (campaign_to_newcomers.done, campaign_to_newcomers.total) == (3, 3)
    assert campaign_to_newcomers.status == CampaignStatus.SENT


def test_a_customer_who_turned_off_promotions_gets_the_coupon_but_no_message(
    campaign_to_newcomers,
):
    quiet = CustomerFactory()
    CustomerProfile.objects.filter(user=quiet).update(marketing_messages=False)

    segments.segment_campaign_send(campaign_id=campaign_to_newcomers.pk)

    assert Coupon.objects.filter(user=quiet).count() == 1
    assert not Notification.objects.filter(customer=quiet).exists()


def test_sending_from_the_admin_runs_the_job_and_shows_progress(
    client, django_user_model, campaign_to_newcomers, django_capture_on_commit_callbacks
):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    CustomerFactory()
    CustomerFactory()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/promotions/segmentcampaign/",
            {"action": "send", "_selected_action": [campaign_to_newcomers.pk]},
        )
    page = client.get("/admin/promotions/segmentcampaign/").content.decode()

    assert CampaignDelivery.objects.count() == 2
    assert "2 / 2" in page


def test_a_campaign_with_an_inactive_coupon_is_refused_and_sends_nothing(
    client, django_user_model, campaign_to_newcomers
):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    CustomerFactory()
    campaign_to_newcomers.coupon_definition.is_active = False
    campaign_to_newcomers.coupon_definition.save()
    client.force_login(staff)

    answer = client.post(
        "/admin/promotions/segmentcampaign/",
        {"action": "send", "_selected_action": [campaign_to_newcomers.pk]},
        follow=True,
    )

    assert "is not active" in answer.content.decode()
    assert CampaignDelivery.objects.count() == 0
    campaign_to_newcomers.refresh_from_db()
    assert campaign_to_newcomers.status == CampaignStatus.DRAFT
