"""Payment pages: thin views that parse a request, call one service, and redirect or render.

Customer pages are login-only and ``noindex``; another customer's order or payment is a
404. The notify endpoint is for gateways: no session, no CSRF token, JSON answers, and 200
only once the notification is recorded (a gateway retries anything else).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..errors import PaymentError
from ..models import Order, PaymentStatus
from . import selectors, services
from .providers import InvalidNotification, get_provider
from .providers import sandbox as sandbox_provider

logger = logging.getLogger(__name__)


def _render(request, template, context=None, status=200):
    return render(request, template, {"noindex": True, **(context or {})}, status=status)


def _own_order(request, reference: str) -> Order:
    return get_object_or_404(Order, reference=reference, customer=request.user)


def _own_online_payment(request, token: str):
    payment = selectors.payment_of_customer(provider_reference=token, customer=request.user)
    if payment is None:
        raise Http404("No such payment.")
    return payment


def _after_payment_message(order: Order) -> str:
    order.refresh_from_db()
    if order.is_paid:
        return _("Order %(reference)s is paid. Thank you!") % {"reference": order.reference}
    return f"{order.outstanding} {order.currency} is still due on {order.reference}."


@login_required
@require_POST
def pay_from_balance(request, reference):
    order = _own_order(request, reference)
    try:
        payment = services.payment_pay_from_balance(
            order_id=order.pk,
            customer=request.user,
            amount=request.POST.get("amount") or None,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{payment.amount} {payment.currency} paid from your balance. "
            + _after_payment_message(order),
        )
    return redirect(order.get_absolute_url())


@login_required
@require_POST
def pay_online(request, reference):
    order = _own_order(request, reference)
    try:
        payment, url = services.payment_start_online(
            order_id=order.pk,
            customer=request.user,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect(order.get_absolute_url())
    return redirect(url or reverse("orders:payment-return", args=[payment.provider_reference]))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sandbox_pay(request, token):
    """The sandbox gateway's cashier: "Pay" or "Fail" sends its signed notification through
    the same verification and recording as ``/payments/notify/sandbox/``."""
    if get_provider("sandbox") is None:
        raise Http404("The sandbox gateway is switched off.")
    payment = _own_online_payment(request, token)
    if payment.provider != "sandbox":
        raise Http404("Not a sandbox payment.")
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "fail"):
            messages.error(request, _("Choose Pay or Fail."))
            return redirect(request.path)
        if payment.status == PaymentStatus.PENDING:
            status = "succeeded" if action == "pay" else "failed"
            headers, body = sandbox_provider.notification_for(payment, status)
            try:
                services.notification_receive(provider_name="sandbox", headers=headers, body=body)
            except InvalidNotification as error:
                logger.warning("Sandbox notification refused: %s", error)
                messages.error(request, f"The sandbox could not confirm the payment: {error}")
        return redirect("orders:payment-return", token=payment.provider_reference)
    return _render(request, "orders/payments/sandbox.html", {"payment": payment})


@never_cache
@login_required
def payment_return(request, token):
    """Where the gateway sends the customer back. It shows what the gateway's notification
    recorded and never marks anything paid itself."""
    payment = _own_online_payment(request, token)
    return _render(
        request,
        "orders/payments/return.html",
        {"payment": payment, "order": payment.order},
    )


@csrf_exempt
@require_POST
def notify(request, provider):
    try:
        result = services.notification_receive(
            provider_name=provider, headers=request.headers, body=request.body
        )
    except InvalidNotification as error:
        logger.warning(
            "Refused a %s payment notification from %s: %s",
            provider[:32],
            request.META.get("REMOTE_ADDR", "?"),
            error,
        )
        return JsonResponse({"ok": False, "error": str(error)}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "payment": result.payment.provider_reference,
            "status": result.payment.status,
            "duplicate": result.duplicate,
        }
    )
