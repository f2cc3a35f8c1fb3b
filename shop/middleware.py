"""Site-wide request guards."""

import re

from django.http import HttpResponseBadRequest

_ENCODED_NUL = re.compile("%00", re.IGNORECASE)


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
        self.trusted = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request):
        if self.trusted:
            forwarded = [
                entry.strip()
                for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if entry.strip()
            ]
            if len(forwarded) >= self.trusted:
                request.META["REMOTE_ADDR"] = forwarded[-self.trusted]
        return self.get_response(request)
