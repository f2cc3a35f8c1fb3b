"""Cart pages: thin views that parse a request, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Part
from catalog.pricing import money_text
from customers import behaviour
from customers.models import EventKind

from ..quantities import parse_id
from ..vat import worked_example
from . import selectors, services, session


def _render(request, template, context=None, status=200):
    return render(request, template, {"noindex": True, **(context or {})}, status=status)


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
            packaging_id=parse_id(request.POST.get("packaging")),
        )
    except ValidationError as error:
        part_id = parse_id(request.POST.get("part"))
        part = Part.objects.select_related("manufacturer").filter(pk=part_id).first()
        if part is None:
            raise Http404("No such part") from error
        context = {
            "part": part,
            "errors": error.messages,
            "quantity": quantity.strip()[:12],
            "packaging": parse_id(request.POST.get("packaging")),
        }
        return _render(request, "orders/cart_add.html", context, status=400)
    messages.success(request, f"{line.part.mpn} is in your cart: {line.quantity:,} pieces.")
    behaviour.event_from_request(request, kind=EventKind.CART_ADD, part_id=line.part_id)
    return _counted(request, owner, redirect("orders:cart"))


@require_POST
def cart_update(request, line_id: int):
    owner = session.cart_owner(request)
    try:
        if owner is None:
            raise ValidationError(_("That line is no longer in your cart."))
        line = services.cart_set_quantity(
            owner=owner, line_id=line_id, quantity=request.POST.get("quantity", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("orders:cart")
    if line is None:
        messages.success(request, _("The line is removed from your cart."))
        return _counted(request, owner, redirect("orders:cart"))
    messages.success(request, f"{line.part.mpn}: {line.quantity:,} pieces.")
    return redirect("orders:cart")


@require_POST
def cart_remove(request, line_id: int):
    owner = session.cart_owner(request)
    if owner is None:
        return redirect("orders:cart")
    services.cart_remove_line(owner=owner, line_id=line_id)
    messages.success(request, _("The line is removed from your cart."))
    return _counted(request, owner, redirect("orders:cart"))


@require_POST
def cart_packaging(request, line_id: int):
    """Move a line to the packaging chosen in its select."""
    owner = session.cart_owner(request)
    try:
        if owner is None:
            raise ValidationError(_("That line is no longer in your cart."))
        line = services.cart_set_packaging(
            owner=owner, line_id=line_id, packaging_id=request.POST.get("packaging", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("orders:cart")
    label = str(line.packaging) if line.packaging_id else "its main packaging"
    messages.success(request, f"{line.part.mpn}: {line.quantity:,} pieces on {label}.")
    return _counted(request, owner, redirect("orders:cart"))


@require_POST
def cart_reel_split(request, line_id: int):
    """Apply a line's full-reel offer."""
    owner = session.cart_owner(request)
    try:
        if owner is None:
            raise ValidationError(_("That line is no longer in your cart."))
        split = services.cart_apply_reel_split(owner=owner, line_id=line_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("orders:cart")
    saving = f"{settings.SHOP_CURRENCY} {money_text(split.saving)}"
    messages.success(
        request,
        _("Split into %(label)s: %(saving)s less in total.")
        % {"label": split.label, "saving": saving},
    )
    return _counted(request, owner, redirect("orders:cart"))


@require_GET
def vat_rule(request):
    return _render(request, "orders/vat.html", {"example": worked_example()})
