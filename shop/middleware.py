"""Site-wide request guards."""

from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold a NUL byte: a URL or query with one would reach a query
    and fail as a server error. Nothing legitimate sends one, so answer 400 up front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)
