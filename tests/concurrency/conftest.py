import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgresql_only():
    """Locks and conditional updates are only proven on real concurrent PostgreSQL
    connections; SQLite serialises writers and would pass anything."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrent connections")
