"""Reads of the catalog shaped for pages and the API."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, connections, router
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.expressions import Col

from . import fuzzy
from .compiled_reads import CompiledRead, fetch, read_together
from .models import (
    CATEGORY_TREE_CACHE_KEY,
    Category,
    Manufacturer,
    ManufacturerAlias,
    PackagingKind,
    PackagingOption,
    ParameterValue,
    Part,
    PartAlternate,
    PartImage,
    PriceBreak,
    Stock,
    SupplierOffer,
    name_for_language,
    normalize_name,
)
from .pricing import Split, cheapest_split, line_price_text, main_ladder, quantity_step


def parts_for_listing() -> QuerySet[Part]:
    """Parts with everything a listing row shows, in a fixed number of queries."""
    return Part.objects.select_related("manufacturer", "category", "stock").prefetch_related(
        Prefetch(
            "packaging_options",
            queryset=PackagingOption.objects.prefetch_related(
                Prefetch("price_breaks", queryset=PriceBreak.objects.order_by("min_quantity"))
            ),
        ),
        "parameter_values__definition",
    )


# --- Part page -----------------------------------------------------------------------------

CATEGORY_TREE_SECONDS = 600


class _PartPageLookup:
    """The one query every part page request makes, compiled once per process.

    A cached part page costs this query and a cache read, so the ORM's per-call compiling
    (several times the query's own run time) is paid once: the SQL is built from the models'
    fields at first use and rows become model instances through ``Model.from_db`` with the
    database's converters, exactly as a queryset would build them.
    """

    def __init__(self) -> None:
        # (vendor, sql, models), replaced whole so a thread never sees half of it.
        self.built: tuple[str, str, list[tuple[type, list, list]]] | None = None

    def _build(self) -> tuple[str, str, list[tuple[type, list, list]]]:
        quote = connection.ops.quote_name
        columns: list[str] = []
        built_models: list[tuple[type, list, list]] = []
        for model, alias in ((Part, "p"), (Manufacturer, "m"), (Category, "c"), (Stock, "s")):
            fields = list(model._meta.concrete_fields)
            converters = []
            for field in fields:
                col = Col(alias, field)
                found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                converters.append((found, col))
                columns.append(f"{alias}.{quote(field.column)}")
            built_models.append((model, fields, converters))
        tables = {
            model: quote(model._meta.db_table)
            for model in (Part, Manufacturer, Category, Stock, SupplierOffer)
        }
        sql = (
            f"SELECT {', '.join(columns)}, "
            f"(SELECT o.updated_at FROM {tables[SupplierOffer]} o WHERE o.part_id = p.id "
            "ORDER BY o.updated_at DESC LIMIT 1) "
            f"FROM {tables[Part]} p "
            f"JOIN {tables[Manufacturer]} m ON m.id = p.manufacturer_id "
            f"JOIN {tables[Category]} c ON c.id = p.category_id "
            f"LEFT JOIN {tables[Stock]} s ON s.part_id = p.id "
            "WHERE m.slug = %s AND p.normalized_mpn = %s"
        )
        return connection.vendor, sql, built_models

    def __call__(self, manufacturer_slug: str, normalized_mpn: str) -> Part | None:
        # The database a Part read goes to (a read replica, with shop.replicas' router).
        connection = connections[router.db_for_read(Part)]
        if self.built is None or self.built[0] != connection.vendor:
            self.built = self._build()
        _, sql, built_models = self.built
        (rows,) = fetch(connection.alias, [(sql, [manufacturer_slug, normalized_mpn])])
        if not rows:
            return None
        row = rows[0]
        instances = []
        start = 0
        for model, fields, converters in built_models:
            values = list(row[start : start + len(fields)])
            start += len(fields)
            for index, (found, col) in enumerate(converters):
                for converter in found:
                    values[index] = converter(values[index], col, connection)
            if model is Stock and values[0] is None:
                instances.append(None)
                continue
            instances.append(model.from_db(connection.alias, [f.attname for f in fields], values))
        part, manufacturer, category, stock = instances
        part.manufacturer = manufacturer
        part.category = category
        if stock is None:
            Part.stock.related.set_cached_value(part, None)
        else:
            part.stock = stock
        offers_changed_at = row[start]
        if offers_changed_at is not None:
            offers_field = SupplierOffer._meta.get_field("updated_at")
            col = Col("o", offers_field)
            for converter in connection.ops.get_db_converters(col):
                offers_changed_at = converter(offers_changed_at, col, connection)
        part.offers_changed_at = offers_changed_at
        return part


_part_page_lookup = _PartPageLookup()


def part_for_page(*, manufacturer_slug: str, normalized_mpn: str) -> Part | None:
    """The part behind a page URL, with its manufacturer, category and stock, in one query.

    (manufacturer, normalized MPN) is unique. Breadcrumbs come from the cached category
    tree (category_breadcrumbs), so no parent chain is joined.
    """
    return _part_page_lookup(manufacturer_slug, normalized_mpn)


def manufacturer_slug_for(spelling: str) -> str | None:
    """Resolve a manufacturer as written in a URL (slug, alias or name) to its slug."""
    manufacturer = Manufacturer.objects.filter(slug=spelling.lower()).values("slug").first()
    if manufacturer:
        return manufacturer["slug"]
    normalized = normalize_name(spelling)
    alias = (
        ManufacturerAlias.objects.filter(normalized=normalized).values("manufacturer__slug").first()
    )
    if alias:
        return alias["manufacturer__slug"]
    for slug, name in Manufacturer.objects.values_list("slug", "name").iterator():
        if normalize_name(name) == normalized:
            return slug
    return None


def parts_with_mpn(normalized_mpn: str) -> list[Part]:
    return list(
        Part.objects.select_related("manufacturer").filter(normalized_mpn=normalized_mpn)[:10]
    )


# The tree this process last read, with the token it was shared under.
_held_tree: tuple[str, dict[int, Category]] | None = None


def category_tree() -> dict[int, Category]:
    """Every category by id (the tree is small and changes rarely).

    The tree is shared through the cache under a token kept at ``CATEGORY_TREE_CACHE_KEY``,
    and held by each process: while the token is the one the process read it under, a call
    costs one small cache read and no unpickling of 40-odd categories. A changed category
    deletes the token (catalog/models.py), so every process reads the tree again."""
    global _held_tree
    token = cache.get(CATEGORY_TREE_CACHE_KEY)
    held = _held_tree
    if token is not None and held is not None and held[0] == token:
        return held[1]
    tree = cache.get(f"{CATEGORY_TREE_CACHE_KEY}:{token}") if token is not None else None
    if tree is None:
        tree = {category.pk: category for category in Category.objects.all()}
        token = uuid.uuid4().hex
        cache.set(f"{CATEGORY_TREE_CACHE_KEY}:{token}", tree, CATEGORY_TREE_SECONDS)
        cache.set(CATEGORY_TREE_CACHE_KEY, token, CATEGORY_TREE_SECONDS)
    _held_tree = (token, tree)
    return tree


def category_breadcrumbs(category: Category) -> list[Category]:
    """Root-first ancestors and the category itself: parents already loaded with the
    category (select_related) are used as they are, the rest come from the cached tree."""
    crumbs = [category]
    seen = {category.pk}
    node = category
    tree: dict[int, Category] | None = None
    while node.parent_id and node.parent_id not in seen:
        if Category.parent.field.is_cached(node):
            node = node.parent
        else:
            if tree is None:
                tree = category_tree()
                if node.parent_id not in tree:
                    cache.delete(CATEGORY_TREE_CACHE_KEY)
                    tree = category_tree()
            node = tree.get(node.parent_id)
            if node is None:
                break
        crumbs.append(node)
        seen.add(node.pk)
    return list(reversed(crumbs))


def price_ladders(part_ids: Iterable[int]) -> dict[int, list[tuple[PackagingOption, list]]]:
    """Each part's priced packaging options with their ascending ladders, in one query."""
    ladders: dict[int, dict[int, tuple[PackagingOption, list[PriceBreak]]]] = defaultdict(dict)
    for price_break in (
        PriceBreak.objects.filter(packaging__part_id__in=list(part_ids))
        .select_related("packaging")
        .order_by("packaging_id", "min_quantity")
    ):
        option = price_break.packaging
        ladders[option.part_id].setdefault(option.pk, (option, []))[1].append(price_break)
    return {part_id: list(options.values()) for part_id, options in ladders.items()}


@dataclass
class PartPageData:
    part: Part
    breadcrumbs: list[Category]
    parameters: list[ParameterValue]
    price_ladders: list[tuple[PackagingOption, list[PriceBreak]]]
    supplier_offers: list[SupplierOffer]
    alternates: list[PartAlternate]
    images: list[PartImage]

    @property
    def stock_available(self) -> int:
        stock = getattr(self.part, "stock", None)
        return stock.available if stock else 0

    @property
    def supplier_quantity(self) -> int:
        return sum(offer.quantity for offer in self.supplier_offers)

    @property
    def fastest_supplier_days(self) -> int | None:
        days = [offer.lead_days for offer in self.supplier_offers if offer.quantity > 0]
        return min(days) if days else None

    @property
    def has_package_parameter(self) -> bool:
        return any(value.definition.key == "package" for value in self.parameters)

    @property
    def main_ladder(self) -> list[PriceBreak]:
        """The ladder a 1-piece buyer sees: cut tape or the first non-reel option."""
        return main_ladder(self.price_ladders)[1]

    @property
    def one_piece_price(self):
        ladder = self.main_ladder
        return ladder[0].unit_price if ladder else None

    @property
    def main_option(self) -> PackagingOption | None:
        return main_ladder(self.price_ladders)[0]

    @property
    def reel_ladder(self) -> tuple[PackagingOption | None, list[PriceBreak]]:
        """The full-reel option and ladder beside a main ladder that is not a reel."""
        main = self.main_option
        if main is None or main.kind == PackagingKind.REEL:
            return None, []
        for option, ladder in self.price_ladders:
            if option.kind == PackagingKind.REEL and option.reel_quantity and ladder:
                return option, ladder
        return None, []

    @property
    def box_start(self) -> int:
        """What the quantity box holds at first: a full reel on a reel, else the MOQ."""
        main = self.main_option
        if main is not None and main.kind == PackagingKind.REEL and main.reel_quantity:
            return main.reel_quantity
        return self.part.moq

    @property
    def box_quantity(self) -> int:
        """The quantity the box prices at first: its start rounded up to what the main
        packaging sells (MOQ, order multiple, whole reels), as static/js/part.js rounds it."""
        step = quantity_step(self.part, self.main_option)
        return -(-max(self.box_start, self.part.moq) // step) * step

    @property
    def box_price_text(self) -> str:
        return line_price_text(self.main_ladder, self.box_quantity)

    @property
    def box_reel_split(self) -> Split | None:
        return cheapest_split(self.part, self.price_ladders, self.box_quantity)


_part_parameters = CompiledRead(
    lambda part_id: ParameterValue.objects.filter(part_id=part_id)
    .select_related("definition")
    .order_by()
)
_part_price_breaks = CompiledRead(
    lambda part_id: PriceBreak.objects.filter(packaging__part_id=part_id)
    .select_related("packaging")
    .order_by()
)
_part_offers = CompiledRead(
    lambda part_id: SupplierOffer.objects.filter(part_id=part_id)
    .select_related("supplier")
    .order_by()
)
_part_alternates = CompiledRead(
    lambda part_id: PartAlternate.objects.filter(part_id=part_id)
    .select_related("alternate__manufacturer", "alternate__stock")
    .order_by("kind", "alternate__normalized_mpn")[:20]
)
_part_images = CompiledRead(
    lambda part_id: PartImage.objects.filter(part_id=part_id).order_by()
)


def part_page_data(part: Part) -> PartPageData:
    """Everything the part page shows, in five queries beside the part's own (sent in one
    round trip on PostgreSQL).

    A part has a few dozen of each at most, so rows are put in order here rather than by
    ORDER BY clauses over joins, which cost more to compile than to run.
    """
    parameter_rows, price_breaks, offer_rows, alternates, image_rows = read_together(
        part.pk,
        [_part_parameters, _part_price_breaks, _part_offers, _part_alternates, _part_images],
    )
    parameters = sorted(
        parameter_rows, key=lambda value: (value.definition.position, value.definition_id)
    )
    ladders: dict[int, tuple[PackagingOption, list[PriceBreak]]] = {}
    for price_break in sorted(price_breaks, key=lambda item: item.min_quantity):
        option = price_break.packaging
        ladders.setdefault(option.pk, (option, []))[1].append(price_break)
    price_ladders = sorted(
        ladders.values(), key=lambda item: (item[0].kind == PackagingKind.REEL, item[0].kind)
    )
    offers = sorted(offer_rows, key=lambda offer: (offer.lead_days, offer.supplier_id))
    images = sorted(image_rows, key=lambda image: (image.position, image.pk))
    return PartPageData(
        part=part,
        breadcrumbs=category_breadcrumbs(part.category),
        parameters=parameters,
        price_ladders=price_ladders,
        supplier_offers=offers,
        alternates=alternates,
        images=images,
    )


def parts_like_mpn(normalized_mpn: str, *, limit: int = 20) -> list[Part]:
    """Parts whose MPN starts with, or else contains, what was asked (for a 404 page)."""
    if not normalized_mpn:
        return []
    base = Part.objects.select_related("manufacturer", "stock").order_by("normalized_mpn")
    found = list(base.filter(normalized_mpn__startswith=normalized_mpn)[:limit])
    if not found and len(normalized_mpn) >= 3:
        found = list(base.filter(normalized_mpn__contains=normalized_mpn)[:limit])
    if not found:
        # One or two typos: the closest part numbers, never merely the same first letters.
        found = fuzzy.similar_part_numbers(normalized_mpn, limit=limit)
    return found


def part_document(data: PartPageData) -> dict:
    """The part as plain data, for the JSON view that assistants and scripts read."""
    part = data.part
    return {
        "sku": part.sku,
        "mpn": part.mpn,
        "manufacturer": part.manufacturer.name,
        "category": [crumb.name for crumb in data.breadcrumbs],
        "description": part.description,
        "package": part.package,
        "datasheet_url": part.datasheet_url or None,
        "lifecycle": part.lifecycle,
        "rohs": part.rohs,
        "msl": part.msl or None,
        "moq": part.moq,
        "order_multiple": part.order_multiple,
        "stock": {
            "available": data.stock_available,
            "supplier_quantity": data.supplier_quantity,
            "supplier_lead_days": data.fastest_supplier_days,
        },
        "parameters": [
            {
                "name": value.definition.name,
                "value": value.text,
                "si_value": value.si_value,
                "unit": value.definition.unit or None,
            }
            for value in data.parameters
        ],
        "prices": [
            {
                "packaging": str(option),
                "reel_quantity": option.reel_quantity,
                "breaks": [
                    {"min_quantity": pb.min_quantity, "unit_price": str(pb.unit_price)}
                    for pb in ladder
                ],
            }
            for option, ladder in data.price_ladders
        ],
        "alternates": [
            {
                "mpn": alt.alternate.mpn,
                "manufacturer": alt.alternate.manufacturer.name,
                "kind": alt.kind,
                "url": alt.alternate.get_absolute_url(),
            }
            for alt in data.alternates
        ],
        "url": part.get_absolute_url(),
        "updated_at": part.page_changed_at.isoformat(),
    }


def manufacturer_categories(manufacturer: Manufacturer) -> list[dict]:
    rows = list(
        Part.objects.filter(manufacturer=manufacturer)
        .values("category__path", "category__name", "category__name_zh")
        .annotate(count=Count("id"))
        .order_by("-count")[:50]
    )
    for row in rows:
        row["category__name"] = name_for_language(
            row["category__name"], row.pop("category__name_zh")
        )
    return rows


def manufacturers_with_counts() -> list[Manufacturer]:
    return list(Manufacturer.objects.annotate(part_count=Count("parts")).order_by("name"))


def llms_overview() -> dict:
    """Top categories and manufacturers with part counts, for /llms.txt."""
    categories = list(
        Category.objects.filter(parts__isnull=False)
        .annotate(part_count=Count("parts"))
        .order_by("path")
        .values("name", "path", "part_count")
    )
    manufacturers = list(
        Manufacturer.objects.annotate(part_count=Count("parts"))
        .filter(part_count__gt=0)
        .order_by("-part_count")
        .values("name", "slug", "part_count")[:40]
    )
    example = Part.objects.select_related("manufacturer").order_by("id").first()
    return {"categories": categories, "manufacturers": manufacturers, "example": example}


def price_ladders_for(part_ids: list[int]) -> dict[int, list[PriceBreak]]:
    """Each part's main ladder (cut tape or the first non-reel option), in one query."""
    ladders: dict[int, dict[str, list[PriceBreak]]] = {}
    for price_break in (
        PriceBreak.objects.filter(packaging__part_id__in=part_ids)
        .exclude(packaging__kind=PackagingKind.REEL)
        .select_related("packaging")
        .order_by("packaging__kind", "min_quantity")
    ):
        by_kind = ladders.setdefault(price_break.packaging.part_id, {})
        by_kind.setdefault(price_break.packaging.kind, []).append(price_break)
    return {
        part_id: by_kind.get(PackagingKind.CUT_TAPE) or next(iter(by_kind.values()))
        for part_id, by_kind in ladders.items()
    }


def parts_with_prices() -> QuerySet[Part]:
    """Parts with their packaging options and price ladders, for the price feed."""
    return Part.objects.select_related("manufacturer").prefetch_related(
        Prefetch(
            "packaging_options",
            queryset=PackagingOption.objects.prefetch_related(
                Prefetch("price_breaks", queryset=PriceBreak.objects.order_by("min_quantity"))
            ),
        )
    )


def stock_with_parts() -> QuerySet[Stock]:
    """Own stock rows with the part and manufacturer they name, for the stock feed."""
    return Stock.objects.select_related("part__manufacturer")
