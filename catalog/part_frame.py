"""The part page rendered as its own head and main inside a frame kept per language.

Everything of ``catalog/part_detail.html`` but the part's head (``_part_head.html``) and main
(``_part_main.html``) is the same on every part page of a language: the header, the search
box, the account links, the footer. Only the page's address shows in it: the canonical and
hreflang links, the language switch and the sign-in link's ``next``. That frame is rendered
once per process and language for a stand-in address, and a first render of a part page
renders only its head and main and puts them and its address into the frame. That saves
about 40 % of the template's work, and a crawler's walk is made of first renders.

A page the frame cannot stand in for is rendered whole: an address with a query string, or
one that HTML escaping or URL encoding would change. Both ways give the same bytes
(tests/catalog/test_part_frame.py).
"""

from __future__ import annotations

import copy
import re
from urllib.parse import quote_plus

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.template import Context, engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

PAGE = "catalog/part_detail.html"
HEAD = "catalog/_part_head.html"
MAIN = "catalog/_part_main.html"

# What the frame is rendered with in place of a part's head and main, and of the part's
# address after "/part/" (manufacturer slug / MPN slug).
_HEAD_MARK = "\x00partline-part-head\x00"
_MAIN_MARK = "\x00partline-part-main\x00"
_STAND_IN = "zz-partline-frame/zz-frame-part"

# An address that HTML escaping and ``|urlencode`` leave as it is, and that ``quote_plus``
# changes only at its one slash (the language switch's ``next`` shows it as %2F).
_PLAIN = re.compile(r"[0-9A-Za-z._-]+/[0-9A-Za-z._-]+")

_PIECES = re.compile(
    "(" + "|".join(re.escape(mark) for mark in (
        _HEAD_MARK, _MAIN_MARK, _STAND_IN, quote_plus(_STAND_IN),
    )) + ")"
)
_KINDS = {_HEAD_MARK: "head", _MAIN_MARK: "main", _STAND_IN: "address",
          quote_plus(_STAND_IN): "encoded address"}

#: (language, the address up to "/part/") -> the frame as (text, kind of what follows) pairs.
_frames: dict[tuple[str, str], list[tuple[str, str]]] = {}


@receiver(setting_changed)
def _forget_frames(**kwargs) -> None:
    """The frame shows settings (the store's name, SITE_URL, STATIC_URL): a changed setting
    (override_settings in a test) renders it again."""
    _frames.clear()


def render(request, context: dict) -> str:
    """The part page for ``context`` (what ``catalog.views`` gives part_detail.html), for
    ``request``, whose path is the part's canonical address."""
    engine = engines["django"].engine
    shared = {}
    for processor in engine.template_context_processors:
        shared.update(processor(request))
    flat = Context({**shared, **context}, autoescape=engine.autoescape)
    head = engine.get_template(HEAD).render(flat)
    main = engine.get_template(MAIN).render(flat)
    start, marker, address = request.path.partition("/part/")
    address = address.removesuffix("/")
    if (
        marker
        and not request.META.get("QUERY_STRING")
        and _PLAIN.fullmatch(address)
        and context.get("canonical_url") == settings.SITE_URL + request.path
    ):
        return _fill(_frame(request, start), head=head, main=main, address=address)
    return whole(request, context, head, main)


def whole(request, context: dict, head: str, main: str) -> str:
    """part_detail.html rendered around a head and main already rendered."""
    page_context = {
        **context,
        "part_head": mark_safe(head),  # noqa: S308 - rendered by the autoescaping templates
        "part_main": mark_safe(main),  # noqa: S308
    }
    return engines["django"].get_template(PAGE).render(page_context, request)


def _fill(frame: list[tuple[str, str]], **shown: str) -> str:
    shown["encoded address"] = quote_plus(shown["address"])
    return "".join(text + shown.get(kind, "") for text, kind in frame)


def _frame(request, start: str) -> list[tuple[str, str]]:
    key = (get_language(), start)
    frame = _frames.get(key)
    if frame is None:
        stand_in = copy.copy(request)
        stand_in.path = stand_in.path_info = f"{start}/part/{_STAND_IN}/"
        stand_in.GET = QueryDict()
        stand_in.META = {**request.META, "QUERY_STRING": ""}
        text = whole(
            stand_in, {"canonical_url": settings.SITE_URL + stand_in.path},
            _HEAD_MARK, _MAIN_MARK,
        )
        parts = _PIECES.split(text)
        # split() alternates text and the mark that followed it; the last text has none.
        frame = [(parts[i], _KINDS[parts[i + 1]]) for i in range(0, len(parts) - 1, 2)]
        frame.append((parts[-1], ""))
        _frames[key] = frame
    return frame
