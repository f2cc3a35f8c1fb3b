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
