import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("customers:password-reset"), {"email": "buyer@example.com"})
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Inductor-10uH-1210", "new_password2": "Inductor-10uH-1210"},
    )

    customer.refresh_from_db()
    assert customer.check_password("Inductor-10uH-1210")


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("customers:password-reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []
