"""factory_boy factories for customers."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from customers import models

PASSWORD = "Resistor-0402-X7R"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CustomerProfileFactory(DjangoModelFactory):
    class Meta:
        model = models.CustomerProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    customer_type = models.CustomerType.ENGINEER
    company_name = "Acme Robotics"
    phone = "+86 755 1234 5678"


class CustomerFactory(UserFactory):
    """A user with a profile (what registration makes)."""

    profile = factory.RelatedFactory(CustomerProfileFactory, factory_related_name="user")


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = models.Address

    user = factory.SubFactory(CustomerFactory)
    recipient = "Li Wei"
    phone = "+86 138 0000 0000"
    line1 = factory.Sequence(lambda n: f"{n} Keji Road")
    city = "Shenzhen"
    region = "Guangdong"
    postal_code = "518057"
    country = "CN"
    is_default = False


class InvoiceDetailsFactory(DjangoModelFactory):
    class Meta:
        model = models.InvoiceDetails

    user = factory.SubFactory(CustomerFactory)
    company_title = "Acme Robotics Ltd."
    taxpayer_id = "91110000600037341L"


class TopUpBonusTierFactory(DjangoModelFactory):
    class Meta:
        model = models.TopUpBonusTier
        django_get_or_create = ("min_amount",)

    min_amount = Decimal("300.00")
    bonus = Decimal("50.00")


class TopUpFactory(DjangoModelFactory):
    class Meta:
        model = models.TopUp

    user = factory.SubFactory(CustomerFactory)
    reference = factory.Sequence(lambda n: f"TU-T{n:05d}")
    amount = Decimal("500.00")
    bonus = Decimal("0.00")
