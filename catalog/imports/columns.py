"""The file format in code: the columns of the two kinds of file, the limits of their cells,
the part columns a row sets, and the error a file as a whole fails with.

The format for people is docs/catalog-import.md.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from ..models import ImportKind, Lifecycle, PackagingKind, RoHS

PARAM_PREFIX = "param:"
SUPPLIER_COLUMNS = ("supplier", "supplier_quantity", "supplier_lead_days", "supplier_cost")
PRICE_STOCK_COLUMNS = (
    "manufacturer",
    "mpn",
    "stock",
    "prices",
    "packaging_kind",
    "reel_quantity",
    "reel_prices",
    *SUPPLIER_COLUMNS,
)
CATALOG_COLUMNS = (
    "manufacturer",
    "mpn",
    "category",
    "description",
    "package",
    "datasheet_url",
    "lifecycle",
    "rohs",
    "msl",
    "packaging",
    "moq",
    "order_multiple",
    *PRICE_STOCK_COLUMNS[2:],
)
REQUIRED_COLUMNS = {
    ImportKind.CATALOG: ("manufacturer", "mpn", "category"),
    ImportKind.PRICE_STOCK: ("manufacturer", "mpn"),
}
REPORT_COLUMNS = ("row", "column", "value", "reason")

MAX_INT = 2_147_483_647
MAX_LEAD_DAYS = 32_767
TEXT_LIMITS = {"description": 500, "package": 60, "msl": 20, "packaging": 60}
LADDER_KINDS = tuple(
    kind.value
    for kind in (PackagingKind.CUT_TAPE, PackagingKind.TRAY, PackagingKind.TUBE, PackagingKind.BULK)
)
ROHS_WORDS = {
    "yes": RoHS.COMPLIANT.value,
    "no": RoHS.NON_COMPLIANT.value,
    "unknown": RoHS.UNKNOWN.value,
}

# Part columns a catalog row can set, and what a new part gets when the row leaves one empty.
PART_FIELDS = (
    "category_id",
    "package",
    "description",
    "datasheet_url",
    "lifecycle",
    "rohs",
    "msl",
    "packaging",
    "moq",
    "order_multiple",
)
PART_DEFAULTS: dict[str, Any] = {
    "package": "",
    "description": "",
    "datasheet_url": "",
    "lifecycle": Lifecycle.ACTIVE.value,
    "rohs": RoHS.UNKNOWN.value,
    "msl": "",
    "packaging": "",
    "moq": 1,
    "order_multiple": 1,
}
_PART_COLUMNS = (
    "mpn",
    "normalized_mpn",
    "manufacturer_id",
    *PART_FIELDS,
    "created_at",
    "updated_at",
    "page_changed_at",
    "first_break_price",
    "stock_available",
)
_part_fields_of = itemgetter(*PART_FIELDS)
# The MPN as first imported stays: it is in the part's URL. The listing copies of a part that
# exists are not taken from the row: they depend on its other ladders and reserved stock too.
_PART_UPDATES = (*PART_FIELDS, "updated_at", "page_changed_at")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (header, encoding, CSV syntax)."""

