"""Catalog factories the admin tests need beyond tests/factories.py."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from catalog import models
from tests.factories import ParameterDefinitionFactory, PartFactory


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = models.Supplier
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Supplier {n}")
    code = factory.Sequence(lambda n: f"supplier-{n}")


class SupplierOfferFactory(DjangoModelFactory):
    class Meta:
        model = models.SupplierOffer

    part = factory.SubFactory(PartFactory)
    supplier = factory.SubFactory(SupplierFactory)
    quantity = 250_000
    lead_days = 5
    cost = Decimal("0.001500")


class ParameterValueFactory(DjangoModelFactory):
    class Meta:
        model = models.ParameterValue

    part = factory.SubFactory(PartFactory)
    definition = factory.SubFactory(
        ParameterDefinitionFactory, category=factory.SelfAttribute("..part.category")
    )
    si_value = 10_000.0
    text = "10kΩ"
