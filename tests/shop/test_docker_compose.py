"""Docker cannot run here; these tests keep the compose file true to the settings."""

import re
from urllib.parse import urlsplit

import yaml

from tests.shop.helpers import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS_SOURCE = (ROOT / "shop" / "settings.py").read_text()
SETTINGS_ENV_NAMES = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))


def test_compose_runs_web_worker_beat_postgres_and_redis():
    assert {"web", "worker", "beat", "db", "redis"} <= set(SERVICES)
    assert "gunicorn shop.wsgi:application" in SERVICES["web"]["command"]
    assert SERVICES["worker"]["command"].startswith("celery -A shop worker")
    assert SERVICES["beat"]["command"].startswith("celery -A shop beat")


def test_one_worker_listens_on_each_queue_the_tasks_are_routed_to():
    from django.conf import settings

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    routed.add(settings.CELERY_TASK_DEFAULT_QUEUE)
    workers = [s["command"] for name, s in SERVICES.items() if name.startswith("worker")]
    listened = [re.search(r"--queues (\S+)", command).group(1).split(",") for command in workers]

    assert {"orders", "notifications", "imports", "celery"} <= routed
    assert sorted(queue for queues in listened for queue in queues) == sorted(routed)
    assert all(command.startswith("celery -A shop worker") for command in workers)


def test_the_outbox_relay_runs_as_its_own_process():
    assert SERVICES["relay"]["command"] == "python manage.py relay_outbox --loop"
    assert SERVICES["relay"]["environment"] == SERVICES["web"]["environment"]


def test_every_app_variable_is_one_the_settings_read():
    for name in ("web", "worker", "beat", "relay"):
        unknown = set(SERVICES[name]["environment"]) - SETTINGS_ENV_NAMES
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"


def test_database_and_redis_urls_point_at_the_compose_services():
    env = SERVICES["web"]["environment"]
    database = urlsplit(env["DATABASE_URL"].replace("${POSTGRES_PASSWORD:-partline}", "pw"))
    redis = urlsplit(env["REDIS_URL"])

    assert database.scheme == "postgres" and database.hostname == "db"
    assert database.path.lstrip("/") == SERVICES["db"]["environment"]["POSTGRES_DB"]
    assert database.username == SERVICES["db"]["environment"]["POSTGRES_USER"]
    assert redis.scheme == "redis" and redis.hostname == "redis"


def test_dockerfile_installs_from_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "-c requirements.lock" in dockerfile
    assert SERVICES["web"]["build"] == "."
