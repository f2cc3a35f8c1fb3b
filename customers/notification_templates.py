"""Rendering a notification from its templates: operations' own (``NotificationTemplate``,
edited in the admin) when there is one for the kind and language, else the files under
``templates/notifications/<kind>/``.

Subjects and text bodies are rendered without HTML escaping (they are plain text: a company
called "A & B" stays "A & B"); HTML bodies are rendered with autoescape, so a value a
customer typed (a PO number, an address) can never add markup to an email. Staff-edited
sources go through the same Django template engine, checked when saved: a template that
does not compile is refused with the engine's message and the line it points at.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError, engines
from django.utils import timezone, translation

from .models import NotificationKind, NotificationTemplate


def _engine():
    return engines["django"].engine


def _render(template, context: dict, *, autoescape: bool) -> str:
    with translation.override(context.get("language") or translation.get_language()):
        return template.render(Context(context, autoescape=autoescape))


def _subject(text: str) -> str:
    return " ".join(text.split())[:300]


def _wrap_html(context: dict, subject: str, body_text: str) -> str:
    layout = _engine().get_template("notifications/base.html")
    return _render(
        layout, {**context, "subject": subject, "body_text": body_text}, autoescape=True
    )


def override_for(kind: str, language: str) -> NotificationTemplate | None:
    """Operations' template for the kind in the language. A language without one of its own
    uses the built-in templates translated into it (not operations' wording in another
    language, which the customer may not read)."""
    return NotificationTemplate.objects.filter(kind=kind, language=language).first()


def render_sources(
    *, subject: str, body_text: str, body_html: str, context: dict
) -> tuple[str, str, str]:
    """Render template sources (operations' wording). Raises ``TemplateSyntaxError``."""
    engine = _engine()
    subject_out = _subject(_render(engine.from_string(subject), context, autoescape=False))
    text_out = _render(engine.from_string(body_text), context, autoescape=False).strip() + "\n"
    if body_html.strip():
        html_out = _render(engine.from_string(body_html), context, autoescape=True)
    else:
        html_out = _wrap_html(context, subject_out, text_out)
    return subject_out, text_out, html_out


def render_message(
    *, kind: str, context: dict, language: str | None = None
) -> tuple[str, str, str]:
    """Subject, text body and HTML body of one message of ``kind``."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    context = {**context, "language": language}
    override = override_for(kind, language)
    if override is not None:
        return render_sources(
            subject=override.subject,
            body_text=override.body_text,
            body_html=override.body_html,
            context=context,
        )
    engine, base = _engine(), f"notifications/{kind}"
    subject_template = engine.get_template(f"{base}/subject.txt")
    subject = _subject(_render(subject_template, context, autoescape=False))
    body_text = (
        _render(engine.get_template(f"{base}/body.txt"), context, autoescape=False).strip() + "\n"
    )
    try:
        html_template = engine.get_template(f"{base}/body.html")
    except TemplateDoesNotExist:
        body_html = _wrap_html(context, subject, body_text)
    else:
        body_html = _render(html_template, context, autoescape=True)
    return subject, body_text, body_html


def template_errors(*, subject: str, body_text: str, body_html: str) -> dict[str, str]:
    """The fields whose source does not compile, each with the engine's message."""
    errors = {}
    fields = (("subject", subject), ("body_text", body_text), ("body_html", body_html))
    for field, source in fields:
        try:
            _engine().from_string(source or "")
        except TemplateSyntaxError as error:
            errors[field] = str(error)
    return errors


def file_sources(kind: str) -> dict[str, str]:
    """The file templates of a kind, as the starting point of operations' own wording."""
    sources = {}
    names = (("subject", "subject.txt"), ("body_text", "body.txt"), ("body_html", "body.html"))
    for field, name in names:
        try:
            template = _engine().get_template(f"notifications/{kind}/{name}")
        except TemplateDoesNotExist:
            sources[field] = ""
        else:
            sources[field] = template.source
    return sources


# --- sample data for the admin preview ------------------------------------------------------

_ORDER = SimpleNamespace(
    reference="SO-7KQ2M9X",
    po_number="PO-2026-118",
    total=Decimal("14.60"),
    currency="CNY",
    outstanding=Decimal("14.60"),
)
_LINES = [
    SimpleNamespace(quantity="150", mpn="RC0603FR-0710KL", manufacturer="YAGEO", gross="1.04"),
    SimpleNamespace(
        quantity="1,000", mpn="GRM155R71C104KA88D", manufacturer="Murata", gross="3.20"
    ),
]
_BANK = {
    "account_name": "Partline Electronics Co., Ltd.",
    "bank_name": "Bank of China, Shenzhen Branch",
    "account_number": "7420 0000 1234 5678 901",
    "swift": "BKCHCNBJ45A",
}


def sample_context(kind: str) -> dict:
    """What a message of ``kind`` is rendered with, with made-up values (admin preview)."""
    customer = SimpleNamespace(email="buyer@example.com", first_name="Li", last_name="Wei")
    base = {
        "customer": customer,
        "shop_name": settings.SHOP_NAME,
        "site_url": settings.SITE_URL,
        "link_url": f"{settings.SITE_URL}/account/orders/{_ORDER.reference}/",
    }
    order = {
        "order": _ORDER,
        "lines": _LINES,
        "outstanding": _ORDER.outstanding,
        "pay_by_transfer": True,
        "bank": _BANK,
        "due": "2026-12-05 10:30",
    }
    until = timezone.localtime(timezone.now()).strftime("%Y-%m-%d")
    samples = {
        NotificationKind.ORDER_PLACED: order,
        NotificationKind.ORDER_PAID: order,
        NotificationKind.ORDER_UNPAID_REMINDER: order,
        NotificationKind.ORDER_CANCELLED: {**order, "reason": "Not paid in time"},
        NotificationKind.ORDER_REFUNDED: {
            **order,
            "amount": Decimal("4.20"),
            "destination": "to your account balance",
            "reason": "Two reels damaged in transit",
        },
        NotificationKind.ORDER_SHIPPED: {
            "order": _ORDER,
            "carrier": "SF Express",
            "tracking_number": "SF1234567890",
        },
        NotificationKind.ORDER_DELIVERED: {"order": _ORDER},
        NotificationKind.TOPUP_CONFIRMED: {
            "top_up": SimpleNamespace(
                reference="TU-4F7Q2", amount=Decimal("5000.00"), bonus=Decimal("100.00")
            ),
            "balance": Decimal("5320.00"),
            "currency": "CNY",
        },
        NotificationKind.COUPON_EXPIRING: {
            "coupon": SimpleNamespace(code="SAVE20-K3M9"),
            "benefit": "20.00 CNY off",
            "min_order": Decimal("200.00"),
            "valid_until": until,
            "currency": "CNY",
        },
        NotificationKind.CAMPAIGN: {
            "title": "Spring sale on MLCCs",
            "message": "10 % off Murata and Samsung MLCCs until Friday.",
        },
    }
    return {**base, **samples.get(kind, {"title": "Sample", "message": "Sample message"})}
