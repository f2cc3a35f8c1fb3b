"""The customer's return pages: list, open on an order line, the return with its timeline,
messages, and its photos and lab reports (served to the owner and staff only). Thin views."""

from __future__ import annotations

import mimetypes
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..errors import OrdersError
from ..models import OrderLine, ReturnEvent, ReturnEventKind, ReturnPhoto, ReturnRequest
from . import selectors, services
from .forms import ReturnMessageForm, ReturnOpenForm

RETURNS_PER_PAGE = 20


def _render(request, template, context, status=200):
    response = render(
        request, template, {"noindex": True, "section": "returns", **context}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _own_return(request, reference: str) -> ReturnRequest:
    try:
        return selectors.return_of(customer=request.user, reference=reference)
    except ReturnRequest.DoesNotExist:
        raise Http404(_("No such return.")) from None


@never_cache
@login_required
@require_GET
def return_list(request):
    page = Paginator(selectors.returns_of(customer=request.user), RETURNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _render(
        request, "orders/returns/list.html", {"page": page, "returns": page.object_list}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def return_open(request, reference: str, line_id: int):
    try:
        line = selectors.customer_line(customer=request.user, reference=reference, line_id=line_id)
    except OrderLine.DoesNotExist:
        raise Http404(_("No such order line.")) from None
    allowance = selectors.line_allowance(line)
    if request.method == "POST":
        form = ReturnOpenForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opened = services.return_open(
                    customer=request.user,
                    line_id=line.pk,
                    kind=data["kind"],
                    reason=data["reason"],
                    quantity=data["quantity"],
                    description=data["description"],
                    photos=data["photos"],
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except OrdersError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Return %(ref)s is open: we will answer here and by email.")
                    % {"ref": opened.reference},
                )
                return redirect("orders:return-detail", reference=opened.reference)
        status = 400
    else:
        form = ReturnOpenForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "quantity": allowance.most("complaint") or None,
            }
        )
        status = 200
    return _render(
        request,
        "orders/returns/open.html",
        {
            "form": form,
            "line": line,
            "order": line.order,
            "allowance": allowance,
            "deadline": selectors.return_deadline(line.order),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def return_detail(request, reference: str):
    return_request = _own_return(request, reference)
    return _render(
        request,
        "orders/returns/detail.html",
        {
            "rma": return_request,
            "events": [(e, selectors.actor_label(e)) for e in return_request.events.all()],
            "form": ReturnMessageForm(),
            "can_write": selectors.can_write(return_request),
        },
    )


@login_required
@require_POST
def return_message(request, reference: str):
    return_request = _own_return(request, reference)
    form = ReturnMessageForm(request.POST)
    if form.is_valid():
        try:
            services.return_message_add(
                return_id=return_request.pk,
                author=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except OrdersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is on the return's timeline."))
            return redirect("orders:return-detail", reference=return_request.reference)
    return _render(
        request,
        "orders/returns/detail.html",
        {
            "rma": return_request,
            "events": [(e, selectors.actor_label(e)) for e in return_request.events.all()],
            "form": form,
            "can_write": selectors.can_write(return_request),
        },
        status=400,
    )


def _visible_return(request, reference: str) -> ReturnRequest:
    """The signed-in customer's own return, or any return for staff."""
    queryset = ReturnRequest.objects.all()
    if not request.user.is_staff:
        queryset = queryset.filter(customer=request.user)
    return get_object_or_404(queryset, reference=(reference or "").upper())


def _file_response(file, *, content_type: str, filename: str, disposition: str):
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is no longer available.")) from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def return_photo(request, reference: str, photo_id: int):
    return_request = _visible_return(request, reference)
    photo = get_object_or_404(ReturnPhoto, pk=photo_id, request=return_request)
    content_type = photo.content_type if photo.content_type in ("image/jpeg", "image/png") else None
    if content_type is None:
        raise Http404(_("No such photo."))
    extension = mimetypes.guess_extension(content_type) or ".jpg"
    return _file_response(
        photo.image,
        content_type=content_type,
        filename=f"{return_request.reference}-{photo.pk}{extension}",
        disposition="inline",
    )


@login_required
@require_GET
def return_report(request, reference: str, event_id: int):
    return_request = _visible_return(request, reference)
    event = get_object_or_404(
        ReturnEvent, pk=event_id, request=return_request, kind=ReturnEventKind.LAB_REPORT
    )
    if not event.attachment:
        raise Http404(_("No report."))
    return _file_response(
        event.attachment,
        content_type="application/pdf",
        filename=f"{return_request.reference}-lab-report-{event.pk}.pdf",
        disposition="attachment",
    )
