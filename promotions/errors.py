"""Domain errors of promotions; their messages are shown to customers as they are."""

from django.utils.translation import gettext as _


class CouponNotApplicable(Exception):
    """A coupon cannot be used on this cart; ``reason`` says why in customer words."""

    code = "not_applicable"

    def __init__(self, reason: str, *, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        if code:
            self.code = code


class CouponAlreadyUsed(CouponNotApplicable):
    code = "used"


class CouponIssueError(Exception):
    """A definition cannot be issued (inactive, ended, or a second first-order coupon)."""


class DrawNotFound(Exception):
    """No such draw of this customer."""


class DrawUnavailable(Exception):
    """The draw cannot be used (withdrawn, campaign over); the message says why."""


class PrizeNotGiven(Exception):
    """A prize could not be given (its coupon definition is inactive or has ended)."""


class GiftOutOfStock(Exception):
    """No piece of the gift is left to give; the message is shown to customers as it is."""

    def __init__(self, gift):
        super().__init__(_("Sorry, “%(gift)s” is out of stock.") % {"gift": gift})
        self.gift = gift


class GiftError(Exception):
    """A gift entitlement cannot change as asked (wrong source, already shipped ...)."""
