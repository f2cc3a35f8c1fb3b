"""The store's own copy of each anonymous part page, by address: the rendered page with its
ETag and Last-Modified, so a re-read or a revalidation costs one cache read and no query
(catalog.views.cached_part_page, answered early by shop.middleware.PartPageCacheMiddleware).

A change to a part forgets its pages here where it purges the shared HTTP caches
(catalog.services.part_pages_purge). An entry is kept ``CATALOG_PAGE_CACHE_SECONDS`` at
most (as long as a shared cache may keep the page, ``HTTP_CACHE_S_MAXAGE``): after that the
page's change stamps are read again, which bounds a render that raced with a change.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from . import languages
from .models import Part, PriceBreak

VERSION = "v1"
#: The WSGI environ key under which shop.kept_pages names an address it found not kept.
NOT_KEPT = "partline.page_not_kept"
#: Parts per delete, so a large import does not send one huge command.
FORGET_BATCH = 500


def _key(path: str) -> str:
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return f"part-page-url:{VERSION}:{digest}"


def _address_key(part_id: int) -> str:
    return f"part-page-address:{VERSION}:{part_id}"


def recall(path: str) -> dict | None:
    """The page kept for this address: ``body``, ``etag``, ``last_modified``, ``part_id``."""
    return cache.get(_key(path))


def remember(path: str, *, part_id: int, etag: str, last_modified: int, body: bytes) -> None:
    """Keep the page, and the part's address so that forget() finds it without a query."""
    entry = {"part_id": part_id, "etag": etag, "last_modified": last_modified, "body": body}
    seconds = settings.CATALOG_PAGE_CACHE_SECONDS
    cache.set_many(
        {_key(path): entry, _address_key(part_id): languages.strip_prefix(path)[1]}, seconds
    )


def forget(*, part_ids) -> None:
    """Drop the pages of these parts in every language."""
    ids = sorted({int(pk) for pk in part_ids if pk is not None})
    for start in range(0, len(ids), FORGET_BATCH):
        addresses = cache.get_many([_address_key(pk) for pk in ids[start : start + FORGET_BATCH]])
        keys = [
            _key(languages.localize(bare, code))
            for bare in addresses.values()
            for code in languages.language_codes()
        ]
        if keys:
            cache.delete_many(keys)


def forget_saved(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a part or a row its page shows (catalog/apps.py): edits
    made outside the services (the admin, the shell) forget the page too."""
    part_id = instance.pk if sender is Part else getattr(instance, "part_id", None)
    if sender is PriceBreak:
        packaging = PriceBreak.packaging.field.get_cached_value(instance, None)
        part_id = packaging.part_id if packaging is not None else None
    if part_id is not None:
        forget(part_ids=[part_id])
