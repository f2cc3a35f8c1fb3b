"""Catalog write services used by the admin: stock counts, part images, page freshness.

The CSV import lives in ``catalog/imports/`` and the category tree in
``catalog/taxonomy.py``; this module holds the smaller writes staff make by hand.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError, features

from . import page_cache, values
from .errors import InsufficientStock
from .locks import (
    stock_rows_for_update,
    supplier_offers_by_id_for_update,
    supplier_offers_for_update,
)
from .models import (
    Category,
    PackagingKind,
    ParameterDefinition,
    ParameterKind,
    Part,
    PartImage,
    PriceBreak,
    Stock,
    SupplierOffer,
)

THUMBNAIL_SIZE = (240, 240)
LARGE_SIZE = (720, 720)
THUMBNAIL_QUALITY = 82
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
_JPEG_BACKGROUND = (255, 255, 255)
_WEBP = features.check("webp")


# --- Part pages ----------------------------------------------------------------------------


def part_page_touch(*, part_ids) -> int:
    """Mark the parts' pages as changed now, so sitemaps, ETags and caches pick them up.

    Staff edits of prices and packaging end here, so the listing copies are refreshed too.
    """
    ids = list(part_ids)
    if not ids:
        return 0
    part_listing_refresh(part_ids=ids)
    part_pages_purge(part_ids=ids)
    return Part.objects.filter(pk__in=ids).update(page_changed_at=timezone.now())


def category_touch_on_part_delete(sender, instance, **kwargs) -> None:
    """post_delete of a part (catalog/apps.py): the part's category counts as changed now,
    so its listing index is rebuilt and its page's rows, kept under the category's stamp
    (``catalog_tags.listing_rows``), are read again without the part."""
    Category.objects.filter(pk=instance.category_id).update(updated_at=timezone.now())


#: Part ids per purge task, so a large import queues several small jobs.
PURGE_BATCH = 1000


def part_pages_purge(*, part_ids) -> None:
    """Drop the parts' pages from the store's page cache now, and once the transaction
    commits from the shared HTTP caches in front of the store (settings
    .HTTP_CACHE_PURGE_URLS; none configured: nothing queued)."""
    page_cache.forget(part_ids=part_ids)
    if not settings.HTTP_CACHE_PURGE_URLS:
        return
    from .tasks import purge_part_pages

    ids = sorted({int(pk) for pk in part_ids})
    for start in range(0, len(ids), PURGE_BATCH):
        purge_part_pages.delay_on_commit(part_ids=ids[start : start + PURGE_BATCH])


def part_listing_refresh(*, part_ids=None) -> int:
    """Recompute the parts' listing copies (first-break price, available stock).

    Category pages sort and filter on these columns through (category, …) indexes; every
    write of a price ladder or of stock outside the import calls this in its transaction.
    With no ids, every part is refreshed, one id range at a time.
    """
    first_break = (
        PriceBreak.objects.filter(packaging__part=OuterRef("pk"))
        .exclude(packaging__kind=PackagingKind.REEL)
        .order_by("min_quantity", "unit_price")
        .values("unit_price")[:1]
    )
    available = Stock.objects.filter(part=OuterRef("pk")).annotate(
        free=F("on_hand") - F("reserved")
    )
    columns = {
        "first_break_price": Subquery(first_break),
        "stock_available": Coalesce(Subquery(available.values("free")[:1]), Value(0)),
    }
    if part_ids is not None:
        ids = list(part_ids)
        return Part.objects.filter(pk__in=ids).update(**columns) if ids else 0
    refreshed, start, step = 0, 0, 20_000
    while True:
        bound = list(
            Part.objects.filter(pk__gt=start)
            .order_by("pk")
            .values_list("pk", flat=True)[step - 1 : step]
        )
        parts = Part.objects.filter(pk__gt=start)
        if bound:
            parts = parts.filter(pk__lte=bound[0])
        refreshed += parts.update(**columns)
        if not bound:
            return refreshed
        start = bound[0]


# --- Stock ---------------------------------------------------------------------------------


def stock_set_on_hand(*, part_id: int, on_hand: int) -> Stock:
    """Set the pieces on hand of a part, never below what open orders have reserved.

    Only ``on_hand`` is written, with one conditional UPDATE whose row count is checked, so
    a reservation made meanwhile is neither lost nor overdrawn. The part's page is marked
    changed when it goes in or out of stock.
    """
    if on_hand is None or on_hand < 0:
        raise ValidationError({"on_hand": "Stock on hand cannot be negative."})
    with transaction.atomic():
        before = Stock.objects.select_for_update().filter(part_id=part_id).first()
        if before is None:
            stock, created = Stock.objects.get_or_create(
                part_id=part_id, defaults={"on_hand": on_hand}
            )
            if created:
                Part.objects.filter(pk=part_id).update(stock_available=on_hand)
                if on_hand > 0:
                    part_page_touch(part_ids=[part_id])
                return stock
            before = Stock.objects.select_for_update().get(part_id=part_id)
        updated = Stock.objects.filter(part_id=part_id, reserved__lte=on_hand).update(
            on_hand=on_hand, updated_at=timezone.now()
        )
        if updated != 1:
            reserved = Stock.objects.filter(part_id=part_id).values_list("reserved", flat=True)
            raise ValidationError(
                {
                    "on_hand": (
                        f"Stock on hand cannot be set to {on_hand}: {reserved.first()} pieces "
                        "are reserved by open orders. Ship or cancel those orders first, or "
                        "enter at least the reserved quantity."
                    )
                }
            )
        stock = Stock.objects.get(part_id=part_id)
        Part.objects.filter(pk=part_id).update(stock_available=stock.available)
        if (before.on_hand > before.reserved) != (stock.on_hand > stock.reserved):
            part_page_touch(part_ids=[part_id])
        elif before.on_hand != stock.on_hand:
            part_pages_purge(part_ids=[part_id])
    return stock


@dataclass(frozen=True)
class SupplyTaken:
    """Pieces of a part taken from one supplier offer."""

    offer_id: int
    supplier_id: int
    quantity: int
    lead_days: int


@dataclass(frozen=True)
class StockReservation:
    """Where the pieces of one part were reserved: own stock first, then supplier offers."""

    part_id: int
    quantity: int
    from_stock: int
    supplies: tuple[SupplyTaken, ...] = ()

    @property
    def from_suppliers(self) -> int:
        return sum(supply.quantity for supply in self.supplies)

    @property
    def lead_days(self) -> int | None:
        return max((supply.lead_days for supply in self.supplies), default=None)


def _update_from_values(model, key: str, column: str, pairs, extra: str = "", params=()):
    """``WITH v AS (VALUES (key, value), …) UPDATE table SET column = v.value FROM v …``:
    one statement for many rows, without the CASE per row Django's bulk_update builds (that
    was most of the Python time of placing an order). Casts make PostgreSQL type the
    parameters; SQLite reads the same statement."""
    table = connection.ops.quote_name(model._meta.db_table)
    rows = ", ".join(["(CAST(%s AS bigint), CAST(%s AS integer))"] * len(pairs))
    sql = (
        f"WITH v (k, value) AS (VALUES {rows}) "
        f"UPDATE {table} SET {column} = v.value{extra} FROM v WHERE {table}.{key} = v.k"
    )
    values = [item for pair in pairs for item in pair]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])


def _stock_changed(rows: list[Stock], before: dict[int, int]) -> None:
    """Write changed stock rows and their parts' listing copies in two statements; mark the
    pages of parts that went in or out of stock. The rows are locked by the caller; only
    ``reserved`` changes (``on_hand`` is never written here)."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now
    _update_from_values(
        Stock,
        "part_id",
        "reserved",
        [(row.part_id, row.reserved) for row in rows],
        extra=", updated_at = %s",
        params=[connection.ops.adapt_datetimefield_value(now)],
    )
    _update_from_values(
        Part, "id", "stock_available", [(row.part_id, row.available) for row in rows]
    )
    flipped = [row.part_id for row in rows if (before[row.part_id] > 0) != (row.available > 0)]
    if flipped:
        Part.objects.filter(pk__in=flipped).update(page_changed_at=now)
    part_pages_purge(part_ids=[row.part_id for row in rows])


def stock_reserve(*, wanted: dict[int, int]) -> dict[int, StockReservation]:
    """Reserve ``wanted`` pieces per part id: own stock first, then supplier offers by
    shortest lead time. Runs in the caller's transaction; all or nothing.

    The stock rows and then the supplier offers are locked in primary-key order (two orders
    of the same parts queue, never deadlock), checked and changed under those locks. A part
    that cannot be covered raises ``InsufficientStock`` before anything is written.
    """
    wanted = {int(pk): int(qty) for pk, qty in wanted.items() if qty > 0}
    if not wanted:
        return {}
    with transaction.atomic():
        stock_rows = stock_rows_for_update(wanted)
        offers = supplier_offers_for_update(wanted)
        offers_of: dict[int, list[SupplierOffer]] = {}
        for offer in sorted(offers, key=lambda o: (o.lead_days, o.supplier_id)):
            offers_of.setdefault(offer.part_id, []).append(offer)
        shortages, plan = {}, {}
        for part_id, quantity in wanted.items():
            row = stock_rows.get(part_id)
            own = min(quantity, max(row.available, 0)) if row else 0
            needed, supplies = quantity - own, []
            for offer in offers_of.get(part_id, []):
                if needed <= 0:
                    break
                taken = min(needed, offer.quantity)
                supplies.append(SupplyTaken(offer.pk, offer.supplier_id, taken, offer.lead_days))
                needed -= taken
            if needed > 0:
                shortages[part_id] = quantity - needed
                continue
            plan[part_id] = StockReservation(part_id, quantity, own, tuple(supplies))
        if shortages:
            raise InsufficientStock(shortages)
        changed = [stock_rows[pk] for pk, item in plan.items() if item.from_stock]
        before = {row.part_id: row.available for row in changed}
        for row in changed:
            row.reserved += plan[row.part_id].from_stock
        if changed:
            _stock_changed(changed, before)
        offer_rows = {offer.pk: offer for offer in offers}
        touched = []
        for item in plan.values():
            for supply in item.supplies:
                offer = offer_rows[supply.offer_id]
                offer.quantity -= supply.quantity
                touched.append(offer)
        if touched:
            SupplierOffer.objects.bulk_update(touched, ["quantity"])
    return plan


def stock_release(*, from_stock: dict[int, int], supplies: dict[int, int] | None = None) -> None:
    """Give back reserved pieces (a cancelled order): ``from_stock`` per part id, and
    ``supplies`` per supplier offer id. Runs in the caller's transaction, same lock order."""
    from_stock = {int(pk): int(qty) for pk, qty in from_stock.items() if qty > 0}
    supplies = {int(pk): int(qty) for pk, qty in (supplies or {}).items() if qty > 0}
    with transaction.atomic():
        rows = stock_rows_for_update(from_stock)
        offers = supplier_offers_by_id_for_update(supplies)
        changed = list(rows.values())
        before = {row.part_id: row.available for row in changed}
        for row in changed:
            row.reserved = max(row.reserved - from_stock[row.part_id], 0)
        if changed:
            _stock_changed(changed, before)
        for offer in offers.values():
            offer.quantity += supplies[offer.pk]
        if offers:
            SupplierOffer.objects.bulk_update(list(offers.values()), ["quantity"])


def stock_receive(*, received: dict[int, int]) -> None:
    """Goods arrived for open orders: ``received`` pieces per part id go on hand and are
    reserved for those orders at once, so what is available to others does not change.
    Runs in the caller's transaction with the stock rows locked in part-id order; a part
    without a stock row gets one."""
    received = {int(pk): int(qty) for pk, qty in received.items() if qty > 0}
    if not received:
        return
    with transaction.atomic():
        rows = stock_rows_for_update(received)
        missing = [pk for pk in received if pk not in rows]
        if missing:
            Stock.objects.bulk_create([Stock(part_id=pk) for pk in missing], ignore_conflicts=True)
            stock_rows_for_update(missing)
        now = timezone.now()
        for part_id, quantity in sorted(received.items()):
            Stock.objects.filter(part_id=part_id).update(
                on_hand=F("on_hand") + quantity,
                reserved=F("reserved") + quantity,
                updated_at=now,
            )


def stock_ship(*, shipped: dict[int, int]) -> None:
    """Reserved pieces leave the warehouse: on hand and reserved both go down by ``shipped``
    per part id (available does not change). Runs in the caller's transaction with the rows
    locked in part-id order; raises ``InsufficientStock`` (nothing written) when a part has
    fewer pieces reserved than it ships."""
    shipped = {int(pk): int(qty) for pk, qty in shipped.items() if qty > 0}
    if not shipped:
        return
    with transaction.atomic():
        rows = stock_rows_for_update(shipped)
        short = {
            pk: (rows[pk].reserved if pk in rows else 0)
            for pk, qty in shipped.items()
            if pk not in rows or rows[pk].reserved < qty or rows[pk].on_hand < qty
        }
        if short:
            raise InsufficientStock(short)
        now = timezone.now()
        for part_id, quantity in sorted(shipped.items()):
            updated = Stock.objects.filter(
                part_id=part_id, reserved__gte=quantity, on_hand__gte=quantity
            ).update(
                on_hand=F("on_hand") - quantity,
                reserved=F("reserved") - quantity,
                updated_at=now,
            )
            if updated != 1:  # cannot happen under the lock; never write half a shipment
                raise InsufficientStock({part_id: rows[part_id].reserved})


def stock_bin_set(*, part_id: int, bin_location: str) -> Stock:
    """Where the warehouse keeps a part; only that column is written."""
    bin_location = " ".join((bin_location or "").split()).upper()[:40]
    stock, _created = Stock.objects.get_or_create(part_id=part_id)
    Stock.objects.filter(part_id=part_id).update(bin_location=bin_location)
    stock.bin_location = bin_location
    return stock


def stock_bin_locations(part_ids) -> dict[int, str]:
    """Where the warehouse keeps each of these parts (parts without a bin are absent)."""
    return dict(
        Stock.objects.filter(part_id__in=list(part_ids))
        .exclude(bin_location="")
        .values_list("part_id", "bin_location")
    )


def _stock_row_for_update(part_id: int) -> Stock:
    """The part's stock row, locked (created empty first when the part has none)."""
    rows = stock_rows_for_update([part_id])
    if part_id not in rows:
        Stock.objects.get_or_create(part_id=part_id)
        rows = stock_rows_for_update([part_id])
    return rows[part_id]


def _check_pieces(quantity) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValidationError({"quantity": "Enter a whole number of pieces above zero."})
    return quantity


def stock_quarantine_add(*, part_id: int, quantity: int) -> Stock:
    """Take returned pieces in, kept apart from sellable stock until staff inspect them.
    Runs in the caller's transaction, under the part's stock row lock."""
    quantity = _check_pieces(quantity)
    with transaction.atomic():
        row = _stock_row_for_update(part_id)
        Stock.objects.filter(part_id=part_id).update(
            quarantine=F("quarantine") + quantity, updated_at=timezone.now()
        )
        row.refresh_from_db()
    return row


def _quarantine_take(part_id: int, quantity: int, *, to_stock: bool) -> Stock:
    quantity = _check_pieces(quantity)
    with transaction.atomic():
        before = _stock_row_for_update(part_id)
        changes = {"quarantine": F("quarantine") - quantity, "updated_at": timezone.now()}
        if to_stock:
            changes["on_hand"] = F("on_hand") + quantity
        updated = Stock.objects.filter(part_id=part_id, quarantine__gte=quantity).update(
            **changes
        )
        if updated != 1:
            raise ValidationError(
                {
                    "quantity": f"Only {before.quarantine} pieces of this part are in "
                    f"quarantine; {quantity} cannot be taken out."
                }
            )
        stock = Stock.objects.get(part_id=part_id)
        if to_stock:
            Part.objects.filter(pk=part_id).update(stock_available=stock.available)
            if (before.available > 0) != (stock.available > 0):
                part_page_touch(part_ids=[part_id])
    return stock


def stock_quarantine_release(*, part_id: int, quantity: int) -> Stock:
    """Inspected returned pieces found sellable: from quarantine back to stock on hand."""
    return _quarantine_take(part_id, quantity, to_stock=True)


def stock_quarantine_write_off(*, part_id: int, quantity: int) -> Stock:
    """Inspected returned pieces found unsellable: out of quarantine, not into stock."""
    return _quarantine_take(part_id, quantity, to_stock=False)


# --- Parameters ----------------------------------------------------------------------------


def parameter_value_parse(
    *, definition: ParameterDefinition, text: str
) -> tuple[str, float | None]:
    """The text to show and the SI number to filter on for a value typed by staff.

    Numeric parameters must read as an engineering value in the parameter's unit
    ("10k", "10 kΩ", "10000" for a resistance); other kinds keep the text as typed.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter a value.")
    if definition.kind != ParameterKind.NUMBER:
        return text, None
    try:
        parsed = values.parse_value(text, unit=definition.unit or None)
    except values.ValueParseError as exc:
        raise ValidationError(str(exc)) from exc
    return parsed.text, parsed.si_value


# --- Part images ---------------------------------------------------------------------------


def part_image_add(*, part: Part, image_file, alt: str = "", position: int = 0) -> PartImage:
    """Store an uploaded picture of a part with a small thumbnail for listings.

    Raises ValidationError when the file is not a picture Pillow can read.
    """
    thumbnail, large = _variants_of(image_file)
    image = PartImage(part=part, alt=alt, position=position)
    image.image.save(_upload_name(image_file), image_file, save=False)
    image.thumbnail.save(thumbnail.name, thumbnail, save=False)
    image.large.save(large.name, large, save=False)
    image.save()
    part_page_touch(part_ids=[part.pk])
    return image


def part_image_replace(*, image: PartImage, image_file) -> PartImage:
    """Swap the picture of an existing part image and make its smaller sizes again."""
    thumbnail, large = _variants_of(image_file)
    stored = (
        PartImage.objects.filter(pk=image.pk).values_list("image", "thumbnail", "large").first()
    )
    old_files = [name for name in (stored or ()) if name]
    image.image.save(_upload_name(image_file), image_file, save=False)
    image.thumbnail.save(thumbnail.name, thumbnail, save=False)
    image.large.save(large.name, large, save=False)
    image.save()
    storage = image.image.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    part_page_touch(part_ids=[image.part_id])
    return image


def _upload_name(image_file) -> str:
    return PurePosixPath(getattr(image_file, "name", "") or "image").name or "image"


def part_image_check(image_file) -> None:
    """Refuse a file that is too big or not a picture Pillow can read, with a clear message."""
    _open_picture(image_file).close()


def _open_picture(image_file) -> Image.Image:
    size = getattr(image_file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"The image is {size // (1024 * 1024)} MB; the largest accepted is "
            f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB.",
            code="image_too_large",
        )
    try:
        image_file.seek(0)
        with Image.open(image_file) as probe:
            probe.verify()
            width, height = probe.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ValidationError(
                f"The image is {width}×{height} pixels; the largest accepted is "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
                code="image_too_large",
            )
        image_file.seek(0)
        with Image.open(image_file) as opened:
            opened.load()
            return ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise ValidationError(
            "The file is not an image that can be read (use JPEG, PNG, WebP or GIF).",
            code="invalid_image",
        ) from exc
    finally:
        image_file.seek(0)


def part_image_variants_make(*, image: PartImage) -> PartImage:
    """Make the thumbnail and the large size of a stored picture again (pictures stored
    before the large size existed; ``manage.py part_image_sizes``)."""
    old_files = [name for name in (image.thumbnail.name, image.large.name) if name]
    with image.image.open("rb") as stored:
        thumbnail, large = _variants_of(stored)
    image.thumbnail.save(thumbnail.name, thumbnail, save=False)
    image.large.save(large.name, large, save=False)
    image.save(update_fields=["thumbnail", "large"])
    storage = image.image.storage
    kept = {image.thumbnail.name, image.large.name}
    transaction.on_commit(lambda: [storage.delete(n) for n in old_files if n not in kept])
    part_page_touch(part_ids=[image.part_id])
    return image


def _variants_of(image_file) -> tuple[ContentFile, ContentFile]:
    """The listing thumbnail (THUMBNAIL_SIZE) and the part page's size (LARGE_SIZE), read
    from one decoding of the upload; neither is ever larger than the upload."""
    picture = _web_mode(_open_picture(image_file))
    stem = PurePosixPath(_upload_name(image_file)).stem or "image"
    return (
        _resized(picture, THUMBNAIL_SIZE, f"{stem}.thumb"),
        _resized(picture, LARGE_SIZE, f"{stem}.large"),
    )


def _resized(picture: Image.Image, size: tuple[int, int], stem: str) -> ContentFile:
    """At most ``size``, upright per EXIF: WebP with alpha kept, or JPEG on white where
    Pillow was built without WebP."""
    picture = picture.copy()
    picture.thumbnail(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if _WEBP:
        picture.save(buffer, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
        return ContentFile(buffer.getvalue(), name=f"{stem}.webp")
    flatten_to_rgb(picture).save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{stem}.jpg")


def _web_mode(picture: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency (palette, LA, CMYK and 16-bit handled)."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    if has_alpha:
        return picture.convert("RGBA")
    if picture.mode != "RGB":
        return picture.convert("RGB")
    return picture


def flatten_to_rgb(picture: Image.Image) -> Image.Image:
    """An RGB copy on a white background, for formats without alpha (JPEG)."""
    if picture.mode == "RGB":
        return picture
    rgba = picture.convert("RGBA")
    background = Image.new("RGB", rgba.size, _JPEG_BACKGROUND)
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
