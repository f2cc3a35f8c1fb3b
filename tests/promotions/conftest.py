import pytest

from tests.promotions.factories import UserFactory


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def other_customer(db):
    return UserFactory()
