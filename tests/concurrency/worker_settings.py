"""Settings of the Celery worker the outbox fault tests start: the store's own settings, as
a deployment reads them from the environment, with one test hook: with
``TEST_SLOW_MAIL_FLAG`` set, the first email sent waits (tests.concurrency.slow_mail), so a
test can kill the worker in the middle of the task."""

import os

from shop.settings import *  # noqa: F403

if os.environ.get("TEST_SLOW_MAIL_FLAG"):
    EMAIL_BACKEND = "tests.concurrency.slow_mail.SlowOnceFileBackend"
    TEST_SLOW_MAIL_FLAG = os.environ["TEST_SLOW_MAIL_FLAG"]
