"""Where a visitor's cart is found: the signed-in customer's, or the one whose key the
anonymous visitor's session holds.

The header shows the cart's line count without a query: the session keeps it for pages
rendered now, and a cookie keeps it with the time it changed, for pages the browser shows
from its cache after a 304 (their header is older than the cart; templates/base.html reads
the cookie when it is newer than the page).
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings

from . import services

CART_KEY = "orders.cart_key"
LINE_COUNT_KEY = "cart_lines"  # read by templates/base.html
LINE_COUNT_COOKIE = "cart_lines"  # "<count>:<unix time it changed>", read by templates/base.html


def cart_owner(request, *, create: bool = False) -> services.CartOwner | None:
    """Whose cart this request works on; an anonymous visitor gets a cart key when
    ``create`` is set (the first part they add), and has none before."""
    if request.user.is_authenticated:
        return services.CartOwner(customer=request.user)
    key = request.session.get(CART_KEY)
    if not key and create:
        key = _visitor_cart_key(request.session)
        request.session[CART_KEY] = key
    return services.CartOwner(session_key=key) if key else None


def _visitor_cart_key(session) -> str:
    """A new visitor's cart key. With a session already open it is derived from the session
    id, so parallel first adds (a double click) name the same cart and the database's
    one-open-cart-per-key constraint makes one; it is kept in the session, so it survives
    the session id changing at sign-in."""
    if session.session_key:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), b"cart:" + session.session_key.encode(), hashlib.sha256
        )
        return digest.hexdigest()[:32]
    return secrets.token_urlsafe(24)


def remember_line_count(request, count: int) -> None:
    """Keep the header's line count in the session, for the pages rendered from now on."""
    if request.session.get(LINE_COUNT_KEY, 0) != count:
        request.session[LINE_COUNT_KEY] = count


def send_line_count(request, response, count: int) -> None:
    """Tell the browser the line count and when it changed, if it knows another count."""
    if request.COOKIES.get(LINE_COUNT_COOKIE, "0").partition(":")[0] != str(count):
        response.set_cookie(
            LINE_COUNT_COOKIE,
            f"{count}:{time.time():.6f}",
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )


def merge_cart_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the cart filled before signing in becomes the customer's."""
    session = getattr(request, "session", None)
    if session is None:
        return
    key = session.pop(CART_KEY, None)
    if key:
        services.cart_merge_at_login(session_key=key, customer=user)
    remember_line_count(request, services.cart_line_count(owner=services.CartOwner(customer=user)))
