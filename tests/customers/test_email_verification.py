import re

import pytest
from django.core import mail
from django.urls import reverse

from customers import services
from customers.models import CustomerProfile

pytestmark = pytest.mark.django_db


def link_in_last_mail():
    return re.search(r"https?://[^/]+(/account/verify-email/\S+/)", mail.outbox[-1].body).group(1)


def test_unverified_customer_sees_the_confirmation_banner(signed_in):
    response = signed_in.get(reverse("customers:overview"))

    assert "Please confirm your email address" in response.content.decode()


def test_following_the_emailed_link_verifies_the_address(
    signed_in, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_verification_send(user=customer)

    signed_in.get(link_in_last_mail())

    assert CustomerProfile.objects.get(user=customer).email_verified
    response = signed_in.get(reverse("customers:overview"))
    assert "Please confirm your email address" not in response.content.decode()


def test_tampered_link_is_refused(client, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_verification_send(user=customer)

    response = client.get(link_in_last_mail().replace(":", "x", 1))

    assert response.status_code == 400
    assert not CustomerProfile.objects.get(user=customer).email_verified


def test_link_for_an_old_email_address_is_refused(
    client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_verification_send(user=customer)
    link = link_in_last_mail()
    customer.email = "changed@example.com"
    customer.save()

    response = client.get(link)

    assert response.status_code == 400


def test_unverified_customer_can_resend_the_link(
    signed_in, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("customers:resend-verification"))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]


def test_no_email_leaves_before_the_sign_up_transaction_commits(customer):
    services.email_verification_send(user=customer)

    assert mail.outbox == []
