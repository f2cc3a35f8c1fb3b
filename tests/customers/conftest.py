import pytest

from tests.customers.factories import PASSWORD, CustomerFactory


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def customer(db):
    return CustomerFactory(email="buyer@example.com")


@pytest.fixture
def other_customer(db):
    return CustomerFactory(email="rival@example.com")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture(autouse=True)
def _no_after_register_hooks(settings):
    """Registration tests here test customers alone; other apps test their own hooks."""
    settings.CUSTOMERS_AFTER_REGISTER = []
