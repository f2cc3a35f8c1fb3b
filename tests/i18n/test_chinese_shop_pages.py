"""The home, developers and VAT pages, the sandbox cashier, the BOM columns and quote pages,
coupons, lucky draws, the points shop and leaderboards, served in Chinese.

Each page is fetched whole under /zh-hans/ with the data that makes it show all of its
content, and checked for English interface words (tests.i18n.english). Names that staff
type (campaigns, prizes, gifts, shop items) and part data are shown as entered.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone, translation

from customers.models import Notification, TopUpBonusTier
from orders.cart.services import CartOwner
from orders.models import PaymentMethod
from promotions import draws
from promotions.coupon_reminders import coupons_remind_expiring
from promotions.draw_models import Draw, PrizeKind
from promotions.errors import CouponNotApplicable
from promotions.leaderboard_models import Leaderboard, LeaderboardPrize
from promotions.models import Coupon, ThresholdGift
from promotions.services import coupon_check, coupon_redeem, first_order_coupon_issue_on_register
from tests.customers.factories import CustomerFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)
from tests.i18n.english import english_ui_strings
from tests.orders.bom_helpers import make_bom
from tests.orders.payments_helpers import place_order
from tests.promotions.draw_helpers import campaign, earn, end, order_row
from tests.promotions.factories import (
    CouponDefinitionFactory,
    FirstOrderDefinitionFactory,
    PercentDefinitionFactory,
    issued,
    line,
)
from tests.promotions.gift_factories import (
    CouponItemFactory,
    GiftFactory,
    GiftItemFactory,
    give_points,
)

pytestmark = pytest.mark.django_db

CHINESE = "/zh-hans"


@pytest.fixture
def customer(db):
    return CustomerFactory(email="caigou@example.cn", first_name="伟", last_name="李")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def resistor(db):
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=CategoryFactory(name="Chip Resistors", name_zh="贴片电阻", slug="chip-resistors"),
        moq=10,
        order_multiple=10,
    )
    StockFactory(part=part, on_hand=42000)
    cut_tape = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=cut_tape, min_quantity=10, unit_price=Decimal("0.0120"))
    PriceBreakFactory(packaging=cut_tape, min_quantity=100, unit_price=Decimal("0.0061"))
    return part


def chinese_page(client, path: str) -> str:
    response = client.get(CHINESE + path, HTTP_ACCEPT_LANGUAGE="zh-hans", secure=True)
    assert response.status_code == 200, (path, response.status_code)
    translation.activate("en")
    return response.content.decode()


def assert_no_english(html: str, *, data: tuple[str, ...] = ()) -> None:
    """No English interface text; ``data`` are references and ids the page shows where no
    element can mark them (the ``<title>``)."""
    for value in data:
        html = html.replace(value, "")
    left = english_ui_strings(html)
    assert left == [], left


# --- home, developers, VAT ----------------------------------------------------------------


def test_the_home_page_with_offers_and_categories_is_chinese(client, resistor):
    cache.clear()
    FirstOrderDefinitionFactory()
    TopUpBonusTier.objects.create(min_amount=Decimal("1000"), bonus=Decimal("50"))

    html = chinese_page(client, "/")

    assert_no_english(html)
    assert "当前优惠" in html and "贴片电阻" in html and "首单" in html


def test_the_developers_page_is_chinese(client):
    html = chinese_page(client, "/developers/")

    assert_no_english(html)
    assert "限流" in html and "每分钟" in html


def test_the_vat_page_is_chinese(client):
    html = chinese_page(client, "/vat/")

    assert_no_english(html)
    assert "增值税" in html and "编带" in html


# --- sandbox cashier, BOM -----------------------------------------------------------------


def test_the_sandbox_cashier_is_chinese(signed_in, customer, resistor):
    order = place_order(customer, resistor, payment_method=PaymentMethod.GATEWAY)
    started = signed_in.post(
        f"{CHINESE}/payments/orders/{order.reference}/online/", {"idempotency_key": "k1"}
    )
    translation.activate("en")

    html = chinese_page(signed_in, started["Location"].removeprefix(CHINESE))

    payment = order.payments.get()
    assert_no_english(html, data=(payment.provider_reference,))
    assert "沙盒支付" in html and "支付" in html


BOM_WITH_ODD_HEADERS = "Part,Maker,Pieces\nRC0603FR-0710KL,YAGEO,10\nUSB4105-GF-A,GCT,2\n"


def test_the_bom_columns_page_is_chinese(client, resistor):
    upload = SimpleUploadedFile("board.csv", BOM_WITH_ODD_HEADERS.encode())
    answer = client.post(
        f"{CHINESE}/bom/", {"file": upload, "build_quantity": "1", "attrition": ""}
    )
    translation.activate("en")
    assert answer.status_code == 302

    html = chinese_page(client, answer["Location"].removeprefix(CHINESE))

    assert_no_english(html, data=("board.csv",))
    assert "制造商料号" in html and "文件中没有" in html


def test_the_bom_quote_page_is_chinese(signed_in, customer, resistor):
    bom = make_bom(
        "MPN,Manufacturer,Qty\nRC0603FR-0710KL,YAGEO,4\nUSB4105-GF-A,GCT,2\n",
        owner=CartOwner(customer=customer),
    )

    html = chinese_page(signed_in, f"/bom/{bom.pk}/quote/")

    assert_no_english(html)
    assert "询价" in html and "USB4105-GF-A" in html


# --- coupons ------------------------------------------------------------------------------


def test_the_coupon_list_with_first_order_used_and_expired_coupons_is_chinese(
    signed_in, customer
):
    FirstOrderDefinitionFactory()
    first_order_coupon_issue_on_register(user=customer)
    issued(PercentDefinitionFactory(cap=Decimal("50.00"), minimum_spend=Decimal("100")), customer)
    used = issued(user=customer)
    coupon_redeem(
        coupon_id=used.pk,
        user=customer,
        order_reference="SO-77",
        lines=[line("100")],
        is_first_order=False,
    )
    expired = issued(CouponDefinitionFactory(valid_days=1), customer)
    Coupon.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - timedelta(hours=1))

    html = chinese_page(signed_in, "/account/coupons/")

    assert_no_english(html)
    assert "我的优惠券" in html and "已使用" in html and "已过期" in html and "首单优惠券" in html


def test_coupon_dates_are_written_the_chinese_way(signed_in, customer):
    coupon = issued(CouponDefinitionFactory(valid_days=30), customer)

    html = chinese_page(signed_in, "/account/coupons/")

    until = timezone.localtime(coupon.valid_until)
    assert f"{until.year}年{until.month}月{until.day}日" in html


def test_the_account_overview_shows_the_first_order_coupon_in_chinese(signed_in, customer):
    FirstOrderDefinitionFactory()
    first_order_coupon_issue_on_register(user=customer)

    html = chinese_page(signed_in, "/account/")

    banner = html[html.index('<section class="card coupon coupon-first-order"') :]
    banner = banner[: banner.index("</section>")]
    assert english_ui_strings(banner) == []
    assert "首单优惠券" in banner


# --- lucky draws --------------------------------------------------------------------------


@pytest.fixture
def running(customer):
    """A running campaign with a coupon prize, a points prize and a gift prize."""
    c = campaign(
        name="春季抽奖",
        prizes=[
            ("焊台", "0.5", 2),
            {"name": "200 积分", "kind": PrizeKind.POINTS, "points": 200,
             "quantity": 50, "probability": Decimal("20")},
            {"name": "样品册", "kind": PrizeKind.GIFT, "gift": GiftFactory(name="样品册"),
             "quantity": 5, "probability": Decimal("9.5")},
        ],
        no_prize="70",
        max_draws_per_order=3,
    )
    earn(customer, "SO-1")
    return c


def test_the_public_campaign_page_with_rules_and_odds_is_chinese(client, running):
    html = chinese_page(client, f"/draws/{running.slug}/")

    assert_no_english(html)
    assert "规则" in html and "中奖概率" in html and "未中奖" in html


def test_the_account_draw_list_with_ready_drawn_and_withdrawn_draws_is_chinese(
    signed_in, customer, running
):
    earn(customer, "SO-2")
    earn(customer, "SO-3")
    first, second, _third = Draw.objects.order_by("pk")
    draws.draw_play(customer=customer, public_id=first.public_id)
    draws.draws_withdraw_for_order(customer=customer, order_reference=second.order_reference)

    html = chinese_page(signed_in, "/account/draws/")

    assert_no_english(html)
    assert "我的抽奖" in html and "立即抽奖" in html


def test_a_drawn_prize_is_shown_in_chinese(signed_in, customer):
    campaign(
        name="积分抽奖",
        prizes=[{"name": "200 积分", "kind": PrizeKind.POINTS, "points": 200,
                 "quantity": 5, "probability": Decimal("100")}],
        no_prize="0",
    )
    earn(customer, "SO-1")
    draw = Draw.objects.get()
    signed_in.post(f"{CHINESE}/account/draws/{draw.public_id}/play/")
    translation.activate("en")

    html = chinese_page(signed_in, f"/account/draws/{draw.public_id}/")

    assert_no_english(html, data=(draw.public_id,))
    assert "恭喜您抽中" in html and "+200" in html and "我的积分" in html


def test_a_draw_ready_to_play_is_shown_in_chinese(signed_in, customer, running):
    draw = Draw.objects.get()

    html = chinese_page(signed_in, f"/account/draws/{draw.public_id}/")

    assert_no_english(html, data=(draw.public_id,))
    assert "立即抽奖" in html


def test_the_reveal_page_of_an_ended_campaign_is_chinese(client, customer, running):
    for n in range(5):
        earn(customer, f"SO-R{n}")
    for draw in Draw.objects.order_by("pk"):
        draws.draw_play(customer=customer, public_id=draw.public_id)
    end(running)

    html = chinese_page(client, f"/draws/{running.slug}/reveal/")

    assert_no_english(html)
    assert "种子" in html and "抽奖结果" in html


def test_the_reveal_page_before_the_end_is_chinese(client, running):
    html = chinese_page(client, f"/draws/{running.slug}/reveal/")

    assert_no_english(html)
    assert "公布" in html


def test_the_campaign_page_after_the_end_shows_its_seed_in_chinese(client, running):
    end(running)

    html = chinese_page(client, f"/draws/{running.slug}/")

    assert_no_english(html)
    assert "种子" in html


# --- points shop, leaderboard -------------------------------------------------------------


def test_the_points_shop_with_items_gifts_and_history_is_chinese(signed_in, customer):
    give_points(customer, 2000)
    CouponItemFactory(name="10 元优惠券")
    gift_item = GiftItemFactory(name="样品册", points_cost=800)
    GiftItemFactory(name="镊子", points_cost=5000, gift=GiftFactory(name="镊子", stock=0))
    signed_in.post(
        f"{CHINESE}/account/points/shop/{gift_item.pk}/redeem/",
        {"token": "t-1", "ship": "with_order"},
    )
    translation.activate("en")

    html = chinese_page(signed_in, "/account/points/shop/")

    assert_no_english(html)
    assert "积分商城" in html and "兑换" in html and "我的礼品" in html


def test_the_leaderboard_with_prizes_and_standings_is_chinese(client, customer):
    now = timezone.now()
    board = Leaderboard.objects.create(
        name="十一月采购榜",
        slug="november",
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=1),
        is_published=True,
    )
    LeaderboardPrize.objects.create(
        leaderboard=board, rank_from=1, rank_to=1, name="1000 积分", kind=PrizeKind.POINTS,
        points=1000,
    )
    order_row(customer, "880.00")

    html = chinese_page(client, "/leaderboards/november/")

    assert_no_english(html)
    assert "排名" in html and "奖品" in html


def test_a_coupon_refused_for_its_minimum_spend_says_why_in_chinese(customer):
    coupon = issued(CouponDefinitionFactory(minimum_spend=Decimal("200.00")), customer)

    with translation.override("zh-hans"), pytest.raises(CouponNotApplicable) as refused:
        coupon_check(coupon=coupon, user=customer, lines=[line("50")], is_first_order=False)

    assert str(refused.value) == "再购 150.00 CNY 即可使用该优惠券（最低消费 200.00 CNY）。"


def test_the_draws_a_paid_order_earned_are_listed_in_chinese_on_its_page(customer, running):
    order = order_row(customer, "150.00", reference="SO-1")
    (first,) = Draw.objects.all()
    draws.draw_play(customer=customer, public_id=first.public_id)

    with translation.override("zh-hans"):
        html = Template("{% load promotions_draws %}{% order_draws order %}").render(
            Context({"order": order})
        )

    assert_no_english(html)
    assert "本订单获得 1 次抽奖机会" in html and "去抽奖" in html


def test_the_cart_hint_towards_a_free_gift_is_chinese(db):
    now = timezone.now()
    ThresholdGift.objects.create(
        name="满 40 送样品册",
        gift=GiftFactory(name="样品册"),
        minimum_spend=Decimal("40.00"),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=7),
    )
    hints = Template("{% load promotions_gifts %}{% threshold_gift_hints subtotal %}")

    with translation.override("zh-hans"):
        html = hints.render(Context({"subtotal": Decimal("4.20"), "SHOP_CURRENCY": "CNY"}))

    assert_no_english(html)
    assert "再购 CNY 35.80（不含税）即可免费获赠 样品册" in html


def test_a_chinese_customer_is_told_of_an_expiring_coupon_with_its_value_in_chinese(
    django_capture_on_commit_callbacks,
):
    chinese_customer = CustomerFactory(email="lin@example.cn", language="zh-hans")
    coupon = issued(CouponDefinitionFactory(amount=Decimal("20.00")), chinese_customer)
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now() + timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        coupons_remind_expiring()

    told = Notification.objects.get(customer=chinese_customer)
    assert "立减 20.00 CNY" in told.body_text
