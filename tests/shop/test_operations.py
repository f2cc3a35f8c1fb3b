"""Errors reach someone, logs carry a request id, the client address survives the proxy."""

import json
import logging

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from shop.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware
from shop.middleware import ClientIpMiddleware
from tests.shop.helpers import clean_env, run_python

KEY = "k" * 60
LOGGING_OF = (
    "import json, django, logging; django.setup(); from django.conf import settings as s; "
    "import sentry_sdk; handler = logging.getLogger().handlers[0]; "
    "print(json.dumps({'format': s.LOG_FORMAT, 'admins': s.ADMINS, "
    "'formatter': type(handler.formatter).__name__, "
    "'request_mail': [type(h).__name__ for h in logging.getLogger('django.request').handlers], "
    "'sentry': sentry_sdk.get_client().is_active()}))"
)


def logging_of(tmp_path, **env) -> dict:
    result = run_python(LOGGING_OF, clean_env(tmp_path, SECRET_KEY=KEY, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_logs_json_and_mails_errors_to_admins_from_the_environment(tmp_path):
    found = logging_of(tmp_path, ADMINS="Ops Desk <ops@partline.example>,dev@partline.example")

    assert found["format"] == "json"
    assert found["formatter"] == "JsonFormatter"
    assert found["admins"] == [
        ["Ops Desk", "ops@partline.example"],
        ["dev@partline.example", "dev@partline.example"],
    ]
    assert found["request_mail"] == ["AdminEmailHandler"]
    assert found["sentry"] is False


def test_a_sentry_dsn_sends_errors_to_sentry_instead_of_mail(tmp_path):
    found = logging_of(
        tmp_path, SENTRY_DSN="https://key@sentry.partline.example/1", ADMINS="ops@partline.example"
    )

    assert found["sentry"] is True
    assert found["request_mail"] == []


@pytest.mark.parametrize("env", [{"DEBUG": "1"}, {"LOG_FORMAT": "plain"}])
def test_the_demo_logs_plain_lines(tmp_path, env):
    assert logging_of(tmp_path, **env)["format"] == "plain"


def test_html_pages_are_not_gzipped_by_the_app():
    assert not [name for name in settings.MIDDLEWARE if "GZip" in name]


def _answer(request, records):
    def view(request):
        logging.getLogger("partline.test").warning("part page", extra={"sku": "P1000001"})
        return HttpResponse()

    logger = logging.getLogger("partline.test")
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    try:
        return RequestIdMiddleware(view)(request)
    finally:
        logger.removeHandler(handler)


def test_every_log_record_of_a_request_carries_its_id_and_the_response_says_it():
    records = []

    response = _answer(RequestFactory().get("/", HTTP_X_REQUEST_ID="nginx-42abc"), records)

    assert response["X-Request-ID"] == "nginx-42abc"
    [record] = records
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "nginx-42abc"
    assert line["message"] == "part page"
    assert line["sku"] == "P1000001"
    assert line["level"] == "WARNING"


def test_a_request_without_a_usable_id_gets_a_new_one():
    records = []

    response = _answer(RequestFactory().get("/", HTTP_X_REQUEST_ID="forged\nline"), records)

    assert len(response["X-Request-ID"]) == 32
    assert records[0].request_id == response["X-Request-ID"]


def _client_ip(trusted: int, **meta) -> str:
    seen = {}

    def view(request):
        seen["ip"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    settings.TRUSTED_PROXY_COUNT = trusted
    ClientIpMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", **meta))
    return seen["ip"]


@pytest.fixture
def restore_proxy_count():
    saved = settings.TRUSTED_PROXY_COUNT
    yield
    settings.TRUSTED_PROXY_COUNT = saved


def test_behind_one_proxy_the_client_is_the_address_it_saw_not_what_the_client_wrote(
    restore_proxy_count,
):
    forged = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}

    assert _client_ip(1, **forged) == "203.0.113.7"
    assert _client_ip(2, **forged) == "6.6.6.6"


def test_without_trusted_proxies_x_forwarded_for_is_ignored(restore_proxy_count):
    assert _client_ip(0, HTTP_X_FORWARDED_FOR="6.6.6.6") == "172.18.0.5"
