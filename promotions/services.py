"""Coupon use-cases: issuing, checking against a cart, redeeming and releasing.

Checkout (orders/) calls ``coupon_check`` to show a discount and ``coupon_redeem`` inside
its order transaction; cancelling an order calls ``coupon_release``. A coupon is used at
most once: the database decides, by a conditional UPDATE on the coupon's state and a
partial unique constraint on its active redemption.

Rules worth knowing:

* Minimum spend counts only the in-scope lines (the parts the coupon covers), before
  discount and without shipping: a "100 off 1000 of TI parts" coupon needs 1000 of TI parts.
* A percent discount is taken on the in-scope subtotal, capped, and rounded half-up to
  2 decimals once. No discount is ever larger than the in-scope subtotal.
* A free-shipping coupon takes nothing off the parts; its quote says ``free_shipping`` and
  ``shipping_discount`` is the shipping the caller passed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .errors import CouponAlreadyUsed, CouponIssueError, CouponNotApplicable
from .models import (
    Coupon,
    CouponDefinition,
    CouponKind,
    CouponRedemption,
    CouponScope,
    CouponState,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Widest total a quote carries (money fields of 14 digits, 2 decimals).
MAX_CHECKED_TOTAL = Decimal("999999999999.99")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud safely
CODE_LENGTH = 10


@dataclass(frozen=True)
class CouponLine:
    """One cart-like line as checkout knows it; ``line_total`` is already rounded to 2 dp."""

    part_id: int
    category_path: str
    manufacturer_id: int
    quantity: int
    line_total: Decimal


@dataclass(frozen=True)
class CouponQuote:
    discount: Decimal
    free_shipping: bool
    eligible_subtotal: Decimal
    shipping_discount: Decimal = ZERO


@dataclass(frozen=True)
class IssueResult:
    issued: int
    unknown_emails: list[str]
    skipped_emails: list[str]


def coupon_code_generate() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def coupon_code_normalize(code: str) -> str:
    """Codes as customers type them: any case, with spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _money(value: Decimal) -> str:
    from django.conf import settings

    return f"{value.quantize(CENT)} {settings.SHOP_CURRENCY}"


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


# --- checking --------------------------------------------------------------------------


def _scope_matcher(definition: CouponDefinition):
    if definition.scope == CouponScope.CATEGORIES:
        paths = [c.path for c in definition.categories.all()]
        return lambda line: any(
            line.category_path == p or line.category_path.startswith(p + "/") for p in paths
        )
    if definition.scope == CouponScope.MANUFACTURERS:
        ids = {m.pk for m in definition.manufacturers.all()}
        return lambda line: line.manufacturer_id in ids
    return lambda line: True


def _scope_description(definition: CouponDefinition) -> str:
    if definition.scope == CouponScope.CATEGORIES:
        names = ", ".join(c.name for c in definition.categories.all())
        return _("parts in %(categories)s") % {"categories": names}
    if definition.scope == CouponScope.MANUFACTURERS:
        names = ", ".join(m.name for m in definition.manufacturers.all())
        return _("parts by %(manufacturers)s") % {"manufacturers": names}
    return _("all parts")


def _discount(definition: CouponDefinition, eligible: Decimal) -> Decimal:
    if definition.kind == CouponKind.FIXED:
        raw = definition.amount
    elif definition.kind == CouponKind.PERCENT:
        raw = eligible * definition.percent / Decimal(100)
        if definition.cap is not None:
            raw = min(raw, definition.cap)
    else:
        raw = ZERO
    return min(raw.quantize(CENT, rounding=ROUND_HALF_UP), eligible)


def coupon_check(
    *,
    coupon: Coupon,
    user,
    lines: Sequence[CouponLine],
    shipping: Decimal = ZERO,
    is_first_order: bool,
    now=None,
) -> CouponQuote:
    """The discount ``coupon`` gives ``user`` on ``lines``, or CouponNotApplicable saying why.

    Reads only; ``coupon_redeem`` re-checks and decides under the database's arbitration.
    """
    now = now or timezone.now()
    definition = coupon.definition
    if coupon.user_id != getattr(user, "pk", None):
        raise CouponNotApplicable(_("This coupon belongs to another account."), code="not_yours")
    if coupon.state == CouponState.USED:
        raise CouponAlreadyUsed(_("This coupon has already been used."))
    if coupon.current_state(now) == CouponState.EXPIRED:
        if coupon.valid_until:
            expired = _("This coupon expired on %(date)s.") % {"date": _date(coupon.valid_until)}
        else:
            expired = _("This coupon expired.")
        raise CouponNotApplicable(expired, code="expired")
    if coupon.valid_from and coupon.valid_from > now:
        raise CouponNotApplicable(
            _("This coupon can be used from %(date)s.") % {"date": _date(coupon.valid_from)},
            code="not_yet_valid",
        )
    if definition.first_order_only and not is_first_order:
        raise CouponNotApplicable(
            _("This coupon is only valid on your first order."), code="first_order_only"
        )
    in_scope = _scope_matcher(definition)
    eligible_lines = [line for line in lines if in_scope(line)]
    if not eligible_lines:
        raise CouponNotApplicable(
            _(
                "None of the parts in your order are covered by this coupon "
                "(it is valid for %(scope)s)."
            )
            % {"scope": _scope_description(definition)},
            code="nothing_in_scope",
        )
    eligible = sum((Decimal(line.line_total) for line in eligible_lines), ZERO).quantize(CENT)
    if eligible > MAX_CHECKED_TOTAL:
        raise CouponNotApplicable(
            _(
                "This order is too large to check a coupon online (over %(amount)s); "
                "ask us for a quote."
            )
            % {"amount": _money(MAX_CHECKED_TOTAL)},
            code="order_too_large",
        )
    if eligible < definition.minimum_spend:
        short = definition.minimum_spend - eligible
        amounts = {"short": _money(short), "minimum": _money(definition.minimum_spend)}
        if definition.scope == CouponScope.ALL:
            text = _("Spend %(short)s more to use this coupon (minimum %(minimum)s).")
        else:
            text = _(
                "Spend %(short)s more on eligible parts to use this coupon "
                "(minimum %(minimum)s)."
            )
        raise CouponNotApplicable(text % amounts, code="below_minimum_spend")
    free_shipping = definition.kind == CouponKind.FREE_SHIPPING
    return CouponQuote(
        discount=_discount(definition, eligible),
        free_shipping=free_shipping,
        eligible_subtotal=eligible,
        shipping_discount=Decimal(shipping).quantize(CENT) if free_shipping else ZERO,
    )


def coupon_discount_shares(
    *, coupon: Coupon, lines: Sequence[CouponLine], discount: Decimal
) -> list[Decimal]:
    """Share a coupon's discount over the lines it covers, in proportion to their totals,
    to the cent (largest remainder): one amount per line, 0 for lines out of its scope.

    The shares add up to ``discount`` exactly, and no share exceeds its line's total, so an
    invoice can show each line's net after the discount and its VAT on that net."""
    discount = Decimal(discount).quantize(CENT)
    in_scope = _scope_matcher(coupon.definition)
    eligible = [i for i, line in enumerate(lines) if in_scope(line) and line.line_total > 0]
    shares = [ZERO] * len(lines)
    base = sum((Decimal(lines[i].line_total) for i in eligible), ZERO)
    if discount <= 0 or base <= 0:
        return shares
    cents = int(discount / CENT)
    exact = {i: Decimal(lines[i].line_total) * cents / base for i in eligible}
    floors = {i: int(value) for i, value in exact.items()}
    left = cents - sum(floors.values())
    by_remainder = sorted(eligible, key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    for i in eligible:
        shares[i] = (Decimal(floors[i]) * CENT).quantize(CENT)
    return shares


# --- redeeming and releasing -----------------------------------------------------------


def _quote_of(redemption: CouponRedemption) -> CouponQuote:
    return CouponQuote(
        discount=redemption.discount,
        free_shipping=redemption.free_shipping,
        eligible_subtotal=redemption.eligible_subtotal,
        shipping_discount=redemption.shipping_discount,
    )


def _active_redemption(coupon_id: int) -> CouponRedemption | None:
    return CouponRedemption.objects.filter(coupon_id=coupon_id, released_at__isnull=True).first()


def _same_order(redemption: CouponRedemption | None, user, order_reference: str) -> bool:
    return (
        redemption is not None
        and redemption.order_reference == order_reference
        and redemption.user_id == user.pk
    )


def coupon_redeem(
    *,
    coupon_id: int,
    user,
    order_reference: str,
    lines: Sequence[CouponLine],
    shipping: Decimal = ZERO,
    is_first_order: bool,
) -> CouponQuote:
    """Use a coupon on an order, at most once; the same order again returns the same quote.

    Call it inside the order's transaction. Concurrent calls race on a conditional UPDATE
    (``state = available``): one changes the row, the others see 0 rows and get
    CouponAlreadyUsed (or, for the same order, the winner's quote).
    """
    if not order_reference:
        raise ValueError("order_reference is required")
    now = timezone.now()
    with transaction.atomic():
        coupon = Coupon.objects.select_related("definition").filter(pk=coupon_id).first()
        if coupon is None:
            raise CouponNotApplicable(_("This coupon does not exist."), code="not_found")
        existing = _active_redemption(coupon_id)
        if _same_order(existing, user, order_reference):
            return _quote_of(existing)
        quote = coupon_check(
            coupon=coupon,
            user=user,
            lines=lines,
            shipping=shipping,
            is_first_order=is_first_order,
            now=now,
        )
        changed = Coupon.objects.filter(
            pk=coupon_id, user_id=user.pk, state=CouponState.AVAILABLE
        ).update(state=CouponState.USED, used_at=now, order_reference=order_reference)
        if changed != 1:
            winner = _active_redemption(coupon_id)
            if _same_order(winner, user, order_reference):
                return _quote_of(winner)
            raise CouponAlreadyUsed(_("This coupon has already been used."))
        CouponRedemption.objects.create(
            coupon_id=coupon_id,
            user=user,
            order_reference=order_reference,
            discount=quote.discount,
            shipping_discount=quote.shipping_discount,
            free_shipping=quote.free_shipping,
            eligible_subtotal=quote.eligible_subtotal,
        )
    return quote


def coupon_release(*, coupon_id: int, order_reference: str) -> Coupon:
    """Give a coupon back when its order is cancelled: available again, or expired if its
    validity has passed. Releasing twice, or for another order, changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        coupon = Coupon.objects.select_for_update().get(pk=coupon_id)
        redemption = CouponRedemption.objects.filter(
            coupon_id=coupon_id, order_reference=order_reference, released_at__isnull=True
        ).first()
        if redemption is None:
            return coupon
        redemption.released_at = now
        redemption.save(update_fields=["released_at"])
        expired = coupon.valid_until is not None and coupon.valid_until <= now
        coupon.state = CouponState.EXPIRED if expired else CouponState.AVAILABLE
        coupon.used_at = None
        coupon.order_reference = ""
        coupon.save(update_fields=["state", "used_at", "order_reference"])
    return coupon


# --- issuing ---------------------------------------------------------------------------


def _ensure_issuable(definition: CouponDefinition, now) -> None:
    if not definition.is_active:
        raise CouponIssueError(_("“%(name)s” is not active.") % {"name": definition})
    if definition.valid_until and definition.valid_until <= now:
        raise CouponIssueError(
            _("“%(name)s” ended on %(date)s.")
            % {"name": definition, "date": _date(definition.valid_until)}
        )


def _new_coupon(definition: CouponDefinition, user, issued_by, now) -> Coupon:
    if definition.valid_days:
        valid_from, valid_until = now, now + timedelta(days=definition.valid_days)
    else:
        valid_from, valid_until = definition.valid_from, definition.valid_until
    return Coupon(
        definition=definition,
        user=user,
        code=coupon_code_generate(),
        is_first_order=definition.is_first_order_coupon,
        issued_at=now,
        issued_by=issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def coupon_issue(*, definition: CouponDefinition, user, issued_by=None) -> Coupon:
    """Issue one coupon of ``definition`` to ``user``, validity copied or counted from now."""
    now = timezone.now()
    _ensure_issuable(definition, now)
    if (
        definition.is_first_order_coupon
        and Coupon.objects.filter(user=user, is_first_order=True).exists()
    ):
        raise CouponIssueError(f"{user} already has a first-order coupon.")
    for _attempt in range(5):
        coupon = _new_coupon(definition, user, issued_by, now)
        try:
            with transaction.atomic():
                coupon.save()
            return coupon
        except IntegrityError:
            if Coupon.objects.filter(user=user, is_first_order=True).exists() and (
                definition.is_first_order_coupon
            ):
                raise CouponIssueError(f"{user} already has a first-order coupon.") from None
            continue  # a code collision: draw another code
    raise CouponIssueError(_("Could not draw a unique coupon code; try again."))


def coupons_issue_bulk(*, definition: CouponDefinition, users: Iterable, issued_by=None) -> int:
    """Issue one coupon of ``definition`` to each of ``users`` in one transaction.

    For the first-order definition, customers who already hold a first-order coupon are
    skipped. Returns how many coupons were issued.
    """
    now = timezone.now()
    _ensure_issuable(definition, now)
    users = list({u.pk: u for u in users}.values())
    if definition.is_first_order_coupon:
        holders = set(
            Coupon.objects.filter(user__in=users, is_first_order=True).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in holders]
    for _attempt in range(5):
        coupons = [_new_coupon(definition, user, issued_by, now) for user in users]
        try:
            with transaction.atomic():
                Coupon.objects.bulk_create(coupons, batch_size=1000)
            return len(coupons)
        except IntegrityError:
            if definition.is_first_order_coupon:
                raise
            continue
    raise CouponIssueError("Could not draw unique coupon codes; try again.")


def coupons_issue_to_emails(
    *, definition: CouponDefinition, emails: Sequence[str], issued_by=None
) -> IssueResult:
    """Issue to the customers with these emails; unknown emails are reported, not issued."""
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    User = get_user_model()
    users = {u.email.lower(): u for u in User.objects.filter(email__in=wanted)}
    unknown = [e for e in wanted if e not in users]
    skipped: list[str] = []
    if definition.is_first_order_coupon:
        holders = set(
            Coupon.objects.filter(user__in=users.values(), is_first_order=True).values_list(
                "user__email", flat=True
            )
        )
        skipped = [e for e in users if e in holders]
    with transaction.atomic():
        issued = coupons_issue_bulk(
            definition=definition, users=users.values(), issued_by=issued_by
        )
    return IssueResult(issued=issued, unknown_emails=unknown, skipped_emails=skipped)


# --- first-order coupon ----------------------------------------------------------------


def first_order_definition() -> CouponDefinition | None:
    return CouponDefinition.objects.filter(is_first_order_coupon=True, is_active=True).first()


def first_order_coupon_issue_on_register(*, user) -> Coupon | None:
    """Sign-up hook (settings.CUSTOMERS_AFTER_REGISTER): give a new customer the first-order
    coupon operations configured. Nothing when none is configured; never a second one."""
    definition = first_order_definition()
    if definition is None:
        return None
    existing = Coupon.objects.filter(user=user, is_first_order=True).first()
    if existing is not None:
        return existing
    try:
        return coupon_issue(definition=definition, user=user)
    except CouponIssueError:
        return Coupon.objects.filter(user=user, is_first_order=True).first()


def coupons_expire(*, now=None) -> int:
    """Mark available coupons past their validity as expired (the beat job); safe to re-run."""
    now = now or timezone.now()
    return Coupon.objects.filter(
        state=CouponState.AVAILABLE, valid_until__isnull=False, valid_until__lte=now
    ).update(state=CouponState.EXPIRED)


def coupon_validity_change(*, coupon_id: int, valid_from, valid_until) -> Coupon:
    """Staff move an issued coupon's dates; an unused coupon becomes available or expired
    to match (a used one keeps its state)."""
    now = timezone.now()
    with transaction.atomic():
        coupon = Coupon.objects.select_for_update().get(pk=coupon_id)
        coupon.valid_from, coupon.valid_until = valid_from, valid_until
        if coupon.state != CouponState.USED:
            expired = valid_until is not None and valid_until <= now
            coupon.state = CouponState.EXPIRED if expired else CouponState.AVAILABLE
        coupon.save(update_fields=["valid_from", "valid_until", "state"])
    return coupon
