"""Catalog pages: thin views over catalog.selectors, with canonical URLs and 304s."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import languages, listing, page_cache, part_frame, selectors, seo
from .models import Manufacturer, Part, normalize_mpn

PAGE_CACHE_SECONDS = 3600


def _part_stamp(part: Part) -> tuple:
    """What the part page shows changes only when one of these does."""
    stock = getattr(part, "stock", None)
    return (
        part.pk,
        part.page_changed_at.timestamp(),
        part.updated_at.timestamp(),
        stock.updated_at.timestamp() if stock else 0,
        part.offers_changed_at.timestamp() if part.offers_changed_at else 0,
    )


def _last_modified(part: Part) -> int:
    """Whole seconds, as HTTP dates carry them."""
    return int(max(_part_stamp(part)[1:]))


def _etag(stamp: tuple, request, variant: str) -> str:
    """``request`` None: the anonymous visitor's."""
    viewer = "anon"
    if request is not None and request.user.is_authenticated:
        viewer = request.user.pk
    language = languages.current_language()
    raw = (
        f"{stamp}|{viewer}|{variant}|{language}|{settings.SHOP_CURRENCY}|{settings.SHOP_VAT_RATE}"
    )
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def _resolve_part(request, manufacturer: str, mpn: str):
    """The part and the canonical URL for a request, or a response (301 or 404) instead."""
    normalized = normalize_mpn(mpn)
    part = selectors.part_for_page(manufacturer_slug=manufacturer, normalized_mpn=normalized)
    if part is None:
        slug = selectors.manufacturer_slug_for(manufacturer)
        if slug and slug != manufacturer:
            part = selectors.part_for_page(manufacturer_slug=slug, normalized_mpn=normalized)
        elif slug is None:
            candidates = selectors.parts_with_mpn(normalized)
            if len(candidates) == 1:
                return None, HttpResponsePermanentRedirect(candidates[0].get_absolute_url())
    if part is None:
        return None, part_not_found(request, mpn)
    return part, None


def part_not_found(request, asked: str) -> HttpResponse:
    suggestions = selectors.parts_like_mpn(normalize_mpn(asked))
    response = render(
        request,
        "catalog/part_not_found.html",
        {"asked": asked, "suggestions": suggestions, "noindex": True},
        status=404,
    )
    return response


def part_by_sku(request, sku: str):
    part = get_object_or_404(Part.objects.select_related("manufacturer"), sku=sku.upper())
    return HttpResponsePermanentRedirect(part.get_absolute_url())


def part_detail(request, manufacturer: str, mpn: str):
    part, response = _resolve_part(request, manufacturer, mpn)
    if response:
        return response
    canonical = part.get_absolute_url()
    if request.path != canonical:
        return HttpResponsePermanentRedirect(canonical)
    # For the behaviour-events hook that runs after the view (shop settings wire it).
    request.event_details = {"part_id": part.pk}

    stamp = _part_stamp(part)
    etag = _etag(stamp, request, "html")
    last_modified = _last_modified(part)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _part_page_headers(request, not_modified, part, etag, last_modified)

    # The same bytes for every visitor: kept by address (catalog/page_cache.py) for the
    # anonymous re-reads; an address with a query string by the part's change stamps.
    by_address = not request.META.get("QUERY_STRING")
    anonymous_etag = _etag(stamp, None, "html")
    if by_address:
        entry = page_cache.recall(request.path)
        body = entry["body"] if entry and entry["etag"] == anonymous_etag else None
    else:
        key = _page_key(stamp, request)
        body = cache.get(key)
    if body is None:
        body = _render_part_page(request, part, canonical)
        if by_address:
            page_cache.remember(
                request.path, part_id=part.pk, etag=anonymous_etag,
                last_modified=last_modified, body=body,
            )
        else:
            cache.set(key, body, PAGE_CACHE_SECONDS)
    return _part_page_headers(request, HttpResponse(body), part, etag, last_modified)


def cached_part_page(request, manufacturer: str, mpn: str) -> HttpResponse | None:
    """An anonymous part page answered from the page cache (or a 304) before the session,
    authentication, messages and CSRF middleware run: one cache read by address
    (catalog/page_cache.py), or, when that has expired, one query for the part's change
    stamps (and a render of the page for them). None when the page must go the
    whole way (not the canonical URL: a redirect or a 404). A page not rendered yet is
    rendered here: it needs neither session nor user.

    shop.middleware.PartPageCacheMiddleware calls it for a GET without a session cookie;
    the headers it adds here are the ones the inner middleware would add
    (tests/shop/test_part_page_cache.py compares the two ways)."""
    by_address = not request.META.get("QUERY_STRING")
    # shop.kept_pages has just asked the cache for this address and found nothing.
    asked = request.META.get(page_cache.NOT_KEPT) == request.path
    entry = page_cache.recall(request.path) if by_address and not asked else None
    if entry is None:
        part = selectors.part_for_page(
            manufacturer_slug=manufacturer, normalized_mpn=normalize_mpn(mpn)
        )
        if part is None or request.path != part.get_absolute_url():
            return None
        stamp = _part_stamp(part)
        entry = {
            "part_id": part.pk,
            "etag": _etag(stamp, None, "html"),
            "last_modified": _last_modified(part),
            "body": None,
        }
        not_modified = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"]
        )
        if not_modified is None:
            key = _page_key(stamp, request)
            entry["body"] = None if by_address else cache.get(key)
            if entry["body"] is None:
                # A first read (a crawler's walk): rendered here, as part_detail renders it.
                entry["body"] = _render_part_page(request, part, part.get_absolute_url())
                if by_address:
                    page_cache.remember(request.path, **entry)
                else:
                    cache.set(key, entry["body"], PAGE_CACHE_SECONDS)
    etag, last_modified = entry["etag"], entry["last_modified"]
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(entry["body"])
    response = _cache_headers(request, response, [f"part-{entry['part_id']}"], anonymous=True)
    for name, value in kept_page_headers(entry):
        response[name] = value
    if languages.strip_prefix(request.path_info)[0] is None:
        patch_vary_headers(response, ["Accept-Language", "Cookie"])  # LocaleMiddleware's
    response.headers.setdefault("Content-Language", languages.current_language())
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    if not response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    request.event_details = {"part_id": entry["part_id"]}
    return response


def kept_page_headers(entry: dict) -> list[tuple[str, str]]:
    """The headers of a kept part page (catalog/page_cache.py) that differ from one part to
    another; the others are the same for every anonymous part page in a language
    (shop.kept_pages answers with them in front of Django)."""
    keys = f"part-{entry['part_id']}"
    return [
        ("ETag", entry["etag"]),
        ("Last-Modified", http_date(entry["last_modified"])),
        ("xkey", keys),
        ("Surrogate-Key", keys),
    ]


def _page_key(stamp: tuple, request) -> str:
    """One cached page per part change, language and address (the language switch names
    the query string); the same for every visitor: the header's cart and account come from
    /header-state/ (static/js/header-state.js), not from the page."""
    raw = (
        f"{stamp}|{request.get_full_path()}|{settings.SHOP_CURRENCY}|{settings.SHOP_VAT_RATE}"
    )
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    return f"part-page:v3:{languages.current_language()}:{digest}"


def _render_part_page(request, part: Part, canonical: str) -> bytes:
    data = selectors.part_page_data(part)
    image_urls = [request.build_absolute_uri(image.image.url) for image in data.images]
    context = {
        "data": data,
        "part": part,
        "jsonld": [
            seo.part_jsonld(data, image_urls=image_urls),
            seo.breadcrumb_jsonld(_breadcrumb_items(data)),
        ],
        "title": seo.part_title(data),
        "meta_description": seo.part_meta_description(data),
        "canonical_url": seo.absolute(canonical),
        "image_url": image_urls[0] if image_urls else "",
        "ladder_json": [[pb.min_quantity, str(pb.unit_price)] for pb in data.main_ladder],
        "reel_json": _reel_json(data),
        "vat_micro": int(settings.SHOP_VAT_RATE * 1_000_000),
        "box_words": _box_words(),
    }
    return part_frame.render(request, context).encode()


def _part_page_headers(request, response, part, etag: str, last_modified: int):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return _cache_headers(request, response, [f"part-{part.pk}"])


def _cache_headers(request, response, keys: list[str], *, anonymous: bool = False):
    """How shared caches may keep a catalog page: an anonymous page that sets no cookie is
    kept ``s-maxage`` seconds (served stale while refetched for ``stale-while-revalidate``
    more) and tagged with surrogate keys, so a change purges exactly its pages; anything
    else is one visitor's and stays private (shop.middleware.PrivatePagesMiddleware)."""
    patch_vary_headers(response, ["Cookie"])
    if (not anonymous and request.user.is_authenticated) or response.cookies:
        response["Cache-Control"] = "private, no-store"
        return response
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.HTTP_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.HTTP_CACHE_STALE_WHILE_REVALIDATE}"
    )
    response["xkey"] = " ".join(keys)
    response["Surrogate-Key"] = " ".join(keys)
    return response


def _box_words() -> dict:
    """The quantity box's sentences in the page's language, for static/js/part.js to fill in
    (the same wording the server uses for the first price it shows)."""
    return {
        "line": _("%(quantity)s × %(price)s = %(currency)s %(net)s (%(gross)s incl. VAT)"),
        "reels_one": ngettext(
            "%(reels)s full reel + %(rest)s %(kind)s",
            "%(reels)s full reels + %(rest)s %(kind)s",
            1,
        ),
        "reels_many": ngettext(
            "%(reels)s full reel + %(rest)s %(kind)s",
            "%(reels)s full reels + %(rest)s %(kind)s",
            2,
        ),
        "save": _("%(label)s: save %(currency)s %(saving)s"),
        "rounded": _("Rounded up to the minimum order and order multiple."),
        "beyond": _(
            "%(available)s available now. Request a quote for %(quantity)s and we source "
            "the rest."
        ),
        "hint": _("Enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k."),
        "not_positive": _("The quantity must be at least 1."),
        "fraction": _(
            "%(text)s is not a whole number of pieces; enter e.g. %(lower)s or %(upper)s."
        ),
    }


def _reel_json(data) -> dict | None:
    """The full-reel ladder the quantity box offers splits from (static/js/part.js)."""
    option, ladder = data.reel_ladder
    if option is None:
        return None
    return {
        "size": option.reel_quantity,
        "ladder": [[pb.min_quantity, str(pb.unit_price)] for pb in ladder],
        "rest": data.main_option.get_kind_display().lower(),
    }


def _breadcrumb_items(data) -> list[tuple[str, str]]:
    prefix = languages.prefix()
    items = [(_("Home"), f"{prefix}/")]
    items += [(crumb.display_name, f"{prefix}/c/{crumb.path}/") for crumb in data.breadcrumbs]
    items.append((data.part.mpn, data.part.get_absolute_url()))
    return items


def _alternate_response(request, manufacturer: str, mpn: str, fmt: str):
    part, response = _resolve_part(request, manufacturer, mpn)
    if response:
        return None, None, response
    canonical = f"{part.get_absolute_url().rstrip('/')}.{fmt}"
    if request.path != canonical:
        return None, None, HttpResponsePermanentRedirect(canonical)
    etag = _etag(_part_stamp(part), request, fmt)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=_last_modified(part)
    )
    if not_modified is not None:
        return None, None, not_modified
    return part, etag, None


def _finish(response, part, etag):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(_last_modified(part))
    response["Link"] = f'<{seo.absolute(part.get_absolute_url())}>; rel="canonical"'
    return response


def part_json(request, manufacturer: str, mpn: str):
    part, etag, response = _alternate_response(request, manufacturer, mpn, "json")
    if response:
        return response
    data = selectors.part_page_data(part)
    payload = selectors.part_document(data)
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return _finish(response, part, etag)


def part_markdown(request, manufacturer: str, mpn: str):
    part, etag, response = _alternate_response(request, manufacturer, mpn, "md")
    if response:
        return response
    data = selectors.part_page_data(part)
    text = render_to_string("catalog/part_detail.md", {"data": data, "part": part}, request=request)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    return _finish(response, part, etag)


# --- Category and manufacturer pages -------------------------------------------------------


def _listing_etag(request, stamp: str) -> str:
    viewer = request.user.pk if request.user.is_authenticated else "anon"
    raw = f"{request.get_full_path()}|{stamp}|{viewer}|{languages.current_language()}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def _page_url(base: str, page_number: int) -> str:
    return base if page_number <= 1 else f"{base}?page={page_number}"


def _finish_listing(request, response, etag: str, last_modified: int, key: str):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return _cache_headers(request, response, [key])


def category_detail(request, path: str):
    category = listing.category_by_path(path)
    if category is None:
        raise Http404("No such category")
    prefix = languages.prefix()
    canonical_base = f"{prefix}/c/{category.path}/"
    if request.path != canonical_base:
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(canonical_base + (f"?{query}" if query else ""))
    request.event_details = {"category_id": category.pk}

    subtree = listing.category_subtree(category)
    children, changed_at = subtree.children, subtree.changed_at
    last_modified = int(changed_at.timestamp())
    etag = _listing_etag(request, str(changed_at.timestamp()))
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified

    definitions = list(category.parameters.all())
    query = listing.parse_listing_query(request.GET, definitions)
    key_definitions = [d for d in definitions if d.is_key]
    result, facets = listing.category_listing(category, subtree, query, key_definitions)
    breadcrumbs = selectors.category_breadcrumbs(category)
    crumb_items = [(_("Home"), f"{prefix}/")] + [
        (c.display_name, f"{prefix}/c/{c.path}/") for c in breadcrumbs
    ]
    page_number = result.page.number
    context = {
        "category": category,
        "children": children,
        "breadcrumbs": breadcrumbs,
        "definitions": definitions,
        "key_definitions": key_definitions,
        "package_is_key": any(d.key == "package" for d in key_definitions),
        "query": query,
        "result": result,
        "facets": facets,
        "choice_definitions": [
            (d, facets["choices"].get(d.pk, [])) for d in definitions if d.kind == "choice"
        ],
        "range_filters": query.ranges,
        "canonical_url": seo.absolute(_page_url(canonical_base, page_number)),
        "noindex": query.is_filtered or query.sort != "mpn",
        "jsonld": seo.breadcrumb_jsonld(crumb_items),
        "querystring_without_page": _querystring_without(request.GET, "page"),
        "filter_base": _sort_base(request.GET),
    }
    response = render(request, "catalog/category_detail.html", context)
    return _finish_listing(request, response, etag, last_modified, f"category-{category.pk}")


def manufacturer_detail(request, slug: str):
    manufacturer = Manufacturer.objects.filter(slug=slug.lower()).first()
    if manufacturer is None:
        resolved = selectors.manufacturer_slug_for(slug)
        if resolved:
            return HttpResponsePermanentRedirect(f"{languages.prefix()}/m/{resolved}/")
        raise Http404("No such manufacturer")
    prefix = languages.prefix()
    canonical_base = f"{prefix}/m/{manufacturer.slug}/"
    if request.path != canonical_base:
        return HttpResponsePermanentRedirect(canonical_base)

    changed_at = listing.manufacturer_last_change(manufacturer)
    last_modified = int(changed_at.timestamp())
    etag = _listing_etag(request, str(changed_at.timestamp()))
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified

    query = listing.parse_listing_query(request.GET, [])
    parts = listing.apply_listing_query(
        Part.objects.filter(manufacturer=manufacturer), query, []
    )
    categories = selectors.manufacturer_categories(manufacturer)
    total = sum(c["count"] for c in categories) if len(categories) < 50 else None
    result = listing.listing_page(parts, query, [], total=total)
    page_number = result.page.number
    context = {
        "manufacturer": manufacturer,
        "categories": categories,
        "query": query,
        "result": result,
        "canonical_url": seo.absolute(_page_url(canonical_base, page_number)),
        "noindex": query.is_filtered or query.sort != "mpn",
        "jsonld": seo.breadcrumb_jsonld(
            [
                (_("Home"), f"{prefix}/"),
                (_("Manufacturers"), f"{prefix}/m/"),
                (manufacturer.name, canonical_base),
            ]
        ),
        "querystring_without_page": _querystring_without(request.GET, "page"),
        "filter_base": _sort_base(request.GET),
    }
    response = render(request, "catalog/manufacturer_detail.html", context)
    return _finish_listing(
        request, response, etag, last_modified, f"manufacturer-{manufacturer.pk}"
    )


def manufacturer_list(request):
    manufacturers = selectors.manufacturers_with_counts()
    return render(request, "catalog/manufacturer_list.html", {"manufacturers": manufacturers})


def _querystring_without(params, *names: str) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _sort_base(params) -> str:
    """The query string that sort links extend: filters kept, sort and page dropped."""
    rest = _querystring_without(params, "sort", "page")
    return f"{rest}&" if rest else ""
