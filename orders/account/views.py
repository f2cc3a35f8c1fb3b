"""The customer's order pages: list, detail, cancel, reorder, PDF. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..cart import services as cart_services
from ..cart import session as cart_session
from ..errors import OrdersError
from ..fulfilment.selectors import order_fulfilment
from ..lifecycle import services as lifecycle
from ..vat import RULE_TEXT
from . import pdf, selectors, services
from .forms import OrderFilterForm

ORDERS_PER_PAGE = 20
CANCEL_REASON_LIMIT = 300


def _render(request, template, context, status=200):
    response = render(
        request, template, {"noindex": True, "section": "orders", **context}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
@require_GET
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    orders = selectors.orders_of(customer=request.user, filters=form.filters())
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "orders/account/order_list.html",
        {"form": form, "page": page, "orders": page.object_list, "query": query.urlencode()},
    )


@never_cache
@login_required
@require_GET
def order_detail(request, reference: str):
    order = selectors.order_of(customer=request.user, reference=reference)
    events = [(event, selectors.actor_label(event)) for event in order.events.all()]
    return _render(
        request,
        "orders/account/order_detail.html",
        {
            "order": order,
            "amounts": order,
            "rows": selectors.order_rows(order),
            "events": events,
            "can_cancel": selectors.can_cancel(order),
            "vat_rule": RULE_TEXT,
            "fulfilment": order_fulfilment(order),
        },
    )


@login_required
@require_POST
def order_cancel(request, reference: str):
    order = selectors.order_of(customer=request.user, reference=reference)
    reason = " ".join(request.POST.get("reason", "").split())[:CANCEL_REASON_LIMIT]
    try:
        lifecycle.order_cancel(order_id=order.pk, actor=request.user, reason=reason)
    except OrdersError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Order %(reference)s is cancelled.") % {"reference": order.reference}
        )
    return redirect("orders:order-detail", reference=order.reference)


@login_required
@require_POST
def order_reorder(request, reference: str):
    order = selectors.order_of(customer=request.user, reference=reference)
    summary = services.order_reorder(customer=request.user, order=order)
    if summary.added:
        messages.success(
            request,
            f"{len(summary.added)} line{'s' if len(summary.added) != 1 else ''} of order "
            f"{order.reference} {'are' if len(summary.added) != 1 else 'is'} in your cart at "
            "today's prices.",
        )
    else:
        messages.error(
            request,
            _("No line of order %(reference)s can be ordered today.")
            % {"reference": order.reference},
        )
    for text in summary.messages(order.currency):
        messages.warning(request, text)
    owner = cart_services.CartOwner(customer=request.user)
    cart_session.remember_line_count(request, cart_services.cart_line_count(owner=owner))
    return redirect("orders:cart")


@never_cache
@login_required
@require_GET
def order_pdf(request, reference: str):
    order = selectors.order_of(customer=request.user, reference=reference)
    response = HttpResponse(pdf.render_order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.reference}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response
