"""Catalog data: manufacturers, categories, parts and what is known about them.

Invariants live in the database (unique MPN per manufacturer, stock that cannot go below
zero); flows that change them live in ``catalog/services.py``.
"""

import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .languages import prefix as language_prefix

# Where the search vocabulary (manufacturer names and aliases among it) is cached.
VOCABULARY_CACHE_KEY = "search-vocabulary:4"
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
_NOT_URL_SAFE = re.compile(r"[^0-9A-Za-z._-]+")


def normalize_mpn(mpn: str) -> str:
    """Upper case, letters and digits only: the form part numbers are matched on."""
    return _NON_ALNUM.sub("", (mpn or "").upper())


def mpn_slug(mpn: str) -> str:
    """The MPN as it reads, made URL-safe: "BSS138,215" -> "BSS138-215", "LM1117/3.3" ->
    "LM1117-3.3". It normalizes to the same MPN, so every spelling finds the same part."""
    slug = _NOT_URL_SAFE.sub("-", (mpn or "").strip()).strip("-.")
    return slug or normalize_mpn(mpn)


def name_for_language(name: str, name_zh: str) -> str:
    """The Chinese name on Chinese pages when there is one, else the English name."""
    language = translation.get_language() or ""
    return name_zh if name_zh and language.startswith("zh") else name


def normalize_name(name: str) -> str:
    """Case-, accent-, width- and punctuation-blind form of a manufacturer name or alias:
    letters and digits of any script kept, so "Würth" and "Wurth" are one name and Chinese
    names ("村田", "德州仪器", full-width "ＴＩ") are names too, not empty."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())


class Manufacturer(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ManufacturerAlias(models.Model):
    """Another name a manufacturer goes by ("TI" for Texas Instruments) in BOMs and feeds."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)
    normalized = models.CharField(max_length=120, unique=True, editable=False)

    class Meta:
        verbose_name_plural = "manufacturer aliases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)
        _vocabulary_changed()  # a BOM uploaded next reads the new alias

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _vocabulary_changed()
        return result


def _vocabulary_changed() -> None:
    """Rebuild the search vocabulary once the change commits: the staff member who saved it
    waits for the rebuild, not the next customer."""
    from . import refreshing
    from .search import refresh_vocabulary

    refreshing.mark_stale(VOCABULARY_CACHE_KEY)
    transaction.on_commit(refresh_vocabulary)


# The token the whole (small) category tree is cached under, for breadcrumbs
# (catalog.selectors.category_tree); deleted when a category changes.
CATEGORY_TREE_CACHE_KEY = "catalog:category-tree-token"


class Category(models.Model):
    """A node of the category tree; ``path`` is the slash-joined slugs from the root."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=120)
    name_zh = models.CharField(
        "Chinese name", max_length=120, blank=True, default="", db_default="",
        help_text="Shown on Chinese pages and understood by search; blank shows the name.",
    )
    description_zh = models.TextField(
        "Chinese description", blank=True, default="", db_default="",
        help_text="Shown on Chinese pages; blank shows the description.",
    )
    slug = models.SlugField(max_length=120)
    path = models.CharField(max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="category_unique_slug_in_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.path

    def save(self, *args, **kwargs):
        if self.parent_id:
            parent = self.parent
            self.path = f"{parent.path}/{self.slug}"
            self.depth = parent.depth + 1
        else:
            self.path = self.slug
            self.depth = 0
        super().save(*args, **kwargs)
        cache.delete(CATEGORY_TREE_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(CATEGORY_TREE_CACHE_KEY)
        return result

    @property
    def display_name(self) -> str:
        return name_for_language(self.name, self.name_zh)

    @property
    def display_description(self) -> str:
        return name_for_language(self.description, self.description_zh)


class ParameterKind(models.TextChoices):
    NUMBER = "number", "Number with unit"
    CHOICE = "choice", "One of a list"
    TEXT = "text", "Free text"


class ValueMatch(models.TextChoices):
    """How a value typed in search compares with a part's value of this parameter."""

    EQUAL = "equal", "Equal to the value asked (capacitance, resistance, package size)"
    AT_LEAST = "at_least", "At least the value asked: a rating (voltage, current, power)"
    AT_MOST = "at_most", "At most the value asked: a tolerance or a limit (tolerance, ESR)"


class ParameterDefinition(models.Model):
    """A parameter the parts of one category carry, e.g. resistance in Ω."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="parameters")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=80)
    name_zh = models.CharField(
        "Chinese name", max_length=80, blank=True, default="", db_default="",
        help_text="Shown on Chinese pages; blank shows the name.",
    )
    unit = models.CharField(max_length=12, blank=True)
    kind = models.CharField(max_length=10, choices=ParameterKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_key = models.BooleanField(
        default=False, help_text="Shown as a column in the category's part table."
    )
    search_match = models.CharField(
        max_length=10,
        choices=ValueMatch.choices,
        default=ValueMatch.EQUAL,
        db_default=ValueMatch.EQUAL,
        help_text='How "25V" or "1%" typed in search matches: "25V" finds 25 V, 35 V and 50 V '
        "capacitors when the rated voltage is a rating (at least).",
    )

    class Meta:
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "key"], name="parameter_unique_key_in_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def display_name(self) -> str:
        return name_for_language(self.name, self.name_zh)


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    NRND = "nrnd", _("Not recommended for new designs")
    EOL = "eol", _("End of life")
    OBSOLETE = "obsolete", _("Obsolete")


class RoHS(models.TextChoices):
    COMPLIANT = "compliant", _("RoHS compliant")
    NON_COMPLIANT = "non_compliant", _("Not RoHS compliant")
    UNKNOWN = "unknown", pgettext_lazy("RoHS status", "Unknown")


class Part(models.Model):
    """One manufacturer part number (MPN) of one manufacturer."""

    sku = models.CharField(
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Store code, assigned once from the row id and never reused.",
    )
    mpn = models.CharField("MPN", max_length=100)
    # Indexed by migrations 0006 (prefix, trigram) and 0008 (exact), per database.
    normalized_mpn = models.CharField(max_length=100, editable=False)
    # Both foreign keys lead a composite index below; a separate index would only slow imports.
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, related_name="parts", db_index=False
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="parts", db_index=False
    )
    package = models.CharField("package / case", max_length=60, blank=True)
    description = models.CharField(max_length=500, blank=True)
    datasheet_url = models.URLField(max_length=500, blank=True)
    lifecycle = models.CharField(max_length=10, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    rohs = models.CharField("RoHS", max_length=16, choices=RoHS.choices, default=RoHS.UNKNOWN)
    msl = models.CharField("MSL", max_length=20, blank=True)
    esd_sensitive = models.BooleanField(
        "ESD-sensitive",
        default=False,
        db_default=False,
        help_text="Handled on an ESD-safe bench and bag.",
    )
    packaging = models.CharField(max_length=60, blank=True, help_text="Manufacturer packaging.")
    moq = models.PositiveIntegerField("MOQ", default=1)
    order_multiple = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    page_changed_at = models.DateTimeField(
        default=timezone.now,
        help_text="Last change a visitor would see: specs, prices, stock status.",
    )
    # Copies kept in step by the catalog services and the import (see
    # services.part_listing_refresh), so category pages sort and filter a large category
    # through an index instead of computing a price for every part.
    first_break_price = models.DecimalField(
        max_digits=19,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
        help_text="Unit price at the first break of the cut-tape (or other non-reel) ladder.",
    )
    stock_available = models.PositiveIntegerField(
        default=0, editable=False, help_text="Own stock on hand minus reserved."
    )

    class Meta:
        ordering = ["normalized_mpn", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "normalized_mpn"], name="part_unique_mpn_per_manufacturer"
            ),
            models.CheckConstraint(condition=Q(moq__gte=1), name="part_moq_at_least_one"),
            models.CheckConstraint(
                condition=Q(order_multiple__gte=1), name="part_order_multiple_at_least_one"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "normalized_mpn"], name="part_category_mpn_idx"),
            models.Index(fields=["page_changed_at", "id"], name="part_page_changed_idx"),
            models.Index(fields=["category", "page_changed_at"], name="part_category_changed_idx"),
            models.Index(fields=["manufacturer", "page_changed_at"], name="part_maker_changed_idx"),
            models.Index(
                fields=["category", "first_break_price", "id"], name="part_category_price_idx"
            ),
            models.Index(
                fields=["category", "stock_available", "id"], name="part_category_stock_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mpn} ({self.manufacturer_id and self.manufacturer.name})"

    def save(self, *args, **kwargs):
        self.normalized_mpn = normalize_mpn(self.mpn)
        super().save(*args, **kwargs)
        if not self.sku:
            self.sku = sku_for_id(self.pk)
            Part.objects.filter(pk=self.pk).update(sku=self.sku)

    def get_absolute_url(self) -> str:
        """Canonical page URL: manufacturer and MPN, stable across re-imports."""
        return f"{language_prefix()}/part/{self.manufacturer.slug}/{mpn_slug(self.mpn)}/"

    @property
    def is_discontinued(self) -> bool:
        return self.lifecycle in (Lifecycle.EOL, Lifecycle.OBSOLETE)


SKU_OFFSET = 1_000_000


def sku_for_id(pk: int) -> str:
    return f"P{SKU_OFFSET + pk}"


class ParameterValue(models.Model):
    """A part's value of one parameter: SI base number for ranges, text as shown."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="parameter_values", db_index=False
    )
    definition = models.ForeignKey(
        ParameterDefinition, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    si_value = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=120)

    class Meta:
        ordering = ["definition__position", "definition_id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "definition"], name="parameter_value_unique"),
        ]
        indexes = [
            models.Index(fields=["definition", "si_value"], name="parameter_value_range_idx"),
            models.Index(fields=["definition", "text"], name="parameter_value_text_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class PackagingKind(models.TextChoices):
    CUT_TAPE = "cut_tape", _("Cut tape")
    REEL = "reel", _("Full reel")
    TRAY = "tray", _("Tray")
    TUBE = "tube", _("Tube")
    BULK = "bulk", _("Bulk")


class PackagingOption(models.Model):
    """A way a part is sold, with its own price ladder; a full reel sells whole reels only."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="packaging_options", db_index=False
    )
    kind = models.CharField(max_length=10, choices=PackagingKind.choices)
    reel_quantity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pieces per reel, for full reels."
    )

    class Meta:
        ordering = ["part", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["part", "kind"], name="packaging_unique_kind_per_part"),
            models.CheckConstraint(
                condition=~Q(kind="reel") | Q(reel_quantity__isnull=False, reel_quantity__gte=1),
                name="packaging_reel_has_quantity",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PackagingKind.REEL and self.reel_quantity:
            return _("Full reel of %(quantity)s") % {"quantity": self.reel_quantity}
        return self.get_kind_display()


class PriceBreak(models.Model):
    """Unit price from ``min_quantity`` pieces up, for one packaging option."""

    packaging = models.ForeignKey(
        PackagingOption, on_delete=models.CASCADE, related_name="price_breaks", db_index=False
    )
    min_quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=19, decimal_places=6)

    class Meta:
        ordering = ["packaging", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["packaging", "min_quantity"], name="price_break_unique_quantity"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=1), name="price_break_min_qty_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="price_break_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity}+ @ {self.unit_price}"


class Stock(models.Model):
    """Own warehouse stock of a part. Available = on_hand - reserved, never negative."""

    part = models.OneToOneField(
        Part, on_delete=models.CASCADE, primary_key=True, related_name="stock"
    )
    on_hand = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    unit_cost = models.DecimalField(
        max_digits=19,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="What one piece on hand cost us (landed, excl. VAT); gross margin in reports.",
    )
    bin_location = models.CharField(
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text="Where the warehouse keeps it, e.g. A-03-2.",
    )
    quarantine = models.PositiveIntegerField(
        default=0,
        db_default=0,
        help_text="Returned pieces waiting for inspection: not sellable until released to "
        "stock (catalog.services.stock_quarantine_release) or written off.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stock"
        # The stock feed (/api/v1/stock/?updated_after=) walks rows in this order.
        indexes = [models.Index(fields=["updated_at", "part"], name="stock_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stock_available_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.available} available"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Supplier(models.Model):
    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupplierOffer(models.Model):
    """Stock a supplier holds for us; sold after own stock, shipping in ``lead_days``."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="supplier_offers", db_index=False
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="offers")
    quantity = models.PositiveIntegerField(default=0)
    lead_days = models.PositiveSmallIntegerField()
    cost = models.DecimalField(max_digits=19, decimal_places=6, null=True, blank=True)
    returnable = models.BooleanField(
        default=True,
        db_default=True,
        help_text="Untick when the supplier takes nothing back: pieces of an order taken "
        "from this offer cannot be returned (complaints about faults still can be opened).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lead_days", "supplier_id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "supplier"], name="supplier_offer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} from {self.supplier_id} in {self.lead_days} days"


class AlternateKind(models.TextChoices):
    DROP_IN = "drop_in", _("Drop-in replacement")
    SIMILAR = "similar", _("Similar part")


class PartAlternate(models.Model):
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="alternates", db_index=False
    )
    alternate = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="alternate_of")
    kind = models.CharField(max_length=10, choices=AlternateKind.choices)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "alternate"], name="part_alternate_unique"),
            models.CheckConstraint(
                condition=~Q(part=F("alternate")), name="part_alternate_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part_id} → {self.alternate_id} ({self.kind})"


def part_image_path(instance: "PartImage", filename: str) -> str:
    return f"parts/{instance.part_id}/{filename}"


class PartImage(models.Model):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=part_image_path)
    thumbnail = models.ImageField(upload_to=part_image_path, blank=True, editable=False)
    # The part page's picture: at most 720 px, so a phone at 2x never loads the upload.
    large = models.ImageField(upload_to=part_image_path, blank=True, editable=False)
    alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["part", "position", "id"]

    def __str__(self) -> str:
        return self.alt or self.image.name


class ImportKind(models.TextChoices):
    CATALOG = "catalog", "Catalog (parts, prices, stock, parameters)"
    PRICE_STOCK = "price_stock", "Price and stock feed"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CatalogImport(models.Model):
    """One run of a catalog file or price-and-stock feed, with progress and a reject report."""

    kind = models.CharField(max_length=12, choices=ImportKind.choices, default=ImportKind.CATALOG)
    file = models.FileField(upload_to="imports/%Y/%m/")
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_processed = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    report = models.FileField(upload_to="imports/reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk} ({self.status})"


class DeferredCatalogSchema(models.Model):
    """A secondary index or foreign key that an import into an empty catalog dropped for the
    load, with the statement that builds it again. The row is written in the transaction
    that drops it and deleted once it is built, so an import that dies half way (its process
    killed) leaves the statements here, and the next import builds them first."""

    table = models.CharField(max_length=63)
    name = models.CharField(max_length=63)
    kind = models.CharField(
        max_length=11, choices=[("index", "Index"), ("foreign_key", "Foreign key")]
    )
    statement = models.TextField()
    deferred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "name"], name="deferred_schema_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} on {self.table}"


class IndexNowCursor(models.Model):
    """How far IndexNow submissions got through parts ordered by (page_changed_at, id)."""

    changed_at = models.DateTimeField(null=True, blank=True)
    part_id = models.BigIntegerField(default=0)
    submitted_urls = models.PositiveBigIntegerField(default=0)
    last_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "IndexNow cursor"

    def __str__(self) -> str:
        return f"IndexNow through {self.changed_at} / part {self.part_id}"


class SearchKind(models.TextChoices):
    EXACT = "exact", "Exact part number"
    PART_NUMBER = "part_number", "Part number (partial)"
    FUZZY = "fuzzy", "Part number (typo tolerant)"
    VALUE = "value", "Values and keywords"
    KEYWORD = "keyword", "Keywords"
    EMPTY = "empty", "Nothing searchable"


class SearchLog(models.Model):
    """One search a visitor made, with how many parts it found: the zero-result ones are
    parts customers want that the store lacks."""

    query = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=12, choices=SearchKind.choices)
    result_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["result_count", "normalized"], name="searchlog_zero_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.query!r} → {self.result_count}"
