"""IndexNow: tell participating search engines which part pages are new or changed.

Parts are walked in (page_changed_at, id) order from a stored cursor, in batches of at
most 10,000 URLs per request (the protocol's limit). The cursor moves only after the
engine accepted a batch, so a failed or repeated run resubmits at most one batch.
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import IndexNowCursor, Part, mpn_slug

logger = logging.getLogger(__name__)
LOCK_KEY = "indexnow:running"
MAX_BATCHES_PER_RUN = 20


class IndexNowRejected(Exception):
    """The engine refused the submission (4xx): retrying the same payload will not help."""


def post_urls(urls: list[str]) -> int:
    """POST one batch to the IndexNow endpoint; returns the HTTP status."""
    host = urlsplit(settings.SITE_URL).netloc
    payload = {
        "host": host,
        "key": settings.INDEXNOW_KEY,
        "keyLocation": f"{settings.SITE_URL}/{settings.INDEXNOW_KEY}.txt",
        "urlList": urls,
    }
    request = urllib.request.Request(
        settings.INDEXNOW_ENDPOINT,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code != 429:
            raise IndexNowRejected(f"IndexNow answered {error.code}") from error
        raise


def _next_batch(cursor: IndexNowCursor, size: int) -> list[tuple[int, str, str, object]]:
    parts = Part.objects.order_by("page_changed_at", "id")
    if cursor.changed_at is not None:
        parts = parts.filter(
            Q(page_changed_at__gt=cursor.changed_at)
            | Q(page_changed_at=cursor.changed_at, id__gt=cursor.part_id)
        )
    return list(parts.values_list("id", "manufacturer__slug", "mpn", "page_changed_at")[:size])


def submit_changed_parts_now(*, sender=post_urls) -> int:
    """Submit every part changed since the cursor; returns the number of URLs accepted."""
    if not settings.INDEXNOW_KEY:
        return 0
    if not cache.add(LOCK_KEY, "1", timeout=900):
        logger.info("IndexNow submission already running")
        return 0
    submitted = 0
    try:
        cursor, _ = IndexNowCursor.objects.get_or_create(pk=1)
        for _ in range(MAX_BATCHES_PER_RUN):
            batch = _next_batch(cursor, settings.INDEXNOW_BATCH_SIZE)
            if not batch:
                break
            urls = [
                f"{settings.SITE_URL}/part/{maker}/{mpn_slug(mpn)}/" for _, maker, mpn, _ in batch
            ]
            sender(urls)
            last_id, _, _, last_changed = batch[-1]
            with transaction.atomic():
                IndexNowCursor.objects.filter(pk=cursor.pk).update(
                    changed_at=last_changed,
                    part_id=last_id,
                    submitted_urls=cursor.submitted_urls + len(urls),
                    last_submitted_at=timezone.now(),
                )
            cursor.refresh_from_db()
            submitted += len(urls)
    finally:
        cache.delete(LOCK_KEY)
    return submitted


@shared_task(
    acks_late=True,
    autoretry_for=(urllib.error.URLError, TimeoutError, ConnectionError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def submit_changed_parts() -> int:
    return submit_changed_parts_now()
