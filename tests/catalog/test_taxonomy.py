"""Category tree and parameter definitions ensured by path, safe to run again."""

import pytest

from catalog.models import Category, ParameterDefinition, ParameterKind
from catalog.taxonomy import ParameterSpec, category_ensure

pytestmark = pytest.mark.django_db

RESISTOR_PARAMETERS = [
    ParameterSpec("resistance", "Resistance", "Ω", ParameterKind.NUMBER, is_key=True),
    ParameterSpec("tolerance", "Tolerance", "%", ParameterKind.NUMBER, is_key=True),
    ParameterSpec("composition", "Composition", kind=ParameterKind.CHOICE),
]


def test_creates_missing_parents_down_to_the_leaf():
    leaf = category_ensure(path="passives/resistors/chip-resistors", name="Chip resistors")

    assert [(c.path, c.depth) for c in Category.objects.order_by("depth")] == [
        ("passives", 0),
        ("passives/resistors", 1),
        ("passives/resistors/chip-resistors", 2),
    ]
    assert leaf.name == "Chip resistors"
    assert leaf.parent.name == "Resistors"


def test_running_twice_changes_nothing_and_returns_the_same_category():
    first = category_ensure(
        path="passives/resistors/chip-resistors", name="Chip resistors",
        parameters=RESISTOR_PARAMETERS,
    )  # fmt: skip
    second = category_ensure(
        path="passives/resistors/chip-resistors", name="Chip resistors",
        parameters=RESISTOR_PARAMETERS,
    )  # fmt: skip

    assert first.pk == second.pk
    assert Category.objects.count() == 3
    assert ParameterDefinition.objects.count() == len(RESISTOR_PARAMETERS)


def test_existing_parent_keeps_its_name():
    category_ensure(path="passives", name="Passive components")

    category_ensure(path="passives/resistors", name="Resistors")

    assert Category.objects.get(path="passives").name == "Passive components"


def test_updates_name_and_description_of_the_leaf():
    category_ensure(path="ics/microcontrollers", name="MCUs")

    category = category_ensure(
        path="ics/microcontrollers", name="Microcontrollers", description="8- and 32-bit MCUs."
    )

    category.refresh_from_db()
    assert (category.name, category.description) == ("Microcontrollers", "8- and 32-bit MCUs.")


def test_parameter_definitions_follow_the_specs_in_order():
    category = category_ensure(
        path="passives/resistors/chip-resistors", name="Chip resistors",
        parameters=RESISTOR_PARAMETERS,
    )  # fmt: skip

    definitions = list(
        category.parameters.order_by("position").values_list(
            "key", "name", "unit", "kind", "position", "is_key"
        )
    )
    assert definitions == [
        ("resistance", "Resistance", "Ω", "number", 0, True),
        ("tolerance", "Tolerance", "%", "number", 1, True),
        ("composition", "Composition", "", "choice", 2, False),
    ]


def test_a_changed_parameter_is_updated_in_place():
    category = category_ensure(path="ics/microcontrollers", name="Microcontrollers",
                               parameters=[ParameterSpec("flash", "Flash", "B")])  # fmt: skip
    original = category.parameters.get()

    category_ensure(
        path="ics/microcontrollers", name="Microcontrollers",
        parameters=[ParameterSpec("flash", "Flash memory", "B", is_key=True)],
    )  # fmt: skip

    updated = ParameterDefinition.objects.get()
    assert updated.pk == original.pk
    assert (updated.name, updated.is_key) == ("Flash memory", True)


@pytest.mark.parametrize("path", ["", "passives//resistors", "Passives/Resistors", "a b"])
def test_rejects_a_path_that_is_not_slugs(path):
    with pytest.raises(ValueError):
        category_ensure(path=path, name="Anything")
