"""Surrogate keys of catalog pages, and purging them from shared HTTP caches.

Anonymous part, category and manufacturer pages name what they show in ``xkey`` (Varnish's
xkey vmod) and ``Surrogate-Key`` (Fastly-style CDNs) headers: ``part-<pk>``,
``category-<pk>``, ``manufacturer-<pk>`` (catalog/views.py). A change to a part purges its
keys at each URL of ``settings.HTTP_CACHE_PURGE_URLS`` with ``PURGE`` and an ``xkey-purge``
header, as deploy/varnish/partline.vcl expects.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from django.conf import settings

from .models import Category, Part

logger = logging.getLogger(__name__)

#: Keys per purge request, so a large import does not build one huge header.
KEYS_PER_REQUEST = 200


def surrogate_keys_for_parts(part_ids) -> list[str]:
    """The keys of every page that shows one of these parts."""
    ids = sorted({int(pk) for pk in part_ids})
    rows = Part.objects.filter(pk__in=ids).values_list("pk", "category_id", "manufacturer_id")
    keys = [f"part-{pk}" for pk in ids]
    categories: set[int] = set()
    manufacturers: set[int] = set()
    for _pk, category_id, manufacturer_id in rows:
        if category_id:
            categories.add(category_id)
        if manufacturer_id:
            manufacturers.add(manufacturer_id)
    # A category page lists its whole subtree: the parents show the part too.
    wanted = set(categories)
    while wanted:
        parents = set(
            Category.objects.filter(pk__in=wanted, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        wanted = parents - categories
        categories |= parents
    keys += [f"category-{pk}" for pk in sorted(categories)]
    keys += [f"manufacturer-{pk}" for pk in sorted(manufacturers)]
    return keys


def purge_keys(keys: list[str]) -> int:
    """Send ``PURGE`` with the keys to each configured cache; raises
    catalog.tasks.PurgeFailed when one cannot be reached or refuses, so the task retries
    (caches already purged are purged again, which does no harm)."""
    from .tasks import PurgeFailed

    urls = list(settings.HTTP_CACHE_PURGE_URLS)
    if not urls or not keys:
        return 0
    failures = []
    for url in urls:
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            chunk = " ".join(keys[start : start + KEYS_PER_REQUEST])
            request = urllib.request.Request(
                url, method="PURGE", headers={"xkey-purge": chunk, "Surrogate-Key": chunk}
            )
            try:
                with urllib.request.urlopen(
                    request, timeout=settings.HTTP_CACHE_PURGE_TIMEOUT
                ) as response:
                    response.read()
            except (urllib.error.URLError, OSError) as error:
                logger.warning("purge at %s failed: %r", url, error)
                failures.append(url)
                break
    if failures:
        raise PurgeFailed(f"purge failed at {', '.join(sorted(set(failures)))}")
    return len(urls)
