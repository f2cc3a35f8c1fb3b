"""The points shop: a customer spends points on a coupon or a physical gift.

``shop_redeem`` debits the points and the item's stock (or its gift's) in one transaction,
rows locked item → gift → customer profile, once per idempotency key per customer.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from customers import services as customer_services
from customers.errors import InsufficientPoints
from customers.models import NotificationKind
from customers.notifications import notify

from . import gifts
from .errors import CouponIssueError, GiftOutOfStock
from .models_gifts import Gift, GiftSource
from .models_shop import PointsShopItem, PointsShopItemKind, PointsShopRedemption
from .services import coupon_issue

MAX_KEY = 100
SHOP_LINK = "/account/points/shop/"


class PointsShopError(Exception):
    """A redemption was refused; the message is shown to the customer as it is."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


def _check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY or any(ord(c) < 32 for c in key):
        raise PointsShopError(
            _("This form is missing its token or the token is invalid; reload the page."),
            code="bad_key",
        )
    return key


def _existing(customer, key: str, item_id: int) -> PointsShopRedemption | None:
    redemption = PointsShopRedemption.objects.filter(customer=customer, idempotency_key=key).first()
    if redemption is not None and redemption.item_id != item_id:
        raise PointsShopError(
            _("This form was already used for another item; reload the page."), code="conflict"
        )
    return redemption


def shop_redeem(
    *, customer, item_id: int, idempotency_key: str, ship_alone: bool = False
) -> PointsShopRedemption:
    """Spend points on one item. The same key returns the first redemption (a double click
    redeems once); not enough points or no stock left raises ``PointsShopError`` and
    changes nothing."""
    key = _check_key(idempotency_key)
    existing = _existing(customer, key, item_id)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _redeem_locked(customer, item_id, key, ship_alone)
    except IntegrityError:
        existing = _existing(customer, key, item_id)
        if existing is not None:
            return existing
        raise


def _out_of_stock(item) -> PointsShopError:
    return PointsShopError(
        _("Sorry, “%(name)s” is out of stock; no points were taken.") % {"name": item.name},
        code="out_of_stock",
    )


def _redeem_locked(customer, item_id, key, ship_alone) -> PointsShopRedemption:
    item = PointsShopItem.objects.select_for_update().filter(pk=item_id, is_active=True).first()
    if item is None:
        raise PointsShopError(_("This item is no longer in the points shop."), code="not_found")
    existing = _existing(customer, key, item_id)
    if existing is not None:
        return existing
    if item.kind == PointsShopItemKind.GIFT:
        gift = Gift.objects.select_for_update().get(pk=item.gift_id)
        if not gifts.gift_in_stock(gift):
            raise _out_of_stock(item)
    elif item.stock is not None and item.stock < 1:
        raise _out_of_stock(item)
    try:
        entry = customer_services.points_redeem(
            user=customer,
            points=item.points_cost,
            reference=f"points-shop:{item.pk}",
            idempotency_key=f"points-shop:{key}",
        )
    except InsufficientPoints as error:
        raise PointsShopError(
            _("“%(name)s” costs %(cost)s points and you have %(have)s; no points were taken.")
            % {"name": item.name, "cost": item.points_cost, "have": error.available},
            code="insufficient_points",
        ) from error
    coupon = entitlement = None
    if item.kind == PointsShopItemKind.GIFT:
        try:
            entitlement = gifts.gift_entitle(
                customer=customer,
                gift=gift,
                source=GiftSource.POINTS_SHOP,
                source_key=f"points-shop:{key}",
                ship_alone=ship_alone,
            )
        except GiftOutOfStock as error:
            raise _out_of_stock(item) from error
    else:
        if item.stock is not None:
            PointsShopItem.objects.filter(pk=item.pk).update(stock=F("stock") - 1)
        try:
            coupon = coupon_issue(definition=item.coupon_definition, user=customer)
        except CouponIssueError as error:
            raise PointsShopError(
                _("This coupon cannot be issued now: %(why)s No points were taken.")
                % {"why": error},
                code="not_issuable",
            ) from error
    redemption = PointsShopRedemption.objects.create(
        customer=customer,
        item=item,
        points=item.points_cost,
        idempotency_key=key,
        coupon=coupon,
        entitlement=entitlement,
        points_entry_id=entry.pk,
    )
    notify(
        customer=customer,
        kind=NotificationKind.POINTS_SHOP_REDEEMED,
        dedup_key=f"points-shop-redeemed:{redemption.pk}",
        context={
            "redemption": redemption,
            "coupon": coupon,
            "entitlement": entitlement,
            "points_left": entry.balance_after,
        },
        link="/account/points/",
    )
    return redemption
