"""The account API under /api/v1/account/: the same use-cases as the pages, as JSON.

Every view works on the caller's own data only; another customer's id is a 404.
"""

import unicodedata

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services, throttle
from .api_auth import HasOrderingScope
from .errors import CustomersError
from .models import Address, BalanceEntry, PointsEntry, TopUp
from .serializers import (
    AddressSerializer,
    BalanceEntrySerializer,
    BalanceSerializer,
    InvoiceDetailsSerializer,
    PointsEntrySerializer,
    PointsSerializer,
    ProfileSerializer,
    RegistrationAcceptedSerializer,
    RegistrationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TopUpCreatedSerializer,
    TopUpCreateSerializer,
    TopUpPreviewSerializer,
    TopUpSerializer,
)

# A read-only API key reads the account; changing it needs a key with the ordering scope.
AUTHENTICATED = [permissions.IsAuthenticated, HasOrderingScope]


def _profile_data(profile) -> dict:
    return ProfileSerializer(ProfileSerializer.from_profile(profile)).data


class OwnDataMixin:
    """Querysets of the caller's own rows; the schema generator gets an empty one."""

    permission_classes = AUTHENTICATED
    selector = None
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.selector(user=self.request.user)


class TokenObtainView(APIView):
    """Exchange email and password for an API token (throttled like the sign-in page)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer}, tags=["account"]
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Read as the sign-in form reads it, so both count against the same account.
        email = unicodedata.normalize("NFKC", data.validated_data["email"])
        attempt = throttle.attempt_begin(email=email, ip=throttle.client_ip(request))
        if not attempt.allowed:
            return Response(
                {"detail": throttle.lockout_message(attempt.wait)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(attempt.wait)},
            )
        user = authenticate(request, username=email, password=data.validated_data["password"])
        if user is None:
            raise ValidationError({"detail": "That email and password don't match an account."})
        throttle.attempt_succeeded(attempt)
        token = services.api_token_for(user=user)
        return Response({"token": token.key})


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=RegistrationSerializer,
        responses={202: RegistrationAcceptedSerializer},
        tags=["account"],
        description="Accepted alike for a new and an existing address (sign-up tells nobody "
        "who is a customer): a new address gets a confirmation link, the owner of an existing "
        "one an email saying so. Then ask for a token with the email and password.",
    )
    def post(self, request):
        data = RegistrationSerializer(data=request.data)
        try:
            data.is_valid(raise_exception=True)
        except DjangoValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        try:
            services.customer_sign_up(**data.validated_data)
        except DjangoValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        except CustomersError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(
            {"detail": services.SIGN_UP_SENT_MESSAGE.format(email=data.validated_data["email"])},
            status=status.HTTP_202_ACCEPTED,
        )


class ProfileView(APIView):
    permission_classes = AUTHENTICATED

    @extend_schema(responses=ProfileSerializer, tags=["account"])
    def get(self, request):
        return Response(_profile_data(services.profile_get(user=request.user)))

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer, tags=["account"])
    def patch(self, request):
        data = ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = services.profile_update(user=request.user, **data.validated_data)
        profile.user = request.user
        return Response(_profile_data(profile))


@extend_schema(tags=["account"])
class AddressViewSet(OwnDataMixin, viewsets.ModelViewSet):
    serializer_class = AddressSerializer
    pagination_class = None
    selector = staticmethod(selectors.addresses)
    model = Address

    def perform_create(self, serializer):
        serializer.instance = services.address_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        is_default = data.pop("is_default", None)
        serializer.instance = services.address_update(
            user=self.request.user,
            address_id=serializer.instance.pk,
            is_default=is_default or None,
            **data,
        )

    def perform_destroy(self, instance):
        services.address_delete(user=self.request.user, address_id=instance.pk)


class InvoiceDetailsView(APIView):
    permission_classes = AUTHENTICATED

    @extend_schema(responses=InvoiceDetailsSerializer, tags=["account"])
    def get(self, request):
        details = selectors.invoice_details_of(user=request.user)
        if details is None:
            raise NotFound("No invoice details yet.")
        return Response(InvoiceDetailsSerializer(details).data)

    @extend_schema(
        request=InvoiceDetailsSerializer, responses=InvoiceDetailsSerializer, tags=["account"]
    )
    def put(self, request):
        data = InvoiceDetailsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        details = services.invoice_details_save(user=request.user, **data.validated_data)
        return Response(InvoiceDetailsSerializer(details).data)


class BalanceView(APIView):
    permission_classes = AUTHENTICATED

    @extend_schema(responses=BalanceSerializer, tags=["account"])
    def get(self, request):
        profile = services.profile_get(user=request.user)
        return Response(
            BalanceSerializer({"balance": profile.balance, "currency": settings.SHOP_CURRENCY}).data
        )


@extend_schema(tags=["account"])
class BalanceEntryList(OwnDataMixin, generics.ListAPIView):
    serializer_class = BalanceEntrySerializer
    selector = staticmethod(selectors.balance_entries)
    model = BalanceEntry


@extend_schema(tags=["account"])
class TopUpViewSet(
    OwnDataMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TopUpSerializer
    lookup_field = "reference"
    selector = staticmethod(selectors.top_ups)
    model = TopUp

    @extend_schema(
        request=TopUpCreateSerializer,
        responses={201: TopUpCreatedSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Repeating a request with the same key returns the first top-up.",
            )
        ],
    )
    def create(self, request):
        data = TopUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            top_up = services.top_up_create(
                user=request.user,
                amount=data.validated_data["amount"],
                idempotency_key=request.headers.get("Idempotency-Key") or None,
            )
        except CustomersError as error:
            raise ValidationError({"amount": [str(error)]}) from error
        return Response(TopUpCreatedSerializer(top_up).data, status=status.HTTP_201_CREATED)


class TopUpPreviewView(APIView):
    """The bonus an amount would earn, shown before the customer commits to a top-up."""

    permission_classes = AUTHENTICATED

    @extend_schema(
        parameters=[OpenApiParameter("amount", str, OpenApiParameter.QUERY, required=True)],
        responses=TopUpPreviewSerializer,
        tags=["account"],
    )
    def get(self, request):
        data = TopUpCreateSerializer(data={"amount": request.query_params.get("amount")})
        data.is_valid(raise_exception=True)
        amount = data.validated_data["amount"]
        bonus = services.top_up_bonus_for(amount)
        preview = {"amount": amount, "bonus": bonus, "total_credit": amount + bonus}
        return Response(TopUpPreviewSerializer(preview).data)


class PointsView(APIView):
    permission_classes = AUTHENTICATED

    @extend_schema(responses=PointsSerializer, tags=["account"])
    def get(self, request):
        return Response({"points": services.profile_get(user=request.user).points})


@extend_schema(tags=["account"])
class PointsEntryList(OwnDataMixin, generics.ListAPIView):
    serializer_class = PointsEntrySerializer
    selector = staticmethod(selectors.points_entries)
    model = PointsEntry
