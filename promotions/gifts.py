"""Gifts customers are owed, from whatever gave them (points shop, spend threshold, lucky
draw, leaderboard).

``gift_entitle`` is the one way an entitlement is created: it takes one piece of the gift's
stock under a row lock, in the caller's transaction, once per ``source_key``. Pending gifts
that ship with the next order are attached to it at placement (``gifts_attach_to_order``);
the others are listed for staff, who mark them shipped (``gift_mark_shipped``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .errors import GiftError, GiftOutOfStock
from .models_gifts import Gift, GiftEntitlement, GiftEntitlementState, GiftSource

MAX_SOURCE_KEY = 100


def _lock_gift(gift_id: int) -> Gift:
    return Gift.objects.select_for_update().get(pk=gift_id)


def _existing(customer, source: str, source_key: str) -> GiftEntitlement | None:
    return GiftEntitlement.objects.filter(
        customer=customer, source=source, source_key=source_key
    ).first()


def gift_entitle(
    *, customer, gift: Gift, source: str, source_key: str, ship_alone: bool = False
) -> GiftEntitlement:
    """Give ``customer`` one piece of ``gift``; the same ``source_key`` (per customer and
    source) returns the first entitlement. Raises ``GiftOutOfStock`` when none is left."""
    if source not in GiftSource.values:
        raise GiftError(f"Unknown gift source {source!r}.")
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > MAX_SOURCE_KEY:
        raise GiftError(f"A gift needs a source key of 1 to {MAX_SOURCE_KEY} characters.")
    existing = _existing(customer, source, source_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locked = _lock_gift(gift.pk)
            existing = _existing(customer, source, source_key)
            if existing is not None:
                return existing
            if not locked.is_active or locked.stock < 1:
                raise GiftOutOfStock(locked)
            Gift.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)
            return GiftEntitlement.objects.create(
                customer=customer,
                gift=locked,
                source=source,
                source_key=source_key,
                ship_alone=ship_alone,
            )
    except IntegrityError:
        existing = _existing(customer, source, source_key)
        if existing is not None:
            return existing
        raise


def gift_in_stock(gift: Gift) -> bool:
    return gift.is_active and gift.stock > 0


@transaction.atomic
def gifts_attach_to_order(*, customer, order_reference: str, ids=None) -> list[GiftEntitlement]:
    """Attach the customer's pending gifts that ship with an order to ``order_reference``
    (only ``ids`` when given); returns them in the order they were won."""
    pending = GiftEntitlement.objects.select_for_update(of=("self",)).filter(
        customer=customer, state=GiftEntitlementState.PENDING, ship_alone=False
    )
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    attached = list(pending.select_related("gift", "gift__part__manufacturer").order_by("pk"))
    now = timezone.now()
    for entitlement in attached:
        entitlement.state = GiftEntitlementState.ATTACHED
        entitlement.order_reference = order_reference
        entitlement.attached_at = now
        entitlement.save(update_fields=["state", "order_reference", "attached_at"])
    return attached


def _release(entitlement: GiftEntitlement) -> None:
    Gift.objects.filter(pk=entitlement.gift_id).update(stock=F("stock") + 1)
    entitlement.state = GiftEntitlementState.RELEASED
    entitlement.released_at = timezone.now()
    entitlement.save(update_fields=["state", "released_at"])


@transaction.atomic
def gift_release(*, entitlement_id: int) -> GiftEntitlement:
    """Give an unshipped gift's piece back to its stock; releasing twice releases once."""
    entitlement = GiftEntitlement.objects.select_for_update().get(pk=entitlement_id)
    if entitlement.state == GiftEntitlementState.RELEASED:
        return entitlement
    if entitlement.state == GiftEntitlementState.SHIPPED:
        raise GiftError("This gift has shipped; it cannot be released.")
    _lock_gift(entitlement.gift_id)
    _release(entitlement)
    return entitlement


@transaction.atomic
def gifts_order_cancelled(*, customer, order_reference: str) -> None:
    """An order was cancelled: the spend-threshold gift it earned goes back to stock; gifts
    the customer owns for other reasons wait for the next order again."""
    attached = list(
        GiftEntitlement.objects.select_for_update()
        .filter(
            customer=customer,
            order_reference=order_reference,
            state=GiftEntitlementState.ATTACHED,
        )
        .order_by("pk")
    )
    for entitlement in attached:
        if entitlement.source == GiftSource.THRESHOLD:
            _lock_gift(entitlement.gift_id)
            _release(entitlement)
        else:
            entitlement.state = GiftEntitlementState.PENDING
            entitlement.order_reference = ""
            entitlement.attached_at = None
            entitlement.save(update_fields=["state", "order_reference", "attached_at"])


@transaction.atomic
def gift_mark_shipped(*, entitlement_id: int, tracking: str = "") -> GiftEntitlement:
    """Staff sent a gift on its own."""
    entitlement = GiftEntitlement.objects.select_for_update().get(pk=entitlement_id)
    if entitlement.state == GiftEntitlementState.SHIPPED:
        return entitlement
    if entitlement.state != GiftEntitlementState.PENDING or not entitlement.ship_alone:
        raise GiftError("Only a pending gift that ships on its own can be marked shipped.")
    entitlement.state = GiftEntitlementState.SHIPPED
    entitlement.shipped_at = timezone.now()
    entitlement.tracking = (tracking or "").strip()[:120]
    entitlement.save(update_fields=["state", "shipped_at", "tracking"])
    return entitlement
