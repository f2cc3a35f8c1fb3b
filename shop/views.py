from django.db.models import Count
from django.shortcuts import render

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
