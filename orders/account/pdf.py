"""The order confirmation / proforma invoice as a PDF, drawn with reportlab.

Company names, addresses and part descriptions are often Chinese, so the text is set in a
CJK TrueType font from Debian's ``fonts-wqy-microhei`` (embedded as a subset, so every
reader shows it). Without that file the PDF falls back to reportlab's built-in STSong-Light
CID font, which readers supply themselves, and says so in the log.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from catalog.templatetags.catalog_tags import money, unit_price

from ..models import InvoiceKind, Order, PaymentMethod
from ..vat import RULE_TEXT
from .selectors import order_rows

logger = logging.getLogger(__name__)

CJK_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FONT_NAME = "PartlineCJK"
FALLBACK_FONT_NAME = "STSong-Light"
_registered: dict[Path, str] = {}


def pdf_font() -> str:
    """The name of the registered CJK font: WenQuanYi Micro Hei, else STSong-Light."""
    path = CJK_FONT_PATH
    if path in _registered:
        return _registered[path]
    if path.exists():
        name = f"{CJK_FONT_NAME}-{len(_registered)}"
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    else:
        logger.warning(
            "CJK font %s is missing (install fonts-wqy-microhei); order PDFs use the "
            "built-in %s font, which PDF readers must supply.",
            path,
            FALLBACK_FONT_NAME,
        )
        name = FALLBACK_FONT_NAME
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
    _registered[path] = name
    return name


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=19, spaceAfter=2),
        "heading": ParagraphStyle("heading", parent=base, fontSize=10, leading=13, spaceBefore=8),
        "right": ParagraphStyle("right", parent=base, alignment=2),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _block(lines: list[str], style) -> Paragraph:
    return Paragraph("<br/>".join(escape(line) for line in lines if line), style)


def _payment_text(order: Order) -> str:
    method = PaymentMethod(order.payment_method).label
    due = f"{order.currency} {money(order.amount_due)}"
    if order.amount_due == 0:
        return _("Nothing left to pay: points and your balance cover the order.")
    if order.payment_method == PaymentMethod.BANK_TRANSFER:
        return _(
            "Please transfer %(due)s and write the order reference %(reference)s in the "
            "transfer's purpose, so we can match your payment."
        ) % {"due": due, "reference": order.reference}
    return _("Amount to pay: %(due)s by %(method)s.") % {"due": due, "method": method.lower()}


def render_order_pdf(order: Order) -> bytes:
    """The order's confirmation / proforma invoice: the store and its bank details, the
    order, ship-to and invoice details, every line, the totals and how to pay; in the
    customer's language (``User.language``)."""
    language = getattr(order.customer, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _render_order_pdf(order)


def _render_order_pdf(order: Order) -> bytes:
    font = pdf_font()
    styles = _styles(font)
    base, small = styles["base"], styles["small"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{settings.SHOP_NAME} order {order.reference}",
        author=settings.SHOP_NAME,
    )
    bank = settings.SHOP_BANK_DETAILS
    story = [
        _p(
            f"{settings.SHOP_NAME} · " + _("Order confirmation / Proforma invoice"),
            styles["title"],
        ),
    ]
    if not translation.get_language().startswith("zh"):
        story.append(_p("订单确认 / 形式发票", base))
    story.append(Spacer(1, 4 * mm))

    placed = timezone.localtime(order.placed_at)
    facts = [
        (_("Order"), order.reference),
        (_("Date"), placed.strftime("%Y-%m-%d %H:%M")),
        (_("Status"), order.get_status_display()),
        (_("PO number"), order.po_number or "—"),
        (
            _("Expected to ship"),
            order.expected_ship_date.isoformat() if order.expected_ship_date else "—",
        ),
        (_("Shipping"), order.shipping_method_name or "—"),
        (_("Payment"), PaymentMethod(order.payment_method).label),
    ]
    ship_to = [
        order.recipient,
        order.company,
        order.line1,
        order.line2,
        " ".join(p for p in (order.postal_code, order.city) if p),
        order.region,
        order.country,
        order.phone,
    ]
    if order.invoice_kind != InvoiceKind.NONE:
        invoice = [
            InvoiceKind(order.invoice_kind).label,
            order.invoice_title,
            (
                _("Taxpayer ID %(id)s") % {"id": order.invoice_taxpayer_id}
                if order.invoice_taxpayer_id
                else ""
            ),
            order.invoice_address,
            order.invoice_phone,
            " ".join(p for p in (order.invoice_bank_name, order.invoice_bank_account) if p),
        ]
    else:
        invoice = [InvoiceKind.NONE.label]
    header = Table(
        [
            [
                _p(_("Order"), styles["heading"]),
                _p(_("Ship to"), styles["heading"]),
                _p(_("Invoice"), styles["heading"]),
            ],
            [
                _block([f"{label}: {value}" for label, value in facts], base),
                _block(ship_to, base),
                _block(invoice, base),
            ],
        ],
        colWidths=[62 * mm, 60 * mm, 60 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [header, Spacer(1, 5 * mm)]

    rows = [
        [
            _p(text, small)
            for text in (
                "#",
                "MPN",
                _("Manufacturer"),
                _("Packaging"),
                _("Qty"),
                _("Unit price (%(currency)s)") % {"currency": order.currency},
                _("Net"),
                _("VAT"),
                _("Gross"),
            )
        ]
    ]
    for position, row in enumerate(order_rows(order), start=1):
        mpn = row.mpn + (f"\n{row.description}" if row.description else "")
        rows.append(
            [
                _p(position, small),
                _p(mpn, small),
                _p(row.manufacturer, small),
                _p(row.packaging or "—", small),
                _p(f"{row.quantity:,}", styles["right"]),
                _p(unit_price(row.unit_price), styles["right"]),
                _p(money(row.net), styles["right"]),
                _p(money(row.vat), styles["right"]),
                _p(money(row.gross), styles["right"]),
            ]
        )
    lines = Table(
        rows,
        colWidths=[7 * mm, 44 * mm, 28 * mm, 22 * mm, 16 * mm, 20 * mm, 16 * mm, 14 * mm, 16 * mm],
        repeatRows=1,
    )
    lines.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story += [lines, Spacer(1, 4 * mm)]

    cur = order.currency
    totals = [
        (_("Parts excl. VAT"), f"{cur} {money(order.subtotal)}"),
    ]
    if order.discount:
        code = f" ({order.coupon_code})" if order.coupon_code else ""
        totals.append((_("Coupon discount") + code, f"−{cur} {money(order.discount)}"))
    totals.append((_("Shipping excl. VAT"), f"{cur} {money(order.shipping_fee)}"))
    if order.shipping_discount:
        totals.append((_("Shipping discount"), f"−{cur} {money(order.shipping_discount)}"))
    if order.services_fee:
        totals.append((_("Services excl. VAT"), f"{cur} {money(order.services_fee)}"))
    totals += [
        (_("VAT %(percent)s %%") % {"percent": order.vat_percent}, f"{cur} {money(order.vat)}"),
        (_("Total incl. VAT"), f"{cur} {money(order.total)}"),
    ]
    if order.points_amount:
        points_label = _("Points (%(points)s)") % {"points": f"{order.points_used:,}"}
        totals.append((points_label, f"−{cur} {money(order.points_amount)}"))
    if order.balance_amount:
        totals.append((_("Balance used"), f"−{cur} {money(order.balance_amount)}"))
    totals.append((_("Amount to pay"), f"{cur} {money(order.amount_due)}"))
    totals_table = Table(
        [[_p(label, styles["right"]), _p(value, styles["right"])] for label, value in totals],
        colWidths=[50 * mm, 36 * mm],
        hAlign="RIGHT",
    )
    totals_table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ]
        )
    )
    story += [totals_table, _p(str(RULE_TEXT), small), Spacer(1, 5 * mm)]

    story += [
        _p(_("How to pay"), styles["heading"]),
        _p(_payment_text(order), base),
        _block(
            [
                _("Account name") + f": {bank['account_name']}",
                _("Bank") + f": {bank['bank_name']}",
                _("Account number") + f": {bank['account_number']}",
                f"SWIFT: {bank['swift']}",
                _("Reference") + f": {order.reference}",
            ],
            base,
        ),
    ]
    if order.note:
        story += [_p(_("Your note"), styles["heading"]), _p(order.note, base)]
    doc.build(story)
    return buffer.getvalue()
