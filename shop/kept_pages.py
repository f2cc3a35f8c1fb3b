"""The WSGI application of the web processes (shop.wsgi): Django's, with kept anonymous part
pages answered in front of it. Imported once the apps are loaded (after django.setup()).

A part page is read thousands of times for each time it changes. Once
catalog.views.cached_part_page has kept a page (catalog/page_cache.py), a re-read or a
revalidation needs one cache read and nothing more: ``KeptPartPages`` answers it before
Django's handler, its middleware stack, URL resolution and request signals run, at about
twice the rate (bench/RESULTS.md).

It answers only what shop.middleware.PartPageCacheMiddleware would answer early (a GET of a
part page's address without a query string, a session cookie or credentials, from a known
host, by a visitor not sent to another language), and only once the page is kept; everything
else, a 412 and any error of its own, goes to Django. The headers are those the whole stack
sent for a part page of the same kind (language, address with or without a language prefix,
https or not, 200 or 304): each process learns them from its first such answer, so the
security, content-security-policy, cache and language headers stay the middleware's own.
Only the part's own headers (catalog.views.kept_page_headers), the length and the request id
differ from one answer to the next. A counted visitor's view is recorded as the middleware
records it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils.cache import get_conditional_response

from catalog import page_cache
from catalog.views import kept_page_headers
from customers.behaviour import event_from_request, request_is_counted

from .logs import HEADER as REQUEST_ID_HEADER
from .logs import request_id_for
from .middleware import PartPageCacheMiddleware, client_address_from_proxies

logger = logging.getLogger(__name__)

STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}
#: The request headers that can make a read conditional (RFC 9110 section 13.1).
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)

#: Headers of a learned answer that are not the same for every part page of its kind.
NOT_LEARNED = frozenset(
    {"etag", "last-modified", "xkey", "surrogate-key", "content-length", "x-request-id"}
)


class KeptPartPages:
    def __init__(self, application):
        self.application = application
        self.early = PartPageCacheMiddleware(application)
        #: (status, language, prefixed, https) -> the headers every such answer carries.
        self.learned: dict[tuple, list[tuple[str, str]]] = {}

    def __call__(self, environ, start_response):
        if not (
            settings.CATALOG_PAGE_CACHE_EARLY
            and environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
        ):
            return self.application(environ, start_response)
        try:
            found = self._kept_answer(environ)
        except Exception:  # noqa: BLE001 - whatever fails here, Django answers the request
            logger.exception("kept part page not answered in front of Django")
            found = None
        if found is None:
            return self.application(environ, start_response)
        kind, entry, body, request = found
        headers = self.learned.get(kind)
        if headers is None:
            return self.application(environ, self._learning(kind, entry, start_response))
        self._count_view(request, entry)
        start_response(
            STATUS_LINES[kind[0]],
            [
                *headers,
                *kept_page_headers(entry),
                ("Content-Length", str(len(body))),
                (REQUEST_ID_HEADER, request_id_for(environ.get("HTTP_X_REQUEST_ID", ""))),
            ],
        )
        return [body]

    def _kept_answer(self, environ):
        """(kind, kept entry, body, request) for a request answered from a kept page, or
        None for Django to answer."""
        request = WSGIRequest(dict(environ))  # it rewrites PATH_INFO: Django's must stay raw
        if "\x00" in request.path:
            return None  # RejectNulBytesMiddleware answers it
        secure = request.is_secure()
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None  # SecurityMiddleware sends it to https
        try:
            found = self.early.part_page_language(request)
        except DisallowedHost:
            return None  # answered 400 by Django
        if found is None:
            return None
        match, language = found
        entry = page_cache.recall(request.path)
        if entry is None:
            environ[page_cache.NOT_KEPT] = request.path  # a first read: not asked twice
            return None
        status = self._status(environ, request, entry)
        if status is None:
            return None
        body = entry["body"] if status == 200 else b""
        return (status, language, match["language"] is not None, secure), entry, body, request

    @staticmethod
    def _status(environ, request, entry) -> int | None:
        """200, 304, or None for a failed precondition (412, answered by Django). A plain
        read and a revalidation with the page's own ETag, the common two, are told apart
        without parsing; anything else is evaluated by Django's rules."""
        asked = [name for name in CONDITIONS if name in environ]
        if not asked:
            return 200
        if asked == ["HTTP_IF_NONE_MATCH"] and environ["HTTP_IF_NONE_MATCH"] == entry["etag"]:
            return 304
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"]
        )
        if conditional is None:
            return 200
        return 304 if conditional.status_code == 304 else None

    def _learning(self, kind, entry, start_response):
        """start_response for Django's answer to a kept page: its headers become the ones
        answers of this kind carry, if it is the kept page answered as expected."""

        def learn(status, headers, exc_info=None):
            names = {name.lower(): value for name, value in headers}
            if (
                exc_info is None
                and status == STATUS_LINES[kind[0]]
                and names.get("etag") == entry["etag"]
                and "set-cookie" not in names
                and names.get("cache-control", "").startswith("public")
                and "nonce-" not in names.get("content-security-policy", "")
            ):
                self.learned[kind] = [
                    (name, value) for name, value in headers if name.lower() not in NOT_LEARNED
                ]
            return start_response(status, headers, exc_info)

        return learn

    def _count_view(self, request, entry) -> None:
        if not self.early.counts_views or not request_is_counted(request):
            return
        try:
            client_address_from_proxies(request.META, settings.TRUSTED_PROXY_COUNT)
            event_from_request(request, kind="part_view", part_id=entry["part_id"])
        except Exception:  # noqa: BLE001 - counting never fails a page
            logger.exception("behaviour event not recorded")

