"""API of lucky draws and leaderboards.

/api/v1/account/draws/: the caller's draws; ``POST …/<public_id>/play/`` uses one (the same
answer again for a draw already used). /api/v1/draws/<slug>/ (public): rules, live odds and
prizes left; ``…/reveal/`` the seed and every draw once the campaign has ended.
/api/v1/leaderboards/<slug>/ (public): masked standings.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from . import draws, leaderboards
from .draw_models import Draw
from .draw_serializers import (
    CampaignPageSerializer,
    DrawSerializer,
    LeaderboardSerializer,
)
from .errors import DrawNotFound, DrawUnavailable


class DrawNotUsable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This draw cannot be used."
    default_code = "draw_unavailable"


@extend_schema_view(
    list=extend_schema(summary="Your lucky draws", description="Draws your paid orders earned."),
    retrieve=extend_schema(summary="One of your draws"),
)
class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DrawSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "public_id"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Draw.objects.none()
        return draws.draws_of(self.request.user)

    @extend_schema(
        summary="Use a draw",
        description="Draws once; the outcome and any prize (a coupon or points in your "
        "account at once). A draw already used answers its outcome again. 409 when the draw "
        "was withdrawn (its order refunded) or the campaign has ended.",
        request=None,
        responses={200: DrawSerializer},
    )
    @action(detail=True, methods=["post"])
    def play(self, request, public_id=None):
        try:
            result = draws.draw_play(customer=request.user, public_id=public_id)
        except DrawNotFound as exc:
            raise Http404 from exc
        except DrawUnavailable as exc:
            raise DrawNotUsable(str(exc)) from exc
        draw = draws.draw_of(request.user, result.draw.public_id)
        return Response(DrawSerializer(draw).data)


def _campaign(slug):
    campaign = draws.published_campaign(slug)
    if campaign is None:
        raise Http404
    return campaign


class DrawCampaignView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="A lucky-draw campaign", responses={200: CampaignPageSerializer})
    def get(self, request, slug):
        return Response(CampaignPageSerializer(draws.campaign_page_data(_campaign(slug))).data)


class DrawRevealView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Every draw of an ended campaign, with its seed",
        description="404 until the campaign has ended.",
        responses={
            200: inline_serializer(
                "DrawReveal",
                {
                    "campaign": serializers.CharField(),
                    "seed": serializers.CharField(),
                    "seed_sha256": serializers.CharField(),
                    "prizes": serializers.DictField(child=serializers.CharField()),
                    "draws": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request, slug):
        data = draws.reveal_data(_campaign(slug))
        if data is None:
            raise Http404
        return Response(data)


class LeaderboardView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="A leaderboard", responses={200: LeaderboardSerializer})
    def get(self, request, slug):
        board = leaderboards.published_leaderboard(slug)
        if board is None:
            raise Http404
        standings = leaderboards.leaderboard_standings(board, limit=board.shown_ranks)
        return Response(
            LeaderboardSerializer(
                {"board": board, "standings": standings, "prizes": list(board.prizes.all())}
            ).data
        )
