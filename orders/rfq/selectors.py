"""Reads of quote requests shaped for pages; always scoped to one owner."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.models import Part
from catalog.pricing import round_money

from ..models import CartLine, Inquiry, InquiryLine, InquiryStatus, OrderLine
from ..quantities import parse_id
from .status import ACCEPTABLE


def inquiries_of(*, customer):
    return (
        Inquiry.objects.filter(customer=customer)
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )


def inquiry_of(*, customer, reference: str) -> Inquiry:
    """The customer's inquiry with its lines; another customer's is a 404."""
    lines = InquiryLine.objects.select_related("part__manufacturer").order_by("pk")
    return get_object_or_404(
        Inquiry.objects.prefetch_related(Prefetch("lines", queryset=lines)),
        customer=customer,
        reference=reference,
    )


def inquiry_of_or_none(*, customer, reference: str) -> Inquiry | None:
    return Inquiry.objects.filter(customer=customer, reference=reference).first()


SHOWN = frozenset(
    {
        InquiryStatus.QUOTED,
        InquiryStatus.ACCEPTED,
        InquiryStatus.EXPIRED,
        InquiryStatus.DECLINED,
    }
)


def quote_is_shown(inquiry: Inquiry) -> bool:
    """Staff's answer is the customer's to read once the quote was sent."""
    return inquiry.status in SHOWN or (
        inquiry.status == InquiryStatus.CLOSED and inquiry.quoted_at is not None
    )


@dataclass(frozen=True)
class QuoteRow:
    line: InquiryLine
    in_cart: bool
    ordered_in: str  # the order's reference, once bought

    @property
    def total(self) -> Decimal | None:
        line = self.line
        if line.quoted_unit_price is None or not line.quoted_quantity:
            return None
        return round_money(line.quoted_unit_price * line.quoted_quantity)

    @property
    def can_buy(self) -> bool:
        return self.line.is_valid_today and not self.in_cart and not self.ordered_in


def quote_page_data(*, inquiry: Inquiry) -> dict:
    """The inquiry page: each line with our answer and whether it can still be bought."""
    lines = list(
        inquiry.lines.select_related("part__manufacturer", "alternate_part__manufacturer")
        .annotate(
            in_cart=Exists(CartLine.objects.filter(quote_line=OuterRef("pk"))),
        )
        .order_by("pk")
    )
    ordered = dict(
        OrderLine.objects.filter(quote_line__in=lines).values_list(
            "quote_line_id", "order__reference"
        )
    )
    shown = quote_is_shown(inquiry)
    rows = [QuoteRow(line, line.in_cart, ordered.get(line.pk, "")) for line in lines]
    acceptable = shown and inquiry.status in ACCEPTABLE
    valid = [line.valid_until for line in lines if line.is_offered]
    valid_until = max(valid) if valid else None
    expired = shown and (
        inquiry.status == InquiryStatus.EXPIRED
        or (valid_until is not None and valid_until < timezone.localdate())
    )
    return {
        "inquiry": inquiry,
        "rows": rows,
        "shown": shown,
        "can_accept": acceptable and any(row.can_buy for row in rows),
        "can_decline": inquiry.status == InquiryStatus.QUOTED,
        "expired": expired,
        "valid_until": valid_until,
    }


def acceptance_done(*, customer, line_ids, idempotency_key: str) -> bool:
    """Whether this key already put exactly these lines in the customer's cart."""
    done = InquiryLine.objects.filter(
        inquiry__customer=customer, accept_key=idempotency_key, cart_lines__isnull=False
    ).values_list("pk", flat=True)
    return bool(idempotency_key) and set(done) == set(line_ids)


def inquiry_by_reference(reference: str) -> Inquiry | None:
    """An inquiry by the reference this visitor's session remembers from sending it."""
    return Inquiry.objects.filter(reference=reference).first()


def inquiry_lines(*, inquiry: Inquiry) -> list[InquiryLine]:
    return list(inquiry.lines.select_related("part__manufacturer").order_by("pk"))


def part_for_quote(reference: str) -> Part | None:
    """A part named in a quote link: by id (from a part page) or by store code (P1000423)."""
    reference = (reference or "").strip()
    parts = Part.objects.select_related("manufacturer")
    part_id = parse_id(reference)
    if part_id is not None:
        return parts.filter(pk=part_id).first()
    if reference:
        return parts.filter(sku=reference.upper()).first()
    return None
