"""Building lucky-draw campaigns, leaderboards and segments for tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from promotions import draws
from promotions.draw_models import DrawCampaign, DrawPrize, PrizeKind
from tests.promotions.factories import CouponDefinitionFactory


def campaign(*, prizes=(), no_prize="50", running=True, **fields) -> DrawCampaign:
    """A published campaign running now (or ended when ``running`` is False).
    ``prizes``: (name, probability percent, quantity) or dicts of DrawPrize fields."""
    now = timezone.now()
    defaults = {
        "name": "Spring lucky draw",
        "slug": f"spring-{DrawCampaign.objects.count() + 1}",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=7) if running else now - timedelta(minutes=1),
        "min_order_amount": Decimal("100.00"),
        "step_amount": Decimal("500.00"),
        "no_prize_probability": Decimal(no_prize),
        "is_published": True,
    }
    created = DrawCampaign.objects.create(**{**defaults, **fields})
    for position, prize in enumerate(prizes):
        if isinstance(prize, dict):
            DrawPrize.objects.create(campaign=created, position=position, **prize)
            continue
        name, probability, quantity = prize
        DrawPrize.objects.create(
            campaign=created,
            position=position,
            name=name,
            kind=PrizeKind.COUPON,
            coupon_definition=CouponDefinitionFactory(name=f"{name} coupon"),
            quantity=quantity,
            probability=Decimal(probability),
        )
    return created


def earn(customer, reference="SO-1", amount="150.00"):
    return draws.draws_earn_for_order(
        customer=customer, order_reference=reference, amount_paid=Decimal(amount)
    )


def one_draw(customer, reference="SO-1"):
    (draw,) = earn(customer, reference)
    return draw


def end(campaign_obj):
    """Move a campaign's end into the past (as if its period had run out)."""
    campaign_obj.ends_at = timezone.now() - timedelta(seconds=1)
    campaign_obj.save(update_fields=["ends_at"])
    return campaign_obj


def order_row(customer, total, *, paid_at=None, status="paid", part=None, reference=None):
    """An order row as checkout and payment leave it (for reads of paid amounts); with
    ``part``, one line of it."""
    from orders.models import Order, OrderLine

    total = Decimal(total)
    n = Order.objects.count() + 1
    order = Order.objects.create(
        reference=reference or f"SO-T{n:05d}",
        customer=customer,
        idempotency_key=f"row-{n}",
        request_fingerprint="x",
        status=status,
        currency="CNY",
        vat_rate=Decimal("0.13"),
        recipient="Li Wei",
        phone="+86 138 0000 0000",
        line1="1 Test Road",
        city="Shenzhen",
        subtotal=total,
        total=total,
        amount_due=total,
        amount_paid=total if paid_at or status != "awaiting_payment" else Decimal(0),
    )
    Order.objects.filter(pk=order.pk).update(
        paid_at=paid_at or (timezone.now() if status != "awaiting_payment" else None)
    )
    if part is not None:
        OrderLine.objects.create(
            order=order,
            position=1,
            part=part,
            sku=part.sku,
            mpn=part.mpn,
            manufacturer=part.manufacturer.name,
            quantity=10,
            from_stock=10,
            unit_price=total / 10,
            line_total=total,
            net=total,
            vat=Decimal(0),
            gross=total,
        )
    order.refresh_from_db()
    return order
