"""Use-cases of the BOM tool. Each public function owns its transaction.

A BOM is read (``reader``), its lines matched (``matching``) and priced when shown
(``selectors.bom_priced``). Its matched lines go to the cart in one step, its lines without a
part go to one quote request, and a customer saves it in their account, where it is priced
again at today's prices with what changed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from catalog.models import Part
from catalog.selectors import price_ladders

from ..cart.services import CartItem, CartOwner, cart_add_lines
from ..models import Bom, BomColumnMapping, BomLine, BomMatch
from ..models.bom import MAX_BUILD_QUANTITY
from ..quantities import parse_quantity
from ..rfq.services import InquiryLineInput, inquiry_submit
from . import reader
from .matching import LineMatcher, drop_in_alternates
from .pricing import cheapest_purchase, needed_quantity
from .selectors import ORDERABLE, PricedBom, bom_priced

MAX_ATTRITION = Decimal("100")
WRITE_BATCH = 1000
# Lines read, matched, written and priced at a time when a BOM is made: the memory a BOM
# takes depends on this, not on the number of its lines.
LINE_BATCH = 500


def _write_fields(lines: Sequence[BomLine], fields: Sequence[str]) -> None:
    """Write ``fields`` of saved lines with one ``UPDATE … FROM (VALUES …)`` per
    ``WRITE_BATCH`` lines, instead of bulk_update's ``CASE WHEN`` per line and field (whose
    cost grows with the square of the lines on PostgreSQL). Casts type the parameters;
    SQLite reads the same statement."""
    if not lines:
        return
    meta = BomLine._meta
    table = connection.ops.quote_name(meta.db_table)
    model_fields = [meta.get_field(name) for name in fields]
    columns = [connection.ops.quote_name(field.column) for field in model_fields]
    key = connection.ops.quote_name(meta.pk.column)
    casts = [f"CAST(%s AS {meta.pk.cast_db_type(connection)})"]
    casts += [f"CAST(%s AS {field.cast_db_type(connection)})" for field in model_fields]
    row = "(" + ", ".join(casts) + ")"
    names = ", ".join(["k", *(f"v{i}" for i in range(len(columns)))])
    assignments = ", ".join(f"{column} = v.v{i}" for i, column in enumerate(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(lines), WRITE_BATCH):
            batch = lines[start : start + WRITE_BATCH]
            params = []
            for line in batch:
                params.append(line.pk)
                for field in model_fields:
                    value = getattr(line, field.attname)
                    params.append(field.get_db_prep_save(value, connection))
            values = ", ".join([row] * len(batch))
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {values}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.k",
                params,
            )


@dataclass(frozen=True)
class BomSettings:
    build_quantity: int = 1
    attrition_percent: Decimal = Decimal("0")
    merge_same_parts: bool = True


def parse_build_quantity(value) -> int:
    boards = parse_quantity(value if value not in (None, "") else 1)
    if boards > MAX_BUILD_QUANTITY:
        raise ValidationError(
            f"At most {MAX_BUILD_QUANTITY:,} boards per BOM; request a quote for more.",
            code="too_many_boards",
        )
    return boards


def parse_attrition(value, *, allow_empty: bool = False) -> Decimal | None:
    """A percentage as typed ("5", "2.5 %"); empty means 0 (or none, for a line)."""
    text = str(value if value is not None else "").replace("%", "").replace(",", ".").strip()
    if not text:
        return None if allow_empty else Decimal("0")
    try:
        percent = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            "Enter the attrition as a percentage, e.g. 5.", "bad_attrition"
        ) from exc
    if not percent.is_finite() or percent < 0 or percent > MAX_ATTRITION:
        raise ValidationError("The attrition is between 0 and 100 %.", code="bad_attrition")
    if percent.as_tuple().exponent < -2:
        raise ValidationError("Give the attrition with at most 2 decimals.", code="bad_attrition")
    return percent


def remembered_mapping(*, customer, table: reader.Table) -> dict[str, int]:
    """The columns the customer chose last time for this header shape, else the guess."""
    if customer is not None:
        saved = BomColumnMapping.objects.filter(customer=customer, header_shape=table.shape).first()
        if saved is not None:
            return clean_mapping(saved.mapping, len(table.headers))
    return dict(table.mapping)


def clean_mapping(mapping: dict, width: int) -> dict[str, int]:
    """Field → column index, dropping unknown fields, columns out of range and a column
    chosen for two fields (the first field keeps it)."""
    cleaned: dict[str, int] = {}
    for name in reader.FIELDS:
        index = mapping.get(name)
        if isinstance(index, str):
            index = int(index) if index.isdigit() else None
        if isinstance(index, int) and 0 <= index < width and index not in cleaned.values():
            cleaned[name] = index
    return cleaned


def needs_columns(mapping: dict) -> bool:
    """Whether the customer must still say which column holds the part number or value."""
    return "mpn" not in mapping and "value" not in mapping


def _write_lines(bom: Bom, raw_lines: Sequence[reader.RawLine]) -> None:
    """Write and match the BOM's lines ``LINE_BATCH`` at a time (each batch built, matched
    and inserted before the next is read), so the memory it takes does not grow with the
    file; then offer the alternates."""
    BomLine.objects.filter(bom=bom).delete()
    matcher = LineMatcher()
    for start in range(0, len(raw_lines), LINE_BATCH):
        lines = [
            BomLine(
                bom=bom,
                row_number=raw.row,
                mpn=raw.mpn,
                manufacturer=raw.manufacturer,
                quantity_per_board=raw.quantity,
                designators=raw.designators,
                value=raw.value,
                footprint=raw.footprint,
                customer_part=raw.customer_part,
                description=raw.description,
                needed_quantity=needed_quantity(
                    raw.quantity, bom.build_quantity, bom.attrition_percent
                ),
            )
            for raw in raw_lines[start : start + LINE_BATCH]
        ]
        for line, found in zip(lines, matcher.match(lines), strict=True):
            line.match = found.match
            line.part_id = found.part_id
            line.candidate_ids = found.candidate_ids
        BomLine.objects.bulk_create(lines)
        del lines
    _offer_alternates(bom)


def _offer_alternates(bom: Bom) -> None:
    """Offer a drop-in alternate on every exactly matched line whose part is out of stock
    (for all the BOM's lines of it together) or discontinued. The pieces needed per part are
    summed by the database, the parts checked ``LINE_BATCH`` at a time."""
    exact = BomLine.objects.filter(bom=bom, match=BomMatch.EXACT, part__isnull=False)
    needs = dict(
        exact.order_by()
        .values("part_id")
        .annotate(pieces=Sum("needed_quantity"))
        .values_list("part_id", "pieces")
    )
    chosen: dict[int, int] = {}
    part_ids = list(needs)
    for start in range(0, len(part_ids), LINE_BATCH):
        batch = part_ids[start : start + LINE_BATCH]
        chosen.update(drop_in_alternates({pk: needs[pk] for pk in batch}))
    offered = set(
        exact.filter(alternate__isnull=False)
        .order_by()
        .values_list("part_id", "alternate_id")
        .distinct()
    )
    if offered == set(chosen.items()):
        return
    exact.exclude(alternate=None).update(alternate=None)
    pairs = list(chosen.items())
    quote = connection.ops.quote_name
    table = quote(BomLine._meta.db_table)
    key = Part._meta.pk.cast_db_type(connection)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), WRITE_BATCH):
            batch = pairs[start : start + WRITE_BATCH]
            values = ", ".join([f"(CAST(%s AS {key}), CAST(%s AS {key}))"] * len(batch))
            cursor.execute(
                f"WITH v (part, alternate) AS (VALUES {values}) "
                f"UPDATE {table} SET {quote('alternate_id')} = v.alternate FROM v "
                f"WHERE {table}.{quote('bom_id')} = %s AND {table}.{quote('match')} = %s "
                f"AND {table}.{quote('part_id')} = v.part",
                [value for pair in batch for value in pair] + [bom.pk, BomMatch.EXACT],
            )


def _remember(customer, bom: Bom) -> None:
    if customer is None or not bom.header_shape:
        return
    BomColumnMapping.objects.update_or_create(
        customer=customer, header_shape=bom.header_shape, defaults={"mapping": bom.column_mapping}
    )


def bom_create(
    *,
    owner: CartOwner,
    table: reader.Table,
    mapping: dict[str, int] | None = None,
    name: str = "",
    settings: BomSettings = BomSettings(),
) -> Bom:
    """A BOM from a table read by ``reader``, its lines matched and quantities worked out.
    The mapping is the one given, else the customer's remembered one, else the guess; with
    no part number or value column in it, the BOM is kept without lines until the customer
    chooses the columns (``bom_remap``)."""
    return _create(
        owner=owner, table=table, mapping=mapping, name=name, settings=settings, priced=False
    )[0]


def bom_create_priced(
    *,
    owner: CartOwner,
    table: reader.Table,
    mapping: dict[str, int] | None = None,
    name: str = "",
    settings: BomSettings = BomSettings(),
) -> tuple[Bom, PricedBom]:
    """``bom_create``, with the BOM as priced to record its prices: what a response showing
    the new BOM needs, without pricing it a second time."""
    bom, priced = _create(
        owner=owner, table=table, mapping=mapping, name=name, settings=settings, priced=True
    )
    assert priced is not None
    return bom, priced


def _create(
    *,
    owner: CartOwner,
    table: reader.Table,
    mapping: dict[str, int] | None,
    name: str,
    settings: BomSettings,
    priced: bool,
) -> tuple[Bom, PricedBom | None]:
    if mapping is None:
        mapping = remembered_mapping(customer=owner.customer, table=table)
    mapping = clean_mapping(mapping, len(table.headers))
    if needs_columns(mapping):
        raw_lines, problems = [], []  # kept for the customer to choose the columns
    else:
        raw_lines, problems = reader.extract_lines(table, mapping)
        if not raw_lines:
            raise ValidationError(
                ["No line of the BOM could be read."] + [str(p) for p in problems[:20]],
                code="no_lines",
            )
    with transaction.atomic():
        bom = Bom.objects.create(
            customer=owner.customer,
            session_key="" if owner.customer is not None else owner.session_key,
            name=(name or table.file_name or "BOM").strip()[:200],
            file_name=table.file_name,
            build_quantity=settings.build_quantity,
            attrition_percent=settings.attrition_percent,
            merge_same_parts=settings.merge_same_parts,
            headers=table.headers,
            header_row=table.header_row,
            header_shape=table.shape,
            column_mapping=mapping,
            source_rows=[[number, cells] for number, cells in table.rows],
            problems=[[p.row, p.reason] for p in problems],
        )
        _write_lines(bom, raw_lines)
        _remember(owner.customer, bom)
        if priced:
            return bom, bom_record_prices(bom=bom)
        _record_prices_in_batches(bom)
    return bom, None


def _table_of(bom: Bom) -> reader.Table:
    return reader.Table(
        file_name=bom.file_name,
        headers=list(bom.headers),
        header_row=bom.header_row,
        rows=[(number, list(cells)) for number, cells in bom.source_rows],
    )


def bom_remap(*, bom: Bom, mapping: dict, customer=None) -> Bom:
    """Read the BOM's cells again by the columns the customer chose, and match again."""
    table = _table_of(bom)
    mapping = clean_mapping(mapping, len(table.headers))
    reader.require_mapping(mapping, table.headers)
    raw_lines, problems = reader.extract_lines(table, mapping)
    if not raw_lines:
        raise ValidationError("No line of the BOM could be read with these columns.", "no_lines")
    with transaction.atomic():
        bom = Bom.objects.select_for_update().get(pk=bom.pk)
        bom.column_mapping = mapping
        bom.problems = [[p.row, p.reason] for p in problems]
        bom.save(update_fields=["column_mapping", "problems", "updated_at"])
        _write_lines(bom, raw_lines)
        _remember(customer or bom.customer, bom)
        _record_prices_in_batches(bom)
    return bom


def bom_update_settings(*, bom: Bom, build_quantity, attrition_percent, merge_same_parts) -> Bom:
    """Boards to build, attrition and whether lines of one part are merged."""
    boards = parse_build_quantity(build_quantity)
    attrition = parse_attrition(attrition_percent)
    with transaction.atomic():
        bom = Bom.objects.select_for_update().get(pk=bom.pk)
        bom.build_quantity, bom.attrition_percent = boards, attrition
        bom.merge_same_parts = bool(merge_same_parts)
        bom.save(
            update_fields=["build_quantity", "attrition_percent", "merge_same_parts", "updated_at"]
        )
        lines = list(bom.lines.all())
        for line in lines:
            line.needed_quantity = _needed(bom, line)
        _write_fields(lines, ["needed_quantity"])
        _offer_alternates(bom)
    return bom


def _needed(bom: Bom, line: BomLine) -> int:
    attrition = line.attrition_percent
    return needed_quantity(
        line.quantity_per_board,
        bom.build_quantity,
        attrition if attrition is not None else bom.attrition_percent,
    )


def _line(bom: Bom, line_id) -> BomLine:
    line = BomLine.objects.select_for_update().filter(bom=bom, pk=line_id).first()
    if line is None:
        raise ValidationError("This line is not in the BOM.", code="no_line")
    return line


def _merged_with(bom: Bom, line: BomLine) -> list[BomLine]:
    """The line and, when the BOM merges lines of one part, the others it is shown with."""
    if not (bom.merge_same_parts and line.part_id and line.match in ORDERABLE):
        return [line]
    return list(
        BomLine.objects.select_for_update()
        .filter(bom=bom, part_id=line.part_id, match__in=ORDERABLE)
        .order_by("pk")
    )


@transaction.atomic
def bom_line_set_attrition(*, bom: Bom, line_id: int, attrition_percent) -> BomLine:
    """A line's own attrition (empty: the BOM's), for all lines merged with it."""
    line = _line(bom, line_id)
    attrition = parse_attrition(attrition_percent, allow_empty=True)
    lines = _merged_with(bom, line)
    for each in lines:
        each.attrition_percent = attrition
        each.needed_quantity = _needed(bom, each)
    BomLine.objects.bulk_update(lines, ["attrition_percent", "needed_quantity"])
    line.refresh_from_db()
    return line


@transaction.atomic
def bom_line_choose(*, bom: Bom, line_id: int, part_id: int) -> BomLine:
    """The customer picks one of the line's candidates (or confirms the suggestion)."""
    line = _line(bom, line_id)
    allowed = set(line.candidate_ids or []) | {line.part_id} - {None}
    if part_id not in allowed:
        raise ValidationError("Choose one of the parts offered for this line.", "not_a_candidate")
    line.part_id = part_id
    line.match = BomMatch.EXACT
    line.save(update_fields=["part", "match"])
    _offer_alternates(bom)
    return line


@transaction.atomic
def bom_line_accept_alternate(*, bom: Bom, line_id: int) -> BomLine:
    """Order the offered drop-in alternate instead of the asked part (on every line merged
    with this one)."""
    line = _line(bom, line_id)
    if line.alternate_id is None:
        raise ValidationError("No alternate is offered for this line.", code="no_alternate")
    alternate_id = line.alternate_id
    lines = [each for each in _merged_with(bom, line) if each.alternate_id == alternate_id]
    for each in lines:
        each.asked_part_id = each.part_id
        each.part_id, each.alternate_id = alternate_id, None
        each.match = BomMatch.ALTERNATE
    BomLine.objects.bulk_update(lines, ["asked_part", "part", "alternate", "match"])
    line.refresh_from_db()
    return line


def bom_add_to_cart(*, bom: Bom, owner: CartOwner) -> PricedBom:
    """Put every matched, priced line in the owner's cart, in one transaction: all of them
    or, when one is refused, none (the error names its rows)."""
    priced = bom_priced(bom=bom)
    rows = priced.orderable_rows
    if not rows:
        raise ValidationError("No matched line has a price to add to the cart.", "nothing_to_add")
    items = [
        CartItem(
            part_id=row.part.pk,
            quantity=pieces,
            packaging_id=None if on_main else option.pk,
            label=f"Row {row.rows} ({row.part.mpn})",
        )
        for row in rows
        for option, pieces, _, on_main in row.purchase.lines
    ]
    cart_add_lines(owner=owner, items=items)
    return priced


def bom_request_quote(
    *,
    bom: Bom,
    customer=None,
    visitor_key: str = "",
    contact_name: str,
    email: str,
    company: str = "",
    note: str = "",
    idempotency_key: str | None = None,
):
    """One quote request for the lines not found or to check: MPN (or value and footprint),
    manufacturer and the pieces needed."""
    priced = bom_priced(bom=bom)
    rows = priced.quote_rows
    if not rows:
        raise ValidationError("Every line is matched: nothing to ask a quote for.", "nothing")
    lines = []
    for row in rows:
        line = row.first
        mpn = line.mpn or " ".join(filter(None, [line.value, line.footprint]))
        lines.append(
            InquiryLineInput(
                mpn=mpn[:100], manufacturer=line.manufacturer[:120], quantity=row.needed
            )
        )
    bom_note = f"BOM {bom.name} ({bom.build_quantity:,} boards)"
    return inquiry_submit(
        customer=customer,
        visitor_key=visitor_key,
        contact_name=contact_name,
        email=email,
        company=company,
        note=f"{bom_note}\n{note}".strip()[:5000],
        lines=lines,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def bom_save(*, bom: Bom, customer, name: str = "") -> Bom:
    """Keep the BOM in the customer's account (a visitor's BOM becomes theirs)."""
    if customer is None or not getattr(customer, "is_authenticated", False):
        raise ValidationError("Sign in to save the BOM in your account.", code="sign_in")
    bom = Bom.objects.select_for_update().get(pk=bom.pk)
    if bom.customer_id not in (None, customer.pk):
        raise ValidationError("This BOM is not yours.", code="not_yours")
    bom.customer, bom.session_key = customer, ""
    bom.saved_at = bom.saved_at or timezone.now()
    if name.strip():
        bom.name = name.strip()[:200]
    bom.save(update_fields=["customer", "session_key", "saved_at", "name", "updated_at"])
    _remember(customer, bom)
    _record_prices_in_batches(bom)
    return bom


@transaction.atomic
def bom_record_prices(*, bom: Bom) -> PricedBom:
    """Price the BOM at today's prices, keep them on its lines for the next visit and return
    it with what changed since the last time (``row.changes``)."""
    priced = bom_priced(bom=bom)
    changed = []
    for row in priced.rows:
        stock = getattr(row.part, "stock", None) if row.part else None
        for line in row.lines:
            line.needed_quantity = _needed(bom, line)
            line.ordered_quantity = row.ordered
            line.last_unit_price = row.unit_price
            line.last_available = (stock.available if stock else 0) if row.part else None
            changed.append(line)
    _write_fields(
        changed, ["needed_quantity", "ordered_quantity", "last_unit_price", "last_available"]
    )
    bom.priced_at = timezone.now()
    Bom.objects.filter(pk=bom.pk).update(priced_at=bom.priced_at)
    return priced


def _record_prices_in_batches(bom: Bom) -> None:
    """What ``bom_record_prices`` keeps on the lines (pieces needed and ordered, unit price,
    stock), worked out ``LINE_BATCH`` lines at a time: the lines read page by page, the lines
    of a part merged on the BOM read together (ordered by part), each page's parts and
    ladders read in one query each. Prices as ``bom_priced`` does, without what only a page
    shows (candidates, alternates, supplier offers)."""
    lines = BomLine.objects.filter(bom=bom)
    merged = Q(part__isnull=False, match__in=ORDERABLE) if bom.merge_same_parts else Q(pk__in=[])
    alone = lines.exclude(merged)
    after = 0
    while page := list(alone.filter(pk__gt=after).order_by("pk")[:LINE_BATCH]):
        _record_groups(bom, [[line] for line in page])
        after = page[-1].pk
    together = lines.filter(merged)
    part_after, pk_after = 0, 0
    pending: list[list[BomLine]] = []
    while page := list(
        together.filter(
            Q(part_id__gt=part_after) | Q(part_id=part_after, pk__gt=pk_after)
        ).order_by("part_id", "pk")[:LINE_BATCH]
    ):
        for line in page:
            if pending and pending[-1][0].part_id == line.part_id:
                pending[-1].append(line)
            else:
                pending.append([line])
        part_after, pk_after = page[-1].part_id, page[-1].pk
        if len(page) == LINE_BATCH:  # the last part may go on in the next page
            pending, last = pending[:-1], pending[-1:]
            _record_groups(bom, pending)
            pending = last
    _record_groups(bom, pending)
    Bom.objects.filter(pk=bom.pk).update(priced_at=timezone.now())


def _record_groups(bom: Bom, groups: list[list[BomLine]]) -> None:
    if not groups:
        return
    part_ids = {group[0].part_id for group in groups if group[0].part_id}
    parts = Part.objects.select_related("stock").in_bulk(part_ids)
    ladders = price_ladders(part_ids)
    changed = []
    for group in groups:
        part = parts.get(group[0].part_id) if group[0].part_id else None
        for line in group:
            line.needed_quantity = _needed(bom, line)
        purchase = None
        if part is not None:
            needed = sum(line.needed_quantity for line in group)
            purchase = cheapest_purchase(part, ladders.get(part.pk, []), needed)
        stock = getattr(part, "stock", None) if part is not None else None
        for line in group:
            line.ordered_quantity = purchase.quantity if purchase else 0
            line.last_unit_price = purchase.unit_price if purchase else None
            line.last_available = (stock.available if stock else 0) if part is not None else None
            changed.append(line)
    _write_fields(
        changed, ["needed_quantity", "ordered_quantity", "last_unit_price", "last_available"]
    )
