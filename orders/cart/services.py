"""Use-cases of the cart. Each public function owns its transaction.

Quantities are whole pieces: at least the part's MOQ, a multiple of its order multiple, whole
reels on a full-reel packaging, at most ``MAX_LINE_QUANTITY`` per cart line, and priced by
the part's ladder (a quantity below the first price break cannot be sold). Input that breaks
a rule is refused with a ``ValidationError`` whose message says what to order instead, and
nothing is written.

Prices are ``Decimal`` end to end. A cart line is priced at the break its quantity reaches;
its total is rounded half-up to cents once, without and with VAT, as the part page shows
it. The cart's total is the sum of its lines, so the columns add up.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from catalog.models import PackagingKind, PackagingOption, Part, PriceBreak, SupplierOffer
from catalog.pricing import (
    Split,
    cheapest_split,
    round_money,
    unit_price_at,
    unit_price_text,
    with_vat,
)
from catalog.selectors import main_ladder, price_ladders

from ..models import Cart, CartLine
from ..quantities import parse_id, parse_quantity
from ..rfq.status import ACCEPTABLE
from ..vat import RULE_TEXT as VAT_RULE_TEXT
from ..vat import vat_of
from .pricing import BreakHint, next_break_hint

logger = logging.getLogger(__name__)

MAX_LINE_QUANTITY = 1_000_000
ZERO = Decimal("0.00")

Ladder = list[PriceBreak]


# --- owners and quantities ------------------------------------------------------------------


@dataclass(frozen=True)
class CartOwner:
    """Whose cart: a signed-in customer, or an anonymous visitor by their session's cart key."""

    customer: object | None = None
    session_key: str = ""

    def __post_init__(self):
        if self.customer is None and not self.session_key:
            raise ValueError("A cart belongs to a customer or to a session key.")

    def carts(self):
        open_carts = Cart.objects.filter(checked_out_at__isnull=True)
        if self.customer is not None:
            return open_carts.filter(customer=self.customer)
        return open_carts.filter(customer__isnull=True, session_key=self.session_key)


def _order_choices(quantity: int, step: int, minimum: int) -> str:
    lower = quantity - quantity % step
    upper = lower + step
    if lower >= max(minimum, 1):
        return gettext("%(lower)s or %(upper)s") % {"lower": f"{lower:,}", "upper": f"{upper:,}"}
    return f"{upper:,}"


def check_quantity(*, part: Part, option: PackagingOption | None, ladder: Ladder, quantity: int):
    """Raise a ValidationError if ``quantity`` of ``part`` on ``ladder`` cannot be ordered."""
    mpn = part.mpn
    if not ladder:
        raise ValidationError(
            gettext("%(mpn)s has no list price; request a quote instead.") % {"mpn": mpn},
            code="no_price",
        )
    if quantity > MAX_LINE_QUANTITY:
        raise ValidationError(
            gettext(
                "At most %(max)s pieces per line; request a quote for larger quantities."
            ) % {"max": f"{MAX_LINE_QUANTITY:,}"},
            code="too_many",
        )
    if quantity < part.moq:
        raise ValidationError(
            gettext("The minimum order for %(mpn)s is %(moq)s pieces.")
            % {"mpn": mpn, "moq": f"{part.moq:,}"},
            code="below_moq",
        )
    if option is not None and option.kind == PackagingKind.REEL and option.reel_quantity:
        reel = option.reel_quantity
        if quantity % reel:
            raise ValidationError(
                gettext(
                    "A full reel of %(mpn)s holds %(reel)s pieces and sells whole reels only: "
                    "order %(choices)s."
                )
                % {
                    "mpn": mpn,
                    "reel": f"{reel:,}",
                    "choices": _order_choices(quantity, reel, part.moq),
                },
                code="whole_reels",
            )
    step = part.order_multiple
    if quantity % step:
        raise ValidationError(
            gettext("%(mpn)s is sold in multiples of %(step)s: order %(choices)s.")
            % {
                "mpn": mpn,
                "step": f"{step:,}",
                "choices": _order_choices(quantity, step, part.moq),
            },
            code="not_a_multiple",
        )
    if unit_price_at(ladder, quantity) is None:
        raise ValidationError(
            gettext("The price list of %(mpn)s starts at %(quantity)s pieces.")
            % {"mpn": mpn, "quantity": f"{ladder[0].min_quantity:,}"},
            code="below_first_break",
        )


# --- price ladders ----------------------------------------------------------------------------


def _ladder_of(
    ladders: Sequence[tuple[PackagingOption, Ladder]], packaging_id: int | None
) -> tuple[PackagingOption | None, Ladder]:
    if packaging_id is None:
        return main_ladder(ladders)
    for option, ladder in ladders:
        if option.pk == packaging_id:
            return option, ladder
    return None, []


# --- the cart ---------------------------------------------------------------------------------


def _open_cart(owner: CartOwner, *, create: bool) -> Cart | None:
    """The owner's open cart, locked; created when asked (a concurrent creation wins)."""
    cart = owner.carts().select_for_update().first()
    if cart is not None or not create:
        return cart
    try:
        with transaction.atomic():
            return Cart.objects.create(
                customer=owner.customer, session_key="" if owner.customer else owner.session_key
            )
    except IntegrityError:
        return owner.carts().select_for_update().get()


def _part_and_ladder(
    part_id, packaging_id
) -> tuple[Part, PackagingOption | None, Ladder, int | None]:
    """The part, the packaging and ladder a line of it is priced on, and the packaging the
    line keeps: none for the main ladder, so one part has one such line."""
    part_pk = parse_id(part_id)
    part = Part.objects.filter(pk=part_pk).first() if part_pk else None
    if part is None:
        raise ValidationError(gettext("This part is not in our catalog."), code="no_part")
    ladders = price_ladders([part.pk]).get(part.pk, [])
    main, _ = main_ladder(ladders)
    option, ladder = _ladder_of(ladders, packaging_id)
    if packaging_id is None or (option is not None and main is not None and option.pk == main.pk):
        return part, option, ladder, None
    if option is None:
        option = PackagingOption.objects.filter(pk=packaging_id, part=part).first()
        if option is None:
            raise ValidationError(
                gettext("This packaging is not offered for this part."), code="no_packaging"
            )
    return part, option, ladder, option.pk


def cart_add_line(*, owner: CartOwner, part_id: int, quantity, packaging_id: int | None = None):
    """Put ``quantity`` of a part in the owner's cart, on top of what is already there."""
    added = parse_quantity(quantity)
    with transaction.atomic():
        part, option, ladder, stored_packaging_id = _part_and_ladder(part_id, packaging_id)
        cart = _open_cart(owner, create=True)
        line = CartLine.objects.filter(
            cart=cart, part=part, packaging_id=stored_packaging_id, quote_line__isnull=True
        ).first()
        total = added + (line.quantity if line else 0)
        try:
            check_quantity(part=part, option=option, ladder=ladder, quantity=total)
        except ValidationError as error:
            if line is None:
                raise
            raise ValidationError(
                gettext("With the %(quantity)s already in your cart: %(error)s")
                % {"quantity": f"{line.quantity:,}", "error": error.messages[0]},
                code=error.code,
            ) from error
        if line is None:
            line = CartLine.objects.create(
                cart=cart, part=part, packaging_id=stored_packaging_id, quantity=total
            )
        else:
            line.quantity = total
            line.save(update_fields=["quantity", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


@dataclass(frozen=True)
class CartItem:
    """One line to add: ``packaging_id`` None for the part's main ladder."""

    part_id: int
    quantity: int
    packaging_id: int | None = None
    label: str = ""  # names the item in an error: "Row 12 (RC0603FR-0710KL)"


def cart_add_lines(*, owner: CartOwner, items: Sequence[CartItem]) -> list[CartLine]:
    """Put many lines in the owner's cart at once (a BOM), by the rules of ``cart_add_line``
    and in one transaction: all of them, or none when one is refused (the error names its
    item). A fixed number of queries whatever the number of items."""
    if not items:
        return []
    with transaction.atomic():
        cart = _open_cart(owner, create=True)
        part_ids = {item.part_id for item in items}
        parts = Part.objects.in_bulk(part_ids)
        ladders = price_ladders(part_ids)
        existing = {
            (line.part_id, line.packaging_id): line
            for line in CartLine.objects.filter(
                cart=cart, part_id__in=part_ids, quote_line__isnull=True
            )
        }
        wanted: dict[tuple[int, int | None], int] = {}
        options: dict[tuple[int, int | None], tuple] = {}
        labels: dict[tuple[int, int | None], str] = {}
        for item in items:
            part = parts.get(item.part_id)
            if part is None:
                raise ValidationError(
                    f"{item.label}: this part is not in our catalog.".lstrip(": "), code="no_part"
                )
            part_ladders = ladders.get(part.pk, [])
            main, _ = main_ladder(part_ladders)
            option, ladder = _ladder_of(part_ladders, item.packaging_id)
            if item.packaging_id is not None and option is None:
                raise ValidationError(
                    f"{item.label}: this packaging is not offered for this part.".lstrip(": "),
                    code="no_packaging",
                )
            stored = None if option is None or (main and option.pk == main.pk) else option.pk
            key = (part.pk, stored)
            wanted[key] = wanted.get(key, 0) + parse_quantity(item.quantity)
            options[key] = (part, option, ladder)
            labels.setdefault(key, item.label)
        created, updated = [], []
        for key, added in wanted.items():
            part, option, ladder = options[key]
            line = existing.get(key)
            total = added + (line.quantity if line else 0)
            try:
                check_quantity(part=part, option=option, ladder=ladder, quantity=total)
            except ValidationError as error:
                prefix = f"{labels[key]}: " if labels[key] else ""
                if line is not None:
                    prefix += f"with the {line.quantity:,} already in your cart: "
                raise ValidationError(prefix + error.messages[0], code=error.code) from error
            if line is None:
                created.append(CartLine(cart=cart, part=part, packaging_id=key[1], quantity=total))
            else:
                line.quantity = total
                updated.append(line)
        CartLine.objects.bulk_create(created)
        if updated:
            now = timezone.now()
            for line in updated:
                line.updated_at = now
            CartLine.objects.bulk_update(updated, ["quantity", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return created + updated


def _locked_line(owner: CartOwner, line_id) -> tuple[Cart, CartLine]:
    """The owner's open cart, locked, and one of its lines; a line gone is a ValidationError."""
    cart = _open_cart(owner, create=False)
    line_pk = parse_id(line_id)
    line = (
        CartLine.objects.select_related("part", "quote_line__inquiry")
        .filter(cart=cart, pk=line_pk)
        .first()
        if cart is not None and line_pk is not None
        else None
    )
    if line is None:
        raise ValidationError(gettext("That line is no longer in your cart."), code="no_line")
    return cart, line


def _on_main_ladder(line: CartLine, ladders) -> bool:
    main, _ = main_ladder(ladders)
    return line.packaging_id is None or (main is not None and line.packaging_id == main.pk)


def _refuse_quoted(line: CartLine, change: str) -> None:
    """A quoted line is bought as quoted: its quantity and packaging stay as they are."""
    if line.quote_line_id is None:
        return
    quote = line.quote_line
    raise ValidationError(
        gettext(
            "%(mpn)s is at the price of quote %(ref)s for exactly %(qty)s pieces, so its "
            "%(change)s cannot change. Remove the line to buy it at list price, or ask us "
            "for a new quote."
        )
        % {
            "mpn": line.part.mpn,
            "ref": quote.inquiry.reference,
            "qty": f"{line.quantity:,}",
            "change": change,
        },
        code="quoted_line",
    )


def cart_set_quantity(*, owner: CartOwner, line_id: int, quantity) -> CartLine | None:
    """Change a line's quantity; 0 takes the line out of the cart. A quoted line keeps its
    quoted quantity (refused with a message) but can be taken out."""
    wanted = parse_quantity(quantity, allow_zero=True)
    with transaction.atomic():
        cart, line = _locked_line(owner, line_id)
        if wanted == 0:
            line.delete()
            cart.save(update_fields=["updated_at"])
            return None
        if wanted == line.quantity:
            return line
        _refuse_quoted(line, gettext("quantity"))
        ladders = price_ladders([line.part_id]).get(line.part_id, [])
        option, ladder = _ladder_of(ladders, line.packaging_id)
        check_quantity(part=line.part, option=option, ladder=ladder, quantity=wanted)
        line.quantity = wanted
        line.save(update_fields=["quantity", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


def _put_on(
    *, cart: Cart, line: CartLine | None, part: Part, option, ladder: Ladder, stored_id, quantity
) -> CartLine:
    """Put ``quantity`` on the cart's line of the part in that packaging, adding to the line
    already there (not ``line`` itself); the sum is checked as one line."""
    same = CartLine.objects.filter(
        cart=cart, part=part, packaging_id=stored_id, quote_line__isnull=True
    )
    if line is not None:
        same = same.exclude(pk=line.pk)
    same = same.first()
    total = quantity + (same.quantity if same else 0)
    try:
        check_quantity(part=part, option=option, ladder=ladder, quantity=total)
    except ValidationError as error:
        if same is None:
            raise
        raise ValidationError(
            gettext("With the %(quantity)s already in your cart as %(option)s: %(error)s")
            % {"quantity": f"{same.quantity:,}", "option": option, "error": error.messages[0]},
            code=error.code,
        ) from error
    if same is not None:
        same.quantity = total
        same.save(update_fields=["quantity", "updated_at"])
        return same
    if line is not None:
        line.packaging_id, line.quantity = stored_id, total
        line.save(update_fields=["packaging", "quantity", "updated_at"])
        return line
    return CartLine.objects.create(cart=cart, part=part, packaging_id=stored_id, quantity=total)


def cart_set_packaging(*, owner: CartOwner, line_id: int, packaging_id) -> CartLine:
    """Move a line to another packaging of its part (cut tape, full reel, tray, tube), checked
    by that packaging's rules and priced on its ladder; a line of the part already in that
    packaging takes the quantity, and this one goes."""
    with transaction.atomic():
        cart, line = _locked_line(owner, line_id)
        _refuse_quoted(line, gettext("packaging"))
        part = line.part
        wanted = parse_id(packaging_id)
        ladders = price_ladders([part.pk]).get(part.pk, [])
        option, ladder = next(((o, lad) for o, lad in ladders if o.pk == wanted), (None, []))
        if option is None:
            raise ValidationError(
                gettext("This packaging is not offered for %(mpn)s; choose one in the list.")
                % {"mpn": part.mpn},
                code="no_packaging",
            )
        main, _ = main_ladder(ladders)
        stored_id = None if main is not None and option.pk == main.pk else option.pk
        if stored_id == line.packaging_id:
            return line
        moved = _put_on(
            cart=cart,
            line=line,
            part=part,
            option=option,
            ladder=ladder,
            stored_id=stored_id,
            quantity=line.quantity,
        )
        if moved.pk != line.pk:
            line.delete()
        cart.save(update_fields=["updated_at"])
    return moved


def cart_apply_reel_split(*, owner: CartOwner, line_id: int) -> Split:
    """Buy a line as whole reels plus the rest on cut tape, when that costs less: the reels
    go on the part's full-reel line (added to one already there), the rest stays on this
    line, which goes when nothing is left. Returns the split applied."""
    with transaction.atomic():
        cart, line = _locked_line(owner, line_id)
        _refuse_quoted(line, gettext("packaging"))
        part = line.part
        ladders = price_ladders([part.pk]).get(part.pk, [])
        split = (
            cheapest_split(part, ladders, line.quantity) if _on_main_ladder(line, ladders) else None
        )
        if split is None:
            raise ValidationError(
                gettext("Full reels would not make this line of %(mpn)s cheaper.")
                % {"mpn": part.mpn},
                code="no_split",
            )
        _put_on(
            cart=cart,
            line=None,
            part=part,
            option=split.reel,
            ladder=_ladder_of(ladders, split.reel.pk)[1],
            stored_id=split.reel.pk,
            quantity=split.reel_quantity,
        )
        if split.remainder:
            line.quantity = split.remainder
            line.save(update_fields=["quantity", "updated_at"])
        else:
            line.delete()
        cart.save(update_fields=["updated_at"])
    return split


@transaction.atomic
def cart_remove_line(*, owner: CartOwner, line_id: int) -> None:
    """Take a line out of the cart; a line already gone is not an error (a double click)."""
    cart = _open_cart(owner, create=False)
    if cart is not None and CartLine.objects.filter(cart=cart, pk=line_id).delete()[0]:
        cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_merge_at_login(*, session_key: str, customer) -> Cart | None:
    """Move an anonymous visitor's cart into their own when they sign in.

    A part in both carts keeps the sum of the two quantities (both were valid orders, so the
    sum is one too), unless that passes the line maximum: then the larger one.
    """
    visitor_cart = CartOwner(session_key=session_key).carts().select_for_update().first()
    if visitor_cart is None:
        return _open_cart(CartOwner(customer=customer), create=False)
    visitor_lines = list(visitor_cart.lines.order_by("pk"))
    if not visitor_lines:
        visitor_cart.delete()
        return _open_cart(CartOwner(customer=customer), create=False)
    cart = _open_cart(CartOwner(customer=customer), create=True)
    own_lines = {
        (line.part_id, line.packaging_id): line
        for line in cart.lines.filter(quote_line__isnull=True)
    }
    for line in visitor_lines:
        mine = None if line.quote_line_id else own_lines.get((line.part_id, line.packaging_id))
        if mine is None:
            line.cart = cart
            line.save(update_fields=["cart", "updated_at"])
            continue
        total = mine.quantity + line.quantity
        mine.quantity = total if total <= MAX_LINE_QUANTITY else max(mine.quantity, line.quantity)
        mine.save(update_fields=["quantity", "updated_at"])
    visitor_cart.delete()
    cart.save(update_fields=["updated_at"])
    return cart


def cart_line_count(*, owner: CartOwner) -> int:
    return CartLine.objects.filter(cart__in=owner.carts()).count()


# --- pricing and stock cover ----------------------------------------------------------------


@dataclass(frozen=True)
class StockCover:
    """Where a line's quantity would come from: own stock first, then supplier stock."""

    quantity: int
    from_stock: int
    from_suppliers: int
    lead_days: int | None

    @property
    def status(self) -> str:
        if self.from_stock >= self.quantity:
            return "stock"
        if self.from_stock + self.from_suppliers >= self.quantity:
            return "supplier"
        return "short"

    @property
    def available(self) -> int:
        return self.from_stock + self.from_suppliers

    @property
    def message(self) -> str:
        if self.status == "stock":
            return gettext("In stock · ships today")
        if self.status == "supplier":
            if self.from_stock:
                return self.schedule
            return ngettext(
                "Ships in %(days)d day", "Ships in %(days)d days", self.lead_days
            ) % {"days": self.lead_days}
        if not self.available:
            return gettext("Not in stock · request a quote")
        return gettext("Only %(available)s available · request a quote for the rest") % {
            "available": f"{self.available:,}"
        }

    @property
    def schedule(self) -> str:
        """When the pieces available ship: "3,000 ship today · 2,000 ship in 7 days"."""
        parts = []
        if self.from_stock:
            parts.append(
                ngettext("%(count)s ships today", "%(count)s ship today", self.from_stock)
                % {"count": f"{self.from_stock:,}"}
            )
        if self.from_suppliers:
            parts.append(
                ngettext(
                    "%(count)s ships in %(days)d days",
                    "%(count)s ship in %(days)d days",
                    self.from_suppliers,
                )
                % {"count": f"{self.from_suppliers:,}", "days": self.lead_days}
            )
        return " · ".join(parts)


def stock_cover(*, quantity: int, available: int, offers: Sequence[SupplierOffer]) -> StockCover:
    """Own stock first, then supplier offers by shortest lead time; the lead time is that of
    the slowest offer needed."""
    from_stock = min(quantity, max(available, 0))
    needed = quantity - from_stock
    from_suppliers, lead_days = 0, None
    for offer in sorted(offers, key=lambda o: (o.lead_days, o.supplier_id)):
        if needed <= 0:
            break
        if offer.quantity <= 0:
            continue
        taken = min(needed, offer.quantity)
        from_suppliers += taken
        needed -= taken
        lead_days = offer.lead_days
    return StockCover(quantity, from_stock, from_suppliers, lead_days)


@dataclass(frozen=True)
class PackagingChoice:
    """A packaging a cart line can be moved to, as its select shows it."""

    option_id: int
    label: str
    selected: bool


@dataclass(frozen=True)
class PricedLine:
    line: CartLine
    packaging: PackagingOption | None
    unit_price: Decimal | None
    stock: StockCover
    choices: tuple[PackagingChoice, ...] = ()
    reel_split: Split | None = None
    break_hint: BreakHint | None = None

    @property
    def part(self) -> Part:
        return self.line.part

    @property
    def quote_line(self):
        """The quote line this line buys at its quoted price, or None."""
        return self.line.quote_line if self.line.quote_line_id else None

    @property
    def quote_expired(self) -> bool:
        """A quoted line whose price can no longer be ordered (expired, declined, closed)."""
        quote = self.quote_line
        return quote is not None and self.unit_price is None

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def is_priced(self) -> bool:
        return self.unit_price is not None

    @property
    def unit_price_incl_vat(self) -> Decimal | None:
        return None if self.unit_price is None else with_vat(self.unit_price)

    @property
    def total(self) -> Decimal | None:
        """Net line total: unit price × quantity, rounded half-up to cents once."""
        return None if self.unit_price is None else round_money(self.unit_price * self.quantity)

    @property
    def vat(self) -> Decimal | None:
        return None if self.unit_price is None else vat_of(self.total)

    @property
    def total_incl_vat(self) -> Decimal | None:
        return None if self.unit_price is None else self.total + self.vat

    @property
    def packaging_label(self) -> str:
        return str(self.packaging) if self.packaging is not None else ""


@dataclass(frozen=True)
class PricedCart:
    cart: Cart | None
    lines: list[PricedLine] = field(default_factory=list)
    currency: str = ""
    vat_rate: Decimal = ZERO

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines if line.is_priced), ZERO)

    @property
    def vat(self) -> Decimal:
        """The sum of the lines' VAT (see orders/vat.py)."""
        return sum((line.vat for line in self.lines if line.is_priced), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.vat

    @property
    def vat_rule(self) -> str:
        return str(VAT_RULE_TEXT)

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()

    @property
    def has_unpriced_lines(self) -> bool:
        return any(not line.is_priced for line in self.lines)

    @property
    def lines_to_quote(self) -> list[PricedLine]:
        return [line for line in self.lines if not line.is_priced or line.stock.status == "short"]


def cart_price(*, cart: Cart | None) -> PricedCart:
    """The cart's lines at today's prices and stock, in three queries whatever its size."""
    priced = PricedCart(cart=cart, currency=settings.SHOP_CURRENCY, vat_rate=settings.SHOP_VAT_RATE)
    if cart is None:
        return priced
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("part__manufacturer", "part__stock", "packaging", "quote_line__inquiry")
        .order_by("pk")
    )
    part_ids = {line.part_id for line in lines}
    ladders = price_ladders(part_ids)
    offers: dict[int, list[SupplierOffer]] = defaultdict(list)
    for offer in SupplierOffer.objects.filter(part_id__in=part_ids, quantity__gt=0).order_by(
        "lead_days", "supplier_id"
    ):
        offers[offer.part_id].append(offer)
    for line in lines:
        part_ladders = ladders.get(line.part_id, [])
        option, ladder = _ladder_of(part_ladders, line.packaging_id)
        unit_price = unit_price_at(ladder, line.quantity)
        stock = getattr(line.part, "stock", None)
        if line.quote_line_id:
            priced.lines.append(_quoted_line(line, stock, offers[line.part_id]))
            continue
        priced.lines.append(
            PricedLine(
                line=line,
                packaging=option or line.packaging,
                unit_price=unit_price,
                stock=stock_cover(
                    quantity=line.quantity,
                    available=stock.available if stock else 0,
                    offers=offers[line.part_id],
                ),
                choices=_packaging_choices(part_ladders, option, line.quantity),
                reel_split=(
                    cheapest_split(line.part, part_ladders, line.quantity)
                    if unit_price is not None and _on_main_ladder(line, part_ladders)
                    else None
                ),
                break_hint=next_break_hint(
                    part=line.part,
                    option=option,
                    ladder=ladder,
                    quantity=line.quantity,
                    maximum=MAX_LINE_QUANTITY,
                ),
            )
        )
    return priced


def _quoted_line(line: CartLine, stock, offers) -> PricedLine:
    """A line bought from a quote: the quoted unit price while the quote is valid, else no
    price (the checkout then asks for a new quote); no packaging choices or reel splits."""
    quote = line.quote_line
    valid = quote.inquiry.status in ACCEPTABLE and quote.is_valid_today
    return PricedLine(
        line=line,
        packaging=line.packaging,
        unit_price=quote.quoted_unit_price if valid else None,
        stock=stock_cover(
            quantity=line.quantity,
            available=stock.available if stock else 0,
            offers=offers,
        ),
    )


def _packaging_choices(ladders, current, quantity: int) -> tuple[PackagingChoice, ...]:
    """The part's priced packagings, main first, each with its price at the line's quantity
    (or where its ladder starts)."""
    main, _ = main_ladder(ladders)
    ordered = sorted(ladders, key=lambda item: main is None or item[0].pk != main.pk)
    choices = []
    for option, ladder in ordered:
        price = unit_price_at(ladder, quantity)
        if price is not None:
            label = gettext("%(packaging)s · %(price)s each") % {
                "packaging": option,
                "price": unit_price_text(price),
            }
        else:
            label = gettext("%(packaging)s · from %(quantity)s pieces") % {
                "packaging": option,
                "quantity": f"{ladder[0].min_quantity:,}",
            }
        choices.append(
            PackagingChoice(option.pk, label, current is not None and option.pk == current.pk)
        )
    return tuple(choices)
