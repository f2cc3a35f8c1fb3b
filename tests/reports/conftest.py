import pytest

from customers import behaviour


@pytest.fixture(autouse=True)
def _empty_buffer():
    behaviour.buffer().clear()
    yield
    behaviour.buffer().clear()


@pytest.fixture
def cohorts():
    """January sign-ups: ann used the first-order coupon and ordered again 26 days later;
    bob did not, and ordered again 106 days later; cid never ordered. February: dee used
    the coupon and ordered once. Every piece cost 0.40."""
    from datetime import date
    from decimal import Decimal

    from catalog.models import Stock
    from tests.customers.factories import CustomerFactory
    from tests.factories import PartFactory, StockFactory
    from tests.promotions.factories import FirstOrderDefinitionFactory, issued
    from tests.reports.helpers import at, paid_order, refresh

    part = PartFactory()
    StockFactory(part=part, on_hand=10_000)
    Stock.objects.filter(part=part).update(unit_cost=Decimal("0.40"))
    welcome = FirstOrderDefinitionFactory()
    people = {}
    for name, joined in (("ann", date(2026, 1, 3)), ("bob", date(2026, 1, 20)),
                         ("cid", date(2026, 1, 31)), ("dee", date(2026, 2, 2))):  # fmt: skip
        people[name] = CustomerFactory(email=f"{name}@example.com", date_joined=at(joined))
    ann_coupon = issued(welcome, user=people["ann"])
    dee_coupon = issued(welcome, user=people["dee"])
    paid_days = [date(2026, 1, 10), date(2026, 2, 5), date(2026, 1, 15), date(2026, 5, 1),
                 date(2026, 2, 10)]  # fmt: skip
    paid_order(people["ann"], [(part, 100, "100.00", 100)], paid_on=paid_days[0],
               coupon=ann_coupon)  # fmt: skip
    paid_order(people["ann"], [(part, 50, "50.00", 50)], paid_on=paid_days[1])
    paid_order(people["bob"], [(part, 100, "80.00", 100)], paid_on=paid_days[2])
    paid_order(people["bob"], [(part, 50, "40.00", 50)], paid_on=paid_days[3])
    paid_order(people["dee"], [(part, 100, "200.00", 100)], paid_on=paid_days[4],
               coupon=dee_coupon)  # fmt: skip
    refresh(*paid_days)
    return people
