"""Sitemaps for millions of parts.

Django's sitemaps framework serves the small sections (categories, manufacturers). Parts
are split into sections by id range: section k holds the parts with id in
[k·50,000, (k+1)·50,000), so a part never moves between sections and a section never holds
more than 50,000 URLs. The index needs one GROUP BY for every section's lastmod, and a
section is one primary-key range scan streamed to the client: no OFFSET, no per-item
lastmod loop, no list of a million rows in memory.

Every page exists in English (unprefixed) and Chinese (``/zh-hans/``), and every sitemap
entry links its language versions with ``xhtml:link rel=alternate hreflang`` (en, zh-Hans,
x-default = English). The small sections list both languages in one file (Django's
``i18n``); a part section is served once per language (``sitemap-parts-<k>.xml`` in English,
``sitemap-parts-<k>-zh-hans.xml``), so each stays within 50,000 URLs and the index keeps
its single GROUP BY.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.db.models import CharField, F, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse

from . import languages
from .models import Category, Manufacturer, Part, mpn_slug

PARTS_PER_SECTION = 50_000
INDEX_CACHE_SECONDS = 900
INDEX_CACHE_KEY = "sitemap-index:languages"
STREAM_CHUNK = 5_000


class StoreSitemap(Sitemap):
    """URLs on SITE_URL, whatever host the crawler asked through, in every language.

    A subclass returns from ``location()`` the path in the active language (``reverse()``
    of an i18n_patterns URL, or ``languages.localize(path)``): Django calls it once per
    language under ``translation.override`` and links the versions as alternates, named by
    their hreflang (``zh-Hans``) here.
    """

    limit = PARTS_PER_SECTION // 2  # each item is listed once per language
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            for alternate in url.get("alternates", []):
                code = alternate["lang_code"]
                alternate["lang_code"] = languages.HREFLANG.get(code, code)
        return urls

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class CategorySitemap(StoreSitemap):
    changefreq = "daily"

    def items(self):
        latest = Part.objects.filter(category=OuterRef("pk")).order_by("-page_changed_at")
        return Category.objects.annotate(
            latest_part=Subquery(latest.values("page_changed_at")[:1])
        ).order_by("id")

    def location(self, category: Category) -> str:
        return reverse("catalog:category", kwargs={"path": category.path})

    def lastmod(self, category: Category) -> datetime:
        return max(filter(None, [category.updated_at, category.latest_part]))


class ManufacturerSitemap(StoreSitemap):
    changefreq = "weekly"

    def items(self):
        latest = Part.objects.filter(manufacturer=OuterRef("pk")).order_by("-page_changed_at")
        return Manufacturer.objects.annotate(
            latest_part=Subquery(latest.values("page_changed_at")[:1])
        ).order_by("id")

    def location(self, manufacturer: Manufacturer) -> str:
        return reverse("catalog:manufacturer", kwargs={"slug": manufacturer.slug})

    def lastmod(self, manufacturer: Manufacturer) -> datetime:
        return max(filter(None, [manufacturer.updated_at, manufacturer.latest_part]))


SMALL_SECTIONS = {"categories": CategorySitemap, "manufacturers": ManufacturerSitemap}
# Sections of pages other apps serve (the store's help pages), added by those apps when they
# load (their AppConfig.ready): name → (sitemap class, the latest change of its pages).
OTHER_SECTIONS: dict[str, tuple[type[StoreSitemap], Callable[[], datetime | None]]] = {}


def add_section(name: str, sitemap: type[StoreSitemap], lastmod: Callable[[], datetime | None]):
    """List another app's pages in the sitemap index as /sitemap-<name>.xml."""
    OTHER_SECTIONS[name] = (sitemap, lastmod)


def small_section(name: str) -> type[StoreSitemap] | None:
    if name in SMALL_SECTIONS:
        return SMALL_SECTIONS[name]
    return OTHER_SECTIONS[name][0] if name in OTHER_SECTIONS else None


def part_sections() -> list[tuple[int, datetime]]:
    """(section number, lastmod) for every non-empty part section, in one aggregate query."""
    bucket = Cast(F("id") / PARTS_PER_SECTION, IntegerField())
    rows = (
        Part.objects.order_by()
        .annotate(section=bucket)
        .values("section")
        .annotate(lastmod=Max("page_changed_at"))
        .order_by("section")
        .values_list("section", "lastmod")
    )
    return list(rows)


def sitemap_index_entries() -> list[tuple[str, datetime | None]]:
    """(path, lastmod) of every sitemap section; cached, since it aggregates all parts."""
    entries = cache.get(INDEX_CACHE_KEY)
    if entries is None:
        entries = []
        latest_part = Part.objects.aggregate(m=Max("page_changed_at"))["m"]
        for name, model in (("categories", Category), ("manufacturers", Manufacturer)):
            stamps = [model.objects.aggregate(m=Max("updated_at"))["m"], latest_part]
            if stamps[0]:
                entries.append((f"/sitemap-{name}.xml", max(filter(None, stamps))))
        for name, (_sitemap, lastmod) in OTHER_SECTIONS.items():
            if stamp := lastmod():
                entries.append((f"/sitemap-{name}.xml", stamp))
        for n, stamp in part_sections():
            entries += [(part_section_path(n, code), stamp) for code in languages.language_codes()]
        cache.set(INDEX_CACHE_KEY, entries, INDEX_CACHE_SECONDS)
    return entries


def part_section_bounds(section: int) -> tuple[int, int]:
    return section * PARTS_PER_SECTION, (section + 1) * PARTS_PER_SECTION


def part_section_lastmod(section: int) -> datetime | None:
    low, high = part_section_bounds(section)
    return Part.objects.filter(id__gte=low, id__lt=high).aggregate(m=Max("page_changed_at"))["m"]


def part_section_path(section: int, language: str) -> str:
    suffix = "" if language == languages.default_language() else f"-{language}"
    return f"/sitemap-parts-{section}{suffix}.xml"


def iter_part_section_xml(
    section: int, *, site_url: str, language: str | None = None
) -> Iterator[str]:
    """The section's XML in one language, streamed in chunks from a primary-key range scan,
    each URL with its alternates in every language.

    The database hands over each lastmod as a ready 'YYYY-MM-DD' string (parsing 50,000
    timestamps would be most of the work), and slugs are XML-safe by construction
    (SlugField, mpn_slug), so only the site URL is escaped, once.
    """
    language = language or languages.default_language()
    low, high = part_section_bounds(section)
    rows = (
        Part.objects.filter(id__gte=low, id__lt=high)
        .order_by("id")
        .annotate(lastmod=Cast(TruncDate("page_changed_at", tzinfo=UTC), CharField()))
        .values_list("manufacturer__slug", "mpn", "lastmod")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    )
    site = escape(site_url)
    loc = f"<url><loc>{site}{languages.prefix(language)}/part/"
    links = [
        (f'<xhtml:link rel="alternate" hreflang="{hreflang}" href="', url[: -len("/")])
        for hreflang, url in languages.alternates("/")
    ]
    links = [(opening, escape(url)) for opening, url in links]
    buffer: list[str] = []
    for maker_slug, mpn, lastmod in rows:
        tail = f"/part/{maker_slug}/{mpn_slug(mpn)}/"
        alternates = "".join(f'{opening}{base}{tail}"/>' for opening, base in links)
        buffer.append(
            f"{loc}{maker_slug}/{mpn_slug(mpn)}/</loc><lastmod>{lastmod}</lastmod>"
            f"{alternates}</url>\n"
        )
        if len(buffer) >= 1000:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)
    yield "</urlset>\n"
