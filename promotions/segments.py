"""Customer segments from orders and behaviour, and coupon campaigns sent to a segment.

Orders are read from the Order table (``apps.get_model``): a paid order is one with a paid
time that is neither cancelled nor refunded. ``segment_campaign_send`` (the Celery job) gives
each customer of the segment one coupon and one message, once per campaign and customer
however often, or in how many workers, it runs (unique CampaignDelivery).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from customers.models import NotificationKind
from customers.notifications import notify

from .errors import CouponIssueError
from .models import Coupon, CouponState
from .segment_models import (
    CampaignDelivery,
    CampaignStatus,
    Segment,
    SegmentCampaign,
    SegmentRule,
)
from .services import _ensure_issuable, coupon_issue

NOT_COUNTED = ("cancelled", "refunded")
BATCH = 200


def _paid_orders():
    Order = apps.get_model("orders", "Order")
    return Order.objects.filter(paid_at__isnull=False).exclude(status__in=NOT_COUNTED)


def segment_customers(segment: Segment, *, now=None) -> QuerySet:
    """The customers (active, not staff) in the segment now."""
    now = now or timezone.now()
    customers = get_user_model().objects.filter(is_active=True, is_staff=False)
    paid = _paid_orders()
    buyers = paid.values("customer_id")
    rule = segment.rule
    if rule == SegmentRule.REGISTERED_NO_ORDER:
        return customers.exclude(pk__in=buyers)
    if rule == SegmentRule.SAMPLE_BUYERS:
        big = paid.filter(total__gte=segment.amount).values("customer_id")
        return customers.filter(pk__in=buyers).exclude(pk__in=big)
    if rule == SegmentRule.VOLUME_BUYERS:
        volume = (
            paid.values("customer_id")
            .annotate(spent=Sum("total"))
            .filter(spent__gte=segment.amount)
            .values("customer_id")
        )
        return customers.filter(pk__in=volume)
    if rule == SegmentRule.DORMANT:
        recent = paid.filter(paid_at__gte=now - timedelta(days=segment.days)).values(
            "customer_id"
        )
        return customers.filter(pk__in=buyers).exclude(pk__in=recent)
    if rule == SegmentRule.CATEGORY_BUYERS:
        path = segment.category.path
        bought = paid.filter(
            Q(lines__part__category__path=path)
            | Q(lines__part__category__path__startswith=path + "/")
        ).values("customer_id")
        return customers.filter(pk__in=bought)
    if rule == SegmentRule.MANUFACTURER_BUYERS:
        bought = paid.filter(lines__part__manufacturer=segment.manufacturer).values("customer_id")
        return customers.filter(pk__in=bought)
    if rule == SegmentRule.FIRST_COUPON_NO_SECOND:
        used = Coupon.objects.filter(is_first_order=True, state=CouponState.USED).values("user_id")
        one_order = (
            paid.values("customer_id").annotate(n=Count("pk")).filter(n=1).values("customer_id")
        )
        return customers.filter(pk__in=used).filter(pk__in=one_order)
    raise ValueError(f"unknown segment rule {rule!r}")


@dataclass(frozen=True)
class SegmentPreview:
    count: int
    examples: list


def segment_preview(segment: Segment, *, examples: int = 5) -> SegmentPreview:
    customers = segment_customers(segment)
    return SegmentPreview(
        count=customers.count(), examples=list(customers.order_by("-date_joined")[:examples])
    )


# --- campaigns -------------------------------------------------------------------------------


def segment_campaign_start(*, campaign_id: int) -> SegmentCampaign:
    """Staff send a campaign: checked, counted, and the job queued after the commit.
    Raises CouponIssueError when its coupon cannot be issued."""
    from . import tasks

    with transaction.atomic():
        campaign = (
            SegmentCampaign.objects.select_for_update()
            .select_related("coupon_definition", "segment")
            .get(pk=campaign_id)
        )
        _ensure_issuable(campaign.coupon_definition, timezone.now())
        if campaign.status == CampaignStatus.DRAFT:
            campaign.status = CampaignStatus.SENDING
            campaign.started_at = timezone.now()
        campaign.total = segment_customers(campaign.segment).count()
        campaign.save(update_fields=["status", "started_at", "total"])
        tasks.segment_campaign_send.delay_on_commit(campaign_id=campaign.pk)
    return campaign


def _progress(campaign_id: int) -> int:
    done = CampaignDelivery.objects.filter(campaign_id=campaign_id).count()
    SegmentCampaign.objects.filter(pk=campaign_id).update(done=done)
    return done


def segment_campaign_send(*, campaign_id: int) -> int:
    """Give the campaign's coupon to every customer of its segment who has not had it, and
    tell them. Returns how many it gave in this run."""
    campaign = SegmentCampaign.objects.select_related("segment", "coupon_definition").get(
        pk=campaign_id
    )
    ids = list(segment_customers(campaign.segment).order_by("pk").values_list("pk", flat=True))
    SegmentCampaign.objects.filter(pk=campaign_id).update(
        total=len(ids), status=CampaignStatus.SENDING,
    )
    User = get_user_model()
    given = 0
    for start in range(0, len(ids), BATCH):
        for customer in User.objects.filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
            with transaction.atomic():
                delivery, created = CampaignDelivery.objects.get_or_create(
                    campaign=campaign, customer=customer
                )
                if not created:
                    continue
                delivery.coupon = coupon_issue(
                    definition=campaign.coupon_definition, user=customer
                )
                delivery.save(update_fields=["coupon"])
                notify(
                    customer=customer,
                    kind=NotificationKind.CAMPAIGN,
                    dedup_key=f"campaign:{campaign.pk}",
                    context={
                        "title": campaign.title,
                        "message": campaign.message,
                        "coupon": delivery.coupon,
                    },
                    link="/account/coupons/",
                )
            given += 1
        _progress(campaign_id)
    _progress(campaign_id)
    SegmentCampaign.objects.filter(pk=campaign_id).update(
        status=CampaignStatus.SENT, finished_at=timezone.now()
    )
    return given


__all__ = [
    "CouponIssueError",
    "segment_campaign_send",
    "segment_campaign_start",
    "segment_customers",
    "segment_preview",
]
