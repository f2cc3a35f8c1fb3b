"""Fulfilment of paid orders: allocate, receive supplier goods, pick, ship, deliver, complete.

Every function here is one use-case owning its transaction. The order's row is locked first
(``orders.locks.order_for_update``), then the stock rows through the catalog's services (in
part-id order), so two shipments of the same order queue and the second sees what the first
shipped. Status changes go through ``lifecycle.order_transition``; customers are told
through ``customers.notifications.notify`` in the same transaction (one message per event).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import services as catalog_services
from catalog.errors import InsufficientStock
from customers.models import NotificationKind
from customers.notifications import notify

from ..account.selectors import order_line_ship_date
from ..errors import OrdersError
from ..lifecycle import services as lifecycle
from ..locks import order_for_update
from ..models import (
    Carrier,
    Order,
    OrderAllocation,
    OrderEventKind,
    OrderLine,
    OrderLineSupply,
    OrderService,
    PickList,
    PickListLine,
    PickListStatus,
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseRequestStatus,
    Shipment,
    ShipmentLine,
)
from ..status import OrderStatus
from .carriers import carrier_of, tracking_url
from .errors import FulfilmentError, NothingToShip, ShipTogether

STOCK_PICK_LIST = "stock"
TRACKING_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")
SHIPPABLE = frozenset({OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED})
RESULT_EXTENSIONS = frozenset({"pdf", "png", "jpg", "jpeg", "csv", "xlsx", "zip", "txt"})
RESULT_MAX_BYTES = 20 * 1024 * 1024


def _pick_lines(pick_list: PickList, items: list[tuple[OrderLine, int]]) -> None:
    bins = catalog_services.stock_bin_locations(line.part_id for line, _qty in items)
    PickListLine.objects.bulk_create(
        PickListLine(
            pick_list=pick_list,
            order_line=line,
            quantity=quantity,
            bin_location=bins.get(line.part_id, ""),
            msl=line.part.msl if line.part else "",
            esd_sensitive=bool(line.part and line.part.esd_sensitive),
        )
        for line, quantity in items
    )


def _attach_services(order: Order, pick_list: PickList, line_ids: set[int]) -> None:
    """Services of these lines, and the order's own services not yet on a pick list, become
    tasks of ``pick_list``."""
    OrderService.objects.filter(
        order=order, pick_list__isnull=True, line_id__in=line_ids
    ).update(pick_list=pick_list)
    OrderService.objects.filter(order=order, pick_list__isnull=True, line__isnull=True).update(
        pick_list=pick_list
    )


# --- allocation ----------------------------------------------------------------------------


def order_allocate(*, order_id: int) -> OrderAllocation | None:
    """Allocate a paid order once: own-stock lines onto a pick list, supplier-stock lines
    into one purchase request per supplier. Running it again (a redelivered task, two
    workers) returns the first allocation; an order no longer paid is left alone."""
    with transaction.atomic():
        order = order_for_update(order_id)
        existing = OrderAllocation.objects.filter(order=order).first()
        if existing is not None or order.status != OrderStatus.PAID:
            return existing
        allocation = OrderAllocation.objects.create(order=order)
        lines = list(order.lines.select_related("part").order_by("position"))
        own = [(line, line.from_stock) for line in lines if line.from_stock]
        notes = []
        if own:
            pick_list = PickList.objects.create(order=order, key=STOCK_PICK_LIST)
            _pick_lines(pick_list, own)
            _attach_services(order, pick_list, {line.pk for line, _qty in own})
            notes.append(_("pick list %(pick)s of %(count)d lines") % {
                "pick": pick_list, "count": len(own)
            })
        by_line = {line.pk: line for line in lines}
        by_supplier: dict[int, list[OrderLineSupply]] = defaultdict(list)
        supplies = OrderLineSupply.objects.filter(line__order=order, released_at__isnull=True)
        for supply in supplies.order_by("supplier_id", "pk"):
            by_supplier[supply.supplier_id].append(supply)
        placed = timezone.localtime(order.placed_at).date()
        for supplier_id, items in sorted(by_supplier.items()):
            expected = max(
                max(placed + timedelta(days=s.lead_days) for s in items),
                order_line_ship_date(order, by_line[items[0].line_id]),
            )
            request = PurchaseRequest.objects.create(
                order=order, supplier_id=supplier_id, expected_on=expected
            )
            PurchaseRequestLine.objects.bulk_create(
                PurchaseRequestLine(
                    request=request, order_line_id=s.line_id, supply=s, quantity=s.quantity
                )
                for s in items
            )
            notes.append(_("purchase request %(request)s due %(date)s") % {
                "request": request, "date": expected.isoformat()
            })
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.NOTE,
            message=_("Allocated: %(what)s.") % {"what": "; ".join(notes) or _("nothing to pick")},
        )
    return allocation


# --- receiving supplier goods ----------------------------------------------------------------


def purchase_request_receive(*, request_id: int, actor=None) -> PickList:
    """The supplier's goods of a purchase request arrived: put them into stock, reserved for
    the order (through the catalog, under its locks), count them as the order's own stock,
    and put them on a new pick list. Receiving twice receives once."""
    with transaction.atomic():
        order_id = PurchaseRequest.objects.values_list("order_id", flat=True).get(pk=request_id)
        order = order_for_update(order_id)
        request = PurchaseRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
        key = f"receipt:{request.pk}"
        if request.status == PurchaseRequestStatus.RECEIVED:
            return PickList.objects.get(order=order, key=key)
        if order.status not in SHIPPABLE:
            raise FulfilmentError(
                _("Order %(ref)s is %(status)s: its goods are not received for it.")
                % {"ref": order.reference, "status": order.get_status_display().lower()}
            )
        rows = list(request.lines.select_related("order_line__part", "supply").order_by("pk"))
        received: dict[int, int] = defaultdict(int)
        for row in rows:
            if row.order_line.part_id:
                received[row.order_line.part_id] += row.quantity
        catalog_services.stock_receive(received=received)
        now = timezone.now()
        for row in rows:
            line = row.order_line
            line.from_stock += row.quantity
            line.from_suppliers -= row.quantity
            line.save(update_fields=["from_stock", "from_suppliers"])
        # The pieces left the supplier: a later cancel releases them from our stock instead.
        OrderLineSupply.objects.filter(pk__in=[row.supply_id for row in rows]).update(
            released_at=now
        )
        request.status = PurchaseRequestStatus.RECEIVED
        request.received_at = now
        request.received_by = actor if getattr(actor, "pk", None) else None
        request.save(update_fields=["status", "received_at", "received_by"])
        pick_list = PickList.objects.create(order=order, key=key)
        _pick_lines(pick_list, [(row.order_line, row.quantity) for row in rows])
        _attach_services(order, pick_list, {row.order_line_id for row in rows})
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            message=_("Goods of %(request)s received: on pick list %(pick)s.")
            % {"request": request, "pick": pick_list},
        )
    return pick_list


# --- picking ---------------------------------------------------------------------------------


def pick_list_mark_picked(*, pick_list_id: int, actor=None) -> PickList:
    """The warehouse picked every line of a pick list: its pieces are ready to ship."""
    with transaction.atomic():
        order_id = PickList.objects.values_list("order_id", flat=True).get(pk=pick_list_id)
        order = order_for_update(order_id)
        pick_list = PickList.objects.select_for_update(of=("self",)).get(pk=pick_list_id)
        if pick_list.status == PickListStatus.PICKED:
            return pick_list
        if order.status not in SHIPPABLE:
            raise FulfilmentError(
                _("Order %(ref)s is %(status)s: nothing of it is picked.")
                % {"ref": order.reference, "status": order.get_status_display().lower()}
            )
        pick_list.status = PickListStatus.PICKED
        pick_list.picked_at = timezone.now()
        pick_list.picked_by = actor if getattr(actor, "pk", None) else None
        pick_list.save(update_fields=["status", "picked_at", "picked_by"])
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            message=_("Pick list %(pick)s picked.") % {"pick": pick_list},
        )
    return pick_list


def result_file_check(upload) -> str:
    """The file name of a service's result, if it is a kind and size we keep."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in RESULT_EXTENSIONS:
        raise ValidationError({"result": _("Attach a PDF, image, CSV, XLSX, ZIP or text file.")})
    if upload.size > RESULT_MAX_BYTES:
        raise ValidationError({"result": _("Attach a file of at most 20 MB.")})
    return name


def order_service_attach_result(*, service_id: int, upload, actor=None) -> OrderService:
    """Staff did a value-added service and attach its result (e.g. the test report PDF) for
    the customer to download from the order page."""
    name = result_file_check(upload)
    with transaction.atomic():
        service = OrderService.objects.select_for_update(of=("self",)).get(pk=service_id)
        service.result.save(name, upload, save=False)
        service.result_name = name[:200]
        service.done_at = service.done_at or timezone.now()
        service.save(update_fields=["result", "result_name", "done_at"])
        lifecycle.order_event_add(
            order=service.order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            message=_("%(service)s done: %(file)s attached.")
            % {"service": service.name, "file": service.result_name},
        )
    return service


def order_service_mark_done(*, service_id: int, actor=None) -> OrderService:
    with transaction.atomic():
        service = OrderService.objects.select_for_update(of=("self",)).get(pk=service_id)
        if service.done_at is None:
            service.done_at = timezone.now()
            service.save(update_fields=["done_at"])
            lifecycle.order_event_add(
                order=service.order,
                kind=OrderEventKind.NOTE,
                actor=actor,
                message=_("%(service)s done.") % {"service": service.name},
            )
    return service


# --- shipping --------------------------------------------------------------------------------


def clean_tracking(carrier: str, tracking_number: str) -> tuple[str, str]:
    errors = {}
    if carrier not in Carrier.values:
        errors["carrier"] = _("Choose a carrier: %(names)s.") % {
            "names": ", ".join(str(label) for _value, label in Carrier.choices)
        }
    number = "".join((tracking_number or "").split()).upper()
    if not number:
        errors["tracking_number"] = _("Enter the tracking number.")
    elif not TRACKING_PATTERN.match(number):
        errors["tracking_number"] = _(
            "A tracking number is 4 to 40 letters, digits or dashes: check %(number)s."
        ) % {"number": number[:50]}
    if errors:
        raise ValidationError(errors)
    return carrier, number


def _quantities(rows) -> dict[int, int]:
    return {row["order_line"]: row["total"] for row in rows}


def shipped_quantities(order: Order) -> dict[int, int]:
    return _quantities(
        ShipmentLine.objects.filter(shipment__order=order)
        .values("order_line")
        .annotate(total=Sum("quantity"))
    )


def ready_to_ship(order: Order) -> dict[int, int]:
    """Pieces per order line that are picked and not shipped yet."""
    picked = _quantities(
        PickListLine.objects.filter(pick_list__order=order, pick_list__status=PickListStatus.PICKED)
        .values("order_line")
        .annotate(total=Sum("quantity"))
    )
    shipped = shipped_quantities(order)
    ready = {pk: qty - shipped.get(pk, 0) for pk, qty in picked.items()}
    return {pk: qty for pk, qty in ready.items() if qty > 0}


def shipment_create(
    *,
    order_id: int,
    carrier: str,
    tracking_number: str,
    quantities: dict[int, int] | None = None,
    actor=None,
) -> Shipment:
    """Ship picked pieces of an order (all that are ready, or ``quantities`` per order line)
    with a carrier's tracking number. One transaction: the order locked, stock moved out
    (on hand and reserved down) through the catalog, the order partly shipped or shipped,
    the customer told. The same tracking number again returns the first shipment."""
    shipment, _created = shipment_record(
        order_id=order_id,
        carrier=carrier,
        tracking_number=tracking_number,
        quantities=quantities,
        actor=actor,
    )
    return shipment


def shipment_record(
    *, order_id, carrier, tracking_number, quantities=None, actor=None
) -> tuple[Shipment, bool]:
    """``shipment_create``, also saying whether this call made the shipment."""
    carrier, number = clean_tracking(carrier, tracking_number)
    with transaction.atomic():
        order = order_for_update(order_id)
        existing = Shipment.objects.filter(
            order=order, carrier=carrier, tracking_number=number
        ).first()
        if existing is not None:
            return existing, False
        if order.status not in SHIPPABLE:
            raise FulfilmentError(
                _("Order %(ref)s is %(status)s: only paid orders ship.")
                % {"ref": order.reference, "status": order.get_status_display().lower()}
            )
        ready = ready_to_ship(order)
        lines = {line.pk: line for line in order.lines.order_by("position")}
        if quantities is None:
            wanted = ready
        else:
            wanted = {}
            for line_id, quantity in quantities.items():
                line = lines.get(line_id)
                if line is None:
                    message = _("Line %(id)s is not a line of this order.") % {"id": line_id}
                    raise ValidationError({"quantities": message})
                if quantity is None or quantity < 0:
                    raise ValidationError(
                        {"quantities": _("Enter 0 or more pieces for %(mpn)s.") % {"mpn": line.mpn}}
                    )
                if quantity > ready.get(line_id, 0):
                    raise ValidationError(
                        {
                            "quantities": _(
                                "%(mpn)s: %(ready)s pieces are picked and waiting, not %(qty)s."
                            )
                            % {"mpn": line.mpn, "ready": ready.get(line_id, 0), "qty": quantity}
                        }
                    )
                if quantity:
                    wanted[line_id] = quantity
        if not wanted:
            raise NothingToShip(
                _(
                    "Nothing of order %(ref)s is picked and waiting to ship: pick its pick "
                    "list first."
                )
                % {"ref": order.reference}
            )
        shipped = shipped_quantities(order)
        left = {
            pk: line.quantity - shipped.get(pk, 0) - wanted.get(pk, 0) for pk, line in lines.items()
        }
        complete = all(qty <= 0 for qty in left.values())
        if not complete and not order.ship_partial:
            waiting = ", ".join(
                f"{qty:,} × {lines[pk].mpn}" for pk, qty in left.items() if qty > 0
            )
            raise ShipTogether(
                _(
                    "The customer asked to ship order %(ref)s all together; still to come: "
                    "%(waiting)s."
                )
                % {"ref": order.reference, "waiting": waiting}
            )
        shipment = Shipment.objects.create(
            order=order,
            carrier=carrier,
            tracking_number=number,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, order_line_id=pk, quantity=qty)
            for pk, qty in sorted(wanted.items())
        )
        by_part: dict[int, int] = defaultdict(int)
        for pk, qty in wanted.items():
            if lines[pk].part_id:
                by_part[lines[pk].part_id] += qty
        try:
            catalog_services.stock_ship(shipped=by_part)
        except InsufficientStock as error:
            raise FulfilmentError(
                _("Stock of order %(ref)s does not add up (%(error)s): count it before shipping.")
                % {"ref": order.reference, "error": error}
            ) from error
        to = OrderStatus.SHIPPED if complete else OrderStatus.PARTLY_SHIPPED
        reason = _("Shipped with %(carrier)s, tracking %(number)s") % {
            "carrier": shipment.get_carrier_display(),
            "number": number,
        }
        if order.status != to:
            lifecycle.order_transition(order_id=order.pk, to=to, actor=actor, reason=reason)
        else:
            lifecycle.order_event_add(
                order=order, kind=OrderEventKind.NOTE, actor=actor, message=reason
            )
        link = tracking_url(carrier, number)
        notify(
            customer=order.customer,
            kind=NotificationKind.ORDER_SHIPPED,
            dedup_key=f"order-shipped:{shipment.pk}",
            context={
                "order": order,
                "shipment": shipment,
                "carrier": shipment.get_carrier_display(),
                "tracking_number": number,
                "tracking_url": link,
                "complete": complete,
            },
            link=order.get_absolute_url(),
        )
    return shipment, True


# --- delivery and completion -----------------------------------------------------------------


def order_mark_delivered(*, order_id: int, actor=None, shipment_id: int | None = None) -> Order:
    """The carrier delivered a shipment (``shipment_id``) or all of them. Once every piece
    has shipped and every shipment is delivered, the order is delivered and the customer
    told. Marking it again changes nothing."""
    with transaction.atomic():
        order = order_for_update(order_id)
        if order.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
            return order
        if order.status not in (OrderStatus.SHIPPED, OrderStatus.PARTLY_SHIPPED):
            raise FulfilmentError(
                _("Order %(ref)s is %(status)s: only shipped orders are delivered.")
                % {"ref": order.reference, "status": order.get_status_display().lower()}
            )
        shipments = order.shipments.filter(delivered_at__isnull=True)
        if shipment_id is not None:
            shipments = shipments.filter(pk=shipment_id)
        now = timezone.now()
        shipments.update(delivered_at=now)
        if order.status == OrderStatus.SHIPPED and not order.shipments.filter(
            delivered_at__isnull=True
        ).exists():
            lifecycle.order_transition(
                order_id=order.pk,
                to=OrderStatus.DELIVERED,
                actor=actor,
                reason=_("Delivered"),
            )
            order.refresh_from_db()
            notify(
                customer=order.customer,
                kind=NotificationKind.ORDER_DELIVERED,
                dedup_key=f"order-delivered:{order.pk}",
                context={"order": order},
                link=order.get_absolute_url(),
            )
    return order


def orders_complete_due(*, now: datetime | None = None) -> int:
    """Beat: complete delivered orders, and shipped ones ``ORDERS_COMPLETE_AFTER_DAYS``
    after their last shipment. Each order under its own lock, status re-read: safe to run
    twice or in two workers at once."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ORDERS_COMPLETE_AFTER_DAYS)
    delivered = Order.objects.filter(status=OrderStatus.DELIVERED).values_list("pk", flat=True)
    overdue = (
        Order.objects.filter(status=OrderStatus.SHIPPED)
        .annotate(last_shipped=Max("shipments__shipped_at"))
        .filter(last_shipped__lte=cutoff)
        .values_list("pk", flat=True)
    )
    due = sorted(set(delivered[:1000]) | set(overdue[:1000]))
    completed = 0
    for order_id in due:
        with transaction.atomic():
            order = order_for_update(order_id)
            if order.status == OrderStatus.DELIVERED:
                reason = _("Delivered: completed")
            elif order.status == OrderStatus.SHIPPED:
                last = order.shipments.aggregate(last=Max("shipped_at"))["last"]
                if last is None or last > cutoff:
                    continue
                reason = _("Completed %(days)d days after the last shipment") % {
                    "days": settings.ORDERS_COMPLETE_AFTER_DAYS
                }
            else:
                continue
            lifecycle.order_transition(order_id=order_id, to=OrderStatus.COMPLETED, reason=reason)
            completed += 1
    return completed


# --- shipments in bulk from a CSV --------------------------------------------------------------

CSV_MAX_ROWS = 5000
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_COLUMNS = {
    "order": "order",
    "order number": "order",
    "order_number": "order",
    "reference": "order",
    "carrier": "carrier",
    "tracking": "tracking",
    "tracking number": "tracking",
    "tracking_number": "tracking",
    "delivered": "delivered",
}
YES = frozenset({"yes", "y", "1", "true", "delivered", "是"})
NO = frozenset({"", "no", "n", "0", "false"})


@dataclass(frozen=True)
class CsvRowResult:
    number: int
    reference: str
    ok: bool
    message: str


@dataclass
class CsvImportReport:
    rows: list[CsvRowResult] = field(default_factory=list)

    @property
    def applied(self) -> list[CsvRowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def refused(self) -> list[CsvRowResult]:
        return [row for row in self.rows if not row.ok]


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _csv_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(data) > CSV_MAX_BYTES:
        raise ValidationError({"file": _("Upload a CSV of at most 2 MB.")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise ValidationError(
                {"file": _("Save the file as CSV in UTF-8 and upload it again.")}
            ) from error
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValidationError({"file": _("The file is empty.")})
    columns = [CSV_COLUMNS.get(" ".join(name.split()).lower()) for name in header]
    missing = {"order", "carrier", "tracking"} - set(columns)
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns order, carrier and tracking "
                    "(and optionally delivered); missing: %(missing)s."
                )
                % {"missing": ", ".join(sorted(missing))}
            }
        )
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        row = {}
        for name, value in zip(columns, values, strict=False):
            if name:
                row[name] = value.strip()
        rows.append((number, row))
        if len(rows) > CSV_MAX_ROWS:
            raise ValidationError(
                {"file": _("Upload at most %(rows)d rows at once.") % {"rows": CSV_MAX_ROWS}}
            )
    return rows


def shipments_import_csv(*, data: bytes, actor=None) -> CsvImportReport:
    """Record shipments (and deliveries) from a CSV of order number, carrier, tracking
    number and optionally "delivered". Each row is applied in its own transaction, all of
    it or nothing of it; a refused row is reported with its row number and the reason, and
    the other rows go on. The same file uploaded twice records each shipment once."""
    report = CsvImportReport()
    for number, row in _csv_rows(data):
        reference = row.get("order", "").upper()
        result = _import_row(number, reference, row, actor)
        report.rows.append(result)
    return report


def _import_row(number: int, reference: str, row: dict, actor) -> CsvRowResult:
    def refused(message: str) -> CsvRowResult:
        return CsvRowResult(number, reference, False, message)

    if not reference:
        return refused(_("Enter the order number."))
    order = Order.objects.filter(reference=reference).only("pk").first()
    if order is None:
        return refused(_("No order %(ref)s.") % {"ref": reference[:40]})
    carrier = carrier_of(row.get("carrier", ""))
    if carrier is None:
        return refused(
            _("Unknown carrier %(name)s: use one of %(names)s.")
            % {
                "name": repr(row.get("carrier", "")[:40]),
                "names": ", ".join(str(label) for _value, label in Carrier.choices),
            }
        )
    delivered_text = row.get("delivered", "").lower()
    if delivered_text not in YES | NO:
        return refused(_("Write yes or leave delivered empty, not %(value)s.") % {
            "value": repr(row.get("delivered", "")[:20])
        })
    try:
        with transaction.atomic():
            shipment, created = shipment_record(
                order_id=order.pk,
                carrier=carrier,
                tracking_number=row.get("tracking", ""),
                actor=actor,
            )
            if delivered_text in YES:
                order_mark_delivered(order_id=order.pk, actor=actor, shipment_id=shipment.pk)
    except (OrdersError, ValidationError) as error:
        return refused(_error_text(error))
    if created:
        message = _("Shipped with %(shipment)s.") % {"shipment": shipment}
    else:
        message = _("%(shipment)s was already recorded.") % {"shipment": shipment}
    if delivered_text in YES:
        message += " " + _("Delivered.")
    return CsvRowResult(number, reference, True, message)
