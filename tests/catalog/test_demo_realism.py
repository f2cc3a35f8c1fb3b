"""The demo catalog reads like a real one to an engineer: package sizes, ratings and memory
sizes in the ranges the parts really come in. Rows come from the generator, no database."""

import re
from collections import defaultdict

import pytest

from catalog.demo import iter_demo_rows
from catalog.outlines import CHIP_SIZES, package_outline
from catalog.values import parse_value

PARTS = 6000


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(iter_demo_rows(PARTS, seed=7))


def of_family(rows, family: str) -> list[dict[str, str]]:
    return [row for row in rows if row["category"].rsplit("/", 1)[-1] == family]


def si(text: str) -> float:
    return parse_value(text).si_value


def test_every_family_is_generated(rows):
    families = {row["category"].rsplit("/", 1)[-1] for row in rows}
    assert {"chip-resistors", "mlcc", "power-inductors", "microcontrollers"} <= families


def test_every_package_is_one_the_outline_drawing_knows(rows):
    generic = {"Module", "SMD", "Through hole"}
    unknown = {row["package"] for row in rows if row["package"] not in generic} - {
        package for package in {row["package"] for row in rows}
        if package_outline(package).known
    }  # fmt: skip
    assert unknown == set()


def test_power_inductor_package_names_the_body_in_millimetres(rows):
    inductors = of_family(rows, "power-inductors")
    assert inductors
    for row in inductors:
        length, width, height = map(float, re.fullmatch(r"([\d.]+)x([\d.]+)x([\d.]+)mm",
                                                        row["package"]).groups())  # fmt: skip
        assert 2.0 <= length <= 12.5 and length == width, row["package"]
        assert 0.8 <= height <= 6.0, row["package"]
        assert height < length


def test_power_inductor_current_falls_and_dcr_rises_with_inductance(rows):
    by_size = defaultdict(list)
    for row in of_family(rows, "power-inductors"):
        if row["manufacturer"] == "Sunlord":
            by_size[row["mpn"][:4], row["package"]].append(
                (si(row["param:inductance"]), si(row["param:current"]), si(row["param:dcr"]))
            )
    for points in by_size.values():
        points.sort()
        currents = [current for _, current, _ in points]
        dcrs = [dcr for _, _, dcr in points]
        assert currents == sorted(currents, reverse=True)
        assert dcrs == sorted(dcrs)
    for _, amps, ohms in (p for points in by_size.values() for p in points):
        assert 0.05 <= amps <= 20 and 0.001 <= ohms <= 10


# Largest MLCC capacitance made in a case size (any dielectric, lowest voltage).
_MLCC_CEILING = {"0201": 1e-6, "0402": 10e-6, "0603": 22e-6, "0805": 47e-6, "1206": 100e-6,
                 "1210": 100e-6}  # fmt: skip


def test_mlcc_capacitance_fits_the_case_size(rows):
    for row in of_family(rows, "mlcc"):
        farads = si(row["param:capacitance"])
        assert farads <= _MLCC_CEILING[row["package"]], row["mpn"]
        if row["param:dielectric"] == "C0G":
            assert farads <= 1e-6, row["mpn"]


_RESISTOR_POWER = {"0201": 0.05, "0402": 0.1, "0603": 0.1, "0805": 0.25, "1206": 0.5,
                   "1210": 0.5, "1218": 1.0, "2010": 0.75, "2512": 2.0}  # fmt: skip


def test_resistor_power_fits_the_case_size(rows):
    resistors = of_family(rows, "chip-resistors")
    assert resistors
    for row in resistors:
        assert row["package"] in CHIP_SIZES
        assert si(row["param:power"]) <= _RESISTOR_POWER[row["package"]], row["mpn"]


def test_microcontroller_memory_reads_as_datasheets_give_it(rows):
    mcus = of_family(rows, "microcontrollers")
    assert mcus
    for row in mcus:
        flash, ram = si(row["param:flash"]), si(row["param:ram"])
        assert 512 <= flash <= 4e6 and 32 <= ram <= 2e6, row["mpn"]
        assert ram <= flash, row["mpn"]
        for text in (row["param:flash"], row["param:ram"]):
            assert not re.search(r"\.0?24|\.048", text), (row["mpn"], text)


def test_microcontroller_io_pins_fit_the_package(rows):
    for row in of_family(rows, "microcontrollers"):
        pins = int(re.search(r"(\d+)$", row["package"])[1])
        assert int(row["param:io-pins"]) < pins, row["mpn"]


def test_crystal_frequency_fits_the_package(rows):
    lowest = {"2.0x1.6mm": 16e6, "2.5x2.0mm": 12e6, "3.2x2.5mm": 8e6, "5.0x3.2mm": 6e6,
              "HC-49/US SMD": 3e6}  # fmt: skip
    crystals = of_family(rows, "crystals")
    assert crystals
    for row in crystals:
        hertz = si(row["param:frequency"])
        assert lowest[row["package"]] <= hertz <= 60e6, row["mpn"]


def test_chip_package_sizes_are_the_standard_ones():
    assert CHIP_SIZES["0603"] == (1.6, 0.8)
    assert CHIP_SIZES["1206"] == (3.2, 1.6)
