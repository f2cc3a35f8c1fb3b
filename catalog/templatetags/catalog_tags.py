import json
from decimal import Decimal

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.pricing import line_total, money_text, unit_price_text, with_vat

register = template.Library()


@register.filter
def unit_price(value: Decimal | None) -> str:
    """A unit price with at least 2 and at most 6 decimals: 0.012000 -> 0.012, 1.5 -> 1.50."""
    return "" if value is None else unit_price_text(value)


@register.filter
def unit_price_vat(value: Decimal | None) -> str:
    if value is None:
        return ""
    return unit_price(with_vat(Decimal(value)).quantize(Decimal("0.000001")))


@register.filter
def money(value: Decimal | None) -> str:
    return "" if value is None else money_text(value)


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A JSON-LD script element, escaped like json_script so text cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def extended_price(price_break) -> str:
    """Price of buying exactly the break's minimum quantity, rounded once."""
    return money(line_total(price_break.unit_price, price_break.min_quantity))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if mapping else ()
