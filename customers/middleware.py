"""Counting page views as events without touching the page: the hook runs after the view
has answered, 200 or 304 alike, and only buffers (customers.behaviour)."""

import logging

from django.conf import settings

from . import behaviour

logger = logging.getLogger(__name__)


class BehaviourEventsMiddleware:
    """Buffers an event for the pages named in ``CUSTOMERS_EVENT_PAGES`` (GET answered 200
    or 304, a search's redirect to the one part it found included) and the forms named in
    ``CUSTOMERS_EVENT_POSTS`` (POST answered with a redirect: the form was accepted).

    Views add what they know to ``request.event_details`` (the part id, the search's result
    count); the view's app need not know this app."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = dict(settings.CUSTOMERS_EVENT_PAGES)
        self.posts = dict(settings.CUSTOMERS_EVENT_POSTS)

    def __call__(self, request):
        response = self.get_response(request)
        try:
            self._record(request, response)
        except Exception:  # noqa: BLE001 - counting never fails a page
            logger.exception("behaviour event not recorded")
        return response

    def _record(self, request, response) -> None:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return
        name = match.view_name
        status = response.status_code
        if request.method == "GET" and name in self.pages and status in (200, 302, 304):
            kind = self.pages[name]
        elif request.method == "POST" and name in self.posts and status in (302, 303):
            if response.get("Location", "").split("?")[0] in ("", request.path):
                return  # sent back to the form: not accepted
            kind = self.posts[name]
        else:
            return
        details = getattr(request, "event_details", None) or {}
        if kind == "search" and "result_count" not in details:
            return
        if kind != "search" and status == 302:
            return
        behaviour.event_from_request(request, kind=kind, **details)


class CustomerLanguageMiddleware:
    """Keeps a signed-in customer's language (``User.language``, which their emails and PDFs
    follow) the one they read the store's pages in: only pages (HTML answers) count, so an
    API call or a file download changes nothing, and it writes only when it changes.
    Placed after LocaleMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", None)
        if (
            language
            and user is not None
            and user.is_authenticated
            and getattr(user, "language", language) != language
            and response.get("Content-Type", "").startswith("text/html")
        ):
            from .services import customer_language_update

            try:
                customer_language_update(user=user, language=language)
            except Exception:  # noqa: BLE001 - remembering the language never fails a page
                logger.exception("customer language not saved")
        return response
