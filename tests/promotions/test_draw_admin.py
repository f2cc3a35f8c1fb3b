"""Staff set up lucky draws, leaderboards, segments and campaigns in the admin; odds that do
not add up to 100 % are refused and nothing is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from promotions.draw_models import DrawCampaign, DrawPrize
from tests.promotions.draw_helpers import campaign
from tests.promotions.factories import CouponDefinitionFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/promotions/drawcampaign/add/"


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser(email="ops@partline.example", password="x")
    client.force_login(staff)
    return client


def _form(definition, *, no_prize="70", probabilities=("20", "10"), published=False):
    now = timezone.localtime()
    data = {
        "name": "Summer draw",
        "slug": "summer",
        "description": "",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": "00:00:00",
        "ends_at_0": (now + timedelta(days=10)).strftime("%Y-%m-%d"),
        "ends_at_1": "00:00:00",
        "min_order_amount": "100.00",
        "step_amount": "",
        "max_draws_per_order": "5",
        "no_prize_probability": no_prize,
        "prizes-TOTAL_FORMS": str(len(probabilities)),
        "prizes-INITIAL_FORMS": "0",
        "prizes-MIN_NUM_FORMS": "0",
        "prizes-MAX_NUM_FORMS": "1000",
    }
    if published:
        data["is_published"] = "on"
    for i, probability in enumerate(probabilities):
        data |= {
            f"prizes-{i}-position": str(i),
            f"prizes-{i}-name": f"Prize {i}",
            f"prizes-{i}-kind": "coupon",
            f"prizes-{i}-coupon_definition": str(definition.pk),
            f"prizes-{i}-points": "",
            f"prizes-{i}-quantity": "10",
            f"prizes-{i}-probability": probability,
        }
    return data


def test_a_campaign_whose_odds_add_up_to_100_percent_is_saved(staff_client):
    answer = staff_client.post(ADD, _form(CouponDefinitionFactory()))

    assert answer.status_code == 302, answer.content.decode()[:2000]
    saved = DrawCampaign.objects.get()
    assert [p.ppm for p in saved.prizes.all()] == [200_000, 100_000]


def test_odds_that_do_not_add_up_to_100_percent_are_refused_and_nothing_is_saved(staff_client):
    answer = staff_client.post(ADD, _form(CouponDefinitionFactory(), no_prize="69.9999"))

    assert answer.status_code == 200
    assert "add up to 99.9999 %; they must add up to exactly 100 %" in answer.content.decode()
    assert DrawCampaign.objects.count() == 0
    assert DrawPrize.objects.count() == 0


def test_a_published_campaign_cannot_advertise_a_prize_at_zero_percent(staff_client):
    answer = staff_client.post(
        ADD,
        _form(CouponDefinitionFactory(), no_prize="80", probabilities=("20", "0"), published=True),
    )

    assert "cannot advertise a prize with 0 % probability: Prize 1" in answer.content.decode()
    assert DrawCampaign.objects.count() == 0


def test_a_coupon_prize_of_an_inactive_definition_is_refused(staff_client):
    answer = staff_client.post(ADD, _form(CouponDefinitionFactory(is_active=False)))

    assert "is not active" in answer.content.decode()
    assert DrawCampaign.objects.count() == 0


def test_the_change_page_shows_the_commitment_and_keeps_the_seed_secret(staff_client):
    c = campaign(prizes=[("A", "50", 3)])

    page = staff_client.get(f"/admin/promotions/drawcampaign/{c.pk}/change/").content.decode()

    assert c.seed_commitment in page
    assert c.seed not in page


def test_staff_screens_of_draws_leaderboards_segments_and_campaigns_open(staff_client):
    for model in ("drawcampaign", "draw", "leaderboard", "segment", "segmentcampaign"):
        assert staff_client.get(f"/admin/promotions/{model}/").status_code == 200
        if model != "draw":
            assert staff_client.get(f"/admin/promotions/{model}/add/").status_code == 200


def test_customers_cannot_open_the_draw_admin(client, customer):
    client.force_login(customer)

    answer = client.get("/admin/promotions/drawcampaign/")

    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]


def test_a_gift_prize_without_a_gift_is_refused(staff_client):
    data = _form(CouponDefinitionFactory(), probabilities=("30",))
    data |= {"prizes-0-kind": "gift", "prizes-0-coupon_definition": "", "prizes-0-gift": ""}

    answer = staff_client.post(ADD, data)

    assert "A gift prize needs a gift." in answer.content.decode()
    assert DrawCampaign.objects.count() == 0
