"""The store's two languages in URLs: English unprefixed, every other language under
``/<code>/`` (``/zh-hans/part/...``), as ``i18n_patterns(prefix_default_language=False)``
serves them. Plain path arithmetic, so code that builds paths by hand (part URLs, sitemaps
streamed from ``values_list``) localises them without resolving or reversing."""

from django.conf import settings
from django.utils import translation

# hreflang / og:locale names of the languages in settings.LANGUAGES.
HREFLANG = {"en": "en", "zh-hans": "zh-Hans"}
OG_LOCALE = {"en": "en_US", "zh-hans": "zh_CN"}


def default_language() -> str:
    return settings.LANGUAGE_CODE


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def current_language() -> str:
    language = translation.get_language() or default_language()
    return language if language in language_codes() else default_language()


def prefix(language: str | None = None) -> str:
    """'' for English, '/zh-hans' for Chinese."""
    language = language or current_language()
    return "" if language == default_language() else f"/{language}"


def strip_prefix(path: str) -> tuple[str | None, str]:
    """(language named by the path's prefix or None, the path without it)."""
    for code in language_codes():
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code, path[len(code) + 1:] or "/"
    return None, path


def localize(path: str, language: str | None = None) -> str:
    """The path of the same page in ``language`` (default: the active one)."""
    return prefix(language) + strip_prefix(path)[1]


def alternates(path: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of the page in every language, then x-default (English)."""
    bare = strip_prefix(path)[1]
    links = [(HREFLANG.get(code, code), settings.SITE_URL + localize(bare, code))
             for code in language_codes()]
    links.append(("x-default", settings.SITE_URL + bare))
    return links
