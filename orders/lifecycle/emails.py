"""The emails a customer gets about an order: placed (with how to pay), paid, cancelled,
and the reminder before an unpaid order is cancelled."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from ..models import Order, PaymentMethod

SUBJECTS = {
    "placed": "Order {ref} received",
    "paid": "Order {ref} is paid",
    "cancelled": "Order {ref} is cancelled",
    "reminder": "Order {ref} is waiting for your payment",
}


def _payment_instructions(order: Order) -> str:
    if order.outstanding <= 0:
        return ""
    if order.payment_method == PaymentMethod.BANK_TRANSFER:
        bank = settings.SHOP_BANK_DETAILS
        return (
            f"Please transfer {order.outstanding} {order.currency} to\n"
            f"  {bank['account_name']}\n  {bank['bank_name']}\n"
            f"  Account {bank['account_number']} (SWIFT {bank['swift']})\n"
            f"quoting the reference {order.reference}.\n"
        )
    url = settings.SITE_URL + order.get_absolute_url()
    return f"Pay {order.outstanding} {order.currency} online: {url}\n"


def send_order_email(*, order_id: int, kind: str) -> bool:
    order = Order.objects.select_related("customer").filter(pk=order_id).first()
    if order is None or not order.customer.email:
        return False
    lines = "\n".join(
        f"  {line.quantity:,} × {line.mpn} ({line.manufacturer}) {line.gross} {order.currency}"
        for line in order.lines.order_by("position")
    )
    body = [f"Hello,\n\norder {order.reference} — {order.total} {order.currency} incl. VAT\n"]
    if order.po_number:
        body.append(f"Your PO number: {order.po_number}\n")
    body.append(lines + "\n")
    if kind in ("placed", "reminder"):
        body.append(_payment_instructions(order))
        if order.payment_due_at:
            due = timezone.localtime(order.payment_due_at).strftime("%Y-%m-%d %H:%M")
            body.append(f"Unpaid orders are cancelled automatically after {due}.\n")
    if kind == "paid":
        body.append("We have received your payment and are preparing your parts.\n")
    if kind == "cancelled":
        body.append("Anything you paid has been refunded as shown on the order page.\n")
    body.append(
        f"\nYour order: {settings.SITE_URL}{order.get_absolute_url()}\n\n{settings.SHOP_NAME}"
    )
    subject = SUBJECTS[kind].format(ref=order.reference)
    if order.po_number:
        subject += f" (PO {order.po_number})"
    send_mail(
        subject=subject,
        message="\n".join(body),
        from_email=None,
        recipient_list=[order.customer.email],
    )
    return True
