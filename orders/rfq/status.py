"""The status machine of quote requests, in one place; changed only by
``orders.rfq.services.inquiry_transition``.

new → quoting (staff started pricing) → quoted (sent to the customer) → accepted (the
customer took lines into the cart), expired (the validity passed, by the beat job) or
declined (by the customer). Staff may close any open inquiry and reopen a closed one; a
quoted inquiry can be quoted again (a revised quote), and so can an expired one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    QUOTING = "quoting", _("Quoting")
    QUOTED = "quoted", _("Quoted")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


S = InquiryStatus
INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.QUOTING, S.QUOTED, S.CLOSED}),
    S.QUOTING: frozenset({S.QUOTING, S.QUOTED, S.CLOSED}),
    S.QUOTED: frozenset({S.QUOTED, S.ACCEPTED, S.EXPIRED, S.DECLINED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.ACCEPTED, S.EXPIRED, S.CLOSED}),
    S.EXPIRED: frozenset({S.QUOTED, S.CLOSED}),
    S.DECLINED: frozenset({S.CLOSED, S.NEW}),
    S.CLOSED: frozenset({S.NEW}),
}

# Statuses in which the customer may take quoted lines into the cart.
ACCEPTABLE = frozenset({S.QUOTED, S.ACCEPTED})
