"""Reads behind category and manufacturer pages: filters from the query string, part rows.

Filters live in the query string so that a filtered view is a shareable link:
``resistance_min=10k&resistance_max=47k`` (engineering values), ``dielectric=X7R`` (repeat
for several), ``mfr=yageo``, ``stock=1``, ``rohs=1``, ``lifecycle=active``, ``sort=price``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import listing_index, refreshing
from .compiled_reads import CompiledRead
from .models import (
    Category,
    Lifecycle,
    Manufacturer,
    PackagingKind,
    ParameterDefinition,
    ParameterKind,
    ParameterValue,
    Part,
    PartImage,
    PriceBreak,
    RoHS,
    SupplierOffer,
)
from .values import ParsedValue, try_parse_value

PAGE_SIZE = 50
MAX_PAGE = 2000
# Price and stock sorts read the part's listing copies, in the order of the (category, …, id)
# indexes, so a category page of 400,000 parts reads only the rows it shows.
SORTS = {
    "mpn": ("normalized_mpn", "id"),
    "-mpn": ("-normalized_mpn", "-id"),
    "price": (F("first_break_price").asc(nulls_last=True), "id"),
    "-price": (F("first_break_price").desc(nulls_last=True), "-id"),
    "stock": ("stock_available", "id"),
    "-stock": ("-stock_available", "-id"),
}
# Beyond this many matches a filtered listing says "10,000+" instead of counting them all.
COUNT_CAP = 10_000
FACET_CACHE_SECONDS = 600


@dataclass
class RangeFilter:
    definition: ParameterDefinition
    low: ParsedValue | None = None
    high: ParsedValue | None = None
    low_text: str = ""
    high_text: str = ""


@dataclass
class ListingQuery:
    ranges: list[RangeFilter] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    manufacturers: list[str] = field(default_factory=list)
    lifecycles: list[str] = field(default_factory=list)
    in_stock: bool = False
    rohs: bool = False
    sort: str = "mpn"
    page: int = 1
    errors: list[str] = field(default_factory=list)
    # The definition id behind each key in ``choices``.
    choice_ids: dict[str, int] = field(default_factory=dict)

    @property
    def is_filtered(self) -> bool:
        return bool(
            any(r.low or r.high for r in self.ranges) or self.choices or self.manufacturers
            or self.lifecycles or self.in_stock or self.rohs
        )


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def parse_listing_query(
    params: QueryDict, definitions: list[ParameterDefinition]
) -> ListingQuery:
    """Read filters from the query string; a value that doesn't parse is reported, not fatal."""
    query = ListingQuery(
        manufacturers=[s for s in params.getlist("mfr") if s][:20],
        lifecycles=[v for v in params.getlist("lifecycle") if v in Lifecycle.values],
        in_stock=params.get("stock") == "1",
        rohs=params.get("rohs") == "1",
        sort=params.get("sort") if params.get("sort") in SORTS else "mpn",
        page=_page_number(params.get("page")),
    )
    for definition in definitions:
        if definition.kind == ParameterKind.NUMBER:
            rng = RangeFilter(definition=definition)
            for bound in ("min", "max"):
                text = (params.get(f"{definition.key}_{bound}") or "").strip()[:40]
                if not text:
                    continue
                parsed = try_parse_value(text, unit=definition.unit or None)
                if parsed is None:
                    # What the visitor typed is shown as typed, never translated.
                    names = {
                        "name": conditional_escape(definition.display_name),
                        "text": format_html('<span translate="no">{}</span>', text),
                    }
                    if definition.unit:
                        message = _(
                            "%(name)s: “%(text)s” is not a value in %(unit)s"
                            " (try e.g. 10k, 4.7u, 100n)."
                        ) % {**names, "unit": conditional_escape(definition.unit)}
                    else:
                        message = _(
                            "%(name)s: “%(text)s” is not a value (try e.g. 10k, 4.7u, 100n)."
                        ) % names
                    query.errors.append(mark_safe(message))  # noqa: S308 - parts escaped
                    continue
                if bound == "min":
                    rng.low, rng.low_text = parsed, text
                else:
                    rng.high, rng.high_text = parsed, text
            query.ranges.append(rng)
        else:
            picked = [v for v in params.getlist(definition.key) if v][:30]
            if picked:
                query.choices[definition.key] = picked
                query.choice_ids[definition.key] = definition.pk
    return query


def apply_listing_query(
    parts: QuerySet[Part], query: ListingQuery, definitions: list[ParameterDefinition]
) -> QuerySet[Part]:
    by_key = {d.key: d for d in definitions}
    for rng in query.ranges:
        if not (rng.low or rng.high):
            continue
        values = ParameterValue.objects.filter(part=OuterRef("pk"), definition=rng.definition)
        if rng.low:
            values = values.filter(si_value__gte=rng.low.si_value * (1 - 1e-9))
        if rng.high:
            values = values.filter(si_value__lte=rng.high.si_value * (1 + 1e-9))
        parts = parts.filter(Exists(values))
    for key, texts in query.choices.items():
        definition = by_key[key]
        values = ParameterValue.objects.filter(
            part=OuterRef("pk"), definition=definition, text__in=texts
        )
        parts = parts.filter(Exists(values))
    if query.manufacturers:
        parts = parts.filter(manufacturer__slug__in=query.manufacturers)
    if query.lifecycles:
        parts = parts.filter(lifecycle__in=query.lifecycles)
    if query.rohs:
        parts = parts.filter(rohs=RoHS.COMPLIANT)
    if query.in_stock:
        parts = parts.filter(stock_available__gt=0)
    return parts


def with_listing_columns(parts: QuerySet[Part]) -> QuerySet[Part]:
    """Price at 1 piece, price at the largest break, available stock, and what suppliers hold
    with their shortest lead time, in the same query."""
    offers = (
        SupplierOffer.objects.filter(part=OuterRef("pk"), quantity__gt=0)
        .order_by()
        .values("part")
    )
    ladder = PriceBreak.objects.filter(packaging__part=OuterRef("pk")).exclude(
        packaging__kind=PackagingKind.REEL
    )
    smallest = ladder.order_by("min_quantity")
    largest = ladder.order_by("-min_quantity")
    pictures = PartImage.objects.filter(part=OuterRef("pk")).exclude(thumbnail="")
    return parts.select_related("manufacturer", "category").annotate(
        price_one=Subquery(smallest.values("unit_price")[:1]),
        price_one_quantity=Subquery(smallest.values("min_quantity")[:1]),
        price_volume=Subquery(largest.values("unit_price")[:1]),
        price_volume_quantity=Subquery(largest.values("min_quantity")[:1]),
        available=F("stock_available"),
        supplier_quantity=Subquery(offers.annotate(total=Sum("quantity")).values("total")),
        supplier_lead_days=Subquery(offers.annotate(soonest=Min("lead_days")).values("soonest")),
        thumbnail_name=Subquery(pictures.order_by("position", "pk").values("thumbnail")[:1]),
    )


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows (``SELECT count(*) FROM (… LIMIT cap+1)``)
    unless the exact total is already known; `is_capped` tells the page to say "cap+"."""

    def __init__(
        self, object_list, per_page, *, cap: int, known_count: int | None = None, counted=None
    ):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.known_count = known_count
        # The rows to count, without the page's price columns (which only the shown rows need).
        self.counted = object_list if counted is None else counted
        self.is_capped = False

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        counted = self.counted.order_by()[: self.cap + 1].count()
        if counted > self.cap:
            self.is_capped = True
            return self.cap
        return counted


@dataclass
class ListingPage:
    page: Page
    rows: "list[Part] | StampedRows"


@dataclass
class StampedRows:
    """A category page's rows known by their part ids and the category's stamp (the latest
    visible change in its subtree, what the page's ETag is made of). The part table
    (``catalog_tags.listing_rows``) reads back the rows already rendered under that stamp
    and asks ``read`` only for the rest, so a page whose rows were all shown before under
    the same stamp reads no part from the database."""

    ids: list[int]
    stamp: float
    key_definitions: list[ParameterDefinition]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self.read(self.ids))

    def read(self, ids: list[int]) -> list[Part]:
        """These parts' listing rows with their key parameter texts, in the order asked: two
        queries."""
        rows = listed_rows(ids)
        _key_values(rows, self.key_definitions)
        return rows


def listing_page(
    parts: QuerySet[Part],
    query: ListingQuery,
    key_definitions: list[ParameterDefinition],
    *,
    total: int | None = None,
) -> ListingPage:
    """One page of rows and their key parameter values: two queries plus the count.

    `total` is the known number of parts when nothing is filtered (cached per category);
    a filtered view counts up to COUNT_CAP.
    """
    ordered = with_listing_columns(parts).order_by(*SORTS[query.sort])
    known = None if query.is_filtered else total
    paginator = CappedPaginator(
        ordered, PAGE_SIZE, cap=COUNT_CAP, known_count=known, counted=parts
    )
    page = paginator.get_page(query.page)
    rows = list(page.object_list)
    _key_values(rows, key_definitions)
    return ListingPage(page=page, rows=rows)


def _key_values(rows: list[Part], key_definitions) -> None:
    """Each row's key parameter texts (``row.key_texts``, in column order): one query."""
    key_values: dict[int, dict[int, str]] = {row.pk: {} for row in rows}
    if rows and key_definitions:
        for part_id, definition_id, text in (
            ParameterValue.objects.filter(part_id__in=key_values, definition__in=key_definitions)
            .order_by()
            .values_list("part_id", "definition_id", "text")
        ):
            key_values[part_id][definition_id] = text
    for row in rows:
        row.key_texts = [key_values[row.pk].get(d.pk, "") for d in key_definitions]


#: What a listing row shows of a part (templates/catalog/_part_table.html).
LISTED_COLUMNS = (
    "id", "mpn", "lifecycle", "description", "package",
    "manufacturer__name", "manufacturer__slug",
)


_listed_rows = CompiledRead(
    lambda ids: with_listing_columns(Part.objects.filter(pk__in=ids))
    .select_related(None)
    .select_related("manufacturer")
    .only(*LISTED_COLUMNS)
    .order_by(),  # put in the order asked for below
    size=PAGE_SIZE,
)


def listed_rows(ids: list[int]) -> list[Part]:
    """The listing rows of these parts (at most a page), in the order of ``ids``: what a
    row shows and nothing more, in one query compiled once per process."""
    by_id = {row.pk: row for row in _listed_rows(ids)} if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id]


class IndexedPaginator(Paginator):
    """Pages of a category's listing index: the count is exact and costs nothing."""

    is_capped = False


def category_listing(
    category: Category,
    subtree: "Subtree",
    query: ListingQuery,
    key_definitions: list[ParameterDefinition],
) -> tuple[ListingPage, dict]:
    """A category page's rows and its facets, counted under the filters applied, from the
    category's listing index (catalog/listing_index.py): the page's parts are then read by
    primary key, two queries whatever the filters and sort. Until a category's first index
    is built, the database filters and the facets count the whole category."""
    index = listing_index.category_index(category, subtree.ids, subtree.changed_at.timestamp())
    if index is None:  # the first index of this category is being built: ask the database
        facets = category_facets(category, subtree)
        parts = apply_listing_query(
            category_parts(category, subtree.ids), query, list(category.parameters.all())
        )
        return listing_page(parts, query, key_definitions, total=facets["total"]), facets
    selection = listing_index.select(index, query)
    matches = listing_index.Matches(index, selection.matching(index), query.sort)
    page = IndexedPaginator(matches, PAGE_SIZE).get_page(query.page)
    rows = StampedRows(list(page.object_list), subtree.changed_at.timestamp(), key_definitions)
    page.object_list = rows
    listed = ListingPage(page=page, rows=rows)
    return listed, listing_index.facet_counts(index, selection, query)


_category_by_path = CompiledRead(
    lambda path: Category.objects.select_related("parent__parent__parent")
    .filter(path=path)
    .order_by(),  # the path is unique
    text=True,
)


def category_by_path(path: str) -> Category | None:
    """The category at this path with three levels of parents, in one query compiled once
    per process (the ORM took ten times the query's run to build it)."""
    found = _category_by_path(path.strip("/").lower())
    return found[0] if found else None


def category_parts(category: Category, subtree_ids: list[int] | None = None) -> QuerySet[Part]:
    """Parts of the category and its descendants; with the subtree's ids known, a leaf is
    a plain ``category_id = …`` that the (category, …) indexes answer in order."""
    if subtree_ids is not None:
        if len(subtree_ids) == 1:
            return Part.objects.filter(category_id=subtree_ids[0])
        return Part.objects.filter(category_id__in=subtree_ids)
    return Part.objects.filter(
        Q(category=category) | Q(category__path__startswith=category.path + "/")
    )


@dataclass
class Subtree:
    children: list[Category]
    ids: list[int]
    changed_at: datetime


def category_subtree(category: Category) -> Subtree:
    """The category's children, its subtree's ids and the latest visible change in it, in
    one query.

    The latest part change is looked up per category through the (category, page_changed_at)
    index, so it costs one index probe per category, not a scan of its parts.
    """
    latest = Part.objects.filter(category=OuterRef("pk")).order_by("-page_changed_at")
    subtree = list(
        Category.objects.filter(Q(pk=category.pk) | Q(path__startswith=category.path + "/"))
        .annotate(latest=Subquery(latest.values("page_changed_at")[:1]))
        .order_by("position", "name")
    )
    children = [node for node in subtree if node.parent_id == category.pk]
    moments = [m for node in subtree for m in (node.latest, node.updated_at) if m]
    return Subtree(children=children, ids=[node.pk for node in subtree], changed_at=max(moments))


def refresh_listing_indexes(*, paths: list[str] | None = None) -> int:
    """Beat: rebuild the listing index of every category changed since its index was built,
    in the worker rather than in a web process. With ``paths``, build those categories'
    indexes whether or not one exists (after a deploy that emptied the cache, a benchmark).
    Returns how many were built."""
    rebuilt = 0
    categories = Category.objects.order_by("path")
    for category in categories.filter(path__in=paths) if paths is not None else categories:
        subtree = category_subtree(category)
        rebuilt += listing_index.refresh_if_out_of_date(
            category, subtree.ids, subtree.changed_at.timestamp(), always=paths is not None
        )
    return rebuilt


def manufacturer_last_change(manufacturer: Manufacturer) -> datetime:
    latest = Part.objects.filter(manufacturer=manufacturer).aggregate(m=Max("page_changed_at"))
    return max(filter(None, [latest["m"], manufacturer.updated_at]))


def category_facets(category: Category, subtree: Subtree) -> dict:
    """Choice values, manufacturers and the number of parts in a category (with its
    descendants), not narrowed by the filters: what a page shows while the category's
    listing index is first built. Cached per category and versioned on its last change."""
    return refreshing.cached(
        f"category-facets:{category.pk}",
        lambda: _count_facets(category, subtree),
        fresh_seconds=FACET_CACHE_SECONDS,
        version=subtree.changed_at.timestamp(),
    )


def _count_facets(category: Category, subtree: Subtree) -> dict:
    parts = category_parts(category, subtree.ids)
    choice_values: dict[int, list[tuple[str, int]]] = {}
    for definition_id, text, count in (
        ParameterValue.objects.filter(
            definition__category=category, definition__kind=ParameterKind.CHOICE
        )
        .values("definition_id", "text")
        .annotate(count=Count("id"))
        .order_by("definition_id", "text")
        .values_list("definition_id", "text", "count")
    ):
        choice_values.setdefault(definition_id, []).append((text, count))
    manufacturers = list(
        parts.values("manufacturer__slug", "manufacturer__name")
        .annotate(count=Count("id"))
        .order_by("-count", "manufacturer__name")[:40]
    )
    return {
        "choices": choice_values,
        "manufacturers": manufacturers,
        "total": parts.count(),
    }
