"""Structured data (schema.org JSON-LD) and meta text for catalog pages."""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Lifecycle
from .selectors import PartPageData

SCHEMA = "https://schema.org/"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def breadcrumb_jsonld(items: list[tuple[str, str]]) -> dict:
    """items: (name, path) root first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
            for i, (name, path) in enumerate(items, start=1)
        ],
    }


def part_availability(data: PartPageData) -> str:
    if data.stock_available > 0:
        return SCHEMA + "InStock"
    if data.supplier_quantity > 0:
        return SCHEMA + "BackOrder"
    if data.part.lifecycle in (Lifecycle.EOL, Lifecycle.OBSOLETE):
        return SCHEMA + "Discontinued"
    return SCHEMA + "OutOfStock"


def part_title(data: PartPageData) -> str:
    part = data.part
    return (
        f"{part.mpn} {part.manufacturer.name} | {part.category.display_name}"
        f" | {settings.SHOP_NAME}"
    )


def part_meta_description(data: PartPageData) -> str:
    part = data.part
    bits = [
        _("%(mpn)s by %(manufacturer)s")
        % {"mpn": part.mpn, "manufacturer": part.manufacturer.name}
    ]
    if part.description:
        bits.append(part.description)
    if data.stock_available:
        bits.append(
            _("%(count)s in stock, ships today")
            % {"count": number_format(data.stock_available, force_grouping=True)}
        )
    if data.one_piece_price is not None:
        bits.append(
            _("From %(currency)s %(price)s")
            % {
                "currency": settings.SHOP_CURRENCY,
                "price": data.main_ladder[-1].unit_price.normalize(),
            }
        )
    bits.append(_("datasheet, specs and price breaks"))
    # Chinese sentences end in "。" with no space; English ones in ". ".
    return pgettext("between sentences of a meta description", ". ").join(bits)[:300]


def part_jsonld(data: PartPageData, *, image_urls: list[str]) -> dict:
    part = data.part
    currency = settings.SHOP_CURRENCY
    offer: dict = {
        "@type": "Offer",
        "url": absolute(part.get_absolute_url()),
        "priceCurrency": currency,
        "availability": part_availability(data),
        "itemCondition": SCHEMA + "NewCondition",
        "seller": {"@type": "Organization", "name": settings.SHOP_NAME},
    }
    ladder = data.main_ladder
    if ladder:
        offer["price"] = str(ladder[0].unit_price.normalize())
        offer["priceSpecification"] = [
            {
                "@type": "UnitPriceSpecification",
                "price": str(price_break.unit_price.normalize()),
                "priceCurrency": currency,
                "eligibleQuantity": {
                    "@type": "QuantitativeValue",
                    "minValue": price_break.min_quantity,
                    "unitCode": "C62",
                },
            }
            for price_break in ladder
        ]
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": f"{part.mpn} {part.manufacturer.name}",
        "mpn": part.mpn,
        "sku": part.sku,
        "brand": {"@type": "Brand", "name": part.manufacturer.name},
        "category": " > ".join(crumb.display_name for crumb in data.breadcrumbs),
        "description": part.description or f"{part.mpn} {part.category.display_name}",
        "url": absolute(part.get_absolute_url()),
        "offers": offer,
    }
    if image_urls:
        product["image"] = image_urls
    if data.parameters:
        product["additionalProperty"] = [
            {
                "@type": "PropertyValue",
                "name": value.definition.display_name,
                "value": value.text,
            }
            for value in data.parameters
        ]
    return product
