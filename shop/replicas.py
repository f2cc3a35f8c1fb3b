"""Catalog reads from read replicas, everything else from the primary.

With ``DATABASE_REPLICA_URLS`` set, the settings add one database alias per replica
(``replica1`` … ``replicaN``) and list :class:`ReplicaRouter`. Reads of the catalog
(``DATABASE_REPLICA_APPS``: parts, categories, manufacturers, stock, offers) made while a
storefront or API request is served go to a replica; writes, locked reads
(``select_for_update``), reads inside a transaction on the primary, the admin, Celery tasks
and management commands use the primary. A visitor who has just changed something (any
POST, PUT, PATCH or DELETE) reads from the primary for ``DATABASE_REPLICA_PIN_SECONDS``,
remembered in a signed cookie, so they never see the catalog as it was before their own
change while a replica catches up.

Without replicas configured the router is not listed and every query uses ``default``.
"""

from __future__ import annotations

import contextvars
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections

#: Whether the code running now may read the catalog from a replica: only storefront and API
#: requests opt in (the middleware below); the rest of the process reads the primary.
_replica_reads = contextvars.ContextVar("replica_reads", default=False)

COOKIE_SALT = "shop.replicas.primary-until"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Let (or stop) the catalog reads of the enclosed code go to a replica."""
    token = _replica_reads.set(allowed)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_reads.get():
            return DEFAULT_DB_ALIAS
        if model._meta.app_label not in settings.DATABASE_REPLICA_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # read what this transaction may change, as it is now
        aliases = replica_aliases()
        return random.choice(aliases) if aliases else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """Lets safe requests read the catalog from replicas, except for a visitor who wrote
    within the last ``DATABASE_REPLICA_PIN_SECONDS``; a write (re)starts that window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        wrote = request.method in UNSAFE_METHODS
        allowed = not (
            wrote
            or self._pinned(request)
            or any(request.path.startswith(p) for p in settings.DATABASE_REPLICA_EXEMPT_PATHS)
        )
        with replica_reads(allowed):
            response = self.get_response(request)
        if wrote:
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            response.set_signed_cookie(
                settings.DATABASE_REPLICA_PIN_COOKIE,
                str(time.time() + seconds),
                salt=COOKIE_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _pinned(self, request) -> bool:
        try:
            until = request.get_signed_cookie(
                settings.DATABASE_REPLICA_PIN_COOKIE,
                salt=COOKIE_SALT,
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
            )
            return float(until) > time.time()
        except (KeyError, signing.BadSignature, ValueError):
            return False
