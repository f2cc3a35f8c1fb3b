"""Category tree and parameter definitions: ensured by path, so seeds and imports can re-run.

The catalog import only accepts rows for categories that exist, and a part's parameters only
for keys its category defines; these services put both in place idempotently, creating the
missing parents of a path on the way, so loading the same taxonomy twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from .models import Category, ParameterDefinition, ParameterKind, ValueMatch

__all__ = ["ParameterSpec", "category_ensure", "name_from_slug"]


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """A parameter a category's parts carry; ``position`` defaults to its place in the list."""

    key: str
    name: str
    unit: str = ""
    kind: str = ParameterKind.NUMBER
    is_key: bool = False
    position: int | None = None
    search_match: str = ValueMatch.EQUAL


def name_from_slug(slug: str) -> str:
    """Readable name for a parent created only because a deeper path needs it."""
    return slug.replace("-", " ").capitalize()


def _slugs(path: str) -> list[str]:
    slugs = path.strip().strip("/").split("/")
    if not slugs or any(not slug or slugify(slug) != slug for slug in slugs):
        raise ValueError(f"{path!r} is not a category path of lower-case slugs joined by '/'")
    return slugs


@transaction.atomic
def category_ensure(
    *,
    path: str,
    name: str,
    description: str = "",
    parameters: Sequence[ParameterSpec] = (),
) -> Category:
    """Make the category at ``path`` exist with this name, description and parameters.

    Missing parents are created with names from their slugs and existing ones are left as
    they are; parameters are matched by key and updated in place, so values already stored
    against them survive. Parameters not listed are kept: dropping one would delete data.
    """
    slugs = _slugs(path)
    parent: Category | None = None
    for depth, slug in enumerate(slugs):
        is_leaf = depth == len(slugs) - 1
        category = Category.objects.filter(parent=parent, slug=slug).first()
        if category is None:
            category = Category(
                parent=parent,
                slug=slug,
                name=name if is_leaf else name_from_slug(slug),
                description=description if is_leaf else "",
            )
            category.save()
        elif is_leaf and (category.name, category.description) != (name, description):
            category.name, category.description = name, description
            category.save(update_fields=["name", "description", "updated_at"])
        parent = category
    assert parent is not None
    _ensure_parameters(parent, parameters)
    return parent


def _ensure_parameters(category: Category, parameters: Sequence[ParameterSpec]) -> None:
    keys = [spec.key for spec in parameters]
    if len(set(keys)) != len(keys):
        raise ValueError(f"parameter keys repeat in {category.path}: {keys}")
    existing = {definition.key: definition for definition in category.parameters.all()}
    for index, spec in enumerate(parameters):
        if not spec.key or slugify(spec.key) != spec.key:
            raise ValueError(f"{spec.key!r} is not a parameter key (a slug)")
        if spec.kind not in ParameterKind.values:
            raise ValueError(f"{spec.kind!r} is not a parameter kind")
        wanted = {
            "name": spec.name,
            "unit": spec.unit,
            "kind": spec.kind,
            "position": index if spec.position is None else spec.position,
            "is_key": spec.is_key,
            "search_match": spec.search_match,
        }
        definition = existing.get(spec.key)
        if definition is None:
            ParameterDefinition.objects.create(category=category, key=spec.key, **wanted)
        elif any(getattr(definition, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(definition, field, value)
            definition.save(update_fields=list(wanted))
