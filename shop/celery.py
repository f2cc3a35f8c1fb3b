"""The Celery app: broker and behaviour come from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

# StoreTask: delay_on_commit never fails the request that queues (see shop.tasks).
app = Celery("partline", task_cls="shop.tasks:StoreTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
