"""Reads shaped for the account pages and the API; always scoped to one customer."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import (
    Address,
    ApiKey,
    BalanceEntry,
    InvoiceDetails,
    PointsEntry,
    PointsEntryKind,
    TopUp,
    TopUpBonusTier,
    User,
)
from .services import profile_get


def account_overview(*, user: User) -> dict:
    return {
        "profile": profile_get(user=user),
        "default_address": Address.objects.filter(user=user, is_default=True).first(),
        "recent_balance_entries": list(balance_entries(user=user)[:5]),
        "open_top_ups": list(top_ups(user=user).filter(status="awaiting_transfer")[:5]),
    }


def addresses(*, user: User):
    return Address.objects.filter(user=user).order_by("-is_default", "pk")


def address_of(*, user: User, address_id: int) -> Address:
    """The customer's address; another customer's id is a 404."""
    return get_object_or_404(Address, pk=address_id, user=user)


def invoice_details_of(*, user: User) -> InvoiceDetails | None:
    return InvoiceDetails.objects.filter(user=user).first()


def balance_entries(*, user: User):
    return BalanceEntry.objects.filter(user=user).select_related("top_up").order_by("-pk")


def points_entries(*, user: User):
    return PointsEntry.objects.filter(user=user).order_by("-pk")


def top_ups(*, user: User):
    return TopUp.objects.filter(user=user).order_by("-created_at", "-pk")


def top_up_of(*, user: User, reference: str) -> TopUp:
    return get_object_or_404(TopUp, reference=reference, user=user)


def bonus_tiers():
    return TopUpBonusTier.objects.filter(is_active=True).order_by("min_amount")


def api_keys(*, user):
    """The customer's API keys, newest first, revoked ones included (their history stays)."""
    return ApiKey.objects.filter(user=user).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ExpiringPoints:
    """Points of one earned batch still unspent, and when they expire."""

    entry_id: int
    points: int
    expires_at: datetime


def points_expiry_schedule(*, user_id: int, now: datetime | None = None) -> list[ExpiringPoints]:
    """What expires when, by the rule ``points_expire_for_user`` applies: everything taken
    out (spent, reversed, expired, debited) is counted against the earliest-expiring points
    first; points given back by a cancelled order were never spent."""
    now = now or timezone.now()
    entries = PointsEntry.objects.filter(user_id=user_id)
    taken_out = -(entries.filter(points__lt=0).aggregate(s=Sum("points"))["s"] or 0)
    taken_out -= entries.filter(kind=PointsEntryKind.RETURN).aggregate(s=Sum("points"))["s"] or 0
    batches = entries.filter(kind=PointsEntryKind.EARN, expires_at__isnull=False).order_by(
        "expires_at", "pk"
    )
    schedule = []
    for batch in batches.only("pk", "points", "expires_at"):
        used = min(batch.points, max(taken_out, 0))
        taken_out -= used
        left = batch.points - used
        if left > 0 and batch.expires_at > now:
            schedule.append(
                ExpiringPoints(entry_id=batch.pk, points=left, expires_at=batch.expires_at)
            )
    return schedule
