"""Catalog admin for operations staff: hundreds of thousands of parts, so every foreign key to
a big table is an autocomplete, every list a fixed number of queries, and every write that
has a rule (stock below reserved, thumbnails, page freshness) goes through catalog.services.
"""

import csv
import importlib.util
import re
from decimal import Decimal
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import (
    Category,
    Manufacturer,
    ManufacturerAlias,
    PackagingKind,
    PackagingOption,
    ParameterDefinition,
    ParameterValue,
    Part,
    PartAlternate,
    PartImage,
    PriceBreak,
    RoHS,
    Stock,
    Supplier,
    SupplierOffer,
    normalize_mpn,
    normalize_name,
)
from .spreadsheets import safe_row

SKU_RE = re.compile(r"P\d{7,}")


def search_parts(queryset, term: str):
    """Parts by MPN in any spelling (normalized, start of it is enough) or by exact store
    sku: index lookups only, never a scan over descriptions. Also serves autocompletes."""
    term = (term or "").strip()
    if not term:
        return queryset
    normalized = normalize_mpn(term)
    if not normalized:
        return queryset.none()
    condition = Q(normalized_mpn__startswith=normalized)
    if SKU_RE.fullmatch(normalized):
        condition |= Q(sku=normalized)
    return queryset.filter(condition)


def format_unit_price(price: Decimal) -> str:
    """A unit price as the import reads it: at least four decimals, no trailing noise."""
    text = format(price.normalize(), "f")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(4, '0')}"


def format_ladder(price_breaks) -> str:
    """Price breaks as the import's ladder: ``1:0.0120|10:0.0095``."""
    return "|".join(
        f"{pb.min_quantity}:{format_unit_price(pb.unit_price)}"
        for pb in sorted(price_breaks, key=lambda pb: pb.min_quantity)
    )


def formset_changes_page(formset, *, hidden_fields=()) -> bool:
    """Whether saving this inline formset changes what a visitor sees on the part page."""
    if getattr(formset, "deleted_forms", None):
        return True
    for form in formset.initial_forms + formset.extra_forms:
        if form.has_changed() and set(form.changed_data) - set(hidden_fields):
            return True
    return False


# --- Manufacturers, categories, suppliers ---------------------------------------------------


class ManufacturerAliasInline(admin.TabularInline):
    model = ManufacturerAlias
    extra = 1
    fields = ["name"]


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "part_count"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ManufacturerAliasInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = 100

    def get_queryset(self, request):
        parts = (
            Part.objects.filter(manufacturer=OuterRef("pk"))
            .order_by()
            .values("manufacturer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_part_count=Coalesce(Subquery(parts), 0))

    @admin.display(description="parts", ordering="_part_count")
    def part_count(self, obj):
        return obj._part_count


class ParameterDefinitionInline(admin.TabularInline):
    model = ParameterDefinition
    extra = 0
    fields = ["position", "key", "name", "name_zh", "unit", "kind", "is_key", "search_match"]
    ordering = ["position", "id"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "name", "name_zh", "depth", "position"]
    search_fields = ["path", "name", "name_zh", "parameters__name_zh"]
    ordering = ["path"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]
    fields = [
        "parent", "name", "name_zh", "slug", "description", "description_zh", "position", "path",
        "depth",
    ]
    inlines = [ParameterDefinitionInline]
    list_per_page = 200

    def get_readonly_fields(self, request, obj=None):
        """A category with sub-categories keeps its place: their stored paths (and so the
        URLs and import files that name them) would go stale. Moves go through the taxonomy
        tools."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.children.exists():
            readonly += ["parent", "slug"]
        return readonly


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "offer_count"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        offers = (
            SupplierOffer.objects.filter(supplier=OuterRef("pk"))
            .order_by()
            .values("supplier")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_offer_count=Coalesce(Subquery(offers), 0))

    @admin.display(description="offers", ordering="_offer_count")
    def offer_count(self, obj):
        return obj._offer_count


# --- Part list filters -----------------------------------------------------------------------


class CategoryTreeFilter(admin.SimpleListFilter):
    """Drill down the category tree: top-level categories first, then the children of the
    chosen one; parts of the whole subtree match. Never lists the whole tree."""

    title = "category"
    parameter_name = "category"

    def _selected(self):
        value = self.value()
        if not value or not value.isdigit():
            return None
        if getattr(self, "_selected_cache", (None,))[0] != value:
            self._selected_cache = (value, Category.objects.filter(pk=value).first())
        return self._selected_cache[1]

    def lookups(self, request, model_admin):
        selected = self._selected()
        if selected is None:
            roots = Category.objects.filter(parent=None).order_by("position", "name")
            return [(c.pk, c.name) for c in roots]
        segments = selected.path.split("/")
        ancestor_paths = ["/".join(segments[:i]) for i in range(1, len(segments))]
        ancestors = Category.objects.filter(path__in=ancestor_paths).order_by("depth")
        children = selected.children.order_by("position", "name")
        return (
            [(c.pk, f"↑ {c.name}") for c in ancestors]
            + [(selected.pk, selected.name)]
            + [(c.pk, f"\u2003{c.name}") for c in children]
        )

    def queryset(self, request, queryset):
        selected = self._selected()
        if selected is None:
            return queryset
        subtree = Category.objects.filter(
            Q(pk=selected.pk) | Q(path__startswith=f"{selected.path}/")
        )
        return queryset.filter(category__in=subtree)


class ManufacturerNameFilter(admin.SimpleListFilter):
    """Manufacturer by name, start of name or alias, typed in: there are too many to list."""

    title = "manufacturer"
    parameter_name = "manufacturer"
    template = "admin/catalog/input_filter.html"

    def __init__(self, request, params, model, model_admin):
        self._query = request.GET
        super().__init__(request, params, model, model_admin)

    def has_output(self):
        return True

    def lookups(self, request, model_admin):
        return ()

    def choices(self, changelist):
        yield {
            "parameter_name": self.parameter_name,
            "value": self.value() or "",
            "placeholder": "Name or alias",
            "hidden_params": [
                (key, value)
                for key, values_ in self._query.lists()
                if key not in (self.parameter_name, "p")
                for value in values_
            ],
            "clear_query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        makers = Manufacturer.objects.filter(
            Q(name__istartswith=value)
            | Q(slug=value.lower())
            | Q(aliases__normalized=normalize_name(value))
        )
        return queryset.filter(manufacturer__in=makers.values("pk"))


class StockFilter(admin.SimpleListFilter):
    """Own warehouse stock, available = on hand - reserved."""

    title = "stock"
    parameter_name = "stock"
    LOW_THRESHOLDS = (100, 1000)

    def lookups(self, request, model_admin):
        return [
            ("in", "In stock"),
            ("out", "Out of stock"),
            *[(f"lt{n}", f"Fewer than {n} available") for n in self.LOW_THRESHOLDS],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        no_stock = Q(stock__isnull=True) | Q(stock__on_hand__lte=F("stock__reserved"))
        if value == "in":
            return queryset.filter(stock__on_hand__gt=F("stock__reserved"))
        if value == "out":
            return queryset.filter(no_stock)
        if value and value.startswith("lt") and value[2:].isdigit():
            below = int(value[2:])
            return queryset.filter(
                Q(stock__isnull=True) | Q(stock__on_hand__lt=F("stock__reserved") + below)
            )
        return queryset


# --- Part inlines ----------------------------------------------------------------------------


class PackagingOptionForm(forms.ModelForm):
    """The database lets a NULL reel quantity through its CHECK; the form does not."""

    class Meta:
        model = PackagingOption
        fields = ["part", "kind", "reel_quantity"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PackagingKind.REEL and not cleaned.get("reel_quantity"):
            self.add_error("reel_quantity", "A full reel needs its pieces per reel.")
        return cleaned


class PackagingOptionInline(admin.TabularInline):
    """Packagings on the part; their price ladders are edited on the packaging's own page
    (the pencil link), since Django has no nested inlines."""

    model = PackagingOption
    form = PackagingOptionForm
    extra = 0
    fields = ["kind", "reel_quantity", "ladder"]
    readonly_fields = ["ladder"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("price_breaks")

    @admin.display(description="price ladder (qty:unit price)")
    def ladder(self, obj):
        if obj.pk is None:
            return "Save, then open the packaging to enter prices."
        return format_ladder(obj.price_breaks.all()) or "—"


class ParameterValueFormSet(BaseInlineFormSet):
    """Values limited to the parameters of the part's category, read as engineering values."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("definition")
        if field is None:
            return
        category_id = getattr(self.instance, "category_id", None)
        current = form.instance.definition_id if form.instance.pk else None
        field.queryset = ParameterDefinition.objects.filter(
            Q(category_id=category_id) | Q(pk=current)
        ).order_by("position", "id")

    def clean(self):
        super().clean()
        category_id = self.instance.category_id
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            definition = form.cleaned_data.get("definition")
            if definition is None:
                continue
            if definition.category_id != category_id:
                form.add_error(
                    "definition",
                    f"“{definition}” belongs to another category than this part's; "
                    "delete this value or pick a parameter of the part's category.",
                )
                continue
            try:
                text, si_value = services.parameter_value_parse(
                    definition=definition, text=form.cleaned_data.get("text", "")
                )
            except ValidationError as exc:
                form.add_error("text", exc)
                continue
            form.instance.text = text
            form.instance.si_value = si_value


class ParameterValueInline(admin.TabularInline):
    model = ParameterValue
    formset = ParameterValueFormSet
    extra = 0
    fields = ["definition", "text", "si_value"]
    readonly_fields = ["si_value"]
    verbose_name = "parameter"
    verbose_name_plural = "parameters (of the part's category; numbers as 10k, 100nF, ±1%)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("definition")


class StockFormSet(BaseInlineFormSet):
    """Only ``on_hand`` is edited here; the reserved pieces belong to open orders."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or "on_hand" not in form.changed_data:
                continue
            on_hand = form.cleaned_data.get("on_hand")
            if on_hand is None or self.instance.pk is None:
                continue
            reserved = (
                Stock.objects.filter(part_id=self.instance.pk)
                .values_list("reserved", flat=True)
                .first()
            ) or 0
            if on_hand < reserved:
                form.add_error(
                    "on_hand",
                    f"{reserved} pieces are reserved by open orders, so on hand cannot be "
                    f"less than {reserved}.",
                )


class StockInline(admin.TabularInline):
    model = Stock
    formset = StockFormSet
    fields = ["on_hand", "reserved", "available", "bin_location", "quarantine", "updated_at"]
    readonly_fields = ["reserved", "available", "quarantine", "updated_at"]
    can_delete = False
    max_num = 1
    extra = 1
    verbose_name = "own warehouse stock"
    verbose_name_plural = "own warehouse stock"

    @admin.display(description="available")
    def available(self, obj):
        return obj.available if obj.pk is not None else "—"


class SupplierOfferInline(admin.TabularInline):
    model = SupplierOffer
    extra = 0
    fields = ["supplier", "quantity", "lead_days", "cost", "returnable", "updated_at"]
    readonly_fields = ["updated_at"]
    autocomplete_fields = ["supplier"]
    hidden_fields = ["cost"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supplier")


class PartAlternateFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            alternate = getattr(form, "cleaned_data", {}).get("alternate")
            if alternate is not None and alternate.pk == self.instance.pk:
                form.add_error("alternate", "A part cannot be its own alternate.")


class PartAlternateInline(admin.TabularInline):
    model = PartAlternate
    formset = PartAlternateFormSet
    fk_name = "part"
    extra = 0
    fields = ["alternate", "kind"]
    autocomplete_fields = ["alternate"]
    verbose_name_plural = "alternates (shown on the part page, e.g. for discontinued parts)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("alternate__manufacturer")


class PartImageForm(forms.ModelForm):
    class Meta:
        model = PartImage
        fields = ["image", "alt", "position"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image is not None and "image" in self.changed_data:
            services.part_image_check(image)
        return image


class PartImageInline(admin.TabularInline):
    """Uploads are stored by services.part_image_add, which also makes the thumbnail."""

    model = PartImage
    form = PartImageForm
    extra = 0
    fields = ["preview", "image", "alt", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="thumbnail")
    def preview(self, obj):
        if obj.pk is None or not obj.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:60px">', obj.thumbnail.url)


# --- Parts -----------------------------------------------------------------------------------


def _https_formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PartForm(forms.ModelForm):
    """Catches a duplicate MPN (any spelling) before the database's unique constraint does:
    ``normalized_mpn`` is not a form field, so Django's own unique check skips it."""

    class Meta:
        model = Part
        formfield_callback = _https_formfield
        fields = [
            "manufacturer",
            "mpn",
            "category",
            "description",
            "package",
            "datasheet_url",
            "lifecycle",
            "rohs",
            "msl",
            "esd_sensitive",
            "packaging",
            "moq",
            "order_multiple",
        ]

    def clean(self):
        cleaned = super().clean()
        manufacturer, mpn = cleaned.get("manufacturer"), cleaned.get("mpn")
        if manufacturer and mpn:
            twin = (
                Part.objects.filter(manufacturer=manufacturer, normalized_mpn=normalize_mpn(mpn))
                .exclude(pk=self.instance.pk)
                .values_list("sku", "mpn")
                .first()
            )
            if twin:
                self.add_error(
                    "mpn", f"{manufacturer} already has this MPN as {twin[1]} (sku {twin[0]})."
                )
        return cleaned


class StockConflict(Exception):
    """A reservation landed between the form's check and the stock update."""


class PartChangeList(ChangeList):
    """The part list with stock and first-break price annotated (sortable), computed in the
    page query itself rather than per row."""

    def get_queryset(self, request, exclude_parameters=None):
        if not getattr(self, "_annotated", False):
            self.root_queryset = annotate_part_listing(self.root_queryset)
            self._annotated = True
        return super().get_queryset(request, exclude_parameters)


def annotate_part_listing(queryset):
    first_break = (
        PriceBreak.objects.filter(packaging__part=OuterRef("pk"))
        .exclude(packaging__kind=PackagingKind.REEL)
        .order_by("min_quantity", "unit_price")
    )
    return queryset.annotate(
        available_qty=F("stock__on_hand") - F("stock__reserved"),
        first_price=Subquery(first_break.values("unit_price")[:1]),
        first_price_qty=Subquery(first_break.values("min_quantity")[:1]),
    )


CSV_BATCH = 2000


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    form = PartForm
    list_display = [
        "sku",
        "mpn",
        "manufacturer",
        "category",
        "package",
        "lifecycle",
        "stock_available",
        "unit_price_1",
    ]
    list_display_links = ["sku", "mpn"]
    list_select_related = ["manufacturer", "category"]
    list_filter = [
        CategoryTreeFilter,
        ManufacturerNameFilter,
        "lifecycle",
        "rohs",
        StockFilter,
    ]
    search_fields = ["normalized_mpn"]  # the search itself is get_search_results below
    search_help_text = "MPN in any spelling (start of it is enough) or store sku, e.g. P1000042."
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ["manufacturer", "category"]
    readonly_fields = ["sku", "normalized_mpn", "page_changed_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["sku", "manufacturer", "mpn", "normalized_mpn", "category"]}),
        ("Description", {"fields": ["description", "package", "datasheet_url"]}),
        ("Status", {"fields": ["lifecycle", "rohs", "msl"]}),
        ("Ordering", {"fields": ["packaging", "moq", "order_multiple"]}),
        (
            "Record",
            {
                "fields": ["page_changed_at", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [
        StockInline,
        PackagingOptionInline,
        ParameterValueInline,
        SupplierOfferInline,
        PartAlternateInline,
        PartImageInline,
    ]
    actions = ["export_csv"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # Listing --------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return PartChangeList

    @admin.display(description="available", ordering="available_qty")
    def stock_available(self, obj):
        available = getattr(obj, "available_qty", None)
        return "—" if available is None else available

    @admin.display(description="unit price (first break)", ordering="first_price")
    def unit_price_1(self, obj):
        price = getattr(obj, "first_price", None)
        if price is None:
            return "—"
        text = format_unit_price(price)
        quantity = obj.first_price_qty
        return text if quantity == 1 else f"{text} @ {quantity}+"

    def get_search_results(self, request, queryset, search_term):
        return search_parts(queryset, search_term), False

    def get_inlines(self, request, obj):
        if obj is None:
            return [inline for inline in self.inlines if inline is not ParameterValueInline]
        return self.inlines

    # Saving ---------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StockConflict as conflict:
            self.message_user(request, f"Nothing was saved. {conflict}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and self._changes_page(form, formsets):
            services.part_page_touch(part_ids=[form.instance.pk])
        else:
            services.part_listing_refresh(part_ids=[form.instance.pk])

    def _changes_page(self, form, formsets) -> bool:
        if form.has_changed():
            return True
        for formset in formsets:
            if formset.model is Stock:
                continue  # stock_set_on_hand refreshes the page when availability flips
            inline_hidden = {
                SupplierOffer: SupplierOfferInline.hidden_fields,
            }.get(formset.model, ())
            if formset_changes_page(formset, hidden_fields=inline_hidden):
                return True
        return False

    def save_formset(self, request, form, formset, change):
        if formset.model is Stock:
            self._save_stock(formset)
        elif formset.model is PartImage:
            self._save_images(formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_stock(self, formset):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for stock_form in formset.forms:
            if "bin_location" in stock_form.changed_data:
                stock = services.stock_bin_set(
                    part_id=formset.instance.pk,
                    bin_location=stock_form.cleaned_data["bin_location"],
                )
                if "on_hand" not in stock_form.changed_data:
                    formset.changed_objects.append((stock, ["bin_location"]))
            if "on_hand" not in stock_form.changed_data:
                continue
            try:
                stock = services.stock_set_on_hand(
                    part_id=formset.instance.pk, on_hand=stock_form.cleaned_data["on_hand"]
                )
            except ValidationError as exc:
                raise StockConflict(" ".join(exc.messages)) from exc
            if stock_form.instance._state.adding:
                formset.new_objects.append(stock)
            else:
                formset.changed_objects.append((stock, ["on_hand"]))

    def _save_images(self, formset):
        part = formset.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        storage_names = []
        for image_form in formset.deleted_forms:
            image = image_form.instance
            if image.pk is not None:
                storage_names += [f.name for f in (image.image, image.thumbnail) if f]
                image.delete()
                formset.deleted_objects.append(image)
        for image_form in formset.forms:
            if image_form in formset.deleted_forms or not image_form.has_changed():
                continue
            data = image_form.cleaned_data
            image = image_form.instance
            if image.pk is None:
                formset.new_objects.append(
                    services.part_image_add(
                        part=part,
                        image_file=data["image"],
                        alt=data.get("alt", ""),
                        position=data.get("position") or 0,
                    )
                )
                continue
            if "image" in image_form.changed_data:
                services.part_image_replace(image=image, image_file=data["image"])
            else:
                image.save(update_fields=["alt", "position"])
            formset.changed_objects.append((image, image_form.changed_data))
        if storage_names:
            storage = PartImage._meta.get_field("image").storage
            transaction.on_commit(lambda: [storage.delete(name) for name in storage_names])

    # CSV export -----------------------------------------------------------------------

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="catalog_part_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The parts of the changelist as currently filtered and searched, as import CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:catalog_part_changelist") + "?e=1")
        return export_parts_csv(changelist.get_queryset(request))

    @admin.action(description="Export selected parts as import CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return export_parts_csv(queryset)


# --- CSV export in the import format (docs/catalog-import.md) --------------------------------

EXPORT_COLUMNS = [
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
    "stock",
    "packaging_kind",
    "prices",
    "reel_quantity",
    "reel_prices",
    "supplier",
    "supplier_quantity",
    "supplier_lead_days",
    "supplier_cost",
]
ROHS_EXPORT = {RoHS.COMPLIANT: "yes", RoHS.NON_COMPLIANT: "no", RoHS.UNKNOWN: "unknown"}


class _Echo:
    def write(self, value):
        return value


def export_parts_csv(queryset, *, filename: str | None = None) -> StreamingHttpResponse:
    """Stream parts as a catalog import file, a chunk of rows at a time.

    A part with several loose packagings or supplier offers takes one row per packaging or
    offer; each row repeats the part, so the file imports back to the same catalog.
    """
    parts = (
        Part.objects.filter(pk__in=queryset.order_by().values("pk"))
        .select_related("manufacturer", "category", "stock")
        .prefetch_related(
            Prefetch(
                "packaging_options",
                queryset=PackagingOption.objects.prefetch_related("price_breaks").order_by("kind"),
            ),
            Prefetch(
                "supplier_offers",
                queryset=SupplierOffer.objects.select_related("supplier").order_by(
                    "supplier__code"
                ),
            ),
            Prefetch(
                "parameter_values",
                queryset=ParameterValue.objects.select_related("definition").order_by(),
            ),
        )
        .order_by("pk")
    )
    param_keys = list(
        ParameterDefinition.objects.filter(category__in=queryset.order_by().values("category_id"))
        .order_by("key")
        .values_list("key", flat=True)
        .distinct()
    )
    header = EXPORT_COLUMNS + [f"param:{key}" for key in param_keys]
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(safe_row(header))
        for part in parts.iterator(chunk_size=CSV_BATCH):
            for row in _part_rows(part, param_keys):
                yield writer.writerow(safe_row(row))

    name = filename or f"partline-parts-{timezone.now():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _part_rows(part: Part, param_keys: list[str]):
    try:
        on_hand = str(part.stock.on_hand)
    except Stock.DoesNotExist:
        on_hand = ""
    options = list(part.packaging_options.all())
    loose = [o for o in options if o.kind != PackagingKind.REEL and o.price_breaks.all()]
    reel = next((o for o in options if o.kind == PackagingKind.REEL and o.price_breaks.all()), None)
    offers = list(part.supplier_offers.all())
    params = {pv.definition.key: pv.text for pv in part.parameter_values.all()}
    common = [
        part.manufacturer.name,
        part.mpn,
        part.category.path,
        part.description,
        part.package,
        part.datasheet_url,
        part.lifecycle,
        ROHS_EXPORT.get(part.rohs, "unknown"),
        part.msl,
        part.packaging,
        part.moq,
        part.order_multiple,
        on_hand,
    ]
    param_cells = [params.get(key, "") for key in param_keys]
    for index in range(max(1, len(loose), len(offers))):
        option = loose[index] if index < len(loose) else None
        offer = offers[index] if index < len(offers) else None
        first = index == 0
        yield [
            *common,
            option.kind if option else "",
            format_ladder(option.price_breaks.all()) if option else "",
            reel.reel_quantity if reel and first else "",
            format_ladder(reel.price_breaks.all()) if reel and first else "",
            offer.supplier.code if offer else "",
            offer.quantity if offer else "",
            offer.lead_days if offer else "",
            format_unit_price(offer.cost) if offer and offer.cost is not None else "",
            *param_cells,
        ]


# --- Packaging options and their price ladders ------------------------------------------------


class PriceBreakFormSet(BaseInlineFormSet):
    """A ladder whose unit price never rises with quantity; full reels in whole reels."""

    def clean(self):
        super().clean()
        breaks = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            if data.get("min_quantity") and data.get("unit_price") is not None:
                breaks.append((data["min_quantity"], data["unit_price"], form))
        option = self.instance
        if option.kind == PackagingKind.REEL and option.reel_quantity:
            for quantity, _price, form in breaks:
                if quantity % option.reel_quantity:
                    form.add_error(
                        "min_quantity",
                        f"A full-reel break is a multiple of the reel ({option.reel_quantity}).",
                    )
        breaks.sort(key=lambda b: b[0])
        for (low_qty, low_price, _), (high_qty, high_price, form) in pairwise(breaks):
            if high_price > low_price:
                form.add_error(
                    "unit_price",
                    f"{high_qty}+ costs more per piece ({high_price}) than {low_qty}+ "
                    f"({low_price}); prices must not rise with quantity.",
                )


class PriceBreakInline(admin.TabularInline):
    model = PriceBreak
    formset = PriceBreakFormSet
    extra = 3
    fields = ["min_quantity", "unit_price"]
    ordering = ["min_quantity"]


@admin.register(PackagingOption)
class PackagingOptionAdmin(admin.ModelAdmin):
    form = PackagingOptionForm
    list_display = ["part", "kind", "reel_quantity", "ladder"]
    list_select_related = ["part__manufacturer"]
    list_filter = ["kind"]
    search_fields = ["part__normalized_mpn"]
    search_help_text = "MPN in any spelling or the part's sku."
    show_full_result_count = False
    autocomplete_fields = ["part"]
    fields = ["part", "kind", "reel_quantity"]
    inlines = [PriceBreakInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("price_breaks")

    def get_search_results(self, request, queryset, search_term):
        parts, _ = PartAdmin.get_search_results(self, request, Part.objects.all(), search_term)
        if not (search_term or "").strip():
            return queryset, False
        return queryset.filter(part__in=parts.values("pk")), False

    @admin.display(description="price ladder (qty:unit price)")
    def ladder(self, obj):
        return format_ladder(obj.price_breaks.all()) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset_changes_page(fs) for fs in formsets):
            services.part_page_touch(part_ids={form.instance.part_id, *self._old_part(form)})

    @staticmethod
    def _old_part(form):
        old = form.initial.get("part")
        return [old] if old else []

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.part_page_touch(part_ids=[obj.part_id])


from . import admin_search  # noqa: E402,F401  (search log and zero-result report)

# CatalogImport upload admin, written separately; loaded when it exists.
if importlib.util.find_spec("catalog.admin_imports"):
    from . import admin_imports  # noqa: E402,F401  (CatalogImport admin)
