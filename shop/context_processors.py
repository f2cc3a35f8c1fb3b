from urllib.parse import urlencode

from django.conf import settings

from catalog import languages


def store(request):
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "SITE_URL": settings.SITE_URL,
        "SHOP_CURRENCY": settings.SHOP_CURRENCY,
        "SHOP_VAT_RATE": settings.SHOP_VAT_RATE,
    }


def language(request):
    """The page's language for the head (lang, hreflang, og:locale), the prefix hand-written
    links start with, and the header's language switch."""
    current = languages.current_language()
    path = request.path if request is not None else "/"
    page = request.GET.get("page") if request is not None else None
    suffix = f"?{urlencode({'page': page})}" if page and page != "1" else ""
    full_path = request.get_full_path() if request is not None else "/"
    bare = languages.strip_prefix(path)[1]
    switch = [
        {
            "code": code,
            "name": name,
            "hreflang": languages.HREFLANG.get(code, code),
            "current": code == current,
            "url": f"/language/{code}/?{urlencode({'next': full_path})}",
            "home_url": f"/language/{code}/",
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "LANG_PREFIX": languages.prefix(current),
        "HTML_LANG": languages.HREFLANG.get(current, current),
        "OG_LOCALE": languages.OG_LOCALE.get(current, "en_US"),
        "page_url": settings.SITE_URL + path + suffix,
        "bare_path": bare,
        "hreflang_links": [(lang, url + suffix) for lang, url in languages.alternates(path)],
        "language_switch": switch,
    }
