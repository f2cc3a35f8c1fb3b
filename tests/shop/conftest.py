import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.object_storage import s3_bucket, s3_endpoint, s3_settings  # noqa: F401


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """For calls through the WSGI app rather than Django's test client: do what the client
    does, and keep the request signals from closing the connection that holds the test's
    transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
