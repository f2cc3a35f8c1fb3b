import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request leaves its language active in the test's thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")
