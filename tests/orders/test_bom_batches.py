"""A BOM matched, written and priced batch by batch: the same lines, prices and alternates
whatever the batch size, Chinese manufacturer names understood, part numbers in the value
column read in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ManufacturerAlias
from orders.bom import services
from orders.bom.selectors import bom_priced
from orders.models import BomMatch
from tests.orders import bom_helpers
from tests.orders.bom_helpers import make_bom

bom_catalog = bom_helpers.bom_catalog

pytestmark = pytest.mark.django_db

MIXED = (
    "MPN,Manufacturer,Value,Footprint,Qty\n"
    "RC0603FR-0710KL,YAGEO,,,3\n"
    "STM32F103C8T6,ST,,,1\n"
    ",,100nF,C_0402_1005Metric,2\n"
    "RC0603FR-0710KL,,,,5\n"
    "LM358DR,TI,,,2\n"
    "NOPE-123,Nobody,,,1\n"
    "STM32F103C8T6,,,,4\n"
    "RC0603FR-0710KL,YAGEO,,,7\n"
)


def _recorded(bom):
    return [
        (
            line.row_number,
            line.match,
            line.part_id,
            line.alternate_id,
            line.needed_quantity,
            line.ordered_quantity,
            line.last_unit_price,
            line.last_available,
        )
        for line in bom.lines.order_by("row_number")
    ]


@pytest.mark.parametrize("merge", [True, False])
def test_small_batches_record_what_one_batch_records(bom_catalog, monkeypatch, merge):
    whole = _recorded(make_bom(MIXED, build_quantity=250, merge_same_parts=merge))
    monkeypatch.setattr(services, "LINE_BATCH", 2)

    assert _recorded(make_bom(MIXED, build_quantity=250, merge_same_parts=merge)) == whole


def test_lines_of_one_part_in_different_batches_are_priced_together(bom_catalog, monkeypatch):
    monkeypatch.setattr(services, "LINE_BATCH", 2)

    bom = make_bom(MIXED, build_quantity=250)

    priced = {row.part: row for row in bom_priced(bom=bom).rows if row.part}
    resistors = bom.lines.filter(part=bom_catalog["10k"])
    assert {line.ordered_quantity for line in resistors} == {priced[bom_catalog["10k"]].ordered}
    assert priced[bom_catalog["10k"]].needed == (3 + 5 + 7) * 250


def test_an_alternate_is_offered_on_every_line_of_its_part_across_batches(bom_catalog, monkeypatch):
    monkeypatch.setattr(services, "LINE_BATCH", 2)

    bom = make_bom(MIXED)

    assert set(
        bom.lines.filter(part=bom_catalog["stm32"]).values_list("alternate_id", flat=True)
    ) == {bom_catalog["gd32"].pk}


def test_a_chinese_manufacturer_name_picks_the_part(bom_catalog):
    ManufacturerAlias.objects.create(
        manufacturer=bom_catalog["lm358_on"].manufacturer, name="安森美"
    )

    bom = make_bom("型号,品牌,用量\nLM358DR,安森美,10\n")

    assert (bom.lines.get().match, bom.lines.get().part) == (
        BomMatch.EXACT,
        bom_catalog["lm358_on"],
    )


def test_a_part_number_in_the_value_column_is_suggested_to_check(bom_catalog):
    bom = make_bom("Value,Footprint,Qty\nGD32F103C8T6,Package_QFP:LQFP-48,1\n")

    assert (bom.lines.get().match, bom.lines.get().part) == (
        BomMatch.TO_CHECK,
        bom_catalog["gd32"],
    )


def test_part_numbers_in_the_value_column_are_read_in_one_query(bom_catalog):
    def value_queries(rows):
        text = "Value,Footprint,Qty\n" + "".join(f"{v},{f},1\n" for v, f in rows)
        with CaptureQueriesContext(connection) as captured:
            make_bom(text)
        return len(captured)

    one = value_queries([("GD32F103C8T6", "LQFP-48")])
    three = value_queries(
        [("GD32F103C8T6", "LQFP-48"), ("STM32F103C8T6", "LQFP-48"), ("LM358DR", "SOIC-8")]
    )

    assert three == one
