"""Point the test process's Celery at a broker for real publishing (not eager tasks)."""

import contextlib
import socket

from shop.celery import app as celery_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def publishing_to(url: str, settings):
    """Tasks are published to ``url`` instead of running in-process."""
    # Read before the settings change: Celery loads its configuration on first use.
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app._after_fork()  # forget pooled connections to the previous broker
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        celery_app._after_fork()
        celery_app.conf.update(saved)
