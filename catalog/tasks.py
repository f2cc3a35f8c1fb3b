"""Celery tasks of the catalog: they take ids and call the import service."""

from celery import shared_task
from django.db import OperationalError

from .imports import catalog_import_run


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_catalog_import(catalog_import_id: int) -> None:
    """Run an uploaded catalog import; a second delivery finds it claimed and does nothing."""
    catalog_import_run(catalog_import_id=catalog_import_id)


class PurgeFailed(Exception):
    """A shared cache did not accept a purge; the task retries with backoff."""


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(PurgeFailed, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def purge_part_pages(part_ids: list[int]) -> int:
    """Tell each shared HTTP cache (settings.HTTP_CACHE_PURGE_URLS) to drop the pages of
    these parts: their own, their category's and its parents', their manufacturer's. A
    purge twice is the same as once, so a redelivery is harmless. Returns the caches told."""
    from .http_cache import purge_keys, surrogate_keys_for_parts

    return purge_keys(surrogate_keys_for_parts(part_ids))
