"""Row locks of the catalog, always taken in primary-key order so that two transactions
locking overlapping sets of rows queue behind each other instead of deadlocking."""

from collections.abc import Iterable

from .models import Stock, SupplierOffer


def stock_rows_for_update(part_ids: Iterable[int]) -> dict[int, Stock]:
    """Lock the stock rows of these parts (in part-id order); parts with no row are absent."""
    rows = (
        Stock.objects.filter(part_id__in=sorted(set(part_ids)))
        .order_by("part_id")
        .select_for_update(of=("self",))
    )
    return {row.part_id: row for row in rows}


def supplier_offers_for_update(part_ids: Iterable[int]) -> list[SupplierOffer]:
    """Lock the supplier offers of these parts that hold pieces, in offer-id order."""
    return list(
        SupplierOffer.objects.filter(part_id__in=sorted(set(part_ids)), quantity__gt=0)
        .order_by("pk")
        .select_for_update(of=("self",))
    )


def supplier_offers_by_id_for_update(offer_ids: Iterable[int]) -> dict[int, SupplierOffer]:
    rows = (
        SupplierOffer.objects.filter(pk__in=sorted(set(offer_ids)))
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    return {row.pk: row for row in rows}
