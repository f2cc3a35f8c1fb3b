"""Returns and complaints: opening one, each staff step, resolving it, and the returned pieces.

Each public function is one use-case owning its transaction. The order is locked first
(``orders.locks.order_for_update``), then the return (``locks.return_for_update``), so two
returns of the last pieces of a line queue on the order and one of them is refused; every
step is checked against ``status.ALLOWED_TRANSITIONS`` under the lock, appends a
``ReturnEvent`` and tells the customer (``notify``, one message per step).

Money goes back only through ``orders.payments.services`` (refund_to_balance /
refund_to_original), for exactly ``returned_share`` of the line; stock only through
``catalog.services`` (quarantine in, released or written off after inspection).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import services as catalog_services
from customers.models import NotificationKind
from customers.notifications import notify

from ..errors import PaymentError
from ..locks import order_for_update
from ..models import (
    OrderLine,
    PaymentMethod,
    PaymentStatus,
    RefundDestination,
    RefundStatus,
    ReturnEvent,
    ReturnEventKind,
    ReturnKind,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnResolution,
)
from ..references import new_reference
from ..status import RETURNABLE_STATES
from . import selectors
from .errors import InvalidReturnStep, ReturnNotAllowed
from .locks import return_for_update
from .status import OPEN_STATES, RECEIVING_STATES, ReturnStatus, can_transition
from .uploads import clean_photos, clean_report

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DESCRIPTION = 5000
MAX_MESSAGE = 5000
MAX_KEY = 100


# --- amounts, in one place --------------------------------------------------------------------


def _share(gross: Decimal, pieces: int, of: int) -> Decimal:
    return (gross * pieces / of).quantize(CENT, rounding=ROUND_HALF_UP)


def returned_share(*, line: OrderLine, quantity: int, already: int = 0) -> Decimal:
    """What ``quantity`` pieces of ``line`` cost incl. VAT after its discount, when
    ``already`` pieces of it were refunded before. Cumulative rounding: the shares of all
    the returns of a line add up to the line's gross to the cent."""
    before = _share(line.gross, already, line.quantity)
    return _share(line.gross, already + quantity, line.quantity) - before


# --- input ------------------------------------------------------------------------------------


def _check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationError(
            {"idempotency_key": _("This form has expired: reload the page and try again.")}
        )
    return key


def _clean_text(text, *, field: str, limit: int, required: bool, what: str) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("Write %(what)s.") % {"what": what}})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Write at most %(limit)s characters.") % {"limit": limit}}
        )
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise ValidationError({field: _("Remove the control characters from the text.")})
    return text


def _clean_quantity(quantity) -> int:
    try:
        quantity = int(str(quantity).strip())
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("Enter the number of pieces.")}) from None
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter at least 1 piece.")})
    return quantity


# --- the window and what a line can still have returned ---------------------------------------


def _check_can_open(order, line: OrderLine, kind: str, quantity: int, now) -> None:
    if order.status not in RETURNABLE_STATES:
        raise ReturnNotAllowed(
            _("Order %(ref)s is %(status)s: returns are opened once it is delivered.")
            % {"ref": order.reference, "status": order.get_status_display().lower()}
        )
    deadline = selectors.return_deadline(order)
    if deadline is None or now > deadline:
        raise ReturnNotAllowed(
            _(
                "Returns and complaints are accepted within %(days)s days of delivery; "
                "the window for order %(ref)s closed on %(date)s."
            )
            % {
                "days": settings.RETURNS_WINDOW_DAYS,
                "ref": order.reference,
                "date": deadline.date().isoformat() if deadline else "—",
            }
        )
    allowance = selectors.line_allowance(line)
    most = allowance.most(kind)
    if kind == ReturnKind.RETURN and allowance.non_returnable and quantity > most:
        raise ReturnNotAllowed(
            _(
                "%(n)s pieces of %(mpn)s were bought on lead time from a supplier who takes "
                "nothing back, so they cannot be returned (at most %(most)s pieces can). "
                "If they are faulty, open a complaint instead."
            )
            % {"n": allowance.non_returnable, "mpn": line.mpn, "most": most}
        )
    if quantity > most:
        if most == 0:
            raise ReturnNotAllowed(
                _("All %(n)s pieces of %(mpn)s are already in a return.")
                % {"n": allowance.delivered, "mpn": line.mpn}
            )
        raise ValidationError(
            {
                "quantity": _(
                    "At most %(most)s pieces of %(mpn)s can be returned: %(delivered)s were "
                    "delivered and %(under)s are already in a return."
                )
                % {
                    "most": most,
                    "mpn": line.mpn,
                    "delivered": allowance.delivered,
                    "under": allowance.under_return,
                }
            }
        )


# --- events and telling the customer ----------------------------------------------------------


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return "staff" if getattr(actor, "is_staff", False) else "customer"


def _event(request: ReturnRequest, *, kind, actor, message="", from_status="", to_status=""):
    event = ReturnEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        message=message,
        from_status=from_status,
        to_status=to_status,
    )
    return event


def _tell(request: ReturnRequest, event: ReturnEvent) -> None:
    """One message per step: a customer's own messages are not mailed back to them."""
    if event.actor_label == "customer" and event.kind != ReturnEventKind.OPENED:
        return
    notify(
        customer=request.customer,
        kind=NotificationKind.RETURN_UPDATED,
        dedup_key=f"return:{request.pk}:{event.pk}",
        context={
            "request": request,
            "event": event,
            "status": request.get_status_display(),
            "step": event.get_kind_display(),
        },
        link=request.get_absolute_url(),
    )


def _move(request: ReturnRequest, to: str, *, actor, message: str) -> ReturnEvent:
    current = request.status
    if not can_transition(current, to):
        raise InvalidReturnStep(
            _("Return %(ref)s is %(current)s; it cannot become %(to)s.")
            % {
                "ref": request.reference,
                "current": ReturnStatus(current).label.lower(),
                "to": ReturnStatus(to).label.lower(),
            }
        )
    request.status = to
    request.save(update_fields=["status", "updated_at"])
    event = _event(
        request,
        kind=ReturnEventKind.STATUS,
        actor=actor,
        message=message,
        from_status=current,
        to_status=to,
    )
    _tell(request, event)
    return event


def _locked(return_id: int) -> ReturnRequest:
    order_id = ReturnRequest.objects.values_list("order_id", flat=True).get(pk=return_id)
    order_for_update(order_id)
    return return_for_update(return_id)


def _new_reference() -> str:
    for _attempt in range(10):
        reference = new_reference("RA-")
        if not ReturnRequest.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("No free return reference after 10 attempts.")


# --- the customer -----------------------------------------------------------------------------


def return_open(
    *,
    customer,
    line_id: int,
    kind: str,
    reason: str,
    quantity,
    description: str,
    photos=(),
    idempotency_key: str,
) -> ReturnRequest:
    """Open a return or complaint on a delivered line of the customer's order. Everything
    is checked before anything is written: a bad photo, a closed window or too many pieces
    leaves nothing behind. The same form (idempotency key) twice opens one return; two
    returns of the last pieces at once open one (the order is locked)."""
    key = _check_key(idempotency_key)
    existing = ReturnRequest.objects.filter(customer=customer, idempotency_key=key).first()
    if existing is not None:
        return existing
    line = (
        OrderLine.objects.select_related("order")
        .filter(pk=line_id, order__customer=customer)
        .first()
    )
    if line is None:
        raise OrderLine.DoesNotExist(f"Order line {line_id} is not this customer's.")
    if kind not in ReturnKind.values:
        raise ValidationError({"kind": _("Choose a return or a complaint.")})
    if reason not in ReturnReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    quantity = _clean_quantity(quantity)
    description = _clean_text(
        description,
        field="description",
        limit=MAX_DESCRIPTION,
        required=True,
        what=_("what is wrong with the parts"),
    )
    try:
        cleaned = clean_photos(photos)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from error
    stored: list = []
    try:
        with transaction.atomic():
            order = order_for_update(line.order_id)
            again = ReturnRequest.objects.filter(customer=customer, idempotency_key=key).first()
            if again is not None:
                return again
            line = OrderLine.objects.get(pk=line.pk)
            _check_can_open(order, line, kind, quantity, timezone.now())
            request = ReturnRequest.objects.create(
                reference=_new_reference(),
                customer=customer,
                order=order,
                line=line,
                kind=kind,
                reason=reason,
                quantity=quantity,
                description=description,
                idempotency_key=key,
            )
            for photo in cleaned:
                row = ReturnPhoto(
                    request=request,
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size=photo.size,
                )
                row.image.save(photo.content.name, photo.content, save=False)
                stored.append(row.image)
                row.save()
            event = _event(
                request,
                kind=ReturnEventKind.OPENED,
                actor=customer,
                message=description,
                to_status=ReturnStatus.OPEN,
            )
            _tell(request, event)
            return request
    except IntegrityError:
        _delete_files(stored)
        again = ReturnRequest.objects.filter(customer=customer, idempotency_key=key).first()
        if again is not None:
            return again
        raise
    except BaseException:
        _delete_files(stored)
        raise


def _delete_files(files) -> None:
    """Files stored for rows that were rolled back: nothing is left half-written."""
    for file in files:
        file.storage.delete(file.name)


def return_message_add(*, return_id: int, author, message: str) -> ReturnEvent:
    """A message on a return, from the customer (the answer they were asked for moves the
    return back to review) or from staff (told to the customer)."""
    message = _clean_text(
        message, field="message", limit=MAX_MESSAGE, required=True, what=_("your message")
    )
    with transaction.atomic():
        request = _locked(return_id)
        is_staff = getattr(author, "is_staff", False)
        if not is_staff and request.customer_id != author.pk:
            raise ReturnRequest.DoesNotExist(f"Return {return_id} is not this customer's.")
        if request.status not in OPEN_STATES:
            raise InvalidReturnStep(
                _("Return %(ref)s is closed: messages can no longer be added.")
                % {"ref": request.reference}
            )
        if not is_staff and request.status == ReturnStatus.INFO_REQUESTED:
            return _move(request, ReturnStatus.OPEN, actor=author, message=message)
        event = _event(request, kind=ReturnEventKind.MESSAGE, actor=author, message=message)
        _tell(request, event)
        return event


# --- staff steps ------------------------------------------------------------------------------


def _staff_step(return_id: int, to: str, *, staff, message: str, required: bool, what: str):
    message = _clean_text(
        message, field="message", limit=MAX_MESSAGE, required=required, what=what
    )
    with transaction.atomic():
        request = _locked(return_id)
        _move(request, to, actor=staff, message=message)
    return request


def return_accept(*, return_id: int, staff, message: str = "") -> ReturnRequest:
    return _staff_step(
        return_id, ReturnStatus.ACCEPTED, staff=staff, message=message, required=False, what=""
    )


def return_request_info(*, return_id: int, staff, message: str) -> ReturnRequest:
    """Ask the customer for more; they answer on the return's page in their account."""
    return _staff_step(
        return_id,
        ReturnStatus.INFO_REQUESTED,
        staff=staff,
        message=message,
        required=True,
        what=_("what the customer should tell us"),
    )


def return_send_to_lab(*, return_id: int, staff, message: str = "") -> ReturnRequest:
    return _staff_step(
        return_id, ReturnStatus.LAB_TEST, staff=staff, message=message, required=False, what=""
    )


def return_ask_manufacturer(*, return_id: int, staff, message: str = "") -> ReturnRequest:
    return _staff_step(
        return_id,
        ReturnStatus.MANUFACTURER,
        staff=staff,
        message=message,
        required=False,
        what="",
    )


def return_reject(*, return_id: int, staff, message: str) -> ReturnRequest:
    message = _clean_text(
        message, field="message", limit=MAX_MESSAGE, required=True, what=_("why it is rejected")
    )
    with transaction.atomic():
        request = _locked(return_id)
        _move(request, ReturnStatus.REJECTED, actor=staff, message=message)
        request.resolution = ReturnResolution.REJECTED
        request.save(update_fields=["resolution", "updated_at"])
    return request


def return_lab_report_attach(
    *, return_id: int, staff, report, message: str = ""
) -> ReturnEvent:
    """The lab's report came back: attached (a PDF) for the customer to read."""
    message = _clean_text(message, field="message", limit=MAX_MESSAGE, required=False, what="")
    try:
        content = clean_report(report)
    except ValidationError as error:
        raise ValidationError({"report": error.messages}) from error
    with transaction.atomic():
        request = _locked(return_id)
        if request.status != ReturnStatus.LAB_TEST:
            raise InvalidReturnStep(
                _("Return %(ref)s is not at a lab: send it for a lab test first.")
                % {"ref": request.reference}
            )
        event = _event(
            request,
            kind=ReturnEventKind.LAB_REPORT,
            actor=staff,
            message=message or _("The lab's report is attached."),
        )
        event.attachment.save(content.name, content, save=False)
        try:
            event.save(update_fields=["attachment"])
            _tell(request, event)
        except BaseException:
            _delete_files([event.attachment])
            raise
    return event


# --- resolving --------------------------------------------------------------------------------


def refund_amount_for(request: ReturnRequest) -> Decimal:
    """The share of the returned pieces, after what earlier refunded returns of the line took."""
    already = selectors.pieces_refunded(request.line, exclude=request.pk)
    return returned_share(line=request.line, quantity=request.quantity, already=already)


def _gateway_payment_for(order, amount: Decimal):
    for payment in order.payments.filter(
        method=PaymentMethod.GATEWAY, status=PaymentStatus.SUCCEEDED
    ).order_by("pk"):
        taken = sum(
            (r.amount for r in payment.refunds.exclude(status=RefundStatus.FAILED)), ZERO
        )
        if payment.amount - taken >= amount:
            return payment
    return None


def return_refund(
    *, return_id: int, staff, destination: str, message: str = ""
) -> ReturnRequest:
    """Resolve an accepted return by refunding exactly its pieces' share incl. VAT, to the
    balance at once or to the online payment it was paid with (sent after commit)."""
    from ..payments import services as payments

    message = _clean_text(message, field="message", limit=MAX_MESSAGE, required=False, what="")
    if destination not in RefundDestination.values:
        raise ValidationError({"destination": _("Choose where the money goes.")})
    with transaction.atomic():
        request = _locked(return_id)
        if not can_transition(request.status, ReturnStatus.REFUNDED):
            raise InvalidReturnStep(
                _("Return %(ref)s is %(status)s: accept it before refunding.")
                % {"ref": request.reference, "status": request.get_status_display().lower()}
            )
        amount = refund_amount_for(request)
        order = request.order
        reason = _("Return %(ref)s: %(qty)s × %(mpn)s") % {
            "ref": request.reference,
            "qty": request.quantity,
            "mpn": request.line.mpn,
        }
        try:
            if destination == RefundDestination.BALANCE:
                payments.refund_to_balance(
                    order_id=order.pk,
                    amount=amount,
                    staff=staff,
                    reason=reason,
                    idempotency_key=f"return:{request.reference}",
                )
                where = _("to your account balance")
                resolution = ReturnResolution.REFUND_BALANCE
            else:
                payment = _gateway_payment_for(order, amount)
                if payment is None:
                    raise InvalidReturnStep(
                        _(
                            "Order %(ref)s has no online payment that %(amount)s %(currency)s "
                            "can go back to: refund to the balance instead."
                        )
                        % {"ref": order.reference, "amount": amount, "currency": order.currency}
                    )
                payments.refund_to_original(
                    order_id=order.pk,
                    payment_id=payment.pk,
                    amount=amount,
                    staff=staff,
                    reason=reason,
                    idempotency_key=f"return:{request.reference}",
                )
                where = _("to your original payment method")
                resolution = ReturnResolution.REFUND_ORIGINAL
        except PaymentError as error:
            raise InvalidReturnStep(str(error)) from error
        request.resolution = resolution
        request.refund_amount = amount
        request.save(update_fields=["resolution", "refund_amount", "updated_at"])
        text = _("%(amount)s %(currency)s refunded %(where)s.") % {
            "amount": amount,
            "currency": order.currency,
            "where": where,
        }
        _move(
            request,
            ReturnStatus.REFUNDED,
            actor=staff,
            message=f"{text} {message}".strip(),
        )
    return request


def return_replace(*, return_id: int, staff, message: str = "") -> ReturnRequest:
    """Resolve an accepted return with a new order of the same part and quantity at no
    charge, reserving stock like any order (refused when the stock is not there)."""
    from .replacement import replacement_order_place

    message = _clean_text(message, field="message", limit=MAX_MESSAGE, required=False, what="")
    with transaction.atomic():
        request = _locked(return_id)
        if not can_transition(request.status, ReturnStatus.REPLACED):
            raise InvalidReturnStep(
                _("Return %(ref)s is %(status)s: accept it before sending a replacement.")
                % {"ref": request.reference, "status": request.get_status_display().lower()}
            )
        order = replacement_order_place(request=request, staff=staff)
        request.replacement_order = order
        request.resolution = ReturnResolution.REPLACEMENT
        request.save(update_fields=["replacement_order", "resolution", "updated_at"])
        text = _("Replacement order %(ref)s: %(qty)s × %(mpn)s at no charge.") % {
            "ref": order.reference,
            "qty": request.quantity,
            "mpn": request.line.mpn,
        }
        _move(request, ReturnStatus.REPLACED, actor=staff, message=f"{text} {message}".strip())
    return request


# --- the returned pieces ------------------------------------------------------------------------


def return_goods_receive(*, return_id: int, staff, quantity, message: str = "") -> ReturnRequest:
    """Pieces that came back are counted into quarantine: not sellable until inspected."""
    quantity = _clean_quantity(quantity)
    message = _clean_text(message, field="message", limit=MAX_MESSAGE, required=False, what="")
    with transaction.atomic():
        request = _locked(return_id)
        if request.status not in RECEIVING_STATES:
            raise InvalidReturnStep(
                _("Return %(ref)s is %(status)s: accept it before receiving the parts.")
                % {"ref": request.reference, "status": request.get_status_display().lower()}
            )
        left = request.quantity - request.received_quantity
        if quantity > left:
            raise ValidationError(
                {"quantity": _("Only %(left)s more pieces are expected back.") % {"left": left}}
            )
        if request.line.part_id is None:
            raise InvalidReturnStep(_("The part of this line is no longer in the catalog."))
        catalog_services.stock_quarantine_add(part_id=request.line.part_id, quantity=quantity)
        request.received_quantity += quantity
        request.save(update_fields=["received_quantity", "updated_at"])
        text = _("We received %(qty)s pieces; they are inspected before anything else.") % {
            "qty": quantity
        }
        event = _event(
            request,
            kind=ReturnEventKind.RECEIVED,
            actor=staff,
            message=f"{text} {message}".strip(),
        )
        _tell(request, event)
    return request


def return_inspect(
    *, return_id: int, staff, release=0, write_off=0, message: str = ""
) -> ReturnRequest:
    """After inspection, quarantined pieces go back to stock (``release``) or are written
    off; both under the part's stock lock, never more than are in quarantine."""
    release = int(release or 0)
    write_off = int(write_off or 0)
    if release < 0 or write_off < 0 or release + write_off == 0:
        raise ValidationError(
            {"release": _("Enter the pieces released to stock or written off (at least 1).")}
        )
    message = _clean_text(message, field="message", limit=MAX_MESSAGE, required=False, what="")
    with transaction.atomic():
        request = _locked(return_id)
        waiting = request.in_quarantine
        if release + write_off > waiting:
            raise ValidationError(
                {
                    "release": _("Only %(n)s pieces of this return are in quarantine.")
                    % {"n": waiting}
                }
            )
        part_id = request.line.part_id
        if release:
            catalog_services.stock_quarantine_release(part_id=part_id, quantity=release)
        if write_off:
            catalog_services.stock_quarantine_write_off(part_id=part_id, quantity=write_off)
        request.released_quantity += release
        request.written_off_quantity += write_off
        request.save(update_fields=["released_quantity", "written_off_quantity", "updated_at"])
        text = _("Inspected: %(ok)s pieces back to stock, %(bad)s written off.") % {
            "ok": release,
            "bad": write_off,
        }
        event = _event(
            request,
            kind=ReturnEventKind.INSPECTED,
            actor=staff,
            message=f"{text} {message}".strip(),
        )
        _tell(request, event)
    return request
