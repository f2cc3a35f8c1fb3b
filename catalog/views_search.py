"""Search pages: results with chips and facets, and the autocomplete endpoint."""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from . import languages, listing, search
from .models import Category, Part


def search_results(request):
    raw_query = request.GET.get("q", "")
    query = listing.parse_listing_query(request.GET, [])
    by_relevance = request.GET.get("sort") not in listing.SORTS
    if by_relevance:
        query.sort = "relevance"
    category_path = (request.GET.get("cat") or "").strip("/")[:400]
    narrowed = bool(category_path) or query.is_filtered
    facets = result = candidates = None
    did_you_mean = []
    category = None
    capped = False
    if not narrowed:
        # The common case, a query alone: what it finds is kept a minute (search.ranked_search).
        found = search.ranked_search(raw_query)
        outcome, candidates, facets = found.outcome, found.candidates, found.facets
        if found.exact_url is not None:
            search.log_search(query=outcome.query, kind=outcome.kind, result_count=1)
            request.event_details = {"query": outcome.query, "result_count": 1}
            return HttpResponseRedirect(found.exact_url)
    else:
        outcome = search.search(raw_query)
        parts = outcome.parts
        if parts is None and outcome.exact_part is not None:
            parts = Part.objects.filter(pk=outcome.exact_part.pk)
        if parts is not None:
            # Facets and the page come from a bounded, ranked candidate set (search.ranked).
            candidates = search.ranked(parts, outcome)
            facets = search.candidate_facets(candidates)
            search.label_value_chips(outcome.chips, candidates)
            if category_path:
                category = Category.objects.filter(path=category_path).first()
                if category:
                    parts = parts.filter(pk__in=listing.category_parts(category).values("pk"))
            if category or query.is_filtered:
                parts = listing.apply_listing_query(parts, query, [])
                candidates = search.ranked(parts, outcome)
    if candidates is not None:
        capped = candidates.capped
        if by_relevance:
            result = search.relevance_page(candidates, query.page)
        else:
            result = listing.listing_page(candidates.queryset(), query, [])
        count = result.page.paginator.count
    else:
        count = 0
    if count == 0:
        did_you_mean = search.did_you_mean(outcome.query)
    search.log_search(query=outcome.query, kind=outcome.kind, result_count=count)
    # For the behaviour-events hook that runs after the view (shop settings wire it).
    request.event_details = {"query": outcome.query, "result_count": count}
    context = {
        "query": query,
        "q": outcome.query,
        "outcome": outcome,
        "result": result,
        "facets": facets,
        "category": category,
        "did_you_mean": did_you_mean,
        "count": count,
        "capped": capped,
        "noindex": True,
        "base_params": _params(request.GET, drop=("page",)),
        "filter_base": _params(request.GET, drop=("page", "sort")),
    }
    return render(request, "catalog/search.html", context)


def _params(params, *, drop=()) -> str:
    copy = params.copy()
    for name in drop:
        copy.pop(name, None)
    encoded = copy.urlencode()
    return f"{encoded}&" if encoded else ""


@cache_control(public=True, max_age=60)
def search_suggest(request):
    suggestions = search.suggestions(request.GET.get("q", ""))
    # The suggestions are cached in no language; their links are the visitor's.
    prefix = languages.prefix()
    if prefix:
        suggestions = {
            group: [{**item, "url": prefix + item["url"]} for item in items]
            for group, items in suggestions.items()
        }
    return JsonResponse(suggestions)
