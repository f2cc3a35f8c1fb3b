"""Use-cases that change customers' data. Each public function owns its transaction.

Balance and points move only here: the customer's profile row is locked
(``select_for_update``), the entry appended and the cached sum updated in one transaction.
Every function that moves value takes an idempotency key (or derives one from its reference),
so a repeated call returns the first entry instead of moving value twice.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import (
    EmailAlreadyRegistered,
    InsufficientBalance,
    InsufficientPoints,
    InvalidAmount,
    InvalidApiKey,
    InvalidToken,
    InvalidTopUpState,
)
from .models import (
    Address,
    ApiKey,
    ApiKeyScope,
    BalanceAdjustment,
    BalanceEntry,
    BalanceEntryKind,
    CustomerProfile,
    CustomerType,
    InvoiceDetails,
    NotificationKind,
    PointsAdjustment,
    PointsEntry,
    PointsEntryKind,
    PointsRule,
    TopUp,
    TopUpBonusTier,
    TopUpStatus,
    User,
)
from .notifications import notify

CENT = Decimal("0.01")
EMAIL_VERIFICATION_SALT = "customers.email-verification"
SIGN_UP_SENT_MESSAGE = (
    "Check your email: we sent a message to {email} with what to do next. "
    "It can take a few minutes to arrive."
)
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read over the phone


# --- accounts -------------------------------------------------------------------------------


def _supported_language(language: str | None) -> str:
    """The store language closest to ``language`` (the active one when not given)."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    if language in codes:
        return language
    base = language.split("-")[0]
    for code in codes:
        if code.split("-")[0] == base:
            return code
    return settings.LANGUAGE_CODE


def customer_language_update(*, user: User, language: str) -> bool:
    """Remember the language the customer now uses the store in (their emails and PDFs
    follow it). Writes only when it changed; returns whether it did."""
    language = _supported_language(language)
    if user.language == language:
        return False
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return True


@transaction.atomic
def customer_register(
    *,
    email: str,
    password: str,
    customer_type: str,
    company_name: str = "",
    phone: str = "",
    language: str | None = None,
) -> User:
    """Create the user (speaking ``language``, by default the active one) and profile, then
    run the CUSTOMERS_AFTER_REGISTER hooks in the same
    transaction (the promotions app issues the first-order coupon there)."""
    email = User.objects.normalize_email(email.strip()).lower()
    if customer_type not in CustomerType.values:
        raise ValueError(f"Unknown customer type {customer_type!r}.")
    validate_password(password, User(email=email))
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyRegistered(_("An account with this email address already exists."))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, language=_supported_language(language)
            )
    except IntegrityError as exc:
        raise EmailAlreadyRegistered(
            _("An account with this email address already exists.")
        ) from exc
    CustomerProfile.objects.create(
        user=user, customer_type=customer_type, company_name=company_name, phone=phone
    )
    for dotted_path in settings.CUSTOMERS_AFTER_REGISTER:
        import_string(dotted_path)(user=user)
    return user


def customer_sign_up(
    *, email: str, password: str, customer_type: str, company_name: str = "", phone: str = ""
) -> User | None:
    """Sign-up as the pages and the API offer it: the same answer whether or not the address
    has an account, so sign-up tells nobody who is a customer. A new address gets its account
    and a confirmation link; the owner of an existing one gets an email saying someone tried
    to sign up with it. Returns the new user, or None for an existing address."""
    try:
        user = customer_register(
            email=email,
            password=password,
            customer_type=customer_type,
            company_name=company_name,
            phone=phone,
        )
    except EmailAlreadyRegistered:
        _sign_up_attempt_notify(email=User.objects.normalize_email(email.strip()).lower())
        return None
    email_verification_send(user=user)
    return user


def _sign_up_attempt_notify(*, email: str) -> None:
    from .tasks import enqueue_customer_email  # tasks import this module

    owner = User.objects.filter(email__iexact=email).first()
    if owner is None:
        return
    with translation.override(owner.language):
        shop = settings.SHOP_NAME
        subject = _("Someone tried to create a %(shop)s account with your address") % {
            "shop": shop
        }
        body = _(
            "Hello,\n\nsomeone just tried to create a new %(shop)s account with this email "
            "address, which already has an account. No new account was made.\n\n"
            "If it was you, sign in instead: %(login_url)s\n"
            "Forgot your password? Reset it here: %(reset_url)s\n\n"
            "If it was not you, you can ignore this email.\n\n%(shop)s"
        ) % {
            "shop": shop,
            "login_url": settings.SITE_URL + reverse("customers:login"),
            "reset_url": settings.SITE_URL + reverse("customers:password-reset"),
        }
    enqueue_customer_email(to=owner.email, subject=subject, body=body)


def profile_get(*, user: User) -> CustomerProfile:
    """The user's profile, created on first use (staff made with createsuperuser have none)."""
    profile, _ = CustomerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: User,
    customer_type: str | None = None,
    company_name: str | None = None,
    phone: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> CustomerProfile:
    profile = _lock_profile(user.pk)
    changed = []
    for field, value in (
        ("customer_type", customer_type),
        ("company_name", company_name),
        ("phone", phone),
    ):
        if value is not None:
            setattr(profile, field, value)
            changed.append(field)
    if changed:
        profile.save(update_fields=changed)
    user_changed = []
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, field, value)
            user_changed.append(field)
    if user_changed:
        user.save(update_fields=user_changed)
    return profile


def email_verification_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFICATION_SALT)


def email_verification_send(*, user: User) -> None:
    """Email the customer a signed link that proves they own the address."""
    from .tasks import enqueue_customer_email  # tasks import this module

    with translation.override(user.language):
        url = settings.SITE_URL + reverse(
            "customers:verify-email", kwargs={"token": email_verification_token(user=user)}
        )
        subject = _("Confirm your email address for %(shop)s") % {"shop": settings.SHOP_NAME}
        body = _(
            "Hello,\n\nplease confirm your email address by opening this link:\n\n%(url)s\n\n"
            "The link is valid for %(hours)s hours.\n\n%(shop)s"
        ) % {
            "url": url,
            "hours": settings.CUSTOMERS_EMAIL_VERIFICATION_MAX_AGE // 3600,
            "shop": settings.SHOP_NAME,
        }
    enqueue_customer_email(to=user.email, subject=subject, body=body)


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        data = signing.loads(
            token,
            salt=EMAIL_VERIFICATION_SALT,
            max_age=settings.CUSTOMERS_EMAIL_VERIFICATION_MAX_AGE,
        )
    except signing.SignatureExpired as exc:
        raise InvalidToken(_("This confirmation link has expired; ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise InvalidToken(_("This confirmation link is not valid.")) from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise InvalidToken(_("This confirmation link is not valid."))
    profile = _lock_profile(user.pk)
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
    return user


# --- address book and invoice details -------------------------------------------------------

ADDRESS_FIELDS = (
    "label",
    "recipient",
    "company",
    "phone",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
)


@transaction.atomic
def address_create(*, user: User, is_default: bool = False, **fields) -> Address:
    _lock_profile(user.pk)  # serialises default changes of one customer
    has_default = Address.objects.filter(user=user, is_default=True).exists()
    make_default = is_default or not has_default
    if make_default:
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
    data = {k: v for k, v in fields.items() if k in ADDRESS_FIELDS}
    return Address.objects.create(user=user, is_default=make_default, **data)


@transaction.atomic
def address_update(*, user: User, address_id: int, is_default: bool | None = None, **fields):
    _lock_profile(user.pk)
    address = Address.objects.select_for_update().get(pk=address_id, user=user)
    for key, value in fields.items():
        if key in ADDRESS_FIELDS:
            setattr(address, key, value)
    if is_default and not address.is_default:
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
        address.is_default = True
    address.save()
    return address


@transaction.atomic
def address_set_default(*, user: User, address_id: int) -> Address:
    return address_update(user=user, address_id=address_id, is_default=True)


@transaction.atomic
def address_delete(*, user: User, address_id: int) -> None:
    """Delete an address; if it was the default, the oldest remaining one becomes default."""
    _lock_profile(user.pk)
    address = Address.objects.select_for_update().get(pk=address_id, user=user)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user=user).order_by("pk").first()
        if successor:
            successor.is_default = True
            successor.save(update_fields=["is_default"])


@transaction.atomic
def invoice_details_save(*, user: User, **fields) -> InvoiceDetails:
    from .validators import normalize_taxpayer_id

    fields["taxpayer_id"] = normalize_taxpayer_id(fields["taxpayer_id"])
    details, _ = InvoiceDetails.objects.update_or_create(user=user, defaults=fields)
    return details


# --- balance --------------------------------------------------------------------------------


def _lock_profile(user_id: int) -> CustomerProfile:
    """Lock the customer's account row (created on first use)."""
    CustomerProfile.objects.get_or_create(user_id=user_id)
    return CustomerProfile.objects.select_for_update().get(user_id=user_id)


def _money(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidAmount(
            _("%(amount)r is not an amount of money.") % {"amount": amount}
        ) from exc
    if not value.is_finite():
        raise InvalidAmount(_("%(amount)r is not an amount of money.") % {"amount": amount})
    if value != value.quantize(CENT):
        raise InvalidAmount(_("Amounts have at most 2 decimal places."))
    if value <= 0:
        raise InvalidAmount(_("The amount must be greater than zero."))
    return value.quantize(CENT)


def _existing_balance_entry(user_id: int, idempotency_key: str | None) -> BalanceEntry | None:
    if not idempotency_key:
        return None
    return BalanceEntry.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()


def _balance_move(
    *,
    profile: CustomerProfile,
    amount: Decimal,
    kind: str,
    idempotency_key: str | None,
    reference_type: str,
    reference_id: str,
    top_up: TopUp | None = None,
    created_by: User | None = None,
    note: str = "",
) -> BalanceEntry:
    """Append an entry and move the cached balance; the profile must be locked already."""
    new_balance = profile.balance + amount
    if new_balance < 0:
        raise InsufficientBalance(available=profile.balance, requested=-amount)
    profile.balance = new_balance
    profile.save(update_fields=["balance"])
    return BalanceEntry.objects.create(
        user_id=profile.user_id,
        amount=amount,
        kind=kind,
        balance_after=new_balance,
        idempotency_key=idempotency_key or None,
        reference_type=reference_type,
        reference_id=str(reference_id),
        top_up=top_up,
        created_by=created_by,
        note=note,
    )


@transaction.atomic
def balance_credit(
    *,
    user: User,
    amount: Decimal,
    kind: str = BalanceEntryKind.REFUND,
    idempotency_key: str | None = None,
    reference_type: str = "",
    reference_id: str = "",
    note: str = "",
) -> BalanceEntry:
    """Add money to the balance (refunds, adjustments). A repeated key returns the first entry."""
    amount = _money(amount)
    profile = _lock_profile(user.pk)
    existing = _existing_balance_entry(user.pk, idempotency_key)
    if existing:
        return existing
    return _balance_move(
        profile=profile,
        amount=amount,
        kind=kind,
        idempotency_key=idempotency_key,
        reference_type=reference_type,
        reference_id=reference_id,
        note=note,
    )


@transaction.atomic
def balance_debit(
    *,
    user: User,
    amount: Decimal,
    idempotency_key: str,
    kind: str = BalanceEntryKind.PAYMENT,
    reference_type: str = "",
    reference_id: str = "",
    note: str = "",
) -> BalanceEntry:
    """Take money from the balance (paying an order); raises InsufficientBalance.

    Idempotent by key: paying twice with one key debits once and returns the first entry."""
    amount = _money(amount)
    profile = _lock_profile(user.pk)
    existing = _existing_balance_entry(user.pk, idempotency_key)
    if existing:
        return existing
    return _balance_move(
        profile=profile,
        amount=-amount,
        kind=kind,
        idempotency_key=idempotency_key,
        reference_type=reference_type,
        reference_id=reference_id,
        note=note,
    )


@transaction.atomic
def balance_adjust(*, user: User, amount: Decimal, reason: str, staff: User) -> BalanceAdjustment:
    """A staff correction, kept with who and why. Cannot take the balance below zero."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAmount(_("An adjustment needs a reason."))
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise InvalidAmount(
            _("%(amount)r is not an amount of money.") % {"amount": amount}
        ) from exc
    magnitude = _money(abs(value))
    signed = magnitude if value > 0 else -magnitude
    profile = _lock_profile(user.pk)
    entry = _balance_move(
        profile=profile,
        amount=signed,
        kind=BalanceEntryKind.ADJUSTMENT,
        idempotency_key=None,
        reference_type="adjustment",
        reference_id="",
        created_by=staff,
        note=reason[:255],
    )
    return BalanceAdjustment.objects.create(
        user=user, amount=signed, reason=reason, staff=staff, entry=entry
    )


# --- top-ups --------------------------------------------------------------------------------


def top_up_bonus_for(amount: Decimal) -> Decimal:
    """The bonus of the highest active tier the amount reaches (0 when none)."""
    tier = (
        TopUpBonusTier.objects.filter(is_active=True, min_amount__lte=amount)
        .order_by("-min_amount")
        .first()
    )
    return tier.bonus if tier else Decimal("0.00")


def top_up_validate_amount(amount) -> Decimal:
    value = _money(amount)
    if value > settings.CUSTOMERS_TOP_UP_MAX:
        raise InvalidAmount(
            _("A single top-up is at most %(max)s %(currency)s.")
            % {"max": f"{settings.CUSTOMERS_TOP_UP_MAX:,}", "currency": settings.SHOP_CURRENCY}
        )
    return value


def _new_top_up_reference() -> str:
    return "TU-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


@transaction.atomic
def top_up_create(*, user: User, amount: Decimal, idempotency_key: str | None = None) -> TopUp:
    """Open a top-up awaiting the customer's bank transfer; the bonus is fixed now, as shown."""
    amount = top_up_validate_amount(amount)
    if idempotency_key:
        existing = TopUp.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    bonus = top_up_bonus_for(amount)
    for _attempt in range(10):
        reference = _new_top_up_reference()
        if not TopUp.objects.filter(reference=reference).exists():
            break
    try:
        with transaction.atomic():
            return TopUp.objects.create(
                user=user,
                amount=amount,
                bonus=bonus,
                reference=reference,
                idempotency_key=idempotency_key or None,
            )
    except IntegrityError:
        existing = TopUp.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing and idempotency_key:
            return existing
        raise


@transaction.atomic
def top_up_confirm(
    *, top_up_id: int, confirmed_by: User | None = None, provider_reference: str = ""
) -> TopUp:
    """The transfer arrived: credit amount and bonus, once, however often this is called."""
    top_up = TopUp.objects.select_for_update().get(pk=top_up_id)
    if top_up.status == TopUpStatus.CONFIRMED:
        return top_up
    if top_up.status != TopUpStatus.AWAITING_TRANSFER:
        raise InvalidTopUpState(f"Top-up {top_up.reference} is {top_up.get_status_display()}.")
    profile = _lock_profile(top_up.user_id)
    _balance_move(
        profile=profile,
        amount=top_up.amount,
        kind=BalanceEntryKind.TOP_UP,
        idempotency_key=f"top-up:{top_up.pk}",
        reference_type="top_up",
        reference_id=top_up.reference,
        top_up=top_up,
        created_by=confirmed_by,
    )
    if top_up.bonus > 0:
        _balance_move(
            profile=profile,
            amount=top_up.bonus,
            kind=BalanceEntryKind.TOP_UP_BONUS,
            idempotency_key=f"top-up:{top_up.pk}:bonus",
            reference_type="top_up",
            reference_id=top_up.reference,
            top_up=top_up,
            created_by=confirmed_by,
        )
    top_up.status = TopUpStatus.CONFIRMED
    top_up.confirmed_at = timezone.now()
    top_up.confirmed_by = confirmed_by
    top_up.provider_reference = provider_reference
    top_up.save(update_fields=["status", "confirmed_at", "confirmed_by", "provider_reference"])
    _top_up_confirmed_notify(top_up, balance=profile.balance)
    return top_up


def _top_up_confirmed_notify(top_up: TopUp, *, balance: Decimal) -> None:
    notify(
        customer=top_up.user,
        kind=NotificationKind.TOPUP_CONFIRMED,
        dedup_key=f"top-up-confirmed:{top_up.reference}",
        context={"top_up": top_up, "balance": balance, "currency": settings.SHOP_CURRENCY},
        link=reverse("customers:balance"),
    )


@transaction.atomic
def top_up_cancel(*, top_up_id: int) -> TopUp:
    top_up = TopUp.objects.select_for_update().get(pk=top_up_id)
    if top_up.status == TopUpStatus.CANCELLED:
        return top_up
    if top_up.status != TopUpStatus.AWAITING_TRANSFER:
        raise InvalidTopUpState(f"Top-up {top_up.reference} is {top_up.get_status_display()}.")
    top_up.status = TopUpStatus.CANCELLED
    top_up.save(update_fields=["status"])
    return top_up


# --- points ---------------------------------------------------------------------------------


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def points_for_amount(amount_paid: Decimal) -> int:
    rule = PointsRule.current()
    return int((Decimal(amount_paid) * rule.points_per_unit).to_integral_value(ROUND_DOWN))


def _points_move(
    *,
    profile: CustomerProfile,
    points: int,
    kind: str,
    idempotency_key: str | None,
    reference_type: str = "",
    reference_id: str = "",
    expires_at=None,
    created_by: User | None = None,
    note: str = "",
) -> PointsEntry:
    new_points = profile.points + points
    if new_points < 0:
        raise InsufficientPoints(available=profile.points, requested=-points)
    profile.points = new_points
    profile.save(update_fields=["points"])
    return PointsEntry.objects.create(
        user_id=profile.user_id,
        points=points,
        kind=kind,
        balance_after=new_points,
        idempotency_key=idempotency_key or None,
        reference_type=reference_type,
        reference_id=str(reference_id),
        expires_at=expires_at,
        created_by=created_by,
        note=note,
    )


def _existing_points_entry(user_id: int, idempotency_key: str) -> PointsEntry | None:
    return PointsEntry.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()


@transaction.atomic
def points_earn_for_order(
    *, user: User, order_reference: str, amount_paid: Decimal, points: int | None = None
) -> PointsEntry | None:
    """Credit the points an order earned; once per order reference. None when it earns 0.

    ``points`` is the count the promotions' earning rules gave; without it the base rate
    applies to ``amount_paid``."""
    if points is None:
        points = points_for_amount(amount_paid)
    profile = _lock_profile(user.pk)
    key = f"earn:{order_reference}"
    existing = _existing_points_entry(user.pk, key)
    if existing or points <= 0:
        return existing
    rule = PointsRule.current()
    expires_at = _add_months(timezone.now(), rule.expiry_months) if rule.expiry_months else None
    return _points_move(
        profile=profile,
        points=points,
        kind=PointsEntryKind.EARN,
        idempotency_key=key,
        reference_type="order",
        reference_id=order_reference,
        expires_at=expires_at,
    )


@transaction.atomic
def points_reverse_for_order(*, user: User, order_reference: str) -> PointsEntry | None:
    """Take back what a refunded order earned (as much as is left); once per order."""
    profile = _lock_profile(user.pk)
    key = f"reverse:{order_reference}"
    existing = _existing_points_entry(user.pk, key)
    if existing:
        return existing
    earned = _existing_points_entry(user.pk, f"earn:{order_reference}")
    if earned is None:
        return None
    points = min(earned.points, profile.points)
    if points <= 0:
        return None
    return _points_move(
        profile=profile,
        points=-points,
        kind=PointsEntryKind.REVERSE,
        idempotency_key=key,
        reference_type="order",
        reference_id=order_reference,
    )


@transaction.atomic
def points_redeem(*, user: User, points: int, reference: str, idempotency_key: str) -> PointsEntry:
    """Spend points; raises InsufficientPoints. A repeated key returns the first entry."""
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise InvalidAmount(_("Redeem a whole number of points greater than zero."))
    profile = _lock_profile(user.pk)
    existing = _existing_points_entry(user.pk, f"redeem:{idempotency_key}")
    if existing:
        return existing
    return _points_move(
        profile=profile,
        points=-points,
        kind=PointsEntryKind.REDEEM,
        idempotency_key=f"redeem:{idempotency_key}",
        reference_type="redeem",
        reference_id=reference,
    )


@transaction.atomic
def points_return(*, user: User, idempotency_key: str, reference: str) -> PointsEntry | None:
    """Give back the points a redemption spent (its order was cancelled); once per
    redemption, however often this is called. None when that redemption never happened."""
    profile = _lock_profile(user.pk)
    key = f"return:{idempotency_key}"
    existing = _existing_points_entry(user.pk, key)
    if existing:
        return existing
    redeemed = _existing_points_entry(user.pk, f"redeem:{idempotency_key}")
    if redeemed is None:
        return None
    return _points_move(
        profile=profile,
        points=-redeemed.points,
        kind=PointsEntryKind.RETURN,
        idempotency_key=key,
        reference_type=redeemed.reference_type or "redeem",
        reference_id=reference,
    )


@transaction.atomic
def points_award(
    *, user: User, points: int, idempotency_key: str, reference_type: str, reference_id: str,
    note: str = "",
) -> PointsEntry:
    """Credit points a promotion gave (a lucky-draw or leaderboard prize) at once; once per
    key, however often it is called. They do not expire like points earned by orders."""
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise InvalidAmount(_("Award a whole number of points greater than zero."))
    profile = _lock_profile(user.pk)
    key = f"award:{idempotency_key}"
    existing = _existing_points_entry(user.pk, key)
    if existing:
        return existing
    return _points_move(
        profile=profile,
        points=points,
        kind=PointsEntryKind.ADJUSTMENT,
        idempotency_key=key,
        reference_type=reference_type,
        reference_id=reference_id,
        note=note[:255],
    )


@transaction.atomic
def points_adjust(*, user: User, points: int, reason: str, staff: User) -> PointsAdjustment:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAmount(_("An adjustment needs a reason."))
    if not points:
        raise InvalidAmount(_("The adjustment must not be zero."))
    profile = _lock_profile(user.pk)
    entry = _points_move(
        profile=profile,
        points=points,
        kind=PointsEntryKind.ADJUSTMENT,
        idempotency_key=None,
        reference_type="adjustment",
        created_by=staff,
        note=reason[:255],
    )
    return PointsAdjustment.objects.create(
        user=user, points=points, reason=reason, staff=staff, entry=entry
    )


@transaction.atomic
def points_expire_for_user(*, user_id: int, now: datetime | None = None) -> PointsEntry | None:
    """Expire earned points past their date that were not spent (oldest points spent first).

    Points due = earned-and-expired − everything ever taken out (redeemed, reversed, expired,
    negative adjustments). Expiry entries count as taken out, so running twice expires once."""
    now = now or timezone.now()
    profile = _lock_profile(user_id)
    entries = PointsEntry.objects.filter(user_id=user_id)
    expired_earned = (
        entries.filter(kind=PointsEntryKind.EARN, expires_at__lte=now).aggregate(s=Sum("points"))[
            "s"
        ]
        or 0
    )
    taken_out = -(entries.filter(points__lt=0).aggregate(s=Sum("points"))["s"] or 0)
    # Points given back by a cancelled order were never really spent.
    taken_out -= entries.filter(kind=PointsEntryKind.RETURN).aggregate(s=Sum("points"))["s"] or 0
    due = min(max(expired_earned - taken_out, 0), profile.points)
    if due <= 0:
        return None
    return _points_move(
        profile=profile,
        points=-due,
        kind=PointsEntryKind.EXPIRE,
        idempotency_key=None,
        reference_type="expiry",
        reference_id=now.date().isoformat(),
    )


def points_expire_due(*, now: datetime | None = None) -> int:
    """Run expiry for every customer holding expired earned points; returns entries written."""
    now = now or timezone.now()
    user_ids = (
        PointsEntry.objects.filter(kind=PointsEntryKind.EARN, expires_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return sum(1 for user_id in list(user_ids) if points_expire_for_user(user_id=user_id, now=now))


# --- integrity ------------------------------------------------------------------------------


def ledger_mismatches() -> list[str]:
    """Accounts whose cached balance or points differ from the sum of their ledger."""
    problems = []
    balance_sums = dict(
        BalanceEntry.objects.values("user_id").annotate(s=Sum("amount")).values_list("user_id", "s")
    )
    points_sums = dict(
        PointsEntry.objects.values("user_id").annotate(s=Sum("points")).values_list("user_id", "s")
    )
    profiles = CustomerProfile.objects.select_related("user").order_by("user_id")
    seen = set()
    for profile in profiles.iterator():
        seen.add(profile.user_id)
        ledger_balance = balance_sums.get(profile.user_id) or Decimal("0.00")
        if profile.balance != ledger_balance:
            problems.append(
                f"{profile.user.email}: balance {profile.balance} but ledger sums to "
                f"{ledger_balance}"
            )
        ledger_points = points_sums.get(profile.user_id) or 0
        if profile.points != ledger_points:
            problems.append(
                f"{profile.user.email}: points {profile.points} but ledger sums to {ledger_points}"
            )
    for user_id in (set(balance_sums) | set(points_sums)) - seen:
        problems.append(f"user {user_id}: ledger entries but no account row")
    return problems


# --- API keys -------------------------------------------------------------------------------

API_KEY_PREFIX_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"
API_KEY_TOUCH_SECONDS = 60


def _api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    user: User,
    name: str,
    scope: str = "read",
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiKey, str]:
    """A new key of ``user``; returns the row and the full key, which is never seen again."""
    name = (name or "").strip()
    if not name:
        raise InvalidApiKey(_("Give the key a name, e.g. ERP sync."))
    if scope not in ApiKeyScope.values:
        raise InvalidApiKey(_("Choose read only or read and order."))
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidApiKey(_("The expiry must be in the future."))
    for _attempt in range(5):
        prefix = "".join(secrets.choice(API_KEY_PREFIX_ALPHABET) for _ in range(8))
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        secret_hash=_api_key_hash(secret),
        scope=scope,
        expires_at=expires_at,
        created_by=created_by or user,
    )
    return key, f"plk_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, user: User | None, key_id: int) -> ApiKey:
    """Revoke a key at once. ``user`` is the owner (another customer's key is not found);
    None when staff revoke it."""
    keys = ApiKey.objects.select_for_update()
    if user is not None:
        keys = keys.filter(user=user)
    key = keys.filter(pk=key_id).first()
    if key is None:
        raise ApiKey.DoesNotExist
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    """The active key that ``raw_key`` spells, its use recorded; None for anything else."""
    parts = (raw_key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "plk" or not parts[1] or not parts[2]:
        return None
    key = ApiKey.objects.select_related("user").filter(prefix=parts[1]).first()
    expected = key.secret_hash if key is not None else _api_key_hash("no such key")
    matches = hmac.compare_digest(expected, _api_key_hash(parts[2]))
    now = timezone.now()
    if key is None or not matches or not key.is_active_at(now) or not key.user.is_active:
        return None
    _api_key_touch(key, now)
    return key


def _api_key_touch(key: ApiKey, now: datetime) -> None:
    """Record the last use at most once a minute per key: one conditional UPDATE, not a
    write per request."""
    stale = now - timedelta(seconds=API_KEY_TOUCH_SECONDS)
    if key.last_used_at is not None and key.last_used_at > stale:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
    ).update(last_used_at=now)
    key.last_used_at = now


def api_token_for(*, user: User):
    """The user's API token; an expired one (``API_TOKEN_MAX_AGE``) is replaced by a new one."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        max_age = settings.API_TOKEN_MAX_AGE
        if not created and max_age and token.created <= timezone.now() - timedelta(
            seconds=max_age
        ):
            token.delete()
            token = Token.objects.create(user=user)
    return token
