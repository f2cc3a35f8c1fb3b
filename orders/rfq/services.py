"""Use-cases of quote requests (RFQ). Each public function owns its transaction."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Part, normalize_mpn, normalize_name

from ..errors import InvalidTransition
from ..models import Inquiry, InquiryLine, InquiryStatus
from ..quantities import parse_quantity
from ..references import new_reference

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


@transaction.atomic
def inquiry_transition(*, inquiry_id: int, to: str, actor=None) -> Inquiry:
    """Move an inquiry along its status machine. Sending a quote stamps who and when and
    emails it to the customer once the change is committed."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    if not inquiry.can_transition(to):
        raise InvalidTransition(
            f"Inquiry {inquiry.reference} is {inquiry.get_status_display().lower()}; "
            f"it cannot become {InquiryStatus(to).label.lower()}."
        )
    now = timezone.now()
    if to == InquiryStatus.QUOTED:
        if not inquiry.reply.strip():
            raise ValidationError("Write the quote before sending it.", code="no_quote")
        inquiry.quoted_at, inquiry.quoted_by = now, actor
        from .tasks import inquiry_email_quote  # tasks import this module

        inquiry_email_quote.delay_on_commit(inquiry_id=inquiry_id)
    elif to == InquiryStatus.CLOSED:
        inquiry.closed_at = now
    else:
        inquiry.closed_at = None
    inquiry.status = to
    inquiry.save()
    return inquiry


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
    """Email the customer the current quote, once per quote sent (the inquiry locked until
    it is marked emailed, as for the staff notice)."""
    inquiry = (
        Inquiry.objects.select_for_update()
        .filter(pk=inquiry_id, status=InquiryStatus.QUOTED)
        .first()
    )
    if inquiry is None or (
        inquiry.quote_emailed_at and inquiry.quote_emailed_at >= inquiry.quoted_at
    ):
        return False
    lines = []
    for line in inquiry.lines.order_by("pk"):
        text = _line_text(line)
        if line.quoted_unit_price is not None:
            text += (
                f": {line.quoted_unit_price.normalize():f} {settings.SHOP_CURRENCY} "
                "per piece excl. VAT"
            )
        lines.append(text)
    account = (
        f"\nYour quote requests: {settings.SITE_URL}{reverse('orders:inquiry-list')}\n"
        if inquiry.customer_id
        else ""
    )
    body = (
        f"Hello {inquiry.contact_name},\n\nhere is our quote for your request "
        f"{inquiry.reference}:\n\n"
        + "\n".join(lines)
        + f"\n\n{inquiry.reply}\n"
        + account
        + f"\n{settings.SHOP_NAME}"
    )
    send_mail(
        subject=f"Your quote {inquiry.reference} from {settings.SHOP_NAME}",
        message=body,
        from_email=None,
        recipient_list=[inquiry.email],
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(quote_emailed_at=timezone.now())
    return True
