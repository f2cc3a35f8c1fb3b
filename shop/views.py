import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog import languages, selectors
from catalog.models import name_for_language
from customers.notifications import unread_count
from customers.selectors import bonus_tiers
from orders.cart import session as cart_session
from promotions.selectors import first_order_offer

from . import info_pages
from .selectors import home_catalog


def home(request):
    catalog = home_catalog()
    categories = [
        {**row, "name": name_for_language(row["name"], row.get("name_zh", ""))}
        for row in catalog["categories"]
    ]
    context = {
        **catalog,
        "categories": categories,
        "first_order_offer": first_order_offer(),
        "bonus_tiers": list(bonus_tiers()[:3]),
        "ship_cutoff": f"{settings.ORDERS_SHIP_CUTOFF_HOUR}:00",
    }
    return render(request, "shop/home.html", context)


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")


def llms_txt(request):
    """/llms.txt: what the store is and how an assistant should read it (llmstxt.org)."""
    text = cache.get("llms.txt")
    if text is None:
        text = render_to_string("llms.txt", selectors.llms_overview(), request=request)
        cache.set("llms.txt", text, 3600)
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is an SVG among the static files."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def developers(request):
    """/developers/: the API for ERP and BOM tools, its limits and how to start."""
    from catalog.lookup import MAX_LINES

    from .api_throttling import parse_rate

    def per(rate_name: str) -> dict:
        count, period = parse_rate(settings.API_THROTTLE_RATES[rate_name])
        units = {1: _("second"), 60: _("minute"), 3600: _("hour"), 86400: _("day")}
        unit = units.get(period) or _("%(seconds)s s") % {"seconds": period}
        return {"count": count, "unit": unit}

    context = {
        "limits": {
            "anonymous_burst": per("anonymous_burst"),
            "anonymous_sustained": per("anonymous_sustained"),
            "customer_burst": per("customer_burst"),
            "customer_sustained": per("customer_sustained"),
        },
        "lookup_lines": MAX_LINES,
        "token_days": settings.API_TOKEN_MAX_AGE // 86400,
        "api_base": settings.SITE_URL + "/api/v1",
    }
    response = render(request, "shop/developers.html", context)
    if not request.user.is_authenticated:
        response["Cache-Control"] = "public, max-age=3600"
    return response


def choose_language(request, language: str):
    """The header's language switch: stores the choice in the language cookie and lands on
    the same page (``next``: path and query) in that language."""
    if language not in languages.language_codes():
        raise Http404("No such language")
    target = request.GET.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    path, _, query = target.partition("?")
    location = languages.localize(path, language) + (f"?{query}" if query else "")
    response = HttpResponseRedirect(location)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def info_page(request, slug: str):
    """/help/<slug>/: contact, shipping, returns, terms, privacy, about; in the page's
    language, answered 304 when unchanged."""
    page = info_pages.published_page(slug)
    if page is None:
        raise Http404("No such page")
    shown = info_pages.shown(page)
    shipping = info_pages.shipping_options() if slug == "shipping" else []
    # The header differs for a signed-in visitor: an answer kept while signed out must not
    # be confirmed as current (304) after signing in, as on part pages.
    viewer = str(request.user.pk) if request.user.is_authenticated else "anon"
    raw = "|".join(
        [
            slug,
            viewer,
            languages.current_language(),
            shown.updated_at.isoformat(),
            repr(sorted(info_pages.settings_values().items())),
            repr(shipping),
        ]
    )
    etag = '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'
    last_modified = int(shown.updated_at.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    response = render(
        request, "shop/info_page.html", {"page": shown, "shipping_options": shipping}
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def csrf_token(request):
    """A CSRF token for a page a shared cache keeps (it carries none): sets the csrftoken
    cookie and answers the token, never cached."""
    response = JsonResponse({"token": get_token(request)})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def header_state(request):
    """What the header of a page every visitor shares shows of this visitor (the part page:
    static/js/header-state.js): signed in or not, staff, the cart's line count, unread
    messages, and the token the sign-out form posts. Never cached; sets no cookie for an
    anonymous visitor."""
    user = request.user
    state = {
        "signed_in": user.is_authenticated,
        "staff": bool(user.is_authenticated and user.is_staff),
        "cart_lines": request.session.get(cart_session.LINE_COUNT_KEY, 0) or 0,
        "unread_messages": 0,
    }
    if user.is_authenticated:
        count = getattr(user, "unread_messages_count", None)
        state["unread_messages"] = unread_count(user) if count is None else count
        state["csrf_token"] = get_token(request)
    response = JsonResponse(state)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def csrf_failure(request, reason: str = ""):
    """A form refused for its CSRF token. Posted before the visitor had a csrftoken cookie
    (a cached part page's cart form without JavaScript), it answers a page that posts the
    same fields again with a fresh token, so pressing its button once more goes through.
    Any other failure answers a plain 403."""
    repost = reason == REASON_NO_CSRF_COOKIE and request.method == "POST"
    fields = []
    if repost:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
        get_token(request)  # sets the cookie with this answer
    response = render(
        request,
        "shop/csrf_failure.html",
        {"repost": repost, "fields": fields, "action": request.get_full_path(), "noindex": True},
        status=403,
    )
    response["Cache-Control"] = "private, no-store"
    return response
