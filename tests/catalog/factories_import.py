"""Factories and helpers for the catalog import tests: CSV files in, reject reports out."""

import csv
from pathlib import Path

import factory
import pytest
from factory.django import DjangoModelFactory

from catalog import models
from catalog.spreadsheets import unquote_cell
from tests.factories import CategoryFactory, ParameterDefinitionFactory


class ManufacturerAliasFactory(DjangoModelFactory):
    class Meta:
        model = models.ManufacturerAlias

    manufacturer = factory.SubFactory("tests.factories.ManufacturerFactory")
    name = factory.Sequence(lambda n: f"Alias {n}")


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = models.Supplier
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"supplier-{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())


def part_row(**overrides) -> dict:
    """A good catalog row for a 10 kΩ 0603 resistor of the "resistors" category."""
    row = {
        "manufacturer": "YAGEO",
        "mpn": "RC0603FR-0710KL",
        "category": "resistors",
        "description": "10 kΩ ±1% 0.1W 0603 thick film resistor",
        "package": "0603",
        "datasheet_url": "https://example.com/rc0603.pdf",
        "lifecycle": "active",
        "rohs": "yes",
        "msl": "1",
        "packaging": "Tape & Reel",
        "moq": "10",
        "order_multiple": "10",
        "stock": "42000",
        "prices": "1:0.0120|100:0.0061|1000:0.0042",
        "supplier": "hk-stock",
        "supplier_quantity": "250000",
        "supplier_lead_days": "5",
        "supplier_cost": "0.0015",
        "param:resistance": "10k",
        "param:tolerance": "1%",
        "param:composition": "Thick film",
    }
    row.update(overrides)
    return row


def resistor_category() -> models.Category:
    """A category "resistors" with a numeric resistance and tolerance and a text composition."""
    category = CategoryFactory(name="Resistors", slug="resistors")
    ParameterDefinitionFactory(category=category, key="resistance", name="Resistance", unit="Ω")
    ParameterDefinitionFactory(category=category, key="tolerance", name="Tolerance", unit="%")
    ParameterDefinitionFactory(
        category=category,
        key="composition",
        name="Composition",
        unit="",
        kind=models.ParameterKind.TEXT,
    )
    return category


def write_csv(
    directory: Path, rows: list[dict], *, columns: list[str] | None = None, name: str = "parts.csv"
) -> Path:
    """A CSV file with ``columns`` (default: the keys of the rows, in order) as its header."""
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    path = directory / name
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_report(path: Path | None) -> list[dict]:
    assert path is not None, "no report was written"
    with open(path, encoding="utf-8", newline="") as file:
        # Read as a spreadsheet shows it: the quote safe_cell puts before a formula is not shown.
        return [
            {key: unquote_cell(value) for key, value in line.items()}
            for line in csv.DictReader(file)
        ]


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process, also when REDIS_URL names a broker (make test)."""
    from shop.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
