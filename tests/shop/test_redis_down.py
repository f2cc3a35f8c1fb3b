"""Redis-down drill: with the cache and the Celery broker unreachable the store still serves.

Cache and broker point at a loopback port nothing listens on (the settings' own cache
backends, as ``REDIS_URL`` configures them under scripts/run_tests.py); tasks are published
for real instead of running eagerly. No page answers 500, and sign-up still makes the
account.
"""

import logging
import socket
import time
from decimal import Decimal

import pytest
from django.test import Client

from customers.models import User
from shop.celery import app as celery_app
from shop.models import OutboxMessage
from tests.customers.factories import CustomerFactory
from tests.factories import (
    CategoryFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Capacitor-100nF-X7R"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _drop_broker_connections() -> None:
    """Forget the pooled broker connections, so the next publish connects to the broker the
    configuration names now (as Celery does after a fork)."""
    celery_app._after_fork()


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    if settings.REDIS_URL:  # the backends shop/settings.py configured, moved to a dead port
        settings.CACHES = {
            alias: {**config, "LOCATION": url} for alias, config in settings.CACHES.items()
        }
    else:  # the quick SQLite run: what shop/settings.py configures when REDIS_URL is set
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        settings.CACHES = {
            "default": {
                "BACKEND": "shop.cache.FailSafeRedisCache",
                "LOCATION": url,
                "OPTIONS": options,
            },
            "throttle": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": options,
            },
        }
    # Read before the settings change: Celery loads its configuration on first use.
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _drop_broker_connections()
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    yield url
    _drop_broker_connections()
    celery_app.conf.update(saved)


@pytest.fixture
def store():
    category = CategoryFactory(name="Resistors", slug="resistors")
    part = PartFactory(mpn="RC0603FR-0710KL", category=category, description="Thick film 10k")
    StockFactory(part=part, on_hand=5000)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0100"))
    customer = CustomerFactory(email="buyer@example.com", password=PASSWORD)
    return {"part": part, "category": category, "customer": customer}


def test_pages_sign_in_and_sign_up_work_while_redis_is_down(redis_down, store, caplog):
    client = Client()
    started = time.monotonic()
    part, category = store["part"], store["category"]

    answers = {
        "home": client.get("/", secure=True),
        "part": client.get(part.get_absolute_url(), secure=True),
        "category": client.get(f"/c/{category.path}/", secure=True),
        "search": client.get("/search/", {"q": "thick film"}, secure=True),
        "suggest": client.get("/search/suggest", {"q": "RC06"}, secure=True),
        "api lookup": client.post(
            "/api/v1/parts/lookup/",
            {"items": [{"mpn": part.mpn, "quantity": 10}]},
            content_type="application/json",
            secure=True,
        ),
        "api token": client.post(
            "/api/v1/account/token/",
            {"email": "buyer@example.com", "password": "wrong"},
            content_type="application/json",
            secure=True,
        ),
        "sign-in wrong": client.post(
            "/account/login/",
            {"username": "buyer@example.com", "password": "wrong"},
            secure=True,
        ),
        "password reset": client.post(
            "/account/password-reset/", {"email": "buyer@example.com"}, secure=True
        ),
        "sign-in": client.post(
            "/account/login/",
            {"username": "buyer@example.com", "password": PASSWORD},
            secure=True,
        ),
    }
    client.post("/account/logout/", secure=True)
    with caplog.at_level(logging.ERROR, logger="shop.tasks"):
        answers["sign-up"] = client.post(
            "/account/register/",
            {
                "email": "new@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "customer_type": "engineer",
            },
            secure=True,
        )

    codes = {name: response.status_code for name, response in answers.items()}
    assert all(code < 500 for code in codes.values()), codes
    assert codes["home"] == codes["part"] == codes["category"] == codes["search"] == 200
    assert codes["api lookup"] == 200
    assert answers["api lookup"].json()["results"][0]["match"] == "exact"
    assert codes["sign-in"] == 302 and codes["sign-up"] == 302
    assert User.objects.filter(email="new@example.com").exists()
    assert "could not queue task customers.tasks.send_customer_email" in caplog.text
    # ...and the verification email waits in the outbox for the relay.
    assert OutboxMessage.objects.filter(
        task_name="customers.tasks.send_customer_email",
        kwargs__to="new@example.com",
        dispatched_at__isnull=True,
    ).exists()
    assert time.monotonic() - started < 30  # no request waits out timeouts one after another


def test_healthz_says_degraded_with_200_while_redis_is_down(redis_down, client):
    response = client.get("/healthz", secure=True)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("down")
    assert body["checks"]["broker"].startswith("down")


def test_sign_in_limits_still_hold_while_redis_is_down(redis_down, store):
    client = Client()
    for _ in range(5):
        client.post(
            "/account/login/",
            {"username": "buyer@example.com", "password": "wrong"},
            REMOTE_ADDR="10.3.3.3",
            secure=True,
        )

    response = client.post(
        "/account/login/",
        {"username": "buyer@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.3.3.3",
        secure=True,
    )

    assert response.status_code == 200
    assert "Too many sign-in attempts" in response.content.decode()


def test_checkout_and_payment_work_while_redis_is_down(redis_down, store, caplog):
    """A customer adds a part, reviews, places the order and pays the rest from the
    balance: every step answers, the order is paid, and the emails that could not be
    queued are logged, never turned into an error page."""
    from customers.services import balance_credit
    from orders.models import Order, OrderStatus
    from tests.customers.factories import AddressFactory
    from tests.factories import ShippingMethodFactory
    from tests.orders.test_checkout_pages import form_data, hidden

    customer, part = store["customer"], store["part"]
    address = AddressFactory(user=customer, is_default=True)
    express = ShippingMethodFactory()
    balance_credit(user=customer, amount=Decimal("100.00"), idempotency_key="drill")
    client = Client()
    client.force_login(customer)

    with caplog.at_level(logging.ERROR, logger="shop.tasks"):
        added = client.post("/cart/add/", {"part": part.pk, "quantity": "100"}, secure=True)
        review = client.post("/checkout/", form_data(address, express), secure=True)
        placed = client.post("/checkout/place/", hidden(review.content.decode()), secure=True)
        order = Order.objects.get(customer=customer)
        page = client.get(order.get_absolute_url(), secure=True)
        paid = client.post(
            f"/payments/orders/{order.reference}/balance/",
            {"idempotency_key": "drill-balance"},
            secure=True,
        )

    codes = [r.status_code for r in (added, review, page, placed, paid)]
    assert codes == [302, 200, 200, 302, 302], codes
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == order.total
    assert "could not queue task orders.lifecycle.tasks.order_placed_email" in caplog.text
    assert OutboxMessage.objects.filter(
        task_name="orders.lifecycle.tasks.order_placed_email",
        kwargs={"order_id": order.pk},
        dispatched_at__isnull=True,
    ).exists()
