"""Sitemap index and sections, with conditional GETs so crawlers re-fetch only what changed."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import languages, sitemaps

XML = "application/xml; charset=utf-8"


def _stamp(moment) -> int:
    return int(moment.timestamp())


def _conditional(response, request, last_modified: int, etag: str):
    response["Last-Modified"] = http_date(last_modified)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=900"
    return response


def sitemap_index(request):
    entries = sitemaps.sitemap_index_entries()
    last_modified = max((_stamp(m) for _, m in entries if m), default=0)
    etag = f'"index-{last_modified}-{len(entries)}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, lastmod in entries:
        stamp = f"<lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>" if lastmod else ""
        lines.append(f"<sitemap><loc>{settings.SITE_URL}{path}</loc>{stamp}</sitemap>")
    lines.append("</sitemapindex>\n")
    response = HttpResponse("\n".join(lines), content_type=XML)
    return _conditional(response, request, last_modified, etag)


def sitemap_small_section(request, section: str):
    sitemap_class = sitemaps.small_section(section)
    if sitemap_class is None:
        raise Http404("No such sitemap section")
    response = sitemap_views.sitemap(request, sitemaps={section: sitemap_class})
    response.render()
    last_modified = max((_stamp(m) for _, m in sitemaps.sitemap_index_entries() if m), default=0)
    etag = f'"{section}-{last_modified}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    return _conditional(response, request, last_modified, etag)


def sitemap_part_section(request, section: int, language: str | None = None):
    if language is not None and (
        language not in languages.language_codes() or language == languages.default_language()
    ):
        raise Http404("No such sitemap section")
    language = language or languages.default_language()
    lastmod = sitemaps.part_section_lastmod(section)
    if lastmod is None:
        raise Http404("No such sitemap section")
    last_modified = _stamp(lastmod)
    etag = f'"parts-{section}-{language}-{last_modified}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    response = StreamingHttpResponse(
        sitemaps.iter_part_section_xml(section, site_url=settings.SITE_URL, language=language),
        content_type=XML,
    )
    return _conditional(response, request, last_modified, etag)


def indexnow_key(request, key: str):
    """The key file that proves to IndexNow engines that the submitter owns the site."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404("No such file")
    return HttpResponse(settings.INDEXNOW_KEY, content_type="text/plain; charset=utf-8")
