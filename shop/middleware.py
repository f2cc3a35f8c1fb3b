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
