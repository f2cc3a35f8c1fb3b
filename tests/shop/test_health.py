import json
import socket

import pytest

from tests.shop.helpers import clean_env, run_python

HEALTHZ = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('/healthz', secure=True); "
    "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz(env) -> dict:
    result = run_python(HEALTHZ, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_reports_every_service_up(client, settings):
    response = client.get("/healthz", secure=True)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in ("ok", "eager")


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz", secure=True)

    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    env = clean_env(
        tmp_path, SECRET_KEY="k" * 60,
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{_closed_port()}/partline",
    )

    result = _healthz(env)

    assert result["status"] == 503
    assert result["body"]["status"] == "down"
    assert result["body"]["checks"]["database"].startswith("down")


def test_healthz_stays_200_but_degraded_when_redis_is_down(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY="k" * 60, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    run_python("import django; django.setup(); from django.core.management import call_command; "
               "call_command('migrate', verbosity=0)", env)

    result = _healthz(env)

    assert result["status"] == 200
    assert result["body"]["status"] == "degraded"
    assert result["body"]["checks"]["cache"].startswith("down")
    assert result["body"]["checks"]["broker"].startswith("down")
