"""Lucky draws: earning draws by paying orders, drawing once, and the public pages' data.

Orders call ``draws_earn_for_order`` when an order becomes paid and
``draws_withdraw_for_order`` when a paid order is cancelled or refunded, inside their
transaction. ``draw_play`` uses one draw under its row lock and the campaign's prize rows'
locks (primary-key order): the outcome is ``fairness.roll(seed, public id)`` picked against
the odds of the prizes still in stock, recorded on the draw.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import NotificationKind
from customers.notifications import notify

from . import fairness
from .draw_models import Draw, DrawCampaign, DrawPrize, DrawState, PrizeKind
from .errors import DrawNotFound, DrawUnavailable, PrizeNotGiven
from .models_gifts import Gift
from .prizes import prize_give

# Raised by draw_play; views catch them from here.
__all__ = ["DrawNotFound", "DrawResult", "DrawUnavailable", "draw_play"]

# --- odds ------------------------------------------------------------------------------------


def _can_be_won(prize) -> bool:
    if prize.remaining <= 0 or prize.ppm <= 0:
        return False
    if prize.kind == PrizeKind.GIFT:
        return prize.gift.is_active and prize.gift.stock > 0
    return True


def live_odds(prizes) -> list[list[int]]:
    """[prize id, ppm] of the prizes that can still be won, in the order they are drawn;
    a prize out of stock (its own quantity, or its gift's stock) or at 0 % is left out, so
    its share falls to "no prize"."""
    return [
        [p.pk, p.ppm]
        for p in sorted(prizes, key=lambda p: (p.position, p.pk))
        if _can_be_won(p)
    ]


def odds_valid(*, prize_probabilities, no_prize_probability) -> bool:
    return sum(prize_probabilities, Decimal(0)) + no_prize_probability == Decimal(100)


# --- earning and withdrawing -------------------------------------------------------------------


def _public_id() -> str:
    return "D" + secrets.token_hex(8).upper()


def draws_earn_for_order(
    *, customer, order_reference: str, amount_paid: Decimal, paid_at=None
) -> list[Draw]:
    """The draws a paid order earns in every published campaign running when it was paid;
    once per order however often it is called."""
    paid_at = paid_at or timezone.now()
    campaigns = DrawCampaign.objects.filter(
        is_published=True, starts_at__lte=paid_at, ends_at__gt=paid_at
    ).order_by("pk")
    earned: list[Draw] = []
    for campaign in campaigns:
        for number in range(1, campaign.draws_for_amount(Decimal(amount_paid)) + 1):
            try:
                with transaction.atomic():
                    draw, _created = Draw.objects.get_or_create(
                        campaign=campaign,
                        order_reference=order_reference,
                        number=number,
                        defaults={
                            "customer": customer,
                            "public_id": _public_id(),
                            "earned_at": paid_at,
                        },
                    )
            except IntegrityError:
                draw = Draw.objects.get(
                    campaign=campaign, order_reference=order_reference, number=number
                )
            earned.append(draw)
    return earned


def draws_withdraw_for_order(*, customer, order_reference: str) -> int:
    """Withdraw the unused draws of a refunded (or cancelled) order; used ones stay."""
    return Draw.objects.filter(
        customer=customer, order_reference=order_reference, state=DrawState.AVAILABLE
    ).update(state=DrawState.WITHDRAWN, withdrawn_at=timezone.now())


# --- drawing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    draw: Draw
    fresh: bool  # False when the draw had been used already (a double click)


def draw_play(*, customer, public_id: str) -> DrawResult:
    """Use one of the customer's draws: at most once, even from many requests at once."""
    now = timezone.now()
    with transaction.atomic():
        draw = (
            Draw.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .filter(public_id=public_id, customer=customer)
            .first()
        )
        if draw is None:
            raise DrawNotFound(public_id)
        if draw.state == DrawState.DRAWN:
            return DrawResult(draw=draw, fresh=False)
        campaign = draw.campaign
        if draw.state == DrawState.WITHDRAWN:
            raise DrawUnavailable(_("This draw was withdrawn: its order was refunded."))
        if not campaign.has_started(now):
            raise DrawUnavailable(_("The lucky draw has not started yet."))
        if campaign.has_ended(now):
            raise DrawUnavailable(_("The lucky draw has ended; this draw can no longer be used."))
        prizes = list(
            DrawPrize.objects.filter(campaign=campaign).order_by("pk").select_for_update()
        )
        gifts = Gift.objects.select_for_update().in_bulk(
            sorted({p.gift_id for p in prizes if p.kind == PrizeKind.GIFT})
        )
        for p in prizes:
            if p.gift_id:
                p.gift = gifts[p.gift_id]
        odds = live_odds(prizes)
        roll = fairness.roll(campaign.seed, draw.public_id)
        prize_id = fairness.pick(roll, odds)
        prize = next((p for p in prizes if p.pk == prize_id), None)
        draw.state, draw.drawn_at, draw.roll, draw.odds = DrawState.DRAWN, now, roll, odds
        draw.prize = prize
        if prize is not None:
            taken = DrawPrize.objects.filter(pk=prize.pk, won__lt=F("quantity")).update(
                won=F("won") + 1
            )
            if taken != 1:  # cannot happen under the lock; never give what is not there
                raise DrawUnavailable(_("Please try again."))
            try:
                given = prize_give(
                    customer=customer, prize=prize, source="draw", source_key=draw.public_id
                )
            except PrizeNotGiven as exc:
                raise DrawUnavailable(
                    _("This prize cannot be given right now; please try again later.")
                ) from exc
            draw.coupon = given.coupon
            draw.gift_entitlement = given.gift
        draw.save(
            update_fields=[
                "state", "drawn_at", "roll", "odds", "prize", "coupon", "gift_entitlement"
            ]
        )
        if prize is not None:
            notify(
                customer=customer,
                kind=NotificationKind.DRAW_PRIZE,
                dedup_key=f"draw-prize:{draw.public_id}",
                context={"draw": draw, "prize": prize, "campaign": campaign,
                         "coupon": draw.coupon, "gift": draw.gift_entitlement},
                link=f"/account/draws/{draw.public_id}/",
            )
    return DrawResult(draw=draw, fresh=True)


# --- reads ---------------------------------------------------------------------------------


def draws_of(customer) -> QuerySet[Draw]:
    return (
        Draw.objects.filter(customer=customer)
        .select_related(
            "campaign", "prize", "coupon", "prize__coupon_definition", "gift_entitlement__gift"
        )
        .order_by("-earned_at", "-id")
    )


def draw_of(customer, public_id: str) -> Draw | None:
    return draws_of(customer).filter(public_id=public_id).first()


def draws_of_order(customer, order_reference: str) -> list[Draw]:
    return list(draws_of(customer).filter(order_reference=order_reference))


def published_campaigns() -> QuerySet[DrawCampaign]:
    return DrawCampaign.objects.filter(is_published=True).order_by("-starts_at", "-id")


def published_campaign(slug: str) -> DrawCampaign | None:
    return published_campaigns().filter(slug=slug).first()


@dataclass(frozen=True)
class OddsRow:
    name: str
    kind: str
    probability: Decimal  # published percent
    live_ppm: int  # what a draw now would use
    quantity: int
    remaining: int


@dataclass(frozen=True)
class CampaignPage:
    campaign: DrawCampaign
    rows: list[OddsRow]
    no_prize_ppm: int
    started: bool
    ended: bool
    seed_commitment: str | None
    seed: str | None
    draws_made: int


def campaign_page_data(campaign: DrawCampaign, *, now=None) -> CampaignPage:
    """Rules, live odds and prizes left; the commitment once started, the seed once ended."""
    now = now or timezone.now()
    prizes = list(campaign.prizes.select_related("coupon_definition", "gift"))
    live = dict(map(tuple, live_odds(prizes)))
    rows = [
        OddsRow(
            name=p.name,
            kind=p.kind,
            probability=p.probability,
            live_ppm=live.get(p.pk, 0),
            quantity=p.quantity,
            remaining=p.remaining,
        )
        for p in sorted(prizes, key=lambda p: (p.position, p.pk))
    ]
    started, ended = campaign.has_started(now), campaign.has_ended(now)
    return CampaignPage(
        campaign=campaign,
        rows=rows,
        no_prize_ppm=fairness.PPM - sum(live.values()),
        started=started,
        ended=ended,
        seed_commitment=campaign.seed_commitment if started else None,
        seed=campaign.seed if ended else None,
        draws_made=campaign.draws.filter(state=DrawState.DRAWN).count(),
    )


def reveal_data(campaign: DrawCampaign, *, now=None) -> dict | None:
    """Everything needed to recompute every draw of an ended campaign; None before its end."""
    if not campaign.has_ended(now):
        return None
    prizes = {p.pk: p.name for p in campaign.prizes.all()}
    draws = campaign.draws.filter(state=DrawState.DRAWN).order_by("drawn_at", "pk")
    return {
        "campaign": campaign.slug,
        "seed": campaign.seed,
        "seed_sha256": campaign.seed_commitment,
        "prizes": {str(pk): name for pk, name in prizes.items()},
        "draws": [
            {
                "public_id": d.public_id,
                "drawn_at": d.drawn_at.isoformat(),
                "roll": d.roll,
                "odds": d.odds,
                "prize_id": d.prize_id,
            }
            for d in draws.only("public_id", "drawn_at", "roll", "odds", "prize_id")
        ],
    }
