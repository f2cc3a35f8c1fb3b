"""Writing one batch of checked rows in one transaction: compare them with the parts that
exist, lock the stock rows they set, then insert new parts and upsert the changed ones with
their parameters, ladders, stock and supplier offers, keeping the listing copies in step.
A batch the database refuses is written again row by row, to find the row at fault.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DataError, IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ..models import (
    SKU_OFFSET,
    ImportKind,
    PackagingKind,
    PackagingOption,
    ParameterValue,
    Part,
    PriceBreak,
    Stock,
    SupplierOffer,
    sku_for_id,
)
from ..services import part_listing_refresh, part_pages_purge
from .columns import _PART_COLUMNS, _PART_UPDATES, PART_DEFAULTS, PART_FIELDS, _part_fields_of
from .rows import _first_break_price, _Outcome, _price_text, _Row


class _BatchWriting:
    """The batch writing of the importer (run._Importer): it sets ``kind``, ``writer`` and
    ``suppliers`` (supplier code → id) before any batch is written."""

    def _write_safely(self, rows: list[_Row]) -> _Outcome:
        """Write the batch in one transaction; should the database refuse it, row by row."""
        try:
            outcome = self._write(rows)
        except (IntegrityError, DataError) as exc:
            if len(rows) == 1:
                reason = f"the database refused the row: {exc}".strip()
                return _Outcome(rejects=[(rows[0].number, "", "", reason)])
            outcome = _Outcome()
            for row in rows:
                single = self._write_safely([row])
                outcome.created += single.created
                outcome.updated += single.updated
                outcome.rejects += single.rejects
            return outcome
        return outcome

    def _write(self, rows: list[_Row]) -> _Outcome:
        now = timezone.now()
        stamp = self.writer.timestamp(now)
        out = _Outcome()
        writer = self.writer
        catalog = self.kind == ImportKind.CATALOG
        with transaction.atomic():
            existing = self._existing_parts(rows)
            kept = []
            for row in rows:
                old = existing.get((row.maker, row.nmpn))
                row.part_id = None if old is None else old[0]
                row.is_new = old is None
                if old is not None or catalog:
                    kept.append(row)
                else:
                    out.rejects.append(
                        (row.number, "mpn", row.mpn, "no such part of this manufacturer")
                    )
            rows, old_on_hand = self._check_stock_under_lock(kept, out)
            old_ids = [row.part_id for row in rows if row.part_id is not None]
            old_params = self._old_params(rows, old_ids)
            old_options, old_ladders = self._old_ladders(rows, old_ids)
            old_offers = self._old_offers(rows, old_ids)

            # What changes, and which pages a visitor would see change.
            new_rows: list[_Row] = []
            part_rows: list[tuple] = []
            changed_part_rows: list[tuple] = []
            touched: list[int] = []
            relisted: list[int] = []  # parts that exist and get new ladders or stock
            param_rows: list[tuple[_Row, int, float | None, str]] = []
            ladder_rows: list[tuple[_Row, str, int | None, tuple]] = []
            stock_rows: list[tuple[_Row, int]] = []
            offer_rows: list[tuple[_Row, int, int, int, str | None]] = []
            for row in rows:
                pid = row.part_id
                if pid is None:  # a part the (catalog) import creates: all of it is new
                    for definition_id, value in row.params.items():
                        param_rows.append((row, definition_id, *value))
                    for kind, ladder in row.ladders.items():
                        ladder_rows.append((row, kind, *ladder))
                    stock_rows.append((row, row.stock or 0))
                    if row.offer is not None:
                        code, *offer = row.offer
                        offer_rows.append((row, self.suppliers[code], *offer))
                    new_rows.append(row)
                    part_rows.append(
                        (
                            row.mpn,
                            row.nmpn,
                            row.maker,
                            *_part_fields_of(PART_DEFAULTS | row.fields),
                            stamp,
                            stamp,
                            stamp,
                            # A new part's listing copies: it has only this row's ladders
                            # and stock, nothing reserved.
                            _first_break_price(row.ladders),
                            row.stock or 0,
                        )
                    )
                    out.created += 1
                    continue
                old = existing[row.maker, row.nmpn]
                visible = False
                for definition_id, value in row.params.items():
                    if old_params.get((pid, definition_id)) != value:
                        param_rows.append((row, definition_id, *value))
                        visible = True
                relist = False
                for kind, ladder in row.ladders.items():
                    if old_ladders.get((pid, kind)) != ladder:
                        ladder_rows.append((row, kind, *ladder))
                        visible = relist = True
                if row.stock is not None:
                    before = old_on_hand.get(pid)
                    if before != row.stock:
                        stock_rows.append((row, row.stock))
                        relist = True
                        visible = visible or ((before or 0) > 0) != (row.stock > 0)
                if relist:
                    relisted.append(pid)
                if row.offer is not None:
                    code, quantity, lead_days, cost = row.offer
                    supplier_id = self.suppliers[code]
                    before = old_offers.get((pid, supplier_id))
                    if cost is None and before is not None:
                        cost = before[2]
                    if before != (quantity, lead_days, cost):
                        offer_rows.append((row, supplier_id, quantity, lead_days, cost))
                        visible = (
                            visible
                            or before is None
                            or before[1] != lead_days
                            or (before[0] > 0) != (quantity > 0)
                        )
                if catalog:
                    merged = dict(zip(PART_FIELDS, old[2:], strict=True)) | row.fields
                    visible = visible or any(
                        merged[name] != value
                        for name, value in zip(PART_FIELDS, old[2:], strict=True)
                    )
                    if visible:
                        # The listing copies are not taken from here (see _PART_UPDATES).
                        changed_part_rows.append(
                            (
                                old[1],
                                row.nmpn,
                                row.maker,
                                *_part_fields_of(merged),
                                stamp,
                                stamp,
                                stamp,
                                _first_break_price(row.ladders),
                                row.stock or 0,
                            )
                        )
                elif visible:
                    touched.append(pid)
                out.updated += 1

            if part_rows:
                self._insert_parts(new_rows, part_rows)
            if changed_part_rows:
                writer.upsert(
                    Part,
                    _PART_COLUMNS,
                    changed_part_rows,
                    unique=("manufacturer_id", "normalized_mpn"),
                    update=_PART_UPDATES,
                )
            if touched:
                Part.objects.filter(pk__in=touched).update(page_changed_at=now)
                part_pages_purge(part_ids=touched)
            self._put(
                ParameterValue,
                ("part_id", "definition_id", "si_value", "text"),
                [(row, (row.part_id, d, si, text)) for row, d, si, text in param_rows],
                unique=("part_id", "definition_id"),
                update=("si_value", "text"),
            )
            if ladder_rows:
                self._write_ladders(ladder_rows, old_options)
            self._put(
                Stock,
                ("part_id", "on_hand", "reserved", "updated_at"),
                [(row, (row.part_id, on_hand, 0, stamp)) for row, on_hand in stock_rows],
                unique=("part_id",),
                update=("on_hand", "updated_at"),
            )
            if relisted:
                part_listing_refresh(part_ids=relisted)
            self._put(
                SupplierOffer,
                ("part_id", "supplier_id", "quantity", "lead_days", "cost", "updated_at"),
                [(row, (row.part_id, *offer, stamp)) for row, *offer in offer_rows],
                unique=("part_id", "supplier_id"),
                update=("quantity", "lead_days", "cost", "updated_at"),
            )
        return out

    def _put(self, model, columns, rows: list[tuple[_Row, tuple]], *, unique, update) -> None:
        """Plain inserts for the rows of parts this batch creates, upserts for the others."""
        fresh = [values for row, values in rows if row.is_new]
        known = [values for row, values in rows if not row.is_new]
        if fresh:
            self.writer.insert(model, columns, fresh)
        if known:
            self.writer.upsert(model, columns, known, unique=unique, update=update)

    def _insert_new(self, model, columns: Sequence[str], rows: list[tuple]) -> list[int]:
        """Insert rows that cannot exist yet and return their ids, in order."""
        ids = self.writer.new_ids(model, len(rows))
        if ids is None:
            return self.writer.insert(model, columns, rows, returning_ids=True)
        self.writer.insert(
            model, ("id", *columns), [(pk, *r) for pk, r in zip(ids, rows, strict=True)]
        )
        return ids

    def _existing_parts(self, rows: list[_Row]) -> dict[tuple[int, str], tuple]:
        """(manufacturer id, normalized MPN) → (id, mpn, *PART_FIELDS) of parts that exist."""
        found = self.writer.existing_parts({(row.maker, row.nmpn) for row in rows})
        return {(maker_id, nmpn): (pid, mpn, *rest) for pid, maker_id, nmpn, mpn, *rest in found}

    def _check_stock_under_lock(
        self, rows: list[_Row], out: _Outcome
    ) -> tuple[list[_Row], dict[int, int]]:
        """Lock the stock rows this batch sets (in pk order) and turn away those that would
        go below what open orders reserved; the lock holds until the batch commits."""
        ids = [row.part_id for row in rows if row.part_id is not None and row.stock is not None]
        on_hand: dict[int, int] = {}
        if not ids:
            return rows, on_hand
        reserved: dict[int, int] = {}
        locked = (
            Stock.objects.filter(part_id__in=ids)
            .order_by("pk")
            .select_for_update()
            .values_list("part_id", "on_hand", "reserved")
        )
        for part_id, pieces, held in locked:
            on_hand[part_id] = pieces
            reserved[part_id] = held
        kept = []
        for row in rows:
            held = reserved.get(row.part_id, 0) if row.stock is not None else 0
            if row.stock is not None and row.stock < held:
                out.rejects.append(
                    (
                        row.number,
                        "stock",
                        str(row.stock),
                        f"below the {held} pieces reserved by open orders",
                    )
                )
            else:
                kept.append(row)
        return kept, on_hand

    def _old_params(self, rows, old_ids) -> dict[tuple[int, int], tuple[float | None, str]]:
        if not old_ids or not any(row.params for row in rows):
            return {}
        found = (
            ParameterValue.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("part_id", "definition_id", "si_value", "text")
        )
        return {(pid, d): (si, text) for pid, d, si, text in found}

    def _old_ladders(self, rows, old_ids) -> tuple[dict, dict]:
        """Existing packaging options (part, kind) → id, and their ladders as rows write them."""
        if not old_ids or not any(row.ladders for row in rows):
            return {}, {}
        options = {
            (pid, kind): (option_id, reel)
            for option_id, pid, kind, reel in PackagingOption.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("id", "part_id", "kind", "reel_quantity")
        }
        by_option: dict[int, list[tuple[int, str]]] = {}
        for option_id, quantity, price in (
            PriceBreak.objects.order_by("packaging_id", "min_quantity")
            .filter(packaging_id__in=[option_id for option_id, _ in options.values()])
            .values_list("packaging_id", "min_quantity", "unit_price")
        ):
            by_option.setdefault(option_id, []).append((quantity, _price_text(price)))
        ladders = {
            (pid, kind): (
                reel if kind == PackagingKind.REEL else None,
                tuple(by_option.get(oid, ())),
            )
            for (pid, kind), (oid, reel) in options.items()
        }
        return {key: oid for key, (oid, _) in options.items()}, ladders

    def _old_offers(self, rows, old_ids) -> dict[tuple[int, int], tuple[int, int, str | None]]:
        if not old_ids or not any(row.offer for row in rows):
            return {}
        return {
            (pid, supplier_id): (quantity, lead_days, None if cost is None else _price_text(cost))
            for pid, supplier_id, quantity, lead_days, cost in SupplierOffer.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("part_id", "supplier_id", "quantity", "lead_days", "cost")
        }

    def _insert_parts(self, rows: list[_Row], part_rows: list[tuple]) -> None:
        """Create the batch's new parts, each with its sku: 'P' + (1000000 + id)."""
        ids = self.writer.new_ids(Part, len(part_rows))
        if ids is not None:
            self.writer.insert(
                Part,
                ("id", "sku", *_PART_COLUMNS),
                [(pk, sku_for_id(pk), *values) for pk, values in zip(ids, part_rows, strict=True)],
            )
        else:
            ids = self.writer.insert(Part, _PART_COLUMNS, part_rows, returning_ids=True)
            # The sku comes from the row id, so it is set once the rows exist.
            Part.objects.filter(pk__in=ids, sku__isnull=True).update(
                sku=Concat(
                    Value("P"),
                    Cast(F("id") + Value(SKU_OFFSET), output_field=CharField()),
                    output_field=CharField(),
                )
            )
        for row, pk in zip(rows, ids, strict=True):
            row.part_id = pk

    def _write_ladders(self, ladder_rows, old_options: dict[tuple[int, str], int]) -> None:
        """Create or upsert the packaging options and replace their price breaks."""
        option_ids: dict[tuple[int, str], int] = {}
        fresh = [(row.part_id, kind, reel) for row, kind, reel, _ in ladder_rows if row.is_new]
        known = [(row.part_id, kind, reel) for row, kind, reel, _ in ladder_rows if not row.is_new]
        if fresh:
            ids = self._insert_new(PackagingOption, ("part_id", "kind", "reel_quantity"), fresh)
            option_ids.update(zip(((pid, kind) for pid, kind, _ in fresh), ids, strict=True))
        if known:
            written = self.writer.upsert(
                PackagingOption,
                ("part_id", "kind", "reel_quantity"),
                known,
                unique=("part_id", "kind"),
                update=("reel_quantity",),
                returning=("id", "part_id", "kind"),
            )
            option_ids.update(((pid, kind), option_id) for option_id, pid, kind in written)
            stale = [old_options[pid, kind] for pid, kind, _ in known if (pid, kind) in old_options]
            if stale:
                PriceBreak.objects.filter(packaging_id__in=stale).delete()
        price_rows: list[tuple[int, int, str]] = []
        for row, kind, _, breaks in ladder_rows:
            option_id = option_ids[row.part_id, kind]
            price_rows += [(option_id, quantity, price) for quantity, price in breaks]
        self.writer.insert(PriceBreak, ("packaging_id", "min_quantity", "unit_price"), price_rows)

