"""A quote as a PDF, drawn with reportlab in the CJK font of the order PDF (WenQuanYi Micro
Hei embedded as a subset, so Chinese company names and descriptions show in every reader)."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from catalog.pricing import line_total
from catalog.templatetags.catalog_tags import money, unit_price

from ..account.pdf import _block, _p, _styles, pdf_font
from ..models import Inquiry


def quote_pdf(inquiry: Inquiry) -> bytes:
    """The quote of an inquiry: who asked, every line with our answer, and the validity; in
    the customer's language (the page's for a request sent without an account)."""
    customer = inquiry.customer
    language = getattr(customer, "language", "") or translation.get_language()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _quote_pdf(inquiry)


def _in_chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _quote_pdf(inquiry: Inquiry) -> bytes:
    from .services import quote_valid_until

    font = pdf_font()
    styles = _styles(font)
    small, right = styles["small"], styles["right"]
    lines = list(
        inquiry.lines.select_related("part", "alternate_part__manufacturer").order_by("pk")
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{settings.SHOP_NAME} quote {inquiry.reference}",
        author=settings.SHOP_NAME,
    )
    valid = quote_valid_until(inquiry, lines)
    quoted = timezone.localtime(inquiry.quoted_at) if inquiry.quoted_at else None
    facts = [
        _("Quote") + f": {inquiry.reference}",
        _("Date") + f": {quoted:%Y-%m-%d}" if quoted else "",
        _("Valid until") + f": {valid.isoformat()}" if valid else "",
        _("Currency") + f": {settings.SHOP_CURRENCY}, " + _("prices excl. VAT"),
    ]
    customer = [inquiry.contact_name, inquiry.company, inquiry.email, inquiry.phone]
    story = [
        _p(f"{settings.SHOP_NAME} · " + _("Quotation"), styles["title"]),
        *([] if _in_chinese() else [_p("报价单", styles["base"])]),
        Spacer(1, 4 * mm),
        Table(
            [[_block(facts, styles["base"]), _block(customer, styles["base"])]],
            colWidths=[91 * mm, 91 * mm],
        ),
        Spacer(1, 5 * mm),
    ]
    header = ["#", "MPN", _("Manufacturer"), _("Qty"), _("Unit price"), _("Total"),
              _("Lead time"), _("Valid until")]
    rows = [[_p(text, small) for text in header]]
    for number, line in enumerate(lines, start=1):
        description = line.part.description if line.part else ""
        mpn = line.mpn + (f"\n{description}" if description else "")
        if line.cannot_offer:
            answer = _("Cannot offer")
            if line.alternate_part_id:
                alternate = line.alternate_part
                answer += " · " + _("alternate: %(mpn)s (%(maker)s)") % {
                    "mpn": alternate.mpn,
                    "maker": alternate.manufacturer.name,
                }
            rows.append(
                [_p(number, small), _p(mpn, small), _p(line.manufacturer, small),
                 _p(f"{line.quantity:,}", right), _p(answer, small), "", "", ""]
            )
            continue
        price = line.quoted_unit_price
        rows.append(
            [
                _p(number, small),
                _p(mpn, small),
                _p(line.manufacturer, small),
                _p(f"{line.quoted_quantity:,}" if line.quoted_quantity else "—", right),
                _p(unit_price(price) if price is not None else "—", right),
                _p(money(line_total(price, line.quoted_quantity))
                   if price is not None and line.quoted_quantity else "—", right),
                _p(_("%(days)s days") % {"days": line.lead_days}
                   if line.lead_days is not None else "—", small),
                _p(line.valid_until.isoformat() if line.valid_until else "—", small),
            ]
        )
    table = Table(
        rows,
        colWidths=[8 * mm, 46 * mm, 30 * mm, 18 * mm, 22 * mm, 20 * mm, 18 * mm, 20 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story += [table, Spacer(1, 5 * mm)]
    if inquiry.reply:
        story += [_p(_("Conditions"), styles["heading"]), _p(inquiry.reply, styles["base"])]
    story += [
        Spacer(1, 4 * mm),
        _p(
            _("Quoted prices are for the quoted quantity only and can be ordered once, until "
              "the validity date, from your account at %(url)s.")
            % {"url": settings.SITE_URL},
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
