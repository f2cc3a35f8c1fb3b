"""Daily rollups the reports read: small tables rebuilt a day at a time from raw events and
orders (reports.rollups), so a report over a year reads a few thousand rows, not millions.

Ids of parts, categories, manufacturers, customers and orders are plain numbers: a rollup
outlives what it counts, and rebuilding a day never waits on a foreign-key check."""

from django.db import models

MONEY = {"max_digits": 19, "decimal_places": 2}
COST = {"max_digits": 19, "decimal_places": 6}


class TrafficDaily(models.Model):
    """Visitors of one day and source, and how many of them reached each step of the funnel.
    A visitor is a customer or an anonymous visitor-day; their source is that of their first
    request of the day from outside the store."""

    day = models.DateField()
    channel = models.CharField(max_length=10)
    source = models.CharField(max_length=60, blank=True)
    visitors = models.PositiveIntegerField(default=0)
    part_viewers = models.PositiveIntegerField(default=0)
    searchers = models.PositiveIntegerField(default=0)
    inquirers = models.PositiveIntegerField(default=0)
    carters = models.PositiveIntegerField(default=0)
    checkouts = models.PositiveIntegerField(default=0)
    orderers = models.PositiveIntegerField(default=0)
    payers = models.PositiveIntegerField(default=0)
    part_views = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "traffic day"
        verbose_name_plural = "reports"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "source"], name="reports_traffic_day_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.source}"


class PaidOrderFact(models.Model):
    """One paid order as the reports count it: revenue excl. VAT (line nets), what the
    goods cost us where the cost is known, and the coupon it used."""

    order_id = models.BigIntegerField(unique=True)
    customer_id = models.BigIntegerField(db_index=True)
    paid_at = models.DateTimeField()
    paid_day = models.DateField(db_index=True)
    revenue = models.DecimalField(**MONEY)
    cost = models.DecimalField(**COST)
    costed_revenue = models.DecimalField(
        help_text="Revenue of the lines whose cost is known (margin is taken on these).", **MONEY
    )
    coupon_id = models.BigIntegerField(null=True, blank=True)
    coupon_definition_id = models.BigIntegerField(null=True, blank=True)
    first_order_coupon = models.BooleanField(default=False)
    discount = models.DecimalField(default=0, **MONEY)

    def __str__(self) -> str:
        return f"order {self.order_id} paid {self.paid_day}"


class PartSalesDaily(models.Model):
    """What one part sold on one day (orders by the day they were paid)."""

    day = models.DateField()
    part_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    manufacturer_id = models.BigIntegerField()
    quantity = models.PositiveBigIntegerField(default=0)
    revenue = models.DecimalField(**MONEY)
    cost = models.DecimalField(**COST)
    costed_revenue = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "part_id"], name="reports_part_sales_day")
        ]
        indexes = [models.Index(fields=["part_id", "day"], name="reports_part_sales_part")]

    def __str__(self) -> str:
        return f"part {self.part_id} on {self.day}: {self.quantity}"


class DemandOrigin(models.TextChoices):
    SEARCH = "search", "Search with no result"
    BOM = "bom", "BOM line not found"
    INQUIRY = "inquiry", "Quote request line not listed"


class DemandDaily(models.Model):
    """Part numbers asked for on one day that the catalog does not list, per customer
    (0: anonymous) and origin."""

    day = models.DateField()
    origin = models.CharField(max_length=8, choices=DemandOrigin.choices)
    normalized_mpn = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    manufacturer = models.CharField(max_length=120, blank=True)
    customer_id = models.BigIntegerField(default=0)
    asks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "origin", "normalized_mpn", "manufacturer", "customer_id"],
                name="reports_demand_day_unique",
            )
        ]
        indexes = [models.Index(fields=["day"], name="reports_demand_day")]

    def __str__(self) -> str:
        return f"{self.normalized_mpn} × {self.asks} on {self.day}"


class CustomerOrderSummary(models.Model):
    """Every paid order of one customer summed up (from PaidOrderFact), for the cohorts:
    refreshed for the customers whose orders a day's rebuild touched."""

    customer_id = models.BigIntegerField(unique=True)
    signup_month = models.DateField(help_text="Store-local month the customer signed up.")
    first_paid_at = models.DateTimeField()
    second_paid_at = models.DateTimeField(null=True, blank=True)
    used_first_order_coupon = models.BooleanField(default=False)
    paid_orders = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(**MONEY)
    cost = models.DecimalField(**COST)
    costed_revenue = models.DecimalField(**MONEY)

    class Meta:
        indexes = [models.Index(fields=["signup_month"], name="reports_customer_signup")]

    def __str__(self) -> str:
        return f"customer {self.customer_id}: {self.paid_orders} paid orders"


class PartGrouping(models.TextChoices):
    CATEGORY = "category", "Category"
    MANUFACTURER = "manufacturer", "Manufacturer"


class PartGroupDaily(models.Model):
    """The catalog as it stood when a day was rebuilt, per category or manufacturer: parts
    listed, and parts on hand that sold nothing in the 90 days before."""

    day = models.DateField()
    grouping = models.CharField(max_length=12, choices=PartGrouping.choices)
    group_id = models.BigIntegerField()
    listed = models.PositiveIntegerField(default=0)
    idle = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "grouping", "group_id"], name="reports_part_group_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grouping} {self.group_id} on {self.day}: {self.listed} listed"


class IdlePartDaily(models.Model):
    """The parts on hand with the most pieces and no sale in 90 days, as they stood when a
    day was rebuilt (the sell-through report lists the first of them)."""

    day = models.DateField()
    position = models.PositiveIntegerField()
    part_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "position"], name="reports_idle_part_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.position}: part {self.part_id}"
