"""Site-wide request guards."""

import logging
import re

from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation.trans_real import parse_accept_lang_header

_ENCODED_NUL = re.compile("%00", re.IGNORECASE)

logger = logging.getLogger(__name__)


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold a NUL byte: one in a URL or query would reach a query and
    fail as a server error. A path with one names nothing, so it is answered 400 up front; in
    the query string (a pasted search box, a form field) the NULs are dropped and the page
    answers normally."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain"
            )
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string.lower():
            request.META["QUERY_STRING"] = _ENCODED_NUL.sub("", query_string)
        return self.get_response(request)


# Attributes by which a view or decorator changes or drops the policy of one response.
_CSP_RESPONSE_ATTRIBUTES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)  # fmt: skip


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header on every response with a body. A 304 gets none: its headers would
    replace the cached page's, whose inline script carries the nonce of the first answer.

    A page that used no nonce (a cached part page, most JSON) and changes nothing of the
    policy gets the same header every time: built once per policy setting, not per response
    (django-csp's building was a tenth of a cached part page's time)."""

    _plain: tuple[dict | None, dict | None, str, str] | None = None

    def process_response(self, request, response):
        if response.status_code == 304:
            return response
        plain = (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in _CSP_RESPONSE_ATTRIBUTES)
            and "Content-Security-Policy" not in response
            and "Content-Security-Policy-Report-Only" not in response
        )
        if not plain:
            return super().process_response(request, response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = ContentSecurityPolicyMiddleware._plain
        # Kept with the setting objects themselves: a changed setting is a different object.
        if built is None or built[0] is not policy or built[1] is not report_only:
            from csp.utils import build_policy

            built = (policy, report_only, build_policy(), build_policy(report_only=True))
            ContentSecurityPolicyMiddleware._plain = built
        for header, value, config in (
            ("Content-Security-Policy", built[2], policy),
            ("Content-Security-Policy-Report-Only", built[3], report_only),
        ):
            prefixes = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if value and not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` (added to what the view set) on what is one
    customer's: every response under ``SHOP_PRIVATE_PATH_PREFIXES`` (account, cart, quotes,
    account API, admin), and any other response to a signed-in customer that does not say
    itself how it may be cached (a catalog page does, and varies on the cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.SHOP_PRIVATE_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        private = request.path.startswith(self.prefixes) or (
            not response.has_header("Cache-Control") and self._signed_in(request)
        )
        if private:
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        return "HTTP_AUTHORIZATION" in request.META


class PartPageCacheMiddleware:
    """Answers an anonymous GET of a part page before the session, locale, CSRF,
    authentication and messages middleware run (catalog.views.cached_part_page): the page
    is the same for every visitor, so a re-read or a CDN's revalidation costs one cache
    read, and a crawler's first read a render without sessions. Placed after the
    security, CSP, statement-timeout and replica middleware, whose headers and limits
    apply as on any page; anything else (a session cookie, a visitor sent to their
    language, another spelling of the URL, an unknown part) goes the whole way. The page
    view is counted as BehaviourEventsMiddleware counts it. Once a page is kept, its
    re-reads are answered before Django's handler (shop.kept_pages), with the headers this
    middleware's answers carried."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.default = settings.LANGUAGE_CODE
        others = "|".join(re.escape(code) for code, _ in settings.LANGUAGES if code != self.default)
        self.path = re.compile(
            rf"^/(?:(?P<language>{others})/)?part/(?P<manufacturer>[^/]+)/(?P<mpn>[^/].*?)/$"
        )
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.redirects = LanguageRedirectMiddleware(get_response)
        self.counts_views = "customers.middleware.BehaviourEventsMiddleware" in settings.MIDDLEWARE

    def __call__(self, request):
        found = self.part_page_language(request)
        if found is None:
            return self.get_response(request)
        match, language = found
        from catalog.views import cached_part_page
        from customers.behaviour import event_from_request
        from shop.db import StatementTimeoutMiddleware, is_statement_timeout

        with translation.override(language):
            try:
                response = cached_part_page(request, match["manufacturer"], match["mpn"])
            except OperationalError as error:
                if not is_statement_timeout(error):
                    raise
                # The 503 page the statement-timeout middleware answers for a view.
                return StatementTimeoutMiddleware.process_exception(None, request, error)
        if response is None:
            return self.get_response(request)
        if self.counts_views:
            try:
                event_from_request(request, kind="part_view", **request.event_details)
            except Exception:  # noqa: BLE001 - counting never fails a page
                logger.exception("behaviour event not recorded")
        return response

    def part_page_language(self, request) -> tuple[re.Match, str] | None:
        """The part page address and the language to answer it in, or None when the request
        must go the whole way. Raises DisallowedHost for an unknown host (answered 400, as
        CommonMiddleware's check does). shop.kept_pages.KeptPartPages asks the same."""
        if not self._may_answer(request):
            return None
        match = self.path.match(request.path_info)
        if match is None:
            return None
        request.get_host()
        language = match["language"]
        if language is None:
            wanted = self.redirects._wanted_language(request)
            if wanted and wanted != self.default:
                return None  # LanguageRedirectMiddleware sends them on
            language = self.default
        return match, language

    def _may_answer(self, request) -> bool:
        return (
            settings.CATALOG_PAGE_CACHE_EARLY
            and request.method == "GET"
            and self.session_cookie not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )


class ClientIpMiddleware:
    """Puts the client's address into REMOTE_ADDR when the store runs behind proxies.

    With ``TRUSTED_PROXY_COUNT`` = N (nginx alone: 1), the client is the address the
    outermost trusted proxy saw: the N-th entry from the right of X-Forwarded-For. Entries
    further left were written by the client itself and are not believed; with 0 (no
    proxy), X-Forwarded-For is ignored. Sign-in limits count per this address.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.settings = settings

    def __call__(self, request):
        client_address_from_proxies(request.META, self.settings.TRUSTED_PROXY_COUNT)
        return self.get_response(request)


def client_address_from_proxies(meta: dict, trusted: int) -> None:
    """ClientIpMiddleware's rule, on a request's META."""
    if trusted:
        entries = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [entry.strip() for entry in entries if entry.strip()]
        if len(forwarded) >= trusted:
            meta["REMOTE_ADDR"] = forwarded[-trusted]


class LanguageRedirectMiddleware:
    """Sends each visitor to the storefront in their language; runs right after
    LocaleMiddleware.

    - ``/en/...`` answers 301 to the unprefixed English URL (English has no prefix).
    - An unprefixed storefront page asked with GET by a visitor whose saved choice (the
      ``django_language`` cookie) is Chinese, or who has no saved choice and whose browser
      prefers Chinese (``Accept-Language``), answers 302 to the same page under ``/zh-hans/``.
      A crawler without ``Accept-Language`` and an English browser stay on English; a saved
      English choice wins over a Chinese browser. A prefixed URL is always served as asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.default = settings.LANGUAGE_CODE
        self.codes = [code for code, _ in settings.LANGUAGES]

    def __call__(self, request):
        path = request.path_info
        if path == f"/{self.default}" or path.startswith(f"/{self.default}/"):
            return self._redirect(request, path[len(self.default) + 1:] or "/", permanent=True)
        if request.method in ("GET", "HEAD"):
            wanted = self._wanted_language(request)
            if wanted and wanted != self.default and self._is_storefront(path):
                response = self._redirect(request, f"/{wanted}{path}", permanent=False)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if not translation.get_language_from_path(path) and self._is_storefront(path):
            # The same unprefixed URL redirects other visitors: shared caches must know.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _wanted_language(self, request) -> str | None:
        """The language to redirect an unprefixed URL to, or None to serve it as asked."""
        if translation.get_language_from_path(request.path_info):
            return None
        saved = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if saved:
            return saved if saved in self.codes else None
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if not header:
            return None
        for accepted, _ in parse_accept_lang_header(header):
            if accepted == "*":
                return None
            try:
                return translation.get_supported_language_variant(accepted)
            except LookupError:
                continue
        return None

    @staticmethod
    def _is_storefront(path: str) -> bool:
        """Pages in i18n_patterns exist under a language prefix too; admin, API, sitemaps
        and files do not."""
        language = next(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        with translation.override(language):
            try:
                resolve(f"/{language}{path}")
            except Resolver404:
                return False
        return True

    @staticmethod
    def _redirect(request, path: str, *, permanent: bool):
        query = request.META.get("QUERY_STRING", "")
        location = iri_to_uri(escape_uri_path(path)) + (f"?{query}" if query else "")
        return (HttpResponsePermanentRedirect if permanent else HttpResponseRedirect)(location)
