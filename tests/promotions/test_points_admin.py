"""Staff screens of points and gifts: open for staff, refused to customers; gifts that ship
on their own are listed and marked shipped there."""

import pytest
from django.urls import reverse

from promotions import gifts
from promotions.models import GiftEntitlementState, GiftSource
from tests.promotions.factories import UserFactory
from tests.promotions.gift_factories import CouponItemFactory, GiftFactory, GiftItemFactory

pytestmark = pytest.mark.django_db

SCREENS = [
    "promotions_gift",
    "promotions_giftentitlement",
    "promotions_thresholdgift",
    "promotions_pointsmultiplier",
    "promotions_pointsfirstorderbonus",
    "promotions_pointscampaign",
    "promotions_pointsshopitem",
    "promotions_pointsshopredemption",
]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("screen", SCREENS)
def test_staff_open_each_points_and_gifts_screen(staff_client, screen):
    CouponItemFactory()
    GiftItemFactory()

    assert staff_client.get(reverse(f"admin:{screen}_changelist")).status_code == 200


@pytest.mark.parametrize("screen", SCREENS)
def test_customers_are_refused_the_staff_screens(client, customer, screen):
    client.force_login(customer)

    answer = client.get(reverse(f"admin:{screen}_changelist"))

    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_staff_list_gifts_to_send_alone_and_mark_them_shipped(staff_client, customer):
    alone = gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(name="Solder sampler"),
        source=GiftSource.POINTS_SHOP,
        source_key="shop:1",
        ship_alone=True,
    )
    url = reverse("admin:promotions_giftentitlement_changelist")

    listing = staff_client.get(url, {"ship_alone__exact": "1", "state__exact": "pending"})
    staff_client.post(url, {"action": "mark_shipped", "_selected_action": [alone.pk]})

    assert "Solder sampler" in listing.content.decode()
    alone.refresh_from_db()
    assert alone.state == GiftEntitlementState.SHIPPED
