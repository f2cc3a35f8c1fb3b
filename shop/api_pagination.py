"""Pages of the API: page numbers for browsing, a cursor for following changes.

A list view that sets ``change_field`` (a datetime field of its model) follows changes when
the request has ``updated_after``: rows come in (change_field, pk) order and ``next`` carries
an opaque ``cursor`` naming the last row sent, so a client paging through a feed that keeps
changing under it misses no row and sees none twice (a row changed again meanwhile comes
back once more, later, with its new time).
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CHANGES_PARAM = "updated_after"
CURSOR_PARAM = "cursor"


def _positive_int(request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw, 10)
    except ValueError:
        raise ValidationError({name: ["Give a whole number, e.g. 50."]}) from None
    if value < 1:
        raise ValidationError({name: ["Must be 1 or more."]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"At most {maximum}."]})
    return value


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment, pk = raw.split("|")
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError
        return parsed, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {CURSOR_PARAM: ["Not a cursor of this API; use the next link as given."]}
        ) from None


class StorePagination(PageNumberPagination):
    """Pages of 50 by default; clients may ask for up to 200 with ?page_size=."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param, maximum=self.max_page_size)
        return size or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.change_field = getattr(view, "change_field", None)
        self.following_changes = bool(
            self.change_field and request.query_params.get(CHANGES_PARAM)
        )
        if not self.following_changes:
            _positive_int(request, self.page_query_param)
            if request.query_params.get(CURSOR_PARAM):
                raise ValidationError(
                    {CURSOR_PARAM: [f"A cursor only pages through {CHANGES_PARAM}."]}
                )
            return super().paginate_queryset(queryset, request, view)
        return self._changes_page(queryset, request)

    def _changes_page(self, queryset, request):
        if request.query_params.get(self.page_query_param):
            raise ValidationError(
                {self.page_query_param: ["Follow the next link (a cursor) through changes."]}
            )
        self.request = request
        size = self.get_page_size(request)
        field = self.change_field
        rows = queryset.order_by(field, "pk")
        cursor = request.query_params.get(CURSOR_PARAM)
        if cursor:
            moment, pk = decode_cursor(cursor)
            rows = rows.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
        self.remaining = rows.count()
        page = list(rows[: size + 1])
        self.next_cursor = None
        if len(page) > size:
            page = page[:size]
            last = page[-1]
            self.next_cursor = encode_cursor(getattr(last, field), last.pk)
        return page

    def get_paginated_response(self, data):
        if not self.following_changes:
            return super().get_paginated_response(data)
        next_url = None
        if self.next_cursor:
            url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
            next_url = replace_query_param(url, CURSOR_PARAM, self.next_cursor)
        return Response(
            {"count": self.remaining, "next": next_url, "previous": None, "results": data}
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        if getattr(view, "change_field", None):
            parameters.append(
                {
                    "name": CURSOR_PARAM,
                    "required": False,
                    "in": "query",
                    "description": f"Opaque position in the changes since {CHANGES_PARAM}; "
                    "take it from the next link.",
                    "schema": {"type": "string"},
                }
            )
        return parameters
