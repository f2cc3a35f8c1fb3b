"""The customer's draws in the account and through the API, and the public campaign page."""

import pytest

from promotions.draw_models import Draw, DrawState
from promotions.models import Coupon
from tests.promotions.draw_helpers import campaign, earn, end, one_draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def test_the_account_lists_draws_ready_to_draw(signed_in, customer):
    campaign(name="Spring lucky draw")
    draw = one_draw(customer)

    page = signed_in.get("/account/draws/").content.decode()

    assert draw.public_id in page
    assert f"/account/draws/{draw.public_id}/play/" in page


def test_drawing_from_the_account_shows_the_coupon_won(signed_in, customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)

    answer = signed_in.post(f"/account/draws/{draw.public_id}/play/", follow=True)

    coupon = Coupon.objects.get(user=customer)
    page = answer.content.decode()
    assert "You won 10 off!" in page
    assert coupon.code in page


def test_drawing_a_withdrawn_draw_says_why_and_changes_nothing(signed_in, customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)
    Draw.objects.filter(pk=draw.pk).update(state=DrawState.WITHDRAWN)

    answer = signed_in.post(f"/account/draws/{draw.public_id}/play/", follow=True)

    assert "withdrawn: its order was refunded" in answer.content.decode()
    assert Coupon.objects.count() == 0


def test_another_customers_draw_is_not_found_in_the_account(client, customer, other_customer):
    campaign()
    draw = one_draw(customer)
    client.force_login(other_customer)

    assert client.get(f"/account/draws/{draw.public_id}/").status_code == 404
    assert client.post(f"/account/draws/{draw.public_id}/play/").status_code == 404
    draw.refresh_from_db()
    assert draw.state == DrawState.AVAILABLE


def test_the_api_lists_and_draws_the_callers_draws(signed_in, customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)

    listed = signed_in.get("/api/v1/account/draws/").json()
    played = signed_in.post(f"/api/v1/account/draws/{draw.public_id}/play/").json()

    assert [d["public_id"] for d in listed["results"]] == [draw.public_id]
    assert played["state"] == "drawn"
    assert played["coupon"] == Coupon.objects.get(user=customer).code


def test_the_api_refuses_a_draw_of_an_ended_campaign_in_the_error_format(signed_in, customer):
    c = campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)
    end(c)

    answer = signed_in.post(f"/api/v1/account/draws/{draw.public_id}/play/")

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "draw_unavailable"
    assert "ended" in answer.json()["error"]["message"]


def test_the_api_answers_another_customers_draw_with_404(client, customer, other_customer):
    campaign()
    draw = one_draw(customer)
    client.force_login(other_customer)

    answer = client.post(f"/api/v1/account/draws/{draw.public_id}/play/")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_the_public_page_publishes_rules_odds_and_prizes_left(client, customer):
    c = campaign(prizes=[("Soldering station", "0.5", 2), ("10 off", "19.5", 100)], no_prize="80")
    earn(customer)

    page = client.get(f"/draws/{c.slug}/").content.decode()
    api = client.get(f"/api/v1/draws/{c.slug}/").json()

    assert "Soldering station" in page and "2 / 2" in page
    assert "5000 ppm · 0.5 %" in page
    assert "800000 ppm · 80 %" in page
    assert api["no_prize_ppm"] == 800_000
    assert api["prizes"][0]["remaining"] == 2
    assert api["seed_sha256"] == c.seed_commitment and api["seed"] is None


def test_an_unpublished_campaign_has_no_public_page(client):
    c = campaign(is_published=False)

    assert client.get(f"/draws/{c.slug}/").status_code == 404
    assert client.get(f"/api/v1/draws/{c.slug}/").status_code == 404


def test_visitors_are_asked_to_sign_in_to_see_draws(client):
    answer = client.get("/account/draws/")

    assert answer.status_code == 302
    assert "/account/login/" in answer["Location"]
