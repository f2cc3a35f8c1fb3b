"""Manufacturer names and aliases in any script: Chinese, full-width, accented."""

import pytest
from django.urls import reverse

from catalog.demo import demo_manufacturers
from catalog.lookup import LookupLine, lookup
from catalog.models import Manufacturer, ManufacturerAlias, normalize_name
from tests.factories import ManufacturerFactory, PartFactory

pytestmark = pytest.mark.django_db


def test_a_chinese_name_normalizes_to_itself():
    assert normalize_name(" 德州仪器 ") == "德州仪器"


def test_full_width_letters_read_as_ascii():
    assert normalize_name("ＴＩ") == "TI"


def test_accents_and_punctuation_do_not_tell_names_apart():
    assert normalize_name("Würth-Elektronik") == normalize_name("wurth elektronik")


def test_two_chinese_aliases_are_two_aliases():
    murata = ManufacturerFactory(name="Murata")
    yageo = ManufacturerFactory(name="YAGEO")

    ManufacturerAlias.objects.create(manufacturer=murata, name="村田")
    ManufacturerAlias.objects.create(manufacturer=yageo, name="国巨")

    assert dict(ManufacturerAlias.objects.values_list("normalized", "manufacturer__name")) == {
        "村田": "Murata",
        "国巨": "YAGEO",
    }


def _two_makers_of(mpn):
    ti = ManufacturerFactory(name="Texas Instruments")
    onsemi = ManufacturerFactory(name="onsemi")
    return PartFactory(mpn=mpn, manufacturer=ti), PartFactory(mpn=mpn, manufacturer=onsemi)


def test_a_chinese_alias_picks_the_manufacturer_of_a_part_number():
    ti_part, onsemi_part = _two_makers_of("LM358DR")
    ManufacturerAlias.objects.create(manufacturer=onsemi_part.manufacturer, name="安森美")

    (result,) = lookup([LookupLine(mpn="LM358DR", manufacturer="安森美")])

    assert result["part"]["sku"] == onsemi_part.sku


def test_a_name_given_with_its_chinese_name_in_brackets_is_understood():
    ti_part, _ = _two_makers_of("LM358DR")
    ManufacturerAlias.objects.create(manufacturer=ti_part.manufacturer, name="德州仪器")

    (result,) = lookup([LookupLine(mpn="LM358DR", manufacturer="德州仪器（TEXAS）")])

    assert result["part"]["sku"] == ti_part.sku


def test_an_alias_added_is_used_by_the_next_lookup():
    ti_part, _ = _two_makers_of("LM358DR")
    lookup([LookupLine(mpn="LM358DR", manufacturer="德州仪器")])  # vocabulary cached

    ManufacturerAlias.objects.create(manufacturer=ti_part.manufacturer, name="德州仪器")
    (result,) = lookup([LookupLine(mpn="LM358DR", manufacturer="德州仪器")])

    assert result["part"]["sku"] == ti_part.sku


def test_an_alias_saved_before_chinese_names_were_understood_still_counts():
    ti_part, _ = _two_makers_of("LM358DR")
    alias = ManufacturerAlias.objects.create(manufacturer=ti_part.manufacturer, name="德州仪器")
    ManufacturerAlias.objects.filter(pk=alias.pk).update(normalized="")  # as stored then

    (result,) = lookup([LookupLine(mpn="LM358DR", manufacturer="德州仪器")])

    assert result["part"]["sku"] == ti_part.sku


def test_the_demo_loader_seeds_chinese_names_of_the_common_makers():
    demo_manufacturers()

    aliases = dict(ManufacturerAlias.objects.values_list("name", "manufacturer__name"))
    assert {name: aliases.get(name) for name in ("村田", "国巨", "德州仪器", "意法半导体")} == {
        "村田": "Murata",
        "国巨": "YAGEO",
        "德州仪器": "Texas Instruments",
        "意法半导体": "STMicroelectronics",
    }
    assert aliases.get("安森美") == "onsemi" and aliases.get("兆易创新") == "GigaDevice"


def test_a_chinese_alias_is_added_on_the_manufacturer_admin_page(admin_client):
    maker = ManufacturerFactory(name="Fenghua", slug="fenghua")

    response = admin_client.post(
        reverse("admin:catalog_manufacturer_change", args=[maker.pk]),
        {
            "name": "Fenghua",
            "slug": "fenghua",
            "website": "",
            "description": "",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "风华",
            "aliases-0-manufacturer": str(maker.pk),
        },
    )

    assert response.status_code == 302
    assert Manufacturer.objects.get(aliases__normalized="风华") == maker
