"""IndexNow: changed part URLs go to the engines in batches, once, and only when configured."""

from datetime import timedelta
from urllib.error import URLError

import pytest
from django.utils import timezone

from catalog import indexnow
from catalog.models import IndexNowCursor, Part
from tests.factories import ManufacturerFactory, PartFactory

pytestmark = pytest.mark.django_db


class RecordingSender:
    def __init__(self, fail_on_call: int | None = None):
        self.batches: list[list[str]] = []
        self.fail_on_call = fail_on_call

    def __call__(self, urls):
        if self.fail_on_call == len(self.batches) + 1:
            raise URLError("engine unreachable")
        self.batches.append(urls)
        return 200


@pytest.fixture
def configured(settings):
    settings.INDEXNOW_KEY = "3f1c9b2e8a7d4c6b"
    settings.INDEXNOW_BATCH_SIZE = 3
    return settings


@pytest.fixture
def parts():
    maker = ManufacturerFactory(name="onsemi", slug="onsemi")
    return [PartFactory(manufacturer=maker, mpn=f"MMBT{3900 + n}LT1G") for n in range(7)]


def test_nothing_is_sent_unless_a_key_is_configured(settings, parts):
    settings.INDEXNOW_KEY = ""
    sender = RecordingSender()

    assert indexnow.submit_changed_parts_now(sender=sender) == 0
    assert sender.batches == []


def test_new_parts_are_submitted_in_batches_within_the_limit(configured, parts):
    sender = RecordingSender()

    submitted = indexnow.submit_changed_parts_now(sender=sender)

    assert submitted == 7
    assert [len(batch) for batch in sender.batches] == [3, 3, 1]
    assert sender.batches[0][0] == f"http://127.0.0.1:8000{parts[0].get_absolute_url()}"


def test_a_second_run_sends_only_parts_changed_since(configured, parts):
    indexnow.submit_changed_parts_now(sender=RecordingSender())
    Part.objects.filter(pk=parts[4].pk).update(
        page_changed_at=timezone.now() + timedelta(seconds=1)
    )
    sender = RecordingSender()

    indexnow.submit_changed_parts_now(sender=sender)

    assert sender.batches == [[f"http://127.0.0.1:8000{parts[4].get_absolute_url()}"]]


def test_a_failed_batch_is_sent_again_on_the_next_run(configured, parts):
    with pytest.raises(URLError):
        indexnow.submit_changed_parts_now(sender=RecordingSender(fail_on_call=2))
    sender = RecordingSender()

    indexnow.submit_changed_parts_now(sender=sender)

    assert [len(batch) for batch in sender.batches] == [3, 1]
    assert IndexNowCursor.objects.get().submitted_urls == 7


def test_key_file_is_served_only_for_the_configured_key(client, configured):
    assert client.get("/3f1c9b2e8a7d4c6b.txt", secure=True).content == b"3f1c9b2e8a7d4c6b"
    assert client.get("/0000000000000000.txt", secure=True).status_code == 404
