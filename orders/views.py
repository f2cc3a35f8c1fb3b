"""Cart and quote pages: thin views that parse a request, call one service, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Part
from customers.models import CustomerProfile

from . import selectors, services, session
from .forms import QUOTE_ROWS, InquiryForm, line_forms, posted_rows

SENT_INQUIRY_KEY = "orders.sent_inquiry"


def _render(request, template, context=None, status=200):
    return render(request, template, {"noindex": True, **(context or {})}, status=status)


def _id_or_none(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


# --- the cart ---------------------------------------------------------------------------------


def _counted(request, owner, response):
    """The response, with the header's cart line count brought up to date."""
    count = services.cart_line_count(owner=owner)
    session.remember_line_count(request, count)
    session.send_line_count(request, response, count)
    return response


@never_cache
@require_GET
def cart_detail(request):
    owner = session.cart_owner(request)
    cart = services.cart_price(cart=selectors.open_cart(owner=owner))
    session.remember_line_count(request, len(cart.lines))
    response = _render(request, "orders/cart.html", {"cart": cart})
    session.send_line_count(request, response, len(cart.lines))
    return response


@require_POST
def cart_add(request):
    """Add a part from its page; a quantity that cannot be ordered is shown again with why."""
    quantity = request.POST.get("quantity", "")
    owner = session.cart_owner(request, create=True)
    try:
        line = services.cart_add_line(
            owner=owner,
            part_id=request.POST.get("part", ""),
            quantity=quantity,
            packaging_id=_id_or_none(request.POST.get("packaging")),
        )
    except ValidationError as error:
        part_id = _id_or_none(request.POST.get("part"))
        part = Part.objects.select_related("manufacturer").filter(pk=part_id).first()
        if part is None:
            raise Http404("No such part") from error
        context = {
            "part": part,
            "errors": error.messages,
            "quantity": quantity.strip()[:12],
            "packaging": _id_or_none(request.POST.get("packaging")),
        }
        return _render(request, "orders/cart_add.html", context, status=400)
    messages.success(request, f"{line.part.mpn} is in your cart: {line.quantity:,} pieces.")
    return _counted(request, owner, redirect("orders:cart"))


@require_POST
def cart_update(request, line_id: int):
    owner = session.cart_owner(request)
    try:
        if owner is None:
            raise ValidationError("That line is no longer in your cart.")
        line = services.cart_set_quantity(
            owner=owner, line_id=line_id, quantity=request.POST.get("quantity", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("orders:cart")
    if line is None:
        messages.success(request, "The line is removed from your cart.")
        return _counted(request, owner, redirect("orders:cart"))
    messages.success(request, f"{line.part.mpn}: {line.quantity:,} pieces.")
    return redirect("orders:cart")


@require_POST
def cart_remove(request, line_id: int):
    owner = session.cart_owner(request)
    if owner is None:
        return redirect("orders:cart")
    services.cart_remove_line(owner=owner, line_id=line_id)
    messages.success(request, "The line is removed from your cart.")
    return _counted(request, owner, redirect("orders:cart"))


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
    """Rows prefilled from a part page (?part=<id or store code>&qty=N) or from the cart."""
    part = selectors.part_for_quote(request.GET.get("part", ""))
    if part is not None:
        quantity = _id_or_none(request.GET.get("qty")) or part.moq
        return [
            {
                "part": part.pk,
                "mpn": part.mpn,
                "manufacturer": part.manufacturer.name,
                "quantity": quantity,
            }
        ]
    if request.GET.get("from") == "cart":
        cart = services.cart_price(cart=selectors.open_cart(owner=session.cart_owner(request)))
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
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            request.session[SENT_INQUIRY_KEY] = inquiry.reference
            return redirect("orders:quote-sent")
    elif contact_valid and not filled:
        form.add_error(None, "Add at least one part number with a quantity.")
    context = {"form": form, "lines": lines, "has_line_errors": not lines_valid}
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
    return _render(request, "orders/inquiry_detail.html", {"inquiry": inquiry, "section": "quotes"})
