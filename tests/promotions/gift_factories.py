"""Factories of gifts and the points shop."""

import factory
from factory.django import DjangoModelFactory

from promotions.models_gifts import Gift


class GiftFactory(DjangoModelFactory):
    class Meta:
        model = Gift

    name = factory.Sequence(lambda n: f"Sample kit {n}")
    stock = 5
