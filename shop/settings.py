"""Partline settings: everything from the environment, with defaults that run the demo.

With nothing set the store runs on an SQLite file under ``var/``, a local-memory cache and
eager Celery tasks. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PARTLINE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(DEBUG is off, so no development key is used). `make run` keeps one in var/secret_key."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Catalog pages carry no token (shared caches keep them): a form posted before the visitor
# has a csrftoken cookie gets a page that posts it again with one (shop/views.py).
CSRF_FAILURE_VIEW = "shop.views.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_filters",
    "catalog",
    "customers",
    "promotions",
    "orders",
    "reports",
    "shop",
]

MIDDLEWARE = [
    "shop.logs.RequestIdMiddleware",
    "shop.middleware.ClientIpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shop.middleware.ContentSecurityPolicyMiddleware",
    "shop.middleware.RejectNulBytesMiddleware",
    "shop.db.StatementTimeoutMiddleware",
    "shop.replicas.PrimaryAfterWriteMiddleware",
    "shop.middleware.PartPageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "shop.middleware.LanguageRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "customers.middleware.CustomerLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.middleware.PrivatePagesMiddleware",
    "customers.middleware.BehaviourEventsMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.store",
                "shop.context_processors.language",
                "customers.context_processors.inbox",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another one.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'partline.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Longest a statement of a storefront or API request may run (PostgreSQL; 0: no limit). The
# admin (paths below), imports, Celery tasks and management commands are not limited.
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=5000)
DB_STATEMENT_TIMEOUT_EXEMPT = ["/admin/"]
# The catalog's compiled reads (catalog/compiled_reads.py) run as prepared statements with
# generic plans on PostgreSQL. Turn off behind a pooler that keeps no prepared statements
# (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_READS = env.bool("DATABASE_PREPARED_READS", default=True)
# Read replicas (shop.replicas): DATABASE_REPLICA_URLS, comma-separated, become the aliases
# replica1…N. Storefront and API requests read the catalog apps from them; writes, locked
# reads, the admin, tasks and commands use the primary, and so does, for
# DATABASE_REPLICA_PIN_SECONDS, a visitor who has just sent a POST, PUT, PATCH or DELETE.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _replica = {
        **environ.Env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    if DB_STATEMENT_TIMEOUT_MS:
        _replica.setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
        )
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["shop.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
DATABASE_REPLICA_APPS = ["catalog"]
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
DATABASE_REPLICA_PIN_COOKIE = "primary_until"
DATABASE_REPLICA_EXEMPT_PATHS = ["/admin/"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "customers.User"
# The model backend, loading the header's unread-message count with the signed-in user.
# Django's own stays listed so sessions signed in before it keep working (their header
# count then costs one query) instead of everyone being signed out.
AUTHENTICATION_BACKENDS = [
    "customers.auth_backends.CustomerBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Cache and Celery broker: Redis when REDIS_URL is set, otherwise local memory and eager tasks.
REDIS_URL = env.str("REDIS_URL", default="")
# "default" degrades to no cache while Redis is down (shop.cache); "throttle" holds the
# sign-in counters and reports an outage, so customers.throttle can count in-process instead.
if REDIS_URL:
    _redis_cache = {
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "partline",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {
        "default": {"BACKEND": "shop.cache.FailSafeRedisCache", **_redis_cache},
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_redis_cache},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "partline",
            "TIMEOUT": 300,
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "partline-throttle",
            "TIMEOUT": 300,
        },
    }

# Sessions live in the database; with Redis they are read through the cache (a Redis outage
# then costs a query per request, never a sign-out), so any web process serves any visitor.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db",
)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A task still unacknowledged this long (its worker vanished) is delivered again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# A task is warned (SoftTimeLimitExceeded) then killed; catalog imports get hours.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ANNOTATIONS = {
    "catalog.tasks.run_catalog_import": {"soft_time_limit": 3 * 3600, "time_limit": 3 * 3600 + 300},
}
# One queue per kind of work, one worker each (docker-compose.yml), so a 1,000,000-row
# import never delays an order confirmation. Patterns are tried in order.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "orders.lifecycle.tasks.*_email": {"queue": "notifications"},
    "orders.rfq.tasks.*": {"queue": "notifications"},
    "customers.tasks.send_customer_email": {"queue": "notifications"},
    "customers.tasks.deliver_notification_email": {"queue": "notifications"},
    "orders.lifecycle.tasks.*": {"queue": "orders"},
    "orders.payments.tasks.*": {"queue": "orders"},
    "orders.fulfilment.tasks.*": {"queue": "fulfilment"},
    "catalog.tasks.*": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE: dict = {
    "shop-relay-outbox": {"task": "shop.tasks.relay_outbox", "schedule": 30.0},
    # Every five minutes, inside the ten minutes the vocabulary and home counts stay fresh.
    "shop-refresh-shared-caches": {"task": "shop.tasks.refresh_shared_caches", "schedule": 300.0},
}
# A stale shared cache (catalog/refreshing.py) is rebuilt in a background thread of the
# process that found it ("thread"), or in the request itself ("inline", the test suite).
CATALOG_CACHE_REFRESH = env("CATALOG_CACHE_REFRESH", default="thread")
# A category's listing index (catalog/listing_index.py) is rebuilt after a change at most
# this often: the rows shown are read fresh, which parts match a stock filter may trail.
CATALOG_LISTING_SETTLE_SECONDS = env.int("CATALOG_LISTING_SETTLE_SECONDS", default=60)
# A search with no filters keeps what it found (the part it names, or its ranked candidates
# and facets) this long (catalog.search.ranked_search); the rows shown are read fresh. 0: off.
CATALOG_SEARCH_CACHE_SECONDS = env.int("CATALOG_SEARCH_CACHE_SECONDS", default=60)
# Outbox (shop.outbox): the committing request publishes its row at once; a row still
# pending this long after it is the relay's to publish; failed publishes back off from the
# base, doubling, up to the max; dispatched rows are kept this many days.
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=30)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=2)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=300)
OUTBOX_RELAY_BATCH_SIZE = env.int("OUTBOX_RELAY_BATCH_SIZE", default=100)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
# /healthz says "degraded" when the oldest pending row is older than this.
OUTBOX_BACKLOG_ALERT_SECONDS = env.int("OUTBOX_BACKLOG_ALERT_SECONDS", default=300)
# A customer message's email that the mail server refused is tried again after this many
# seconds, doubling, at most NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS, 8 times; then staff resend.
NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS = env.int(
    "NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS", default=30
)
NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS = env.int(
    "NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS", default=1800
)
# Workers log through LOGGING below (JSON lines with the task's logger), not Celery's format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Chinese pages group numbers by thousands like the English ones (shop/formats/zh_Hans).
FORMAT_MODULE_PATH = ["shop.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The visitor's choice from the language switch; shop.middleware.LanguageRedirectMiddleware
# sends unprefixed storefront URLs to it.
LANGUAGE_COOKIE_AGE = 365 * 86400
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Production serves media from a web server or object storage; the demo lets Django do it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Media (part pictures, import files and reports, return photos, order attachments) go to an
# S3 bucket when AWS_STORAGE_BUCKET_NAME is set, so web processes and workers on several
# machines share them; AWS_S3_ENDPOINT_URL names an S3-compatible server (MinIO, Ceph…), and
# AWS_S3_CUSTOM_DOMAIN a CDN in front of the bucket. Without keys boto3 finds its own (IAM).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_ORIGINS: list[str] = []
if AWS_STORAGE_BUCKET_NAME:
    _s3_endpoint = env.str("AWS_S3_ENDPOINT_URL", default="")
    _s3_region = env.str("AWS_S3_REGION_NAME", default="")
    _s3_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _s3_endpoint or None,
            "region_name": _s3_region or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": _s3_domain or None,
            # Uploads never replace another file of the same name; objects stay private and
            # links to them are signed for an hour, unless a CDN domain serves them.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": not _s3_domain,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
        },
    }
    # Pages show part pictures from there: the Content-Security-Policy allows that origin.
    if _s3_domain:
        MEDIA_ORIGINS = [f"https://{_s3_domain}"]
    elif _s3_endpoint:
        MEDIA_ORIGINS = [_s3_endpoint.rstrip("/")]
    else:
        MEDIA_ORIGINS = [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_s3_region or 'us-east-1'}.amazonaws.com",
        ]
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email: EMAIL_URL (smtp://user:pass@host:587) or the console backend.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_FILE_PATH", default=""):
    # One file per message in this directory (drills and demos that read the mail sent).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Partline <shop@partline.example>")

# Security: strict by default; `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our origin or with the page's
# nonce ({{ request.csp_nonce }}); no other origin is needed, not even by /api/docs/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        # Inline style attributes (the admin's, Swagger UI's) are harmless enough; a nonce
        # here would make browsers ignore 'unsafe-inline'.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Responses under these paths (and every other response of a signed-in customer that sets no
# Cache-Control of its own) are `Cache-Control: private, no-store`.
SHOP_PRIVATE_PATH_PREFIXES = ["/account/", "/cart/", "/quote/", "/api/v1/account/", "/admin/"]

# A shared HTTP cache (Varnish, a CDN) in front: anonymous part, category and manufacturer
# pages may be kept HTTP_CACHE_S_MAXAGE seconds and served stale while refetched for
# HTTP_CACHE_STALE_WHILE_REVALIDATE more; a change to a part purges its pages by surrogate
# key at each of HTTP_CACHE_PURGE_URLS (deploy/varnish/partline.vcl; empty: no purge).
HTTP_CACHE_S_MAXAGE = env.int("HTTP_CACHE_S_MAXAGE", default=300)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env.int("HTTP_CACHE_STALE_WHILE_REVALIDATE", default=86400)
HTTP_CACHE_PURGE_URLS = env.list("HTTP_CACHE_PURGE_URLS", default=[])
HTTP_CACHE_PURGE_TIMEOUT = env.float("HTTP_CACHE_PURGE_TIMEOUT", default=5.0)
# An anonymous part page already in the page cache is answered in front of Django
# (shop.kept_pages, the WSGI application) or by shop.middleware.PartPageCacheMiddleware,
# before sessions and authentication; off, it goes through the whole middleware stack like
# any page (same answer, more work).
CATALOG_PAGE_CACHE_EARLY = env.bool("CATALOG_PAGE_CACHE_EARLY", default=True)
# How long the page cache answers a part page by its address without reading the part's
# change stamps again (catalog/page_cache.py; a change forgets the page at once).
CATALOG_PAGE_CACHE_SECONDS = env.int("CATALOG_PAGE_CACHE_SECONDS", default=HTTP_CACHE_S_MAXAGE)

# API rate limits, per client address (anonymous) or per customer (API key, token, session);
# published on /developers/.
API_THROTTLE_RATES = {
    "anonymous_burst": env.str("API_RATE_ANONYMOUS_BURST", default="5/s"),
    "anonymous_sustained": env.str("API_RATE_ANONYMOUS", default="60/min"),
    "customer_burst": env.str("API_RATE_CUSTOMER_BURST", default="20/s"),
    "customer_sustained": env.str("API_RATE_CUSTOMER", default="600/min"),
}
# DRF tokens (Authorization: Token …) older than this many seconds are refused; 0: never.
API_TOKEN_MAX_AGE = env.int("API_TOKEN_MAX_AGE", default=90 * 24 * 3600)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The first class answers unauthenticated calls with 401 and its WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "customers.api_auth.ApiKeyAuthentication",
        "customers.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "shop.api_throttling.BurstRateThrottle",
        "shop.api_throttling.SustainedRateThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "shop.api_pagination.StorePagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "shop.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partline API",
    "DESCRIPTION": (
        "Parts, prices, stock and orders of the Partline component store. Errors have one "
        "shape (the Error component); limits and examples are on /developers/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        # A top-up's status keeps the name it had before returns added a "status" field.
        "StatusEnum": "customers.models.TopUpStatus",
        "ReturnKindEnum": "orders.models.returns.ReturnKind",
        "ReturnStatusEnum": "orders.returns.status.ReturnStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shop.api_schema.add_error_responses",
    ],
}

# Proxies in front of the store that append to X-Forwarded-For (nginx alone: 1); the client
# address is what the outermost of them saw (shop.middleware.ClientIpMiddleware).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Logs: JSON lines with a request id in production; plain lines with DEBUG or LOG_FORMAT=plain
# (`make run`). Errors reach someone: Sentry when SENTRY_DSN is set, else mail to ADMINS.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
SENTRY_DSN = env.str("SENTRY_DSN", default="")


def _admin(entry: str) -> tuple[str, str]:
    """'Ops <ops@example.com>' or 'ops@example.com' as Django's (name, address)."""
    name, bracket, address = entry.partition("<")
    if not bracket:
        return entry.strip(), entry.strip()
    address = address.strip("> ")
    return name.strip() or address, address


# Who gets error mail without Sentry: "Ops <ops@example.com>,dev@example.com".
ADMINS = [_admin(entry) for entry in env.list("ADMINS", default=[]) if entry.strip()]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = f"[{env.str('SHOP_NAME', default='Partline')}] "
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "shop.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shop.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default "django" logger (console only with DEBUG, its own mail).
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # Without Sentry, unhandled errors of requests and tasks are mailed to ADMINS.
        "django.request": {
            "handlers": [] if SENTRY_DSN or not ADMINS else ["mail_admins"],
            "level": "WARNING",
        },
        "celery": {
            "handlers": [] if SENTRY_DSN or not ADMINS else ["mail_admins"],
            "level": "INFO",
        },
    },
}
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# The store's own settings.
SHOP_NAME = env.str("SHOP_NAME", default="Partline")
SHOP_CURRENCY = env.str("SHOP_CURRENCY", default="CNY")
SHOP_VAT_RATE = Decimal(env.str("SHOP_VAT_RATE", default="0.13"))
CATALOG_IMPORT_BATCH_SIZE = env.int("CATALOG_IMPORT_BATCH_SIZE", default=2000)

# IndexNow (Bing, Yandex, Seznam, Naver…): off unless a key is set.
INDEXNOW_KEY = env.str("INDEXNOW_KEY", default="")
INDEXNOW_ENDPOINT = env.str("INDEXNOW_ENDPOINT", default="https://api.indexnow.org/indexnow")
INDEXNOW_BATCH_SIZE = 10_000
CELERY_IMPORTS = ["catalog.indexnow"]
if INDEXNOW_KEY:
    CELERY_BEAT_SCHEDULE["indexnow-submit-changed-parts"] = {
        "task": "catalog.indexnow.submit_changed_parts",
        "schedule": 600.0,
    }

# Customers: accounts, ledgers, sign-in.
LOGIN_URL = "customers:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Called (dotted paths, in order) inside the registration transaction with the new user.
CUSTOMERS_AFTER_REGISTER: list[str] = []
# Templates other apps contribute to the account overview, included in order.
CUSTOMERS_OVERVIEW_PANELS: list[str] = []
# --- customers: begin (owned by the customers app) ---
CUSTOMERS_LOGIN_MAX_FAILURES = env.int("CUSTOMERS_LOGIN_MAX_FAILURES", default=5)
# Per IP higher than per email: an office shares one address.
CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP = env.int("CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP", default=20)
CUSTOMERS_LOGIN_WINDOW_SECONDS = env.int("CUSTOMERS_LOGIN_WINDOW_SECONDS", default=15 * 60)
# Per account from every address not signed in from before, an hour (OWASP ASVS: at most 100).
CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT = env.int(
    "CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT", default=100
)
CUSTOMERS_EMAIL_VERIFICATION_MAX_AGE = env.int(
    "CUSTOMERS_EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600
)
CUSTOMERS_TOP_UP_MAX = Decimal(env.str("CUSTOMERS_TOP_UP_MAX", default="1000000"))
# Shown to customers with the reference of a top-up awaiting their bank transfer.
SHOP_BANK_DETAILS = {
    "account_name": env.str("SHOP_BANK_ACCOUNT_NAME", default="Partline Electronics Co., Ltd."),
    "bank_name": env.str("SHOP_BANK_NAME", default="Bank of China, Shenzhen Branch"),
    "account_number": env.str("SHOP_BANK_ACCOUNT_NUMBER", default="7420 0000 1234 5678 901"),
    "swift": env.str("SHOP_BANK_SWIFT", default="BKCHCNBJ45A"),
}
# Defaults of the PointsRule row operations edit in the admin.
POINTS_PER_CURRENCY_UNIT = Decimal(env.str("POINTS_PER_CURRENCY_UNIT", default="1"))
POINTS_EXPIRY_MONTHS = env.int("POINTS_EXPIRY_MONTHS", default=0)
# Customers are told this many days before earned points expire (once per earned batch).
POINTS_EXPIRY_REMINDER_DAYS = env.int("POINTS_EXPIRY_REMINDER_DAYS", default=14)
CELERY_BEAT_SCHEDULE["promotions-points-expiring-remind"] = {
    "task": "promotions.tasks.points_expiring_remind",
    "schedule": 6 * 3600,
}
CELERY_BEAT_SCHEDULE["customers.expire_points"] = {
    "task": "customers.tasks.expire_points",
    "schedule": 6 * 3600,
}
# Behaviour events (customers.behaviour): buffered by the request, written by a beat job.
CUSTOMERS_EVENTS_BUFFER = env.str(
    "CUSTOMERS_EVENTS_BUFFER", default="redis" if REDIS_URL else "file"
)
CUSTOMERS_EVENTS_BUFFER_DIR = Path(
    env.str("CUSTOMERS_EVENTS_BUFFER_DIR", default=str(VAR_DIR / "behaviour-events"))
)
CUSTOMERS_EVENTS_FLUSH_BATCH = env.int("CUSTOMERS_EVENTS_FLUSH_BATCH", default=5000)
# Raw events older than this are deleted (daily rollups are kept); 0: never.
CUSTOMERS_EVENTS_KEEP_DAYS = env.int("CUSTOMERS_EVENTS_KEEP_DAYS", default=400)
# URL names whose GET (200/304) is an event, and forms whose accepted POST is one.
CUSTOMERS_EVENT_PAGES = {
    "catalog:part": "part_view",
    "catalog:category": "category_view",
    "catalog:search": "search",
}
CUSTOMERS_EVENT_POSTS = {"orders:quote": "inquiry"}
CELERY_BEAT_SCHEDULE["customers.flush_behaviour_events"] = {
    "task": "customers.tasks.flush_behaviour_events",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["customers.prune_behaviour_events"] = {
    "task": "customers.tasks.prune_behaviour_events",
    "schedule": 24 * 3600,
}
# --- customers: end ---

# Promotions: coupons, first-order coupon.
CUSTOMERS_AFTER_REGISTER = ["promotions.services.first_order_coupon_issue_on_register"]
CUSTOMERS_OVERVIEW_PANELS = ["promotions/_overview_panel.html"]
# Dotted path to f(user) -> bool: is the customer's next order their first paid one?
# orders/ provides it; empty means "no paid orders exist yet" (every order is a first one).
PROMOTIONS_FIRST_ORDER_CHECK = env.str(
    "PROMOTIONS_FIRST_ORDER_CHECK", default="orders.selectors.is_first_order"
)
CELERY_BEAT_SCHEDULE["promotions-coupons-expire"] = {
    "task": "promotions.tasks.coupons_expire",
    "schedule": 15 * 60,
}
# Customers are told this many days before a coupon of theirs expires (once per coupon).
PROMOTIONS_COUPON_REMINDER_DAYS = env.int("PROMOTIONS_COUPON_REMINDER_DAYS", default=3)
CELERY_BEAT_SCHEDULE["promotions-coupons-remind-expiring"] = {
    "task": "promotions.tasks.coupons_remind_expiring",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["promotions-leaderboards-close"] = {
    "task": "promotions.tasks.leaderboards_close",
    "schedule": 10 * 60,
}

# Orders: checkout, payments, unpaid orders.
# Own stock ordered before this local hour ships the same day.
ORDERS_SHIP_CUTOFF_HOUR = env.int("ORDERS_SHIP_CUTOFF_HOUR", default=16)
# An unpaid order is cancelled automatically after this many hours, by payment method.
ORDERS_BANK_TRANSFER_PAYMENT_HOURS = env.int("ORDERS_BANK_TRANSFER_PAYMENT_HOURS", default=72)
ORDERS_ONLINE_PAYMENT_HOURS = env.int("ORDERS_ONLINE_PAYMENT_HOURS", default=24)
# The reminder email goes out this many hours before the automatic cancel.
ORDERS_PAYMENT_REMINDER_HOURS = env.int("ORDERS_PAYMENT_REMINDER_HOURS", default=12)
# Points redeemed at checkout: this many points are worth one currency unit, and they pay
# at most this share of an order's total.
ORDERS_POINTS_PER_CURRENCY_UNIT = env.int("ORDERS_POINTS_PER_CURRENCY_UNIT", default=100)
ORDERS_POINTS_MAX_SHARE = Decimal(env.str("ORDERS_POINTS_MAX_SHARE", default="0.5"))
ORDERS_MAX_CART_LINES = env.int("ORDERS_MAX_CART_LINES", default=1000)
CELERY_BEAT_SCHEDULE["orders-cancel-overdue"] = {
    "task": "orders.lifecycle.tasks.cancel_overdue_orders",
    "schedule": 10 * 60,
}
CELERY_BEAT_SCHEDULE["orders-remind-unpaid"] = {
    "task": "orders.lifecycle.tasks.remind_unpaid_orders",
    "schedule": 30 * 60,
}
CELERY_BEAT_SCHEDULE["orders-quotes-expire"] = {
    "task": "orders.rfq.tasks.quotes_expire",
    "schedule": 60 * 60,
}
# Fulfilment: a shipped order no one marks delivered is completed this many days after its
# last shipment (a delivered one at the next run of the beat job).
ORDERS_COMPLETE_AFTER_DAYS = env.int("ORDERS_COMPLETE_AFTER_DAYS", default=14)
CELERY_BEAT_SCHEDULE["orders-complete-shipped"] = {
    "task": "orders.fulfilment.tasks.complete_orders",
    "schedule": 60 * 60,
}

# Orders: payments. The online gateway new payments use, and the registry of providers
# (name → Provider class); the in-store sandbox is registered unless switched off.
ORDERS_GATEWAY_PROVIDER = env.str("ORDERS_GATEWAY_PROVIDER", default="sandbox")
ORDERS_SANDBOX_ENABLED = env.bool(
    "ORDERS_SANDBOX_ENABLED", default=ORDERS_GATEWAY_PROVIDER == "sandbox"
)
ORDERS_SANDBOX_SECRET = env.str("ORDERS_SANDBOX_SECRET", default="sandbox-dev-secret")
_SANDBOX = {"sandbox": "orders.payments.providers.sandbox.SandboxProvider"}
ORDERS_PAYMENT_PROVIDERS = {
    **(_SANDBOX if ORDERS_SANDBOX_ENABLED else {}),
    **env.dict("ORDERS_PAYMENT_PROVIDERS", default={}),
}
ORDERS_GATEWAY_NOTIFICATION_TOLERANCE = env.int(
    "ORDERS_GATEWAY_NOTIFICATION_TOLERANCE", default=300
)

# Returns and complaints: opened within this many days of delivery, with at most so many
# photos of at most so many MB and megapixels each.
RETURNS_WINDOW_DAYS = env.int("RETURNS_WINDOW_DAYS", default=30)
RETURNS_MAX_PHOTOS = env.int("RETURNS_MAX_PHOTOS", default=6)
RETURNS_MAX_PHOTO_BYTES = env.int("RETURNS_MAX_PHOTO_BYTES", default=8 * 1024 * 1024)
RETURNS_MAX_PHOTO_PIXELS = env.int("RETURNS_MAX_PHOTO_PIXELS", default=30_000_000)
RETURNS_MAX_REPORT_BYTES = env.int("RETURNS_MAX_REPORT_BYTES", default=20 * 1024 * 1024)
TEMPLATES[0]["OPTIONS"].setdefault("libraries", {})["payments"] = "orders.payments.template_tags"

# Reports (reports/): daily rollups rebuilt by beat; `manage.py refresh_reports --days N`.
REPORTS_NIGHTLY_DAYS = env.int("REPORTS_NIGHTLY_DAYS", default=35)
# Rows of the promotion report: dotted paths to f(*, start, end) -> rows.
REPORTS_PROMOTION_ROWS = [
    "reports.selectors.coupon_promotion_rows",
    "reports.selectors.top_up_bonus_rows",
]
CELERY_BEAT_SCHEDULE["reports-refresh-recent"] = {
    "task": "reports.tasks.refresh_recent_rollups",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["reports-refresh-nightly"] = {
    "task": "reports.tasks.refresh_nightly_rollups",
    "schedule": 24 * 3600,
}
TEMPLATES[0]["OPTIONS"]["libraries"]["returns"] = "orders.returns.template_tags"
