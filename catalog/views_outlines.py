"""Package outline drawings, for parts without a photo: the same bytes for the same package
name, so browsers and the CDN keep them for a year and revalidate by ETag."""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from . import outlines

# Raise when the drawing code changes: the URL carries it, so cached drawings are replaced.
OUTLINE_VERSION = "1"
_YEAR = 365 * 24 * 3600


def outline_etag(package: str) -> str:
    raw = f"{OUTLINE_VERSION}|{package}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=10).hexdigest() + '"'


@require_GET
def package_outline(request, package: str):
    package = package[:60]
    etag = outline_etag(package)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        response = HttpResponse(
            outlines.outline_svg(package), content_type="image/svg+xml; charset=utf-8"
        )
    else:
        response = not_modified
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
