"""The store's outbox: Celery work written in the transaction of the change it follows.

A row is the promise of one task. It commits or rolls back with the business change, is
published as soon as the transaction commits, and waits for the relay (``relay_outbox``)
while the broker is down, so a sign-up's verification email or an order confirmation is
never lost to a Redis outage.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not published before then: the committing request's own publish, a relay's claim or
    # the backoff after a failed publish.
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=Q(dispatched_at__isnull=True),
                name="shop_outbox_pending",
            ),
            models.Index(fields=["dispatched_at"], name="shop_outbox_dispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"

    @property
    def task_id(self) -> str:
        """The Celery task id: the same on every publish of this row, so a task can tell a
        redelivery from new work."""
        return f"outbox-{self.pk}"


class TaskRun(models.Model):
    """One finished run of a task that must take effect once (``once=True``): its task id,
    written in the transaction the task ran in."""

    task_id = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200)
    finished_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"


class InfoPage(models.Model):
    """A page a buyer reads before a first order (contact, shipping, returns, terms, privacy,
    about), written by staff in English and Chinese. The body is Markdown without raw HTML;
    ``{returns_window_days}``, ``{ship_cutoff_hour}`` and ``{vat_percent}`` are replaced by
    the store's own settings, so the page says what checkout and returns really do."""

    slug = models.SlugField(max_length=60, unique=True, help_text="The address: /help/<slug>/")
    title = models.CharField(max_length=120)
    title_zh = models.CharField("title (Chinese)", max_length=120, blank=True)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence: the page's meta description."
    )
    summary_zh = models.CharField("summary (Chinese)", max_length=300, blank=True)
    body = models.TextField(help_text="Markdown: ## headings, - lists, **bold**, [links](/url).")
    body_zh = models.TextField("body (Chinese)", blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the footer.")
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = "help page"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("info-page", args=[self.slug])
