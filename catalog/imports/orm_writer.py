"""Bulk writers: what the importer asks of a database (upsert, insert, new ids, the parts
that exist), and the writer for SQLite (the demo) and any other database, with
``bulk_create``. PostgreSQL's COPY writer is in copy_writer.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import models

from ..db import exact_mpn_lookups
from ..models import Part
from .columns import PART_FIELDS


class _Writer:
    def upsert(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple],
        *,
        unique: Sequence[str],
        update: Sequence[str],
        returning: Sequence[str] = (),
    ) -> list[tuple]:
        raise NotImplementedError

    def insert(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple],
        *,
        returning_ids: bool = False,
    ) -> list[int]:
        """Insert rows that cannot conflict; their ids only if asked (and supported)."""
        raise NotImplementedError

    def new_ids(self, model: type[models.Model], count: int) -> list[int] | None:
        """Ids to insert new rows with, drawn from the table's sequence; None: not supported."""
        return None

    def timestamp(self, moment: datetime) -> Any:
        """A date and time as rows given to insert() and upsert() carry it."""
        return moment

    def existing_parts(self, keys: set[tuple[int, str]]) -> list[tuple]:
        """(id, manufacturer_id, normalized_mpn, mpn, *PART_FIELDS) of the parts with these
        (manufacturer id, normalized MPN) keys."""
        with exact_mpn_lookups():
            found = list(
                Part.objects.order_by()
                .filter(normalized_mpn__in={nmpn for _, nmpn in keys})
                .values_list("id", "manufacturer_id", "normalized_mpn", "mpn", *PART_FIELDS)
            )
        return [part for part in found if (part[1], part[2]) in keys]


class _OrmWriter(_Writer):
    """bulk_create with update_conflicts: SQLite (the demo) and any other database."""

    def upsert(self, model, columns, rows, *, unique, update, returning=()):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=[_field_name(model, name) for name in unique],
            update_fields=[_field_name(model, name) for name in update],
        )
        return [tuple(getattr(obj, name) for name in returning) for obj in objects]

    def insert(self, model, columns, rows, *, returning_ids=False):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects)
        return [obj.pk for obj in objects] if returning_ids else []


def _field_name(model: type[models.Model], attname: str) -> str:
    return model._meta.get_field(attname).name


