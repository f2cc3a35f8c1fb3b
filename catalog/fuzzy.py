"""Part numbers one or two typos away, on every database the store runs on.

PostgreSQL answers with pg_trgm (the trigram GIN index on ``normalized_mpn``). SQLite, the
embedded default that ``make run`` serves, answers from an FTS5 table with the trigram
tokenizer (``catalog_part_mpn_trigram``, kept in step with ``catalog_part`` by triggers; see
migration 0013): it finds the part numbers sharing the most trigrams with the query, and the
similarity is then computed as pg_trgm computes it, so both databases suggest the same parts.
"""

from __future__ import annotations

from django.db import DatabaseError, connection

from .db import TrigramSimilar, TrigramSimilarity
from .models import Part

MIN_SIMILARITY = 0.35
# Suggestions much further from the query than the closest one are other parts, not typos.
MAX_BEHIND_BEST = 0.2
MIN_LENGTH = 4
SQLITE_TABLE = "catalog_part_mpn_trigram"
# Trigram hits read from FTS5 before similarity is computed in Python.
SQLITE_CANDIDATES = 200


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower case, two spaces before and one after."""
    padded = f"  {text.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def similar_part_numbers(
    normalized: str, *, limit: int = 8, min_similarity: float = MIN_SIMILARITY
) -> list[Part]:
    """Parts whose normalized MPN is most like ``normalized``, most similar first."""
    if len(normalized) < MIN_LENGTH:
        return []
    if connection.vendor == "postgresql":
        found = list(
            Part.objects.select_related("manufacturer", "stock")
            .filter(TrigramSimilar("normalized_mpn", normalized))
            .annotate(similarity=TrigramSimilarity("normalized_mpn", normalized))
            .filter(similarity__gte=min_similarity)
            .order_by("-similarity", "normalized_mpn")[:limit]
        )
    elif connection.vendor == "sqlite":
        found = _sqlite_similar(normalized, limit=limit, min_similarity=min_similarity)
    else:
        return []
    if not found:
        return []
    best = found[0].similarity
    return [part for part in found if part.similarity >= best - MAX_BEHIND_BEST]


def _sqlite_similar(normalized: str, *, limit: int, min_similarity: float) -> list[Part]:
    inner = sorted({normalized[i : i + 3] for i in range(len(normalized) - 2)})
    if not inner:
        return []
    match = " OR ".join(f'"{gram}"' for gram in inner)  # letters and digits only
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, normalized_mpn FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH %s ORDER BY rank LIMIT %s",
                [match, SQLITE_CANDIDATES],
            )
            rows = cursor.fetchall()
    except DatabaseError:  # an SQLite built without FTS5: no suggestions, no error page
        return []
    scored = sorted(
        ((similarity(mpn, normalized), mpn, pk) for pk, mpn in rows),
        key=lambda row: (-row[0], row[1]),
    )
    best = [(score, pk) for score, _, pk in scored if score >= min_similarity][:limit]
    parts = Part.objects.select_related("manufacturer", "stock").in_bulk([pk for _, pk in best])
    for score, pk in best:
        if pk in parts:
            parts[pk].similarity = score
    return [parts[pk] for _, pk in best if pk in parts]
