"""BOM tool pages: thin views that parse a request, call one service or selector, render.

Anyone may upload and match a BOM; it belongs to the signed-in customer, or to the visitor's
session (a key kept in it) until they sign in and save it. Another customer's BOM is a 404.
"""

from __future__ import annotations

import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.models import CustomerProfile

from ..cart import session as cart_session
from ..cart.services import CartOwner
from ..quantities import parse_id
from ..rfq.views import SENT_INQUIRY_KEY
from . import export, reader, selectors, services
from .forms import BomColumnsForm, BomQuoteForm, BomSettingsForm, BomUploadForm

BOM_KEY = "orders.bom_key"
PREVIEW_ROWS = 5


def _render(request, template, context=None, status=200):
    response = render(request, template, {"noindex": True, **(context or {})}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _visitor_key(request, *, create: bool = False) -> str:
    key = request.session.get(BOM_KEY, "")
    if not key and create:
        key = request.session[BOM_KEY] = secrets.token_urlsafe(24)
    return key


def _owner(request) -> CartOwner:
    if request.user.is_authenticated:
        return CartOwner(customer=request.user)
    return CartOwner(session_key=_visitor_key(request, create=True))


def _customer(request):
    return request.user if request.user.is_authenticated else None


def _bom(request, bom_id):
    bom = selectors.bom_for_visit(
        customer=_customer(request), visitor_key=_visitor_key(request), bom_id=bom_id
    )
    if bom is None:
        raise Http404("No such BOM.")
    return bom


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- upload and columns ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def bom_upload(request):
    if request.method == "GET":
        return _render(request, "orders/bom/upload.html", {"form": BomUploadForm()})
    form = BomUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                upload = data["file"]
                table = reader.read_upload(upload.name, upload.read(reader.MAX_FILE_BYTES + 1))
            else:
                table = reader.read_paste(data["paste"])
            bom = services.bom_create(
                owner=_owner(request),
                table=table,
                name=data["name"],
                settings=services.BomSettings(
                    build_quantity=services.parse_build_quantity(data["build_quantity"]),
                    attrition_percent=services.parse_attrition(data["attrition"]),
                ),
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            return redirect("orders:bom-columns", bom_id=bom.pk)
    return _render(request, "orders/bom/upload.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def bom_columns(request, bom_id: int):
    """The columns guessed, with selects to correct them, over the file's first rows."""
    bom = _bom(request, bom_id)
    form = BomColumnsForm(request.POST or None, headers=bom.headers, mapping=bom.column_mapping)
    status = 200
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            if mapping != bom.column_mapping or not bom.lines.exists():
                services.bom_remap(bom=bom, mapping=mapping, customer=_customer(request))
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
            status = 400
        else:
            return redirect("orders:bom-detail", bom_id=bom.pk)
    context = {
        "bom": bom,
        "form": form,
        "headers": bom.headers,
        "preview": [cells for _, cells in bom.source_rows[:PREVIEW_ROWS]],
        "needs_columns": services.needs_columns(bom.column_mapping),
    }
    return _render(request, "orders/bom/columns.html", context, status=status)


# --- the matched BOM --------------------------------------------------------------------------


def _detail_context(request, bom, priced, **extra):
    return {
        "bom": bom,
        "priced": priced,
        "problems": [reader.RowProblem(row, reason) for row, reason in bom.problems],
        "settings_form": BomSettingsForm(
            initial={
                "build_quantity": bom.build_quantity,
                "attrition": bom.attrition_percent.normalize(),
                "merge_same_parts": bom.merge_same_parts,
            }
        ),
        **extra,
    }


@never_cache
@require_GET
def bom_detail(request, bom_id: int):
    bom = _bom(request, bom_id)
    if services.needs_columns(bom.column_mapping):
        return redirect("orders:bom-columns", bom_id=bom.pk)
    priced = selectors.bom_priced(bom=bom)
    return _render(request, "orders/bom/detail.html", _detail_context(request, bom, priced))


def _back(bom, anchor=""):
    return redirect(reverse("orders:bom-detail", args=[bom.pk]) + anchor)


@require_POST
def bom_settings(request, bom_id: int):
    bom = _bom(request, bom_id)
    try:
        services.bom_update_settings(
            bom=bom,
            build_quantity=request.POST.get("build_quantity", ""),
            attrition_percent=request.POST.get("attrition", ""),
            merge_same_parts=request.POST.get("merge_same_parts") == "on",
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    return _back(bom)


@require_POST
def bom_line_choose(request, bom_id: int, line_id: int):
    bom = _bom(request, bom_id)
    try:
        services.bom_line_choose(
            bom=bom, line_id=line_id, part_id=parse_id(request.POST.get("part"))
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(bom, f"#line-{line_id}")


@require_POST
def bom_line_alternate(request, bom_id: int, line_id: int):
    bom = _bom(request, bom_id)
    try:
        services.bom_line_accept_alternate(bom=bom, line_id=line_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(bom, f"#line-{line_id}")


@require_POST
def bom_line_attrition(request, bom_id: int, line_id: int):
    bom = _bom(request, bom_id)
    try:
        services.bom_line_set_attrition(
            bom=bom, line_id=line_id, attrition_percent=request.POST.get("attrition", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(bom, f"#line-{line_id}")


@require_POST
def bom_add_to_cart(request, bom_id: int):
    bom = _bom(request, bom_id)
    owner = cart_session.cart_owner(request, create=True)
    try:
        priced = services.bom_add_to_cart(bom=bom, owner=owner)
    except ValidationError as error:
        messages.error(request, "Nothing was added to the cart. " + error.messages[0])
        return _back(bom)
    count = len(priced.orderable_rows)
    messages.success(request, f"{count:,} BOM line{'s' if count != 1 else ''} added to the cart.")
    return redirect("orders:cart")


def _quote_initial(request) -> dict:
    initial = {"idempotency_key": uuid.uuid4().hex}
    user = request.user
    if user.is_authenticated:
        profile = CustomerProfile.objects.filter(user=user).first()
        initial.update(
            contact_name=user.get_full_name(),
            email=user.email,
            company=profile.company_name if profile else "",
        )
    return initial


def _rfq_visitor_key(request) -> str:
    if request.user.is_authenticated:
        return ""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


@never_cache
@require_http_methods(["GET", "POST"])
def bom_quote(request, bom_id: int):
    """One quote request for the lines not found or to check, prefilled from the BOM."""
    bom = _bom(request, bom_id)
    priced = selectors.bom_priced(bom=bom)
    form = BomQuoteForm(request.POST or None, initial=_quote_initial(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.cleaned_data["website"]:
            return _back(bom)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.bom_request_quote(
                    bom=bom,
                    customer=_customer(request),
                    visitor_key=_rfq_visitor_key(request),
                    contact_name=data["contact_name"],
                    email=data["email"],
                    company=data["company"],
                    note=data["note"],
                    idempotency_key=data["idempotency_key"] or None,
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                request.session[SENT_INQUIRY_KEY] = inquiry.reference
                return redirect("orders:quote-sent")
    context = {"bom": bom, "priced": priced, "form": form}
    return _render(request, "orders/bom/quote.html", context, status=status)


@never_cache
@require_GET
def bom_export(request, bom_id: int, file_format: str):
    bom = _bom(request, bom_id)
    priced = selectors.bom_priced(bom=bom)
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in bom.name)[:60] or "bom"
    if file_format == "csv":
        response = HttpResponse(export.bom_csv(priced), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.bom_xlsx(priced),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}-priced.{file_format}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def bom_save(request, bom_id: int):
    bom = _bom(request, bom_id)
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to save the BOM in your account; it waits for you here.")
        return redirect_to_login(reverse("orders:bom-detail", args=[bom.pk]))
    try:
        services.bom_save(bom=bom, customer=request.user, name=request.POST.get("name", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(bom)
    messages.success(request, "The BOM is saved in your account.")
    return redirect("orders:account-bom-detail", bom_id=bom.pk)


# --- the customer's saved BOMs ----------------------------------------------------------------


@never_cache
@login_required
@require_GET
def account_bom_list(request):
    boms = list(selectors.customer_boms(customer=request.user)[:200])
    return _render(request, "orders/bom/account_list.html", {"boms": boms, "section": "boms"})


@never_cache
@login_required
@require_GET
def account_bom_detail(request, bom_id: int):
    """A saved BOM priced at today's prices, with what changed since it was last opened."""
    bom = selectors.bom_for_visit(customer=request.user, visitor_key="", bom_id=bom_id)
    if bom is None or bom.saved_at is None:
        raise Http404("No such BOM.")
    priced = services.bom_record_prices(bom=bom)
    context = _detail_context(request, bom, priced, repriced=True, section="boms")
    return _render(request, "orders/bom/detail.html", context)
