"""The worked example of docs/api.md, run as written against a test server."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from customers import services
from tests.customers.factories import CustomerFactory
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example_functions() -> dict:
    code = re.search(r"```python\n(\"\"\"Price a parts library.*?)```", DOC.read_text(), re.S)
    namespace: dict = {"__name__": "partline_example"}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.django_db(transaction=True)
def test_the_example_prices_a_library_in_batches_through_the_rate_limit(live_server, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "customer_burst": "2/s"}
    parts = []
    for n in range(250):
        part = PartFactory(mpn=f"CL10B104KB8NNN{n:03d}")
        StockFactory(part=part, on_hand=n)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0040"))
        parts.append(part)
    _, key = services.api_key_create(user=CustomerFactory(), name="library pricing")
    example = example_functions()
    api = f"{live_server.url}/api/v1"
    lines = [{"mpn": p.mpn, "manufacturer": "", "quantity": 10} for p in parts]
    lines.append({"mpn": "NO-SUCH-PART-123", "manufacturer": "", "quantity": 1})

    results = example["price_lines"](api, key, lines)  # 3 calls at 2/s: one waits out a 429
    changed = list(example["changed_parts"](api, key, datetime(2000, 1, 1, tzinfo=UTC).isoformat()))

    assert len(results) == 251
    assert [r["part"]["sku"] for r in results[:250]] == [p.sku for p in parts]
    assert results[0]["extended_price"] == "0.04" and results[0]["currency"] == "CNY"
    assert results[-1]["match"] == "none"
    assert sorted(p["sku"] for p in changed) == sorted(p.sku for p in parts)
