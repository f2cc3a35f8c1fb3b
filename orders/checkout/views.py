"""Checkout pages: one page of choices prefilled from the customer's defaults, a review of
every amount, and "Place order". Thin views: the quote and the order are the services'."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from customers import behaviour
from customers import services as customer_services
from customers.errors import InsufficientBalance, InsufficientPoints
from customers.models import EventKind
from promotions.errors import CouponNotApplicable

from ..cart import selectors as cart_selectors
from ..cart import services as cart_services
from ..cart import session as cart_session
from ..errors import CheckoutError, EmptyCart, QuoteChanged
from ..fulfilment import vas
from ..models import InvoiceKind
from ..vat import RULE_TEXT
from . import selectors, services
from .forms import CheckoutAddressForm, CheckoutForm, hidden_fields_of, initial_of

REFUSALS = (CheckoutError, CouponNotApplicable, InsufficientBalance, InsufficientPoints)


def _render(request, template, context, status=200):
    response = render(request, template, {"noindex": True, **context}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _open_cart(request):
    return cart_selectors.open_cart(owner=cart_session.cart_owner(request))


def _empty_cart_redirect(request):
    messages.info(request, str(EmptyCart()))
    return redirect("orders:cart")


def _form_page(request, *, cart, page, form, address_form, quote, status=200):
    vas_rows, vas_order = vas.checkout_rows(quote)
    return _render(
        request,
        "orders/checkout/checkout.html",
        {
            "form": form,
            "address_form": address_form,
            "page": page,
            "quote": quote,
            "choices": quote.choices,
            "vat_rule": RULE_TEXT,
            "points_max_amount": selectors.points_money(quote.points_max),
            "vas_rows": vas_rows,
            "vas_order": vas_order,
        },
        status=status,
    )


def _review_page(request, *, quote, refusal: str = "", changes=None, status=200):
    """The review; every rendering carries a fresh idempotency key, so a reviewed order is
    placed once however often "Place order" is clicked, and a new review is a new order."""
    return _render(
        request,
        "orders/checkout/review.html",
        {
            "quote": quote,
            "choices": quote.choices,
            "hidden_fields": hidden_fields_of(quote.choices),
            "idempotency_key": uuid.uuid4().hex,
            "refusal": refusal,
            "changes": changes or [],
            "rows": selectors.review_rows(quote),
            "vat_rule": RULE_TEXT,
            "invoice_label": InvoiceKind(quote.choices.invoice_kind).label,
            "payment_label": selectors.payment_summary(
                method=quote.choices.payment_method,
                balance_amount=quote.balance_amount,
                amount_due=quote.amount_due,
                currency=quote.currency,
            ),
            "transfer_hours": settings.ORDERS_BANK_TRANSFER_PAYMENT_HOURS,
        },
        status=status,
    )


def _error_dict(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _quote(request, cart, choices):
    return services.checkout_quote(customer=request.user, cart=cart, choices=choices)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    """GET: the choices prefilled. POST "Review": check them and show the review; POST
    "Change" (from the review): the choices again, as they were."""
    cart = _open_cart(request)
    if cart is None or not cart.lines.exists():
        return _empty_cart_redirect(request)
    page = selectors.checkout_page_data(customer=request.user)
    if request.method == "GET" or request.POST.get("action") == "edit":
        if request.method == "GET":
            behaviour.event_from_request(request, kind=EventKind.CHECKOUT_START)
            choices = selectors.checkout_defaults(customer=request.user, cart=cart, page=page)
        else:
            posted = CheckoutForm(request.POST)
            posted.is_valid()
            choices = posted.choices()
        form = CheckoutForm(initial=initial_of(choices))
        return _form_page(
            request,
            cart=cart,
            page=page,
            form=form,
            address_form=CheckoutAddressForm(),
            quote=_quote(request, cart, choices),
        )

    form = CheckoutForm(request.POST)
    address_form = CheckoutAddressForm(request.POST if form.wants_new_address else None)
    valid = form.is_valid()
    if form.wants_new_address and not address_form.is_valid():
        valid = False
    if valid:
        choices = form.choices()
        try:
            choices = services.clean_choices(choices)
        except ValidationError as error:
            form.add_service_errors(_error_dict(error))
            valid = False
    if not valid:
        quote = _quote(request, cart, form.choices())
        return _form_page(
            request,
            cart=cart,
            page=page,
            form=form,
            address_form=address_form,
            quote=quote,
            status=400,
        )
    if form.wants_new_address:
        address = customer_services.address_create(user=request.user, **address_form.cleaned_data)
        messages.success(request, _("The new address is saved in your address book."))
        data = request.POST.copy()
        data["address"] = str(address.pk)
        form = CheckoutForm(data)
        form.is_valid()
        choices = services.clean_choices(form.choices())
        page = selectors.checkout_page_data(customer=request.user)
        address_form = CheckoutAddressForm()
    quote = _quote(request, cart, choices)
    if quote.errors or quote.problems:
        form.add_service_errors(quote.errors)
        return _form_page(
            request,
            cart=cart,
            page=page,
            form=form,
            address_form=address_form,
            quote=quote,
            status=400,
        )
    return _review_page(request, quote=quote)


@never_cache
@login_required
@require_POST
def checkout_place(request):
    """Place the reviewed order. The same form posted twice (a double click) answers with
    the order the first made; every refusal shows the review again, with nothing written."""
    form = CheckoutForm(request.POST)
    form.is_valid()
    choices = form.choices()
    key = request.POST.get("idempotency_key", "")
    token = request.POST.get("token", "")
    try:
        order = services.order_place(
            customer=request.user, choices=choices, idempotency_key=key, seen_token=token
        )
    except EmptyCart:
        return _empty_cart_redirect(request)
    except ValidationError as error:
        cart = _open_cart(request)
        if cart is None:
            return _empty_cart_redirect(request)
        form.add_service_errors(_error_dict(error))
        return _form_page(
            request,
            cart=cart,
            page=selectors.checkout_page_data(customer=request.user),
            form=form,
            address_form=CheckoutAddressForm(),
            quote=_quote(request, cart, choices),
            status=400,
        )
    except REFUSALS as refusal:
        cart = _open_cart(request)
        if cart is None:
            return _empty_cart_redirect(request)
        changes = refusal.changes if isinstance(refusal, QuoteChanged) else []
        return _review_page(
            request,
            quote=_quote(request, cart, choices),
            refusal=str(refusal),
            changes=changes,
            status=409,
        )
    cart_session.remember_line_count(
        request, cart_services.cart_line_count(owner=cart_session.cart_owner(request))
    )
    messages.success(
        request,
        _("Thank you: order %(reference)s is placed. We emailed you a confirmation.")
        % {"reference": order.reference},
    )
    return redirect("orders:order-detail", reference=order.reference)
