"""An S3-compatible server on loopback (moto) and the store's media stored in it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from tests.shop.helpers import clean_env, run_python

BUCKET = "partline-media"
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """A moto server in its own process for the test session: http://127.0.0.1:PORT."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the moto S3 server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def s3_settings(s3_endpoint, tmp_path_factory):
    """What shop.settings makes of the S3 environment variables: STORAGES and the CSP."""
    env = clean_env(
        tmp_path_factory.mktemp("s3-settings"),
        SECRET_KEY="x" * 60,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        **S3_ENV,
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'storages': s.STORAGES, "
        "'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_ENV["AWS_S3_REGION_NAME"],
        aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_bucket(s3_endpoint, s3_settings, settings, tmp_path):
    """An empty bucket holding the store's media, configured as from the environment;
    MEDIA_ROOT is an empty folder that must stay empty."""
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": s3_settings["storages"]["default"]}
    yield client
    for key in bucket_keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)


def bucket_keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def files_under(folder) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(path) for path in folder.rglob("*") if path.is_file())
