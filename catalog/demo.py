"""Demo catalog: a believable parts catalog generated offline, in the catalog import format.

Every part comes from a *family* (one manufacturer's series, e.g. YAGEO RC chip resistors):
a list of spec axes (value, tolerance, package …) and packaging or series *variants*. A part
is one point of that space, and its MPN, description, parameters and price are all derived
from the point, so a 10 kΩ resistor is called RC0603FR-0710KL and says 10 kΩ everywhere.
Points are visited through a bijection of the space (an affine permutation), which keeps
the MPNs of a family unique without remembering them and spreads a small demo over many
values; a family's variants are reached only when its standard parts run out, and an
exhausted family hands its share to the others. Rows stream, so a million parts for the
import benchmark take no more memory than a hundred.
"""

from __future__ import annotations

import csv
import heapq
import math
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import product
from operator import itemgetter
from pathlib import Path
from typing import Any

from .models import ValueMatch
from .taxonomy import ParameterSpec, category_ensure
from .values import format_value

__all__ = [
    "DEMO_CATEGORIES",
    "DEMO_MANUFACTURERS",
    "DEMO_SUPPLIERS",
    "DemoCategory",
    "DemoManufacturer",
    "demo_categories",
    "demo_columns",
    "demo_manufacturers",
    "demo_space",
    "iter_demo_rows",
    "write_demo_csv",
]

NUMBER, CHOICE, TEXT = "number", "choice", "text"


# --- taxonomy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCategory:
    path: str
    name: str
    description: str = ""
    parameters: tuple[ParameterSpec, ...] = ()
    drop_in: bool = False
    """Same key parameters and package from another maker is a drop-in (passives, discretes);
    elsewhere it is only a similar part, since pinouts and behaviour differ."""


# Ratings a part must at least meet, and tolerances and limits it must at most reach, when
# an engineer types the value in search ("25V" finds 50 V capacitors; "1%" finds 0.5 %).
_AT_LEAST = frozenset(
    {
        "voltage",
        "reverse-voltage",
        "vds",
        "vceo",
        "input-voltage-max",
        "supply-voltage-max",
        "current",
        "output-current",
        "forward-current",
        "id",
        "ic",
        "saturation-current",
        "power",
        "peak-pulse-power",
        "standoff-voltage",
    }
)
_AT_MOST = frozenset(
    {"tolerance", "frequency-tolerance", "stability", "esr", "rds-on", "dropout", "tcr"}
)


def _p(key: str, name: str, unit: str = "", kind: str = NUMBER, key_column: bool = False):
    match = (
        ValueMatch.AT_LEAST
        if key in _AT_LEAST
        else ValueMatch.AT_MOST
        if key in _AT_MOST
        else ValueMatch.EQUAL
    )
    if name == "Test current":  # an LED's test condition, not a rating
        match = ValueMatch.EQUAL
    return ParameterSpec(
        key=key, name=name, unit=unit, kind=kind, is_key=key_column, search_match=match
    )


_PACKAGE = _p("package", "Package / case", kind=CHOICE, key_column=True)
_TEMPERATURE = _p("operating-temperature", "Operating temperature", kind=TEXT)
_TOLERANCE = _p("tolerance", "Tolerance", "%", key_column=True)

DEMO_CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("passives", "Passive components"),
    DemoCategory("passives/resistors", "Resistors"),
    DemoCategory(
        "passives/resistors/chip-resistors",
        "Chip resistors",
        "Thick and thin film SMD resistors on tape and reel.",
        (
            _p("resistance", "Resistance", "Ω", key_column=True),
            _TOLERANCE,
            _p("power", "Power rating", "W", key_column=True),
            _PACKAGE,
            _p("tcr", "Temperature coefficient", "ppm/°C"),
            _p("composition", "Composition", kind=CHOICE),
            _TEMPERATURE,
        ),
        drop_in=True,
    ),
    DemoCategory("passives/capacitors", "Capacitors"),
    DemoCategory(
        "passives/capacitors/mlcc",
        "Ceramic capacitors (MLCC)",
        "Multilayer ceramic chip capacitors.",
        (
            _p("capacitance", "Capacitance", "F", key_column=True),
            _p("voltage", "Rated voltage", "V", key_column=True),
            _p("dielectric", "Dielectric", kind=CHOICE, key_column=True),
            _TOLERANCE,
            _PACKAGE,
            _TEMPERATURE,
        ),
        drop_in=True,
    ),
    DemoCategory(
        "passives/capacitors/aluminum-electrolytic",
        "Aluminum electrolytic capacitors",
        "SMD aluminum electrolytic capacitors (V-chip).",
        (
            _p("capacitance", "Capacitance", "F", key_column=True),
            _p("voltage", "Rated voltage", "V", key_column=True),
            _TOLERANCE,
            _p("case-size", "Case size (D×L)", kind=CHOICE, key_column=True),
            _p("lifetime", "Lifetime @ temperature", kind=TEXT),
            _TEMPERATURE,
        ),
        drop_in=True,
    ),
    DemoCategory("passives/inductors", "Inductors"),
    DemoCategory(
        "passives/inductors/power-inductors",
        "Power inductors",
        "Shielded SMD power inductors for DC-DC converters.",
        (
            _p("inductance", "Inductance", "H", key_column=True),
            _p("current", "Rated current", "A", key_column=True),
            _p("saturation-current", "Saturation current", "A"),
            _p("dcr", "DC resistance", "Ω", key_column=True),
            _TOLERANCE,
            _PACKAGE,
        ),
    ),
    DemoCategory(
        "passives/inductors/ferrite-beads",
        "Ferrite beads",
        "Chip ferrite beads for EMI suppression.",
        (
            _p("impedance", "Impedance @ 100 MHz", "Ω", key_column=True),
            _p("current", "Rated current", "A", key_column=True),
            _p("dcr", "DC resistance", "Ω", key_column=True),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory("discretes", "Discrete semiconductors"),
    DemoCategory("discretes/diodes", "Diodes"),
    DemoCategory(
        "discretes/diodes/rectifiers",
        "Rectifier and switching diodes",
        "Standard recovery rectifiers and small-signal switching diodes.",
        (
            _p("reverse-voltage", "Reverse voltage (Vr)", "V", key_column=True),
            _p("forward-current", "Forward current (If)", "A", key_column=True),
            _p("forward-voltage", "Forward voltage (Vf)", "V"),
            _p("recovery-time", "Reverse recovery time", "s"),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory(
        "discretes/diodes/schottky",
        "Schottky diodes",
        "Schottky barrier rectifiers.",
        (
            _p("reverse-voltage", "Reverse voltage (Vr)", "V", key_column=True),
            _p("forward-current", "Forward current (If)", "A", key_column=True),
            _p("forward-voltage", "Forward voltage (Vf)", "V", key_column=True),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory(
        "discretes/diodes/zener",
        "Zener diodes",
        "Voltage reference and clamp Zener diodes.",
        (
            _p("zener-voltage", "Zener voltage (Vz)", "V", key_column=True),
            _TOLERANCE,
            _p("power", "Power dissipation", "W", key_column=True),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory(
        "discretes/diodes/tvs",
        "TVS diodes",
        "Transient voltage suppressors for surge and ESD protection.",
        (
            _p("standoff-voltage", "Reverse standoff voltage", "V", key_column=True),
            _p("breakdown-voltage", "Breakdown voltage (min)", "V"),
            _p("clamping-voltage", "Clamping voltage (max)", "V"),
            _p("peak-pulse-power", "Peak pulse power", "W", key_column=True),
            _p("polarity", "Polarity", kind=CHOICE, key_column=True),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory("discretes/transistors", "Transistors"),
    DemoCategory(
        "discretes/transistors/mosfets",
        "MOSFETs",
        "Small-signal and power MOSFETs.",
        (
            _p("channel", "Channel", kind=CHOICE, key_column=True),
            _p("vds", "Drain-source voltage (Vds)", "V", key_column=True),
            _p("id", "Drain current (Id)", "A", key_column=True),
            _p("rds-on", "Rds(on) max", "Ω", key_column=True),
            _p("vgs-th", "Gate threshold voltage", "V"),
            _PACKAGE,
        ),
    ),
    DemoCategory(
        "discretes/transistors/bjts",
        "Bipolar transistors (BJT)",
        "General purpose bipolar junction transistors.",
        (
            _p("polarity", "Polarity", kind=CHOICE, key_column=True),
            _p("vceo", "Collector-emitter voltage (Vceo)", "V", key_column=True),
            _p("ic", "Collector current (Ic)", "A", key_column=True),
            _p("hfe", "DC current gain (hFE min)"),
            _p("power", "Power dissipation", "W"),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory("ics", "Integrated circuits"),
    DemoCategory(
        "ics/microcontrollers",
        "Microcontrollers",
        "8- and 32-bit microcontrollers.",
        (
            _p("core", "Core", kind=CHOICE, key_column=True),
            _p("frequency", "Max clock", "Hz", key_column=True),
            _p("flash", "Flash", "B", key_column=True),
            _p("ram", "RAM", "B", key_column=True),
            _p("io-pins", "I/O pins"),
            _p("supply-voltage", "Supply voltage", kind=TEXT),
            _PACKAGE,
        ),
    ),
    DemoCategory("ics/power", "Power management"),
    DemoCategory(
        "ics/power/ldo-regulators",
        "LDO regulators",
        "Low-dropout linear voltage regulators.",
        (
            _p("output-voltage", "Output voltage", "V", key_column=True),
            _p("output-current", "Output current", "A", key_column=True),
            _p("dropout", "Dropout voltage", "V", key_column=True),
            _p("input-voltage-max", "Input voltage (max)", "V"),
            _p("quiescent-current", "Quiescent current", "A"),
            _PACKAGE,
        ),
    ),
    DemoCategory(
        "ics/power/dc-dc-converters",
        "DC-DC converters",
        "Switching regulators with integrated switches.",
        (
            _p("topology", "Topology", kind=CHOICE, key_column=True),
            _p("input-voltage-max", "Input voltage (max)", "V", key_column=True),
            _p("output-current", "Output current", "A", key_column=True),
            _p("switching-frequency", "Switching frequency", "Hz"),
            _p("output-voltage", "Output voltage", kind=TEXT),
            _PACKAGE,
        ),
    ),
    DemoCategory("ics/amplifiers", "Amplifiers"),
    DemoCategory(
        "ics/amplifiers/op-amps",
        "Operational amplifiers",
        "General purpose and precision op-amps.",
        (
            _p("channels", "Channels", key_column=True),
            _p("gbw", "Gain bandwidth", "Hz", key_column=True),
            _p("supply-voltage-max", "Supply voltage (max)", "V", key_column=True),
            _p("offset-voltage", "Input offset voltage", "V"),
            _p("rail-to-rail", "Rail-to-rail", kind=CHOICE),
            _PACKAGE,
        ),
    ),
    DemoCategory("ics/logic", "Logic"),
    DemoCategory(
        "ics/logic/gates-and-buffers",
        "Gates, buffers and registers",
        "Standard 74-series logic.",
        (
            _p("logic-family", "Logic family", kind=CHOICE, key_column=True),
            _p("function", "Function", kind=TEXT, key_column=True),
            _p("channels", "Channels"),
            _p("supply-voltage", "Supply voltage", kind=TEXT),
            _PACKAGE,
        ),
    ),
    DemoCategory("frequency-control", "Frequency control"),
    DemoCategory(
        "frequency-control/crystals",
        "Crystals",
        "Quartz crystal resonators.",
        (
            _p("frequency", "Frequency", "Hz", key_column=True),
            _p("load-capacitance", "Load capacitance", "F", key_column=True),
            _p("frequency-tolerance", "Frequency tolerance", "ppm", key_column=True),
            _p("esr", "ESR (max)", "Ω"),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory(
        "frequency-control/oscillators",
        "Oscillators",
        "Crystal and MEMS clock oscillators.",
        (
            _p("frequency", "Frequency", "Hz", key_column=True),
            _p("supply-voltage", "Supply voltage", "V", key_column=True),
            _p("stability", "Frequency stability", "ppm", key_column=True),
            _p("output", "Output", kind=CHOICE),
            _PACKAGE,
        ),
    ),
    DemoCategory("connectors", "Connectors"),
    DemoCategory(
        "connectors/wire-to-board",
        "Wire-to-board and pin headers",
        "Shrouded wire-to-board headers and pin headers.",
        (
            _p("pitch", "Pitch", "mm", key_column=True),
            _p("positions", "Positions", key_column=True),
            _p("rows", "Rows"),
            _p("mounting", "Mounting", kind=CHOICE, key_column=True),
            _p("orientation", "Orientation", kind=CHOICE),
            _p("current", "Current rating", "A"),
        ),
    ),
    DemoCategory(
        "connectors/usb",
        "USB connectors",
        "USB Type-C, Micro-B and Type-A receptacles.",
        (
            _p("connector-type", "Connector type", kind=CHOICE, key_column=True),
            _p("positions", "Positions", key_column=True),
            _p("mounting", "Mounting", kind=CHOICE, key_column=True),
            _p("current", "Current rating", "A"),
        ),
    ),
    DemoCategory("optoelectronics", "Optoelectronics"),
    DemoCategory(
        "optoelectronics/leds",
        "LEDs",
        "SMD indicator LEDs.",
        (
            _p("color", "Color", kind=CHOICE, key_column=True),
            _p("wavelength", "Dominant wavelength", "nm", key_column=True),
            _p("luminous-intensity", "Luminous intensity", "mcd"),
            _p("forward-voltage", "Forward voltage", "V", key_column=True),
            _p("forward-current", "Test current", "A"),
            _PACKAGE,
        ),
        drop_in=True,
    ),
    DemoCategory("rf", "RF and wireless"),
    DemoCategory(
        "rf/wifi-bluetooth",
        "Wi-Fi and Bluetooth SoCs and modules",
        "Wireless microcontrollers and certified modules.",
        (
            _p("wireless", "Wireless", kind=CHOICE, key_column=True),
            _p("core", "Core", kind=CHOICE),
            _p("flash", "Flash", "B", key_column=True),
            _p("psram", "PSRAM", "B"),
            _p("antenna", "Antenna", kind=CHOICE, key_column=True),
            _PACKAGE,
        ),
    ),
    DemoCategory("sensors", "Sensors"),
    DemoCategory(
        "sensors/environmental",
        "Temperature, humidity and pressure sensors",
        "Digital environmental sensors.",
        (
            _p("sensor-type", "Measures", kind=CHOICE, key_column=True),
            _p("interface", "Interface", kind=CHOICE, key_column=True),
            _p("accuracy", "Accuracy", kind=TEXT, key_column=True),
            _p("supply-voltage", "Supply voltage", kind=TEXT),
            _PACKAGE,
        ),
    ),
    DemoCategory(
        "sensors/motion",
        "Accelerometers and IMUs",
        "MEMS motion sensors.",
        (
            _p("sensor-type", "Sensor type", kind=CHOICE, key_column=True),
            _p("axes", "Axes", key_column=True),
            _p("interface", "Interface", kind=CHOICE, key_column=True),
            _p("range", "Measuring range", kind=TEXT),
            _p("supply-voltage", "Supply voltage", kind=TEXT),
            _PACKAGE,
        ),
    ),
)



@dataclass(frozen=True)
class DemoManufacturer:
    name: str
    website: str
    aliases: tuple[str, ...] = ()


DEMO_MANUFACTURERS: tuple[DemoManufacturer, ...] = (
    DemoManufacturer("YAGEO", "https://www.yageo.com", ("Yageo Corporation", "国巨", "国巨电子")),
    DemoManufacturer("UniOhm", "https://www.uniohm.com", ("Uni-Royal", "厚声")),
    DemoManufacturer(
        "Vishay", "https://www.vishay.com", ("Vishay Intertechnology", "Vishay Dale", "威世")
    ),
    DemoManufacturer(
        "Panasonic", "https://industrial.panasonic.com", ("Panasonic Industry", "松下")
    ),
    DemoManufacturer(
        "Murata", "https://www.murata.com", ("Murata Manufacturing", "muRata", "村田", "村田制作所")
    ),
    DemoManufacturer(
        "Samsung Electro-Mechanics", "https://www.samsungsem.com", ("Samsung", "SEMCO", "三星电机")
    ),
    DemoManufacturer("TDK", "https://product.tdk.com", ("TDK Corporation", "东电化")),
    DemoManufacturer("Nichicon", "https://www.nichicon.co.jp", ("Nichicon Corporation", "尼吉康")),
    DemoManufacturer(
        "Würth Elektronik",
        "https://www.we-online.com",
        ("Wurth Elektronik", "Würth", "WE", "伍尔特"),
    ),
    DemoManufacturer("Sunlord", "https://www.sunlordinc.com", ("Shenzhen Sunlord", "顺络")),
    DemoManufacturer(
        "STMicroelectronics",
        "https://www.st.com",
        ("ST", "STM", "ST Microelectronics", "意法半导体", "意法"),
    ),
    DemoManufacturer(
        "GigaDevice", "https://www.gigadevice.com", ("GigaDevice Semiconductor", "兆易创新", "兆易")
    ),
    DemoManufacturer(
        "Microchip Technology", "https://www.microchip.com", ("Microchip", "Atmel", "MCHP", "微芯")
    ),
    DemoManufacturer("Espressif Systems", "https://www.espressif.com", ("Espressif", "乐鑫")),
    DemoManufacturer(
        "Texas Instruments",
        "https://www.ti.com",
        ("TI", "Texas Instruments Inc.", "德州仪器", "德州儀器"),
    ),
    DemoManufacturer(
        "Diodes Incorporated", "https://www.diodes.com", ("Diodes Inc", "Diodes", "Zetex", "美台")
    ),
    DemoManufacturer(
        "Nexperia", "https://www.nexperia.com", ("Nexperia B.V.", "NXP Standard", "安世")
    ),
    DemoManufacturer(
        "onsemi", "https://www.onsemi.com", ("ON Semiconductor", "ON Semi", "Fairchild", "安森美")
    ),
    DemoManufacturer("Littelfuse", "https://www.littelfuse.com", ("Littelfuse Inc.", "力特")),
    DemoManufacturer(
        "Infineon Technologies", "https://www.infineon.com", ("Infineon", "IR", "英飞凌")
    ),
    DemoManufacturer(
        "Monolithic Power Systems", "https://www.monolithicpower.com", ("MPS", "芯源系统")
    ),
    DemoManufacturer("Abracon", "https://abracon.com", ("Abracon LLC",)),
    DemoManufacturer("SiTime", "https://www.sitime.com", ("SiTime Corporation",)),
    DemoManufacturer("JST", "https://www.jst-mfg.com", ("J.S.T. Mfg.", "JST Mfg")),
    DemoManufacturer("Molex", "https://www.molex.com", ("Molex LLC", "莫仕")),
    DemoManufacturer("GCT", "https://gct.co", ("Global Connector Technology",)),
    DemoManufacturer("Everlight", "https://www.everlight.com", ("Everlight Electronics", "亿光")),
    DemoManufacturer("Bosch Sensortec", "https://www.bosch-sensortec.com", ("Bosch", "博世")),
    DemoManufacturer("Sensirion", "https://sensirion.com", ("Sensirion AG", "盛思锐")),
)

DEMO_SUPPLIERS: tuple[tuple[str, str], ...] = (
    ("hk-stock", "Hong Kong stock partner"),
    ("sz-market", "Shenzhen market sourcing"),
    ("eu-dist", "European distributor"),
)


# --- values and manufacturer codes ------------------------------------------------------------

E24 = (10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82,
       91)  # fmt: skip
E12 = (10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82)
E6 = (10, 15, 22, 33, 47, 68)


@cache
def _e_series(count: int) -> tuple[int, ...]:
    """IEC 60063 E48/E96/E192 mantissas (100…976): round(10^(i/n), 2) with the one exception."""
    values = [round(10 ** (i / count), 2) for i in range(count)]
    mantissas = [int(round(value * 100)) for value in values]
    return tuple(919 if count == 192 and m == 920 else m for m in mantissas)


def _decimal(mantissa: int, exponent: int) -> Decimal:
    return Decimal(mantissa).scaleb(exponent).normalize()


def _resistances(mantissas: Sequence[int], decades: range) -> tuple[Decimal, ...]:
    """Values from 3-digit mantissas over decades: decade 0 is 1.00–9.76 Ω."""
    return tuple(_decimal(m, d - 2) for d in decades for m in mantissas)


def value_text(value: Decimal | float, unit: str) -> str:
    """Compact value as parameters store it ("10kΩ", "100nF")."""
    return format_value(float(value), unit)


_NUMBER_HEAD = re.compile(r"^(-?[0-9.]+)")


def spaced(value: Decimal | float, unit: str) -> str:
    """Value as a description reads it ("10 kΩ", "100 nF")."""
    return _NUMBER_HEAD.sub(r"\1 ", value_text(value, unit), count=1)


def rkm(value: Decimal, *, digits: int = 0) -> str:
    """Letter-as-decimal-point code (IEC 60062): 4K7, 10K, 100R, 1K02; ``digits`` pads
    the significant digits, as Vishay writes 10K0 and 1R00."""
    mark, scale = next(
        ((mark, scale) for mark, scale in (("M", 6), ("K", 3)) if value >= Decimal(10) ** scale),
        ("R", 0),
    )
    text = format(value.scaleb(-scale).normalize(), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.ljust(max(digits - len(whole), 0), "0")
    return f"{whole}{mark}{fraction}"


def eia_code(value: Decimal, significant: int) -> str:
    """EIA digits-and-multiplier code: 10 kΩ -> "1002" (4 digits) or "103" (3 digits);
    values below the first decade use R as decimal point ("49R9", "4R7")."""
    if value < Decimal(10) ** (significant - 1):
        return rkm(value, digits=significant)
    exponent = value.adjusted() - (significant - 1)
    mantissa = int(value.scaleb(-exponent))
    return f"{mantissa}{exponent}"


def cap_code(farads: Decimal) -> str:
    """Capacitance as the 3-character picofarad code: 100 nF -> "104", 4.7 pF -> "4R7"."""
    return eia_code(farads.scaleb(12).normalize(), 2)


def _sig(value: float, digits: int = 3) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


# --- families ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Made:
    """One part as a family builds it from a point of its spec space."""

    mpn: str
    description: str
    package: str
    params: dict[str, str]
    price: float
    datasheet: str
    packaging: str = "Tape & Reel"
    reel: int | None = None
    kind: str = "cut_tape"
    msl: str = "1"
    stock_scale: int = 20_000


Builder = Callable[[tuple, Any], Made]


@dataclass(frozen=True)
class Family:
    """One manufacturer's series: spec axes (a product space), variants and a builder."""

    name: str
    manufacturer: str
    category: str
    weight: float
    axes: Callable[[], tuple[Sequence[Any], ...]]
    build: Builder
    variants: tuple[Any, ...] = (None,)
    popular: tuple[tuple, ...] = ()

    @property
    def base_size(self) -> int:
        return math.prod(len(axis) for axis in _axes(self))

    @property
    def size(self) -> int:
        return self.base_size * len(self.variants)


@cache
def _axes(family: Family) -> tuple[Sequence[Any], ...]:
    return family.axes()


def _decode(axes: Sequence[Sequence[Any]], index: int) -> tuple:
    point = []
    for axis in reversed(axes):
        index, digit = divmod(index, len(axis))
        point.append(axis[digit])
    return tuple(reversed(point))


def _encode(axes: Sequence[Sequence[Any]], point: tuple) -> int:
    index = 0
    for axis, value in zip(axes, point, strict=True):
        index = index * len(axis) + axis.index(value)
    return index


def _multiplier(size: int) -> int:
    """A step coprime to ``size`` near its golden section: consecutive parts land far apart."""
    step = max(1, int(size * 0.6180339887)) | 1
    while math.gcd(step, size) != 1:
        step += 2
    return step % size or 1


def _points(family: Family, offset: int) -> Iterator[tuple[tuple, Any]]:
    """Every point of the family once: popular parts first, then a permutation of the
    standard parts, then the same for each further variant."""
    axes = _axes(family)
    base = family.base_size
    step = _multiplier(base)
    popular = [_encode(axes, point) for point in family.popular]
    skip = set(popular)
    for variant in family.variants:
        for index in popular:
            yield _decode(axes, index), variant
        for position in range(base):
            index = (position * step + offset) % base
            if index not in skip:
                yield _decode(axes, index), variant


# --- chip resistors ---------------------------------------------------------------------------

_CHIP_SIZES: dict[str, tuple[str, int, float]] = {
    # imperial size: (power rating W, pieces per 7" reel, price of one piece at quantity 1)
    "0201": ("0.05", 10_000, 0.0110),
    "0402": ("0.0625", 10_000, 0.0090),
    "0603": ("0.1", 5_000, 0.0120),
    "0805": ("0.125", 5_000, 0.0150),
    "1206": ("0.25", 5_000, 0.0210),
    "1210": ("0.5", 5_000, 0.0350),
    "1218": ("1", 4_000, 0.0900),
    "2010": ("0.75", 4_000, 0.0480),
    "2512": ("1", 4_000, 0.0620),
}
_TOLERANCE_LETTERS = {"W": "0.05", "B": "0.1", "C": "0.25", "D": "0.5", "F": "1", "G": "2",
                      "J": "5", "K": "10"}  # fmt: skip
_PRECISION_PRICE = {"W": 14.0, "B": 9.0, "C": 6.0, "D": 4.0, "F": 1.0, "J": 0.8}
_ZERO = Decimal(0)


@cache
def _thick_film_values() -> tuple[tuple[Decimal, str], ...]:
    """(resistance, tolerance letter): 1% over E96 and E24, 5% over E24, 0.5% over E96 from
    10 Ω to 1 MΩ, and the 0 Ω jumper."""
    e24 = [m * 10 for m in E24]
    one_percent = sorted(set(_e_series(96)) | set(e24))
    decades = range(0, 7)
    values = [(value, "F") for value in _resistances(one_percent, decades)]
    values += [(value, "D") for value in _resistances(_e_series(96), range(1, 6))]
    values += [(value, "J") for value in _resistances(e24, decades)]
    values += [(Decimal(10_000_000), "F"), (Decimal(10_000_000), "J"), (_ZERO, "J")]
    return tuple(values)


@cache
def _thin_film_values() -> tuple[Decimal, ...]:
    return _resistances(_e_series(192), range(1, 6))


def _resistor(
    mpn: str,
    value: Decimal,
    letter: str,
    size: str,
    *,
    maker_host: str,
    datasheet: str,
    reel_factor: int = 1,
    thin: bool = False,
    tcr: int | None = None,
    price_factor: float = 1.0,
) -> Made:
    power, reel, price = _CHIP_SIZES[size]
    tolerance = _TOLERANCE_LETTERS[letter]
    film = "thin film" if thin else "thick film"
    tcr = tcr or (25 if thin else 100 if letter != "J" else 200)
    if value == _ZERO:
        head, params_value = "0 Ω jumper", "0Ω"
    else:
        head, params_value = f"{spaced(value, 'Ω')} ±{tolerance}%", value_text(value, "Ω")
    return Made(
        mpn=mpn,
        description=f"{head} {spaced(Decimal(power), 'W')} {size} {film} chip resistor",
        package=size,
        params={
            "resistance": params_value,
            "tolerance": f"±{tolerance}%",
            "power": value_text(Decimal(power), "W"),
            "package": size,
            "tcr": f"±{tcr}ppm/°C",
            "composition": "Thin film" if thin else "Thick film",
            "operating-temperature": "-55°C ~ 155°C",
        },
        price=price * _PRECISION_PRICE[letter] * price_factor,
        datasheet=f"https://{maker_host}/{datasheet}",
        packaging="Tape & Reel (paper)",
        reel=reel * reel_factor,
        stock_scale=200_000,
    )


_RESISTOR_SIZES = tuple(_CHIP_SIZES)
_SMALL_SIZES = ("0201", "0402", "0603", "0805", "1206")
_REEL_FACTOR = {"07": 1, "10": 2, "13": 4, "7W": 2}


_YAGEO_SERIES = {"RC": "", "AC": ", AEC-Q200", "AF": ", anti-sulfur"}


def _yageo_rc(point: tuple, variant: tuple[str, str, str]) -> Made:
    (value, letter), size = point
    series, reel, tape = variant
    made = _resistor(
        f"{series}{size}{letter}{tape}-{reel}{rkm(value)}L",
        value,
        letter,
        size,
        maker_host="www.yageo.com/upload/media/product/productsearch/datasheet/rchip",
        datasheet=f"PYu-{series}_Group_51_RoHS_L_12.pdf",
        reel_factor=_REEL_FACTOR[reel],
        price_factor=1.0 if series == "RC" else 1.6,
    )
    made.description += _YAGEO_SERIES[series]
    if tape != "R":
        made.packaging = "Tape & Reel (embossed)" if tape == "K" else "Tape & Reel (ESD-safe)"
    return made


_YAGEO_TCR = {"B": 10, "C": 15, "D": 25, "E": 50}


def _yageo_rt(point: tuple, variant: str) -> Made:
    value, letter, tcr, size = point
    return _resistor(
        f"RT{size}{letter}R{tcr}{variant}{rkm(value)}L",
        value,
        letter,
        size,
        maker_host="www.yageo.com/upload/media/product/productsearch/datasheet/rchip",
        datasheet="PYu-RT_1-to-0.01_RoHS_L_15.pdf",
        reel_factor=_REEL_FACTOR[variant],
        thin=True,
        tcr=_YAGEO_TCR[tcr],
    )


_UNIOHM_SERIES = {
    "0201": "WH", "0402": "WG", "0603": "WA", "0805": "W8", "1206": "W4", "1210": "W2",
    "1218": "W7", "2010": "W5", "2512": "W1",
}  # fmt: skip


def _uniohm(point: tuple, variant: str) -> Made:
    (value, letter), size = point
    if value == _ZERO:
        code = "0000"
    elif letter == "J":
        code = eia_code(value, 2).rjust(4, "0")
    else:
        code = eia_code(value, 3)
    reel = {"5": "C", "1": "B", "4": "D"}[variant] if size == "0402" else variant
    return _resistor(
        f"{size}{_UNIOHM_SERIES[size]}{letter}{code}T{reel}E",
        value,
        letter,
        size,
        maker_host="www.uniohm.com/upload/datasheet",
        datasheet=f"Thick_Film_Chip_Resistor_{size}.pdf",
        reel_factor=1 if variant == "5" else 2,
        price_factor=0.7,
    )


def _vishay_crcw(point: tuple, variant: str) -> Made:
    (value, letter), size = point
    code = "0000Z0" if value == _ZERO else f"{rkm(value, digits=3)}{letter}K"
    return _resistor(
        f"CRCW{size}{code}{variant}",
        value,
        letter,
        size,
        maker_host="www.vishay.com/docs/20035",
        datasheet="dcrcwe3.pdf",
        reel_factor=2 if variant in ("ED", "EL") else 1,
        price_factor=1.3,
    )


_PANASONIC_SIZES = {
    # size: (1% prefix, 5% prefix, anti-sulfur prefix, packaging letter)
    "0201": ("ERJ-1GNF", "ERJ-1GNJ", "ERJ-S01", "C"),
    "0402": ("ERJ-2RKF", "ERJ-2GEJ", "ERJ-S02", "X"),
    "0603": ("ERJ-3EKF", "ERJ-3GEYJ", "ERJ-S03", "V"),
    "0805": ("ERJ-6ENF", "ERJ-6GEYJ", "ERJ-S06", "V"),
    "1206": ("ERJ-8ENF", "ERJ-8GEYJ", "ERJ-S08", "V"),
}


def _panasonic_erj(point: tuple, variant: str) -> Made | None:
    (value, letter), size = point
    if letter not in ("F", "J"):
        return None
    one, five, sulfur, reel = _PANASONIC_SIZES[size]
    if value == _ZERO:
        mpn = f"{five[:-1]}0R00{reel}"
    elif letter == "J":
        mpn = f"{five}{eia_code(value, 2)}{reel}"
    else:
        mpn = f"{one}{eia_code(value, 3)}{reel}"
    if variant != "standard":
        prefix = sulfur if variant == "anti-sulfur" else sulfur.replace("S", "P")
        mpn = prefix + mpn.removeprefix(one[:-1] if letter == "F" and value else five[:-1])
    made = _resistor(
        mpn,
        value,
        letter,
        size,
        maker_host="industrial.panasonic.com/cdbs/www-data/pdf/RDA0000",
        datasheet="AOA0000C304.pdf",
        price_factor=1.2 if variant == "standard" else 1.8,
    )
    if variant != "standard":
        made.description += f", {variant}"
    return made


# --- ceramic capacitors (MLCC) -----------------------------------------------------------------

_MLCC_SIZES: dict[str, tuple[float, int, float]] = {
    # size: (largest X5R capacitance in µF at 6.3 V, pieces per reel, price at quantity 1)
    "0201": (1.0, 15_000, 0.0060),
    "0402": (10.0, 10_000, 0.0040),
    "0603": (22.0, 4_000, 0.0060),
    "0805": (47.0, 4_000, 0.0120),
    "1206": (100.0, 3_000, 0.0300),
    "1210": (100.0, 2_000, 0.0650),
}
_C0G_MAX_PF = {"0201": 1e3, "0402": 1e4, "0603": 4.7e4, "0805": 1e5, "1206": 2.2e5, "1210": 4.7e5}
_VOLTAGE_DERATING = {6.3: 1.0, 10: 1.0, 16: 0.47, 25: 0.22, 35: 0.15, 50: 0.1, 100: 0.022,
                     250: 0.005, 630: 0.0015}  # fmt: skip
_MLCC_TOLERANCES = {"C0G": ("J", "G", "F"), "X7R": ("K", "M", "J"), "X5R": ("K", "M", "J")}
_MLCC_TOLERANCE_PERCENT = {"F": "1", "G": "2", "J": "5", "K": "10", "M": "20"}


def _mlcc_tolerance(dielectric: str, index: int, rare: bool) -> str | None:
    """The two usual tolerance letters of a dielectric; the rare third one is a variant, so
    a small demo shows ±10% X7R far more often than ±5%."""
    if rare:
        return _MLCC_TOLERANCES[dielectric][2] if index == 0 else None
    return _MLCC_TOLERANCES[dielectric][index]


def _mlcc_variants(variants: Sequence[Any]) -> tuple[tuple[Any, bool], ...]:
    return tuple((variant, False) for variant in variants) + tuple(
        (variant, True) for variant in variants
    )
_MLCC_TEMPERATURE = {"C0G": "-55°C ~ 125°C", "X7R": "-55°C ~ 125°C", "X5R": "-55°C ~ 85°C"}


@cache
def _mlcc_points() -> tuple[tuple[str, str, float, Decimal], ...]:
    """(size, dielectric, voltage, capacitance) that exist: big values only in big cases and
    at low voltage, C0G only up to tens of nanofarads, small values not below 16 V."""
    points = []
    for size, (x5r_max_uf, _, _) in _MLCC_SIZES.items():
        for dielectric in ("C0G", "X7R", "X5R"):
            for voltage, derating in _VOLTAGE_DERATING.items():
                if (size == "0201" and voltage > 25) or (size == "0402" and voltage > 100):
                    continue
                exponents = range(-11, -6) if dielectric == "C0G" else range(-11, -3)
                for exponent, mantissa in product(exponents, E12):
                    farads = _decimal(mantissa, exponent - 1)
                    if dielectric == "C0G":
                        limit = _C0G_MAX_PF[size] * 1e-12 * min(1.0, derating * 4)
                        if voltage < 25:
                            continue
                    else:
                        limit = x5r_max_uf * 1e-6 * derating * (0.45 if dielectric == "X7R" else 1)
                        if farads < Decimal("100e-12") or (
                            voltage < 16 and farads < Decimal("100e-9")
                        ):
                            continue
                    if float(farads) <= limit * 1.0001:
                        points.append((size, dielectric, voltage, farads))
    return tuple(points)


def _mlcc(
    mpn: str, point: tuple, tolerance: str, *, datasheet: str, reel_factor: int = 1,
    price_factor: float = 1.0, automotive: bool = False,
) -> Made:  # fmt: skip
    size, dielectric, voltage, farads = point
    largest, reel, price = _MLCC_SIZES[size]
    fullness = float(farads) / (largest * 1e-6)
    percent = _MLCC_TOLERANCE_PERCENT[tolerance]
    description = (
        f"{spaced(farads, 'F')} ±{percent}% {spaced(voltage, 'V')} {dielectric} {size} MLCC"
    )
    return Made(
        mpn=mpn,
        description=description + (", AEC-Q200" if automotive else ""),
        package=size,
        params={
            "capacitance": value_text(farads, "F"),
            "voltage": value_text(voltage, "V"),
            "dielectric": dielectric,
            "tolerance": f"±{percent}%",
            "package": size,
            "operating-temperature": _MLCC_TEMPERATURE[dielectric],
        },
        price=price
        * (1 + 6 * fullness)
        * (1.6 if dielectric == "C0G" else 1.0)
        * (1.0 + voltage / 200)
        * price_factor,
        datasheet=datasheet,
        packaging="Tape & Reel",
        reel=reel * reel_factor,
        stock_scale=150_000,
    )


_EIA_VOLTAGE = {6.3: "0J", 10: "1A", 16: "1C", 25: "1E", 35: "1V", 50: "1H", 63: "1J", 100: "2A",
                250: "2E", 630: "2J"}  # fmt: skip
_MURATA_SIZE = {"0201": "033", "0402": "155", "0603": "188", "0805": "21B", "1206": "31M",
                "1210": "32E"}  # fmt: skip
_MURATA_DIELECTRIC = {"C0G": "5C", "X7R": "R7", "X5R": "R6"}
_MURATA_SPECIAL = {"0201": "01", "0402": "88", "0603": "93", "0805": "57", "1206": "12",
                   "1210": "20"}  # fmt: skip


def _murata(point: tuple, variant: tuple[str, str]) -> Made | None:
    (size, dielectric, voltage, farads), tolerance_index = point
    variant, rare = variant
    series, reel = variant
    tolerance = _mlcc_tolerance(dielectric, tolerance_index, rare)
    if tolerance is None:
        return None
    special = ("A" if farads < Decimal("1e-6") else "E") + _MURATA_SPECIAL[size]
    mpn = (
        f"{series}{_MURATA_SIZE[size]}{_MURATA_DIELECTRIC[dielectric]}{_EIA_VOLTAGE[voltage]}"
        f"{cap_code(farads)}{tolerance}{special}{reel}"
    )
    return _mlcc(
        mpn,
        (size, dielectric, voltage, farads),
        tolerance,
        datasheet=f"https://www.murata.com/en-global/api/pdfdownloadapi?cate=luCeramicCapacitorsSMD&partno={mpn}",
        reel_factor=4 if reel in ("J", "K") else 1,
        price_factor=1.9 if series == "GCM" else 1.15,
        automotive=series == "GCM",
    )


_SAMSUNG_SIZE = {"0201": "03", "0402": "05", "0603": "10", "0805": "21", "1206": "31", "1210": "32"}
_SAMSUNG_DIELECTRIC = {"C0G": "C", "X7R": "B", "X5R": "A"}
_SAMSUNG_VOLTAGE = {6.3: "Q", 10: "P", 16: "O", 25: "A", 35: "L", 50: "B", 100: "C", 250: "E",
                    630: "H"}  # fmt: skip
_SAMSUNG_THICKNESS = {"0201": "3", "0402": "5", "0603": "8", "0805": "F", "1206": "C", "1210": "H"}


def _samsung(point: tuple, variant: str) -> Made | None:
    (size, dielectric, voltage, farads), tolerance_index = point
    variant, rare = variant
    tolerance = _mlcc_tolerance(dielectric, tolerance_index, rare)
    if tolerance is None:
        return None
    mpn = (
        f"CL{_SAMSUNG_SIZE[size]}{_SAMSUNG_DIELECTRIC[dielectric]}{cap_code(farads)}{tolerance}"
        f"{_SAMSUNG_VOLTAGE[voltage]}{_SAMSUNG_THICKNESS[size]}{variant}"
    )
    return _mlcc(
        mpn,
        (size, dielectric, voltage, farads),
        tolerance,
        datasheet=f"https://weblib.samsungsem.com/mlcc/mlcc-ec-data-sheet.do?partNumber={mpn}",
        reel_factor=4 if variant.endswith("D") else 1,
        price_factor=0.8 if variant.startswith("NNN") else 1.5,
        automotive=not variant.startswith("NNN"),
    )


_TDK_SIZE = {"0201": ("0603", "030"), "0402": ("1005", "050"), "0603": ("1608", "080"),
             "0805": ("2012", "125"), "1206": ("3216", "160"), "1210": ("3225", "250")}  # fmt: skip


def _tdk(point: tuple, variant: str) -> Made | None:
    (size, dielectric, voltage, farads), tolerance_index = point
    variant, rare = variant
    tolerance = _mlcc_tolerance(dielectric, tolerance_index, rare)
    if tolerance is None:
        return None
    metric, thickness = _TDK_SIZE[size]
    mpn = (
        f"C{metric}{dielectric}{_EIA_VOLTAGE[voltage]}{cap_code(farads)}{tolerance}"
        f"{thickness}{variant}"
    )
    return _mlcc(
        mpn,
        (size, dielectric, voltage, farads),
        tolerance,
        datasheet=f"https://product.tdk.com/system/files/dam/doc/product/capacitor/ceramic/mlcc/catalog/mlcc_commercial_general_en.pdf#{mpn}",
        reel_factor=4 if variant == "AB" else 1,
        price_factor=1.1,
    )


_YAGEO_CC_VOLTAGE = {6.3: "5", 10: "6", 16: "7", 25: "8", 50: "9", 100: "0"}


def _yageo_cc(point: tuple, variant: str) -> Made | None:
    (size, dielectric, voltage, farads), tolerance_index = point
    variant, rare = variant
    tolerance = _mlcc_tolerance(dielectric, tolerance_index, rare)
    if tolerance is None:
        return None
    if voltage not in _YAGEO_CC_VOLTAGE:
        return None
    material, suffix = ("NPO", "BN") if dielectric == "C0G" else (dielectric, "BB")
    mpn = (
        f"CC{size}{tolerance}{variant}{material}{_YAGEO_CC_VOLTAGE[voltage]}{suffix}"
        f"{cap_code(farads)}"
    )
    return _mlcc(
        mpn,
        (size, dielectric, voltage, farads),
        tolerance,
        datasheet="https://www.yageo.com/upload/media/product/productsearch/datasheet/mlcc/UPY-GPHC_X7R_6.3V-to-50V_23.pdf",
        reel_factor=4 if variant == "P" else 1,
        price_factor=0.75,
    )


# --- aluminum electrolytics, inductors, ferrite beads -----------------------------------------

_ELECTROLYTIC_CASES = (
    # largest capacitance × voltage (µF·V), case D×L, pieces per reel
    (60, "4x5.4mm", 2000), (150, "5x5.4mm", 1000), (400, "6.3x5.4mm", 1000),
    (900, "6.3x7.7mm", 900), (2400, "8x10.2mm", 500), (5500, "10x10.2mm", 500),
    (12_000, "12.5x13.5mm", 250), (25_000, "16x16.5mm", 200),
)  # fmt: skip
_ELECTROLYTIC_VALUES_UF = (1, 2.2, 3.3, 4.7, 10, 22, 33, 47, 68, 100, 150, 220, 330, 470, 680,
                           1000, 1500, 2200)  # fmt: skip



def _electrolytic(mpn: str, point: tuple, *, lifetime: str, datasheet: str, price_factor: float):
    voltage, microfarads = point
    _, case, reel = next(c for c in _ELECTROLYTIC_CASES if c[0] >= microfarads * voltage)
    farads = Decimal(str(microfarads)).scaleb(-6)
    return Made(
        mpn=mpn,
        description=(
            f"{spaced(farads, 'F')} ±20% {spaced(voltage, 'V')} aluminum electrolytic "
            f"capacitor, SMD {case.removesuffix('mm')} mm, {lifetime}"
        ),
        package=f"SMD,D{case}",
        params={
            "capacitance": value_text(farads, "F"),
            "voltage": value_text(voltage, "V"),
            "tolerance": "±20%",
            "case-size": case,
            "lifetime": lifetime,
            "operating-temperature": "-55°C ~ 105°C" if "105" in lifetime else "-40°C ~ 85°C",
        },
        price=(0.035 + microfarads * voltage / 9000) * price_factor,
        datasheet=datasheet,
        packaging="Tape & Reel",
        reel=reel,
        stock_scale=8_000,
    )


def _uf_code(microfarads: float) -> str:
    return eia_code(Decimal(str(microfarads)).normalize(), 2)


_PANASONIC_SERIES = {"FK": ("P", "2000 h @ 105°C"), "FT": ("AP", "3000 h @ 105°C"),
                     "FN": ("P", "1000 h @ 85°C"), "TG": ("V", "2000 h @ 125°C")}  # fmt: skip


def _electrolytic_exists(voltage: float, microfarads: float) -> bool:
    return 15 <= microfarads * voltage <= _ELECTROLYTIC_CASES[-1][0]


def _panasonic_eee(point: tuple, variant: str) -> Made | None:
    voltage, microfarads = point
    if not _electrolytic_exists(voltage, microfarads):
        return None
    suffix, lifetime = _PANASONIC_SERIES[variant]
    return _electrolytic(
        f"EEE-{variant}{_EIA_VOLTAGE[voltage]}{_uf_code(microfarads)}{suffix}",
        point,
        lifetime=lifetime,
        datasheet=f"https://industrial.panasonic.com/cdbs/www-data/pdf/RDE0000/ABA0000C1{len(variant)}5.pdf",
        price_factor=1.3,
    )


_NICHICON_SERIES = {"WT": "1000 h @ 105°C", "WX": "2000 h @ 85°C", "CD": "2000 h @ 105°C",
                    "UD": "1000 h @ 105°C"}  # fmt: skip
_NICHICON_CASE = {"4x5.4mm": "CR", "5x5.4mm": "CL", "6.3x5.4mm": "CL", "6.3x7.7mm": "CP",
                  "8x10.2mm": "NL", "10x10.2mm": "NL", "12.5x13.5mm": "NS",
                  "16x16.5mm": "NS"}  # fmt: skip


def _nichicon(point: tuple, variant: str) -> Made | None:
    voltage, microfarads = point
    if not _electrolytic_exists(voltage, microfarads):
        return None
    case = next(case for limit, case, _ in _ELECTROLYTIC_CASES if limit >= microfarads * voltage)
    return _electrolytic(
        f"U{variant}{_EIA_VOLTAGE[voltage]}{_uf_code(microfarads)}M{_NICHICON_CASE[case]}1GS",
        point,
        lifetime=_NICHICON_SERIES[variant],
        datasheet=f"https://www.nichicon.co.jp/english/series_items/catalog_pdf/e-u{variant.lower()}.pdf",
        price_factor=1.0,
    )


_POWER_INDUCTOR_SIZES = {
    # size: (rated current A at 1 µH, DCR Ω at 1 µH, largest µH, pieces per reel, price)
    "3012": (2.6, 0.045, 47, 2000, 0.09), "4018": (3.6, 0.030, 100, 2000, 0.11),
    "4030": (4.2, 0.022, 220, 2000, 0.13), "5040": (5.6, 0.014, 330, 1000, 0.17),
    "6045": (7.0, 0.010, 470, 1000, 0.22), "8040": (8.5, 0.007, 680, 1000, 0.30),
}  # fmt: skip
_INDUCTANCES_UH = (1, 1.5, 2.2, 3.3, 4.7, 6.8, 10, 15, 22, 33, 47, 68, 100, 150, 220, 330, 470, 680)



def _power_inductor(mpn: str, point: tuple, tolerance: int, *, datasheet: str, factor: float):
    size, microhenries = point
    current, dcr, _, reel, price = _POWER_INDUCTOR_SIZES[size]
    rated = _sig(current / math.sqrt(microhenries) * factor, 2)
    resistance = _sig(dcr * microhenries ** 0.9, 2)
    henries = Decimal(str(microhenries)).scaleb(-6)
    side = int(size[:2]) / 10
    package = f"{side:.1f}x{side:.1f}x{int(size[2:]) / 10:g}mm"
    return Made(
        mpn=mpn,
        description=(
            f"{spaced(henries, 'H')} ±{tolerance}% {spaced(rated, 'A')} shielded power inductor, "
            f"{package.removesuffix('mm')} mm"
        ),
        package=package,
        params={
            "inductance": value_text(henries, "H"),
            "current": value_text(rated, "A"),
            "saturation-current": value_text(_sig(rated * 1.3, 2), "A"),
            "dcr": value_text(resistance, "Ω"),
            "tolerance": f"±{tolerance}%",
            "package": package,
        },
        price=price * (1 + microhenries / 400) * factor,
        datasheet=datasheet,
        packaging="Tape & Reel",
        reel=reel,
        stock_scale=10_000,
    )


def _sunlord_swpa(point: tuple, variant: str) -> Made | None:
    size, microhenries = point
    if microhenries > _POWER_INDUCTOR_SIZES[size][2]:
        return None
    tolerance = 20 if microhenries >= 10 else 30
    letter = "M" if tolerance == 20 else "N"
    return _power_inductor(
        f"{variant}{size}S{_uf_code(microhenries)}{letter}T",
        point,
        tolerance,
        datasheet=f"https://www.sunlordinc.com/upload/datasheet/{variant}_series.pdf",
        factor=1.0 if variant == "SWPA" else 1.15,
    )


_WURTH_MAPI = {"3012": "373", "4018": "381", "4030": "384", "5040": "385", "6045": "386",
               "8040": "387"}  # fmt: skip


def _wurth_mapi(point: tuple, variant: None) -> Made | None:
    size, microhenries = point
    if microhenries > _POWER_INDUCTOR_SIZES[size][2]:
        return None
    code = _uf_code(microhenries) if microhenries >= 10 else f"0{round(microhenries * 10):02d}"
    return _power_inductor(
        f"74438{_WURTH_MAPI[size]}{code}",
        point,
        20,
        datasheet=f"https://www.we-online.com/components/products/datasheet/74438{_WURTH_MAPI[size]}{code}.pdf",
        factor=1.6,
    )


_BEAD_IMPEDANCES = (10, 30, 33, 60, 80, 120, 150, 220, 240, 300, 330, 470, 600, 1000, 1500, 1800,
                    2200)  # fmt: skip
_BEAD_SIZES = {
    "0402": ("15", "1005", 10_000, 0.008), "0603": ("18", "1608", 4_000, 0.010),
    "0805": ("21", "2012", 4_000, 0.016), "1206": ("31", "3216", 3_000, 0.030),
}  # fmt: skip
_BEAD_TYPES = {"AG": (0.5, 0.25), "PG": (2.0, 0.05), "KG": (4.0, 0.025), "SZ": (1.0, 0.12)}


_BEAD_SCALE = {"0402": 0.6, "0603": 1.0, "0805": 1.4, "1206": 2.0}


def _bead_current(size: str, ohms: int, kind: str) -> float:
    return _sig(_BEAD_TYPES[kind][0] * _BEAD_SCALE[size] * min(600 / ohms, 8) ** 0.35, 2)


def _ferrite_bead(mpn: str, size: str, ohms: int, kind: str, *, datasheet: str, factor: float):
    _, _, reel, price = _BEAD_SIZES[size]
    base_current, base_dcr = _BEAD_TYPES[kind]
    current = _bead_current(size, ohms, kind)
    dcr = _sig(base_dcr / _BEAD_SCALE[size] * (ohms / 600) ** 0.7, 2)
    return Made(
        mpn=mpn,
        description=(
            f"{spaced(ohms, 'Ω')} @ 100 MHz {spaced(current, 'A')} {size} chip ferrite bead"
        ),
        package=size,
        params={
            "impedance": value_text(ohms, "Ω"),
            "current": value_text(current, "A"),
            "dcr": value_text(dcr, "Ω"),
            "package": size,
        },
        price=price * (1 + base_current / 4) * factor,
        datasheet=datasheet,
        packaging="Tape & Reel",
        reel=reel,
        stock_scale=60_000,
    )


def _murata_blm(point: tuple, variant: str) -> Made:
    size, ohms, kind = point
    code = _BEAD_SIZES[size][0]
    mpn = f"BLM{code}{kind}{eia_code(Decimal(ohms), 2)}SN1{variant}"
    return _ferrite_bead(
        mpn, size, ohms, kind,
        datasheet=f"https://www.murata.com/en-global/products/productdata/8796740{code}6/ENFA0003.pdf",
        factor=1.2,
    )  # fmt: skip


def _sunlord_bead(point: tuple, variant: None) -> Made:
    size, ohms, kind = point
    metric = _BEAD_SIZES[size][1]
    code = eia_code(Decimal(ohms), 2)
    made = _ferrite_bead(
        "", size, ohms, kind,
        datasheet=f"https://www.sunlordinc.com/upload/datasheet/GZ{metric}_PZ{metric}.pdf",
        factor=0.7,
    )  # fmt: skip
    if kind == "AG":
        made.mpn = f"GZ{metric}D{code}TF"
    else:
        current = Decimal(str(_bead_current(size, ohms, kind)))
        made.mpn = f"PZ{metric}{kind[0]}{code}-{rkm(current, digits=2)}TF"
    return made


# --- discretes ---------------------------------------------------------------------------------

_PACKAGE_REEL = {
    "SOD-123": 3000, "SOD-323": 3000, "SOD-523": 3000, "SOD-123F": 3000, "SOT-23": 3000,
    "SOT-23-3": 3000, "SOT-23-5": 3000, "SOT-23-6": 3000, "SOT-323": 3000, "SOT-89": 1000,
    "SOT-223": 2500, "SMA": 5000, "SMB": 3000, "SMC": 3000, "DO-41": 5000, "DO-35": 10_000,
    "TO-252": 2500, "SOIC-8": 2500, "SO-14": 2500, "SO-16": 2500, "TSSOP-8": 2500,
    "TSSOP-14": 2500, "TSSOP-16": 2500, "TSSOP-20": 2500, "VSSOP-8": 2500,
    "SC-70-5": 3000, "WSON-6": 3000, "WSON-8": 3000, "X2SON-4": 3000, "DFN-8": 3000,
    "SOIC-8-EP": 2500, "TSOT-23-6": 3000, "TSOT-23-8": 3000, "DHVQFN-14": 3000,
    "DHVQFN-16": 3000, "SO-20": 2000, "TSSOP-5": 3000, "SOT-563": 4000, "SOT-553": 4000,
    "TO-92": 2000, "DPAK": 2500, "LGA-8": 10_000, "LGA-14": 5000, "LGA-16": 5000,
    "DFN-4": 10_000, "QFN-16": 3000, "VQFN-16": 3000,
}  # fmt: skip


def _discrete(
    mpn: str, description: str, package: str, params: dict[str, Any], price: float,
    datasheet: str, *, reel: bool = True, stock_scale: int = 30_000, msl: str = "1",
) -> Made:  # fmt: skip
    """A semiconductor sold on cut tape with full reels, or in bulk/tube when ``reel`` is off."""
    return Made(
        mpn=mpn,
        description=description,
        package=package,
        params={"package": package, **params},
        price=price,
        datasheet=datasheet,
        packaging="Tape & Reel" if reel else "Bulk",
        reel=_PACKAGE_REEL.get(package, 3000) if reel else None,
        kind="cut_tape" if reel else "bulk",
        msl=msl,
        stock_scale=stock_scale,
    )


_RECTIFIER_VOLTAGES = {"A": 50, "B": 100, "D": 200, "G": 400, "J": 600, "K": 800, "M": 1000}


def _rectifier(mpn, reverse, current, forward, recovery, package, price, datasheet, reel=True):
    recovery_text = value_text(recovery, "s")
    kind = "switching diode" if recovery < 1e-7 else "rectifier diode"
    return _discrete(
        mpn,
        f"{spaced(reverse, 'V')} {spaced(current, 'A')} {kind}, {package}",
        package,
        {
            "reverse-voltage": value_text(reverse, "V"),
            "forward-current": value_text(current, "A"),
            "forward-voltage": value_text(forward, "V"),
            "recovery-time": recovery_text,
        },
        price,
        datasheet,
        reel=reel,
        stock_scale=80_000,
    )


def _rectifier_points() -> tuple[tuple, ...]:
    """Generic rectifiers and switching diodes, as every maker of them numbers them."""
    points: list[tuple] = [
        (f"1N400{digit}", voltage, 1.0, 1.1, 2e-6, "DO-41", 0.045)
        for digit, voltage in zip("1234567", (50, 100, 200, 400, 600, 800, 1000), strict=True)
    ]
    points += [(f"S1{letter}", voltage, 1.0, 1.1, 1.8e-6, "SMA", 0.05)
               for letter, voltage in _RECTIFIER_VOLTAGES.items()]  # fmt: skip
    points += [(f"S3{letter}", voltage, 3.0, 1.15, 2.5e-6, "SMC", 0.11)
               for letter, voltage in _RECTIFIER_VOLTAGES.items()]  # fmt: skip
    points += [(f"US1{letter}", voltage, 1.0, 1.7, 7.5e-8, "SMA", 0.07)
               for letter, voltage in _RECTIFIER_VOLTAGES.items()]  # fmt: skip
    points += [
        ("1N4148W", 75, 0.15, 1.0, 4e-9, "SOD-123", 0.02),
        ("1N4148WS", 75, 0.15, 1.0, 4e-9, "SOD-323", 0.02),
        ("1N4148WT", 75, 0.15, 1.0, 4e-9, "SOD-523", 0.025),
        ("BAS16", 100, 0.2, 1.25, 4e-9, "SOT-23", 0.02),
        ("BAV99", 100, 0.2, 1.25, 4e-9, "SOT-23", 0.025),
        ("BAV70", 100, 0.2, 1.25, 6e-9, "SOT-23", 0.025),
        ("BAS316", 100, 0.25, 1.25, 4e-9, "SOD-323", 0.022),
        ("1N4148", 100, 0.2, 1.0, 4e-9, "DO-35", 0.015),
    ]
    return tuple(points)


def _vishay_rectifier(point: tuple, variant: str) -> Made | None:
    name, reverse, current, forward, recovery, package, price = point[0]
    if package not in ("SMA", "SMC", "DO-41", "DO-35"):
        return None
    suffix = {"DO-41": ("-E3/54", "-E3/73"), "DO-35": ("-TAP", "-TR")}.get(
        package, ("-E3/61T", "-E3/5AT")
    )[variant == "alt"]
    return _rectifier(
        f"{name}{suffix}", reverse, current, forward, recovery, package, price * 1.2,
        f"https://www.vishay.com/docs/88503/{name.lower()}.pdf",
    )  # fmt: skip


def _diodes_rectifier(point: tuple, variant: str) -> Made | None:
    name, reverse, current, forward, recovery, package, price = point[0]
    if package == "DO-35":
        return None
    if package == "DO-41":
        suffix = "-T" if variant == "std" else "-B"
    elif package in ("SMA", "SMC"):
        suffix = "-13-F" if variant == "std" else "-13"
    else:
        suffix = "-7-F" if variant == "std" else "-13-F"
    return _rectifier(
        f"{name}{suffix}", reverse, current, forward, recovery, package, price,
        f"https://www.diodes.com/assets/Datasheets/ds{30000 + len(name) * 97}.pdf",
        reel=package != "DO-41" or variant == "std",
    )  # fmt: skip


def _nexperia_rectifier(point: tuple, variant: str) -> Made | None:
    name, reverse, current, forward, recovery, package, price = point[0]
    if recovery > 1e-7:
        return None
    code = {"SOT-23": ",215", "DO-35": ",133"}.get(package, ",115")
    if variant == "alt":
        code = {",215": ",235", ",115": ",135", ",133": ",113"}[code]
    return _rectifier(
        f"{name}{code}", reverse, current, forward, recovery, package, price * 0.9,
        f"https://assets.nexperia.com/documents/data-sheet/{name}.pdf",
        reel=package != "DO-35",
    )  # fmt: skip


def _onsemi_rectifier(point: tuple, variant: str) -> Made | None:
    name, reverse, current, forward, recovery, package, price = point[0]
    if package == "DO-41":
        mpn = f"{name}G" if variant == "std" else f"{name}RLG"
    elif package in ("SMA", "SMC") and not name.startswith("US"):
        mpn = f"{name}FA" if variant == "std" else f"{name}"
    else:
        return None
    return _rectifier(
        mpn, reverse, current, forward, recovery, package, price,
        f"https://www.onsemi.com/pdf/datasheet/{name.lower()}-d.pdf",
        reel=package != "DO-41" or variant == "alt",
    )  # fmt: skip



def _schottky(mpn: str, point: tuple, price: float, datasheet: str) -> Made:
    amps, volts, package = point
    forward = 0.5 if volts <= 40 else 0.7 if volts <= 60 else 0.85
    return _discrete(
        mpn,
        f"{volts} V {amps} A Schottky barrier rectifier, {package}",
        package,
        {
            "reverse-voltage": value_text(volts, "V"),
            "forward-current": value_text(amps, "A"),
            "forward-voltage": value_text(forward, "V"),
        },
        price * (0.7 + amps * 0.2) * (1 + volts / 200),
        datasheet,
        stock_scale=40_000,
    )


def _schottky_exists(amps: int, package: str) -> bool:
    return package in {1: ("SMA",), 2: ("SMA", "SMB"), 3: ("SMA", "SMB", "SMC"), 5: ("SMC",)}[amps]


def _vishay_ss(point: tuple, variant: str) -> Made | None:
    amps, volts, package = point
    if package != {1: "SMA", 2: "SMB", 3: "SMC", 5: "SMC"}[amps]:
        return None
    name = f"SS{amps}{volts // 10 if volts < 100 else 10}"
    return _schottky(f"{name}-{variant}", point, 0.06,
                     f"https://www.vishay.com/docs/88751/{name.lower()}.pdf")  # fmt: skip


def _diodes_b(point: tuple, variant: str) -> Made | None:
    amps, volts, package = point
    if not _schottky_exists(amps, package):
        return None
    return _schottky(
        f"B{amps}{volts}{package[-1]}{variant}", point, 0.05,
        f"https://www.diodes.com/assets/Datasheets/B{amps}{volts}{package[-1]}.pdf",
    )  # fmt: skip


def _onsemi_mbr(point: tuple, variant: str) -> Made | None:
    amps, volts, package = point
    letter = {"SMA": "A", "SMB": "S", "SMC": "D"}[package]
    if volts == 100 or not _schottky_exists(amps, package):
        return None
    name = f"MBR{letter}{amps}{volts}T3G"
    return _schottky(variant + name.removeprefix("MBR" if variant else ""), point, 0.055,
                     f"https://www.onsemi.com/pdf/datasheet/mbr{letter.lower()}{amps}{volts}t3-d.pdf")


_ZENER_VOLTAGES = (2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.3, 4.7, 5.1, 5.6, 6.2, 6.8, 7.5, 8.2, 9.1, 10,
                   11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62,
                   68, 75)  # fmt: skip
_JEDEC_ZENERS = {  # 1N52xxB series number -> Vz
    5221: 2.4, 5222: 2.5, 5223: 2.7, 5224: 2.8, 5225: 3.0, 5226: 3.3, 5227: 3.6, 5228: 3.9,
    5229: 4.3, 5230: 4.7, 5231: 5.1, 5232: 5.6, 5233: 6.0, 5234: 6.2, 5235: 6.8, 5236: 7.5,
    5237: 8.2, 5238: 8.7, 5239: 9.1, 5240: 10, 5241: 11, 5242: 12, 5243: 13, 5244: 14,
    5245: 15, 5246: 16, 5247: 17, 5248: 18, 5249: 19, 5250: 20, 5251: 22, 5252: 24, 5253: 25,
    5254: 27, 5255: 28, 5256: 30, 5257: 33,
}  # fmt: skip


def _zener_code(volts: float) -> str:
    return f"{volts:g}" if volts >= 10 else f"{volts:.1f}".replace(".", "V")


def _zener(mpn: str, volts: float, tolerance: int, watts: float, package: str, price: float,
           datasheet: str) -> Made:  # fmt: skip
    return _discrete(
        mpn,
        f"{spaced(volts, 'V')} ±{tolerance}% {spaced(watts, 'W')} Zener diode, {package}",
        package,
        {
            "zener-voltage": value_text(volts, "V"),
            "tolerance": f"±{tolerance}%",
            "power": value_text(watts, "W"),
        },
        price,
        datasheet,
        stock_scale=50_000,
    )


_NEXPERIA_ZENER = {"BZX84": ("SOT-23", 0.25, ",215", ",235"),
                   "BZX384": ("SOD-323", 0.3, ",115", ",135"),
                   "BZX585": ("SOD-523", 0.3, ",115", ",135"),
                   "PDZ": ("SOD-323", 0.4, "B,115", "B,135")}  # fmt: skip


def _nexperia_zener(point: tuple, variant: int) -> Made | None:
    series, volts, grade = point
    package, watts, *codes = _NEXPERIA_ZENER[series]
    if series == "PDZ" and (grade == "C" or volts >= 10):
        return None
    if series == "PDZ":
        mpn = f"PDZ{volts:g}{codes[variant]}"
        tolerance = 2
    else:
        mpn = f"{series}-{grade}{_zener_code(volts)}{codes[variant]}"
        tolerance = 2 if grade == "B" else 5
    return _zener(mpn, volts, tolerance, watts, package, 0.02 + watts / 50,
                  f"https://assets.nexperia.com/documents/data-sheet/{series}_SER.pdf")


def _onsemi_zener(point: tuple, variant: int) -> Made:
    (number, volts), (prefix, suffixes, package, watts) = point
    return _zener(f"{prefix}{number}B{suffixes[variant]}",
                  volts, 5, watts, package, 0.025 + watts / 40,
                  f"https://www.onsemi.com/pdf/datasheet/{prefix.lower()}5221b-d.pdf")


def _diodes_zener(point: tuple, variant: str) -> Made:
    volts, (series, package, watts) = point
    return _zener(f"{series.format(_zener_code(volts))}{variant}", volts, 5, watts, package,
                  0.018 + watts / 50, "https://www.diodes.com/assets/Datasheets/ds18004.pdf")


_TVS_VOLTAGES = (5.0, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20,
                 22, 24, 26, 28, 30, 33, 36, 40, 43, 45, 48, 51, 54, 58, 64, 78, 100, 110, 120,
                 130, 150, 160, 170)  # fmt: skip
_TVS_SERIES = {"SMAJ": ("SMA", 400, 0.07), "SMBJ": ("SMB", 600, 0.09), "SMCJ": ("SMC", 1500, 0.2),
               "SMF": ("SOD-123F", 200, 0.06)}  # fmt: skip


def _tvs(point: tuple, mpn_suffix: str, price_factor: float, host: str) -> Made:
    series, volts, polarity = point
    package, watts, price = _TVS_SERIES[series]
    code = f"{volts:.1f}" if volts < 10 else f"{volts:g}"
    breakdown = _sig(volts * 1.11 + (0.8 if volts < 10 else 0), 3)
    clamping = _sig(volts * 1.62 + (1.5 if volts < 10 else 0), 3)
    way = "Bidirectional" if polarity == "CA" else "Unidirectional"
    return _discrete(
        f"{series}{code}{polarity}{mpn_suffix}",
        f"{spaced(volts, 'V')} {spaced(watts, 'W')} {way.lower()} TVS diode, {package}",
        package,
        {
            "standoff-voltage": value_text(volts, "V"),
            "breakdown-voltage": value_text(breakdown, "V"),
            "clamping-voltage": value_text(clamping, "V"),
            "peak-pulse-power": value_text(watts, "W"),
            "polarity": way,
        },
        price * price_factor,
        f"https://{host}/{series.lower()}.pdf",
        stock_scale=20_000,
    )


def _littelfuse_tvs(point: tuple, variant: str) -> Made:
    return _tvs(point, variant, 1.0, "www.littelfuse.com/assetdocs/littelfuse-tvs-diode")


def _vishay_tvs(point: tuple, variant: str) -> Made | None:
    if point[0] == "SMF":
        return None
    return _tvs(point, variant, 1.15, "www.vishay.com/docs/88392")


_MOSFETS: tuple[tuple, ...] = (
    # maker, name, channel, Vds, Id A, Rds(on) Ω, Vgs(th) V, package, price, suffixes
    ("Nexperia", "BSS138BK", "N", 60, 0.36, 1.6, 1.1, "SOT-23", 0.035, (",215", ",235")),
    ("Nexperia", "BSS138", "N", 50, 0.2, 3.5, 1.1, "SOT-23", 0.03, (",215", ",235")),
    ("Nexperia", "2N7002", "N", 60, 0.3, 5.0, 1.75, "SOT-23", 0.025, (",215", ",235")),
    ("Nexperia", "2N7002P", "N", 60, 0.36, 1.6, 1.75, "SOT-23", 0.03, (",215", ",235")),
    ("Nexperia", "BSS84", "P", 50, 0.13, 10.0, 1.5, "SOT-23", 0.035, (",215", ",235")),
    ("Nexperia", "PMV45EN2", "N", 30, 5.4, 0.042, 1.5, "SOT-23", 0.09, (",215", ",235")),
    ("Nexperia", "PMV65XP", "P", 20, 3.9, 0.076, 0.9, "SOT-23", 0.09, (",215", ",235")),
    ("Nexperia", "BSH105", "N", 20, 1.05, 0.25, 0.6, "SOT-23", 0.07, (",215", ",235")),
    ("onsemi", "BSS138L", "N", 50, 0.2, 3.5, 1.3, "SOT-23", 0.03, ("T1G", "T3G")),
    ("onsemi", "2N7002L", "N", 60, 0.115, 7.5, 2.1, "SOT-23", 0.025, ("T1G", "T3G")),
    ("onsemi", "NTR4003N", "N", 30, 0.56, 1.5, 1.4, "SOT-23", 0.05, ("T1G", "T3G")),
    ("onsemi", "NTR4101P", "P", 20, 3.2, 0.085, 1.0, "SOT-23", 0.08, ("T1G", "T3G")),
    ("onsemi", "FDN340P", "P", 20, 2.0, 0.07, 1.0, "SOT-23", 0.11, ("", "-F095")),
    ("onsemi", "FDV301N", "N", 25, 0.22, 4.0, 1.06, "SOT-23", 0.06, ("", "-F095")),
    ("onsemi", "FDN337N", "N", 30, 2.2, 0.065, 0.7, "SOT-23", 0.1, ("", "-F095")),
    ("onsemi", "NDS331N", "N", 20, 1.3, 0.21, 0.8, "SOT-23", 0.08, ("", "-F095")),
    ("Infineon Technologies", "IRLML6244", "N", 20, 6.3, 0.021, 0.8, "SOT-23", 0.12,
     ("TRPBF", "TR")),
    ("Infineon Technologies", "IRLML2502", "N", 20, 4.2, 0.045, 1.2, "SOT-23", 0.1,
     ("TRPBF", "TR")),
    ("Infineon Technologies", "IRLML6402", "P", 20, 3.7, 0.065, 0.55, "SOT-23", 0.12,
     ("TRPBF", "TR")),
    ("Infineon Technologies", "IRLML0030", "N", 30, 5.3, 0.027, 1.7, "SOT-23", 0.12,
     ("TRPBF", "TR")),
    ("Infineon Technologies", "IRF540N", "N", 100, 33, 0.044, 4.0, "TO-220", 0.65,
     ("PBF", "")),
    ("Infineon Technologies", "IRLZ44N", "N", 55, 47, 0.022, 2.0, "TO-220", 0.7,
     ("PBF", "")),
    ("Infineon Technologies", "IRFR024N", "N", 55, 17, 0.075, 4.0, "DPAK", 0.35,
     ("TRPBF", "TRLPBF")),
    ("Infineon Technologies", "BSS138N", "N", 60, 0.23, 3.5, 1.0, "SOT-23", 0.04,
     ("H6327XTSA2", "H6433XTMA1")),
    ("Infineon Technologies", "BSS84P", "P", 60, 0.17, 8.0, 1.5, "SOT-23", 0.05,
     ("H6327XTSA2", "H6433XTMA1")),
    ("Vishay", "SI2302CDS", "N", 20, 2.9, 0.057, 0.65, "SOT-23", 0.08, ("-T1-GE3", "-T1-E3")),
    ("Vishay", "SI2301CDS", "P", 20, 3.1, 0.112, 0.65, "SOT-23", 0.08, ("-T1-GE3", "-T1-E3")),
    ("Vishay", "SI2333DDS", "P", 12, 6.0, 0.028, 0.4, "SOT-23", 0.13, ("-T1-GE3", "-T1-E3")),
    ("Vishay", "SI2312CDS", "N", 20, 6.0, 0.031, 0.6, "SOT-23", 0.11, ("-T1-GE3", "-T1-E3")),
    ("Diodes Incorporated", "DMN2041L", "N", 20, 6.4, 0.028, 0.9, "SOT-23", 0.08, ("-7", "-13")),
    ("Diodes Incorporated", "DMP2035U", "P", 20, 5.2, 0.035, 0.9, "SOT-23", 0.09, ("-7", "-13")),
    ("Diodes Incorporated", "DMG2302UK", "N", 20, 2.4, 0.09, 0.9, "SOT-23", 0.05, ("-7", "-13")),
    ("Diodes Incorporated", "DMN3404L", "N", 30, 5.8, 0.028, 1.4, "SOT-23", 0.07, ("-7", "-13")),
)


def _mosfet(point: tuple, variant: int) -> Made | None:
    _, name, channel, vds, amps, rds, vgs, package, price, suffixes = point[0]
    if not suffixes[variant]:
        return None
    through_hole = package == "TO-220"
    return _discrete(
        f"{name}{suffixes[variant]}",
        f"{channel}-channel {vds} V {spaced(amps, 'A')} MOSFET, "
        f"Rds(on) {spaced(rds, 'Ω')}, {package}",
        package,
        {
            "channel": f"{channel}-channel",
            "vds": value_text(vds, "V"),
            "id": value_text(amps, "A"),
            "rds-on": value_text(rds, "Ω"),
            "vgs-th": value_text(vgs, "V"),
        },
        price,
        f"https://www.{_HOSTS[point[0][0]]}/datasheet/{name.lower()}.pdf",
        reel=not through_hole or variant == 1,
        stock_scale=20_000,
    )


_BJTS: tuple[tuple, ...] = (
    # name, polarity, Vceo, Ic A, hFE min, power W, package, price
    ("3904", "NPN", 40, 0.2, 100, 0.3, "SOT-23", 0.02),
    ("3906", "PNP", 40, 0.2, 100, 0.3, "SOT-23", 0.02),
    ("2222A", "NPN", 40, 0.6, 100, 0.3, "SOT-23", 0.025),
    ("2907A", "PNP", 60, 0.6, 100, 0.3, "SOT-23", 0.025),
    ("BC847A", "NPN", 45, 0.1, 110, 0.25, "SOT-23", 0.015),
    ("BC847B", "NPN", 45, 0.1, 200, 0.25, "SOT-23", 0.015),
    ("BC847C", "NPN", 45, 0.1, 420, 0.25, "SOT-23", 0.015),
    ("BC857B", "PNP", 45, 0.1, 220, 0.25, "SOT-23", 0.015),
    ("BC857C", "PNP", 45, 0.1, 420, 0.25, "SOT-23", 0.015),
    ("BC817-25", "NPN", 45, 0.5, 160, 0.25, "SOT-23", 0.02),
    ("BC817-40", "NPN", 45, 0.5, 250, 0.25, "SOT-23", 0.02),
    ("BC807-40", "PNP", 45, 0.5, 250, 0.25, "SOT-23", 0.02),
    ("A42", "NPN", 300, 0.5, 40, 0.3, "SOT-23", 0.03),
    ("A92", "PNP", 300, 0.5, 40, 0.3, "SOT-23", 0.03),
)


def _bjt(point: tuple, variant: int) -> Made | None:
    (name, polarity, vceo, amps, hfe, watts, package, price), maker = point
    generic = name[0].isdigit() or name.startswith("A")
    if maker == "onsemi":
        mpn = f"{'MMBT' if generic else ''}{name}LT{1 + 2 * variant}G"
        datasheet = f"https://www.onsemi.com/pdf/datasheet/mmbt{name.lower()}lt1-d.pdf"
    elif maker == "Nexperia":
        mpn = f"{'PMBT' if generic else ''}{name}{(',215', ',235')[variant]}"
        datasheet = f"https://assets.nexperia.com/documents/data-sheet/{name}.pdf"
    else:
        if not generic and name.startswith("BC8") and "-" in name:
            return None
        mpn = f"{'MMBT' if generic else ''}{name}{('-7-F', '-13-F')[variant]}"
        datasheet = f"https://www.diodes.com/assets/Datasheets/ds{name}.pdf"
    return _discrete(
        mpn,
        f"{polarity} {vceo} V {spaced(amps, 'A')} bipolar transistor, hFE ≥ {hfe}, {package}",
        package,
        {
            "polarity": polarity,
            "vceo": value_text(vceo, "V"),
            "ic": value_text(amps, "A"),
            "hfe": str(hfe),
            "power": value_text(watts, "W"),
        },
        price,
        datasheet,
        stock_scale=80_000,
    )


# --- integrated circuits ----------------------------------------------------------------------

_HOSTS = {
    "Nexperia": "nexperia.com", "onsemi": "onsemi.com", "Infineon Technologies": "infineon.com",
    "Vishay": "vishay.com", "Diodes Incorporated": "diodes.com",
}  # fmt: skip
_PINS = {"F": 20, "G": 28, "K": 32, "T": 36, "C": 48, "R": 64, "V": 100, "Z": 144, "I": 176}
_IO_PINS = {"F": 15, "G": 24, "K": 26, "T": 26, "C": 37, "R": 51, "V": 82, "Z": 114, "I": 140}
_FLASH_KB = {"4": 16, "6": 32, "8": 64, "B": 128, "C": 256, "D": 384, "E": 512, "F": 768,
             "G": 1024, "I": 2048}  # fmt: skip
_PACKAGE_LETTER = {"T": "LQFP", "U": "UFQFPN", "P": "TSSOP", "H": "TFBGA"}

_STM32_SERIES: dict[str, tuple] = {
    # series: (core, MHz, supply, RAM KB by flash code, {pin code: (flash codes, packages)}, price)
    "F030": ("Cortex-M0", 48, "2.4V ~ 3.6V", {"4": 4, "6": 4, "8": 8, "C": 32},
             {"F": ("4", "P"), "K": ("6", "T"), "C": ("68C", "T"), "R": ("8C", "T")}, 0.45),
    "F103": ("Cortex-M3", 72, "2V ~ 3.6V", {"4": 6, "6": 10, "8": 20, "B": 20, "C": 48, "D": 64,
                                            "E": 64, "F": 96, "G": 96},
             {"T": ("8B", "U"), "C": ("468B", "TU"), "R": ("468BCDEFG", "T"),
              "V": ("8BCDEFG", "T"), "Z": ("CDEFG", "T")}, 1.2),
    "F401": ("Cortex-M4", 84, "1.7V ~ 3.6V", {"B": 64, "C": 64, "D": 96, "E": 96},
             {"C": ("BCDE", "U"), "R": ("BCDE", "T"), "V": ("BCDE", "T")}, 1.6),
    "F411": ("Cortex-M4", 100, "1.7V ~ 3.6V", {"C": 128, "E": 128},
             {"C": ("CE", "U"), "R": ("CE", "T"), "V": ("CE", "T")}, 1.9),
    "G030": ("Cortex-M0+", 64, "2V ~ 3.6V", {"6": 8, "8": 8},
             {"F": ("68", "P"), "K": ("68", "T"), "C": ("68", "T")}, 0.35),
    "G431": ("Cortex-M4", 170, "1.71V ~ 3.6V", {"6": 32, "8": 32, "B": 32},
             {"K": ("68B", "TU"), "C": ("68B", "TU"), "R": ("68B", "T"), "V": ("B", "T")}, 2.1),
    "L432": ("Cortex-M4", 80, "1.71V ~ 3.6V", {"B": 64, "C": 64}, {"K": ("BC", "U")}, 2.3),
    "H743": ("Cortex-M7", 480, "1.62V ~ 3.6V", {"G": 1024, "I": 1024},
             {"V": ("GI", "T"), "Z": ("GI", "T"), "I": ("GI", "T")}, 7.5),
}  # fmt: skip
_GD32_SERIES: dict[str, tuple] = {
    "F103": ("Cortex-M3", 108, "2.6V ~ 3.6V", {"4": 6, "6": 10, "8": 20, "B": 20, "C": 48,
                                               "E": 64, "G": 96},
             {"C": ("468B", "T"), "R": ("468BCEG", "T"), "V": ("8BCEG", "T")}, 0.8),
    "F303": ("Cortex-M4", 120, "2.6V ~ 3.6V", {"B": 48, "C": 48, "E": 64, "G": 80},
             {"C": ("BC", "T"), "R": ("BCEG", "T"), "V": ("BCEG", "T")}, 1.1),
    "E230": ("Cortex-M23", 72, "1.8V ~ 3.6V", {"4": 4, "6": 4, "8": 8},
             {"F": ("468", "P"), "K": ("68", "T"), "C": ("68", "T")}, 0.25),
}  # fmt: skip


def _mcu_points(table: dict[str, tuple]) -> tuple[tuple, ...]:
    return tuple(
        (series, pin, flash, package)
        for series, (_, _, _, _, pins, _) in table.items()
        for pin, (flashes, packages) in pins.items()
        for flash in flashes
        for package in packages
    )


def _kilobytes(kb: int) -> int:
    """Bytes as datasheets count memory: 1024 KB reads "1MB", not "1.024MB"."""
    return kb * 1000 if kb < 1024 else kb * 1_000_000 // 1024


def _arm_mcu(point: tuple, variant: str, *, maker: str, table: dict) -> Made:
    (series, pin, flash, package_letter), temperature = point
    core, mhz, supply, ram_by_flash, _, price = table[series]
    prefix = "STM32" if maker == "STMicroelectronics" else "GD32"
    mpn = f"{prefix}{series}{pin}{flash}{package_letter}{temperature}{variant}"
    package = f"{_PACKAGE_LETTER[package_letter]}-{_PINS[pin]}"
    flash_bytes = _kilobytes(_FLASH_KB[flash])
    tray = not variant and package_letter != "P"
    if maker == "STMicroelectronics":
        datasheet = f"https://www.st.com/resource/en/datasheet/stm32{series.lower()}{pin.lower()}{flash.lower()}.pdf"
    else:
        datasheet = f"https://www.gigadevice.com/datasheet/gd32{series.lower()}xx-datasheet/"
    return Made(
        mpn=mpn,
        description=(
            f"{prefix}{series} {core} MCU, {mhz} MHz, {_FLASH_KB[flash]} KB flash, "
            f"{ram_by_flash[flash]} KB RAM, {package}"
            + (", -40 to 105 °C" if temperature == "7" else "")
        ),
        package=package,
        params={
            "core": f"ARM {core}",
            "frequency": value_text(mhz * 1e6, "Hz"),
            "flash": value_text(flash_bytes, "B"),
            "ram": value_text(_kilobytes(ram_by_flash[flash]), "B"),
            "io-pins": str(_IO_PINS[pin]),
            "supply-voltage": supply,
            "package": package,
        },
        price=price * (1 + _FLASH_KB[flash] / 400) * (1 + _PINS[pin] / 150)
        * (1.1 if temperature == "7" else 1.0),
        datasheet=datasheet,
        packaging="Tray" if tray else ("Tube" if not variant else "Tape & Reel"),
        reel=None if not variant else (2400 if _PINS[pin] <= 48 else 1000),
        kind="tray" if tray else ("tube" if not variant else "cut_tape"),
        msl="3",
        stock_scale=1_500,
    )


def _stm32(point: tuple, variant: str) -> Made:
    return _arm_mcu(point, variant, maker="STMicroelectronics", table=_STM32_SERIES)


def _gd32(point: tuple, variant: str) -> Made:
    return _arm_mcu(point, variant, maker="GigaDevice", table=_GD32_SERIES)


_MICROCHIP_MCUS: tuple[tuple, ...] = (
    # MPN without tape-and-reel mark, core, MHz, flash KB, RAM B, I/O, package, price
    ("ATMEGA328P-AU", "AVR", 20, 32, 2048, 23, "TQFP-32", 1.9),
    ("ATMEGA328P-MU", "AVR", 20, 32, 2048, 23, "VQFN-32", 1.9),
    ("ATMEGA328P-PU", "AVR", 20, 32, 2048, 23, "PDIP-28", 2.3),
    ("ATMEGA328PB-AU", "AVR", 20, 32, 2048, 27, "TQFP-32", 1.5),
    ("ATMEGA168PA-AU", "AVR", 20, 16, 1024, 23, "TQFP-32", 1.4),
    ("ATMEGA88PA-AU", "AVR", 20, 8, 1024, 23, "TQFP-32", 1.2),
    ("ATMEGA32U4-AU", "AVR", 16, 32, 2560, 26, "TQFP-44", 3.2),
    ("ATMEGA2560-16AU", "AVR", 16, 256, 8192, 86, "TQFP-100", 9.5),
    ("ATTINY85-20SU", "AVR", 20, 8, 512, 6, "SOIC-8", 0.9),
    ("ATTINY85-20PU", "AVR", 20, 8, 512, 6, "PDIP-8", 1.1),
    ("ATTINY13A-SSU", "AVR", 20, 1, 64, 6, "SOIC-8", 0.45),
    ("ATTINY1614-SSN", "AVR", 20, 16, 2048, 12, "SOIC-14", 0.75),
    ("ATTINY404-SSN", "AVR", 20, 4, 256, 12, "SOIC-14", 0.5),
    ("PIC16F1824-I/SL", "PIC", 32, 7, 256, 12, "SOIC-14", 1.2),
    ("PIC16F18446-I/SS", "PIC", 32, 28, 2048, 18, "SSOP-20", 1.1),
    ("PIC12F675-I/SN", "PIC", 20, 1, 64, 6, "SOIC-8", 0.9),
    ("PIC18F45K22-I/PT", "PIC", 64, 32, 1536, 35, "TQFP-44", 3.1),
    ("ATSAMD21G18A-AU", "ARM Cortex-M0+", 48, 256, 32768, 38, "TQFP-48", 3.3),
    ("ATSAMD21E18A-MU", "ARM Cortex-M0+", 48, 256, 32768, 26, "QFN-32", 2.9),
)  # fmt: skip


def _microchip_mcu(point: tuple, variant: str) -> Made | None:
    name, core, mhz, flash_kb, ram, io, package, price = point[0]
    if variant == "reel":
        if "DIP" in package:
            return None
        mpn = name.replace("-I/", "T-I/") if name.startswith("PIC") else f"{name}R"
    else:
        mpn = name
    base = name.split("-")[0]
    return Made(
        mpn=mpn,
        description=f"{base} {core} MCU, {mhz} MHz, {flash_kb} KB flash, {package}",
        package=package,
        params={
            "core": core if core.startswith("ARM") else f"8-bit {core}",
            "frequency": value_text(mhz * 1e6, "Hz"),
            "flash": value_text(flash_kb * 1000, "B"),
            "ram": value_text(ram * 1000 // 1024 if ram >= 1024 else ram, "B"),
            "io-pins": str(io),
            "supply-voltage": "1.8V ~ 5.5V" if core != "ARM Cortex-M0+" else "1.62V ~ 3.63V",
            "package": package,
        },
        price=price,
        datasheet=f"https://ww1.microchip.com/downloads/en/DeviceDoc/{base}-Data-Sheet.pdf",
        packaging="Tape & Reel" if variant == "reel" else ("Tube" if "DIP" in package else "Tray"),
        reel=(2000 if "SO" in package else 1500) if variant == "reel" else None,
        kind="cut_tape" if variant == "reel" else ("tube" if "DIP" in package else "tray"),
        msl="3",
        stock_scale=2_000,
    )


def _espressif_points() -> tuple[tuple, ...]:
    """(MPN, wireless, core, flash MB, PSRAM MB, antenna, package, price): chips and modules."""
    c3 = ("Wi-Fi 4 + BLE 5", "RISC-V")
    s3 = ("Wi-Fi 4 + BLE 5", "Xtensa LX7 dual-core")
    classic = ("Wi-Fi 4 + BT 4.2", "Xtensa LX6 dual-core")
    c6 = ("Wi-Fi 6 + BLE 5 + 802.15.4", "RISC-V")
    points: list[tuple] = [
        ("ESP32-C3", *c3, 0, 0, "External", "QFN-32", 1.2),
        ("ESP32-C3FH4", *c3, 4, 0, "External", "QFN-32", 1.5),
        ("ESP32-C3FN4", *c3, 4, 0, "External", "QFN-32", 1.5),
        ("ESP32-S3", *s3, 0, 0, "External", "QFN-56", 2.0),
        ("ESP32-S3FN8", *s3, 8, 0, "External", "QFN-56", 2.6),
        ("ESP32-S3R8", *s3, 0, 8, "External", "QFN-56", 2.9),
        ("ESP32-C6", *c6, 0, 0, "External", "QFN-40", 1.4),
        ("ESP32-C6FH4", *c6, 4, 0, "External", "QFN-32", 1.7),
        ("ESP32-D0WD-V3", *classic, 0, 0, "External", "QFN-48", 1.9),
    ]
    modules = (
        ("ESP32-C3-WROOM-02", c3, ((4, 0), (8, 0)), 2.4),
        ("ESP32-C3-MINI-1", c3, ((4, 0), ), 2.1),
        ("ESP32-S3-WROOM-1", s3, ((4, 0), (8, 0), (16, 0), (4, 2), (8, 2), (8, 8), (16, 8)), 3.4),
        ("ESP32-S3-MINI-1", s3, ((8, 0), (4, 2)), 3.1),
        ("ESP32-WROOM-32E", classic, ((4, 0), (8, 0), (16, 0)), 2.8),
        ("ESP32-C6-WROOM-1", c6, ((4, 0), (8, 0)), 2.9),
    )  # fmt: skip
    for name, (wireless, core), memories, price in modules:
        for external in (False, True):
            head, _, tail = name.rpartition("-")
            model = f"{head}-{tail}U" if external else name
            if name == "ESP32-WROOM-32E" and external:
                model = "ESP32-WROOM-32UE"
            for flash, psram in memories:
                memory = f"N{flash}" + (f"R{psram}" if psram else "")
                points.append((
                    f"{model}-{memory}", wireless, core, flash, psram,
                    "U.FL connector" if external else "PCB antenna", "Module",
                    price + flash * 0.05 + psram * 0.2,
                ))  # fmt: skip
    return tuple(points)


def _espressif(point: tuple, variant: None) -> Made:
    mpn, wireless, core, flash, psram, antenna, package, price = point[0]
    module = package == "Module"
    family = "-".join(mpn.split("-")[:2])
    memory = ", ".join(
        text for amount, text in ((flash, f"{flash} MB flash"), (psram, f"{psram} MB PSRAM"))
        if amount
    )  # fmt: skip
    params = {
        "wireless": wireless,
        "core": core,
        "antenna": antenna,
        "package": package,
    }
    if flash:
        params["flash"] = value_text(flash * 1e6, "B")
    if psram:
        params["psram"] = value_text(psram * 1e6, "B")
    doc = mpn.rsplit("-", 1)[0].removesuffix("U").lower() if module else family.lower()
    return Made(
        mpn=mpn,
        description=(f"{family} {wireless} {'module' if module else 'SoC'}, {core}"
                     + (f", {memory}" if memory else "")
                     + (f", {antenna}" if module else f", {package}")),
        package=package,
        params=params,
        price=price,
        datasheet=f"https://www.espressif.com/sites/default/files/documentation/{doc}_datasheet_en.pdf",
        packaging="Tape & Reel",
        reel=650 if module else 4000,
        msl="3",
        stock_scale=3_000,
    )  # fmt: skip


def _ic(mpn: str, description: str, package: str, params: dict[str, Any], price: float,
        datasheet: str, *, reel: int | None = None, tube: bool = False) -> Made:  # fmt: skip
    return Made(
        mpn=mpn,
        description=description,
        package=package,
        params={**params, "package": package},
        price=price,
        datasheet=datasheet,
        packaging="Tape & Reel" if reel else ("Tube" if tube else "Cut Tape"),
        reel=reel,
        kind="cut_tape" if reel or not tube else "tube",
        msl="1" if "SOT" in package or "SO" in package else "2",
        stock_scale=6_000,
    )


def _ldo(mpn, volts, amps, dropout, vin, quiescent, package, price, datasheet, *, reel=None,
         tube=False, adjustable=False) -> Made:  # fmt: skip
    output = "adjustable (1.25 V ref.)" if adjustable else spaced(volts, "V")
    return _ic(
        mpn,
        f"LDO regulator {output}, {spaced(amps, 'A')}, dropout {spaced(dropout, 'V')}, {package}",
        package,
        {
            "output-voltage": value_text(volts, "V"),
            "output-current": value_text(amps, "A"),
            "dropout": value_text(dropout, "V"),
            "input-voltage-max": value_text(vin, "V"),
            "quiescent-current": value_text(quiescent, "A"),
        },
        price,
        datasheet,
        reel=reel,
        tube=tube,
    )


_TI_LDO_SERIES = {
    # series: (amps, dropout V, Vin max, Iq A, "P" in MPN, packages, price)
    "TLV755": (0.5, 0.238, 5.5, 25e-6, True, ("DBV", "DQN", "DRV"), 0.18),
    "TLV733": (0.3, 0.12, 5.5, 34e-6, True, ("DBV", "DQN"), 0.12),
    "TLV702": (0.3, 0.145, 5.5, 35e-6, False, ("DBV", "DSE"), 0.14),
    "TPS7A02": (0.2, 0.2, 6.0, 25e-9, True, ("DBV", "DQN"), 0.35),
    "TLV757": (1.0, 0.425, 5.5, 25e-6, True, ("DBV", "DRV"), 0.26),
}
_TI_PACKAGES = {"DBV": "SOT-23-5", "DQN": "X2SON-4", "DRV": "WSON-6", "DSE": "WSON-6"}
_LDO_VOLTAGES = (1.0, 1.2, 1.5, 1.8, 2.5, 2.8, 3.0, 3.3, 5.0)


def _ti_ldo(point: tuple, variant: str) -> Made | None:
    series, volts, package_code = point
    amps, dropout, vin, quiescent, p_mark, packages, price = _TI_LDO_SERIES[series]
    if package_code not in packages or (volts == 5.0 and vin < 6):
        return None
    mpn = f"{series}{round(volts * 10):02d}{'P' if p_mark else ''}{package_code}{variant}"
    return _ldo(
        mpn, volts, amps, dropout, vin, quiescent, _TI_PACKAGES[package_code], price,
        f"https://www.ti.com/lit/ds/symlink/{series.lower()}.pdf",
        reel=3000 if variant == "R" else 250,
    )  # fmt: skip


def _lm1117(point: tuple, variant: str) -> Made:
    output, (code, package) = point
    adjustable = output == "ADJ"
    volts = 1.25 if adjustable else float(output)
    return _ldo(
        f"LM1117{code}{variant}-{output}/NOPB", volts, 0.8, 1.2, 15, 5e-3, package, 0.45,
        "https://www.ti.com/lit/ds/symlink/lm1117.pdf",
        reel=(2000 if "223" in package else 2500) if variant == "X" else None,
        adjustable=adjustable,
    )  # fmt: skip


_DIODES_LDO = {
    # series: (MPN pattern, package, amps, dropout V, Vin max, Iq A, price, output voltages)
    "AP2112K": ("AP2112K-{dotted}TRG1", "SOT-23-5", 0.6, 0.25, 6, 55e-6, 0.09,
                (1.2, 1.8, 2.5, 2.6, 3.3)),
    "AP7361C": ("AP7361C-{code}E-13", "SOT-223", 1.0, 0.36, 6, 60e-6, 0.2,
                (1.0, 1.2, 1.5, 1.8, 2.5, 2.8, 3.0, 3.3)),
    "AP7333": ("AP7333-{code}SAG-7", "SOT-23", 0.3, 0.3, 6, 50e-6, 0.08,
               (1.2, 1.5, 1.8, 2.5, 2.8, 3.0, 3.3)),
}  # fmt: skip


def _diodes_ldo(point: tuple, variant: None) -> Made | None:
    series, volts = point
    pattern, package, amps, dropout, vin, quiescent, price, voltages = _DIODES_LDO[series]
    if volts not in voltages:
        return None
    mpn = pattern.format(dotted=f"{volts:.1f}", code=f"{round(volts * 10):02d}")
    return _ldo(mpn, volts, amps, dropout, vin, quiescent, package, price,
                f"https://www.diodes.com/assets/Datasheets/{series}.pdf", reel=3000)


def _microchip_ldo(point: tuple, variant: str) -> Made | None:
    volts, (series, suffix, package, amps, dropout, vin, quiescent, price) = point
    code = f"{round(volts * 10):02d}02E"
    reel = variant == "T" and package != "TO-92"
    if variant == "T" and not reel:
        return None
    return _ldo(f"{series}{variant}-{code}/{suffix}", volts, amps, dropout, vin, quiescent,
                package, price, f"https://ww1.microchip.com/downloads/en/DeviceDoc/{series}.pdf",
                reel=3000 if reel else None, tube=not reel)  # fmt: skip


def _st_ldo(point: tuple, variant: str) -> Made | None:
    output, (series, code, package, amps, dropout, vin, price) = point
    adjustable = output == ""
    volts = 1.25 if adjustable else int(output) / 10
    return _ldo(f"{series}{code}{output}{variant}", volts, amps, dropout, vin, 5e-3, package,
                price, f"https://www.st.com/resource/en/datasheet/{series.lower()}.pdf",
                reel=2500 if variant.endswith("R") else None, tube=not variant.endswith("R"),
                adjustable=adjustable)  # fmt: skip


_DC_DC: tuple[tuple, ...] = (
    # maker, MPN base, reel suffixes, topology, Vin max, amps, switching Hz, output, package,
    # price
    ("Texas Instruments", "TPS62160DSG", ("R", "T"), "Buck", 17, 1, 2.25e6, "0.9V ~ 6V",
     "WSON-8", 0.85),
    ("Texas Instruments", "TPS62162DSG", ("R", "T"), "Buck", 17, 1, 2.25e6, "1.8V",
     "WSON-8", 0.85),
    ("Texas Instruments", "TPS62163DSG", ("R", "T"), "Buck", 17, 1, 2.25e6, "3.3V",
     "WSON-8", 0.85),
    ("Texas Instruments", "TPS62130RGT", ("R", "T"), "Buck", 17, 3, 2.5e6, "0.9V ~ 6V",
     "VQFN-16", 1.3),
    ("Texas Instruments", "TPS54331D", ("R", ""), "Buck", 28, 3, 570e3, "0.8V ~ 25V",
     "SOIC-8", 0.9),
    ("Texas Instruments", "TPS5430DDA", ("R", ""), "Buck", 36, 3, 500e3, "1.22V ~ 31V",
     "SOIC-8-EP", 1.6),
    ("Texas Instruments", "TPS563200DDC", ("R", "T"), "Buck", 17, 3, 650e3, "0.76V ~ 7V",
     "SOT-23-6", 0.45),
    ("Texas Instruments", "TPS562201DDC", ("R", "T"), "Buck", 17, 2, 580e3, "0.76V ~ 7V",
     "SOT-23-6", 0.4),
    ("Texas Instruments", "LMR33630ADDA", ("R", ""), "Buck", 36, 3, 400e3, "1V ~ 24V",
     "SOIC-8-EP", 1.7),
    ("Texas Instruments", "TPS61023DRL", ("R", "T"), "Boost", 5.5, 1, 1e6, "2.2V ~ 5.5V",
     "SOT-563", 0.5),
    ("Texas Instruments", "TPS61040DBV", ("R", "T"), "Boost", 6, 0.4, 1e6, "1.8V ~ 28V",
     "SOT-23-5", 0.6),
    ("Monolithic Power Systems", "MP1584EN-LF", ("-Z", "-P"), "Buck", 28, 3, 1.5e6,
     "0.8V ~ 25V", "SOIC-8-EP", 0.55),
    ("Monolithic Power Systems", "MP2307DN-LF", ("-Z", "-P"), "Buck", 23, 3, 340e3,
     "0.925V ~ 20V", "SOIC-8-EP", 0.5),
    ("Monolithic Power Systems", "MP2315GJ", ("-Z", "-P"), "Buck", 24, 3, 500e3, "0.8V ~ 21V",
     "TSOT-23-8", 0.45),
    ("Monolithic Power Systems", "MP2359DJ-LF", ("-Z", "-P"), "Buck", 24, 1.2, 1.4e6,
     "0.81V ~ 15V", "TSOT-23-6", 0.3),
    ("Monolithic Power Systems", "MP1470GJ", ("-Z", "-P"), "Buck", 16, 2, 500e3, "0.8V ~ 13V",
     "TSOT-23-6", 0.3),
    ("Monolithic Power Systems", "MP3426DL-LF", ("-Z", "-P"), "Boost", 5.5, 2.5, 1e6,
     "up to 16V", "QFN-16", 0.9),
    ("Diodes Incorporated", "AP63203WU", ("-7", "-13"), "Buck", 32, 2, 1.1e6, "3.3V",
     "TSOT-23-6", 0.4),
    ("Diodes Incorporated", "AP63205WU", ("-7", "-13"), "Buck", 32, 2, 1.1e6, "5V",
     "TSOT-23-6", 0.4),
    ("Diodes Incorporated", "AP63200WU", ("-7", "-13"), "Buck", 32, 2, 500e3, "0.8V ~ 31V",
     "TSOT-23-6", 0.38),
)


def _dc_dc(point: tuple, variant: int) -> Made:
    maker, base, suffixes, topology, vin, amps, hertz, output, package, price = point[0]
    suffix = suffixes[variant]
    tube = suffix == ""
    name = base.split("-")[0]
    return _ic(
        f"{base}{suffix}",
        f"{topology} converter {vin} V in, {spaced(amps, 'A')}, {spaced(hertz, 'Hz')}, "
        f"out {output}, {package}",
        package,
        {
            "topology": topology,
            "input-voltage-max": value_text(vin, "V"),
            "output-current": value_text(amps, "A"),
            "switching-frequency": value_text(hertz, "Hz"),
            "output-voltage": output,
        },
        price,
        f"https://{_IC_DATASHEET_HOSTS[maker]}{_PART_FAMILY.match(name).group().lower()}.pdf",
        reel=None if tube else (3000 if suffix in ("R", "-Z", "-7") else 250),
        tube=tube,
    )


_PART_FAMILY = re.compile(r"[A-Z]+[0-9]+")
_IC_DATASHEET_HOSTS = {
    "Texas Instruments": "www.ti.com/lit/ds/symlink/",
    "Monolithic Power Systems": "www.monolithicpower.com/en/documentview/productdocument/index/",
    "Diodes Incorporated": "www.diodes.com/assets/Datasheets/",
    "STMicroelectronics": "www.st.com/resource/en/datasheet/",
    "Microchip Technology": "ww1.microchip.com/downloads/en/DeviceDoc/",
    "Nexperia": "assets.nexperia.com/documents/data-sheet/",
}

_OP_AMPS: tuple[tuple, ...] = (
    # maker, MPN, alternative MPN (tube or small reel), channels, GBW Hz, Vs max, Vos V, RRIO,
    # package, price
    ("Texas Instruments", "LM358DR", "LM358D", 2, 0.7e6, 32, 7e-3, "No", "SOIC-8", 0.12),
    ("Texas Instruments", "LM358PWR", "LM358PW", 2, 0.7e6, 32, 7e-3, "No", "TSSOP-8", 0.13),
    ("Texas Instruments", "LM324DR", "LM324D", 4, 1.2e6, 32, 7e-3, "No", "SO-14", 0.14),
    ("Texas Instruments", "TL072CDR", "TL072CD", 2, 3e6, 36, 10e-3, "No", "SOIC-8", 0.2),
    ("Texas Instruments", "TL074CDR", "TL074CD", 4, 3e6, 36, 10e-3, "No", "SO-14", 0.25),
    ("Texas Instruments", "NE5532DR", "NE5532D", 2, 10e6, 30, 4e-3, "No", "SOIC-8", 0.35),
    ("Texas Instruments", "OPA333AIDBVR", "OPA333AIDBVT", 1, 350e3, 5.5, 10e-6, "Yes",
     "SOT-23-5", 1.4),
    ("Texas Instruments", "OPA2333AIDR", "OPA2333AID", 2, 350e3, 5.5, 10e-6, "Yes", "SOIC-8",
     2.1),
    ("Texas Instruments", "TLV9062IDR", "TLV9062ID", 2, 10e6, 5.5, 1.6e-3, "Yes", "SOIC-8",
     0.3),
    ("Texas Instruments", "TLV9061IDBVR", "TLV9061IDBVT", 1, 10e6, 5.5, 1.6e-3, "Yes",
     "SOT-23-5", 0.25),
    ("Texas Instruments", "TLV9002IDR", "TLV9002ID", 2, 1e6, 5.5, 1.5e-3, "Yes", "SOIC-8",
     0.18),
    ("Texas Instruments", "LMV321IDBVR", "LMV321IDBVT", 1, 1e6, 5.5, 7e-3, "Output",
     "SOT-23-5", 0.12),
    ("Texas Instruments", "OPA1612AIDR", "OPA1612AID", 2, 40e6, 36, 0.5e-3, "No", "SOIC-8",
     3.2),
    ("STMicroelectronics", "LM358DT", "LM358D", 2, 1.1e6, 30, 7e-3, "No", "SOIC-8", 0.1),
    ("STMicroelectronics", "LM358PT", "", 2, 1.1e6, 30, 7e-3, "No", "TSSOP-8", 0.11),
    ("STMicroelectronics", "LM324DT", "LM324D", 4, 1.3e6, 30, 7e-3, "No", "SO-14", 0.12),
    ("STMicroelectronics", "TSV912IST", "", 2, 8e6, 5.5, 4.5e-3, "Yes", "VSSOP-8", 0.4),
    ("STMicroelectronics", "TSV911ILT", "", 1, 8e6, 5.5, 4.5e-3, "Yes", "SOT-23-5", 0.3),
    ("STMicroelectronics", "TSV914IPT", "", 4, 8e6, 5.5, 4.5e-3, "Yes", "TSSOP-14", 0.55),
    ("STMicroelectronics", "LMV321ILT", "", 1, 1e6, 5.5, 7e-3, "Output", "SOT-23-5", 0.1),
    ("Microchip Technology", "MCP6001T-I/OT", "", 1, 1e6, 6, 4.5e-3, "Yes", "SOT-23-5", 0.2),
    ("Microchip Technology", "MCP6002T-I/SN", "MCP6002-I/SN", 2, 1e6, 6, 4.5e-3, "Yes",
     "SOIC-8", 0.27),
    ("Microchip Technology", "MCP6004T-I/SL", "MCP6004-I/SL", 4, 1e6, 6, 4.5e-3, "Yes",
     "SO-14", 0.4),
    ("Microchip Technology", "MCP6022T-I/SN", "MCP6022-I/SN", 2, 10e6, 5.5, 0.5e-3, "Yes",
     "SOIC-8", 1.1),
)


def _op_amp(point: tuple, variant: int) -> Made | None:
    maker, mpn, alternative, channels, gbw, supply, offset, rail, package, price = point[0]
    if variant and not alternative:
        return None
    chosen = alternative if variant else mpn
    reel = chosen.endswith(("R", "T")) and "T-" not in chosen or "T-I/" in chosen
    kind = {1: "single", 2: "dual", 4: "quad"}[channels]
    rrio = {"Yes": ", rail-to-rail I/O", "Output": ", rail-to-rail output", "No": ""}[rail]
    return _ic(
        chosen,
        f"{kind.capitalize()} op-amp, {spaced(gbw, 'Hz')} GBW, {supply} V{rrio}, {package}",
        package,
        {
            "channels": str(channels),
            "gbw": value_text(gbw, "Hz"),
            "supply-voltage-max": value_text(supply, "V"),
            "offset-voltage": value_text(offset, "V"),
            "rail-to-rail": rail,
        },
        price * (1.0 if not variant else 1.08),
        f"https://{_IC_DATASHEET_HOSTS[maker]}{mpn.split('-')[0].split('/')[0].lower()}.pdf",
        reel=(250 if chosen.endswith("DBVT") else 2500) if reel else None,
        tube=not reel,
    )


_LOGIC_FUNCTIONS: dict[str, tuple[str, int, int]] = {
    "00": ("Quad 2-input NAND gate", 4, 14), "02": ("Quad 2-input NOR gate", 4, 14),
    "04": ("Hex inverter", 6, 14), "08": ("Quad 2-input AND gate", 4, 14),
    "14": ("Hex Schmitt-trigger inverter", 6, 14), "32": ("Quad 2-input OR gate", 4, 14),
    "74": ("Dual D-type flip-flop", 2, 14), "86": ("Quad 2-input XOR gate", 4, 14),
    "125": ("Quad buffer, 3-state", 4, 14), "138": ("3-to-8 line decoder", 1, 16),
    "164": ("8-bit serial-in shift register", 1, 14),
    "165": ("8-bit parallel-in shift register", 1, 16),
    "245": ("Octal bus transceiver, 3-state", 8, 20),
    "595": ("8-bit shift register with output latches", 1, 16),
}  # fmt: skip
_SINGLE_GATES = {"00": "2-input NAND gate", "02": "2-input NOR gate", "04": "Inverter",
                 "08": "2-input AND gate", "14": "Schmitt-trigger inverter",
                 "17": "Schmitt-trigger buffer", "32": "2-input OR gate",
                 "86": "2-input XOR gate", "125": "Buffer, 3-state"}  # fmt: skip
_LOGIC_FAMILIES = {"HC": "2V ~ 6V", "HCT": "4.5V ~ 5.5V", "LVC": "1.65V ~ 3.6V",
                   "AHC": "2V ~ 5.5V", "AHCT": "4.5V ~ 5.5V", "LVC1G": "1.65V ~ 5.5V"}  # fmt: skip


def _logic(mpn: str, family: str, function: str, channels: int, package: str, price: float,
           datasheet: str, reel: int | None, tube: bool = False) -> Made:  # fmt: skip
    return _ic(
        mpn,
        f"74{family} {function.lower() if function[1].islower() else function}, "
        f"{_LOGIC_FAMILIES[family].replace('V', ' V')}, {package}",
        package,
        {
            "logic-family": family.removesuffix("1G"),
            "function": function,
            "channels": str(channels),
            "supply-voltage": _LOGIC_FAMILIES[family],
        },
        price,
        datasheet,
        reel=reel,
        tube=tube,
    )


def _logic_points() -> tuple[tuple, ...]:
    points = [
        (family, function, package)
        for family in ("HC", "HCT", "LVC", "AHC", "AHCT")
        for function in _LOGIC_FUNCTIONS
        for package in ("SO", "TSSOP", "DIP", "QFN")
    ]
    points += [
        ("LVC1G", function, package)
        for function in _SINGLE_GATES
        for package in ("SOT-23-5", "SC-70-5")
    ]
    return tuple(points)


def _ti_logic(point: tuple, variant: str) -> Made | None:
    family, function, package = point[0]
    if family == "LVC1G":
        code = {"SOT-23-5": "DBV", "SC-70-5": "DCK"}[package]
        return _logic(f"SN74LVC1G{function}{code}{variant}", family, _SINGLE_GATES[function],
                      1, package, 0.09, f"https://www.ti.com/lit/ds/symlink/sn74lvc1g{function}.pdf",
                      3000 if variant == "R" else 250)  # fmt: skip
    name, channels, pins = _LOGIC_FUNCTIONS[function]
    if package == "QFN" or (package == "DIP" and variant != "R"):
        return None
    code, size = {"SO": ("D", f"SO-{pins}"), "TSSOP": ("PW", f"TSSOP-{pins}"),
                  "DIP": ("N", f"PDIP-{pins}")}[package]  # fmt: skip
    tube = package == "DIP" or variant == "T"
    mpn = f"SN74{family}{function}{code}{'' if tube else 'R'}"
    return _logic(mpn, family, name, channels, size, 0.12 + pins / 200,
                  f"https://www.ti.com/lit/ds/symlink/sn74{family.lower()}{function}.pdf",
                  None if tube else 2500, tube)  # fmt: skip


def _nexperia_logic(point: tuple, variant: str) -> Made | None:
    family, function, package = point[0]
    if family == "LVC1G":
        code = {"SOT-23-5": "GV", "SC-70-5": "GW"}[package]
        return _logic(f"74LVC1G{function}{code},{'125' if variant == 'std' else '165'}",
                      family, _SINGLE_GATES[function], 1, package, 0.07,
                      f"https://assets.nexperia.com/documents/data-sheet/74LVC1G{function}.pdf",
                      3000)  # fmt: skip
    name, channels, pins = _LOGIC_FUNCTIONS[function]
    if package == "DIP":
        return None
    code, size, reel_code, bulk_code = {
        "SO": ("D", f"SO-{pins}", "653", "652"),
        "TSSOP": ("PW", f"TSSOP-{pins}", "118", "112"),
        "QFN": ("BQ", f"DHVQFN-{pins}", "115", "115"),
    }[package]
    if package == "QFN" and variant != "std":
        return None
    code_suffix = reel_code if variant == "std" else bulk_code
    return _logic(f"74{family}{function}{code},{code_suffix}", family, name, channels, size,
                  0.1 + pins / 250,
                  f"https://assets.nexperia.com/documents/data-sheet/74{family}{function}.pdf",
                  2500 if variant == "std" else None, variant != "std")  # fmt: skip


# --- frequency control -------------------------------------------------------------------------

_CRYSTAL_SERIES = {
    # series: (package, lowest MHz, ESR Ω, price)
    "ABM8": ("3.2x2.5mm", 10, 50, 0.18), "ABM3B": ("5.0x3.2mm", 8, 60, 0.2),
    "ABM10": ("2.5x2.0mm", 16, 60, 0.25), "ABM11": ("2.0x1.6mm", 20, 80, 0.3),
    "ABLS": ("HC-49/US SMD", 3.5, 40, 0.16),
}  # fmt: skip
_CRYSTAL_MHZ = (8, 10, 12, 13.56, 16, 19.2, 20, 24, 25, 26, 27, 30, 32, 38.4, 40, 48, 50)
_CRYSTAL_LOADS = {"B": 18, "D": 10, "E": 20, "F": 8, "G": 12}
_CRYSTAL_TOLERANCES = {"1": 10, "2": 20, "4": 30}


def _abracon_crystal(point: tuple, variant: str) -> Made | None:
    series, mhz, load, tolerance = point
    package, lowest, esr, price = _CRYSTAL_SERIES[series]
    if mhz < lowest:
        return None
    hertz = mhz * 1e6
    farads = _CRYSTAL_LOADS[load] * 1e-12
    ppm = _CRYSTAL_TOLERANCES[tolerance]
    return Made(
        mpn=f"{series}-{mhz:.3f}MHZ-{load}{tolerance}-{variant}",
        description=(
            f"{spaced(hertz, 'Hz')} crystal ±{ppm} ppm, {spaced(farads, 'F')} load, {package}"
        ),
        package=package,
        params={
            "frequency": value_text(hertz, "Hz"),
            "load-capacitance": value_text(farads, "F"),
            "frequency-tolerance": f"±{ppm}ppm",
            "esr": value_text(esr, "Ω"),
            "package": package,
        },
        price=price * (1.3 if ppm == 10 else 1.0),
        datasheet=f"https://abracon.com/Resonators/{series}.pdf",
        reel=1000 if variant == "T" else 3000,
        stock_scale=5_000,
    )


_OSCILLATOR_MHZ = (1, 1.8432, 2.048, 3.6864, 4, 6, 7.3728, 8, 10, 11.0592, 12, 12.288, 14.7456,
                   16, 16.384, 18.432, 19.2, 20, 24, 24.576, 25, 26, 27, 30, 32, 33.333, 40,
                   48, 50, 54, 60, 66.666, 74.25, 75, 80, 100)  # fmt: skip
_SITIME_PACKAGES = {"1": "2.0x1.6mm", "2": "2.5x2.0mm", "3": "3.2x2.5mm", "7": "5.0x3.2mm"}
_SITIME_STABILITY = {"1": 20, "2": 25, "3": 50}
_SITIME_VOLTAGES = {"18": 1.8, "25": 2.5, "28": 2.8, "33": 3.3}


def _sitime(point: tuple, variant: str) -> Made | None:
    series, mhz, package, stability, supply, temperature = point
    if series == "SIT1602" and mhz > 80:
        return None
    hertz = mhz * 1e6
    ppm = _SITIME_STABILITY[stability]
    volts = _SITIME_VOLTAGES[supply]
    return Made(
        mpn=f"{series}B{temperature}-{package}{stability}-{supply}E-{mhz:.6f}{variant}",
        description=(
            f"{spaced(hertz, 'Hz')} MEMS oscillator ±{ppm} ppm, {spaced(volts, 'V')}, LVCMOS, "
            f"{_SITIME_PACKAGES[package]}"
        ),
        package=_SITIME_PACKAGES[package],
        params={
            "frequency": value_text(hertz, "Hz"),
            "supply-voltage": value_text(volts, "V"),
            "stability": f"±{ppm}ppm",
            "output": "LVCMOS",
            "package": _SITIME_PACKAGES[package],
        },
        price=(0.55 if series == "SIT1602" else 0.75) * (1.4 if ppm == 20 else 1.0)
        * (1.1 if temperature == "I" else 1.0),
        datasheet=f"https://www.sitime.com/datasheet/{series}",
        reel={"G": 3000, "T": 1000, "Y": 250}[variant],
        msl="1",
        stock_scale=1_000,
    )


# --- connectors, LEDs, sensors ------------------------------------------------------------------

def _connector(mpn: str, description: str, params: dict[str, Any], price: float,
               datasheet: str, *, smd: bool, reel: int | None = None) -> Made:  # fmt: skip
    return Made(
        mpn=mpn,
        description=description,
        package="SMD" if smd else "Through hole",
        params=params,
        price=price,
        datasheet=datasheet,
        packaging="Tape & Reel" if reel else ("Bag" if not smd else "Tray"),
        reel=reel,
        kind="cut_tape" if reel else "bulk",
        stock_scale=5_000,
    )


_JST_SERIES = {
    # series: (pitch mm, amps, top-entry pattern, side-entry pattern, SMD, price per position)
    "XH": (2.5, 3, "B{n}B-XH-A(LF)(SN)", "S{n}B-XH-A(LF)(SN)", False, 0.025),
    "PH": (2.0, 2, "B{n}B-PH-K-S(LF)(SN)", "S{n}B-PH-K-S(LF)(SN)", False, 0.025),
    "ZH": (1.5, 1, "B{n}B-ZR(LF)(SN)", "S{n}B-ZR(LF)(SN)", False, 0.03),
    "SH": (1.0, 1, "BM{n:02d}B-SRSS-TB(LF)(SN)", "SM{n:02d}B-SRSS-TB(LF)(SN)", True, 0.05),
    "GH": (1.25, 1, "BM{n:02d}B-GHS-TBT(LF)(SN)(N)", "SM{n:02d}B-GHS-TB(LF)(SN)", True, 0.06),
}


def _wire_to_board(mpn, series, pitch, positions, rows, smd, right_angle, amps, price, datasheet):
    orientation = "Right angle" if right_angle else "Vertical"
    return _connector(
        mpn,
        f"{series} {pitch:g} mm {positions}-position {'shrouded header' if series else 'header'}"
        f", {orientation.lower()}, {'SMD' if smd else 'through hole'}".replace("  ", " "),
        {
            "pitch": f"{pitch:g}mm",
            "positions": str(positions),
            "rows": str(rows),
            "mounting": "SMD" if smd else "Through hole",
            "orientation": orientation,
            "current": value_text(amps, "A"),
        },
        price,
        datasheet,
        smd=smd,
        reel=1000 if smd else None,
    )


def _jst(point: tuple, variant: str) -> Made | None:
    series, positions = point
    pitch, amps, top, side, smd, price = _JST_SERIES[series]
    if series in ("SH", "GH") and positions > 15:
        return None
    pattern = side if variant == "side" else top
    return _wire_to_board(
        pattern.format(n=positions), f"JST {series}", pitch, positions, 1, smd,
        variant == "side", amps, 0.04 + price * positions,
        f"https://www.jst-mfg.com/product/pdf/eng/e{series}.pdf",
    )  # fmt: skip


def _molex(point: tuple, variant: str) -> Made | None:
    series, positions = point
    if series == "KK 254":
        if variant != "vertical" or positions > 16:
            return None
        mpn, pitch, amps, smd = f"22-23-2{positions:02d}1", 2.54, 4, False
    elif series == "PicoBlade":
        if positions > 15:
            return None
        mpn, pitch, amps, smd = {
            "vertical": (f"53047-{positions:02d}10", 1.25, 1, False),
            "side": (f"53048-{positions:02d}10", 1.25, 1, False),
            "smd-side": (f"53261-{positions:02d}71", 1.25, 1, True),
            "smd-vertical": (f"53398-{positions:02d}71", 1.25, 1, True),
        }[variant]
    else:
        if variant not in ("vertical", "side") or positions % 2 or positions > 24:
            return None
        code = "43045" if variant == "vertical" else "43650"
        mpn, pitch, amps, smd = f"{code}-{positions:02d}00", 3.0, 5, False
    rows = 2 if series == "Micro-Fit 3.0" and variant == "vertical" else 1
    return _wire_to_board(
        mpn, f"Molex {series}", pitch, positions, rows, smd, "side" in variant, amps,
        0.06 + 0.03 * positions, f"https://www.molex.com/pdm_docs/sd/{mpn.replace('-', '')}_sd.pdf",
    )  # fmt: skip


def _wurth_header(point: tuple, variant: str) -> Made | None:
    _, positions = point
    rows = 2 if variant == "dual" else 1
    if rows == 2 and positions % 2:
        return None
    code = {"single": "11121", "dual": "21121", "angled": "18121"}[variant]
    mpn = f"613{positions:03d}{code}"
    return _wire_to_board(
        mpn, "WR-PHD", 2.54, positions, rows, False, variant == "angled", 3,
        0.02 + 0.012 * positions,
        f"https://www.we-online.com/components/products/datasheet/{mpn}.pdf",
    )  # fmt: skip


_USB_CONNECTORS: tuple[tuple, ...] = (
    # maker, MPN, type, positions, SMD, amps, price
    ("GCT", "USB4105-GF-A", "USB Type-C", 16, True, 5, 0.55),
    ("GCT", "USB4105-GF-A-060", "USB Type-C", 16, True, 5, 0.58),
    ("GCT", "USB4085-GF-A", "USB Type-C", 24, True, 5, 0.8),
    ("GCT", "USB4110-GF-A", "USB Type-C", 24, True, 5, 0.9),
    ("GCT", "USB3131-30-0230-A", "USB Micro-B", 5, True, 1.8, 0.35),
    ("GCT", "USB3140-30-0170-1-C", "USB Micro-B", 5, True, 1.8, 0.4),
    ("GCT", "USB1061-GF-L-A", "USB Type-A", 4, False, 1.5, 0.45),
    ("Molex", "105017-0001", "USB Micro-B", 5, True, 1.8, 0.38),
    ("Molex", "105017-1001", "USB Micro-B", 5, True, 1.8, 0.42),
    ("Molex", "47346-0001", "USB Micro-B", 5, True, 1.8, 0.45),
    ("Molex", "217179-0001", "USB Type-C", 16, True, 3, 0.75),
    ("Molex", "105450-0101", "USB Type-C", 24, True, 5, 1.2),
    ("Molex", "67643-0910", "USB Type-A", 4, False, 1.5, 0.6),
    ("Molex", "48037-0001", "USB Type-A", 4, False, 1.5, 0.55),
    ("Würth Elektronik", "629105150521", "USB Micro-B", 5, True, 1, 0.5),
    ("Würth Elektronik", "632723300011", "USB Type-C", 16, True, 3, 0.9),
    ("Würth Elektronik", "632723100011", "USB Type-C", 24, True, 5, 1.3),
    ("Würth Elektronik", "614004134726", "USB Type-A", 4, False, 1.5, 0.7),
)


def _usb(point: tuple, variant: None) -> Made:
    maker, mpn, kind, positions, smd, amps, price = point[0]
    return _connector(
        mpn,
        f"{kind} receptacle, {positions} positions, {'SMD' if smd else 'through hole'}, "
        f"{amps:g} A",
        {
            "connector-type": kind,
            "positions": str(positions),
            "mounting": "SMD" if smd else "Through hole",
            "current": value_text(amps, "A"),
        },
        price,
        {"GCT": f"https://gct.co/files/drawings/{mpn.split('-')[0].lower()}.pdf",
         "Molex": f"https://www.molex.com/pdm_docs/sd/{mpn.replace('-', '')}_sd.pdf"}.get(
            maker, f"https://www.we-online.com/components/products/datasheet/{mpn}.pdf"),
        smd=smd,
        reel=None,
    )  # fmt: skip


_LED_COLORS = {
    # color: (dominant wavelength nm or None, forward voltage V, mcd at the lower bin)
    "Red": (625, 2.0, 90), "Green": (525, 3.0, 280), "Yellow-green": (570, 2.0, 35),
    "Yellow": (590, 2.0, 80), "Orange": (605, 2.0, 90), "Blue": (470, 3.0, 110),
    "White": (None, 3.0, 350),
}  # fmt: skip
_LED_SIZES = {"0402": (0.02, 10_000), "0603": (0.025, 4_000), "0805": (0.03, 3_000),
              "1206": (0.04, 3_000)}  # fmt: skip


def _led(mpn: str, color: str, size: str, bin_factor: float, price_factor: float,
         datasheet: str) -> Made:  # fmt: skip
    wavelength, volts, mcd = _LED_COLORS[color]
    intensity = round(mcd * bin_factor)
    params = {
        "color": color,
        "luminous-intensity": f"{intensity}mcd",
        "forward-voltage": value_text(volts, "V"),
        "forward-current": "20mA",
        "package": size,
    }
    if wavelength:
        params["wavelength"] = f"{wavelength}nm"
    price, reel = _LED_SIZES[size]
    return Made(
        mpn=mpn,
        description=(
            f"{color} LED {size}" + (f", {wavelength} nm" if wavelength else "")
            + f", {intensity} mcd @ 20 mA, Vf {volts:g} V"
        ),
        package=size,
        params=params,
        price=price * price_factor * (1.5 if volts > 2.5 else 1.0) * bin_factor,
        datasheet=datasheet,
        reel=reel,
        msl="3",
        stock_scale=40_000,
    )


_EVERLIGHT_PREFIX = {"0402": "15-21", "0603": "19-217", "0805": "17-21", "1206": "12-21"}
_EVERLIGHT_CHIPS = {"Red": ("R6C", "AL1M2VY"), "Green": ("GHC", "YR1S2"),
                    "Yellow-green": ("G6C", "AN1P2B"), "Yellow": ("Y2C", "CQ1R2B"),
                    "Orange": ("S2C", "AN1P2B"), "Blue": ("BHC", "ZL1M2RY"),
                    "White": ("T1D", "CQ2R2TY")}  # fmt: skip


def _everlight(point: tuple, variant: int) -> Made:
    color, size = point
    chip, bin_code = _EVERLIGHT_CHIPS[color]
    bin_code = bin_code if not variant else bin_code[:-3] + "S" + bin_code[-2:]
    tape = "3T" if size in ("0603", "0402") else "TR8"
    return _led(f"{_EVERLIGHT_PREFIX[size]}/{chip}-{bin_code}/{tape}", color, size,
                1.0 + variant * 0.6, 0.8,
                f"https://www.everlight.com/datasheets/{_EVERLIGHT_PREFIX[size]}-{chip}.pdf")


_WURTH_LED_COLORS = {"Red": "RS", "Green": "VS", "Yellow-green": "GS", "Yellow": "YS",
                     "Orange": "SS", "Blue": "BS", "White": "WS"}  # fmt: skip
_WURTH_LED_SIZES = {"0402": "040", "0603": "060", "0805": "080", "1206": "120"}


def _wurth_led(point: tuple, variant: None) -> Made:
    color, size = point
    mpn = f"150{_WURTH_LED_SIZES[size]}{_WURTH_LED_COLORS[color]}75000"
    return _led(mpn, color, size, 1.2, 1.4,
                f"https://www.we-online.com/components/products/datasheet/{mpn}.pdf")


_SENSORS: tuple[tuple, ...] = (
    # maker, MPN, second packaging MPN, category, type, interface, accuracy or range, axes,
    # supply, package, price
    ("Bosch Sensortec", "BME280", "", "env", "Temperature, humidity, pressure", "I2C, SPI",
     "±3 %RH, ±1 hPa, ±1 °C", 0, "1.71V ~ 3.6V", "LGA-8", 2.9),
    ("Bosch Sensortec", "BMP280", "", "env", "Temperature, pressure", "I2C, SPI",
     "±1 hPa, ±1 °C", 0, "1.71V ~ 3.6V", "LGA-8", 1.1),
    ("Bosch Sensortec", "BMP390", "", "env", "Temperature, pressure", "I2C, SPI",
     "±0.5 hPa", 0, "1.65V ~ 3.6V", "LGA-10", 1.9),
    ("Bosch Sensortec", "BME680", "", "env", "Gas, temperature, humidity, pressure",
     "I2C, SPI", "±3 %RH, ±1 hPa", 0, "1.71V ~ 3.6V", "LGA-8", 7.5),
    ("Bosch Sensortec", "BME688", "", "env", "Gas, temperature, humidity, pressure",
     "I2C, SPI", "±3 %RH, ±0.6 hPa", 0, "1.71V ~ 3.6V", "LGA-8", 8.9),
    ("Bosch Sensortec", "BMI270", "", "motion", "6-axis IMU", "I2C, SPI",
     "±2/4/8/16 g, ±2000 dps", 6, "1.71V ~ 3.6V", "LGA-14", 2.6),
    ("Bosch Sensortec", "BMI160", "", "motion", "6-axis IMU", "I2C, SPI",
     "±2/4/8/16 g, ±2000 dps", 6, "1.71V ~ 3.6V", "LGA-14", 2.2),
    ("Bosch Sensortec", "BMA400", "", "motion", "Accelerometer", "I2C, SPI", "±2/4/8/16 g", 3,
     "1.72V ~ 3.6V", "LGA-12", 1.3),
    ("Bosch Sensortec", "BMM150", "", "motion", "Magnetometer", "I2C, SPI", "±1300 µT", 3,
     "1.62V ~ 3.6V", "WLCSP-12", 1.4),
    ("Sensirion", "SHT40-AD1B-R2", "SHT40-AD1B-R3", "env", "Temperature, humidity", "I2C",
     "±1.8 %RH, ±0.2 °C", 0, "1.08V ~ 3.6V", "DFN-4", 1.6),
    ("Sensirion", "SHT41-AD1B-R2", "SHT41-AD1B-R3", "env", "Temperature, humidity", "I2C",
     "±1.8 %RH, ±0.2 °C", 0, "1.08V ~ 3.6V", "DFN-4", 1.9),
    ("Sensirion", "SHT45-AD1B-R2", "SHT45-AD1B-R3", "env", "Temperature, humidity", "I2C",
     "±1.0 %RH, ±0.1 °C", 0, "1.08V ~ 3.6V", "DFN-4", 3.8),
    ("Sensirion", "SHT31-DIS-B2.5KS", "SHT31-DIS-B10KS", "env", "Temperature, humidity",
     "I2C", "±2 %RH, ±0.2 °C", 0, "2.15V ~ 5.5V", "DFN-8", 3.2),
    ("Sensirion", "SHTC3", "", "env", "Temperature, humidity", "I2C", "±2 %RH, ±0.2 °C", 0,
     "1.62V ~ 3.6V", "DFN-4", 1.5),
    ("Sensirion", "STS40-AD0B-R2", "STS40-AD0B-R3", "env", "Temperature", "I2C", "±0.2 °C",
     0, "1.08V ~ 3.6V", "DFN-4", 1.1),
    ("Texas Instruments", "TMP117AIDRVR", "TMP117AIDRVT", "env", "Temperature", "I2C",
     "±0.1 °C", 0, "1.7V ~ 5.5V", "WSON-6", 2.1),
    ("Texas Instruments", "TMP102AIDRLR", "TMP102AIDRLT", "env", "Temperature", "I2C",
     "±2 °C", 0, "1.4V ~ 3.6V", "SOT-563", 0.9),
    ("Texas Instruments", "HDC1080DMBR", "HDC1080DMBT", "env", "Temperature, humidity", "I2C",
     "±2 %RH, ±0.2 °C", 0, "2.7V ~ 5.5V", "WSON-6", 2.3),
    ("Texas Instruments", "HDC2010YPAR", "HDC2010YPAT", "env", "Temperature, humidity", "I2C",
     "±2 %RH, ±0.2 °C", 0, "1.62V ~ 3.6V", "DSBGA-6", 1.8),
    ("STMicroelectronics", "LIS3DHTR", "", "motion", "Accelerometer", "I2C, SPI",
     "±2/4/8/16 g", 3, "1.71V ~ 3.6V", "LGA-16", 0.9),
    ("STMicroelectronics", "LIS2DH12TR", "", "motion", "Accelerometer", "I2C, SPI",
     "±2/4/8/16 g", 3, "1.71V ~ 3.6V", "LGA-12", 0.7),
    ("STMicroelectronics", "LSM6DSOTR", "", "motion", "6-axis IMU", "I2C, SPI",
     "±2/4/8/16 g, ±2000 dps", 6, "1.71V ~ 3.6V", "LGA-14", 2.4),
    ("STMicroelectronics", "LSM6DS3TR-C", "", "motion", "6-axis IMU", "I2C, SPI",
     "±2/4/8/16 g, ±2000 dps", 6, "1.71V ~ 3.6V", "LGA-14", 1.9),
    ("STMicroelectronics", "LIS2MDLTR", "", "motion", "Magnetometer", "I2C, SPI", "±50 gauss",
     3, "1.71V ~ 3.6V", "LGA-12", 1.2),
    ("STMicroelectronics", "LPS22HBTR", "", "env", "Pressure", "I2C, SPI", "±0.1 hPa", 0,
     "1.7V ~ 3.6V", "LGA-10", 1.8),
    ("STMicroelectronics", "HTS221TR", "", "env", "Temperature, humidity", "I2C, SPI",
     "±3.5 %RH, ±0.5 °C", 0, "1.7V ~ 3.6V", "LGA-6", 1.7),
)


def _sensor(point: tuple, variant: int) -> Made | None:
    maker, mpn, alternative, group, kind, interface, spec, axes, supply, package, price = point[0]
    if variant and not alternative:
        return None
    chosen = alternative if variant else mpn
    params = {"sensor-type": kind, "interface": interface, "supply-voltage": supply,
              "package": package}  # fmt: skip
    if group == "motion":
        params |= {"axes": str(axes), "range": spec}
    else:
        params["accuracy"] = spec
    return Made(
        mpn=chosen,
        description=f"{mpn.split('-')[0]} {kind.lower()} sensor, {spec}, {interface}, {package}",
        package=package,
        params=params,
        price=price,
        datasheet=f"https://{_SENSOR_HOSTS[maker]}/{mpn.split('-')[0].lower()}-datasheet.pdf",
        reel=(250 if chosen.endswith("T") and maker == "Texas Instruments" else
              10_000 if chosen.endswith("R3") else 5000),
        msl="3",
        stock_scale=2_000,
    )  # fmt: skip


_SENSOR_HOSTS = {
    "Bosch Sensortec": "www.bosch-sensortec.com/media/boschsensortec/downloads/datasheets",
    "Sensirion": "sensirion.com/media/documents",
    "Texas Instruments": "www.ti.com/lit/ds/symlink",
    "STMicroelectronics": "www.st.com/resource/en/datasheet",
}


# --- the family table --------------------------------------------------------------------------

_R = "passives/resistors/chip-resistors"
_MLCC = "passives/capacitors/mlcc"
_ALU = "passives/capacitors/aluminum-electrolytic"
_LDO = "ics/power/ldo-regulators"
_K10 = (Decimal(10_000), "F")


def _by_maker(table: Sequence[tuple], maker: str) -> Callable[[], tuple[Sequence[Any], ...]]:
    return lambda: (tuple(record for record in table if record[0] == maker),)


def _sensors_of(maker: str, group: str) -> Callable[[], tuple[Sequence[Any], ...]]:
    return lambda: (tuple(r for r in _SENSORS if r[0] == maker and r[3] == group),)


_INDUCTOR_AXES = (tuple(_POWER_INDUCTOR_SIZES), _INDUCTANCES_UH)
_BEAD_AXES = (tuple(_BEAD_SIZES), _BEAD_IMPEDANCES, tuple(_BEAD_TYPES))
_SCHOTTKY_AXES = ((1, 2, 3, 5), (20, 30, 40, 50, 60, 100), ("SMA", "SMB", "SMC"))
_ELECTROLYTIC_AXES = ((6.3, 10, 16, 25, 35, 50, 63), _ELECTROLYTIC_VALUES_UF)
_LDO_ALL_VOLTAGES = (1.0, 1.2, 1.5, 1.8, 2.5, 2.6, 2.8, 3.0, 3.3, 5.0)
_MLCC_POPULAR = tuple(
    (point, 0)
    for point in (
        ("0603", "X7R", 50, Decimal("1E-7")), ("0402", "X7R", 16, Decimal("1E-7")),
        ("0402", "X5R", 10, Decimal("1E-6")), ("0603", "X5R", 10, Decimal("1E-5")),
        ("0805", "X5R", 25, Decimal("1E-5")), ("0603", "X7R", 50, Decimal("1E-8")),
        ("0402", "C0G", 50, Decimal("2.2E-11")),
    )
)  # fmt: skip

FAMILIES: tuple[Family, ...] = (
    Family("yageo-rc", "YAGEO", _R, 9, lambda: (_thick_film_values(), _RESISTOR_SIZES),
           _yageo_rc, tuple(product(("RC", "AC", "AF"), ("07", "13", "7W", "10"), ("R", "K", "S"))),
           popular=((_K10, "0603"), (_K10, "0402"), ((Decimal(1000), "F"), "0603"),
                    ((Decimal(100), "F"), "0603"), ((Decimal(4700), "F"), "0603"),
                    ((_ZERO, "J"), "0603"), ((Decimal(10_000), "J"), "0805"))),
    Family("yageo-rt", "YAGEO", _R, 3,
           lambda: (_thin_film_values(), ("B", "D", "F", "C", "W"), tuple(_YAGEO_TCR),
                    _SMALL_SIZES[1:]),
           _yageo_rt, ("07", "13", "10")),
    Family("uniohm", "UniOhm", _R, 6, lambda: (_thick_film_values(), _RESISTOR_SIZES), _uniohm,
           ("5", "1", "4"),
           popular=((_K10, "0603"), (_K10, "0402"), ((Decimal(1000), "F"), "0603"))),
    Family("vishay-crcw", "Vishay", _R, 4, lambda: (_thick_film_values(), _RESISTOR_SIZES),
           _vishay_crcw, ("EA", "ED", "EB", "EC", "EE", "EF", "EG", "EH"),
           popular=((_K10, "0603"),)),
    Family("panasonic-erj", "Panasonic", _R, 3, lambda: (_thick_film_values(), _SMALL_SIZES),
           _panasonic_erj, ("standard", "anti-sulfur", "anti-surge"), popular=((_K10, "0603"),)),
    Family("murata-grm", "Murata", _MLCC, 6, lambda: (_mlcc_points(), (0, 1)), _murata,
           _mlcc_variants((("GRM", "D"), ("GRM", "J"), ("GCM", "D"), ("GCM", "L"))),
           popular=_MLCC_POPULAR),
    Family("samsung-cl", "Samsung Electro-Mechanics", _MLCC, 5,
           lambda: (_mlcc_points(), (0, 1)), _samsung, _mlcc_variants(("NNNC", "NNND", "WNNC")),
           popular=_MLCC_POPULAR),
    Family("tdk-c", "TDK", _MLCC, 4, lambda: (_mlcc_points(), (0, 1)), _tdk,
           _mlcc_variants(("AA", "AB", "AE")), popular=_MLCC_POPULAR),
    Family("yageo-cc", "YAGEO", _MLCC, 4, lambda: (_mlcc_points(), (0, 1)), _yageo_cc,
           _mlcc_variants(("R", "P")), popular=_MLCC_POPULAR),
    Family("panasonic-eee", "Panasonic", _ALU, 1.5, lambda: _ELECTROLYTIC_AXES, _panasonic_eee,
           ("FK", "FT", "FN", "TG")),
    Family("nichicon-u", "Nichicon", _ALU, 1.5, lambda: _ELECTROLYTIC_AXES, _nichicon,
           ("WT", "WX", "CD", "UD")),
    Family("sunlord-swpa", "Sunlord", "passives/inductors/power-inductors", 1.5,
           lambda: _INDUCTOR_AXES, _sunlord_swpa, ("SWPA", "SWRB")),
    Family("wurth-mapi", "Würth Elektronik", "passives/inductors/power-inductors", 1,
           lambda: _INDUCTOR_AXES, _wurth_mapi),
    Family("murata-blm", "Murata", "passives/inductors/ferrite-beads", 1.5, lambda: _BEAD_AXES,
           _murata_blm, ("D", "J")),
    Family("sunlord-bead", "Sunlord", "passives/inductors/ferrite-beads", 1, lambda: _BEAD_AXES,
           _sunlord_bead),
    Family("vishay-rectifier", "Vishay", "discretes/diodes/rectifiers", 0.6,
           lambda: (_rectifier_points(),), _vishay_rectifier, ("std", "alt")),
    Family("diodes-rectifier", "Diodes Incorporated", "discretes/diodes/rectifiers", 0.6,
           lambda: (_rectifier_points(),), _diodes_rectifier, ("std", "alt")),
    Family("nexperia-rectifier", "Nexperia", "discretes/diodes/rectifiers", 0.4,
           lambda: (_rectifier_points(),), _nexperia_rectifier, ("std", "alt")),
    Family("onsemi-rectifier", "onsemi", "discretes/diodes/rectifiers", 0.4,
           lambda: (_rectifier_points(),), _onsemi_rectifier, ("std", "alt")),
    Family("vishay-ss", "Vishay", "discretes/diodes/schottky", 0.5, lambda: _SCHOTTKY_AXES,
           _vishay_ss, ("E3/57T", "E3/9AT")),
    Family("diodes-b", "Diodes Incorporated", "discretes/diodes/schottky", 0.5,
           lambda: _SCHOTTKY_AXES, _diodes_b, ("-13-F", "Q-13-F")),
    Family("onsemi-mbr", "onsemi", "discretes/diodes/schottky", 0.4, lambda: _SCHOTTKY_AXES,
           _onsemi_mbr, ("", "NRVB")),
    Family("nexperia-zener", "Nexperia", "discretes/diodes/zener", 1,
           lambda: (tuple(_NEXPERIA_ZENER), _ZENER_VOLTAGES, ("C", "B")), _nexperia_zener,
           (0, 1)),
    Family("onsemi-zener", "onsemi", "discretes/diodes/zener", 0.6,
           lambda: (tuple(_JEDEC_ZENERS.items()),
                    (("MMSZ", ("T1G", "T3G"), "SOD-123", 0.5),
                     ("MMBZ", ("LT1G", "LT3G"), "SOT-23", 0.225),
                     ("1N", ("TR", "TA"), "DO-35", 0.5))),
           _onsemi_zener, (0, 1)),
    Family("diodes-zener", "Diodes Incorporated", "discretes/diodes/zener", 0.6,
           lambda: (_ZENER_VOLTAGES, (("BZT52C{}", "SOD-123", 0.5), ("BZT52C{}S", "SOD-323", 0.2),
                                      ("BZX84C{}", "SOT-23", 0.3))),
           _diodes_zener, ("-7-F", "-13-F")),
    Family("littelfuse-tvs", "Littelfuse", "discretes/diodes/tvs", 1,
           lambda: (tuple(_TVS_SERIES), _TVS_VOLTAGES, ("A", "CA")), _littelfuse_tvs, ("", "-Q")),
    Family("vishay-tvs", "Vishay", "discretes/diodes/tvs", 0.6,
           lambda: (tuple(_TVS_SERIES), _TVS_VOLTAGES, ("A", "CA")), _vishay_tvs,
           ("-E3/52", "-E3/5B")),
    *(
        Family(f"mosfet-{maker}", maker, "discretes/transistors/mosfets", 0.4,
               _by_maker(_MOSFETS, maker), _mosfet, (0, 1))
        for maker in ("Nexperia", "onsemi", "Infineon Technologies", "Vishay",
                      "Diodes Incorporated")
    ),
    *(
        Family(f"bjt-{maker}", maker, "discretes/transistors/bjts", 0.4,
               lambda maker=maker: (_BJTS, (maker,)), _bjt, (0, 1))
        for maker in ("onsemi", "Nexperia", "Diodes Incorporated")
    ),
    Family("stm32", "STMicroelectronics", "ics/microcontrollers", 1.2,
           lambda: (_mcu_points(_STM32_SERIES), ("6", "7")), _stm32, ("", "TR"),
           popular=((("F103", "C", "8", "T"), "6"), (("F030", "F", "4", "P"), "6"),
                    (("G431", "C", "B", "U"), "6"))),
    Family("gd32", "GigaDevice", "ics/microcontrollers", 0.6,
           lambda: (_mcu_points(_GD32_SERIES), ("6", "7")), _gd32, ("", "TR"),
           popular=((("F103", "C", "8", "T"), "6"),)),
    Family("microchip-mcu", "Microchip Technology", "ics/microcontrollers", 0.4,
           lambda: (_MICROCHIP_MCUS,), _microchip_mcu, ("std", "reel")),
    Family("espressif", "Espressif Systems", "rf/wifi-bluetooth", 0.4,
           lambda: (_espressif_points(),), _espressif),
    Family("ti-ldo", "Texas Instruments", _LDO, 0.8,
           lambda: (tuple(_TI_LDO_SERIES), _LDO_VOLTAGES, tuple(_TI_PACKAGES)), _ti_ldo,
           ("R", "T"), popular=(("TLV755", 3.3, "DBV"),)),
    Family("ti-lm1117", "Texas Instruments", _LDO, 0.2,
           lambda: (("1.8", "2.5", "3.3", "5.0", "ADJ"),
                    (("MP", "SOT-223"), ("DT", "TO-252"), ("IMP", "SOT-223"))), _lm1117,
           ("X", "")),
    Family("diodes-ldo", "Diodes Incorporated", _LDO, 0.4,
           lambda: (tuple(_DIODES_LDO), _LDO_ALL_VOLTAGES), _diodes_ldo,
           popular=(("AP2112K", 3.3),)),
    Family("microchip-ldo", "Microchip Technology", _LDO, 0.3,
           lambda: ((1.2, 1.8, 2.5, 2.8, 3.0, 3.3, 5.0),
                    (("MCP1700", "TT", "SOT-23", 0.25, 0.178, 6, 1.6e-6, 0.25),
                     ("MCP1700", "TO", "TO-92", 0.25, 0.178, 6, 1.6e-6, 0.3),
                     ("MCP1700", "MB", "SOT-89", 0.25, 0.178, 6, 1.6e-6, 0.28),
                     ("MCP1825S", "DB", "SOT-223", 0.5, 0.21, 6, 120e-6, 0.55))),
           _microchip_ldo, ("T", "")),
    Family("st-ldo", "STMicroelectronics", _LDO, 0.3,
           lambda: (("18", "25", "33", "50", ""),
                    (("LD1117", "S", "SOT-223", 0.8, 1.0, 15, 0.25),
                     ("LD1117", "DT", "DPAK", 0.8, 1.0, 15, 0.3),
                     ("LDL1117", "S", "SOT-223", 1.2, 0.35, 18, 0.3))),
           _st_ldo, ("TR", "")),
    *(
        Family(f"dc-dc-{maker}", maker, "ics/power/dc-dc-converters", 0.3,
               _by_maker(_DC_DC, maker), _dc_dc, (0, 1))
        for maker in ("Texas Instruments", "Monolithic Power Systems", "Diodes Incorporated")
    ),
    *(
        Family(f"op-amp-{maker}", maker, "ics/amplifiers/op-amps", 0.3,
               _by_maker(_OP_AMPS, maker), _op_amp, (0, 1))
        for maker in ("Texas Instruments", "STMicroelectronics", "Microchip Technology")
    ),
    Family("ti-logic", "Texas Instruments", "ics/logic/gates-and-buffers", 0.8,
           lambda: (_logic_points(),), _ti_logic, ("R", "T")),
    Family("nexperia-logic", "Nexperia", "ics/logic/gates-and-buffers", 0.8,
           lambda: (_logic_points(),), _nexperia_logic, ("std", "bulk")),
    Family("abracon-crystal", "Abracon", "frequency-control/crystals", 1.2,
           lambda: (tuple(_CRYSTAL_SERIES), _CRYSTAL_MHZ, tuple(_CRYSTAL_LOADS),
                    tuple(_CRYSTAL_TOLERANCES)), _abracon_crystal, ("T", "T3"),
           popular=(("ABM8", 16, "B", "2"), ("ABM8", 8, "B", "2"), ("ABM8", 12, "B", "2"))),
    Family("sitime", "SiTime", "frequency-control/oscillators", 1.2,
           lambda: (("SIT1602", "SIT8008"), _OSCILLATOR_MHZ, tuple(_SITIME_PACKAGES),
                    tuple(_SITIME_STABILITY), tuple(_SITIME_VOLTAGES), ("C", "I")),
           _sitime, ("G", "T", "Y")),
    Family("jst", "JST", "connectors/wire-to-board", 0.6,
           lambda: (tuple(_JST_SERIES), tuple(range(2, 17))), _jst, ("top", "side"),
           popular=(("XH", 2), ("PH", 2), ("SH", 4))),
    Family("molex-wtb", "Molex", "connectors/wire-to-board", 0.6,
           lambda: (("KK 254", "PicoBlade", "Micro-Fit 3.0"), tuple(range(2, 25))), _molex,
           ("vertical", "side", "smd-side", "smd-vertical")),
    Family("wurth-header", "Würth Elektronik", "connectors/wire-to-board", 0.4,
           lambda: (("WR-PHD",), tuple(range(1, 41))), _wurth_header,
           ("single", "dual", "angled")),
    *(
        Family(f"usb-{maker}", maker, "connectors/usb", 0.2, _by_maker(_USB_CONNECTORS, maker),
               _usb)
        for maker in ("GCT", "Molex", "Würth Elektronik")
    ),
    Family("everlight-led", "Everlight", "optoelectronics/leds", 0.6,
           lambda: (tuple(_LED_COLORS), tuple(_LED_SIZES)), _everlight, (0, 1)),
    Family("wurth-led", "Würth Elektronik", "optoelectronics/leds", 0.4,
           lambda: (tuple(_LED_COLORS), tuple(_LED_SIZES)), _wurth_led),
    *(
        Family(f"sensor-{maker}-{group}", maker,
               "sensors/environmental" if group == "env" else "sensors/motion", 0.2,
               _sensors_of(maker, group), _sensor, (0, 1))
        for maker, group in (("Bosch Sensortec", "env"), ("Bosch Sensortec", "motion"),
                             ("Sensirion", "env"), ("Texas Instruments", "env"),
                             ("STMicroelectronics", "env"), ("STMicroelectronics", "motion"))
    ),
)  # fmt: skip


def demo_space() -> int:
    """Upper bound of distinct demo parts (points a family skips as not made are counted)."""
    return sum(family.size for family in FAMILIES)


# --- rows --------------------------------------------------------------------------------------

_BASE_COLUMNS = (
    "manufacturer", "mpn", "category", "description", "package", "datasheet_url", "lifecycle",
    "rohs", "msl", "packaging", "moq", "order_multiple", "stock", "packaging_kind", "prices",
    "reel_quantity", "reel_prices", "supplier", "supplier_quantity", "supplier_lead_days",
    "supplier_cost",
)  # fmt: skip
_MICRO = Decimal("0.000001")
_LADDERS = (
    # (below this unit price, break quantities, price factor of each break)
    (0.05, (1, 10, 100, 1000, 4000), (1.0, 0.62, 0.36, 0.25, 0.22)),
    (1.0, (1, 10, 50, 100, 500, 1000), (1.0, 0.84, 0.72, 0.64, 0.57, 0.52)),
    (math.inf, (1, 10, 25, 100, 250, 1000), (1.0, 0.9, 0.84, 0.76, 0.71, 0.66)),
)


def demo_columns() -> list[str]:
    """Header of the demo CSV: the import columns and one ``param:<key>`` per parameter."""
    keys: dict[str, None] = {}
    for category in DEMO_CATEGORIES:
        for parameter in category.parameters:
            keys.setdefault(f"param:{parameter.key}")
    return [*_BASE_COLUMNS, *keys]


def _money(value: float) -> Decimal:
    return max(Decimal(repr(_sig(value, 4))).quantize(_MICRO, ROUND_HALF_UP), _MICRO)


def _ladder(quantities: Sequence[int], prices: Sequence[float]) -> tuple[str, Decimal]:
    """``qty:price|…`` with prices rounded to 6 decimals and never rising; and the last price."""
    parts, last = [], None
    for quantity, price in zip(quantities, prices, strict=True):
        money = _money(price) if last is None else min(_money(price), last)
        parts.append(f"{quantity}:{money:f}")
        last = money
    assert last is not None
    return "|".join(parts), last


def _order_terms(price: float, rng: random.Random) -> tuple[int, int]:
    """(MOQ, order multiple): the cheapest passives often sell in tens or hundreds."""
    roll = rng.random()
    if price < 0.02:
        return (100, 100) if roll < 0.2 else (10, 10) if roll < 0.5 else (1, 1)
    if price < 0.2:
        return (10, 5) if roll < 0.08 else (5, 5) if roll < 0.15 else (1, 1)
    return (10, 1) if roll < 0.04 else (1, 1)


def _round_to(quantity: float, step: int) -> int:
    return max(step, int(quantity) // step * step)


def _commerce(made: Made, rng: random.Random) -> dict[str, str]:
    """Lifecycle, order terms, price ladders, own stock and a supplier offer for one part."""
    roll = rng.random()
    lifecycle = (
        "active" if roll < 0.87 else "nrnd" if roll < 0.94 else "eol" if roll < 0.975
        else "obsolete"
    )  # fmt: skip
    roll = rng.random()
    rohs = "yes" if roll < 0.94 else "unknown" if roll < 0.98 else "no"
    price = made.price * rng.uniform(0.88, 1.12)
    moq, multiple = _order_terms(price, rng)
    quantities, factors = next((q, f) for limit, q, f in _LADDERS if price < limit)
    quantities = [moq, *(q for q in quantities if q > moq)]
    factors = factors[len(factors) - len(quantities) :]
    noisy = [price * factor * rng.uniform(0.97, 1.03) for factor in factors]
    prices, cheapest = _ladder(quantities, noisy)
    row = {
        "lifecycle": lifecycle,
        "rohs": rohs,
        "msl": made.msl,
        "packaging": made.packaging,
        "moq": str(moq),
        "order_multiple": str(multiple),
        "packaging_kind": made.kind,
        "prices": prices,
    }
    if made.reel and made.kind == "cut_tape":
        reels = (1, 5, 10) if price < 1 else (1, 2, 5)
        reel_prices, _ = _ladder(
            [made.reel * count for count in reels],
            [float(cheapest) * factor for factor in (0.86, 0.81, 0.77)],
        )
        row |= {"reel_quantity": str(made.reel), "reel_prices": reel_prices}
    out_of_stock = 0.6 if lifecycle == "obsolete" else 0.25 if lifecycle == "eol" else 0.1
    if rng.random() < out_of_stock:
        stock = 0
    else:
        stock = _round_to(made.stock_scale * rng.lognormvariate(0, 1.1), multiple)
        if made.reel and stock > 4 * made.reel:
            stock = stock // made.reel * made.reel
    row["stock"] = str(stock)
    if lifecycle != "obsolete" and rng.random() < (0.55 if stock == 0 else 0.22):
        supplier, _ = rng.choice(DEMO_SUPPLIERS)
        row |= {
            "supplier": supplier,
            "supplier_quantity": str(
                _round_to(made.stock_scale * rng.lognormvariate(0.5, 1.0), multiple)
            ),
            "supplier_lead_days": str(rng.randint(3, 14)),
            "supplier_cost": f"{_money(float(cheapest) * rng.uniform(0.55, 0.8)):f}",
        }
    return row


@dataclass
class _Cursor:
    """A family's place in the schedule: stride scheduling keeps each family's share even
    over any prefix of the rows, so 300 parts already span every category."""

    passes: float
    order: int
    family: Family = field(compare=False)
    points: Iterator[tuple[tuple, Any]] = field(compare=False)

    def __lt__(self, other: _Cursor) -> bool:
        return (self.passes, self.order) < (other.passes, other.order)


def iter_demo_rows(parts: int, *, seed: int = 1) -> Iterator[dict[str, str]]:
    """``parts`` rows of the catalog import format, the same for the same seed.

    Every row has every column of :func:`demo_columns` (empty where it does not apply), so a
    ``csv.DictWriter`` can take them as they come. (manufacturer, normalized MPN) never repeats.
    """
    if parts < 0:
        raise ValueError("parts must be zero or more")
    if parts > demo_space():
        raise ValueError(f"the demo catalog holds at most {demo_space()} parts")
    rng = random.Random(seed)
    empty = dict.fromkeys(demo_columns(), "")
    heap = [
        _Cursor(rng.random() / family.weight, order, family,
                _points(family, rng.randrange(family.base_size)))
        for order, family in enumerate(FAMILIES)
    ]  # fmt: skip
    heapq.heapify(heap)
    made_count = 0
    while made_count < parts:
        if not heap:
            raise ValueError(f"the demo catalog ran out of parts after {made_count}")
        cursor = heap[0]
        for point, variant in cursor.points:
            made = cursor.family.build(point, variant)
            if made is not None:
                break
        else:
            heapq.heappop(heap)
            continue
        cursor.passes += 1 / cursor.family.weight
        heapq.heapreplace(heap, cursor)
        row = dict(empty)
        row |= {
            "manufacturer": cursor.family.manufacturer,
            "mpn": made.mpn,
            "category": cursor.family.category,
            "description": made.description,
            "package": made.package,
            "datasheet_url": made.datasheet,
        }
        row |= _commerce(made, rng)
        for key, value in made.params.items():
            row[f"param:{key}"] = value
        made_count += 1
        yield row


def write_demo_csv(path: Path, *, parts: int, seed: int = 1) -> Path:
    """Write the demo rows as a UTF-8 import file; the categories must exist to import it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = demo_columns()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        # Every row has every column: picked in C, several times quicker than a DictWriter.
        writer.writerows(map(itemgetter(*columns), iter_demo_rows(parts, seed=seed)))
    return path


def demo_categories() -> None:
    """Create or update the demo category tree and its parameter definitions."""
    for category in DEMO_CATEGORIES:
        category_ensure(
            path=category.path,
            name=category.name,
            description=category.description,
            parameters=category.parameters,
        )


def demo_manufacturers() -> None:
    """Create the demo manufacturers with their aliases, and the demo suppliers, so BOM lines
    saying "TI" or "ON Semiconductor" match; rows name manufacturers by their main name."""
    from django.utils.text import slugify

    from .models import Manufacturer, ManufacturerAlias, Supplier, normalize_name

    for maker in DEMO_MANUFACTURERS:
        manufacturer, _ = Manufacturer.objects.get_or_create(
            name=maker.name, defaults={"slug": slugify(maker.name), "website": maker.website}
        )
        for alias in maker.aliases:
            normalized = normalize_name(alias)
            if normalized and not ManufacturerAlias.objects.filter(normalized=normalized).exists():
                ManufacturerAlias(manufacturer=manufacturer, name=alias).save()
    for code, name in DEMO_SUPPLIERS:
        Supplier.objects.get_or_create(code=code, defaults={"name": name})


# --- warehouse ----------------------------------------------------------------------------------

# Top-level categories whose parts are handled as ESD-sensitive (semiconductors, RF, sensors).
ESD_SENSITIVE_PATHS = ("ics", "discretes/transistors", "rf", "sensors", "optoelectronics")
# One aisle per top-level category, in the tree's order.
_AISLES = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def demo_warehouse() -> tuple[int, int]:
    """Give every part in own stock a bin (aisle per top-level category, then rack and
    shelf from the part id) and mark the ESD-sensitive ones. Returns (bins, ESD parts)."""
    from django.db.models import CharField, F, Q, Value
    from django.db.models.functions import Cast, Concat, LPad

    from .models import Category, Part, Stock

    def text(expression):
        return Cast(expression, output_field=CharField())

    tops = [c.path for c in DEMO_CATEGORIES if "/" not in c.path]
    binned = 0
    for number, top in enumerate(tops):
        aisle = _AISLES[number % len(_AISLES)]
        categories = Category.objects.filter(Q(path=top) | Q(path__startswith=f"{top}/"))
        # "{aisle}-{part_id % 40 + 1:02d}-{part_id // 40 % 5 + 1}", in one UPDATE per aisle.
        binned += Stock.objects.filter(part__category__in=categories, bin_location="").update(
            bin_location=Concat(
                Value(f"{aisle}-"),
                LPad(text(F("part_id") % 40 + 1), 2, Value("0")),
                Value("-"),
                text(F("part_id") / 40 % 5 + 1),
                output_field=CharField(),
            )
        )
    sensitive = Q()
    for path in ESD_SENSITIVE_PATHS:
        sensitive |= Q(category__path=path) | Q(category__path__startswith=f"{path}/")
    esd = Part.objects.filter(sensitive, esd_sensitive=False).update(esd_sensitive=True)
    return binned, esd
