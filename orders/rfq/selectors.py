"""Reads of quote requests shaped for pages; always scoped to one owner."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from catalog.models import Part

from ..models import Inquiry, InquiryLine
from ..quantities import parse_id


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
