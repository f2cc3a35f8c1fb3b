"""A return's status machine, in one place: the states and the steps allowed between them.

``orders.returns.services`` is the only code that changes a return's status: it locks the
return, checks the step here, saves it and appends a ``ReturnEvent`` the customer sees.

    open ──► info_requested ──► open (the customer answered)
      │
      ├──► lab_test ─────┐
      ├──► manufacturer ─┤──► accepted ──► refunded | replaced
      ├──► accepted ─────┘
      └──► rejected  (from any state not resolved)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    OPEN = "open", _("Waiting for our review")
    INFO_REQUESTED = "info_requested", _("More information needed")
    LAB_TEST = "lab_test", _("At a third-party lab")
    MANUFACTURER = "manufacturer", _("Asked the manufacturer")
    ACCEPTED = "accepted", _("Accepted")
    REFUNDED = "refunded", _("Refunded")
    REPLACED = "replaced", _("Replaced")
    REJECTED = "rejected", _("Rejected")


_REVIEW = frozenset(
    {
        ReturnStatus.INFO_REQUESTED,
        ReturnStatus.LAB_TEST,
        ReturnStatus.MANUFACTURER,
        ReturnStatus.ACCEPTED,
        ReturnStatus.REJECTED,
    }
)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnStatus.OPEN: _REVIEW,
    ReturnStatus.INFO_REQUESTED: frozenset({ReturnStatus.OPEN, ReturnStatus.REJECTED}),
    ReturnStatus.LAB_TEST: _REVIEW - {ReturnStatus.LAB_TEST},
    ReturnStatus.MANUFACTURER: _REVIEW - {ReturnStatus.MANUFACTURER},
    ReturnStatus.ACCEPTED: frozenset(
        {ReturnStatus.REFUNDED, ReturnStatus.REPLACED, ReturnStatus.REJECTED}
    ),
    ReturnStatus.REFUNDED: frozenset(),
    ReturnStatus.REPLACED: frozenset(),
    ReturnStatus.REJECTED: frozenset(),
}

# Returns whose pieces still count against what a line can have returned.
COUNTING_STATES = frozenset(set(ReturnStatus) - {ReturnStatus.REJECTED})
# Returns the customer may still write to.
OPEN_STATES = frozenset(
    {
        ReturnStatus.OPEN,
        ReturnStatus.INFO_REQUESTED,
        ReturnStatus.LAB_TEST,
        ReturnStatus.MANUFACTURER,
        ReturnStatus.ACCEPTED,
    }
)
# States in which the returned pieces may be received into quarantine.
RECEIVING_STATES = frozenset(
    {ReturnStatus.ACCEPTED, ReturnStatus.REFUNDED, ReturnStatus.REPLACED}
)


def can_transition(current: str, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(current, frozenset())
