"""The points shop pages: thin views over promotions.points_selectors and points_shop."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import points_selectors
from .models_shop import PointsShopItemKind
from .points_shop import PointsShopError, shop_redeem


@login_required
def points_shop(request):
    data = points_selectors.shop_page_data(request.user)
    for item in data["items"]:
        item.form_token = uuid.uuid4().hex
    context = {**data, "noindex": True, "section": "points"}
    return render(request, "promotions/points_shop.html", context)


@login_required
@require_POST
def points_shop_redeem(request, item_id: int):
    item = points_selectors.shop_item_for_sale(item_id)
    if item is None:
        raise Http404
    ship = request.POST.get("ship", "with_order")
    if item.kind == PointsShopItemKind.GIFT and ship not in ("with_order", "alone"):
        messages.error(request, _("Choose how the gift ships: with your next order or alone."))
        return redirect("promotions:points-shop")
    try:
        redemption = shop_redeem(
            customer=request.user,
            item_id=item.pk,
            idempotency_key=request.POST.get("token", ""),
            ship_alone=ship == "alone",
        )
    except PointsShopError as error:
        messages.error(request, error.message)
        return redirect("promotions:points-shop")
    if redemption.coupon_id:
        text = _("You redeemed %(name)s: coupon %(code)s is in your coupons.") % {
            "name": item.name,
            "code": redemption.coupon.code,
        }
    elif redemption.entitlement.ship_alone:
        text = _("You redeemed %(name)s: we will send it to you on its own.") % {
            "name": item.name
        }
    else:
        text = _("You redeemed %(name)s: it ships free with your next order.") % {
            "name": item.name
        }
    messages.success(request, text)
    return redirect("promotions:points-shop")
