"""BOMs: a customer's bill of materials, its lines as typed, and the parts they matched.

A BOM keeps the cells it was read from (``source_rows``), so its columns can be mapped again
without a new upload, and each line keeps what the customer typed beside the part it matched.
Prices are not stored as truth: a BOM is priced when shown, from today's price breaks; the
last prices shown are kept per line only to say what changed since.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

UNIT_PRICE = {"max_digits": 19, "decimal_places": 6}
PERCENT = {"max_digits": 5, "decimal_places": 2}
MAX_BUILD_QUANTITY = 100_000


class BomMatch(models.TextChoices):
    EXACT = "exact", _("Matched")
    CANDIDATES = "candidates", _("Choose the part")
    ALTERNATE = "alternate", _("Alternate accepted")
    NOT_FOUND = "not_found", _("Not found")
    TO_CHECK = "to_check", _("To check")


class Bom(models.Model):
    """A bill of materials uploaded by a customer, or by a visitor before signing in."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="boms",
    )
    session_key = models.CharField(
        max_length=64, blank=True, default="", help_text="The anonymous visitor's, until saved."
    )
    saved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the customer saved it in their account."
    )
    name = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    build_quantity = models.PositiveIntegerField(
        "boards",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BUILD_QUANTITY)],
    )
    attrition_percent = models.DecimalField(
        **PERCENT,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Extra pieces for loss at assembly, e.g. 5 % on small passives.",
    )
    merge_same_parts = models.BooleanField(
        default=True, help_text="Lines of the same part are ordered as one line."
    )
    headers = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=1)
    header_shape = models.CharField(max_length=64, blank=True)
    column_mapping = models.JSONField(default=dict, help_text="Field → column index used.")
    source_rows = models.JSONField(default=list, help_text="[row number, cells] under the header.")
    problems = models.JSONField(default=list, help_text="Rows not read, with the reason.")
    priced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(session_key=""),
                name="bom_has_an_owner",
            ),
            models.CheckConstraint(condition=Q(build_quantity__gte=1), name="bom_builds_a_board"),
            models.CheckConstraint(
                condition=Q(attrition_percent__gte=0, attrition_percent__lte=100),
                name="bom_attrition_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-updated_at"], name="bom_customer_idx")]

    def __str__(self) -> str:
        return self.name or self.file_name or f"BOM {self.pk}"


class BomLine(models.Model):
    """One line of a BOM: the cells as typed and the part chosen for it."""

    bom = models.ForeignKey(Bom, on_delete=models.CASCADE, related_name="lines")
    row_number = models.PositiveIntegerField()
    mpn = models.CharField("MPN", max_length=500, blank=True)
    manufacturer = models.CharField(max_length=500, blank=True)
    quantity_per_board = models.PositiveIntegerField(default=1)
    designators = models.CharField(max_length=500, blank=True)
    value = models.CharField(max_length=500, blank=True)
    footprint = models.CharField(max_length=500, blank=True)
    customer_part = models.CharField("your part number", max_length=500, blank=True)
    description = models.CharField(max_length=500, blank=True)
    match = models.CharField(max_length=12, choices=BomMatch.choices, default=BomMatch.NOT_FOUND)
    part = models.ForeignKey(
        "catalog.Part", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate_ids = models.JSONField(default=list, help_text="Part ids, most likely first.")
    alternate = models.ForeignKey(
        "catalog.Part",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A drop-in part in stock, offered when the asked part is out of stock or "
        "discontinued.",
    )
    asked_part = models.ForeignKey(
        "catalog.Part",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The part the line named, kept when an alternate was accepted.",
    )
    attrition_percent = models.DecimalField(
        **PERCENT,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="This line's own attrition, instead of the BOM's.",
    )
    needed_quantity = models.PositiveIntegerField(default=0)
    ordered_quantity = models.PositiveIntegerField(default=0)
    last_unit_price = models.DecimalField(**UNIT_PRICE, null=True, blank=True)
    last_available = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["bom", "row_number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attrition_percent__isnull=True)
                | Q(attrition_percent__gte=0, attrition_percent__lte=100),
                name="bom_line_attrition_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bom_id} row {self.row_number}: {self.mpn or self.value}"


class BomColumnMapping(models.Model):
    """The columns a customer chose for one shape of header row, offered for the next file."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bom_column_mappings"
    )
    header_shape = models.CharField(max_length=64)
    mapping = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "header_shape"], name="bom_mapping_unique_per_shape"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.header_shape[:8]}"
