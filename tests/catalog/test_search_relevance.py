"""Relevance: queries as engineers type them, against the real demo catalog (3,000 parts, seed 1).

Each case names the part it should find, by MPN or by what it is ("a 10 kΩ 1 % 0603
resistor"), and passes when such a part is in the top 3 results; a query that goes straight to
a part page counts as rank 1. The expected parts were picked by reading what the demo
generator makes for seed 1, so they exist. The hit rate over all cases is printed at the end of
the run (tests/catalog/conftest.py).
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from catalog.models import Part

pytestmark = pytest.mark.django_db

TOP = 3
# query -> hit (True/False); read by the terminal summary in conftest.py.
RESULTS: dict[str, bool] = {}


@pytest.fixture(scope="module", autouse=True)
def demo_catalog(django_db_setup, django_db_blocker):
    """The demo catalog, loaded (and committed) once for the module, emptied after it.

    Not inside a rolled-back transaction: on PostgreSQL the import's per-batch constraint
    checks then pile up in one transaction and take minutes instead of seconds."""
    with django_db_blocker.unblock():
        call_command("load_demo_catalog", parts=3000, seed=1, stdout=io.StringIO())
        try:
            yield
        finally:
            _empty_catalog()


def _empty_catalog() -> None:
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("catalog").get_models(include_auto_created=True)
    ]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


@dataclass(frozen=True)
class Expect:
    """What a query should find: ``mpn``, or a part for which ``check`` holds."""

    label: str
    mpn: str = ""
    check: Callable[[Part], bool] | None = None

    def matches(self, part: Part) -> bool:
        if self.mpn:
            return part.mpn == self.mpn
        assert self.check is not None
        return self.check(part)


def mpn(value: str) -> Expect:
    return Expect(label=value, mpn=value)


def described(label: str, *patterns: str, maker: str = "", package: str = "") -> Expect:
    """A part whose description matches every regex (and maker / package, if given)."""

    def check(part: Part) -> bool:
        return (
            all(re.search(p, part.description, re.IGNORECASE) for p in patterns)
            and (not maker or part.manufacturer.name == maker)
            and (not package or part.package == package)
        )

    return Expect(label=label, check=check)


def mpn_like(label: str, pattern: str) -> Expect:
    return Expect(
        label=label, check=lambda part: re.search(pattern, part.normalized_mpn) is not None
    )


def in_category(label: str, path: str, *, maker: str = "", package: str = "", pattern=""):
    """A part of the category at ``path`` or below it (and maker / package / description)."""

    def check(part: Part) -> bool:
        return (
            (part.category.path == path or part.category.path.startswith(path + "/"))
            and (not maker or part.manufacturer.name == maker)
            and (not package or part.package == package)
            and (not pattern or re.search(pattern, part.description) is not None)
        )

    return Expect(label=label, check=check)


RES_10K_1_0603 = described("a 10 kΩ 1 % 0603 resistor", r"^10 kΩ ±1% ", r"\b0603\b", r"resistor")
TYPO = "typo"  # PostgreSQL only: trigram "did you mean"

CASES: list[tuple[str, Expect] | tuple[str, Expect, str]] = [
    # Exact part numbers in any spelling: straight to the part.
    ("STM32F103C8T6", mpn("STM32F103C8T6")),
    ("stm32f103c8t6", mpn("STM32F103C8T6")),
    ("RC0603FR-0710KL", mpn("RC0603FR-0710KL")),
    ("rc0603fr0710kl", mpn("RC0603FR-0710KL")),
    ("RC0603FR 0710KL", mpn("RC0603FR-0710KL")),
    ("rc0603fr.0710kl", mpn("RC0603FR-0710KL")),
    ("GRM188R71H104KA93D", mpn("GRM188R71H104KA93D")),
    ("grm188r71h104ka93d", mpn("GRM188R71H104KA93D")),
    ("CL10B104KB8NNNC", mpn("CL10B104KB8NNNC")),
    ("ERJ3EKF1002V", mpn("ERJ-3EKF1002V")),
    ("ERJ 3EKF 1002V", mpn("ERJ-3EKF1002V")),
    ("ap2112k-33trg1", mpn("AP2112K-3.3TRG1")),
    ("BC80740LT1G", mpn("BC807-40LT1G")),
    ("BC807-40.215", mpn("BC807-40,215")),
    ("LM1117MPX33NOPB", mpn("LM1117MPX-3.3/NOPB")),
    ("mcp1700t1202ett", mpn("MCP1700T-1202E/TT")),
    ("B2BXHALFSN", mpn("B2B-XH-A(LF)(SN)")),
    ("esp32s3wroom1n8r2", mpn("ESP32-S3-WROOM-1-N8R2")),
    ("esp32-s3", mpn("ESP32-S3")),
    ("atmega328pau", mpn("ATMEGA328P-AU")),
    # Distributor and packaging suffixes.
    ("RC0603FR-0710KL-ND", mpn("RC0603FR-0710KL")),
    ("RC0603FR-0710KLCT-ND", mpn("RC0603FR-0710KL")),
    ("ERJ-3EKF1002VCT-ND", mpn("ERJ-3EKF1002V")),
    ("TLV75533PDBVR/TR", mpn("TLV75533PDBVR")),
    ("TLV75533PDBVR#PBF", mpn("TLV75533PDBVR")),
    ("GRM188R71H104KA93D-ND", mpn("GRM188R71H104KA93D")),
    ("MBRA160T3G-TR", mpn("MBRA160T3G")),
    ("ldl1117s33tr-nd", mpn("LDL1117S33TR")),
    # Partial numbers: starts-with before contains, shorter first.
    ("F103C8", mpn_like("an xx32F103C8 microcontroller", r"^(STM|GD)32F103C8T")),
    ("STM32F103C8", mpn("STM32F103C8T6")),
    ("RC0603FR-0710K", mpn("RC0603FR-0710KL")),
    ("0710KL", mpn_like("a YAGEO RC 10 kΩ resistor", r"^RC\d{4}[FJ]R0710KL$")),
    ("LSM6DSO", mpn("LSM6DSOTR")),
    ("1117S33", mpn("LD1117S33TR")),
    ("GRM188R71H104", mpn("GRM188R71H104KA93D")),
    ("AP2112", mpn_like("an AP2112 LDO", r"^AP2112")),
    ("c1608x7r1h104", mpn("C1608X7R1H104K080AA")),
    ("TLV755", mpn_like("a TLV755 LDO", r"^TLV755")),
    # One and two typos (PostgreSQL trigram similarity).
    ("STM32F130C8T6", mpn("STM32F103C8T6"), TYPO),
    ("STM32F13C8T6", mpn("STM32F103C8T6"), TYPO),
    ("GRM188R61H39KA93D", mpn("GRM188R61H394KA93D"), TYPO),
    ("GRM188R71H104KA39D", mpn("GRM188R71H104KA93D"), TYPO),
    ("ATMEGA382P-AU", mpn("ATMEGA328P-AU"), TYPO),
    ("LSM6DS0TR", mpn("LSM6DSOTR"), TYPO),
    ("ATNEGA328P-AY", mpn("ATMEGA328P-AU"), TYPO),
    ("TLV75533PBDVRR", mpn("TLV75533PDBVR"), TYPO),
    # Values, with units, SI prefixes in any case, RKM codes.
    ("10k 0603 1%", RES_10K_1_0603),
    ("10k 1% 0603", RES_10K_1_0603),
    ("10K 0603 1%", RES_10K_1_0603),
    ("10k 0402", described("a 10 kΩ 0402 resistor", r"^10 kΩ ", r"\b0402\b", r"resistor")),
    ("4k7 0603", described("a 4.7 kΩ 0603 resistor", r"^4\.7 kΩ ", r"\b0603\b")),
    ("0R 0603", described("a 0 Ω 0603 jumper", r"^0 Ω jumper", r"\b0603\b")),
    ("100nF 50V X7R 0603", described("100 nF 50 V X7R 0603", r"^100 nF .*50 V X7R 0603")),
    ("100nF X7R 0402", described("100 nF X7R 0402", r"^100 nF .*X7R 0402")),
    ("0.1uF 0603", described("a 100 nF 0603 capacitor", r"^100 nF .*0603")),
    ("100NF 0402", described("a 100 nF 0402 capacitor", r"^100 nF .*0402")),
    ("4.7uF 0805", described("a 4.7 µF 0805 capacitor", r"^4\.7 µF .*0805")),
    ("4.7UF 0805", described("a 4.7 µF 0805 capacitor", r"^4\.7 µF .*0805")),
    ("10UF 0805", described("a 10 µF 0805 capacitor", r"^10 µF .*0805")),
    ("10uF", described("a 10 µF capacitor", r"^10 µF ")),
    ("470uF 6.3V", described("a 470 µF 6.3 V electrolytic", r"^470 µF .*6\.3 V")),
    ("100uH inductor", described("a 100 µH inductor", r"^100 µH .*inductor")),
    ("16MHz crystal", described("a 16 MHz crystal", r"^16 MHz crystal")),
    ("zener 5.1V", described("a 5.1 V Zener", r"^5\.1 V .*Zener")),
    (
        "LDO 3.3V SOT-23",
        described("a 3.3 V LDO in SOT-23", r"^LDO regulator 3\.3 V", package="SOT-23"),
    ),
    (
        "LDO 3.3V SOT-23-5",
        described("a 3.3 V LDO in SOT-23-5", r"^LDO regulator 3\.3 V", package="SOT-23-5"),
    ),
    ("3.3V LDO", described("a 3.3 V LDO", r"^LDO regulator 3\.3 V")),
    # Manufacturers by name or alias.
    ("TI LDO", described("a TI LDO", r"^LDO regulator", maker="Texas Instruments")),
    ("ST F103", mpn_like("an STM32F103", r"^STM32F103")),
    ("Murata 100nF 0603", described("a Murata 100 nF 0603", r"^100 nF .*0603", maker="Murata")),
    ("samsung 10uF", described("a Samsung 10 µF", r"^10 µF ", maker="Samsung Electro-Mechanics")),
    ("yageo 10k 0402", described("a YAGEO 10 kΩ 0402", r"^10 kΩ .*0402", maker="YAGEO")),
    ("ON Semi schottky", described("an onsemi Schottky", r"Schottky", maker="onsemi")),
    # Keywords.
    ("schottky diode SMA", described("a Schottky diode in SMA", r"Schottky", package="SMA")),
    # Ratings are minimums, tolerances maximums: a 25 V part is not needed exactly.
    (
        "4.7uF 0805 25V X5R",
        described("a 4.7 µF X5R 0805 MLCC rated 25 V or more", r"^4\.7 µF .* (35|50) V X5R 0805"),
    ),
    ("10k 0603 2%", RES_10K_1_0603),
    ("USB type-c connector", described("a USB Type-C receptacle", r"USB Type-C")),
    ("N-channel MOSFET SOT-23", described("an N-channel SOT-23 MOSFET", r"^N-channel .*SOT-23$")),
    ("imu sensor", described("an IMU", r"imu sensor")),
    ("ferrite bead 0603", described("an 0603 ferrite bead", r"0603 chip ferrite bead")),
    ("Cortex-M3 MCU", described("a Cortex-M3 MCU", r"Cortex-M3 MCU")),
    ("buck converter", described("a buck converter", r"^Buck converter")),
    ("TVS diode SMB", described("a TVS diode in SMB", r"TVS diode, SMB$")),
    # Chinese: category words, makers' Chinese names, values with and without spaces.
    ("贴片电容 0805 10uF", described("a 10 µF 0805 capacitor", r"^10 µF .*0805")),
    ("贴片电阻10k 0603", described("a 10 kΩ 0603 resistor", r"^10 kΩ ", r"\b0603\b", r"resistor")),
    ("贴片电阻 10k 0402", described("a 10 kΩ 0402 resistor", r"^10 kΩ ", r"\b0402\b", r"resistor")),
    (
        "电容 25V",
        in_category(
            "a capacitor rated 25 V or more", "passives/capacitors",
            pattern=r"\b(25|35|50|63|100|160|200|250|400|450) V\b",
        ),
    ),
    ("村田 电容", in_category("a Murata capacitor", "passives/capacitors", maker="Murata")),
    (
        "村田电容 0603",
        in_category("a Murata 0603 capacitor", "passives", maker="Murata", package="0603"),
    ),
    ("风华 0603 100nF", described("a Fenghua 100 nF 0603", r"^100 nF .*0603", maker="Fenghua")),
    ("国巨 10k 0402", described("a YAGEO 10 kΩ 0402", r"^10 kΩ .*0402", maker="YAGEO")),
    ("德州仪器 LDO", described("a TI LDO", r"^LDO regulator", maker="Texas Instruments")),
    ("晶振 16MHz", described("a 16 MHz crystal", r"^16 MHz crystal")),
    ("磁珠 0603", described("an 0603 ferrite bead", r"0603 chip ferrite bead")),
    (
        "三极管 SOT-23",
        in_category("a BJT in SOT-23", "discretes/transistors/bjts", package="SOT-23"),
    ),
    ("单片机 F103", mpn_like("an xx32F103 microcontroller", r"^(STM|GD)32F103")),
]  # fmt: skip


def _case_id(case) -> str:
    return case[0]


def ranked_parts(client, query: str) -> list[Part]:
    """The parts a search shows, best first: the part it redirects to, else the result rows
    (or, with no results, the "did you mean" suggestions)."""
    response = client.get("/search/", {"q": query}, secure=True)
    if response.status_code == 302:
        path = response["Location"]
        maker_slug = path.split("/")[2]
        makers_parts = Part.objects.select_related("manufacturer").filter(
            manufacturer__slug=maker_slug
        )
        return [part for part in makers_parts if part.get_absolute_url() == path]
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'<a href="(/part/[^"]+/)">[^<]+</a>', html)
    by_url = {}
    for part in Part.objects.select_related("manufacturer").filter(
        mpn__in=re.findall(r'<a href="/part/[^"]+/">([^<]+)</a>', html)
    ):
        by_url[part.get_absolute_url()] = part
    return [by_url[url] for url in urls if url in by_url]


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_expected_part_is_in_the_top_three(client, case):
    query, expect, *_flags = case
    top = ranked_parts(client, query)[:TOP]
    hit = any(expect.matches(part) for part in top)
    RESULTS[query] = hit
    assert hit, f"{query!r}: expected {expect.label} in the top {TOP}, got {[p.mpn for p in top]}"


def test_there_are_at_least_sixty_queries():
    assert len(CASES) >= 60
