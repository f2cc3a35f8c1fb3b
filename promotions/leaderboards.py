"""Leaderboards: standings by amount paid in the period, masked for the public page, and
the prizes given once when the period closes (the beat job ``leaderboards_close_due``).

Orders' figures are read from the Order and Refund tables (``apps.get_model``): an order
counts when it was paid inside the period and is neither cancelled nor refunded; refunds of
part of an order that succeeded inside the period are taken off.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from customers.models import CustomerProfile, NotificationKind
from customers.notifications import notify

from .leaderboard_models import Leaderboard, LeaderboardAward, LeaderboardPrize
from .prizes import prize_give

NOT_COUNTED = ("cancelled", "refunded")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Standing:
    rank: int
    customer_id: int
    amount: Decimal
    shown_name: str


def mask_name(name: str) -> str:
    """张三 → 张**, Ada Lovelace → A**."""
    name = name.strip()
    return f"{name[0]}**" if name else "**"


def mask_email(email: str) -> str:
    """ada@example.com → a***@example.com."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(email)


def mask_company(company: str) -> str:
    """Acme Robotics Ltd. → A***, 深圳市华强电子 → 深***."""
    company = company.strip()
    return f"{company[0]}***" if company else "***"


def shown_name(user, company: str = "") -> str:
    if company:
        return mask_company(company)
    full = f"{user.last_name}{user.first_name}" if _is_cjk(user.last_name) else user.get_full_name()
    if full.strip():
        return mask_name(full)
    return mask_email(user.email)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def _amounts(board: Leaderboard) -> dict[int, tuple[Decimal, object]]:
    Order = apps.get_model("orders", "Order")
    Refund = apps.get_model("orders", "Refund")
    paid = Order.objects.filter(
        paid_at__gte=board.starts_at, paid_at__lt=board.ends_at
    ).exclude(status__in=NOT_COUNTED)
    totals = {
        row["customer_id"]: (row["amount"] or ZERO, row["last_paid"])
        for row in paid.values("customer_id").annotate(
            amount=Sum(F("total") - F("points_amount")), last_paid=Max("paid_at")
        )
    }
    refunded = (
        Refund.objects.filter(
            order__in=paid,
            status="succeeded",
            succeeded_at__gte=board.starts_at,
            succeeded_at__lt=board.ends_at,
        )
        .values("order__customer_id")
        .annotate(amount=Sum("amount"))
    )
    for row in refunded:
        amount, last = totals[row["order__customer_id"]]
        totals[row["order__customer_id"]] = (amount - row["amount"], last)
    return {pk: value for pk, value in totals.items() if value[0] > 0}


def leaderboard_standings(board: Leaderboard, *, limit: int | None = None) -> list[Standing]:
    """Ranked by amount; a tie goes to whoever reached it first (earlier last payment)."""
    amounts = _amounts(board)
    order = sorted(amounts, key=lambda pk: (-amounts[pk][0], amounts[pk][1], pk))
    if limit is not None:
        order = order[:limit]
    users = get_user_model().objects.in_bulk(order)
    companies = dict(
        CustomerProfile.objects.filter(user_id__in=order).values_list("user_id", "company_name")
    )
    return [
        Standing(
            rank=rank,
            customer_id=pk,
            amount=amounts[pk][0],
            shown_name=shown_name(users[pk], companies.get(pk, "")),
        )
        for rank, pk in enumerate(order, start=1)
    ]


def published_leaderboard(slug: str) -> Leaderboard | None:
    return Leaderboard.objects.filter(is_published=True, slug=slug).first()


def _prize_for(prizes: list[LeaderboardPrize], rank: int) -> LeaderboardPrize | None:
    return next((p for p in prizes if p.rank_from <= rank <= p.rank_to), None)


def leaderboard_close(*, leaderboard_id: int, now=None) -> int:
    """Give the prizes of a leaderboard whose period has ended; once, however often (or in
    how many workers) it runs. Returns how many prizes it gave."""
    now = now or timezone.now()
    given = 0
    with transaction.atomic():
        board = Leaderboard.objects.select_for_update().get(pk=leaderboard_id)
        if board.closed_at is not None or now < board.ends_at:
            return 0
        prizes = list(board.prizes.select_related("coupon_definition", "gift"))
        last_rank = max((p.rank_to for p in prizes), default=0)
        users = get_user_model().objects
        for standing in leaderboard_standings(board, limit=last_rank):
            prize = _prize_for(prizes, standing.rank)
            if prize is None:
                continue
            customer = users.get(pk=standing.customer_id)
            try:
                with transaction.atomic():
                    award = LeaderboardAward.objects.create(
                        leaderboard=board,
                        customer=customer,
                        rank=standing.rank,
                        amount=standing.amount,
                        prize=prize,
                    )
            except IntegrityError:
                continue
            result = prize_give(
                customer=customer,
                prize=prize,
                source="leaderboard",
                source_key=f"{board.pk}:{customer.pk}",
            )
            award.coupon = result.coupon
            award.save(update_fields=["coupon"])
            notify(
                customer=customer,
                kind=NotificationKind.LEADERBOARD_PRIZE,
                dedup_key=f"leaderboard-prize:{board.pk}",
                context={"leaderboard": board, "rank": standing.rank, "prize": prize,
                         "coupon": result.coupon, "gift": result.gift,
                         "amount": standing.amount},
                link=f"/leaderboards/{board.slug}/",
            )
            given += 1
        board.closed_at = now
        board.save(update_fields=["closed_at"])
    return given


def leaderboards_close_due(*, now=None) -> int:
    """Beat job: close every leaderboard whose period has ended. Safe to re-run."""
    now = now or timezone.now()
    due = Leaderboard.objects.filter(closed_at__isnull=True, ends_at__lte=now).order_by("pk")
    ids = list(due.values_list("pk", flat=True))
    return sum(leaderboard_close(leaderboard_id=pk, now=now) for pk in ids)
