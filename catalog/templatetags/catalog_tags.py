import hashlib
import json
from decimal import Decimal

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from catalog.languages import prefix
from catalog.listing import StampedRows
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


def outline_url(package: str) -> str:
    from urllib.parse import quote

    from django.urls import reverse

    from catalog.views_outlines import OUTLINE_VERSION

    url = reverse("catalog:outline", kwargs={"package": "~"}).replace("~", quote(package, safe="/"))
    return f"{url}?v={OUTLINE_VERSION}"


@register.simple_tag
def part_thumbnail(part, size: int = 48) -> str:
    """A listing row's picture: the photo's thumbnail (annotated by
    listing.with_listing_columns, no query) or else the package outline."""
    from django.core.files.storage import default_storage
    from django.utils.translation import gettext

    name = getattr(part, "thumbnail_name", None)
    if name:
        src, alt = default_storage.url(name), gettext("Photo: %(mpn)s") % {"mpn": part.mpn}
    elif part.package:
        src = outline_url(part.package)
        alt = gettext("Package outline: %(package)s") % {"package": part.package}
    else:
        return ""
    return format_html(
        '<img class="part-thumb" src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
        'decoding="async" translate="no">',
        src, alt, size, size,
    )


@register.simple_tag
def part_picture(part, images) -> str:
    """The part page's picture: the photo (thumbnail at 1x, the upload at 2x) or else the
    package outline drawing."""
    from django.utils.translation import gettext

    image = images[0] if images else None
    if image is not None:
        small = image.thumbnail.url if image.thumbnail else image.image.url
        if not image.large:  # stored before the large size existed
            return format_html(
                '<img src="{}" srcset="{} 1x, {} 2x" alt="{}" width="240" height="240" '
                'class="part-photo" decoding="async">',
                small, small, image.image.url, image.alt or part.mpn,
            )
        # 240 and 720 px wide: a phone at 2x or 3x, and a laptop at 2x, take the large one.
        return format_html(
            '<img src="{}" srcset="{} 240w, {} 720w" sizes="(max-width: 600px) 80vw, 320px" '
            'alt="{}" width="320" height="320" class="part-photo" decoding="async">',
            image.large.url, small, image.large.url, image.alt or part.mpn,
        )
    if not part.package:
        return format_html('<div class="no-image" aria-hidden="true">—</div>')
    return format_html(
        '<img src="{}" alt="{}" width="240" height="240" class="part-outline">',
        outline_url(part.package),
        gettext("Package outline: %(package)s") % {"package": part.package},
    )


#: What a listing row shows; its rendered HTML is cached under a digest of these values.
_ROW_FIELDS = (
    "pk", "mpn", "lifecycle", "description", "package", "key_texts", "available",
    "supplier_quantity", "supplier_lead_days", "price_one", "price_one_quantity",
    "price_volume", "price_volume_quantity", "thumbnail_name",
)
ROW_CACHE_SECONDS = 24 * 3600


@register.simple_tag
def listing_rows(rows, package_is_key) -> str:
    """The rows of a part table (catalog/_part_row.html). A row is rendered once for what it
    shows (its values, language and columns) and read back from the cache afterwards, so a
    page of 50 rows costs one cache read; a price or stock change is a different row.

    A category page's rows (``listing.StampedRows``) are first looked up by part and the
    category's stamp, before any part is read: the rows found are not read from the
    database at all. A change that moves the stamp (any part of the category shown
    differently) starts new keys; one that moves none (a manufacturer renamed) shows within
    ``CATALOG_PAGE_CACHE_SECONDS``, as a kept part page does."""
    context = (get_language(), prefix(), bool(package_is_key))
    if not isinstance(rows, StampedRows):
        return mark_safe("".join(_rendered_rows(rows, context, package_is_key)))  # noqa: S308
    shape = (context, rows.stamp, [definition.pk for definition in rows.key_definitions])
    base = hashlib.blake2b(repr(shape).encode(), digest_size=12).hexdigest()
    keys = {pk: f"listing-row-at:{base}:{pk}" for pk in rows.ids}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk in rows.ids if keys[pk] not in found]
    if missing:
        parts = rows.read(missing)
        fresh = dict(
            zip(
                (part.pk for part in parts),
                _rendered_rows(parts, context, package_is_key),
                strict=True,
            )
        )
        cache.set_many(
            {keys[pk]: html for pk, html in fresh.items()}, settings.CATALOG_PAGE_CACHE_SECONDS
        )
        found.update((keys[pk], html) for pk, html in fresh.items())
    # A part gone since the index was built has no row.
    return mark_safe("".join(found.get(keys[pk], "") for pk in rows.ids))  # noqa: S308


def _rendered_rows(rows, context: tuple, package_is_key) -> list[str]:
    """Each row's HTML, read back from the cache under a digest of what it shows, rendered
    (and kept) when not there."""
    keys = []
    for part in rows:
        shown = (context, part.manufacturer.name, part.manufacturer.slug) + tuple(
            getattr(part, name, None) for name in _ROW_FIELDS
        )
        digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
        keys.append(f"listing-row:{digest}")
    found = cache.get_many(keys) if keys else {}
    rendered, missing = [], {}
    template = None
    for part, key in zip(rows, keys, strict=True):
        html = found.get(key)
        if html is None:
            template = template or get_template("catalog/_part_row.html")
            html = missing[key] = template.render(
                {"part": part, "package_is_key": package_is_key}
            )
        rendered.append(html)
    if missing:
        cache.set_many(missing, ROW_CACHE_SECONDS)
    return rendered
