"""Staff see every notification with its email's fate and resend failed ones; operations
word each kind themselves, previewed with sample data, and a template that does not compile
is refused with nothing saved."""

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from customers.models import EmailDelivery, NotificationKind, NotificationTemplate
from customers.notifications import notify

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

TEMPLATES = reverse("admin:customers_notificationtemplate_add")


def campaign(customer, n=1):
    return notify(
        customer=customer,
        kind=NotificationKind.CAMPAIGN,
        dedup_key=f"campaign:{n}",
        context={"title": f"MLCC week {n}", "message": "10% off"},
    )


def failed(customer, n=1):
    message = campaign(customer, n)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
    ):
        from customers.tasks import deliver_notification_email

        deliver_notification_email.apply(kwargs={"notification_id": message.pk})
    message.refresh_from_db()
    assert message.email_status == EmailDelivery.FAILED
    return message


def resend(admin_client, messages, action="resend_email"):
    return admin_client.post(
        reverse("admin:customers_notification_changelist"),
        {"action": action, "_selected_action": [m.pk for m in messages]},
        follow=True,
    )


def test_staff_see_each_message_with_kind_customer_and_email_status(admin_client, customer):
    message = failed(customer)

    html = admin_client.get(reverse("admin:customers_notification_changelist")).content.decode()
    detail = admin_client.get(
        reverse("admin:customers_notification_change", args=[message.pk])
    ).content.decode()

    assert "Promotion" in html and customer.email in html and "Failed" in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in detail


def test_staff_filter_messages_by_email_status(admin_client, customer):
    failed(customer, 1)
    campaign(customer, 2)
    url = reverse("admin:customers_notification_changelist")

    html = admin_client.get(url, {"email_status": "failed"}).content.decode()

    assert "MLCC week 1" in html and "MLCC week 2" not in html


def test_resend_sends_a_failed_email_again(
    admin_client, customer, django_capture_on_commit_callbacks
):
    message = failed(customer)

    with django_capture_on_commit_callbacks(execute=True):
        response = resend(admin_client, [message])

    assert "1 email(s) queued again." in response.content.decode()
    message.refresh_from_db()
    assert message.email_status == EmailDelivery.SENT and message.email_attempts == 2
    assert [m.subject for m in mail.outbox] == ["MLCC week 1"]


def test_resend_leaves_a_sent_email_alone(
    admin_client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = campaign(customer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = resend(admin_client, [message])

    assert "1 message(s) left alone" in response.content.decode()
    assert mail.outbox == []


def test_staff_can_force_a_sent_email_out_again(
    admin_client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = campaign(customer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resend(admin_client, [message], action="force_resend_email")

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.email_status == EmailDelivery.SENT and message.email_attempts == 2


def test_staff_without_change_permission_cannot_resend(client, customer):
    from django.contrib.auth.models import Permission

    viewer = CustomerFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(viewer)
    message = failed(customer)

    resend(client, [message])

    message.refresh_from_db()
    assert message.email_status == EmailDelivery.FAILED


def template_form(**overrides):
    return {
        "kind": NotificationKind.ORDER_PLACED,
        "language": "en",
        "subject": "Thanks! Order {{ order.reference }} is in",
        "body_text": "We got order {{ order.reference }}. Pay to {{ bank.account_name }}.",
        "body_html": "<p>Order <b>{{ order.reference }}</b> for {{ customer.email }}</p>",
        **overrides,
    }


def test_a_saved_template_is_used_instead_of_the_file_template(admin_client, customer):
    response = admin_client.post(TEMPLATES, template_form())
    assert response.status_code == 302

    told = notify(
        customer=customer,
        kind=NotificationKind.ORDER_PLACED,
        dedup_key="order-placed:SO-9",
        context={"order": {"reference": "SO-9"}, "bank": {"account_name": "A & B Ltd."}},
    )

    assert told.subject == "Thanks! Order SO-9 is in"
    assert told.body_text == "We got order SO-9. Pay to A & B Ltd..\n"
    assert told.body_html == "<p>Order <b>SO-9</b> for buyer@example.com</p>"


def test_the_html_of_a_saved_template_escapes_the_values(admin_client, customer):
    admin_client.post(TEMPLATES, template_form())

    told = notify(
        customer=customer,
        kind=NotificationKind.ORDER_PLACED,
        dedup_key="order-placed:SO-9",
        context={"order": {"reference": "<script>x</script>"}, "bank": {}},
    )

    assert "&lt;script&gt;" in told.body_html and "<script>" not in told.body_html


def test_a_template_that_does_not_compile_is_refused_and_nothing_is_saved(admin_client):
    response = admin_client.post(TEMPLATES, template_form(body_text="Order {% if order %}"))

    assert response.status_code == 200
    assert "This template does not compile" in response.content.decode()
    assert "Unclosed tag" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_a_template_including_a_missing_file_is_refused(admin_client):
    response = admin_client.post(
        TEMPLATES, template_form(body_html='{% include "notifications/nowhere.html" %}')
    )

    assert response.status_code == 200
    assert "This template cannot be rendered" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_the_template_page_previews_the_saved_wording_with_sample_data(admin_client):
    admin_client.post(TEMPLATES, template_form())
    template = NotificationTemplate.objects.get()

    html = admin_client.get(
        reverse("admin:customers_notificationtemplate_change", args=[template.pk])
    ).content.decode()

    assert "Thanks! Order SO-7KQ2M9X is in" in html
    assert "Partline Electronics Co., Ltd." in html


def test_a_new_template_starts_from_the_file_wording(admin_client):
    html = admin_client.get(TEMPLATES, {"kind": "order_placed"}).content.decode()

    assert "notifications/_payment_instructions.txt" in html


def test_a_template_in_another_language_is_used_only_in_that_language(admin_client, customer):
    from django.utils import translation

    chinese_form = template_form(language="zh-hans", subject="订单 {{ order.reference }} 已收到")
    admin_client.post(TEMPLATES, chinese_form)
    context = {"order": {"reference": "SO-9"}, "bank": {}}

    english = notify(customer=customer, kind="order_placed", dedup_key="en", context=context)
    customer.language = "zh-hans"
    customer.save(update_fields=["language"])
    with translation.override("en"):
        chinese = notify(
            customer=customer, kind="order_placed", dedup_key="zh", context=context
        )

    assert chinese.subject == "订单 SO-9 已收到"
    assert english.subject == "Order SO-9 received"
