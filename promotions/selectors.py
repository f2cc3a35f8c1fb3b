"""Reads of coupons for the account page, the API and the account overview."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string

from catalog.models import Part
from catalog.pricing import line_total, unit_price_at
from catalog.selectors import main_ladder, price_ladders

from .models import Coupon, CouponDefinition, CouponState
from .services import CouponLine, coupon_code_normalize


def coupons_of(user, *, now=None) -> QuerySet[Coupon]:
    """The customer's coupons with ``shown_state``: available ones past validity are expired
    (the beat job marks them too, this makes the page right in between)."""
    now = now or timezone.now()
    return (
        Coupon.objects.filter(user=user)
        .select_related("definition")
        .annotate(
            shown_state=Case(
                When(
                    Q(state=CouponState.AVAILABLE, valid_until__lte=now),
                    then=Value(CouponState.EXPIRED.value),
                ),
                default="state",
            )
        )
    )


def coupons_of_in_state(user, state: str | None, *, now=None) -> QuerySet[Coupon]:
    coupons = coupons_of(user, now=now)
    if state:
        coupons = coupons.filter(shown_state=state)
    return coupons.order_by("-is_first_order", "valid_until", "-issued_at", "-id")


def coupon_of_by_code(user, code: str) -> Coupon | None:
    """The customer's own coupon with this code; another customer's code is None."""
    return coupons_of(user).filter(code=coupon_code_normalize(code)).first()


@dataclass
class CouponPage:
    first_order: Coupon | None = None
    available: list[Coupon] = field(default_factory=list)
    used: list[Coupon] = field(default_factory=list)
    expired: list[Coupon] = field(default_factory=list)


def coupon_page_data(user) -> CouponPage:
    """Available coupons (the first-order coupon apart, on top), then used, then expired."""
    page = CouponPage()
    for coupon in coupons_of_in_state(user, None):
        if coupon.shown_state == CouponState.AVAILABLE:
            if coupon.is_first_order and page.first_order is None:
                page.first_order = coupon
            else:
                page.available.append(coupon)
        elif coupon.shown_state == CouponState.USED:
            page.used.append(coupon)
        else:
            page.expired.append(coupon)
    return page


def first_order_coupon_for(user) -> Coupon | None:
    """The customer's first-order coupon while it can still be used, for the account
    overview banner (``promotions/_first_order_banner.html``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return coupons_of(user).filter(is_first_order=True, shown_state=CouponState.AVAILABLE).first()


class LinesNotPriced(ValueError):
    """A line the catalog cannot price; ``str()`` says which and why, for the customer."""


def coupon_lines_for_parts(items) -> list[CouponLine]:
    """CouponLines for ``{"part_id", "quantity"}`` items, priced by the catalog as the cart
    prices them (each part's main price ladder, the line rounded once) with each part's
    category and manufacturer. Unknown parts raise LookupError, unpriced ones LinesNotPriced.
    """
    ids = {item["part_id"] for item in items}
    parts = {
        p.pk: p
        for p in Part.objects.filter(pk__in=ids)
        .select_related("category")
        .only("id", "mpn", "manufacturer_id", "category__path")
    }
    missing = sorted(ids - parts.keys())
    if missing:
        raise LookupError("Unknown part ids: " + ", ".join(map(str, missing)))
    ladders = price_ladders(ids)
    lines = []
    for item in items:
        part, quantity = parts[item["part_id"]], item["quantity"]
        _, ladder = main_ladder(ladders.get(part.pk, []))
        unit_price = unit_price_at(ladder, quantity)
        if unit_price is None:
            raise LinesNotPriced(
                f"Part {part.mpn} (id {part.pk}) has no price"
                + (f" below {ladder[0].min_quantity} pieces." if ladder else "; ask for a quote.")
            )
        lines.append(
            CouponLine(
                part_id=part.pk,
                category_path=part.category.path,
                manufacturer_id=part.manufacturer_id,
                quantity=quantity,
                line_total=line_total(unit_price, quantity),
            )
        )
    return lines


def coupon_lines_for_priced_parts(items) -> list[CouponLine]:
    """CouponLines for lines the store has priced itself (checkout's cart lines, each on the
    packaging the customer chose): ``{"part_id", "quantity", "line_total"}`` items, with each
    part's category and manufacturer. Never for totals a client sent."""
    ids = {item["part_id"] for item in items}
    parts = {
        p.pk: p
        for p in Part.objects.filter(pk__in=ids)
        .select_related("category")
        .only("id", "manufacturer_id", "category__path")
    }
    missing = sorted(ids - parts.keys())
    if missing:
        raise LookupError("Unknown part ids: " + ", ".join(map(str, missing)))
    return [
        CouponLine(
            part_id=item["part_id"],
            category_path=parts[item["part_id"]].category.path,
            manufacturer_id=parts[item["part_id"]].manufacturer_id,
            quantity=item["quantity"],
            line_total=item["line_total"],
        )
        for item in items
    ]


def is_first_order_for(user) -> bool:
    """Whether the customer's next order is their first paid one, as orders/ answers it via
    ``settings.PROMOTIONS_FIRST_ORDER_CHECK`` (a dotted path to ``f(user) -> bool``).
    Until orders exist nobody has a paid order, so the answer is True."""
    check = getattr(settings, "PROMOTIONS_FIRST_ORDER_CHECK", "")
    return bool(import_string(check)(user)) if check else True


def first_order_offer() -> CouponDefinition | None:
    """The first-order coupon new customers get, for the home page's promotions."""
    return CouponDefinition.objects.filter(is_first_order_coupon=True, is_active=True).first()
