"""Quote request pages: thin views that parse a request, call one service, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.models import CustomerProfile

from ..cart import selectors as cart_selectors
from ..cart import services as cart_services
from ..cart import session as cart_session
from ..quantities import parse_id
from . import selectors, services
from .forms import QUOTE_ROWS, InquiryForm, line_forms, posted_rows, row_errors

SENT_INQUIRY_KEY = "orders.sent_inquiry"


def _render(request, template, context=None, status=200):
    return render(request, template, {"noindex": True, **(context or {})}, status=status)


def _visitor_key(request) -> str:
    """The anonymous visitor's session id, which owns their form's idempotency key."""
    if request.user.is_authenticated:
        return ""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


# --- quote requests ---------------------------------------------------------------------------


def _contact_initial(user) -> dict:
    initial = {"idempotency_key": uuid.uuid4().hex}
    if user.is_authenticated:
        profile = CustomerProfile.objects.filter(user=user).first()
        initial.update(
            contact_name=user.get_full_name(),
            email=user.email,
            company=profile.company_name if profile else "",
            phone=profile.phone if profile else "",
        )
    return initial


def _lines_initial(request) -> list[dict]:
    """Rows prefilled from a part page (?part=<id or store code>&qty=N), from the cart, or
    from one of the customer's earlier quotes (?again=RFQ-…)."""
    again = request.GET.get("again", "").strip()
    if again and request.user.is_authenticated:
        inquiry = selectors.inquiry_of_or_none(customer=request.user, reference=again)
        if inquiry is not None:
            return services.ask_again_lines(inquiry)
    part = selectors.part_for_quote(request.GET.get("part", ""))
    if part is not None:
        quantity = parse_id(request.GET.get("qty")) or part.moq
        return [
            {
                "part": part.pk,
                "mpn": part.mpn,
                "manufacturer": part.manufacturer.name,
                "quantity": quantity,
            }
        ]
    if request.GET.get("from") == "cart":
        cart = cart_services.cart_price(
            cart=cart_selectors.open_cart(owner=cart_session.cart_owner(request))
        )
        return [
            {
                "part": line.part.pk,
                "mpn": line.part.mpn,
                "manufacturer": line.part.manufacturer.name,
                "quantity": line.quantity,
            }
            for line in cart.lines
        ]
    return []


def _posted_initial(data, forms) -> list[dict]:
    return [{name: data.get(form.add_prefix(name), "") for name in form.fields} for form in forms]


@never_cache
@require_http_methods(["GET", "POST"])
def quote_request(request):
    if request.method == "GET":
        initial = _lines_initial(request)
        form = InquiryForm(initial=_contact_initial(request.user))
        lines = line_forms(rows=max(QUOTE_ROWS, len(initial) + 2), initial=initial)
        return _render(request, "orders/quote.html", {"form": form, "lines": lines})

    rows = posted_rows(request.POST)
    if "more_rows" in request.POST:
        posted = line_forms(request.POST, rows=rows)
        form = InquiryForm(initial=request.POST.dict())
        lines = line_forms(rows=rows + QUOTE_ROWS, initial=_posted_initial(request.POST, posted))
        return _render(request, "orders/quote.html", {"form": form, "lines": lines})

    form = InquiryForm(request.POST)
    lines = line_forms(request.POST, rows=rows)
    filled = [line for line in lines if not line.is_blank()]
    contact_valid = form.is_valid()
    lines_valid = all([line.is_valid() for line in filled])
    if contact_valid and form.cleaned_data["website"]:
        return redirect("orders:quote")
    if contact_valid and lines_valid:
        data = form.cleaned_data
        try:
            inquiry = services.inquiry_submit(
                customer=request.user,
                contact_name=data["contact_name"],
                email=data["email"],
                company=data["company"],
                phone=data["phone"],
                note=data["note"],
                lines=[line.line_input() for line in filled],
                idempotency_key=data["idempotency_key"] or None,
                visitor_key=_visitor_key(request),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            request.session[SENT_INQUIRY_KEY] = inquiry.reference
            return redirect("orders:quote-sent")
    elif contact_valid and not filled:
        form.add_error(None, _("Add at least one part number with a quantity."))
    context = {
        "form": form,
        "lines": lines,
        "has_line_errors": not lines_valid,
        "row_errors": row_errors(lines),
    }
    return _render(request, "orders/quote.html", context, status=400)


@never_cache
@require_GET
def quote_sent(request):
    reference = request.session.get(SENT_INQUIRY_KEY)
    inquiry = selectors.inquiry_by_reference(reference) if reference else None
    if inquiry is None:
        return redirect("orders:quote")
    context = {"inquiry": inquiry, "lines": selectors.inquiry_lines(inquiry=inquiry)}
    return _render(request, "orders/quote_sent.html", context)


# --- the customer's quote requests ----------------------------------------------------------


@never_cache
@login_required
def inquiry_list(request):
    inquiries = list(selectors.inquiries_of(customer=request.user)[:200])
    return _render(
        request, "orders/inquiry_list.html", {"inquiries": inquiries, "section": "quotes"}
    )


@never_cache
@login_required
def inquiry_detail(request, reference: str):
    inquiry = selectors.inquiry_of(customer=request.user, reference=reference)
    context = {"section": "quotes", **selectors.quote_page_data(inquiry=inquiry)}
    return _render(request, "orders/inquiry_detail.html", context)


@never_cache
@login_required
@require_POST
def inquiry_accept(request, reference: str):
    """Put the quoted lines the customer ticked in the cart, at the quoted price."""
    inquiry = selectors.inquiry_of(customer=request.user, reference=reference)
    line_ids = [pk for pk in (parse_id(v) for v in request.POST.getlist("line")) if pk]
    try:
        services.quote_accept(
            customer=request.user,
            reference=inquiry.reference,
            line_ids=line_ids,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("orders:inquiry-detail", reference=inquiry.reference)
    messages.success(
        request,
        _("The quoted lines are in your cart at the quoted price, until %(date)s.")
        % {"date": services.quote_valid_until(inquiry)},
    )
    return redirect("orders:cart")


@never_cache
@login_required
@require_POST
def inquiry_decline(request, reference: str):
    inquiry = selectors.inquiry_of(customer=request.user, reference=reference)
    try:
        services.quote_decline(customer=request.user, reference=inquiry.reference)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("You declined quote %(ref)s.") % {"ref": inquiry.reference})
    return redirect("orders:inquiry-detail", reference=inquiry.reference)


@never_cache
@login_required
@require_GET
def inquiry_pdf(request, reference: str):
    from .pdf import quote_pdf  # reportlab loads only for the download

    inquiry = selectors.inquiry_of(customer=request.user, reference=reference)
    if not selectors.quote_is_shown(inquiry):
        raise Http404("No quote yet.")
    response = HttpResponse(quote_pdf(inquiry), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quote-{inquiry.reference}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response
