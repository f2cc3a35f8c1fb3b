"""Reads of BOMs: a BOM priced at today's prices and stock, and a customer's saved BOMs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from catalog.models import Lifecycle, Part, SupplierOffer
from catalog.pricing import unit_price_text
from catalog.selectors import price_ladders

from ..cart.services import StockCover, stock_cover
from ..models import Bom, BomLine, BomMatch
from .pricing import Purchase, cheapest_purchase, needed_quantity

ORDERABLE = (BomMatch.EXACT, BomMatch.ALTERNATE)
TO_CHECK = (BomMatch.TO_CHECK, BomMatch.CANDIDATES)


@dataclass
class PricedBomLine:
    """One row of the priced BOM: a line, or the lines of one part when they are merged."""

    lines: list[BomLine]
    part: Part | None
    needed: int
    purchase: Purchase | None = None
    cover: StockCover | None = None
    candidates: list[Part] = field(default_factory=list)
    alternate: Part | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def first(self) -> BomLine:
        return self.lines[0]

    @property
    def match(self) -> str:
        return self.first.match

    @property
    def per_board(self) -> int:
        return sum(line.quantity_per_board for line in self.lines)

    @property
    def designators(self) -> str:
        return ", ".join(line.designators for line in self.lines if line.designators)

    @property
    def rows(self) -> str:
        return ", ".join(str(line.row_number) for line in self.lines)

    @property
    def ordered(self) -> int:
        return self.purchase.quantity if self.purchase else 0

    @property
    def unit_price(self) -> Decimal | None:
        return self.purchase.unit_price if self.purchase else None

    @property
    def total(self) -> Decimal | None:
        return self.purchase.total if self.purchase else None

    @property
    def orderable(self) -> bool:
        return self.match in ORDERABLE and self.purchase is not None

    @property
    def warning(self) -> str:
        if self.part is None:
            return ""
        if self.part.lifecycle == Lifecycle.NRND:
            return _("Not recommended for new designs")
        if self.part.lifecycle in (Lifecycle.EOL, Lifecycle.OBSOLETE):
            return self.part.get_lifecycle_display()
        if self.match in ORDERABLE and self.purchase is None:
            return _("No list price: request a quote")
        return ""


@dataclass
class PricedBom:
    bom: Bom
    rows: list[PricedBomLine]
    currency: str = settings.SHOP_CURRENCY

    def _count(self, matches) -> int:
        return sum(len(row.lines) for row in self.rows if row.match in matches)

    @property
    def matched_count(self) -> int:
        return self._count(ORDERABLE)

    @property
    def to_check_count(self) -> int:
        return self._count(TO_CHECK)

    @property
    def not_found_count(self) -> int:
        return self._count((BomMatch.NOT_FOUND,))

    @property
    def orderable_rows(self) -> list[PricedBomLine]:
        return [row for row in self.rows if row.orderable]

    @property
    def quote_rows(self) -> list[PricedBomLine]:
        return [row for row in self.rows if row.match in (*TO_CHECK, BomMatch.NOT_FOUND)]

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.orderable_rows), Decimal("0.00"))

    @property
    def changed_rows(self) -> list[PricedBomLine]:
        return [row for row in self.rows if row.changes]


def bom_for_visit(*, customer, visitor_key: str, bom_id) -> Bom | None:
    """The BOM if this visit may see it: the customer's own, or one uploaded in this session
    before signing in (its visitor key). Another customer's BOM is not found."""
    mine = Q(customer__isnull=True, session_key=visitor_key) if visitor_key else Q(pk__in=[])
    if customer is not None:
        mine |= Q(customer=customer)
    return Bom.objects.filter(mine, pk=bom_id).first()


def owner_boms(*, customer) -> QuerySet[Bom]:
    """All of a customer's BOMs, saved or not (the API's list), last changed first."""
    return Bom.objects.filter(customer=customer).order_by("-updated_at", "-pk")


def customer_boms(*, customer) -> QuerySet[Bom]:
    return (
        Bom.objects.filter(customer=customer, saved_at__isnull=False)
        .annotate(line_count=Count("lines"))
        .order_by("-updated_at", "-pk")
    )


def _changes(line: BomLine, unit_price: Decimal | None, available: int | None) -> list[str]:
    changes = []
    if line.last_unit_price is not None and unit_price is not None:
        if unit_price != line.last_unit_price:
            changes.append(
                _("price %(old)s → %(new)s")
                % {"old": unit_price_text(line.last_unit_price), "new": unit_price_text(unit_price)}
            )
    elif line.last_unit_price is not None and unit_price is None:
        changes.append(_("no longer has a list price"))
    if line.last_available is not None and available not in (None, line.last_available):
        changes.append(
            _("stock %(old)s → %(new)s")
            % {"old": f"{line.last_available:,}", "new": f"{available:,}"}
        )
    return changes


def bom_priced(*, bom: Bom) -> PricedBom:
    """The BOM at today's prices and stock, lines of one part merged if the BOM says so; a
    fixed number of queries whatever its size."""
    lines = list(BomLine.objects.filter(bom=bom).order_by("row_number", "pk"))
    groups: list[list[BomLine]] = []
    by_part: dict[int, list[BomLine]] = {}
    for line in lines:
        if merges(bom, line):
            if line.part_id in by_part:
                by_part[line.part_id].append(line)
                continue
            by_part[line.part_id] = [line]
            groups.append(by_part[line.part_id])
        else:
            groups.append([line])
    return PricedBom(bom=bom, rows=price_groups(bom, groups))


def merges(bom: Bom, line: BomLine) -> bool:
    """Whether the line is shown and bought together with the BOM's other lines of its part."""
    return bool(bom.merge_same_parts and line.part_id and line.match in ORDERABLE)


def price_groups(bom: Bom, groups: list[list[BomLine]]) -> list[PricedBomLine]:
    """One priced row per group of lines (a line, or the merged lines of one part), with the
    parts, ladders and supplier offers of these groups read in a fixed number of queries."""
    lines = [line for group in groups for line in group]
    part_ids = {line.part_id for line in lines if line.part_id}
    part_ids |= {line.alternate_id for line in lines if line.alternate_id}
    part_ids |= {pk for line in lines for pk in line.candidate_ids or []}
    parts = Part.objects.select_related("manufacturer", "stock").in_bulk(part_ids)
    priced_ids = {line.part_id for line in lines if line.part_id}  # only lines' parts are priced
    ladders = price_ladders(priced_ids)
    offers: dict[int, list[SupplierOffer]] = defaultdict(list)
    for offer in SupplierOffer.objects.filter(part_id__in=priced_ids, quantity__gt=0).order_by(
        "lead_days", "supplier_id"
    ):
        offers[offer.part_id].append(offer)

    rows = []
    for group in groups:
        first = group[0]
        part = parts.get(first.part_id) if first.part_id else None
        needed = sum(
            needed_quantity(
                line.quantity_per_board,
                bom.build_quantity,
                line.attrition_percent
                if line.attrition_percent is not None
                else bom.attrition_percent,
            )
            for line in group
        )
        row = PricedBomLine(
            lines=group,
            part=part,
            needed=needed,
            candidates=[parts[pk] for pk in first.candidate_ids or [] if pk in parts],
            alternate=parts.get(first.alternate_id) if first.alternate_id else None,
        )
        if part is not None:
            row.purchase = cheapest_purchase(part, ladders.get(part.pk, []), needed)
            stock = getattr(part, "stock", None)
            row.cover = stock_cover(
                quantity=row.ordered or needed,
                available=stock.available if stock else 0,
                offers=offers[part.pk],
            )
            row.changes = _changes(first, row.unit_price, stock.available if stock else 0)
        rows.append(row)
    return rows
