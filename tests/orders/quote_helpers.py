"""Helpers of the quote tests: an inquiry staff quoted, ready for the customer to buy."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from orders.models import InquiryStatus
from tests.factories import InquiryFactory, InquiryLineFactory


def quoted_inquiry(customer, *lines, status=InquiryStatus.QUOTED):
    """``lines``: (part, quantity, unit price[, days valid]) tuples, quoted to ``customer``."""
    inquiry = InquiryFactory(
        customer=customer,
        email=customer.email,
        status=status,
        quoted_at=timezone.now() if status != InquiryStatus.QUOTING else None,
    )
    for part, quantity, price, *days in lines:
        InquiryLineFactory(
            inquiry=inquiry,
            part=part,
            mpn=part.mpn,
            manufacturer=part.manufacturer.name,
            quantity=quantity,
            quoted_unit_price=Decimal(price),
            quoted_quantity=quantity,
            lead_days=3,
            valid_until=timezone.localdate() + timedelta(days=days[0] if days else 14),
        )
    return inquiry
