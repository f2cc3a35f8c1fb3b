"""Account pages of promotions: thin views over promotions.selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from . import selectors


@login_required
def coupon_list(request):
    context = {
        "page": selectors.coupon_page_data(request.user),
        "now": timezone.now(),
        "noindex": True,
        "section": "coupons",
    }
    return render(request, "promotions/coupon_list.html", context)
