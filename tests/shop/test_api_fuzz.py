"""Property-based fuzzing of every operation of the live OpenAPI schema (schemathesis).

Requests go in-process through the WSGI app, anonymous and as a customer with a token; every
answer must not be a 5xx and must match the schema (status documented, body of its shape).
Bounded: a few examples per operation, so the whole file runs in a couple of minutes.
"""

import json
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.customers.factories import AddressFactory, CustomerFactory, TopUpFactory
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_the_test_connection")]

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 15


def _live_schema():
    """The schema /api/schema/ serves, loaded against the WSGI app of the store."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from shop.wsgi import application

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application
    # Valid inputs and invalid ones: a wrong type or a missing field must be a 4xx, not a 500.
    loaded.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    return loaded


api_schema = _live_schema()


@pytest.fixture
def small_catalog():
    for n in range(3):
        part = PartFactory()
        StockFactory(part=part, on_hand=100 * n)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0150"))


@pytest.fixture
def customer_token(small_catalog):
    customer = CustomerFactory()
    AddressFactory(user=customer)
    TopUpFactory(user=customer)
    return Token.objects.create(user=customer).key



FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_calls_never_fail_and_match_the_schema(case, small_catalog):
    case.call_and_validate(checks=CHECKS)


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_customer_calls_never_fail_and_match_the_schema(case, customer_token):
    case.call_and_validate(headers={"Authorization": f"Token {customer_token}"}, checks=CHECKS)
