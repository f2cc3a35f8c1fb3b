import json

from tests.shop.helpers import clean_env, run_python, settings_of

KEY = "x" * 60


def test_with_nothing_set_the_demo_runs_on_sqlite_local_cache_and_eager_tasks(tmp_path):
    settings = settings_of(clean_env(tmp_path, SECRET_KEY=KEY))

    assert settings["db"] == "django.db.backends.sqlite3"
    assert settings["db_name"] == str(tmp_path / "partline.sqlite3")
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["eager"] is True
    assert settings["debug"] is False


def test_database_url_switches_to_postgresql(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY=KEY, DATABASE_URL="postgres://shop:pw@db:5432/partline")

    settings = settings_of(env)

    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["db_name"] == "partline"


def test_redis_url_switches_cache_and_broker_to_redis_and_tasks_to_workers(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY=KEY, REDIS_URL="redis://redis:6379/0")

    settings = settings_of(env)

    assert settings["cache"] == "shop.cache.FailSafeRedisCache"
    assert settings["broker"] == "redis://redis:6379/0"
    assert settings["eager"] is False


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message(tmp_path):
    result = run_python("import django; django.setup()", clean_env(tmp_path))

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_runs_without_a_secret_key(tmp_path):
    settings = settings_of(clean_env(tmp_path, DEBUG="1"))

    assert settings["debug"] is True


def test_sessions_are_read_through_redis_when_there_is_one_and_from_the_database_otherwise(
    tmp_path,
):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.STORAGES['default']['BACKEND'])"
    )
    alone = run_python(code, clean_env(tmp_path, SECRET_KEY=KEY))
    with_redis = run_python(code, clean_env(tmp_path, SECRET_KEY=KEY, REDIS_URL="redis://r:6379/0"))

    assert alone.stdout.split() == [
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.FileSystemStorage",
    ]
    assert with_redis.stdout.split()[0] == "django.contrib.sessions.backends.cached_db"


def test_replica_urls_become_replica_aliases_behind_the_router(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASE_ROUTERS, s.DATABASE_REPLICAS, "
        "{a: [d['HOST'], d['TEST']['MIRROR']] for a, d in s.DATABASES.items()}]))"
    )
    urls = "postgres://shop@db-r1:5432/partline,postgres://shop@db-r2:5432/partline"
    replicated = run_python(code, clean_env(
        tmp_path, SECRET_KEY=KEY, DATABASE_URL="postgres://shop@db:5432/partline",
        DATABASE_REPLICA_URLS=urls,
    ))
    alone = run_python(code, clean_env(tmp_path, SECRET_KEY=KEY))

    routers, aliases, databases = json.loads(replicated.stdout.splitlines()[-1])
    assert routers == ["shop.replicas.ReplicaRouter"]
    assert aliases == ["replica1", "replica2"]
    assert databases["replica2"] == ["db-r2", "default"]
    assert json.loads(alone.stdout.splitlines()[-1])[:2] == [[], []]
