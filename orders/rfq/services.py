"""Use-cases of quote requests (RFQ). Each public function owns its transaction."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Part, normalize_mpn, normalize_name
from customers.models import NotificationKind
from customers.notifications import notify

from ..cart.services import CartOwner, _open_cart
from ..errors import CartNotOrderable, IdempotencyConflict, InvalidTransition
from ..models import CartLine, Inquiry, InquiryLine, InquiryStatus, OrderLine
from ..quantities import parse_quantity
from ..references import new_reference
from .status import ACCEPTABLE

logger = logging.getLogger(__name__)

MAX_INQUIRY_QUANTITY = 100_000_000  # volume quotes: resistors are bought by the ten million
MAX_INQUIRY_LINES = 100


# --- quote requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InquiryLineInput:
    """One line of a quote request as typed (``part_id`` when it came from a part page)."""

    mpn: str
    quantity: int | str
    manufacturer: str = ""
    target_unit_price: Decimal | str | None = None
    part_id: int | None = None
    needed_by: date | str | None = None


def parse_needed_by(value) -> date | None:
    """The date a line is needed by: empty, or a day from today on (YYYY-MM-DD)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise ValidationError(_("enter the needed date as YYYY-MM-DD.")) from exc
    if value < timezone.localdate():
        raise ValidationError(_("the needed date is in the past."))
    return value


def parse_target_price(value) -> Decimal | None:
    """A target unit price as typed: empty, or a positive amount with at most 6 decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError("enter the target price as a number, e.g. 0.0085.") from exc
    if not price.is_finite() or price <= 0:
        raise ValidationError("the target price must be more than 0.")
    if price.as_tuple().exponent < -6:
        raise ValidationError("give the target price with at most 6 decimals.")
    if price >= Decimal(10) ** 13:
        raise ValidationError("the target price is too large.")
    return price


def _inquiry_lines(lines: Sequence[InquiryLineInput]) -> tuple[list[InquiryLine], list[str]]:
    cleaned, errors = [], []
    for number, line in enumerate(lines, start=1):
        mpn = (line.mpn or "").strip()
        manufacturer = (line.manufacturer or "").strip()
        problems = []
        if not mpn:
            problems.append("enter the part number (MPN).")
        elif len(mpn) > 100 or not normalize_mpn(mpn):
            problems.append("the part number is not one we can look up.")
        if len(manufacturer) > 120:
            problems.append("the manufacturer name is too long.")
        quantity = None
        try:
            quantity = parse_quantity(line.quantity)
        except ValidationError as error:
            problems.append(error.messages[0][0].lower() + error.messages[0][1:])
        else:
            if quantity > MAX_INQUIRY_QUANTITY:
                problems.append(f"at most {MAX_INQUIRY_QUANTITY:,} pieces per line.")
        target = None
        try:
            target = parse_target_price(line.target_unit_price)
        except ValidationError as error:
            problems.append(error.messages[0])
        needed_by = None
        try:
            needed_by = parse_needed_by(line.needed_by)
        except ValidationError as error:
            problems.append(error.messages[0])
        if problems:
            errors.extend(f"Line {number}: {problem}" for problem in problems)
            continue
        cleaned.append(
            InquiryLine(
                part_id=line.part_id,
                mpn=mpn,
                manufacturer=manufacturer,
                quantity=quantity,
                target_unit_price=target,
                needed_by=needed_by,
            )
        )
    return cleaned, errors


def _match_parts(lines: list[InquiryLine]) -> None:
    """Link each line to the catalog part it names: the part it came from if the MPN still
    matches, else the only part with that MPN (of the typed manufacturer, if one was typed)."""
    wanted = {normalize_mpn(line.mpn) for line in lines}
    by_mpn: dict[str, list[Part]] = defaultdict(list)
    for part in Part.objects.filter(normalized_mpn__in=wanted).select_related("manufacturer"):
        by_mpn[part.normalized_mpn].append(part)
    for line in lines:
        candidates = by_mpn.get(normalize_mpn(line.mpn), [])
        from_page = [part for part in candidates if part.pk == line.part_id]
        if from_page:
            continue
        if line.manufacturer:
            maker = normalize_name(line.manufacturer)
            named = [
                part
                for part in candidates
                if normalize_name(part.manufacturer.name).startswith(maker)
                or part.manufacturer.slug == line.manufacturer.lower()
            ]
            candidates = named or candidates
        line.part = candidates[0] if len(candidates) == 1 else None
        if line.part is not None and not line.manufacturer:
            line.manufacturer = line.part.manufacturer.name


def _new_inquiry_reference() -> str:
    return new_reference("RFQ-")


def inquiry_submit(
    *,
    customer=None,
    contact_name: str,
    email: str,
    company: str = "",
    phone: str = "",
    note: str = "",
    lines: Sequence[InquiryLineInput],
    idempotency_key: str | None = None,
    visitor_key: str = "",
) -> Inquiry:
    """Record a quote request and tell staff. All of it is checked first: bad input writes
    nothing. The same idempotency key (the form's token) from the same owner — the customer,
    or the anonymous visitor's ``visitor_key`` — returns the first inquiry; another owner's
    key is never looked at."""
    customer = customer if getattr(customer, "is_authenticated", False) else None
    if customer is None and not visitor_key:
        idempotency_key = None  # no owner to scope it to
    contact_name, email = (contact_name or "").strip(), (email or "").strip()
    company, phone, note = (company or "").strip(), (phone or "").strip(), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not contact_name:
        errors["contact_name"] = ["Tell us whom to address the quote to."]
    elif len(contact_name) > 120:
        errors["contact_name"] = ["The name is too long."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter a valid email address, e.g. name@company.com."]
    if len(company) > 200:
        errors["company"] = ["The company name is too long."]
    if len(phone) > 32:
        errors["phone"] = ["The phone number is too long."]
    if len(note) > 5000:
        errors["note"] = ["Keep the note under 5,000 characters."]
    cleaned, line_errors = _inquiry_lines(lines)
    if line_errors:
        errors["lines"] = line_errors
    elif not cleaned:
        errors["lines"] = ["Add at least one part number with a quantity."]
    elif len(cleaned) > MAX_INQUIRY_LINES:
        errors["lines"] = [f"At most {MAX_INQUIRY_LINES} lines per request."]
    if errors:
        raise ValidationError(errors)

    if customer is not None:
        same_owner = Inquiry.objects.filter(customer=customer)
    else:
        same_owner = Inquiry.objects.filter(customer__isnull=True, visitor_key=visitor_key)
    with transaction.atomic():
        if idempotency_key:
            existing = same_owner.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        _match_parts(cleaned)
        fields = {
            "customer": customer,
            "visitor_key": "" if customer is not None else visitor_key,
            "contact_name": contact_name,
            "email": email,
            "company": company,
            "phone": phone,
            "note": note,
            "idempotency_key": idempotency_key or None,
        }
        inquiry = None
        for _ in range(10):
            try:
                with transaction.atomic():
                    inquiry = Inquiry.objects.create(reference=_new_inquiry_reference(), **fields)
                break
            except IntegrityError:
                existing = (
                    same_owner.filter(idempotency_key=idempotency_key).first()
                    if idempotency_key
                    else None
                )
                if existing is not None:
                    return existing
        if inquiry is None:
            raise RuntimeError("No free inquiry reference after 10 attempts.")
        for line in cleaned:
            line.inquiry = inquiry
        InquiryLine.objects.bulk_create(cleaned)

        from .tasks import inquiry_notify_staff  # tasks import this module

        inquiry_id = inquiry.pk
        inquiry_notify_staff.delay_on_commit(inquiry_id=inquiry_id)
    return inquiry


def _unanswered(inquiry: Inquiry) -> list[str]:
    """Why the inquiry's quote cannot be sent yet: a message per line staff left open."""
    today = timezone.localdate()
    problems = []
    for number, line in enumerate(inquiry.lines.order_by("pk"), start=1):
        if line.cannot_offer:
            continue
        if not line.is_offered:
            problems.append(
                _("Line %(n)s (%(mpn)s): give a unit price, a quantity and a validity date, "
                  "or mark it as one we cannot offer.") % {"n": number, "mpn": line.mpn}
            )
        elif line.valid_until < today:
            problems.append(
                _("Line %(n)s (%(mpn)s): the validity date is in the past.")
                % {"n": number, "mpn": line.mpn}
            )
        elif line.part_id is None:
            problems.append(
                _("Line %(n)s (%(mpn)s): link the catalog part the price is for, so the "
                  "customer can buy it.") % {"n": number, "mpn": line.mpn}
            )
    return problems


def _quote_context(inquiry: Inquiry) -> dict:
    lines = list(
        inquiry.lines.select_related("part", "alternate_part__manufacturer").order_by("pk")
    )
    return {
        "inquiry": inquiry,
        "lines": lines,
        "valid_until": quote_valid_until(inquiry, lines),
        "currency": settings.SHOP_CURRENCY,
    }


def quote_valid_until(inquiry: Inquiry, lines=None):
    """The last day any line of the quote can be ordered at its price."""
    lines = lines if lines is not None else inquiry.lines.all()
    dates = [line.valid_until for line in lines if line.is_offered]
    return max(dates) if dates else None


@transaction.atomic
def inquiry_transition(*, inquiry_id: int, to: str, actor=None) -> Inquiry:
    """Move an inquiry along its status machine (``orders.rfq.status``), re-read under a
    lock. Sending a quote needs every line answered; it stamps who and when, tells the
    customer (inbox and email, ``quote_answered``) and emails the quote PDF once the change
    is committed."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    if not inquiry.can_transition(to):
        raise InvalidTransition(
            _("Inquiry %(ref)s is %(status)s; it cannot become %(to)s.")
            % {
                "ref": inquiry.reference,
                "status": inquiry.get_status_display().lower(),
                "to": str(InquiryStatus(to).label).lower(),
            }
        )
    now = timezone.now()
    if to == InquiryStatus.QUOTED:
        problems = _unanswered(inquiry)
        if problems:
            raise ValidationError(problems, code="not_answered")
        revision = inquiry.quoted_at is not None
        inquiry.quoted_at, inquiry.quoted_by = now, actor
        inquiry.expired_at = None
        from .tasks import inquiry_email_quote  # tasks import this module

        inquiry_email_quote.delay_on_commit(inquiry_id=inquiry_id)
        if inquiry.customer_id:
            dedup = f"quote:{inquiry.pk}:sent"
            if revision:
                dedup += f":{now:%Y%m%d%H%M%S}"
            notify(
                customer=inquiry.customer,
                kind=NotificationKind.QUOTE_ANSWERED,
                dedup_key=dedup,
                context=_quote_context(inquiry),
                link=reverse("orders:inquiry-detail", args=[inquiry.reference]),
            )
    elif to == InquiryStatus.CLOSED:
        inquiry.closed_at = now
    elif to == InquiryStatus.DECLINED:
        inquiry.declined_at = now
    elif to == InquiryStatus.EXPIRED:
        inquiry.expired_at = now
    elif to == InquiryStatus.NEW:
        inquiry.closed_at = None
    inquiry.status = to
    inquiry.save()
    return inquiry


@transaction.atomic
def inquiry_answers_saved(*, inquiry_id: int, actor=None) -> Inquiry:
    """Staff saved prices without sending them: a new inquiry is now being quoted."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    answered = any(line.is_answered for line in inquiry.lines.all())
    if inquiry.status == InquiryStatus.NEW and answered:
        return inquiry_transition(inquiry_id=inquiry_id, to=InquiryStatus.QUOTING, actor=actor)
    return inquiry


# --- the customer's answer to a quote ---------------------------------------------------------


def _own_inquiry_for_update(customer, reference: str) -> Inquiry:
    """The customer's inquiry, locked; another customer's raises ``Inquiry.DoesNotExist``."""
    if not getattr(customer, "is_authenticated", False):
        raise Inquiry.DoesNotExist
    return Inquiry.objects.select_for_update().get(customer=customer, reference=reference)


def quote_accept(
    *, customer, reference: str, line_ids: Sequence[int], idempotency_key: str = ""
) -> list:
    """Put the chosen quoted lines in the customer's cart at the quoted price and for the
    quoted quantity only. A line goes into one cart, once: accepting it again is refused,
    unless it is the same acceptance repeated (the same ``idempotency_key``), which returns
    the cart lines it made. Nothing is written when one line is refused."""
    key = (idempotency_key or "").strip()[:64]
    wanted = sorted({int(pk) for pk in line_ids})
    if not wanted:
        raise ValidationError(_("Choose at least one quoted line to buy."), code="no_lines")
    with transaction.atomic():
        inquiry = _own_inquiry_for_update(customer, reference)
        # The cart before the quote lines, in the order the checkout takes them.
        cart = _open_cart(CartOwner(customer=customer), create=True)
        lines = list(
            InquiryLine.objects.select_for_update(of=("self",))
            .filter(inquiry=inquiry, pk__in=wanted)
            .select_related("part")
            .order_by("pk")
        )
        if len(lines) != len(wanted):
            raise ValidationError(_("That line is not part of this quote."), code="no_line")
        if key:
            used = set(
                InquiryLine.objects.filter(
                    inquiry__customer=customer, accept_key=key
                ).values_list("pk", flat=True)
            )
            if used and used != set(wanted):
                raise IdempotencyConflict(
                    _("This acceptance key was already used for other quote lines.")
                )
        if key and all(line.accept_key == key for line in lines):
            repeated = list(
                CartLine.objects.filter(
                    quote_line__in=lines, cart__customer=customer
                ).order_by("quote_line_id")
            )
            if len(repeated) == len(lines):
                return repeated
        if inquiry.status not in ACCEPTABLE:
            raise ValidationError(
                _("Quote %(ref)s is %(status)s: it can no longer be bought.")
                % {"ref": inquiry.reference, "status": inquiry.get_status_display().lower()},
                code="not_acceptable",
            )
        taken = set(
            CartLine.objects.filter(quote_line__in=lines).values_list("quote_line_id", flat=True)
        )
        today = timezone.localdate()
        errors = []
        for line in lines:
            if line.cannot_offer or not line.is_offered:
                errors.append(_("%(mpn)s: we could not offer this line.") % {"mpn": line.mpn})
            elif line.valid_until < today:
                errors.append(
                    _("%(mpn)s: the quoted price was valid until %(date)s; ask us again.")
                    % {"mpn": line.mpn, "date": line.valid_until.isoformat()}
                )
            elif line.pk in taken or _is_ordered(line):
                errors.append(
                    _("%(mpn)s: this quoted line was already accepted; it is bought once.")
                    % {"mpn": line.mpn}
                )
        if errors:
            raise ValidationError(errors, code="not_acceptable")
        now = timezone.now()
        made = []
        for line in lines:
            try:
                with transaction.atomic():
                    made.append(
                        CartLine.objects.create(
                            cart=cart,
                            part=line.part,
                            quantity=line.quoted_quantity,
                            quote_line=line,
                        )
                    )
            except IntegrityError as error:  # a concurrent acceptance won
                raise ValidationError(
                    _("%(mpn)s: this quoted line was already accepted; it is bought once.")
                    % {"mpn": line.mpn},
                    code="not_acceptable",
                ) from error
            line.accepted_at, line.accept_key = now, key
            line.save(update_fields=["accepted_at", "accept_key"])
        cart.save(update_fields=["updated_at"])
        inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.ACCEPTED, actor=customer)
    return made


def _is_ordered(line: InquiryLine) -> bool:
    return OrderLine.objects.filter(quote_line=line).exists()


def quote_decline(*, customer, reference: str) -> Inquiry:
    """The customer declines a quote they received; a declined quote cannot be bought."""
    with transaction.atomic():
        inquiry = _own_inquiry_for_update(customer, reference)
        if inquiry.status == InquiryStatus.DECLINED:
            return inquiry
        if inquiry.status != InquiryStatus.QUOTED:
            raise ValidationError(
                _("Only a quote you have not accepted yet can be declined."),
                code="not_declinable",
            )
        return inquiry_transition(
            inquiry_id=inquiry.pk, to=InquiryStatus.DECLINED, actor=customer
        )


def quotes_expire(*, today=None) -> int:
    """Mark quoted inquiries expired once no line can be ordered any more (the beat job);
    safe to run again: each is re-read under its lock. Returns how many expired."""
    today = today or timezone.localdate()
    valid_line = InquiryLine.objects.filter(
        inquiry=OuterRef("pk"), valid_until__gte=today, cannot_offer=False
    )
    candidates = (
        Inquiry.objects.filter(status=InquiryStatus.QUOTED)
        .filter(~Exists(valid_line))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for inquiry_id in list(candidates):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
            still_valid = inquiry.lines.filter(valid_until__gte=today, cannot_offer=False)
            if inquiry.status != InquiryStatus.QUOTED or still_valid.exists():
                continue
            inquiry_transition(inquiry_id=inquiry_id, to=InquiryStatus.EXPIRED)
            expired += 1
    return expired


def quote_lines_lock_for_order(*, customer, quote_line_ids: Sequence[int]) -> dict:
    """Lock the quote lines an order is buying (primary-key order) and check, under the
    lock, that each is the customer's, still valid and not ordered yet: a quote line is
    ordered once. Raises ``CartNotOrderable``; returns the lines by id."""
    if not quote_line_ids:
        return {}
    lines = list(
        InquiryLine.objects.select_for_update(of=("self",))
        .select_related("inquiry")
        .filter(pk__in=sorted(set(quote_line_ids)))
        .order_by("pk")
    )
    ordered = set(
        OrderLine.objects.filter(quote_line__in=lines).values_list("quote_line_id", flat=True)
    )
    today = timezone.localdate()
    problems = []
    for line in lines:
        inquiry = line.inquiry
        if inquiry.customer_id != customer.pk or line.pk in ordered:
            problems.append(
                _("%(mpn)s: quote %(ref)s was already ordered; it is bought once.")
                % {"mpn": line.mpn, "ref": inquiry.reference}
            )
        elif inquiry.status not in ACCEPTABLE or not line.is_offered or line.valid_until < today:
            problems.append(
                _("%(mpn)s: quote %(ref)s is no longer valid; ask us for a new quote.")
                % {"mpn": line.mpn, "ref": inquiry.reference}
            )
    if len(lines) != len(set(quote_line_ids)):
        problems.append(_("A quoted line of your cart no longer exists."))
    if problems:
        raise CartNotOrderable(problems)
    return {line.pk: line for line in lines}


def ask_again_lines(inquiry: Inquiry) -> list[dict]:
    """Rows of a new quote request for the lines of an earlier one."""
    return [
        {
            "part": line.part_id or "",
            "mpn": line.mpn,
            "manufacturer": line.manufacturer,
            "quantity": line.quoted_quantity or line.quantity,
            "target_unit_price": line.target_unit_price or "",
        }
        for line in inquiry.lines.order_by("pk")
    ]


# --- inquiry emails (called by orders.rfq.tasks) ------------------------------------------------


def _staff_recipients() -> list[str]:
    managers = [address for _name, address in settings.MANAGERS]
    if managers:
        return managers
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _line_text(line: InquiryLine) -> str:
    text = f"  {line.quantity:,} × {line.mpn}"
    if line.manufacturer:
        text += f" ({line.manufacturer})"
    if line.target_unit_price is not None:
        text += f", target {line.target_unit_price.normalize():f} {settings.SHOP_CURRENCY}"
    return text


@transaction.atomic
def inquiry_notify_staff_send(*, inquiry_id: int) -> bool:
    """Email staff about a new inquiry, once; False when there was nothing to send. The
    inquiry stays locked until it is marked notified, so a second delivery of the task
    running meanwhile waits and then finds nothing to send."""
    inquiry = (
        Inquiry.objects.select_for_update()
        .filter(pk=inquiry_id, staff_notified_at__isnull=True)
        .first()
    )
    recipients = _staff_recipients() if inquiry else []
    if not recipients:
        if inquiry:
            logger.warning("No staff address to notify of inquiry %s.", inquiry.reference)
        return False
    lines = "\n".join(_line_text(line) for line in inquiry.lines.order_by("pk"))
    admin_url = settings.SITE_URL + reverse("admin:orders_inquiry_change", args=[inquiry.pk])
    contact = ", ".join(
        part
        for part in (inquiry.contact_name, inquiry.company, inquiry.email, inquiry.phone)
        if part
    )
    body = (
        f"Quote request {inquiry.reference} from {contact}\n\n{lines}\n\n"
        + (f"Note:\n{inquiry.note}\n\n" if inquiry.note else "")
        + f"Answer it in the admin: {admin_url}\n"
    )
    send_mail(
        subject=f"Quote request {inquiry.reference} ({inquiry.lines.count()} lines)",
        message=body,
        from_email=None,
        recipient_list=recipients,
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(staff_notified_at=timezone.now())
    return True


@transaction.atomic
def inquiry_email_quote_send(*, inquiry_id: int) -> bool:
    """Email the customer the current quote with its PDF, once per quote sent (the
    inquiry locked until it is marked emailed, as for the staff notice)."""
    from .pdf import quote_pdf  # reportlab loads only for the email and the download

    inquiry = (
        Inquiry.objects.select_for_update()
        .filter(pk=inquiry_id, status__in=[InquiryStatus.QUOTED, InquiryStatus.ACCEPTED])
        .first()
    )
    if inquiry is None or (
        inquiry.quote_emailed_at and inquiry.quote_emailed_at >= inquiry.quoted_at
    ):
        return False
    context = _quote_context(inquiry)
    lines = []
    for line in context["lines"]:
        text = _line_text(line)
        if line.cannot_offer:
            text += ": " + _("we cannot offer this part")
            if line.alternate_part_id:
                text += " · " + _("alternate: %(mpn)s") % {"mpn": line.alternate_part.mpn}
        elif line.quoted_unit_price is not None:
            text += ": " + _(
                "%(qty)s pcs at %(price)s %(currency)s per piece excl. VAT, valid until %(date)s"
            ) % {
                "qty": f"{line.quoted_quantity:,}",
                "price": f"{line.quoted_unit_price.normalize():f}",
                "currency": settings.SHOP_CURRENCY,
                "date": line.valid_until.isoformat(),
            }
        lines.append(text)
    account = (
        "\n" + _("Buy it from your account: %(url)s")
        % {"url": settings.SITE_URL + reverse("orders:inquiry-detail", args=[inquiry.reference])}
        + "\n"
        if inquiry.customer_id
        else ""
    )
    body = (
        _("Hello %(name)s,") % {"name": inquiry.contact_name}
        + "\n\n"
        + _("here is our quote for your request %(ref)s (PDF attached):")
        % {"ref": inquiry.reference}
        + "\n\n"
        + "\n".join(lines)
        + (f"\n\n{inquiry.reply}\n" if inquiry.reply else "\n")
        + account
        + f"\n{settings.SHOP_NAME}"
    )
    message = EmailMessage(
        subject=_("Your quote %(ref)s from %(shop)s")
        % {"ref": inquiry.reference, "shop": settings.SHOP_NAME},
        body=body,
        to=[inquiry.email],
    )
    message.attach(f"quote-{inquiry.reference}.pdf", quote_pdf(inquiry), "application/pdf")
    message.send()
    Inquiry.objects.filter(pk=inquiry.pk).update(quote_emailed_at=timezone.now())
    return True
