"""Recording what visitors do, without slowing the pages they do it on.

``event_record`` (and ``event_from_request`` for a request) appends the event to a buffer
and returns: no database query. ``events_flush`` (a beat job every minute, and
``manage.py flush_behaviour_events``) writes the buffer to ``BehaviourEvent`` in batches.

Buffers, chosen by ``CUSTOMERS_EVENTS_BUFFER``:

- ``redis``: a Redis list. A flush renames it to a "flushing" list (atomic), writes it in
  batches, trimming each batch once written; a flush that dies midway leaves the rest for
  the next one.
- ``file`` (the demo without Redis): JSON lines appended under a file lock in
  ``CUSTOMERS_EVENTS_BUFFER_DIR``; a flush renames the file and writes it the same way.
- ``memory``: a list in this process (the test suite).

Every event carries a random ``event_id`` that is unique in the table, and rows are
inserted with ``ON CONFLICT DO NOTHING``: a batch written again after a crash between
writing and trimming adds nothing, so each event is stored once.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import threading
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import BehaviourEvent, EventKind
from .sources import Source, is_bot, traffic_source

logger = logging.getLogger(__name__)

REDIS_KEY = "partline:behaviour-events"
REDIS_RETRY_SECONDS = 30
_FIELDS = (
    "kind", "customer_id", "visitor_id", "part_id", "category_id", "order_id", "query",
    "result_count", "channel", "source", "referrer_host", "utm_source", "utm_medium",
    "utm_campaign", "landing_path",
)  # fmt: skip


# --- recording ---------------------------------------------------------------------------------


def visitor_id_for(*, address: str, user_agent: str, day) -> str:
    """An anonymous visitor for one day: a keyed hash, so neither the address nor the user
    agent is stored and two days of one visitor cannot be linked."""
    raw = f"{settings.SECRET_KEY}|{day.isoformat()}|{address}|{user_agent}".encode()
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def event_record(
    *,
    kind: str,
    customer_id: int | None = None,
    visitor_id: str = "",
    source: Source | None = None,
    part_id: int | None = None,
    category_id: int | None = None,
    order_id: int | None = None,
    query: str = "",
    result_count: int | None = None,
    amount: Decimal | None = None,
    occurred_at: datetime | None = None,
) -> None:
    """Buffer one event. Never raises: a lost event is better than a failed page."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown behaviour event {kind!r}")
    source = source or Source()
    event = {
        "id": uuid.uuid4().hex,
        "at": (occurred_at or timezone.now()).isoformat(),
        "kind": kind,
        "customer_id": customer_id,
        "visitor_id": "" if customer_id else visitor_id[:16],
        "part_id": part_id,
        "category_id": category_id,
        "order_id": order_id,
        "query": (query or "")[:200],
        "result_count": result_count,
        "amount": None if amount is None else str(amount),
        "channel": source.channel,
        "source": source.name,
        "referrer_host": source.referrer_host,
        "utm_source": source.utm_source,
        "utm_medium": source.utm_medium,
        "utm_campaign": source.utm_campaign,
        "landing_path": source.landing_path,
    }
    try:
        buffer().push([json.dumps(event, separators=(",", ":"))])
    except Exception as error:  # noqa: BLE001 - recording must never fail the page
        logger.warning("behaviour event %s not buffered: %r", kind, error)


def event_record_on_commit(**fields) -> None:
    """``event_record`` once the surrounding transaction commits (an order rolled back
    was never placed)."""
    fields.setdefault("occurred_at", timezone.now())
    transaction.on_commit(functools.partial(event_record, **fields))


def request_is_counted(request) -> bool:
    """Crawlers, scripts and link prefetches are not visitors."""
    meta = request.META
    if meta.get("HTTP_SEC_PURPOSE", "").startswith("prefetch") or meta.get("HTTP_PURPOSE") == (
        "prefetch"
    ):
        return False
    return not is_bot(meta.get("HTTP_USER_AGENT", ""))


def event_from_request(request, *, kind: str, **fields) -> None:
    """Buffer an event done in ``request``: who (customer, or the day's anonymous visitor)
    and where they came from. Reads no database row (the user is the one the view already
    loaded)."""
    if not request_is_counted(request):
        return
    user = getattr(request, "user", None)
    customer_id = user.pk if user is not None and user.is_authenticated else None
    now = timezone.now()
    visitor = ""
    if customer_id is None:
        visitor = visitor_id_for(
            address=request.META.get("REMOTE_ADDR", ""),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            day=timezone.localdate(now),
        )
    try:
        own_host = request.get_host()
    except Exception:  # noqa: BLE001 - DisallowedHost: the request never reached a view
        own_host = ""
    source = traffic_source(
        referrer=request.META.get("HTTP_REFERER", ""),
        own_host=own_host,
        params=request.GET,
        path=request.path,
    )
    event_record(
        kind=kind,
        customer_id=customer_id,
        visitor_id=visitor,
        source=source,
        occurred_at=now,
        **fields,
    )


# --- buffers -----------------------------------------------------------------------------------


class MemoryBuffer:
    def __init__(self):
        self._items: list[str] = []
        self._flushing: list[str] = []
        self._lock = threading.Lock()

    def push(self, items: list[str]) -> None:
        with self._lock:
            self._items.extend(items)

    def size(self) -> int:
        return len(self._items) + len(self._flushing)

    def drain(self, write, batch_size: int) -> int:
        with self._lock:
            self._flushing.extend(self._items)
            self._items.clear()
            written = 0
            while self._flushing:
                batch = self._flushing[:batch_size]
                write(batch)
                del self._flushing[: len(batch)]
                written += len(batch)
            return written

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._flushing.clear()


class RedisBuffer:
    def __init__(self, url: str, key: str = REDIS_KEY):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.key = key
        self.flushing = key + ":flushing"
        self.down_until = 0.0

    def push(self, items: list[str]) -> None:
        """While Redis is unreachable, pages drop their events for ``REDIS_RETRY_SECONDS``
        instead of each waiting for the connection to time out."""
        import redis

        if time.monotonic() < self.down_until:
            return
        try:
            self.client.rpush(self.key, *items)
        except (redis.ConnectionError, redis.TimeoutError):
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
            raise

    def size(self) -> int:
        return self.client.llen(self.key) + self.client.llen(self.flushing)

    def drain(self, write, batch_size: int) -> int:
        import redis

        lock = self.client.lock(self.key + ":lock", timeout=600, blocking_timeout=0)
        if not lock.acquire(blocking=False):
            return 0
        try:
            written = 0
            # A list left by a flush that died goes first, then what was buffered since;
            # a few rounds at most, so a busy store cannot keep one flush going for ever.
            for _round in range(4):
                if not self.client.exists(self.flushing):
                    try:
                        self.client.rename(self.key, self.flushing)
                    except redis.ResponseError:  # nothing buffered
                        break
                while True:
                    raw = self.client.lrange(self.flushing, 0, batch_size - 1)
                    if not raw:
                        break
                    batch = [item.decode() for item in raw]
                    write(batch)
                    self.client.ltrim(self.flushing, len(batch), -1)
                    written += len(batch)
            return written
        finally:
            with contextlib.suppress(redis.RedisError):
                lock.release()

    def clear(self) -> None:
        self.client.delete(self.key, self.flushing)


class FileBuffer:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.current = self.folder / "events.jsonl"
        self.lock_path = self.folder / "events.lock"

    @contextlib.contextmanager
    def _locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def push(self, items: list[str]) -> None:
        with self._locked(), open(self.current, "a", encoding="utf-8") as out:
            out.write("".join(item + "\n" for item in items))

    def _pending(self) -> list[Path]:
        return sorted(self.folder.glob("flushing-*.jsonl"))

    def size(self) -> int:
        files = [self.current, *self._pending()] if self.folder.exists() else []
        return sum(sum(1 for _ in path.open()) for path in files if path.exists())

    def drain(self, write, batch_size: int) -> int:
        with self._locked():
            if self.current.exists():
                stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
                self.current.rename(self.folder / f"flushing-{stamp}.jsonl")
            pending = self._pending()
        written = 0
        for path in pending:
            with path.open(encoding="utf-8") as lines:
                batch: list[str] = []
                for line in lines:
                    if line.strip():
                        batch.append(line.strip())
                    if len(batch) >= batch_size:
                        write(batch)
                        written += len(batch)
                        batch = []
                if batch:
                    write(batch)
                    written += len(batch)
            path.unlink()
        return written

    def clear(self) -> None:
        with self._locked():
            for path in [self.current, *self._pending()]:
                path.unlink(missing_ok=True)


_buffers: dict[tuple, object] = {}
_buffers_lock = threading.Lock()


def buffer():
    """The configured buffer (one per process and setting)."""
    kind = settings.CUSTOMERS_EVENTS_BUFFER
    key = (kind, settings.REDIS_URL, str(settings.CUSTOMERS_EVENTS_BUFFER_DIR))
    with _buffers_lock:
        if key not in _buffers:
            if kind == "redis":
                _buffers[key] = RedisBuffer(settings.REDIS_URL)
            elif kind == "file":
                _buffers[key] = FileBuffer(settings.CUSTOMERS_EVENTS_BUFFER_DIR)
            elif kind == "memory":
                _buffers[key] = MemoryBuffer()
            else:
                raise ValueError(f"CUSTOMERS_EVENTS_BUFFER must be redis, file or memory: {kind}")
        return _buffers[key]


# --- writing and forgetting --------------------------------------------------------------------


def _row(item: str) -> BehaviourEvent | None:
    try:
        data = json.loads(item)
        occurred_at = parse_datetime(data["at"])
        fields = {name: data.get(name) for name in _FIELDS}
        for text in ("visitor_id", "query", "channel", "source", "referrer_host", "utm_source",
                     "utm_medium", "utm_campaign", "landing_path"):  # fmt: skip
            fields[text] = fields[text] or ""
        amount = data.get("amount")
        return BehaviourEvent(
            event_id=uuid.UUID(data["id"]),
            occurred_at=occurred_at,
            amount=None if amount is None else Decimal(amount),
            **fields,
        )
    except (KeyError, TypeError, ValueError) as error:
        logger.error("behaviour event dropped, unreadable: %r (%r)", item[:200], error)
        return None


def _write(batch: list[str]) -> None:
    rows = [row for row in map(_row, batch) if row is not None]
    # A customer deleted since the event was buffered: keep the event, anonymously.
    customer_ids = {row.customer_id for row in rows if row.customer_id}
    if customer_ids:
        from .models import User

        known = set(User.objects.filter(pk__in=customer_ids).values_list("pk", flat=True))
        for row in rows:
            if row.customer_id and row.customer_id not in known:
                row.customer_id = None
    BehaviourEvent.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def events_flush(*, batch_size: int | None = None) -> int:
    """Write buffered events to the table; returns how many were read from the buffer."""
    size = batch_size or settings.CUSTOMERS_EVENTS_FLUSH_BATCH
    return buffer().drain(_write, size)


def events_prune(*, now: datetime | None = None, chunk: int = 50_000) -> int:
    """Delete raw events older than the retention window, a chunk at a time (reports read
    the rollups, which are kept)."""
    keep_days = settings.CUSTOMERS_EVENTS_KEEP_DAYS
    if keep_days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    deleted = 0
    while True:
        ids = list(
            BehaviourEvent.objects.filter(occurred_at__lt=cutoff)
            .order_by()
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return deleted
        deleted += BehaviourEvent.objects.filter(pk__in=ids).delete()[0]
