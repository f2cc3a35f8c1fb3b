"""factory_boy factories for the catalog; other apps add theirs beside their tests."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from catalog import models, services


class _KeepsListingCopies(DjangoModelFactory):
    """Stock and price breaks made in tests refresh the part's listing copies, as the
    catalog services and the import do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        part_id = getattr(instance, "part_id", None) or instance.packaging.part_id
        services.part_listing_refresh(part_ids=[part_id])
        return instance


class ManufacturerFactory(DjangoModelFactory):
    class Meta:
        model = models.Manufacturer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Maker {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = models.Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ParameterDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = models.ParameterDefinition

    category = factory.SubFactory(CategoryFactory)
    key = "resistance"
    name = "Resistance"
    unit = "Ω"
    kind = models.ParameterKind.NUMBER


class PartFactory(DjangoModelFactory):
    class Meta:
        model = models.Part

    mpn = factory.Sequence(lambda n: f"RC0603FR-07{n:04d}L")
    manufacturer = factory.SubFactory(ManufacturerFactory)
    category = factory.SubFactory(CategoryFactory)
    package = "0603"
    description = "Thick film chip resistor"


class StockFactory(_KeepsListingCopies):
    class Meta:
        model = models.Stock

    part = factory.SubFactory(PartFactory)
    on_hand = 1000
    reserved = 0


class PackagingOptionFactory(DjangoModelFactory):
    class Meta:
        model = models.PackagingOption

    part = factory.SubFactory(PartFactory)
    kind = models.PackagingKind.CUT_TAPE


class PriceBreakFactory(_KeepsListingCopies):
    class Meta:
        model = models.PriceBreak

    packaging = factory.SubFactory(PackagingOptionFactory)
    min_quantity = 1
    unit_price = Decimal("0.012000")


# --- orders: carts and quote requests ---------------------------------------------------------

from orders import models as orders_models  # noqa: E402


class CartFactory(DjangoModelFactory):
    """An anonymous visitor's cart; pass ``customer=`` (and ``session_key=""``) for a customer's."""

    class Meta:
        model = orders_models.Cart

    customer = None
    session_key = factory.Sequence(lambda n: f"visitor-cart-{n}")


class CartLineFactory(DjangoModelFactory):
    class Meta:
        model = orders_models.CartLine

    cart = factory.SubFactory(CartFactory)
    part = factory.SubFactory(PartFactory)
    packaging = None
    quantity = 100


class InquiryFactory(DjangoModelFactory):
    class Meta:
        model = orders_models.Inquiry

    reference = factory.Sequence(lambda n: f"RFQ-T{n:06d}")
    customer = None
    contact_name = "Li Wei"
    email = factory.Sequence(lambda n: f"buyer{n}@acme.example")
    company = "Acme Robotics"


class InquiryLineFactory(DjangoModelFactory):
    class Meta:
        model = orders_models.InquiryLine

    inquiry = factory.SubFactory(InquiryFactory)
    mpn = factory.Sequence(lambda n: f"STM32F103C8T{n}")
    manufacturer = "STMicroelectronics"
    quantity = 5000


# --- orders: shipping methods -----------------------------------------------------------------


class ShippingMethodFactory(DjangoModelFactory):
    """SF Express: 12.00 excl. VAT, free from 500.00 of parts; rates added by the fixture."""

    class Meta:
        model = orders_models.ShippingMethod
        skip_postgeneration_save = True

    name = "Express"
    carrier = "SF Express"
    transit_days = 1
    free_shipping_threshold = Decimal("500.00")
    countries = "CN"

    @factory.post_generation
    def base_fee(obj, create, extracted, **kwargs):
        if create:
            orders_models.ShippingRate.objects.create(
                method=obj, min_amount=Decimal("0.00"), fee=extracted or Decimal("12.00")
            )
