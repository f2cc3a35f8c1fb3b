"""Customer accounts and what they hold: profile, addresses, invoice details, balance, points.

Signing in is by email, so the user model has no username. The balance and the points are
append-only ledgers (``BalanceEntry``, ``PointsEntry``); the profile row caches their sums and is
changed only by ``customers.services`` in the same transaction as the entry it adds.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the customer uses the store in; emails and PDFs follow it.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


MONEY = {"max_digits": 19, "decimal_places": 2}


class CustomerType(models.TextChoices):
    ENGINEER = "engineer", _("Engineer")
    PURCHASER = "purchaser", _("Purchaser")
    RESELLER = "reseller", _("Reseller")


class CustomerProfile(models.Model):
    """The customer's account row: who they are, and the cached balance and points."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    customer_type = models.CharField(
        max_length=16, choices=CustomerType.choices, default=CustomerType.ENGINEER
    )
    company_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    balance = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    points = models.IntegerField(default=0, editable=False)
    marketing_messages = models.BooleanField(
        default=True,
        help_text="Promotions by email and in the inbox; order and account messages always go.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "customer profile"
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="customers_profile_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="customers_profile_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_customer_type_display()})"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Address(models.Model):
    """A shipping address in the customer's address book; at most one is the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(max_length=60, blank=True, help_text="e.g. Lab, Warehouse")
    recipient = models.CharField(max_length=120)
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32)
    line1 = models.CharField("address", max_length=255)
    line2 = models.CharField("address line 2", max_length=255, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField("province / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="CN", help_text="ISO 3166 code, e.g. CN")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "pk"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="customers_address_one_default_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}, {self.line1}, {self.city}"


class InvoiceDetails(models.Model):
    """What goes on the customer's tax invoices (fapiao / VAT invoice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invoice_details"
    )
    company_title = models.CharField(max_length=200)
    taxpayer_id = models.CharField(
        "taxpayer ID",
        max_length=32,
        help_text="Unified social credit code (18 characters) or an EU VAT number",
    )
    registered_address = models.CharField(max_length=255, blank=True)
    registered_phone = models.CharField(max_length=32, blank=True)
    bank_name = models.CharField(max_length=200, blank=True)
    bank_account = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "invoice details"
        verbose_name_plural = "invoice details"

    def __str__(self) -> str:
        return f"{self.company_title} ({self.taxpayer_id})"


class TopUpBonusTier(models.Model):
    """Top up at least ``min_amount`` and get ``bonus`` on top; the highest tier reached applies."""

    min_amount = models.DecimalField(unique=True, **MONEY)
    bonus = models.DecimalField(**MONEY)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["min_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(bonus__gte=0),
                name="customers_bonus_tier_positive",
            )
        ]

    def __str__(self) -> str:
        return f"from {self.min_amount}: +{self.bonus}"


class TopUpStatus(models.TextChoices):
    AWAITING_TRANSFER = "awaiting_transfer", _("Awaiting transfer")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class TopUp(models.Model):
    """A customer's request to top up the balance, paid by bank transfer quoting ``reference``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="top_ups"
    )
    reference = models.CharField(max_length=16, unique=True, editable=False)
    amount = models.DecimalField(**MONEY)
    bonus = models.DecimalField(default=Decimal("0.00"), **MONEY)
    status = models.CharField(
        max_length=20, choices=TopUpStatus.choices, default=TopUpStatus.AWAITING_TRANSFER
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "top-up"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(bonus__gte=0), name="customers_topup_positive"
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="customers_topup_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total_credit(self) -> Decimal:
        return self.amount + self.bonus


class BalanceEntryKind(models.TextChoices):
    TOP_UP = "top_up", _("Top-up")
    TOP_UP_BONUS = "top_up_bonus", _("Top-up bonus")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment")


class BalanceEntry(models.Model):
    """One movement of a customer's prepaid balance. Never updated, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="balance_entries"
    )
    amount = models.DecimalField(**MONEY)
    kind = models.CharField(max_length=16, choices=BalanceEntryKind.choices)
    balance_after = models.DecimalField(**MONEY)
    reference_type = models.CharField(max_length=40, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    top_up = models.ForeignKey(
        TopUp, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "balance entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="customers_balance_entry_amount_not_zero"
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="customers_balance_entry_after_not_negative",
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="customers_balance_entry_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+} → {self.balance_after}"


class BalanceAdjustment(models.Model):
    """A staff correction of a balance: who, how much and why. Read-only once written."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="balance_adjustments"
    )
    amount = models.DecimalField(**MONEY, help_text="Positive credits, negative debits")
    reason = models.TextField()
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField(BalanceEntry, on_delete=models.PROTECT, related_name="adjustment")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="customers_balance_adjustment_reason_required"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.amount:+}"


class PointsRule(models.Model):
    """The earning rule set by operations; a single row (pk 1)."""

    points_per_unit = models.DecimalField(
        max_digits=9,
        decimal_places=4,
        help_text="Points per currency unit paid (rounded down per order)",
    )
    expiry_months = models.PositiveIntegerField(
        default=0, help_text="Earned points expire after this many months; 0 = never"
    )

    class Meta:
        verbose_name = "points rule"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="customers_points_rule_singleton"),
            models.CheckConstraint(
                condition=Q(points_per_unit__gte=0), name="customers_points_rule_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.points_per_unit} point(s) per unit"

    @classmethod
    def current(cls) -> "PointsRule":
        rule, _ = cls.objects.get_or_create(
            pk=1,
            defaults={
                "points_per_unit": settings.POINTS_PER_CURRENCY_UNIT,
                "expiry_months": settings.POINTS_EXPIRY_MONTHS,
            },
        )
        return rule


class PointsEntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    RETURN = "return", _("Returned")
    REVERSE = "reverse", _("Reversed")
    EXPIRE = "expire", _("Expired")
    ADJUSTMENT = "adjustment", _("Adjustment")


class PointsEntry(models.Model):
    """One movement of a customer's points. Never updated, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_entries"
    )
    points = models.IntegerField()
    kind = models.CharField(max_length=16, choices=PointsEntryKind.choices)
    balance_after = models.IntegerField()
    reference_type = models.CharField(max_length=40, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "points entries"
        indexes = [models.Index(fields=["kind", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="customers_points_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="customers_points_entry_after_not_negative",
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="customers_points_entry_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+} → {self.balance_after}"


class PointsAdjustment(models.Model):
    """A staff correction of points: who, how many and why. Read-only once written."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_adjustments"
    )
    points = models.IntegerField(help_text="Positive credits, negative debits")
    reason = models.TextField()
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="adjustment")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="customers_points_adjustment_reason_required"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.points:+}"


class ApiKeyScope(models.TextChoices):
    READ = "read", _("Read only")
    ORDERING = "ordering", _("Read and order")


class ApiKey(models.Model):
    """A partner's key to the API (``Authorization: Api-Key <key>``).

    The key is ``plk_<prefix>_<secret>``: the prefix is public and finds the row, the secret is
    kept only as its SHA-256 (a 256-bit random secret needs no slow hash) and compared in
    constant time. Shown once when created; revoked, never deleted, so its use stays traceable.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=80, help_text="What the key is for, e.g. ERP sync")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(
        max_length=10, choices=ApiKeyScope.choices, default=ApiKeyScope.READ
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="customers_api_key_named"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (plk_{self.prefix}…)"

    @property
    def display_prefix(self) -> str:
        return f"plk_{self.prefix}"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)

    @property
    def can_order(self) -> bool:
        return self.scope == ApiKeyScope.ORDERING


class NotificationKind(models.TextChoices):
    """What a customer is told about. Each kind has its templates under
    ``templates/notifications/<kind>/`` (subject.txt, body.txt and optionally body.html)."""

    ORDER_PLACED = "order_placed", _("Order placed")
    ORDER_PAID = "order_paid", _("Payment received")
    ORDER_SHIPPED = "order_shipped", _("Order shipped")
    ORDER_DELIVERED = "order_delivered", _("Order delivered")
    ORDER_UNPAID_REMINDER = "order_unpaid_reminder", _("Unpaid order reminder")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
    ORDER_REFUNDED = "order_refunded", _("Order refunded")
    TOPUP_CONFIRMED = "topup_confirmed", _("Top-up confirmed")
    QUOTE_ANSWERED = "quote_answered", _("Quote answered")
    RETURN_UPDATED = "return_updated", _("Return updated")
    COUPON_EXPIRING = "coupon_expiring", _("Coupon about to expire")
    POINTS_EXPIRING = "points_expiring", _("Points about to expire")
    DRAW_PRIZE = "draw_prize", _("Lucky draw prize")
    LEADERBOARD_PRIZE = "leaderboard_prize", _("Leaderboard prize")
    POINTS_SHOP_REDEEMED = "points_shop_redeemed", _("Points shop redemption")
    CAMPAIGN = "campaign", _("Promotion")


#: Kinds the customer may turn off in the account; order and account messages always go.
MARKETING_KINDS = frozenset({NotificationKind.CAMPAIGN, NotificationKind.COUPON_EXPIRING})


class EmailDelivery(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    """One message to one customer about one event: shown in the account's inbox and sent by
    email. ``dedup_key`` names the event (e.g. ``order-shipped:SH-42``), so however often the
    code that tells the customer runs, there is one message per event."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    dedup_key = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="path on this site")
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the message was written in (the customer's at the time).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailDelivery.choices, default=EmailDelivery.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "dedup_key"], name="customers_notification_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "read_at"], name="customers_notif_unread_idx"),
            models.Index(fields=["email_status", "created_at"], name="customers_notif_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.customer}: {self.subject}"

    @property
    def is_marketing(self) -> bool:
        return self.kind in MARKETING_KINDS


class EventKind(models.TextChoices):
    PART_VIEW = "part_view", _("Part viewed")
    SEARCH = "search", _("Searched")
    CATEGORY_VIEW = "category_view", _("Category viewed")
    INQUIRY = "inquiry", _("Asked for a quote")
    CART_ADD = "cart_add", _("Added to cart")
    CHECKOUT_START = "checkout_start", _("Started checkout")
    ORDER_PLACED = "order_placed", _("Placed an order")
    ORDER_PAID = "order_paid", _("Paid an order")


class BehaviourEvent(models.Model):
    """One thing a visitor or customer did, for the funnel and demand reports.

    Written in batches from a buffer (customers.behaviour), never by the request itself.
    No IP address is kept: an anonymous visitor is a keyed hash of address, user agent and
    day, which cannot be turned back and changes every day. Ids of parts, categories and
    orders are plain numbers (this app imports no other), and old rows are deleted after
    ``CUSTOMERS_EVENTS_KEEP_DAYS``."""

    event_id = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField(db_index=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visitor_id = models.CharField(max_length=16, blank=True)
    part_id = models.BigIntegerField(null=True, blank=True)
    category_id = models.BigIntegerField(null=True, blank=True)
    order_id = models.BigIntegerField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True)
    result_count = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    channel = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=60, blank=True)
    referrer_host = models.CharField(max_length=100, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    landing_path = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = "behaviour event"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def actor(self) -> str:
        return f"c{self.customer_id}" if self.customer_id else f"v{self.visitor_id}"


class NotificationTemplate(models.Model):
    """Operations' own wording for one kind of message in one language. When present it is
    used instead of the file templates under ``templates/notifications/<kind>/``; it is
    Django template syntax, checked when saved (customers.notification_templates)."""

    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="Messages written while this language is active use this template.",
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField("text body")
    body_html = models.TextField(
        "HTML body",
        blank=True,
        help_text="Optional; without it the email's HTML is the text body in the store layout.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="customers_notification_template_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
