from django.core.cache import cache
from django.db.models import Count
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static

from catalog import selectors
from catalog.models import Category, Manufacturer


def home(request):
    categories = (
        Category.objects.filter(depth=0)
        .annotate(part_count=Count("parts"))
        .order_by("position", "name")
    )
    leaf_categories = (
        Category.objects.annotate(part_count=Count("parts"))
        .filter(part_count__gt=0)
        .order_by("-part_count")[:24]
    )
    manufacturers = Manufacturer.objects.annotate(part_count=Count("parts")).order_by(
        "-part_count"
    )[:12]
    return render(
        request,
        "shop/home.html",
        {
            "root_categories": categories,
            "categories": leaf_categories,
            "manufacturers": manufacturers,
        },
    )


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")


def llms_txt(request):
    """/llms.txt: what the store is and how an assistant should read it (llmstxt.org)."""
    text = cache.get("llms.txt")
    if text is None:
        text = render_to_string("llms.txt", selectors.llms_overview(), request=request)
        cache.set("llms.txt", text, 3600)
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is an SVG among the static files."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
