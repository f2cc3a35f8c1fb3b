"""Absolute links name the address the store is served at, not a fixed default."""

import re
import subprocess

import pytest
from django.core.cache import cache

from tests.factories import PartFactory, PriceBreakFactory, StockFactory
from tests.shop.helpers import ROOT

pytestmark = pytest.mark.django_db

OTHER = "http://127.0.0.1:8765"


@pytest.fixture
def other_port(settings):
    settings.SITE_URL = OTHER
    cache.clear()
    yield
    cache.clear()


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_make_run_sets_the_site_url_from_the_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = dry_run.replace("\\\n", " ")
    gunicorn = next(line for line in serve.splitlines() if "gunicorn" in line)

    assert 'SITE_URL="http://127.0.0.1:8765"' in gunicorn
    assert "--bind 127.0.0.1:8765" in gunicorn


def test_part_page_links_name_the_served_address(client, other_port):
    part = PartFactory()
    StockFactory(part=part)
    PriceBreakFactory(packaging__part=part)

    html = get(client, part.get_absolute_url())

    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
    assert canonical == og_url == f"{OTHER}{part.get_absolute_url()}"
    assert f'"{OTHER}{part.get_absolute_url()}"' in html  # JSON-LD
    assert "127.0.0.1:8000" not in html


def test_sitemaps_robots_and_llms_txt_name_the_served_address(client, other_port):
    PartFactory()

    index = get(client, "/sitemap.xml")
    robots = get(client, "/robots.txt")
    llms = get(client, "/llms.txt")

    assert f"<loc>{OTHER}/" in index and "127.0.0.1:8000" not in index
    assert f"Sitemap: {OTHER}/sitemap.xml" in robots
    assert OTHER in llms and "127.0.0.1:8000" not in llms
