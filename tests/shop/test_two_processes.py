"""Two web processes behind one proxy are one store: the session, the cart and the API
rate limits live in PostgreSQL and Redis, not in a process (gunicorn ×2 behind nginx)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.customers.factories import PASSWORD, CustomerFactory
from tests.factories import PackagingOptionFactory, PriceBreakFactory, StockFactory

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs the PostgreSQL and Redis of scripts/run_tests.py",
    ),
    pytest.mark.skipif(NGINX is None, reason="needs nginx (scripts/run_tests.py installs it)"),
]
SECRET = "two-processes-one-store-" + "k" * 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"exited early: {log.read_text()[-2000:]}") from None
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}: {log.read_text()[-2000:]}")


NGINX_CONF = """
{user}
worker_processes 1;
error_log {dir}/nginx-error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream store {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://store;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@pytest.fixture
def store_behind_proxy(live_database_url):
    """http://127.0.0.1:PORT: nginx sending requests in turn to two gunicorn processes."""
    folder = Path(tempfile.mkdtemp(prefix="partline-two-processes-"))
    ports = [_free_port(), _free_port()]
    proxy_port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "shop.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": live_database_url,
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "API_RATE_ANONYMOUS": "6/min",
        "API_RATE_ANONYMOUS_BURST": "1000/s",
        "LOG_FORMAT": "plain",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "0",
        "PARTLINE_VAR_DIR": str(folder / "var"),
    }
    processes: list[subprocess.Popen] = []
    try:
        for port in ports:
            log = folder / f"gunicorn-{port}.log"
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable, "-m", "gunicorn", "shop.wsgi:application",
                        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                        "--access-logfile", str(folder / f"access-{port}.log"),
                    ],
                    cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                )
            )
        conf = folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user="user root;" if os.geteuid() == 0 else "",
                dir=folder, first=ports[0], second=ports[1], port=proxy_port,
            )
        )
        nginx_log = folder / "nginx.out"
        processes.append(
            subprocess.Popen(
                [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                stdout=nginx_log.open("w"), stderr=subprocess.STDOUT,
            )
        )
        for port, process in zip([*ports, proxy_port], processes, strict=True):
            _wait_for_port(port, process, folder / f"gunicorn-{port}.log"
                           if process is not processes[-1] else nginx_log)
        yield f"http://127.0.0.1:{proxy_port}", ports
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def live_database_url(transactional_db):
    """The test database (committed data, transaction=True), as a URL for other processes."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{db['NAME']}"


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_sign_in_cart_and_rate_limits_are_shared_by_both_processes(store_behind_proxy):
    # given a customer (password hashed as the store hashes) and a part in stock
    customer = CustomerFactory()
    customer.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoprocesses", iterations=1000)
    customer.save(update_fields=["password"])
    part = StockFactory(on_hand=5000).part
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part))
    base, ports = store_behind_proxy
    browser = requests.Session()
    answered: Counter = Counter()

    def visit(method: str, path: str, **kwargs) -> requests.Response:
        response = browser.request(method, base + path, timeout=30, **kwargs)
        answered[response.headers["X-Upstream"]] += 1
        return response

    # when the customer signs in through the proxy and adds the part to the cart
    login = visit("GET", "/account/login/")
    signed_in = visit(
        "POST", login.url[len(base):],
        data={"csrfmiddlewaretoken": csrf_token(login.text), "username": customer.email,
              "password": PASSWORD},
        headers={"Referer": login.url},
    )
    assert signed_in.status_code == 200 and "/login/" not in signed_in.url, signed_in.text[:500]
    page = visit("GET", part.get_absolute_url())
    # The part page is the same for everyone: the signed-in header's token comes from here.
    header = visit("GET", "/header-state/").json()
    assert header["signed_in"] is True
    added = visit(
        "POST", "/cart/add/",
        data={"csrfmiddlewaretoken": header["csrf_token"], "part": part.pk,
              "quantity": part.moq},
        headers={"Referer": page.url},
    )
    assert added.status_code == 200 and added.url.endswith("/cart/"), added.text[:500]

    # then whichever process answers, the cart holds the part and the customer is signed in
    for _ in range(4):
        cart = visit("GET", "/cart/")
        assert part.mpn in cart.text
        assert re.search(r'action="[^"]*/account/logout/"', cart.text)  # "Sign out"
    assert set(answered) == {f"127.0.0.1:{port}" for port in ports}, answered

    # and the API's per-address limit (6 a minute) is counted once for both processes
    anonymous = requests.Session()
    statuses = []
    for _ in range(8):
        response = anonymous.get(base + "/api/v1/parts/", timeout=30)
        answered[response.headers["X-Upstream"]] += 1
        statuses.append(response.status_code)
    assert statuses == [200] * 6 + [429] * 2
