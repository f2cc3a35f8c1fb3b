"""Behaviour events: what a visitor did, counted without slowing the page they did it on."""

import json
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers import behaviour
from customers.models import BehaviourEvent, EventKind
from customers.sources import Channel, is_bot, traffic_source
from tests.customers.factories import CustomerFactory
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory, StockFactory

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _empty_buffer():
    behaviour.buffer().clear()
    yield
    behaviour.buffer().clear()


@pytest.fixture
def part():
    part = PartFactory(
        mpn="LM358DR",
        manufacturer=ManufacturerFactory(name="Texas Instruments", slug="ti"),
        category=CategoryFactory(name="Op amps", slug="op-amps"),
    )
    StockFactory(part=part, on_hand=100)
    return part


def visit(client, url, *, agent=BROWSER, **headers):
    return client.get(url, secure=True, headers={"user-agent": agent, **headers})


def stored() -> list[BehaviourEvent]:
    behaviour.events_flush()
    return list(BehaviourEvent.objects.order_by("occurred_at", "pk"))


def test_part_page_request_adds_no_query_for_its_event(client, part):
    url = part.get_absolute_url()
    visit(client, url)  # warm the page cache, as for every later visitor
    without_hook = [name for name in settings.MIDDLEWARE if "Behaviour" not in name]
    with override_settings(MIDDLEWARE=without_hook), CaptureQueriesContext(connection) as without:
        visit(Client(), url)
    with CaptureQueriesContext(connection) as with_events:
        visit(Client(), url)

    assert len(with_events) == len(without)
    assert not any("behaviour" in query["sql"] for query in with_events.captured_queries)
    assert behaviour.buffer().size() == 2  # the first visit and the last; none written yet


def test_part_view_is_stored_with_the_part_and_where_the_visitor_came_from(client, part):
    visit(
        client,
        part.get_absolute_url() + "?utm_source=newsletter&utm_medium=email&utm_campaign=dec",
        referer="https://mail.example.net/inbox",
    )

    [event] = stored()
    assert (event.kind, event.part_id) == (EventKind.PART_VIEW, part.pk)
    assert (event.channel, event.source) == (Channel.CAMPAIGN, "newsletter")
    assert (event.utm_medium, event.utm_campaign) == ("email", "dec")
    assert event.referrer_host == "mail.example.net"
    assert event.landing_path == part.get_absolute_url()


def test_a_page_answered_304_is_still_counted(client, part):
    first = visit(client, part.get_absolute_url())
    again = visit(client, part.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 304
    assert [event.kind for event in stored()] == [EventKind.PART_VIEW, EventKind.PART_VIEW]


def test_a_crawler_records_nothing(client, part):
    visit(client, part.get_absolute_url(), agent=GOOGLEBOT)
    visit(client, "/search/?q=LM358", agent=GOOGLEBOT)
    visit(client, "/c/op-amps/", agent="curl/8.5.0")
    visit(client, part.get_absolute_url(), agent="")

    assert stored() == []


def test_no_address_is_stored_and_the_visitor_is_the_same_all_day(client, part):
    address = "203.0.113.77"
    client.get(
        part.get_absolute_url(), secure=True, REMOTE_ADDR=address, headers={"user-agent": BROWSER}
    )
    client.get("/c/op-amps/", secure=True, REMOTE_ADDR=address, headers={"user-agent": BROWSER})

    events = stored()
    assert len({event.visitor_id for event in events}) == 1
    row = json.dumps(list(BehaviourEvent.objects.values()), default=str)
    assert address not in row and "203.0.113" not in row


def test_a_search_is_stored_with_its_result_count(client, part):
    visit(client, "/search/?q=NOSUCHPART123")
    visit(client, "/search/?q=LM358DR")  # the one part: redirected to its page

    searches = [event for event in stored() if event.kind == EventKind.SEARCH]
    assert [(event.query, event.result_count) for event in searches] == [
        ("NOSUCHPART123", 0),
        ("LM358DR", 1),
    ]


def test_category_view_names_the_category(client, part):
    visit(client, "/c/op-amps/", referer="https://www.baidu.com/s?wd=op+amp")

    [event] = stored()
    assert (event.kind, event.category_id) == (EventKind.CATEGORY_VIEW, part.category_id)
    assert (event.channel, event.source) == (Channel.SEARCH, "baidu")


def test_a_signed_in_customer_is_counted_as_the_customer(client, part):
    customer = CustomerFactory()
    client.force_login(customer)
    visit(client, part.get_absolute_url())

    [event] = stored()
    assert (event.customer_id, event.visitor_id) == (customer.pk, "")


@pytest.mark.parametrize(
    ("referrer", "channel", "name"),
    [
        ("https://www.google.com/", Channel.SEARCH, "google"),
        ("https://cn.bing.com/search?q=x", Channel.SEARCH, "bing"),
        ("https://www.so.com/s?q=x", Channel.SEARCH, "360"),
        ("https://m.sm.cn/s?q=x", Channel.SEARCH, "sm.cn"),
        ("https://yandex.ru/search/", Channel.SEARCH, "yandex"),
        ("https://duckduckgo.com/", Channel.SEARCH, "duckduckgo"),
        ("https://www.sogou.com/web?query=x", Channel.SEARCH, "sogou"),
        ("https://chatgpt.com/", Channel.AI, "chatgpt"),
        ("https://chat.openai.com/c/1", Channel.AI, "chatgpt"),
        ("https://www.perplexity.ai/search", Channel.AI, "perplexity"),
        ("https://kimi.moonshot.cn/chat/1", Channel.AI, "kimi"),
        ("https://www.doubao.com/chat/", Channel.AI, "doubao"),
        ("https://yuanbao.tencent.com/chat", Channel.AI, "yuanbao"),
        ("https://chat.deepseek.com/a/chat", Channel.AI, "deepseek"),
        ("https://copilot.microsoft.com/", Channel.AI, "copilot"),
        ("https://gemini.google.com/app", Channel.AI, "gemini"),
        ("https://forum.eevblog.example/t/1", Channel.REFERRAL, "forum.eevblog.example"),
        ("", Channel.DIRECT, ""),
        ("https://shop.example/c/op-amps/", Channel.INTERNAL, ""),
    ],
)
def test_referrer_names_the_search_engine_or_ai_assistant(referrer, channel, name):
    source = traffic_source(referrer=referrer, own_host="shop.example", params={}, path="/p/")

    assert (source.channel, source.name) == (channel, name)


@pytest.mark.parametrize(
    "agent",
    [
        GOOGLEBOT,
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0",
    ],
)
def test_crawlers_and_scripts_are_bots(agent):
    assert is_bot(agent)


def test_browsers_are_not_bots():
    assert not is_bot(BROWSER)
    assert not is_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")


def _events(count: int) -> list[str]:
    now = timezone.now().isoformat()
    return [
        json.dumps({"id": uuid.uuid4().hex, "at": now, "kind": "search", "query": f"Q{n}"})
        for n in range(count)
    ]


def _crash_after_first_batch():
    calls = {"n": 0}

    def write(batch):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("database went away")
        behaviour._write(batch)

    return write


def test_flush_writes_each_event_once_even_after_a_crash_midway():
    buffer = behaviour.buffer()
    buffer.push(_events(25))

    with pytest.raises(ConnectionError):
        buffer.drain(_crash_after_first_batch(), 10)
    behaviour.events_flush(batch_size=10)
    behaviour.events_flush(batch_size=10)

    assert BehaviourEvent.objects.count() == 25
    assert BehaviourEvent.objects.values("query").distinct().count() == 25


def test_an_event_written_twice_is_stored_once():
    [item] = _events(1)
    behaviour._write([item])
    behaviour._write([item])

    assert BehaviourEvent.objects.count() == 1


def test_file_buffer_of_the_demo_writes_each_event_once(tmp_path):
    buffer = behaviour.FileBuffer(tmp_path)
    buffer.push(_events(25))

    with pytest.raises(ConnectionError):
        buffer.drain(_crash_after_first_batch(), 10)
    buffer.push(_events(5))
    buffer.drain(behaviour._write, 10)

    assert BehaviourEvent.objects.count() == 30
    assert buffer.size() == 0


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis")
def test_redis_buffer_writes_each_event_once():
    buffer = behaviour.RedisBuffer(settings.REDIS_URL, key=f"test-events-{uuid.uuid4().hex}")
    try:
        buffer.push(_events(25))
        with pytest.raises(ConnectionError):
            buffer.drain(_crash_after_first_batch(), 10)
        buffer.push(_events(5))
        buffer.drain(behaviour._write, 10)

        assert BehaviourEvent.objects.count() == 30
        assert buffer.size() == 0
    finally:
        buffer.clear()


@override_settings(CUSTOMERS_EVENTS_KEEP_DAYS=30)
def test_events_past_retention_are_deleted():
    now = timezone.now()
    for age in (31, 29, 1):
        behaviour.event_record(
            kind=EventKind.SEARCH, query=f"age{age}", occurred_at=now - timedelta(days=age)
        )
    behaviour.events_flush()

    assert behaviour.events_prune(now=now) == 1
    assert sorted(BehaviourEvent.objects.values_list("query", flat=True)) == ["age1", "age29"]


def test_pages_stop_waiting_on_an_unreachable_redis():
    buffer = behaviour.RedisBuffer("redis://127.0.0.1:9/0")  # nothing listens on port 9

    with pytest.raises(Exception):  # noqa: B017, PT011 - the first push finds Redis down
        buffer.push(_events(1))
    started = timezone.now()
    for _ in range(50):
        buffer.push(_events(1))

    assert timezone.now() - started < timedelta(seconds=1)
