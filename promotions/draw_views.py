"""Pages of lucky draws and leaderboards: the public campaign, reveal and leaderboard pages,
and the customer's own draws under /account/draws/. Thin views over promotions.draws and
promotions.leaderboards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import draws, leaderboards
from .draw_models import DrawState
from .errors import DrawNotFound, DrawUnavailable


def _published(slug):
    campaign = draws.published_campaign(slug)
    if campaign is None:
        raise Http404
    return campaign


def campaign_page(request, slug):
    campaign = _published(slug)
    return render(request, "promotions/draws/campaign.html", {
        "page": draws.campaign_page_data(campaign),
    })


def reveal_page(request, slug):
    campaign = _published(slug)
    data = draws.reveal_data(campaign)
    if request.GET.get("format") == "json":
        if data is None:
            raise Http404
        return JsonResponse(data)
    prizes = dict(campaign.prizes.values_list("pk", "name"))
    return render(
        request,
        "promotions/draws/reveal.html",
        {"campaign": campaign, "data": data, "prizes": prizes},
    )


def leaderboard_page(request, slug):
    board = leaderboards.published_leaderboard(slug)
    if board is None:
        raise Http404
    return render(request, "promotions/leaderboard.html", {
        "board": board,
        "standings": leaderboards.leaderboard_standings(board, limit=board.shown_ranks),
        "prizes": list(board.prizes.all()),
        "ended": board.ends_at <= timezone.now(),
    })


@login_required
def draw_list(request):
    rows = list(draws.draws_of(request.user))
    now = timezone.now()
    return render(request, "promotions/draws/list.html", {
        "ready": [d for d in rows if d.can_be_drawn(now)],
        "drawn": [d for d in rows if d.state == DrawState.DRAWN],
        "other": [d for d in rows if d.state != DrawState.DRAWN and not d.can_be_drawn(now)],
        "noindex": True,
        "section": "draws",
        "now": now,
    })


@login_required
def draw_detail(request, public_id):
    draw = draws.draw_of(request.user, public_id)
    if draw is None:
        raise Http404
    return render(request, "promotions/draws/detail.html", {
        "draw": draw, "noindex": True, "section": "draws", "can_draw": draw.can_be_drawn(),
    })


@login_required
@require_POST
def draw_play(request, public_id):
    try:
        result = draws.draw_play(customer=request.user, public_id=public_id)
    except DrawNotFound as exc:
        raise Http404 from exc
    except DrawUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("promotions:draw-detail", public_id=public_id)
    if result.fresh:
        if result.draw.prize:
            messages.success(request, _("You won %(prize)s!") % {"prize": result.draw.prize.name})
        else:
            messages.info(request, _("No prize this time. Thank you for your order!"))
    return redirect("promotions:draw-detail", public_id=public_id)
