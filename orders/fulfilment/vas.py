"""Value-added services at checkout: which are offered for which lines, and what they cost.

The customer's choice is part of ``CheckoutChoices.services`` as (service id, cart line id
or None for the whole order, customer part number) triples; the quote prices them here from
the admin's fees, each service a VAT line of its own (``orders/vat.py``), so the review, the
order and its invoice agree to the cent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import ServiceKind, ServiceScope, ValueAddedService
from ..vat import vat_of

PART_NUMBER_LIMIT = 64
MAX_CHOSEN = 4000
ZERO = Decimal("0.00")


def needs_dry_pack(msl: str) -> bool:
    """MSL 3 and up: the parts leave the dry cabinet only in a moisture-barrier bag."""
    match = re.match(r"\s*(\d)", msl or "")
    return bool(match) and int(match.group(1)) >= 3


def offered_services() -> list[ValueAddedService]:
    return list(ValueAddedService.objects.filter(is_active=True).order_by("position", "pk"))


def offered_for(service: ValueAddedService, part) -> bool:
    """Moisture-barrier repacking only for MSL 3 and up; the rest for every line."""
    if service.kind == ServiceKind.MOISTURE_REPACK:
        return part is not None and needs_dry_pack(part.msl)
    return True


@dataclass(frozen=True)
class ChosenService:
    service: ValueAddedService
    cart_line_id: int | None
    mpn: str
    customer_part_number: str
    fee: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.fee + self.vat


def clean_service_choices(raw) -> tuple[tuple[int, int | None, str], ...]:
    """Deduplicated, well-typed triples; raises ``ValueError`` with a message otherwise."""
    seen: dict[tuple[int, int | None], str] = {}
    for item in raw or ():
        try:
            service_id, line_id, text = item
            service_id = int(service_id)
            line_id = int(line_id) if line_id not in (None, "", 0, "0") else None
        except (TypeError, ValueError) as error:
            raise ValueError(_("Choose the services from the list.")) from error
        text = " ".join(str(text or "").split())
        if len(text) > PART_NUMBER_LIMIT:
            raise ValueError(
                _("Keep your part number under %(n)d characters.") % {"n": PART_NUMBER_LIMIT}
            )
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            raise ValueError(_("Remove the control characters from your part number."))
        seen[(service_id, line_id)] = text
    if len(seen) > MAX_CHOSEN:
        raise ValueError(_("Too many services chosen."))
    return tuple((sid, lid, text) for (sid, lid), text in sorted(seen.items(), key=_key))


def _key(item):
    (service_id, line_id), _text = item
    return (service_id, line_id or 0)


def price_services(
    *, chosen, lines, rate: Decimal
) -> tuple[list[ChosenService], list[str]]:
    """The chosen services with their fees and VAT, and the problems of those that cannot
    be had (no longer offered, not for that line, a label without a part number)."""
    if not chosen:
        return [], []
    services = {service.pk: service for service in offered_services()}
    by_line = {line.priced.line.pk: line for line in lines}
    priced, problems = [], []
    for service_id, line_id, raw_text in chosen:
        text = " ".join(str(raw_text or "").split())
        service = services.get(service_id)
        if service is None:
            problems.append(_("A service you chose is no longer offered: choose again."))
            continue
        if service.scope == ServiceScope.ORDER:
            line, mpn = None, ""
            if line_id is not None:
                problems.append(
                    _("%(service)s is for the whole order.") % {"service": service.name}
                )
                continue
        else:
            line = by_line.get(line_id)
            if line is None:
                problems.append(
                    _("%(service)s: choose it for a line of your cart.") % {"service": service.name}
                )
                continue
            mpn = line.part.mpn
            if not offered_for(service, line.part):
                problems.append(
                    _("%(service)s is only for parts of MSL 3 and up, not %(mpn)s.")
                    % {"service": service.name, "mpn": mpn}
                )
                continue
        if service.kind == ServiceKind.CUSTOM_LABEL and not text:
            problems.append(
                _("Enter your part number for the custom labels of %(mpn)s.")
                % {"mpn": mpn or _("the order")}
            )
            continue
        keep = text if service.kind == ServiceKind.CUSTOM_LABEL else ""
        priced.append(
            ChosenService(
                service=service,
                cart_line_id=line_id if line is not None else None,
                mpn=mpn,
                customer_part_number=keep,
                fee=service.fee,
                vat=vat_of(service.fee, rate),
            )
        )
    return priced, problems


@dataclass(frozen=True)
class OfferCell:
    service: ValueAddedService
    value: str
    checked: bool


@dataclass(frozen=True)
class OfferRow:
    line_id: int | None
    mpn: str
    msl: str
    cells: list[OfferCell]
    part_number: str


def checkout_rows(quote) -> tuple[list[OfferRow], list[OfferCell]]:
    """What the checkout page offers: per cart line the services it may have, and the
    services for the whole order, each ticked as the customer chose."""
    services = offered_services()
    chosen = {(sid, lid): text for sid, lid, text in quote.choices.services}
    rows = []
    for line in quote.lines:
        line_id = line.priced.line.pk
        cells = [
            OfferCell(service, f"{service.pk}:{line_id}", (service.pk, line_id) in chosen)
            for service in services
            if service.scope == ServiceScope.LINE and offered_for(service, line.part)
        ]
        label_text = next(
            (
                text
                for (sid, lid), text in chosen.items()
                if lid == line_id and text
            ),
            "",
        )
        if cells:
            rows.append(OfferRow(line_id, line.part.mpn, line.part.msl, cells, label_text))
    order_cells = [
        OfferCell(service, f"{service.pk}:0", (service.pk, None) in chosen)
        for service in services
        if service.scope == ServiceScope.ORDER
    ]
    return rows, order_cells


def parse_posted(data) -> list[tuple[int, int | None, str]]:
    """The triples of a posted checkout form: ``vas`` values "<service>:<line or 0>" and
    the labels' part numbers in ``vas_pn_<line>``."""
    chosen = []
    for value in data.getlist("vas") if hasattr(data, "getlist") else []:
        service_text, _sep, line_text = str(value).partition(":")
        line_key = line_text or "0"
        text = data.get(f"vas_pn_{line_key}", "")
        chosen.append((service_text, line_text or None, text))
    return chosen


def hidden_fields(chosen) -> list[tuple[str, str]]:
    """The review page's hidden inputs that post the chosen services again."""
    fields = []
    for service_id, line_id, text in chosen:
        fields.append(("vas", f"{service_id}:{line_id or 0}"))
        if text:
            fields.append((f"vas_pn_{line_id or 0}", text))
    return list(dict.fromkeys(fields))
