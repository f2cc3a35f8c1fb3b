"""The help pages in the footer: which exist, and their text in the page's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt

from .models import InfoPage

# CommonMark without raw HTML: a <script> typed into the admin is shown as text. Links to
# javascript: and data: URLs are refused by markdown-it's own link check.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class ShownInfoPage:
    slug: str
    title: str
    summary: str
    body_html: SafeString
    updated_at: datetime


def _is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def settings_values() -> dict[str, str]:
    vat = settings.SHOP_VAT_RATE * 100
    return {
        "{returns_window_days}": str(settings.RETURNS_WINDOW_DAYS),
        "{ship_cutoff_hour}": f"{settings.ORDERS_SHIP_CUTOFF_HOUR}:00",
        "{vat_percent}": f"{vat.normalize():f}",
    }


# An email address in the text becomes a mailto link, left as it is by browser translators.
_EMAIL = re.compile(r"(?<![<\w.+-])([\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w>])")


def render_body(text: str) -> SafeString:
    for placeholder, value in settings_values().items():
        text = text.replace(placeholder, value)
    html = _MARKDOWN.render(_EMAIL.sub(r"<\1>", text))
    html = html.replace('<a href="mailto:', '<a translate="no" href="mailto:')
    return mark_safe(html)  # noqa: S308 - markdown-it escapes everything, raw HTML is off


def published_page(slug: str) -> InfoPage | None:
    return InfoPage.objects.filter(slug=slug, is_published=True).first()


def shown(page: InfoPage) -> ShownInfoPage:
    """The page in the active language; Chinese falls back to English where not written."""
    chinese = _is_chinese()
    return ShownInfoPage(
        slug=page.slug,
        title=(page.title_zh if chinese and page.title_zh else page.title),
        summary=(page.summary_zh if chinese and page.summary_zh else page.summary),
        body_html=render_body(page.body_zh if chinese and page.body_zh else page.body),
        updated_at=page.updated_at,
    )


@dataclass(frozen=True)
class ShippingOption:
    name: str
    carrier: str
    transit_days: int
    fees: list[tuple]  # (from amount, fee), excl. VAT
    per_thousand_pieces: object
    free_from: object


def shipping_options() -> list[ShippingOption]:
    """The active shipping methods as checkout charges them (shown on the shipping page)."""
    from orders.models import ShippingMethod

    methods = ShippingMethod.objects.filter(is_active=True).prefetch_related("rates")
    return [
        ShippingOption(
            name=method.name,
            carrier=method.carrier,
            transit_days=method.transit_days,
            fees=[(rate.min_amount, rate.fee) for rate in method.rates.all()],
            per_thousand_pieces=method.fee_per_thousand_pieces,
            free_from=method.free_shipping_threshold,
        )
        for method in methods
    ]
