"""Serializers of the returns API: the customer's returns, and opening one."""

from django.conf import settings
from rest_framework import serializers

from ..models import ReturnEvent, ReturnKind, ReturnPhoto, ReturnReason, ReturnRequest
from .services import MAX_DESCRIPTION, MAX_KEY

MONEY = {"max_digits": 19, "decimal_places": 2}


class ReturnEventSerializer(serializers.ModelSerializer):
    who = serializers.CharField(source="actor_label", help_text="customer, staff or system")
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = ReturnEvent
        fields = ["kind", "from_status", "to_status", "who", "message", "report_url", "created_at"]

    def get_report_url(self, event) -> str | None:
        if not event.attachment:
            return None
        return f"/account/returns/{event.request.reference}/reports/{event.pk}/"


class ReturnPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReturnPhoto
        fields = ["url", "content_type", "width", "height"]

    def get_url(self, photo) -> str:
        return f"/account/returns/{photo.request.reference}/photos/{photo.pk}/"


class ReturnSummarySerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.reference")
    line = serializers.IntegerField(source="line_id")
    mpn = serializers.CharField(source="line.mpn")
    refund_amount = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = ReturnRequest
        fields = [
            "reference",
            "order",
            "line",
            "mpn",
            "kind",
            "reason",
            "quantity",
            "status",
            "resolution",
            "refund_amount",
            "created_at",
            "updated_at",
        ]


class ReturnSerializer(ReturnSummarySerializer):
    replacement_order = serializers.CharField(
        source="replacement_order.reference", allow_null=True, default=None
    )
    photos = ReturnPhotoSerializer(many=True)
    events = ReturnEventSerializer(many=True)

    class Meta(ReturnSummarySerializer.Meta):
        fields = [
            *ReturnSummarySerializer.Meta.fields,
            "description",
            "replacement_order",
            "photos",
            "events",
        ]


class ReturnOpenSerializer(serializers.Serializer):
    """Send as multipart/form-data to attach photos (the field ``photos``, repeated)."""

    order = serializers.CharField(max_length=20, help_text="Your order's reference.")
    line = serializers.IntegerField(help_text="The order line's id (see the order's lines).")
    kind = serializers.ChoiceField(choices=ReturnKind.choices, default=ReturnKind.RETURN)
    reason = serializers.ChoiceField(choices=ReturnReason.choices)
    quantity = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=settings.RETURNS_MAX_PHOTOS,
    )


__all__ = ["MAX_KEY"]
