"""Engineering value parsing: every spelling the import, filters and search box may meet."""

import pytest

from catalog.values import (
    MAX_TEXT_LENGTH,
    ParsedValue,
    ValueParseError,
    format_value,
    parse_value,
    split_value_tokens,
    try_parse_value,
)

# (text, si_value, unit, canonical text), parsed without a unit hint.
SPELLINGS = [
    # plain and prefixed numbers
    ("10000", 10000.0, "", "10k"),
    ("10k", 10000.0, "", "10k"),
    ("10K", 10000.0, "", "10k"),
    ("10 k", 10000.0, "", "10k"),
    ("1.5k", 1500.0, "", "1.5k"),
    ("0.1", 0.1, "", "100m"),
    ("1e3", 1000.0, "", "1k"),
    ("1E3", 1000.0, "", "1k"),
    ("2.5e+2", 250.0, "", "250"),
    ("1e-3", 0.001, "", "1m"),
    ("0", 0.0, "", "0"),
    ("-0", 0.0, "", "0"),
    ("+5", 5.0, "", "5"),
    ("  10k  ", 10000.0, "", "10k"),
    ("100n", 1e-7, "", "100n"),
    ("10m", 0.01, "", "10m"),
    ("10M", 1e7, "", "10M"),
    ("1meg", 1e6, "", "1M"),
    ("2.2MEG", 2.2e6, "", "2.2M"),
    ("1Meg", 1e6, "", "1M"),
    ("3G", 3e9, "", "3G"),
    ("1T", 1e12, "", "1T"),
    ("22p", 2.2e-11, "", "22p"),
    ("4.7u", 4.7e-6, "", "4.7µ"),
    ("4.7\u00b5", 4.7e-6, "", "4.7µ"),
    ("4.7\u03bc", 4.7e-6, "", "4.7µ"),
    # resistance
    ("10kΩ", 10000.0, "Ω", "10kΩ"),
    ("10 kΩ", 10000.0, "Ω", "10kΩ"),
    ("10k\u2126", 10000.0, "Ω", "10kΩ"),
    ("10kohm", 10000.0, "Ω", "10kΩ"),
    ("10 kOhms", 10000.0, "Ω", "10kΩ"),
    ("10KOHM", 10000.0, "Ω", "10kΩ"),
    ("10k ohm", 10000.0, "Ω", "10kΩ"),
    ("10 k ohms", 10000.0, "Ω", "10kΩ"),
    ("470Ω", 470.0, "Ω", "470Ω"),
    ("470 ohm", 470.0, "Ω", "470Ω"),
    ("2.2MΩ", 2.2e6, "Ω", "2.2MΩ"),
    ("1 Megohm", 1e6, "Ω", "1MΩ"),
    ("100mΩ", 0.1, "Ω", "100mΩ"),
    ("49.9Ω", 49.9, "Ω", "49.9Ω"),
    ("0Ω", 0.0, "Ω", "0Ω"),
    # RKM, letter as decimal point
    ("4R7", 4.7, "Ω", "4.7Ω"),
    ("4r7", 4.7, "Ω", "4.7Ω"),
    ("0R", 0.0, "Ω", "0Ω"),
    ("0R0", 0.0, "Ω", "0Ω"),
    ("10R", 10.0, "Ω", "10Ω"),
    ("R10", 0.1, "Ω", "100mΩ"),
    ("R047", 0.047, "Ω", "47mΩ"),
    ("49R9", 49.9, "Ω", "49.9Ω"),
    ("2M2", 2.2e6, "", "2.2M"),
    ("1k5", 1500.0, "", "1.5k"),
    ("4K7", 4700.0, "", "4.7k"),
    ("4k99", 4990.0, "", "4.99k"),
    ("10k0", 10000.0, "", "10k"),
    ("4k7Ω", 4700.0, "Ω", "4.7kΩ"),
    ("4k7 ohm", 4700.0, "Ω", "4.7kΩ"),
    ("4u7", 4.7e-6, "", "4.7µ"),
    ("4µ7F", 4.7e-6, "F", "4.7µF"),
    ("4n7F", 4.7e-9, "F", "4.7nF"),
    ("4n7 F", 4.7e-9, "F", "4.7nF"),
    ("2p2", 2.2e-12, "", "2.2p"),
    ("1m5", 1.5e-3, "", "1.5m"),
    ("3V3", 3.3, "V", "3.3V"),
    ("1V8", 1.8, "V", "1.8V"),
    # capacitance
    ("100nF", 1e-7, "F", "100nF"),
    ("100 nF", 1e-7, "F", "100nF"),
    ("100\u00a0nF", 1e-7, "F", "100nF"),
    ("100\u202fnF", 1e-7, "F", "100nF"),
    ("0.1uF", 1e-7, "F", "100nF"),
    ("0.1µF", 1e-7, "F", "100nF"),
    ("0.1μF", 1e-7, "F", "100nF"),
    (".1uF", 1e-7, "F", "100nF"),
    ("4.7uF", 4.7e-6, "F", "4.7µF"),
    ("10pF", 1e-11, "F", "10pF"),
    ("1F", 1.0, "F", "1F"),
    ("1E-6F", 1e-6, "F", "1µF"),
    ("100nf", 1e-7, "F", "100nF"),
    ("2200uF", 2.2e-3, "F", "2.2mF"),
    ("0.5pF", 5e-13, "F", "0.5pF"),
    # inductance
    ("10uH", 1e-5, "H", "10µH"),
    ("4.7 µH", 4.7e-6, "H", "4.7µH"),
    ("1mH", 1e-3, "H", "1mH"),
    ("33nH", 3.3e-8, "H", "33nH"),
    ("10uh", 1e-5, "H", "10µH"),
    # voltage, current, power
    ("50V", 50.0, "V", "50V"),
    ("3.3V", 3.3, "V", "3.3V"),
    ("3.3 V", 3.3, "V", "3.3V"),
    ("50v", 50.0, "V", "50V"),
    ("-5V", -5.0, "V", "-5V"),
    ("+12V", 12.0, "V", "12V"),
    ("\u22125V", -5.0, "V", "-5V"),
    ("1kV", 1000.0, "V", "1kV"),
    ("500mA", 0.5, "A", "500mA"),
    ("2A", 2.0, "A", "2A"),
    ("20µA", 2e-5, "A", "20µA"),
    ("0.25W", 0.25, "W", "250mW"),
    ("1/4W", 0.25, "W", "250mW"),
    ("1/8 W", 0.125, "W", "125mW"),
    ("1/10W", 0.1, "W", "100mW"),
    ("100mW", 0.1, "W", "100mW"),
    ("2W", 2.0, "W", "2W"),
    # frequency
    ("72MHz", 7.2e7, "Hz", "72MHz"),
    ("32.768kHz", 32768.0, "Hz", "32.768kHz"),
    ("8 MHz", 8e6, "Hz", "8MHz"),
    ("2.4GHz", 2.4e9, "Hz", "2.4GHz"),
    ("50Hz", 50.0, "Hz", "50Hz"),
    ("16MHZ", 1.6e7, "Hz", "16MHz"),
    ("11.0592MHz", 11059200.0, "Hz", "11.0592MHz"),
    # percent and tolerance
    ("±1%", 1.0, "%", "1%"),
    ("+/-1%", 1.0, "%", "1%"),
    ("+/- 1%", 1.0, "%", "1%"),
    ("1%", 1.0, "%", "1%"),
    ("± 5 %", 5.0, "%", "5%"),
    ("0.1%", 0.1, "%", "0.1%"),
    ("+-10%", 10.0, "%", "10%"),
    ("±20 %", 20.0, "%", "20%"),
    ("0.05%", 0.05, "%", "0.05%"),
    ("-20%", -20.0, "%", "-20%"),
    ("100%", 100.0, "%", "100%"),
    # temperature
    ("-40°C", -40.0, "°C", "-40°C"),
    ("125°C", 125.0, "°C", "125°C"),
    ("-55 °C", -55.0, "°C", "-55°C"),
    ("85\u2103", 85.0, "°C", "85°C"),
    ("±0.5°C", 0.5, "°C", "0.5°C"),
    # time and memory
    ("10ms", 0.01, "s", "10ms"),
    ("100ns", 1e-7, "s", "100ns"),
    ("1s", 1.0, "s", "1s"),
    ("64kB", 64000.0, "B", "64kB"),
]


@pytest.mark.parametrize(("text", "si_value", "unit", "display"), SPELLINGS)
def test_parse_value_reads_spelling(text: str, si_value: float, unit: str, display: str) -> None:
    parsed = parse_value(text)

    assert parsed == ParsedValue(si_value=si_value, unit=unit, text=display)


# (text, unit hint, si_value, canonical text): the hint supplies or checks the unit.
HINTED = [
    ("10k", "Ω", 10000.0, "10kΩ"),
    ("10000", "Ω", 10000.0, "10kΩ"),
    ("10kΩ", "Ω", 10000.0, "10kΩ"),
    ("10 kohm", "Ω", 10000.0, "10kΩ"),
    ("4R7", "Ω", 4.7, "4.7Ω"),
    ("100n", "F", 1e-7, "100nF"),
    ("4u7", "F", 4.7e-6, "4.7µF"),
    ("4u7", "H", 4.7e-6, "4.7µH"),
    ("0.1", "F", 0.1, "100mF"),
    ("50", "V", 50.0, "50V"),
    ("3V3", "V", 3.3, "3.3V"),
    ("1/4", "W", 0.25, "250mW"),
    ("1", "%", 1.0, "1%"),
    ("±1", "%", 1.0, "1%"),
    ("±5%", "%", 5.0, "5%"),
    ("85C", "°C", 85.0, "85°C"),
    ("-40", "°C", -40.0, "-40°C"),
    ("125 °C", "°C", 125.0, "125°C"),
    ("8M", "Hz", 8e6, "8MHz"),
    ("8", "", 8.0, "8"),
    ("10k", "", 10000.0, "10k"),
    ("10k", "ohm", 10000.0, "10kΩ"),
    ("1.6mm", "mm", 1.6, "1.6mm"),
    ("1.6", "mm", 1.6, "1.6mm"),
    ("25ppm/°C", "ppm/°C", 25.0, "25ppm/°C"),
    ("1500 mm", "mm", 1500.0, "1500mm"),
]


@pytest.mark.parametrize(("text", "unit", "si_value", "display"), HINTED)
def test_parse_value_with_unit_hint(text: str, unit: str, si_value: float, display: str) -> None:
    parsed = parse_value(text, unit=unit)

    assert parsed.si_value == si_value
    assert parsed.text == display


def test_hint_is_the_unit_of_a_bare_value() -> None:
    assert parse_value("10k", unit="Ω").unit == "Ω"
    assert parse_value("100n", unit="F").si_value == 1e-7
    assert parse_value("85C", unit="°C").unit == "°C"


# (text, unit hint, fragment of the message)
REJECTED = [
    ("", None, "empty"),
    ("   ", None, "empty"),
    ("\t\n", None, "empty"),
    ("abc", None, "not an engineering value"),
    ("10x", None, "not an engineering value"),
    ("4.7x", None, "'4.7x' is not an engineering value"),
    ("k", None, "not an engineering value"),
    ("Ω", None, "not an engineering value"),
    ("%", None, "not an engineering value"),
    ("1..2", None, "not an engineering value"),
    ("1.2.3", None, "not an engineering value"),
    ("10.", None, "not an engineering value"),
    ("10kk", None, "not an engineering value"),
    ("10 k k", None, "not an engineering value"),
    ("4k7k", None, "not an engineering value"),
    ("--5", None, "not an engineering value"),
    ("+-", None, "not an engineering value"),
    ("±-5%", None, "not an engineering value"),
    ("4R7R", None, "not an engineering value"),
    ("R", None, "not an engineering value"),
    ("4R7Ω", None, "not an engineering value"),
    ("4 R7", None, "not an engineering value"),
    ("1n4148", None, "not an engineering value"),
    ("1/0W", None, "divides by zero"),
    ("1/4.5W", None, "not an engineering value"),
    ("nan", None, "not an engineering value"),
    ("NaN", None, "not an engineering value"),
    ("inf", None, "not an engineering value"),
    ("-Infinity", None, "not an engineering value"),
    ("1e999", None, "out of range"),
    ("1e-999", None, "out of range"),
    ("1e" + "9" * 40, None, "out of range"),
    ("1e30", None, "out of range"),
    ("1e", None, "not an engineering value"),
    ("1_000", None, "not an engineering value"),
    ("0x10", None, "not an engineering value"),
    ("1,000", None, "thousands separators"),
    ("4,7uF", None, "decimal commas"),
    ("1 000", None, "not an engineering value"),
    ("\u0661\u0660k", None, "not an engineering value"),
    ("\U0001f525", None, "not an engineering value"),
    ("10\U0001f525", None, "not an engineering value"),
    ("10Ω; DROP TABLE", None, "not an engineering value"),
    ("10k\x00", None, "not an engineering value"),
    ("10\u200bk", None, "not an engineering value"),
    ("1" * 10240, None, "too long"),
    ("85C", None, "write °C"),
    ("1k%", None, "takes no SI prefix"),
    ("1m°C", None, "takes no SI prefix"),
    ("10mS", None, "not an engineering value"),
    ("5mm", None, "not an engineering value"),
    ("10V", "Ω", "has unit V, expected Ω"),
    ("4R7", "F", "has unit Ω, expected F"),
    ("3V3", "Ω", "has unit V, expected Ω"),
    ("1%", "Ω", "has unit %, expected Ω"),
    ("10kΩ", "", "expected no unit"),
    ("10k", "%", "takes no SI prefix"),
    ("85K", "°C", "takes no SI prefix"),
    ("2km", "m", "takes no SI prefix"),
    ("5cm", "mm", "not an engineering value"),
]


@pytest.mark.parametrize(("text", "unit", "message"), REJECTED)
def test_parse_value_rejects(text: str, unit: str | None, message: str) -> None:
    with pytest.raises(ValueParseError) as excinfo:
        parse_value(text, unit=unit)

    assert message in str(excinfo.value)
    assert try_parse_value(text, unit=unit) is None


def test_error_is_a_value_error_quoting_the_text() -> None:
    with pytest.raises(ValueError, match=r"^'4\.7x' is not an engineering value$"):
        parse_value("4.7x")


def test_error_message_for_long_text_stays_short() -> None:
    with pytest.raises(ValueParseError) as excinfo:
        parse_value("1" * 10240)

    assert len(str(excinfo.value)) < 200
    assert f"at most {MAX_TEXT_LENGTH}" in str(excinfo.value)


def test_non_text_is_a_type_error_not_a_parse_error() -> None:
    with pytest.raises(TypeError):
        parse_value(10000)  # type: ignore[arg-type]


def test_negative_zero_is_stored_as_zero() -> None:
    assert repr(parse_value("-0V").si_value) == "0.0"
    assert repr(parse_value("-0R").si_value) == "0.0"


def test_try_parse_value_returns_the_value() -> None:
    assert try_parse_value("10k", unit="Ω") == ParsedValue(10000.0, "Ω", "10kΩ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.7uF", float("4.7e-06")),
        ("0.1uF", float("1e-07")),
        ("100nF", float("1e-07")),
        ("100000pF", float("1e-07")),
        ("0.0001mF", float("1e-07")),
        ("1e-7F", float("1e-07")),
        ("2.2nF", float("2.2e-09")),
        ("3.3V", float("3.3")),
        ("0.3", float("0.3")),
        ("4.7 µH", float("4.7e-06")),
        ("33pF", float("3.3e-11")),
        ("1/3W", 1 / 3),
    ],
)
def test_si_value_is_the_correctly_rounded_float(text: str, expected: float) -> None:
    assert parse_value(text).si_value == expected


def test_equal_values_written_differently_are_equal() -> None:
    assert parse_value("0.1uF").si_value == parse_value("100nF").si_value
    assert parse_value("4k7").si_value == parse_value("4.7k").si_value == 4700.0
    assert parse_value("10k", unit="Ω") == parse_value("10000 ohms")


@pytest.mark.parametrize(
    ("si_value", "unit", "expected"),
    [
        (10000, "Ω", "10kΩ"),
        (1e-7, "F", "100nF"),
        (4.7e-6, "F", "4.7µF"),
        (0.25, "W", "250mW"),
        (3.3, "V", "3.3V"),
        (0, "Ω", "0Ω"),
        (-0.0, "V", "0V"),
        (1.0, "%", "1%"),
        (0.1, "%", "0.1%"),
        (1500.0, "%", "1500%"),
        (-40.0, "°C", "-40°C"),
        (2.2e6, "Ω", "2.2MΩ"),
        (72e6, "Hz", "72MHz"),
        (0.1, "Ω", "100mΩ"),
        (1.0, "Ω", "1Ω"),
        (999.0, "Ω", "999Ω"),
        (1000.0, "Ω", "1kΩ"),
        (32768.0, "Hz", "32.768kHz"),
        (4990.0, "Ω", "4.99kΩ"),
        (0.1 * 3, "V", "300mV"),
        (1e-7 * 1.0000000000000002, "F", "100nF"),
        (2.2e-12, "F", "2.2pF"),
        (5e-13, "F", "0.5pF"),
        (1e15, "Ω", "1000TΩ"),
        (1500.0, "", "1.5k"),
        (-5.0, "V", "-5V"),
        (1.6, "mm", "1.6mm"),
        (2000.0, "mm", "2000mm"),
    ],
)
def test_format_value(si_value: float, unit: str, expected: str) -> None:
    assert format_value(si_value, unit) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_format_value_refuses_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        format_value(bad, "Ω")


@pytest.mark.parametrize(
    ("si_value", "unit"),
    [
        (4.7e-6, "F"),
        (1e-7, "F"),
        (2.2e-12, "F"),
        (32768.0, "Hz"),
        (11059200.0, "Hz"),
        (0.25, "W"),
        (49.9, "Ω"),
        (1.0 / 3.0, "W"),
        (-40.0, "°C"),
        (0.05, "%"),
        (1.6, "mm"),
    ],
)
def test_formatted_text_parses_back(si_value: float, unit: str) -> None:
    parsed = parse_value(format_value(si_value, unit), unit=unit)

    assert parsed.unit == unit
    assert parsed.si_value == pytest.approx(si_value, rel=1e-12)


@pytest.mark.parametrize(
    ("query", "values", "rest"),
    [
        ("100nF 50V X7R 0402", ["100nF", "50V"], ["X7R", "0402"]),
        ("10k 0603 1%", ["10k", "1%"], ["0603"]),
        ("4R7 1206", ["4.7Ω"], ["1206"]),
        ("LDO 3.3V SOT-23", ["3.3V"], ["LDO", "SOT-23"]),
        ("STM32F103C8T6", [], ["STM32F103C8T6"]),
        ("1N4148 1n4148 2N7002 74HC595", [], ["1N4148", "1n4148", "2N7002", "74HC595"]),
        ("100 nF 50 V", ["100nF", "50V"], []),
        ("10 k ohm 0805", ["10kΩ"], ["0805"]),
        ("+/- 1% 0402", ["1%"], ["0402"]),
        ("100nF,50V;X7R", ["100nF", "50V"], ["X7R"]),
        ("0.1 3.3 1e3 5mm M3", [], ["0.1", "3.3", "1e3", "5mm", "M3"]),
        ("crystal 32.768kHz 12.5pF", ["32.768kHz", "12.5pF"], ["crystal"]),
        ("1/4W 4k7 resistor", ["250mW", "4.7k"], ["resistor"]),
        ("-40°C 125°C", ["-40°C", "125°C"], []),
        ("", [], []),
        ("   ", [], []),
    ],
)
def test_split_value_tokens(query: str, values: list[str], rest: list[str]) -> None:
    found, remaining = split_value_tokens(query)

    assert [value.text for value in found] == values
    assert remaining == rest


def test_split_value_tokens_returns_parsed_values() -> None:
    found, _ = split_value_tokens("100nF 50V")

    assert found == [ParsedValue(1e-7, "F", "100nF"), ParsedValue(50.0, "V", "50V")]


def test_split_value_tokens_survives_huge_words() -> None:
    found, remaining = split_value_tokens("1" * 10240 + " 10k")

    assert [value.text for value in found] == ["10k"]
    assert remaining == ["1" * 10240]
